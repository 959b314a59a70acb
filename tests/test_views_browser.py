"""Browser tests of the network views: real uvicorn servers on 127.0.0.1, real headless Chromium
(Debian's ``/usr/bin/chromium`` through Playwright's Python package; no browser download).

Three servers run the views router: over the session ``store`` (the real data), over the views'
own fixture graph (with an HTML-injection label), and over a synthetic 3,000-node projection.
The static export is opened from disk (``file://``). Screenshots go to ``tests/artefacts/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from fixtures.servers import serve_app
from fixtures.synthetic import synthetic_projection
from graph.cli import main as cli
from graph.read.projection import build_projection
from test_views import ALPHA, EVIL, EVIL_IRI, FREE_TRADE, SLUG, views_app
from visualisation import views

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.fixture(scope="module")
def real_server(store):
    with serve_app(views_app(store)) as origin:
        yield origin


@pytest.fixture(scope="module")
def real_graph(store):
    return build_projection(store)


@pytest.fixture(scope="module")
def fixture_server(fixture_store):
    with serve_app(views_app(fixture_store)) as origin:
        yield origin


class Tab:
    """A page that records every request, console error and page error."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def open(self, url: str) -> Tab:
        self.page.goto(url)
        self.page.wait_for_function("() => window.srkg && window.srkg.ready", timeout=60_000)
        return self

    def counts(self) -> tuple[int, int]:
        return tuple(self.page.evaluate(
            "[srkg.network.body.data.nodes.length, srkg.network.body.data.edges.length]"))

    def painted_pixels(self) -> int:
        return self.page.evaluate("""() => {
            const c = document.querySelector('#srkg-network canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
            return n; }""")

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where node ``node_id`` is on the page, in CSS pixels."""
        return tuple(self.page.evaluate("""(id) => {
            const p = srkg.network.canvasToDOM(srkg.network.getPositions([id])[id]);
            const r = document.getElementById('srkg-network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }""", node_id))

    def hover(self, node_id: str) -> str:
        self.page.evaluate("(id) => srkg.network.focus(id, {scale: 1.5})", node_id)
        self.page.mouse.move(*self.node_point(node_id))
        tip = self.page.locator("#srkg-tip")
        tip.wait_for(state="visible")
        return tip.inner_text()

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def tab(browser):
    t = Tab(browser)
    yield t
    t.close()


def _real_cases(g):
    actor = next(n for n in sorted(g) if g.nodes[n].get("group") == "actor" and g.degree(n) > 0)
    theme = max(views.themes(g), key=lambda t: g.in_degree(t))
    slug = views.sources(g)[0]
    return {
        "overview": ("/view/overview", views.overview(g)),
        "stances": ("/view/stances", views.stances(g)),
        "entity-r1": (f"/view/entity/{views.entity_path(actor)}?radius=1", views.entity(g, actor, 1)),
        "entity-r2": (f"/view/entity/{views.entity_path(actor)}?radius=2", views.entity(g, actor, 2)),
        "theme": (f"/view/theme/{views.entity_path(theme)}", views.theme(g, theme)),
        "source": (f"/view/source/{slug}", views.source(g, slug)),
    }


@pytest.mark.parametrize("kind", ["overview", "stances", "entity-r1", "entity-r2", "theme", "source"])
def test_real_data_view_loads_offline_and_draws(tab, real_server, real_graph, kind):
    path, view = _real_cases(real_graph)[kind]
    tab.open(real_server + path)
    assert tab.errors == []
    assert tab.requests and all(u.startswith(real_server + "/") for u in tab.requests), tab.requests
    assert tab.counts() == (len(view.nodes), len(view.edges))
    assert tab.painted_pixels() > 500
    if kind in ("overview", "entity-r1"):
        ARTEFACTS.mkdir(exist_ok=True)
        tab.page.screenshot(path=str(ARTEFACTS / f"view-{kind}.png"))


FIXTURE_CASES = {
    # kind: (path, nodes, edges, node to hover and click)
    "overview": ("/view/overview", 11, 9, FREE_TRADE),
    "stances": ("/view/stances", 4, 3, FREE_TRADE),
    "entity": ("/view/entity/fx-alpha?radius=1", 4, 3, FREE_TRADE),
    "theme": ("/view/theme/fx-theme-trade", 11, 13, "https://w3id.org/srkg/id/fx-summit"),
    "source": (f"/view/source/{SLUG}", 14, 15, "https://w3id.org/srkg/id/fx-summit"),
}


@pytest.mark.parametrize("kind", list(FIXTURE_CASES))
def test_hover_shows_evidence_and_click_opens_entity_page(tab, fixture_server, fixture_graph, kind):
    path, n_nodes, n_edges, node = FIXTURE_CASES[kind]
    tab.open(fixture_server + path)
    assert tab.counts() == (n_nodes, n_edges)
    assert tab.page.evaluate("srkg.network.physics.physicsEnabled") is False  # stopped after stabilising
    assert all(u.startswith(fixture_server + "/") for u in tab.requests), tab.requests
    text = tab.hover(node)
    label = fixture_graph.nodes[node]["label"]
    quote = fixture_graph.nodes[node]["evidence"][0].exact
    assert label in text and quote in text
    with tab.page.expect_navigation():
        tab.page.mouse.click(*tab.node_point(node))
    assert tab.page.url == fixture_server + "/id/" + views.entity_path(node)
    assert tab.page.locator("#stub").inner_text() == "entity page"
    assert tab.errors == []


def test_hover_on_a_hedged_stance_edge_shows_polarity_and_evidence(tab, fixture_server):
    tab.open(fixture_server + "/view/stances")
    edge = tab.page.evaluate("srkg.edges.get({filter: e => e.srkgPolarity === 'Opposes'})[0]")
    assert edge["dashes"] is True and edge["color"] == views.POLARITY_COLOUR["Opposes"]
    a, b = tab.node_point(edge["from"]), tab.node_point(edge["to"])
    tab.page.mouse.move((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    tip = tab.page.locator("#srkg-tip")
    tip.wait_for(state="visible")
    assert "Opposes" in tip.inner_text() and "Beta may oppose free trade" in tip.inner_text()


@pytest.mark.parametrize("path", ["/view/overview", "/view/entity/fx-evil?radius=1", "/view/entity/fx-alpha?radius=2"])
def test_injected_label_runs_no_script_and_shows_as_text(tab, fixture_server, path):
    tab.open(fixture_server + path)
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    assert tab.page.locator("img").count() == 0
    assert EVIL in tab.page.locator("#srkg-node-list").text_content()
    assert tab.hover(EVIL_IRI).startswith(EVIL)
    if "fx-evil" in path:
        assert tab.page.locator("#srkg-heading").inner_text() == EVIL
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    assert tab.errors == []


def test_filters_by_class_polarity_and_theme(tab, fixture_server):
    tab.open(fixture_server + "/view/overview")
    assert tab.counts() == (11, 9)
    tab.page.locator("#srkg-filter-groups input[value=theme]").uncheck()
    assert tab.counts() == (9, 7)  # two themes, and the broader and theme edges, hidden
    tab.page.locator("#srkg-filter-groups input[value=theme]").check()
    tab.page.locator("#srkg-filter-polarity input[value=Opposes]").uncheck()
    assert tab.counts() == (11, 8)
    tab.page.locator("#srkg-filter-polarity input[value=Opposes]").check()
    tab.page.select_option("#srkg-filter-theme", "https://w3id.org/srkg/id/fx-theme-tariffs")
    ids = set(tab.page.evaluate("srkg.network.body.data.nodes.getIds()"))
    assert ids == {"https://w3id.org/srkg/id/fx-theme-tariffs", "https://w3id.org/srkg/id/fx-beta",
                   "https://w3id.org/srkg/id/fx-tariffs"}


def test_big_graph_is_cut_to_the_budget_with_server_side_layout(tab):
    g = synthetic_projection(3000)
    with serve_app(views_app(projection=g)) as origin:
        tab.open(origin + "/view/overview?budget=250")
        assert tab.counts()[0] == 250
        assert "leaves out" in tab.page.locator("#srkg-omitted").inner_text()
        assert tab.page.evaluate("srkg.network.physics.physicsEnabled") is False
        assert tab.painted_pixels() > 500
        assert tab.errors == []


@pytest.fixture(scope="module")
def export_dir(fixture_settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "site"
    r = CliRunner().invoke(cli, ["--store-dir", str(fixture_settings.store_dir), "visualise", "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out


@pytest.mark.parametrize("file,nodes,edges", [("index.html", 11, 9), ("stances.html", 4, 3),
                                              ("entity/fx-alpha.r2.html", 8, 9),
                                              ("theme/fx-theme-trade.html", 11, 13),
                                              (f"source/{SLUG}.html", 14, 15)])
def test_static_export_opens_from_disk(tab, export_dir, file, nodes, edges):
    tab.open((export_dir / file).as_uri())
    assert tab.errors == []
    assert all(u.startswith("file://") for u in tab.requests), tab.requests
    assert tab.counts() == (nodes, edges)
    assert tab.painted_pixels() > 500


def test_static_export_click_and_escaping(tab, export_dir):
    tab.open((export_dir / "stances.html").as_uri())
    assert FREE_TRADE.rsplit("/", 1)[-1] in tab.page.evaluate(
        "(id) => srkg.nodes.get(id).href", FREE_TRADE)
    with tab.page.expect_navigation():
        tab.page.mouse.click(*tab.node_point(ALPHA))
    assert tab.page.url == (export_dir / "entity" / "fx-alpha.html").as_uri()
    tab.page.wait_for_function("() => window.srkg && window.srkg.ready")
    assert tab.page.locator("#srkg-heading").inner_text() == "Alpha"
    tab.open((export_dir / "entity" / "fx-evil.html").as_uri())
    assert tab.page.locator("#srkg-heading").inner_text() == EVIL
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    assert all(u.startswith("file://") for u in tab.requests)
    assert tab.errors == []
