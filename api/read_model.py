"""The read model: entities, relations, stances, events, agreements, assessments and sources as the REST
API and the pages show them, and the indexes they page through.

Relations, stances and evidence come from the networkx projection
(:mod:`graph.read.projection`, kept current by its cache); literal details (labels,
aliases, dates, claims) from the catalogue queries ``api/*``. Lists and
indexes are computed once per store state (:meth:`api.service.Service.memo`),
so a request costs what its page costs.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict

import networkx as nx
from rdflib import Literal, URIRef

from graph import namespaces as ns
from graph.coverage import text_path
from graph.read import annotations as reader_core
from graph.read import events as event_core
from graph.read import stance_matrix, summary, timeline
from graph.read.projection import Evidence as ProjectedEvidence
from graph.read.projection import Inferred as ProjectedInferred
from graph.read.projection import local_name
from graph.read.summary import Summary

from . import models
from .links import iri_of, page_of, reader_of, view_of
from .problems import ProblemError
from .service import Service

THEME = ns.SRKG + "theme"
PREMISE, INCLUDES = ns.SRKG + "premise", ns.SRKG + "includesClaim"
#: literal statements shown as names or text rather than as values of the entity
_NAMES = {ns.RDFS + "label", ns.SKOS + "prefLabel", ns.SKOS + "altLabel", ns.SRKG + "claim", ns.SRKG + "cue"}
_NOTES = {ns.SKOS + "note", ns.SKOS + "editorialNote", ns.SKOS + "definition"}
log = logging.getLogger(__name__)
#: the most items of each list an entity's detail holds (a hub like Russia has thousands of each)
DETAIL_LIMIT = 100


def graph(service: Service) -> nx.MultiDiGraph:
    return service.projected()


def warm(service: Service) -> None:
    """Compute the projection and every index the REST handlers page through, so the service is ready only
    once the first requests find them (with several server processes, each is warm when it accepts a
    connection). A failure (a SPARQL server that is down) is logged; a request that needs them reports it."""
    try:
        stances(service)
        events(service)
        agreements(service)
        assessment_list(service)
        entities(service)
        stances_by_entity(service)
        assertions_by_source(service)
        for field in ("holder", "targets", "themes"):
            stance_index(service, field)
        entity_search_keys(service)
        source_by_slug(service)
        home_summary(service)
        timeline_index(service)
        stance_matrix_index(service)
    except Exception:  # noqa: BLE001 - see the docstring
        log.warning("warming the projection failed", exc_info=True)


def ref(g: nx.MultiDiGraph, iri: str) -> models.EntityRef:
    data = g.nodes[iri] if iri in g else {}
    return models.EntityRef(iri=iri, label=str(data.get("label") or local_name(iri)),
                            type=str(data.get("cls_label") or ""), group=str(data.get("group") or "other"),
                            page=page_of(iri))


def inferred(mark: ProjectedInferred | None) -> models.Inferred | None:
    return None if mark is None else models.Inferred(**mark.as_dict())


def inferred_literal(g: nx.MultiDiGraph, subject: str, predicate: str, value: str | None) -> models.Inferred | None:
    """The basis of a literal statement that the source does not make, or None if it is stated."""
    return None if value is None else inferred(g.graph.get("inferred", {}).get((subject, predicate, value)))


def evidence(items: list[ProjectedEvidence]) -> list[models.Evidence]:
    return [models.Evidence(**e.as_dict(), reader=reader_of(e.source, e.start, e.end))
            for e in sorted(items, key=lambda e: (e.source, e.start))]


def _edges(g: nx.MultiDiGraph, iri: str, direction: str) -> list[tuple[str, str, dict]]:
    if iri not in g:
        return []
    if direction == "out":
        return [(v, k, d) for _, v, k, d in g.out_edges(iri, keys=True, data=True) if d.get("predicate") != "stance"]
    return [(u, k, d) for u, _, k, d in g.in_edges(iri, keys=True, data=True) if d.get("predicate") != "stance"]


def relations(g: nx.MultiDiGraph, iri: str, direction: str, only: set[str] | None = None,
              limit: int | None = None) -> list[models.Relation]:
    """The relations of ``iri`` in one direction, sorted by relation and label; the first ``limit`` of them."""
    found = []
    for other, _, d in _edges(g, iri, direction):
        if only is not None and d["predicate"] not in only:
            continue
        data = g.nodes[other] if other in g else {}
        found.append((d["relation"], str(data.get("label") or local_name(other)), other, d))
    found.sort(key=lambda t: (t[0], t[1]))
    return [models.Relation(predicate=d["predicate"], relation=d["relation"], direction=direction,
                            other=ref(g, other), graph=d.get("graph", ""), evidence=evidence(d.get("evidence", [])),
                            inferred=inferred(d.get("inferred")))
            for _, _, other, d in found[:limit]]


def _targets(g: nx.MultiDiGraph, iri: str, predicate: str) -> list[models.EntityRef]:
    return sorted((ref(g, v) for v, _, d in _edges(g, iri, "out") if d["predicate"] == predicate),
                  key=lambda r: r.label)


def stance(g: nx.MultiDiGraph, iri: str) -> models.Stance:
    n = g.nodes[iri]
    holders = _targets(g, iri, ns.SRKG + "holder")
    return models.Stance(iri=iri, label=n["label"], holder=holders[0] if holders else None,
                         targets=_targets(g, iri, ns.SRKG + "target"), polarity=n.get("polarity"),
                         attribution=n.get("attribution"), hedging=n.get("hedging"),
                         hedged=bool(n.get("qualified")),
                         themes=_targets(g, iri, THEME), evidence=evidence(n.get("evidence", [])))


def all_stances(g: nx.MultiDiGraph) -> list[models.Stance]:
    return sorted((stance(g, n) for n, d in g.nodes(data=True) if d.get("group") == "stance"), key=lambda s: s.iri)


def event_dates(service: Service) -> dict[str, event_core.EventDates]:
    """Every event's dates and status, once per store state."""
    return service.memo("event-dates", lambda: event_core.read_event_dates(service.analytics,
                                                                            service.query_text("api/events")))


def home_summary(service: Service) -> Summary:
    """What the home page and ``/api/v1/summary`` show (:func:`graph.read.summary.summarise`), once per store state."""
    return service.memo("summary", lambda: summary.summarise(service.analytics, graph(service),
                                                             event_dates(service)))


def event(g: nx.MultiDiGraph, iri: str, dates: dict[str, event_core.EventDates]) -> models.Event:
    return event_model(g, event_core.event_record(g, iri, dates))


def event_model(g: nx.MultiDiGraph, record: event_core.EventRecord) -> models.Event:
    """The REST shape of an event record (:mod:`graph.read.events`)."""
    return models.Event(iri=record.iri, label=record.label, type=record.type, begin=record.begin, end=record.end,
                        begin_inferred=inferred(record.begin_inferred), end_inferred=inferred(record.end_inferred),
                        status=record.status,
                        participants=[models.Participant(role=p.role, entity=ref(g, p.actor))
                                      for p in record.participants],
                        places=[ref(g, p) for p in record.places], themes=[ref(g, t) for t in record.themes],
                        evidence=evidence(list(record.evidence)))


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
    """Every agreement, once per store state."""
    return service.memo("agreement-iris", lambda: [
        str(r["agreement"]) for r in service.analytics.select(service.query_text("api/agreements"))])


def assessments(service: Service, g: nx.MultiDiGraph) -> list[models.Assessment]:
    details: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in service.analytics.select(service.query_text("api/assertion-details")):
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
            about=[r for r in relations(g, iri, "out") if r.predicate not in {THEME, PREMISE, INCLUDES}],
            premises=_targets(g, iri, PREMISE), includes=_targets(g, iri, INCLUDES),
            evidence=evidence(n.get("evidence", []))))
    return out


def entity_index(service: Service, g: nx.MultiDiGraph) -> list[models.EntitySummary]:
    types: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in service.analytics.select(service.query_text("api/entity-types")):
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
    """The detail of one entity, from a cache of the last 512 asked for in this store state.

    What the store states about the entity is asked every time (it is one cheap lookup), so an
    unreachable SPARQL server still answers 503 rather than an old copy."""
    statements(service, iri_of(path))
    cached = service.memo("entity-details", lambda: functools.lru_cache(maxsize=512)(
        lambda p: _entity_detail(service, p)))
    return cached(path)


def _entity_detail(service: Service, path: str) -> models.EntityDetail:
    iri = iri_of(path)
    g = graph(service)
    stated = statements(service, iri)
    if not stated and iri not in g:
        raise ProblemError(404, "Unknown entity", f"nothing in the graph is called <{iri}>; "
                           "search for it with /api/v1/entities?q=…", "unknown-entity")
    labels, aliases, types, wikidata = [], [], [], None
    values: list[models.Value] = []
    notes: list[str] = []
    for p, o, _ in stated:
        if p in {ns.RDFS + "label", ns.SKOS + "prefLabel"} and isinstance(o, Literal):
            name = models.Label(value=str(o), lang=o.language)
            if name not in labels:
                labels.append(name)
        elif p == ns.SKOS + "altLabel" and isinstance(o, Literal):
            aliases.append(models.Label(value=str(o), lang=o.language))
        elif p == ns.RDF_TYPE:
            types.append(str(o))
        elif p == ns.SKOS + "exactMatch" and str(o).startswith(ns.WIKIDATA):
            wikidata = str(o)
        elif p in _NOTES and isinstance(o, Literal):
            notes.append(str(o))
        elif p not in _NAMES and isinstance(o, Literal):
            values.append(models.Value(predicate=p, relation=local_name(p), value=str(o),
                                       datatype=str(o.datatype) if o.datatype else None,
                                       inferred=inferred_literal(g, iri, p, str(o))))
    node = g.nodes[iri] if iri in g else {}
    label = str(node.get("label") or (labels[0].value if labels else local_name(iri)))
    held_iris, targeted_iris = stances_by_entity(service).get(iri, ([], []))
    dates = event_dates(service)
    neighbours = {u for u, _, _ in _edges(g, iri, "in")} | {v for v, _, _ in _edges(g, iri, "out")}
    event_iris = ([iri] if iri in dates else []) + [e for e in sorted(neighbours) if e in dates and e in g and e != iri]
    known = service.memo("agreement-set", lambda: set(agreement_iris(service)))
    agreement_list = [a for a in sorted(neighbours | {iri}) if a in known and a in g]
    n = DETAIL_LIMIT
    outgoing = relations(g, iri, "out", limit=n)
    incoming = relations(g, iri, "in", limit=n)
    totals = {"outgoing": len(_edges(g, iri, "out")), "incoming": len(_edges(g, iri, "in")),
              "stances_held": len(held_iris),
              "stances_targeted": len(targeted_iris), "events": len(event_iris), "agreements": len(agreement_list)}
    return models.EntityDetail(
        iri=iri, label=label, labels=labels, aliases=aliases, types=sorted(set(types)), wikidata=wikidata,
        values=sorted(values, key=lambda v: (v.relation, v.value)), notes=notes,
        page=page_of(iri), view=view_of(iri), outgoing=outgoing, incoming=incoming,
        stances_held=[stance(g, s) for s in held_iris[:n]], stances_targeted=[stance(g, s) for s in targeted_iris[:n]],
        events=[event(g, e, dates) for e in event_iris[:n]], agreements=[agreement(g, a) for a in agreement_list[:n]],
        totals=totals,
        evidence=evidence(node.get("evidence", [])))


# -- the lists and indexes REST pages through, computed once per store state --------------

def stances(service: Service) -> list[models.Stance]:
    return service.memo("stances", lambda: all_stances(graph(service)))


def timeline_index(service: Service) -> timeline.TimelineIndex:
    """Every event as the timeline nests and filters it (:mod:`graph.read.timeline`), once per store state."""
    return service.memo("timeline-index", lambda: timeline.build_index(graph(service), event_dates(service)))


def stance_matrix_index(service: Service) -> stance_matrix.StanceIndex:
    """Every stance by holder and target (:mod:`graph.read.stance_matrix`), once per store state."""
    return service.memo("stance-matrix-index", lambda: stance_matrix.build_index(graph(service)))


def events(service: Service) -> list[models.Event]:
    return service.memo("events", lambda: all_events(service, graph(service)))


def agreements(service: Service) -> list[models.Agreement]:
    return service.memo("agreements", lambda: all_agreements(service, graph(service)))


def assessment_list(service: Service) -> list[models.Assessment]:
    return service.memo("assessments", lambda: assessments(service, graph(service)))


def entities(service: Service) -> list[models.EntitySummary]:
    return service.memo("entities", lambda: entity_index(service, graph(service)))


def stances_by_entity(service: Service) -> dict[str, tuple[list[str], list[str]]]:
    """For each entity, the stances it holds and those that target it (stance IRIs, sorted)."""
    def compute() -> dict[str, tuple[list[str], list[str]]]:
        g = graph(service)
        out: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for node, data in g.nodes(data=True):
            if data.get("group") != "stance":
                continue
            for _, other, key in g.out_edges(node, keys=True):
                if key == ns.SRKG + "holder":
                    out[other][0].append(node)
                elif key == ns.SRKG + "target":
                    out[other][1].append(node)
        return {k: (sorted(set(h)), sorted(set(t))) for k, (h, t) in out.items()}
    return service.memo("stances-by-entity", compute)


def assertions_by_source(service: Service) -> dict[str, list[models.Assertion]]:
    """For each source, every node with evidence from it, in the order of the text."""
    def compute() -> dict[str, list[models.Assertion]]:
        g = graph(service)
        grouped: dict[str, dict[str, list[ProjectedEvidence]]] = defaultdict(lambda: defaultdict(list))
        for node, data in g.nodes(data=True):
            for e in data.get("evidence", []):
                grouped[e.source][node].append(e)
        out = {}
        for source, nodes in grouped.items():
            items = [models.Assertion(node=ref(g, node), evidence=evidence(evs)) for node, evs in nodes.items()]
            out[source] = sorted(items, key=lambda a: (a.evidence[0].start, a.node.iri))
        return out
    return service.memo("assertions-by-source", compute)


def stance_index(service: Service, field: str) -> dict[str, list[int]]:
    """Positions in :func:`stances` by the holder, a target or a theme (``field``), under each of its keys:
    IRI, id (the IRI's last segment) and label, case-folded, as the ``/api/v1/stances`` filters match them."""
    def compute() -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(stances(service)):
            value = getattr(s, field)
            refs = [value] if isinstance(value, models.EntityRef) else (value or [])
            keys = {k.casefold() for r in refs for k in (r.iri, r.iri.rsplit("/", 1)[-1], r.label)}
            for k in keys:
                out[k].append(i)
        return dict(out)
    return service.memo("stance-index-" + field, compute)


def entity_search_keys(service: Service) -> list[tuple[models.EntitySummary, str]]:
    """Each item of :func:`entities` with its label and aliases case-folded in one string, to search in
    (kept together, so a write between two requests can never pair an entity with another's key)."""
    return service.memo("entity-search", lambda: [
        (e, "\n".join([e.label.casefold(), *(a.casefold() for a in e.aliases)])) for e in entities(service)])


def find_entities(service: Service, q: str | None = None, type: str | None = None) -> list[models.EntitySummary]:
    """The entities of :func:`entities` whose label or an alias contains ``q`` and whose group or one of whose
    classes (local name) is ``type``, both case-insensitive, in that order: what ``/api/v1/entities`` and the
    ``/entities`` page list (the cached list itself when nothing filters it: do not change it)."""
    items = entities(service)
    if q:
        needle = q.casefold()
        items = [e for e, key in entity_search_keys(service) if needle in key]
    if type:
        t = type.casefold()
        items = [e for e in items if e.group.casefold() == t or t in (x.casefold() for x in e.types)]
    return items


def entity_kinds(service: Service) -> tuple[dict[str, int], dict[str, int]]:
    """How many entities each group and each class (local name) has, for the ``type`` filter of the lists."""
    def compute() -> tuple[dict[str, int], dict[str, int]]:
        groups: dict[str, int] = defaultdict(int)
        types: dict[str, int] = defaultdict(int)
        for e in entities(service):
            groups[e.group] += 1
            for t in e.types:
                types[t] += 1
        return dict(sorted(groups.items())), dict(sorted(types.items(), key=lambda kv: kv[0].casefold()))
    return service.memo("entity-kinds", compute)


def source_rows(service: Service) -> list[dict]:
    """Every source's row of ``build/sources``, once per store state."""
    return service.memo("source-rows", lambda: [
        dict(r) for r in service.analytics.select(service.query_text("build/sources"))])


def source_by_slug(service: Service) -> dict[str, dict]:
    """Every source's row by its slug, once per store state."""
    return service.memo("source-rows-by-slug", lambda: {local_name(str(r["source"])): r for r in source_rows(service)})


def source_annotations(service: Service, slug: str) -> reader_core.SourceAnnotations:
    """The annotated text of source ``slug`` (:func:`graph.read.annotations.annotate`), from a cache of the last 64
    asked for in this store state. Raises :class:`graph.read.annotations.UnknownSource` for an unknown slug and
    :class:`graph.read.annotations.SourceTextMissing` when its text is not in the data folder."""
    cached = service.memo("source-annotations", lambda: functools.lru_cache(maxsize=64)(
        lambda s: _source_annotations(service, s)))
    return cached(slug)


def _source_annotations(service: Service, slug: str) -> reader_core.SourceAnnotations:
    row = source_by_slug(service).get(slug)
    if row is None:
        raise reader_core.UnknownSource(slug)
    return reader_core.annotate(service.store, service.settings.data_dir, reader_core.SourceRecord.from_row(row))


def source_text(service: Service, row: dict) -> str:
    """The text of a source (a row of ``build/sources``), read from the data folder ("" if it is not there)."""
    try:
        return text_path(service.settings.data_dir, str(row["graph"]), str(row["textFile"])).read_text("utf-8")
    except OSError:
        return ""
