"""The SPARQL editor in real headless Chromium: examples from the catalogue, Ctrl+Enter runs the
query, results come back as a table, and the page loads nothing from outside the service."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from fixtures.servers import running_service
from graph import catalogue

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(settings):
    with running_service(settings, query_timeout_s=30) as url:
        yield url


def test_editor_runs_an_example_and_shows_a_table_offline(base, settings, browser):
    examples = [q for q in catalogue.read(settings.queries_dir).values() if q.group == "cq"]
    hosts: set[str] = set()
    page = browser.new_page()
    try:
        page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
        page.goto(base + "/sparql")
        assert page.locator("#gutter").inner_text().startswith("1")
        options = page.locator("#examples option")
        assert options.count() == len(examples) + 1
        if examples:
            page.select_option("#examples", "0")
            assert page.input_value("#query").strip() == examples[0].text.strip()
        page.fill("#query", "SELECT ?state WHERE { ?state a srkg:State } ORDER BY ?state")
        page.press("#query", "Control+Enter")
        page.wait_for_selector("#results tbody tr")
        cells = page.locator("#results tbody td").all_inner_texts()
        assert "id:russia" in cells and "id:china" in cells
        page.click("#results a[href='/id/russia']")
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == "Russia"
    finally:
        page.close()
    assert hosts == {urlparse(base).netloc}


def test_api_docs_render_offline(base, browser):
    hosts: set[str] = set()
    page = browser.new_page()
    try:
        page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
        page.goto(base + "/docs")
        page.wait_for_selector(".swagger-ui .info .title")
        assert "srkg" in page.locator(".swagger-ui .info .title").inner_text()
        page.wait_for_selector('.opblock-summary-path[data-path="/api/v1/entities"]', state="attached")
    finally:
        page.close()
    assert hosts == {urlparse(base).netloc}
