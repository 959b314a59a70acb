"""REST: the authors' assessments and actors' views, with hedging, cue, authors and evidence."""

from __future__ import annotations

from fastapi import APIRouter

from .. import models, read_model
from ..deps import Limit, Offset, ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES
from ..responses import paginate

router = APIRouter(prefix="/api/v1", tags=["Assessments"], responses=PROBLEM_RESPONSES)


@router.get("/assessments", response_model=models.Page[models.Assessment])
def list_assessments(service: ServiceDep, language: LanguageDep, offset: Offset = 0,
                     limit: Limit = 50) -> dict[str, object]:
    return localise(paginate(read_model.assessment_list(service), offset, limit), service, language.language)
