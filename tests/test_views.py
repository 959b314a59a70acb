"""Tests of the network views without a browser: view models, budget, escaping, router, export.

The views' own test graph (``tests/fixtures/views/data``: two states, a summit,
two policies, three stances, two themes and a person whose label is
``<img src=x onerror=window.__pwned=1>``) is built into a temp store with the
real build (the ``fixture_settings``, ``fixture_store`` and ``fixture_graph``
fixtures in ``conftest.py``); the browser tests (``test_views_browser.py``)
reuse the helpers here.
"""

from __future__ import annotations

import json
import re

import httpx
import networkx as nx
import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fixtures.servers import running_service
from fixtures.synthetic import synthetic_projection
from graph import namespaces as ns
from graph.cli import main as cli
from graph.read.projection import build_projection
from graph.store import Store
from visualisation import views
from visualisation.render import ExportLinks, ServiceLinks, render
from visualisation.web import get_projection, get_store, router

EVIL = "<img src=x onerror=window.__pwned=1>"
ALPHA = ns.ID + "fx-alpha"
EVIL_IRI = ns.ID + "fx-evil"
FREE_TRADE = ns.ID + "fx-free-trade"
TRADE = ns.ID + "fx-theme-trade"
SLUG = "views-fixture"


def views_app(store: Store | None = None, projection: nx.MultiDiGraph | None = None) -> FastAPI:
    """A minimal app with the views router over ``store`` (or a ready ``projection``) and a stub entity page."""
    app = FastAPI()
    app.include_router(router)
    if store is not None:
        app.dependency_overrides[get_store] = lambda: store
    if projection is not None:
        app.dependency_overrides[get_projection] = lambda: projection

    from fastapi.responses import HTMLResponse

    @app.get("/id/{path:path}", response_class=HTMLResponse)
    def entity_stub(path: str) -> str:  # stands in for the service's entity page
        return ("<!DOCTYPE html><title>entity</title><link rel='icon' href='/view/static/favicon.svg'>"
                "<p id='stub'>entity page</p>")

    return app


# --- view models --------------------------------------------------------------------------------


def test_overview_shows_the_overview_classes_and_stance_edges(fixture_graph):
    v = views.overview(fixture_graph)
    groups = {n.group for n in v.nodes}
    assert groups <= set(views.OVERVIEW_GROUPS)
    assert {n.id for n in v.nodes} >= {ALPHA, ns.ID + "fx-beta", ns.ID + "fx-summit", FREE_TRADE, TRADE}
    assert len(v.nodes) == 11 and len(v.edges) == 9
    stance_edges = [e for e in v.edges if e.polarity]
    assert sorted((e.polarity, e.hedged) for e in stance_edges) == [("Opposes", True), ("Supports", False),
                                                                     ("Supports", False)]
    assert not v.omitted and v.physics


def test_entity_view_radius_one_and_two(fixture_graph):
    r1 = views.entity(fixture_graph, ALPHA, 1)
    r2 = views.entity(fixture_graph, ALPHA, 2)
    ids1, ids2 = {n.id for n in r1.nodes}, {n.id for n in r2.nodes}
    assert ALPHA in ids1 and ns.ID + "fx-summit" in ids1 and FREE_TRADE in ids1
    assert ids1 < ids2 and EVIL_IRI in ids2 and EVIL_IRI not in ids1  # summit -> guest is two steps away
    assert r1.focus == ALPHA and r2.radius == 2
    with pytest.raises(views.ViewNotFound):
        views.entity(fixture_graph, ns.ID + "no-such-thing")
    with pytest.raises(ValueError):
        views.entity(fixture_graph, ALPHA, 3)


def test_theme_view_includes_narrower_themes_and_tagged_things(fixture_graph):
    v = views.theme(fixture_graph, TRADE)
    ids = {n.id for n in v.nodes}
    assert {TRADE, ns.ID + "fx-theme-tariffs", ns.ID + "fx-summit", ns.ID + "fx-tariffs"} <= ids
    with pytest.raises(views.ViewNotFound):
        views.theme(fixture_graph, ALPHA)


def test_source_and_stance_views(fixture_graph):
    src = views.source(fixture_graph, SLUG)
    assert ns.SOURCE_ID_PREFIX + SLUG in {n.id for n in src.nodes}
    assert FREE_TRADE in {n.id for n in src.nodes}
    st = views.stances(fixture_graph)
    assert len(st.edges) == 3 and all(e.polarity in ("Supports", "Opposes") for e in st.edges)
    assert {n.id for n in st.nodes} == {ALPHA, ns.ID + "fx-beta", FREE_TRADE, ns.ID + "fx-tariffs"}
    with pytest.raises(views.ViewNotFound):
        views.source(fixture_graph, "no-such-source")


def test_budget_keeps_the_most_central_nodes_and_says_what_it_left_out():
    g = synthetic_projection(2000)
    v = views.overview(g, views.ViewSettings(node_budget=120, physics_limit=50))
    assert len(v.nodes) == 120 and v.total_nodes > 120
    assert v.omitted_count == v.total_nodes - 120
    kept = {n.id for n in v.nodes}
    candidates = [n for n, d in g.nodes(data=True) if d["group"] in views.OVERVIEW_GROUPS]
    degree = dict(g.subgraph(candidates).degree())  # degree within the overview
    assert min(degree[n] for n in kept) >= max(degree[n] for n in set(candidates) - kept)
    assert not v.physics and all(n.x is not None and n.y is not None for n in v.nodes)
    html = render(v, ServiceLinks())
    assert 'id="srkg-omitted"' in html and f"leaves out {v.omitted_count} (" in " ".join(html.split())


def test_entity_view_keeps_its_focus_within_the_budget():
    g = synthetic_projection(500)
    leaf = max(g, key=lambda n: (g.degree(n) == 2, n))  # a node with few links
    v = views.entity(g, leaf, 2, views.ViewSettings(node_budget=5))
    assert len(v.nodes) == 5 and leaf in {n.id for n in v.nodes}


# --- HTML ---------------------------------------------------------------------------------------


def _data_island(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="srkg-data">(.*?)</script>', html, re.S)
    assert m, "no data island"
    return json.loads(m.group(1))


def test_page_escapes_data_and_loads_nothing_from_elsewhere(fixture_graph):
    html = render(views.entity(fixture_graph, EVIL_IRI, 1), ServiceLinks())
    assert EVIL not in html  # not raw anywhere: escaped in HTML, \u003c-escaped in JSON
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in html
    data = _data_island(html)
    assert EVIL in [n["label"] for n in data["nodes"]] and EVIL in [n["srkgLabel"] for n in data["nodes"]]
    assert not any("title" in n for n in data["nodes"] + data["edges"])  # vis never parses HTML titles
    for url in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert url.startswith("/"), url  # everything from the service itself
    assert "<script>" not in html  # no inline script


def test_export_links_are_relative(fixture_graph):
    links = ExportLinks(page="entity/views-fixture/stance-alpha-free-trade.html")
    assert links.static("vis-network.min.js") == "../../static/vis-network.min.js"
    assert links.entity_page(ALPHA) == "../../entity/fx-alpha.html"
    assert links.entity_view(ALPHA, 2) == "../../entity/fx-alpha.r2.html"
    assert ExportLinks(page="index.html").theme(TRADE) == "theme/fx-theme-trade.html"
    assert ServiceLinks().entity_page(ALPHA) == "/id/fx-alpha"
    assert ServiceLinks().entity_page("http://example.org/x") is None


# --- router -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(fixture_store):
    with TestClient(views_app(fixture_store)) as c:
        yield c


@pytest.mark.parametrize("url", ["/view/overview", "/view/stances", "/view/entity/fx-alpha?radius=2",
                                 "/view/theme/fx-theme-trade", f"/view/source/{SLUG}", "/view/entity/fx-evil"])
def test_router_serves_every_kind_of_view(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert _data_island(r.text)["nodes"]


@pytest.mark.parametrize("url,status,words", [
    ("/view/entity/no-such-thing", 404, "no entity"),
    ("/view/theme/fx-alpha", 404, "no theme"),
    ("/view/source/nope", 404, "no source"),
    ("/view/entity/fx-alpha?radius=3", 422, "radius"),
    ("/view/overview?budget=0", 422, "budget"),
    ("/view/static/../web.py", 404, ""),
    ("/view/static/web.py", 404, "no static file"),
])
def test_router_rejects_bad_input_clearly(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status
    assert words in r.text


def test_view_root_redirects_to_the_overview(client):
    r = client.get("/view", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/view/overview"


#: a page of each template, and the menu entry it is (None: a page the menu does not list)
LAYOUT_PAGES = [("/view/overview", "/view/overview"), ("/view/stances", "/view/stances"),
                ("/view/entity/fx-alpha", None), ("/view/timeline", "/view/timeline"),
                ("/view/stances/matrix", "/view/stances/matrix"), ("/sources", "/sources")]


@pytest.mark.parametrize("url,current", LAYOUT_PAGES)
def test_every_page_has_the_one_layout_with_its_menu_entry_marked(client, url, current):
    html = client.get(url).text
    assert html.count("<header>") == 1 and html.count('<h1 id="srkg-heading">') == 1
    assert '<link rel="icon" type="image/svg+xml" href="/view/static/favicon.svg">' in html
    assert html.index('<link rel="stylesheet" href="/view/static/srkg-views.css">') < html.index("</head>")
    menu = re.findall(r'<a href="([^"]+)"( class="current" aria-current="page")?>', html[:html.index("</header>")])
    assert [href for href, _ in menu][:5] == ["/", "/view/overview", "/view/stances", "/view/timeline",
                                              "/view/stances/matrix"]
    assert [href for href, marked in menu if marked] == ([current] if current else [])


def test_the_search_box_shows_only_where_the_host_provides_search(client, fixture_settings):
    """The views router alone serves neither /search nor the box's script and style, so its pages show no box
    and load nothing of it; through the service (api.app.create_app), which has both, the same pages have it."""
    assert client.get("/static/search-box.js").status_code == 404 and client.get("/search").status_code == 404
    urls = [url for url, _ in LAYOUT_PAGES]
    for url in urls:
        bare = client.get(url).text
        assert 'role="search"' not in bare and "/static/search-box." not in bare and "/search" not in bare, url
    with running_service(fixture_settings) as service, httpx.Client(base_url=service, timeout=60) as http:
        for url in urls:
            served = http.get(url).text
            assert '<form class="search" role="search" action="/search" method="get">' in served, url
            assert '<script src="/static/search-box.js" defer></script>' in served, url
            assert '<link rel="stylesheet" href="/static/search-box.css">' in served, url
        for asset in ("/static/search-box.js", "/static/search-box.css", "/search?q=Alpha"):
            assert http.get(asset).status_code == 200, asset


def test_router_serves_the_vendored_assets(client):
    r = client.get("/view/static/vis-network.min.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert "vis-network" in r.text[:2000] and len(r.content) > 100_000
    assert client.get("/view/static/LICENSE-MIT").status_code == 200


def test_router_budget_parameter(fixture_store):
    with TestClient(views_app(projection=synthetic_projection(800))) as c:
        data = _data_island(c.get("/view/overview?budget=40").text)
    assert len(data["nodes"]) == 40 and data["page"]["total"] > 40 and data["page"]["physics"] is True


# --- static export ------------------------------------------------------------------------------


def test_visualise_exports_a_static_site(fixture_settings, tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["--store-dir", str(fixture_settings.store_dir), "visualise",
                                      "--out", str(out), "--node-budget", "50"])
    assert result.exit_code == 0, result.output
    for f in ["index.html", "overview.html", "stances.html", f"source/{SLUG}.html", "theme/fx-theme-trade.html",
              "entity/fx-alpha.html", "entity/fx-alpha.r2.html", "entity/fx-evil.html",
              "static/vis-network.min.js", "static/srkg-views.js", "static/LICENSE-MIT"]:
        assert (out / f).is_file(), f
    html = (out / "entity" / "fx-alpha.html").read_text()
    for url in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert not re.match(r"^[a-z]+:|^/", url), url  # relative only
        assert (out / "entity" / url.split("?")[0]).resolve().is_file(), url
    hrefs = [n["href"] for n in _data_island(html)["nodes"]]
    assert "fx-alpha.html" in {h.rsplit("/", 1)[-1] for h in hrefs}


def test_visualise_bad_input(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["--store-dir", str(tmp_path / "none"), "visualise", "--out", str(tmp_path / "o")])
    assert r.exit_code != 0 and "srkg build" in r.output
    r = runner.invoke(cli, ["visualise", "--out", str(tmp_path / "o"), "--node-budget", "0"])
    assert r.exit_code == 2 and "node-budget" in r.output
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    r = runner.invoke(cli, ["visualise", "--out", str(busy)])
    assert r.exit_code != 0 and "not empty" in r.output and (busy / "notes.txt").read_text() == "mine"


def test_an_edge_the_source_does_not_state_is_drawn_dotted_with_its_basis(store):
    """On the real brief: the talks read as parts of "Putin's talks in Beijing" are dotted, their basis in the
    tooltip."""
    g = build_projection(store)
    view = views.entity(g, ns.ID + "putin-talks-beijing-2024", 1)
    parts = [e for e in view.edges if e.relation == "subEventOf" and e.target == ns.ID + "putin-talks-beijing-2024"]
    assert parts and all(e.inferred and e.inferred.startswith("curator's reading: ") for e in parts)
    stated = [e for e in view.edges if e.relation == "premise"]
    assert stated and all(e.inferred is None for e in stated)
    html = render(view, ServiceLinks())
    records = _data_island(html)["edges"]
    dotted = [r for r in records if r.get("srkgInferred")]
    assert len(dotted) == len([e for e in view.edges if e.inferred]) >= len(parts)
    assert all(r["dashes"] == [2, 5] for r in dotted)
    assert "not stated: inferred, with its basis" in html
