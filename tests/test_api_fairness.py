"""Fair service under contention, over a real server: a client over its limit gets 429 while others are
answered, and a client that disconnects has its query stopped."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import psutil
import pytest

from fixtures.servers import Service, running_service, wait_until
from graph.settings import Settings

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ORDINARY = "SELECT ?s ?label WHERE { ?s a srkg:State ; rdfs:label ?label }"
PROXY = "X-Forwarded-For"  # the service runs as if behind a proxy, so that each test client has its own key


def _as(client: str) -> dict[str, str]:
    """The headers of a request from ``client``, as a proxy in front of the service would forward it."""
    return {PROXY: client}


def _workers(service: Service) -> set[int]:
    """The process ids of the service's query workers (its children running multiprocessing's spawn)."""
    found = set()
    for child in psutil.Process(service.pid).children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(child.cmdline()):
                found.add(child.pid)
        except psutil.Error:  # it ended meanwhile: not a live worker
            continue
    return found


@pytest.fixture(scope="module")
def service(settings: Settings) -> Iterator[Service]:
    with running_service(settings, workers=3, query_timeout_s=120, queue_wait_s=1,
                         client_key_header=PROXY) as s:
        yield s


def _send(base: str, client: str, query: str, out: dict[str, httpx.Response | Exception], key: str,
          timeout_s: float = 180) -> None:
    try:
        out[key] = httpx.get(base + "/sparql", params={"query": query}, headers=_as(client), timeout=timeout_s)
    except httpx.HTTPError as e:
        out[key] = e


def test_a_client_over_its_limit_gets_429_while_another_client_is_answered(service: Service) -> None:
    answers: dict[str, httpx.Response | Exception] = {}
    burst = [threading.Thread(target=_send, args=(service, "10.0.0.1", RUNAWAY, answers, f"runaway-{i}", 20))
             for i in range(6)]
    for t in burst:
        t.start()
    # two runaways run (one fewer than the workers), the four others wait one second, then are refused
    wait_until(lambda: sum(isinstance(a, httpx.Response) and a.status_code == 429 for a in answers.values()) == 4,
               60, "four of the burst to be refused")
    refused = [a for a in answers.values() if isinstance(a, httpx.Response) and a.status_code == 429]
    assert all(r.headers["Retry-After"] == "1" for r in refused)
    assert all(r.json()["type"].endswith("too-many-queries") for r in refused)
    running = {k for k in (f"runaway-{i}" for i in range(6)) if k not in answers}
    assert len(running) == 2

    other = httpx.get(service + "/sparql", params={"query": ORDINARY}, headers=_as("10.0.0.2"), timeout=60)
    assert other.status_code == 200, other.text
    assert other.json()["results"]["bindings"]
    assert running <= {k for k in (f"runaway-{i}" for i in range(6)) if k not in answers}, \
        "the other client was answered while the runaways still ran"
    for t in burst:  # they disconnect after 20 s, which stops their queries
        t.join()
    wait_until(lambda: httpx.get(service + "/sparql", params={"query": ORDINARY}, headers=_as("10.0.0.1"),
                                 timeout=60).status_code == 200, 60, "the first client to be answered again")


def test_a_client_that_disconnects_has_its_query_stopped(service: Service) -> None:
    wait_until(lambda: len(_workers(service)) == 3, 60, "the service's three query workers")
    before = _workers(service)
    answers: dict[str, httpx.Response | Exception] = {}
    clients = [threading.Thread(target=_send, args=(service, f"10.1.0.{i}", RUNAWAY, answers, str(i), 3))
               for i in range(3)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    assert all(isinstance(a, httpx.TimeoutException) for a in answers.values()), answers
    # the query time limit is 120 s: only the disconnects can have stopped the three workers this soon
    wait_until(lambda: not (before & _workers(service)), 60, "the workers of the abandoned queries to be stopped")
    wait_until(lambda: len(_workers(service)) == 3, 60, "fresh workers to replace them")
    r = httpx.get(service + "/sparql", params={"query": ORDINARY}, headers=_as("10.1.0.0"), timeout=60)
    assert r.status_code == 200 and r.json()["results"]["bindings"]


def test_behind_a_proxy_the_client_is_the_address_the_proxy_added() -> None:
    from api.admission import client_key

    scope = {"headers": [(b"x-forwarded-for", b"6.6.6.6, 10.0.0.7")], "client": ("127.0.0.1", 5000)}
    assert client_key(scope, PROXY) == "10.0.0.7"  # a client cannot pick its key by sending the header itself
    assert client_key(scope, None) == "127.0.0.1"
    assert client_key({"headers": [], "client": ("127.0.0.1", 5000)}, PROXY) == "127.0.0.1"
