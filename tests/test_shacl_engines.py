"""The two SHACL engines report the same violations on srkg's shapes, so the faster one can be the default.

rudof (pyrudof) validates the build by default; pyshacl is the reference. Both run here on the brief's
own data, which conforms, and on that data with one invalid node for each kind of shape, which does not:
they must find the same focus nodes, paths and messages.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph import layout, shacl
from graph import namespaces as ns
from graph.build import prepare
from graph.dataset import Dataset
from graph.settings import Settings

INVALID = """
@prefix id:   <https://w3id.org/srkg/id/> .
@prefix srkg: <https://w3id.org/srkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sem:  <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix oa:   <http://www.w3.org/ns/oa#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

id:bad-holderless a srkg:Stance , srkg:Assertion ; srkg:polarity srkg:Supports ; srkg:target id:china ;
    srkg:attribution srkg:ReportedFact ; srkg:evidence id:bad-evidence .
id:bad-hedged a srkg:Stance , srkg:Assertion ; srkg:holder id:china ; srkg:polarity srkg:Supports ;
    srkg:target id:russia ; srkg:attribution srkg:ReportedFact ; srkg:hedging srkg:Presumed ;
    srkg:evidence id:bad-evidence .
id:bad-evidence a srkg:Evidence ; oa:hasSelector id:bad-selector .
id:bad-selector a oa:TextQuoteSelector .
id:bad-event a srkg:Event ; rdfs:label "bad event"@en ; srkg:guest id:bad-evidence ;
    sem:hasBeginTimeStamp "2024-05-16"^^xsd:date , "2024-05-17"^^xsd:date .
id:bad-state a srkg:State , srkg:Actor , srkg:Agent ; skos:exactMatch <https://example.org/not-wikidata> .
id:bad-inferred a srkg:InferredFact ; rdf:subject id:china ; rdf:predicate srkg:partnerOf ; rdf:object id:russia ;
    srkg:basis srkg:WorldKnowledge .
id:bad-waiver-holder srkg:cueWaiver id:bad-waiver .
id:bad-waiver srkg:waivedCue "may" .
id:bad-argument srkg:includesClaim id:china .
"""

MESSAGES = ["a stance has exactly one holder, an actor",
            "a presumed or possible claim cannot be in the srkg:ReportedFact layer",
            "evidence has exactly one source document (oa:hasSource)",
            "evidence has exactly one text position selector (the build adds it)",
            "an event begins on one valid xsd:date, xsd:gYearMonth or xsd:gYear",
            "every actor, place, event, document, set of documents, proposition, theme and post needs an rdfs:label",
            "a Wikidata link is an item IRI http://www.wikidata.org/entity/Q…",
            "an inferred fact says why it is held (srkg:reason)",
            "a fact held from world knowledge names its reference (srkg:externalSource), such as a Wikidata item",
            "a cue waiver says why the cue does not weaken the fact (srkg:reason)",
            "only an assertion rests on premises or includes claims (srkg:premise, srkg:includesClaim)"]


@pytest.fixture(scope="module")
def brief(settings: Settings) -> Dataset:
    dataset, _ = prepare(settings, shacl_check=False)
    return dataset


def test_both_engines_find_the_brief_conforms(brief: Dataset, settings: Settings) -> None:
    shapes = layout.shapes_file(settings.ontology_dir)
    for engine in shacl.ENGINES:
        assert shacl.violations(brief, shapes, engine=engine) == [], engine


def test_both_engines_report_the_same_violations(brief: Dataset, settings: Settings) -> None:
    data = Dataset()
    data.store.extend(brief.store)
    graph = ox.NamedNode(ns.REFERENCE_GRAPH)
    data.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                      for t in ox.parse(INVALID.encode(), format=ox.RdfFormat.TURTLE))
    shapes = layout.shapes_file(settings.ontology_dir)
    found = {engine: shacl.violations(data, shapes, engine=engine) for engine in shacl.ENGINES}
    assert found["rudof"] == found["pyshacl"]
    messages = {v.message for v in found["rudof"]}
    missing = [m for m in MESSAGES if m not in messages]
    assert not missing, sorted(messages)
    assert all(v.focus.startswith(ns.ID + "bad-") for v in found["rudof"]), found["rudof"]


def test_an_unknown_engine_is_named(settings: Settings) -> None:
    with pytest.raises(ValueError, match="unknown SHACL engine 'jena'"):
        shacl.violations(Dataset(), layout.shapes_file(settings.ontology_dir), engine="jena")
