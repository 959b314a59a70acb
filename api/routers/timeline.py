"""REST: the timeline (:mod:`graph.read.timeline`), the JSON twin of the page ``/view/timeline``.

Dated events with their days on the axis, whether each date is stated or inferred (with the basis), their
status, the event each nests under, actors, themes and sources; the groups (events with dated sub-events);
the undated events apart. Filtered by ``actor``, ``theme`` and ``source`` (ids and slugs, as the page's
filters take them); an unknown value is a 404 problem naming it.
"""

from __future__ import annotations

import functools
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Query, Response

from graph.read import timeline as core
from graph.read.events import EventRecord

from .. import models, read_model
from ..deps import ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES, ProblemError
from ..service import Service

router = APIRouter(prefix="/api/v1", tags=["Timeline"], responses=PROBLEM_RESPONSES)
ActorFilter = Annotated[str | None, Query(max_length=300, description="an actor's id, e.g. russia")]
ThemeFilter = Annotated[str | None, Query(max_length=300, description="a theme's id, e.g. theme-diplomacy")]
SourceFilter = Annotated[str | None, Query(max_length=300, description="a source's slug, e.g. pism-spotlight-2024-34")]
TimelineLimit = Annotated[int, Query(ge=1, le=core.MAX_LIMIT, description="most dated events (the most recent)")]


def chosen_filter(index: core.TimelineIndex, actor: str | None, theme: str | None,
                  source: str | None) -> core.TimelineFilter:
    """The filters named by a request; a 404 problem naming a value the graph does not hold."""
    try:
        return core.resolve_filter(index, actor, theme, source)
    except core.UnknownFilterValue as e:
        raise ProblemError(404, f"Unknown {e.kind}", str(e), f"unknown-{e.kind}") from None


def _event(g: nx.MultiDiGraph, record: EventRecord, item: core.TimelineItem | None) -> models.TimelineEvent:
    base = read_model.event_model(g, record)
    return models.TimelineEvent(
        **dict(base), axis_start=item.start.isoformat() if item else None,
        axis_end=item.end.isoformat() if item else None, prospective=record.prospective,
        parent=read_model.ref(g, item.parent) if item and item.parent else None,
        part_of=[models.PartOf(event=read_model.ref(g, p.event), inferred=read_model.inferred(p.inferred))
                 for p in record.part_of],
        row=item.row if item else None, sources=[read_model.ref(g, s) for s in record.sources])


def timeline_model(service: Service, found: core.Timeline) -> models.Timeline:
    g = read_model.graph(service)
    return models.Timeline(
        filters=dict(found.filter.items()), total=found.total, shown=len(found.items), omitted=found.omitted,
        limit=found.limit, events=[_event(g, i.event, i) for i in found.items],
        groups=[models.TimelineGroup(event=read_model.ref(g, grp.event.iri), parent=grp.parent, level=grp.level,
                                     nested=list(grp.nested), items=list(grp.items), on_axis=grp.on_axis)
                for grp in found.groups],
        ungrouped=list(found.ungrouped), undated=[_event(g, r, None) for r in found.undated],
        undated_total=found.undated_total,
        facets={kind: [models.Facet(id=f.id, iri=f.iri, label=f.label, events=f.events) for f in facets]
                for kind, facets in found.facets.items()})


@router.get("/timeline", response_model=models.Timeline)
def get_timeline(service: ServiceDep, language: LanguageDep, actor: ActorFilter = None, theme: ThemeFilter = None,
                 source: SourceFilter = None, limit: TimelineLimit = core.DEFAULT_LIMIT) -> Response:
    """Events on a time axis, sub-events nested under the events they are part of (the page /view/timeline)."""
    chosen = chosen_filter(read_model.timeline_index(service), actor, theme, source)
    made = service.memo("timeline-bodies", lambda: functools.lru_cache(maxsize=64)(  # the last 64 of this state
        lambda f, n, lang: _body(service, f, n, lang)))
    return Response(made(chosen, limit, language.language), media_type="application/json")


def _body(service: Service, chosen: core.TimelineFilter, limit: int, language: str) -> str:
    found = core.timeline(read_model.timeline_index(service), chosen, limit)
    return localise(timeline_model(service, found), service, language).model_dump_json()
