"""Queries with a real time limit: a small pool of worker processes, killed on timeout.

pyoxigraph has no way to interrupt a running query, so the service never runs
one in its own process. Each worker opens the on-disk store read-only and
answers one request at a time over a pipe. The caller waits at most the
query's time limit; past it the worker is killed (SIGKILL) and a fresh one is
started in the background, so a runaway query stops using the CPU at once and
other requests keep being answered by the other workers.

A curator's write is applied while the pool is paused (:meth:`QueryPool.paused`:
every worker is held once its query is done, and reopens the store after the
write, so that it sees it), because reading a store that another process
writes is undefined in RocksDB.

:class:`PooledStore` puts the pool behind the :class:`graph.store.Store`
interface, so the REST handlers and the projection use it like any store.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from graph.errors import QueryError, ResultTooLarge
from graph.settings import Settings
from graph.store import QueryResult, Store, Triple, open_store

from .admission import Caller, ClientGone, ClientSlots, current_caller, disconnected

_CTX = mp.get_context("spawn")


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped."""


class ServiceBusy(Exception):
    """Every worker stayed busy for longer than a query may wait."""


def _exit_with_parent() -> None:  # pragma: no cover - runs in a child process
    """End this worker when the service's process is gone (SIGKILLed, say), even in the middle of a query."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="srkg-parent-watch", daemon=True).start()


def _worker_main(settings: Settings, conn: Any) -> None:  # pragma: no cover - runs in a child process
    _exit_with_parent()
    store = open_store(settings, read_only=True)
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        op, args, kwargs = msg
        try:
            if op == "ping":
                result: object = "pong"
            elif op == "reopen":  # after a write: a read-only store sees only what was there when it opened
                store.close()
                store = open_store(settings, read_only=True)
                result = "pong"
            elif op == "query":
                result = store.query(*args, **kwargs)
            elif op == "serialized":
                result = store.query_serialized(*args, **kwargs)
            elif op == "graph_names":
                result = store.graph_names()
            elif op == "graphs":
                result = store.graphs()
            elif op == "len":
                result = len(store)
            elif op == "dump":
                result = store.dump(*args)
            else:
                raise QueryError(f"unknown operation {op!r}")
            conn.send(("ok", result))
        except QueryError as e:
            conn.send(("error", (type(e).__name__, str(e), e.line, e.column)))
        except Exception as e:  # noqa: BLE001 - every failure goes back to the caller as a QueryError
            conn.send(("error", ("QueryError", f"the query failed: {e}", None, None)))


class _Worker:
    def __init__(self, settings: Settings):
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(settings, child), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """``size`` worker processes, each reading the store the settings name (opened read-only)."""

    def __init__(self, settings: Settings, size: int = 2, *, startup_timeout_s: float = 120.0):
        self.settings = settings
        self.size = size
        self.startup_timeout_s = startup_timeout_s
        self.slots = ClientSlots(settings.max_queries_per_client or max(1, size - 1), settings.queue_wait_s)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._pause_lock = threading.Lock()
        for _ in range(size):
            w = self._spawn()
            self._ready(w)
            self._idle.put(w)

    # -- lifecycle ----------------------------------------------------------
    def _spawn(self) -> _Worker:
        w = _Worker(self.settings)
        with self._lock:
            self._all.add(w)
        return w

    def _ready(self, w: _Worker) -> None:
        w.conn.send(("ping", (), {}))
        if not w.conn.poll(self.startup_timeout_s):
            raise RuntimeError(f"a query worker did not start within {self.startup_timeout_s} s")
        status, payload = w.conn.recv()
        if status != "ok":
            raise RuntimeError(f"a query worker failed to open the store: {payload}")

    def _discard(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()

    def _replace_later(self) -> None:
        def run() -> None:
            with self._pause_lock:  # never while a write is being applied
                if self._closed or self._live() >= self.size:
                    return
                w = self._spawn()
                try:
                    self._ready(w)
                except (RuntimeError, OSError, EOFError):
                    self._discard(w)
                    return
                self._idle.put(w)
        threading.Thread(target=run, name="srkg-query-worker-start", daemon=True).start()

    @contextmanager
    def paused(self, wait_s: float = 120.0) -> Iterator[None]:
        """Hold every worker once its query is done; on exit each reopens the store, so it sees a write made
        inside (a worker that fails to reopen is replaced)."""
        with self._pause_lock:
            taken: list[_Worker] = []
            try:
                while len(taken) < self._live():
                    try:
                        taken.append(self._idle.get(timeout=wait_s))
                    except queue.Empty:
                        raise ServiceBusy("the query workers stayed busy; the write was not applied") from None
                yield
            finally:
                asked = []
                for w in taken:  # all at once: each reopens in its own process
                    try:
                        w.conn.send(("reopen", (), {}))
                        asked.append(w)
                    except OSError:
                        self._discard(w)
                for w in asked:
                    try:
                        reopened = w.conn.poll(self.startup_timeout_s) and w.conn.recv()[0] == "ok"
                    except (OSError, EOFError):
                        reopened = False
                    if reopened:
                        self._idle.put(w)
                    else:
                        self._discard(w)
                for _ in range(self.size - self._live()):
                    w = self._spawn()
                    self._ready(w)
                    self._idle.put(w)

    def _live(self) -> int:
        with self._lock:
            return len(self._all)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.kill()

    # -- calls --------------------------------------------------------------
    def _wait_s(self, caller: Caller | None, timeout_s: float) -> float:
        """How long a call waits for a free worker: a client's, the queue's short wait; the service's own
        work (no client), as long as it may run."""
        return min(timeout_s, self.settings.queue_wait_s) if caller is not None else timeout_s

    def call(self, op: str, *args: object, timeout_s: float, **kwargs: object) -> Any:
        """Run ``op`` in a worker, in one of the current client's slots (:mod:`api.admission`);
        :class:`QueryTimeout` past ``timeout_s`` (the worker is killed)."""
        caller = current_caller.get()
        with self.slots.slot(caller):
            wait_s = self._wait_s(caller, timeout_s)
            try:
                w = self._idle.get(timeout=wait_s)
            except queue.Empty:
                raise ServiceBusy(f"every query worker stayed busy for {wait_s:g} s") from None
            try:
                w.conn.send((op, args, kwargs))
                answered = w.conn.poll(timeout_s)
            except (OSError, BrokenPipeError):
                answered = True  # recv() below reports the broken worker
            return self._receive(w, answered, timeout_s)

    async def acall(self, op: str, *args: object, timeout_s: float, **kwargs: object) -> Any:
        """:meth:`call` for the event loop: waits for its client's turn and the worker's answer without
        holding a thread; if the client disconnects meanwhile, stops waiting, or kills the worker running
        its query (:class:`ClientGone`)."""
        caller = current_caller.get()
        gone = (asyncio.ensure_future(disconnected(caller)) if caller is not None and caller.receive is not None
                else None)
        try:
            async with self.slots.aslot(caller, gone):
                w = await self._aidle(caller, timeout_s)
                if gone is not None and gone.done():  # gone while it waited: the worker goes back unused
                    self._idle.put(w)
                    raise ClientGone("the client disconnected while its query waited")
                return await self._arun(w, gone, timeout_s, (op, args, kwargs))
        finally:
            if gone is not None:
                gone.cancel()

    async def _aidle(self, caller: Caller | None, timeout_s: float) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:  # every worker is busy: wait for one in a thread
            from starlette.concurrency import run_in_threadpool

            wait_s = self._wait_s(caller, timeout_s)
            try:
                return await run_in_threadpool(self._idle.get, True, wait_s)
            except queue.Empty:
                raise ServiceBusy(f"every query worker stayed busy for {wait_s:g} s") from None

    async def _arun(self, w: _Worker, gone: asyncio.Future[None] | None, timeout_s: float, message: object) -> Any:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[bool] = loop.create_future()
        fd = w.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(True)

        loop.add_reader(fd, wake)
        try:
            w.conn.send(message)
            waiting: set[asyncio.Future[Any]] = {ready} | ({gone} if gone is not None else set())
            done, _ = await asyncio.wait(waiting, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
            answered = ready in done
            client_gone = not answered and gone is not None and gone in done
        except (OSError, BrokenPipeError):
            answered, client_gone = True, False
        finally:
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop leaves a watched descriptor non-blocking; recv() needs it blocking
        if client_gone:  # nobody will read the answer: stop the query now, as a timeout would
            self._discard(w)
            self._replace_later()
            raise ClientGone("the client disconnected; its query was stopped")
        return self._receive(w, answered, timeout_s)

    def _receive(self, w: _Worker, answered: bool, timeout_s: float) -> Any:
        """The answer of worker ``w`` (or the error it stands for); ``w`` goes back to the pool or is replaced."""
        keep = False
        try:
            if not answered:
                raise QueryTimeout(f"the query ran for more than {timeout_s:g} s and was stopped")
            try:
                status, payload = w.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                raise QueryError("the query stopped its worker (out of memory?); narrow the query") from None
            keep = True
        finally:
            if keep:
                self._idle.put(w)
            else:
                self._discard(w)
                self._replace_later()
        if status == "ok":
            return payload
        name, message, line, column = payload
        cls = ResultTooLarge if name == "ResultTooLarge" else QueryError
        raise cls(message, line, column)


class PooledStore(Store):
    """A read-only :class:`Store` whose every read runs in the :class:`QueryPool`."""

    def __init__(self, pool: QueryPool, *, timeout_s: float, max_rows: int | None = None):
        self.pool = pool
        self.timeout_s = timeout_s
        self.max_rows = max_rows

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        return self.pool.call("query", sparql, timeout_s=self.timeout_s,
                              **self._dataset(default_graphs, named_graphs, max_rows))

    def update(self, sparql: str) -> None:
        raise QueryError("this store is read-only")

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        raise QueryError("this store is read-only")

    def query_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                         default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                         max_rows: int | None = None) -> tuple[str, bytes]:
        return self.pool.call("serialized", sparql, result_type, graph_type, timeout_s=self.timeout_s,
                              **self._dataset(default_graphs, named_graphs, max_rows))

    async def aquery_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                                default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                                max_rows: int | None = None) -> tuple[str, bytes]:
        """:meth:`query_serialized` without holding a thread of the event loop's pool while the worker runs."""
        return await self.pool.acall("serialized", sparql, result_type, graph_type, timeout_s=self.timeout_s,
                                     **self._dataset(default_graphs, named_graphs, max_rows))

    def _dataset(self, default_graphs: list[str] | None, named_graphs: list[str] | None,
                 max_rows: int | None) -> dict[str, object]:
        return {"default_graphs": default_graphs, "named_graphs": named_graphs,
                "max_rows": max_rows if max_rows is not None else self.max_rows}

    def graphs(self) -> dict[str, int]:
        return self.pool.call("graphs", timeout_s=self.timeout_s)

    def graph_names(self) -> set[str]:
        return self.pool.call("graph_names", timeout_s=self.timeout_s)

    def __len__(self) -> int:
        return self.pool.call("len", timeout_s=self.timeout_s)

    def dump(self, media_type: str = "application/n-quads") -> bytes:
        return self.pool.call("dump", media_type, timeout_s=self.timeout_s)
