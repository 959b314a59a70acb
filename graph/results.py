"""SPARQL results as bytes: the W3C result formats for SELECT and ASK, RDF syntaxes for graphs.

One serialiser serves both kinds of term the project holds: pyoxigraph's
(in the query workers, which answer ``/sparql`` without converting every
term to rdflib first) and rdflib's (everywhere else). A term is described as
``(kind, value, datatype, language)`` by :func:`ox_parts` or
:func:`rdflib_parts`, and the writers below only see those tuples:

- SPARQL 1.1 Query Results JSON, XML, CSV and TSV for SELECT and ASK;
- Turtle, N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE, written by
  pyoxigraph's serialisers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from . import namespaces as ns
from .store import to_oxigraph

#: result media type -> format name
RESULT_FORMATS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: graph media type -> pyoxigraph format
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
XSD_STRING = ns.XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Parts = tuple[str, str, str | None, str | None]  # kind ("uri", "bnode", "literal"), value, datatype, language
Describe = Callable[[Any], Parts]


def ox_parts(term: Any) -> Parts:
    """A pyoxigraph term as ``(kind, value, datatype, language)``."""
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, None, term.language)
        dt = term.datatype.value
        return ("literal", term.value, None if dt == XSD_STRING else dt, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    raise TypeError(f"unsupported term {term!r}")


def rdflib_parts(term: Any) -> Parts:
    """An rdflib term as ``(kind, value, datatype, language)``."""
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), None, term.language)
        dt = str(term.datatype) if term.datatype is not None else None
        return ("literal", str(term), None if dt == XSD_STRING else dt, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    raise TypeError(f"unsupported term {term!r}")


def select_bytes(variables: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, describe: Describe) -> bytes:
    """SELECT results (rows of terms or None, in the order of ``variables``) in ``fmt``: json, xml, csv or tsv."""
    parts = [[None if t is None else describe(t) for t in row] for row in rows]
    return _WRITERS[fmt](list(variables), parts)


def ask_bytes(answer: bool, fmt: str) -> bytes:
    """An ASK answer in ``fmt``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if answer else 'false'}</boolean></sparql>\n").encode()
    if fmt == "csv":
        return ("_askResult\r\n" + ("true" if answer else "false") + "\r\n").encode()
    return ("?_askResult\n" + ("true" if answer else "false") + "\n").encode()


def graph_bytes(triples: Iterable[Any], media_type: str, *, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (pyoxigraph's, or rdflib's: they are converted) in the RDF syntax of ``media_type``."""
    triples = [t if isinstance(t, ox.Triple) else ox.Triple(*(to_oxigraph(x) for x in t)) for t in triples]
    fmt = GRAPH_FORMATS[media_type]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
        return ox.serialize(triples, format=fmt, prefixes=prefixes if prefixes is not None else ns.PREFIXES)
    return ox.serialize(triples, format=fmt)


# -- the four result formats ----------------------------------------------------------

def _json_term(p: Parts) -> dict[str, str]:
    kind, value, dt, lang = p
    if kind != "literal":
        return {"type": kind, "value": value}
    if lang:
        return {"type": "literal", "value": value, "xml:lang": lang}
    if dt:
        return {"type": "literal", "value": value, "datatype": dt}
    return {"type": "literal", "value": value}


def _json(variables: list[str], rows: list[list[Parts | None]]) -> bytes:
    bindings = [{v: _json_term(p) for v, p in zip(variables, row) if p is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode()


def _xml_term(p: Parts) -> str:
    kind, value, dt, lang = p
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    if lang:
        return f"<literal xml:lang={quoteattr(lang)}>{escape(value)}</literal>"
    if dt:
        return f"<literal datatype={quoteattr(dt)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


def _xml(variables: list[str], rows: list[list[Parts | None]]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(p)}</binding>"
                for v, p in zip(variables, row) if p is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv(variables: list[str], rows: list[list[Parts | None]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    for row in rows:
        w.writerow(["" if p is None else ("_:" + p[1] if p[0] == "bnode" else p[1]) for p in row])
    return buf.getvalue().encode()


def _tsv_term(p: Parts | None) -> str:
    if p is None:
        return ""
    kind, value, dt, lang = p
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:" + value
    text = '"' + (value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
                  .replace("\n", "\\n").replace("\r", "\\r")) + '"'
    if lang:
        return f"{text}@{lang}"
    return f"{text}^^<{dt}>" if dt else text


def _tsv(variables: list[str], rows: list[list[Parts | None]]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_term(p) for p in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


_WRITERS: dict[str, Callable[[list[str], list[list[Parts | None]]], bytes]] = {
    "json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
