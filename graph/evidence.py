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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from . import namespaces as ns
from .dataset import Corpus, subject_of
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


@dataclass
class Grounding:
    """What grounding adds to a corpus: N-Triples lines per graph, and the same statements for the entailments.

    ``typed`` holds ``(subject, class, graph)`` and ``statements``
    ``(subject, predicate IRI, object, object is a resource, graph)`` of the
    added triples whose predicate is in ``watch`` (terms written as in N-Triples).
    """

    watch: frozenset[str] = frozenset()
    count: int = 0
    lines: dict[str, list[bytes]] = field(default_factory=dict)
    typed: list[tuple[str, str, str]] = field(default_factory=list)
    statements: list[tuple[str, str, str, bool, str]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # each source's text, by its named graph

    def add(self, s: str, p: str, o: str, graph: str, resource: bool = True) -> None:
        self.lines.setdefault(graph, []).append(f"{s} <{p}> {o} .".encode())
        if p == ns.RDF_TYPE:
            self.typed.append((s, o, graph))
        elif p in self.watch:
            self.statements.append((s, p, o, resource, graph))

    def add_quads(self, quads: list[ox.Quad]) -> None:
        for q in quads:
            graph = q.graph_name
            assert not isinstance(graph, ox.DefaultGraph)  # quads of a source's named graph
            self.add(str(q.subject), q.predicate.value, str(q.object), graph.value,
                     not isinstance(q.object, ox.Literal))


class _Add(Protocol):
    """:meth:`Grounding.add`, as the writers of evidence call it."""

    def __call__(self, s: str, p: str, o: str, graph: str, resource: bool = True) -> None: ...


#: A failure to report: ``(subject IRI, quote, message)``.
_Fail = Callable[[str, str, str], None]


def sources_of(corpus: Corpus) -> dict[str, Source]:
    """Every source document of the corpus, by named graph, with its text read from disk."""
    problems: list[Problem] = []
    found: dict[str, Source] = {}
    found_iris: set[str] = set()
    text_files: dict[str, list[tuple]] = {}
    for s, o, g, _ in corpus.watched[SRKG_TEXT_FILE]:
        text_files.setdefault(g, []).append((s, o))
    for f in corpus.files:
        if f.source_slug is None:
            continue
        for subject, text_file in text_files.get(f.graph, ()):
            if subject.value in found_iris:
                continue
            path = f.folder / text_file.value
            try:
                with open(path, encoding="utf-8") as file:
                    text = file.read()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                problems.append(Problem(f.path, find_line(f.path, text_file.value),
                                        f"the text file {text_file.value!r} of {subject.value} does not exist"))
                continue
            if f.graph in found:
                problems.append(Problem(f.path, find_line(f.path, "textFile"),
                                        f"the folder of {f.graph} describes a second source document; "
                                        "put each source in a folder of its own"))
                continue
            found[f.graph] = Source(subject.value, f.graph, path, text)
            found_iris.add(subject.value)
    for f in corpus.files:
        if f.source_slug is not None and f.graph not in found and not any(
                p.file and p.file.parent == f.folder for p in problems):
            problems.append(Problem(f.path, None, "this source folder has no srkg:SourceDocument with srkg:textFile"))
    if problems:
        raise DataError(_dedupe(problems))
    return found


#: What grounding needs the corpus to index while parsing; ``srkg:quote`` never reaches the store.
WATCHED = (SRKG_QUOTE, SRKG_TEXT_FILE, SRKG_BOILERPLATE)
OMITTED = frozenset({SRKG_QUOTE})


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _literal(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: ox.NamedNode,
             graph: ox.NamedNode) -> str | None:
    for q in store.quads_for_pattern(subject, predicate, None, graph):
        if not isinstance(q.object, ox.Triple):  # a triple term has no value
            return q.object.value
    return None


def ground(corpus: Corpus, watch: frozenset[str] = frozenset()) -> Grounding:
    """Check every quote of every source and return its evidence in stored form.

    Raises :class:`DataError` listing every quote that is not verbatim in its
    source, with file and line. The corpus must have indexed :data:`WATCHED`
    (and left out :data:`OMITTED`); ``watch`` names the predicates whose added
    statements the entailments need (see :class:`Grounding`).
    """
    sources = sources_of(corpus)
    problems: list[Problem] = []
    out = Grounding(watch, texts={g: source.text for g, source in sources.items()})
    evidence_nodes: set[str] = set()
    quotes: dict[str, list[tuple]] = {}
    for s, o, g, _ in corpus.watched[SRKG_QUOTE]:
        quotes.setdefault(g, []).append((s, o))
    boilerplate: dict[str, list[tuple]] = {}
    for s, o, g, _ in corpus.watched[SRKG_BOILERPLATE]:
        boilerplate.setdefault(g, []).append((s, o))
    full_form = {g for _, c, g in corpus.typed if c == SRKG_EVIDENCE_CLASS}
    add = out.add

    for graph_iri, source in sources.items():
        src = f"<{source.iri}>"
        text = source.text

        def fail(subject: str, exact: str, why: str, source: Source = source) -> None:
            path = corpus.file_of(subject) or source.text_path
            problems.append(Problem(path, find_line(path, exact[:40], exact[:20]), why))

        # Shorthand: <node> srkg:quote "…"
        for subject, quote in quotes.get(graph_iri, ()):
            exact = quote.value
            try:
                start, end = locate(text, exact)
            except QuoteNotFound as e:
                fail(subject.value, exact, f"{e} ({source.text_path.name})")
                continue
            iri = evidence_iri(source.iri, start, end)
            ev = str(ox.NamedNode(iri))
            add(str(subject), SRKG_EVIDENCE.value, ev, graph_iri)
            if iri not in evidence_nodes:
                evidence_nodes.add(iri)
                _evidence(add, ev, iri, src, text, start, end, graph_iri)

        # Full form: an srkg:Evidence node with a quote selector (rare: read from a store of its graph).
        if graph_iri in full_form:
            g = ox.NamedNode(graph_iri)
            store = ox.Store()
            store.extend(ox.Quad(s, p, o, g) for f in corpus.parsed if f.file.graph == graph_iri
                         for s, p, o, _ in f.quads)
            out.add_quads(_ground_full_form(store, g, source, evidence_nodes, fail))

        # Boilerplate passages are checked the same way, so coverage can trust them.
        for subject, passage in boilerplate.get(graph_iri, ()):
            if passage.value not in text:
                fail(subject.value, passage.value,
                     f"boilerplate {_short(passage.value)} is not found verbatim in {source.text_path.name}")

    if problems:
        raise DataError(_dedupe(problems))
    out.count = len(evidence_nodes)
    return out


def _selectors(store: ox.Store, ev: ox.NamedNode | ox.BlankNode,
               g: ox.NamedNode) -> list[ox.NamedNode | ox.BlankNode]:
    """The selectors of the evidence ``ev`` (a literal or a triple term is no selector)."""
    return [q.object for q in store.quads_for_pattern(ev, OA_HAS_SELECTOR, None, g)
            if isinstance(q.object, (ox.NamedNode, ox.BlankNode))]


def _ground_full_form(store: ox.Store, g: ox.NamedNode, source: Source, evidence_nodes: set[str],
                      fail: _Fail) -> list[ox.Quad]:
    add: list[ox.Quad] = []
    for q in list(store.quads_for_pattern(None, RDF_TYPE, SRKG_EVIDENCE_CLASS, g)):
        ev = subject_of(q)
        if ev.value in evidence_nodes:
            continue
        has_position = False
        for sel in _selectors(store, ev, g):
            if any(True for _ in store.quads_for_pattern(sel, RDF_TYPE, OA_POSITION, g)):
                has_position = True
        for sel in _selectors(store, ev, g):
            exact = _literal(store, sel, OA_EXACT, g)
            if exact is None:
                continue
            start_literal = None
            for pos in _selectors(store, ev, g):
                start_literal = _literal(store, pos, OA_START, g) or start_literal
            try:
                start, end = locate(source.text, exact,
                                    prefix=_literal(store, sel, OA_PREFIX, g),
                                    suffix=_literal(store, sel, OA_SUFFIX, g),
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
    return add


def _evidence(add: _Add, ev: str, iri: str, src: str, text: str, start: int, end: int, g: str) -> None:
    """The stored form of one piece of evidence (``ev`` and ``src`` written as in N-Triples)."""
    quote = str(ox.NamedNode(iri + "#quote"))
    position = str(ox.NamedNode(iri + "#position"))
    add(ev, ns.RDF_TYPE, str(SRKG_EVIDENCE_CLASS), g)
    add(ev, OA_HAS_SOURCE.value, src, g)
    add(ev, OA_HAS_SELECTOR.value, quote, g)
    add(ev, OA_HAS_SELECTOR.value, position, g)
    add(quote, ns.RDF_TYPE, str(OA_QUOTE), g)
    add(quote, OA_EXACT.value, str(ox.Literal(text[start:end])), g, False)
    add(quote, OA_PREFIX.value, str(ox.Literal(text[max(0, start - CONTEXT):start])), g, False)
    add(quote, OA_SUFFIX.value, str(ox.Literal(text[end:end + CONTEXT])), g, False)
    add(position, ns.RDF_TYPE, str(OA_POSITION), g)
    add(position, OA_START.value, f'"{start}"^^<{INTEGER.value}>', g, False)
    add(position, OA_END.value, f'"{end}"^^<{INTEGER.value}>', g, False)
