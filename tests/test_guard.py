"""The service's network guard (api/guard.py) on its own: what it refuses, what it lets through, and which
queries may run in the service's process as bounded lookups."""

from __future__ import annotations

import pytest

from api.guard import Refused, check, is_lookup, scan
from graph import namespaces as ns

KNOWN = {ns.REFERENCE_GRAPH, ns.ONTOLOGY_GRAPH}


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service <http://example.org/sparql> { ?s ?p ?o } }",
    r"SELECT * WHERE { SE\u0052VICE <http://example.org/sparql> { ?s ?p ?o } }",
    "LOAD <http://example.org/data.ttl>",
])
def test_network_access_is_refused(query: str) -> None:
    with pytest.raises(Refused):
        check(query, KNOWN, update=query.startswith("LOAD"))


def test_keywords_in_strings_comments_and_iris_are_harmless() -> None:
    query = 'SELECT * WHERE { ?s ?p "SERVICE" . ?s <http://x/LOAD> ?o } # SERVICE <http://evil>'
    found = check(query, KNOWN, update=False)
    assert found.form == "SELECT" and not found.is_update


def test_unknown_graphs_are_refused_and_known_ones_read() -> None:
    with pytest.raises(Refused, match="unknown graph <http://evil/g>"):
        check("SELECT * FROM <http://evil/g> WHERE { ?s ?p ?o }", KNOWN, update=False)
    found = check(f"SELECT * FROM <{ns.REFERENCE_GRAPH}> FROM NAMED <{ns.ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}",
                  KNOWN, update=False)
    assert found.from_default == [ns.REFERENCE_GRAPH] and found.from_named == [ns.ONTOLOGY_GRAPH]
    # an update may create a graph of its own, under srkg's namespace only
    check(f"INSERT DATA {{ GRAPH <{ns.GRAPH}new> {{ <a> <b> <c> }} }}", KNOWN, update=True)
    with pytest.raises(Refused):
        check("WITH <http://evil/g> INSERT { <a> <b> <c> } WHERE {}", KNOWN, update=True)


def test_prefixed_graph_names_are_resolved() -> None:
    found = scan("PREFIX g: <https://w3id.org/srkg/graph/>\nSELECT * FROM g:reference WHERE { ?s ?p ?o }")
    assert found.from_default == [ns.REFERENCE_GRAPH]


@pytest.mark.parametrize(("query", "update"), [
    ("INSERT DATA { <a> <b> <c> }", True), ("PREFIX x: <y> DELETE WHERE { ?s ?p ?o }", True),
    ("SELECT * {}", False), ("ASK {}", False),
])
def test_updates_are_told_from_queries(query: str, update: bool) -> None:
    assert scan(query).is_update is update


@pytest.mark.parametrize(("query", "lookup"), [
    ("SELECT ?p ?o WHERE { id:russia ?p ?o }", True),
    ("SELECT * WHERE { ?s ?p <https://w3id.org/srkg/id/russia> } LIMIT 10", True),
    ('SELECT ?s WHERE { ?s rdfs:label "Russia" }', True),
    ('SELECT ?s WHERE { ?s rdfs:label "Russia"@en }', False),  # a tagged literal: errs towards "no"
    ("ASK { id:russia a srkg:State }", True),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", False),  # unanchored: the whole store
    ("SELECT * WHERE { id:russia ?p ?o . ?o ?q ?r }", False),  # a join
    ("SELECT * WHERE { id:russia ?p ?o FILTER (?o != 1) }", False),
    ("SELECT (COUNT(*) AS ?n) WHERE { id:russia ?p ?o }", False),  # an aggregate
    ("SELECT * WHERE { id:russia srkg:holder+ ?o }", False),  # a path
    (r"SELECT * WHERE { id:russia ?p ?o } # \u0020", False),  # escapes: no decision on appearances
])
def test_only_a_single_anchored_pattern_is_a_lookup(query: str, lookup: bool) -> None:
    assert is_lookup(query) is lookup
