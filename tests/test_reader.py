"""Tests of the source reader without a browser: the core (graph.read.annotations), its JSON twin and page on a
real service, the links into it, and the static export.

Two graphs: the real brief (the session ``store``), and the reader's own test graph
(``tests/fixtures/reader/data``, built by the ``reader_settings`` fixture) whose spans cross ("Alpha supports
free trade" / "free trade between the two states"), nest, start together, ground two layers at once, and
whose text and labels hold markup and "&"; the browser tests (``test_reader_browser.py``) reuse the
helpers here.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter

from fixtures.servers import running_service
from graph import catalogue
from graph import namespaces as ns
from graph.cli import main as cli
from graph.read.annotations import (
    LAYERS,
    SourceAnnotations,
    Span,
    UnknownSource,
    annotate,
    find_source,
    source_records,
    weakest,
)
from graph.read.projection import build_projection
from graph.settings import Settings
from graph.store import Store
from visualisation.reader import render_reader
from visualisation.render import ServiceLinks

BRIEF = "pism-spotlight-2024-34"
FIXTURE = "reader-fixture"
FX = ns.ID + "reader-fixture/"
HOSTILE_LABEL = "Gamma Accord <script>window.__pwned=3</script> & annex"
HOSTILE_TEXT = "<script>window.__pwned=2</script> & music."
FIXTURE_TITLE = "Reader Brief <b>7</b> & Co."


def annotated(store: Store, settings: Settings, slug: str) -> SourceAnnotations:
    return annotate(store, settings.data_dir, find_source(source_records(store), slug))


def span_at(ann: SourceAnnotations, quote: str) -> Span:
    return next(s for s in ann.spans if s.quote == quote)


@pytest.fixture(scope="module")
def brief(store: Store, settings: Settings) -> SourceAnnotations:
    return annotated(store, settings, BRIEF)


@pytest.fixture(scope="module")
def fixture_ann(reader_store: Store, reader_settings: Settings) -> SourceAnnotations:
    return annotated(reader_store, reader_settings, FIXTURE)


# --- the core -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["brief", "fixture"])
def test_spans_cover_every_evidence_with_what_it_grounds(which, store, reader_store, brief, fixture_ann):
    st, ann = (store, brief) if which == "brief" else (reader_store, fixture_ann)
    rows = st.select(catalogue.text("build/evidence-spans", source=ann.source))
    assert {str(r["evidence"]) for r in rows} == {s.evidence for s in ann.spans}
    assert len(ann.spans) == len(rows) and len({s.id for s in ann.spans}) == len(ann.spans)
    for s in ann.spans:
        assert ann.text[s.start:s.end] == s.quote
        assert s.id == f"ev-{s.start}-{s.end}"
        grounded = {str(r["node"]) for r in st.select(
            "PREFIX srkg: <https://w3id.org/srkg/ontology#> SELECT ?node WHERE { ?node srkg:evidence ?e }",
            e=s.evidence)}
        assert {g.iri for g in s.grounds} == grounded, s.quote
    if which == "brief":
        assert len(ann.spans) == 171


def test_grounded_nodes_carry_the_projections_classification(store, brief):
    """Layer, hedging and qualified are the stored attribution, hedging and srkg:QualifiedAssertion, as the
    projection (and through it the REST API and the views) reads them."""
    g = build_projection(store)
    seen = 0
    for s in brief.spans:
        for n in s.grounds:
            if n.iri not in g:
                assert n.type == "InferredFact"  # the projection holds no inferred-fact nodes
                assert n.basis and n.reason and n.about and n.label
                continue
            data = g.nodes[n.iri]
            assert n.attribution == data.get("attribution")
            assert n.hedging == data.get("hedging")
            assert n.qualified == bool(data.get("qualified"))
            assert n.type == data["cls_label"] and n.label == data["label"]
            seen += 1
    assert seen > 150
    layers = {n.layer for s in brief.spans for n in s.grounds}
    assert layers == set(LAYERS)


def test_a_span_takes_the_weakest_layer_and_hedging_of_what_it_grounds(brief, fixture_ann):
    mixed = span_at(fixture_ann, "Beta may oppose free trade in the long run")
    assert {(g.type, g.layer) for g in mixed.grounds} == {("Assessment", "AuthorInference"),
                                                          ("State", "ReportedFact")}
    assert mixed.mixed and mixed.layer == "AuthorInference"
    assert mixed.hedging == "Possible" and mixed.hedged
    assert mixed.grounds[0].type == "Assessment"  # assertions first, the weakest first
    view = span_at(fixture_ann, "In Beta's view, the accord protects its farmers")
    assert view.layer == "ActorAttributed" and not view.hedged and not view.mixed
    plain = span_at(fixture_ann, "Alpha supports free trade")
    assert plain.layer == "ReportedFact" and plain.hedging is None
    for s in brief.spans:
        assert s.layer == weakest((g.layer for g in s.grounds), LAYERS)
        assert s.hedged == any(g.hedged for g in s.grounds)
        assert s.mixed == (len({g.layer for g in s.grounds}) > 1)
    assert any(s.mixed for s in brief.spans)
    assert weakest(["ReportedFact", "AuthorInference", "ActorAttributed"], LAYERS) == "AuthorInference"


@pytest.mark.parametrize("which", ["brief", "fixture"])
def test_segments_partition_the_text_exactly(which, brief, fixture_ann):
    ann = brief if which == "brief" else fixture_ann
    segs = ann.segments
    assert segs[0].start == 0 and segs[-1].end == len(ann.text)
    assert all(a.end == b.start for a, b in zip(segs, segs[1:], strict=False))
    assert all(s.start < s.end for s in segs)
    assert "".join(ann.text[s.start:s.end] for s in segs) == ann.text
    order = {s.id: i for i, s in enumerate(ann.spans)}
    by_id = {s.id: s for s in ann.spans}
    for seg in segs:
        covering = {s.id for s in ann.spans if s.start <= seg.start and seg.end <= s.end}
        assert set(seg.spans) == covering
        assert not any(s.start < seg.end and seg.start < s.end and s.id not in covering for s in ann.spans)
        assert list(seg.spans) == sorted(seg.spans, key=order.__getitem__)  # outermost first
        if seg.paragraph is not None:
            p = ann.paragraphs[seg.paragraph]
            assert p.start <= seg.start and seg.end <= p.end
    for s in ann.spans:  # each span is exactly the segments that list it
        assert "".join(ann.text[g.start:g.end] for g in segs if s.id in g.spans) == by_id[s.id].quote


def test_crossing_nested_and_same_start_spans(fixture_ann):
    cut = {(s.start, s.end): s.spans for s in fixture_ann.segments}
    stance, policy = span_at(fixture_ann, "Alpha supports free trade"), span_at(
        fixture_ann, "free trade between the two states")
    assert stance.start < policy.start < stance.end < policy.end  # they cross
    assert cut[(stance.start, policy.start)] == (stance.id,)
    assert cut[(policy.start, stance.end)] == (stance.id, policy.id)
    assert cut[(stance.end, policy.end)] == (policy.id,)
    outer, inner = span_at(fixture_ann, "Alpha & Beta signed the Gamma Accord in Delta"), span_at(fixture_ann, "Delta")
    assert cut[(inner.start, inner.end)] == (outer.id, inner.id)
    longer, shorter = span_at(fixture_ann, "Beta may oppose free trade in the long run"), span_at(
        fixture_ann, "Beta may oppose free trade")
    assert longer.start == shorter.start and cut[(shorter.start, shorter.end)] == (longer.id, shorter.id)


def test_uncovered_sentences_and_boilerplate_match_srkg_coverage(reader_settings, fixture_ann, settings, brief):
    for conf, ann in ((reader_settings, fixture_ann), (settings, brief)):
        result = CliRunner().invoke(cli, ["--data-dir", str(conf.data_dir), "--store-dir", str(conf.store_dir),
                                          "coverage", "--format", "json"])
        report = next(c for c in json.loads(result.output) if c["source"] == ann.source)
        not_quoted = [(s.start, s.end) for s in ann.sentences if s.status == "not quoted"]
        assert not_quoted == [(u["start"], u["end"]) for u in report["uncovered"]]
        assert [ann.text[s.start:s.end] for s in ann.sentences if s.status == "boilerplate"] == report["boilerplate"]
        assert (ann.coverage.sentences, ann.coverage.quoted, ann.coverage.boilerplate) == (
            report["sentences"], report["covered"], len(report["boilerplate"]))
    assert [fixture_ann.text[s.start:s.end] for s in fixture_ann.sentences if s.status == "not quoted"] == [
        "The summit ended with a dinner " + HOSTILE_TEXT, "The 𝔸 index rose sharply."]
    assert [(b.start, b.end) for b in fixture_ann.boilerplate] == [(26, 39)]
    assert fixture_ann.segments[2].boilerplate and fixture_ann.text[26:39] == "WHAT HAPPENED"


def test_unknown_slug_is_refused(reader_store):
    with pytest.raises(UnknownSource):
        find_source(source_records(reader_store), "no-such-source")


# --- the page's markup ----------------------------------------------------------------------------------


class Markup(HTMLParser):
    """Checks that tags balance, and collects ids, scripts and the text of the reader's leaves."""

    VOID = {"meta", "link", "input", "br", "img"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.leaves: list[tuple[int, int, str]] = []
        self.tags: list[str] = []
        self._leaf: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "script":
            self.scripts.append(a)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "span" and "seg" in (a.get("class") or "").split() and "data-s" in a:
            self._leaf = [int(a["data-s"]), int(a["data-e"]), ""]

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()
        if self._leaf is not None and tag == "span":
            self.leaves.append(tuple(self._leaf))
            self._leaf = None

    def handle_data(self, data):
        if self._leaf is not None:
            self._leaf[2] += data


def data_island(html: str) -> str:
    """The text of the page's JSON data island."""
    found = re.search(r'<script type="application/json" id="reader-data">(.*?)</script>', html, re.S)
    assert found is not None
    return found.group(1)


def parse(html: str) -> Markup:
    m = Markup()
    m.feed(html)
    m.close()
    assert m.stack == []
    return m


def test_page_markup_is_well_formed_with_one_element_id_per_span(fixture_ann, brief):
    for ann in (fixture_ann, brief):
        html = render_reader(ann, ServiceLinks())
        m = parse(html)
        span_ids = [i for i in m.ids if i.startswith("ev-")]
        assert sorted(span_ids) == sorted(s.id for s in ann.spans)  # every span has exactly one id
        assert all(ann.text[s:e] == text for s, e, text in m.leaves)  # leaves hold the text, escaped and exact
        assert [(s, e) for s, e, _ in m.leaves] == [(g.start, g.end) for g in ann.segments if g.paragraph is not None]
    html = render_reader(fixture_ann, ServiceLinks())
    stance, policy = span_at(fixture_ann, "Alpha supports free trade"), span_at(
        fixture_ann, "free trade between the two states")
    assert html.count(f'data-span="{policy.id}"') == 2  # crossing: reopened as a continuation
    assert f'class="ev l-reported d1 cont" data-span="{policy.id}"' in html
    assert html.count(f'data-span="{stance.id}"') == 1


def test_hostile_text_and_labels_stay_inert_in_the_page(fixture_ann):
    html = render_reader(fixture_ann, ServiceLinks(search=True))
    m = parse(html)
    # the data island, the page's words and script, and the search box's script: nothing else runs
    assert [(s.get("type"), s.get("src")) for s in m.scripts] == [
        (None, "/static/search-box.js"), ("application/json", None), (None, "/view/static/srkg-words.js"),
        (None, "/view/static/srkg-reader.js")]
    assert "img" not in m.tags and "b" not in m.tags
    assert "<script>window" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt; &amp; music." in html
    assert "<title>Reader Brief &lt;b&gt;7&lt;/b&gt; &amp; Co. · source reader · srkg</title>" in html
    island = data_island(html)
    assert "<" not in island and ">" not in island and "&" not in island
    labels = [g["label"] for s in json.loads(island)["spans"].values() for g in s["grounds"]]
    assert HOSTILE_LABEL in labels


# --- the service: the JSON twin, the page, the links into the reader ----------------------------------------


@pytest.fixture(scope="module")
def service(reader_settings):
    with running_service(reader_settings, query_timeout_s=30) as url:
        yield url


def test_json_twin_returns_the_core_structure(service, fixture_ann):
    r = httpx.get(f"{service}/api/v1/sources/{FIXTURE}/annotations", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body == json.loads(TypeAdapter(SourceAnnotations).dump_json(fixture_ann))
    assert body["text"] == fixture_ann.text and len(body["spans"]) == 9
    assert body["coverage"] == {"sentences": 8, "quoted": 5, "boilerplate": 1, "not_quoted": 2}
    mixed = next(s for s in body["spans"] if s["quote"] == "Beta may oppose free trade in the long run")
    assert mixed["layer"] == "AuthorInference" and mixed["hedging"] == "Possible" and mixed["mixed"] is True
    schema = httpx.get(f"{service}/openapi.json", timeout=30).json()
    assert "/api/v1/sources/{slug}/annotations" in schema["paths"]


def test_unknown_slug_is_a_404_problem(service):
    r = httpx.get(f"{service}/api/v1/sources/no-such-source/annotations", timeout=30)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"].endswith("/unknown-source") and "no-such-source" in problem["detail"]
    assert httpx.get(f"{service}/api/v1/sources/no-such-source", timeout=30).json()["type"] == problem["type"]
    page = httpx.get(f"{service}/sources/no-such-source", timeout=30)
    assert page.status_code == 404 and "/sources" in page.json()["detail"]


def test_reader_page_and_source_list_on_the_service(service):
    r = httpx.get(f"{service}/sources/{FIXTURE}", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert f'href="/api/v1/sources/{FIXTURE}/annotations"' in r.text and 'action="/search"' in r.text
    listing = httpx.get(f"{service}/sources", timeout=30)
    assert listing.status_code == 200 and f'href="/sources/{FIXTURE}"' in listing.text
    assert "Reader Brief &lt;b&gt;7&lt;/b&gt; &amp; Co." in listing.text
    assert httpx.get(f"{service}/sources?offset=-1", timeout=30).status_code == 422
    view = httpx.get(f"{service}/view/source/{FIXTURE}", timeout=30).text
    assert f'href="/sources/{FIXTURE}">Read the text' in view


def test_evidence_links_into_the_reader(service):
    stance = httpx.get(f"{service}/api/v1/entities/reader-fixture/alpha-supports-free-trade", timeout=30).json()
    assert [e["reader"] for e in stance["evidence"]] == [f"/sources/{FIXTURE}#at-88-113"]
    beta = httpx.get(f"{service}/api/v1/entities/rx-beta", timeout=30).json()
    assert {e["reader"] for s in beta["stances_held"] for e in s["evidence"]} == {f"/sources/{FIXTURE}#at-206-232"}
    page = httpx.get(f"{service}/id/reader-fixture/alpha-supports-free-trade", timeout=30,
                     headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert f'<a class="in-context" href="/sources/{FIXTURE}#at-88-113">read in context</a>' in page.text


# --- the static export ----------------------------------------------------------------------------------


def export_site(settings: Settings, out: Path) -> Path:
    """Export the static site of ``settings`` into ``out``; the path of the fixture's reader page."""
    result = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "--store-dir", str(settings.store_dir),
                                      "visualise", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "sources" / f"{FIXTURE}.html"


def test_export_writes_a_reader_per_source_with_relative_links(reader_settings, tmp_path):
    out = tmp_path / "site"
    page = export_site(reader_settings, out)
    html = page.read_text(encoding="utf-8")
    m = parse(html)
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert hrefs and not [h for h in hrefs if h.startswith(("/", "http:", "https:"))], hrefs
    for h in hrefs:  # every asset and page it links to is in the export
        assert (page.parent / h.split("#")[0].replace("%25", "%")).resolve().is_file(), h
    assert 'role="search"' not in html and [s.get("src") for s in m.scripts] == [
        None, "../static/srkg-words.js", "../static/srkg-reader.js"]
    island = json.loads(data_island(html))
    links = {g["href"] for s in island["spans"].values() for g in s["grounds"]}
    assert "../entity/reader-fixture/alpha-supports-free-trade.html" in links
    assert all((page.parent / h).resolve().is_file() for h in links if h)
    listing = (out / "sources" / "index.html").read_text(encoding="utf-8")
    assert f'href="../sources/{FIXTURE}.html"' in listing
    assert f'href="../sources/{FIXTURE}.html">Read the text' in (out / "source" / f"{FIXTURE}.html").read_text()

