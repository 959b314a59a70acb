"""A bounded soak of the service from a second process: many clients, a mix of requests, then figures.

    .venv/bin/python -m bench.soak                      # builds nothing: serves the current store
    .venv/bin/python -m bench.soak --clients 32 --seconds 60

It starts ``srkg serve`` on 127.0.0.1 with an ephemeral port (or uses ``--url``), runs
``--clients`` concurrent clients for ``--seconds`` on a mix of competency queries through
``/sparql``, REST calls, entity pages and network views, and samples the service's memory
(the server process and its query workers) every few seconds. It prints the number of
requests, the error responses (any status >= 400, or a failed connection), the rate, the
median and 95th-percentile latency per kind, and memory after warm-up against the end.
Traffic goes to 127.0.0.1 only, and the script stops by itself.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from fixtures.servers import answers, free_port, wait_until
from graph import catalogue

ROOT = Path(__file__).resolve().parent.parent


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
        for c in children:
            grand = Path(f"/proc/{c}/task/{c}/children").read_text().split()
            pids += [int(g) for g in grand]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def requests_mix() -> list[tuple[str, str, dict[str, str]]]:
    """(kind, path, params) of every request the clients draw from."""
    mix = [("sparql", "/sparql", {"query": q.text}) for q in catalogue.load().values() if q.group == "cq"]
    mix += [
        ("rest", "/api/v1/entities/russia", {}),
        ("rest", "/api/v1/entities", {"q": "china"}),
        ("rest", "/api/v1/stances", {"holder": "russia"}),
        ("rest", "/api/v1/events", {}),
        ("rest", "/api/v1/themes", {}),
        ("rest", "/api/v1/analytics/paths", {"source": "sweden", "target": "russia"}),
        ("page", "/id/russia", {}),
        ("page", "/id/putin-visit-china-2024", {}),
        ("view", "/view/entity/russia", {}),
        ("view", "/view/overview", {}),
    ]
    return mix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds before memory counts as warm")
    parser.add_argument("--url", help="a running service; default: start one")
    args = parser.parse_args()

    server = None
    url = args.url
    if url is None:
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", "--port", str(port)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"

        def serving() -> bool:
            if server.poll() is not None:
                raise RuntimeError("the service exited at start")
            return answers(url + "/api/v1/themes")

        try:
            wait_until(serving, 60, "the service to start")
        except (RuntimeError, TimeoutError) as e:
            print(e, file=sys.stderr)
            return 2

    mix = requests_mix()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        with httpx.Client(base_url=url, timeout=30) as http:
            while time.monotonic() < stop_at:
                kind, path, params = rnd.choice(mix)
                t0 = time.perf_counter()
                try:
                    r = http.get(path, params=params, headers={"Accept": "application/sparql-results+json"}
                                 if kind == "sparql" else {})
                    failed = r.status_code >= 400
                except httpx.HTTPError:
                    failed = True
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies[kind].append(elapsed)
                    if failed:
                        errors[kind] += 1

    memory: list[tuple[float, float]] = []
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if server is not None:
            memory.append((time.monotonic() - started, rss_mib(server.pid)))
        time.sleep(2)
    for t in threads:
        t.join()
    duration = time.monotonic() - started
    if server is not None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    total = sum(len(v) for v in latencies.values())
    print(f"srkg soak: {args.clients} clients for {args.seconds:.0f} s against {url}")
    print(f"{total:,} requests, {sum(errors.values())} error responses, {total / duration:,.0f} requests/s")
    print(f"{'kind':<8} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>8}")
    for kind, values in sorted(latencies.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{kind:<8} {len(values):>9,} {errors[kind]:>7} {statistics.median(values) * 1000:>10.1f} "
              f"{p95 * 1000:>8.1f}")
    warm = [m for t, m in memory if t >= args.warmup]
    if warm:
        print(f"service memory (server + workers): {warm[0]:.0f} MiB after {args.warmup:.0f} s warm-up, "
              f"{max(warm):.0f} MiB peak, {warm[-1]:.0f} MiB at the end")
    return 1 if sum(errors.values()) else 0  # errors[kind] above adds a 0 for every kind: count, not keys


if __name__ == "__main__":
    sys.exit(main())
