"""Where the CPU of a SPARQL request goes: CPU milliseconds per request, by process, for srkg and Oxigraph.

The profile behind the ``/sparql`` ratios of ``srkg bench``: the same lookup and five-pattern join
(:data:`bench.measure.LOOKUP`, :data:`bench.measure.JOIN`), each sent by ApacheBench for ``--seconds``,
while the CPU time of every process of each server is read before and after. srkg runs as the bench
runs it (``--processes 2``, read-only) without its result cache, so that every request reaches the engine.
Its CPU splits into the server processes (HTTP, the guard, the hop to a worker) and the query workers
(the engine, serialisation, the pipe back)::

    python -m bench.cost --store-dir <built store> --data-dir <its data> --oxigraph-dir <oxigraph load's folder>

The machine's other work counts too: run it on a quiet machine, and compare the two servers' figures of
the same run. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import quote

import psutil

from fixtures.servers import ChildServer, OxigraphServer
from graph import namespaces as ns
from graph.store.embedded import EmbeddedStore, current_store_path

from .measure import JOIN, LOOKUP, SERVICE_PROCESSES, _Service, _table, apache_bench

ACCEPT = "application/sparql-results+json"


def _cpu_by_process(root: psutil.Process) -> dict[int, tuple[str, float]]:
    """Each process of ``root``'s tree: its role and its CPU seconds so far. The query workers are the
    processes of the tree that have no children of their own (multiprocessing's resource trackers aside)."""
    found: dict[int, tuple[str, float]] = {}
    for p in [root, *root.children(recursive=True)]:
        try:
            worker = p.pid != root.pid and not p.children() and "resource_tracker" not in " ".join(p.cmdline())
            times = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        found[p.pid] = ("query workers" if worker else "server processes", times.user + times.system)
    return found


def _spent(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds spent between the two readings, by role (a process started meanwhile counts in full)."""
    spent = {"server processes": 0.0, "query workers": 0.0}
    for pid, (role, seconds) in after.items():
        spent[role] += seconds - before.get(pid, (role, 0.0))[1]
    return spent


def measure(name: str, root: psutil.Process, url: str, seconds: float) -> list[list[str]]:
    """Rows: requests per second, and CPU milliseconds per request of each role of ``root``'s processes."""
    apache_bench(url, concurrency=8, seconds=1, accept=ACCEPT)  # warm-up
    before = _cpu_by_process(root)
    figures = apache_bench(url, concurrency=8, seconds=seconds, accept=ACCEPT, max_requests=100_000)
    spent = {role: seconds * 1000 / max(1, figures.requests)
             for role, seconds in _spent(before, _cpu_by_process(root)).items()}
    return [[name, f"{figures.rps:,.0f}", f"{sum(spent.values()):.2f}",
             *(f"{spent[role]:.2f}" for role in ("server processes", "query workers")), str(figures.failed)]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store-dir", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--oxigraph-dir", type=Path, required=True, help="a folder written by `oxigraph load`")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    store = EmbeddedStore(current_store_path(args.store_dir).resolve(), read_only=True)
    stance = str(store.select("SELECT ?s WHERE { ?s a srkg:Stance } ORDER BY ?s LIMIT 1").rows[0]["s"])
    store.close()
    queries = {"lookup by IRI": LOOKUP.format(iri=stance), "five-pattern join": JOIN.format(
        srkg=ns.SRKG, rdfs=ns.RDFS, oa=ns.OA)}
    rows: list[list[str]] = []
    servers: list[tuple[str, ChildServer, str]] = [
        ("Oxigraph server", OxigraphServer(args.oxigraph_dir), "/query?union-default-graph&query="),
        (f"srkg /sparql ({SERVICE_PROCESSES} processes)", _Service(args.store_dir, args.data_dir, result_cache_mb=0),
         "/sparql?query=")]
    for name, server, path in servers:
        server.start()
        try:
            assert server.process is not None
            for what, text in queries.items():
                rows += measure(f"{name}: {what}", psutil.Process(server.process.pid),
                                f"{server.url}{path}{quote(text)}", args.seconds)
        finally:
            server.stop()
    print(_table(["target", "req/s", "CPU ms/request", "server processes", "query workers", "errors"], rows))


if __name__ == "__main__":
    main()
