"""The SPARQL editor's no-script form and the API documentation in real headless Chromium: examples from
the catalogue run on the server, results come back as a table, and the pages load nothing from outside the
service."""

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


def test_editor_works_without_script(base, settings, browser):
    """With script off, the editor page is a form: an example link runs its query on the server, the form
    runs any query, and the results come back as a table whose IRIs link to their pages. (The script
    editor, YASGUI, is tested in test_home_browser.py.)"""
    examples = [q for q in catalogue.read(settings.queries_dir).values() if q.group == "cq"]
    hosts: set[str] = set()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
        page.goto(base + "/sparql")
        assert page.locator("a[data-example]").count() == len(examples)
        assert page.input_value("#query").strip() == examples[0].text.strip()
        page.click("a[data-example='0']")
        page.wait_for_selector("#results tbody tr")
        assert page.input_value("#query").strip() == examples[0].text.strip()
        assert "PISM Spotlight" in page.locator("#results tbody").inner_text()
        page.fill("#query", "SELECT ?state WHERE { ?state a srkg:State } ORDER BY ?state")
        page.click("#sparql-form button[type=submit]")
        page.wait_for_url("**/sparql?query=*")
        cells = page.locator("#results tbody td").all_inner_texts()
        assert "id:russia" in cells and "id:china" in cells
        page.click("#results a[href='/id/russia']")
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == "Russia"
    finally:
        context.close()
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
