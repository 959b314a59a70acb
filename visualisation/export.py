"""The static export: every view, reader, timeline and matrix as an HTML file with relative links, opening from disk.

Layout of the output folder::

    index.html, overview.html      the overview (index.html is a copy)
    stances.html                   the stance network
    timeline.html                  the events on a time axis (filters run in the page)
    stances-matrix.html            the stance matrix (align mode needs the service)
    source/<slug>.html             one page per source document
    sources/index.html             the list of the sources, each linked to its reader
    sources/<slug>.html            the source reader: the text with every evidence span highlighted
    theme/<path>.html              one page per theme
    entity/<path>.html             the neighbourhood of each node (radius 1)
    entity/<path>.r2.html          the same with radius 2
    static/                        vis-network, the page script and style, licences

Clicking a node opens its entity view. Nothing is loaded from the network.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graph.read import stance_matrix, timeline
from graph.read.annotations import SourceAnnotations
from graph.read.events import EventDates

from . import pages, reader, views
from .render import STATIC_DIR, STATIC_FILES, ExportLinks, export_file, more_views, render


@dataclass
class ExportReport:
    out: Path
    pages: int
    truncated: int  # pages that hit the node budget


def has_entity_page(g: nx.MultiDiGraph, node: str) -> bool:
    """Whether the export writes an entity page for ``node``: isolated unclassified nodes (e.g. evidence
    selectors) appear in no view, so get no page."""
    return bool(views.entity_path(node)) and node in g and bool(g.degree(node) or g.nodes[node].get("group") != "other")


def _exported_page(g: nx.MultiDiGraph, links: ExportLinks, iri: str) -> str | None:
    """Where a click on ``iri`` leads in the export: its entity page, if the export writes one."""
    return links.entity_page(iri) if has_entity_page(g, iri) else None


def export(g: nx.MultiDiGraph, out: Path, settings: views.ViewSettings | None = None, *,
           event_dates: dict[str, EventDates], readers: Sequence[SourceAnnotations] = ()) -> ExportReport:
    """Write the static site of projection ``g`` into ``out`` (created if missing; files are overwritten);
    ``event_dates`` (:func:`graph.read.events.read_event_dates`) places the events on the timeline, and ``readers``
    (:func:`graph.read.annotations.annotate`) are the sources whose reader it writes."""
    settings = settings or views.ViewSettings()
    out.mkdir(parents=True, exist_ok=True)
    (out / "static").mkdir(exist_ok=True)
    for name in STATIC_FILES:
        shutil.copyfile(STATIC_DIR / name, out / "static" / name)
    report = ExportReport(out=out, pages=0, truncated=0)

    def write(file: str, view: views.View, more: bool = False) -> None:
        links = ExportLinks(page=file)
        path = out / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(view, links, more_views(g, links) if more else None), encoding="utf-8")
        report.pages += 1
        report.truncated += bool(view.omitted)

    overview = views.overview(g, settings)
    write("index.html", overview, more=True)
    write(export_file("overview"), overview, more=True)
    write(export_file("stances"), views.stances(g, settings))
    events = timeline.build_index(g, event_dates)
    page = export_file("timeline")
    (out / page).write_text(pages.render_timeline(timeline.timeline(events, limit=timeline.MAX_LIMIT), events,
                                                  ExportLinks(page=page)), encoding="utf-8")
    positions = stance_matrix.build_index(g)
    page = export_file("stances-matrix")
    (out / page).write_text(pages.render_matrix(stance_matrix.matrix(positions), positions, ExportLinks(page=page)),
                            encoding="utf-8")
    report.pages += 2
    for slug in views.sources(g):
        write(export_file("source", slug), views.source(g, slug, settings))
    for theme in views.themes(g):
        if views.entity_path(theme):
            write(export_file("theme", theme), views.theme(g, theme, settings))
    page = export_file("readers")  # always written: every page's menu links to it
    (out / page).parent.mkdir(parents=True, exist_ok=True)
    (out / page).write_text(reader.render_sources([(a.source, a.slug, a.title) for a in readers],
                                                  ExportLinks(page=page)), encoding="utf-8")
    report.pages += 1
    for annotated in readers:
        page = export_file("reader", annotated.slug)
        links = ExportLinks(page=page)
        (out / page).write_text(reader.render_reader(annotated, links, functools.partial(_exported_page, g, links)),
                                encoding="utf-8")
        report.pages += 1
    for node in sorted(g):
        if has_entity_page(g, node):
            for radius in (1, 2):
                write(export_file("entity", node, radius), views.entity(g, node, radius, settings))
    return report
