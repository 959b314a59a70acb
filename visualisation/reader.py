"""The source reader as HTML: a source's full text with every evidence span highlighted.

What the page shows is computed by :func:`graph.read.annotations.annotate` (the same structure the JSON twin
``/api/v1/sources/{slug}/annotations`` returns); this module only lays it out:

* the text is written paragraph by paragraph from the segment partition. Each segment is a leaf element
  (``span.seg`` with ``data-s``/``data-e``, its offsets in the text) inside the elements of the spans
  covering it, outermost first; where two spans cross, the later one is closed and reopened as a
  continuation (``.cont``), so the markup stays well formed and each span's first element carries its
  ``id``, ``tabindex="0"``, ``role="button"`` and ``aria-describedby`` (the popover). Each span has an
  underline track (:func:`tracks`, ``d0``..``d4``) that no span overlapping it shares, which sets how far
  below the text its underline is drawn, so overlapping spans show stacked underlines;
* a span is styled by its layer (``l-reported``, ``l-actor``, ``l-authors``: a colour and a background
  pattern) and by its hedging (``hedged``: a dashed underline), with a legend; boilerplate segments
  are dimmed and the sentences no evidence quotes are marked (``unquoted``, with a mark in the margin of
  their paragraph and "not quoted" as their tooltip);
* what each span grounds travels in a JSON data island that ``srkg-reader.js`` reads with
  ``textContent`` and shows with DOM text only (the popover on hover and focus, the links on click or
  Enter, the ``#at-{start}-{end}`` anchors). Every string from the data reaches the page through Jinja's
  autoescape or that island (``tojson``).

:class:`~visualisation.render.Links` decides where links go, so the same page is served at
``/sources/{slug}`` and written by the static export as ``sources/{slug}.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from graph.language import DEFAULT
from graph.read.annotations import LAYER_LABELS, LAYERS, Grounded, SourceAnnotations, Span

from .render import LangLinks, Links, environment, page_chrome

TEMPLATE = "reader.html"
SOURCES_TEMPLATE = "sources.html"
STYLESHEET = "srkg-reader.css"
SCRIPT = "srkg-reader.js"
#: the CSS class of each attribution layer (an unknown one is styled as "other")
LAYER_CLASS = {"ReportedFact": "reported", "ActorAttributed": "actor", "AuthorInference": "authors"}
#: spans on deeper tracks share the underline position of this one
MAX_DEPTH = 4
NOT_QUOTED = "not quoted: no evidence quotes this sentence"
BOILERPLATE = "boilerplate: a heading or page artefact, which needs no quote"


@dataclass(frozen=True)
class Token:
    """One piece of a paragraph's markup: an opening span element, a closing one, or a leaf of text."""

    kind: str  # "open", "close" or "text"
    span: Span | None = None
    track: int = 0  # its underline track (see tracks)
    cont: bool = False  # a span reopened after a crossing span closed it
    text: str = ""
    start: int = 0
    end: int = 0
    classes: str = ""
    title: str | None = None


@dataclass
class Paragraph:
    start: int
    end: int
    tokens: list[Token] = field(default_factory=list)
    unquoted: bool = False


def span_classes(span: Span, track: int, cont: bool) -> str:
    classes = ["ev", "l-" + LAYER_CLASS.get(span.layer, "other"), f"d{min(track, MAX_DEPTH)}"]
    if span.hedged:
        classes.append("hedged")
    if span.mixed:
        classes.append("mixed")
    if cont:
        classes.append("cont")
    return " ".join(classes)


def tracks(spans: Sequence[Span]) -> dict[str, int]:
    """The underline track of each span: the lowest one that no overlapping span that starts before it uses, so
    overlapping spans get distinct tracks and a span keeps its track along its whole length."""
    out: dict[str, int] = {}
    active: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end, s.id)):
        active = [a for a in active if a.end > s.start]
        used = {out[a.id] for a in active}
        out[s.id] = next(t for t in range(len(used) + 1) if t not in used)
        active.append(s)
    return out


def paragraphs(ann: SourceAnnotations) -> list[Paragraph]:
    """The paragraphs of the text as tokens: span elements opened and closed around the leaf segments."""
    by_id = {s.id: s for s in ann.spans}
    track = tracks(ann.spans)
    out = [Paragraph(p.start, p.end) for p in ann.paragraphs]
    opened: set[str] = set()
    current: Paragraph | None = None
    stack: list[str] = []

    def close_to(depth: int) -> None:
        assert current is not None
        while len(stack) > depth:
            stack.pop()
            current.tokens.append(Token("close"))

    for seg in ann.segments:
        if seg.paragraph is None:  # the blank lines between paragraphs
            continue
        para = out[seg.paragraph]
        if para is not current:
            if current is not None:
                close_to(0)
            current = para
        keep = 0
        while keep < len(stack) and keep < len(seg.spans) and stack[keep] == seg.spans[keep]:
            keep += 1
        close_to(keep)
        for sid in seg.spans[keep:]:
            span = by_id[sid]
            cont = sid in opened
            opened.add(sid)
            para.tokens.append(Token("open", span=span, track=track[sid], cont=cont,
                                     classes=span_classes(span, track[sid], cont)))
            stack.append(sid)
        status = ann.sentences[seg.sentence].status if seg.sentence is not None else None
        classes = ["seg"]
        title = None
        if seg.boilerplate:
            classes.append("boiler")
            title = BOILERPLATE
        if status == "not quoted":
            classes.append("unquoted")
            title = NOT_QUOTED
            para.unquoted = True
            if ann.sentences[seg.sentence or 0].start == seg.start:
                classes.append("unquoted-start")
        para.tokens.append(Token("text", text=ann.text[seg.start:seg.end], start=seg.start, end=seg.end,
                                 classes=" ".join(classes), title=title))
    if current is not None:
        close_to(0)
    return out


def grounded_data(g: Grounded, page_of: Callable[[str], str | None]) -> dict[str, object]:
    """What the popover shows of one grounded node (text only; ``href`` is where a click leads)."""
    return {"label": g.label, "type": g.type, "iri": g.iri,
            "layer": LAYER_LABELS.get(g.layer, g.layer) if g.attribution is not None else None,
            "hedging": g.hedging.lower() if g.hedging else None, "hedged": g.hedged,
            "polarity": g.polarity,
            "inferred": f"{g.basis}: {g.reason}" if g.basis or g.reason else None,
            "href": page_of(g.about or g.iri)}


def island(ann: SourceAnnotations, page_of: Callable[[str], str | None]) -> dict[str, object]:
    """The JSON data island of the page: every span with what it grounds."""
    return {"source": ann.source, "slug": ann.slug, "length": len(ann.text),
            "spans": {s.id: {"start": s.start, "end": s.end, "layer": s.layer_label,
                             "hedging": s.hedging.lower() if s.hedging else None, "hedged": s.hedged,
                             "mixed": s.mixed, "grounds": [grounded_data(g, page_of) for g in s.grounds]}
                      for s in ann.spans}}


def legend(ann: SourceAnnotations) -> list[dict[str, object]]:
    """The legend: each layer with how many spans it styles."""
    counts = {layer: sum(1 for s in ann.spans if s.layer == layer) for layer in LAYERS}
    return [{"css": LAYER_CLASS[layer], "label": LAYER_LABELS[layer], "count": counts[layer]} for layer in LAYERS]


def citation_links(slug: str, links: Links) -> list[tuple[str, str]]:
    """The source's citation as each format the REST API gives it, ``(name, href)``; none where there is no REST
    API (the static export)."""
    found = [(name, links.api(f"/api/v1/sources/{quote(slug, safe='')}/citation?format={fmt}"))
             for name, fmt in (("BibTeX", "bibtex"), ("CSL-JSON", "csl-json"))]
    return [(name, href) for name, href in found if href]


def render_reader(ann: SourceAnnotations, links: Links, page_of: Callable[[str], str | None] | None = None, *,
                  lang: str = DEFAULT, lang_links: LangLinks | None = None) -> str:
    """The reader page of one source; ``page_of`` says where a grounded node's link leads (default: its entity
    page under ``links``); its words in ``lang``, with the language menu ``lang_links`` (none without)."""
    page_of = page_of or links.entity_page
    chrome = page_chrome(links, ann.title, stylesheets=(STYLESHEET,), scripts=(SCRIPT,),
                         twin=f"/api/v1/sources/{quote(ann.slug, safe='')}/annotations",
                         more_menu=[("Network view of this source", links.source(ann.slug))])
    page = {
        "ann": ann,
        "source_page": links.entity_page(ann.source) if links.served else None,
        "paragraphs": paragraphs(ann),
        "legend": legend(ann),
        "hedged": sum(1 for s in ann.spans if s.hedged),
        "data": island(ann, page_of),
        "not_quoted": NOT_QUOTED,
        "boilerplate": BOILERPLATE,
        "citations": citation_links(ann.slug, links),
    }
    return environment().get_template(TEMPLATE).render(chrome=chrome, page=page, lang=lang, lang_links=lang_links)


def render_sources(sources: Sequence[tuple[str, str, str]], links: Links, *, offset: int = 0,
                   limit: int | None = None, lang: str = DEFAULT, lang_links: LangLinks | None = None) -> str:
    """The list of sources (``/sources``), each ``(iri, slug, title)``, linked to its reader and its network
    view; ``limit`` of them from ``offset`` (all without a limit), sorted by title; its words in ``lang``, with
    the language menu ``lang_links`` (none without)."""
    ordered = sorted(sources, key=lambda s: (s[2].casefold(), s[1]))
    shown = ordered[offset:offset + limit] if limit is not None else ordered[offset:]
    rows = [{"title": title, "slug": slug, "reader": links.reader(iri), "view": links.source(slug),
             "page": links.entity_page(iri) if links.served else None} for iri, slug, title in shown]
    more = limit is not None and offset + limit < len(ordered)
    chrome = page_chrome(links, "Sources", stylesheets=(STYLESHEET,), current=links.readers(),
                         twin="/api/v1/sources")
    page = {
        "rows": rows,
        "total": len(ordered),
        "offset": offset,
        "previous": max(offset - (limit or 0), 0) if offset > 0 and limit else None,
        "next": offset + limit if more and limit else None,
    }
    return environment().get_template(SOURCES_TEMPLATE).render(chrome=chrome, page=page, lang=lang,
                                                               lang_links=lang_links)
