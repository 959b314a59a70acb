"""REST: entities, searchable by label or alias, filtered by type, paginated; one entity in full."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from .. import models, read_model
from ..deps import Limit, Offset, ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES
from ..responses import json_response, paginate

router = APIRouter(prefix="/api/v1", tags=["Entities"], responses=PROBLEM_RESPONSES)

#: The parameters of the entity list, shared with its HTML page ``/entities`` (:mod:`api.routers.entity_list`),
#: so both take the same query string.
SearchText = Annotated[str | None, Query(max_length=200, description="part of a label or an alias")]
EntityType = Annotated[str | None, Query(max_length=100, description="class local name, e.g. State, "
                                         "or a group: actor, place, event, …")]
DEFAULT_LIMIT = 50


#: OpenAPI links (followed by clients and by stateful fuzzers): an entity of the list to its detail and its view
_TO_AN_ENTITY: dict[int | str, dict[str, Any]] = {200: {"description": "a page of entities", "links": {
    name: {"operationId": operation, "parameters": {"path": "$response.body#/items/0/path"},
           "description": f"the {what} of the first entity listed"}
    for name, operation, what in (("detail", "get_entity_api_v1_entities__path__get", "detail"),
                                  ("view", "entity_page_view_entity__path__get", "network view"))}}}


@router.get("/entities", response_model=models.Page[models.EntitySummary], responses=_TO_AN_ENTITY)
def list_entities(service: ServiceDep, language: LanguageDep, q: SearchText = None, type: EntityType = None,
                  offset: Offset = 0, limit: Limit = DEFAULT_LIMIT) -> dict[str, object]:
    return localise(paginate(read_model.find_entities(service, q, type), offset, limit), service, language.language)


@router.get("/entities/{path:path}", response_model=models.EntityDetail)
def get_entity(path: str, service: ServiceDep, language: LanguageDep) -> Response:
    """One entity by the part of its IRI after ``https://w3id.org/srkg/id/``, e.g. ``russia``.

    Each list holds at most the first 100 items; ``totals`` says how many there are."""
    return json_response(localise(read_model.entity_detail(service, path), service, language.language))
