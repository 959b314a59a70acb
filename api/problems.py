"""RFC 9457 problem details: the one shape of every error the service returns.

Each error is ``application/problem+json`` with ``type``, ``title``,
``status`` and a ``detail`` a person can act on; some carry extensions
(``line`` and ``column`` of a syntax error, ``violations`` of a rejected
write). The exception handlers registered by :func:`install` turn every
exception the service raises into one, so no request ends in a bare 500.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import DataError, QueryError
from graph.remote import RemoteTimeout, StoreUnavailable
from graph.store import ResultTooLarge

from .executor import QueryTimeout, ServiceBusy
from .formats import NotAcceptable
from .guard import Refused

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
TYPE_BASE = "https://w3id.org/srkg/problems/"


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    line: int | None = None
    column: int | None = None
    violations: list[str] | None = None
    offered: list[str] | None = None


class ProblemError(Exception):
    """Raise anywhere in a handler to answer with a problem."""

    def __init__(self, status: int, title: str, detail: str, kind: str | None = None, **extra: object):
        self.status, self.title, self.detail, self.kind, self.extra = status, title, detail, kind, extra
        super().__init__(detail)


def problem_response(request: Request | None, status: int, title: str, detail: str, kind: str | None = None,
                     headers: dict[str, str] | None = None, **extra: object) -> JSONResponse:
    body = Problem(type=TYPE_BASE + kind if kind else "about:blank", title=title, status=status, detail=detail,
                   instance=str(request.url.path) if request is not None else None, **extra)  # type: ignore[arg-type]
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM, headers=headers)


#: The problem responses every route may give, for the OpenAPI schema.
PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": Problem, "description": text, "content": {PROBLEM: {}}}
    for code, text in [(400, "bad request"), (401, "missing or wrong bearer token"), (403, "writes are disabled"),
                       (404, "not found"), (406, "not acceptable"), (413, "request too large"),
                       (415, "unsupported media type"), (422, "invalid input"),
                       (503, "query timeout, busy, or the SPARQL server is unavailable")]
}


def install(app: FastAPI) -> None:
    """Register the exception handlers that turn every error into a problem."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.title, exc.detail, exc.kind, **exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"there is nothing at {request.url.path}; see /docs for the API and /sparql for queries"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized", 403: "Forbidden"}
        return problem_response(request, exc.status_code, titles.get(exc.status_code, "Error"), detail,
                                headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = ["{}: {}".format(".".join(str(x) for x in e.get("loc", ())), e.get("msg", "")) for e in exc.errors()]
        return problem_response(request, 422, "Invalid request", "; ".join(errors) or "invalid request",
                                "invalid-request", violations=errors)

    @app.exception_handler(ResultTooLarge)
    async def _too_large(request: Request, exc: ResultTooLarge) -> JSONResponse:
        return problem_response(request, 422, "Too many results", str(exc), "too-many-results")

    @app.exception_handler(QueryError)
    async def _query(request: Request, exc: QueryError) -> JSONResponse:
        return problem_response(request, 400, "Malformed query" if exc.line else "Query failed", str(exc),
                                "query-syntax" if exc.line else "query-failed", line=exc.line, column=exc.column)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> JSONResponse:
        return problem_response(request, 400, "Refused", str(exc), "refused")

    @app.exception_handler(QueryTimeout)
    @app.exception_handler(RemoteTimeout)
    async def _timeout(request: Request, exc: QueryTimeout | RemoteTimeout) -> JSONResponse:
        return problem_response(request, 503, "Query timeout",
                                f"{exc}; narrow the query (add LIMIT, avoid cartesian products) and try again",
                                "query-timeout", headers={"Retry-After": "1"})

    @app.exception_handler(ServiceBusy)
    async def _busy(request: Request, exc: ServiceBusy) -> JSONResponse:
        return problem_response(request, 503, "Service busy", f"{exc}; try again in a moment", "busy",
                                headers={"Retry-After": "5"})

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable on %s: %s", request.url.path, exc)
        return problem_response(request, 503, "Store unavailable",
                                f"{exc}; this service keeps running and answers again as soon as the server is back",
                                "store-unavailable", headers={"Retry-After": "5"})

    @app.exception_handler(NotAcceptable)
    async def _not_acceptable(request: Request, exc: NotAcceptable) -> JSONResponse:
        return problem_response(request, 406, "Not acceptable", str(exc), "not-acceptable", offered=exc.offered)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        violations = [p.message for p in exc.problems]
        return problem_response(request, 422, "Invalid data",
                                f"the write was rejected and nothing changed: {len(violations)} violation(s)",
                                "invalid-data", violations=violations)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover - a bug
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(request, 500, "Internal error",
                                f"the service failed unexpectedly ({type(exc).__name__}); please report it",
                                "internal")
