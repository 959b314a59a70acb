"""Where this service shows a resource: the page of an IRI, the network view of an entity, a passage in the
source reader, and the IRI of an ``/id/…`` path."""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox

from graph import namespaces as ns

from .problems import ProblemError


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


def reader_of(source: str, start: int, end: int) -> str | None:
    """Where the source reader shows characters ``[start, end)`` of ``source`` (a source document IRI):
    ``/sources/{slug}#at-{start}-{end}``, the agreed anchor form; None for another IRI."""
    if not source.startswith(ns.SOURCE_ID_PREFIX):
        return None
    return f"/sources/{quote(source[len(ns.SOURCE_ID_PREFIX):], safe='')}#at-{start}-{end}"


def view_of(iri: str) -> str:
    return "/view/entity/" + iri[len(ns.ID):] if iri.startswith(ns.ID) else ""


#: what an IRI's path may not hold (RFC 3987): spaces and controls (C0 and C1), the delimiters SPARQL's IRIREF
#: excludes, surrogates, private use and non-characters
_NOT_IN_IRI = re.compile('[\x00-\x20<>"{}|^`\\\\\x7f-\x9f\ud800-\uf8ff\ufdd0-\ufdef\ufff0-\uffff\U000f0000-\U0010ffff]')


def iri_of(path: str) -> str:
    """The entity IRI for ``/id/{path}``; 404 if no IRI can be written that way (by the rules above, and by
    the engine's own IRI parser: a lone ``%`` or a second ``#`` passes the first but not the second)."""
    iri = ns.ID + path
    if not path or _NOT_IN_IRI.search(path) or any(ord(c) & 0xFFFE == 0xFFFE for c in path) or not is_iri(iri):
        raise ProblemError(404, "Unknown entity", f"{path!r} cannot be part of an entity IRI; "
                           "search for the entity with /api/v1/entities?q=…", "unknown-entity")
    return iri


def is_iri(iri: str) -> bool:
    """Whether ``iri`` is an absolute IRI, by the engine's own parser."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True
