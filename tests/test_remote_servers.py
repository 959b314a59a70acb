"""The remote store and the service on each real SPARQL server srkg is tested against: Oxigraph server and Virtuoso.

For each server of :data:`BACKENDS` one throwaway instance (:mod:`fixtures.servers`; Oxigraph from ``pip
install oxigraph``, Virtuoso from Debian's ``virtuoso-opensource``, each in a temporary folder on ports of
127.0.0.1 picked free) is started once for this module, and the real data is built into it with
:func:`graph.build.build`, and into one embedded store from the same private copy of ``ontology/`` and
``data/``. The same tests then run on every server (the ``deployment`` fixture is parametrised over them):

- every competency question, every projection query and the queries under ``tests/fixtures/scale/queries``
  give the embedded store's answer, through :class:`RemoteStore` and (the competency questions) through our
  service, a real uvicorn process in front of the server, whose REST, linked-data and view pages answer;
- ``srkg build`` fills the server graph by graph, a second build replaces rather than adds, and the
  server's own graphs are left alone;
- writes go through the Graph Store Protocol and SPARQL Update, or through SPARQL Update alone where a
  server has no Graph Store Protocol; ``srkg serve`` on the server alone checks writes as on the embedded
  store and sends them there;
- a server that stops raises :class:`StoreUnavailable` (the service answers 503 naming it), and the same
  store object and the same service work again once it is back, with no restart.

Where a server answers differently, the difference is one field of its :class:`Backend` in
:data:`BACKENDS`, the one table of them: the shared tests consult it, and check each difference on every
server (so that a test says so if a server changes), never skipping. The few tests that make sense on one
server only come last, named for it (Virtuoso's own result caps and its digest-authenticated endpoints;
publishing into an empty Oxigraph server). Tests of srkg without a reachable server are in
``tests/test_remote.py``.
"""

from __future__ import annotations

import io
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from fixtures.faults.serve import serving
from fixtures.remote_checks import affected, check_page
from fixtures.servers import OxigraphServer, SparqlServer, VirtuosoServer, running_service
from graph import catalogue
from graph import namespaces as ns
from graph.build import build
from graph.errors import QueryError, RemoteTimeout, ResultTooLarge, SrkgError, StoreUnavailable
from graph.settings import REPO_ROOT, Settings, get_settings
from graph.sparql_lexer import inline_values
from graph.store import SelectResult, open_store
from graph.store.embedded import EmbeddedStore
from graph.store.remote import RemoteStore, publish_remote

OWN_QUERIES = Path(__file__).parent / "fixtures" / "scale" / "queries"
TEST_GRAPH = ns.GRAPH + "test/remote"
TIMEOUT_S = 5.0  # the service's query time limit; the test client waits much longer, so a hang fails it
PAGES = ["/api/v1/entities/russia", "/id/russia", "/view/overview"]
TOKEN = "remote-curator"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
SEPARATOR = "; "  # the separator every GROUP_CONCAT of the catalogue names
# a query whose evaluation takes far longer than a second (a cross product of Virtuoso's own graphs)
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?a ?b ?c . ?d ?e ?f "
        "FILTER(STRLEN(CONCAT(STR(?o), STR(?c), STR(?f))) > 100000) }")


# -- the servers and how they differ ---------------------------------------------


@dataclass(frozen=True)
class Backend:
    """One SPARQL server: how srkg reaches it, and each way it answers differently from the embedded store.

    Every field is spelled out for every server in :data:`BACKENDS`, so the table reads side by side.
    """

    name: str
    server_class: type[SparqlServer]  # the throwaway server of fixtures.servers
    # the endpoints the remote store uses, after the server's base URL (SRKG_REMOTE_*_PATH)
    query_path: str
    update_path: str
    store_path: str
    # the query parameter that makes the default graph the union of all graphs; None: it is the union already
    union_parameter: str | None
    # whether srkg's default SRKG_REMOTE_* settings are this server's (then only SRKG_STORE needs setting)
    srkg_defaults: bool
    # graphs the server keeps for itself in the same store, listed under GRAPH ?g (srkg never touches them)
    own_graphs: tuple[str, ...]
    # catalogue columns, per query, whose GROUP_CONCAT value differs (compared as sets of parts)
    group_concat_columns: Mapping[str, frozenset[str]]
    # whether GROUP_CONCAT keeps the language tag its parts share (else a plain literal)
    group_concat_keeps_language: bool
    # what GROUP_CONCAT makes of a group with no values (None: the variable is left unbound)
    group_concat_of_nothing: Literal | None
    # the error of a GROUP_CONCAT without separator= (None: SPARQL's default " " is used)
    group_concat_without_separator: str | None
    # the error of a trailing VALUES block that binds an unselected variable (None: it works, as SPARQL says);
    # where it fails, SRKG_REMOTE_INLINE_VALUES moves the block into the WHERE group
    trailing_values_error: str | None
    # the error of DROP GRAPH (without SILENT) on a graph made by the Graph Store Protocol (None: it works)
    drop_graph_error: str | None
    # whether a GET of the Graph Store endpoint gives the whole dataset (else srkg reads it graph by graph)
    whole_dataset_dump: bool
    # whether a syntax error names its column as well as its line
    syntax_error_column: bool


BACKENDS: dict[str, Backend] = {
    "oxigraph": Backend(
        name="oxigraph", server_class=OxigraphServer,
        query_path="/query", update_path="/update", store_path="/store", union_parameter="union-default-graph",
        srkg_defaults=True,
        own_graphs=(),
        group_concat_columns={},
        group_concat_keeps_language=True,
        group_concat_of_nothing=None,
        group_concat_without_separator=None,
        trailing_values_error=None,
        drop_graph_error=None,
        whole_dataset_dump=True,
        syntax_error_column=True,
    ),
    # Virtuoso 7.2 (Debian). Its differences from SPARQL 1.1 that the catalogue is written around, and that
    # therefore need no field: a transitive path with both ends unbound fails ("transitive start not given"),
    # so projection/superclasses is one step and a zero-or-more path, which means the same; a MINUS or FILTER
    # NOT EXISTS after a UNION is not applied to the union's rows, so cq/10 filters inside the first branch;
    # a class IRI bound in an OPTIONAL of an ordered query comes back as a literal, so projection/assertions
    # binds a plain string to say a node is qualified. It also cuts results at ResultSetMaxRows and returns
    # partial "anytime" answers, both with a 200: the store raises instead (the Virtuoso-only tests below).
    "virtuoso": Backend(
        name="virtuoso", server_class=VirtuosoServer,
        query_path="/sparql", update_path="/sparql", store_path="/sparql-graph-crud", union_parameter=None,
        srkg_defaults=False,
        own_graphs=("http://www.openlinksw.com/schemas/virtrdf#",),  # and a few more
        # a plain literal, its parts in another order (SPARQL leaves it unspecified; tests/test_competency.py
        # reads these columns as sets), and "" for a group with no values
        group_concat_columns={
            "cq/01-source-documents": frozenset({"authors"}),
            "cq/05-joint-statement-cooperation": frozenset({"holders"}),
            "cq/08-principle-to-end-war": frozenset({"holders"}),
            "cq/10-travelled-with-putin": frozenset({"sectors"}),
            "cq/15-authors-assessments": frozenset({"authors", "cues"}),
        },
        group_concat_keeps_language=False,
        group_concat_of_nothing=Literal(""),
        group_concat_without_separator="SR183",  # so every catalogue query names its separator
        trailing_values_error="No column entity",  # Virtuoso applies the block after the projection
        drop_graph_error="has not been explicitly created",  # only graphs made by CREATE GRAPH
        whole_dataset_dump=False,  # a GET without ?graph= is answered 406
        syntax_error_column=False,  # the line only
    ),
}


@dataclass(frozen=True)
class Deployment:
    """A running server of ``backend`` with the real data built into it, and a remote store open on it."""

    backend: Backend
    server: SparqlServer
    settings: Settings  # srkg's settings pointed at the server
    remote: RemoteStore


def _deploy(backend: Backend, folder: Path, frozen: Settings) -> Iterator[Deployment]:
    """Start ``backend``'s server in ``folder`` and build ``frozen``'s data into it; stop it afterwards.

    A server that is not installed fails here with the message saying how to install it (never a skip).
    """
    server = backend.server_class(folder).start()
    try:
        settings = server.configure(frozen)
        build(settings)
        with open_store(settings) as remote:
            assert isinstance(remote, RemoteStore)
            yield Deployment(backend, server, settings, remote)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of ontology/ and data/, so every store is built from the same files."""
    root = tmp_path_factory.mktemp("remote-data")
    shutil.copytree(REPO_ROOT / "ontology", root / "ontology")
    shutil.copytree(REPO_ROOT / "data", root / "data")
    return get_settings().model_copy(update={"ontology_dir": root / "ontology", "data_dir": root / "data",
                                             "store_dir": root / "store"})


@pytest.fixture(scope="module")
def embedded(frozen: Settings) -> Iterator[EmbeddedStore]:
    """The same data in the embedded store: the answers every server must give."""
    build(frozen)
    with open_store(frozen) as store:
        assert isinstance(store, EmbeddedStore)
        yield store


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, frozen: Settings) -> Iterator[Deployment]:
    """One Oxigraph server for the module, started on first use."""
    yield from _deploy(BACKENDS["oxigraph"], tmp_path_factory.mktemp("oxigraph"), frozen)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, frozen: Settings) -> Iterator[Deployment]:
    """One Virtuoso for the module, started on first use; CI installs it (.ci/run)."""
    yield from _deploy(BACKENDS["virtuoso"], tmp_path_factory.mktemp("virtuoso"), frozen)


@pytest.fixture(scope="module", params=list(BACKENDS))
def deployment(request: pytest.FixtureRequest) -> Deployment:
    """Each server in turn (the fixture of its name, so a server is started once whichever tests use it)."""
    d = request.getfixturevalue(request.param)
    assert isinstance(d, Deployment)
    return d


@pytest.fixture(scope="module")
def backend(deployment: Deployment) -> Backend:
    return deployment.backend


@pytest.fixture(scope="module")
def remote(deployment: Deployment) -> RemoteStore:
    return deployment.remote


def _query_cases() -> list[tuple[str, str]]:
    cases = [(name, q.text) for name, q in catalogue.load().items() if name.startswith(("cq/", "projection/"))]
    cases += [(f"own/{name}", q.text) for name, q in catalogue.load(OWN_QUERIES).items()]
    return cases


def _server_graphs(d: Deployment) -> dict[str, int]:
    """Every graph the server holds, its own included, asked directly (not through RemoteStore)."""
    r = httpx.post(d.server.url + d.backend.query_path, headers={"Accept": "application/sparql-results+json"},
                   data={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"})
    r.raise_for_status()
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def _concatenation(backend: Backend, value: object, on_server: bool) -> tuple[str, tuple[str, ...]]:
    """A GROUP_CONCAT value as its sorted parts, after checking the form ``backend`` gives it (``on_server``)."""
    if on_server and backend.group_concat_of_nothing is not None:
        assert value is not None, f"{backend.name} concatenates a group with no values, it does not leave it unbound"
    if value is None:
        return ("concat", ())
    assert isinstance(value, Literal)
    if on_server and not backend.group_concat_keeps_language:
        assert value.language is None and value.datatype is None, f"{backend.name} gives a plain literal, not {value!r}"
    return ("concat", tuple(sorted(p for p in str(value).split(SEPARATOR) if p)))


def _rows(backend: Backend, name: str, variables: Iterable[str], rows: Iterable[Mapping[str, object]],
          on_server: bool) -> Counter:
    """Rows as a multiset: blank node labels ignored (they differ between engines), and the GROUP_CONCAT columns
    that differ on ``backend`` compared as parts; every other value compared as it is."""
    concat = backend.group_concat_columns.get(name, frozenset())
    out: Counter = Counter()
    for row in rows:
        out[frozenset((v, _concatenation(backend, row.get(v), on_server) if v in concat
                       else "_:b" if isinstance(row.get(v), BNode) else row.get(v)) for v in variables)] += 1
    return out


def _same_answer(backend: Backend, name: str, got: object, expected: object) -> None:
    """``got`` (from the server) is the embedded store's ``expected``, but for ``backend``'s documented differences."""
    assert type(got) is type(expected)
    if isinstance(expected, SelectResult):
        assert isinstance(got, SelectResult) and got.variables == expected.variables
        assert _rows(backend, name, got.variables, got.rows, True) == _rows(
            backend, name, expected.variables, expected.rows, False)
    elif isinstance(expected, list):
        def triples(ts: object) -> Counter:
            assert isinstance(ts, list)
            return Counter(tuple("_:b" if isinstance(t, BNode) else t for t in triple) for triple in ts)
        assert triples(got) == triples(expected)
    else:
        assert got == expected


# -- the store on each server --------------------------------------------------------


def test_open_store_picks_the_remote_store_and_the_servers_endpoints(deployment: Deployment,
                                                                     frozen: Settings) -> None:
    remote, backend, url = deployment.remote, deployment.backend, deployment.server.url
    assert isinstance(remote, RemoteStore)
    assert (remote.query_url, remote.update_url, remote.store_url) == (
        url + backend.query_path, url + backend.update_path, url + backend.store_path)
    assert remote.union_parameter == backend.union_parameter
    with open_store(frozen.model_copy(update={"store": url})) as plain:  # SRKG_STORE and nothing else
        assert isinstance(plain, RemoteStore)
        defaults = (plain.query_url, plain.update_url, plain.store_url, plain.union_parameter)
    assert (defaults == (remote.query_url, remote.update_url, remote.store_url, remote.union_parameter)) \
        is backend.srkg_defaults


def test_build_fills_the_server_graph_by_graph_and_leaves_its_own_alone(
        deployment: Deployment, embedded: EmbeddedStore) -> None:
    remote, backend = deployment.remote, deployment.backend
    graphs = remote.graphs()
    assert graphs == embedded.graphs()
    assert {ns.ONTOLOGY_GRAPH, ns.REFERENCE_GRAPH, ns.INFERRED_GRAPH} <= set(graphs)
    assert any(g.startswith(ns.SOURCE_GRAPH_PREFIX) for g in graphs)
    assert len(remote) == len(embedded) == sum(graphs.values())
    everything = _server_graphs(deployment)
    own = {g: n for g, n in everything.items() if not g.startswith(ns.GRAPH)}
    assert all(own.get(g, 0) > 0 for g in backend.own_graphs), own  # survived the build's publishing
    assert bool(own) is bool(backend.own_graphs), own  # a server with no graphs of its own holds none
    assert {g: n for g, n in everything.items() if g.startswith(ns.GRAPH)} == graphs


def test_a_second_build_replaces_rather_than_adds(deployment: Deployment) -> None:
    remote = deployment.remote
    before, everything_before = remote.graphs(), _server_graphs(deployment)
    remote.replace_graph(ns.GRAPH + "stale", [(URIRef(ns.ID + "x"), URIRef(ns.RDFS + "label"), Literal("x"))])
    build(deployment.settings)
    assert remote.graphs() == before
    assert _server_graphs(deployment) == everything_before


@pytest.mark.parametrize("name,text", _query_cases(), ids=[n for n, _ in _query_cases()])
def test_queries_answer_the_same_on_the_server(name: str, text: str, backend: Backend, remote: RemoteStore,
                                               embedded: EmbeddedStore) -> None:
    expected = embedded.query(text)
    _same_answer(backend, name, remote.query(text), expected)
    if name.startswith("own/") and not isinstance(expected, bool):
        assert len(expected) > 0, f"{name} should find something in the real data"


def test_group_concat_answers_as_the_table_says(backend: Backend, remote: RemoteStore,
                                                embedded: EmbeddedStore) -> None:
    """The GROUP_CONCAT differences on their own: if a server changes, this says so."""
    tagged = 'SELECT (GROUP_CONCAT(?l; separator="; ") AS ?c) WHERE { VALUES ?l { "a"@en "b"@en } }'
    expected = embedded.select(tagged).rows[0]["c"]
    assert isinstance(expected, Literal) and expected.language == "en"
    got = remote.select(tagged).rows[0]["c"]
    assert isinstance(got, Literal)
    if backend.group_concat_keeps_language:
        assert got == expected
    else:
        assert (got.language, got.datatype, sorted(str(got).split(SEPARATOR))) == (None, None, ["a", "b"])
    empty = ('SELECT ?s (GROUP_CONCAT(?l; separator="; ") AS ?c) WHERE { VALUES ?s { id:russia } '
             "OPTIONAL { ?s srkg:noSuchProperty ?l } } GROUP BY ?s")
    assert embedded.select(empty).rows[0]["c"] is None
    nothing = remote.select(empty).rows[0]["c"]
    if backend.group_concat_of_nothing is None:
        assert nothing is None
    else:
        assert nothing == backend.group_concat_of_nothing
    default_separator = 'SELECT (GROUP_CONCAT(?l) AS ?c) WHERE { VALUES ?l { "a" "b" } }'
    if backend.group_concat_without_separator:
        with pytest.raises(QueryError, match=backend.group_concat_without_separator):
            remote.query(default_separator)
    else:
        assert remote.query(default_separator) == embedded.query(default_separator)


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
    date = got.rows[0]["date"]
    assert isinstance(date, Literal) and date.datatype == URIRef(ns.XSD + "date")


def test_bindings_of_an_unselected_variable(deployment: Deployment, embedded: EmbeddedStore) -> None:
    """Bindings are a trailing VALUES block; where the server fails on one (the table says how), the store's
    ``remote_inline_values`` moves it into the WHERE group, where it is the same join."""
    remote, backend = deployment.remote, deployment.backend
    text = catalogue.text("api/entity-statements", entity=URIRef(ns.ID + "russia"))
    expected = embedded.query(text)
    assert isinstance(expected, SelectResult) and len(expected) > 0
    assert remote.inline_values is (backend.trailing_values_error is not None)
    _same_answer(backend, "api/entity-statements", remote.query(text), expected)
    trailing_settings = deployment.settings.model_copy(update={"remote_inline_values": False})
    with RemoteStore(deployment.server.url, settings=trailing_settings) as trailing:
        if backend.trailing_values_error:
            with pytest.raises(QueryError, match=backend.trailing_values_error):
                trailing.query(text)
        else:
            _same_answer(backend, "api/entity-statements", trailing.query(text), expected)


def test_writes_through_the_graph_store_protocol_and_update(remote: RemoteStore) -> None:
    s, label = URIRef(ns.ID + "test-remote-subject"), URIRef(ns.RDFS + "label")
    remote.replace_graph(TEST_GRAPH, [(s, label, Literal("first", lang="en")),
                                      (s, URIRef(ns.RDF_TYPE), URIRef(ns.SRKG + "Person"))])
    assert remote.graphs()[TEST_GRAPH] == 2
    remote.replace_graph(TEST_GRAPH, [(s, label, Literal("second \"quoted\"\nline — ещё 第二"))])
    assert remote.get_graph(TEST_GRAPH) == [(s, label, Literal("second \"quoted\"\nline — ещё 第二"))]
    assert remote.select("SELECT ?l WHERE { ?s rdfs:label ?l }", s=s).values("l") == [
        Literal("second \"quoted\"\nline — ещё 第二")]
    remote.update(f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <{s}> rdfs:comment \"added by update\" }} }}")
    assert remote.graphs()[TEST_GRAPH] == 2
    assert remote.ask(f"ASK {{ GRAPH <{TEST_GRAPH}> {{ <{s}> rdfs:comment \"added by update\" }} }}")
    remote.update(f"DELETE WHERE {{ GRAPH <{TEST_GRAPH}> {{ <{s}> rdfs:comment ?c }} }}")
    assert remote.graphs()[TEST_GRAPH] == 1
    remote.delete_graph(TEST_GRAPH)
    assert TEST_GRAPH not in remote.graphs()
    assert remote.get_graph(TEST_GRAPH) == []


def test_drop_graph_on_a_graph_store_protocol_graph(backend: Backend, remote: RemoteStore) -> None:
    """srkg deletes graphs through the Graph Store Protocol, or with DROP SILENT: this is why."""
    triple = (URIRef(ns.ID + "test-drop"), URIRef(ns.RDFS + "label"), Literal("dropped"))
    remote.replace_graph(TEST_GRAPH, [triple])
    try:
        if backend.drop_graph_error:
            with pytest.raises(QueryError, match=backend.drop_graph_error):
                remote.update(f"DROP GRAPH <{TEST_GRAPH}>")
            assert remote.get_graph(TEST_GRAPH) == [triple]
        else:
            remote.update(f"DROP GRAPH <{TEST_GRAPH}>")
            assert TEST_GRAPH not in remote.graphs()
        remote.update(f"DROP SILENT GRAPH <{TEST_GRAPH}>")
        assert TEST_GRAPH not in remote.graphs()
    finally:
        remote.delete_graph(TEST_GRAPH)


def test_whole_graphs_through_sparql_update_where_there_is_no_graph_store(deployment: Deployment) -> None:
    no_gsp = deployment.settings.model_copy(update={"remote_store_path": ""})
    with RemoteStore(deployment.server.url, settings=no_gsp) as st:
        assert not st.has_graph_store
        s, label = URIRef(ns.ID + "test-no-gsp"), URIRef(ns.RDFS + "label")
        st.replace_graph(TEST_GRAPH, [(s, label, Literal("one")), (s, label, Literal("two \"2\"\n", lang="en"))])
        assert Counter(st.get_graph(TEST_GRAPH)) == Counter([(s, label, Literal("one")),
                                                             (s, label, Literal("two \"2\"\n", lang="en"))])
        st.replace_graph(TEST_GRAPH, [(s, label, Literal("three"))])
        assert st.get_graph(TEST_GRAPH) == [(s, label, Literal("three"))]
        st.delete_graph(TEST_GRAPH)
        assert TEST_GRAPH not in st.graphs()
        with pytest.raises(QueryError, match="SRKG_REMOTE_STORE_PATH"):
            st.dump()


def test_dump_and_snapshot_hold_srkgs_graphs(deployment: Deployment, embedded: EmbeddedStore) -> None:
    remote, backend = deployment.remote, deployment.backend
    whole = httpx.get(remote.store_url, headers={"Accept": "application/n-quads"})
    if backend.whole_dataset_dump:
        assert whole.status_code == 200, whole.text
    else:  # the store then reads srkg's graphs one by one
        assert whole.status_code in (400, 404, 405, 406), whole.status_code
    dump = remote.dump("application/n-quads")
    assert dump.count(b"\n") == len(remote) == len(embedded)
    assert f"<{ns.ONTOLOGY_GRAPH}>".encode() in dump and b"openlinksw" not in dump
    assert not any(f"<{g}>".encode() in dump for g in backend.own_graphs)
    assert EmbeddedStore(store=remote.snapshot()).graphs() == embedded.graphs()


def test_syntax_errors_point_at_the_callers_line(backend: Backend, remote: RemoteStore,
                                                 embedded: EmbeddedStore) -> None:
    bad = "SELECT ?s\nWHERE {\n  ?s ?p ?o\n  LIMIT 3"
    with pytest.raises(QueryError, match=r"syntax error at line 4\b") as remote_error:
        remote.query(bad)
    with pytest.raises(QueryError) as embedded_error:
        embedded.query(bad)
    assert remote_error.value.line == 4
    if backend.syntax_error_column:
        assert (remote_error.value.line, remote_error.value.column) == (embedded_error.value.line,
                                                                        embedded_error.value.column)
        assert remote_error.value.column is not None
    else:
        assert (remote_error.value.line, remote_error.value.column) == (4, None)
    assert "PREFIX" not in str(remote_error.value)  # a server's echo of the whole query (with our prologue) is cut
    with pytest.raises(QueryError):
        remote.update("INSERT DATA { <a> }")
    assert TEST_GRAPH not in remote.graphs()


def test_a_server_that_goes_away_and_comes_back(deployment: Deployment) -> None:
    server = deployment.server
    triple = (URIRef(ns.ID + "kept"), URIRef(ns.RDFS + "label"), Literal("kept"))
    with RemoteStore(server.url, settings=deployment.settings, timeout_s=5) as st:
        st.replace_graph(TEST_GRAPH, [triple])
        server.stop()
        try:
            with pytest.raises(StoreUnavailable, match=r"cannot be reached.*running.*SRKG_STORE") as e:
                st.query("ASK { ?s ?p ?o }")
            assert server.url in str(e.value)
            with pytest.raises(StoreUnavailable):
                st.replace_graph(TEST_GRAPH, [])
            with pytest.raises(StoreUnavailable):
                st.graphs()
        finally:
            server.start()  # same port, same data folder
        assert st.get_graph(TEST_GRAPH) == [triple]
        assert st.ask("ASK { ?s rdfs:label \"kept\" }")
        st.delete_graph(TEST_GRAPH)
        assert TEST_GRAPH not in st.graphs()


# -- the service in front of each server ----------------------------------------------


@pytest.fixture(scope="module")
def service_settings(deployment: Deployment) -> Settings:
    return deployment.settings.model_copy(update={"query_timeout_s": TIMEOUT_S})


@pytest.fixture(scope="module")
def client(service_settings: Settings) -> Iterator[httpx.Client]:
    with running_service(service_settings) as url, httpx.Client(base_url=url, timeout=10 * TIMEOUT_S) as c:
        yield c


def test_the_service_reads_the_server(deployment: Deployment, client: httpx.Client,
                                      embedded: EmbeddedStore) -> None:
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    servers_own = sum(n for g, n in _server_graphs(deployment).items() if not g.startswith(ns.GRAPH))
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(embedded) + servers_own
    assert bool(servers_own) is bool(deployment.backend.own_graphs)


@pytest.mark.parametrize("name", sorted(n for n in catalogue.load() if n.startswith("cq/")))
def test_competency_questions_through_our_sparql_match_the_embedded_store(
        name: str, backend: Backend, client: httpx.Client, embedded: EmbeddedStore) -> None:
    text = catalogue.get(name).text
    r = client.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query",
                                                               "Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    got = Result.parse(io.BytesIO(r.content), format="json")
    expected = embedded.query(text)
    if isinstance(expected, bool):
        assert got.askAnswer is expected
        return
    assert isinstance(expected, SelectResult)
    variables = [str(v) for v in got.vars or []]
    assert variables == expected.variables
    rows = [{str(k): v for k, v in row.asdict().items()} for row in got]  # type: ignore[union-attr]
    assert _rows(backend, name, variables, rows, True) == _rows(backend, name, expected.variables, expected.rows,
                                                                False)


def test_the_network_guard_still_applies(client: httpx.Client) -> None:
    for query in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                  "SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }"):
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json"), r.text


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_on_the_server(path: str, client: httpx.Client) -> None:
    check_page(client, path)


def test_a_server_that_stops_gives_503_and_recovery_needs_no_restart(deployment: Deployment,
                                                                     client: httpx.Client) -> None:
    server = deployment.server
    assert [r.status_code for r in affected(client)] == [200, 200]
    server.stop()
    try:
        for r in affected(client):  # a hang past the time limit fails here with the client's ReadTimeout
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert int(r.headers["retry-after"]) > 0
            problem = r.json()
            assert problem["status"] == 503 and problem["title"] == "Store unavailable"
            assert server.url in problem["detail"] and "SRKG_STORE" in problem["detail"]
        for path in PAGES:  # pages may still be served from the projection cache, but never fail with 500
            assert client.get(path).status_code in (200, 503)
    finally:
        server.start()  # the same port and data folder
    answers = affected(client)
    assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
    assert answers[0].json()["boolean"] is True
    assert answers[1].json()["label"] == "Russia"


def test_srkg_serve_on_the_server_alone_checks_writes_and_sends_them_there(
        deployment: Deployment, service_settings: Settings, tmp_path: Path) -> None:
    server = deployment.server
    no_local_store = service_settings.model_copy(update={"store_dir": tmp_path / "nothing-here"})
    insert = (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:remote-atlantis a srkg:State ; '
              f'rdfs:label "Remote Atlantis"@en }} }}')
    with serving(no_local_store, update_token=TOKEN) as service, \
            httpx.Client(base_url=service.url, timeout=10 * TIMEOUT_S) as client, \
            RemoteStore(server.url, settings=service_settings) as direct:
        assert not (tmp_path / "nothing-here").exists()
        before = direct.graphs()
        assert client.get("/api/v1/entities/russia").status_code == 200
        # SHACL and the term checks refuse, as on the embedded store; the server is unchanged
        bad = f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:nameless a srkg:State }} }}'
        r = client.post("/sparql/update", content=bad, headers=AUTH)
        assert r.status_code == 422 and any("label" in v for v in r.json()["violations"]), r.text
        r = client.post("/sparql/update", content="LOAD <http://example.org/data.ttl>", headers=AUTH)
        assert r.status_code == 400, r.text
        assert direct.graphs() == before
        # a valid write lands on the server, with its entailments, and the service sees it
        r = client.post("/sparql/update", content=insert, headers=AUTH)
        assert r.status_code == 204, r.text
        assert direct.ask(f"ASK {{ GRAPH <{ns.INFERRED_GRAPH}> {{ id:remote-atlantis a srkg:Actor }} }}")
        assert client.get("/api/v1/entities/remote-atlantis").json()["label"] == "Remote Atlantis"
        # a write while the server is down: 503, and nothing half done when it is back
        server.stop()
        try:
            r = client.post("/sparql/update", content=insert.replace("remote-atlantis", "remote-lemuria"),
                            headers=AUTH)
            assert r.status_code == 503 and server.url in r.json()["detail"], r.text
        finally:
            server.start()
        assert not direct.ask("ASK { id:remote-lemuria ?p ?o }")
        r = client.post("/sparql/update", content=f"DELETE WHERE {{ GRAPH <{ns.REFERENCE_GRAPH}> "
                        "{ id:remote-atlantis ?p ?o } }", headers=AUTH)
        assert r.status_code == 204, r.text
        assert direct.graphs() == before


# -- the table's own consistency, and srkg's side of a difference (no server needed) ----------


def test_the_catalogue_is_written_for_every_server() -> None:
    # a GROUP_CONCAT without separator= fails on a server (see group_concat_without_separator): ours name one
    for name, query in catalogue.load().items():
        assert query.text.count("GROUP_CONCAT(") == query.text.lower().count("separator="), name
    # every catalogue entry of the table really has a GROUP_CONCAT column of that name
    for backend in BACKENDS.values():
        for name, columns in backend.group_concat_columns.items():
            text = catalogue.get(name).text
            for column in columns:
                assert f"AS ?{column})" in text and "GROUP_CONCAT" in text, (backend.name, name, column)


def test_inline_values_moves_the_block_into_the_where_group(embedded: EmbeddedStore) -> None:
    """Braces in strings, IRIs and comments do not count; the rewritten query means the same."""
    tricky = ('SELECT ?label WHERE { # a comment with } and {\n'
              '  ?s rdfs:label ?label FILTER (?label != "}{" && STRLEN(?label) < 100) '
              'OPTIONAL { ?s <http://example.org/x#y> "{" } } ORDER BY ?label')
    bound = catalogue.bind(tricky, s=URIRef(ns.ID + "russia"))
    moved = inline_values(bound)
    assert moved != bound and moved.rstrip().endswith("ORDER BY ?label")
    assert moved.index("VALUES") < moved.index("ORDER BY")
    assert embedded.select(moved).rows == embedded.select(bound).rows != []
    assert inline_values(tricky) == tricky


# -- one server only --------------------------------------------------------------------


def test_virtuosos_own_caps_are_errors_not_answers(virtuoso: Deployment) -> None:
    """Virtuoso cuts results at ResultSetMaxRows and stops queries at MaxQueryExecutionTime, both quietly."""
    server, remote = virtuoso.server, virtuoso.remote
    assert isinstance(server, VirtuosoServer)
    limits = server.max_rows, server.timeout_s
    server.stop()
    server.max_rows, server.timeout_s = 5, 1
    server.start()  # same port and database, the new limits in its virtuoso.ini
    try:
        assert len(remote.select("SELECT ?s WHERE { ?s a srkg:Actor } LIMIT 4")) == 4  # under the cap
        with pytest.raises(ResultTooLarge):  # at the cap Virtuoso cannot say whether it cut: taken as cut
            remote.select("SELECT ?s WHERE { ?s a srkg:Actor } LIMIT 5")
        with pytest.raises(ResultTooLarge, match="cut the result at 5 rows.*ResultSetMaxRows"):
            remote.select("SELECT ?s WHERE { ?s a srkg:Actor }")
        with pytest.raises(RemoteTimeout, match="own time limit"):
            remote.query(SLOW)
        # asked for an "anytime" answer, Virtuoso returns what it has with a header saying it is partial
        partial = httpx.post(remote.query_url, data={"query": SLOW, "timeout": "500"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert partial.status_code == 200 and partial.headers["x-sql-state"] == "S1TAT"
        with pytest.raises(RemoteTimeout, match="partial result"):
            remote._refuse_partial(partial)
    finally:
        server.stop()
        server.max_rows, server.timeout_s = limits
        server.start()
    assert len(remote.select("SELECT ?s WHERE { ?s a srkg:Actor }")) > 5


def test_digest_authentication_on_virtuosos_protected_endpoints(virtuoso: Deployment) -> None:
    protected = virtuoso.settings.model_copy(update={
        "remote_query_path": "/sparql-auth", "remote_update_path": "/sparql-auth",
        "remote_store_path": "/sparql-graph-crud-auth", "remote_auth": "digest"})
    user, password = VirtuosoServer.DBA
    url = virtuoso.server.url.replace("http://", f"http://{user}:{password}@")
    triple = (URIRef(ns.ID + "test-digest"), URIRef(ns.RDFS + "label"), Literal("digest"))
    with RemoteStore(url, settings=protected) as st:
        st.replace_graph(TEST_GRAPH, [triple])
        assert st.get_graph(TEST_GRAPH) == [triple]
        st.update(f"DROP SILENT GRAPH <{TEST_GRAPH}>")  # without SILENT: only graphs made by CREATE GRAPH
        assert TEST_GRAPH not in st.graphs()
    for wrong in (RemoteStore(virtuoso.server.url, settings=protected),  # no credentials
                  RemoteStore(url, settings=protected.model_copy(update={"remote_auth": "basic"}))):
        with wrong, pytest.raises(StoreUnavailable, match=r"refused access \(HTTP 401\)"):
            wrong.ask("ASK { ?s ?p ?o }")
    with pytest.raises(SrkgError, match="SRKG_REMOTE_AUTH must be 'basic' or 'digest'"):
        RemoteStore(url, settings=protected.model_copy(update={"remote_auth": "kerberos"}))


def test_publish_remote_takes_n_quads_into_an_empty_oxigraph_server(tmp_path: Path) -> None:
    with OxigraphServer(tmp_path / "ox") as srv, RemoteStore(srv.url) as st:
        st.replace_graph(ns.GRAPH + "old", [(URIRef(ns.ID + "a"), URIRef(ns.RDFS + "label"), Literal("a"))])
        nquads = (f"<{ns.ID}b> <{ns.RDFS}label> \"b\" <{ns.GRAPH}new> .\n"
                  f"<{ns.ID}c> <{ns.RDFS}label> \"c\"@en <{ns.GRAPH}new> .\n").encode()
        written = publish_remote(nquads, st)
        assert written == {ns.GRAPH + "new": 2}
        assert st.graphs() == {ns.GRAPH + "new": 2}
