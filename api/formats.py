"""Content negotiation (``Accept`` with q-values and wildcards) and result serialisation.

SELECT and ASK results go out as SPARQL JSON, XML, CSV or TSV; graphs
(CONSTRUCT, DESCRIBE, entity descriptions, the service description) as
Turtle, N-Triples, JSON-LD or RDF/XML, written by pyoxigraph
(:mod:`graph.store.results`); the descriptions' JSON-LD is compacted with srkg's prefixes by rdflib,
so that it reads as JSON.
"""

from __future__ import annotations

import rdflib

from graph import namespaces as ns
from graph.store import QueryResult, Triple, results

RESULT_TYPES = results.RESULT_FORMATS  # media type -> SPARQL results format
GRAPH_TYPES = results.GRAPH_FORMATS  # media type -> RDF syntax
HTML = "text/html"
EXTRA_PREFIXES = {"sd": "http://www.w3.org/ns/sparql-service-description#", "void": "http://rdfs.org/ns/void#"}


class NotAcceptable(Exception):
    """No representation the client accepts."""

    def __init__(self, offered: list[str]):
        self.offered = offered
        super().__init__("none of the media types in Accept can be produced; this resource is available as "
                         + ", ".join(offered))


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``(media range, q, specificity)`` for every entry of an Accept header."""
    if not header:
        return [("*/*", 1.0, 0)]
    out = []
    for part in header.split(","):
        bits = [b.strip() for b in part.split(";")]
        mtype = bits[0].lower()
        if not mtype or "/" not in mtype:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        spec = 0 if mtype == "*/*" else 1 if mtype.endswith("/*") else 2
        out.append((mtype, q, spec))
    return out or [("*/*", 1.0, 0)]


def negotiate(header: str | None, offered: list[str]) -> str:
    """The offered type the client prefers most (ties go to the order of ``offered``); NotAcceptable if none."""
    ranges = parse_accept(header)
    best: tuple[float, int, str] | None = None
    for index, media in enumerate(offered):
        main = media.split("/")[0]
        matches = [(spec, q) for r, q, spec in ranges
                   if r == media or r == "*/*" or (r.endswith("/*") and r[:-2] == main)]
        if not matches:
            continue
        q = max(matches)[1]  # the most specific matching range decides
        if q <= 0:
            continue
        key = (q, -index, media)
        if best is None or key > best:
            best = key
    if best is None:
        raise NotAcceptable(offered)
    return best[2]


JSON_LD = "application/ld+json"


def jsonld_context() -> dict[str, str]:
    """The JSON-LD context of the service's descriptions: srkg's prefixes, so that every IRI reads as a
    compact name (``srkg:holder``, ``id:russia``) and the document as plain JSON."""
    return {**ns.PREFIXES, **EXTRA_PREFIXES}


def serialize_graph(triples: list[Triple], media_type: str) -> bytes:
    """rdflib triples in the RDF syntax of ``media_type``, with srkg's prefixes (JSON-LD compacted with
    :func:`jsonld_context`)."""
    if media_type == JSON_LD:
        g = rdflib.Graph()
        for t in triples:
            g.add(t)
        return g.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, indent=2).encode("utf-8")
    return results.triples_bytes(triples, media_type, prefixes=jsonld_context())


def triples_of(result: QueryResult) -> list[Triple]:
    """The triples of a CONSTRUCT or DESCRIBE query's result (which is always a list of triples)."""
    if not isinstance(result, list):
        raise TypeError(f"a CONSTRUCT or DESCRIBE query gave a {type(result).__name__}, not triples")
    return result
