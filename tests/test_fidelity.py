"""Fidelity: the build rejects each kind of misreading with file and line, and accepts a reviewed one.

Each case adds one file of facts to a small source of the tests' own
(``tests/fixtures/fidelity/``) and builds it beside the real reference data.
The last tests hold the real brief to the same rules.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import cues, fidelity
from graph import namespaces as ns
from graph.build import build
from graph.coverage import Sentence
from graph.errors import DataError
from graph.settings import REPO_ROOT, Settings, get_settings
from graph.store.base import to_int
from graph.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "fidelity" / "fidelity-note-2024"
HEADER = """@prefix id:   <https://w3id.org/srkg/id/> .
@prefix :     <https://w3id.org/srkg/id/fidelity-note-2024/> .
@prefix srkg: <https://w3id.org/srkg/ontology#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sem:  <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""
HEADER_LINES = HEADER.count("\n")


def stance(name: str, holder: str, polarity: str, target: str, quote: str, extra: str = "") -> str:
    return (f":{name} a srkg:Stance ;\n    srkg:holder id:{holder} ; srkg:polarity srkg:{polarity} ;\n"
            f"    srkg:target :{target} ;\n    srkg:attribution srkg:ReportedFact ;{extra}\n"
            f"    srkg:quote \"{quote}\" .\n")


CONSULATE = (':consulate a srkg:Policy ; rdfs:label "a consulate in Harbin"@en ; '
             'srkg:quote "a consulate in Harbin" .\n')
ASIA = ':asia-trade a srkg:Policy ; rdfs:label "trade with Asia"@en ; srkg:quote "trades with Asia" .\n'
SUMMIT = (':summit a srkg:Summit ;\n    rdfs:label "the summit"@en ;\n'
          '    sem:hasBeginTimeStamp "2024-06-02"^^xsd:date ;\n'
          '    srkg:status srkg:Occurred ;\n    srkg:quote "The summit took place on 2 June." .\n')
YEAR = ('[] a srkg:InferredFact ;\n    rdf:subject :summit ; rdf:predicate sem:hasBeginTimeStamp ; '
        'rdf:object "{date}"^^xsd:date ;\n    srkg:basis srkg:FromSourceDate ;\n'
        '    srkg:reason "The note gives the day without a year; the year is that of its date." ;\n'
        '    srkg:quote "2 June" .\n')

#: kind of misreading -> (the facts file, the line the error names, what the error says)
REJECTED = {
    "a hedge ('may') on a reported stance": (
        stance("s", "russia", "Supports", "grain-treaty", "Russia and China may sign a grain treaty"),
        1, "lies in the scope of the hedge cue 'may'"),
    "a future ('will') stored as a reported commitment": (
        CONSULATE + stance("s", "russia", "CommitsTo", "consulate", "Russia will open a consulate in Harbin"),
        2, "the future cue 'will'"),
    "the authors' inference stored as a reported stance": (
        stance("s", "china", "Supports", "grain-plan", "China backs the grain plan"),
        1, "the evidential cue 'indicate'"),
    "the claim of a backward evidential stored as a reported stance": (
        stance("s", "china", "Supports", "grain-plan", "China backs the grain plan"),
        1, "the evidential cue 'as evidenced by'"),
    "an actor's view stored as a reported stance": (
        stance("s", "russia", "Supports", "grain-treaty", "the treaty is a success"),
        1, "the attribution cue \"In Russia's view\""),
    "an intention stored as a reported stance": (
        ASIA + stance("s", "russia", "Supports", "asia-trade", "Russia trades with Asia"),
        2, "the attribution cue 'intention'"),
    "a stale cue waiver": (
        stance("s", "china", "Opposes", "tariffs", "China opposes tariffs",
               '\n    srkg:cueWaiver [ srkg:waivedCue "will" ; srkg:reason "\\"will\\" governs the duties." ] ,'
               '\n                   [ srkg:waivedCue "may" ; srkg:reason "no may here" ] ;'),
        1, "waives the cue 'may', but no evidence of it lies in the scope of that cue"),
    "a cue waiver without a reason": (
        stance("s", "china", "Opposes", "tariffs", "China opposes tariffs",
               '\n    srkg:cueWaiver [ srkg:waivedCue "will" ] ;'),
        1, "a cue waiver says why the cue does not weaken the fact"),
    "a year the text does not give, stored as stated": (SUMMIT, 1, "its evidence does not state '2024'"),
    "an inferred fact that describes no statement": (
        SUMMIT + YEAR.format(date="2024-06-09"), 1, "which its graph does not state"),
    "the same stance stated twice": (
        stance("a", "china", "Opposes", "tariffs", "China opposes tariffs",
               '\n    srkg:cueWaiver [ srkg:waivedCue "will" ; srkg:reason "the duties" ] ;')
        + stance("b", "china", "Opposes", "tariffs", "opposes tariffs",
                 '\n    srkg:cueWaiver [ srkg:waivedCue "will" ; srkg:reason "the duties" ] ;'),
        1, "stated twice: merge them"),
    "world knowledge without its reference": (
        SUMMIT + YEAR.format(date="2024-06-02").replace("srkg:FromSourceDate", "srkg:WorldKnowledge"),
        7, "names its reference (srkg:externalSource)"),
}


@pytest.fixture
def note(tmp_path: Path) -> Settings:
    """A data folder of the real reference data and the tests' small source alone, with a store of its own."""
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "reference", data / "reference")
    shutil.copytree(FIXTURE, data / "sources" / FIXTURE.name)
    return get_settings().model_copy(update={"data_dir": data, "store_dir": tmp_path / "store"})


def with_facts(settings: Settings, facts: str) -> Path:
    path = settings.data_dir / "sources" / FIXTURE.name / "facts.ttl"
    path.write_text(HEADER + facts, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", REJECTED, ids=list(REJECTED))
def test_the_build_rejects_each_misreading_with_file_and_line(note: Settings, case: str) -> None:
    facts, line, message = REJECTED[case]
    path = with_facts(note, facts)
    with pytest.raises(DataError) as info:
        build(note)
    where = f"{path}:{HEADER_LINES + line}: " if line else f"{path}"
    assert any(str(p).startswith(where) and message in str(p) for p in info.value.problems), str(info.value)
    assert not (note.store_dir / "current").exists()  # nothing was published


def test_a_reviewed_cue_and_a_marked_inference_build(note: Settings) -> None:
    waived = stance("s", "china", "Opposes", "tariffs", "China opposes tariffs",
                    '\n    srkg:cueWaiver [ srkg:waivedCue "will" ; '
                    'srkg:reason "\\"will\\" governs cutting duties, not the opposition to tariffs." ] ;')
    expected = (CONSULATE + ":expected a srkg:Stance ;\n    srkg:holder id:russia ; srkg:polarity srkg:CommitsTo ;"
                " srkg:target :consulate ;\n    srkg:attribution srkg:AuthorInference ; srkg:hedging srkg:Expected ;"
                " srkg:cue \"will\" ;\n    prov:wasAttributedTo :author ;\n"
                "    srkg:quote \"Russia will open a consulate in Harbin\" .\n")
    with_facts(note, waived + expected + SUMMIT + YEAR.format(date="2024-06-02"))
    report = build(note)
    assert report.fidelity is not None
    assert [(f.node.rsplit("/", 1)[-1], f.hit.words, f.reason is not None) for f in report.fidelity.findings] == [
        ("s", "will", True)]
    assert report.store_path is not None  # EmbeddedStore(None) would be an empty store in memory
    with EmbeddedStore(report.store_path, read_only=True) as store:
        shortcuts = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ns.SHORTCUTS_GRAPH}> {{ ?s ?p ?o }} }}")
        assert [(str(r["p"]).rsplit("#", 1)[-1]) for r in shortcuts] == ["opposes"]  # the expectation is no edge
        assert store.ask("ASK { ?f a srkg:InferredFact ; srkg:basis srkg:FromSourceDate ; srkg:evidence ?e }")


def scopes(sentence: str) -> dict[str, str]:
    """What each cue of the lexicon governs in ``sentence``, as text."""
    lexicon = cues.lexicon(ox.parse((REPO_ROOT / "ontology" / "cues.ttl").read_bytes(), format=ox.RdfFormat.TURTLE))
    return {h.words: sentence[h.scope[0]:h.scope[1]] for h in cues.find(sentence, lexicon)}


def test_cue_scopes_follow_the_kind_of_cue() -> None:
    assert scopes("The talks indicate that China backs the plan.") == {"indicate": " that China backs the plan."}
    assert scopes("Russia opposes it, as evidenced by the communiqué.") == {"as evidenced by": "Russia opposes it, "}
    assert scopes("In Russia's view, the treaty fails, which is why it objects.") == {
        "In Russia's view": "In Russia's view, the treaty fails, which is why it objects."}
    assert scopes("China may sign it; Russia signed it.") == {"may": "China may sign it"}
    assert scopes("The visit, the possible change of it, and the summit.") == {"possible": "possible change of it"}
    assert scopes("It is done, which may confirm the plan.") == {
        "may": ", which may confirm the plan.", "confirm": " the plan."}


def test_the_month_may_is_not_the_modal() -> None:
    assert scopes("The dinner on 16 May was held. No. 3, 21 MAY 2024.") == {}
    assert scopes("It may rain.") == {"may": "It may rain."}


def test_a_cue_governs_only_the_passages_in_its_scope() -> None:
    hit = cues.CueHit(cues.Cue("x", "x", "HedgeCue", "ClauseScope", cues.re.compile("x")), 10, 11, "x", (5, 20),
                      Sentence(0, 30, ""))
    assert hit.governs(0, 6) and hit.governs(19, 25) and not hit.governs(0, 5) and not hit.governs(20, 30)


def test_literal_parts_read_numbers_words_and_dates() -> None:
    assert fidelity.literal_parts("2024-05-16", ns.XSD + "date") == [{"2024"}, {"5", "05", "may"}, {"16"}]
    assert fidelity.literal_parts("5", ns.XSD + "positiveInteger") == [{"5", "five", "fifth"}]
    assert fidelity.literal_parts("1949", ns.XSD + "gYear") == [{"1949"}]


def real_report(store: EmbeddedStore, settings: Settings) -> fidelity.Report:
    """The fidelity checks on the store built from the real data."""
    texts = fidelity.source_texts(store.engine, settings.data_dir)
    return fidelity.check(store.engine, texts, lambda graph, iri: (None, None))


def test_the_brief_has_no_unreviewed_cue(store: EmbeddedStore, settings: Settings) -> None:
    report = real_report(store, settings)
    assert report.findings and report.unreviewed == []
    assert all(len(f.reason or "") > 40 for f in report.findings)  # a reason a reader can check


def test_no_plain_edge_rests_on_a_clause_with_an_unwaived_cue(store: EmbeddedStore, settings: Settings) -> None:
    """Every shortcut edge comes from a reported, unhedged stance whose evidence no unwaived cue governs."""
    lexicon = cues.lexicon(store.engine.quads_for_pattern(None, None, None, ox.NamedNode(ns.ONTOLOGY_GRAPH)))
    texts = fidelity.source_texts(store.engine, settings.data_dir)
    rows = store.select(f"""
        SELECT ?g ?stance ?start ?end (GROUP_CONCAT(?waived; separator="|") AS ?waivers) WHERE {{
          GRAPH <{ns.SHORTCUTS_GRAPH}> {{ ?holder ?edge ?target }}
          GRAPH ?g {{ ?stance a srkg:Stance ; srkg:holder ?holder ; srkg:target ?target ; srkg:evidence ?ev . }}
          FILTER NOT EXISTS {{ ?stance a srkg:QualifiedAssertion }}
          ?ev oa:hasSelector/oa:start ?start ; oa:hasSelector/oa:end ?end .
          OPTIONAL {{ ?stance srkg:cueWaiver/srkg:waivedCue ?waived }}
        }} GROUP BY ?g ?stance ?start ?end""")
    assert len(rows) >= 38
    hits = {g: cues.find(t, lexicon) for g, t in texts.items()}
    for r in rows:
        waived = {w.casefold() for w in str(r["waivers"] or "").split("|") if w}
        for hit in hits[str(r["g"])]:
            if hit.governs(to_int(r["start"]), to_int(r["end"])):
                assert hit.words.casefold() in waived, (str(r["stance"]), hit.words)


def test_validate_reports_the_cue_review(settings: Settings) -> None:
    out = subprocess.run([sys.executable, "-m", "graph.cli", "validate", "--cues"], capture_output=True, text=True,
                         check=True).stdout
    assert "0 unreviewed" in out
    assert "id:war-in-ukraine  'For Russia,' (attribution)" in out
