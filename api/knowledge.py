"""REST views of the graph: entities, relations, stances, events, agreements, assessments, sources.

Relations, stances and evidence come from the networkx projection
(:mod:`graph.projection`, kept current by its cache); literal details (labels,
aliases, dates, claims) from the catalogue queries ``api/*``. Every handler of
:mod:`api.routers` and the entity pages build on these functions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import quote

import networkx as nx
from rdflib import Literal, URIRef

from graph import namespaces as ns
from graph.projection import Evidence as ProjectedEvidence
from graph.projection import local_name

from . import models
from .deps import Service
from .problems import ProblemError

ROLES = {ns.SRKG + "host": "host", ns.SRKG + "guest": "guest", ns.SRKG + "participant": "participant",
         ns.SRKG + "accompaniedBy": "accompanied by", ns.SEM + "hasActor": "actor"}
PLACES = {ns.SRKG + "destination", ns.SEM + "hasPlace"}
THEME = ns.SRKG + "theme"


def page_of(iri: str) -> str:
    """Where this service shows ``iri``: ``/id/…`` for entities, ``/ontology#…`` for terms, the Graph Store
    for named graphs, else the IRI itself."""
    if iri.startswith(ns.ID):
        return "/id/" + iri[len(ns.ID):]
    if iri.startswith(ns.SRKG):
        return "/ontology#" + iri[len(ns.SRKG):]
    if iri == ns.ONTOLOGY_IRI:
        return "/ontology"
    if iri.startswith(ns.GRAPH):
        return "/rdf-graphs/service?graph=" + quote(iri, safe="")
    return iri


def view_of(iri: str) -> str:
    return "/view/entity/" + iri[len(ns.ID):] if iri.startswith(ns.ID) else ""


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_of(path: str) -> str:
    """The entity IRI for ``/id/{path}``; 404 if no IRI can be written that way."""
    if not path or _NOT_IN_IRI.search(path):
        raise ProblemError(404, "Unknown entity", f"{path!r} cannot be part of an entity IRI; "
                           "search for the entity with /api/v1/entities?q=…", "unknown-entity")
    return ns.ID + path


def graph(service: Service) -> nx.MultiDiGraph:
    return service.projection.get(service.store)


def ref(g: nx.MultiDiGraph, iri: str) -> models.EntityRef:
    data = g.nodes[iri] if iri in g else {}
    return models.EntityRef(iri=iri, label=str(data.get("label") or local_name(iri)),
                            type=str(data.get("cls_label") or ""), group=str(data.get("group") or "other"),
                            page=page_of(iri))


def evidence(items: list[ProjectedEvidence]) -> list[models.Evidence]:
    return [models.Evidence(**e.as_dict()) for e in sorted(items, key=lambda e: (e.source, e.start))]


def _edges(g: nx.MultiDiGraph, iri: str, direction: str) -> list[tuple[str, str, dict]]:
    if iri not in g:
        return []
    if direction == "out":
        return [(v, k, d) for _, v, k, d in g.out_edges(iri, keys=True, data=True) if d.get("predicate") != "stance"]
    return [(u, k, d) for u, _, k, d in g.in_edges(iri, keys=True, data=True) if d.get("predicate") != "stance"]


def relations(g: nx.MultiDiGraph, iri: str, direction: str, only: set[str] | None = None) -> list[models.Relation]:
    out = []
    for other, _, d in _edges(g, iri, direction):
        if only is not None and d["predicate"] not in only:
            continue
        out.append(models.Relation(predicate=d["predicate"], relation=d["relation"], direction=direction,
                                   other=ref(g, other), graph=d.get("graph", ""),
                                   evidence=evidence(d.get("evidence", []))))
    return sorted(out, key=lambda r: (r.relation, r.other.label))


def _targets(g: nx.MultiDiGraph, iri: str, predicate: str) -> list[models.EntityRef]:
    return sorted((ref(g, v) for v, _, d in _edges(g, iri, "out") if d["predicate"] == predicate),
                  key=lambda r: r.label)


def stance(g: nx.MultiDiGraph, iri: str) -> models.Stance:
    n = g.nodes[iri]
    holders = _targets(g, iri, ns.SRKG + "holder")
    return models.Stance(iri=iri, label=n["label"], holder=holders[0] if holders else None,
                         targets=_targets(g, iri, ns.SRKG + "target"), polarity=n.get("polarity"),
                         attribution=n.get("attribution"), hedging=n.get("hedging"),
                         hedged=n.get("attribution") != "ReportedFact" or n.get("hedging") not in (None, "Certain"),
                         themes=_targets(g, iri, THEME), evidence=evidence(n.get("evidence", [])))


def all_stances(g: nx.MultiDiGraph) -> list[models.Stance]:
    return sorted((stance(g, n) for n, d in g.nodes(data=True) if d.get("group") == "stance"), key=lambda s: s.iri)


def event_dates(service: Service) -> dict[str, tuple[str | None, str | None, str | None]]:
    out = {}
    for row in service.store.select(service.query_text("api/events")):
        out[str(row["event"])] = (_str(row.get("begin")), _str(row.get("end")),
                                  local_name(str(row["status"])) if row.get("status") is not None else None)
    return out


def _str(term: object) -> str | None:
    return None if term is None else str(term)


def event(g: nx.MultiDiGraph, iri: str, dates: dict[str, tuple[str | None, str | None, str | None]]) -> models.Event:
    n = g.nodes[iri]
    begin, end, status = dates.get(iri, (None, None, None))
    participants = [models.Participant(role=ROLES[d["predicate"]], entity=ref(g, v))
                    for v, _, d in _edges(g, iri, "out") if d["predicate"] in ROLES]
    places = [ref(g, v) for v, _, d in _edges(g, iri, "out") if d["predicate"] in PLACES]
    return models.Event(iri=iri, label=n["label"], type=n["cls_label"], begin=begin, end=end, status=status,
                        participants=sorted(participants, key=lambda p: (p.role, p.entity.label)),
                        places=sorted(places, key=lambda p: p.label), themes=_targets(g, iri, THEME),
                        evidence=evidence(n.get("evidence", [])))


def all_events(service: Service, g: nx.MultiDiGraph) -> list[models.Event]:
    dates = event_dates(service)
    events = [event(g, iri, dates) for iri in dates if iri in g]
    return sorted(events, key=lambda e: (e.begin or "9999", e.iri))


def agreement(g: nx.MultiDiGraph, iri: str) -> models.Agreement:
    n = g.nodes[iri]
    return models.Agreement(iri=iri, label=n["label"], type=n["cls_label"],
                            parties=_targets(g, iri, ns.SRKG + "party"),
                            related=[r for r in relations(g, iri, "out")
                                     if r.predicate not in {ns.SRKG + "party", THEME}],
                            themes=_targets(g, iri, THEME), evidence=evidence(n.get("evidence", [])))


def all_agreements(service: Service, g: nx.MultiDiGraph) -> list[models.Agreement]:
    return [agreement(g, iri) for iri in agreement_iris(service) if iri in g]


def agreement_iris(service: Service) -> list[str]:
    return [str(r["agreement"]) for r in service.store.select(service.query_text("api/agreements"))]


def assessments(service: Service, g: nx.MultiDiGraph) -> list[models.Assessment]:
    details: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in service.store.select(service.query_text("api/assertion-details")):
        d = details[str(row["assertion"])]
        for key in ("claim", "cue", "author", "theme"):
            if row.get(key) is not None:
                d[key].add(str(row[key]))
    out = []
    for iri, d in sorted(details.items()):
        if iri not in g or g.nodes[iri].get("group") == "stance":
            continue
        n = g.nodes[iri]
        out.append(models.Assessment(
            iri=iri, label=n["label"], type=n["cls_label"], claim=min(d["claim"], default=None),
            cue=min(d["cue"], default=None), attribution=n.get("attribution"), hedging=n.get("hedging"),
            authors=sorted((ref(g, a) for a in d["author"]), key=lambda r: r.label),
            themes=sorted((ref(g, t) for t in d["theme"]), key=lambda r: r.label),
            about=[r for r in relations(g, iri, "out") if r.predicate != THEME],
            evidence=evidence(n.get("evidence", []))))
    return out


def entity_index(service: Service, g: nx.MultiDiGraph) -> list[models.EntitySummary]:
    types: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in service.store.select(service.query_text("api/entity-types")):
        iri = str(row["entity"])
        if row.get("type") is not None:
            types[iri].add(local_name(str(row["type"])))
        if row.get("alias") is not None:
            aliases[iri].add(str(row["alias"]))
    out = []
    for iri in sorted(set(types) | set(aliases)):
        if iri not in g:
            continue
        r = ref(g, iri)
        out.append(models.EntitySummary(**r.model_dump(), types=sorted(types[iri]), aliases=sorted(aliases[iri])))
    return sorted(out, key=lambda e: (e.label.lower(), e.iri))


def statements(service: Service, iri: str) -> list[tuple[str, object, str]]:
    rows = service.store.select(service.query_text("api/entity-statements", entity=URIRef(iri)))
    return [(str(r["p"]), r["o"], str(r["g"])) for r in rows]


def entity_detail(service: Service, path: str) -> models.EntityDetail:
    iri = iri_of(path)
    g = graph(service)
    stated = statements(service, iri)
    if not stated and iri not in g:
        raise ProblemError(404, "Unknown entity", f"nothing in the graph is called <{iri}>; "
                           "search for it with /api/v1/entities?q=…", "unknown-entity")
    labels, aliases, types, wikidata = [], [], [], None
    for p, o, _ in stated:
        if p in {ns.RDFS + "label", ns.SKOS + "prefLabel"} and isinstance(o, Literal):
            label = models.Label(value=str(o), lang=o.language)
            if label not in labels:
                labels.append(label)
        elif p == ns.SKOS + "altLabel" and isinstance(o, Literal):
            aliases.append(models.Label(value=str(o), lang=o.language))
        elif p == ns.RDF_TYPE:
            types.append(str(o))
        elif p == ns.SKOS + "exactMatch" and str(o).startswith(ns.WIKIDATA):
            wikidata = str(o)
    node = g.nodes[iri] if iri in g else {}
    label = str(node.get("label") or (labels[0].value if labels else local_name(iri)))
    stance_nodes = [n for n, d in g.nodes(data=True) if d.get("group") == "stance"] if iri in g else []
    held = [stance(g, s) for s in stance_nodes if g.has_edge(s, iri, ns.SRKG + "holder")]
    targeted = [stance(g, s) for s in stance_nodes if g.has_edge(s, iri, ns.SRKG + "target")]
    dates = event_dates(service)
    neighbours = {u for u, _, _ in _edges(g, iri, "in")} | {v for v, _, _ in _edges(g, iri, "out")}
    events = [event(g, e, dates) for e in sorted(neighbours) if e in dates and e in g]
    if iri in dates:
        events.insert(0, event(g, iri, dates))
    known = set(agreement_iris(service))
    agreements = [agreement(g, a) for a in sorted(neighbours | {iri}) if a in known and a in g]
    return models.EntityDetail(
        iri=iri, label=label, labels=labels, aliases=aliases, types=sorted(set(types)), wikidata=wikidata,
        page=page_of(iri), view=view_of(iri), outgoing=relations(g, iri, "out"), incoming=relations(g, iri, "in"),
        stances_held=held, stances_targeted=targeted, events=events, agreements=agreements,
        evidence=evidence(node.get("evidence", [])))


def paginate(items: list, offset: int, limit: int) -> dict[str, object]:
    return {"total": len(items), "offset": offset, "limit": limit, "items": items[offset:offset + limit]}
