"""Curators' writes: off unless a token is configured, authorised by bearer token, checked, atomic.

Every write goes through :func:`graph.curation.prepare` (the build's checks,
on the neighbourhood of what it changes), under one lock, while readers go
on; then it is applied in one transaction while the query workers are held,
and they reopen the store to see it (:meth:`api.service.Service.commit`).
"""

from __future__ import annotations

import hmac

from fastapi import Request
from fastapi.responses import Response

from graph import curation
from graph.sparql_lexer import with_using

from . import guard
from .problems import ProblemError
from .protocol import Operation
from .service import Service

MAX_WRITE_BYTES = 5_000_000


def authorise(service: Service, request: Request) -> None:
    """Refuse unless writes are enabled and the request carries the right bearer token."""
    token = service.settings.update_token
    if not token or service.writer is None:
        raise ProblemError(403, "Writes are disabled",
                           "this service is read-only; start it with SRKG_UPDATE_TOKEN set to enable curators' writes",
                           "read-only")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ProblemError(401, "Unauthorized", "a write needs the header 'Authorization: Bearer <token>' "
                           "with the service's update token", "unauthorized",)


def apply(service: Service, request: Request, *, update: str | None = None, graph: str | None = None,
          data: bytes | None = None, media_type: str | None = None, mode: str = "replace") -> list[str]:
    """Check the write (readers go on meanwhile), then apply it with the readers held.

    The write is what :func:`graph.curation.prepare` takes: an ``update``, or a ``graph`` and its ``mode``."""
    authorise(service, request)
    assert service.writer is not None  # authorise() refuses every write when the service has no writer
    with service.write_lock:
        checked = curation.prepare(service.writer, service.settings, update=update, graph=graph, data=data,
                                   media_type=media_type, mode=mode)
        if checked.changed:
            service.commit(checked)
    return checked.changed


def update(service: Service, request: Request, operation: Operation) -> Response:
    """Run a SPARQL Update (never LOAD, never SERVICE), its ``using-graph-uri`` and ``using-named-graph-uri``
    written into it as USING clauses."""
    authorise(service, request)
    text = operation.text or ""
    found = guard.check(text, service.graph_names(), update=True)
    if not found.is_update:
        raise ProblemError(400, "Not an update", "this is a query; send it to /sparql", "not-an-update")
    if operation.default_graphs or operation.named_graphs:
        if {"USING", "WITH"} & set(found.words):
            raise ProblemError(400, "Dataset given twice", "the update names its dataset with USING or WITH and "
                               "the request with using-graph-uri or using-named-graph-uri; keep one of them",
                               "dataset-twice")
        guard.check_graphs(operation.default_graphs + operation.named_graphs, service.graph_names())
        text = with_using(text, operation.default_graphs, operation.named_graphs)
    apply(service, request, update=text)
    return Response(status_code=204)
