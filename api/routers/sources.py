"""REST: the source documents, each with its metadata and every assertion drawn from it, with offsets; and the
annotated text of each (``/api/v1/sources/{slug}/annotations``), the JSON twin of its reader ``/sources/{slug}``."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Response
from pydantic import TypeAdapter

from graph import namespaces as ns
from graph.read.annotations import SourceAnnotations, SourceTextMissing, UnknownSource

from .. import models, read_model
from ..deps import ServiceDep
from ..problems import PROBLEM_RESPONSES, ProblemError
from ..read_model import source_text
from ..responses import json_response
from ..service import Service

router = APIRouter(prefix="/api/v1", tags=["Sources"], responses=PROBLEM_RESPONSES)


def build_source(service: Service, row: dict, with_assertions: bool = True) -> models.Source:
    iri = str(row["source"])
    metadata: dict[str, list[str]] = defaultdict(list)
    for p, o, _ in read_model.statements(service, iri):
        if p in {ns.SRKG + "evidence", ns.SRKG + "boilerplate"}:
            continue
        key = ns.curie(p)
        if str(o) not in metadata[key]:
            metadata[key].append(str(o))
    assertions = read_model.assertions_by_source(service).get(iri, []) if with_assertions else []
    return models.Source(iri=iri, title=str(row["title"]), graph=str(row["graph"]), metadata=dict(metadata),
                         text_length=len(source_text(service, row)), assertions=assertions)


@router.get("/sources", response_model=list[models.Source])
def list_sources(service: ServiceDep) -> list[models.Source]:
    """Every source document with its metadata (assertions only on the single-source route)."""
    return service.memo("sources", lambda: [build_source(service, r, with_assertions=False)
                                            for r in read_model.source_rows(service)])


@router.get("/sources/{slug}", response_model=models.Source)
def get_source(slug: str, service: ServiceDep) -> Response:
    """One source by its slug, e.g. ``pism-spotlight-2024-34``, with every assertion drawn from it."""
    by_slug = read_model.source_by_slug(service)
    if slug in by_slug:
        return json_response(build_source(service, by_slug[slug]))
    raise unknown_source(slug)


def unknown_source(slug: str) -> ProblemError:
    """The 404 problem of a slug that names no source."""
    return ProblemError(404, "Unknown source", f"there is no source {slug!r}; GET /api/v1/sources lists them",
                        "unknown-source")


_ANNOTATIONS = TypeAdapter(SourceAnnotations)


@router.get("/sources/{slug}/annotations", response_model=SourceAnnotations)
def get_source_annotations(slug: str, service: ServiceDep) -> Response:
    """The full text of one source with every evidence span, what each grounds (label, type, attribution layer,
    hedging), the segments that partition the text for drawing overlapping spans, each sentence's coverage
    and the boilerplate passages: what the reader ``/sources/{slug}`` shows (see ``graph.read.annotations``)."""
    try:
        annotated = read_model.source_annotations(service, slug)
    except UnknownSource:
        raise unknown_source(slug) from None
    except SourceTextMissing as e:
        raise ProblemError(404, "Source text not found", str(e), "source-text-missing") from None
    return Response(_ANNOTATIONS.dump_json(annotated), media_type="application/json")
