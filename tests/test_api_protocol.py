"""The SPARQL 1.1 Protocol at /sparql over a real uvicorn server: query forms, datasets,
content negotiation, service description, the editor page, and the errors a client can cause."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
import rdflib

from fixtures.servers import running_service
from graph import namespaces as ns
from graph.store.base import to_int

STATES = "SELECT ?s WHERE { ?s a srkg:State } ORDER BY ?s"


@pytest.fixture(scope="module")
def base(settings):
    with running_service(settings, query_timeout_s=20, max_result_rows=1000) as url:
        yield url


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def _bindings(response: httpx.Response, var: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [b[var]["value"] for b in response.json()["results"]["bindings"]]


def test_get_post_form_and_post_query_give_the_same_answer(client, store):
    expected = [str(r["s"]) for r in store.select(STATES)]
    assert ns.ID + "russia" in expected
    json_accept = {"Accept": "application/sparql-results+json"}
    by_get = _bindings(client.get("/sparql", params={"query": STATES}, headers=json_accept), "s")
    by_form = _bindings(client.post("/sparql", data={"query": STATES}, headers=json_accept), "s")
    by_body = _bindings(client.post("/sparql", content=STATES.encode(),
                                    headers={**json_accept, "Content-Type": "application/sparql-query"}), "s")
    assert by_get == by_form == by_body == expected


def test_default_graph_is_the_union_unless_a_dataset_is_given(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a srkg:Theme }"
    union = int(_bindings(client.get("/sparql", params={"query": q}), "n")[0])
    assert union > 0
    only_ontology = int(_bindings(client.get("/sparql", params={"query": q, "default-graph-uri": ns.ONTOLOGY_GRAPH}),
                                  "n")[0])
    assert only_ontology == 0
    only_reference = int(_bindings(client.get("/sparql", params={
        "query": q, "default-graph-uri": ns.REFERENCE_GRAPH}), "n")[0])
    assert 0 < only_reference <= union
    named = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "named-graph-uri": [ns.REFERENCE_GRAPH, ns.ONTOLOGY_GRAPH]})
    assert sorted(_bindings(named, "g")) == sorted([ns.REFERENCE_GRAPH, ns.ONTOLOGY_GRAPH])


def test_from_and_from_named_set_the_dataset(client):
    q = "SELECT (COUNT(*) AS ?n) FROM <%s> WHERE { ?s a srkg:Theme }"
    assert int(_bindings(client.get("/sparql", params={"query": q % ns.ONTOLOGY_GRAPH}), "n")[0]) == 0
    assert int(_bindings(client.get("/sparql", params={"query": q % ns.REFERENCE_GRAPH}), "n")[0]) > 0
    named = f"SELECT DISTINCT ?g FROM NAMED <{ns.REFERENCE_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert _bindings(client.get("/sparql", params={"query": named}), "g") == [ns.REFERENCE_GRAPH]
    only_named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ns.REFERENCE_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert int(_bindings(client.get("/sparql", params={"query": only_named}), "n")[0]) == 0  # empty default graph
    # the protocol's default-graph-uri overrides FROM
    r = client.get("/sparql", params={"query": q % ns.ONTOLOGY_GRAPH, "default-graph-uri": ns.REFERENCE_GRAPH})
    assert int(_bindings(r, "n")[0]) > 0


def test_unknown_dataset_graph_is_refused(client):
    r = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "http://example.org/elsewhere"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "unknown graph" in r.json()["detail"]


@pytest.mark.parametrize("accept,media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*;q=0.8, application/sparql-results+json;q=0.1", "text/csv"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_are_negotiated(client, store, accept, media):
    r = client.get("/sparql", params={"query": STATES}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    expected = [str(x["s"]) for x in store.select(STATES)]
    if media.endswith("json"):
        got = [b["s"]["value"] for b in r.json()["results"]["bindings"]]
    elif media.endswith("xml"):
        root = ET.fromstring(r.content)
        got = [u.text for u in root.iter("{http://www.w3.org/2005/sparql-results#}uri")]
    elif media == "text/csv":
        got = [row["s"] for row in csv.DictReader(io.StringIO(r.text))]
    else:
        lines = r.text.strip().split("\n")
        assert lines[0] == "?s"
        got = [line.strip("<>") for line in lines[1:]]
    assert got == expected


def test_ask_in_every_result_format(client):
    q = "ASK { id:russia a srkg:State }"
    assert client.get("/sparql", params={"query": q}).json()["boolean"] is True
    assert "true" in client.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"}).text
    assert "true" in client.get("/sparql", params={"query": q}, headers={"Accept": "text/tab-separated-values"}).text
    assert b"<boolean>true</boolean>" in client.get("/sparql", params={"query": q},
                                                     headers={"Accept": "application/sparql-results+xml"}).content


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_in_every_graph_format(client, accept, fmt):
    q = f"CONSTRUCT {{ id:russia ?p ?o }} WHERE {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:russia ?p ?o }} }}"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == accept
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    assert (rdflib.URIRef(ns.ID + "russia"), rdflib.RDFS.label, rdflib.Literal("Russia", lang="en")) in g


def test_unsupported_type_is_406(client):
    r = client.get("/sparql", params={"query": STATES}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.json()["offered"]
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 406


def test_service_description_with_void(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    service = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (service, sd.feature, sd.UnionDefaultGraph) in g
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in g  # read-only service
    names = {str(o) for o in g.objects(None, sd.name)}
    assert ns.REFERENCE_GRAPH in names and ns.ONTOLOGY_GRAPH in names
    assert any(to_int(o) > 0 for o in g.objects(None, void.triples))


def test_browser_gets_the_editor_with_competency_questions(client, settings):
    from graph import catalogue

    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<textarea id="query"' in r.text  # the no-script form
    head = r.text.split("<body>")[0]
    assert '<script src="/static/yasgui/yasgui.min.js"' in head and '<script src="/static/sparql-editor.js"' in head
    assert "http" not in head.replace("http-equiv", "")
    for q in catalogue.read(settings.queries_dir).values():
        if q.group == "cq":
            assert str(q.title).replace("'", "&#39;").replace('"', "&#34;") in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "connect-src 'self';" in csp and "default-src 'none'" in csp
    for path, media in [("/static/yasgui/yasgui.min.js", "text/javascript"),
                        ("/static/yasgui/yasgui.min.css", "text/css"), ("/static/sparql-editor.js", "text/javascript"),
                        ("/static/sparql-editor.css", "text/css"), ("/static/style.css", "text/css")]:
        asset = client.get(path)
        assert asset.status_code == 200 and asset.headers["content-type"].startswith(media), path
    assert client.get("/static/editor.js").status_code == 404


def test_browser_sees_results_as_a_table(client):
    r = client.get("/sparql", params={"query": STATES}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert '<table id="results">' in r.text and '<a href="/id/russia">id:russia</a>' in r.text


def test_update_on_the_query_endpoint_is_rejected(client, store):
    before = len(store)
    update = f"INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:x rdfs:label \"x\" }} }}"
    for r in (client.get("/sparql", params={"query": update}),
              client.post("/sparql", data={"query": update}),
              client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == 400
        assert "/sparql/update" in r.json()["detail"]
    r = client.post("/sparql/update", content=update, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert len(store) == before


def test_malformed_query_names_line_and_column(client):
    r = client.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p }"})
    assert r.status_code == 400
    body = r.json()
    assert body["line"] == 2 and body["column"] >= 1
    assert "line 2" in body["detail"]
    html = client.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p }"}, headers={"Accept": "text/html"})
    assert html.status_code == 400 and "line 2" in html.text


def test_row_cap(client):
    for _ in range(2):  # the second answer comes from the result cache, and says the same
        r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        assert "1000" in r.json()["detail"] and "LIMIT" in r.json()["detail"]
    assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"}).status_code == 200


def test_bad_requests_get_problems_not_500(client):
    assert client.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}
                       ).status_code == 400
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "image/png"}).status_code == 415
    assert client.post("/sparql", data={"nothing": "here"}).status_code == 400
    r = client.get("/nowhere")
    assert r.status_code == 404 and json.loads(r.text)["status"] == 404


def test_a_query_takes_one_query_string_and_at_most_one_version(client):
    """SPARQL 1.2's version announcement, as a parameter, a form field or the media type's parameter, on
    every way of sending a query; a second query string or version, or an unknown version, is a 400."""
    ask = "ASK { ?s a srkg:State }"
    for version in ("1.1", "1.2"):
        assert client.get("/sparql", params={"query": ask, "version": version}).json()["boolean"] is True
        assert client.post("/sparql", data={"query": ask, "version": version}).json()["boolean"] is True
        assert client.post("/sparql", content=ask, headers={
            "Content-Type": f"application/sparql-query; charset=utf-8; version={version}"}).json()["boolean"]
    assert client.get("/sparql", params={"query": 'VERSION "1.2" ' + ask}).json()["boolean"] is True
    cases = {
        "repeated-operation": [client.get("/sparql", params=[("query", ask), ("query", ask)]),
                               client.post("/sparql", data={"query": [ask, ask]}),
                               client.post("/sparql", params={"query": ask}, content=ask,
                                           headers={"Content-Type": "application/sparql-query"})],
        "repeated-version": [client.get("/sparql", params=[("query", ask), ("version", "1.1"), ("version", "1.2")]),
                             client.post("/sparql", data={"query": ask, "version": ["1.2", "1.2"]}),
                             client.post("/sparql", params={"version": "1.1"}, content=ask,
                                         headers={"Content-Type": "application/sparql-query; version=1.2"})],
        "unsupported-version": [client.get("/sparql", params={"query": ask, "version": "3"}),
                                client.post("/sparql", content=ask,
                                            headers={"Content-Type": "application/sparql-query; version=1.0"})],
        "query-and-update": [client.post("/sparql", data={"query": ask, "update": "CLEAR ALL"})],
    }
    for problem, responses in cases.items():
        for r in responses:
            assert r.status_code == 400 and r.json()["type"].endswith(problem), (problem, r.request.url, r.text)
    schema = client.get("/openapi.json").json()["paths"]["/sparql"]
    assert {"1.1", "1.2"} <= set(next(p for p in schema["get"]["parameters"] if p["name"] == "version")
                                 ["schema"]["enum"])


def test_a_relative_iri_names_an_entity(client):
    """The service's base IRI is the entities' namespace: <russia> is id:russia, unless the query sets a BASE."""
    def rows(query: str) -> list[tuple[str, str]]:
        r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        return sorted((b["p"]["value"], b["o"]["value"]) for b in r.json()["results"]["bindings"])

    russia = rows("SELECT ?p ?o WHERE { id:russia ?p ?o }")
    assert russia and rows("SELECT ?p ?o WHERE { <russia> ?p ?o }") == russia
    assert rows("BASE <http://example.org/> SELECT ?p ?o WHERE { <russia> ?p ?o }") == []
