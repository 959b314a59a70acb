"""REST: the authors' assessments and actors' views, with hedging, cue, authors and evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from .. import knowledge, models
from ..deps import Service, get_service
from ..problems import PROBLEM_RESPONSES
from .entities import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["Assessments"], responses=PROBLEM_RESPONSES)


@router.get("/assessments", response_model=models.Page[models.Assessment])
def list_assessments(service: Annotated[Service, Depends(get_service)], offset: Offset = 0,
                     limit: Limit = 50) -> dict[str, object]:
    return knowledge.paginate(knowledge.assessment_list(service), offset, limit)
