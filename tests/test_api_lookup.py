"""Lookups by IRI run in the service's own process; everything else in the killable query workers.

Over a real server: with every query worker stopped (SIGSTOP), a one-pattern lookup is still answered
while a join times out with 503; after a curator's write, the in-process reader sees the new data.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from api.guard import is_lookup
from fixtures.servers import running_service
from graph import namespaces as ns
from graph.build import build

TOKEN = "lookup-secret"
LOOKUP = "SELECT ?p ?o WHERE { id:russia ?p ?o }"
JOIN = "SELECT ?s ?o WHERE { ?s srkg:holder id:russia ; srkg:target ?o }"


@pytest.mark.parametrize("query, expected", [
    (LOOKUP, True),
    ("ASK { id:russia a srkg:State }", True),
    ("SELECT ?s WHERE { ?s ?p id:russia } ORDER BY DESC(?s) LIMIT 10", True),
    (JOIN, False),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", False),
    ("SELECT (COUNT(*) AS ?n) WHERE { id:russia ?p ?o }", False),
    ("SELECT ?o WHERE { id:russia srkg:holds* ?o }", False),
    ("SELECT ?o WHERE { id:russia ?p ?o FILTER (isIRI(?o)) }", False),
    ("SELECT ?o FROM <https://w3id.org/srkg/graph/reference> WHERE { id:russia ?p ?o }", False),
    ("SELECT ?o WHERE { GRAPH ?g { id:russia ?p ?o } }", False),
    ("SELECT ?o WHERE { { id:russia ?p ?o } UNION { ?o ?p id:russia } }", False),
    ("SELECT ?o WHERE { id:russia ?p ?o } VALUES ?o { id:china }", False),
    ("SELECT ?o WHERE { SERVICE <http://example.org/> { id:russia ?p ?o } }", False),
    ("SELECT ?o WHERE { \\u0053ERVICE <http://example.org/> { id:russia ?p ?o } }", False),
])
def test_which_queries_are_lookups(query, expected):
    assert is_lookup(query) is expected


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        out |= {int(x) for x in (task / "children").read_text().split()}
    return out


@pytest.fixture
def served(data_copy):
    build(data_copy)  # a store of its own: the test writes to it
    with running_service(data_copy, update_token=TOKEN, query_timeout_s=2) as server:
        yield server


def test_a_lookup_is_answered_while_every_worker_is_stopped(served):
    with httpx.Client(base_url=served, timeout=60) as c:
        c.get("/", headers={"Accept": "text/html"})  # the warm-up is done: no worker is busy for the service
        workers = [p for p in _children(served.pid)
                   if "resource_tracker" not in Path(f"/proc/{p}/cmdline").read_text()]
        assert len(workers) >= 2
        for p in workers:
            os.kill(p, signal.SIGSTOP)
        try:
            r = c.get("/sparql", params={"query": LOOKUP})
            assert r.status_code == 200, r.text
            objects = {b["o"]["value"] for b in r.json()["results"]["bindings"]}
            assert ns.SRKG + "State" in objects
            r = c.get("/sparql", params={"query": JOIN})
            assert r.status_code == 503, r.text  # the join needs a worker, and none answers
        finally:
            for p in workers:
                try:
                    os.kill(p, signal.SIGCONT)
                except ProcessLookupError:  # the worker the join timed out on was killed and replaced
                    pass


def test_a_lookup_sees_a_write_at_once(served):
    atlantis = "SELECT ?p ?o WHERE { id:atlantis ?p ?o }"
    with httpx.Client(base_url=served, timeout=60) as c:
        assert c.get("/sparql", params={"query": atlantis}).json()["results"]["bindings"] == []
        insert = (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:atlantis a srkg:State ; '
                  f'rdfs:label "Atlantis"@en }} }}')
        r = c.post("/sparql/update", content=insert, headers={"Content-Type": "application/sparql-update",
                                                               "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 204, r.text
        rows = c.get("/sparql", params={"query": atlantis}).json()["results"]["bindings"]
        assert {"value": "Atlantis", "type": "literal", "xml:lang": "en"} in [b["o"] for b in rows]
