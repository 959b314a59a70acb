"""SIGKILL in the middle of a stream of authenticated writes: acknowledged writes survive, none is half there.

``srkg serve`` runs as a subprocess in its own process group (so its query
workers die with it) over an embedded store built into a temporary folder,
with writes enabled. Two client threads keep sending SPARQL Updates, each
inserting one new ``srkg:State`` with its label (two triples) into the
reference graph. After some writes were acknowledged, and while requests are
in flight, the whole process group gets SIGKILL. The service is started
again on the same store and must answer (the store opens without repair);
every acknowledged write is there, every resource has both triples or none
(and its entailment with it), and writes work again.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from fixtures.faults.serve import serving
from graph import namespaces as ns
from graph.build import build
from graph.settings import Settings

TOKEN = "durability-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
ACKS_BEFORE_KILL = 4
SENDERS = 2
PREFIX = ns.ID + "durable-"


def _insert(i: int) -> str:
    return (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ <{PREFIX}{i}> a srkg:State ; '
            f'rdfs:label "Durable state {i}"@en }} }}')


class Stream:
    """Client threads sending writes one after another; which were acknowledged, which were in flight."""

    def __init__(self, url: str):
        self.url = url
        self.lock = threading.Condition()
        self.next = 0
        self.acked: set[int] = set()
        self.in_flight: set[int] = set()
        self.failed: dict[int, str] = {}
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._send) for _ in range(SENDERS)]
        for t in self.threads:
            t.start()

    def _send(self) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while not self.stop.is_set():
                with self.lock:
                    i = self.next
                    self.next += 1
                    self.in_flight.add(i)
                    self.lock.notify_all()
                try:
                    r = client.post("/sparql/update", content=_insert(i), headers=AUTH)
                    outcome = "" if r.status_code == 204 else f"{r.status_code} {r.text}"
                except httpx.TransportError as e:  # the server was killed under this request
                    outcome = f"{type(e).__name__}: {e}"
                with self.lock:
                    self.in_flight.discard(i)
                    if outcome:
                        self.failed[i] = outcome
                    else:
                        self.acked.add(i)
                    self.lock.notify_all()
                if outcome:
                    return

    def wait_for(self, acks: int, timeout_s: float = 600.0) -> None:
        """Until ``acks`` writes were acknowledged and another one is in flight."""
        with self.lock:
            ok = self.lock.wait_for(lambda: (len(self.acked) >= acks and self.in_flight) or self.failed, timeout_s)
            assert ok and not self.failed, f"the stream failed before the kill: {self.failed}"

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


@pytest.fixture
def curated_store(settings: Settings, tmp_path: Path) -> Settings:
    """The real ontology and data built into a private store folder."""
    s = settings.model_copy(update={"store_dir": tmp_path / "store"})
    build(s)
    return s


def _present(client: httpx.Client) -> dict[int, dict[str, bool]]:
    """For each durable resource in the store: which of its triples (and its entailment) are there."""
    query = f"""SELECT ?s ?typed ?labelled ?entailed WHERE {{
        {{ SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{PREFIX}")) }} }}
        BIND(EXISTS {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ ?s a srkg:State }} }} AS ?typed)
        BIND(EXISTS {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ ?s rdfs:label ?l }} }} AS ?labelled)
        BIND(EXISTS {{ GRAPH <{ns.INFERRED_GRAPH}> {{ ?s a srkg:Actor }} }} AS ?entailed) }}"""
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return {int(b["s"]["value"][len(PREFIX):]): {k: b[k]["value"] == "true" for k in ("typed", "labelled", "entailed")}
            for b in r.json()["results"]["bindings"]}


def test_sigkill_during_writes_loses_no_acknowledged_write(curated_store: Settings) -> None:
    with serving(curated_store, update_token=TOKEN) as server:
        stream = Stream(server.url)
        try:
            stream.wait_for(ACKS_BEFORE_KILL)
            in_flight = set(stream.in_flight)
            server.kill()
        finally:
            stream.finish()
    assert in_flight, "no write was in flight at the kill"
    acked = set(stream.acked)
    assert len(acked) >= ACKS_BEFORE_KILL
    assert stream.failed, "the kill interrupted no request"

    with serving(curated_store, update_token=TOKEN) as server, \
            httpx.Client(base_url=server.url, timeout=120) as client:
        present = _present(client)  # the store opened, without repair, and answers
        missing = sorted(acked - set(present))
        assert not missing, f"acknowledged writes lost after SIGKILL: {missing}"
        half = {i: parts for i, parts in present.items() if not all(parts.values())}
        assert not half, f"writes half there after SIGKILL: {half}"
        assert set(present) <= acked | set(stream.failed), "a write that was never sent is in the store"

        after = stream.next + 1
        r = client.post("/sparql/update", content=_insert(after), headers=AUTH)
        assert r.status_code == 204, r.text
        assert _present(client)[after] == {"typed": True, "labelled": True, "entailed": True}
        assert client.get(f"/api/v1/entities/durable-{after}").json()["label"] == f"Durable state {after}"
