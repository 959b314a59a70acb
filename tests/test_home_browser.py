"""The home page and the SPARQL editor in real headless Chromium, over a real uvicorn server on the real
data: the home page's sections, the keyboard's way to the search box and the views, YASGUI running a
competency question on the service's own endpoint and sorting its table, prefix completion from srkg's
prefixes, and neither page asking anything of a host other than the service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from fixtures.servers import running_service
from graph import catalogue
from graph import namespaces as ns
from graph.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(settings: Settings) -> Iterator[str]:
    with running_service(settings, query_timeout_s=30) as url:
        yield url


class Visit:
    """A fresh page (its own context: no stored tabs) that records every request and every error."""

    def __init__(self, browser: Browser):
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.requests: list[Request] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def off_origin(self, origin: str) -> list[str]:
        """Every URL the page asked for that is not on ``origin``."""
        return [r.url for r in self.requests if not r.url.startswith(origin + "/")]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    v = Visit(browser)
    yield v
    v.page.close()


def test_home_page_renders_its_sections_and_loads_nothing_from_elsewhere(base, visit):
    visit.page.goto(base + "/")
    headings = visit.page.locator("main h2").all_inner_texts()
    assert headings == ["Ways in", "Sources", "What the graph holds", "Most central actors", "Latest events"]
    source = visit.page.locator("li.source").first
    assert "Putin's Visit to China" in source.locator("a.title").inner_text()
    assert "2024-05-21" in source.inner_text() and "Anna Maria Dyner" in source.inner_text()
    assert visit.page.locator("ol.central li").first.inner_text().startswith("China")
    assert visit.page.locator("table.events .inferred").count() >= 1
    assert visit.page.locator("ul.counts li").count() >= 10
    assert visit.errors == []
    assert visit.requests and visit.off_origin(base) == []


def test_keyboard_reaches_the_search_box_and_every_view(base, visit):
    page = visit.page
    page.goto(base + "/")
    wanted = {"/view/timeline", "/view/stances/matrix", "/view/", "/entities", "/sparql", "/docs",
              "/sources/pism-spotlight-2024-34"}
    reached: set[str] = set()
    search_reached = False
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {id: e.id, href: e.getAttribute('href'), inMain: !!e.closest('main')}; }""")
        if focused["id"] == "home-search":
            search_reached = True
        if focused["href"] in wanted and focused["inMain"]:
            reached.add(focused["href"])
        if search_reached and reached == wanted:
            break
    assert search_reached and reached == wanted
    page.focus("#home-search")
    page.keyboard.type("Harbin")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*")
    assert parse_qs(urlparse(page.url).query) == {"q": ["Harbin"]}


ACTIVE = "#yasgui .tabPanel.active"  # the tab YASGUI shows


def _editor_value(page: Page) -> str:
    return str(page.evaluate(f"() => document.querySelector('{ACTIVE} .CodeMirror').CodeMirror.getValue()"))


def test_yasgui_runs_a_catalogue_example_on_the_service_and_sorts_the_table(base, settings, visit):
    examples = [q for q in catalogue.read(settings.queries_dir).values() if q.group == "cq"]
    page = visit.page
    page.goto(base + "/sparql")
    page.wait_for_selector("#yasgui .CodeMirror")
    assert _editor_value(page) == examples[0].text  # a first visit opens the first competency question
    assert page.locator("#yasgui .CodeMirror .cm-keyword").count() > 0  # highlighted
    assert page.locator("a[data-example]").count() == len(examples)
    second = next(i for i, q in enumerate(examples) if q.name == "cq/02-visit-when-host-cities")
    page.click(f"a[data-example='{second}']")
    page.wait_for_selector(f"{ACTIVE} .yasr table.dataTable tbody tr")
    assert _editor_value(page) == examples[second].text
    queries = [r for r in visit.requests if r.method == "POST" and urlparse(r.url).path == "/sparql"]
    assert queries and all(r.url == base + "/sparql" for r in queries)
    assert parse_qs(queries[-1].post_data or "")["query"] == [examples[second].text]
    rows = page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr")
    assert rows.count() == 2
    assert page.locator(f"{ACTIVE} .yasr a.iri[href='/id/beijing']").count() == 1  # srkg's IRIs link here

    column = page.locator(f"{ACTIVE} .yasr table.dataTable thead th").all_inner_texts().index(
        "cityLabel")

    def cities() -> list[str]:
        return [r.locator("td").nth(column).inner_text().strip() for r in rows.all()]

    header = page.locator(f"{ACTIVE} .yasr table.dataTable thead th", has_text="cityLabel")
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(rows.first.locator("td").nth(column)).to_have_text('"Beijing"@en')
    assert cities() == ['"Beijing"@en', '"Harbin"@en']
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(rows.first.locator("td").nth(column)).to_have_text('"Harbin"@en')
    assert cities() == ['"Harbin"@en', '"Beijing"@en']
    assert page.locator(f"{ACTIVE} .yasr .yasr_downloadIcon").count() == 1
    assert visit.errors == []
    assert visit.off_origin(base) == []


def test_yasgui_completes_srkg_prefixes(base, visit):
    page = visit.page
    page.goto(base + "/sparql")
    page.wait_for_selector("#yasgui .CodeMirror")
    page.click("#yasgui .CodeMirror-code")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX srk")
    hint = page.locator(".CodeMirror-hints li", has_text=f"srkg: <{ns.SRKG}>")
    hint.wait_for()
    page.keyboard.press("Enter")
    assert _editor_value(page).startswith(f"PREFIX srkg: <{ns.SRKG}>")
    assert page.locator(".CodeMirror-hints li", has_text="dbpedia").count() == 0
    assert visit.off_origin(base) == []


def test_a_link_with_a_query_runs_it_on_this_endpoint_whatever_it_names(base, visit):
    page = visit.page
    query = "SELECT ?state WHERE { ?state a srkg:State } ORDER BY ?state"
    page.goto(base + "/sparql?endpoint=https%3A%2F%2Fdbpedia.org%2Fsparql&query=" + query.replace(" ", "%20"))
    page.wait_for_selector(f"{ACTIVE} .yasr table.dataTable tbody tr")
    assert "id:russia" in page.locator(f"{ACTIVE} .yasr table.dataTable tbody").inner_text()
    assert visit.off_origin(base) == []
