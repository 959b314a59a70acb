"""The timeline and the stance matrix in real headless Chromium (Debian's, through Playwright), served by
the real service (uvicorn on 127.0.0.1): over the brief's store, and over a store with markup in its labels
(``tests/fixtures/api/hostile.ttl`` and the source ``tests/fixtures/timeline/hostile-brief-2024``, whose
planned summit, dinner and stances are held by the hostile state). The static export is opened from disk.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner
from playwright.sync_api import Locator

from fixtures.copies import private_copy
from fixtures.servers import running_service
from graph import namespaces as ns
from graph.build import build
from graph.cli import main as cli
from graph.read import stance_matrix, timeline
from graph.read.events import read_event_dates
from graph.read.projection import build_projection
from graph.settings import REPO_ROOT

pytestmark = pytest.mark.browser

FIXTURES = REPO_ROOT / "tests" / "fixtures"
VISIT = ns.ID + "putin-visit-china-2024"
TALKS = ns.ID + "putin-talks-beijing-2024"
CIRCLE = ns.ID + "putin-xi-talks-tight-circle-2024"
DINNER = ns.ID + "putin-xi-dinner-2024-05-16"
HOSTILE_STATE = "<script>alert('label')</script>"
HOSTILE_SUMMIT = "<img src=x onerror=window.__pwned=1> summit"
HOSTILE_DOCTRINE = "<svg onload=window.__pwned=4>doctrine</svg>"


@pytest.fixture(scope="module")
def service(settings):
    with running_service(settings, query_timeout_s=30) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_service(tmp_path_factory, settings):
    hostile = private_copy(tmp_path_factory.mktemp("timeline-hostile"), settings)
    shutil.copy(FIXTURES / "api" / "hostile.ttl", hostile.data_dir / "reference" / "zz-api-hostile.ttl")
    shutil.copytree(FIXTURES / "timeline" / "hostile-brief-2024", hostile.data_dir / "sources" / "hostile-brief-2024")
    build(hostile)
    with running_service(hostile, query_timeout_s=30) as url:
        yield url


@pytest.fixture(scope="module")
def events(store):
    return timeline.build_index(build_projection(store), read_event_dates(store))


class Tab:
    """A page that records the hosts it asks and every script error."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.hosts: set[str] = set()
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).netloc))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def timeline(self, url: str) -> Tab:
        self.page.goto(url)
        self.page.wait_for_function("() => window.srkg && window.srkg.ready", timeout=60_000)
        return self

    def item(self, iri: str) -> Locator:
        return self.page.locator(f'#srkg-timeline [data-item="{iri}"]')


@pytest.fixture
def tab(browser):
    t = Tab(browser)
    yield t
    t.page.close()


def _with_actor(events: timeline.TimelineIndex, actor: str) -> set[str]:
    return {i.event.iri for i in timeline.timeline(events, timeline.resolve_filter(events, actor=actor)).items}


def _only_the_service(tab: Tab, origin: str) -> None:
    assert tab.hosts == {urlparse(origin).netloc}, tab.hosts
    assert tab.errors == []


# --- the timeline -----------------------------------------------------------------------------------------


def test_timeline_draws_the_visit_and_its_sub_events_nested(tab, service, events):
    tab.timeline(service + "/view/timeline")
    expected = [i.event.iri for i in timeline.timeline(events).items]
    assert sorted(tab.page.evaluate("srkg.view.getIds()")) == sorted(expected)
    for iri in (VISIT, CIRCLE, DINNER):
        assert tab.item(iri).is_visible(), iri
    assert tab.item(VISIT).inner_text() == "\u2248 Vladimir Putin's visit to China"
    labels = tab.page.locator("#srkg-timeline .vis-label").all_inner_texts()
    assert any("Vladimir Putin's visit to China" in t for t in labels)
    assert any("Putin's talks in Beijing" in t and "(no date)" in t for t in labels)
    nesting = tab.page.evaluate(f"""[srkg.groups.get("{TALKS}").nestedInGroup,
                                     srkg.groups.get("{CIRCLE}").nestedInGroup]""")
    assert nesting == [VISIT, TALKS]
    # the dinner is drawn in the row of the talks it is part of
    assert tab.page.evaluate(f'srkg.items.get("{DINNER}").group') == CIRCLE
    circle_row = tab.page.evaluate(f"""(() => {{
        const r = srkg.timeline.itemSet.groups["{CIRCLE}"].dom.foreground.getBoundingClientRect();
        return [r.top, r.bottom]; }})()""")
    box = tab.item(DINNER).bounding_box()
    assert circle_row[0] <= box["y"] and box["y"] + box["height"] <= circle_row[1]
    _only_the_service(tab, service)


def test_click_opens_the_event_and_enter_opens_a_focused_one(tab, service):
    tab.timeline(service + "/view/timeline")
    with tab.page.expect_navigation():
        tab.item(VISIT).click()
    assert tab.page.url == service + "/id/putin-visit-china-2024"
    assert tab.page.locator("h1").first.inner_text().startswith("Vladimir Putin's visit to China")
    tab.timeline(service + "/view/timeline")
    tab.item(DINNER).focus()
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    assert tab.page.url == service + "/id/putin-xi-dinner-2024-05-16"
    _only_the_service(tab, service)


def test_inferred_dates_and_statuses_are_told_apart(tab, service):
    tab.timeline(service + "/view/timeline")
    visit_box = tab.page.locator(f'#srkg-timeline .vis-item:has([data-item="{VISIT}"])')
    assert "inferred-date" in visit_box.get_attribute("class")
    assert visit_box.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
    tab.item(VISIT).hover()
    tip = tab.page.locator("#srkg-tip")
    tip.wait_for(state="visible")
    assert "begin date inferred: from the source's date" in tip.inner_text()
    assert "16 May 2024 \u2013 17 May 2024" in tip.inner_text()
    anniversary = ns.ID + "anniversary-75-russia-china-diplomatic-relations"
    assert tab.item(anniversary).locator(".badge").inner_text().lower() == "ongoing"
    assert tab.item(VISIT).locator(".badge").count() == 0  # occurred: no badge
    assert "planned" in tab.page.locator("#srkg-legend").inner_text()
    _only_the_service(tab, service)


def test_filters_hide_what_does_not_match_and_the_url_keeps_them(tab, service, events):
    tab.timeline(service + "/view/timeline")
    tab.page.select_option("#srkg-filter-actor", "xi-jinping")
    expected = _with_actor(events, "xi-jinping")
    assert set(tab.page.evaluate("srkg.view.getIds()")) == expected and VISIT not in expected
    tab.item(VISIT).wait_for(state="detached")
    assert tab.item(DINNER).is_visible()
    assert tab.page.url.endswith("/view/timeline?actor=xi-jinping")
    tab.timeline(tab.page.url)  # the service filters the same way
    assert set(tab.page.evaluate("srkg.view.getIds()")) == expected
    assert tab.page.input_value("#srkg-filter-actor") == "xi-jinping"
    _only_the_service(tab, service)


# --- the stance matrix ------------------------------------------------------------------------------------


def test_align_mode_lists_the_targets_where_only_one_takes_a_position(tab, service, store):
    positions = stance_matrix.build_index(build_projection(store))
    aligned = stance_matrix.align(positions, ns.ID + "russia", ns.ID + "china")
    tab.page.goto(service + "/view/stances/matrix?a=russia&b=china")
    for category, who in (("only-a", "Russia"), ("only-b", "China")):
        section = tab.page.locator(f"tbody#{category}")
        assert section.locator("tr.category").inner_text().startswith(f"Only {who} takes a position")
        shown = section.locator("th[scope=row]").all_inner_texts()
        assert shown == [r.target.label for r in aligned.rows if r.category == category] and shown
        empty_side = 2 if category == "only-a" else 1
        assert all(t.strip() == "\u2014 no position" or t.strip() == "\u2014" for t in
                   section.locator(f"tr:not(.category) td:nth-of-type({empty_side})").all_text_contents())
    only_china = tab.page.locator("tbody#only-b").inner_text()
    assert "\u2021 the authors' inference" in only_china  # inferred, marked
    both = tab.page.locator("tbody#both-support").inner_text()
    assert "~ hedged (expected)" in both
    tab.page.select_option("#srkg-align-a", "china")
    tab.page.select_option("#srkg-align-b", "russia")
    with tab.page.expect_navigation():
        tab.page.click("#srkg-align button[type=submit]")
    assert tab.page.url.endswith("/view/stances/matrix?a=china&b=russia")
    assert tab.page.locator("tbody#only-a tr.category").inner_text().startswith("Only China takes a position")
    _only_the_service(tab, service)


def test_matrix_cells_read_without_colour_and_link_to_their_stance(tab, service):
    tab.page.goto(service + "/view/stances/matrix")
    header = tab.page.locator("#srkg-matrix thead th").first
    assert header.evaluate("e => getComputedStyle(e).position") == "sticky"
    china = tab.page.locator("#srkg-matrix tbody tr").nth(1)
    assert china.locator("th").inner_text().startswith("China")
    assert any(t.startswith("+ supports \u2021 the authors' inference\n")
               for t in china.locator("td.only-qualified").all_inner_texts())
    reading = tab.page.locator("#srkg-matrix .reading.qualified a").first
    assert reading.inner_text()[0] in "+\u2212\u2713" and any(s in reading.inner_text() for s in "~\u2021\u2020")
    evidence = tab.page.locator("#srkg-matrix a.evidence").first.get_attribute("href")
    assert evidence.startswith("/sources/pism-spotlight-2024-34#at-")
    with tab.page.expect_navigation():
        reading.click()
    assert "/id/pism-spotlight-2024-34/stance-" in tab.page.url
    _only_the_service(tab, service)


# --- markup in the data stays text ------------------------------------------------------------------------


def test_hostile_labels_stay_inert_on_the_timeline(tab, hostile_service):
    tab.timeline(hostile_service + "/view/timeline?source=hostile-brief-2024")
    summit = ns.ID + "hostile-brief-2024/summit"
    dinner = ns.ID + "hostile-brief-2024/dinner"
    assert tab.item(summit).text_content() == "planned" + HOSTILE_SUMMIT  # the badge, then the label as text
    assert tab.item(summit).locator(".badge").inner_text().lower() == "planned"
    box = tab.page.locator(f'#srkg-timeline .vis-item:has([data-item="{summit}"])')
    assert "prospective" in box.get_attribute("class") and "status-planned" in box.get_attribute("class")
    assert tab.page.evaluate(f'srkg.items.get("{dinner}").group') == summit  # the dinner nests under the summit
    tab.item(summit).hover()
    tab.page.locator("#srkg-tip").wait_for(state="visible")
    assert HOSTILE_STATE in tab.page.locator("#srkg-tip").inner_text()  # the host, as text
    assert any(HOSTILE_SUMMIT in t for t in tab.page.locator(".vis-label").all_inner_texts())
    assert tab.page.locator("#srkg-timeline img, #srkg-timeline script, #srkg-tip img").count() == 0
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    # the page holds the source's events only, so another filter asks the service
    tab.page.select_option("#srkg-filter-actor", "hostile-state")
    with tab.page.expect_navigation():
        tab.page.click("#srkg-filters button[type=submit]")
    tab.timeline(tab.page.url)
    assert set(tab.page.evaluate("srkg.view.getIds()")) == {summit, dinner}
    assert HOSTILE_STATE in tab.page.locator("#srkg-filter-actor option:checked").inner_text()
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    _only_the_service(tab, hostile_service)


def test_hostile_labels_stay_inert_in_the_matrix(tab, hostile_service):
    tab.page.goto(hostile_service + "/view/stances/matrix")
    assert any(HOSTILE_STATE in t for t in tab.page.locator("#srkg-matrix tbody th[scope=row]").all_inner_texts())
    assert any(HOSTILE_DOCTRINE in t for t in tab.page.locator("#srkg-matrix thead th").all_inner_texts())
    assert tab.page.locator("#srkg-matrix svg, #srkg-matrix img, #srkg-matrix script").count() == 0
    tab.page.goto(hostile_service + "/view/stances/matrix?a=hostile-state&b=russia")
    assert HOSTILE_STATE in tab.page.locator("#srkg-alignment thead").inner_text()
    assert "expansion of NATO" in tab.page.locator("tbody#both-oppose").inner_text()
    assert HOSTILE_DOCTRINE in tab.page.locator("tbody#only-a").inner_text()
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    _only_the_service(tab, hostile_service)


# --- the static export ------------------------------------------------------------------------------------


def test_exported_timeline_opens_from_disk_and_filters_there(tab, settings, tmp_path, events):
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["--store-dir", str(settings.store_dir), "visualise", "--out", str(out)])
    assert result.exit_code == 0, result.output
    tab.timeline((out / "timeline.html").as_uri())
    assert len(tab.page.evaluate("srkg.view.getIds()")) == len(timeline.timeline(events).items)
    tab.page.select_option("#srkg-filter-actor", "xi-jinping")
    expected = _with_actor(events, "xi-jinping")
    assert set(tab.page.evaluate("srkg.view.getIds()")) == expected
    with tab.page.expect_navigation():
        tab.item(DINNER).click()
    assert tab.page.url == (out / "entity" / "putin-xi-dinner-2024-05-16.html").as_uri()
    tab.page.goto((out / "stances-matrix.html").as_uri())
    assert tab.page.locator("#srkg-matrix tbody tr").count() > 2
    assert tab.hosts == {""} and tab.errors == []  # file:// only
