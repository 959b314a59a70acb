"""A networkx projection of the graph, for analytics and network views.

Nodes are the labelled things of the source and reference graphs (actors,
places, events, documents, propositions, themes, assertions); edges are the
relations between them. A stance is kept as a node (so its evidence and
hedging stay visible) *and* summarised as one ``stance`` edge from its holder
to each target, carrying polarity, attribution layer, hedging and evidence.

An edge or a literal that the source does not state carries ``inferred``: its
basis and reason, from the catalogue query that lists every inferred fact
(``cq/17-inferred-facts``); the graph keeps them all, literals included, in
``g.graph["inferred"]``.

The projection is built from catalogue queries, so it works on any
:class:`~graph.store.Store`. :class:`ProjectionCache` rebuilds it, and the indexes derived from it, only
when the store's content changed.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import networkx as nx

from .. import catalogue
from .. import namespaces as ns
from ..store import Store
from ..store.base import to_int
from .labels import Labels, read_labels

T = TypeVar("T")
#: the key of ``g.graph`` that holds the nodes' labels in other languages than English
LABELS = "labels"

#: Grouping of classes for colours and filters, most specific first.
CLASS_GROUPS: list[tuple[str, str]] = [
    (ns.SRKG + "Stance", "stance"),
    (ns.SRKG + "ActorView", "assertion"),
    (ns.SRKG + "Assessment", "assertion"),
    (ns.SRKG + "Assertion", "assertion"),
    (ns.SRKG + "Person", "actor"),
    (ns.SRKG + "Actor", "actor"),
    (ns.SRKG + "Place", "place"),
    (ns.SRKG + "Event", "event"),
    (ns.SRKG + "Agreement", "document"),
    (ns.SRKG + "Document", "document"),
    (ns.SRKG + "Proposition", "proposition"),
    (ns.SRKG + "Theme", "theme"),
    (ns.ORG + "Post", "post"),
]


@dataclass(frozen=True)
class Inferred:
    """Why a statement that its source does not make is held: the basis (label) and the reason."""

    basis: str
    reason: str
    reference: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"basis": self.basis, "reason": self.reason, "reference": self.reference}


@dataclass(frozen=True)
class Evidence:
    iri: str
    source: str
    exact: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"iri": self.iri, "source": self.source, "quote": self.exact, "start": self.start, "end": self.end}


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def class_group(classes: set[str]) -> str:
    """The group of a node whose class and super-classes are ``classes``: the first match in CLASS_GROUPS."""
    for iri, group in CLASS_GROUPS:
        if iri in classes:
            return group
    return "other"


def build_projection(store: Store) -> nx.MultiDiGraph:
    """Project the store into a :class:`networkx.MultiDiGraph` (see module docstring)."""
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    superclasses: dict[str, set[str]] = defaultdict(set)
    for row in store.select(catalogue.text("projection/superclasses")):
        superclasses[str(row["class"])].add(str(row["super"]))

    for row in store.select(catalogue.text("projection/nodes")):
        iri, cls = str(row["node"]), str(row["class"])
        g.add_node(iri, label=str(row["label"]), cls=cls, cls_label=local_name(cls),
                   group=class_group(superclasses[cls] | {cls}), evidence=[])

    attrs: dict[str, dict[str, object]] = defaultdict(dict)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for row in store.select(catalogue.text("projection/assertions")):
        node = str(row["node"])
        a = attrs[node]
        for key in ("attribution", "hedging", "polarity"):
            if row.get(key) is not None:
                a[key] = local_name(str(row[key]))
        a["qualified"] = row.get("qualified") is not None
        ev = Evidence(str(row["evidence"]), str(row["source"]), str(row["exact"]), to_int(row["start"]),
                      to_int(row["end"]))
        a.setdefault("evidence", evidence[node])  # one list: ``evidence[node]`` is ``a["evidence"]``
        if ev not in evidence[node]:
            evidence[node].append(ev)
    for node, a in attrs.items():
        if node in g:
            g.nodes[node].update(a)

    inferred: dict[tuple[str, str, str], Inferred] = {}
    for row in store.select(catalogue.text("cq/17-inferred-facts")):
        reference = row.get("reference")
        inferred[(str(row["subject"]), str(row["predicate"]), str(row["object"]))] = Inferred(
            str(row["basisLabel"]), str(row["reason"]), str(reference) if reference is not None else None)
    g.graph["inferred"] = inferred
    g.graph[LABELS] = read_labels(store)

    holders: dict[str, str] = {}
    targets: dict[str, list[str]] = defaultdict(list)
    for row in store.select(catalogue.text("projection/edges")):
        s, p, o = str(row["s"]), str(row["p"]), str(row["o"])
        if s not in g or o not in g:
            continue
        g.add_edge(s, o, key=p, relation=local_name(p), predicate=p, graph=str(row["g"]),
                   evidence=list(g.nodes[s].get("evidence", [])), inferred=inferred.get((s, p, o)))
        if p == ns.SRKG + "holder":
            holders[s] = o
        elif p == ns.SRKG + "target":
            targets[s].append(o)

    for stance, holder in holders.items():
        data = g.nodes[stance]
        if data.get("group") != "stance":
            continue
        for target in targets.get(stance, []):
            g.add_edge(holder, target, key=stance, relation=data.get("polarity", "stance"), predicate="stance",
                       stance=stance, polarity=data.get("polarity"), attribution=data.get("attribution"),
                       hedging=data.get("hedging"), evidence=list(data.get("evidence", [])),
                       hedged=bool(data.get("qualified")))
    return g


def labels_of(g: nx.MultiDiGraph) -> Labels:
    """The labels in other languages than English of the nodes of ``g`` (none for a projection made by hand)."""
    found = g.graph.get(LABELS)
    return found if isinstance(found, Labels) else Labels()


class ProjectionCache:
    """Keeps one projection per store state; rebuilds after the store changes.

    A built store does not change by itself: it changes through a writer (the
    service's curation endpoints), which calls :meth:`invalidate`, or by a new
    build, which publishes a new store that a new cache is made for. So the
    state is a generation number, not a count of the store's triples, which
    would cost a scan of the whole store on every request.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._graph: nx.MultiDiGraph | None = None
        self._derived: dict[str, tuple[tuple[int, int], object]] = {}
        self._derived_lock = threading.Lock()
        self._name_locks: dict[str, threading.RLock] = {}
        self.generation = 0

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1

    def get(self, store: Store) -> nx.MultiDiGraph:
        key = (id(store), self.generation)
        with self._lock:
            if self._graph is None or key != self._key:
                self._graph = build_projection(store)
                self._key = key
            return self._graph

    def derived(self, name: str, store: Store, compute: Callable[[], T]) -> T:
        """``compute()``, computed once per store state: indexes and sorted lists made from the projection.

        REST handlers page through these, so a request costs what its page costs, not what the graph does.
        """
        key = (id(store), self.generation)
        entry = self._derived.get(name)
        if entry is not None and entry[0] == key:  # the common case: no lock, no waiting on other names
            return cast(T, entry[1])  # what ``compute`` of this name returned
        with self._derived_lock:
            lock = self._name_locks.setdefault(name, threading.RLock())
        with lock:  # one computation per name; other names are computed or read meanwhile
            entry = self._derived.get(name)
            if entry is None or entry[0] != key:
                entry = (key, compute())
                self._derived[name] = entry
            return cast(T, entry[1])
