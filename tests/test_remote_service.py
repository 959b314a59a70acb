"""The service, unchanged, in front of a real Oxigraph server: same answers, a clear 503 while it is down.

A real Oxigraph server runs on 127.0.0.1 with a temporary folder; the real
data is built into it with :func:`graph.build.build`; our service runs as a
real uvicorn process with ``SRKG_STORE`` pointing at the server. Every
competency question through our ``/sparql`` must give the rows the embedded
store gives; the REST, linked-data and view pages answer. When the server
stops, the service answers 503 ``application/problem+json`` naming the server
(never 500, never a hang); when it starts again on the same port and folder,
the service answers again without a restart. ``srkg serve`` runs on the
server with no local store at all, and curators' writes are checked as on the
embedded store and then land on the server.
"""

from __future__ import annotations

import io
import socket
from collections import Counter

import httpx
import pytest
from rdflib import BNode
from rdflib.query import Result

from fixtures.faults.serve import serving
from fixtures.remote_checks import affected, check_page
from fixtures.servers import OxigraphServer, running_service
from graph import catalogue
from graph import namespaces as ns
from graph.build import build
from graph.settings import Settings
from graph.store import SelectResult
from graph.store.embedded import EmbeddedStore
from graph.store.remote import RemoteStore

TIMEOUT_S = 5.0  # the service's query time limit; the test client waits much longer, so a hang fails it
CQ = sorted(name for name in catalogue.load() if name.startswith("cq/"))
PAGES = ["/api/v1/entities/russia", "/id/russia", "/view/overview"]
TOKEN = "remote-curator"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> OxigraphServer:
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-service")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def remote_settings(settings: Settings, oxigraph: OxigraphServer) -> Settings:
    """The session's ontology and data, built into the Oxigraph server."""
    s = settings.model_copy(update={"store": oxigraph.url, "query_timeout_s": TIMEOUT_S})
    build(s)
    return s


@pytest.fixture(scope="module")
def client(remote_settings: Settings) -> httpx.Client:
    with running_service(remote_settings) as url, httpx.Client(base_url=url, timeout=10 * TIMEOUT_S) as c:
        yield c


def _rows(result: SelectResult | Result) -> Counter:
    """Rows as a multiset, blank node labels ignored (they differ between engines)."""
    rows = result.rows if isinstance(result, SelectResult) else [
        {str(k): v for k, v in row.asdict().items()} for row in result]
    return Counter(frozenset((k, "_:b" if isinstance(v, BNode) else v) for k, v in row.items() if v is not None)
                   for row in rows)


def test_the_service_reads_the_server(client: httpx.Client, store: EmbeddedStore) -> None:
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(store)


@pytest.mark.parametrize("name", CQ)
def test_competency_questions_through_our_sparql_match_the_embedded_store(
        name: str, client: httpx.Client, store: EmbeddedStore) -> None:
    text = catalogue.get(name).text
    r = client.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query",
                                                               "Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    got = Result.parse(io.BytesIO(r.content), format="json")
    expected = store.query(text)
    if isinstance(expected, bool):
        assert got.askAnswer is expected
        return
    assert isinstance(expected, SelectResult)
    assert [str(v) for v in got.vars] == expected.variables
    assert _rows(got) == _rows(expected)


def test_the_network_guard_still_applies(client: httpx.Client) -> None:
    for query in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                  "SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }"):
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json"), r.text


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_on_the_server(path: str, client: httpx.Client) -> None:
    check_page(client, path)


def test_a_server_that_stops_gives_503_and_recovery_needs_no_restart(
        client: httpx.Client, oxigraph: OxigraphServer) -> None:
    assert [r.status_code for r in affected(client)] == [200, 200]
    oxigraph.stop()
    try:
        for r in affected(client):  # a hang past the time limit fails here with the client's ReadTimeout
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert int(r.headers["retry-after"]) > 0
            problem = r.json()
            assert problem["status"] == 503 and problem["title"] == "Store unavailable"
            assert oxigraph.url in problem["detail"] and "SRKG_STORE" in problem["detail"]
        for path in PAGES:  # pages may still be served from the projection cache, but never fail with 500
            assert client.get(path).status_code in (200, 503)
    finally:
        oxigraph.start()  # the same port and data folder
    answers = affected(client)
    assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
    assert answers[0].json()["boolean"] is True
    assert answers[1].json()["label"] == "Russia"


def test_srkg_serve_on_the_server_alone_checks_writes_and_sends_them_there(
        remote_settings: Settings, oxigraph: OxigraphServer, tmp_path) -> None:
    no_local_store = remote_settings.model_copy(update={"store_dir": tmp_path / "nothing-here"})
    insert = (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:remote-atlantis a srkg:State ; '
              f'rdfs:label "Remote Atlantis"@en }} }}')
    with serving(no_local_store, update_token=TOKEN) as server, \
            httpx.Client(base_url=server.url, timeout=10 * TIMEOUT_S) as client, \
            RemoteStore(oxigraph.url, settings=remote_settings) as direct:
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
        oxigraph.stop()
        try:
            r = client.post("/sparql/update", content=insert.replace("remote-atlantis", "remote-lemuria"),
                            headers=AUTH)
            assert r.status_code == 503 and oxigraph.url in r.json()["detail"], r.text
        finally:
            oxigraph.start()
        assert not direct.ask("ASK { id:remote-lemuria ?p ?o }")
        r = client.post("/sparql/update", content=f"DELETE WHERE {{ GRAPH <{ns.REFERENCE_GRAPH}> "
                        "{ id:remote-atlantis ?p ?o } }", headers=AUTH)
        assert r.status_code == 204, r.text
        assert direct.graphs() == before


def test_a_server_that_never_answers_gives_a_503_timeout_not_a_hang(remote_settings: Settings, tmp_path) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with serving(remote_settings, store=url, query_timeout_s=1, store_dir=tmp_path) as server, \
                httpx.Client(base_url=server.url, timeout=30) as client:
            for r in affected(client):
                assert r.status_code == 503, r.text
                assert r.headers["content-type"].startswith("application/problem+json")
                assert r.json()["title"] == "Query timeout" and url in r.json()["detail"]
