"""Network measures of the projection (:mod:`graph.read.projection`) with networkx: its undirected simple graph and
the centralities of its nodes, each computed once per projection.

The REST analytics (``/api/v1/analytics/*``) and the home page's most central actors read them here, so a
measure is written, and computed, once. Each measure is computed only when first asked for: the degree is
linear in the graph, betweenness is not (seconds to minutes at a million triples), so a caller that needs
only the degree never pays for betweenness.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

#: The centralities a node is scored by, in the order the REST API lists them.
MEASURES = ("degree", "betweenness", "eigenvector")


@dataclass
class _Derived:
    """What the measures derive from one projection, kept while that projection is the latest one seen."""

    graph: nx.MultiDiGraph  # keeps the projection alive, so its id is not reused while cached
    simple: nx.Graph[str]
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # by measure, then by node


_cache: dict[int, _Derived] = {}  # by id() of the projection: at most one entry
_lock = threading.Lock()


def _derived(g: nx.MultiDiGraph) -> _Derived:
    with _lock:
        derived = _cache.get(id(g))
        if derived is None or derived.graph is not g:
            _cache.clear()
            s: nx.Graph[str] = nx.Graph()
            s.add_nodes_from(g.nodes)
            s.add_edges_from((u, v) for u, v in g.edges() if u != v)
            derived = _cache[id(g)] = _Derived(g, s)
        return derived


def simple(g: nx.MultiDiGraph) -> nx.Graph[str]:
    """An undirected simple graph of the projection (no loops, one edge per pair), for centralities,
    communities and paths."""
    return _derived(g).simple


def _eigenvector(s: nx.Graph[str]) -> dict[str, float]:
    try:
        return nx.eigenvector_centrality(s, max_iter=2000, tol=1e-6) if s.number_of_edges() else {}
    except nx.PowerIterationFailedConvergence:
        return {}


_COMPUTE: dict[str, Callable[[nx.Graph[str]], dict[str, float]]] = {
    "degree": lambda s: nx.degree_centrality(s) if len(s) > 1 else {n: 0.0 for n in s},
    "betweenness": nx.betweenness_centrality,
    "eigenvector": _eigenvector,
}


def centrality(g: nx.MultiDiGraph, measure: str) -> dict[str, float]:
    """Every node's ``measure`` centrality (one of :data:`MEASURES`) in :func:`simple`; 0.0 for a node it does
    not score (an eigenvector iteration that does not converge scores none)."""
    if measure not in _COMPUTE:
        raise ValueError(f"unknown centrality {measure!r}; one of {', '.join(MEASURES)}")
    derived = _derived(g)
    scores = derived.scores.get(measure)
    if scores is None:
        found = _COMPUTE[measure](derived.simple)
        scores = derived.scores[measure] = {n: float(found.get(n, 0.0)) for n in derived.simple}
    return scores


def scores(g: nx.MultiDiGraph, node: str) -> dict[str, float]:
    """``node``'s score by each of :data:`MEASURES` (computing those not computed yet)."""
    return {m: centrality(g, m).get(node, 0.0) for m in MEASURES}


def most_central(g: nx.MultiDiGraph, measure: str, group: str | None = None, limit: int = 20) -> list[str]:
    """The ``limit`` nodes (of ``group`` only, if given) with the highest ``measure`` centrality, highest first;
    ties in IRI order."""
    by_node = centrality(g, measure)
    nodes = (n for n in by_node if group is None or g.nodes[n].get("group") == group)
    return heapq.nsmallest(limit, nodes, key=lambda n: (-by_node[n], n))
