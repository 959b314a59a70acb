"""The remote store against a real Oxigraph server started on 127.0.0.1 for these tests.

The same data is built into an embedded store and into the server; every
competency question of the catalogue, and the queries under
``tests/fixtures/scale/queries``, must give the same answers on both. Writes
go through the Graph Store Protocol and SPARQL Update; a server that goes away
raises :class:`StoreUnavailable`, and the same store object works again once
the server is back.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef

from fixtures.remote_checks import opened
from fixtures.servers import OxigraphServer
from graph import catalogue
from graph import namespaces as ns
from graph.build import build
from graph.errors import QueryError, SrkgError, StoreUnavailable
from graph.settings import REPO_ROOT, Settings, get_settings
from graph.store import SelectResult
from graph.store.embedded import EmbeddedStore
from graph.store.remote import RemoteStore, publish_remote

OWN_QUERIES = Path(__file__).parent / "fixtures" / "scale" / "queries"
TEST_GRAPH = ns.GRAPH + "test/remote"


def _query_cases() -> list[tuple[str, str]]:
    cases = [(name, q.text) for name, q in catalogue.load().items() if name.startswith("cq/")]
    cases += [(f"own/{name}", q.text) for name, q in catalogue.load(OWN_QUERIES).items()]
    return cases


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of ontology/ and data/, so both stores are built from the same files."""
    root = tmp_path_factory.mktemp("remote-data")
    shutil.copytree(REPO_ROOT / "ontology", root / "ontology")
    shutil.copytree(REPO_ROOT / "data", root / "data")
    return get_settings().model_copy(update={"ontology_dir": root / "ontology", "data_dir": root / "data",
                                             "store_dir": root / "store"})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> OxigraphServer:
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph")) as s:
        yield s


@pytest.fixture(scope="module")
def remote_settings(frozen: Settings, server: OxigraphServer) -> Settings:
    s = frozen.model_copy(update={"store": server.url})
    build(s)
    return s


@pytest.fixture(scope="module")
def remote(remote_settings: Settings) -> RemoteStore:
    yield from opened(remote_settings)


@pytest.fixture(scope="module")
def embedded(frozen: Settings) -> EmbeddedStore:
    yield from opened(frozen, build_first=True)


def _normalise(result: object) -> object:
    """Results compared as multisets; blank node labels differ between engines."""
    def term(t: object) -> object:
        return "_:b" if isinstance(t, BNode) else t

    if isinstance(result, SelectResult):
        return result.variables, Counter(tuple((k, term(v)) for k, v in sorted(r.items())) for r in result)
    if isinstance(result, list):
        return Counter(tuple(term(t) for t in triple) for triple in result)
    return result


def test_open_store_picks_the_remote_store(remote: RemoteStore, server: OxigraphServer) -> None:
    assert isinstance(remote, RemoteStore)
    assert remote.query_url == server.url + "/query"
    assert remote.store_url == server.url + "/store"


def test_build_fills_the_server_graph_by_graph(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    graphs = remote.graphs()
    assert graphs == embedded.graphs()
    assert {ns.ONTOLOGY_GRAPH, ns.REFERENCE_GRAPH, ns.INFERRED_GRAPH} <= set(graphs)
    assert any(g.startswith(ns.SOURCE_GRAPH_PREFIX) for g in graphs)
    assert len(remote) == len(embedded) == sum(graphs.values())


def test_a_second_build_replaces_rather_than_adds(remote_settings: Settings, remote: RemoteStore) -> None:
    before = remote.graphs()
    remote.replace_graph(ns.GRAPH + "stale", [(URIRef(ns.ID + "x"), URIRef(ns.RDFS + "label"), Literal("x"))])
    build(remote_settings)
    assert remote.graphs() == before


@pytest.mark.parametrize("name,text", _query_cases(), ids=[n for n, _ in _query_cases()])
def test_queries_answer_the_same_on_the_server(name: str, text: str, remote: RemoteStore,
                                               embedded: EmbeddedStore) -> None:
    expected = embedded.query(text)
    got = remote.query(text)
    assert type(got) is type(expected)
    assert _normalise(got) == _normalise(expected)
    if name.startswith("own/") and not isinstance(expected, bool):
        assert len(expected) > 0, f"{name} should find something in the real data"


def test_the_default_graph_is_the_union(remote: RemoteStore) -> None:
    # rdf:type srkg:Actor only exists in the inferred graph; names only in the reference graph.
    rows = remote.select("SELECT ?label WHERE { ?a a srkg:Actor ; rdfs:label ?label }")
    assert Literal("Russia", lang="en") in rows.values("label")
    only_reference = remote.query("SELECT ?s WHERE { ?s a srkg:Actor }", default_graphs=[ns.REFERENCE_GRAPH])
    assert isinstance(only_reference, SelectResult) and len(only_reference) == 0


def test_bindings_and_typed_literals_round_trip(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    query = "SELECT ?label ?date WHERE { ?s rdfs:label ?label . OPTIONAL { ?s dcterms:date ?date } }"
    source = embedded.select("SELECT ?s WHERE { ?s a srkg:SourceDocument } LIMIT 1").rows[0]["s"]
    got = remote.select(query, s=source)
    assert got.rows == embedded.select(query, s=source).rows
    assert got.rows[0]["date"].datatype == URIRef(ns.XSD + "date")


def test_writes_through_the_graph_store_protocol(remote: RemoteStore) -> None:
    s, label = URIRef(ns.ID + "test-remote-subject"), URIRef(ns.RDFS + "label")
    remote.replace_graph(TEST_GRAPH, [(s, label, Literal("first", lang="en")),
                                      (s, URIRef(ns.RDF_TYPE), URIRef(ns.SRKG + "Person"))])
    assert remote.graphs()[TEST_GRAPH] == 2
    remote.replace_graph(TEST_GRAPH, [(s, label, Literal("second \"quoted\"\nline"))])
    assert remote.get_graph(TEST_GRAPH) == [(s, label, Literal("second \"quoted\"\nline"))]
    assert remote.select("SELECT ?l WHERE { ?s rdfs:label ?l }", s=s).values("l") == [
        Literal("second \"quoted\"\nline")]
    remote.update(f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <{s}> rdfs:comment \"added by update\" }} }}")
    assert remote.graphs()[TEST_GRAPH] == 2
    remote.delete_graph(TEST_GRAPH)
    assert TEST_GRAPH not in remote.graphs()
    assert remote.get_graph(TEST_GRAPH) == []


def test_whole_graphs_through_sparql_update_where_there_is_no_graph_store(
        remote_settings: Settings, server: OxigraphServer) -> None:
    with RemoteStore(server.url, settings=remote_settings.model_copy(update={"remote_store_path": ""})) as st:
        assert not st.has_graph_store
        s, label = URIRef(ns.ID + "test-no-gsp"), URIRef(ns.RDFS + "label")
        st.replace_graph(TEST_GRAPH, [(s, label, Literal("one")), (s, label, Literal("two \"2\"\n", lang="en"))])
        st.replace_graph(TEST_GRAPH, [(s, label, Literal("three"))])
        assert st.get_graph(TEST_GRAPH) == [(s, label, Literal("three"))]
        st.delete_graph(TEST_GRAPH)
        assert TEST_GRAPH not in st.graphs()
        with pytest.raises(QueryError, match="SRKG_REMOTE_STORE_PATH"):
            st.dump()


def test_dump_holds_every_graph(remote: RemoteStore) -> None:
    dump = remote.dump("application/n-quads")
    assert dump.count(b"\n") == len(remote)
    assert f"<{ns.ONTOLOGY_GRAPH}>".encode() in dump


def test_syntax_errors_point_at_the_callers_line(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    bad = "SELECT ?s\nWHERE {\n  ?s ?p ?o\n  LIMIT 3"
    with pytest.raises(QueryError) as remote_error:
        remote.query(bad)
    with pytest.raises(QueryError) as embedded_error:
        embedded.query(bad)
    assert remote_error.value.line == 4
    assert (remote_error.value.line, remote_error.value.column) == (embedded_error.value.line,
                                                                    embedded_error.value.column)
    with pytest.raises(QueryError):
        remote.update("INSERT DATA { <a> }")
    assert TEST_GRAPH not in remote.graphs()


def test_publish_remote_takes_n_quads(tmp_path: Path) -> None:
    with OxigraphServer(tmp_path / "ox") as srv, RemoteStore(srv.url) as st:
        st.replace_graph(ns.GRAPH + "old", [(URIRef(ns.ID + "a"), URIRef(ns.RDFS + "label"), Literal("a"))])
        nquads = (f"<{ns.ID}b> <{ns.RDFS}label> \"b\" <{ns.GRAPH}new> .\n"
                  f"<{ns.ID}c> <{ns.RDFS}label> \"c\"@en <{ns.GRAPH}new> .\n").encode()
        written = publish_remote(nquads, st)
        assert written == {ns.GRAPH + "new": 2}
        assert st.graphs() == {ns.GRAPH + "new": 2}


def test_a_bad_store_url_is_a_clear_error() -> None:
    with pytest.raises(SrkgError, match="SRKG_STORE must be"):
        RemoteStore("ftp://example")


def test_a_server_that_goes_away_and_comes_back(tmp_path: Path) -> None:
    srv = OxigraphServer(tmp_path / "ox").start()
    try:
        st = RemoteStore(srv.url, timeout_s=5)
        triple = (URIRef(ns.ID + "kept"), URIRef(ns.RDFS + "label"), Literal("kept"))
        st.replace_graph(TEST_GRAPH, [triple])
        srv.stop()
        with pytest.raises(StoreUnavailable, match=r"cannot be reached.*running.*SRKG_STORE") as e:
            st.query("ASK { ?s ?p ?o }")
        assert srv.url in str(e.value)
        with pytest.raises(StoreUnavailable):
            st.replace_graph(TEST_GRAPH, [])
        with pytest.raises(StoreUnavailable):
            st.graphs()
        srv.start()  # same port, same data folder
        assert st.get_graph(TEST_GRAPH) == [triple]
        assert st.ask("ASK { ?s rdfs:label \"kept\" }")
        st.close()
    finally:
        srv.stop()


def test_cli_reports_an_unreachable_server() -> None:
    from fixtures.servers import free_port as _free_port
    from graph.cli import main

    url = f"http://127.0.0.1:{_free_port()}"
    get_settings.cache_clear()  # the CLI reads SRKG_STORE through the process-wide settings
    try:
        result = CliRunner().invoke(main, ["query", "ASK { ?s ?p ?o }"], env={"SRKG_STORE": url})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "cannot be reached" in result.output and url in result.output
