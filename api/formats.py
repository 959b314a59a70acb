"""Content negotiation (``Accept`` with q-values and wildcards) and result serialisation.

SELECT and ASK results go out as SPARQL JSON, XML, CSV or TSV; graphs
(CONSTRUCT, DESCRIBE, entity descriptions, the service description) as
Turtle, N-Triples, JSON-LD or RDF/XML. Serialisation uses rdflib's writers,
from the engine-neutral results of :class:`graph.store.Store`.
"""

from __future__ import annotations

import io

import rdflib
from rdflib.query import Result
from rdflib.term import Node

from graph import namespaces as ns
from graph.store import SelectResult, Triple

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
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


def _graph(triples: list[Triple]) -> rdflib.Graph:
    g = rdflib.Graph()
    for prefix, iri in {**ns.PREFIXES, **EXTRA_PREFIXES}.items():
        g.bind(prefix, iri, override=True, replace=True)
    for t in triples:
        g.add(t)
    return g


def serialize_graph(triples: list[Triple], media_type: str) -> bytes:
    out = _graph(triples).serialize(format=GRAPH_TYPES[media_type], encoding="utf-8")
    return out if isinstance(out, bytes) else out.encode()


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    return term.n3().replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_select(result: SelectResult | bool, media_type: str) -> bytes:
    fmt = RESULT_TYPES[media_type]
    if fmt == "tsv":
        if isinstance(result, bool):
            return ("?_askResult\n" + ("true" if result else "false") + "\n").encode()
        lines = ["\t".join("?" + v for v in result.variables)]
        lines += ["\t".join(_tsv_term(row.get(v)) for v in result.variables) for row in result.rows]
        return ("\n".join(lines) + "\n").encode()
    if isinstance(result, bool):
        r = Result("ASK")
        r.askAnswer = result
    else:
        r = Result("SELECT")
        r.vars = [rdflib.Variable(v) for v in result.variables]
        r.bindings = [{rdflib.Variable(k): v for k, v in row.items() if v is not None} for row in result.rows]
    if fmt == "csv" and isinstance(result, bool):
        return ("_askResult\r\n" + ("true" if result else "false") + "\r\n").encode()
    buf = io.BytesIO()
    r.serialize(buf, format=fmt, encoding="utf-8")
    return buf.getvalue()
