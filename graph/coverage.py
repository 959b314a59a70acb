"""Coverage: which sentences of each source no evidence quotes.

A source's text is cut at blank lines (so page artefacts such as a running
header stand alone) and then into sentences. A sentence is covered when an
evidence span overlaps it, and boilerplate when it lies inside a passage the
source lists as ``srkg:boilerplate`` (headings, headers, the copyright line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import catalogue
from . import namespaces as ns
from .settings import Settings, get_settings
from .store import Store
from .store.base import to_int

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z\"“(])")
_BLOCK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class SourceCoverage:
    source: str
    title: str
    sentences: list[Sentence]
    covered: list[Sentence] = field(default_factory=list)
    boilerplate: list[Sentence] = field(default_factory=list)
    uncovered: list[Sentence] = field(default_factory=list)
    evidence: int = 0

    @property
    def complete(self) -> bool:
        return not self.uncovered


def blocks(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each block of ``text`` between blank lines (a paragraph, a heading, a page
    artefact), blank lines left out."""
    out = []
    pos = 0
    for gap in _BLOCK.finditer(text):
        out.append((pos, gap.start()))
        pos = gap.end()
    out.append((pos, len(text)))
    return out


def sentences(text: str) -> list[Sentence]:
    """Cut ``text`` into blocks at blank lines, then blocks into sentences, keeping offsets."""
    out: list[Sentence] = []
    for b_start, b_end in blocks(text):
        block = text[b_start:b_end]
        cut = 0
        for m in list(_SENTENCE_END.finditer(block)) + [None]:
            stop = m.start() if m else len(block)
            piece = block[cut:stop]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if piece:
                start = b_start + cut + lead
                out.append(Sentence(start, start + len(piece), piece))
            if m:
                cut = m.end()
    return out


def text_path(data_dir: Path, graph: str, text_file: str) -> Path:
    slug = graph[len(ns.SOURCE_GRAPH_PREFIX):]
    return data_dir / "sources" / slug / text_file


def coverage(store: Store, settings: Settings | None = None) -> list[SourceCoverage]:
    """Coverage of every source in the store, reading texts from the data folder."""
    settings = settings or get_settings()
    report = []
    for row in store.select(catalogue.text("build/sources")):
        source, graph, text_file = str(row["source"]), str(row["graph"]), str(row["textFile"])
        text = text_path(settings.data_dir, graph, text_file).read_text(encoding="utf-8")
        spans = [(to_int(r["start"]), to_int(r["end"]))
                 for r in store.select(catalogue.text("build/evidence-spans"), source=source)]
        report.append(source_coverage(source, str(row["title"]), text, spans,
                                      passages(text, boilerplate_list(row.get("boilerplates")))))
    return report


def boilerplate_list(joined: object) -> list[str]:
    """The boilerplate passages of a row of ``build/sources`` (its ``?boilerplates``, joined by U+001F)."""
    return [b for b in str(joined or "").split("\u001f") if b]


def passages(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every occurrence of each of ``quotes`` in ``text`` (how boilerplate is found)."""
    out = []
    for b in quotes:
        i = text.find(b)
        while i >= 0:
            out.append((i, i + len(b)))
            i = text.find(b, i + 1)
    return out


def source_coverage(source: str, title: str, text: str, spans: list[tuple[int, int]],
                    boilerplate: list[tuple[int, int]]) -> SourceCoverage:
    """The coverage of one source: each sentence of ``text`` is covered when an evidence span of ``spans``
    overlaps it, else boilerplate when it lies inside a ``boilerplate`` passage, else uncovered."""
    cov = SourceCoverage(source, title, sentences(text), evidence=len(spans))
    for s in cov.sentences:
        if any(a < s.end and s.start < b for a, b in spans):
            cov.covered.append(s)
        elif any(a <= s.start and s.end <= b for a, b in boilerplate):
            cov.boilerplate.append(s)
        else:
            cov.uncovered.append(s)
    return cov
