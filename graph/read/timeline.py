"""The timeline: every dated event on a time axis, sub-events nested under the events they are part of,
filtered by actor, theme and source.

:func:`build_index` makes a :class:`TimelineIndex` once per store state from the event records
(:mod:`graph.read.events`); :func:`timeline` answers one request from it. An event is part of another through
``sem:subEventOf`` (or ``sem:hasSubEvent`` from the other side); when it is part of several, it nests under
the most specific one (the one that is itself part of the others: the dinner under the talks, not under
the visit the talks belong to). An event with dated sub-events is a *group*: its row holds its own item
(if it has a date) and those of its sub-events that have none of their own, and its sub-groups nest
under it. An undated event still heads a group when it has dated sub-events (Putin's talks in Beijing).

The REST twin (``/api/v1/timeline``) and the page (``/view/timeline``) both read :class:`Timeline`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .. import namespaces as ns
from .events import EventDates, EventRecord, axis_span, event_records

#: Most events one timeline shows by default, and at most (the most recent ones are kept).
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
#: Most values each filter lists (the most frequent); any other value can still be asked for by name.
FACET_LIMIT = 300
FILTERS = ("actor", "theme", "source")


class UnknownFilterValue(LookupError):
    """A filter names an actor, theme or source the graph does not hold."""

    def __init__(self, kind: str, value: str, hint: str):
        self.kind, self.value, self.hint = kind, value, hint
        super().__init__(f"no {kind} is called {value!r} in the graph; {hint}")


@dataclass(frozen=True)
class Facet:
    """One value a filter can take: an actor, a theme or a source, with the number of events it has."""

    iri: str
    id: str
    label: str
    events: int


@dataclass
class TimelineIndex:
    """Every event with what the timeline filters and nests it by; made once per store state."""

    records: dict[str, EventRecord]
    spans: dict[str, tuple[dt.date, dt.date]]
    nest_parent: dict[str, str]
    by_filter: dict[str, dict[str, frozenset[str]]]
    facets: dict[str, list[Facet]]
    known: dict[str, frozenset[str]]
    #: newest first: the order in which a limit keeps events
    newest_first: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineFilter:
    """The filters of one request, as IRIs (None: not filtered)."""

    actor: str | None = None
    theme: str | None = None
    source: str | None = None

    def items(self) -> list[tuple[str, str | None]]:
        return [("actor", self.actor), ("theme", self.theme), ("source", self.source)]

    @property
    def active(self) -> bool:
        return any(v is not None for _, v in self.items())


@dataclass(frozen=True)
class TimelineItem:
    """A dated event on the axis: its days (``end`` exclusive), the event it nests under and its row."""

    event: EventRecord
    start: dt.date
    end: dt.date
    parent: str | None
    row: str | None  # the group whose row draws it; None: the row of events that belong to no group


@dataclass(frozen=True)
class TimelineGroup:
    """An event with dated sub-events: a row (its own item and its sub-events that head no group) and the
    groups nested under it."""

    event: EventRecord
    parent: str | None
    level: int
    nested: tuple[str, ...]
    items: tuple[str, ...]
    on_axis: bool  # whether the event itself has a date


@dataclass(frozen=True)
class Timeline:
    items: list[TimelineItem]
    groups: list[TimelineGroup]  # parents before their sub-groups, siblings by date
    ungrouped: tuple[str, ...]
    undated: list[EventRecord]
    total: int  # dated events that pass the filters
    undated_total: int
    limit: int
    filter: TimelineFilter
    facets: dict[str, list[Facet]]

    @property
    def omitted(self) -> int:
        return self.total - len(self.items)


def entity_id(iri: str) -> str:
    """How a filter names an entity: its IRI after ``id:`` (``russia``), or after ``id:source/`` for a source."""
    for prefix in (ns.SOURCE_ID_PREFIX, ns.ID):
        if iri.startswith(prefix):
            return iri[len(prefix):]
    return iri


def _ancestors(start: Iterable[str], parents: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        e = todo.pop()
        if e not in seen:
            seen.add(e)
            todo.extend(parents.get(e, []))
    return seen


def _nesting(records: dict[str, EventRecord], spans: dict[str, tuple[dt.date, dt.date]]) -> dict[str, str]:
    """The one event each event nests under: of the events it is part of, the most specific (no other is part
    of it); ties go to the dated one, then by label. Cycles in the data are cut, so the result is a forest."""
    parents = {iri: [p.event for p in r.part_of if p.event in records] for iri, r in records.items()}
    nest: dict[str, str] = {}
    for iri, ps in parents.items():
        if not ps:
            continue
        specific = [p for p in ps if not any(p in _ancestors(parents.get(q, []), parents) for q in ps if q != p)]
        nest[iri] = min(specific or ps, key=lambda p: (p not in spans, records[p].label, p))
    for iri in sorted(nest):  # cut each cycle at its smallest IRI
        path: list[str] = []
        e: str | None = iri
        while e is not None and e in nest and e not in path:
            path.append(e)
            e = nest.get(e)
        if e is not None and e in path:
            del nest[min(path[path.index(e):])]
    return nest


def build_index(g: nx.MultiDiGraph, dates: dict[str, EventDates]) -> TimelineIndex:
    """The index of every event of ``dates`` that the projection ``g`` holds."""
    records = {r.iri: r for r in event_records(g, dates)}
    spans = {iri: span for iri, r in records.items() if (span := axis_span(r.begin, r.end)) is not None}
    by_filter: dict[str, dict[str, set[str]]] = {kind: defaultdict(set) for kind in FILTERS}
    for iri, r in records.items():
        for actor in r.actors:
            by_filter["actor"][actor].add(iri)
        for theme in r.themes:
            by_filter["theme"][theme].add(iri)
        for source in r.sources:
            by_filter["source"][source].add(iri)

    def label(iri: str) -> str:
        return str(g.nodes[iri].get("label") or entity_id(iri)) if iri in g else entity_id(iri)

    facets = {kind: sorted((Facet(iri, entity_id(iri), label(iri), len(events)) for iri, events in index.items()),
                           key=lambda f: (-f.events, f.label.casefold(), f.iri))
              for kind, index in by_filter.items()}
    known = {"actor": frozenset(n for n, d in g.nodes(data=True) if d.get("group") == "actor"),
             "theme": frozenset(n for n, d in g.nodes(data=True) if d.get("group") == "theme"),
             "source": frozenset(n for n in g if n.startswith(ns.SOURCE_ID_PREFIX)) | frozenset(by_filter["source"])}
    newest = sorted(spans, key=lambda i: (spans[i][0], spans[i][1], i), reverse=True)
    return TimelineIndex(records=records, spans=spans, nest_parent=_nesting(records, spans),
                         by_filter={k: {v: frozenset(s) for v, s in idx.items()} for k, idx in by_filter.items()},
                         facets=facets, known=known, newest_first=newest)


_HINTS = {"actor": "name an actor by its id, as in /id/russia → actor=russia",
          "theme": "name a theme by its id, as in /id/theme-diplomacy → theme=theme-diplomacy",
          "source": "name a source by its slug, as in /api/v1/sources/pism-spotlight-2024-34"}


def resolve(index: TimelineIndex, kind: str, name: str | None) -> str | None:
    """The IRI of the ``kind`` (actor, theme, source) that ``name`` (an id, a slug or an IRI) names;
    :class:`UnknownFilterValue` if the graph holds none."""
    if name is None or name == "":
        return None
    prefix = ns.SOURCE_ID_PREFIX if kind == "source" else ns.ID
    iri = name if name.startswith(ns.BASE) else prefix + name
    if iri not in index.known[kind]:
        raise UnknownFilterValue(kind, name, _HINTS[kind])
    return iri


def resolve_filter(index: TimelineIndex, actor: str | None = None, theme: str | None = None,
                   source: str | None = None) -> TimelineFilter:
    """The filters a request names (see :func:`resolve`); :class:`UnknownFilterValue` for the first unknown one."""
    return TimelineFilter(actor=resolve(index, "actor", actor), theme=resolve(index, "theme", theme),
                          source=resolve(index, "source", source))


def timeline(index: TimelineIndex, chosen: TimelineFilter | None = None, limit: int = DEFAULT_LIMIT) -> Timeline:
    """The timeline of the events that pass ``chosen``: the ``limit`` most recent dated ones with the groups
    they nest in, and the undated ones (at most ``limit``) apart."""
    chosen = chosen or TimelineFilter()
    limit = max(1, min(limit, MAX_LIMIT))
    passing: set[str] | None = None
    for kind, iri in chosen.items():
        if iri is not None:
            found = index.by_filter[kind].get(iri, frozenset())
            passing = set(found) if passing is None else passing & found

    def passes(iri: str) -> bool:
        return passing is None or iri in passing

    dated = [i for i in index.newest_first if passes(i)]
    shown = dated[:limit]
    undated = sorted((r for i, r in index.records.items() if i not in index.spans and passes(i)),
                     key=lambda r: (r.label.casefold(), r.iri))

    heads: set[str] = set()  # every event a shown event nests in, up the chain
    for iri in shown:
        parent = index.nest_parent.get(iri)
        while parent is not None and parent not in heads:
            heads.add(parent)
            parent = index.nest_parent.get(parent)
    rows = {iri: iri if iri in heads else index.nest_parent.get(iri) for iri in shown}

    def first_day(iri: str) -> dt.date:
        span = index.spans.get(iri)
        return span[0] if span else dt.date.max

    earliest: dict[str, dt.date] = {}
    for iri in sorted(shown, key=first_day):
        e: str | None = iri
        while e is not None and e not in earliest:
            earliest[e] = first_day(iri)
            e = index.nest_parent.get(e)

    children: dict[str | None, list[str]] = defaultdict(list)
    for head in heads:
        children[index.nest_parent.get(head)].append(head)
    in_row: dict[str, list[str]] = defaultdict(list)
    for iri, row in rows.items():
        if row is not None:
            in_row[row].append(iri)

    def order(iris: list[str]) -> list[str]:
        return sorted(iris, key=lambda i: (earliest.get(i, dt.date.max), index.records[i].label.casefold(), i))

    groups: list[TimelineGroup] = []

    def walk(head: str, level: int) -> None:
        nested = order(children.get(head, []))
        groups.append(TimelineGroup(event=index.records[head], parent=index.nest_parent.get(head), level=level,
                                    nested=tuple(nested), items=tuple(order(in_row.get(head, []))),
                                    on_axis=head in index.spans))
        for child in nested:
            walk(child, level + 1)

    for root in order(children.get(None, [])):
        walk(root, 0)
    items = [TimelineItem(event=index.records[i], start=index.spans[i][0], end=index.spans[i][1],
                          parent=index.nest_parent.get(i), row=rows[i]) for i in order(shown)]
    return Timeline(items=items, groups=groups, ungrouped=tuple(i.event.iri for i in items if i.row is None),
                    undated=undated[:limit], total=len(dated), undated_total=len(undated), limit=limit,
                    filter=chosen, facets={kind: _listed(index, kind, iri) for kind, iri in chosen.items()})


def _listed(index: TimelineIndex, kind: str, chosen: str | None) -> list[Facet]:
    """The first :data:`FACET_LIMIT` values of a filter, and the chosen one if it is not among them."""
    listed = index.facets[kind][:FACET_LIMIT]
    if chosen is not None and all(f.iri != chosen for f in listed):
        listed = listed + [f for f in index.facets[kind] if f.iri == chosen]
    return listed
