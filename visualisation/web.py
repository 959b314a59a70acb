"""The package's pages as a FastAPI router, for the service to include: the network views, the timeline,
the stance matrix and the source reader.

Routes (all HTML, all assets local):

* ``/view/overview`` (``/view`` redirects here)
* ``/view/entity/{path}?radius=1|2`` for ``https://w3id.org/srkg/id/{path}``
* ``/view/theme/{path}`` for the theme ``https://w3id.org/srkg/id/{path}``
* ``/view/source/{slug}``
* ``/view/stances``
* ``/view/timeline?actor=&theme=&source=&limit=``: events on a time axis (:mod:`graph.read.timeline`)
* ``/view/stances/matrix``, ``?a=russia`` and ``?a=russia&b=china``: the stance matrix, one actor's row and the
  alignment of two actors (:mod:`graph.read.stance_matrix`)
* ``/view/static/{name}``: vis-network, the page script and style, licences
* ``/sources`` and ``/sources/{slug}``: the list of sources and the source reader, a source's text with
  every evidence span highlighted (:mod:`visualisation.reader`, :mod:`graph.read.annotations`); ``#at-{start}-{end}``
  scrolls to and highlights characters ``[start, end)``

Every view takes ``?budget=N`` (1..5000) to override the node budget
(``SRKG_VIEW_NODE_BUDGET``, default 300).

The router reaches data only through dependencies the service may
override with ``app.dependency_overrides``: :func:`get_store` (the open
:class:`~graph.store.Store`), :func:`get_projection` (the networkx
projection; by default from a module-level
:class:`~graph.read.projection.ProjectionCache` over :func:`get_store`) and
:func:`get_data_dir` (where the sources' texts are). :func:`get_search_box`
says whether the host app provides search: only then do the pages show the
search box, whose script and style (``/static/search-box.*``) and results
(``/search``) are the host's; the router alone has none, so by default no page
shows it. Clicking a node leads to the service's entity page ``/id/{path}``.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, TypeVar, cast

import networkx as nx
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from graph import namespaces as ns
from graph.language import LANGUAGES, Negotiated, language_links, negotiate
from graph.read import stance_matrix, timeline
from graph.read.annotations import SourceTextMissing, UnknownSource, annotate, find_source, source_records
from graph.read.events import read_event_dates
from graph.read.labels import Labels
from graph.read.projection import ProjectionCache, labels_of
from graph.settings import get_settings
from graph.store import Store, open_store

from . import pages, reader, views
from .render import STATIC_DIR, STATIC_FILES, ServiceLinks, more_views, render

router = APIRouter(tags=["views"])

#: Pages may load scripts and styles from the service only, and submit forms (the search box) to it only.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")

_store_lock = threading.Lock()
_store: Store | None = None
_caches: weakref.WeakKeyDictionary[Store, ProjectionCache] = weakref.WeakKeyDictionary()
_links = ServiceLinks()  # for the redirect only: pages take theirs from get_links
_MEDIA = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
_TEXT = "text/plain; charset=utf-8"  # the licences
T = TypeVar("T")


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


def get_search_box() -> bool:
    """Whether the pages show the search box: only if the app that includes the router serves ``/search`` and
    ``/static/search-box.js`` and ``.css``, which the router does not. The service overrides this to True."""
    return False


def get_links(search: Annotated[bool, Depends(get_search_box)]) -> ServiceLinks:
    """The links of the pages the router serves (with the search box if the host provides search)."""
    return ServiceLinks(search=search)


PageLinks = Annotated[ServiceLinks, Depends(get_links)]


def get_language(request: Request, lang: Annotated[str | None, Query(
        max_length=35, description=f"the language of the page and its labels: one of {', '.join(LANGUAGES)}; "
                                   "otherwise Accept-Language decides, and English when neither names one")] = None
                 ) -> Negotiated:
    """The page's language, from ``?lang=`` then ``Accept-Language``; the service overrides this with its own
    negotiation, which also says the language in the response of every route."""
    return negotiate(lang, request.headers.get("accept-language"))


@dataclass(frozen=True)
class PageLanguage:
    """A page's language: its tag, its language menu, and the graph's labels in it. Hashable by the tag and the
    menu, so that it can key the page caches (the labels belong to the projection the caches belong to)."""

    lang: str
    menu: tuple[tuple[tuple[str, object], ...], ...]
    labels: Labels = field(compare=False, hash=False, repr=False)

    @property
    def links(self) -> list[dict[str, object]]:
        """The language menu, as the templates take it (:func:`graph.language.language_links`)."""
        return [dict(item) for item in self.menu]

    def view(self, view: views.View) -> views.View:
        """``view`` with its labels in this language where the graph has them."""
        return views.localise(view, self.labels, self.lang)

    def localise(self, value: T) -> T:
        """``value`` (records of :mod:`graph.read`) with their labels in this language where the graph has them."""
        return self.labels.localise(value, self.lang)

    def name(self, iri: str, english: str) -> str:
        """The label of ``iri`` in this language, or ``english``."""
        return self.labels.pick(iri, self.lang, english)


def get_page_language(request: Request, g: Projection, chosen: Annotated[Negotiated, Depends(get_language)]
                      ) -> PageLanguage:
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) and raw else request.url.path
    menu = language_links(path, request.query_params.multi_items(), chosen.language)
    return PageLanguage(chosen.language, tuple(tuple(item.items()) for item in menu), labels_of(g))


Language = Annotated[PageLanguage, Depends(get_page_language)]


def _settings(budget: int | None) -> views.ViewSettings:
    base = views.ViewSettings()
    return base if budget is None else base.model_copy(update={"node_budget": budget})


def _page(view: views.View, links: ServiceLinks, language: PageLanguage) -> HTMLResponse:
    return _html(render(language.view(view), links, lang=language.lang, lang_links=language.links), language)


def _html(page: str, language: PageLanguage, csp: str = CSP) -> HTMLResponse:
    return HTMLResponse(page, headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                                       "Content-Language": language.lang, "Vary": "Accept-Language"})


#: How each cached view page is made from the projection, the pages' links and the request's parameters.
_MAKERS: dict[str, Callable[..., str]] = {
    "overview": lambda g, links, language, b: render(language.view(views.overview(g, _settings(b))), links,
                                                     more_views(g, links), lang=language.lang,
                                                     lang_links=language.links),
    "stances": lambda g, links, language, b: render(language.view(views.stances(g, _settings(b))), links,
                                                    lang=language.lang, lang_links=language.links),
    "entity": lambda g, links, language, path, radius, b: render(
        language.view(views.entity(g, ns.ID + path, radius, _settings(b))), links, lang=language.lang,
        lang_links=language.links),
}


def _cached(g: nx.MultiDiGraph, kind: str, links: ServiceLinks, language: PageLanguage, *key: object
            ) -> HTMLResponse:
    """A view page from the projection's own cache of the last 128 pages made from it.

    Laying out a hub's neighbourhood takes seconds at a million triples; the cache lives in ``g.graph``,
    so it goes away with the projection when the store changes."""
    with _store_lock:
        pages = g.graph.get("srkg-pages")
        if pages is None:
            pages = g.graph["srkg-pages"] = functools.lru_cache(maxsize=128)(
                lambda kind, links, language, *key: _MAKERS[kind](g, links, language, *key))
    return _html(pages(kind, links, language, *key), language)


def _not_found(error: LookupError) -> HTTPException:
    return HTTPException(status_code=404, detail=str(error.args[0]) if error.args else "not found")


def get_data_dir() -> Path:
    """The data folder, where the sources' texts are; the service overrides this with its settings' one."""
    return get_settings().data_dir


Projection = Annotated[nx.MultiDiGraph, Depends(get_projection)]
DataDir = Annotated[Path, Depends(get_data_dir)]
Budget = Annotated[int | None, Query(ge=1, le=5000,
                                     description="most nodes to show (default SRKG_VIEW_NODE_BUDGET or 300)")]
Radius = Annotated[int, Query(ge=1, le=2, description="1 or 2 steps from the entity")]


@router.get("/view", include_in_schema=False)
@router.get("/view/", include_in_schema=False)
def view_root() -> RedirectResponse:
    return RedirectResponse(_links.overview(), status_code=307)


@router.get("/view/overview", response_class=HTMLResponse, summary="Network overview")
def overview_page(g: Projection, links: PageLinks, language: Language, budget: Budget = None) -> HTMLResponse:
    return _cached(g, "overview", links, language, budget)


@router.get("/view/stances", response_class=HTMLResponse, summary="Stance network")
def stances_page(g: Projection, links: PageLinks, language: Language, budget: Budget = None) -> HTMLResponse:
    return _cached(g, "stances", links, language, budget)


@router.get("/view/entity/{path:path}", response_class=HTMLResponse, summary="Neighbourhood of one entity",
            responses={404: {"description": "no such entity in the graph"}})
def entity_page(path: str, g: Projection, links: PageLinks, language: Language, radius: Radius = 1,
                budget: Budget = None) -> HTMLResponse:
    try:
        return _cached(g, "entity", links, language, path, radius, budget)
    except views.ViewNotFound as e:
        raise _not_found(e) from None


@router.get("/view/theme/{path:path}", response_class=HTMLResponse, summary="Everything tagged with a theme",
            responses={404: {"description": "no such theme in the graph"}})
def theme_page(path: str, g: Projection, links: PageLinks, language: Language, budget: Budget = None) -> HTMLResponse:
    try:
        return _page(views.theme(g, ns.ID + path, _settings(budget)), links, language)
    except views.ViewNotFound as e:
        raise _not_found(e) from None


@router.get("/view/source/{slug}", response_class=HTMLResponse, summary="What one source document states",
            responses={404: {"description": "no such source in the graph"}})
def source_page(slug: str, g: Projection, links: PageLinks, language: Language, budget: Budget = None
                ) -> HTMLResponse:
    try:
        return _page(views.source(g, slug, _settings(budget)), links, language)
    except views.ViewNotFound as e:
        raise _not_found(e) from None


def _per_projection(g: nx.MultiDiGraph, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per projection, kept in ``g.graph`` (so it goes away when the store changes).

    Requests that need it while it is being computed wait for that one computation: at a million triples the
    sources' records take most of a second, and eight cold requests computing them side by side held the
    process for four."""
    with _store_lock:
        memo = g.graph.setdefault("srkg-derived", {})
        lock = g.graph.setdefault("srkg-derived-locks", {}).setdefault(name, threading.Lock())
    if name not in memo:
        with lock:
            if name not in memo:
                memo[name] = compute()
    return cast(T, memo[name])


ActorName = Annotated[str | None, Query(max_length=300, description="an actor's id, as in /id/russia → russia")]


@router.get("/view/timeline", response_class=HTMLResponse, summary="Events on a time axis",
            responses={404: {"description": "an actor, theme or source the filters name is not in the graph"}})
def timeline_page(g: Projection, store: StoreDep, links: PageLinks, language: Language, actor: ActorName = None,
                  theme: Annotated[str | None, Query(max_length=300, description="a theme's id")] = None,
                  source: Annotated[str | None, Query(max_length=300, description="a source's slug")] = None,
                  limit: Annotated[int, Query(ge=1, le=timeline.MAX_LIMIT, description="most dated events (the most "
                                              "recent)")] = timeline.DEFAULT_LIMIT) -> HTMLResponse:
    index = _per_projection(g, "timeline-index", lambda: timeline.build_index(g, read_event_dates(store)))
    try:
        chosen = timeline.resolve_filter(index, actor, theme, source)
    except timeline.UnknownFilterValue as e:
        raise _not_found(e) from None
    made = _per_projection(g, "timeline-pages", lambda: functools.lru_cache(maxsize=128)(
        lambda f, n, links, language: pages.render_timeline(
            language.localise(timeline.timeline(index, f, n)), index, links, lang=language.lang,
            lang_links=language.links, name=language.name)))
    return _html(made(chosen, limit, links, language), language)


@router.get("/view/stances/matrix", response_class=HTMLResponse, summary="Who takes which position on what",
            responses={404: {"description": "an actor named is not in the graph"}})
def stance_matrix_page(g: Projection, links: PageLinks, language: Language, a: ActorName = None,
                       b: ActorName = None,
                       holders: Annotated[int, Query(ge=1, le=stance_matrix.MAX_AXIS)] = stance_matrix.DEFAULT_HOLDERS,
                       targets: Annotated[int, Query(ge=1, le=stance_matrix.MAX_AXIS)] = stance_matrix.DEFAULT_TARGETS,
                       ) -> HTMLResponse:
    index = _per_projection(g, "stance-matrix-index", lambda: stance_matrix.build_index(g))
    try:
        actors = stance_matrix.resolve_actors(index, a, b)
    except stance_matrix.UnknownActor as e:
        raise _not_found(e) from None

    def make(key: tuple[str, ...], links: ServiceLinks, language: PageLanguage) -> str:
        mode, *rest = key
        if mode == "align":
            return pages.render_alignment(language.localise(stance_matrix.align(index, rest[0], rest[1])), index,
                                          links, lang=language.lang, lang_links=language.links, name=language.name)
        found = (stance_matrix.actor_row(index, rest[0], int(rest[1])) if mode == "actor"
                 else stance_matrix.matrix(index, int(rest[0]), int(rest[1])))
        return pages.render_matrix(language.localise(found), index, links, lang=language.lang,
                                   lang_links=language.links, name=language.name,
                                   chosen=timeline.entity_id(rest[0]) if mode == "actor" else "")

    made = _per_projection(g, "stance-matrix-pages", lambda: functools.lru_cache(maxsize=128)(make))
    key = (("align", *actors) if len(actors) == 2 else ("actor", actors[0], str(targets)) if actors
           else ("matrix", str(holders), str(targets)))
    return _html(made(key, links, language), language)


#: sources the list at /sources shows on one page
SOURCES_PAGE = 500
#: the reader's CSP: the views' one without inline styles (the page sets none)
READER_CSP = CSP.replace("style-src 'self' 'unsafe-inline'", "style-src 'self'")


@router.get("/sources", response_class=HTMLResponse, summary="The source documents, each with its reader")
def sources_page(g: Projection, store: StoreDep, links: PageLinks, language: Language,
                 offset: Annotated[int, Query(ge=0, le=10_000_000, description="sources to skip")] = 0
                 ) -> HTMLResponse:
    records = _per_projection(g, "source-records", lambda: source_records(store))
    made = _per_projection(g, "source-list-pages", lambda: functools.lru_cache(maxsize=32)(
        lambda offset, links, language: reader.render_sources(
            [(r.iri, r.slug, r.title) for r in records], links, offset=offset, limit=SOURCES_PAGE,
            lang=language.lang, lang_links=language.links)))
    return _html(made(offset, links, language), language, csp=READER_CSP)


@router.get("/sources/{slug}", response_class=HTMLResponse, summary="A source's text with its evidence highlighted",
            responses={404: {"description": "no such source, or its text is not in the data folder"}})
def reader_page(slug: str, g: Projection, store: StoreDep, data_dir: DataDir, links: PageLinks,
                language: Language) -> HTMLResponse:
    """The source reader; its JSON twin is ``/api/v1/sources/{slug}/annotations``."""
    records = _per_projection(g, "source-records", lambda: source_records(store))
    made = _per_projection(g, "reader-pages", lambda: functools.lru_cache(maxsize=128)(
        lambda slug, links, language: reader.render_reader(
            language.localise(annotate(store, data_dir, find_source(records, slug))), links, lang=language.lang,
            lang_links=language.links)))
    try:
        return _html(made(slug, links, language), language, csp=READER_CSP)
    except UnknownSource:
        raise HTTPException(status_code=404, detail=f"there is no source {slug!r}; /sources lists them") from None
    except SourceTextMissing as e:
        raise _not_found(e) from None


@router.get("/view/static/{name}", summary="Scripts, style and licences of the views",
            response_class=FileResponse,
            responses={200: {"description": "the file", "content": {media: {} for media in (*_MEDIA.values(),
                                                                                             _TEXT)}},
                       404: {"description": "no such file"}})
def static_file(name: Annotated[str, PathParam(description="one of the files this page lists in its 404",
                                          examples=["srkg-views.js", "LICENSE-MIT"])]) -> FileResponse:
    if name not in STATIC_FILES:
        raise HTTPException(status_code=404, detail=f"no static file {name!r}; known: {', '.join(STATIC_FILES)}")
    path = STATIC_DIR / name
    return FileResponse(path, media_type=_MEDIA.get(path.suffix, _TEXT),
                        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})
