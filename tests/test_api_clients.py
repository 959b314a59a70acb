"""Real SPARQL clients that no one here wrote (SPARQLWrapper, rdflib's SPARQLStore)
run the competency questions against the running service and get the embedded store's answers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import ResultRow
from SPARQLWrapper import JSON, SPARQLWrapper

from fixtures.servers import running_service
from graph import catalogue
from graph import namespaces as ns
from graph.settings import get_settings
from graph.store import SelectResult, Store

FIXTURES = Path(__file__).parent / "fixtures" / "api"

OWN = catalogue.read(FIXTURES / "queries")
CQ = {n: q for n, q in catalogue.read(get_settings().queries_dir).items() if q.group == "cq"}
QUERIES = {**{f"cq:{n}": q.text for n, q in CQ.items()}, **{f"own:{n}": q.text for n, q in OWN.items()}}


def _with_prefixes(text: str) -> str:
    """The query with every prefix the project predefines (real clients send it as written) and without
    the catalogue's comment header (SPARQLWrapper guesses the query form from words in comments)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return ns.sparql_prologue() + body


@pytest.fixture(scope="module")
def base(settings):
    with running_service(settings, query_timeout_s=60) as url:
        yield url


def _key(term: object) -> object:
    if isinstance(term, rdflib.BNode) or term is None:
        return type(term).__name__
    if isinstance(term, rdflib.Literal):
        return (str(term), term.language, str(term.datatype) if term.datatype else None)
    return str(term)


def _expected(store: Store, text: str) -> tuple[str, object]:
    result = store.query(text)
    if isinstance(result, SelectResult):
        return "SELECT", Counter(tuple(_key(row.get(v)) for v in result.variables) for row in result.rows)
    if isinstance(result, bool):
        return "ASK", result
    return "GRAPH", Counter((_key(s), _key(p), _key(o)) for s, p, o in result)


def _from_json_term(b: dict | None) -> object:
    if b is None:
        return None
    if b["type"] == "uri":
        return rdflib.URIRef(b["value"])
    if b["type"] == "bnode":
        return rdflib.BNode(b["value"])
    return rdflib.Literal(b["value"], lang=b.get("xml:lang"),
                          datatype=rdflib.URIRef(b["datatype"]) if b.get("datatype") else None)


def test_there_are_queries_to_compare():
    assert len(OWN) >= 4  # the test never runs empty, whatever cq/ holds yet


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_sparqlwrapper_gets_the_embedded_answers(base, store, name):
    text = _with_prefixes(QUERIES[name])
    kind, expected = _expected(store, text)
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(text)
    client.setMethod("POST")
    if kind == "ASK":
        client.setReturnFormat(JSON)
        data = client.query().convert()
        assert isinstance(data, dict), data
        assert data["boolean"] is expected
    elif kind == "SELECT":
        client.setReturnFormat(JSON)
        data = client.query().convert()
        assert isinstance(data, dict), data
        variables = data["head"]["vars"]
        got = Counter(tuple(_key(_from_json_term(b.get(v))) for v in variables) for b in data["results"]["bindings"])
        assert got == expected
    else:
        client.setReturnFormat("turtle")
        turtle = client.query().convert()
        assert isinstance(turtle, bytes | str), turtle
        g = rdflib.Graph().parse(data=turtle, format="turtle")
        assert Counter((_key(s), _key(p), _key(o)) for s, p, o in g) == expected


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rdflib_sparqlstore_gets_the_embedded_answers(base, store, name):
    text = _with_prefixes(QUERIES[name])
    kind, expected = _expected(store, text)
    graph = rdflib.Graph(store=SPARQLStore(query_endpoint=base + "/sparql", returnFormat="xml"))
    result = graph.query(text)
    assert result.type == kind or (kind == "GRAPH" and result.type in ("CONSTRUCT", "DESCRIBE"))
    if result.type == "ASK":
        assert bool(result) is expected
    elif result.type == "SELECT":
        assert result.vars is not None
        variables = [str(v) for v in result.vars]
        assert Counter(tuple(_key(_row(row)[v]) for v in variables) for row in result) == expected
    else:
        assert result.graph is not None
        assert Counter((_key(s), _key(p), _key(o)) for s, p, o in result.graph) == expected


def _row(row: object) -> ResultRow:
    """A row of a SELECT result (iterating an rdflib result gives rows, triples or a boolean, by its type)."""
    assert isinstance(row, ResultRow), row
    return row
