"""Curators' writes over a real server: off without a token, bearer-authorised, SHACL-checked and
atomic (422 with the violations and nothing changed), for SPARQL Update and the Graph Store Protocol."""

from __future__ import annotations

import httpx
import pytest
import rdflib

from fixtures.copies import private_copy
from fixtures.servers import running_service
from graph import namespaces as ns
from graph.build import build

TOKEN = "curator-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CURATED = ns.SOURCE_GRAPH_PREFIX + "api-test-curation"  # source graphs feed the projection
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def base(tmp_path_factory, settings):
    s = private_copy(tmp_path_factory.mktemp("api-writes"), settings)
    build(s)
    with running_service(s, update_token=TOKEN, query_timeout_s=30) as url:
        yield url


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, timeout=120) as c:
        yield c


def _count(client: httpx.Client) -> int:
    return int(client.get("/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"])


def _update(client: httpx.Client, text: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return client.post("/sparql/update", content=text,
                       headers={"Content-Type": "application/sparql-update", **(headers or {})})


def test_writes_need_the_bearer_token(client):
    before = _count(client)
    insert = f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:atlantis a srkg:State ; rdfs:label "Atlantis"@en }} }}'
    r = _update(client, insert)
    assert r.status_code == 401 and "Bearer" in r.json()["detail"]
    assert _update(client, insert, {"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/sparql", data={"update": insert}).status_code == 401  # the protocol's form update too
    assert client.put("/rdf-graphs/service", params={"graph": CURATED}, content=b"",
                      headers={"Content-Type": "text/turtle"}).status_code == 401
    assert _count(client) == before


def test_service_description_announces_updates(client):
    g = rdflib.Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert any(g.triples((None, sd.supportedLanguage, sd.SPARQL11Update)))


def test_valid_update_lands_with_its_entailments_and_is_seen_by_every_reader(client):
    insert = (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:atlantis a srkg:State ; '
              f'rdfs:label "Atlantis"@en ; srkg:memberOf id:eu }} }}')
    r = _update(client, insert, AUTH)
    assert r.status_code == 204, r.text
    ask = client.get("/sparql",
                     params={"query": f"ASK {{ GRAPH <{ns.INFERRED_GRAPH}> {{ id:atlantis a srkg:Actor }} }}"})
    assert ask.json()["boolean"] is True  # entailments were recomputed
    r = client.get("/api/v1/entities/atlantis")
    assert r.status_code == 200 and r.json()["label"] == "Atlantis"
    assert any(rel["other"]["iri"] == ns.ID + "eu" for rel in r.json()["outgoing"])
    assert "Atlantis" in client.get("/id/atlantis", headers={"Accept": "text/html"}).text
    # a DELETE … WHERE with no INSERT (its template read from the update's algebra) takes the membership back
    r = _update(client, f"DELETE {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:atlantis srkg:memberOf ?o }} }} "
                        f"WHERE {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:atlantis srkg:memberOf ?o }} }}", AUTH)
    assert r.status_code == 204, r.text
    r = client.get("/api/v1/entities/atlantis")
    assert r.status_code == 200 and not any(rel["other"]["iri"] == ns.ID + "eu" for rel in r.json()["outgoing"])


def test_invalid_update_is_422_with_violations_and_changes_nothing(client):
    before = _count(client)
    # a stance without holder, polarity, attribution or evidence: SHACL says no
    bad = f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:bad-stance a srkg:Stance ; srkg:target id:eu }} }}'
    r = _update(client, bad, AUTH)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["title"] == "Invalid data" and any("holder" in v for v in body["violations"])
    # a property the ontology does not define: the build's term check says no
    r = _update(client, f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:russia srkg:likes id:china }} }}', AUTH)
    assert r.status_code == 422 and any("srkg:likes" in v for v in r.json()["violations"])
    r = _update(client, "INSERT DATA { GRAPH <x> { broken", AUTH)
    assert r.status_code == 400 and r.json()["line"] == 1
    assert _count(client) == before
    assert client.get("/api/v1/entities/bad-stance").status_code == 404


def test_a_write_that_turns_an_expectation_into_a_reported_fact_is_refused(client):
    """The fidelity checks run on writes too: "will cooperate against U.S. interests" cannot become a plain fact."""
    before = _count(client)
    graph = ns.source_graph("pism-spotlight-2024-34")
    stance = f"<{ns.ID}pism-spotlight-2024-34/stance-russia-against-us-interests>"
    r = _update(client, f"""DELETE DATA {{ GRAPH <{graph}> {{ {stance} srkg:attribution srkg:AuthorInference ;
                                                                 srkg:hedging srkg:Expected }} }} ;
                           INSERT DATA {{ GRAPH <{graph}> {{ {stance} srkg:attribution srkg:ReportedFact }} }}""", AUTH)
    assert r.status_code == 422, r.text
    assert any("future cue 'will'" in v and "stance-russia-against-us-interests" in v for v in r.json()["violations"])
    assert _count(client) == before


def test_graph_store_protocol_round_trip(client):
    turtle = (b'@prefix id: <https://w3id.org/srkg/id/> . @prefix srkg: <https://w3id.org/srkg/ontology#> .\n'
              b'@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
              b'id:lemuria a srkg:State ; rdfs:label "Lemuria"@en .\n')
    r = client.put("/rdf-graphs/service", params={"graph": CURATED}, content=turtle,
                   headers={**AUTH, "Content-Type": "text/turtle"})
    assert r.status_code == 201, r.text
    got = client.get("/rdf-graphs/service", params={"graph": CURATED}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and '"Lemuria"@en' in got.text
    more = b'<https://w3id.org/srkg/id/lemuria> <http://www.w3.org/2004/02/skos/core#altLabel> "Mu"@en .\n'
    r = client.post("/rdf-graphs/service", params={"graph": CURATED}, content=more,
                    headers={**AUTH, "Content-Type": "application/n-triples"})
    assert r.status_code == 204, r.text
    got = client.get("/rdf-graphs/service", params={"graph": CURATED}, headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=got.text, format="turtle")
    assert len(g) == 3
    search = client.get("/api/v1/entities", params={"q": "mu", "type": "State"}).json()
    assert ns.ID + "lemuria" in [e["iri"] for e in search["items"]]
    assert client.delete("/rdf-graphs/service", params={"graph": CURATED}, headers=AUTH).status_code == 204
    assert client.get("/rdf-graphs/service", params={"graph": CURATED}).status_code == 404


def test_graph_store_rejects_bad_data_and_build_graphs(client):
    before = _count(client)
    r = client.put("/rdf-graphs/service", params={"graph": CURATED}, content=b"@prefix broken",
                   headers={**AUTH, "Content-Type": "text/turtle"})
    assert r.status_code == 422 and "syntax error" in r.json()["violations"][0]
    r = client.put("/rdf-graphs/service", params={"graph": ns.ONTOLOGY_GRAPH}, content=b"",
                   headers={**AUTH, "Content-Type": "text/turtle"})
    assert r.status_code == 422 and "build" in r.json()["violations"][0]
    unlabelled = (b'<https://w3id.org/srkg/id/nameless> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                  b'<https://w3id.org/srkg/ontology#State> .')
    r = client.put("/rdf-graphs/service", params={"graph": CURATED}, content=unlabelled,
                   headers={**AUTH, "Content-Type": "application/n-triples"})
    assert r.status_code == 422 and any("label" in v for v in r.json()["violations"])
    for graph in ("00", "urn:a b", "https://example.org/%"):  # relative, or not an IRI by the engine's parser
        for method in ("PUT", "POST"):
            r = client.request(method, "/rdf-graphs/service", params={"graph": graph}, content=b"",
                               headers={**AUTH, "Content-Type": "text/turtle"})
            assert r.status_code == 400 and "absolute IRI" in r.json()["detail"], (method, graph, r.text)
    assert _count(client) == before


def test_readers_keep_being_answered_during_a_write(client, base):
    import threading

    statuses: list[int] = []
    done = threading.Event()

    def read() -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            while not done.is_set():
                statuses.append(c.get("/sparql", params={"query": "ASK { id:russia a srkg:State }"}).status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        insert = f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:thule a srkg:State ; rdfs:label "Thule"@en }} }}'
        assert _update(client, insert, AUTH).status_code == 204
        delete = f'DELETE WHERE {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:thule ?p ?o }} }}'
        assert _update(client, delete, AUTH).status_code == 204
    finally:
        done.set()
        reader.join()
    assert statuses and set(statuses) == {200}
    assert client.get("/api/v1/entities/thule").status_code == 404


def test_an_update_takes_its_dataset_and_version_from_the_protocol(client):
    """using-graph-uri works as USING in each operation; the version may be a field or a media-type parameter;
    one update string, one version, one way of naming the dataset."""
    insert = (f'INSERT DATA {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:lemuria a srkg:State ; '
              f'rdfs:label "Lemuria"@en ; srkg:memberOf id:eu }} }}')
    members = f"ASK {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:lemuria srkg:memberOf id:eu }} }}"
    assert client.get("/sparql", params={"query": members}).json()["boolean"] is False  # now in the result cache
    assert _update(client, insert, {**AUTH, "Content-Type": "application/sparql-update; version=1.2"}
                   ).status_code == 204
    assert client.get("/sparql", params={"query": members}).json()["boolean"] is True  # the write emptied it
    leave = (f"DELETE {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ id:lemuria srkg:memberOf ?o }} }} "
             "WHERE { id:lemuria srkg:memberOf ?o }")
    r = client.post("/sparql/update", data={"update": leave}, headers=AUTH)  # the default graph holds nothing
    assert r.status_code == 204 and client.get("/sparql", params={"query": members}).json()["boolean"] is True
    r = client.post("/sparql/update", data={"update": leave, "using-graph-uri": ns.REFERENCE_GRAPH,
                                            "version": "1.1"}, headers=AUTH)
    assert r.status_code == 204 and client.get("/sparql", params={"query": members}).json()["boolean"] is False
    before = _count(client)
    refused = {
        "repeated-operation": {"update": [leave, leave]},
        "repeated-version": {"update": leave, "version": ["1.1", "1.2"]},
        "unsupported-version": {"update": leave, "version": "2.0"},
        "dataset-twice": {"update": leave.replace("WHERE", f"USING <{ns.REFERENCE_GRAPH}> WHERE"),
                          "using-graph-uri": ns.REFERENCE_GRAPH},
        "refused": {"update": leave, "using-named-graph-uri": "http://example.org/elsewhere"},
    }
    for problem, form in refused.items():
        r = client.post("/sparql/update", data=form, headers=AUTH)
        assert r.status_code == 400 and r.json()["type"].endswith(problem), (problem, r.text)
    r = _update(client, leave, {**AUTH, "Content-Type": "application/sparql-update; version=0.9"})
    assert r.status_code == 400 and r.json()["type"].endswith("unsupported-version")
    assert _count(client) == before
