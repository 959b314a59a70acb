"""Benchmark of the overview on big graphs: time from navigation to a stable drawing in headless Chromium.

``python -m bench.views`` serves the overview of a 10,000-node synthetic
graph and of a small baseline through the real router on a local uvicorn,
opens each in headless Chromium several times, and prints the median time
from navigation to a stable drawing (``window.srkg.ready``) and the ratio.
It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

import networkx as nx

from fixtures.browser import CHROMIUM, CHROMIUM_ARGS
from fixtures.servers import serve_app
from fixtures.synthetic import synthetic_projection


@contextmanager
def serve_projection(g: nx.MultiDiGraph) -> Iterator[str]:
    """Serve the views router over projection ``g``; yields the origin."""
    from fastapi import FastAPI

    from visualisation.web import get_projection, router

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
