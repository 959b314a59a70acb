"""A mixed workload against a SPARQL endpoint: the competency questions with distinct lookups and joins.

Part of ``srkg bench`` (:func:`bench.measure.run`), and runnable on its own against any two endpoints::

    python -m bench.mixed --store-dir <built store> --endpoint srkg=http://127.0.0.1:8000/sparql \\
        --endpoint oxigraph=http://127.0.0.1:7878/query?union-default-graph

The workload is every competency question of the catalogue, ``--lookups`` lookups of distinct entities and
``--joins`` five-pattern joins, each anchored on a distinct stance target, so that no query is one
repeated. Each of ``--clients`` threads takes the next query from one shuffled round of the whole set (a new
order for each round) and sends it with its own ``X-Forwarded-For`` address, as distinct clients behind a
proxy (start srkg with ``SRKG_CLIENT_KEY_HEADER=X-Forwarded-For``, or it counts them as one client). The
figures are requests per second, p50 and p95 latency, and the answers that were not 200. Nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import itertools
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from graph import catalogue
from graph import namespaces as ns
from graph.errors import SrkgError
from graph.store import Store

LOOKUP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
#: the bench's five-pattern join (bench.measure.JOIN), anchored on one target
ANCHORED_JOIN = """SELECT ?stance ?holder ?label ?exact WHERE {{
  ?stance a <{srkg}Stance> ; <{srkg}holder> ?holder ; <{srkg}target> <{target}> ; <{srkg}evidence> ?ev .
  ?holder <{rdfs}label> ?label . ?ev <{oa}hasSelector> ?sel . ?sel <{oa}exact> ?exact .
}} LIMIT 100"""
ACCEPT = "application/sparql-results+json"


def competency_queries() -> dict[str, str]:
    """The competency questions of the catalogue, by name."""
    queries = {name: q.text for name, q in catalogue.load().items() if name.startswith("cq/")}
    if not queries:
        raise SrkgError("the catalogue has no competency questions under ontology/queries/cq/")
    return queries


def workload(store: Store, competency: dict[str, str], *, lookups: int = 50, joins: int = 50,
             seed: int = 0) -> dict[str, str]:
    """The queries of the workload by name: the competency questions, then lookups of ``lookups`` distinct
    entities and joins anchored on ``joins`` distinct stance targets, picked with ``seed``."""
    rng = random.Random(seed)
    entities = [str(r["s"]) for r in store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?type FILTER(STRSTARTS(STR(?s), "{ns.ID}")) }} ORDER BY ?s').rows]
    targets = [str(r["t"]) for r in store.select(
        "SELECT DISTINCT ?t WHERE { ?stance srkg:target ?t } ORDER BY ?t").rows]
    queries = dict(competency)
    for iri in rng.sample(entities, min(lookups, len(entities))):
        queries[f"lookup {iri.removeprefix(ns.ID)}"] = LOOKUP.format(iri=iri)
    for target in rng.sample(targets, min(joins, len(targets))):
        queries[f"join {target.removeprefix(ns.ID)}"] = ANCHORED_JOIN.format(
            srkg=ns.SRKG, rdfs=ns.RDFS, oa=ns.OA, target=target)
    return queries


@dataclass
class Figures:
    """What one run of the workload measured."""

    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def not_ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)


class _Rounds:
    """The queries in rounds, each round the whole set in a new random order; shared by the client threads."""

    def __init__(self, queries: list[str], seed: int):
        self.queries, self.rng, self.lock = queries, random.Random(seed), threading.Lock()
        self.pending: list[str] = []

    def next(self) -> str:
        with self.lock:
            if not self.pending:
                self.pending = self.rng.sample(self.queries, len(self.queries))
            return self.pending.pop()


def run(endpoint: str, queries: dict[str, str], *, clients: int = 8, seconds: float = 20.0, seed: int = 1,
        timeout_s: float = 60.0, fresh: bool = False) -> Figures:
    """Send the workload to ``endpoint`` (a SPARQL endpoint URL; its own parameters kept) from ``clients``
    threads for ``seconds``, after one round to warm it up. With ``fresh``, every request's text is new (a
    comment numbers it), so that no answer can come from a cache of an earlier one."""
    join = "&" if "?" in endpoint else "?"  # keep the endpoint's own parameters (httpx's params= would drop them)

    def url(text: str) -> str:
        return f"{endpoint}{join}{urlencode({'query': text})}"

    rounds = _Rounds(list(queries.values()), seed)
    with httpx.Client(timeout=timeout_s) as warm:
        for text in queries.values():
            warm.get(url(text), headers={"Accept": ACCEPT})
    figures = Figures(seconds)
    lock = threading.Lock()
    sent = itertools.count()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        headers = {"Accept": ACCEPT, "X-Forwarded-For": f"10.0.0.{number + 1}"}
        with httpx.Client(timeout=timeout_s, headers=headers) as http:
            while time.monotonic() < deadline:
                text = rounds.next()
                target = url(f"{text}\n# request {next(sent)}" if fresh else text)
                t0 = time.perf_counter()
                try:
                    status = http.get(target).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    figures.latencies_ms.append(elapsed)
                    figures.statuses[status] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    figures.seconds = time.monotonic() - start
    return figures


def row(label: str, target: str, f: Figures) -> list[str]:
    """A row of the report: the target, req/s, p50 and p95 in ms, requests and answers that were not 200."""
    return [label, target, f"{f.rps:,.1f}", f"{f.percentile(0.5):,.1f}", f"{f.percentile(0.95):,.1f}",
            f"{len(f.latencies_ms):,}", str(f.not_ok)]


def main() -> None:
    from graph.store.embedded import EmbeddedStore, current_store_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store-dir", type=Path, required=True, help="a built store (to pick the entities)")
    parser.add_argument("--endpoint", action="append", required=True, metavar="NAME=URL")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--lookups", type=int, default=50)
    parser.add_argument("--joins", type=int, default=50)
    parser.add_argument("--fresh", action="store_true", help="make every request's text new (no cache hits)")
    args = parser.parse_args()
    store = EmbeddedStore(current_store_path(args.store_dir).resolve(), read_only=True)
    queries = workload(store, competency_queries(), lookups=args.lookups, joins=args.joins)
    store.close()
    print(f"{len(queries)} queries, {args.clients} clients, {args.seconds:g} s per endpoint")
    for spec in args.endpoint:
        name, _, url = spec.partition("=")
        f = run(url, queries, clients=args.clients, seconds=args.seconds, fresh=args.fresh)
        print("  ".join(row("", name, f)[1:]), dict(f.statuses))


if __name__ == "__main__":
    main()
