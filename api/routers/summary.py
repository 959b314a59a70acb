"""The home page ``/`` and its JSON twin ``/api/v1/summary``: what the graph holds and the ways into it.

Both show one :class:`api.models.Summary`, made from :func:`graph.read.summary.summarise` (computed once per store
state, :func:`api.read_model.home_summary`): the sources newest first with their dates, authors, publisher
and series, each linked to its reader (``/sources/{slug}``) and its network view (``/view/source/{slug}``);
how many things of each kind the graph has; the most central actors (degree centrality); the latest events
with their status and a mark on a date the source does not give; and the entry points (the reader, the
timeline, the stance matrix, the network, the entity list, SPARQL, the API documentation).
"""

from __future__ import annotations

from urllib.parse import quote

import networkx as nx
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from graph.read import summary as core

from .. import models, pages, read_model
from ..deps import ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES
from ..responses import json_response
from ..service import Service

router = APIRouter(responses=PROBLEM_RESPONSES)


def entry_points(views: bool, newest_source: str | None) -> list[models.EntryPoint]:
    """The pages a visitor starts from; the views only when the app serves them, the reader when there is a
    source to read."""
    points = []
    if newest_source is not None:
        points.append(models.EntryPoint(title="Source reader", href=_reader(newest_source),
                                        description="the newest source's text, with every assertion drawn from "
                                                    "it highlighted"))
    if views:
        points += [
            models.EntryPoint(title="Timeline", href="/view/timeline",
                              description="every dated event on a time axis, sub-events under their event"),
            models.EntryPoint(title="Stance matrix", href="/view/stances/matrix",
                              description="who supports, opposes or commits to what"),
            models.EntryPoint(title="Network", href="/view/",
                              description="actors, events, documents and themes as an interactive graph"),
        ]
    points += [
        models.EntryPoint(title="Entities", href="/entities",
                          description="every entity, filtered by type and name"),
        models.EntryPoint(title="SPARQL", href="/sparql",
                          description="the query editor, with the competency questions as examples"),
        models.EntryPoint(title="API", href="/docs", description="the REST API and its OpenAPI documentation"),
    ]
    return points


def _reader(slug: str) -> str:
    return "/sources/" + quote(slug, safe="")


def _source(g: nx.MultiDiGraph, source: core.SourceCitation) -> models.SourceSummary:
    slug = quote(source.slug, safe="")
    return models.SourceSummary(
        iri=source.iri, slug=source.slug, title=source.title, date=source.date,
        authors=[read_model.ref(g, a.iri) for a in source.authors],
        publisher=read_model.ref(g, source.publisher.iri) if source.publisher is not None else None,
        series=source.series, number=source.number, reader=_reader(source.slug), view="/view/source/" + slug,
        api="/api/v1/sources/" + slug)


def summary_of(service: Service, views: bool) -> models.Summary:
    """The :class:`api.models.Summary` the home page and ``/api/v1/summary`` show."""
    found = read_model.home_summary(service)
    g = read_model.graph(service)
    graphs = service.graphs()
    return models.Summary(
        triples=sum(graphs.values()), named_graphs=len(graphs),
        sources=[_source(g, s) for s in found.sources], sources_total=found.sources_total,
        counts=[models.KindCount(kind=k.name, label=k.label, count=k.count,
                                 entities=None if k.name == "Evidence" else "/entities?type=" + quote(k.name))
                for k in found.counts],
        central_actors=[models.CentralActor(entity=read_model.ref(g, a.iri), degree=a.degree,
                                            connections=a.connections) for a in found.central_actors],
        latest_events=[models.DatedEvent(entity=read_model.ref(g, e.iri), begin=e.begin, end=e.end, status=e.status,
                                         begin_inferred=read_model.inferred(e.begin_inferred),
                                         end_inferred=read_model.inferred(e.end_inferred))
                       for e in found.latest_events],
        events_dated=found.events_dated,
        entry_points=entry_points(views, found.sources[0].slug if found.sources else None))


@router.get("/api/v1/summary", response_model=models.Summary, tags=["Summary"],
            summary="What the graph holds: exactly what the home page shows")
def get_summary(request: Request, service: ServiceDep, language: LanguageDep) -> Response:
    """The sources (newest first), how many things of each kind there are, the most central actors, the latest
    events and the entry points of the service."""
    return json_response(localise(summary_of(service, pages.has_views(request)), service, language.language))


@router.get("/", response_class=HTMLResponse, summary="Home page", tags=["Summary"])
def home(request: Request, service: ServiceDep, language: LanguageDep) -> HTMLResponse:
    views, lang = pages.has_views(request), language.language
    html = service.memo(f"home-page-{views}-{lang}", lambda: pages.render(
        "home.html", s=localise(summary_of(service, views), service, lang), views=views, lang=lang,
        lang_links=pages.lang_links(request, lang)))
    return pages.page(html)
