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

    @property
    def folder(self) -> Path:
        return self.path.parent


def ontology_files(ontology_dir: Path) -> list[DataFile]:
    return [
        DataFile(p, ns.ONTOLOGY_GRAPH)
        for p in sorted(ontology_dir.glob("*.ttl"))
        if p.name != SHAPES_FILE
    ]


def shapes_file(ontology_dir: Path) -> Path:
    return ontology_dir / SHAPES_FILE


def source_slugs(data_dir: Path) -> list[str]:
    root = data_dir / "sources"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def data_files(data_dir: Path) -> list[DataFile]:
    """Every data file, reference first, then each source folder in name order."""
    files = [DataFile(p, ns.REFERENCE_GRAPH) for p in sorted((data_dir / "reference").glob("**/*.ttl"))]
    for slug in source_slugs(data_dir):
        folder = data_dir / "sources" / slug
        files += [DataFile(p, ns.source_graph(slug), slug) for p in sorted(folder.glob("**/*.ttl"))]
    return files
