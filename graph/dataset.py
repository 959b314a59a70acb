"""Parsing Turtle files into an in-memory dataset, with errors that name file and line.

A :class:`Dataset` is the unit every check and the loader work on: quads held
in an in-memory pyoxigraph store, plus the file each subject was read from so
that later checks can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import DataError, Problem
from .layout import DataFile

_POSITION = re.compile(r"line (\d+) column (\d+)")


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
                self.subject_files.setdefault(q.subject.value, origin)

    def file_of(self, subject: str) -> Path | None:
        return self.subject_files.get(subject)

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        return list(self.store.quads_for_pattern(None, None, None, g))

    def __len__(self) -> int:
        return len(self.store)


def parse_turtle(path: Path, graph: str) -> list[ox.Quad]:
    """Parse one Turtle file into quads of ``graph``; a syntax error names file and line."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError([Problem(path, None, f"cannot read the file: {e.strerror}")]) from e
    try:
        triples = ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        g = ox.NamedNode(graph)
        return [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
    except SyntaxError as e:
        message = str(e)
        m = _POSITION.search(message)
        line = int(m.group(1)) if m else getattr(e, "lineno", None)
        raise DataError([Problem(path, line, f"Turtle syntax error: {message}")]) from e


def load_files(files: Iterable[DataFile], dataset: Dataset | None = None) -> Dataset:
    """Parse every file into one dataset, reporting every syntax error at once."""
    dataset = dataset or Dataset()
    problems: list[Problem] = []
    for f in files:
        try:
            dataset.add_quads(parse_turtle(f.path, f.graph), origin=f.path)
            dataset.files.append(f)
        except DataError as e:
            problems += e.problems
    if problems:
        raise DataError(problems)
    return dataset
