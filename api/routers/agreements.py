"""REST: agreements with their parties, related things, themes and evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from .. import knowledge, models
from ..deps import Service, get_service
from ..problems import PROBLEM_RESPONSES
from .entities import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["Agreements"], responses=PROBLEM_RESPONSES)


@router.get("/agreements", response_model=models.Page[models.Agreement])
def list_agreements(service: Annotated[Service, Depends(get_service)], offset: Offset = 0,
                    limit: Limit = 50) -> dict[str, object]:
    return knowledge.paginate(knowledge.agreements(service), offset, limit)
