"""The SPARQL tokeniser (graph/sparql_lexer.py) on its own: tokens, query forms, escapes and the VALUES
rewrite that servers such as Virtuoso need, without a server."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.sparql_lexer import (
    decode_escapes,
    has_escapes,
    inline_values,
    query_form,
    tokens,
    top_level_limit,
    with_using,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokens(text)]


def test_keywords_inside_strings_iris_and_comments_are_not_keywords() -> None:
    text = 'SELECT * # SERVICE here\nWHERE { ?s <http://x/SERVICE> "LOAD <y>" ; ex:p \'\'\'multi\nline\'\'\' }'
    words = [t.text for t in tokens(text) if t.kind == "word"]
    assert words == ["SELECT", "WHERE"]
    assert ("iri", "<http://x/SERVICE>") in kinds(text) and ("string", '"LOAD <y>"') in kinds(text)
    assert ("comment", "# SERVICE here") in [(t.kind, t.text) for t in tokens(text, comments=True)]
    assert all(t.kind != "comment" for t in tokens(text))


def test_tokens_know_where_they_stand() -> None:
    text = "ASK { ?s ?p 1 }"
    assert [(t.text, t.start, t.end) for t in tokens(text)][:2] == [("ASK", 0, 3), ("{", 4, 5)]


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * {}", "SELECT"),
    ("# a comment\nPREFIX ex: <http://x/>\nBASE <http://y/>\nconstruct WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("ASK {}", "ASK"),
    ("DESCRIBE <http://x>", "DESCRIBE"),
    ("INSERT DATA { <a> <b> <c> }", None),
    ("", None),
])
def test_query_form(text: str, form: str | None) -> None:
    assert query_form(text) == form


def test_unicode_escapes_are_decoded_as_sparql_does() -> None:
    assert has_escapes(r"SE\u0052VICE") and not has_escapes("SERVICE")
    assert decode_escapes(r"SE\u0052VICE \U0001F600") == "SERVICE \U0001F600"
    assert decode_escapes(r"\uZZZZ") == r"\uZZZZ"


def test_inline_values_moves_a_trailing_block_into_the_where_group() -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }\nVALUES (?p) { (<http://x/p>) }\n"
    moved = inline_values(query)
    assert moved.index("VALUES") < moved.rindex("}")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))
    store.add(ox.Quad(ox.NamedNode("http://x/t"), ox.NamedNode("http://x/q"), ox.Literal("o")))
    answer = [[str(sol["s"])] for sol in store.query(query)]  # type: ignore[union-attr]
    assert answer == [[str(sol["s"])] for sol in store.query(moved)] == [["<http://x/s>"]]  # type: ignore[union-attr]


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s ?p ?o }",  # no trailing block
    "SELECT ?s WHERE { ?s ?p ?o VALUES ?p { <x> } }",  # a block inside the group is left alone
    'SELECT ?s WHERE { ?s ?p "VALUES (?p) { (1) }" }',  # a VALUES inside a string is no block
    "SELECT ?s WHERE { ?s ?p ?o } # VALUES (?p) { (1) }",
])
def test_inline_values_leaves_other_queries_alone(query: str) -> None:
    assert inline_values(query) == query


def test_inline_values_with_a_sub_select_keeps_the_block_outermost() -> None:
    query = "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }\nVALUES (?s) { (<http://x/s>) }"
    moved = inline_values(query)
    assert moved.index("VALUES") > moved.index("} }") - 1 and moved.rstrip().endswith("}")


def test_with_using_adds_the_dataset_to_each_operation_with_a_where_clause():
    update = ('PREFIX x: <urn:x:> INSERT { GRAPH <urn:g> { ?s ?p "WHERE" } } '
              'WHERE { { SELECT * WHERE { ?s ?p ?o } } } ; DELETE WHERE { ?s ?p ?o } ; # WHERE in a comment\n'
              ' DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }')
    rewritten = with_using(update, ["urn:d1", "urn:d2"], ["urn:n"])
    clause = "USING <urn:d1> USING <urn:d2> USING NAMED <urn:n> WHERE"
    assert rewritten.count(clause) == 2  # the two DELETE/INSERT operations, not the subquery or DELETE WHERE
    assert 'INSERT { GRAPH <urn:g> { ?s ?p "WHERE" } } ' + clause in rewritten
    assert "DELETE WHERE { ?s ?p ?o }" in rewritten and "# WHERE in a comment" in rewritten
    assert with_using(update, [], []) == update
    ox.Store().update(rewritten)  # still SPARQL


@pytest.mark.parametrize(("text", "limit"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 100", 100),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT\n 7 OFFSET 3", 7),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } }", None),  # a subquery's limit bounds nothing here
    ('SELECT ?limit WHERE { ?s ex:LIMIT "LIMIT 3" } # LIMIT 2', None),
    ("SELECT * WHERE { ?s ?p ?o }", None),
])
def test_top_level_limit(text: str, limit: int | None) -> None:
    assert top_level_limit(text) == limit
