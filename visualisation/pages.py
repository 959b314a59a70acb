"""The timeline and the stance matrix as HTML pages, made from the core's :class:`graph.read.timeline.Timeline`,
:class:`graph.read.stance_matrix.StanceMatrix` and :class:`graph.read.stance_matrix.Alignment`.

Both pages come from the project's Jinja templates with autoescape on (``timeline.html``,
``stances-matrix.html``, in ``layout.html`` with a :class:`~visualisation.render.Chrome`), and follow the
network views' rules (:mod:`visualisation.render`): assets from :data:`~visualisation.render.STATIC_DIR`
only, no inline script, every string from the data either escaped by Jinja or carried in a JSON data island
that the page script reads with ``textContent`` and shows as DOM text. :class:`~visualisation.render.Links`
decides where links go (the service or the static export); the source reader and the REST twins exist only
when the service serves the page, the search box only when its host provides search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import quote, urlencode

from graph.language import DEFAULT
from graph.read import stance_matrix as matrix_core
from graph.read import timeline as timeline_core
from graph.read.events import EventRecord
from graph.read.projection import Evidence, Inferred

from .render import LangLinks, Links, environment, page_chrome

#: The files the timeline page loads (vis-timeline injects its own CSS).
TIMELINE_SCRIPTS = ("vis-timeline-graph2d.min.js", "srkg-timeline.js")
#: The stylesheet of both pages (after the views' own).
PAGES_CSS = "srkg-pages.css"
#: The id of the timeline's row for events that belong to no group.
OTHER_ROW = "srkg:other-events"
#: ``name(iri, english)``: how a page names an entity its records do not carry (the label in the page's
#: language, :meth:`graph.read.labels.Labels.pick`); :func:`english` keeps the English one
Namer = Callable[[str, str], str]


def english(iri: str, label: str) -> str:
    """The English label ``label`` of ``iri``, as it is."""
    return label
#: How each status reads (``srkg:EventStatus`` local names); planned and announced events are prospective.
STATUS_TEXT = {"Occurred": "occurred", "Ongoing": "ongoing", "Planned": "planned", "Announced": "announced"}
#: The most evidence links one matrix cell shows.
CELL_EVIDENCE = 3


def _day(stamp: str | None) -> str:
    """A time stamp as a person reads it: "16 May 2024", "May 2024", "2024" (else as given)."""
    if not stamp:
        return ""
    parts = stamp[:10].split("-")
    try:
        if len(parts) == 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).strftime("%-d %B %Y")
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    except ValueError:
        return stamp
    return stamp


def dates_text(record: EventRecord) -> str:
    begin, end = _day(record.begin), _day(record.end)
    if not begin and not end:
        return "no date"
    return begin if not end or end == begin else f"{begin or '?'} \u2013 {end}"


def _inferred_notes(record: EventRecord) -> list[str]:
    notes: list[str] = []
    marks: list[tuple[str, Inferred | None]] = [("begin", record.begin_inferred), ("end", record.end_inferred)]
    for which, mark in marks:
        if mark is not None:
            notes.append(f"{which} date inferred: {mark.basis} \u2014 {mark.reason}")
    return notes


def _quote(evidence: tuple[Evidence, ...]) -> str | None:
    return evidence[0].exact if evidence else None


def timeline_data(found: timeline_core.Timeline, index: timeline_core.TimelineIndex, links: Links,
                  name: Namer = english) -> dict:
    """The JSON island of the timeline page: vis-timeline items and nested groups, with the fields the page
    script shows and filters by (every string is data: the script writes it as text); the actors, themes and
    sources named by ``name``."""
    labels = {kind: {f.iri: name(f.iri, f.label) for f in index.facets[kind]} for kind in timeline_core.FILTERS}

    def record_data(record: EventRecord) -> dict:
        values = {"actor": record.actors, "theme": record.themes, "source": record.sources}
        return {"label": record.label, "kind": record.type, "href": links.entity_page(record.iri),
                "status": (record.status or "").lower(), "statusText": STATUS_TEXT.get(record.status or "", ""),
                "prospective": record.prospective, "dates": dates_text(record),
                "inferred": _inferred_notes(record), "quote": _quote(record.evidence),
                **{kind + "s": [labels[kind].get(i, timeline_core.entity_id(i)) for i in iris]
                   for kind, iris in values.items()},
                "filter": {kind: [timeline_core.entity_id(i) for i in iris] for kind, iris in values.items()}}

    parents = {g.event.iri: g.event.label for g in found.groups}
    items = [{"id": i.event.iri, "group": i.row or OTHER_ROW, "start": i.start.isoformat(),
              "end": i.end.isoformat(), "parent": parents.get(i.parent or "", None),
              **record_data(i.event)} for i in found.items]
    groups = [{"id": g.event.iri, "label": g.event.label, "href": links.entity_page(g.event.iri), "level": g.level,
               "nested": list(g.nested), "onAxis": g.on_axis, "order": n} for n, g in enumerate(found.groups)]
    if found.ungrouped:
        groups.append({"id": OTHER_ROW, "label": "Events in no group", "href": None, "level": 0, "nested": [],
                       "onAxis": False, "order": len(groups)})
    return {"items": items, "groups": groups,
            "filters": {kind: timeline_core.entity_id(iri) if iri else "" for kind, iri in found.filter.items()},
            "complete": not found.filter.active and found.omitted == 0}


def _query(found: timeline_core.Timeline) -> str:
    """The query string of ``found``'s filters and limit, as the page and its JSON twin take them."""
    params = [(kind, timeline_core.entity_id(iri)) for kind, iri in found.filter.items() if iri]
    if found.limit != timeline_core.DEFAULT_LIMIT:
        params.append(("limit", str(found.limit)))
    return "?" + urlencode(params) if params else ""


def render_timeline(found: timeline_core.Timeline, index: timeline_core.TimelineIndex, links: Links, *,
                    lang: str = DEFAULT, lang_links: LangLinks | None = None, name: Namer = english) -> str:
    """The page of ``found``, its words in ``lang``, with the language menu ``lang_links`` (none without), the
    entities its records do not carry named by ``name``."""
    filters = [(kind, [(f.id, f.label, f.events) for f in found.facets[kind]],
                timeline_core.entity_id(iri) if iri else "") for kind, iri in found.filter.items()]
    undated = [(r, links.entity_page(r.iri), STATUS_TEXT.get(r.status or "", "no status")) for r in found.undated]
    listed = [(i, links.entity_page(i.event.iri), dates_text(i.event), _inferred_notes(i.event),
               STATUS_TEXT.get(i.event.status or "", "no status")) for i in found.items]
    chrome = page_chrome(links, "Timeline", stylesheets=(PAGES_CSS,), scripts=TIMELINE_SCRIPTS,
                         current=links.timeline(), twin="/api/v1/timeline" + _query(found))
    return environment().get_template("timeline.html").render(
        chrome=chrome, links=links, licence=links.static("vis-timeline-LICENSE-MIT.txt"), timeline=found,
        filters=filters, undated=undated, listed=listed,
        limit=found.limit if found.limit != timeline_core.DEFAULT_LIMIT else None,
        data=timeline_data(found, index, links, name), lang=lang, lang_links=lang_links)


# -- the stance matrix ------------------------------------------------------------------------

def _reading_classes(reading: matrix_core.Reading) -> str:
    return " ".join(["reading", f"polarity-{(reading.polarity or 'other').lower()}",
                     "plain" if reading.plain else "qualified", *reading.qualifiers])


def cell_view(cell: matrix_core.Cell | None, links: Links) -> dict | None:
    """What a table cell shows: its readings (each linked to its first stance's page), the number of
    sources, and links to the evidence (the source reader in the service, the stance's view in the export)."""
    if cell is None:
        return None
    # "text" is the reading in English; the rest lets a page word it in another language: the polarity's symbol
    # and key, each qualifier's symbol and key, the hedging degree (lower case)
    readings = [{"text": r.text, "classes": _reading_classes(r), "count": len(r.stances),
                 "href": links.entity_page(r.stances[0]),
                 "symbol": matrix_core.POLARITY_TEXT.get(r.polarity or "", ("\u00b7", ""))[0], "polarity": r.polarity,
                 "qualifiers": [(matrix_core.QUALIFIER_TEXT[q][0], q) for q in r.qualifiers],
                 "hedging": r.hedging.lower() if r.hedging else None} for r in cell.readings]
    evidence: list[dict[str, str | None]] = []
    for stance in cell.stances:
        for e in stance.evidence:
            if len(evidence) < CELL_EVIDENCE:
                evidence.append({"quote": e.exact, "href": links.reader(e.source, e.start, e.end)
                                 or links.entity_page(stance.iri)})
    return {"readings": readings, "sources": len(cell.sources), "stances": len(cell.stances),
            "evidence": evidence, "more": max(0, sum(len(s.evidence) for s in cell.stances) - len(evidence)),
            "plain": cell.plain}


def _matrix_common(links: Links, index: matrix_core.StanceIndex, title: str, twin: str, name: Namer) -> dict:
    """What the matrix and the alignment page share: the chrome (titled ``title``, with the JSON twin ``twin``),
    the legend and the actors to compare."""
    return {"chrome": page_chrome(links, title, stylesheets=(PAGES_CSS,), current=links.stance_matrix(), twin=twin),
            "links": links, "polarities": list(matrix_core.POLARITY_TEXT.values()),
            "qualifiers": list(matrix_core.QUALIFIER_TEXT.values()),
            "actors": [(timeline_core.entity_id(h.iri), name(h.iri, h.label)) for h in index.holders]}


def render_matrix(found: matrix_core.StanceMatrix, index: matrix_core.StanceIndex, links: Links, *,
                  lang: str = DEFAULT, lang_links: LangLinks | None = None, name: Namer = english,
                  chosen: str = "") -> str:
    """The page of the matrix (the whole of it, or the row of the actor ``chosen``, its id), its words in
    ``lang``, with the language menu ``lang_links`` (none without)."""
    rows = [(h, links.entity_page(h.iri), [cell_view(found.cells.get((h.iri, t.iri)), links) for t in found.targets])
            for h in found.holders]
    return environment().get_template("stances-matrix.html").render(
        matrix=found, alignment=None, rows=rows, targets=[(t, links.entity_page(t.iri)) for t in found.targets],
        chosen=(chosen, ""), lang=lang, lang_links=lang_links,
        **_matrix_common(links, index, "Stance matrix", "/api/v1/stances/matrix", name))


def render_alignment(found: matrix_core.Alignment, index: matrix_core.StanceIndex, links: Links, *,
                     lang: str = DEFAULT, lang_links: LangLinks | None = None, name: Namer = english) -> str:
    """The page comparing two actors, its words in ``lang``, with the language menu ``lang_links`` (none
    without)."""
    sections = [(category, found.heading(category), [
        (r.target, links.entity_page(r.target.iri), cell_view(r.a, links), cell_view(r.b, links))
        for r in found.rows if r.category == category]) for category in matrix_core.CATEGORIES]
    a, b = timeline_core.entity_id(found.a.iri), timeline_core.entity_id(found.b.iri)
    return environment().get_template("stances-matrix.html").render(
        matrix=None, alignment=found, sections=sections, chosen=(a, b), lang=lang, lang_links=lang_links,
        **_matrix_common(links, index, f"Stances of {found.a.label} and {found.b.label}",
                         f"/api/v1/stances/matrix?a={quote(a, safe='')}&b={quote(b, safe='')}", name))
