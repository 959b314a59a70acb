"""View models: which nodes and edges each network view shows, cut to a node budget.

Every view is computed from the networkx projection of the store
(:func:`graph.read.projection.build_projection`), never from the store itself:

* :func:`overview`: actors, events, agreements and documents, propositions
  and themes, with the stance edges (holder to target) between them;
* :func:`entity`: the neighbourhood of one node, radius 1 or 2;
* :func:`theme`: a theme, its narrower themes, what is tagged with them and
  what those things point to;
* :func:`source`: everything one source document states or grounds;
* :func:`stances`: the stance network (holders and the targets they support
  or oppose).

When a view would hold more nodes than the budget, the most central ones are
kept (degree in the view, ties by label) and the :class:`View` says what was
left out. Node size follows degree centrality. Big views get their positions
from :func:`networkx.spring_layout` so the browser needs no physics.

The result is plain data (:class:`View`); :mod:`visualisation.render` turns it
into HTML.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import networkx as nx
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph import namespaces as ns
from graph.language import DEFAULT
from graph.read.labels import Labels
from graph.read.projection import Evidence, Inferred, local_name

#: Groups the overview shows (see :data:`graph.read.projection.CLASS_GROUPS`).
OVERVIEW_GROUPS = ("actor", "event", "document", "proposition", "theme")

#: Node shape and colour by class group; the legend lists them in this order.
GROUP_STYLE: dict[str, tuple[str, str]] = {
    "actor": ("dot", "#1f77b4"),
    "event": ("diamond", "#ff7f0e"),
    "document": ("square", "#2ca02c"),
    "proposition": ("triangle", "#9467bd"),
    "theme": ("star", "#e377c2"),
    "stance": ("dot", "#8c564b"),
    "assertion": ("triangleDown", "#bcbd22"),
    "place": ("dot", "#17becf"),
    "post": ("hexagon", "#7f7f7f"),
    "other": ("dot", "#c7c7c7"),
}

#: Edge colour by stance polarity; other relations are grey.
POLARITY_COLOUR = {"Supports": "#2ca02c", "Opposes": "#d62728", "CommitsTo": "#1f77b4"}
RELATION_COLOUR = "#9a9a9a"

THEME_RELATION = "theme"
BROADER_RELATION = "broader"
STANCE_PREDICATE = "stance"


class ViewSettings(BaseSettings):
    """Knobs of the views, from ``SRKG_VIEW_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="SRKG_VIEW_", extra="ignore")

    node_budget: int = Field(300, ge=1, le=5000, description="most nodes one view shows")
    physics_limit: int = Field(150, ge=0, description="above this many nodes, positions come from networkx "
                                                       "and the browser runs no physics")


class ViewNotFound(LookupError):
    """The view asked for has nothing to show (unknown entity, theme or source)."""


@dataclass
class ViewNode:
    id: str
    label: str
    group: str
    cls_label: str
    evidence: list[dict[str, object]]
    themes: list[str]
    size: float = 10.0
    x: float | None = None
    y: float | None = None


@dataclass
class ViewEdge:
    id: str
    source: str
    target: str
    relation: str
    polarity: str | None
    hedged: bool
    evidence: list[dict[str, object]]
    themes: list[str]
    inferred: str | None = None  # "basis: reason" when the source does not state the relation


@dataclass
class View:
    """One network view: what to draw, and what the budget left out."""

    kind: str
    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    total_nodes: int
    omitted: dict[str, int] = field(default_factory=dict)
    omitted_examples: list[str] = field(default_factory=list)
    physics: bool = True
    focus: str | None = None
    radius: int | None = None
    theme_labels: dict[str, str] = field(default_factory=dict)

    @property
    def omitted_count(self) -> int:
        return sum(self.omitted.values())


# --- selecting nodes ---------------------------------------------------------------------------


def entity_path(iri: str) -> str | None:
    """The part of an srkg entity IRI after ``/id/``, or None for other IRIs."""
    return iri[len(ns.ID):] if iri.startswith(ns.ID) and len(iri) > len(ns.ID) else None


def _inferred(mark: Inferred | None) -> str | None:
    """How an edge's tooltip says that the source does not state it."""
    return None if mark is None else f"{mark.basis}: {mark.reason}"


def _node_themes(g: nx.MultiDiGraph, node: str) -> list[str]:
    return sorted({t for _, t, d in g.out_edges(node, data=True) if d.get("relation") == THEME_RELATION})


def _undirected_ball(g: nx.MultiDiGraph, centre: str, radius: int) -> set[str]:
    seen, frontier = {centre}, {centre}
    for _ in range(radius):
        nxt: set[str] = set()
        for n in frontier:
            nxt.update(g.successors(n))
            nxt.update(g.predecessors(n))
        frontier = nxt - seen
        seen |= frontier
    return seen


def _edges_among(g: nx.MultiDiGraph, nodes: set[str], *, stances_only: bool = False
                 ) -> list[tuple[str, str, str, dict]]:
    """Edges between ``nodes``; a stance summary edge is dropped when its stance node is itself shown."""
    out = []
    for s, t, k, d in g.edges(keys=True, data=True):
        if s not in nodes or t not in nodes:
            continue
        is_stance = d.get("predicate") == STANCE_PREDICATE
        if stances_only and not is_stance:
            continue
        if is_stance and d.get("stance") in nodes:
            continue
        out.append((s, t, k, d))
    return out


def overview(g: nx.MultiDiGraph, settings: ViewSettings | None = None) -> View:
    """Actors, events, agreements/documents, propositions and themes, and the relations between them."""
    nodes = {n for n, d in g.nodes(data=True) if d.get("group") in OVERVIEW_GROUPS}
    return _finish(g, "overview", "Overview", nodes, _edges_among(g, nodes), settings)


def stances(g: nx.MultiDiGraph, settings: ViewSettings | None = None) -> View:
    """Stance holders and the propositions, policies and actors they support or oppose."""
    edges = [(s, t, k, d) for s, t, k, d in g.edges(keys=True, data=True) if d.get("predicate") == STANCE_PREDICATE]
    nodes = {s for s, *_ in edges} | {t for _, t, *_ in edges}
    return _finish(g, "stances", "Stance network", nodes, edges, settings)


def entity(g: nx.MultiDiGraph, iri: str, radius: int = 1, settings: ViewSettings | None = None) -> View:
    """The neighbourhood of ``iri`` (edges followed both ways), ``radius`` 1 or 2."""
    if radius not in (1, 2):
        raise ValueError(f"radius must be 1 or 2, not {radius!r}")
    if iri not in g:
        raise ViewNotFound(f"no entity <{iri}> in the graph")
    nodes = _undirected_ball(g, iri, radius)
    label = g.nodes[iri].get("label", local_name(iri))
    view = _finish(g, "entity", label, nodes, _edges_among(g, nodes), settings, focus=iri)
    view.radius = radius
    return view


def theme(g: nx.MultiDiGraph, iri: str, settings: ViewSettings | None = None) -> View:
    """A theme with its narrower themes, what they tag, and what the tagged things point to."""
    if iri not in g or g.nodes[iri].get("group") != "theme":
        raise ViewNotFound(f"no theme <{iri}> in the graph")
    themes = {iri}
    frontier = [iri]
    while frontier:  # narrower themes: ?narrower skos:broader ?theme
        t = frontier.pop()
        for n, _, d in g.in_edges(t, data=True):
            if d.get("relation") == BROADER_RELATION and n not in themes:
                themes.add(n)
                frontier.append(n)
    members = {n for t in themes for n, _, d in g.in_edges(t, data=True) if d.get("relation") == THEME_RELATION}
    nodes = set(themes) | members
    for m in members:
        nodes.update(t for t in g.successors(m) if g.nodes[t].get("group") != "theme")
    return _finish(g, "theme", "Theme: " + g.nodes[iri].get("label", local_name(iri)), nodes,
                   _edges_among(g, nodes), settings, focus=iri)


def source(g: nx.MultiDiGraph, slug: str, settings: ViewSettings | None = None) -> View:
    """What source ``slug`` states (edges of its named graph) or grounds (nodes with evidence in it)."""
    graph_iri, doc = ns.source_graph(slug), ns.SOURCE_ID_PREFIX + slug
    nodes: set[str] = set()
    for s, t, d in g.edges(data=True):
        if d.get("graph") == graph_iri:
            nodes.update((s, t))
    for n, d in g.nodes(data=True):
        if any(ev.source == doc for ev in d.get("evidence", [])):
            nodes.add(n)
    if not nodes and doc not in g:
        raise ViewNotFound(f"no source {slug!r} in the graph")
    if doc in g:
        nodes.add(doc)
    title = g.nodes[doc].get("label", slug) if doc in g else slug
    return _finish(g, "source", "Source: " + title, nodes, _edges_among(g, nodes), settings,
                   focus=doc if doc in g else None)


def localise(view: View, labels: Labels, language: str) -> View:
    """``view`` with the labels of its nodes and themes, and the name in its title, in ``language`` where the
    graph has them (:mod:`graph.read.labels`); ``view`` itself for English."""
    if language == DEFAULT:
        return view
    nodes = [replace(n, label=labels.pick(n.id, language, n.label)) for n in view.nodes]
    theme_labels = {t: labels.pick(t, language, label) for t, label in view.theme_labels.items()}
    title = view.title
    focus = next((n for n in view.nodes if n.id == view.focus), None)
    if focus is not None and view.kind in ("entity", "theme"):
        title = title.replace(focus.label, labels.pick(focus.id, language, focus.label))
    return replace(view, nodes=nodes, title=title,
                   theme_labels=dict(sorted(theme_labels.items(), key=lambda kv: kv[1])))


def sources(g: nx.MultiDiGraph) -> list[str]:
    """Slugs of the source documents in the projection."""
    return sorted(n[len(ns.SOURCE_ID_PREFIX):] for n in g if n.startswith(ns.SOURCE_ID_PREFIX)
                  and "/" not in n[len(ns.SOURCE_ID_PREFIX):])


def themes(g: nx.MultiDiGraph) -> list[str]:
    """IRIs of the themes in the projection."""
    return sorted(n for n, d in g.nodes(data=True) if d.get("group") == "theme")


# --- budget, centrality, layout ------------------------------------------------------------------


def _evidence(items: Iterable[Evidence]) -> list[dict[str, object]]:
    return [{"quote": ev.exact, "source": local_name(ev.source)} for ev in items]


def _finish(g: nx.MultiDiGraph, kind: str, title: str, nodes: set[str],
            edges: list[tuple[str, str, str, dict]], settings: ViewSettings | None,
            focus: str | None = None) -> View:
    settings = settings or ViewSettings()
    degree: Counter[str] = Counter({n: 0 for n in nodes})
    for s, t, _, _ in edges:
        degree[s] += 1
        degree[t] += 1
    ranked = sorted(nodes, key=lambda n: (n != focus, -degree[n], g.nodes[n].get("label", n), n))
    kept_list, dropped = ranked[:settings.node_budget], ranked[settings.node_budget:]
    kept = set(kept_list)
    edges = [e for e in edges if e[0] in kept and e[1] in kept]

    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(kept_list)
    simple.add_edges_from((s, t) for s, t, _, _ in edges if s != t)
    centrality = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    top = max(centrality.values(), default=0.0) or 1.0

    physics = len(kept_list) <= settings.physics_limit
    positions: dict[str, tuple[float, float]] = {}
    if not physics:
        scale = 60.0 * math.sqrt(len(kept_list))
        positions = {n: (float(p[0]), float(p[1]))
                     for n, p in nx.spring_layout(simple, k=3.0 / math.sqrt(len(simple)), seed=7,
                                                  scale=scale).items()}

    theme_labels: dict[str, str] = {}
    view_nodes = []
    for n in kept_list:
        d = g.nodes[n]
        node_themes = _node_themes(g, n)
        if d.get("group") == "theme":
            node_themes = sorted(set(node_themes) | {n})
        for t in node_themes:
            theme_labels[t] = g.nodes[t].get("label", local_name(t)) if t in g else local_name(t)
        x, y = positions.get(n, (None, None))
        view_nodes.append(ViewNode(id=n, label=str(d.get("label", local_name(n))), group=d.get("group", "other"),
                                   cls_label=str(d.get("cls_label", "")), evidence=_evidence(d.get("evidence", [])),
                                   themes=node_themes, size=10.0 + 25.0 * centrality.get(n, 0.0) / top, x=x, y=y))
    view_edges = []
    for i, (s, t, _, d) in enumerate(edges):
        stance = d.get("stance")
        edge_themes = _node_themes(g, stance) if stance is not None and stance in g else sorted(set(_node_themes(g, s)))
        view_edges.append(ViewEdge(id=f"e{i}", source=s, target=t, relation=str(d.get("relation", "")),
                                   polarity=d.get("polarity"), hedged=bool(d.get("hedged", False)),
                                   evidence=_evidence(d.get("evidence", [])), themes=edge_themes,
                                   inferred=_inferred(d.get("inferred"))))
    omitted = Counter(g.nodes[n].get("group", "other") for n in dropped)
    return View(kind=kind, title=title, nodes=view_nodes, edges=view_edges, total_nodes=len(nodes),
                omitted=dict(sorted(omitted.items())),
                omitted_examples=[str(g.nodes[n].get("label", n)) for n in dropped[:10]],
                physics=physics, focus=focus, theme_labels=dict(sorted(theme_labels.items(), key=lambda kv: kv[1])))
