"""Grounding: every assertion points at a verbatim quote of its source, with offsets.

Authors write ``srkg:quote "…"`` on any node of a source's folder, or a full
``srkg:Evidence`` node with a ``oa:TextQuoteSelector``. This module checks
that each quote occurs verbatim, once, in the source text and crosses no page
artefact (a blank line, a markup tag), then writes the evidence in its stored
form: an ``srkg:Evidence`` node with a text quote selector (exact, prefix,
suffix) and a text position selector (start, end in code points, end
exclusive). The same locating code serves the build, the coverage report and
the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .dataset import Dataset
from .errors import DataError, Problem, find_line

CONTEXT = 32  # characters of prefix and suffix kept in a quote selector
_ARTEFACT = re.compile(r"\n[ \t]*\n|</?[A-Za-z][^<>]*>")

T = ox.NamedNode
RDF_TYPE = T(ns.RDF_TYPE)
SRKG_QUOTE = T(ns.SRKG + "quote")
SRKG_EVIDENCE = T(ns.SRKG + "evidence")
SRKG_EVIDENCE_CLASS = T(ns.SRKG + "Evidence")
SRKG_TEXT_FILE = T(ns.SRKG + "textFile")
SRKG_SOURCE_DOCUMENT = T(ns.SRKG + "SourceDocument")
SRKG_BOILERPLATE = T(ns.SRKG + "boilerplate")
OA_HAS_SOURCE = T(ns.OA + "hasSource")
OA_HAS_SELECTOR = T(ns.OA + "hasSelector")
OA_QUOTE = T(ns.OA + "TextQuoteSelector")
OA_POSITION = T(ns.OA + "TextPositionSelector")
OA_EXACT = T(ns.OA + "exact")
OA_PREFIX = T(ns.OA + "prefix")
OA_SUFFIX = T(ns.OA + "suffix")
OA_START = T(ns.OA + "start")
OA_END = T(ns.OA + "end")
INTEGER = T(ns.XSD + "integer")  # oxigraph stores every integer type as xsd:integer


@dataclass(frozen=True)
class Source:
    """A source document: its IRI, named graph and text."""

    iri: str
    graph: str
    text_path: Path
    text: str


class QuoteNotFound(ValueError):
    """A quote that is not in its source exactly once, or crosses an artefact."""


def locate(text: str, exact: str, *, prefix: str | None = None, suffix: str | None = None,
           start: int | None = None) -> tuple[int, int]:
    """Where ``exact`` occurs in ``text``: ``(start, end)``, end exclusive.

    ``start``, ``prefix`` and ``suffix`` disambiguate a quote that occurs more
    than once. Raises :class:`QuoteNotFound` with a message a person can act on.
    """
    if not exact.strip():
        raise QuoteNotFound("the quote is empty")
    artefact = _ARTEFACT.search(exact)
    if artefact:
        raise QuoteNotFound(
            f"the quote {_short(exact)} crosses a page artefact ({artefact.group(0)!r}); "
            "split it into quotes on either side")
    if start is not None:
        if text[start:start + len(exact)] != exact:
            raise QuoteNotFound(
                f"the quote {_short(exact)} is not at offset {start} of the source "
                f"(found {_short(text[start:start + len(exact)])})")
        return start, start + len(exact)
    hits = _occurrences(text, exact)
    if prefix:
        hits = [h for h in hits if text[:h].endswith(prefix)]
    if suffix:
        hits = [h for h in hits if text[h + len(exact):].startswith(suffix)]
    if not hits:
        raise QuoteNotFound(f"the quote {_short(exact)} is not found verbatim in the source")
    if len(hits) > 1:
        raise QuoteNotFound(
            f"the quote {_short(exact)} occurs {len(hits)} times in the source; "
            "lengthen it, or give an srkg:Evidence with oa:prefix or oa:start")
    return hits[0], hits[0] + len(exact)


def _occurrences(text: str, exact: str) -> list[int]:
    """Start offsets of the non-overlapping occurrences of ``exact`` (as ``re.finditer`` finds them)."""
    hits: list[int] = []
    i = text.find(exact)
    while i != -1:
        hits.append(i)
        i = text.find(exact, i + len(exact))
    return hits


def _short(s: str, n: int = 60) -> str:
    return repr(s if len(s) <= n else s[: n - 1] + "…")


def evidence_iri(source_iri: str, start: int, end: int) -> str:
    """The IRI of the evidence for ``[start, end)`` of a source: the same passage, the same node."""
    return f"{source_iri}/evidence/{start}-{end}"


def sources_of(dataset: Dataset) -> dict[str, Source]:
    """Every source document of the dataset, by named graph, with its text read from disk."""
    problems: list[Problem] = []
    found: dict[str, Source] = {}
    found_iris: set[str] = set()
    for f in dataset.files:
        if f.source_slug is None:
            continue
        g = ox.NamedNode(f.graph)
        for q in dataset.store.quads_for_pattern(None, SRKG_TEXT_FILE, None, g):
            if q.subject.value in found_iris:
                continue
            path = (f.folder / q.object.value).resolve()
            if not path.is_file():
                problems.append(Problem(f.path, find_line(f.path, q.object.value),
                                        f"the text file {q.object.value!r} of {q.subject.value} does not exist"))
                continue
            if f.graph in found:
                problems.append(Problem(f.path, find_line(f.path, "textFile"),
                                        f"the folder of {f.graph} describes a second source document; "
                                        "put each source in a folder of its own"))
                continue
            found[f.graph] = Source(q.subject.value, f.graph, path, path.read_text(encoding="utf-8"))
            found_iris.add(q.subject.value)
    for f in dataset.files:
        if f.source_slug is not None and f.graph not in found and not any(
                p.file and p.file.parent == f.folder for p in problems):
            problems.append(Problem(f.path, None, "this source folder has no srkg:SourceDocument with srkg:textFile"))
    if problems:
        raise DataError(_dedupe(problems))
    return found


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _literal(dataset: Dataset, subject: ox.NamedNode | ox.BlankNode, predicate: ox.NamedNode,
             graph: ox.NamedNode) -> str | None:
    for q in dataset.store.quads_for_pattern(subject, predicate, None, graph):
        return q.object.value
    return None


def ground(dataset: Dataset) -> int:
    """Check every quote of every source and write its evidence in stored form.

    Returns the number of evidence nodes. Raises :class:`DataError` listing
    every quote that is not verbatim in its source, with file and line.
    """
    sources = sources_of(dataset)
    problems: list[Problem] = []
    add: list[ox.Quad] = []
    remove: list[ox.Quad] = []
    evidence_nodes: set[str] = set()

    for graph_iri, source in sources.items():
        g = ox.NamedNode(graph_iri)
        src = ox.NamedNode(source.iri)

        def fail(subject: str, exact: str, why: str) -> None:
            path = dataset.file_of(subject) or source.text_path
            problems.append(Problem(path, find_line(path, exact[:40], exact[:20]), why))

        # Shorthand: <node> srkg:quote "…"
        for q in list(dataset.store.quads_for_pattern(None, SRKG_QUOTE, None, g)):
            exact = q.object.value
            try:
                start, end = locate(source.text, exact)
            except QuoteNotFound as e:
                fail(q.subject.value, exact, f"{e} ({source.text_path.name})")
                continue
            ev = ox.NamedNode(evidence_iri(source.iri, start, end))
            add.append(ox.Quad(q.subject, SRKG_EVIDENCE, ev, g))
            remove.append(q)
            if ev.value not in evidence_nodes:
                evidence_nodes.add(ev.value)
                add += _evidence_quads(ev, src, source.text, start, end, g)

        # Full form: an srkg:Evidence node with a quote selector.
        for q in list(dataset.store.quads_for_pattern(None, RDF_TYPE, SRKG_EVIDENCE_CLASS, g)):
            ev = q.subject
            if ev.value in evidence_nodes:
                continue
            has_position = False
            for sel_q in dataset.store.quads_for_pattern(ev, OA_HAS_SELECTOR, None, g):
                sel = sel_q.object
                if any(True for _ in dataset.store.quads_for_pattern(sel, RDF_TYPE, OA_POSITION, g)):
                    has_position = True
            for sel_q in list(dataset.store.quads_for_pattern(ev, OA_HAS_SELECTOR, None, g)):
                sel = sel_q.object
                exact = _literal(dataset, sel, OA_EXACT, g)
                if exact is None:
                    continue
                start_literal = None
                for pos_q in dataset.store.quads_for_pattern(ev, OA_HAS_SELECTOR, None, g):
                    start_literal = _literal(dataset, pos_q.object, OA_START, g) or start_literal
                try:
                    start, end = locate(source.text, exact,
                                        prefix=_literal(dataset, sel, OA_PREFIX, g),
                                        suffix=_literal(dataset, sel, OA_SUFFIX, g),
                                        start=int(start_literal) if start_literal is not None else None)
                except (QuoteNotFound, ValueError) as e:
                    fail(ev.value, exact, f"{e} ({source.text_path.name})")
                    continue
                if not has_position:
                    pos = ox.BlankNode()
                    add += [ox.Quad(ev, OA_HAS_SELECTOR, pos, g),
                            ox.Quad(pos, RDF_TYPE, OA_POSITION, g),
                            ox.Quad(pos, OA_START, ox.Literal(str(start), datatype=INTEGER), g),
                            ox.Quad(pos, OA_END, ox.Literal(str(end), datatype=INTEGER), g)]
                evidence_nodes.add(ev.value)

        # Boilerplate passages are checked the same way, so coverage can trust them.
        for q in dataset.store.quads_for_pattern(None, SRKG_BOILERPLATE, None, g):
            if q.object.value not in source.text:
                fail(q.subject.value, q.object.value,
                     f"boilerplate {_short(q.object.value)} is not found verbatim in {source.text_path.name}")

    if problems:
        raise DataError(_dedupe(problems))
    for q in remove:
        dataset.store.remove(q)
    dataset.store.extend(add)
    return len(evidence_nodes)


def _evidence_quads(ev: ox.NamedNode, src: ox.NamedNode, text: str, start: int, end: int,
                    g: ox.NamedNode) -> list[ox.Quad]:
    quote = ox.NamedNode(ev.value + "#quote")
    position = ox.NamedNode(ev.value + "#position")
    return [
        ox.Quad(ev, RDF_TYPE, SRKG_EVIDENCE_CLASS, g),
        ox.Quad(ev, OA_HAS_SOURCE, src, g),
        ox.Quad(ev, OA_HAS_SELECTOR, quote, g),
        ox.Quad(ev, OA_HAS_SELECTOR, position, g),
        ox.Quad(quote, RDF_TYPE, OA_QUOTE, g),
        ox.Quad(quote, OA_EXACT, ox.Literal(text[start:end]), g),
        ox.Quad(quote, OA_PREFIX, ox.Literal(text[max(0, start - CONTEXT):start]), g),
        ox.Quad(quote, OA_SUFFIX, ox.Literal(text[end:end + CONTEXT]), g),
        ox.Quad(position, RDF_TYPE, OA_POSITION, g),
        ox.Quad(position, OA_START, ox.Literal(str(start), datatype=INTEGER), g),
        ox.Quad(position, OA_END, ox.Literal(str(end), datatype=INTEGER), g),
    ]
