"""Synthetic corpora and bulk loading: reproducible, valid, about a hundred triples per document."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result

from graph import namespaces as ns
from graph.cli import main
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import to_int
from graph.synth import document, synthesise


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """40 documents written by `srkg synth` and built, with SHACL, by `srkg --data-dir DIR build`."""
    root = tmp_path_factory.mktemp("synth")
    data, store_dir = root / "data", root / "store"
    runner = CliRunner()
    result = runner.invoke(main, ["synth", "--documents", "40", "--seed", "11", "--out", str(data)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--data-dir", str(data), "--store-dir", str(store_dir), "build"])
    assert result.exit_code == 0, result.output
    return data, store_dir, result


def test_the_same_seed_gives_the_same_corpus(tmp_path: Path) -> None:
    synthesise(tmp_path / "a", 25, seed=5)
    synthesise(tmp_path / "b", 25, seed=5)
    synthesise(tmp_path / "c", 25, seed=6)
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert a == b
    assert len(a) == 6 + 25 * 3  # six reference files, three files per source
    assert a != c
    # a document does not depend on how many were asked for
    assert document(5, 3) == document(5, 3)
    assert (tmp_path / "a" / "sources" / "synth-000003" / "text.txt").read_text(encoding="utf-8") == \
        document(5, 3).text


def test_synth_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["synth", "-n", "2", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "not empty" in result.output and "--force" in result.output
    assert (tmp_path / "keep.txt").exists()


def test_a_synthetic_corpus_builds_and_passes_shacl(corpus: tuple[Path, Path, Result]) -> None:
    data, store_dir, result = corpus
    assert "validate (SHACL)" in result.output
    assert len(list((data / "sources").iterdir())) == 40


def test_every_document_is_grounded_and_typed(corpus: tuple[Path, Path, Result], settings: Settings) -> None:
    data, store_dir, _ = corpus
    with open_store(settings.model_copy(update={"store_dir": store_dir, "data_dir": data})) as store:
        sources = store.select("SELECT (COUNT(?s) AS ?n) WHERE { ?s a srkg:SourceDocument }").rows[0]["n"]
        assert to_int(sources) == 40
        counts = {str(r["class"]).split("#")[1]: to_int(r["n"]) for r in store.select("""
            SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
              VALUES ?class { srkg:Event srkg:Stance srkg:Agreement srkg:Assessment srkg:Evidence }
              ?s a ?class } GROUP BY ?class""")}
        assert counts["Event"] == 40 and counts["Stance"] >= 40
        assert counts["Agreement"] > 0 and counts["Assessment"] > 0
        # every stance, event, agreement and assessment points at evidence of its own source
        ungrounded = store.select("""
            SELECT ?s WHERE {
              ?s a ?c .
              VALUES ?c { srkg:Stance srkg:Event srkg:Agreement srkg:Assessment }
              GRAPH ?g { ?s a ?declared } FILTER (STRSTARTS(STR(?g), "https://w3id.org/srkg/graph/source/"))
              FILTER NOT EXISTS { GRAPH ?g { ?s srkg:evidence ?e . ?e oa:hasSource ?src } }
            }""")
        assert len(ungrounded) == 0
        dated = store.select("SELECT ?e ?d WHERE { ?e a srkg:Event ; sem:hasBeginTimeStamp ?d }")
        assert len(dated) == 40
        assert all(isinstance(r["d"], rdflib.Literal) and str(r["d"].datatype) == ns.XSD + "date" for r in dated)
        parties = store.select("SELECT ?a ?p WHERE { ?a a srkg:Agreement ; srkg:party ?p . ?p a srkg:Actor }")
        assert len(parties) == 2 * counts["Agreement"]


def test_synthetic_entailments_are_what_the_catalogue_queries_specify(
        corpus: tuple[Path, Path, Result], settings: Settings) -> None:
    from test_build import derived_as_specified

    data, store_dir, _ = corpus
    with open_store(settings.model_copy(update={"store_dir": store_dir})) as store:
        derived = derived_as_specified(store)
    assert len(derived[ns.INFERRED_GRAPH]) > 40 and derived[ns.SHORTCUTS_GRAPH]


def test_about_a_hundred_triples_per_document(corpus: tuple[Path, Path, Result], settings: Settings) -> None:
    data, store_dir, _ = corpus
    with open_store(settings.model_copy(update={"store_dir": store_dir})) as store:
        graphs = store.graphs()
        about_reference = to_int(store.select(f"""
            SELECT (COUNT(*) AS ?n) WHERE {{
              GRAPH <{ns.INFERRED_GRAPH}> {{ ?s ?p ?o }}
              FILTER EXISTS {{ GRAPH <{ns.REFERENCE_GRAPH}> {{ ?s ?x ?y }} }} }}""").rows[0]["n"])
    per_document = (sum(graphs.values()) - graphs[ns.ONTOLOGY_GRAPH] - graphs[ns.REFERENCE_GRAPH]
                    - about_reference) / 40
    assert 80 <= per_document <= 130, per_document


def test_load_skips_shacl_on_request_and_shows_progress(corpus: tuple[Path, Path, object], tmp_path: Path) -> None:
    data, _, _ = corpus
    result = CliRunner().invoke(
        main, ["--data-dir", str(data), "--store-dir", str(tmp_path / "store"), "load", "--skip-validation"])
    assert result.exit_code == 0, result.output
    for step in ("parse", "ground evidence", "entail", "load"):
        assert f"{step}…" in result.stderr
    assert "validate (SHACL)" not in result.output and "SHACL validation skipped" in result.output


def test_load_from_a_dump_round_trips(corpus: tuple[Path, Path, object], tmp_path: Path) -> None:
    data, store_dir, _ = corpus
    runner = CliRunner()
    dump = tmp_path / "all.nq"
    assert runner.invoke(main, ["--store-dir", str(store_dir), "export", "--out", str(dump)]).exit_code == 0
    result = runner.invoke(main, ["--store-dir", str(tmp_path / "copy"), "load", "--from", str(dump)])
    assert result.exit_code == 0, result.output
    original = runner.invoke(main, ["--store-dir", str(store_dir), "stats"]).output
    copy = runner.invoke(main, ["--store-dir", str(tmp_path / "copy"), "stats"]).output
    assert original == copy and "srkg:Stance" in copy


def test_load_rejects_a_broken_dump_and_keeps_the_store(corpus: tuple[Path, Path, object], tmp_path: Path) -> None:
    data, store_dir, _ = corpus
    bad = tmp_path / "bad.nq"
    bad.write_text("<a> <b> .\n")
    before = (store_dir / "current").resolve()
    result = CliRunner().invoke(main, ["--store-dir", str(store_dir), "load", "--from", str(bad)])
    assert result.exit_code == 1
    assert "bad.nq" in result.output and "previous store is unchanged" in result.output
    assert (store_dir / "current").resolve() == before
