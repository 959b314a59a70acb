"""Entity descriptions for RDF clients: what an entity states and what points at it (its symmetric
description), paged for hubs, and JSON-LD that reads as JSON; over a real server on the real data."""

from __future__ import annotations

import json

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from fixtures.servers import running_service
from graph import namespaces as ns
from graph.store import Store

RUSSIA = rdflib.URIRef(ns.ID + "russia")
CHINA = rdflib.URIRef(ns.ID + "china")
OUTSIDE_ENTAILMENTS = f"FILTER (?g != <{ns.INFERRED_GRAPH}> && ?g != <{ns.SHORTCUTS_GRAPH}>)"


@pytest.fixture(scope="module")
def client(settings):
    with running_service(settings, query_timeout_s=30) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def _graph(client: httpx.Client, path: str, **params: int) -> tuple[rdflib.Graph, httpx.Response]:
    r = client.get(path, params=params, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    return rdflib.Graph().parse(data=r.text, format="turtle"), r


def _incoming(store: Store, entity: rdflib.URIRef) -> set[tuple[str, str]]:
    rows = store.select(f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p <{entity}> }} {OUTSIDE_ENTAILMENTS} }}")
    return {(str(r["s"]), str(r["p"])) for r in rows}


def test_description_holds_what_points_at_the_entity(client, store):
    g, _ = _graph(client, "/id/russia")
    expected = _incoming(store, RUSSIA)
    assert len(expected) > 10, "stances hold Russia as their holder"
    assert {(str(s), str(p)) for s, p in g.subject_predicates(RUSSIA)} == expected
    holders = {str(s) for s in g.subjects(rdflib.URIRef(ns.SRKG + "holder"), RUSSIA)}
    assert holders, "the stances Russia holds point at it"
    assert (RUSSIA, rdflib.RDFS.label, rdflib.Literal("Russia", lang="en")) in g


def test_description_keeps_evidence_and_its_selectors(client):
    g, _ = _graph(client, "/id/putin-visit-china-2024")
    evidence = set(g.objects(None, rdflib.URIRef(ns.SRKG + "evidence")))
    assert evidence and all(set(g.objects(e, rdflib.URIRef("http://www.w3.org/ns/oa#hasSelector"))) for e in evidence)


def test_a_hub_is_paged_with_a_link_to_the_rest(client, store):
    expected = _incoming(store, CHINA)
    assert len(expected) > 6
    seen: set[tuple[str, str]] = set()
    page, _ = _graph(client, "/id/china", limit=3)
    first = {(str(s), str(p)) for s, p in page.subject_predicates(CHINA)}
    assert len(first) == 3 and (CHINA, rdflib.RDFS.label, rdflib.Literal("China", lang="en")) in page
    seen |= first
    url = str(next(page.objects(CHINA, rdflib.RDFS.seeAlso)))
    pages = 1
    while url:
        r = client.get(url, headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        g = rdflib.Graph().parse(data=r.text, format="turtle")
        found = {(str(s), str(p)) for s, p in g.subject_predicates(CHINA)}
        assert not found & seen and (CHINA, rdflib.RDFS.label, None) not in g, "later pages hold only what points"
        seen |= found
        following = list(g.objects(CHINA, rdflib.RDFS.seeAlso))
        assert ('rel="next"' in r.headers.get("link", "")) == bool(following)
        url = str(following[0]) if following else ""
        pages += 1
    assert seen == expected and pages == -(-len(expected) // 3)


def test_jsonld_reads_as_json_and_means_the_same(client):
    turtle, _ = _graph(client, "/id/russia")
    r = client.get("/id/russia", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    doc = json.loads(r.text)
    assert doc["@context"]["srkg"] == ns.SRKG and doc["@context"]["id"] == ns.ID
    nodes = doc["@graph"]
    russia = next(n for n in nodes if n["@id"] == "id:russia")
    assert "rdfs:label" in russia
    assert any("srkg:holder" in n for n in nodes)
    parsed = rdflib.Graph().parse(data=r.text, format="json-ld")
    assert isomorphic(parsed, turtle)


def test_bad_paging_is_a_clear_error(client):
    for params in ({"offset": -1}, {"limit": 0}, {"limit": 501}, {"offset": "x"}):
        r = client.get("/id/china", params=params, headers={"Accept": "text/turtle"})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), params
