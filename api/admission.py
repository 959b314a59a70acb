"""Fair service under contention: how many queries each client may hold, and who is gone.

Every query that goes to the query workers (:mod:`api.executor`) first takes
one of its client's slots. A client holds at most
``settings.max_queries_per_client`` at once (by default one fewer than the
workers, so one client's runaway queries always leave a worker to the
others). A query over its client's limit waits in that client's queue for
at most ``settings.queue_wait_s``, then is refused with 429 and
``Retry-After`` (:class:`ClientOverLimit`).

Who the client is comes from :class:`AdmissionMiddleware`: the peer address,
or, behind a proxy, the last address of the header named by
``settings.client_key_header`` (``X-Forwarded-For``: the one the proxy itself
added). The middleware also keeps the request's ASGI ``receive``, so that a
query whose client disconnects is stopped (:func:`disconnected`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send


class ClientOverLimit(Exception):
    """The client already holds as many queries as it may, and none ended within the queue's wait."""

    def __init__(self, limit: int, wait_s: float) -> None:
        super().__init__(f"this client already runs {limit} quer{'y' if limit == 1 else 'ies'} at once, the most "
                         f"one client may, and none ended within {wait_s:g} s")
        self.limit = limit


class ClientGone(Exception):
    """The client disconnected while its query waited or ran; the query was stopped."""


@dataclass(frozen=True)
class Caller:
    """Who asked: the client's key and the request's ASGI ``receive`` (to see a disconnect)."""

    key: str
    receive: Receive | None = None


#: The client of the request being handled (None outside a request: the service's own work).
current_caller: ContextVar[Caller | None] = ContextVar("srkg_caller", default=None)


class ClientSlots:
    """At most ``limit`` queries per client at once; the others wait up to ``wait_s`` for a slot."""

    def __init__(self, limit: int, wait_s: float) -> None:
        self.limit = limit
        self.wait_s = wait_s
        self._held: dict[str, int] = {}
        self._freed = threading.Condition()  # threads waiting for a slot wait on this
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []  # and tasks on these

    def _try_take(self, key: str) -> bool:
        if self._held.get(key, 0) >= self.limit:
            return False
        self._held[key] = self._held.get(key, 0) + 1
        return True

    def _give_back(self, key: str) -> None:
        with self._freed:
            self._held[key] -= 1
            if not self._held[key]:
                del self._held[key]
            self._freed.notify_all()
            waiters, self._waiters = self._waiters, []
        for loop, waiter in waiters:  # from whichever thread frees the slot
            loop.call_soon_threadsafe(_wake, waiter)

    @contextmanager
    def slot(self, caller: Caller | None) -> Iterator[None]:
        """Hold one of the caller's slots (blocking the thread while it waits); none is needed without one."""
        if caller is None:
            yield
            return
        with self._freed:
            if not self._freed.wait_for(lambda: self._try_take(caller.key), timeout=self.wait_s):
                raise ClientOverLimit(self.limit, self.wait_s)
        try:
            yield
        finally:
            self._give_back(caller.key)

    @asynccontextmanager
    async def aslot(self, caller: Caller | None, gone: asyncio.Future[None] | None = None) -> AsyncIterator[None]:
        """:meth:`slot` for the event loop: waits without holding a thread, and stops waiting once ``gone``
        (the client's disconnect, :func:`disconnected`) is done (:class:`ClientGone`)."""
        if caller is None:
            yield
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_s
        while True:
            with self._freed:
                if self._try_take(caller.key):
                    break
                freed: asyncio.Future[None] = loop.create_future()
                self._waiters.append((loop, freed))
            if gone is not None and gone.done():
                raise ClientGone("the client disconnected while its query waited")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ClientOverLimit(self.limit, self.wait_s)
            await asyncio.wait({freed} | ({gone} if gone is not None else set()), timeout=remaining,
                               return_when=asyncio.FIRST_COMPLETED)
        try:
            yield
        finally:
            self._give_back(caller.key)


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def disconnected(caller: Caller) -> None:
    """Return once the caller's client has disconnected (its request body must have been read already)."""
    assert caller.receive is not None
    while True:
        message = await caller.receive()
        if message["type"] == "http.disconnect":
            return


def client_key(scope: Scope, header: str | None) -> str:
    """The client a request counts against: the last address of ``header`` when it is set and present
    (the hop the trusted proxy added), else the peer's address."""
    if header:
        name = header.lower().encode("latin-1")
        values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == name]
        hops = [h.strip() for v in values for h in v.split(",") if h.strip()]
        if hops:
            return hops[-1]
    peer = scope.get("client")
    return str(peer[0]) if peer else "unknown"


class AdmissionMiddleware:
    """Sets :data:`current_caller` for each HTTP request."""

    def __init__(self, app: ASGIApp, header: str | None = None) -> None:
        self.app = app
        self.header = header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = current_caller.set(Caller(client_key(scope, self.header), receive))
        try:
            await self.app(scope, receive, send)
        finally:
            current_caller.reset(token)

