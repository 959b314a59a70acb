"""Curators' writes checked against what they change, on a real on-disk store of about 100k triples.

A write is checked on its neighbourhood, not on the whole store (:mod:`graph.curation`). These tests hold
that to the build: every kind of invalid data is still refused with the build's message, the store is left
as it was, and the derived graphs a write updates are exactly those a full derivation gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import curation
from graph import namespaces as ns
from graph.build import build
from graph.dataset import Dataset
from graph.entailment import DERIVATIONS, derive
from graph.errors import DataError
from graph.settings import Settings
from graph.store import Store, open_store
from graph.synth import synthesise

DOC = ns.SOURCE_GRAPH_PREFIX + "synth-000001"
ID = ns.ID
DERIVED = sorted({g for _, g in DERIVATIONS})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Settings:
    """1,000 synthetic documents, about 100k triples, built once for the module (SHACL passes on them)."""
    root: Path = tmp_path_factory.mktemp("curation-100k")
    synthesise(root / "data", 1000, seed=0)
    s = settings.model_copy(update={"data_dir": root / "data", "store_dir": root / "store"})
    build(s, shacl_check=False)
    return s


@pytest.fixture
def store(corpus: Settings) -> Iterator[Store]:
    with open_store(corpus) as st:
        yield st


def _insert(body: str, graph: str = DOC) -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}"


INVALID = {
    "unknown class": (_insert('id:bad-event a srkg:Evnt ; rdfs:label "oops"@en .'), "unknown class srkg:Evnt"),
    "unknown property": (_insert('id:bad-event a srkg:Event ; rdfs:label "oops"@en ; srkg:hots id:china .'),
                         "unknown property srkg:hots"),
    "date that is not a date": (
        _insert('id:bad-event a srkg:Event ; rdfs:label "oops"@en ; sem:hasBeginTimeStamp "2024-02-30"^^xsd:date .'),
        "is not a valid xsd:date"),
    "dangling reference": (_insert('id:bad-event a srkg:Event ; rdfs:label "oops"@en ; srkg:host id:atlantis .'),
                           "dangling reference to id:atlantis"),
    "stance without holder (SHACL)": (
        _insert("id:bad-stance a srkg:Stance ; srkg:polarity srkg:Supports ; srkg:target id:china ; "
                f"srkg:attribution srkg:ReportedFact ; srkg:evidence <{ID}synth-000001/event> ."),
        "exactly one holder"),
    "hedged claim stored as a reported fact (SHACL)": (
        _insert("""<https://w3id.org/srkg/id/synth-000001/stance-1> srkg:hedging srkg:Presumed ."""),
        "cannot be in the srkg:ReportedFact layer"),
    "a write into the default graph": ('INSERT DATA { id:china rdfs:label "Chine"@fr }',
                                      "write inside GRAPH <…> { }"),
    "a write into a derived graph": (_insert("id:china a srkg:Person .", ns.INFERRED_GRAPH),
                                     "only the build maintains"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_a_write_at_100k_triples_rejects_invalid_data_with_the_builds_message(case: str, store: Store,
                                                                               corpus: Settings) -> None:
    update, message = INVALID[case]
    size = len(store)
    with pytest.raises(DataError) as info:
        curation.prepare(store, corpus, update=update)
    assert any(message in p.message for p in info.value.problems), [p.message for p in info.value.problems]
    assert len(store) == size


def _one(store: Store, sparql: str) -> str:
    rows = store.select(sparql)
    assert len(rows), sparql
    value = rows.values(next(iter(rows.variables)))[0]
    return str(value)


def test_removing_a_type_others_rely_on_is_refused_for_the_nodes_that_point_at_it(store: Store,
                                                                                  corpus: Settings) -> None:
    """The change is to one entity of the reference graph; the errors are about the nodes pointing at it."""
    graph = _one(store, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ID}mongolia> a srkg:State }} }}")
    with pytest.raises(DataError) as info:
        curation.prepare(store, corpus, update=f"DELETE DATA {{ GRAPH <{graph}> {{ id:mongolia a srkg:State }} }}")
    assert any("dangling reference to id:mongolia" in p.message for p in info.value.problems)


def test_breaking_a_selector_is_refused_for_the_evidence_that_uses_it(store: Store, corpus: Settings) -> None:
    """Evidence validates its selectors in depth (sh:qualifiedValueShape): a change to a selector alone
    re-checks the evidence pointing at it."""
    selector = _one(store, f"SELECT ?sel WHERE {{ GRAPH <{DOC}> {{ ?e oa:hasSelector ?sel }} "
                           "?sel a oa:TextQuoteSelector }")
    with pytest.raises(DataError) as info:
        curation.prepare(store, corpus, update=f"DELETE WHERE {{ GRAPH ?g {{ <{selector}> oa:exact ?quote }} }}")
    problems = [p.message for p in info.value.problems]
    assert any("exactly one text quote selector" in p for p in problems), problems


def _derived(store: ox.Store) -> set[ox.Quad]:
    return {q for g in DERIVED for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))}


def _derived_afresh(store: Store) -> set[ox.Quad]:
    """The derived graphs a full derivation gives for the store's data now."""
    copy = store.snapshot()
    for g in DERIVED:
        copy.remove_graph(ox.NamedNode(g))
    dataset = Dataset()
    dataset.store = copy
    derive(dataset)
    return _derived(copy)


STANCE = f"<{ID}synth-000001/stance-1>"
WRITES = [
    ("a new state", _insert('id:thule a srkg:State ; rdfs:label "Thule"@en .', ns.REFERENCE_GRAPH)),
    ("a stance's holder changes", f"""DELETE {{ GRAPH <{DOC}> {{ {STANCE} srkg:holder ?h }} }}
        INSERT {{ GRAPH <{DOC}> {{ {STANCE} srkg:holder id:thule }} }}
        WHERE {{ GRAPH <{DOC}> {{ {STANCE} srkg:holder ?h }} }}"""),
    ("a reported stance becomes the authors' expectation", f"""
        DELETE DATA {{ GRAPH <{DOC}> {{ {STANCE} srkg:attribution srkg:ReportedFact }} }} ;
        INSERT DATA {{ GRAPH <{DOC}> {{ {STANCE} srkg:attribution srkg:AuthorInference ;
                                          srkg:hedging srkg:Expected }} }}"""),
    ("a stance is removed, from whichever graphs hold it", f"DELETE WHERE {{ GRAPH ?g {{ {STANCE} ?p ?o }} }}"),
]


def test_incremental_derived_graphs_are_those_a_full_derivation_gives(store: Store, corpus: Settings) -> None:
    for name, update in WRITES:
        checked = curation.prepare(store, corpus, update=update)
        assert checked.changed, name
        checked.apply(store)
        assert _derived(store.snapshot()) == _derived_afresh(store), name
    shortcuts = store.select(f"SELECT ?s WHERE {{ GRAPH <{ns.SHORTCUTS_GRAPH}> {{ ?s ?p ?o }} }}")
    assert len(shortcuts)  # the synthetic corpus has shortcut edges, so the comparison compared something


def test_a_graph_store_put_is_checked_and_applied_as_a_delta(store: Store, corpus: Settings) -> None:
    graph = ns.SOURCE_GRAPH_PREFIX + "synth-000002"
    body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object)
                         for q in store.quads_around(graphs=[graph])], format=ox.RdfFormat.N_TRIPLES)
    assert body
    unchanged = curation.prepare(store, corpus, graph=graph, data=body, media_type="application/n-triples")
    assert unchanged.changed == [] and unchanged.update == ""
    edited = body + f'<{ID}thule> <{ns.RDFS}label> "Thule"@en .\n'.encode()
    checked = curation.prepare(store, corpus, graph=graph, data=edited, media_type="application/n-triples")
    assert graph in checked.changed
    assert "INSERT DATA" in checked.update and "DELETE DATA" not in checked.update
