"""The home page ``/``, its JSON twin ``/api/v1/summary``, the entity list page ``/entities`` and the icon,
over a real uvicorn server.

The service reads the real data plus two things whose names are markup: the hostile state of
``fixtures/api/hostile.ttl`` and this module's copy of the second source (``fixtures/second-source``), whose
title and author are renamed to markup. The second source is newer than the brief, so it heads the home
page's sources; the hostile state is found by name on ``/entities``.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from markupsafe import escape

from fixtures.copies import private_copy
from fixtures.servers import running_service
from graph import namespaces as ns
from graph.build import build
from graph.read.projection import build_projection
from graph.settings import REPO_ROOT, Settings
from graph.store import open_store
from graph.store.base import to_int

FIXTURES = Path(__file__).parent / "fixtures"
BRIEF = "pism-spotlight-2024-34"
NOTE = "example-note-2024"
HOSTILE_TITLE = "<script>alert('title')</script> A Note"
HOSTILE_AUTHOR = "<img src=x onerror=alert('author')>"
HOSTILE_STATE = "<script>alert('label')</script>"


def _escaped(text: str) -> str:
    """``text`` as the pages' templates write it (Jinja2's autoescape)."""
    return str(escape(text))


@pytest.fixture(scope="module")
def markup_settings(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Settings:
    """The real data, the hostile state and a second source named in markup, built into a store of their own."""
    s = private_copy(tmp_path_factory.mktemp("home"), settings)
    shutil.copy(FIXTURES / "api" / "hostile.ttl", s.data_dir / "reference" / "zz-api-hostile.ttl")
    note = s.data_dir / "sources" / NOTE
    shutil.copytree(FIXTURES / "second-source" / NOTE, note)
    described = (note / "source.ttl").read_text(encoding="utf-8")
    renamed = (described.replace('rdfs:label "A Note on Sweden"@en', f'rdfs:label "{HOSTILE_TITLE}"@en')
               .replace('dcterms:title "A Note on Sweden"@en', f'dcterms:title "{HOSTILE_TITLE}"@en')
               .replace('"The Note\'s Author"@en', f'"{HOSTILE_AUTHOR}"@en'))
    assert renamed.count(HOSTILE_TITLE) == 2 and HOSTILE_AUTHOR in renamed
    (note / "source.ttl").write_text(renamed, encoding="utf-8")
    build(s)
    return s


@pytest.fixture(scope="module")
def client(markup_settings: Settings) -> Iterator[httpx.Client]:
    with running_service(markup_settings, query_timeout_s=30) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def summary(client: httpx.Client) -> dict:
    r = client.get("/api/v1/summary")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    return r.json()


@pytest.fixture(scope="module")
def home(client: httpx.Client) -> httpx.Response:
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    return r


# -- /api/v1/summary --------------------------------------------------------------------------

def test_summary_lists_the_sources_newest_first_with_date_authors_publisher_and_series(summary):
    assert summary["sources_total"] == 2
    note, brief = summary["sources"]
    assert (note["slug"], note["date"], brief["slug"], brief["date"]) == (NOTE, "2024-06-01", BRIEF, "2024-05-21")
    assert brief["title"] == "Putin's Visit to China — Strengthening Strategic Cooperation"
    assert [a["label"] for a in brief["authors"]] == ["Anna Maria Dyner", "Marcin Przychodniak"]
    assert [a["page"] for a in brief["authors"]] == ["/id/anna-maria-dyner", "/id/marcin-przychodniak"]
    assert brief["publisher"]["label"] == "Polish Institute of International Affairs"
    assert (brief["series"], brief["number"]) == ("PISM Spotlight", "34/2024")
    assert (brief["reader"], brief["view"], brief["api"]) == (
        f"/sources/{BRIEF}", f"/view/source/{BRIEF}", f"/api/v1/sources/{BRIEF}")
    assert note["title"] == HOSTILE_TITLE and [a["label"] for a in note["authors"]] == [HOSTILE_AUTHOR]


def test_summary_counts_each_kind_as_the_store_does(summary, markup_settings):
    counts = {c["kind"]: c for c in summary["counts"]}
    assert {"SourceDocument", "State", "Organisation", "Person", "Event", "Agreement", "Stance", "Assessment",
            "Theme", "Evidence"} <= set(counts)
    with open_store(markup_settings, read_only=True) as store:
        for kind in counts:
            rows = store.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a srkg:{kind} }}")
            assert counts[kind]["count"] == to_int(rows.rows[0]["n"]), kind
    assert counts["SourceDocument"]["count"] == 2 and counts["State"]["count"] == 9  # the brief's 8 and the hostile one
    assert counts["State"]["entities"] == "/entities?type=State" and counts["Evidence"]["entities"] is None


def test_summary_ranks_actors_by_degree_as_the_analytics_do(summary, client, markup_settings):
    actors = summary["central_actors"]
    assert [a["entity"]["label"] for a in actors[:2]] == ["China", "Russia"]
    assert all(a["entity"]["group"] == "actor" for a in actors)
    assert [a["degree"] for a in actors] == sorted((a["degree"] for a in actors), reverse=True)
    analytics = client.get("/api/v1/analytics/centrality",
                           params={"by": "degree", "group": "actor", "limit": len(actors)}).json()
    assert [a["entity"]["iri"] for a in actors] == [c["entity"]["iri"] for c in analytics]
    assert [a["degree"] for a in actors] == [c["degree"] for c in analytics]
    with open_store(markup_settings, read_only=True) as store:
        g = build_projection(store)
    for a in actors:
        iri = a["entity"]["iri"]
        assert a["connections"] == len((set(g.successors(iri)) | set(g.predecessors(iri))) - {iri}), iri


def test_summary_shows_the_latest_events_with_their_status_and_inferred_dates(summary, client):
    events = client.get("/api/v1/events", params={"limit": 500}).json()["items"]
    dated = sorted((e for e in events if e["begin"]), key=lambda e: e["iri"])
    dated.sort(key=lambda e: e["begin"], reverse=True)
    latest = summary["latest_events"]
    assert summary["events_dated"] == len(dated) and latest
    assert [e["entity"]["iri"] for e in latest] == [e["iri"] for e in dated[:len(latest)]]
    by_iri = {e["iri"]: e for e in dated}
    for e in latest:
        twin = by_iri[e["entity"]["iri"]]
        assert (e["begin"], e["end"], e["status"], e["begin_inferred"]) == (
            twin["begin"], twin["end"], twin["status"], twin["begin_inferred"])
    visit = latest[0]
    assert visit["entity"]["iri"] == ns.ID + "putin-visit-china-2024" and visit["status"] == "Occurred"
    assert visit["begin"] == "2024-05-16" and visit["begin_inferred"]["basis"] == "from the source's date"


def test_summary_gives_the_entry_points(summary):
    hrefs = [p["href"] for p in summary["entry_points"]]
    assert hrefs == [f"/sources/{NOTE}", "/view/timeline", "/view/stances/matrix", "/view/", "/entities", "/sparql",
                     "/docs"]


# -- the home page shows the summary ------------------------------------------------------------

def test_home_page_shows_what_the_summary_holds(home, summary):
    page = home.text
    assert home.headers["content-security-policy"].startswith("default-src 'none'")
    assert "'unsafe-inline'" not in home.headers["content-security-policy"]
    for source in summary["sources"]:
        assert f'href="{source["reader"]}"' in page and f'href="{source["view"]}"' in page
        assert f'<time datetime="{source["date"]}">' in page
    assert 'href="/id/anna-maria-dyner">Anna Maria Dyner</a>' in page and "PISM Spotlight No. 34/2024" in page
    for count in summary["counts"]:
        assert f'<span class="n">{count["count"]:,}</span>' in page, count
    for actor in summary["central_actors"]:
        assert f'<a href="{actor["entity"]["page"]}">{_escaped(actor["entity"]["label"])}</a>' in page
    for event in summary["latest_events"]:
        assert f'<a href="{event["entity"]["page"]}">' in page and event["status"] in page
    assert page.count('<span class="inferred"') == sum(1 for e in summary["latest_events"] if e["begin_inferred"])
    for point in summary["entry_points"]:
        assert f'<a href="{point["href"]}">{point["title"]}</a>' in page
    assert 'action="/search"' in page and 'id="home-search"' in page
    assert 'href="/api/v1/summary"' in page


def test_home_page_shows_markup_from_the_data_as_text(home):
    page = home.text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert _escaped(HOSTILE_TITLE) in page and _escaped(HOSTILE_AUTHOR) in page


# -- /entities and its twin /api/v1/entities ---------------------------------------------------------

_ROW = re.compile(r'<tr><td><a href="([^"]+)">([^<]*)</a></td>')


def _rows(page: str) -> list[tuple[str, str]]:
    return [(href, html.unescape(label)) for href, label in _ROW.findall(page)]


@pytest.mark.parametrize("params", [{}, {"type": "State"}, {"type": "actor", "limit": 5, "offset": 5},
                                    {"q": "russia"}, {"q": "an", "type": "Person", "limit": 2},
                                    {"type": "no-such-type"}, {"offset": 100000}])
def test_entity_page_lists_what_its_twin_returns(client, params):
    twin = client.get("/api/v1/entities", params=params).json()
    page = client.get("/entities", params=params, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert _rows(page.text) == [(e["page"], e["label"]) for e in twin["items"]]
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    if twin["items"]:
        shown = f'{twin["offset"] + 1:,}–{twin["offset"] + len(twin["items"]):,} of {twin["total"]:,} entit'
        assert shown in page.text
    assert 'href="/api/v1/entities' in page.text


def test_entity_pages_follow_next_links_through_the_whole_list(client):
    twin = client.get("/api/v1/entities", params={"type": "actor", "limit": 500}).json()
    seen: list[tuple[str, str]] = []
    url: str | None = "/entities?type=actor&limit=7"
    pages = 0
    while url is not None:
        page = client.get(url, headers={"Accept": "text/html"}).text
        seen += _rows(page)
        pages += 1
        following = re.search(r'<a rel="next" href="([^"]+)">', page)
        if pages > 1:
            assert re.search(r'<a rel="prev" href="([^"]+)">', page)
        url = html.unescape(following.group(1)) if following else None
    assert seen == [(e["page"], e["label"]) for e in twin["items"]] and pages == -(-twin["total"] // 7)


def test_entity_page_type_filter_offers_each_type_with_its_count(client):
    page = client.get("/entities", headers={"Accept": "text/html"}).text
    states = client.get("/api/v1/entities", params={"type": "State"}).json()["total"]
    actors = client.get("/api/v1/entities", params={"type": "actor"}).json()["total"]
    assert f'<option value="State">State ({states})</option>' in page
    assert f'<option value="actor">actor ({actors})</option>' in page


@pytest.mark.parametrize("params, parameter", [({"limit": 0}, "limit"), ({"limit": 501}, "limit"),
                                               ({"limit": "ten"}, "limit"), ({"offset": -1}, "offset"),
                                               ({"q": "x" * 201}, "q"), ({"type": "t" * 101}, "type")])
def test_bad_parameters_get_the_same_problem_as_the_twin(client, params, parameter):
    page = client.get("/entities", params=params, headers={"Accept": "text/html"})
    twin = client.get("/api/v1/entities", params=params)
    assert page.status_code == twin.status_code == 422
    assert page.headers["content-type"] == "application/problem+json"
    problem = page.json()
    assert problem["title"] == "Invalid request" and f"query.{parameter}" in problem["detail"]
    assert problem["detail"] == twin.json()["detail"]


def test_entity_page_shows_markup_from_the_data_as_text(client):
    page = client.get("/entities", params={"q": "script"}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert ("/id/hostile-state", HOSTILE_STATE) in _rows(page.text)
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert _escaped(HOSTILE_STATE) in page.text
    assert _escaped("<img src=x onerror=alert(1)>") in page.text  # its other name
    echoed = client.get("/entities", params={"q": "<b>bold</b>"}, headers={"Accept": "text/html"}).text
    assert "<b>bold</b>" not in echoed and _escaped("<b>bold</b>") in echoed


# -- the icon -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/favicon.ico", "/favicon.svg"])
def test_favicon_is_served_as_an_image(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg") and r.text == (REPO_ROOT / "api" / "static" / "favicon.svg").read_text()
