"""Modelling invariants of PISM Spotlight No. 34/2024 in the graph: every
sentence grounded, attribution layers kept apart (no hedged or attributed
claim becomes a plain or shortcut edge), counts kept as facts, every node of
the source grounded and tagged with themes."""

from __future__ import annotations

import pytest

from graph import namespaces as ns
from graph.coverage import coverage
from graph.settings import Settings
from graph.store import EmbeddedStore

SLUG = "pism-spotlight-2024-34"
SOURCE = ns.SOURCE_ID_PREFIX + SLUG
GRAPH = ns.source_graph(SLUG)
ID = ns.ID
A = ID + SLUG + "/"

BOILERPLATE = {
    "SPOTLIGHT",
    "PISM SPOTLIGHT",
    "What were the objectives of the Russian visit to China?",
    "What did Xi Jinping expect?",
    "What was agreed in bilateral relations?",
    "What was agreed on the issue of the war in Ukraine?",
    "What were the outcomes so far of the visit?",
}


@pytest.fixture(scope="module")
def brief(store: EmbeddedStore, settings: Settings):
    return next(c for c in coverage(store, settings) if c.source == SOURCE)


def test_every_sentence_is_quoted_except_the_boilerplate(brief) -> None:
    assert brief.uncovered == [], [s.text for s in brief.uncovered]
    assert {s.text for s in brief.boilerplate} == BOILERPLATE
    assert len(brief.covered) == len(brief.sentences) - len(BOILERPLATE) >= 40


def test_evidence_count_is_well_over_a_hundred(brief) -> None:
    assert brief.evidence >= 130


def test_every_shortcut_edge_comes_from_a_reported_unhedged_stance(store: EmbeddedStore) -> None:
    edges = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ns.SHORTCUTS_GRAPH}> {{ ?s ?p ?o }} }}")
    assert len(edges) >= 30
    polarity = {ns.SRKG + "supports": ns.SRKG + "Supports", ns.SRKG + "opposes": ns.SRKG + "Opposes",
                ns.SRKG + "commitsTo": ns.SRKG + "CommitsTo"}
    for e in edges:
        assert str(e["p"]) in polarity, e
        assert store.ask(f"""ASK {{ GRAPH ?g {{
            ?st a srkg:Stance ; srkg:holder <{e['s']}> ; srkg:target <{e['o']}> ;
                srkg:polarity <{polarity[str(e['p'])]}> ; srkg:attribution srkg:ReportedFact .
            FILTER NOT EXISTS {{ ?st srkg:hedging ?h FILTER (?h != srkg:Certain) }} }} }}"""), e


def test_no_attributed_or_hedged_stance_becomes_a_shortcut(store: EmbeddedStore) -> None:
    rows = store.select("""
        SELECT ?holder ?target ?polarity WHERE {
          ?st a srkg:Stance ; srkg:holder ?holder ; srkg:target ?target ; srkg:polarity ?polarity .
          { ?st srkg:attribution ?a FILTER (?a != srkg:ReportedFact) }
          UNION { ?st srkg:hedging ?h FILTER (?h != srkg:Certain) }
        }""")
    assert len(rows) >= 1  # Russia's view that Ukraine's NATO membership is unacceptable
    for r in rows:
        assert not store.ask(f"""ASK {{
            GRAPH <{ns.SHORTCUTS_GRAPH}> {{ <{r['holder']}> ?p <{r['target']}> }} }}"""), r
    assert not store.ask(f"ASK {{ <{ID}russia> ?p <{ID}ukraine-membership-of-nato> }}")


def test_presumed_topic_of_the_talks_is_not_a_plain_triple(store: EmbeddedStore) -> None:
    """"presumably on China's support for Russia's war economy": an assessment, not a topic."""
    talks = ID + "putin-xi-talks-tight-circle-2024"
    assert not store.ask(f"ASK {{ <{talks}> ?p <{ID}russian-war-economy> }}")
    assert not store.ask(f"ASK {{ <{talks}> srkg:topic ?t }}")
    assert not store.ask(f"ASK {{ <{ID}putin-xi-dinner-2024-05-16> srkg:topic ?t }}")
    assert store.ask(f"""ASK {{
        <{A}assessment-talks-presumably-war-economy> srkg:attribution srkg:AuthorInference ;
            srkg:hedging srkg:Presumed ; srkg:cue "presumably" ;
            srkg:about <{talks}> , <{ID}russian-war-economy> }}""")


def test_possible_security_risk_is_not_a_plain_triple(store: EmbeddedStore) -> None:
    """"may increase security risks for Western countries": only an assessment says so."""
    for subject in ("coop-military-coordination", "russia-china-joint-exercises", "russia", "china"):
        assert not store.ask(f"ASK {{ <{ID}{subject}> ?p <{ID}the-west> }}"), subject
    assert not store.ask(f"ASK {{ GRAPH <{ns.SHORTCUTS_GRAPH}> {{ ?s ?p <{ID}the-west> }} }}")
    assert store.ask(f"""ASK {{
        <{A}assessment-military-coordination-risk> srkg:hedging srkg:Possible ; srkg:cue "may" ;
            srkg:attribution srkg:AuthorInference }}""")


def test_actor_views_and_assessments_never_hold_plain_edges(store: EmbeddedStore) -> None:
    """What an actor's view or an assessment is about is reached only through the assertion node."""
    rows = store.select("""
        SELECT ?x ?about WHERE {
          { ?x a srkg:ActorView } UNION { ?x a srkg:Assessment }
          ?x srkg:about ?about .
          ?x srkg:holder|prov:wasAttributedTo ?who .
          GRAPH <https://w3id.org/srkg/graph/shortcuts> { ?who ?p ?about }
          FILTER NOT EXISTS { ?st a srkg:Stance ; srkg:holder ?who ; srkg:target ?about ;
                                  srkg:attribution srkg:ReportedFact }
        }""")
    assert len(rows) == 0, rows


def test_three_media_cooperation_agreements_are_three_agreements(store: EmbeddedStore) -> None:
    rows = store.select(f"""
        SELECT DISTINCT ?a WHERE {{ ?a a srkg:Agreement ; srkg:topic <{ID}coop-media> ;
                                       srkg:concludedDuring <{ID}putin-visit-china-2024> }}""")
    assert len(rows) == 3
    for r in rows:
        parties = {str(p["p"]) for p in store.select(f"SELECT ?p WHERE {{ <{r['a']}> srkg:party ?p }}")}
        assert parties == {ID + "chinese-media-organisations", ID + "russian-media-organisations"}


def test_one_holder_per_stance_for_joint_positions(store: EmbeddedStore) -> None:
    """"Russia and China oppose X" is two stances with the same quote."""
    rows = store.select(f"""
        SELECT ?holder WHERE {{ ?st a srkg:Stance ; srkg:holder ?holder ; srkg:polarity srkg:Opposes ;
                                   srkg:target <{ID}nato-expansion> ; srkg:evidence ?ev }}""")
    assert {str(r["holder"]) for r in rows} == {ID + "russia", ID + "china"}
    assert len({str(r["holder"]) for r in rows}) == len(rows)


def test_every_node_of_the_source_is_grounded(store: EmbeddedStore) -> None:
    rows = store.select("""
        SELECT DISTINCT ?n WHERE {
          GRAPH ?g { ?n a ?c }
          FILTER (?c NOT IN (srkg:Evidence, oa:TextQuoteSelector, oa:TextPositionSelector))
          FILTER NOT EXISTS { GRAPH ?g { ?n srkg:evidence ?ev } }
        }""", g=GRAPH)
    assert rows.rows == [], [str(r["n"]) for r in rows]


@pytest.mark.parametrize("cls", ["Stance", "ActorView", "Assessment", "Agreement", "JointStatement", "Event"])
def test_every_assertion_document_and_event_has_a_theme(store: EmbeddedStore, cls: str) -> None:
    rows = store.select(f"""
        SELECT DISTINCT ?n WHERE {{
          GRAPH ?g {{ ?n a ?c }} ?c rdfs:subClassOf* srkg:{cls} .
          FILTER NOT EXISTS {{ ?n srkg:theme ?t . ?t a srkg:Theme ; skos:inScheme <{ID}themes> }}
        }}""", g=GRAPH)
    assert rows.rows == [], [str(r["n"]) for r in rows]
    assert store.ask(f"ASK {{ GRAPH <{GRAPH}> {{ ?n a ?c }} ?c rdfs:subClassOf* srkg:{cls} }}")


def test_unnamed_people_stay_unnamed(store: EmbeddedStore) -> None:
    for person in ("former-russian-defence-minister", "current-russian-defence-minister"):
        iri = ID + person
        assert store.ask(f"ASK {{ <{iri}> a srkg:Person ; rdfs:label ?l FILTER (CONTAINS(STR(?l), 'unnamed')) }}")
        assert not store.ask(f"ASK {{ <{iri}> foaf:name|skos:exactMatch ?x }}")
        assert store.ask(f"ASK {{ <{ID}putin-visit-china-2024> srkg:accompaniedBy <{iri}> }}")


def test_eu_membership_comes_with_its_outside_provenance(store: EmbeddedStore) -> None:
    rows = store.select(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s srkg:memberOf <{ID}eu> }} }}")
    assert {str(r["s"]) for r in rows} >= {ID + "germany", ID + "france", ID + "sweden"}
    for r in rows:
        assert store.ask(f"ASK {{ <{r['s']}> srkg:externalSource ?w ; skos:note ?n }}"), r


def test_year_less_dates_record_the_inference(store: EmbeddedStore) -> None:
    for event in ("putin-visit-china-2024", "putin-xi-dinner-2024-05-16"):
        assert store.ask(f"""ASK {{ <{ID}{event}> sem:hasBeginTimeStamp "2024-05-16"^^xsd:date ;
                                    skos:note ?n FILTER (CONTAINS(?n, "2024")) }}"""), event


def test_assessments_are_the_authors_and_views_the_actors(store: EmbeddedStore) -> None:
    assert not store.ask(f"""ASK {{ ?a a srkg:Assessment .
        FILTER NOT EXISTS {{ ?a prov:wasAttributedTo <{ID}anna-maria-dyner> , <{ID}marcin-przychodniak> }} }}""")
    assert not store.ask("ASK { ?v a srkg:ActorView ; srkg:attribution ?a FILTER (?a != srkg:ActorAttributed) }")
    assert not store.ask("ASK { ?v a srkg:ActorView . FILTER NOT EXISTS { ?v srkg:cue ?c } }")
    cues = {str(r["c"]) for r in store.select("SELECT ?c WHERE { ?v a srkg:ActorView ; srkg:cue ?c }")}
    assert {"From Xi's perspective", "In Russia's view", "Both countries regard them as"} <= cues
