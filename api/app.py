"""The FastAPI application: :func:`create_app` wires settings, routers, errors, pages and static files.

The service starts its query workers in the app's lifespan (so a server is
ready only once it can answer), registers the RFC 9457 error handlers,
limits request sizes, serves the OpenAPI documentation at ``/docs`` from
local files (the Swagger UI that fastapi-offline ships, no CDN), and mounts the network views of
:mod:`visualisation` when that package provides a router.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.settings import Settings, get_settings

from . import problems, read_model
from .admission import AdmissionMiddleware
from .deps import get_data_dir, get_projection, get_store
from .language import ContentLanguageMiddleware, negotiated_language
from .pages import HERE
from .routers import (
    agreements,
    analytics,
    assessments,
    entities,
    entity_list,
    events,
    exports,
    favicon,
    graph_store,
    linked_data,
    search,
    sources,
    sparql,
    stances,
    summary,
    themes,
    timeline,
)
from .service import Service

MAX_REQUEST_BYTES = 6_000_000


def _swagger_ui() -> Path:
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        raise ImportError("the fastapi-offline package is missing: /docs is served from its Swagger UI files")
    return Path(spec.origin).parent / "static"


#: Swagger UI's files, as the fastapi-offline package ships them (so /docs needs no CDN).
SWAGGER_UI = _swagger_ui()


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether or not they declare a length."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problems.problem_response(None, 413, "Request too large",
                                             f"the request body is over the limit of {self.limit} bytes", "too-large")
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class SrkgApp(FastAPI):
    """FastAPI with the SPARQL fast path (:class:`api.routers.sparql.FastPath`) in front of its whole stack,
    and who asks (:class:`api.admission.AdmissionMiddleware`) in front of both."""

    def __init__(self, *, client_key_header: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        fast_path = sparql.FastPath(super().__call__, lambda: getattr(self.state, "service", None))
        self._front = AdmissionMiddleware(fast_path, header=client_key_header)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self  # as Starlette sets it, for the fast path's requests too (api.pages.has_views)
        await self._front(scope, receive, send)


def create_app(settings: Settings | None = None, *, workers: int | None = None) -> FastAPI:
    """The service for ``settings`` (default: the process settings), with ``workers`` query workers
    (default: ``settings.query_workers``)."""
    settings = settings or get_settings()
    workers = workers or settings.query_workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from starlette.concurrency import run_in_threadpool

        service = await run_in_threadpool(Service.start, settings, workers)
        app.state.service = service
        await run_in_threadpool(read_model.warm, service)  # the projection and REST indexes, before the first request
        try:
            yield
        finally:
            await run_in_threadpool(service.close)

    app = SrkgApp(
        title="srkg",
        summary="A knowledge graph of Sino-Russian relations: SPARQL 1.1, REST and linked data",
        description="Every fact is grounded in a verbatim quote of its source. SPARQL at /sparql, "
                    "REST under /api/v1, entity pages under /id/, the ontology at /ontology.",
        version="0.1.0",
        lifespan=lifespan,
        client_key_header=settings.client_key_header,
        docs_url=None,  # served below from local files: no CDN
        redoc_url=None,
    )
    problems.install(app)
    for module in (sparql, graph_store, entities, stances, events, agreements, themes, assessments, sources,
                   analytics, linked_data, search, summary, entity_list, favicon, timeline, exports):
        app.include_router(module.router)
    views: ModuleType | None
    try:
        from visualisation import web as views
    except ImportError:
        views = None
    app.state.views = views is not None  # pages link the views only when they are served (api.pages.has_views)
    if views is not None:
        app.include_router(views.router)
        # the views read through the service's store (query workers), share its projection and read the
        # sources' texts from its data folder
        for name, provider in (("get_store", get_store), ("get_projection", get_projection),
                               ("get_data_dir", get_data_dir)):
            if hasattr(views, name):
                app.dependency_overrides[getattr(views, name)] = provider
        app.dependency_overrides[views.get_search_box] = lambda: True  # their search box: /search, search-box.js
        app.dependency_overrides[views.get_language] = negotiated_language  # the language said in the response
    app.mount("/static/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="srkg API",
                                   swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger-ui/favicon.png")

    app.add_middleware(ContentLanguageMiddleware)
    app.add_middleware(BodyLimit, limit=MAX_REQUEST_BYTES)
    return app
