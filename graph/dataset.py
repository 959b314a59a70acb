"""Parsing Turtle files into an in-memory dataset, with errors that name file and line.

A :class:`Dataset` holds quads in an in-memory pyoxigraph store, plus the
file each subject was read from so that later checks can point at it (SHACL
validation and curated writes work on one). The build works on a
:class:`Corpus` instead: every file parsed once into pyoxigraph quads,
indexed in the same pass for the checks, the grounding and the entailments,
and serialised as N-Quads for the bulk loader without ever filling an
in-memory store.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import pyoxigraph as ox

from . import namespaces as ns
from .errors import DataError, Problem
from .layout import DataFile

_POSITION = re.compile(r"line (\d+) column (\d+)")
_Term = TypeVar("_Term", bound=ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple)


def subject_of(quad: ox.Quad) -> ox.NamedNode | ox.BlankNode:
    """The subject of ``quad``, an IRI or a blank node.

    pyoxigraph implements RDF 1.2, where no subject is a triple, and refuses one when a quad is made;
    its type stubs still allow the triple subjects of RDF-star.
    """
    return quad.subject  # type: ignore[return-value]  # the stubs are looser than pyoxigraph (see above)


class Dataset:
    """Quads from a set of files, with the file each subject came from."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.subject_files: dict[str, Path] = {}
        self.files: list[DataFile] = []

    def add_quads(self, quads: Iterable[ox.Quad], origin: Path | None = None) -> None:
        quads = list(quads)
        self.store.extend(quads)
        if origin is not None:
            for q in quads:
                self.subject_files.setdefault(subject_of(q).value, origin)

    def file_of(self, subject: str) -> Path | None:
        return self.subject_files.get(subject)

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        return list(self.store.quads_for_pattern(None, None, None, g))

    def __len__(self) -> int:
        return len(self.store)


def _base_iri(path: Path, folders: dict[Path, str] | None = None) -> str:
    """``path.resolve().as_uri()``, resolving each folder once (``folders`` caches their URIs)."""
    if folders is None or os.path.islink(path):
        return path.resolve().as_uri()
    folder = folders.get(path.parent)
    if folder is None:
        uri = path.parent.resolve().as_uri()
        folder = folders[path.parent] = uri if uri.endswith("/") else uri + "/"
    return folder + quote(path.name)


def _parse(path: Path, base_iri: str) -> list[ox.Quad]:
    """Parse one Turtle file into quads of the default graph; a syntax error names file and line."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError([Problem(path, None, f"cannot read the file: {e.strerror}")]) from e
    try:
        return list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri))
    except SyntaxError as e:
        message = str(e)
        m = _POSITION.search(message)
        line = int(m.group(1)) if m else getattr(e, "lineno", None)
        raise DataError([Problem(path, line, f"Turtle syntax error: {message}")]) from e


def skolemise(quads: list[ox.Quad], prefix: str) -> list[ox.Quad]:
    """``quads`` with each blank node replaced by the IRI ``prefix`` + its rank of first appearance.

    Blank node labels are local to one document: the store gives them new identities at every load,
    so the evidence, entailments and inferred-fact descriptions that the build writes about a file's
    blank nodes in other chunks would miss them. Skolem IRIs (RDF 1.1, section 3.5) are stable: the
    same file gives the same IRIs at every build.
    """
    names: dict[str, ox.NamedNode] = {}

    def term(t: _Term) -> _Term | ox.NamedNode:
        if isinstance(t, ox.BlankNode):
            found = names.get(t.value)
            if found is None:
                found = names[t.value] = ox.NamedNode(f"{prefix}{len(names) + 1}")
            return found
        return t

    if not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        return quads
    return [ox.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in quads]


@dataclass
class ParsedFile:
    """One Turtle file, parsed: its quads (in the default graph; the file says which named graph)."""

    file: DataFile
    quads: list[ox.Quad]


def parse_files(files: Iterable[DataFile]) -> Iterable[ParsedFile]:
    """Parse the files one after another; every syntax error is reported at once, at the end."""
    problems: list[Problem] = []
    folders: dict[Path, str] = {}
    for f in files:
        try:
            quads = skolemise(_parse(f.path, _base_iri(f.path, folders)), f.genid_prefix)
        except DataError as e:
            problems += e.problems
            continue
        yield ParsedFile(f, quads)
    if problems:
        raise DataError(problems)


_RDF_TYPE = ox.NamedNode(ns.RDF_TYPE)


@dataclass
class Corpus:
    """Every file of a build, parsed once and indexed in the same pass.

    - ``lines``: per named graph, the distinct N-Triples lines (``s p o .``)
      the store will hold, so that counts are exact without a store;
    - ``predicates``, ``classes``, ``objects``: the distinct terms the data
      graphs use, for the closed-world checks (:mod:`graph.checks`);
    - ``described``: every IRI with an ``rdf:type`` in any graph;
    - ``typed``: ``(subject, class, graph)`` of every ``rdf:type`` in a data graph;
    - ``watched``: for the predicates the build asked about, every
      ``(subject, object, graph, file)`` in a data graph, in file order;
    - ``omit``: predicates whose quads are indexed but never stored (``srkg:quote``).
    """

    watched: dict[ox.NamedNode, list[tuple]] = field(default_factory=dict)
    omit: frozenset = frozenset()
    parsed: list[ParsedFile] = field(default_factory=list)
    lines: dict[str, set[bytes]] = field(default_factory=dict)
    predicates: set = field(default_factory=set)
    classes: set = field(default_factory=set)
    objects: set = field(default_factory=set)
    described: set[str] = field(default_factory=set)
    typed: list[tuple] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # each source's text by named graph, once grounded
    _subject_files: dict[str, Path] | None = field(default=None, repr=False)

    @property
    def files(self) -> list[DataFile]:
        return [p.file for p in self.parsed]

    def add(self, parsed: ParsedFile, *, data: bool = True) -> bytes:
        """Index one parsed file; return its quads as N-Quads (what the store gets from it).

        ``data`` is false for the ontology: it is stored and its types count
        as described, but the checks and entailments do not read it as data.
        """
        self.parsed.append(parsed)
        graph, f = parsed.file.graph, parsed.file
        described = self.described
        omitted = False
        if data:
            preds, classes, objects, typed, watched = (self.predicates.add, self.classes.add, self.objects.add,
                                                       self.typed.append, self.watched.get)
            omit = self.omit
            for q in parsed.quads:
                p = q.predicate
                preds(p)
                if p == _RDF_TYPE:
                    s, o = q.subject, q.object
                    classes(o)
                    typed((s, o, graph))
                    if isinstance(s, ox.NamedNode):
                        described.add(s.value)
                else:
                    o = q.object
                    objects(o)
                    w = watched(p)
                    if w is not None:
                        w.append((q.subject, o, graph, f))
                        if p in omit:
                            omitted = True
        else:
            for s, p, _o, _ in parsed.quads:
                if p == _RDF_TYPE and isinstance(s, ox.NamedNode):
                    described.add(s.value)
        kept = [q for q in parsed.quads if q.predicate not in self.omit] if omitted else parsed.quads
        text = ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES) or b""
        self.add_lines(graph, text)
        return to_nquads(text, graph)

    def add_lines(self, graph: str, text: bytes) -> None:
        """Count N-Triples lines into ``graph`` (each line ``s p o .``)."""
        lines = self.lines.setdefault(graph, set())
        lines.update(text.split(b"\n"))
        lines.discard(b"")

    def counts(self) -> dict[str, int]:
        """Triples per named graph, as the store will hold them."""
        return {g: len(lines) for g, lines in sorted(self.lines.items()) if lines}

    def nquads(self) -> bytes:
        """The whole dataset as N-Quads."""
        return b"".join(to_nquads(b"\n".join(lines) + b"\n", g) for g, lines in sorted(self.lines.items()) if lines)

    def file_of(self, subject: str) -> Path | None:
        """The first file that describes ``subject`` (built on first use: only errors need it)."""
        if self._subject_files is None:
            self._subject_files = {}
            for p in self.parsed:
                for q in p.quads:
                    self._subject_files.setdefault(subject_of(q).value, p.file.path)
        return self._subject_files.get(subject)

    def dataset(self) -> Dataset:
        """An in-memory :class:`Dataset` holding the corpus (for SHACL and the remote publisher)."""
        dataset = Dataset()
        dataset.store.bulk_load(self.nquads(), format=ox.RdfFormat.N_QUADS)
        dataset.files = self.files
        for p in self.parsed:
            for q in p.quads:
                dataset.subject_files.setdefault(subject_of(q).value, p.file.path)
        return dataset


def to_nquads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines (``s p o .``, one a line, as pyoxigraph writes them) moved into ``graph``.

    N-Triples escapes every line break inside a literal, so `` .\\n`` only
    ever ends a line.
    """
    return ntriples.replace(b" .\n", b" <" + graph.encode() + b"> .\n")
