"""Where the data lives and which named graph each file goes to.

The layout under the data folder is a convention, so that adding a source is
adding files, never code:

- ``ontology/*.ttl`` except shapes: the ontology graph;
- ``data/reference/*.ttl``: entities shared across sources (states, people,
  organisations, places, themes), in the reference graph;
- ``data/sources/<slug>/*.ttl``: the description of one source document and
  every assertion drawn from it, in the graph ``graph/source/<slug>``; the
  source's text sits beside them (``srkg:textFile``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import namespaces as ns

SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class DataFile:
    """One Turtle file and the named graph its triples belong to."""

    path: Path
    graph: str
    source_slug: str | None = None  # set for files under data/sources/<slug>/
    name: str = ""  # the path inside the folder of its graph, without ".ttl" ("visit", "people/leaders")

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def genid_prefix(self) -> str:
        """The prefix of the IRIs that stand for the file's blank nodes (see :func:`graph.dataset.skolemise`)."""
        graph = self.graph.removeprefix(ns.SOURCE_GRAPH_PREFIX).removeprefix(ns.GRAPH)
        return f"{ns.GENID}{graph}/{self.name or self.path.stem}-"


def ontology_files(ontology_dir: Path) -> list[DataFile]:
    return [
        DataFile(p, ns.ONTOLOGY_GRAPH, name=p.stem)
        for p in sorted(ontology_dir.glob("*.ttl"))
        if p.name != SHAPES_FILE
    ]


def shapes_file(ontology_dir: Path) -> Path:
    return ontology_dir / SHAPES_FILE


def source_slugs(data_dir: Path) -> list[str]:
    root = data_dir / "sources"
    if not root.is_dir():
        return []
    with os.scandir(root) as entries:
        return sorted(e.name for e in entries if e.is_dir())


def turtle_files(folder: Path) -> list[Path]:
    """The ``*.ttl`` files under ``folder``, at any depth, in path order (``sorted(folder.glob("**/*.ttl"))``)."""
    found = [os.path.join(root, name) for root, _, names in os.walk(folder, followlinks=True)
             for name in names if name.endswith(".ttl")]
    return [Path(p) for p in sorted(found, key=lambda p: p.split(os.sep))]


def data_files(data_dir: Path) -> list[DataFile]:
    """Every data file, reference first, then each source folder in name order."""
    reference = data_dir / "reference"
    files = [DataFile(p, ns.REFERENCE_GRAPH, name=_name(p, reference)) for p in turtle_files(reference)]
    for slug in source_slugs(data_dir):
        graph, folder = ns.source_graph(slug), data_dir / "sources" / slug
        files += [DataFile(p, graph, slug, _name(p, folder)) for p in turtle_files(folder)]
    return files


def _name(path: Path, folder: Path) -> str:
    return path.relative_to(folder).with_suffix("").as_posix()
