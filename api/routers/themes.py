"""REST: the theme scheme, with how many things each theme tags."""

from __future__ import annotations

from fastapi import APIRouter

from .. import models
from ..deps import ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["Themes"], responses=PROBLEM_RESPONSES)


@router.get("/themes", response_model=list[models.Theme], responses={200: {"description": "every theme", "links": {
    "view": {"operationId": "theme_page_view_theme__path__get", "parameters": {"path": "$response.body#/0/path"},
             "description": "the network view of the first theme listed"}}}})
def list_themes(service: ServiceDep, language: LanguageDep) -> list[models.Theme]:
    return localise([models.Theme(iri=str(r["theme"]), label=str(r.get("label") or r["theme"]),
                         broader=str(r["broader"]) if r.get("broader") is not None else None,
                         count=int(str(r["count"])))  # a COUNT is always bound, to an integer literal
            for r in service.store.select(service.query_text("api/themes"))], service, language.language)
