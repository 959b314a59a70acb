"""Pages in Russian and Chinese in real headless Chromium over a real server: the labels in the reader's
language, the document's ``lang`` attribute, the chrome translated, no mojibake, and the language menu
leading from one language to another."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from fixtures.servers import running_service
from graph.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

#: what a UTF-8 page read as Latin-1 (or a lost character) looks like
MOJIBAKE = ("Ð", "Ñ", "â€", "å", "ä¸", "\ufffd")


@pytest.fixture(scope="module")
def base(settings: Settings) -> Iterator[str]:
    with running_service(settings, query_timeout_s=30) as url:
        yield url


def _visit(browser: Browser, url: str, accept_language: str | None = None):  # type: ignore[no-untyped-def]
    context = browser.new_context(extra_http_headers={"Accept-Language": accept_language} if accept_language else {})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url)
    assert response is not None and response.status == 200
    return context, page, errors


def test_entity_page_in_russian_then_chinese(browser: Browser, base: str) -> None:
    context, page, errors = _visit(browser, f"{base}/id/china?lang=ru")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator("h1")).to_contain_text("Китай")
        body = page.locator("body").inner_text()
        assert not [m for m in MOJIBAKE if m in body]
        assert "Харбин" in body and "Пекин" in body, "related entities are named in Russian too"
        page.get_by_role("link", name="中文").click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        expect(page.locator("h1")).to_contain_text("中国")
        assert not errors
    finally:
        context.close()


def test_network_view_in_chinese_from_accept_language(browser: Browser, base: str) -> None:
    context, page, errors = _visit(browser, f"{base}/view/entity/china", accept_language="zh-CN,zh;q=0.9")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        body = page.content()  # the node list is folded away: read the document, not what is shown
        assert "中国" in body and "哈尔滨" in body and "北京" in body
        assert not [m for m in MOJIBAKE if m in body]
        assert not errors
    finally:
        context.close()


def test_search_in_chinese_finds_putin(browser: Browser, base: str) -> None:
    context, page, errors = _visit(browser, f"{base}/search?q=普京", accept_language="zh")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        expect(page.locator("main")).to_contain_text("弗拉基米尔·普京")
        assert not errors
    finally:
        context.close()
