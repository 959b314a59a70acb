"""Search: the page ``/search`` and its JSON twin ``/api/v1/search``, both answered by :mod:`graph.read.search`.

Entities link to their pages (``/id/…``), passages to the source reader at
``/sources/{slug}#at-{start}-{end}``. The index is the service's (:mod:`api.search_index`), current after
every write. A query with no words or over the length limit is a 400 problem; a search while the index is
still being built is a 503 problem.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from graph import namespaces as ns
from graph.read.search import (
    MAX_QUERY_CHARS,
    EntityHit,
    Hit,
    ParsedQuery,
    Part,
    SearchIndexUnavailable,
    SearchQueryError,
    SearchResults,
    highlight,
    parse_query,
)
from graph.read.search import Kind as HitKind

from .. import models, pages
from ..deps import Limit, Offset, ServiceDep
from ..language import LanguageDep, localise
from ..links import page_of, reader_of
from ..problems import PROBLEM_RESPONSES, ProblemError
from ..responses import json_response
from ..service import Service

router = APIRouter(tags=["Search"], responses=PROBLEM_RESPONSES)

SearchText = Annotated[str, Query(min_length=1, description=f"the words to find in names and in the sources' texts "
                                              f"(at most "
                                              f"{MAX_QUERY_CHARS} characters); the last word also matches the words "
                                              "it begins, unless the query ends with a space")]
Kind = Annotated[HitKind | None,
                 Query(description="only entities or only passages (default: both, entities first)")]
DEFAULT_LIMIT = 20


def reader_link(slug: str, start: int, end: int) -> str:
    """Where the source reader shows characters ``[start, end)`` of source ``slug`` (:func:`api.links.reader_of`)."""
    link = reader_of(ns.SOURCE_ID_PREFIX + slug, start, end)
    assert link is not None  # every IRI under the sources' prefix has a place in the reader
    return link


def find(service: Service, q: str, kind: HitKind | None, offset: int, limit: int) -> SearchResults:
    """One page of results from the service's index; a problem (400, 503) for a bad query or no index yet."""
    if service.search is None:
        raise ProblemError(503, "Search unavailable", "this service has no search index", "search-unavailable")
    try:
        return service.search.current().search(q, kind, limit, offset)
    except SearchQueryError as e:
        raise ProblemError(400, "Bad search query", str(e), "bad-search-query") from None
    except SearchIndexUnavailable as e:
        raise ProblemError(503, "Search unavailable", str(e), "search-unavailable") from None


def _parts(parts: list[Part]) -> list[models.SearchPart]:
    return [models.SearchPart(text=p.text, match=p.match) for p in parts]


def _item(hit: Hit) -> models.SearchEntity | models.SearchPassage:
    if isinstance(hit, EntityHit):
        return models.SearchEntity(iri=hit.iri, label=hit.label, type=hit.type, parts=_parts(hit.parts),
                                   alias=hit.alias, alias_parts=_parts(hit.alias_parts), link=page_of(hit.iri))
    return models.SearchPassage(
        passage="quote" if hit.quote else "sentence", source=hit.source, source_iri=hit.source_iri,
        source_title=hit.source_title, start=hit.start, end=hit.end, text=hit.text, parts=_parts(hit.parts),
        about=[models.SearchMention(iri=m.iri, label=m.label, link=page_of(m.iri)) for m in hit.about],
        link=reader_of(hit.source_iri, hit.start, hit.end) or page_of(hit.source_iri))


def results_page(results: SearchResults, service: Service, language: str) -> models.SearchPage:
    """The results as the API and the page show them, with the labels in ``language`` where the graph has them
    (an entity's matches then highlighted in the label shown)."""
    found = models.SearchPage(query=results.query, kind=results.kind, total=results.total, totals=results.totals,
                              offset=results.offset, limit=results.limit, items=[_item(h) for h in results.hits])
    shown = localise(found, service, language)
    if shown is found:
        return found
    query = parse_query(results.query)
    return shown.model_copy(update={"items": [_relabelled(i, english, query) if isinstance(i, models.SearchEntity)
                                              else i for i, english in zip(shown.items, found.items, strict=True)]})


def _relabelled(item: models.SearchEntity, english: models.SearchEntity | models.SearchPassage,
                query: ParsedQuery) -> models.SearchEntity:
    """``item`` with its matches highlighted in its label; the name that matched, when the label does not, is
    the alias (the English label, when that is the name that matched)."""
    parts = _parts(highlight(item.label, query))
    if any(p.match for p in parts):
        alias, alias_parts = (None, []) if item.alias == item.label else (item.alias, item.alias_parts)
    elif item.alias is None and isinstance(english, models.SearchEntity):
        alias, alias_parts = english.label, english.parts
    else:
        alias, alias_parts = item.alias, item.alias_parts
    return item.model_copy(update={"parts": parts, "alias": alias, "alias_parts": alias_parts})


@router.get("/api/v1/search", response_model=models.SearchPage, summary="Search entities and passages")
def search(service: ServiceDep, language: LanguageDep, q: SearchText, kind: Kind = None, offset: Offset = 0,
           limit: Limit = DEFAULT_LIMIT) -> Response:
    """Entities whose names match (exact names first, then names that start with the query, then by bm25),
    then passages of the sources (sentences and evidence quotes, by bm25), each with its matches cut out as
    ``parts`` and a ``link``: the entity's page, or the passage in the source reader."""
    return json_response(results_page(find(service, q, kind, offset, limit), service, language.language))


@router.get("/search", response_class=HTMLResponse, summary="Search page", include_in_schema=False)
def search_page(request: Request, service: ServiceDep, language: LanguageDep, q: Annotated[str, Query()] = "",
                kind: Kind = None, offset: Offset = 0, limit: Limit = DEFAULT_LIMIT) -> HTMLResponse:
    """The results grouped, entities then passages (each group's first page, or pages of one ``kind``)."""
    lang = language.language
    links = pages.lang_links(request, lang)

    def page(groups: list[tuple[HitKind, models.SearchPage]], error: str | None, status_code: int = 200
             ) -> HTMLResponse:
        return pages.page(pages.render("search.html", q=q, kind=kind, groups=groups, error=error,
                                       views=pages.has_views(request), lang=lang, lang_links=links),
                          status_code=status_code)

    if not q.strip():
        return page([], None)
    try:
        kinds: list[HitKind] = [kind] if kind else ["entity", "passage"]
        groups = [(k, results_page(find(service, q, k, offset if kind else 0, limit), service, lang)) for k in kinds]
    except ProblemError as e:
        if e.status != 400:
            raise
        return page([], e.detail, status_code=400)
    return page(groups, None)
