"""Linked data: entity IRIs (``/id/…``) and the ontology (``/ontology``) resolve through the service.

``text/html`` gets a page: for an entity its labels, relations (linked),
and each piece of evidence shown inside its sentence with the quote
highlighted, with a link to its network view; for the ontology its
documentation. RDF types (Turtle, N-Triples, JSON-LD, RDF/XML) get the
description. Also serves the home page ``/``.
"""

from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import URIRef

from graph import namespaces as ns
from graph.coverage import Sentence, sentences
from graph.projection import local_name

from .. import models, pages, read_model
from ..deps import ServiceDep
from ..formats import HTML, negotiate, serialize_graph, triples_of
from ..links import iri_of, page_of
from ..problems import PROBLEM_RESPONSES
from ..service import Service

router = APIRouter(tags=["Linked data"], responses=PROBLEM_RESPONSES)
OFFER = [HTML, "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
_PAGE: dict[int | str, dict[str, Any]] = {**PROBLEM_RESPONSES, 200: {
    "description": "HTML page or RDF description, negotiated", "content": {t: {} for t in OFFER}}}


class Contexts:
    """Shows evidence inside its sentence; reads each source's text and sentences once per page."""

    def __init__(self, service: Service):
        self.service = service
        self.rows = service.memo("source-rows-by-iri",
                                 lambda: {str(r["source"]): r for r in read_model.source_rows(service)})
        self.texts: dict[str, str] = {}
        self.cuts: dict[str, list[Sentence]] = {}

    def text(self, source: str) -> str:
        """The text of ``source``, read when a quote of this page first needs it."""
        if source not in self.texts:
            row = self.rows.get(source)
            self.texts[source] = read_model.source_text(self.service, row) if row is not None else ""
        return self.texts[source]

    def __call__(self, items: list[models.Evidence]) -> list[dict[str, object]]:
        """Each evidence with the sentence(s) around it, split so the quote can be highlighted."""
        out = []
        for e in items:
            text = self.text(e.source)
            if e.source not in self.cuts:
                self.cuts[e.source] = sentences(text) if text else []
            around = [s for s in self.cuts[e.source] if s.start < e.end and e.start < s.end]
            start = min([e.start] + [s.start for s in around])
            end = max([e.end] + [s.end for s in around])
            title = str(self.rows[e.source]["title"]) if e.source in self.rows else e.source
            out.append({"evidence": e, "before": text[start:e.start], "quote": text[e.start:e.end] or e.quote,
                        "after": text[e.end:end], "source_title": title, "source_page": page_of(e.source)})
        return out


@router.get("/id/{path:path}", responses=_PAGE, summary="Resolve an entity IRI https://w3id.org/srkg/id/…")
def resolve(path: str, request: Request, service: ServiceDep) -> Response:
    media = negotiate(request.headers.get("accept"), OFFER)
    iri = iri_of(path)
    read_model.entity_detail(service, path)  # 404 for an unknown entity, whatever the type (the page reuses it)
    if media != HTML:
        triples = triples_of(service.store.query(service.query_text("api/describe", entity=URIRef(iri))))
        return Response(serialize_graph(triples, media), media_type=media, headers={"Vary": "Accept"})
    pages = service.memo("entity-pages", lambda: functools.lru_cache(maxsize=256)(
        lambda path, views: _entity_page(service, read_model.entity_detail(service, path), views)))
    return HTMLResponse(pages(path, _has_views(request)), headers={"Vary": "Accept"})


def _entity_page(service: Service, detail: models.EntityDetail, views: bool) -> str:
    """The HTML page of one entity, each quote shown in its sentence."""
    in_context = Contexts(service)
    relation_evidence = {id(r): in_context(r.evidence) for r in detail.outgoing + detail.incoming}
    stance_evidence = {s.iri: in_context(s.evidence) for s in detail.stances_held + detail.stances_targeted}
    return pages.render("entity.html", e=detail, own=in_context(detail.evidence), rel_ev=relation_evidence,
                          stance_ev=stance_evidence, id=id, views=views)


def _has_views(request: Request) -> bool:
    return any(getattr(r, "path", "").startswith("/view/") for r in request.app.routes)


@router.get("/ontology", responses=_PAGE, summary="The ontology: documentation page or Turtle")
def ontology(request: Request, service: ServiceDep) -> Response:
    media = negotiate(request.headers.get("accept"), OFFER)
    if media != HTML:
        triples = triples_of(service.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                                 default_graphs=[ns.ONTOLOGY_GRAPH]))
        return Response(serialize_graph(triples, media), media_type=media, headers={"Vary": "Accept"})
    kinds: dict[str, list[dict[str, object]]] = {}
    for row in service.store.select(service.query_text("api/ontology-terms")):
        term = str(row["term"])
        kinds.setdefault(local_name(str(row["kind"])), []).append({
            "iri": term, "anchor": term[len(ns.SRKG):] if term.startswith(ns.SRKG) else "",
            "curie": ns.curie(term), "label": str(row.get("label") or ""),
            "definition": str(row.get("definition") or ""),
            "supers": [_link(s) for s in str(row.get("supers") or "").split()],
            "domain": _link(str(row["domain"])) if row.get("domain") is not None else None,
            "range": _link(str(row["range"])) if row.get("range") is not None else None})
    return HTMLResponse(pages.render("ontology.html", kinds=kinds), headers={"Vary": "Accept"})


def _link(iri: str) -> dict[str, str]:
    return {"text": ns.curie(iri), "href": page_of(iri)}


@router.get("/", response_class=HTMLResponse, summary="Home page")
def home(request: Request, service: ServiceDep) -> HTMLResponse:
    views = _has_views(request)
    return HTMLResponse(service.memo("home-page", lambda: _home_page(service, views)))


#: the most entities of one group the home page lists (search finds the others)
HOME_LIMIT = 300


def _home_page(service: Service, views: bool) -> str:
    """The home page: the best-connected entities of each group, and the named graphs with their sizes."""
    g = read_model.graph(service)
    groups: dict[str, list[tuple[int, str]]] = {}
    for n, d in g.nodes(data=True):
        if d.get("group") in {"actor", "place", "event", "document", "theme"} and n.startswith(ns.ID):
            groups.setdefault(d["group"], []).append((g.degree(n), n))
    shown: dict[str, list[models.EntityRef]] = {}
    totals: dict[str, int] = {}
    for group, nodes in groups.items():
        nodes.sort(key=lambda t: (-t[0], t[1]))
        shown[group] = sorted((read_model.ref(g, n) for _, n in nodes[:HOME_LIMIT]), key=lambda r: r.label.casefold())
        totals[group] = len(nodes)
    return pages.render("home.html", groups=shown, totals=totals, graphs=service.graphs(), views=views)
