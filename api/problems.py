"""RFC 9457 problem details: the one shape of every error the service returns.

Each error is ``application/problem+json`` with ``type``, ``title``,
``status`` and a ``detail`` a person can act on; some carry extensions
(``line`` and ``column`` of a syntax error, ``violations`` of a rejected
write). The exception handlers registered by :func:`install` turn every
exception the service raises into one (:func:`problem_for`), so no request ends in a bare 500.
"""

from __future__ import annotations

import logging
import re
from typing import Any, TypedDict, Unpack

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import DataError, QueryError, RemoteTimeout, ResultTooLarge, StoreUnavailable

from .admission import ClientGone, ClientOverLimit
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


class Extensions(TypedDict, total=False):
    """The extension members a problem may carry (the optional fields of :class:`Problem`)."""

    line: int | None
    column: int | None
    violations: list[str] | None
    offered: list[str] | None


class ProblemError(Exception):
    """Raise anywhere in a handler to answer with a problem."""

    def __init__(self, status: int, title: str, detail: str, kind: str | None = None,
                 **extra: Unpack[Extensions]):
        self.status, self.title, self.detail, self.kind, self.extra = status, title, detail, kind, extra
        super().__init__(detail)


def problem_response(request: Request | None, status: int, title: str, detail: str, kind: str | None = None,
                     headers: dict[str, str] | None = None, **extra: Unpack[Extensions]) -> JSONResponse:
    body = Problem(type=TYPE_BASE + kind if kind else "about:blank", title=title, status=status, detail=detail,
                   instance=str(request.url.path) if request is not None else None, **extra)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM, headers=headers)


#: The problem responses every route may give, for the OpenAPI schema.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": text, "content": {PROBLEM: {}}}
    for code, text in [(400, "bad request"), (401, "missing or wrong bearer token"), (403, "writes are disabled"),
                       (404, "not found"), (406, "not acceptable"), (413, "request too large"),
                       (415, "unsupported media type"), (422, "invalid input"),
                       (429, "the client runs as many queries at once as it may; retry after Retry-After"),
                       (503, "query timeout, busy, or the SPARQL server is unavailable")]
}


def allowed_methods(request: Request) -> list[str]:
    """The methods the API documents at the request's path (Starlette's own 405 names those of the first
    route only, where a path has one route per method); read from the app's OpenAPI schema, the contract."""
    app = request.scope.get("app")
    schema: dict[str, Any] = app.openapi() if isinstance(app, FastAPI) else {}
    paths: dict[str, dict[str, Any]] = schema.get("paths", {})
    methods: set[str] = set()
    for template, operations in paths.items():
        pattern = re.sub(r"\\\{[^}:]+:path\\\}", ".+", re.escape(template))
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        if re.fullmatch(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    return sorted(methods)


def problem_for(request: Request | None, exc: Exception) -> JSONResponse:
    """The problem response for any exception a handler raises (one table for every route and the fast path).

    Sub-classes come before their bases: a remote timeout is a query error, and answers 503, not 400."""
    if isinstance(exc, ProblemError):
        return problem_response(request, exc.status, exc.title, exc.detail, exc.kind, **exc.extra)
    if isinstance(exc, StarletteHTTPException):
        path = request.url.path if request is not None else "this path"
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"there is nothing at {path}; see /docs for the API and /sparql for queries"
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            detail = f"{request.method if request is not None else 'this method'} is not allowed on {path}"
            if request is not None:
                headers["Allow"] = ", ".join(allowed_methods(request))
        titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized", 403: "Forbidden"}
        return problem_response(request, exc.status_code, titles.get(exc.status_code, "Error"), detail,
                                headers=headers or None)
    if isinstance(exc, RequestValidationError):
        errors = ["{}: {}".format(".".join(str(x) for x in e.get("loc", ())), e.get("msg", "")) for e in exc.errors()]
        return problem_response(request, 422, "Invalid request", "; ".join(errors) or "invalid request",
                                "invalid-request", violations=errors)
    if isinstance(exc, (QueryTimeout, RemoteTimeout)):
        return problem_response(request, 503, "Query timeout",
                                f"{exc}; narrow the query (add LIMIT, avoid cartesian products) and try again",
                                "query-timeout", headers={"Retry-After": "1"})
    if isinstance(exc, ClientOverLimit):
        return problem_response(request, 429, "Too many concurrent queries",
                                f"{exc}; wait for one to end, then try again", "too-many-queries",
                                headers={"Retry-After": "1"})
    if isinstance(exc, ClientGone):  # nobody reads this answer; the status names the case in the access log
        return problem_response(request, 499, "Client closed request", str(exc), "client-gone")
    if isinstance(exc, ServiceBusy):
        return problem_response(request, 503, "Service busy", f"{exc}; try again in a moment", "busy",
                                headers={"Retry-After": "5"})
    if isinstance(exc, StoreUnavailable):
        log.warning("store unavailable on %s: %s", request.url.path if request is not None else "?", exc)
        return problem_response(request, 503, "Store unavailable",
                                f"{exc}; this service keeps running and answers again as soon as the server is back",
                                "store-unavailable", headers={"Retry-After": "5"})
    if isinstance(exc, NotAcceptable):
        return problem_response(request, 406, "Not acceptable", str(exc), "not-acceptable", offered=exc.offered)
    if isinstance(exc, ResultTooLarge):
        return problem_response(request, 422, "Too many results", str(exc), "too-many-results")
    if isinstance(exc, QueryError):
        return problem_response(request, 400, "Malformed query" if exc.line else "Query failed", str(exc),
                                "query-syntax" if exc.line else "query-failed", line=exc.line, column=exc.column)
    if isinstance(exc, Refused):
        return problem_response(request, 400, "Refused", str(exc), "refused")
    if isinstance(exc, DataError):
        violations = [p.message for p in exc.problems]
        return problem_response(request, 422, "Invalid data",
                                f"the write was rejected and nothing changed: {len(violations)} violation(s)",
                                "invalid-data", violations=violations)
    log.exception("unexpected error on %s", request.url.path if request is not None else "?", exc_info=exc)
    return problem_response(request, 500, "Internal error",
                            f"the service failed unexpectedly ({type(exc).__name__}); please report it", "internal")


def document_problems(app: FastAPI) -> None:
    """Make the app's OpenAPI schema say what its errors really are: every error response of every operation
    (FastAPI's own 422 for a bad parameter, the 404 of a router that does not know this module) is an RFC 9457
    problem, ``application/problem+json``, since :func:`problem_for` answers them all."""
    make_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = make_schema()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
            problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    for status, response in operation.get("responses", {}).items():
                        if str(status)[:1] in {"4", "5"}:
                            response["content"] = dict(problem)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


#: Every exception type :func:`problem_for` knows, in the order FastAPI should match them.
HANDLED = (ProblemError, StarletteHTTPException, RequestValidationError, ResultTooLarge, QueryError, Refused,
           QueryTimeout, RemoteTimeout, ClientOverLimit, ClientGone, ServiceBusy, StoreUnavailable, NotAcceptable,
           DataError, Exception)


def install(app: FastAPI) -> None:
    """Register :func:`problem_for` for every exception, so no request ends in a bare 500, and say so in the
    OpenAPI schema (:func:`document_problems`)."""
    document_problems(app)

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        return problem_for(request, exc)

    for kind in HANDLED:
        app.add_exception_handler(kind, handle)
