"""What a SPARQL request may do before it reaches the store: the service's network guard.

The store's engine would send ``SERVICE`` requests and could be asked to
``LOAD`` a document from the web, and an unknown ``FROM`` graph could be
fetched by other engines. The service refuses all three before a query runs:

- a lexical scan (:mod:`graph.sparql_lexer`: comments, strings and IRIs
  skipped, ``\\u`` escapes decoded as SPARQL allows) finds the keywords
  ``SERVICE`` and ``LOAD``;
- the IRIs of ``FROM``/``FROM NAMED`` clauses, ``USING``, ``WITH`` and the
  protocol's ``default-graph-uri``/``named-graph-uri`` must name graphs the
  store holds.

It also tells a query from an update, so the query endpoint can refuse updates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from graph import namespaces as ns
from graph.sparql_lexer import (
    IRI,
    OTHER,
    PNAME,
    PROLOGUE_WORDS,
    STRING,
    VAR,
    WORD,
    decode_escapes,
    has_escapes,
    tokens,
)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


class Refused(Exception):
    """The request asks for something the service never does (network access, an unknown graph)."""


@dataclass
class Scan:
    """What a lexical scan of a SPARQL request found."""

    words: list[str]
    graph_iris: list[str]  # IRIs after FROM, FROM NAMED, USING, USING NAMED, WITH
    form: str | None  # SELECT, CONSTRUCT, ASK, DESCRIBE, or None
    from_default: list[str] = field(default_factory=list)  # FROM <g> of a query
    from_named: list[str] = field(default_factory=list)  # FROM NAMED <g> of a query

    @property
    def is_update(self) -> bool:
        first = next((w for w in self.words if w not in PROLOGUE_WORDS), None)
        return first in _UPDATE_WORDS


def _scan_one(text: str) -> Scan:
    prefixes = dict(ns.PREFIXES)
    words: list[str] = []
    graph_iris: list[str] = []
    from_default: list[str] = []
    from_named: list[str] = []
    form = None
    clause = ""
    found = [(t.kind, t.text) for t in tokens(text)]
    pending_graph = False
    for i, (kind, value) in enumerate(found):
        if kind == WORD:
            upper = value.upper()
            words.append(upper)
            if form is None and upper not in PROLOGUE_WORDS:
                form = upper if upper in _QUERY_WORDS else ""
            if upper in {"FROM", "USING", "WITH"}:
                pending_graph, clause = True, upper
            elif upper == "NAMED" and pending_graph:
                clause += " NAMED"
            else:
                pending_graph = False
            if upper == "PREFIX" and i + 2 < len(found) and found[i + 2][0] == IRI:
                prefixes[found[i + 1][1].rstrip(":")] = found[i + 2][1][1:-1]
            continue
        if kind == PNAME and value.upper() in {"SERVICE:", "LOAD:"}:
            words.append(value[:-1].upper())
        if pending_graph:
            iri = None
            if kind == IRI:
                iri = value[1:-1]
            elif kind == PNAME:
                prefix, _, local = value.partition(":")
                iri = prefixes.get(prefix, "urn:unknown-prefix:") + local
            if iri is not None:
                graph_iris.append(iri)
                if clause == "FROM":
                    from_default.append(iri)
                elif clause == "FROM NAMED":
                    from_named.append(iri)
            pending_graph = False
    return Scan(words, graph_iris, form or None, from_default, from_named)


@functools.lru_cache(maxsize=1024)  # clients repeat their queries; a scan's result is never modified
def scan(text: str) -> Scan:
    """Scan the request as written and with escapes decoded; merge what either finds."""
    raw = _scan_one(text)
    decoded = _scan_one(decode_escapes(text)) if has_escapes(text) else raw
    return Scan(raw.words + decoded.words, raw.graph_iris + decoded.graph_iris, raw.form or decoded.form,
                raw.from_default, raw.from_named)


def check(text: str, known_graphs: set[str], *, update: bool) -> Scan:
    """Raise :class:`Refused` if the request could reach the network or names an unknown graph."""
    found = scan(text)
    if "SERVICE" in found.words:
        raise Refused("SERVICE is disabled: this endpoint never queries other endpoints; "
                      "run federated queries from your own client")
    if "LOAD" in found.words:
        raise Refused("LOAD is disabled: this endpoint never fetches documents; "
                      "send the data with the Graph Store Protocol (PUT or POST /rdf-graphs/service)")
    check_graphs(found.graph_iris, known_graphs, allow_new=update)
    return found


def check_graphs(iris: list[str], known_graphs: set[str], *, allow_new: bool = False) -> None:
    """Every IRI names a graph of the store (or, for writes, a graph under srkg's namespace)."""
    for iri in iris:
        if iri in known_graphs:
            continue
        if allow_new and iri.startswith(ns.GRAPH):
            continue
        raise Refused(f"unknown graph <{iri}>: this endpoint only queries its own graphs "
                      f"(see the service description at /sparql for the list)")


_LOOKUP_WORDS = {"BASE", "PREFIX", "SELECT", "DISTINCT", "REDUCED", "ASK", "WHERE", "ORDER", "BY", "ASC", "DESC",
                 "LIMIT", "OFFSET", "A"}
_TERM_KINDS = {IRI, PNAME, VAR, STRING}


@functools.lru_cache(maxsize=1024)
def is_lookup(text: str) -> bool:
    """Whether the query is one triple pattern anchored on a constant subject or object.

    Such a query reads one node's statements, so its cost is bounded by that node's degree and the row
    cap: it may run in the service's own process. Everything else (joins, paths, filters, sub-queries,
    aggregates, datasets) runs in a killable query worker. The test is lexical and errs towards "no".
    """
    found = [(t.kind, t.text) for t in tokens(text)]
    if has_escapes(text) or not found:
        return False
    opened = [i for i, (kind, value) in enumerate(found) if value == "{"]
    closed = [i for i, (kind, value) in enumerate(found) if value == "}"]
    if len(opened) != 1 or len(closed) != 1 or closed[0] < opened[0]:
        return False
    head, body, tail = found[:opened[0]], found[opened[0] + 1:closed[0]], found[closed[0] + 1:]
    outside = head + tail
    words = {value.upper() for kind, value in outside if kind == WORD}
    if not words <= _LOOKUP_WORDS:
        return False
    for kind, value in outside:
        if kind == OTHER and not (value == "*" or value.isdigit()
                                    or (value in "()" and words & {"ASC", "DESC"})):
            return False
    if not any(kind == WORD and value.upper() in {"SELECT", "ASK"} for kind, value in head):
        return False
    if body and body[-1] == (OTHER, "."):
        body = body[:-1]
    if len(body) != 3:
        return False
    (sk, sv), (pk, pv), (ok, ov) = body
    if pk not in {IRI, PNAME, VAR} and not (pk == WORD and pv == "a"):
        return False
    if sk not in _TERM_KINDS - {STRING} or ok not in _TERM_KINDS:
        return False
    return sk in {IRI, PNAME} or ok in {IRI, PNAME, STRING}

