"""The search box of every page in real headless Chromium: results as you type, the keyboard reaches and
opens each of them, Enter with none chosen goes to /search, a label that is markup stays text, and no page
loads anything from outside the service. The service runs on a copy of the data with markup in labels
(``fixtures/api/hostile.ttl``). A screenshot goes to ``tests/artefacts/search-box.png``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from fixtures.copies import private_copy
from fixtures.servers import running_service
from graph.build import build
from graph.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Locator, Page

pytestmark = pytest.mark.browser

HOSTILE_TTL = Path(__file__).parent / "fixtures" / "api" / "hostile.ttl"
HOSTILE_LABEL = "<script>alert('label')</script>"
ARTEFACTS = Path(__file__).parent / "artefacts"
OPTIONS = "header .search-box-results [role=option]"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[str]:
    s = private_copy(tmp_path_factory.mktemp("search-browser"), settings)
    shutil.copy(HOSTILE_TTL, s.data_dir / "reference" / "zz-hostile.ttl")
    build(s)
    with running_service(s) as url:
        yield url


class Tab:
    """A page that records the host of every request, console errors, page errors and dialogs."""

    def __init__(self, browser: Browser):
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.hosts: set[str] = set()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).netloc))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def type_in_the_box(self, url: str, text: str) -> Locator:
        """Open ``url``, type ``text`` in the header's search box, and wait for its results."""
        self.page.goto(url)
        box = self.page.locator("header form.search input[name=q]")
        box.click()
        box.press_sequentially(text, delay=20)
        self.page.wait_for_selector(OPTIONS)
        return box


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    t = Tab(browser)
    yield t
    t.page.close()


def test_typing_shows_results_and_the_keyboard_reaches_and_opens_each(tab: Tab, base: str) -> None:
    box = tab.type_in_the_box(base + "/sparql", "Harbin")
    page = tab.page
    options = page.locator(OPTIONS)
    texts = options.all_inner_texts()
    assert texts[0].splitlines() == ["Harbin", "city"]
    assert any("Putin's intention in visiting Beijing and Harbin" in t and "evidence quote" in t for t in texts)
    assert texts[-1].startswith("All ") and "Harbin" in texts[-1]
    page.locator("header mark").first.wait_for()
    assert page.locator(f"{OPTIONS} mark").first.inner_text() == "Harbin"
    listbox = page.locator("header [role=listbox]")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "search-box.png"))
    ids = [options.nth(i).get_attribute("id") for i in range(options.count())]
    for i, option_id in enumerate(ids):  # ArrowDown goes through every result, in order
        box.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == option_id
        assert options.nth(i).get_attribute("aria-selected") == "true"
        assert page.locator("header [aria-selected=true]").count() == 1
    box.press("ArrowDown")  # and round again
    assert box.get_attribute("aria-activedescendant") == ids[0]
    box.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == ids[-1]
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and listbox.is_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    assert not tab.errors
    box.press("ArrowDown")
    assert box.get_attribute("aria-expanded") == "true" and box.get_attribute("aria-activedescendant") == ids[0]
    box.press("Enter")
    page.wait_for_url(base + "/id/harbin")
    assert tab.hosts == {urlparse(base).netloc}


def test_a_passage_opens_in_the_reader(tab: Tab, base: str) -> None:
    box = tab.type_in_the_box(base + "/ontology", "Beijing Harbin")
    texts = tab.page.locator(OPTIONS).all_inner_texts()
    quote = next(i for i, t in enumerate(texts) if t.startswith("Putin's intention in visiting Beijing and Harbin\n"))
    for _ in range(quote + 1):
        box.press("ArrowDown")
    box.press("Enter")
    tab.page.wait_for_url(re.compile(r"/sources/pism-spotlight-2024-34#at-728-776$"))
    assert tab.hosts == {urlparse(base).netloc}


def test_enter_with_no_result_chosen_searches_from_a_network_view(tab: Tab, base: str) -> None:
    box = tab.type_in_the_box(base + "/view/overview", "Harbin")
    box.press("Enter")
    tab.page.wait_for_url(base + "/search?q=Harbin")
    assert tab.page.locator("#entity-results mark").first.inner_text() == "Harbin"
    assert tab.page.locator("#passage-results li").count() >= 2
    assert not tab.errors and tab.hosts == {urlparse(base).netloc}


def test_a_label_that_is_markup_stays_text(tab: Tab, base: str) -> None:
    tab.type_in_the_box(base + "/sparql", "script alert")
    first = tab.page.locator(OPTIONS).first
    assert first.locator(".search-box-label").inner_text() == HOSTILE_LABEL
    assert first.locator("mark").all_inner_texts() == ["script", "alert", "script"]
    assert tab.page.locator(".search-box-results script, .search-box-results img").count() == 0
    tab.page.goto(base + "/search?q=script+alert")
    assert tab.page.locator("#entity-results li a").first.inner_text() == HOSTILE_LABEL
    assert tab.page.locator("main img").count() == 0
    assert not tab.dialogs and not tab.errors and tab.hosts == {urlparse(base).netloc}
