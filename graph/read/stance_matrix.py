"""The stance matrix: who holds which position on what, holders as rows and targets as columns, and the
alignment of two actors target by target.

Every stance of the projection (:mod:`graph.read.projection`) goes into the cell of its holder and each of its
targets. A cell keeps its stances apart by *reading*: the polarity together with how the stance is held.
A stance that is not a reported, unhedged fact (an ``srkg:QualifiedAssertion``) is marked as what it is
(hedged, the authors' inference, an actor's view), never shown as plain, so "China supports a new world
order" (the authors' inference) does not read like "China opposes NATO expansion" (reported).

:func:`actor_row` is one actor's row. :func:`align` compares two actors: the targets where both support (or commit
to), where both oppose, where they differ, and where only one of them takes a position. The REST twin
(``/api/v1/stances/matrix``, JSON and CSV) and the page (``/view/stances/matrix``) both read these classes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from .. import namespaces as ns
from .projection import Evidence, local_name

HOLDER, TARGET = ns.SRKG + "holder", ns.SRKG + "target"
#: Most holders (rows) and targets (columns) one matrix shows by default, and at most: those with most stances.
DEFAULT_HOLDERS, DEFAULT_TARGETS, MAX_AXIS = 60, 150, 2000

#: Polarity (local name) → the symbol and the words a cell shows; the order in which a cell lists them.
POLARITY_TEXT: dict[str, tuple[str, str]] = {"Supports": ("+", "supports"), "CommitsTo": ("\u2713", "commits to"),
                                             "Opposes": ("\u2212", "opposes")}
#: How a stance is held, when it is not a reported, unhedged fact: key → (symbol, words).
QUALIFIER_TEXT: dict[str, tuple[str, str]] = {"hedged": ("~", "hedged"),
                                              "authors_inference": ("\u2021", "the authors' inference"),
                                              "actor_view": ("\u2020", "an actor's view"),
                                              "qualified": ("?", "not a plain fact")}
#: Which way a polarity points, for :func:`align`: committing to something is supporting it.
DIRECTION = {"Supports": "for", "CommitsTo": "for", "Opposes": "against"}
#: The categories of :func:`align`, in the order they are listed, with their headings ({a}, {b}: labels).
CATEGORIES: dict[str, str] = {"both-support": "Both support or commit to", "both-oppose": "Both oppose",
                              "differ": "They differ", "only-a": "Only {a} takes a position",
                              "only-b": "Only {b} takes a position"}


class UnknownActor(LookupError):
    """An actor named by :func:`resolve_actor` that the graph does not hold."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"no actor is called {name!r} in the graph; name actors by their id, "
                         "as in /id/russia → russia")


@dataclass(frozen=True)
class StanceEntry:
    """One stance as a cell holds it."""

    iri: str
    polarity: str | None
    attribution: str | None
    hedging: str | None
    qualified: bool
    evidence: tuple[Evidence, ...]

    @property
    def hedged(self) -> bool:
        """Hedged by its source: expected, presumed or possible rather than certain."""
        return self.hedging not in (None, "Certain")

    @property
    def qualifiers(self) -> tuple[str, ...]:
        """How the stance is held, if it is not plain: keys of :data:`QUALIFIER_TEXT`."""
        if not self.qualified:
            return ()
        found = tuple(k for k, on in (("hedged", self.hedged),
                                      ("authors_inference", self.attribution == "AuthorInference"),
                                      ("actor_view", self.attribution == "ActorAttributed")) if on)
        return found or ("qualified",)


@dataclass(frozen=True)
class Reading:
    """The stances of a cell with one polarity held one way (e.g. supports, the authors' hedged inference)."""

    polarity: str | None
    qualifiers: tuple[str, ...]
    hedging: str | None  # the degree, when hedged: Expected, Presumed, Possible
    stances: tuple[str, ...]

    @property
    def plain(self) -> bool:
        return not self.qualifiers

    @property
    def symbols(self) -> str:
        first = POLARITY_TEXT.get(self.polarity or "", ("\u00b7", ""))[0]
        return first + "".join(QUALIFIER_TEXT[q][0] for q in self.qualifiers)

    @property
    def text(self) -> str:
        """The reading in words with its symbols, readable without colour: "+ supports", "− opposes ~ hedged"."""
        sym, words = POLARITY_TEXT.get(self.polarity or "", ("\u00b7", (self.polarity or "takes a position").lower()))
        marks = [" ".join(QUALIFIER_TEXT[q]) + (f" ({self.hedging.lower()})" if q == "hedged" and self.hedging else "")
                 for q in self.qualifiers]
        return " ".join([f"{sym} {words}", *marks])


@dataclass(frozen=True)
class Cell:
    holder: str
    target: str
    stances: tuple[StanceEntry, ...]

    @cached_property
    def readings(self) -> list[Reading]:
        grouped: dict[tuple[str | None, tuple[str, ...], str | None], list[str]] = defaultdict(list)
        for s in self.stances:
            grouped[(s.polarity, s.qualifiers, s.hedging if s.hedged else None)].append(s.iri)
        order = list(POLARITY_TEXT)
        return [Reading(p, q, h, tuple(iris)) for (p, q, h), iris in
                sorted(grouped.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order else len(order),
                                                        len(kv[0][1]), kv[0][1], kv[0][2] or ""))]

    @property
    def polarities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.polarity for r in self.readings if r.polarity))

    @property
    def direction(self) -> str:
        """for, against, or mixed (both, or a polarity that points neither way)."""
        found = {DIRECTION.get(p or "", "mixed") for p in (s.polarity for s in self.stances)}
        return found.pop() if len(found) == 1 else "mixed"

    @property
    def plain(self) -> bool:
        """Whether some stance of the cell is a reported, unhedged fact."""
        return any(not s.qualified for s in self.stances)

    @cached_property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({e.source for s in self.stances for e in s.evidence}))

    def flag(self, qualifier: str) -> bool:
        return any(qualifier in s.qualifiers for s in self.stances)


@dataclass(frozen=True)
class Axis:
    """A row (holder) or column (target) of the matrix."""

    iri: str
    label: str
    stances: int


@dataclass
class StanceIndex:
    """Every stance by holder and target, made once per store state."""

    cells: dict[tuple[str, str], Cell]
    holders: list[Axis]  # by number of stances, then label
    targets: list[Axis]
    by_holder: dict[str, dict[str, Cell]]
    actors: frozenset[str]
    labels: dict[str, str]


@dataclass(frozen=True)
class StanceMatrix:
    holders: list[Axis]
    targets: list[Axis]
    cells: dict[tuple[str, str], Cell]
    holders_total: int
    targets_total: int

    @property
    def omitted_holders(self) -> int:
        return self.holders_total - len(self.holders)

    @property
    def omitted_targets(self) -> int:
        return self.targets_total - len(self.targets)


@dataclass(frozen=True)
class AlignmentRow:
    target: Axis
    category: str
    a: Cell | None
    b: Cell | None


@dataclass(frozen=True)
class Alignment:
    a: Axis
    b: Axis
    rows: list[AlignmentRow]  # by category (the order of CATEGORIES), then target label

    def heading(self, category: str) -> str:
        return CATEGORIES[category].format(a=self.a.label, b=self.b.label)

    def count(self, category: str) -> int:
        return sum(1 for r in self.rows if r.category == category)


def build_index(g: nx.MultiDiGraph) -> StanceIndex:
    """Every stance node of the projection ``g``, in the cell of its holder and each of its targets."""
    entries: dict[tuple[str, str], list[StanceEntry]] = defaultdict(list)
    for node, data in g.nodes(data=True):
        if data.get("group") != "stance":
            continue
        holders, targets = [], []
        for _, other, key in g.out_edges(node, keys=True):
            if key == HOLDER:
                holders.append(other)
            elif key == TARGET:
                targets.append(other)
        entry = StanceEntry(iri=node, polarity=data.get("polarity"), attribution=data.get("attribution"),
                            hedging=data.get("hedging"), qualified=bool(data.get("qualified")),
                            evidence=tuple(sorted(data.get("evidence", []), key=lambda e: (e.source, e.start))))
        for holder in holders:
            for target in targets:
                entries[(holder, target)].append(entry)
    cells = {key: Cell(key[0], key[1], tuple(sorted(found, key=lambda s: s.iri))) for key, found in entries.items()}
    labels: dict[str, str] = {}

    def label(iri: str) -> str:
        if iri not in labels:
            labels[iri] = str(g.nodes[iri].get("label") or local_name(iri)) if iri in g else local_name(iri)
        return labels[iri]

    counts: dict[str, dict[str, int]] = {"holder": defaultdict(int), "target": defaultdict(int)}
    by_holder: dict[str, dict[str, Cell]] = defaultdict(dict)
    for (holder, target), cell in cells.items():
        counts["holder"][holder] += len(cell.stances)
        counts["target"][target] += len(cell.stances)
        by_holder[holder][target] = cell

    def axis(kind: str) -> list[Axis]:
        return sorted((Axis(iri, label(iri), n) for iri, n in counts[kind].items()),
                      key=lambda a: (-a.stances, a.label.casefold(), a.iri))

    actors = frozenset(n for n, d in g.nodes(data=True) if d.get("group") == "actor") | frozenset(counts["holder"])
    return StanceIndex(cells=cells, holders=axis("holder"), targets=axis("target"), by_holder=dict(by_holder),
                       actors=actors, labels=labels | {a: label(a) for a in actors})


def matrix(index: StanceIndex, holders: int = DEFAULT_HOLDERS, targets: int = DEFAULT_TARGETS) -> StanceMatrix:
    """The matrix of the ``holders`` holders and ``targets`` targets with the most stances."""
    rows = index.holders[:max(1, min(holders, MAX_AXIS))]
    columns = index.targets[:max(1, min(targets, MAX_AXIS))]
    cells = {(h.iri, t.iri): cell for h in rows for t in columns
             if (cell := index.by_holder.get(h.iri, {}).get(t.iri)) is not None}
    return StanceMatrix(holders=rows, targets=columns, cells=cells, holders_total=len(index.holders),
                        targets_total=len(index.targets))


def actor_row(index: StanceIndex, actor: str, targets: int = DEFAULT_TARGETS) -> StanceMatrix:
    """The matrix of one actor (an IRI): its row alone, with the ``targets`` targets it takes a position on
    that have most stances overall."""
    holding = index.by_holder.get(actor, {})
    row = next((h for h in index.holders if h.iri == actor), None) or Axis(actor, index.labels.get(actor, actor), 0)
    held = [t for t in index.targets if t.iri in holding]
    columns = held[:max(1, min(targets, MAX_AXIS))]
    return StanceMatrix(holders=[row], targets=columns, cells={(actor, t.iri): holding[t.iri] for t in columns},
                        holders_total=1, targets_total=len(held))


def resolve_actor(index: StanceIndex, name: str) -> str:
    """The IRI of the actor ``name`` (its id, as in ``/id/russia``, or its IRI); :class:`UnknownActor` if none."""
    iri = name if name.startswith(ns.BASE) else ns.ID + name
    if not name or iri not in index.actors:
        raise UnknownActor(name)
    return iri


def resolve_actors(index: StanceIndex, a: str | None, b: str | None) -> tuple[str, ...]:
    """The actors ``a`` and ``b`` name (IRIs, see :func:`resolve_actor`), each once: none (the whole matrix),
    one (that actor's row: one of them named, or both naming the same actor) or two (align mode).
    :class:`UnknownActor` for an unknown one."""
    named = [resolve_actor(index, name) for name in (a, b) if name]
    return tuple(dict.fromkeys(named))


def _category(a: Cell | None, b: Cell | None) -> str:
    if b is None:
        return "only-a"
    if a is None:
        return "only-b"
    if a.direction == b.direction == "for":
        return "both-support"
    if a.direction == b.direction == "against":
        return "both-oppose"
    return "differ"


def align(index: StanceIndex, a: str, b: str) -> Alignment:
    """Actors ``a`` and ``b`` (IRIs) compared on every target either of them takes a position on."""
    cells_a, cells_b = index.by_holder.get(a, {}), index.by_holder.get(b, {})
    order = list(CATEGORIES)
    targets = {t.iri: t for t in index.targets}
    rows = [AlignmentRow(targets[t], _category(cells_a.get(t), cells_b.get(t)), cells_a.get(t), cells_b.get(t))
            for t in set(cells_a) | set(cells_b)]
    rows.sort(key=lambda r: (order.index(r.category), r.target.label.casefold(), r.target.iri))

    def axis(iri: str) -> Axis:
        return next((h for h in index.holders if h.iri == iri), None) or Axis(iri, index.labels.get(iri, iri), 0)

    return Alignment(a=axis(a), b=axis(b), rows=rows)
