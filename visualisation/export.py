"""The static export: every network view as an HTML file with relative links, opening from disk.

Layout of the output folder::

    index.html, overview.html      the overview (index.html is a copy)
    stances.html                   the stance network
    source/<slug>.html             one page per source document
    theme/<path>.html              one page per theme
    entity/<path>.html             the neighbourhood of each node (radius 1)
    entity/<path>.r2.html          the same with radius 2
    static/                        vis-network, the page script and style, licences

Clicking a node opens its entity view. Nothing is loaded from the network.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import views
from .render import STATIC_DIR, STATIC_FILES, ExportLinks, export_file, more_views, render


@dataclass
class ExportReport:
    out: Path
    pages: int
    truncated: int  # pages that hit the node budget


def export(g: nx.MultiDiGraph, out: Path, settings: views.ViewSettings | None = None) -> ExportReport:
    """Write the static site of projection ``g`` into ``out`` (created if missing; files are overwritten)."""
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
    for slug in views.sources(g):
        write(export_file("source", slug), views.source(g, slug, settings))
    for theme in views.themes(g):
        if views.entity_path(theme):
            write(export_file("theme", theme), views.theme(g, theme, settings))
    for node in sorted(g):
        if views.entity_path(node) and (g.degree(node) or g.nodes[node].get("group") != "other"):
            # isolated unclassified nodes (e.g. evidence selectors) appear in no view, so get no page
            for radius in (1, 2):
                write(export_file("entity", node, radius), views.entity(g, node, radius, settings))
    return report
