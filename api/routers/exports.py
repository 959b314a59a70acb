"""REST: exports that analysts' tools open (:mod:`graph.read.exports`): the network as GraphML and GEXF, the
stances, assessments and events as CSV (one row per evidence quote, with its offsets), and the sources'
citations as CSL-JSON and BibTeX, each source's own at ``/api/v1/sources/{slug}/citation``.

Each body is made once per store state by the function ``srkg export --format …`` calls too, and served as a
download (``Content-Disposition: attachment`` with its file name). ``GET /api/v1/exports`` lists them; an
unknown name under ``/api/v1/exports/`` is a 404 problem that says where the list is. A source's citation is
CSL-JSON or BibTeX as ``?format=`` says, else as ``Accept`` negotiates (CSL-JSON first); an unknown slug is
the 404 problem of ``/api/v1/sources/{slug}``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from graph.read import exports as core
from graph.read.annotations import UnknownSource

from .. import read_model
from ..deps import ServiceDep
from ..formats import negotiate
from ..problems import PROBLEM_RESPONSES, ProblemError
from ..service import Service
from .sources import unknown_source

router = APIRouter(prefix="/api/v1", tags=["Exports"], responses=PROBLEM_RESPONSES)
PREFIX = "/api/v1/exports/"
#: the media type a response declares: text types say their charset (the XML ones declare it themselves)
CHARSET = {core.CSV, core.BIBTEX}


class Export(BaseModel):
    """One export: its ``srkg export --format`` name, where the service serves it, and what it holds."""

    format: str
    path: str
    media_type: str
    description: str


def _schema(media_type: str) -> dict[str, Any]:
    """The body's schema: CSL-JSON is a JSON array of items (objects); every other export is text."""
    if media_type == core.CSL_JSON:
        return {"schema": {"type": "array", "items": {"type": "object"}}}
    return {"schema": {"type": "string"}}


def _documented(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media_type: _schema(media_type)}}}


def _header(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in CHARSET else media_type


def _inputs(service: Service) -> core.Inputs:
    """What the exports read: the service's own whole-graph store, its projection and its events' dates."""
    return core.Inputs(service.analytics, service.projected, lambda: read_model.event_dates(service))


def _download(body: bytes, media_type: str, file: str) -> Response:
    return Response(body, media_type=_header(media_type),
                    headers={"Content-Disposition": f'attachment; filename="{file}"'})


def _export(service: Service, name: str) -> Response:
    """The export ``name`` of :data:`graph.read.exports.EXPORTS`, made once per store state."""
    fmt = core.EXPORTS[name]
    body = service.memo("export-" + name, lambda: fmt.make(_inputs(service)))
    return _download(body, fmt.media_type, fmt.file)


def _doc(name: str) -> dict[int | str, dict[str, Any]]:
    fmt = core.EXPORTS[name]
    return _documented(fmt.media_type, fmt.description)


@router.get("/exports", response_model=list[Export])
def list_exports() -> list[Export]:
    """Every export, with the ``srkg export --format`` that writes the same file."""
    return [Export(format=f.name, path=PREFIX + f.file, media_type=f.media_type, description=f.description)
            for f in core.EXPORTS.values()]


@router.get("/exports/network.graphml", response_class=Response, responses=_doc("graphml"))
def network_graphml(service: ServiceDep) -> Response:
    """The network (the networkx projection) as GraphML: every node and edge with its class, label, polarity,
    layer, hedging, weight and evidence IRIs (``nx.read_graphml`` reads it back)."""
    return _export(service, "graphml")


@router.get("/exports/network.gexf", response_class=Response, responses=_doc("gexf"))
def network_gexf(service: ServiceDep) -> Response:
    """The network as GEXF 1.2, for Gephi, with the attributes of the GraphML (``nx.read_gexf`` reads it back)."""
    return _export(service, "gexf")


@router.get("/exports/stances.csv", response_class=Response, responses=_doc("stances-csv"))
def stances_csv(service: ServiceDep) -> Response:
    """Every stance: holder, polarity, targets, layer, hedging, cues, themes…, one row per evidence quote with
    its source and offsets."""
    return _export(service, "stances-csv")


@router.get("/exports/assessments.csv", response_class=Response, responses=_doc("assessments-csv"))
def assessments_csv(service: ServiceDep) -> Response:
    """Every assessment, recommendation and actor's view: kind, claim, layer, hedging, cues, premises…, one row
    per evidence quote with its source and offsets."""
    return _export(service, "assessments-csv")


@router.get("/exports/events.csv", response_class=Response, responses=_doc("events-csv"))
def events_csv(service: ServiceDep) -> Response:
    """Every event: type, dates (with the basis of a date the source does not state), status, participants,
    places…, one row per evidence quote with its source and offsets."""
    return _export(service, "events-csv")


@router.get("/exports/citations.json", response_class=Response, responses=_doc("csl-json"))
def citations_csl_json(service: ServiceDep) -> Response:
    """The citation of every source document, as a CSL-JSON array."""
    return _export(service, "csl-json")


@router.get("/exports/citations.bib", response_class=Response, responses=_doc("bibtex"))
def citations_bibtex(service: ServiceDep) -> Response:
    """The citation of every source document, as BibTeX entries."""
    return _export(service, "bibtex")


@router.get("/exports/{name}", include_in_schema=False)
def unknown_export(name: str) -> Response:
    """Any other name: a 404 problem naming the exports there are."""
    files = ", ".join(f.file for f in core.EXPORTS.values())
    raise ProblemError(404, "Unknown export", f"there is no export {name!r}; there are {files} "
                       "(GET /api/v1/exports lists them)", "unknown-export")


# -- one source's citation -------------------------------------------------------------------------------

CITATION_FORMATS = {"csl-json": (core.CSL_JSON, "json"), "bibtex": (core.BIBTEX, "bib")}


@router.get("/sources/{slug}/citation", response_class=Response, responses={200: {
    "description": "the source's citation: a CSL-JSON array of its one item, or its BibTeX entry",
    "content": {media: _schema(media) for media, _ in CITATION_FORMATS.values()}}})
def source_citation(request: Request, slug: str, service: ServiceDep,
                    format: Annotated[Literal["csl-json", "bibtex"] | None,
                                      Query(description="overrides Accept")] = None) -> Response:
    """The citation of one source by its slug, e.g. ``pism-spotlight-2024-34``: title, authors, date, publisher,
    series and number, as CSL-JSON (``application/vnd.citationstyles.csl+json``) or BibTeX
    (``application/x-bibtex``)."""
    found = service.memo("export-citations", lambda: core.citations(service.analytics))
    try:
        citation = core.find_citation(found, slug)
    except UnknownSource:
        raise unknown_source(slug) from None
    offered = {media: name for name, (media, _) in CITATION_FORMATS.items()}
    chosen = format or offered[negotiate(request.headers.get("accept"), list(offered))]
    media, extension = CITATION_FORMATS[chosen]
    body = core.csl_json([citation]) if chosen == "csl-json" else core.bibtex([citation])
    return _download(body, media, re.sub(r"[^A-Za-z0-9_.-]", "-", citation.slug) + "." + extension)
