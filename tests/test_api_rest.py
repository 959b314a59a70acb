"""The REST API (/api/v1), linked-data resolution (/id/…, /ontology) and analytics over a real server.

Assertions hold whatever the data grows into: they check the API against the store itself."""

from __future__ import annotations

import httpx
import pytest
import rdflib

from fixtures.servers import running_service
from graph import catalogue
from graph import namespaces as ns

RUSSIA = ns.ID + "russia"


@pytest.fixture(scope="module")
def client(settings):
    with running_service(settings, query_timeout_s=30) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def test_entity_search_by_label_alias_and_type_with_pagination(client, store):
    by_alias = client.get("/api/v1/entities", params={"q": "Russian Federation"}).json()
    assert [e["iri"] for e in by_alias["items"]] == [RUSSIA]
    states = client.get("/api/v1/entities", params={"type": "State", "limit": 500}).json()
    expected = {str(r["s"]) for r in store.select("SELECT DISTINCT ?s WHERE { ?s a srkg:State }")}
    assert {e["iri"] for e in states["items"]} == expected and states["total"] == len(expected)
    page1 = client.get("/api/v1/entities", params={"limit": 3}).json()
    page2 = client.get("/api/v1/entities", params={"limit": 3, "offset": 3}).json()
    assert len(page1["items"]) == 3 and page1["total"] == page2["total"] > 6
    assert not {e["iri"] for e in page1["items"]} & {e["iri"] for e in page2["items"]}
    assert client.get("/api/v1/entities", params={"limit": 0}).status_code == 422


def test_entity_detail(client, store):
    e = client.get("/api/v1/entities/russia").json()
    assert e["label"] == "Russia" and e["wikidata"] == ns.WIKIDATA + "Q159"
    assert {"value": "Russian Federation", "lang": "en"} in e["aliases"]
    assert ns.SRKG + "State" in e["types"]
    held = {s["iri"] for s in e["stances_held"]}
    expected = {str(r["s"]) for r in store.select("SELECT ?s WHERE { ?s a srkg:Stance ; srkg:holder id:russia }")}
    assert held == expected and held
    for s in e["stances_held"]:
        assert s["holder"]["iri"] == RUSSIA and s["evidence"], s["iri"]
        for ev in s["evidence"]:
            assert ev["end"] > ev["start"] >= 0 and ev["quote"]
    assert e["incoming"] and all(r["direction"] == "in" for r in e["incoming"])
    assert e["page"] == "/id/russia" and e["view"] == "/view/entity/russia"


def test_stance_filters(client):
    all_stances = client.get("/api/v1/stances", params={"limit": 500}).json()
    assert all_stances["total"] > 0
    for params, check in [
        ({"holder": "russia"}, lambda s: s["holder"]["iri"] == RUSSIA),
        ({"polarity": "Opposes"}, lambda s: s["polarity"] == "Opposes"),
        ({"attribution": "ReportedFact"}, lambda s: s["attribution"] == "ReportedFact"),
        ({"hedged": "false"}, lambda s: s["hedged"] is False),
        ({"theme": "theme-security"}, lambda s: any(t["iri"].endswith("theme-security") for t in s["themes"])),
    ]:
        got = client.get("/api/v1/stances", params={**params, "limit": 500}).json()
        assert got["total"] == sum(1 for s in all_stances["items"] if check(s)), params
        assert all(check(s) for s in got["items"])
    target = all_stances["items"][0]["targets"][0]["iri"]
    got = client.get("/api/v1/stances", params={"target": target, "limit": 500}).json()
    assert got["total"] >= 1 and all(any(t["iri"] == target for t in s["targets"]) for s in got["items"])


def test_events_timeline_and_date_filter(client):
    events = client.get("/api/v1/events", params={"limit": 500}).json()["items"]
    dated = [e["begin"] for e in events if e["begin"]]
    assert dated == sorted(dated) and dated
    may = client.get("/api/v1/events", params={"from": "2024-05-16", "to": "2024-05-17", "limit": 500}).json()
    assert ns.ID + "putin-visit-china-2024" in {e["iri"] for e in may["items"]}
    visit = next(e for e in may["items"] if e["iri"] == ns.ID + "putin-visit-china-2024")
    assert {"role": "guest", "iri": ns.ID + "vladimir-putin"} in [
        {"role": p["role"], "iri": p["entity"]["iri"]} for p in visit["participants"]]
    assert client.get("/api/v1/events", params={"from": "1900-01-01", "to": "1900-12-31"}).json()["total"] == 0
    assert client.get("/api/v1/events", params={"from": "not-a-date"}).status_code == 422


def test_themes_agreements_assessments(client, store):
    themes = client.get("/api/v1/themes").json()
    security = next(t for t in themes if t["iri"] == ns.ID + "theme-security")
    n = store.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s srkg:theme id:theme-security }").rows[0]["n"]
    assert security["count"] == int(n) > 0
    agreements = client.get("/api/v1/agreements", params={"limit": 500}).json()
    n = store.select("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a srkg:Agreement }").rows[0]["n"]
    assert agreements["total"] == int(n)
    assessments = client.get("/api/v1/assessments", params={"limit": 500}).json()["items"]
    assert assessments and all(a["evidence"] and a["attribution"] for a in assessments)
    assert any(a["hedging"] == "Possible" and a["cue"] for a in assessments)


def test_source_with_every_assertion_and_offsets(client, settings):
    sources = client.get("/api/v1/sources").json()
    slug = "pism-spotlight-2024-34"
    assert any(s["iri"].endswith(slug) for s in sources)
    src = client.get(f"/api/v1/sources/{slug}").json()
    text = (settings.data_dir / "sources" / slug / "text.txt").read_text(encoding="utf-8")
    assert src["text_length"] == len(text) and src["metadata"]["srkg:seriesNumber"] == ["34/2024"]
    assert len(src["assertions"]) > 10
    for a in src["assertions"]:
        for ev in a["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_analytics(client):
    top = client.get("/api/v1/analytics/centrality", params={"by": "betweenness", "limit": 10}).json()
    scores = [c["betweenness"] for c in top]
    assert scores == sorted(scores, reverse=True) and len(top) == 10
    assert {c["entity"]["iri"] for c in top[:5]} & {RUSSIA, ns.ID + "china"}
    communities = client.get("/api/v1/analytics/communities").json()
    members = [m["iri"] for c in communities for m in c["members"]]
    assert len(members) == len(set(members)) and communities[0]["size"] >= communities[-1]["size"]
    paths = client.get("/api/v1/analytics/paths", params={"source": "sweden", "target": "russia"}).json()
    assert paths["paths"]
    for p in paths["paths"]:
        assert p["hops"][0]["source"]["iri"] == ns.ID + "sweden" and p["hops"][-1]["target"]["iri"] == RUSSIA
        for a, b in zip(p["hops"], p["hops"][1:], strict=False):
            assert a["target"]["iri"] == b["source"]["iri"]
        assert all(h["relation"] and h["direction"] in ("forward", "backward") for h in p["hops"])
    assert client.get("/api/v1/analytics/centrality", params={"by": "nonsense"}).status_code == 422


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt")])
def test_entity_iri_resolves_to_its_description(client, accept, fmt):
    r = client.get("/id/russia", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.text, format=fmt)
    assert (rdflib.URIRef(RUSSIA), rdflib.OWL.sameAs, None) not in g
    assert (rdflib.URIRef(RUSSIA), rdflib.SKOS.exactMatch, rdflib.URIRef(ns.WIKIDATA + "Q159")) in g


def test_entity_page_shows_evidence_in_its_sentence(client, store):
    row = store.select("""SELECT ?s ?exact WHERE { ?s a srkg:Stance ; srkg:evidence ?e .
        ?e oa:hasSelector ?q . ?q oa:exact ?exact } ORDER BY ?s LIMIT 1""").rows[0]
    path = str(row["s"])[len(ns.ID):]
    r = client.get(f"/id/{path}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    quote = str(row["exact"]).replace("'", "&#39;").replace('"', "&#34;")
    assert f"<mark>{quote}</mark>" in r.text
    assert f'href="/view/entity/{path}"' in r.text
    assert 'href="/id/' in r.text  # relations link to their pages


def test_ontology_resolves(client):
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and 'id="State"' in html.text and 'id="holder"' in html.text
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert (rdflib.URIRef(ns.SRKG + "State"), rdflib.RDF.type, rdflib.OWL.Class) in g


def test_home_page_links_entities(client):
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'href="/id/russia"' in r.text


def test_rest_queries_are_catalogued():
    names = {n for n in catalogue.load() if n.startswith("api/")}
    assert {"api/entity-types", "api/entity-statements", "api/describe", "api/events", "api/themes",
            "api/agreements", "api/assertion-details", "api/ontology-terms"} <= names
    assert all(catalogue.get(n).title and catalogue.get(n).description for n in names)


def test_inferred_facts_are_marked_apart_from_stated_ones(client, store):
    """A date, a relation or a count that the brief does not state carries its basis in the REST JSON and on
    the page."""
    visit = client.get("/api/v1/entities/putin-visit-china-2024").json()
    begin = next(v for v in visit["values"] if v["relation"] == "hasBeginTimeStamp")
    assert begin["value"] == "2024-05-16" and begin["inferred"]["basis"] == "from the source's date"
    assert "21 May 2024" in begin["inferred"]["reason"]
    assert not any(v["relation"] == "status" for v in visit["values"])  # a relation to a concept, not a literal
    beijing = client.get("/api/v1/entities/putin-talks-beijing-2024").json()
    parts = {r["other"]["iri"]: r["inferred"] for r in beijing["incoming"] if r["relation"] == "subEventOf"}
    assert parts and all(i and i["basis"] == "curator's reading" for i in parts.values())
    soviet = client.get("/api/v1/entities/establishment-russia-china-diplomatic-relations").json()
    rel = next(r for r in soviet["outgoing"] if r["other"]["iri"] == ns.ID + "soviet-union")
    assert rel["inferred"]["basis"] == "world knowledge" and rel["inferred"]["reference"] == ns.WIKIDATA + "Q15180"
    stated = next(r for r in visit["outgoing"] if r["other"]["iri"] == ns.ID + "beijing")
    assert stated["inferred"] is None
    events = {e["iri"]: e for e in client.get("/api/v1/events", params={"limit": 500}).json()["items"]}
    assert events[ns.ID + "putin-visit-china-2024"]["begin_inferred"]["basis"] == "from the source's date"
    assert events[ns.ID + "establishment-russia-china-diplomatic-relations"]["begin_inferred"]["basis"] == \
        "reasoned from the text"
    page = client.get("/id/putin-visit-china-2024", headers={"Accept": "text/html"}).text
    assert 'class="inferred">inferred, from the source&#39;s date' in page
    russia = client.get("/api/v1/entities/russia").json()
    marked = (sum(1 for r in russia["incoming"] + russia["outgoing"] if r["inferred"])
              + sum(1 for v in russia["values"] if v["inferred"])
              + sum(1 for e in russia["events"] if e["begin_inferred"]))
    assert marked and client.get("/id/russia", headers={"Accept": "text/html"}).text.count('class="inferred"') == marked


def test_assessments_list_what_they_rest_on_and_stances_their_layer(client):
    items = client.get("/api/v1/assessments", params={"limit": 500}).json()["items"]
    situation = next(a for a in items if a["iri"].endswith("assessment-international-situation-good-for-china"))
    assert {p["iri"].rsplit("/", 1)[-1] for p in situation["premises"]} == {
        "xi-visit-france-2024", "stance-germany-ready-economic-cooperation-china",
        "stance-france-ready-economic-cooperation-china", "stance-germany-opposes-ec-trade-policy",
        "stance-sweden-opposes-ec-trade-policy"}
    assert all(r["predicate"] != ns.SRKG + "premise" for r in situation["about"])
    confirmed = next(a for a in items if a["iri"].endswith("assessment-visit-confirmed-strategic-cooperation"))
    assert len(confirmed["includes"]) == 4
    stances = {s["iri"].rsplit("/", 1)[-1]: s
               for s in client.get("/api/v1/stances", params={"limit": 500}).json()["items"]}
    assert stances["stance-china-supports-russian-war-economy"]["hedged"] is True  # the authors' conclusion
    assert stances["stance-russia-opposes-nato-expansion"]["hedged"] is False
    reported = client.get("/api/v1/stances", params={"hedged": "false", "limit": 500}).json()["items"]
    assert not any(s["attribution"] != "ReportedFact" for s in reported)
