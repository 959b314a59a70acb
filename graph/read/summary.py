"""What the graph holds, in one object: its sources (newest first, with date, authors, publisher and series),
how many things of each kind it has, its most central actors and its latest events.

The service's home page ``/`` and its JSON twin ``/api/v1/summary`` both show :func:`summarise`'s
:class:`Summary`, so what the page says and what the API returns are computed once, here. It reads the
store through catalogue queries (``api/source-citations``, ``build/class-counts``) and the networkx projection
(:mod:`graph.read.projection`: labels, classes), reads events as :mod:`graph.read.events` records them (dates, status,
and the basis of a date the source does not give), and ranks actors by degree centrality
(:mod:`graph.read.network`), the one centrality that stays cheap at a million triples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from .. import catalogue
from ..store import Store
from ..store.base import to_int
from . import network
from .events import EventDates, EventRecord, event_record, read_event_dates
from .projection import local_name

#: The kinds a summary counts (``build/class-counts``), by class local name, in the order they are shown,
#: with the plural a person reads.
KINDS: dict[str, str] = {
    "SourceDocument": "sources",
    "State": "states",
    "Organisation": "organisations",
    "Person": "people",
    "CollectiveActor": "collective actors",
    "Actor": "actors in all",
    "Place": "places",
    "Event": "events",
    "Agreement": "agreements",
    "Document": "documents",
    "Proposition": "propositions",
    "Stance": "stances",
    "ActorView": "actors' views",
    "Assessment": "assessments",
    "Theme": "themes",
    "Evidence": "pieces of evidence",
}


@dataclass(frozen=True)
class Limits:
    """How many of each list a summary holds (the counts always cover everything)."""

    sources: int = 10
    actors: int = 10
    events: int = 10


@dataclass(frozen=True)
class Named:
    """An entity as a summary names it: its IRI and its label in the projection."""

    iri: str
    label: str


@dataclass(frozen=True)
class SourceCitation:
    """A source document with what a citation needs; ``slug`` names its reader and its network view."""

    iri: str
    slug: str
    graph: str
    title: str
    date: str | None
    authors: tuple[Named, ...]
    publisher: Named | None
    series: str | None
    number: str | None


@dataclass(frozen=True)
class KindCount:
    """How many instances of a class (sub-classes included) the graph holds."""

    name: str  # the class's local name, e.g. "State"
    cls: str  # its IRI
    label: str  # the plural a person reads, e.g. "states"
    count: int


@dataclass(frozen=True)
class CentralActor:
    """An actor with its degree centrality in the projection and its number of distinct neighbours."""

    iri: str
    label: str
    type: str
    degree: float
    connections: int


@dataclass(frozen=True)
class Summary:
    """What the graph holds (see the module docstring)."""

    sources: tuple[SourceCitation, ...]
    sources_total: int
    counts: tuple[KindCount, ...]
    central_actors: tuple[CentralActor, ...]
    latest_events: tuple[EventRecord, ...]
    events_dated: int
    limits: Limits = field(default_factory=Limits)


def summarise(store: Store, g: nx.MultiDiGraph, dates: dict[str, EventDates] | None = None,
              limits: Limits | None = None) -> Summary:
    """The summary of ``store``, whose projection is ``g``; ``dates`` are the store's
    :func:`graph.read.events.read_event_dates` when the caller has them already."""
    limits = limits or Limits()
    sources = source_citations(store, g)
    dates = read_event_dates(store) if dates is None else dates
    dated = latest_first(g, dates)
    return Summary(sources=tuple(sources[:limits.sources]), sources_total=len(sources), counts=kind_counts(store),
                   central_actors=central_actors(g, limits.actors),
                   latest_events=tuple(event_record(g, iri, dates) for iri in dated[:limits.events]),
                   events_dated=len(dated), limits=limits)


def _named(g: nx.MultiDiGraph, iri: str) -> Named:
    return Named(iri, str(g.nodes[iri].get("label") or local_name(iri)) if iri in g else local_name(iri))


def source_citations(store: Store, g: nx.MultiDiGraph) -> list[SourceCitation]:
    """Every source document, newest first (undated last), then by IRI; authors by label."""
    found: dict[str, dict[str, object]] = {}
    authors: dict[str, set[str]] = {}
    for row in store.select(catalogue.text("api/source-citations")):
        iri = str(row["source"])
        seen = found.setdefault(iri, {"graph": str(row["graph"]), "title": str(row["title"])})
        for key in ("date", "series", "number", "publisher"):
            if row.get(key) is not None:
                seen.setdefault(key, str(row[key]))
        if row.get("author") is not None:
            authors.setdefault(iri, set()).add(str(row["author"]))
    out = []
    for iri, seen in found.items():
        publisher = seen.get("publisher")
        out.append(SourceCitation(
            iri=iri, slug=local_name(iri), graph=str(seen["graph"]), title=str(seen["title"]),
            date=_optional(seen.get("date")),
            authors=tuple(sorted((_named(g, a) for a in authors.get(iri, ())), key=lambda n: (n.label, n.iri))),
            publisher=_named(g, str(publisher)) if publisher is not None else None,
            series=_optional(seen.get("series")), number=_optional(seen.get("number"))))
    out.sort(key=lambda s: s.iri)
    out.sort(key=lambda s: s.date or "", reverse=True)  # stable: newest first, IRIs in order within a date
    return out


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def kind_counts(store: Store) -> tuple[KindCount, ...]:
    """How many of each of :data:`KINDS` the graph holds, in that order (kinds the query adds come last)."""
    counts = {local_name(str(r["class"])): (str(r["class"]), to_int(r["n"]))
              for r in store.select(catalogue.text("build/class-counts"))}
    order = list(KINDS) + sorted(set(counts) - set(KINDS))
    return tuple(KindCount(name, counts[name][0], KINDS.get(name, name), counts[name][1])
                 for name in order if name in counts)


def central_actors(g: nx.MultiDiGraph, limit: int) -> tuple[CentralActor, ...]:
    """The ``limit`` actors of highest degree centrality in the projection (:func:`graph.read.network.most_central`)."""
    degree = network.centrality(g, "degree")
    simple = network.simple(g)
    return tuple(CentralActor(iri=n, label=str(g.nodes[n].get("label") or local_name(n)),
                              type=str(g.nodes[n].get("cls_label") or ""), degree=degree[n],
                              connections=simple.degree(n))
                 for n in network.most_central(g, "degree", "actor", limit))


def latest_first(g: nx.MultiDiGraph, dates: Mapping[str, EventDates]) -> list[str]:
    """The events of the projection that have a begin date, latest first (then by IRI)."""
    dated = sorted(iri for iri, when in dates.items() if when.begin is not None and iri in g)
    dated.sort(key=lambda iri: dates[iri].begin or "", reverse=True)  # stable: IRIs in order within a date
    return dated
