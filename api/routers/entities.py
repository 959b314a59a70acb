"""REST: entities, searchable by label or alias, filtered by type, paginated; one entity in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from .. import models, read_model
from ..deps import Limit, Offset, ServiceDep
from ..problems import PROBLEM_RESPONSES
from ..responses import json_response, paginate

router = APIRouter(prefix="/api/v1", tags=["Entities"], responses=PROBLEM_RESPONSES)


@router.get("/entities", response_model=models.Page[models.EntitySummary])
def list_entities(service: ServiceDep,
                  q: Annotated[str | None, Query(max_length=200, description="part of a label or an alias")] = None,
                  type: Annotated[str | None, Query(max_length=100, description="class local name, e.g. State, "
                                                     "or a group: actor, place, event, …")] = None,
                  offset: Offset = 0, limit: Limit = 50) -> dict[str, object]:
    items = read_model.entities(service)
    if q:
        needle = q.casefold()
        items = [e for e, key in read_model.entity_search_keys(service) if needle in key]
    if type:
        t = type.casefold()
        items = [e for e in items if e.group.casefold() == t or t in (x.casefold() for x in e.types)]
    return paginate(items, offset, limit)


@router.get("/entities/{path:path}", response_model=models.EntityDetail)
def get_entity(path: str, service: ServiceDep) -> Response:
    """One entity by the part of its IRI after ``https://w3id.org/srkg/id/``, e.g. ``russia``.

    Each list holds at most the first 100 items; ``totals`` says how many there are."""
    return json_response(read_model.entity_detail(service, path))
