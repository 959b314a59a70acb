"""Linked data: entity IRIs (``/id/…``) and the ontology (``/ontology``) resolve through the service.

``text/html`` gets a page: for an entity its labels, relations (linked),
and each piece of evidence shown inside its sentence with the quote
highlighted, with a link to its network view; for the ontology its
documentation. RDF types (Turtle, N-Triples, JSON-LD, RDF/XML) get the
description. (The home page ``/`` is :mod:`api.routers.summary`'s.)
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from rdflib import RDFS, URIRef

from graph import catalogue
from graph import namespaces as ns
from graph.coverage import Sentence, sentences
from graph.language import language_links
from graph.read.projection import local_name
from graph.store import Triple

from .. import models, pages, read_model
from ..deps import ServiceDep
from ..formats import HTML, negotiate, serialize_graph, triples_of
from ..language import LanguageDep, localise, request_language
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


#: the most statements pointing at an entity that one RDF description holds (a hub's are paged)
INCOMING_PAGE = 500
IncomingOffset = Annotated[int, Query(ge=0, le=10_000_000, description="RDF only: the statements pointing at the "
                                      "entity to skip; the next page, if any, is linked by rdfs:seeAlso and by a "
                                      "Link header rel=\"next\"")]
IncomingLimit = Annotated[int, Query(ge=1, le=INCOMING_PAGE, description="RDF only: the most statements pointing "
                                     "at the entity that the description holds")]


@router.get("/id/{path:path}", responses=_PAGE, summary="Resolve an entity IRI https://w3id.org/srkg/id/…")
def resolve(path: str, request: Request, service: ServiceDep, language: LanguageDep,
            offset: IncomingOffset = 0, limit: IncomingLimit = INCOMING_PAGE) -> Response:
    """HTML gets the entity's page; RDF gets its symmetric description: what it states (with its evidence and
    their selectors) and the statements that point at it, at most ``limit`` of those from ``offset``."""
    media = negotiate(request.headers.get("accept"), OFFER)
    iri = iri_of(path)
    read_model.entity_detail(service, path)  # 404 for an unknown entity, whatever the type (the page reuses it)
    if media != HTML:
        triples, following = describe(service, iri, offset, limit)
        headers = {"Vary": "Accept"}
        if following is not None:
            url = str(request.url.include_query_params(offset=following))
            triples.append((URIRef(iri), RDFS.seeAlso, URIRef(url)))
            headers["Link"] = f'<{url}>; rel="next"'
        return Response(serialize_graph(triples, media), media_type=media, headers=headers)
    entity_pages = service.memo("entity-pages", lambda: functools.lru_cache(maxsize=256)(
        lambda address, path, views, lang: _entity_page(
            service, localise(read_model.entity_detail(service, path), service, lang), views,
            lang, language_links(address, [], lang))))
    html = entity_pages(pages.request_path(request), path, pages.has_views(request), language.language)
    return pages.page(html, headers={"Vary": "Accept"})


def describe(service: Service, iri: str, offset: int = 0, limit: int = INCOMING_PAGE
             ) -> tuple[list[Triple], int | None]:
    """The description of ``iri``: what it states (on the first page only) and ``limit`` statements pointing
    at it from ``offset``; with the offset of the page after, if there is one."""
    entity = URIRef(iri)
    own = triples_of(service.store.query(service.query_text("api/describe", entity=entity))) if offset == 0 else []
    query = f"{service.query_text('api/describe-incoming').rstrip()}\nLIMIT {limit + 1} OFFSET {offset}"
    rows = service.store.select(catalogue.bind(query, entity=entity))
    incoming: list[Triple] = [(r["s"], r["p"], entity) for r in rows.rows[:limit]
                              if r["s"] is not None and r["p"] is not None]
    return own + incoming, offset + limit if len(rows) > limit else None


def _entity_page(service: Service, detail: models.EntityDetail, views: bool, lang: str,
                 lang_links: list[dict[str, object]]) -> str:
    """The HTML page of one entity, each quote shown in its sentence."""
    in_context = Contexts(service)
    relation_evidence = {id(r): in_context(r.evidence) for r in detail.outgoing + detail.incoming}
    stance_evidence = {s.iri: in_context(s.evidence) for s in detail.stances_held + detail.stances_targeted}
    return pages.render("entity.html", e=detail, own=in_context(detail.evidence), rel_ev=relation_evidence,
                          stance_ev=stance_evidence, id=id, views=views, lang=lang, lang_links=lang_links)


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
    lang = request_language(request).language
    return pages.page(pages.render("ontology.html", kinds=kinds, lang=lang, lang_links=pages.lang_links(request, lang)),
                      headers={"Vary": "Accept"})


def _link(iri: str) -> dict[str, str]:
    return {"text": ns.curie(iri), "href": page_of(iri)}
