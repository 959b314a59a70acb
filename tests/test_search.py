"""Full-text search: the index ``srkg build`` writes beside the store (graph.read.search), and its JSON twin
``/api/v1/search`` and page ``/search`` on a real uvicorn service, kept current after a curator's write.

The core tests read the index of the session store (the real data). The service tests run on a private
copy of the data with markup in labels (``fixtures/api/hostile.ttl``), writes enabled, and its build's
index removed before the start, so that the service has to build it. One test puts the graph in an
Oxigraph server and in a Virtuoso server, whose index the service builds at start.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest

from fixtures.copies import private_copy
from fixtures.servers import OxigraphServer, SparqlServer, VirtuosoServer, running_service, wait_until
from graph import namespaces as ns
from graph.build import build
from graph.coverage import text_path
from graph.read.search import (
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    EntityHit,
    Hit,
    PassageHit,
    SearchIndex,
    SearchQueryError,
    build_index_path,
    index_path,
    prune,
)
from graph.read.search_text import MAX_TERMS, Part, highlight, name_key, parse_query, snippet, words
from graph.settings import Settings
from visualisation import views
from visualisation.render import ExportLinks, ServiceLinks, render
from visualisation.web import CSP as VIEWS_CSP

SLUG = "pism-spotlight-2024-34"
HARBIN, VISIT = ns.ID + "harbin", ns.ID + "putin-visit-china-2024"
HOSTILE_TTL = Path(__file__).parent / "fixtures" / "api" / "hostile.ttl"
HOSTILE_LABEL, HOSTILE_ALIAS = "<script>alert('label')</script>", "<img src=x onerror=alert(1)>"
TOKEN = "search-curator"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM = "application/problem+json"
#: user input that is FTS5 syntax, or looks like it
SYNTAX = ['"', "*", "NEAR(", "-", "OR", '"Harbin', 'Harbin"', '"Harbin" OR "Beijing"', "Harbin*", "Harbin -Beijing",
          "NEAR(Harbin Beijing, 2)", "label:Harbin", "^Harbin", "Harbin AND", "(Harbin", "{Harbin}", "Harbin NOT x",
          "'", "Harbin'", "''Harbin''", '"""', "AND OR NOT", "*Harbin", "Harb*n", "\\", "%", "_"]


def _key(hit: Hit) -> tuple[str, ...]:
    return (hit.kind, hit.iri) if isinstance(hit, EntityHit) else (hit.kind, hit.source, str(hit.start), str(hit.end))


def _iris(hits: list[Hit]) -> list[str]:
    return [h.iri for h in hits if isinstance(h, EntityHit)]


def _text(settings: Settings, slug: str = SLUG) -> str:
    return text_path(settings.data_dir, ns.source_graph(slug), "text.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def index(settings: Settings) -> Iterator[SearchIndex]:
    """The index the session's build wrote beside its store."""
    idx = SearchIndex.open(index_path(settings))
    yield idx
    idx.close()


# -- the index ------------------------------------------------------------------------------


def test_the_build_writes_the_index_of_the_store_it_publishes(settings: Settings, index: SearchIndex) -> None:
    current = (settings.store_dir / "current").resolve()
    assert index.path == build_index_path(settings.store_dir, current) == settings.store_dir / "search" / \
        f"build-{current.name}.sqlite"
    assert index.counts["entity"] > 200 and index.counts["passage"] > 150
    gone = settings.store_dir / "search" / "build-20000101T000000-gone.sqlite"
    gone.write_bytes(b"")
    prune(settings.store_dir)
    assert not gone.exists() and index.path.exists()


def test_harbin_finds_the_city_the_visit_and_the_passage(settings: Settings, index: SearchIndex) -> None:
    """The visit's label ("Vladimir Putin's visit to China") does not name Harbin: its evidence quote does."""
    results = index.search("Harbin", limit=50)
    first = results.hits[0]
    assert isinstance(first, EntityHit) and (first.iri, first.label, first.type) == (HARBIN, "Harbin", "city")
    passages = [h for h in results.hits if isinstance(h, PassageHit)]
    quotes = [h for h in passages if h.quote]
    visit_quote = next(h for h in quotes if VISIT in [m.iri for m in h.about])
    assert visit_quote.text == "Putin's intention in visiting Beijing and Harbin"
    assert "Harbin" not in next(m.label for m in visit_quote.about if m.iri == VISIT)
    sentence = next(h for h in passages if not h.quote)
    assert sentence.text.startswith("Putin's intention in visiting Beijing and Harbin was to emphasise")
    text = _text(settings)
    for h in passages:  # offsets into the source's text, as the reader's anchors use them
        assert (h.source, h.source_title) == (SLUG, "Putin's Visit to China — Strengthening Strategic Cooperation")
        assert text[h.start:h.end] == h.text
    assert results.totals == {"entity": 1, "passage": len(passages)}


def test_exact_names_first_then_names_that_begin_with_the_query(index: SearchIndex) -> None:
    assert _iris(index.search("China", kind="entity").hits)[:1] == [ns.ID + "china"]
    assert _iris(index.search("PRC", kind="entity").hits)[:1] == [ns.ID + "china"]  # an exact alias
    putin = index.search("Putin", kind="entity").hits[0]  # "Putin" is his alias; many labels hold the word
    assert isinstance(putin, EntityHit) and putin.iri == ns.ID + "vladimir-putin" and putin.alias is None
    hits = index.search("Chin", kind="entity", limit=MAX_LIMIT).hits
    begins = [name_key(h.label).startswith("chin") for h in hits if isinstance(h, EntityHit)]
    assert begins[0] and False in begins and begins == sorted(begins, reverse=True)
    mixed = index.search("China", limit=MAX_LIMIT).hits
    kinds = [h.kind for h in mixed]
    assert kinds == sorted(kinds) and {"entity", "passage"} <= set(kinds)  # every entity before every passage


def test_the_last_word_is_a_prefix_as_you_type(index: SearchIndex) -> None:
    assert index.search("harb").hits[0].label == "Harbin"  # type: ignore[union-attr]
    assert index.search("harb", prefix=False).total == 0
    assert index.search("harb ").total == 0  # a space after it: the word is complete
    both = [h for h in index.search("harbin beij", kind="passage").hits if isinstance(h, PassageHit)]
    assert both and all({"harbin", "beijing"} <= set(words(h.text)) for h in both)


def test_matches_are_highlighted_as_parts(index: SearchIndex) -> None:
    for q in ("HARBIN", "Harbín", "harbin"):  # case and diacritics never matter
        first = index.search(q).hits[0]
        assert isinstance(first, EntityHit) and first.parts == [Part("Harbin", True)]
    for h in index.search("beijing harbin", kind="passage").hits:
        assert isinstance(h, PassageHit)
        shown = "".join(p.text for p in h.parts)
        assert shown.removeprefix("… ").removesuffix(" …") in h.text
        assert {words(p.text)[0] for p in h.parts if p.match} == {"beijing", "harbin"}
        assert all(not words(p.text) or not set(words(p.text)) & {"beijing", "harbin"} for p in h.parts if not p.match)
    alias = index.search("PRC").hits[0]
    assert isinstance(alias, EntityHit) and alias.label == "China" and alias.parts == [Part("China", False)]
    assert alias.alias == "PRC" and alias.alias_parts == [Part("PRC", True)]
    assert highlight("Putin's visit", parse_query("putin")) == [Part("Putin", True), Part("'s visit", False)]
    long = "word " * 100 + "Harbin " + "word " * 100
    cut = snippet(long, parse_query("harbin"))
    assert cut[0] == Part("… ", False) and cut[-1] == Part(" …", False) and Part("Harbin", True) in cut
    assert len("".join(p.text for p in cut)) < 260


def test_fts_syntax_in_a_query_is_only_words(index: SearchIndex) -> None:
    for q in SYNTAX:
        if not words(q):
            with pytest.raises(SearchQueryError, match="no words"):
                index.search(q)
            continue
        query = parse_query(q)
        for h in index.search(q, limit=MAX_LIMIT).hits:  # every word of the query is a word of what was found
            found = set(words(h.label + " " + (h.alias or "")) if isinstance(h, EntityHit) else words(h.text))
            for i, t in enumerate(query.terms):
                as_prefix = query.prefix and i == len(query.terms) - 1
                assert any(w.startswith(t) for w in found) if as_prefix else t in found, (q, h)
    assert index.search('"Harbin').hits[0].label == "Harbin"  # type: ignore[union-attr]
    assert index.search("Harbin*").hits[0].label == "Harbin"  # type: ignore[union-attr]
    assert index.search("NEAR(").total == 0  # the word "near" is in no name and no sentence


def test_bad_queries_say_what_to_fix(index: SearchIndex) -> None:
    cases = {"": "no words", "   ": "no words", '"*"': "no words",
             "x" * (MAX_QUERY_CHARS + 1): f"most is {MAX_QUERY_CHARS}",
             " ".join(["word"] * (MAX_TERMS + 1)): f"most is {MAX_TERMS}"}
    for q, message in cases.items():
        with pytest.raises(SearchQueryError, match=message):
            index.search(q)
    with pytest.raises(SearchQueryError, match="unknown kind"):
        index.search("Harbin", kind="places")  # type: ignore[arg-type]
    for limit, offset in ((0, 0), (MAX_LIMIT + 1, 0), (10, -1)):
        with pytest.raises(SearchQueryError, match="limit"):
            index.search("Harbin", limit=limit, offset=offset)


def test_pages_follow_one_another_across_entities_and_passages(index: SearchIndex) -> None:
    full = index.search("China", limit=MAX_LIMIT)
    assert 7 < full.total < MAX_LIMIT and full.total == len(full.hits)
    pages = [index.search("China", limit=7, offset=o) for o in range(0, full.total, 7)]
    assert [_key(h) for p in pages for h in p.hits] == [_key(h) for h in full.hits]
    assert all(p.totals == full.totals for p in pages)
    passages = index.search("China", kind="passage", limit=MAX_LIMIT)
    assert [_key(h) for h in passages.hits] == [_key(h) for h in full.hits if h.kind == "passage"]
    assert passages.totals == {"passage": full.totals["passage"]}


def test_view_pages_get_the_search_box_only_from_the_service(fixture_graph: nx.MultiDiGraph) -> None:
    view = views.overview(fixture_graph, views.ViewSettings())
    served, exported = render(view, ServiceLinks(search=True)), render(view, ExportLinks(page="overview.html"))
    assert '<form class="search" role="search" action="/search"' in served
    assert '<script src="/static/search-box.js" defer></script>' in served
    assert 'class="search"' not in exported and "search-box" not in exported and 'action="/search"' not in exported
    assert "connect-src 'self'" in VIEWS_CSP and "form-action 'self'" in VIEWS_CSP  # the box asks and submits


# -- the service ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Settings:
    """A private copy of the data with markup in labels, built, with its build's index removed."""
    s = private_copy(tmp_path_factory.mktemp("search"), settings)
    shutil.copy(HOSTILE_TTL, s.data_dir / "reference" / "zz-hostile.ttl")
    build(s)
    index_path(s).unlink()
    return s


@pytest.fixture(scope="module")
def client(curated: Settings) -> Iterator[httpx.Client]:
    with running_service(curated, update_token=TOKEN) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def _search(client: httpx.Client, **params: str | int) -> httpx.Response:
    return client.get("/api/v1/search", params=params)


def test_the_service_builds_a_missing_index_at_start(curated: Settings, client: httpx.Client) -> None:
    assert _search(client, q="Harbin").status_code == 200
    assert SearchIndex.open(index_path(curated)).counts["entity"] > 200


def test_the_json_twin_finds_harbin_with_links(client: httpx.Client) -> None:
    r = _search(client, q="Harbin")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert (body["query"], body["kind"], body["offset"], body["limit"]) == ("Harbin", None, 0, 20)
    assert body["total"] == len(body["items"]) == 1 + body["totals"]["passage"]
    city = body["items"][0]
    assert city == {"kind": "entity", "iri": HARBIN, "label": "Harbin", "type": "city", "alias": None,
                    "parts": [{"text": "Harbin", "match": True}], "alias_parts": [], "link": "/id/harbin"}
    passages = body["items"][1:]
    for p in passages:
        assert p["link"] == f"/sources/{SLUG}#at-{p['start']}-{p['end']}"
        assert any(part["match"] and part["text"] == "Harbin" for part in p["parts"])
    visit = next(p for p in passages if p["passage"] == "quote" and any(m["iri"] == VISIT for m in p["about"]))
    assert {"iri": VISIT, "label": "Vladimir Putin's visit to China",
            "link": "/id/putin-visit-china-2024"} in visit["about"]
    assert any(p["passage"] == "sentence" for p in passages)
    second = _search(client, q="Harbin", offset=1, limit=1).json()
    assert second["items"] == [body["items"][1]] and second["total"] == body["total"]
    only = _search(client, q="Harbin", kind="passage").json()
    assert only["items"] == passages and only["totals"] == {"passage": len(passages)}
    assert client.get("/openapi.json").json()["paths"]["/api/v1/search"]["get"]["summary"]


def test_bad_input_is_a_problem_never_a_500(client: httpx.Client) -> None:
    cases: list[tuple[dict[str, str | int], int, str]] = [
        ({}, 422, "query.q"), ({"q": ""}, 422, "query.q"), ({"q": "  "}, 400, "no words"),
        ({"q": '"'}, 400, "no words"), ({"q": "x" * (MAX_QUERY_CHARS + 1)}, 400, f"the most is {MAX_QUERY_CHARS}"),
        ({"q": "Harbin", "kind": "places"}, 422, "kind"), ({"q": "Harbin", "limit": 0}, 422, "limit"),
        ({"q": "Harbin", "limit": MAX_LIMIT + 1}, 422, "limit"), ({"q": "Harbin", "offset": -1}, 422, "offset"),
    ]
    for params, status, detail in cases:
        r = _search(client, **params)
        assert r.status_code == status and r.headers["content-type"] == PROBLEM, (params, r.text)
        assert detail in r.json()["detail"] and r.json()["status"] == status
    for q in SYNTAX:
        r = _search(client, q=q)
        assert r.status_code == (200 if words(q) else 400), (q, r.text)


def test_the_search_page_groups_and_marks_the_results(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": "Harbin"})
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert html.index('id="entity-results"') < html.index('id="passage-results"')
    assert '<a href="/id/harbin"><mark>Harbin</mark></a> <small>city</small>' in html
    assert (f'<a href="/sources/{SLUG}#at-728-776">Putin&#39;s intention in visiting Beijing and '
            '<mark>Harbin</mark></a>') in html
    assert '<a href="/id/putin-visit-china-2024">Vladimir Putin&#39;s visit to China</a>' in html
    assert '<script src="/static/search-box.js" defer></script>' in html
    only = client.get("/search", params={"q": "Harbin", "kind": "passage"}).text
    assert 'id="passage-results"' in only and 'id="entity-results"' not in only
    empty = client.get("/search")
    assert empty.status_code == 200 and 'name="q" value=""' in empty.text
    bad = client.get("/search", params={"q": '"*"'})
    assert bad.status_code == 400 and "no words to search for" in bad.text and 'value="&#34;*&#34;"' in bad.text


def test_a_hostile_label_stays_text(client: httpx.Client) -> None:
    hit = _search(client, q="script alert").json()["items"][0]
    assert hit["label"] == HOSTILE_LABEL and hit["link"] == "/id/hostile-state"
    alias = _search(client, q="onerror").json()["items"][0]
    assert alias["alias"] == HOSTILE_ALIAS
    for q in ("script alert", "onerror"):
        html = client.get("/search", params={"q": q}).text
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(&#39;label&#39;)&lt;/<mark>script</mark>&gt;" in \
        client.get("/search", params={"q": "script alert"}).text
    assert "&lt;img src=x <mark>onerror</mark>=alert(1)&gt;" in client.get("/search", params={"q": "onerror"}).text


def test_a_write_is_found_once_the_index_is_rebuilt(client: httpx.Client) -> None:
    statuses: list[int] = []

    def found(q: str) -> bool:
        r = _search(client, q=q)
        statuses.append(r.status_code)
        return any(item.get("iri") == ns.ID + "quetzalia" for item in r.json().get("items", []))

    assert not found("Quetzalia")
    insert = (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:quetzalia a srkg:State ; '
              f'rdfs:label "Quetzalia"@en ; srkg:memberOf id:eu }} }}')
    r = client.post("/sparql/update", content=insert, headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert r.status_code == 204, r.text
    wait_until(lambda: found("Quetzalia"), 60, "the new label to be found")
    assert set(statuses) == {200}  # the old index answered while the new one was built
    graph = ns.source_graph("search-test-curation")
    more = (b'<https://w3id.org/srkg/id/quetzalia> <http://www.w3.org/2004/02/skos/core#altLabel> '
            b'"Feathered Republic"@en .\n')
    r = client.post("/rdf-graphs/service", params={"graph": graph}, content=more,
                    headers={**AUTH, "Content-Type": "application/n-triples"})
    assert r.status_code in (201, 204), r.text
    wait_until(lambda: found("feathered repub"), 60, "the new alias to be found")
    assert client.delete("/rdf-graphs/service", params={"graph": graph}, headers=AUTH).status_code == 204
    wait_until(lambda: not found("feathered repub"), 60, "the removed alias to be gone")
    assert set(statuses) == {200}


@pytest.mark.parametrize("server_class", [OxigraphServer, VirtuosoServer], ids=["oxigraph", "virtuoso"])
def test_a_sparql_servers_index_is_built_by_the_service_at_start(tmp_path_factory: pytest.TempPathFactory,
                                                                  settings: Settings,
                                                                  server_class: type[SparqlServer]) -> None:
    root = tmp_path_factory.mktemp("search-remote")
    with server_class(root / "server") as server:
        remote = server.configure(settings.model_copy(update={"store_dir": root / "store"}))
        build(remote)
        with running_service(remote) as url, httpx.Client(base_url=url, timeout=60) as c:
            first = c.get("/api/v1/search", params={"q": "Harbin"}).json()["items"][0]
            assert (first["iri"], first["link"]) == (HARBIN, "/id/harbin")
            passages = c.get("/api/v1/search", params={"q": "Beijing", "kind": "passage"}).json()
            assert passages["totals"]["passage"] >= 5
        assert not (root / "store").exists()  # the index was the service's scratch: nothing written locally
