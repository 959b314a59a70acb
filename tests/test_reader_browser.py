"""Browser tests of the source reader: srkg's service in a real uvicorn process on 127.0.0.1, driven by
Debian's headless Chromium through Playwright (no browser download).

Two services: one over the real brief (the session ``settings``), one over the reader's own test graph
(``reader_settings``: crossing and nested spans, a quote that grounds two layers, markup and "&" in the
text and the labels). The static export is opened from disk (``file://``). Screenshots go to
``tests/artefacts/``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fixtures.servers import running_service
from test_reader import BRIEF, FIXTURE, FIXTURE_TITLE, HOSTILE_LABEL, HOSTILE_TEXT, annotated, export_site

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Dialog

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.fixture(scope="module")
def brief_service(settings):
    with running_service(settings, query_timeout_s=30) as url:
        yield url


@pytest.fixture(scope="module")
def fixture_service(reader_settings):
    with running_service(reader_settings, query_timeout_s=30) as url:
        yield url


class ReaderTab:
    """A page that records every request, console error, page error and dialog."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> ReaderTab:
        self.page.goto(url)
        self.page.wait_for_function("() => window.srkgReader && window.srkgReader.ready")
        return self

    def popover(self) -> str:
        pop = self.page.locator("#reader-popover")
        pop.wait_for(state="visible")
        return pop.inner_text()

    def active_id(self) -> str:
        return self.page.evaluate("document.activeElement.id")

    def tab_to(self, span_id: str | None, limit: int = 60) -> int:
        """Press Tab until a highlight (``span_id``, or any when None) has the focus; how many presses it took."""
        for n in range(1, limit + 1):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate("(() => { const e = document.activeElement;"
                                         " return e.matches('#reader-text .ev') ? e.id : null; })()")
            if focused and (span_id is None or focused == span_id):
                return n
        raise AssertionError(f"Tab never reached {span_id or 'a highlight'} in {limit} presses")

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def tab(browser):
    t = ReaderTab(browser)
    yield t
    t.close()


def test_brief_renders_every_layer_with_its_own_pattern_and_loads_only_from_the_service(
        tab, brief_service, store, settings):
    ann = annotated(store, settings, BRIEF)
    tab.open(f"{brief_service}/sources/{BRIEF}")
    assert tab.page.locator("#reader-text .ev[id]").count() == len(ann.spans) == 171
    layers = Counter(s.layer for s in ann.spans)
    for css, layer in (("reported", "ReportedFact"), ("actor", "ActorAttributed"), ("authors", "AuthorInference")):
        assert layers[layer] > 0
        assert tab.page.locator(f"#reader-text .ev[id].l-{css}").count() == layers[layer]
    assert tab.page.locator("#reader-text .ev[id].hedged").count() == sum(s.hedged for s in ann.spans) > 0
    style = tab.page.evaluate("""() => Object.fromEntries(['l-reported', 'l-actor', 'l-authors', 'hedged'].map(c => {
        const s = getComputedStyle(document.querySelector('#reader-text .ev.' + c));
        return [c, [s.textDecorationStyle, s.backgroundImage.split('(')[0], s.textDecorationLine]]; }))""")
    # the layer is a pattern as well as a colour; hedging is the underline's style
    assert style["l-reported"][1] == "none"
    assert style["l-actor"][1] == "repeating-linear-gradient" and style["l-authors"][1] == "radial-gradient"
    assert style["hedged"][0] == "dashed" and style["l-reported"][0] == "solid"
    assert all(s[2] == "underline" for s in style.values())
    assert tab.page.locator("#reader-coverage").inner_text().startswith("44 of 44 sentences quoted")
    boiler = tab.page.evaluate("[...document.querySelectorAll('#reader-text .seg.boiler')].map(e => e.textContent)")
    assert "".join(boiler) == "".join(ann.text[b.start:b.end] for b in ann.boilerplate) and len(boiler) == 7
    assert tab.requests and all(u.startswith(brief_service + "/") for u in tab.requests), tab.requests
    assert tab.errors == []
    ARTEFACTS.mkdir(exist_ok=True)
    tab.page.locator("#reader-text .ev.l-actor").first.hover()
    tab.popover()
    tab.page.screenshot(path=str(ARTEFACTS / "reader-brief.png"))


def test_tab_reaches_a_highlight_whose_popover_shows_the_assertion_and_enter_opens_it(tab, fixture_service):
    tab.open(f"{fixture_service}/sources/{FIXTURE}")
    tab.tab_to(None)
    assert tab.active_id() == "ev-0-24"
    text = tab.popover()
    assert FIXTURE_TITLE in text and "SourceDocument" in text and "characters 0\u201324" in text
    tab.tab_to("ev-139-186")
    focused = tab.page.evaluate("(() => { const e = document.activeElement; return [e.getAttribute('role'),"
                                " e.getAttribute('aria-describedby'), e.tabIndex]; })()")
    assert focused == ["button", "reader-popover", 0]
    text = tab.popover()
    assert "In Beta's view the accord protects its farmers" in text
    assert "ActorView \u00b7 actor's view" in text and "Click or press Enter to open it." in text
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    assert tab.page.url == f"{fixture_service}/id/reader-fixture/beta-view-accord"
    assert tab.errors == []


def test_click_opens_the_assertion_or_lists_each_page_a_quote_grounds(tab, fixture_service):
    tab.open(f"{fixture_service}/sources/{FIXTURE}")
    tab.page.locator('.seg[data-s="88"]').hover()  # "Alpha supports " (the stance, before the policy crosses it)
    text = tab.popover()
    assert "Alpha supports free trade" in text and "Stance \u00b7 reported fact \u00b7 Supports" in text
    with tab.page.expect_navigation():
        tab.page.locator('.seg[data-s="88"]').click()
    assert tab.page.url == f"{fixture_service}/id/reader-fixture/alpha-supports-free-trade"

    tab.open(f"{fixture_service}/sources/{FIXTURE}")
    tab.page.locator('.seg[data-s="232"]').click()  # " in the long run": the assessment and the state Beta
    pop = tab.page.locator("#reader-popover")
    pop.wait_for(state="visible")
    assert pop.get_attribute("role") == "dialog"
    links = tab.page.evaluate("[...document.querySelectorAll('#reader-popover a')].map(a => [a.textContent,"
                              " a.getAttribute('href')])")
    assert links == [["Beta may oppose free trade in the long run", "/id/reader-fixture/assessment-long-run"],
                     ["Beta", "/id/rx-beta"]]
    assert tab.page.evaluate("document.activeElement.getAttribute('href')") == "/id/reader-fixture/assessment-long-run"
    assert "styled as the weakest" in pop.inner_text() and "hedged (possible)" in pop.inner_text()
    tab.page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    assert tab.active_id() == "ev-206-248"
    tab.page.keyboard.press("Tab")  # into the shorter quote that starts at the same place
    assert tab.active_id() == "ev-206-232"
    assert tab.errors == []


def test_anchor_scrolls_to_and_highlights_the_range(tab, fixture_service, brief_service, reader_store,
                                                    reader_settings, store, settings):
    tab.open(f"{fixture_service}/sources/{FIXTURE}#at-88-113")
    target = tab.page.evaluate("srkgReader.target")
    assert target == {"start": 88, "end": 113, "text": "Alpha supports free trade"}
    assert tab.page.evaluate("CSS.highlights.has('reader-at')")
    assert "targeted" in tab.page.locator("#ev-88-113").get_attribute("class")
    # any range, not only a span's, with offsets in code points (the text holds a character beyond U+FFFF)
    text = annotated(reader_store, reader_settings, FIXTURE).text
    start = text.index("index rose")
    tab.page.evaluate(f"location.hash = '#at-{start}-{start + 10}'")
    tab.page.wait_for_function(f"srkgReader.target && srkgReader.target.start === {start}")
    assert tab.page.evaluate("srkgReader.target.text") == "index rose"
    assert tab.page.locator(".targeted").count() == 0

    last = annotated(store, settings, BRIEF).spans[-1]
    tab.open(f"{brief_service}/sources/{BRIEF}#at-{last.start}-{last.end}")
    assert tab.page.evaluate("srkgReader.target.text") == last.quote
    box = tab.page.evaluate(f"(() => {{ const r = document.getElementById('{last.id}').getBoundingClientRect();"
                            " return [r.top, r.bottom, innerHeight, scrollY]; })()")
    assert 0 <= box[0] and box[1] <= box[2] and box[3] > 0  # scrolled down to it, and it is in view


def test_hostile_text_and_labels_stay_inert(tab, fixture_service):
    tab.open(f"{fixture_service}/sources/{FIXTURE}")
    tab.page.locator('.seg[data-s="41"]').hover()  # the agreement, whose label is markup
    text = tab.popover()
    assert HOSTILE_LABEL in text
    assert tab.page.locator("#reader-popover script, #reader-popover img").count() == 0
    assert tab.page.locator("h1").inner_text() == FIXTURE_TITLE
    assert tab.page.evaluate("document.querySelector('h1').children.length") == 0
    leaf = tab.page.locator("#reader-text .seg.unquoted").first
    assert leaf.inner_text().endswith(HOSTILE_TEXT) and leaf.get_attribute("title").startswith("not quoted")
    scripts = tab.page.evaluate("[...document.scripts].map(s => s.getAttribute('src') || s.type)")
    assert scripts == ["/static/search-box.js", "application/json", "/view/static/srkg-words.js",
                       "/view/static/srkg-reader.js"]
    assert tab.page.locator("#reader-text img, #reader-text script, #reader-text b").count() == 0
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    assert tab.dialogs == [] and tab.errors == []
    assert all(u.startswith(fixture_service + "/") for u in tab.requests), tab.requests


def test_static_export_works_from_disk(tab, reader_settings, tmp_path):
    page = export_site(reader_settings, tmp_path / "site")
    tab.open(page.as_uri() + "#at-139-186")
    assert tab.page.evaluate("srkgReader.target.text") == "In Beta's view, the accord protects its farmers"
    tab.page.locator('.seg[data-s="41"]').hover()
    assert HOSTILE_LABEL in tab.popover()
    assert tab.page.locator("form.search").count() == 0
    with tab.page.expect_navigation():
        tab.page.locator('.seg[data-s="88"]').click()
    assert tab.page.url == (tmp_path / "site" / "entity" / "reader-fixture" / "alpha-supports-free-trade.html").as_uri()
    assert all(u.startswith("file://") for u in tab.requests), tab.requests
    assert tab.errors == [] and tab.dialogs == []
