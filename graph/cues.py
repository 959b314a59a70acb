"""Cues in a source's text: where hedging, future, evidential and attribution words stand, and what they govern.

The lexicon is data (``ontology/cues.ttl``, in the ontology graph): each
:class:`Cue` has a pattern, a kind and a scope. :func:`find` cuts a text into
sentences (as coverage does) and sentences into clauses, finds every cue,
keeps the longer of two overlapping matches, and gives each :class:`CueHit`
the span of text it governs. :mod:`graph.fidelity` holds the evidence of
plain facts against those spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import pyoxigraph as ox

from . import namespaces as ns
from .coverage import Sentence, sentences
from .dataset import subject_of

_CUE = ns.SRKG + "Cue"
_PATTERN, _CASE = ns.SRKG + "pattern", ns.SRKG + "caseSensitive"
_KIND, _SCOPE, _SUGGESTS = ns.SRKG + "cueKind", ns.SRKG + "cueScope", ns.SRKG + "suggests"
_LABEL = ns.RDFS + "label"

SENTENCE, CLAUSE, PHRASE, AFTER, BEFORE = ("SentenceScope", "ClauseScope", "PhraseScope", "AfterCueScope",
                                          "BeforeCueScope")
#: Where a clause ends inside a sentence (the cue lexicon's srkg:CueScope says the same in words).
_CLAUSE_BREAK = re.compile(r"\s*[;:—–]\s*|\s+-\s+|,\s+(?=(?:which|but|while|whereas|although|though)\b)")


@dataclass(frozen=True)
class Cue:
    """One entry of the lexicon. ``kind``, ``scope`` and ``suggests`` are local names of srkg terms."""

    iri: str
    label: str
    kind: str
    scope: str
    pattern: re.Pattern[str]
    suggests: str | None = None


@dataclass(frozen=True)
class CueHit:
    """A cue found in a text: its words at ``[start, end)`` and the span ``scope`` it governs."""

    cue: Cue
    start: int
    end: int
    words: str
    scope: tuple[int, int]
    sentence: Sentence

    def governs(self, start: int, end: int) -> bool:
        """Whether the passage ``[start, end)`` overlaps what this cue governs."""
        return start < self.scope[1] and self.scope[0] < end


def lexicon(quads: Iterable[ox.Quad]) -> list[Cue]:
    """The cues described in ``quads`` (the ontology graph), in IRI order."""
    fields: dict[str, dict[str, str]] = {}
    cues: set[str] = set()
    wanted = {_PATTERN, _CASE, _KIND, _SCOPE, _SUGGESTS, _LABEL}
    for q in quads:
        p, o = q.predicate.value, q.object
        if isinstance(o, ox.Triple):  # a triple term says nothing of a cue
            continue
        if p == ns.RDF_TYPE and o.value == _CUE:
            cues.add(subject_of(q).value)
        elif p in wanted:
            fields.setdefault(subject_of(q).value, {})[p] = o.value
    out = []
    for iri in sorted(cues):
        f = fields.get(iri, {})
        if _PATTERN not in f:
            continue
        flags = 0 if f.get(_CASE) in ("true", "1") else re.IGNORECASE
        out.append(Cue(iri, f.get(_LABEL, iri), _local(f.get(_KIND, "")), _local(f.get(_SCOPE, CLAUSE)),
                       re.compile(f[_PATTERN], flags), _local(f[_SUGGESTS]) if _SUGGESTS in f else None))
    return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def clauses(sentence: Sentence, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """The clauses of ``sentence`` as text offsets: cut at :data:`_CLAUSE_BREAK` and at each offset of ``cuts``."""
    marks = {sentence.start, sentence.end}
    for m in _CLAUSE_BREAK.finditer(sentence.text):
        marks.add(sentence.start + m.start())
    marks.update(c for c in cuts if sentence.start < c < sentence.end)
    edges = sorted(marks)
    return list(pairwise(edges))


def find(text: str, cues: list[Cue]) -> list[CueHit]:
    """Every cue of ``cues`` in ``text``, with the span each governs, in text order."""
    hits: list[CueHit] = []
    for sentence in sentences(text):
        found: list[tuple[int, int, Cue]] = []
        for cue in cues:
            for m in cue.pattern.finditer(sentence.text):
                if m.end() > m.start():
                    found.append((sentence.start + m.start(), sentence.start + m.end(), cue))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        kept: list[tuple[int, int, Cue]] = []
        for start, end, cue in found:  # the longer of two overlapping matches wins
            if kept and start < kept[-1][1]:
                continue
            kept.append((start, end, cue))
        # A backward evidential ends its clause: the grounds it introduces are a clause of their own.
        spans = clauses(sentence, [end for _, end, cue in kept if cue.scope == BEFORE])
        for start, end, cue in kept:
            c0, c1 = next(((a, b) for a, b in spans if a <= start < b), (sentence.start, sentence.end))
            comma = text.find(",", end, c1)
            scope = {SENTENCE: (sentence.start, sentence.end), AFTER: (end, c1), BEFORE: (c0, start),
                     PHRASE: (start, c1 if comma < 0 else comma)}.get(cue.scope, (c0, c1))
            hits.append(CueHit(cue, start, end, text[start:end], scope, sentence))
    return hits
