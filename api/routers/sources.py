"""REST: the source documents, each with its metadata and every assertion drawn from it, with offsets."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from graph import namespaces as ns
from graph.coverage import _text_path

from .. import knowledge, models
from ..deps import Service, get_service
from ..problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/api/v1", tags=["Sources"], responses=PROBLEM_RESPONSES)


def source_text(service: Service, row: dict) -> str:
    """The text of a source, read from the data folder ("" if it is not there)."""
    try:
        return _text_path(service.settings.data_dir, str(row["graph"]), str(row["textFile"])).read_text("utf-8")
    except OSError:
        return ""


def build_source(service: Service, row: dict, with_assertions: bool = True) -> models.Source:
    iri = str(row["source"])
    metadata: dict[str, list[str]] = defaultdict(list)
    for p, o, _ in knowledge.statements(service, iri):
        if p in {ns.SRKG + "evidence", ns.SRKG + "boilerplate"}:
            continue
        key = next((f"{k}:{p[len(b):]}" for k, b in ns.PREFIXES.items() if p.startswith(b)), p)
        if str(o) not in metadata[key]:
            metadata[key].append(str(o))
    assertions = knowledge.assertions_by_source(service).get(iri, []) if with_assertions else []
    return models.Source(iri=iri, title=str(row["title"]), graph=str(row["graph"]), metadata=dict(metadata),
                         text_length=len(source_text(service, row)), assertions=assertions)


@router.get("/sources", response_model=list[models.Source])
def list_sources(service: Annotated[Service, Depends(get_service)]) -> list[models.Source]:
    """Every source document with its metadata (assertions only on the single-source route)."""
    return service.memo("sources", lambda: [build_source(service, r, with_assertions=False)
                                            for r in knowledge.source_rows(service)])


@router.get("/sources/{slug}", response_model=models.Source)
def get_source(slug: str, service: Annotated[Service, Depends(get_service)]) -> Response:
    """One source by its slug, e.g. ``pism-spotlight-2024-34``, with every assertion drawn from it."""
    by_slug = knowledge.source_by_slug(service)
    if slug in by_slug:
        return knowledge.json_response(build_source(service, by_slug[slug]))
    raise ProblemError(404, "Unknown source", f"there is no source {slug!r}; GET /api/v1/sources lists them",
                       "unknown-source")
