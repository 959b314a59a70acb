"""Benchmark of the overview on big graphs, and the synthetic projection it uses.

:func:`synthetic_projection` makes a networkx graph shaped like
:func:`graph.projection.build_projection`'s output (same node and edge
attributes, a few hubs, stances with polarity and hedging), of any size.

Run ``python -m visualisation.bench`` to serve the overview of a 10,000-node
synthetic graph and of a small baseline through the real router on a local
uvicorn, open each in headless Chromium several times, and print the median
time from navigation to a stable drawing (``window.srkg.ready``) and the
ratio. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import networkx as nx

from graph import namespaces as ns
from graph.projection import Evidence

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

_GROUPS = [("actor", "State", 0.3), ("event", "Summit", 0.15), ("document", "Agreement", 0.1),
           ("proposition", "Policy", 0.25), ("theme", "Theme", 0.05), ("place", "City", 0.15)]


def synthetic_projection(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A projection-shaped graph of ``n`` nodes and about ``2n`` edges (preferential attachment)."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    source = ns.SOURCE_ID_PREFIX + "synthetic"
    names = [ns.ID + f"syn-{i}" for i in range(n)]
    weights = [w for *_, w in _GROUPS]
    for i, iri in enumerate(names):
        group, cls, _ = rng.choices(_GROUPS, weights)[0]
        ev = [Evidence(f"{source}/evidence/{i}-{i + 5}", source, f"quote number {i}", i, i + 5)]
        g.add_node(iri, label=f"{cls} {i}", cls=ns.SRKG + cls, cls_label=cls, group=group, evidence=ev)
    targets = names[:5]
    for i, iri in enumerate(names[5:], start=5):
        for _ in range(2):
            other = rng.choice(targets)
            rel = "relatedTo"
            if g.nodes[other]["group"] == "theme":
                rel = "theme"
            g.add_edge(iri, other, key=ns.SRKG + rel, relation=rel, predicate=ns.SRKG + rel,
                       graph=ns.source_graph("synthetic"), evidence=[])
            targets.append(other)
        targets.append(iri)
        if g.nodes[iri]["group"] == "actor" and rng.random() < 0.3:
            target = rng.choice(names[:i])
            polarity = rng.choice(["Supports", "Opposes"])
            hedged = rng.random() < 0.3
            stance = ns.ID + f"syn-stance-{i}"
            g.add_edge(iri, target, key=stance, relation=polarity, predicate="stance", stance=stance,
                       polarity=polarity, attribution="AuthorInference" if hedged else "ReportedFact",
                       hedging=None, hedged=hedged, evidence=list(g.nodes[iri]["evidence"]))
    return g


@contextmanager
def serve_app(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (ephemeral port) in a thread; yields the origin.

    The socket is bound and listening before the server thread starts, so
    requests wait in the backlog instead of racing the start-up.
    """
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def serve_projection(g: nx.MultiDiGraph) -> Iterator[str]:
    """Serve the views router over projection ``g``; yields the origin."""
    from fastapi import FastAPI

    from .web import get_projection, router

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_projection] = lambda: g
    with serve_app(app) as origin:
        yield origin


def time_to_stable(url: str, runs: int) -> list[float]:
    """Seconds from navigation start to ``window.srkg.ready``, once per run, each in a fresh page."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(url)
                page.wait_for_function("() => window.srkg && window.srkg.ready", timeout=300_000)
                times.append(page.evaluate("window.srkg.readyAt") / 1000.0)
                page.close()
        finally:
            browser.close()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=10_000, help="size of the big synthetic graph")
    parser.add_argument("--baseline", type=int, default=300, help="size of the baseline graph")
    parser.add_argument("--budget", type=int, default=300, help="node budget of the overview")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = {}
    for n in (args.baseline, args.nodes):
        g = synthetic_projection(n)
        with serve_projection(g) as origin:
            url = f"{origin}/view/overview?budget={args.budget}"
            t0 = time.perf_counter()
            import urllib.request
            with urllib.request.urlopen(url) as r:  # noqa: S310 - our own local server
                r.read()
            server_s = time.perf_counter() - t0
            times = time_to_stable(url, args.runs)
        results[n] = statistics.median(times)
        print(f"{n:>7,} nodes ({g.number_of_edges():,} edges), budget {args.budget}: "
              f"server render {server_s:.2f} s; median time to stable drawing {results[n]:.2f} s "
              f"over {args.runs} runs (all: {', '.join(f'{t:.2f}' for t in times)})")
    ratio = results[args.nodes] / results[args.baseline] if results[args.baseline] else float("nan")
    print(f"ratio {args.nodes:,} / {args.baseline:,} nodes: {ratio:.2f}")


if __name__ == "__main__":
    main()
