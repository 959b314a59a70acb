"""REST: stances, filtered by holder, target, polarity, theme, attribution layer and hedging; and the stance
matrix (:mod:`graph.read.stance_matrix`), the JSON and CSV twin of the page ``/view/stances/matrix``.

The matrix comes as JSON or CSV, negotiated from ``Accept`` (``application/json``, ``text/csv``) like the
rest of the service; ``?format=csv`` or ``?format=json`` overrides the header, so that a plain link can
fetch the CSV. ``?a=russia&b=china`` aligns two actors instead (ids as in ``/id/russia``); ``?a=russia`` alone
(or ``b`` alone, or the same actor in both) is that actor's row. An unknown actor is a 404 problem naming it.
"""

from __future__ import annotations

import csv
import functools
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from graph.read import stance_matrix as core
from graph.read.timeline import entity_id

from .. import models, read_model
from ..deps import Limit, Offset, ServiceDep
from ..formats import negotiate
from ..language import LanguageDep, localise
from ..links import page_of
from ..problems import PROBLEM_RESPONSES, ProblemError
from ..responses import paginate
from ..service import Service

router = APIRouter(prefix="/api/v1", tags=["Stances"], responses=PROBLEM_RESPONSES)
Filter = Annotated[str | None, Query(max_length=300)]


@router.get("/stances", response_model=models.Page[models.Stance])
def list_stances(service: ServiceDep, language: LanguageDep,
                 holder: Annotated[str | None, Query(max_length=300, description="IRI, id or label")] = None,
                 target: Filter = None,
                 polarity: Annotated[str | None, Query(max_length=50,
                                                       description="Supports, Opposes, CommitsTo")] = None,
                 theme: Filter = None,
                 attribution: Annotated[str | None, Query(max_length=50, description="ReportedFact, "
                                                          "ActorAttributed, AuthorInference")] = None,
                 hedged: Annotated[bool | None, Query(description="only hedged or attributed (true) or "
                                                      "only unhedged reported (false) stances")] = None,
                 hedging: Annotated[str | None, Query(max_length=50, description="Certain, Expected, Presumed, "
                                                      "Possible")] = None,
                 offset: Offset = 0, limit: Limit = 50) -> dict[str, object]:
    items = read_model.stances(service)
    chosen: set[int] | None = None
    for field, wanted in (("holder", holder), ("targets", target), ("themes", theme)):
        if wanted:
            found = set(read_model.stance_index(service, field).get(wanted.casefold(), []))
            chosen = found if chosen is None else chosen & found
    if chosen is not None:
        items = [items[i] for i in sorted(chosen)]
    for name, value in (("polarity", polarity), ("attribution", attribution), ("hedging", hedging)):
        if value:
            items = [s for s in items if (getattr(s, name) or "").casefold() == value.casefold()]
    if hedged is not None:
        items = [s for s in items if s.hedged == hedged]
    return localise(paginate(items, offset, limit), service, language.language)


# -- the stance matrix ---------------------------------------------------------------------------

#: the most stances of one cell the JSON lists (``stances_total`` counts them all)
CELL_STANCES = 20
MEDIA = {"json": "application/json", "csv": "text/csv"}
ActorId = Annotated[str | None, Query(max_length=300, description="an actor's id, as in /id/russia → russia")]


def _cell(cell: core.Cell | None) -> models.MatrixCell | None:
    if cell is None:
        return None
    readings = [models.StanceReading(polarity=r.polarity, text=r.text, symbols=r.symbols, plain=r.plain,
                                     hedged="hedged" in r.qualifiers, hedging=r.hedging,
                                     authors_inference="authors_inference" in r.qualifiers,
                                     actor_view="actor_view" in r.qualifiers, stances=len(r.stances))
                for r in cell.readings]
    stances = [models.MatrixStance(iri=s.iri, page=page_of(s.iri), polarity=s.polarity, attribution=s.attribution,
                                   hedging=s.hedging, hedged=s.qualified,
                                   evidence=read_model.evidence(list(s.evidence)))
               for s in cell.stances[:CELL_STANCES]]
    return models.MatrixCell(holder=cell.holder, target=cell.target, readings=readings, direction=cell.direction,
                             plain=cell.plain, sources=len(cell.sources), stances_total=len(cell.stances),
                             stances=stances)


def _axis(service: Service, axis: core.Axis) -> models.MatrixAxis:
    return models.MatrixAxis(entity=read_model.ref(read_model.graph(service), axis.iri), id=entity_id(axis.iri),
                             stances=axis.stances)


def _reading_text(cell: core.Cell | None) -> str:
    return "; ".join(f"{r.text} ({len(r.stances)})" if len(r.stances) > 1 else r.text
                     for r in cell.readings) if cell else ""


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _cell_columns(cell: core.Cell | None) -> list[object]:
    if cell is None:
        return ["", "", 0, 0, ""]
    return [_reading_text(cell), cell.direction, len(cell.sources), len(cell.stances),
            " ".join(s.iri for s in cell.stances)]


def _matrix_csv(found: core.StanceMatrix) -> str:
    """One row per cell that holds a stance."""
    labels = {a.iri: a.label for a in found.holders + found.targets}
    rows: list[list[object]] = [[entity_id(h), labels[h], entity_id(t), labels[t], *_cell_columns(cell)]
                                for (h, t), cell in found.cells.items()]
    return _csv(["holder_id", "holder", "target_id", "target", "readings", "direction", "sources", "stances",
                 "stance_iris"], rows)


def _alignment_csv(found: core.Alignment) -> str:
    """One row per target either actor takes a position on."""
    rows: list[list[object]] = [[r.category, entity_id(r.target.iri), r.target.label, *_cell_columns(r.a),
                                 *_cell_columns(r.b)] for r in found.rows]
    columns = ["readings", "direction", "sources", "stances", "stance_iris"]
    return _csv(["category", "target_id", "target", *(f"a_{c}" for c in columns), *(f"b_{c}" for c in columns)], rows)


def named_actors(index: core.StanceIndex, a: str | None, b: str | None) -> tuple[str, ...]:
    """The actors ``?a=`` and ``?b=`` name (IRIs), each once; a 404 problem for an unknown one."""
    try:
        return core.resolve_actors(index, a, b)
    except core.UnknownActor as e:
        raise ProblemError(404, "Unknown actor", str(e), "unknown-actor") from None


@router.get("/stances/matrix", response_model=models.StanceMatrix | models.StanceAlignment,
            responses={200: {"description": "JSON, or CSV (one row per cell, or per target in align mode)",
                             "content": {"application/json": {}, "text/csv": {}}}})
def stance_matrix(request: Request, service: ServiceDep, language: LanguageDep, a: ActorId = None, b: ActorId = None,
                  holders: Annotated[int, Query(ge=1, le=core.MAX_AXIS, description="most rows (holders with "
                                                "most stances first)")] = core.DEFAULT_HOLDERS,
                  targets: Annotated[int, Query(ge=1, le=core.MAX_AXIS, description="most columns (targets with "
                                                "most stances first)")] = core.DEFAULT_TARGETS,
                  format: Annotated[Literal["json", "csv"] | None,
                                    Query(description="overrides Accept")] = None) -> Response:
    """Holders as rows, targets as columns, each cell with its readings (polarity and how it is held: hedged,
    the authors' inference, an actor's view), its number of sources, its stances and their evidence; with
    ``?a=…&b=…``, the targets where both actors support, both oppose, differ, or only one takes a position;
    with one actor (``?a=…`` or ``?b=…``), that actor's row."""
    media = MEDIA[format] if format else negotiate(request.headers.get("accept"), list(MEDIA.values()))
    actors = named_actors(read_model.stance_matrix_index(service), a, b)
    made = service.memo("stance-matrix-bodies", lambda: functools.lru_cache(maxsize=64)(
        lambda *key: _body(service, *key)))  # the last 64 answers of this store state
    return Response(made(actors, holders, targets, media, language.language),
                    media_type=f"{media}; charset=utf-8" if media == MEDIA["csv"] else media)


def _body(service: Service, actors: tuple[str, ...], holders: int, targets: int, media: str,
          language: str) -> str:
    """The answer for two ``actors`` (align mode), for one (its row of ``targets``) or for none (the matrix of
    ``holders`` × ``targets``), in ``media``, its labels in ``language`` where the graph has them."""
    index = read_model.stance_matrix_index(service)
    if len(actors) == 2:
        aligned = core.align(index, *actors)
        if media == MEDIA["csv"]:
            return _alignment_csv(aligned)
        return localise(models.StanceAlignment(
            a=_axis(service, aligned.a), b=_axis(service, aligned.b),
            headings={c: aligned.heading(c) for c in core.CATEGORIES},
            counts={c: aligned.count(c) for c in core.CATEGORIES},
            rows=[models.AlignmentRow(target=_axis(service, r.target), category=r.category, a=_cell(r.a),
                                      b=_cell(r.b)) for r in aligned.rows]), service, language).model_dump_json()
    found = core.actor_row(index, actors[0], targets) if actors else core.matrix(index, holders, targets)
    if media == MEDIA["csv"]:
        return _matrix_csv(found)
    cells = [c for c in (_cell(cell) for cell in found.cells.values()) if c is not None]
    return localise(models.StanceMatrix(
        holders=[_axis(service, h) for h in found.holders], targets=[_axis(service, t) for t in found.targets],
        holders_total=found.holders_total, targets_total=found.targets_total, cells=cells), service,
        language).model_dump_json()
