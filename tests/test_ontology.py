"""The ontology and the query catalogue: every term documented, every query valid."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph import catalogue
from graph import namespaces as ns
from graph.errors import QueryError
from graph.settings import get_settings
from graph.store import SelectResult
from graph.store.embedded import EmbeddedStore

ONTOLOGY = rdflib.Graph().parse(get_settings().ontology_dir / "srkg.ttl")
TERMS = sorted({s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                            OWL.NamedIndividual) for s in ONTOLOGY.subjects(RDF.type, t)}, key=str)


def test_ontology_has_a_version_iri() -> None:
    onto = rdflib.URIRef(ns.ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ONTOLOGY
    assert ONTOLOGY.value(onto, OWL.versionIRI) is not None


@pytest.mark.parametrize("term", TERMS, ids=[ONTOLOGY.namespace_manager.normalizeUri(str(t)) for t in TERMS])
def test_every_term_has_a_label_and_a_definition(term: rdflib.URIRef) -> None:
    assert ONTOLOGY.value(term, RDFS.label) is not None
    assert ONTOLOGY.value(term, SKOS.definition) is not None


def test_srkg_terms_reuse_standard_vocabularies() -> None:
    """Core classes hang under the standard vocabularies they specialise."""
    SRKG = rdflib.Namespace(ns.SRKG)
    expected = {
        SRKG.Actor: rdflib.URIRef(ns.FOAF + "Agent"),
        SRKG.Person: rdflib.URIRef(ns.FOAF + "Person"),
        SRKG.Organisation: rdflib.URIRef(ns.ORG + "Organization"),
        SRKG.Event: rdflib.URIRef(ns.SEM + "Event"),
        SRKG.Evidence: rdflib.URIRef(ns.OA + "SpecificResource"),
        SRKG.Theme: SKOS.Concept,
        SRKG.TermOfOffice: rdflib.URIRef(ns.ORG + "Membership"),
    }
    for cls, parent in expected.items():
        assert (cls, RDFS.subClassOf, parent) in ONTOLOGY, cls


QUERIES = sorted(catalogue.load().values(), key=lambda q: q.name)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_catalogue_query_is_documented_and_parses(query: catalogue.CatalogueQuery) -> None:
    assert query.title and query.title != query.name
    assert query.description
    EmbeddedStore().query(query.text)  # raises QueryError on a syntax error


def test_bind_escapes_hostile_values() -> None:
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    q = catalogue.bind("SELECT ?label WHERE { }", label=hostile)
    store = EmbeddedStore()
    result = store.query(q)
    assert isinstance(result, SelectResult)
    assert [str(v) for v in result.values("label")] == [hostile]


def test_malformed_sparql_names_line_and_column() -> None:
    with pytest.raises(QueryError) as info:
        EmbeddedStore().query("SELECT ?s\nWHERE { ?s ?p }")
    assert info.value.line == 2
    assert info.value.column is not None
    assert "line 2" in str(info.value)
