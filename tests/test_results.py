"""Results as bytes (graph/store/results.py): each format parses back to the same answer, the row cap holds
in every format, and graphs keep srkg's prefixes."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from api.formats import NotAcceptable, negotiate
from graph import namespaces as ns
from graph.errors import ResultTooLarge
from graph.store import results

QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    st = ox.Store()
    label = ox.NamedNode(ns.RDFS + "label")
    for i, text in enumerate(['plain', 'a "quoted"\tline\nbreak', 'Путин', '普京']):
        st.add(ox.Quad(ox.NamedNode(f"{ns.ID}e{i}"), label, ox.Literal(text, language="en" if i else None)))
    return st


@pytest.mark.parametrize("media", sorted(results.RESULT_FORMATS))
def test_every_result_format_parses_back_to_the_same_rows(store: ox.Store, media: str) -> None:
    body = results.solutions_bytes(store.query(QUERY), media)  # type: ignore[arg-type]
    fmt = results.RESULT_FORMATS[media]
    if fmt == ox.QueryResultsFormat.CSV:  # lossy by design (no datatypes or languages): read as text
        records = list(csv.reader(io.StringIO(body.decode())))
        values = [label for _, label in records[1:]]
    else:
        values = [sol["label"].value for sol in ox.parse_query_results(body, format=fmt)]  # type: ignore
    assert values == ["plain", 'a "quoted"\tline\nbreak', "Путин", "普京"]
    assert results.count_rows(body, fmt) == 4


@pytest.mark.parametrize("media", sorted(results.RESULT_FORMATS))
def test_the_row_cap_holds_in_every_format(media: str) -> None:
    st = ox.Store()
    st.extend(ox.Quad(ox.NamedNode(f"{ns.ID}e{i}"), ox.NamedNode(ns.RDFS + "label"), ox.Literal(f"x{i}"))
              for i in range(40))
    assert results.solutions_bytes(st.query(QUERY), media, max_rows=40)  # type: ignore[arg-type]
    with pytest.raises(ResultTooLarge, match="more than 39 results"):
        results.solutions_bytes(st.query(QUERY), media, max_rows=39)  # type: ignore[arg-type]


def test_a_huge_result_stops_before_it_is_all_written() -> None:
    st = ox.Store()
    st.extend(ox.Quad(ox.NamedNode(f"{ns.ID}e{i}"), ox.NamedNode(ns.RDFS + "label"), ox.Literal("x" * 5000))
              for i in range(50))
    with pytest.raises(ResultTooLarge):  # 50 rows of 5 kB, over 8 kB a row for a cap of 10
        results.solutions_bytes(st.query(QUERY), "application/sparql-results+json", max_rows=10)  # type: ignore


def test_ask_answers(store: ox.Store) -> None:
    body = results.solutions_bytes(store.query("ASK { ?s ?p ?o }"), "application/sparql-results+json")  # type: ignore
    assert bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)) is True


def test_graphs_take_rdflib_or_pyoxigraph_triples_and_keep_prefixes() -> None:
    rdflib_triple = (URIRef(ns.ID + "russia"), URIRef(ns.RDFS + "label"), Literal("Россия", lang="ru"))
    turtle = results.triples_bytes([rdflib_triple], "text/turtle")
    assert b"@prefix id:" in turtle and "Россия".encode() in turtle
    nt = results.triples_bytes([ox.Triple(ox.NamedNode(ns.ID + "a"), ox.NamedNode(ns.RDFS + "label"),
                                          ox.Literal("a"))], "application/n-triples")
    assert nt.decode().strip() == f'<{ns.ID}a> <{ns.RDFS}label> "a" .'


@pytest.mark.parametrize(("accept", "chosen"), [
    (None, "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/*;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/json;q=0.1, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
    ("*/*;q=0.2, text/csv;q=0", "application/sparql-results+json"),
])
def test_negotiation_picks_what_the_client_prefers(accept: str | None, chosen: str) -> None:
    offer = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
             "text/tab-separated-values", "application/json"]
    assert negotiate(accept, offer) == chosen


def test_negotiation_refuses_what_it_cannot_offer() -> None:
    with pytest.raises(NotAcceptable) as info:
        negotiate("image/png", ["text/turtle"])
    assert info.value.offered == ["text/turtle"]
