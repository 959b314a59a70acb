"""Modelling invariants of PISM Spotlight No. 34/2024 in the graph: every
sentence grounded, attribution layers kept apart (no hedged or attributed
claim becomes a plain or shortcut edge), counts kept as facts, every node of
the source grounded and tagged with themes."""

from __future__ import annotations

import pytest

from graph import namespaces as ns
from graph.coverage import SourceCoverage, coverage
from graph.settings import Settings
from graph.store.base import to_int
from graph.store.embedded import EmbeddedStore

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
def brief(store: EmbeddedStore, settings: Settings) -> SourceCoverage:
    return next(c for c in coverage(store, settings) if c.source == SOURCE)


def test_every_sentence_is_quoted_except_the_boilerplate(brief: SourceCoverage) -> None:
    assert brief.uncovered == [], [s.text for s in brief.uncovered]
    assert {s.text for s in brief.boilerplate} == BOILERPLATE
    assert len(brief.covered) == len(brief.sentences) - len(BOILERPLATE) >= 40


def test_evidence_count_is_well_over_a_hundred(brief: SourceCoverage) -> None:
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
    """A qualified stance's edge exists only where a reported, unhedged stance says the same."""
    rows = store.select("""
        SELECT ?holder ?target ?polarity WHERE {
          ?st a srkg:Stance , srkg:QualifiedAssertion ; srkg:holder ?holder ; srkg:target ?target ;
              srkg:polarity ?polarity .
        }""")
    assert len(rows) >= 10  # the authors' conclusions and expectations, Russia's view on NATO membership
    edge = {ns.SRKG + "Supports": "supports", ns.SRKG + "Opposes": "opposes", ns.SRKG + "CommitsTo": "commitsTo"}
    for r in rows:
        plain = store.ask(f"""ASK {{ ?st a srkg:Stance ; srkg:holder <{r['holder']}> ; srkg:target <{r['target']}> ;
                                    srkg:polarity <{r['polarity']}>
                                    FILTER NOT EXISTS {{ ?st a srkg:QualifiedAssertion }} }}""")
        shortcut = store.ask(f"""ASK {{ GRAPH <{ns.SHORTCUTS_GRAPH}> {{
            <{r['holder']}> srkg:{edge[str(r['polarity'])]} <{r['target']}> }} }}""")
        assert shortcut == plain, r
    assert not store.ask(f"ASK {{ <{ID}russia> ?p <{ID}ukraine-membership-of-nato> }}")
    for target in ("russian-war-economy", "russian-policy-towards-eu", "us-interests",
                   "mutual-support-for-proposals-to-end-war"):
        assert not store.ask(f"ASK {{ GRAPH <{ns.SHORTCUTS_GRAPH}> {{ ?s ?p <{ID}{target}> }} }}"), target


def test_the_authors_conclusions_are_not_reported_stances(store: EmbeddedStore) -> None:
    """S2 "It confirmed …, including China's support for …": the authors', and not expressed at the visit."""
    for target in ("russian-policy-towards-eu", "russian-policy-towards-nato", "russian-policy-towards-ukraine",
                   "russian-war-economy"):
        rows = store.select(f"""SELECT ?st ?a ?h WHERE {{ ?st srkg:holder <{ID}china> ; srkg:target <{ID}{target}> ;
                                  srkg:attribution ?a ; srkg:hedging ?h }}""")
        assert [(str(r["a"]), str(r["h"])) for r in rows] == [(ns.SRKG + "AuthorInference", ns.SRKG + "Certain")]
        assert not store.ask(f"ASK {{ <{rows.rows[0]['st']}> srkg:expressedIn ?e }}")
        assert store.ask(f"ASK {{ <{A}assessment-visit-confirmed-strategic-cooperation> "
                         f"srkg:includesClaim <{rows.rows[0]['st']}> }}")


@pytest.mark.parametrize("stance", ["stance-russia-promote-indivisibility", "stance-china-promote-indivisibility",
                                    "stance-russia-mutual-support-proposals", "stance-china-mutual-support-proposals",
                                    "stance-russia-against-us-interests", "stance-china-against-us-interests"])
def test_will_is_the_authors_expectation(store: EmbeddedStore, stance: str) -> None:
    assert store.ask(f"""ASK {{ <{A}{stance}> srkg:attribution srkg:AuthorInference ; srkg:hedging srkg:Expected ;
                                srkg:cue "will" ; skos:editorialNote ?why }}""")
    assert not store.ask(f"ASK {{ <{A}{stance}> srkg:expressedIn ?e }}")


def test_putins_intention_holds_no_stance_and_invents_no_group(store: EmbeddedStore) -> None:
    assert not store.ask(f"ASK {{ ?s ?p <{ID}russias-partners-opposing-the-west> }}")
    assert not store.ask(f"ASK {{ ?st a srkg:Stance ; srkg:target <{ID}western-dominance> }}")
    assert store.ask(f"ASK {{ <{A}view-putin-intention-visit> a srkg:ActorView ; srkg:about <{ID}western-dominance> }}")


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
        assert store.ask(f"ASK {{ <{ID}putin-visit-china-2024> srkg:accompaniedBy/foaf:member <{iri}> }}")


def test_the_delegation_accompanied_putin_without_him(store: EmbeddedStore) -> None:
    assert store.ask(f"ASK {{ <{ID}putin-visit-china-2024> srkg:accompaniedBy <{ID}russian-delegation-2024> }}")
    assert not store.ask(f"ASK {{ <{ID}russian-delegation-2024> foaf:member <{ID}vladimir-putin> }}")


def test_eu_membership_comes_with_its_outside_provenance(store: EmbeddedStore) -> None:
    rows = store.select(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s srkg:memberOf <{ID}eu> }} }}")
    assert {str(r["s"]) for r in rows} >= {ID + "germany", ID + "france", ID + "sweden"}
    for r in rows:
        assert store.ask(f"""ASK {{ ?f a srkg:InferredFact ; rdf:subject <{r['s']}> ; rdf:predicate srkg:memberOf ;
                                   rdf:object <{ID}eu> ; srkg:basis srkg:WorldKnowledge ; srkg:reason ?why ;
                                   srkg:externalSource ?w FILTER (STRSTARTS(STR(?w), "{ns.WIKIDATA}")) }}"""), r


def test_year_less_dates_carry_their_basis(store: EmbeddedStore) -> None:
    for event in ("putin-visit-china-2024", "putin-xi-dinner-2024-05-16", "putin-xi-talks-tight-circle-2024"):
        assert store.ask(f"""ASK {{ <{ID}{event}> sem:hasBeginTimeStamp "2024-05-16"^^xsd:date .
            ?f rdf:subject <{ID}{event}> ; rdf:predicate sem:hasBeginTimeStamp ; rdf:object "2024-05-16"^^xsd:date ;
               srkg:basis srkg:FromSourceDate ; srkg:reason ?why ; srkg:evidence ?ev }}"""), event


def test_the_establishment_of_relations_was_with_the_soviet_union(store: EmbeddedStore) -> None:
    event = ID + "establishment-russia-china-diplomatic-relations"
    assert store.ask(f"""ASK {{ <{event}> sem:hasBeginTimeStamp "1949"^^xsd:gYear ;
            srkg:participant <{ID}soviet-union> .
        ?f rdf:subject <{event}> ; rdf:predicate srkg:participant ; rdf:object <{ID}soviet-union> ;
           srkg:basis srkg:WorldKnowledge ; srkg:externalSource <{ns.WIKIDATA}Q15180> .
        ?y rdf:subject <{event}> ; rdf:predicate sem:hasBeginTimeStamp ; srkg:basis srkg:FromTextReasoning }}""")
    assert not store.ask(f"ASK {{ <{event}> srkg:participant <{ID}russia> }}")
    assert not store.ask(f"ASK {{ <{ID}russia-china-conflicts-20th-century> srkg:participant ?p }}")


def test_only_the_visit_is_part_of_the_anniversary(store: EmbeddedStore) -> None:
    anniversary = ID + "anniversary-75-russia-china-diplomatic-relations"
    rows = store.select(f"SELECT ?e WHERE {{ ?e sem:subEventOf <{anniversary}> }}")
    assert {str(r["e"]) for r in rows} == {ID + "putin-visit-china-2024"}


@pytest.mark.parametrize("statement", [
    "<{ID}nato-summit-washington-2024> srkg:host ?x",
    "<{ID}putin-inauguration-2024> sem:hasPlace ?x",
    "<{ID}new-european-security-architecture> srkg:proposedBy ?x",
    "<{ID}western-sanctions> ?p ?x",
    "<{ID}war-in-ukraine> skos:altLabel \"Ukraine crisis\"@en",
    "<{ID}eu-china-climate-communication> srkg:about <{ID}coop-climate-change>",
    "<{A}assessment-china-not-limiting-support> srkg:about <{ID}russian-war-economy>",
    "<{ID}xi-putin-closest-associates> srkg:approximateSize 10",
])
def test_what_the_brief_does_not_say_is_not_in_the_graph(store: EmbeddedStore, statement: str) -> None:
    assert not store.ask("ASK { " + statement.format(ID=ID, A=A) + " }")


def test_sanctions_name_no_imposer_and_disinformation_keeps_among(store: EmbeddedStore) -> None:
    assert store.ask(f"""ASK {{ <{A}sanctions> rdfs:label "sanctions"@en ; skos:editorialNote ?n .
                                <{ID}coop-financial> srkg:about <{A}sanctions> }}""")
    label = store.select(f"SELECT ?l WHERE {{ <{A}assessment-media-agreements-suggest-disinformation> rdfs:label ?l }}")
    assert "among European countries and the U.S." in str(label.rows[0]["l"])


def test_missing_facts_are_modelled(store: EmbeddedStore) -> None:
    asks = [
        # China's supply of dual-use technology and goods to Russia, presupposed by S6 and S33
        f"<{ID}supply-of-dual-use-technology> a srkg:Supply ; srkg:supplier <{ID}china> ; srkg:recipient <{ID}russia>",
        # the statement followed the official talks; the talks are parts of Putin's talks in Beijing
        f"<{ID}russia-china-joint-statement-2024> srkg:follows <{ID}russia-china-official-talks-2024>",
        f"<{ID}russia-china-official-talks-2024> sem:subEventOf <{ID}putin-talks-beijing-2024>",
        f"<{ID}putin-li-qiang-talks-2024> sem:subEventOf <{ID}putin-talks-beijing-2024>",
        # "peaceful and development-oriented" cooperation, the statement's counterpart to the West's role
        f"<{A}stance-china-peaceful-development-oriented-cooperation> "
        f"srkg:target <{ID}thesis-peaceful-development-oriented-cooperation> ; "
        f"srkg:expressedIn <{ID}russia-china-joint-statement-2024>",
        # EU relations did not come up; who assessed Xi's visit to France positively (a reading, marked)
        f"<{ID}putin-visit-china-2024> srkg:topicNotRaised <{A}relations-with-the-eu>",
        f"?f rdf:subject <{A}view-positive-assessment-xi-visit-france> ; rdf:predicate srkg:holder ; "
        "srkg:basis srkg:CuratorReading",
        f"<{ID}harbin> skos:exactMatch <{ns.WIKIDATA}Q42956>",
        f"<{ID}south-china-sea> skos:exactMatch <{ns.WIKIDATA}Q37660>",
        # "as confirmed by": the claim about the international situation and its grounds
        f"<{A}assessment-international-situation-good-for-china> "
        f"srkg:premise <{ID}xi-visit-france-2024> , <{A}stance-sweden-opposes-ec-trade-policy>",
    ]
    for ask in asks:
        assert store.ask(f"ASK {{ {ask} }}"), ask


def test_negative_and_counted_facts_are_queryable(store: EmbeddedStore) -> None:
    assert store.ask(f"ASK {{ <{ID}putin-xi-talks-tight-circle-2024> srkg:publiclyDisclosed false }}")
    assert store.ask(f"ASK {{ <{ID}putin-visit-china-2024> srkg:topicNotRaised ?t . ?t srkg:about <{ID}eu> }}")
    rows = store.select(f"""SELECT ?n (COUNT(DISTINCT ?a) AS ?parts) WHERE {{
        <{A}media-cooperation-agreements> srkg:memberCount ?n ; dcterms:hasPart ?a }} GROUP BY ?n""")
    assert [(to_int(r["n"]), to_int(r["parts"])) for r in rows] == [(3, 3)]


def test_military_coordination_is_one_stance_per_holder(store: EmbeddedStore) -> None:
    rows = store.select(f"""SELECT ?st WHERE {{ ?st a srkg:Stance ; srkg:holder <{ID}russia> ;
                                               srkg:target <{ID}coop-military-coordination> }}""")
    assert len(rows) == 1
    quotes = {str(r["q"]) for r in store.select(
        f"SELECT ?q WHERE {{ <{rows.rows[0]['st']}> srkg:evidence/oa:hasSelector/oa:exact ?q }}")}
    assert quotes == {"The statement also asserted the coordination of military activities",
                      "The declaration by China and Russia of military coordination"}


def test_evidence_grounds_what_it_is_given_for(store: EmbeddedStore) -> None:
    """Putin's post is grounded where the brief names it, and no stance rests on a bare "The two"."""
    quotes = {str(r["q"]) for r in store.select(
        f"SELECT ?q WHERE {{ GRAPH <{GRAPH}> {{ <{ID}vladimir-putin> srkg:evidence ?e }} "
        "?e oa:hasSelector/oa:exact ?q }")}
    assert quotes == {"his inauguration for a fifth term as Russian president"}
    assert not store.ask('ASK { ?st a srkg:Stance ; srkg:evidence/oa:hasSelector/oa:exact "The two" }')


def test_assessments_are_the_authors_and_views_the_actors(store: EmbeddedStore) -> None:
    assert not store.ask(f"""ASK {{ ?a a srkg:Assessment .
        FILTER NOT EXISTS {{ ?a prov:wasAttributedTo <{ID}anna-maria-dyner> , <{ID}marcin-przychodniak> }} }}""")
    assert not store.ask("ASK { ?v a srkg:ActorView ; srkg:attribution ?a FILTER (?a != srkg:ActorAttributed) }")
    assert not store.ask("ASK { ?v a srkg:ActorView . FILTER NOT EXISTS { ?v srkg:cue ?c } }")
    cues = {str(r["c"]) for r in store.select("SELECT ?c WHERE { ?v a srkg:ActorView ; srkg:cue ?c }")}
    assert {"From Xi's perspective", "In Russia's view", "Both countries regard them as", "Putin's intention"} <= cues
