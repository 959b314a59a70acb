"""The entity list as a page, ``/entities``: the HTML twin of ``/api/v1/entities``.

It takes the same query string as its twin (``q``, ``type``, ``offset``, ``limit``, declared once in
:mod:`api.routers.entities`) and lists the same items in the same order (:func:`api.read_model.find_entities`),
with a form to filter by name and type (each type with how many entities it has), a choice of page size, and
previous and next links. A bad parameter (a negative offset, a page size over 500, a name over 200
characters) is answered with the same RFC 9457 problem as the API's.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import pages, read_model
from ..deps import Limit, Offset, ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES
from .entities import DEFAULT_LIMIT, EntityType, SearchText

router = APIRouter(tags=["Entities"], responses=PROBLEM_RESPONSES)

#: The page sizes the form offers (any size the API accepts works in the query string).
PAGE_SIZES = (20, 50, 100, 200, 500)


def query_string(q: str | None, type: str | None, offset: int, limit: int) -> str:
    """The query string of a page of the list: ``q`` and ``type`` when set, ``offset`` and ``limit`` when not
    their defaults ("" for the first page with no filter)."""
    params = [(k, v) for k, v in (("q", q), ("type", type)) if v]
    if offset:
        params.append(("offset", str(offset)))
    if limit != DEFAULT_LIMIT:
        params.append(("limit", str(limit)))
    return "?" + urlencode(params) if params else ""


@router.get("/entities", response_class=HTMLResponse,
            summary="The entity list, filtered by name and type and paged: the page of /api/v1/entities")
def entity_list(request: Request, service: ServiceDep, language: LanguageDep, q: SearchText = None,
                type: EntityType = None,
                offset: Offset = 0, limit: Limit = DEFAULT_LIMIT) -> HTMLResponse:
    items = read_model.find_entities(service, q, type)
    total = len(items)
    groups, types = read_model.entity_kinds(service)
    previous = "/entities" + query_string(q, type, max(0, offset - limit), limit) if offset > 0 else None
    following = "/entities" + query_string(q, type, offset + limit, limit) if offset + limit < total else None
    html = pages.render(
        "entities.html", items=localise(items[offset:offset + limit], service, language.language), total=total,
        offset=offset, limit=limit,
        q=q or "", type=type or "", groups=groups, types=types, sizes=sorted({*PAGE_SIZES, limit}),
        previous=previous, following=following, first="/entities" + query_string(q, type, 0, limit),
        twin="/api/v1/entities" + query_string(q, type, offset, limit), views=pages.has_views(request),
        lang=language.language, lang_links=pages.lang_links(request, language.language))
    return pages.page(html)
