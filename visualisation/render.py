"""Rendering shared by every page of the package (links, the page chrome, the Jinja environment), and a
network :class:`~visualisation.views.View` turned into its HTML page with pyvis.

pyvis holds the nodes and edges (:class:`pyvis.network.Network`, read back
with ``get_network_data``), but the page comes from the project's own template
(``view.html``), because pyvis's template loads vis-network and Bootstrap from
CDNs, renders its heading unescaped and switches tooltips to ``innerHTML`` when
a title holds "href". Here:

* scripts and styles come from :data:`STATIC_DIR`, served by the service
  under ``/view/static/`` or copied next to the static export (but for the
  search box's, which only a host that provides search serves);
* every string from the data reaches the page either through Jinja's
  autoescape (heading, lists) or inside a JSON data island
  (``<script type="application/json">``, escaped by ``tojson``) that
  ``srkg-views.js`` reads and shows with DOM text nodes only; no vis ``title``
  is ever set, so vis never parses HTML from the data.

:class:`Links` decides where links go: :class:`ServiceLinks` for the
service, :class:`ExportLinks` for relative links of the static site.

Every page of the package (the views here, the timeline and the stance matrix
of :mod:`visualisation.pages`, the reader and the source list of
:mod:`visualisation.reader`) extends ``templates/layout.html`` and gets what
surrounds its content (the head's assets, the header's title, menu, JSON twin
and search box) as one :class:`Chrome`, made by :func:`page_chrome` from its
:class:`Links`, and renders in the one :func:`environment`.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.edge import Edge
from pyvis.network import Network

from graph import namespaces as ns
from graph.language import DEFAULT, install_gettext

from .views import GROUP_STYLE, POLARITY_COLOUR, RELATION_COLOUR, View, entity_path, sources, themes

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: The gettext catalogues of the pages' words (``<language>/LC_MESSAGES/messages.po``, see ``make translations``).
LOCALES_DIR = PACKAGE_DIR / "locales"
#: A page's language menu: ``{"lang", "name", "href", "current"}`` per language
#: (:func:`graph.language.language_links`); the static export has none.
LangLinks = Sequence[Mapping[str, object]]
TEMPLATE = "view.html"

#: The files a page needs, all served from the package (nothing from a CDN).
STATIC_FILES = ("vis-network.min.js", "srkg-words.js", "srkg-views.js", "srkg-views.css", "favicon.svg", "LICENSE-MIT",
                "LICENSE-APACHE-2.0", "srkg-reader.js", "srkg-reader.css",
                "vis-timeline-graph2d.min.js", "vis-timeline-LICENSE-MIT.txt", "vis-timeline-LICENSE-APACHE-2.0.txt",
                "srkg-timeline.js", "srkg-pages.css")


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

    @abstractmethod
    def timeline(self) -> str:
        ...

    @abstractmethod
    def stance_matrix(self, a: str | None = None, b: str | None = None) -> str:
        """The stance matrix; with actor ids ``a`` and ``b``, their alignment."""
        ...

    #: whether the page is served by the service (with the source reader, the REST API and a home page)
    served = False
    #: whether the page shows the host's search box (``/search`` and its ``/static/search-box.*`` assets)
    search = False

    def reader(self, source: str, start: int | None = None, end: int | None = None) -> str | None:
        """Where the source reader shows characters ``[start, end)`` of ``source`` (an IRI), or the whole source
        without a range; None if nowhere."""
        return None

    def readers(self) -> str | None:
        """The list of the sources, each linked to its reader; None if nowhere."""
        return None

    def api(self, path: str) -> str | None:
        """The REST resource ``path`` of the service (None in the static export)."""
        return None


@dataclass(frozen=True)
class ServiceLinks(Links):
    """Absolute links of the service: views under ``/view/``, entity pages under ``/id/``; ``search`` when the app
    that serves the pages provides search (see :func:`visualisation.web.get_search_box`). Hashable, so it can
    be part of a page cache's key."""

    prefix: str = "/view"
    search: bool = False

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

    def timeline(self) -> str:
        return f"{self.prefix}/timeline"

    def stance_matrix(self, a: str | None = None, b: str | None = None) -> str:
        pair = f"?a={quote(a, safe='')}&b={quote(b, safe='')}" if a and b else ""
        return f"{self.prefix}/stances/matrix{pair}"

    served = True

    def reader(self, source: str, start: int | None = None, end: int | None = None) -> str | None:
        # the source reader's agreed anchor form (the service's /sources/{slug} page)
        slug = source[len(ns.SOURCE_ID_PREFIX):] if source.startswith(ns.SOURCE_ID_PREFIX) else None
        return f"/sources/{quote(slug, safe='')}{reader_anchor(start, end)}" if slug else None

    def readers(self) -> str | None:
        return "/sources"

    def api(self, path: str) -> str | None:
        return path


def reader_anchor(start: int | None, end: int | None) -> str:
    """The fragment of the source reader that scrolls to and highlights ``[start, end)`` ("" without a range)."""
    return f"#at-{start}-{end}" if start is not None and end is not None else ""


def export_file(kind: str, key: str = "", radius: int = 1) -> str:
    """The file (relative to the export root) of a view of the static site."""
    if kind == "overview":
        return "overview.html"
    if kind == "readers":
        return "sources/index.html"
    if kind == "reader":
        return f"sources/{quote(key, safe='')}.html"
    if kind == "stances":
        return "stances.html"
    if kind in ("timeline", "stances-matrix"):
        return f"{kind}.html"
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

    def timeline(self) -> str:
        return self._href(export_file("timeline"))

    def stance_matrix(self, a: str | None = None, b: str | None = None) -> str:
        return self._href(export_file("stances-matrix"))  # align mode needs the service

    def reader(self, source: str, start: int | None = None, end: int | None = None) -> str | None:
        if not source.startswith(ns.SOURCE_ID_PREFIX):
            return None
        return self._href(export_file("reader", source[len(ns.SOURCE_ID_PREFIX):])) + reader_anchor(start, end)

    def readers(self) -> str | None:
        return self._href(export_file("readers"))


@functools.cache
def environment() -> Environment:
    """The one Jinja environment of the package's templates (autoescape on), made once and shared by every
    renderer; templates get their data as render arguments only, so it is safe to use from several threads.
    Its templates have gettext (``_()``, ``{% trans %}``) in the ``lang`` they are rendered with, from
    :data:`LOCALES_DIR`."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    install_gettext(env, LOCALES_DIR)
    return env


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
    return net


def more_views(g: nx.MultiDiGraph, links: Links) -> list[tuple[str, str]]:
    """Links to the per-source and per-theme views, for the overview's side bar."""
    out = [("Source: " + str(g.nodes[ns.SOURCE_ID_PREFIX + slug].get("label", slug))
            if ns.SOURCE_ID_PREFIX + slug in g else "Source: " + slug, links.source(slug))
           for slug in sources(g)]
    out += [("Theme: " + str(g.nodes[t].get("label", t)), href) for t in themes(g) if (href := links.theme(t))]
    return out


def page_menu(links: Links) -> list[tuple[str, str]]:
    """The navigation every page shows."""
    menu = [("Overview", links.overview()), ("Stances", links.stances()), ("Timeline", links.timeline()),
            ("Stance matrix", links.stance_matrix())]
    readers = links.readers()
    return menu + ([("Sources", readers)] if readers else [])


@dataclass(frozen=True)
class Chrome:
    """What ``templates/layout.html`` puts around a page's content: the head's assets and the header."""

    title: str  #: the heading, and the start of the document's title
    stylesheets: tuple[str, ...]  #: URLs, in order
    scripts: tuple[str, ...]  #: URLs of the page scripts, loaded after the content (and its JSON data island)
    icon: str
    menu: tuple[tuple[str, str], ...]  #: (label, URL) of the navigation
    current: str | None  #: the URL of the menu entry of this page, marked ``aria-current="page"``
    twin: str | None  #: the URL of the page's JSON twin in the REST API, if the host has one
    served: bool  #: served by the service: the header links its home page
    search: bool  #: the host provides search: the header shows its search box


def page_chrome(links: Links, title: str, *, stylesheets: Sequence[str] = (), scripts: Sequence[str] = (),
                current: str | None = None, twin: str | None = None,
                more_menu: Sequence[tuple[str, str]] = ()) -> Chrome:
    """The chrome of a page titled ``title``: the views' stylesheet then ``stylesheets``; the ``scripts`` (files
    of :data:`STATIC_DIR`), after ``srkg-words.js`` (the page's words in its language) when there are any; the
    menu (:func:`page_menu`, then ``more_menu``) with ``current`` marked; and the REST resource ``twin`` (a path
    under ``/api/v1``, linked only where ``links`` has the REST API)."""
    return Chrome(title=title, stylesheets=tuple(links.static(name) for name in ("srkg-views.css", *stylesheets)),
                  scripts=tuple(links.static(name) for name in (("srkg-words.js", *scripts) if scripts else ())),
                  icon=links.static("favicon.svg"),
                  menu=(*page_menu(links), *more_menu), current=current,
                  twin=links.api(twin) if twin else None, served=links.served, search=links.search)


def render(view: View, links: Links, more: list[tuple[str, str]] | None = None, *, lang: str = DEFAULT,
           lang_links: LangLinks | None = None) -> str:
    """The HTML page of ``view``, with links from ``links`` and links to ``more`` views in the side bar; its
    words in ``lang``, with the language menu ``lang_links`` (none without)."""
    nodes, edges, *_ = network(view, links).get_network_data()
    groups = sorted({n.group for n in view.nodes}, key=lambda g: list(GROUP_STYLE).index(g)
                    if g in GROUP_STYLE else len(GROUP_STYLE))
    polarities = sorted({e.polarity or "none" for e in view.edges})
    text = links.reader(view.focus) if view.kind == "source" and view.focus else None
    current = {"overview": links.overview(), "stances": links.stances()}.get(view.kind)  # the views in the menu
    chrome = page_chrome(links, view.title, scripts=("vis-network.min.js", "srkg-views.js"), current=current,
                         more_menu=[("Read the text", text)] if text else ())
    radius_links = []
    if view.kind == "entity" and view.focus:
        radius_links = [(r, links.entity_view(view.focus, r)) for r in (1, 2)]
    page = {
        "view": view,
        "licence": links.static("LICENSE-MIT"),
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
    return environment().get_template(TEMPLATE).render(chrome=chrome, page=page, nodes=nodes, edges=edges,
                                                       lang=lang, lang_links=lang_links)
