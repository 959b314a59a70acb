"""The annotated text of one source: every evidence span with what it grounds, ready to be read.

The source reader (``/sources/{slug}`` and its JSON twin ``/api/v1/sources/{slug}/annotations``) shows
a source's full text with every piece of evidence highlighted. This module computes, once, what both
show (:func:`annotate`):

* the text, read from the data folder as coverage reads it (:func:`graph.coverage.text_path`);
* every evidence span (:class:`Span`: offsets, quote, evidence IRI) with the nodes it grounds
  (:class:`Grounded`: IRI, label, most specific class, attribution layer, hedging). The layer and hedging
  are the stored ``srkg:attribution`` and ``srkg:hedging``, and ``qualified`` is membership of
  ``srkg:QualifiedAssertion``, the class the build derives with its one rule (``build/qualified-assertions``),
  exactly as the projection and the REST API read them. A node that carries no ``srkg:attribution`` (an
  actor, an event, a document, the basis of an inferred fact) is something the source states, so it counts
  as a reported fact; an ``srkg:InferredFact`` is listed with the statement it describes, its basis and
  reason, so the reader says what the source does not state;
* a span's own layer is the **weakest** layer of what it grounds, in the order of :data:`LAYERS`
  (reported fact, then an actor's view, then the authors' assessment), and its hedging the weakest
  hedging (:data:`HEDGINGS`): when one quote grounds a reported fact and an assessment, the span lists
  both and is styled as the assessment (``mixed`` says that it grounds more than one layer);
* a partition of the text into :class:`Segment` s: each segment is a run of text covered by the same spans
  (listed outermost first), cut also at paragraph, sentence and boilerplate boundaries, so that nested and
  crossing spans can be drawn as stacked marks over flat, well-formed markup;
* the sentences with their coverage (quoted, boilerplate, not quoted), from the same code as
  ``srkg coverage`` (:func:`graph.coverage.source_coverage`), and the boilerplate passages
  (``srkg:boilerplate``), which need no quote and which the page dims.

Everything is read from the store with the catalogue queries ``build/sources`` (the source's text file
and boilerplate), ``reader/source-annotations`` (its evidence and what each piece grounds, anchored on
the one source) and ``projection/superclasses`` (to pick a node's most specific class).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Node

from .. import catalogue
from .. import namespaces as ns
from ..coverage import blocks, boilerplate_list, passages, source_coverage, text_path
from ..store import Store
from ..store.base import to_int
from .projection import local_name

#: The attribution layers, from the strongest (the source reports it) to the weakest (the authors infer it).
LAYERS: tuple[str, ...] = ("ReportedFact", "ActorAttributed", "AuthorInference")
#: How the reader names each layer.
LAYER_LABELS: dict[str, str] = {"ReportedFact": "reported fact", "ActorAttributed": "actor's view",
                                "AuthorInference": "authors' assessment"}
#: The layer of a node that carries no ``srkg:attribution``: what the source states.
STATED = "ReportedFact"
#: The hedging values, from the surest to the least sure; every one but the first is hedged.
HEDGINGS: tuple[str, ...] = ("Certain", "Expected", "Presumed", "Possible")
UNHEDGED = HEDGINGS[0]
INFERRED_FACT = "InferredFact"


class UnknownSource(LookupError):
    """No source document of the store has this slug."""


class SourceTextMissing(LookupError):
    """The source is in the store, but its text file is not in the data folder."""


@dataclass(frozen=True)
class SourceRecord:
    """A source document as ``build/sources`` lists it: enough to find its text and its boilerplate."""

    iri: str
    slug: str
    graph: str
    title: str
    text_file: str
    boilerplate: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> SourceRecord:
        """A record from one row of ``build/sources`` (rdflib terms or strings)."""
        iri = str(row["source"])
        return cls(iri=iri, slug=slug_of(iri), graph=str(row["graph"]), title=str(row["title"]),
                   text_file=str(row["textFile"]), boilerplate=tuple(boilerplate_list(row.get("boilerplates"))))


def slug_of(source_iri: str) -> str:
    """The slug of a source document IRI (``…/id/source/<slug>``)."""
    return source_iri[len(ns.SOURCE_ID_PREFIX):] if source_iri.startswith(ns.SOURCE_ID_PREFIX) \
        else local_name(source_iri)


def source_records(store: Store) -> list[SourceRecord]:
    """Every source document of the store, ordered by IRI."""
    return [SourceRecord.from_row(r) for r in store.select(catalogue.text("build/sources"))]


def find_source(records: Iterable[SourceRecord], slug: str) -> SourceRecord:
    """The record of source ``slug``; :class:`UnknownSource` if there is none."""
    for r in records:
        if r.slug == slug:
            return r
    raise UnknownSource(slug)


def read_text(data_dir: Path, record: SourceRecord) -> str:
    """The text of a source, from the data folder; :class:`SourceTextMissing` if the file is not there."""
    path = text_path(data_dir, record.graph, record.text_file)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise SourceTextMissing(f"the text of source {record.slug!r} is not in the data folder "
                                f"(looked for {path})") from None


@dataclass(frozen=True)
class Grounded:
    """A node that a span grounds: an assertion (stance, actor's view, assessment), an entity or an event,
    or an inferred fact whose basis the span is."""

    iri: str
    label: str
    type: str = ""  # the local name of its most specific class
    attribution: str | None = None  # srkg:attribution as stored (local name); None if it carries none
    layer: str = STATED  # its attribution, or STATED for a node that carries none
    hedging: str | None = None  # srkg:hedging (local name), if stated
    hedged: bool = False  # hedging stated and not Certain
    qualified: bool = False  # an srkg:QualifiedAssertion: attributed, inferred by the authors, or hedged
    polarity: str | None = None
    about: str | None = None  # for an inferred fact: the subject of the statement it describes
    basis: str | None = None  # for an inferred fact: why it is held (label of its srkg:basis)
    reason: str | None = None

    @property
    def layer_label(self) -> str:
        return LAYER_LABELS.get(self.layer, self.layer)


@dataclass(frozen=True)
class Span:
    """One piece of evidence: a passage of the text, and every node it grounds."""

    id: str  # "ev-<start>-<end>", unique in its source (the anchor of its element on the page)
    evidence: str
    start: int
    end: int
    quote: str
    layer: str  # the weakest layer of what it grounds
    hedging: str | None  # the weakest hedging of what it grounds (None if none states any)
    hedged: bool
    mixed: bool  # it grounds nodes of more than one layer (it is styled by the weakest)
    grounds: tuple[Grounded, ...]

    @property
    def layer_label(self) -> str:
        return LAYER_LABELS.get(self.layer, self.layer)


@dataclass(frozen=True)
class Segment:
    """A run of the text ``[start, end)`` covered by the same spans (ids, outermost first), inside one
    paragraph (None: the blank lines between paragraphs), one sentence (None: between sentences), and either
    all boilerplate or none."""

    start: int
    end: int
    spans: tuple[str, ...]
    paragraph: int | None
    sentence: int | None
    boilerplate: bool


@dataclass(frozen=True)
class Range:
    start: int
    end: int


@dataclass(frozen=True)
class SentenceCoverage:
    """A sentence and whether evidence quotes it: ``quoted``, ``boilerplate`` (needs no quote) or
    ``not quoted``."""

    start: int
    end: int
    status: str


@dataclass(frozen=True)
class CoverageFigure:
    """How many sentences evidence quotes, of those that need a quote (all but boilerplate)."""

    sentences: int
    quoted: int
    boilerplate: int
    not_quoted: int


@dataclass(frozen=True)
class SourceAnnotations:
    """Everything the source reader shows of one source."""

    source: str
    slug: str
    title: str
    graph: str
    text: str
    spans: tuple[Span, ...]
    segments: tuple[Segment, ...]
    paragraphs: tuple[Range, ...]
    sentences: tuple[SentenceCoverage, ...]
    boilerplate: tuple[Range, ...]
    coverage: CoverageFigure


def weakest(values: Iterable[str | None], order: tuple[str, ...]) -> str | None:
    """The value of ``values`` latest in ``order`` (unknown values count as the weakest); None if there is none."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return max(present, key=lambda v: order.index(v) if v in order else len(order))


def most_specific(types: set[str], supers: Mapping[str, set[str]]) -> str:
    """The most specific of ``types`` (IRIs): one that is no super-class of another, srkg's classes first."""
    candidates = [t for t in types if not any(t in supers.get(u, set()) for u in types if u != t)]
    if not candidates:
        return ""
    return sorted(candidates, key=lambda t: (not t.startswith(ns.SRKG), t))[0]


def superclasses(store: Store) -> dict[str, set[str]]:
    """Every class of the ontology with its super-classes (``projection/superclasses``)."""
    out: dict[str, set[str]] = defaultdict(set)
    for row in store.select(catalogue.text("projection/superclasses")):
        out[str(row["class"])].add(str(row["super"]))
    return out


def _grounded(iri: str, facts: Mapping[str, list[str]], supers: Mapping[str, set[str]]) -> Grounded:
    def first(key: str) -> str | None:
        values = facts.get(key)
        return min(values) if values else None

    def name(key: str) -> str | None:
        value = first(key)
        return local_name(value) if value is not None else None

    type_iri = most_specific(set(facts.get("type", [])), supers)
    kind = local_name(type_iri) if type_iri else ""
    attribution, hedging = name("attribution"), name("hedging")
    label = first("label") or first("prefLabel") or first("claim")
    about = first("subject") if kind == INFERRED_FACT else None
    if kind == INFERRED_FACT:  # no label of its own: say what it describes
        subject = first("subjectLabel") or local_name(first("subject") or "")
        obj = first("object") or ""
        value = first("objectLabel") or (local_name(obj) if obj.startswith(("http://", "https://")) else obj)
        label = label or f"{subject}: {local_name(first('predicate') or '')} {value}".strip()
    return Grounded(
        iri=iri, label=label or local_name(iri), type=kind, attribution=attribution,
        layer=attribution or STATED, hedging=hedging, hedged=hedging is not None and hedging != UNHEDGED,
        qualified="qualified" in facts, polarity=name("polarity"), about=about,
        basis=first("basis") if kind == INFERRED_FACT else None,
        reason=first("reason") if kind == INFERRED_FACT else None)


def _span(span_id: str, evidence: str, start: int, end: int, quote: str, grounds: list[Grounded]) -> Span:
    # assertions first, the weakest layer first; then what the source states; inferred facts last
    ordered = tuple(sorted(grounds, key=lambda g: (g.type == INFERRED_FACT, g.attribution is None,
                                                   -(LAYERS.index(g.layer) if g.layer in LAYERS else len(LAYERS)),
                                                   g.label.casefold(), g.iri)))
    hedging = weakest((g.hedging for g in ordered), HEDGINGS)
    return Span(id=span_id, evidence=evidence, start=start, end=end, quote=quote,
                layer=weakest((g.layer for g in ordered), LAYERS) or STATED, hedging=hedging,
                hedged=any(g.hedged for g in ordered), mixed=len({g.layer for g in ordered}) > 1, grounds=ordered)


def spans_of(rows: Iterable[Mapping[str, Node | None]], supers: Mapping[str, set[str]]) -> list[Span]:
    """The spans from the rows of ``reader/source-annotations``, in the order of the text (start, longest first)."""
    evidence: dict[str, tuple[int, int, str]] = {}
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    grounds: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        ev, node = str(row["evidence"]), str(row["node"])
        evidence[ev] = (to_int(row["start"]), to_int(row["end"]), str(row["exact"]))
        grounds[ev].add(node)
        value = row.get("value")
        if value is not None:
            facts[node][str(row["key"])].append(str(value))
    nodes = {n: _grounded(n, f, supers) for n, f in facts.items()}
    out: list[Span] = []
    seen: set[str] = set()
    for ev, (start, end, quote) in sorted(evidence.items(), key=lambda t: (t[1][0], -t[1][1], t[0])):
        span_id = base = f"ev-{start}-{end}"
        n = 1
        while span_id in seen:  # two evidence nodes on the same passage: keep both, with distinct ids
            n += 1
            span_id = f"{base}-{n}"
        seen.add(span_id)
        out.append(_span(span_id, ev, start, end, quote, [nodes[g] for g in grounds[ev]]))
    return out


def segments_of(length: int, spans: list[Span], paragraphs: list[tuple[int, int]],
                sentences: list[tuple[int, int]], boilerplate: list[tuple[int, int]]) -> list[Segment]:
    """Partition ``[0, length)`` into segments: cut wherever a span, a paragraph, a sentence or a boilerplate
    passage starts or ends. Each segment lists the spans covering it, outermost first (earliest start, then
    longest)."""
    cuts = {0, length}
    for ranges in ([(s.start, s.end) for s in spans], paragraphs, sentences, boilerplate):
        for a, b in ranges:
            cuts.update((min(max(a, 0), length), min(max(b, 0), length)))
    points = sorted(cuts)
    rank = {s.id: i for i, s in enumerate(spans)}  # spans are in (start, longest first) order already
    starting: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starting[s.start].append(s)
    active: dict[str, int] = {}  # id -> end
    out = []
    for a, b in zip(points, points[1:], strict=False):
        for s in starting.get(a, []):
            active[s.id] = s.end
        for sid in [sid for sid, end in active.items() if end <= a]:
            del active[sid]
        out.append(Segment(start=a, end=b, spans=tuple(sorted(active, key=rank.__getitem__)),
                           paragraph=_index(paragraphs, a, b), sentence=_index(sentences, a, b),
                           boilerplate=any(x <= a and b <= y for x, y in boilerplate)))
    return out


def _index(ranges: list[tuple[int, int]], a: int, b: int) -> int | None:
    """The index of the range of ``ranges`` (sorted, disjoint) that holds ``[a, b)``, or None."""
    lo, hi = 0, len(ranges)
    while lo < hi:
        mid = (lo + hi) // 2
        if ranges[mid][1] <= a:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(ranges) and ranges[lo][0] <= a and b <= ranges[lo][1]:
        return lo
    return None


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` (sorted) with the overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def annotate(store: Store, data_dir: Path, record: SourceRecord) -> SourceAnnotations:
    """The annotated text of one source (see the module docstring)."""
    text = read_text(data_dir, record)
    rows = store.select(catalogue.text("reader/source-annotations", source=record.iri))
    spans = spans_of(rows, superclasses(store))
    boiler = sorted(set(passages(text, list(record.boilerplate))))  # as coverage finds them (they may overlap)
    coverage = source_coverage(record.iri, record.title, text, [(s.start, s.end) for s in spans], boiler)
    status = {**{(s.start, s.end): "quoted" for s in coverage.covered},
              **{(s.start, s.end): "boilerplate" for s in coverage.boilerplate},
              **{(s.start, s.end): "not quoted" for s in coverage.uncovered}}
    sentence_ranges = [(s.start, s.end) for s in coverage.sentences]
    paragraphs = [(a, b) for a, b in blocks(text) if a < b]
    return SourceAnnotations(
        source=record.iri, slug=record.slug, title=record.title, graph=record.graph, text=text,
        spans=tuple(spans), segments=tuple(segments_of(len(text), spans, paragraphs, sentence_ranges, merged(boiler))),
        paragraphs=tuple(Range(a, b) for a, b in paragraphs),
        sentences=tuple(SentenceCoverage(a, b, status[(a, b)]) for a, b in sentence_ranges),
        boilerplate=tuple(Range(a, b) for a, b in merged(boiler)),
        coverage=CoverageFigure(sentences=len(coverage.sentences), quoted=len(coverage.covered),
                                boilerplate=len(coverage.boilerplate), not_quoted=len(coverage.uncovered)))
