"""REST: network analytics with networkx over the projection (measures from :mod:`graph.read.network`):
centralities, communities, paths."""

from __future__ import annotations

import itertools
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Query

from graph.read import network

from .. import models, read_model
from ..deps import ServiceDep
from ..language import LanguageDep, localise
from ..links import iri_of
from ..problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(prefix="/api/v1/analytics", tags=["Analytics"], responses=PROBLEM_RESPONSES)


@router.get("/centrality", response_model=list[models.Centrality])
def centrality(service: ServiceDep, language: LanguageDep,
               by: Annotated[str, Query(pattern="^(degree|betweenness|eigenvector)$")] = "degree",
               group: Annotated[str | None, Query(max_length=50, description="only nodes of this group, "
                                                  "e.g. actor")] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 20) -> list[models.Centrality]:
    """The most central nodes by degree, betweenness or eigenvector centrality."""
    g = read_model.graph(service)
    return localise([models.Centrality(entity=read_model.ref(g, n), **network.scores(g, n))
                     for n in network.most_central(g, by, group, limit)], service, language.language)


@router.get("/communities", response_model=list[models.Community])
def communities(service: ServiceDep, language: LanguageDep,
                min_size: Annotated[int, Query(ge=1, le=10_000)] = 2) -> list[models.Community]:
    """Communities found by Louvain modularity (seeded, so stable between calls)."""
    g = read_model.graph(service)
    found = nx.community.louvain_communities(network.simple(g), seed=42) if len(g) else []
    kept = sorted((sorted(c) for c in found if len(c) >= min_size), key=lambda c: (-len(c), c[0]))
    return localise([models.Community(id=i, size=len(c), members=[read_model.ref(g, n) for n in c])
                     for i, c in enumerate(kept)], service, language.language)


def _hop(g: nx.MultiDiGraph, u: str, v: str) -> models.Hop:
    if g.has_edge(u, v):
        data, direction = next(iter(g.get_edge_data(u, v).values())), "forward"
    else:
        data, direction = next(iter(g.get_edge_data(v, u).values())), "backward"
    return models.Hop(source=read_model.ref(g, u), target=read_model.ref(g, v), relation=data["relation"],
                      predicate=data["predicate"], direction=direction,
                      evidence=read_model.evidence(data.get("evidence", [])))


@router.get("/paths", response_model=models.Paths)
def paths(service: ServiceDep, language: LanguageDep,
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
        for nodes in nx.all_shortest_paths(network.simple(g), ends[0], ends[1]):
            found.append(models.Path(length=len(nodes) - 1,
                                     hops=[_hop(g, a, b) for a, b in itertools.pairwise(nodes)]))
            if len(found) >= limit:
                break
    except nx.NetworkXNoPath:
        found = []
    return localise(models.Paths(source=read_model.ref(g, ends[0]), target=read_model.ref(g, ends[1]), paths=found),
                    service, language.language)
