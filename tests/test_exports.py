"""Exports that analysts' tools open (``graph.read.exports``), read back with the libraries those tools use:
networkx for GraphML and GEXF, the csv module for the tables, citeproc-py for CSL-JSON and bibtexparser for
BibTeX; from ``srkg export --format …`` and from the real service's ``/api/v1/exports/…`` and
``/api/v1/sources/{slug}/citation``.

Assertions check the exports against the store and its projection, so they hold whatever the data grows into,
plus a few exact facts of PISM Spotlight 34/2024."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import httpx
import networkx as nx
import pytest
import schemathesis
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import author as split_authors
from bibtexparser.customization import splitname
from citeproc import Citation as CiteprocCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance
from schemathesis.core.result import Ok

from fixtures.servers import running_service
from graph import catalogue
from graph import namespaces as ns
from graph.cli import main as cli
from graph.read import exports
from graph.read.annotations import UnknownSource, slug_of
from graph.read.events import read_event_dates
from graph.read.projection import build_projection
from graph.settings import Settings
from graph.store import Store
from visualisation.reader import citation_links
from visualisation.render import ExportLinks, ServiceLinks

SLUG = "pism-spotlight-2024-34"
SOURCE = ns.SOURCE_ID_PREFIX + SLUG
#: attributes networkx's GEXF reader adds to an edge: the GEXF id, and networkx's key written as an attribute
GEXF_EDGE_EXTRAS = frozenset({"id"})
#: the Harvard style citeproc-py 0.11 bundles (it bundles no "harvard1")
STYLE = "harvard-cite-them-right"


@pytest.fixture(scope="module")
def g(store: Store) -> nx.MultiDiGraph:
    return build_projection(store)


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[httpx.Client]:
    with running_service(settings, query_timeout_s=30) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def export_cli(settings: Settings, fmt: str) -> bytes:
    """What ``srkg export --format fmt`` writes to stdout."""
    result = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "--store-dir", str(settings.store_dir),
                                      "export", "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def export_rest(client: httpx.Client, fmt: str) -> bytes:
    """The same export from the service: ``/api/v1/exports/<file>``, with its media type and file name."""
    spec = exports.EXPORTS[fmt]
    r = client.get(f"/api/v1/exports/{spec.file}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == spec.media_type
    assert r.headers["content-disposition"] == f'attachment; filename="{spec.file}"'
    return r.content


def source_text(settings: Settings, source: str) -> str:
    return (settings.data_dir / "sources" / slug_of(source) / "text.txt").read_text(encoding="utf-8")


# -- GraphML and GEXF -----------------------------------------------------------------------------------


def read_network(fmt: str, data: bytes) -> nx.Graph:
    """The network networkx reads from ``data`` (a MultiDiGraph when it has parallel edges, as ours has)."""
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    return nx.read_gexf(io.BytesIO(data))


def edge_multiset(g: nx.Graph, ignore: frozenset[str] = frozenset()) -> Counter:
    """Every edge as (source, target, its attributes but ``ignore``), counted."""
    return Counter((u, v, frozenset((k, x) for k, x in d.items() if k not in ignore)) for u, v, d in g.edges(data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("via", ["cli", "rest"])
def test_the_network_reads_back_with_every_attribute(fmt, via, settings, g, request):
    data = export_cli(settings, fmt) if via == "cli" else export_rest(request.getfixturevalue("client"), fmt)
    back = read_network(fmt, data)
    expected = exports.network_graph(g)
    assert isinstance(back, nx.MultiDiGraph)
    assert (len(back), back.number_of_edges()) == (len(g), g.number_of_edges())
    assert set(back) == set(g)
    for node, attributes in expected.nodes(data=True):
        assert back.nodes[node] == attributes, node
    ignore = GEXF_EDGE_EXTRAS if fmt == "gexf" else frozenset()
    assert edge_multiset(back, ignore) == edge_multiset(expected)
    if fmt == "graphml":  # GraphML keeps the export's edge keys as ids
        assert {k for _, _, k in back.edges(keys=True)} == {f"e{i}" for i in range(g.number_of_edges())}
    else:  # networkx writes the key as networkx_key, and reads it back as the key
        assert {k for _, _, k in back.edges(keys=True)} == {k for _, _, k in expected.edges(keys=True)}


def test_the_network_carries_the_projections_attributes_as_scalars(g):
    net = exports.network_graph(g)
    for d in [*(d for _, d in net.nodes(data=True)), *(d for _, _, d in net.edges(data=True))]:
        assert all(isinstance(v, str | bool | int | float) and v != "" for v in d.values()), d
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(g)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    degree = nx.degree_centrality(simple)
    for node, d in g.nodes(data=True):
        n = net.nodes[node]
        assert (n["label"], n["class"], n["class_iri"], n["group"]) == (d["label"], d["cls_label"], d["cls"],
                                                                       d["group"])
        for mine, theirs in (("polarity", "polarity"), ("layer", "attribution"), ("hedging", "hedging"),
                             ("hedged", "qualified")):
            assert n.get(mine) == d.get(theirs), (node, mine)
        assert n.get("evidence", "").split() == list(dict.fromkeys(e.iri for e in d["evidence"]))
        assert n["weight"] == pytest.approx(degree.get(node, 0.0))
    stance = ns.ID + "pism-spotlight-2024-34/stance-china-opposes-nato-expansion"
    edges = [d for u, v, d in net.edges(data=True) if d.get("stance") == stance]
    assert edges == [{"label": "Opposes", "predicate": "stance", "stance": stance, "polarity": "Opposes",
                      "layer": "ReportedFact", "hedged": False, "weight": 1.0,
                      "evidence": f"{SOURCE}/evidence/5802-5852"}]
    assert (net.nodes[ns.ID + "china"]["label"], net.nodes[ns.ID + "china"]["class"]) == ("China", "State")
    inferred = [d for _, _, d in net.edges(data=True) if "inferred" in d]
    assert inferred and all(d["inferred_reason"] for d in inferred)
    assert len(inferred) == sum(1 for _, _, d in g.edges(data=True) if d.get("inferred") is not None)


def test_text_that_xml_cannot_hold_is_dropped_not_written():
    hostile: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    hostile.add_node("x", label="bell\x07 and <tag> & \"quotes\"", cls_label="State", cls=ns.SRKG + "State",
                     group="actor", evidence=[])
    hostile.add_edge("x", "x", key="p", relation="loop\x00", predicate="p", evidence=[], inferred=None)
    for fmt, write in (("graphml", exports.graphml), ("gexf", exports.gexf)):
        back = read_network(fmt, write(hostile))
        assert back.nodes["x"]["label"] == "bell and <tag> & \"quotes\"", fmt
        assert next(iter(back.edges(data=True)))[2]["label"] == "loop"


# -- CSV --------------------------------------------------------------------------------------------------

TABLES = {"stances-csv": exports.STANCE_COLUMNS, "assessments-csv": exports.ASSESSMENT_COLUMNS,
          "events-csv": exports.EVENT_COLUMNS}


def expected_items(table: str, store: Store, g: nx.MultiDiGraph) -> dict[str, int]:
    """Each item a table lists, with its number of rows (one per piece of evidence, at least one)."""
    if table == "events-csv":
        iris = [i for i in read_event_dates(store) if i in g]
    else:
        group = "stance" if table == "stances-csv" else "assertion"
        iris = [n for n, d in g.nodes(data=True) if d["group"] == group]
    return {i: max(1, len({e.iri for e in g.nodes[i]["evidence"]})) for i in iris}


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("via", ["cli", "rest"])
def test_tables_read_back_with_each_quote_at_its_offsets(table, via, settings, store, g, request):
    data = export_cli(settings, table) if via == "cli" else export_rest(request.getfixturevalue("client"), table)
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == (*TABLES[table], *exports.EVIDENCE_COLUMNS)
    assert Counter(r["iri"] for r in rows) == expected_items(table, store, g)
    texts: dict[str, str] = {}
    for r in rows:
        assert None not in r and all(v is not None for v in r.values()), r  # every row has every column
        if not r["evidence"]:  # an item without evidence: one row, its evidence columns empty
            assert not g.nodes[r["iri"]]["evidence"] and r["quote"] == r["source"] == r["start"] == r["end"] == ""
            continue
        text = texts.setdefault(r["source"], source_text(settings, r["source"]))
        start, end = int(r["start"]), int(r["end"])
        assert 0 <= start < end <= len(text) and text[start:end] == r["quote"], r
        assert r["evidence"] in {e.iri for e in g.nodes[r["iri"]]["evidence"]}
        assert r["label"] == g.nodes[r["iri"]]["label"]
    for r in rows:  # the labels and the IRIs of a linked thing are in the same order
        for iris, labels in LINKED.items():
            if r.get(iris):
                assert r[labels].split("; ") == [g.nodes[i]["label"] for i in r[iris].split(" ")], (iris, r)
        if r.get("participant_iris"):
            assert [p.split(": ", 1)[1] for p in r["participants"].split("; ")] == [
                g.nodes[i]["label"] for i in r["participant_iris"].split(" ")]


#: the column of IRIs of each linked thing, and the column of their labels
LINKED = {"holder_iri": "holder", "target_iris": "targets", "expressed_in_iris": "expressed_in",
          "theme_iris": "themes", "author_iris": "authors", "about_iris": "about", "premise_iris": "premises",
          "place_iris": "places", "part_of_iris": "part_of"}


def rows_of(settings: Settings, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export_cli(settings, table).decode("utf-8"), newline="")))


def test_stance_rows_say_how_each_stance_is_held(settings, g):
    rows = rows_of(settings, "stances-csv")
    nato = [r for r in rows if r["iri"].endswith("/stance-china-opposes-nato-expansion")]
    assert [(r["holder"], r["holder_iri"], r["polarity"], r["targets"], r["layer"], r["hedging"], r["hedged"],
             r["quote"], r["start"], r["end"]) for r in nato] == [
        ("China", ns.ID + "china", "Opposes", "expansion of NATO", "ReportedFact", "", "false",
         "Russia and China also oppose the expansion of NATO", "5802", "5852")]
    view = next(r for r in rows if r["iri"].endswith("/stance-russia-opposes-ukraine-nato-membership"))
    assert (view["layer"], view["hedged"], view["cues"]) == ("ActorAttributed", "true", "In Russia's view")
    for r in rows:
        d = g.nodes[r["iri"]]
        assert (r["polarity"], r["layer"], r["hedging"]) == (d.get("polarity", ""), d.get("attribution", ""),
                                                             d.get("hedging", ""))
        assert r["hedged"] == ("true" if d.get("qualified") else "false")


def test_event_rows_give_dates_with_their_basis(settings):
    visit = [r for r in rows_of(settings, "events-csv") if r["iri"] == ns.ID + "putin-visit-china-2024"]
    assert visit and {(r["begin_date"], r["end_date"], r["begin_basis"], r["status"]) for r in visit} == {
        ("2024-05-16", "2024-05-17", "from the source's date", "Occurred")}
    assert "guest: Vladimir Putin" in visit[0]["participants"].split("; ")
    assert [int(r["start"]) for r in visit] == sorted(int(r["start"]) for r in visit)  # in the order of the text


def test_assessment_rows_give_kind_claim_and_cues(settings):
    rows = rows_of(settings, "assessments-csv")
    assert {r["kind"] for r in rows} <= {"Assessment", "ActorView", "Recommendation", "Assertion"}
    view = next(r for r in rows if r["iri"].endswith("/view-positive-assessment-xi-visit-france"))
    assert (view["kind"], view["holder"], view["layer"], view["cues"]) == (
        "ActorView", "China", "ActorAttributed", "the positive assessment of")
    assert view["claim"] == "The results of Xi's recent visit to France were positive."


def test_an_item_without_evidence_has_one_row_with_empty_evidence_columns():
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    g.add_node("s", label="a stance", group="stance", cls_label="Stance", polarity="Supports", evidence=[])
    table = exports.stances_table(g, {})
    assert [(r["iri"], r["quote"], r["start"]) for r in table.rows] == [("s", "", "")]
    assert list(csv.DictReader(io.StringIO(table.csv().decode(), newline="")))[0]["polarity"] == "Supports"


# -- citations --------------------------------------------------------------------------------------------


def render_harvard(items: list[dict]) -> list[str]:
    """The bibliography citeproc-py renders from CSL-JSON ``items`` in its bundled Harvard style; fails on any
    warning (citeproc-py warns about fields and types it does not know)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        source = CiteProcJSON(items)
        bibliography = CitationStylesBibliography(CitationStylesStyle(STYLE, validate=False), source, formatter.plain)
        for item in items:
            bibliography.register(CiteprocCitation([CitationItem(item["id"])]))
        return [str(entry) for entry in bibliography.bibliography()]


def parse_bibtex(data: str) -> list[dict[str, str]]:
    return bibtexparser.loads(data, parser=BibTexParser(common_strings=True)).entries


def test_csl_json_renders_with_citeproc(settings, store):
    items = json.loads(export_cli(settings, "csl-json"))
    assert isinstance(items, list) and [i["id"] for i in items] == sorted(c.slug for c in exports.citations(store))
    brief = next(i for i in items if i["id"] == SLUG)
    assert brief == {
        "id": SLUG, "type": "report", "title": "Putin's Visit to China — Strengthening Strategic Cooperation",
        "author": [{"family": "Dyner", "given": "Anna Maria"}, {"family": "Przychodniak", "given": "Marcin"}],
        "issued": {"date-parts": [[2024, 5, 21]]}, "publisher": "Polish Institute of International Affairs",
        "collection-title": "PISM Spotlight", "number": "34/2024", "language": "en"}
    assert render_harvard([brief]) == [
        "Dyner, A.M. and Przychodniak, M. (2024) Putin's Visit to China — Strengthening Strategic Cooperation. "
        "34/2024. Polish Institute of International Affairs."]
    assert len(render_harvard(items)) == len(items)


def test_bibtex_parses_with_bibtexparser(settings, store):
    entries = parse_bibtex(export_cli(settings, "bibtex").decode("utf-8"))
    assert [e["ID"] for e in entries] == sorted(c.slug for c in exports.citations(store))
    brief = next(e for e in entries if e["ID"] == SLUG)
    assert brief == {
        "ENTRYTYPE": "techreport", "ID": SLUG, "author": "Dyner, Anna Maria and Przychodniak, Marcin",
        "title": "{Putin's Visit to China — Strengthening Strategic Cooperation}",
        "institution": "Polish Institute of International Affairs", "type": "PISM Spotlight", "number": "34/2024",
        "year": "2024", "month": "May", "date": "2024-05-21"}
    assert [splitname(a) for a in split_authors(dict(brief))["author"]] == [
        {"first": ["Anna", "Maria"], "last": ["Dyner"], "von": [], "jr": []},
        {"first": ["Marcin"], "last": ["Przychodniak"], "von": [], "jr": []}]


def test_authors_come_in_the_order_of_the_byline(store):
    brief = exports.find_citation(exports.citations(store), SLUG)
    assert [a.name for a in brief.authors] == ["Anna Maria Dyner", "Marcin Przychodniak"]
    assert brief.identifier == "PISM Spotlight No. 34/2024" and brief.date == "2024-05-21"
    with pytest.raises(UnknownSource):
        exports.find_citation(exports.citations(store), "no-such-source")


def bibtex_names(field: str) -> list[str]:
    """The names of a BibTeX name list, split as BibTeX splits them: at " and " outside braces (bibtexparser's
    ``author`` customisation splits at every " and ", braced or not)."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(field):
        depth += {"{": 1, "}": -1}.get(field[i], 0)
        if depth == 0 and field[i:i + 5].lower() == " and ":
            names.append(field[start:i])
            start = i = i + 5
            continue
        i += 1
    return [*names, field[start:]]


#: every character TeX treats specially, and "}@misc{" that would end an entry and start another
HOSTILE = r"50% of {braces} & $dollars$ #1 under_score ~tilde ^caret back\slash }@misc{evil,"


def _untex(value: str) -> str:
    for plain, escaped in exports._TEX.items():  # the inverse of the escape table (a test-only helper)
        value = value.replace(escaped, "\x00" + plain)
    return value.replace("\x00", "")


def test_bibtex_escapes_what_tex_treats_specially():
    c = exports.Citation(iri=ns.SOURCE_ID_PREFIX + "hostile note", slug="hostile note", title=HOSTILE,
                         authors=(exports.Creator("Anna and Maria Dyner-Kowalska"), exports.Creator("Smith and Sons",
                                                                                                     person=False),
                                  exports.Creator("Plato")),
                         publisher="R&D {Institute}", date="2024", language=None, series="Notes_1", number="#7",
                         identifier=None)
    entries = parse_bibtex(exports.bibtex([c]).decode("utf-8"))
    assert len(entries) == 1, entries  # nothing in a value ends the entry
    entry = entries[0]
    assert entry["ID"] == "hostile-note" and "month" not in entry and entry["year"] == "2024"
    assert _untex(entry["title"][1:-1]) == HOSTILE
    assert _untex(entry["institution"]) == "R&D {Institute}"
    assert (_untex(entry["type"]), _untex(entry["number"])) == ("Notes_1", "#7")
    names = bibtex_names(entry["author"])
    assert names == ["Dyner-Kowalska, {Anna and Maria}", "{Smith and Sons}", "{Plato}"]
    assert [splitname(n) for n in names] == [
        {"first": ["{Anna and Maria}"], "last": ["Dyner-Kowalska"], "von": [], "jr": []},
        {"first": [], "last": ["{Smith and Sons}"], "von": [], "jr": []},
        {"first": [], "last": ["{Plato}"], "von": [], "jr": []}]
    item = exports.csl_item(c)
    assert item["author"] == [{"family": "Dyner-Kowalska", "given": "Anna and Maria"}, {"literal": "Smith and Sons"},
                              {"literal": "Plato"}]
    assert item["issued"] == {"date-parts": [[2024]]} and item["title"] == HOSTILE
    assert render_harvard([item])


def test_a_name_written_family_first_splits_at_its_comma():
    assert exports.Creator("Dyner, Anna Maria").parts() == ("Anna Maria", "Dyner")
    assert exports.Creator("Anna  Maria   Dyner").parts() == ("Anna Maria", "Dyner")
    assert exports.date_parts("2024-05") == [2024, 5] and exports.date_parts(None) == []


# -- REST and the command line ----------------------------------------------------------------------------


def test_a_sources_citation_from_rest_is_the_commands(client, settings):
    for fmt, media, extension in (("csl-json", exports.CSL_JSON, "json"), ("bibtex", exports.BIBTEX, "bib")):
        r = client.get(f"/api/v1/sources/{SLUG}/citation", params={"format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
        assert r.headers["content-disposition"] == f'attachment; filename="{SLUG}.{extension}"'
        one = json.loads(r.content) if fmt == "csl-json" else parse_bibtex(r.text)
        every = json.loads(export_cli(settings, fmt)) if fmt == "csl-json" else parse_bibtex(
            export_cli(settings, fmt).decode())
        assert one == [x for x in every if x.get("id", x.get("ID")) == SLUG]
    negotiated = client.get(f"/api/v1/sources/{SLUG}/citation", headers={"Accept": "application/x-bibtex"})
    assert negotiated.headers["content-type"].startswith(exports.BIBTEX) and negotiated.text.startswith("@techreport")
    default = client.get(f"/api/v1/sources/{SLUG}/citation")
    assert default.headers["content-type"] == exports.CSL_JSON and json.loads(default.content)[0]["id"] == SLUG


def test_an_unknown_slug_is_a_404_problem(client):
    r = client.get("/api/v1/sources/no-such-source/citation", params={"format": "bibtex"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"].endswith("/unknown-source") and "'no-such-source'" in problem["detail"]


def test_an_unknown_format_is_a_clear_error(client, settings):
    r = client.get(f"/api/v1/sources/{SLUG}/citation", params={"format": "ris"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "'csl-json' or 'bibtex'" in r.json()["detail"]
    r = client.get(f"/api/v1/sources/{SLUG}/citation", headers={"Accept": "application/x-research-info-systems"})
    assert r.status_code == 406 and exports.BIBTEX in r.json()["offered"]
    r = client.get("/api/v1/exports/network.dot")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/unknown-export") and "network.gexf" in r.json()["detail"]
    result = CliRunner().invoke(cli, ["--store-dir", str(settings.store_dir), "export", "--format", "dot"])
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'dot' is not one of" in result.output and "'gexf'" in result.output


def test_the_list_of_exports_links_each_with_its_media_type(client):
    listed = client.get("/api/v1/exports").json()
    assert [e["format"] for e in listed] == list(exports.EXPORTS)
    for e in listed:
        r = client.get(e["path"])
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == e["media_type"], e


def test_the_openapi_schema_documents_each_media_type(client):
    paths = client.get("/openapi.json").json()["paths"]
    for spec in exports.EXPORTS.values():
        responses = paths[f"/api/v1/exports/{spec.file}"]["get"]["responses"]
        assert set(responses["200"]["content"]) == {spec.media_type}, spec.name
        assert "application/problem+json" in responses["404"]["content"]  # as PROBLEM_RESPONSES documents it
    citation = paths["/api/v1/sources/{slug}/citation"]["get"]
    assert set(citation["responses"]["200"]["content"]) == {exports.CSL_JSON, exports.BIBTEX}
    assert "/api/v1/exports/{name}" not in paths


def test_the_export_operations_conform_to_their_schema(client):
    """Schemathesis calls each export operation with generated requests: no 500s, every response as documented."""
    schema = schemathesis.openapi.from_url(str(client.base_url) + "/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    operations = [op for op in operations if op.path.startswith("/api/v1/exports") or op.path.endswith("/citation")]
    assert len(operations) == len(exports.EXPORTS) + 2
    for op in operations:
        @given(case=op.as_strategy())
        @hsettings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate], database=None,
                   suppress_health_check=list(HealthCheck))
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=str(client.base_url), timeout=60,
                                   checks=[not_a_server_error, response_schema_conformance, content_type_conformance])

        fuzz()


# -- the source reader ------------------------------------------------------------------------------------


def test_the_reader_links_the_citations_where_the_service_serves_them(client):
    page = client.get(f"/sources/{SLUG}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    for href in (f"/api/v1/sources/{SLUG}/citation?format=bibtex", f"/api/v1/sources/{SLUG}/citation?format=csl-json"):
        assert f'href="{href}"' in page.text
        assert client.get(href).status_code == 200
    # the static export has no REST API: it links no citation (srkg visualise writes no citation files)
    assert citation_links(SLUG, ExportLinks(page=f"sources/{SLUG}.html")) == []
    assert [name for name, _ in citation_links(SLUG, ServiceLinks())] == ["BibTeX", "CSL-JSON"]


def test_the_catalogue_query_of_citations_is_documented():
    q = catalogue.get("exports/source-citations")
    assert q.title and q.description and "graph/read/exports.py" in q.description
    assert Path(q.path).parent.name == "exports"
