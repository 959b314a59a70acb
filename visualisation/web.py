"""The network views as a FastAPI router, for the service to include.

Routes (all HTML, all assets local):

* ``/view/overview`` (``/view`` redirects here)
* ``/view/entity/{path}?radius=1|2`` for ``https://w3id.org/srkg/id/{path}``
* ``/view/theme/{path}`` for the theme ``https://w3id.org/srkg/id/{path}``
* ``/view/source/{slug}``
* ``/view/stances``
* ``/view/static/{name}``: vis-network, the page script and style, licences

Every view takes ``?budget=N`` (1..5000) to override the node budget
(``SRKG_VIEW_NODE_BUDGET``, default 300).

The router reaches data only through two dependencies the service may
override with ``app.dependency_overrides``: :func:`get_store` (the open
:class:`~graph.store.Store`) and :func:`get_projection` (the networkx
projection; by default from a module-level
:class:`~graph.projection.ProjectionCache` over :func:`get_store`).
Clicking a node leads to the service's entity page ``/id/{path}``.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from graph import namespaces as ns
from graph.projection import ProjectionCache
from graph.settings import get_settings
from graph.store import Store, open_store

from . import views
from .render import STATIC_DIR, STATIC_FILES, ServiceLinks, more_views, render

router = APIRouter(tags=["views"])

#: Pages may load scripts and styles from the service only.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")

_store_lock = threading.Lock()
_store: Store | None = None
_caches: weakref.WeakKeyDictionary[Store, ProjectionCache] = weakref.WeakKeyDictionary()
_links = ServiceLinks()
_MEDIA = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def get_store() -> Store:
    """The store the views read; the service overrides this with its own."""
    global _store
    with _store_lock:
        if _store is None:
            _store = open_store(get_settings(), read_only=True)
        return _store


StoreDep = Annotated[Store, Depends(get_store)]


def get_projection(store: StoreDep) -> nx.MultiDiGraph:
    """The networkx projection of the store, rebuilt only when the store changed (one cache per store)."""
    with _store_lock:
        cache = _caches.setdefault(store, ProjectionCache())
    return cache.get(store)


def _settings(budget: int | None) -> views.ViewSettings:
    base = views.ViewSettings()
    return base if budget is None else base.model_copy(update={"node_budget": budget})


def _page(view: views.View, more: list[tuple[str, str]] | None = None) -> HTMLResponse:
    return _html(render(view, _links, more))


def _html(page: str) -> HTMLResponse:
    return HTMLResponse(page, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


#: How each cached view page is made from the projection and the request's parameters.
_MAKERS: dict[str, Callable[..., str]] = {
    "overview": lambda g, b: render(views.overview(g, _settings(b)), _links, more_views(g, _links)),
    "stances": lambda g, b: render(views.stances(g, _settings(b)), _links),
    "entity": lambda g, path, radius, b: render(views.entity(g, ns.ID + path, radius, _settings(b)), _links),
}


def _cached(g: nx.MultiDiGraph, kind: str, *key: object) -> HTMLResponse:
    """A view page from the projection's own cache of the last 128 pages made from it.

    Laying out a hub's neighbourhood takes seconds at a million triples; the cache lives in ``g.graph``,
    so it goes away with the projection when the store changes."""
    with _store_lock:
        pages = g.graph.get("srkg-pages")
        if pages is None:
            pages = g.graph["srkg-pages"] = functools.lru_cache(maxsize=128)(
                lambda kind, *key: _MAKERS[kind](g, *key))
    return _html(pages(kind, *key))


def _not_found(error: LookupError) -> HTTPException:
    return HTTPException(status_code=404, detail=str(error.args[0]) if error.args else "not found")


Projection = Annotated[nx.MultiDiGraph, Depends(get_projection)]
Budget = Annotated[int | None, Query(ge=1, le=5000,
                                     description="most nodes to show (default SRKG_VIEW_NODE_BUDGET or 300)")]
Radius = Annotated[int, Query(ge=1, le=2, description="1 or 2 steps from the entity")]


@router.get("/view", include_in_schema=False)
@router.get("/view/", include_in_schema=False)
def view_root() -> RedirectResponse:
    return RedirectResponse(_links.overview(), status_code=307)


@router.get("/view/overview", response_class=HTMLResponse, summary="Network overview")
def overview_page(g: Projection, budget: Budget = None) -> HTMLResponse:
    return _cached(g, "overview", budget)


@router.get("/view/stances", response_class=HTMLResponse, summary="Stance network")
def stances_page(g: Projection, budget: Budget = None) -> HTMLResponse:
    return _cached(g, "stances", budget)


@router.get("/view/entity/{path:path}", response_class=HTMLResponse, summary="Neighbourhood of one entity")
def entity_page(path: str, g: Projection, radius: Radius = 1, budget: Budget = None) -> HTMLResponse:
    try:
        return _cached(g, "entity", path, radius, budget)
    except views.ViewNotFound as e:
        raise _not_found(e) from None


@router.get("/view/theme/{path:path}", response_class=HTMLResponse, summary="Everything tagged with a theme")
def theme_page(path: str, g: Projection, budget: Budget = None) -> HTMLResponse:
    try:
        return _page(views.theme(g, ns.ID + path, _settings(budget)))
    except views.ViewNotFound as e:
        raise _not_found(e) from None


@router.get("/view/source/{slug}", response_class=HTMLResponse, summary="What one source document states")
def source_page(slug: str, g: Projection, budget: Budget = None) -> HTMLResponse:
    try:
        return _page(views.source(g, slug, _settings(budget)))
    except views.ViewNotFound as e:
        raise _not_found(e) from None


@router.get("/view/static/{name}", summary="Scripts, style and licences of the views")
def static_file(name: str) -> FileResponse:
    if name not in STATIC_FILES:
        raise HTTPException(status_code=404, detail=f"no static file {name!r}; known: {', '.join(STATIC_FILES)}")
    path = STATIC_DIR / name
    return FileResponse(path, media_type=_MEDIA.get(path.suffix, "text/plain; charset=utf-8"),
                        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})
