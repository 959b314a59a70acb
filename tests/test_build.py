"""The build pipeline on the real data: named graphs, entailments, evidence, export."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import rdflib

from graph import namespaces as ns
from graph.build import build
from graph.coverage import coverage
from graph.settings import Settings
from graph.store import Store, open_store
from graph.store.base import to_int
from graph.store.embedded import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"

SRKG = rdflib.Namespace(ns.SRKG)


def test_every_layer_has_its_own_named_graph(store: EmbeddedStore) -> None:
    graphs = store.graphs()
    for g in (ns.ONTOLOGY_GRAPH, ns.REFERENCE_GRAPH, ns.INFERRED_GRAPH, ns.SHORTCUTS_GRAPH,
              ns.source_graph("pism-spotlight-2024-34")):
        assert graphs.get(g, 0) > 0, g


def test_rdfs_entailment_finds_states_and_persons_as_actors(store: EmbeddedStore) -> None:
    actors = {str(r["a"]) for r in store.select("SELECT ?a WHERE { ?a a srkg:Actor }")}
    assert ns.ID + "russia" in actors  # a srkg:State
    assert ns.ID + "vladimir-putin" in actors  # a srkg:Person
    assert ns.ID + "eu" in actors  # a srkg:InternationalOrganisation
    # the entailments sit in their own graph, not in the data graphs
    assert store.ask(f"ASK {{ GRAPH <{ns.INFERRED_GRAPH}> {{ <{ns.ID}russia> a srkg:Actor }} }}")
    assert not store.ask(f"ASK {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ <{ns.ID}russia> a srkg:Actor }} }}")


def test_sub_property_entailment(store: EmbeddedStore) -> None:
    assert store.ask(f"ASK {{ <{ns.ID}putin-visit-china-2024> sem:hasActor <{ns.ID}vladimir-putin> }}")


def test_every_quote_is_verbatim_at_its_offsets(store: EmbeddedStore, settings: Settings) -> None:
    text = (settings.data_dir / "sources" / "pism-spotlight-2024-34" / "text.txt").read_text(encoding="utf-8")
    rows = store.select("""
        SELECT ?ev ?exact ?start ?end WHERE {
          ?ev a srkg:Evidence ; oa:hasSource ?src ;
              oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?exact ] ,
                             [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] .
        }""", src=ns.SOURCE_ID_PREFIX + "pism-spotlight-2024-34")
    assert len(rows) > 0
    for r in rows:
        assert text[to_int(r["start"]):to_int(r["end"])] == str(r["exact"]), r["ev"]


def test_srkg_quote_shorthand_never_reaches_the_store(store: EmbeddedStore) -> None:
    assert not store.ask("ASK { ?s srkg:quote ?q }")


def test_export_nquads_holds_every_graph_and_verbatim_quotes(settings: Settings) -> None:
    out = subprocess.run([sys.executable, "-m", "graph.cli", "--store-dir", str(settings.store_dir),
                          "export", "--format", "nquads"], capture_output=True, check=True)
    ds = rdflib.Dataset()
    ds.parse(data=out.stdout, format="nquads")
    graphs = {str(c.identifier) for c in ds.graphs()}
    assert {ns.ONTOLOGY_GRAPH, ns.REFERENCE_GRAPH, ns.INFERRED_GRAPH,
            ns.source_graph("pism-spotlight-2024-34")} <= graphs
    text = (settings.data_dir / "sources" / "pism-spotlight-2024-34" / "text.txt").read_text(encoding="utf-8")
    OA = rdflib.Namespace(ns.OA)
    exacts = [o for _, _, o, _ in ds.quads((None, OA.exact, None, None))]
    assert exacts
    for exact in exacts:
        assert str(exact) in text


def test_export_formats_parse_back(settings: Settings, tmp_path: Path) -> None:
    with open_store(settings, read_only=True) as store:
        expected = len(store)
    for fmt, parse_as in [("trig", "trig"), ("jsonld", "json-ld"), ("nquads", "nquads")]:
        out = tmp_path / f"dump.{fmt}"
        subprocess.run([sys.executable, "-m", "graph.cli", "--store-dir", str(settings.store_dir),
                        "export", "--format", fmt, "--out", str(out)], check=True, capture_output=True)
        ds = rdflib.Dataset()
        ds.parse(out, format=parse_as)
        assert len({(s, p, o, str(g)) for s, p, o, g in ds.quads()}) == expected, fmt


def test_a_second_source_is_just_a_folder(data_copy: Settings) -> None:
    shutil.copytree(FIXTURES / "second-source" / "example-note-2024",
                    data_copy.data_dir / "sources" / "example-note-2024")
    report = build(data_copy)
    assert ns.source_graph("example-note-2024") in report.graphs
    with open_store(data_copy) as store:
        rows = store.select("""
            SELECT ?holder WHERE { GRAPH ?g { ?s a srkg:Stance ; srkg:holder ?holder ; srkg:target ?t } }""",
                            g=ns.source_graph("example-note-2024"))
        assert [str(r["holder"]) for r in rows] == [ns.ID + "sweden"]
        # the shared reference entity links both sources
        assert store.ask(f"ASK {{ <{ns.ID}sweden> a srkg:State }}")
        # the new source's evidence is grounded in its own text
        quote = store.select("""SELECT ?start ?end WHERE { ?s srkg:evidence ?ev . ?ev oa:hasSource ?src ;
              oa:hasSelector [ oa:start ?start ; oa:end ?end ] }""",
                             s=ns.ID + "example-note-2024/sweden-opposes")
        text = (data_copy.data_dir / "sources" / "example-note-2024" / "text.txt").read_text(encoding="utf-8")
        start = text.index("Sweden opposed")
        assert [(to_int(r["start"]), to_int(r["end"])) for r in quote] == [(start, start + len("Sweden opposed"))]
        # an expected assessment is not a shortcut edge; the reported stance is
        assert store.ask(f"ASK {{ GRAPH <{ns.SHORTCUTS_GRAPH}> {{ <{ns.ID}sweden> srkg:opposes ?t }} }}")
        cov = {c.source: c for c in coverage(store, data_copy)}
        note = cov[ns.SOURCE_ID_PREFIX + "example-note-2024"]
        assert note.complete and len(note.boilerplate) == 2


def test_build_is_atomic_and_replaces_the_previous_store(data_copy: Settings) -> None:
    first = build(data_copy)
    second = build(data_copy)
    assert first.store_path != second.store_path
    assert second.store_path is not None
    assert (data_copy.store_dir / "current").resolve() == second.store_path.resolve()
    with open_store(data_copy) as store:
        assert len(store) == second.triples


def derived_as_specified(store: Store) -> dict[str, set[tuple]]:
    """The inferred and shortcut graphs, next to what the catalogue queries ``build/*`` give on the other graphs.

    The build computes the entailments from indexes (:func:`graph.entailment.entail`);
    the catalogue queries are their specification, run here over every graph
    but the derived ones.
    """
    from graph import catalogue
    from graph.entailment import DERIVATIONS

    derived = {g for _, g in DERIVATIONS}
    sources = [g for g in store.graphs() if g not in derived]
    out: dict[str, set[tuple]] = {}
    for name, graph in DERIVATIONS:
        triples = store.query(catalogue.get(name).text, named_graphs=sources)
        assert isinstance(triples, list), name  # a CONSTRUCT
        expected = out.setdefault(graph, set())
        expected |= {tuple(t) for t in triples}
    for graph in derived:
        stored = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert {(r["s"], r["p"], r["o"]) for r in stored} == out[graph], graph
    return out


def test_entailments_are_what_the_catalogue_queries_specify(store: EmbeddedStore) -> None:
    derived = derived_as_specified(store)
    assert (rdflib.URIRef(ns.ID + "russia"), rdflib.RDF.type, SRKG.Actor) in derived[ns.INFERRED_GRAPH]
    assert derived[ns.SHORTCUTS_GRAPH]


def test_report_counts_what_the_store_holds(data_copy: Settings) -> None:
    report = build(data_copy)
    with open_store(data_copy) as store:
        assert report.graphs == store.graphs()
        assert not store.ask("ASK { ?s srkg:quote ?q }")
    assert report.evidence > 0 and "compact" in report.timings


def test_a_failed_build_leaves_no_half_written_store(data_copy: Settings) -> None:
    from graph.errors import DataError

    first = build(data_copy)
    assert first.store_path is not None
    bad = data_copy.data_dir / "sources" / "pism-spotlight-2024-34" / "zz-bad.ttl"
    bad.write_text("@prefix srkg: <https://w3id.org/srkg/ontology#> .\n"
                   "<https://w3id.org/srkg/id/x> a srkg:Nothing .\n", encoding="utf-8")
    try:
        build(data_copy)
    except DataError as e:
        assert f"{bad}:2: unknown class srkg:Nothing" in str(e)
    else:
        raise AssertionError("the build should fail")
    builds = sorted((data_copy.store_dir / "builds").iterdir())
    assert builds == [first.store_path]
    assert (data_copy.store_dir / "current").resolve() == first.store_path.resolve()
