"""What the graph says about each event: dates (and whether the source states them), status, roles,
places, themes, evidence and the events it is part of.

One :class:`EventRecord` per event, made from the networkx projection (relations and evidence, see
:mod:`graph.read.projection`) and the catalogue query ``api/events`` (dates and status, which the projection
leaves out as literals). The REST read model (``api.read_model``) and the timeline
(:mod:`graph.read.timeline`) both read events through this module, so an event looks the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from .. import catalogue
from .. import namespaces as ns
from ..store import Store
from .projection import Evidence, Inferred, local_name

#: The roles of an actor in an event (sub-properties of ``sem:hasActor``) and how they read.
ROLES = {ns.SRKG + "host": "host", ns.SRKG + "guest": "guest", ns.SRKG + "participant": "participant",
         ns.SRKG + "accompaniedBy": "accompanied by", ns.SEM + "hasActor": "actor"}
#: Where an event happens.
PLACES = {ns.SRKG + "destination", ns.SEM + "hasPlace"}
THEME = ns.SRKG + "theme"
SUB_EVENT_OF = ns.SEM + "subEventOf"
HAS_SUB_EVENT = ns.SEM + "hasSubEvent"
BEGIN = ns.SEM + "hasBeginTimeStamp"
END = ns.SEM + "hasEndTimeStamp"
#: Statuses (local names of ``srkg:EventStatus``) of what has not happened at the date of the source.
PROSPECTIVE = frozenset({"Planned", "Announced"})


@dataclass(frozen=True)
class EventDates:
    """An event's time stamps as the graph states them (xsd:date, xsd:gYear, …) and its status (local name)."""

    begin: str | None
    end: str | None
    status: str | None


@dataclass(frozen=True)
class Participation:
    role: str
    actor: str


@dataclass(frozen=True)
class PartOf:
    """An event this one is part of, and why that is held if the source does not state it."""

    event: str
    inferred: Inferred | None


@dataclass(frozen=True)
class EventRecord:
    iri: str
    label: str
    type: str
    begin: str | None
    end: str | None
    begin_inferred: Inferred | None
    end_inferred: Inferred | None
    status: str | None
    participants: tuple[Participation, ...]
    places: tuple[str, ...]
    themes: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    part_of: tuple[PartOf, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """The source documents whose text grounds the event (IRIs, sorted)."""
        return tuple(sorted({e.source for e in self.evidence}))

    @property
    def actors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.actor for p in self.participants))

    @property
    def prospective(self) -> bool:
        """Planned or announced: not (yet) happened at the date of the source."""
        return self.status in PROSPECTIVE


def read_event_dates(store: Store, query: str | None = None) -> dict[str, EventDates]:
    """Every event's dates and status, by IRI, from ``query`` (default: the catalogue's ``api/events``)."""
    out: dict[str, EventDates] = {}
    for row in store.select(query or catalogue.text("api/events")):
        begin, end, status = row.get("begin"), row.get("end"), row.get("status")
        out[str(row["event"])] = EventDates(None if begin is None else str(begin), None if end is None else str(end),
                                            None if status is None else local_name(str(status)))
    return out


def _label(g: nx.MultiDiGraph, iri: str) -> str:
    return str(g.nodes[iri].get("label") or local_name(iri)) if iri in g else local_name(iri)


def by_label(g: nx.MultiDiGraph, iris: Iterable[str]) -> tuple[str, ...]:
    """``iris`` without repeats, sorted by label (then IRI)."""
    return tuple(sorted(set(iris), key=lambda i: (_label(g, i), i)))


def _out(g: nx.MultiDiGraph, iri: str) -> list[tuple[str, dict]]:
    return [(v, d) for _, v, d in g.out_edges(iri, data=True) if d.get("predicate") != "stance"]


def event_record(g: nx.MultiDiGraph, iri: str, dates: dict[str, EventDates]) -> EventRecord:
    """The record of event ``iri`` (a node of ``g``) with its ``dates``."""
    n = g.nodes[iri]
    when = dates.get(iri, EventDates(None, None, None))
    out = _out(g, iri)
    inferred: dict[tuple[str, str, str], Inferred] = g.graph.get("inferred", {})
    participants = sorted({Participation(ROLES[d["predicate"]], v) for v, d in out if d["predicate"] in ROLES},
                          key=lambda p: (p.role, _label(g, p.actor), p.actor))
    parents = {v: d.get("inferred") for v, d in out if d["predicate"] == SUB_EVENT_OF}
    for u, _, d in g.in_edges(iri, data=True):
        if d.get("predicate") == HAS_SUB_EVENT:
            parents[u] = parents.get(u) or d.get("inferred")
    return EventRecord(
        iri=iri, label=str(n.get("label") or local_name(iri)), type=str(n.get("cls_label") or ""),
        begin=when.begin, end=when.end,
        begin_inferred=None if when.begin is None else inferred.get((iri, BEGIN, when.begin)),
        end_inferred=None if when.end is None else inferred.get((iri, END, when.end)),
        status=when.status, participants=tuple(participants),
        places=by_label(g, (v for v, d in out if d["predicate"] in PLACES)),
        themes=by_label(g, (v for v, d in out if d["predicate"] == THEME)),
        evidence=tuple(sorted(n.get("evidence", []), key=lambda e: (e.source, e.start, e.end, e.iri))),
        part_of=tuple(PartOf(p, parents[p]) for p in by_label(g, parents) if p != iri))


def event_records(g: nx.MultiDiGraph, dates: dict[str, EventDates]) -> list[EventRecord]:
    """Every event of ``dates`` that ``g`` holds, in date order (undated last), then by IRI."""
    return sorted((event_record(g, iri, dates) for iri in dates if iri in g), key=lambda e: (e.begin or "9999", e.iri))


# -- time stamps as days on an axis ---------------------------------------------------------

_STAMP = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _first_day(stamp: str) -> dt.date | None:
    m = _STAMP.match(stamp.strip())
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def _day_after_last(stamp: str) -> dt.date | None:
    """The first day after the period ``stamp`` names (a year, a month or a day)."""
    m = _STAMP.match(stamp.strip())
    first = _first_day(stamp)
    if m is None or first is None:
        return None
    try:
        if m[3]:
            return first + dt.timedelta(days=1)
        if m[2]:
            return dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return dt.date(first.year + 1, 1, 1)
    except (ValueError, OverflowError):
        return None


def axis_span(begin: str | None, end: str | None) -> tuple[dt.date, dt.date] | None:
    """The days an event covers on a time axis, ``(first, after last)`` (end exclusive), or None when its time
    stamps give no day (missing, or not a date of year 1 to 9999). A year covers the whole year; a missing
    end is the end of the begin's period."""
    if begin is None:
        begin = end
    if begin is None:
        return None
    start, finish = _first_day(begin), _day_after_last(end if end is not None else begin)
    if start is None:
        return None
    if finish is None or finish <= start:
        finish = _day_after_last(begin)
    return None if finish is None else (start, finish)
