"""Benchmarks of writes and of fairness: what a curator waits for, and what a crowd can do to the others.

Part of ``srkg bench`` (:func:`bench.measure.run`), at each size, against one service process started with
writes enabled and clients told apart by ``X-Forwarded-For`` (as behind a proxy):

- write latency: p50 and p95 of a small ``INSERT DATA`` and of a PUT of one source graph, beside the same
  writes sent to the Oxigraph server (the engine's own floor: no checks);
- contention: while one client keeps 12 runaway queries coming, the latency of another client's ordinary
  query;
- disconnects: 20 clients send a runaway query each and hang up at once; the worker processes still running
  one of them 2 s later.

Figures are printed as rows of the report; nothing here asserts a time.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from fixtures.servers import ChildServer, OxigraphServer
from graph import namespaces as ns

TOKEN = "bench-curator"
PROXY = "X-Forwarded-For"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ORDINARY = "SELECT ?s ?label WHERE { ?s a srkg:State ; rdfs:label ?label }"


class CuratedService(ChildServer):
    """``srkg serve`` in one process, with writes enabled and clients told apart by ``X-Forwarded-For``."""

    name = "service (writes enabled)"
    ready_timeout_s = 900.0

    def __init__(self, store_dir: Path, data_dir: Path) -> None:
        super().__init__(env=dict(os.environ, SRKG_STORE_DIR=str(store_dir), SRKG_DATA_DIR=str(data_dir),
                                  SRKG_STORE="embedded", SRKG_UPDATE_TOKEN=TOKEN, SRKG_CLIENT_KEY_HEADER=PROXY))

    def command(self) -> list[str]:
        return [sys.executable, "-c", "from graph.cli import main; main()", "serve", "--host", "127.0.0.1",
                "--port", str(self.port), "--no-access-log", "--processes", "1"]

    @property
    def ready_url(self) -> str:
        return self.url + "/"

    def workers(self) -> dict[int, float]:
        """The live query workers (children running multiprocessing's spawn) and their CPU use, in %,
        over half a second."""
        assert self.process is not None
        found: dict[int, psutil.Process] = {}
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(child.cmdline()):
                    child.cpu_percent(None)
                    found[child.pid] = child
            except psutil.Error:
                continue
        time.sleep(0.5)
        out = {}
        for pid, child in found.items():
            try:
                out[pid] = child.cpu_percent(None)
            except psutil.Error:
                continue
        return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _timed(send: Callable[[int], httpx.Response], runs: int) -> tuple[float, float, int]:
    """p50 and p95 in ms of ``runs`` calls of ``send(i)``, and how many did not answer 2xx."""
    samples, failed = [], 0
    for i in range(runs):
        t0 = time.perf_counter()
        r = send(i)
        samples.append((time.perf_counter() - t0) * 1000)
        failed += not r.is_success
    p50, p95 = _percentiles(samples)
    return p50, p95, failed


def _source_graph(client: httpx.Client, base: str) -> tuple[str, bytes]:
    """The first synthetic source graph and its content, as N-Triples."""
    graph = ns.SOURCE_GRAPH_PREFIX + "synth-000002"
    body = client.get(base, params={"graph": graph}, headers={"Accept": "application/n-triples"}).content
    return graph, body


def writes(label: str, service: CuratedService, server: OxigraphServer, runs: int) -> list[list[str]]:
    """Rows: write latency through srkg (checked) and on the Oxigraph server (the floor)."""
    rows: list[list[str]] = []
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(timeout=600) as client:
        graph, body = _source_graph(client, service.url + "/rdf-graphs/service")

        def insert(url: str, headers: dict[str, str]) -> Callable[[int], httpx.Response]:
            return lambda i: client.post(url, headers={"Content-Type": "application/sparql-update", **headers},
                                         content=f'INSERT DATA {{ GRAPH <{graph}> {{ <{ns.ID}bench-write-{i}> '
                                                 f'<{ns.RDFS}label> "bench write {i}"@en }} }}')

        def put(url: str, headers: dict[str, str]) -> Callable[[int], httpx.Response]:
            return lambda i: client.put(url, params={"graph": graph},
                                        headers={"Content-Type": "application/n-triples", **headers},
                                        content=body + f'<{ns.ID}bench-put-{i}> <{ns.RDFS}label> "put {i}"@en .\n'
                                        .encode())

        for what, srkg_send, ox_send in (
                ("INSERT DATA, two triples", insert(service.url + "/sparql/update", auth),
                 insert(server.url + "/update", {})),
                ("PUT one source graph", put(service.url + "/rdf-graphs/service", auth),
                 put(server.url + "/store", {}))):
            for engine, send in (("srkg (checked)", srkg_send), ("oxigraph server (floor)", ox_send)):
                p50, p95, failed = _timed(send, runs)
                rows.append([label, f"write: {what}", engine, _ms(p50), _ms(p95), str(runs), str(failed)])
    return rows


def contention(label: str, service: CuratedService, runaways: int = 12, runs: int = 20) -> list[list[str]]:
    """Rows: another client's ordinary query, alone and while one client keeps ``runaways`` runaway queries
    coming (each hangs up after 30 s)."""
    stop = threading.Event()

    def flood() -> None:
        with httpx.Client(timeout=30) as c:
            while not stop.is_set():
                try:
                    c.get(service.url + "/sparql", params={"query": RUNAWAY}, headers={PROXY: "10.9.0.1"})
                except httpx.HTTPError:
                    continue

    def ordinary(client: httpx.Client) -> Callable[[int], httpx.Response]:
        return lambda i: client.get(service.url + "/sparql", params={"query": ORDINARY},
                                    headers={PROXY: "10.9.0.2"})

    rows = []
    with httpx.Client(timeout=60) as client:
        alone = _timed(ordinary(client), runs)
        threads = [threading.Thread(target=flood, daemon=True) for _ in range(runaways)]
        for t in threads:
            t.start()
        time.sleep(1.5)  # let the runaways take their workers and fill their client's queue
        contended = _timed(ordinary(client), runs)
        stop.set()
        for t in threads:  # each ends with its request: refused, timed out or hung up
            t.join()
    for name, (p50, p95, failed) in (("alone", alone), (f"beside {runaways} runaways of one client", contended)):
        rows.append([label, f"another client's ordinary query, {name}", "srkg", _ms(p50), _ms(p95), str(runs),
                     str(failed)])
    return rows


def disconnects(label: str, service: CuratedService, clients: int = 20) -> list[list[str]]:
    """Rows: ``clients`` clients send a runaway query each and hang up after a second; 2 s later, how many
    of the workers that ran those queries still live, and how many workers are busy (one starting up is
    busy for a moment too, so the second figure is read again 2 s later)."""
    def hang_up(i: int) -> None:
        try:
            httpx.get(service.url + "/sparql", params={"query": RUNAWAY}, headers={PROXY: f"10.8.0.{i}"}, timeout=1)
        except httpx.HTTPError:
            pass

    deadline = time.monotonic() + 60
    while any(cpu > 50 for cpu in service.workers().values()) and time.monotonic() < deadline:
        continue  # the queries of the scenarios before have ended (each sample takes half a second)
    before = set(service.workers())
    threads = [threading.Thread(target=hang_up, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(2)
    after = service.workers()
    survivors = len(before & set(after))
    busy = sum(cpu > 50 for cpu in after.values())
    time.sleep(2)
    busy_later = sum(cpu > 50 for cpu in service.workers().values())
    return [[label, f"{clients} clients hang up on runaway queries: workers that ran them, alive 2 s later",
             "srkg", str(survivors), "-", str(clients), "-"],
            [label, f"{clients} clients hang up on runaway queries: busy workers 2 s and 4 s later", "srkg",
             f"{busy}, {busy_later}", "-", str(clients), "-"]]


def _ms(x: float) -> str:
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def run(label: str, store_dir: Path, data: Path, server: OxigraphServer, echo: Callable[[str], None],
        write_runs: int = 20) -> list[list[str]]:
    """Every figure of this module at one size; the store is written to (run it last)."""
    service = CuratedService(store_dir, data)
    echo(f"[{label}] writes, contention and disconnects…")
    service.start()
    try:
        rows = writes(label, service, server, write_runs)
        rows += contention(label, service)
        rows += disconnects(label, service)
    finally:
        service.stop()
    return rows

