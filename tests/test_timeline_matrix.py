"""The timeline and the stance matrix: the core (:mod:`graph.read.timeline`, :mod:`graph.read.stance_matrix`) on the
real brief's store, their REST twins (``/api/v1/timeline``, ``/api/v1/stances/matrix`` in JSON and CSV) and
pages over a real service, and the static export.

Expectations come from the store itself (SPARQL over the built graph), so they hold as the data grows;
the browser tests are in ``test_timeline_matrix_browser.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re

import httpx
import networkx as nx
import pytest
from click.testing import CliRunner

from fixtures.servers import running_service
from graph import namespaces as ns
from graph.cli import main as cli
from graph.read import stance_matrix, timeline
from graph.read.events import EventDates, read_event_dates
from graph.read.projection import build_projection
from graph.store import Store

VISIT = ns.ID + "putin-visit-china-2024"
RUSSIA, CHINA = ns.ID + "russia", ns.ID + "china"
ROLES = "srkg:host srkg:guest srkg:participant srkg:accompaniedBy sem:hasActor"


@pytest.fixture(scope="module")
def g(store):
    return build_projection(store)


@pytest.fixture(scope="module")
def events(g, store):
    return timeline.build_index(g, read_event_dates(store))


@pytest.fixture(scope="module")
def positions(g):
    return stance_matrix.build_index(g)


@pytest.fixture(scope="module")
def client(settings):
    with running_service(settings, query_timeout_s=30) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def _iris(store: Store, query: str) -> set[str]:
    return {str(r["e"]) for r in store.select(query)}


def _dated(store: Store, where: str = "") -> set[str]:
    return _iris(store, f"SELECT DISTINCT ?e WHERE {{ ?e a srkg:Event ; sem:hasBeginTimeStamp ?b . {where} }}")


# --- the timeline's core ---------------------------------------------------------------------------------


def test_the_visit_is_on_the_timeline_with_its_days_and_status(events, store):
    found = timeline.timeline(events)
    assert {i.event.iri for i in found.items} == _dated(store) and found.omitted == 0
    visit = next(i for i in found.items if i.event.iri == VISIT)
    assert (visit.event.begin, visit.event.end, visit.event.status) == ("2024-05-16", "2024-05-17", "Occurred")
    assert (visit.start, visit.end) == (dt.date(2024, 5, 16), dt.date(2024, 5, 18))  # the end is exclusive
    assert [i.start for i in found.items] == sorted(i.start for i in found.items)
    undated = _iris(store, "SELECT ?e WHERE { ?e a srkg:Event FILTER NOT EXISTS { ?e sem:hasBeginTimeStamp ?b } }")
    assert {r.iri for r in found.undated} == undated and found.undated_total == len(undated)


def test_sub_events_nest_under_the_visit(events, store):
    found = timeline.timeline(events)
    groups = {grp.event.iri: grp for grp in found.groups}
    assert VISIT in groups and groups[VISIT].on_axis and VISIT in groups[VISIT].items

    def subtree(iri: str) -> set[str]:
        grp = groups[iri]
        return set(grp.items) | {e for child in grp.nested for e in subtree(child)} | set(grp.nested)

    parts = _iris(store, f"SELECT ?e WHERE {{ ?e sem:subEventOf+ <{VISIT}> }}")
    dated_parts = parts & _dated(store)
    assert dated_parts, "the visit has dated sub-events (the talks in a tight circle, the dinner)"
    assert dated_parts <= subtree(VISIT)
    # an undated sub-event with dated sub-events of its own still heads a group: Putin's talks in Beijing
    talks = ns.ID + "putin-talks-beijing-2024"
    assert talks in groups[VISIT].nested and not groups[talks].on_axis
    dinner, circle = ns.ID + "putin-xi-dinner-2024-05-16", ns.ID + "putin-xi-talks-tight-circle-2024"
    assert circle in groups[talks].nested and dinner in groups[circle].items
    # the dinner is part of the tight-circle talks, which are part of the talks and the visit: it nests under
    # the most specific of them
    item = next(i for i in found.items if i.event.iri == dinner)
    assert item.parent == circle and item.row == circle
    assert [grp.event.iri for grp in found.groups].index(VISIT) < [grp.event.iri for grp in found.groups].index(talks)


def test_inferred_dates_are_flagged_with_their_basis(events, store):
    found = timeline.timeline(events)
    rows = store.select("""SELECT ?e ?basis WHERE { ?f a srkg:InferredFact ; rdf:subject ?e ;
        rdf:predicate sem:hasBeginTimeStamp ; srkg:basis/rdfs:label ?basis }""")
    inferred = {str(r["e"]): str(r["basis"]) for r in rows}
    assert VISIT in inferred, "the visit's year is inferred from the brief's date (README, Fidelity)"
    for item in found.items:
        mark = item.event.begin_inferred
        assert (mark.basis if mark else None) == inferred.get(item.event.iri), item.event.iri
    visit = next(i for i in found.items if i.event.iri == VISIT)
    assert visit.event.begin_inferred and "21 May 2024" in visit.event.begin_inferred.reason


@pytest.mark.parametrize("kind, name, where", [
    ("actor", "xi-jinping", f"VALUES ?role {{ {ROLES} }} ?e ?role id:xi-jinping ."),
    ("theme", "theme-diplomacy", "?e srkg:theme id:theme-diplomacy ."),
    ("source", "pism-spotlight-2024-34", "?e srkg:evidence/oa:hasSource id:source\\/pism-spotlight-2024-34 ."),
])
def test_filters_keep_the_events_that_have_the_value(events, store, kind, name, where):
    chosen = timeline.resolve_filter(events, **{kind: name})
    found = timeline.timeline(events, chosen)
    expected = _dated(store, where)
    assert expected and {i.event.iri for i in found.items} == expected
    assert found.total == len(expected)
    assert all(i.row is None or i.row in {grp.event.iri for grp in found.groups} for i in found.items)


def test_filters_combine_and_unknown_values_are_named(events, store):
    both = timeline.timeline(events, timeline.resolve_filter(events, actor="vladimir-putin", theme="theme-diplomacy"))
    expected = _dated(store, f"VALUES ?role {{ {ROLES} }} ?e ?role id:vladimir-putin ; srkg:theme id:theme-diplomacy .")
    assert {i.event.iri for i in both.items} == expected
    for kind in timeline.FILTERS:
        with pytest.raises(timeline.UnknownFilterValue, match="no-such-thing"):
            timeline.resolve_filter(events, **{kind: "no-such-thing"})
    assert timeline.timeline(events, timeline.resolve_filter(events, actor="sweden")).items == []  # known, no event


def test_the_limit_keeps_the_most_recent_events(events):
    everything = timeline.timeline(events)
    two = timeline.timeline(events, limit=2)
    assert len(two.items) == 2 and two.omitted == everything.total - 2
    assert {i.event.iri for i in two.items} == {i.event.iri for i in sorted(
        everything.items, key=lambda i: (i.start, i.end, i.event.iri), reverse=True)[:2]}


def test_a_cycle_of_sub_events_does_not_hang_and_nests_as_a_forest():
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for name in ("a", "b", "c"):
        g.add_node(ns.ID + name, label=name, cls_label="Event", group="event", evidence=[])
    for child, parent in (("a", "b"), ("b", "c"), ("c", "a")):
        g.add_edge(ns.ID + child, ns.ID + parent, key=ns.SEM + "subEventOf", predicate=ns.SEM + "subEventOf",
                   inferred=None)
    dates = {ns.ID + n: EventDates("2024-01-0" + str(i + 1), None, "Occurred") for i, n in enumerate("abc")}
    found = timeline.timeline(timeline.build_index(g, dates))
    assert len(found.items) == 3
    roots = [grp for grp in found.groups if grp.parent is None]
    assert len(roots) == 1 and len(found.groups) == 2  # the cycle is cut once: a chain of three


# --- the stance matrix's core -----------------------------------------------------------------------------


def _stances(store: Store) -> list[dict]:
    return [dict(r) for r in store.select("""SELECT ?s ?holder ?target ?qualified ?source WHERE {
        ?s a srkg:Stance ; srkg:holder ?holder ; srkg:target ?target ; srkg:evidence/oa:hasSource ?source .
        OPTIONAL { ?s a srkg:QualifiedAssertion . BIND (true AS ?qualified) } }""")]


def test_matrix_cells_hold_every_stance_with_its_sources(positions, store):
    rows = _stances(store)
    found = stance_matrix.matrix(positions, holders=stance_matrix.MAX_AXIS, targets=stance_matrix.MAX_AXIS)
    expected: dict[tuple[str, str], set[str]] = {}
    sources: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        key = (str(r["holder"]), str(r["target"]))
        expected.setdefault(key, set()).add(str(r["s"]))
        sources.setdefault(key, set()).add(str(r["source"]))
    assert {k: {s.iri for s in c.stances} for k, c in found.cells.items()} == expected
    assert {k: len(c.sources) for k, c in found.cells.items()} == {k: len(v) for k, v in sources.items()}
    assert [h.iri for h in found.holders][:2] == [RUSSIA, CHINA]  # most stances first
    assert found.omitted_holders == found.omitted_targets == 0


def test_hedged_and_inferred_positions_are_marked_never_plain(positions, store):
    qualified = {str(r["s"]) for r in _stances(store) if r.get("qualified") is not None}
    assert qualified
    for cell in positions.cells.values():
        for reading in cell.readings:
            if set(reading.stances) & qualified:
                assert not reading.plain and reading.qualifiers
                assert re.search(r"[~‡†?]", reading.text), reading.text
            else:
                assert reading.plain and reading.text in {"+ supports", "\u2212 opposes", "\u2713 commits to"}
    world_order = positions.cells[(CHINA, ns.ID + "new-world-order")]
    assert [r.text for r in world_order.readings] == ["+ supports \u2021 the authors' inference"]
    nato = positions.cells[(RUSSIA, ns.ID + "ukraine-membership-of-nato")]
    assert [r.text for r in nato.readings] == ["\u2212 opposes \u2020 an actor's view"]


def test_align_russia_and_china(positions, store):
    aligned = stance_matrix.align(positions, RUSSIA, CHINA)
    rows = _stances(store)
    russia = {str(r["target"]) for r in rows if str(r["holder"]) == RUSSIA}
    china = {str(r["target"]) for r in rows if str(r["holder"]) == CHINA}
    by = {c: {r.target.iri for r in aligned.rows if r.category == c} for c in stance_matrix.CATEGORIES}
    assert by["only-a"] == russia - china and by["only-a"]
    assert by["only-b"] == china - russia and by["only-b"]
    assert by["both-support"] | by["both-oppose"] | by["differ"] == russia & china
    assert ns.ID + "nato-expansion" in by["both-oppose"] and ns.ID + "coop-climate-change" in by["both-support"]
    assert ns.ID + "chinese-claims-taiwan" in by["only-a"] and ns.ID + "russian-war-economy" in by["only-b"]
    assert aligned.heading("only-a") == "Only Russia takes a position"
    only_b = next(r for r in aligned.rows if r.target.iri == ns.ID + "russian-war-economy")
    assert only_b.a is None and only_b.b is not None and not only_b.b.plain  # the authors' inference, marked
    with pytest.raises(stance_matrix.UnknownActor, match="atlantis"):
        stance_matrix.resolve_actors(positions, "russia", "atlantis")
    assert stance_matrix.resolve_actors(positions, "russia", "china") == (RUSSIA, CHINA)
    assert stance_matrix.resolve_actors(positions, None, "russia") == (RUSSIA,)
    assert stance_matrix.resolve_actors(positions, "russia", "russia") == (RUSSIA,)
    assert stance_matrix.resolve_actors(positions, None, "") == ()


def test_one_actors_row(positions, store):
    """One actor named: its row of the matrix, a column for every target it takes a position on."""
    row = stance_matrix.actor_row(positions, RUSSIA)
    russia = {str(r["target"]) for r in _stances(store) if str(r["holder"]) == RUSSIA}
    assert [h.iri for h in row.holders] == [RUSSIA] and row.holders_total == 1
    assert {t.iri for t in row.targets} == russia == {t for (_, t) in row.cells} and row.targets_total == len(russia)
    assert row.cells == {k: c for k, c in positions.cells.items() if k[0] == RUSSIA}
    assert len(stance_matrix.actor_row(positions, RUSSIA, targets=2).targets) == 2


# --- the REST twins and the pages, over a real service ----------------------------------------------------


def test_timeline_json_twin(client, events):
    body = client.get("/api/v1/timeline").json()
    core = timeline.timeline(events)
    assert [e["iri"] for e in body["events"]] == [i.event.iri for i in core.items]
    visit = next(e for e in body["events"] if e["iri"] == VISIT)
    assert visit["begin"] == "2024-05-16" and visit["axis_end"] == "2024-05-18" and visit["status"] == "Occurred"
    core_visit = next(i.event for i in core.items if i.event.iri == VISIT)
    assert core_visit.begin_inferred and visit["begin_inferred"]["basis"] == core_visit.begin_inferred.basis
    assert visit["prospective"] is False and visit["sources"][0]["iri"].endswith("pism-spotlight-2024-34")
    assert {p["role"] for p in visit["participants"]} >= {"guest", "host"}
    groups = {grp["event"]["iri"]: grp for grp in body["groups"]}
    assert ns.ID + "putin-talks-beijing-2024" in groups[VISIT]["nested"]
    dinner = next(e for e in body["events"] if e["iri"].endswith("putin-xi-dinner-2024-05-16"))
    assert dinner["parent"]["iri"].endswith("putin-xi-talks-tight-circle-2024")
    circle = next(e for e in body["events"] if e["iri"].endswith("putin-xi-talks-tight-circle-2024"))
    part_of = {p["event"]["iri"]: p["inferred"] for p in circle["part_of"]}
    assert part_of[VISIT] is None  # stated
    assert part_of[ns.ID + "putin-talks-beijing-2024"]["basis"]  # the curators' reading, with its basis
    assert {f["id"] for f in body["facets"]["actor"]} >= {"vladimir-putin", "china"}


def test_timeline_json_filters_and_problems(client):
    xi = client.get("/api/v1/timeline", params={"actor": "xi-jinping"}).json()
    assert xi["events"] and all("xi-jinping" in {p["entity"]["iri"].rsplit("/", 1)[1] for p in e["participants"]}
                                for e in xi["events"])
    assert xi["filters"]["actor"] == ns.ID + "xi-jinping"
    for kind in ("actor", "theme", "source"):
        r = client.get("/api/v1/timeline", params={kind: "no-such-thing"})
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
        assert "no-such-thing" in r.json()["detail"] and r.json()["title"] == f"Unknown {kind}"
    assert client.get("/api/v1/timeline", params={"limit": 0}).status_code == 422


def test_matrix_json_twin_and_align_mode(client, positions):
    whole = client.get("/api/v1/stances/matrix").json()
    assert whole["mode"] == "matrix" and whole["holders"][0]["id"] == "russia"
    assert len(whole["cells"]) == len(positions.cells)
    hedged = [c for c in whole["cells"] if not c["plain"]]
    assert hedged and all(not r["plain"] and r["symbols"][1:] for c in hedged for r in c["readings"])
    evidence = whole["cells"][0]["stances"][0]["evidence"][0]
    assert evidence["reader"] == f"/sources/pism-spotlight-2024-34#at-{evidence['start']}-{evidence['end']}"
    aligned = client.get("/api/v1/stances/matrix", params={"a": "russia", "b": "china"}).json()
    assert aligned["mode"] == "align" and aligned["a"]["id"] == "russia" and aligned["b"]["id"] == "china"
    only = {c: [r["target"]["id"] for r in aligned["rows"] if r["category"] == c] for c in ("only-a", "only-b")}
    expected = stance_matrix.align(positions, RUSSIA, CHINA)
    assert only["only-a"] == [r.target.iri.rsplit("/", 1)[1] for r in expected.rows if r.category == "only-a"]
    assert "russian-war-economy" in only["only-b"] and aligned["counts"]["only-b"] == len(only["only-b"])
    assert all(r["a"] is None for r in aligned["rows"] if r["category"] == "only-b")
    assert aligned["headings"]["only-a"] == "Only Russia takes a position"


def test_matrix_csv_parses_and_matches_the_json(client):
    aligned = client.get("/api/v1/stances/matrix", params={"a": "russia", "b": "china"}).json()
    for request in ({"headers": {"Accept": "text/csv"}}, {"params": {"format": "csv"}}):
        params = {"a": "russia", "b": "china", **request.get("params", {})}
        r = client.get("/api/v1/stances/matrix", params=params, headers=request.get("headers"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [row["target_id"] for row in rows] == [row["target"]["id"] for row in aligned["rows"]]
        only_b = [row for row in rows if row["category"] == "only-b"]
        assert only_b and all(row["a_readings"] == "" and row["b_readings"] for row in only_b)
    whole = list(csv.DictReader(io.StringIO(client.get("/api/v1/stances/matrix",
                                                       headers={"Accept": "text/csv"}).text)))
    cell = next(row for row in whole if row["holder_id"] == "china" and row["target_id"] == "new-world-order")
    assert cell["readings"] == "+ supports \u2021 the authors' inference" and cell["sources"] == "1"
    assert client.get("/api/v1/stances/matrix", headers={"Accept": "image/png"}).status_code == 406


def test_matrix_problems(client):
    r = client.get("/api/v1/stances/matrix", params={"a": "russia", "b": "atlantis"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert "atlantis" in r.json()["detail"]
    for one in ({"a": "russia"}, {"b": "russia"}, {"a": "russia", "b": "russia"}):
        r = client.get("/api/v1/stances/matrix", params=one)
        assert r.status_code == 200 and [h["id"] for h in r.json()["holders"]] == ["russia"], one
        page = client.get("/view/stances/matrix", params=one)
        assert page.status_code == 200 and 'value="russia" selected' in page.text, one
    page = client.get("/view/stances/matrix", params={"a": "atlantis", "b": "russia"})
    assert page.status_code == 404 and "atlantis" in page.json()["detail"]
    assert client.get("/view/timeline", params={"theme": "no-such-theme"}).status_code == 404


def test_pages_are_accessible_tables_and_link_each_other(client):
    html = client.get("/view/stances/matrix").text
    assert '<th scope="col"' in html and '<th scope="row"' in html and "<caption" in html
    assert "+ supports" in html and "\u2021 the authors&#39; inference" in html and 'id="srkg-legend"' in html
    assert re.search(r'href="/sources/pism-spotlight-2024-34#at-\d+-\d+"', html)
    assert 'class="search" role="search" action="/search"' in html and '/static/search-box.js' in html
    aligned = client.get("/view/stances/matrix", params={"a": "russia", "b": "china"})
    assert 'id="only-a"' in aligned.text and "Only China takes a position" in aligned.text
    assert aligned.headers["content-security-policy"].startswith("default-src 'none'")
    page = client.get("/view/timeline")
    assert page.status_code == 200 and 'id="srkg-data"' in page.text and "vis-timeline-graph2d.min.js" in page.text
    for view in ("/view/overview", "/view/stances", "/view/timeline", "/view/stances/matrix"):
        text = client.get(view).text
        assert 'href="/view/timeline"' in text and 'href="/view/stances/matrix"' in text, view


# --- the static export ------------------------------------------------------------------------------------


def test_export_writes_the_timeline_and_the_matrix(settings, tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["--store-dir", str(settings.store_dir), "visualise", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("timeline.html", "stances-matrix.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert 'role="search"' not in html and "search-box.js" not in html  # no service to search
        for url in re.findall(r'(?:src|href)="([^"#]+)', html):
            assert not re.match(r"^[a-z]+:|^/", url), (name, url)  # relative links only
            if url.startswith("static/") or url.startswith("entity/"):
                assert (out / url).is_file(), (name, url)
    timeline_html = (out / "timeline.html").read_text(encoding="utf-8")
    assert VISIT in timeline_html and "entity/putin-visit-china-2024.html" in timeline_html
    assert "Only Russia" not in (out / "stances-matrix.html").read_text(encoding="utf-8")
    assert (out / "static" / "vis-timeline-graph2d.min.js").is_file()
    assert (out / "static" / "srkg-timeline.js").is_file() and (out / "static" / "srkg-pages.css").is_file()


def test_the_vendored_vis_timeline_is_the_recorded_one():
    from visualisation.render import STATIC_DIR

    record = (STATIC_DIR / "VENDOR.md").read_text(encoding="utf-8").split("## vis-timeline", 1)[1]
    digest = hashlib.sha256((STATIC_DIR / "vis-timeline-graph2d.min.js").read_bytes()).hexdigest()
    assert f"`{digest}`" in record and "vis-timeline-8.5.4.tgz" in record
    assert "MIT License" in (STATIC_DIR / "vis-timeline-LICENSE-MIT.txt").read_text(encoding="utf-8")
