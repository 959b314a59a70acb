"""Bad input gets a clear error naming file and line, and the store is left unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph.build import build
from graph.errors import DataError
from graph.settings import Settings
from graph.store import open_store

VISIT = Path("sources") / "pism-spotlight-2024-34" / "bad-input.ttl"
HEADER = """@prefix id:   <https://w3id.org/srkg/id/> .
@prefix srkg: <https://w3id.org/srkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sem:  <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

CASES = {
    "broken turtle": (
        'id:bad-event a srkg:Event ;\n    rdfs:label "oops"@en\n    srkg:host id:china .\n',
        8, "Turtle syntax error"),
    "unknown class": (
        'id:bad-event a srkg:Evnt ;\n    rdfs:label "oops"@en .\n',
        6, "unknown class srkg:Evnt"),
    "unknown property": (
        'id:bad-event a srkg:Event ;\n    rdfs:label "oops"@en ;\n    srkg:hots id:china .\n',
        8, "unknown property srkg:hots"),
    "quote not in source": (
        'id:bad-event a srkg:Event ;\n    rdfs:label "oops"@en ;\n'
        '    srkg:quote "Putin flew to the Moon" .\n',
        8, "not found verbatim"),
    "quote crossing a page artefact": (
        'id:bad-event a srkg:Event ;\n    rdfs:label "oops"@en ;\n'
        '    srkg:quote "gathered at a dinner on\\n\\nPISM SPOTLIGHT" .\n',
        8, "crosses a page artefact"),
    "date that is not a date": (
        'id:bad-event a srkg:Event ;\n    rdfs:label "oops"@en ;\n'
        '    sem:hasBeginTimeStamp "2024-02-30"^^xsd:date ;\n    srkg:quote "Talks were held in a tight circle" .\n',
        8, "is not a valid xsd:date"),
    "dangling reference": (
        'id:bad-event a srkg:Event ;\n    rdfs:label "oops"@en ;\n    srkg:host id:atlantis ;\n'
        '    srkg:quote "Talks were held in a tight circle" .\n',
        8, "dangling reference to id:atlantis"),
    "stance without holder (SHACL)": (
        'id:bad-stance a srkg:Stance ;\n    srkg:polarity srkg:Supports ;\n    srkg:target id:china ;\n'
        '    srkg:attribution srkg:ReportedFact ;\n    srkg:quote "Talks were held in a tight circle" .\n',
        6, "exactly one holder"),
    "hedged claim stored as a reported fact (SHACL)": (
        'id:bad-stance a srkg:Stance ;\n    srkg:holder id:china ;\n    srkg:polarity srkg:Supports ;\n'
        '    srkg:target id:russia ;\n    srkg:attribution srkg:ReportedFact ;\n    srkg:hedging srkg:Presumed ;\n'
        '    srkg:quote "Talks were held in a tight circle" .\n',
        6, "cannot be in the srkg:ReportedFact layer"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_rejected_with_file_and_line_and_store_unchanged(case: str, data_copy: Settings) -> None:
    build(data_copy)
    with open_store(data_copy) as store:
        before = store.dump()
    body, line, message = CASES[case]
    bad = data_copy.data_dir / VISIT
    bad.write_text(HEADER + body, encoding="utf-8")

    with pytest.raises(DataError) as info:
        build(data_copy)
    problems = info.value.problems
    assert any(message in p.message for p in problems), [str(p) for p in problems]
    located = [p for p in problems if message in p.message][0]
    assert located.file == bad
    assert located.line == line, str(located)

    with open_store(data_copy) as store:
        assert store.dump() == before


def test_cli_reports_the_problem_and_exits_non_zero(data_copy: Settings) -> None:
    bad = data_copy.data_dir / VISIT
    bad.write_text(HEADER + CASES["unknown class"][0], encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "graph.cli", "--data-dir", str(data_copy.data_dir),
         "--store-dir", str(data_copy.store_dir), "build"],
        capture_output=True, text=True, env={"SRKG_ONTOLOGY_DIR": str(data_copy.ontology_dir),
                                             "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1
    assert f"{bad}:6: unknown class srkg:Evnt" in proc.stderr
    assert "previous store is unchanged" in proc.stderr
    assert not (data_copy.store_dir / "current").exists()
