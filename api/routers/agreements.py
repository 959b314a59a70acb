"""REST: agreements with their parties, related things, themes and evidence."""

from __future__ import annotations

from fastapi import APIRouter

from .. import models, read_model
from ..deps import Limit, Offset, ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES
from ..responses import paginate

router = APIRouter(prefix="/api/v1", tags=["Agreements"], responses=PROBLEM_RESPONSES)


@router.get("/agreements", response_model=models.Page[models.Agreement])
def list_agreements(service: ServiceDep, language: LanguageDep, offset: Offset = 0,
                    limit: Limit = 50) -> dict[str, object]:
    return localise(paginate(read_model.agreements(service), offset, limit), service, language.language)
