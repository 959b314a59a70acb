"""Turn a :class:`~visualisation.views.View` into one self-contained HTML page with pyvis.

pyvis holds the nodes and edges (:class:`pyvis.network.Network`), but the
page comes from the project's own template (pyvis's template hook,
``set_template_dir`` plus an autoescaping ``templateEnv``), because pyvis's
template loads vis-network and Bootstrap from CDNs, renders its heading
unescaped and switches tooltips to ``innerHTML`` when a title holds "href".
Here:

* scripts and styles come from :data:`STATIC_DIR`, served by the service
  under ``/view/static/`` or copied next to the static export;
* every string from the data reaches the page either through Jinja's
  autoescape (heading, lists) or inside a JSON data island
  (``<script type="application/json">``, escaped by ``tojson``) that
  ``srkg-views.js`` reads and shows with DOM text nodes only; no vis ``title``
  is ever set, so vis never parses HTML from the data.

:class:`Links` decides where links go: :class:`ServiceLinks` for the
service, :class:`ExportLinks` for relative links of the static site.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.edge import Edge
from pyvis.network import Network

from graph import namespaces as ns

from .views import GROUP_STYLE, POLARITY_COLOUR, RELATION_COLOUR, View, entity_path, sources, themes

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
TEMPLATE = "view.html"

#: The files a page needs, all served from the package (nothing from a CDN).
STATIC_FILES = ("vis-network.min.js", "srkg-views.js", "srkg-views.css", "favicon.svg", "LICENSE-MIT",
                "LICENSE-APACHE-2.0")


def safe_path(path: str) -> str:
    """``path`` percent-encoded for use in a URL or a file name (no ``..`` segment survives)."""
    return "/".join(quote(seg, safe="-_.~") if seg not in (".", "..") else quote(seg, safe="")
                    .replace(".", "%2E") for seg in path.split("/"))


class Links(ABC):
    """Where a page's links point to: the service's URLs (:class:`ServiceLinks`) or the export's relative paths."""

    @abstractmethod
    def static(self, name: str) -> str:
        ...

    @abstractmethod
    def entity_page(self, iri: str) -> str | None:
        """Where a click on node ``iri`` leads."""
        ...

    @abstractmethod
    def entity_view(self, iri: str, radius: int = 1) -> str | None:
        ...

    @abstractmethod
    def overview(self) -> str:
        ...

    @abstractmethod
    def stances(self) -> str:
        ...

    @abstractmethod
    def theme(self, iri: str) -> str | None:
        ...

    @abstractmethod
    def source(self, slug: str) -> str:
        ...


@dataclass
class ServiceLinks(Links):
    """Absolute links of the service: views under ``/view/``, entity pages under ``/id/``."""

    prefix: str = "/view"

    def static(self, name: str) -> str:
        return f"{self.prefix}/static/{name}"

    def entity_page(self, iri: str) -> str | None:
        path = entity_path(iri)
        return f"/id/{safe_path(path)}" if path else None

    def entity_view(self, iri: str, radius: int = 1) -> str | None:
        path = entity_path(iri)
        return f"{self.prefix}/entity/{safe_path(path)}?radius={radius}" if path else None

    def overview(self) -> str:
        return f"{self.prefix}/overview"

    def stances(self) -> str:
        return f"{self.prefix}/stances"

    def theme(self, iri: str) -> str | None:
        path = entity_path(iri)
        return f"{self.prefix}/theme/{safe_path(path)}" if path else None

    def source(self, slug: str) -> str:
        return f"{self.prefix}/source/{quote(slug, safe='')}"


def export_file(kind: str, key: str = "", radius: int = 1) -> str:
    """The file (relative to the export root) of a view of the static site."""
    if kind == "overview":
        return "overview.html"
    if kind == "stances":
        return "stances.html"
    if kind == "source":
        return f"source/{quote(key, safe='')}.html"
    path = safe_path(entity_path(key) or "")
    if kind == "theme":
        return f"theme/{path}.html"
    return f"entity/{path}.html" if radius == 1 else f"entity/{path}.r{radius}.html"


@dataclass
class ExportLinks(Links):
    """Relative links between the files of the static export, from a page at ``page`` (relative path)."""

    page: str = "index.html"

    @property
    def root(self) -> str:
        return "../" * self.page.count("/")

    def _href(self, file: str) -> str:
        return self.root + quote(file, safe="/-_.~")  # a file name's "%" becomes "%25" in its URL

    def static(self, name: str) -> str:
        return self._href("static/" + name)

    def entity_page(self, iri: str) -> str | None:
        return self.entity_view(iri)

    def entity_view(self, iri: str, radius: int = 1) -> str | None:
        return self._href(export_file("entity", iri, radius)) if entity_path(iri) else None

    def overview(self) -> str:
        return self._href(export_file("overview"))

    def stances(self) -> str:
        return self._href(export_file("stances"))

    def theme(self, iri: str) -> str | None:
        return self._href(export_file("theme", iri)) if entity_path(iri) else None

    def source(self, slug: str) -> str:
        return self._href(export_file("source", slug))


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def vis_options(view: View) -> dict:
    """vis-network options: physics only for small views, and only until stabilised (the page turns it off)."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": len(view.nodes) <= 100},
        "physics": {"enabled": view.physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
                    "stabilization": {"enabled": True, "iterations": 400, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 60, "hideEdgesOnDrag": not view.physics},
        "nodes": {"font": {"size": 16}, "scaling": {"label": {"drawThreshold": 3}}},
        "edges": {"font": {"size": 10, "align": "middle", "color": "#555"},
                  "smooth": {"enabled": view.physics, "type": "dynamic"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    }


#: how an edge that the source does not state is drawn: dotted, where a hedged stance is dashed
INFERRED_DASHES = [2, 5]


def short_label(label: str, limit: int = 48) -> str:
    """``label`` cut to ``limit`` characters for drawing on the canvas (the tooltip shows it whole)."""
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "\u2026"


def network(view: View, links: Links) -> Network:
    """The pyvis network of ``view``: vis node and edge records with the fields the page script reads."""
    net = Network(height="100%", width="100%", directed=True, heading=view.title, cdn_resources="local")
    for n in view.nodes:
        shape, colour = GROUP_STYLE.get(n.group, GROUP_STYLE["other"])
        extra = {"x": n.x, "y": n.y} if n.x is not None else {}
        net.add_node(n.id, label=short_label(n.label or n.id), srkgLabel=n.label or n.id, shape=shape,
                     color=colour, size=round(n.size, 2),
                     borderWidth=3 if n.id == view.focus else 1,
                     srkgGroup=n.group, srkgType=n.cls_label, srkgEvidence=n.evidence, srkgThemes=n.themes,
                     href=links.entity_page(n.id), **extra)
    labels = {n.id: n.label for n in view.nodes}
    for e in view.edges:
        # pyvis's add_edge scans the node list per edge; the view already guarantees both ends exist.
        net.edges.append(Edge(e.source, e.target, True, id=e.id, label=e.relation,
                              color=POLARITY_COLOUR.get(e.polarity or "", RELATION_COLOUR),
                              dashes=INFERRED_DASHES if e.inferred else e.hedged, width=2 if e.polarity else 1,
                              srkgPolarity=e.polarity, srkgHedged=e.hedged, srkgInferred=e.inferred,
                              srkgEvidence=e.evidence,
                              srkgThemes=e.themes, srkgFrom=labels.get(e.source, e.source),
                              srkgTo=labels.get(e.target, e.target)).options)
    net.set_template_dir(str(TEMPLATES_DIR) + "/", TEMPLATE)
    return net


def more_views(g: nx.MultiDiGraph, links: Links) -> list[tuple[str, str]]:
    """Links to the per-source and per-theme views, for the overview's side bar."""
    out = [("Source: " + str(g.nodes[ns.SOURCE_ID_PREFIX + slug].get("label", slug))
            if ns.SOURCE_ID_PREFIX + slug in g else "Source: " + slug, links.source(slug))
           for slug in sources(g)]
    out += [("Theme: " + str(g.nodes[t].get("label", t)), href) for t in themes(g) if (href := links.theme(t))]
    return out


def render(view: View, links: Links, more: list[tuple[str, str]] | None = None) -> str:
    """The HTML page of ``view``, with links from ``links`` and links to ``more`` views in the side bar."""
    net = network(view, links)
    env = _environment()
    groups = sorted({n.group for n in view.nodes}, key=lambda g: list(GROUP_STYLE).index(g)
                    if g in GROUP_STYLE else len(GROUP_STYLE))
    polarities = sorted({e.polarity or "none" for e in view.edges})
    menu = [("Overview", links.overview()), ("Stances", links.stances())]
    radius_links = []
    if view.kind == "entity" and view.focus:
        radius_links = [(r, links.entity_view(view.focus, r)) for r in (1, 2)]
    env.globals["page"] = {
        "view": view,
        "css": links.static("srkg-views.css"),
        "icon": links.static("favicon.svg"),
        "scripts": [links.static("vis-network.min.js"), links.static("srkg-views.js")],
        "licence": links.static("LICENSE-MIT"),
        "menu": menu,
        "more": list(more or []),
        "radius_links": radius_links,
        "focus_page": links.entity_page(view.focus) if view.focus else None,
        "legend": [(g, *GROUP_STYLE.get(g, GROUP_STYLE["other"])) for g in groups],
        "polarity_legend": [(p, POLARITY_COLOUR.get(p, RELATION_COLOUR)) for p in polarities],
        "node_links": sorted(((n.label, links.entity_page(n.id), n.group) for n in view.nodes),
                             key=lambda t: t[0].lower()),
        "data": {"groups": groups, "polarities": polarities, "themes": view.theme_labels,
                 "physics": view.physics, "options": vis_options(view),
                 "shown": len(view.nodes), "total": view.total_nodes},
    }
    net.templateEnv = env
    return net.generate_html(name="view.html")
