"""REST: network analytics with networkx over the projection: centralities, communities, paths."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Query

from .. import models, read_model
from ..deps import ServiceDep
from ..links import iri_of
from ..problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/api/v1/analytics", tags=["Analytics"], responses=PROBLEM_RESPONSES)


@dataclass
class _Derived:
    """What the analytics derive from one projection, kept while that projection is the latest one seen."""

    graph: nx.MultiDiGraph  # keeps the projection alive, so its id is not reused while cached
    simple: nx.Graph[str]
    centralities: dict[str, dict[str, float]] | None = None


_cache: dict[int, _Derived] = {}  # by id() of the projection: at most one entry


def _derived(g: nx.MultiDiGraph) -> _Derived:
    derived = _cache.get(id(g))
    if derived is None:
        _cache.clear()
        s: nx.Graph[str] = nx.Graph()
        s.add_nodes_from(g.nodes)
        s.add_edges_from((u, v) for u, v in g.edges() if u != v)
        derived = _cache[id(g)] = _Derived(g, s)
    return derived


def _simple(g: nx.MultiDiGraph) -> nx.Graph[str]:
    """An undirected simple graph of the projection, for centralities and communities."""
    return _derived(g).simple


def centralities(g: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    derived = _derived(g)
    if derived.centralities is None:
        s = derived.simple
        degree = nx.degree_centrality(s) if len(s) > 1 else {n: 0.0 for n in s}
        betweenness = nx.betweenness_centrality(s)
        try:
            eigen = nx.eigenvector_centrality(s, max_iter=2000, tol=1e-6) if s.number_of_edges() else {}
        except nx.PowerIterationFailedConvergence:
            eigen = {}
        derived.centralities = {n: {"degree": degree.get(n, 0.0), "betweenness": betweenness.get(n, 0.0),
                                    "eigenvector": eigen.get(n, 0.0)} for n in s}
    return derived.centralities


@router.get("/centrality", response_model=list[models.Centrality])
def centrality(service: ServiceDep,
               by: Annotated[str, Query(pattern="^(degree|betweenness|eigenvector)$")] = "degree",
               group: Annotated[str | None, Query(max_length=50, description="only nodes of this group, "
                                                  "e.g. actor")] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 20) -> list[models.Centrality]:
    """The most central nodes by degree, betweenness or eigenvector centrality."""
    g = read_model.graph(service)
    scores = centralities(g)
    nodes = [n for n in scores if group is None or g.nodes[n].get("group") == group]
    nodes.sort(key=lambda n: (-scores[n][by], n))
    return [models.Centrality(entity=read_model.ref(g, n), **scores[n]) for n in nodes[:limit]]


@router.get("/communities", response_model=list[models.Community])
def communities(service: ServiceDep,
                min_size: Annotated[int, Query(ge=1, le=10_000)] = 2) -> list[models.Community]:
    """Communities found by Louvain modularity (seeded, so stable between calls)."""
    g = read_model.graph(service)
    found = nx.community.louvain_communities(_simple(g), seed=42) if len(g) else []
    kept = sorted((sorted(c) for c in found if len(c) >= min_size), key=lambda c: (-len(c), c[0]))
    return [models.Community(id=i, size=len(c), members=[read_model.ref(g, n) for n in c])
            for i, c in enumerate(kept)]


def _hop(g: nx.MultiDiGraph, u: str, v: str) -> models.Hop:
    if g.has_edge(u, v):
        data, direction = next(iter(g.get_edge_data(u, v).values())), "forward"
    else:
        data, direction = next(iter(g.get_edge_data(v, u).values())), "backward"
    return models.Hop(source=read_model.ref(g, u), target=read_model.ref(g, v), relation=data["relation"],
                      predicate=data["predicate"], direction=direction,
                      evidence=read_model.evidence(data.get("evidence", [])))


@router.get("/paths", response_model=models.Paths)
def paths(service: ServiceDep,
          source: Annotated[str, Query(min_length=1, max_length=300, description="id of the first entity, "
                                       "e.g. sweden")],
          target: Annotated[str, Query(min_length=1, max_length=300, description="id of the second entity")],
          limit: Annotated[int, Query(ge=1, le=50)] = 5) -> models.Paths:
    """The shortest paths between two entities, with the relation and evidence on every hop."""
    g = read_model.graph(service)
    ends = []
    for name in (source, target):
        iri = name if name.startswith("http") else iri_of(name)
        if iri not in g:
            raise ProblemError(404, "Unknown entity", f"no entity {name!r} in the graph; "
                               "find its id with /api/v1/entities?q=…", "unknown-entity")
        ends.append(iri)
    found: list[models.Path] = []
    try:
        for nodes in nx.all_shortest_paths(_simple(g), ends[0], ends[1]):
            found.append(models.Path(length=len(nodes) - 1,
                                     hops=[_hop(g, a, b) for a, b in itertools.pairwise(nodes)]))
            if len(found) >= limit:
                break
    except nx.NetworkXNoPath:
        found = []
    return models.Paths(source=read_model.ref(g, ends[0]), target=read_model.ref(g, ends[1]), paths=found)
