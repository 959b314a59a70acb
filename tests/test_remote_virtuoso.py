"""The remote store and the service against a real OpenLink Virtuoso server, as against Oxigraph.

A throwaway Virtuoso (:class:`fixtures.servers.VirtuosoServer`: Debian's
``virtuoso-opensource``, its own ``virtuoso.ini`` in a temporary folder, HTTP
and SQL ports of 127.0.0.1 picked free) is started once for this module; the
real data is built into it with :func:`graph.build.build`, and into an
embedded store from the same private copy of ``ontology/`` and ``data/``.
Every competency question and the queries under
``tests/fixtures/scale/queries`` must give the embedded store's answer, both
through :class:`RemoteStore` and through our service (a real uvicorn server)
in front of Virtuoso. Writes go through the Graph Store Protocol
(``/sparql-graph-crud``) and SPARQL Update (``/sparql``, opened to the
anonymous user at start), or through the digest-authenticated endpoints.

Where Virtuoso answers differently, the difference is spelled out here and
tested on its own, never skipped:

- ``GROUP_CONCAT`` (:data:`GROUP_CONCAT_COLUMNS`): Virtuoso returns a plain
  literal where Oxigraph keeps the language tag its parts share (``"China;
  Russia"`` vs ``"China; Russia"@en``), joins the parts in another order (SPARQL
  leaves the order unspecified; ``tests/test_competency.py`` already reads
  these columns as sets), and concatenates a group with no values to ``""``
  where Oxigraph leaves the variable unbound. Every other column is identical.
- Virtuoso keeps its own graphs (``virtrdf#`` and a few more) in the same
  store, in the union default graph too: ``RemoteStore.graphs()`` lists only
  srkg's graphs and publishing never deletes the others; a count over
  ``GRAPH ?g`` through our ``/sparql`` includes them.
- ``GROUP_CONCAT`` without ``separator=`` fails on Virtuoso 7.2 (error
  SR183), so every catalogue query names its separator.
- Virtuoso applies a trailing ``VALUES`` block after the projection and fails
  when it binds an unselected variable: :class:`VirtuosoServer` sets
  ``remote_inline_values``, which moves the block into the WHERE group.
- A transitive path with both ends unbound fails ("transitive start not
  given"): ``projection/superclasses`` is written as one step and a
  zero-or-more path, which means the same.
- ``DROP GRAPH`` without ``SILENT`` fails on a graph not made by ``CREATE
  GRAPH`` (ours are made by the Graph Store Protocol).
- Virtuoso cuts results at ``ResultSetMaxRows`` and, asked for an "anytime"
  answer, returns a partial one, both with a 200: the store raises instead.
- A syntax error names its line but no column.
- A ``MINUS`` or ``FILTER NOT EXISTS`` after a ``UNION`` is not applied to the
  union's rows, and a class IRI bound in an ``OPTIONAL`` of an ordered query
  comes back as a literal: ``cq/10`` filters inside the first branch, and
  ``projection/assertions`` binds a plain string to say a node is qualified.
"""

from __future__ import annotations

import io
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import httpx
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from fixtures.faults.serve import serving
from fixtures.remote_checks import affected, check_page, opened
from fixtures.servers import VirtuosoServer, running_service
from graph import catalogue
from graph import namespaces as ns
from graph.build import build
from graph.errors import QueryError, RemoteTimeout, ResultTooLarge, SrkgError, StoreUnavailable
from graph.settings import REPO_ROOT, Settings, get_settings
from graph.sparql_lexer import inline_values
from graph.store import SelectResult
from graph.store.embedded import EmbeddedStore
from graph.store.remote import RemoteStore

OWN_QUERIES = Path(__file__).parent / "fixtures" / "scale" / "queries"
TEST_GRAPH = ns.GRAPH + "test/virtuoso"
TIMEOUT_S = 5.0  # the service's query time limit; the test client waits much longer, so a hang fails it
PAGES = ["/api/v1/entities/russia", "/id/russia", "/view/overview"]
TOKEN = "virtuoso-curator"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
SEPARATOR = "; "
# GROUP_CONCAT columns of the catalogue whose value differs on Virtuoso as the module docstring says
GROUP_CONCAT_COLUMNS: dict[str, set[str]] = {
    "cq/01-source-documents": {"authors"},
    "cq/05-joint-statement-cooperation": {"holders"},
    "cq/08-principle-to-end-war": {"holders"},
    "cq/10-travelled-with-putin": {"sectors"},
    "cq/15-authors-assessments": {"authors", "cues"},
}
# a query whose evaluation takes far longer than a second (a cross product of Virtuoso's own graphs)
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?a ?b ?c . ?d ?e ?f "
        "FILTER(STRLEN(CONCAT(STR(?o), STR(?c), STR(?f))) > 100000) }")


def _query_cases() -> list[tuple[str, str]]:
    cases = [(name, q.text) for name, q in catalogue.load().items() if name.startswith("cq/")]
    cases += [(name, q.text) for name, q in catalogue.load().items() if name.startswith("projection/")]
    cases += [(f"own/{name}", q.text) for name, q in catalogue.load(OWN_QUERIES).items()]
    return cases


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> VirtuosoServer:
    """One Virtuoso for the module; CI installs it (.ci/run), and without it these tests fail, never skip."""
    assert shutil.which("virtuoso-t") and shutil.which("isql-vt"), \
        "Virtuoso is missing: apt-get install virtuoso-opensource"
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of ontology/ and data/, so both stores are built from the same files."""
    root = tmp_path_factory.mktemp("virtuoso-data")
    shutil.copytree(REPO_ROOT / "ontology", root / "ontology")
    shutil.copytree(REPO_ROOT / "data", root / "data")
    return get_settings().model_copy(update={"ontology_dir": root / "ontology", "data_dir": root / "data",
                                             "store_dir": root / "store"})


@pytest.fixture(scope="module")
def remote_settings(frozen: Settings, virtuoso: VirtuosoServer) -> Settings:
    s = virtuoso.configure(frozen)
    build(s)
    return s


@pytest.fixture(scope="module")
def remote(remote_settings: Settings) -> RemoteStore:
    yield from opened(remote_settings)


@pytest.fixture(scope="module")
def embedded(frozen: Settings) -> EmbeddedStore:
    yield from opened(frozen, build_first=True)


def _virtuoso_graphs(virtuoso: VirtuosoServer) -> dict[str, int]:
    """Every graph Virtuoso holds, its own included, asked directly (not through RemoteStore)."""
    r = httpx.post(virtuoso.url + "/sparql", headers={"Accept": "application/sparql-results+json"}, data={
        "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"})
    r.raise_for_status()
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def _concatenation(value: object, on_virtuoso: bool) -> tuple[str, tuple[str, ...]]:
    """A GROUP_CONCAT value as its sorted parts, after checking the form each engine gives it."""
    if value is None:
        assert not on_virtuoso, "Virtuoso concatenates a group with no values to '', it does not leave it unbound"
        return ("concat", ())
    assert isinstance(value, Literal)
    if on_virtuoso:
        assert value.language is None and value.datatype is None, f"Virtuoso gives a plain literal, not {value!r}"
    return ("concat", tuple(sorted(p for p in str(value).split(SEPARATOR) if p)))


def _rows(name: str, variables: Iterable[str], rows: Iterable[Mapping[str, object]], on_virtuoso: bool) -> Counter:
    """Rows as a multiset: blank node labels ignored, the documented GROUP_CONCAT columns compared as parts."""
    concat = GROUP_CONCAT_COLUMNS.get(name, set())
    out: Counter = Counter()
    for row in rows:
        items = []
        for v in variables:
            value = row.get(v)
            if v in concat:
                items.append((v, _concatenation(value, on_virtuoso)))
            elif value is not None:
                items.append((v, "_:b" if isinstance(value, BNode) else value))
        out[frozenset(items)] += 1
    return out


def _same_answer(name: str, got: object, expected: object) -> None:
    """``got`` (from Virtuoso) is the embedded store's ``expected``, but for the documented differences."""
    assert type(got) is type(expected)
    if isinstance(expected, SelectResult):
        assert isinstance(got, SelectResult) and got.variables == expected.variables
        assert _rows(name, got.variables, got.rows, True) == _rows(name, expected.variables, expected.rows, False)
    elif isinstance(expected, list):
        def triples(ts: list) -> Counter:
            return Counter(tuple("_:b" if isinstance(t, BNode) else t for t in triple) for triple in ts)
        assert triples(got) == triples(expected)  # type: ignore[arg-type]
    else:
        assert got == expected


# -- the store ---------------------------------------------------------------


def test_the_settings_point_at_virtuosos_endpoints(remote: RemoteStore, virtuoso: VirtuosoServer) -> None:
    assert isinstance(remote, RemoteStore)
    assert remote.query_url == remote.update_url == virtuoso.url + "/sparql"
    assert remote.store_url == virtuoso.url + "/sparql-graph-crud"
    assert remote.union_parameter is None  # Virtuoso's default graph is the union already


def test_build_fills_the_server_and_leaves_virtuosos_own_graphs_alone(
        remote: RemoteStore, embedded: EmbeddedStore, virtuoso: VirtuosoServer) -> None:
    graphs = remote.graphs()
    assert graphs == embedded.graphs()
    assert {ns.ONTOLOGY_GRAPH, ns.REFERENCE_GRAPH, ns.INFERRED_GRAPH} <= set(graphs)
    assert len(remote) == len(embedded) == sum(graphs.values())
    everything = _virtuoso_graphs(virtuoso)
    own = {g: n for g, n in everything.items() if not g.startswith(ns.GRAPH)}
    assert own.get("http://www.openlinksw.com/schemas/virtrdf#", 0) > 0, own  # survived the build's publishing
    assert {g: n for g, n in everything.items() if g.startswith(ns.GRAPH)} == graphs


def test_a_second_build_replaces_rather_than_adds(remote_settings: Settings, remote: RemoteStore,
                                                  virtuoso: VirtuosoServer) -> None:
    before, own_before = remote.graphs(), _virtuoso_graphs(virtuoso)
    remote.replace_graph(ns.GRAPH + "stale", [(URIRef(ns.ID + "x"), URIRef(ns.RDFS + "label"), Literal("x"))])
    build(remote_settings)
    assert remote.graphs() == before
    assert _virtuoso_graphs(virtuoso) == own_before


@pytest.mark.parametrize("name,text", _query_cases(), ids=[n for n, _ in _query_cases()])
def test_queries_answer_the_same_on_virtuoso(name: str, text: str, remote: RemoteStore,
                                             embedded: EmbeddedStore) -> None:
    expected = embedded.query(text)
    _same_answer(name, remote.query(text), expected)
    if name.startswith("own/") and not isinstance(expected, bool):
        assert len(expected) > 0, f"{name} should find something in the real data"


def test_the_group_concat_differences_are_virtuosos(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    """The two documented GROUP_CONCAT differences, on their own: if Virtuoso changes, this says so."""
    tagged = 'SELECT (GROUP_CONCAT(?l; separator="; ") AS ?c) WHERE { VALUES ?l { "a"@en "b"@en } }'
    assert embedded.select(tagged).rows[0]["c"].language == "en"
    got = remote.select(tagged).rows[0]["c"]
    assert (got.language, got.datatype, sorted(str(got).split(SEPARATOR))) == (None, None, ["a", "b"])
    empty = ('SELECT ?s (GROUP_CONCAT(?l; separator="; ") AS ?c) WHERE { VALUES ?s { id:russia } '
             "OPTIONAL { ?s srkg:noSuchProperty ?l } } GROUP BY ?s")
    assert embedded.select(empty).rows[0]["c"] is None
    assert remote.select(empty).rows[0]["c"] == Literal("")
    # Virtuoso 7.2 fails on GROUP_CONCAT without a separator (SPARQL's default is " "); ours always name one
    with pytest.raises(QueryError, match="SR183"):
        remote.query('SELECT (GROUP_CONCAT(?l) AS ?c) WHERE { VALUES ?l { "a" "b" } }')
    for name, query in catalogue.load().items():
        assert query.text.count("GROUP_CONCAT(") == query.text.lower().count("separator="), name
    # every catalogue entry above really has a GROUP_CONCAT column of that name
    for name, columns in GROUP_CONCAT_COLUMNS.items():
        text = catalogue.get(name).text
        for column in columns:
            assert f"AS ?{column})" in text and "GROUP_CONCAT" in text, (name, column)


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


def test_bindings_are_moved_into_the_where_group(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    """Virtuoso fails on a trailing VALUES that binds an unselected variable; inside the group it is the same join."""
    text = catalogue.text("api/entity-statements", entity=URIRef(ns.ID + "russia"))
    assert remote.inline_values
    with RemoteStore(remote.base_url, settings=get_settings().model_copy(update={
            "remote_query_path": "/sparql", "remote_store_path": "/sparql-graph-crud",
            "remote_union_parameter": ""})) as trailing, pytest.raises(QueryError, match="No column entity"):
        trailing.query(text)
    expected = embedded.query(text)
    assert len(expected) > 0
    _same_answer("api/entity-statements", remote.query(text), expected)
    # braces in strings, IRIs and comments do not count; the rewritten query means the same on the embedded store
    tricky = ('SELECT ?label WHERE { # a comment with } and {\n'
              '  ?s rdfs:label ?label FILTER (?label != "}{" && STRLEN(?label) < 100) '
              'OPTIONAL { ?s <http://example.org/x#y> "{" } } ORDER BY ?label')
    bound = catalogue.bind(tricky, s=URIRef(ns.ID + "russia"))
    moved = inline_values(bound)
    assert moved != bound and moved.rstrip().endswith("ORDER BY ?label")
    assert moved.index("VALUES") < moved.index("ORDER BY")
    assert embedded.query(moved).rows == embedded.query(bound).rows != []
    assert inline_values(tricky) == tricky


def test_writes_through_the_graph_store_protocol_and_update(remote: RemoteStore) -> None:
    s, label = URIRef(ns.ID + "test-virtuoso-subject"), URIRef(ns.RDFS + "label")
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


def test_dump_and_snapshot_hold_srkgs_graphs(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    dump = remote.dump("application/n-quads")  # Virtuoso has no whole-dataset GET: read graph by graph
    assert dump.count(b"\n") == len(remote) == len(embedded)
    assert f"<{ns.ONTOLOGY_GRAPH}>".encode() in dump and b"openlinksw" not in dump
    assert EmbeddedStore(store=remote.snapshot()).graphs() == embedded.graphs()


def test_syntax_errors_name_the_callers_line(remote: RemoteStore) -> None:
    with pytest.raises(QueryError, match=r"syntax error at line 4\b") as e:
        remote.query("SELECT ?s\nWHERE {\n  ?s ?p ?o\n  LIMIT 3")
    assert (e.value.line, e.value.column) == (4, None)  # Virtuoso names no column
    assert "PREFIX" not in str(e.value)  # Virtuoso's echo of the whole query (with our prologue) is cut
    with pytest.raises(QueryError):
        remote.update("INSERT DATA { <a> }")
    assert TEST_GRAPH not in remote.graphs()


def test_the_servers_own_caps_are_errors_not_answers(virtuoso: VirtuosoServer, remote: RemoteStore) -> None:
    """Virtuoso cuts results at ResultSetMaxRows and stops queries at MaxQueryExecutionTime, both quietly."""
    limits = virtuoso.max_rows, virtuoso.timeout_s
    virtuoso.stop()
    virtuoso.max_rows, virtuoso.timeout_s = 5, 1
    virtuoso.start()  # same port and database, the new limits in its virtuoso.ini
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
        virtuoso.stop()
        virtuoso.max_rows, virtuoso.timeout_s = limits
        virtuoso.start()
    assert len(remote.select("SELECT ?s WHERE { ?s a srkg:Actor }")) > 5


def test_digest_authentication_on_virtuosos_protected_endpoints(
        remote_settings: Settings, virtuoso: VirtuosoServer) -> None:
    protected = remote_settings.model_copy(update={
        "remote_query_path": "/sparql-auth", "remote_update_path": "/sparql-auth",
        "remote_store_path": "/sparql-graph-crud-auth", "remote_auth": "digest"})
    user, password = VirtuosoServer.DBA
    url = virtuoso.url.replace("http://", f"http://{user}:{password}@")
    triple = (URIRef(ns.ID + "test-digest"), URIRef(ns.RDFS + "label"), Literal("digest"))
    with RemoteStore(url, settings=protected) as st:
        st.replace_graph(TEST_GRAPH, [triple])
        assert st.get_graph(TEST_GRAPH) == [triple]
        st.update(f"DROP SILENT GRAPH <{TEST_GRAPH}>")  # without SILENT: only graphs made by CREATE GRAPH
        assert TEST_GRAPH not in st.graphs()
    for wrong in (RemoteStore(virtuoso.url, settings=protected),  # no credentials
                  RemoteStore(url, settings=protected.model_copy(update={"remote_auth": "basic"}))):
        with wrong, pytest.raises(StoreUnavailable, match=r"refused access \(HTTP 401\)"):
            wrong.ask("ASK { ?s ?p ?o }")
    with pytest.raises(SrkgError, match="SRKG_REMOTE_AUTH must be 'basic' or 'digest'"):
        RemoteStore(url, settings=protected.model_copy(update={"remote_auth": "kerberos"}))


# -- the service in front of Virtuoso -----------------------------------------


@pytest.fixture(scope="module")
def service_settings(remote_settings: Settings) -> Settings:
    return remote_settings.model_copy(update={"query_timeout_s": TIMEOUT_S})


@pytest.fixture(scope="module")
def client(service_settings: Settings) -> httpx.Client:
    with running_service(service_settings) as url, httpx.Client(base_url=url, timeout=10 * TIMEOUT_S) as c:
        yield c


def test_the_service_reads_virtuoso(client: httpx.Client, embedded: EmbeddedStore,
                                    virtuoso: VirtuosoServer) -> None:
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    virtuosos_own = sum(n for g, n in _virtuoso_graphs(virtuoso).items() if not g.startswith(ns.GRAPH))
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(embedded) + virtuosos_own


@pytest.mark.parametrize("name", sorted(n for n in catalogue.load() if n.startswith("cq/")))
def test_competency_questions_through_our_sparql_match_the_embedded_store(
        name: str, client: httpx.Client, embedded: EmbeddedStore) -> None:
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
    variables = [str(v) for v in got.vars]
    assert variables == expected.variables
    rows = [{str(k): v for k, v in row.asdict().items()} for row in got]
    assert _rows(name, variables, rows, True) == _rows(name, expected.variables, expected.rows, False)


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_on_virtuoso(path: str, client: httpx.Client) -> None:
    check_page(client, path)


def test_virtuoso_stopping_gives_503_and_recovery_needs_no_restart(
        client: httpx.Client, virtuoso: VirtuosoServer) -> None:
    assert [r.status_code for r in affected(client)] == [200, 200]
    virtuoso.stop()
    try:
        for r in affected(client):  # a hang past the time limit fails here with the client's ReadTimeout
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert virtuoso.url in r.json()["detail"] and "SRKG_STORE" in r.json()["detail"]
    finally:
        virtuoso.start()  # the same port and database
    answers = affected(client)
    assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
    assert answers[0].json()["boolean"] is True


def test_srkg_serve_on_virtuoso_checks_writes_and_sends_them_there(
        service_settings: Settings, virtuoso: VirtuosoServer, tmp_path: Path) -> None:
    no_local_store = service_settings.model_copy(update={"store_dir": tmp_path / "nothing-here"})
    insert = (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:virtuoso-atlantis a srkg:State ; '
              f'rdfs:label "Virtuoso Atlantis"@en }} }}')
    with serving(no_local_store, update_token=TOKEN) as server, \
            httpx.Client(base_url=server.url, timeout=10 * TIMEOUT_S) as client, \
            RemoteStore(virtuoso.url, settings=service_settings) as direct:
        assert not (tmp_path / "nothing-here").exists()
        before = direct.graphs()
        # SHACL refuses a State without a label, as on the embedded store; the server is unchanged
        bad = f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:nameless a srkg:State }} }}'
        r = client.post("/sparql/update", content=bad, headers=AUTH)
        assert r.status_code == 422 and any("label" in v for v in r.json()["violations"]), r.text
        assert direct.graphs() == before
        # a valid write lands on Virtuoso, with its entailments, and the service sees it
        r = client.post("/sparql/update", content=insert, headers=AUTH)
        assert r.status_code == 204, r.text
        assert direct.ask(f"ASK {{ GRAPH <{ns.INFERRED_GRAPH}> {{ id:virtuoso-atlantis a srkg:Actor }} }}")
        assert client.get("/api/v1/entities/virtuoso-atlantis").json()["label"] == "Virtuoso Atlantis"
        r = client.post("/sparql/update", content=f"DELETE WHERE {{ GRAPH <{ns.REFERENCE_GRAPH}> "
                        "{ id:virtuoso-atlantis ?p ?o } }", headers=AUTH)
        assert r.status_code == 204, r.text
        assert direct.graphs() == before
