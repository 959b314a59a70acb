"""The build pipeline: ontology and data in, a validated, atomic store out.

Steps, each raising :class:`~graph.errors.DataError` with file and line:

1. parse every Turtle file into its named graph (:mod:`graph.layout`,
   :class:`graph.dataset.Corpus`);
2. check terms, references and literals (:mod:`graph.checks`);
3. ground every quote in its source and write the evidence (:mod:`graph.evidence`);
4. materialise RDFS entailments and the shortcut graph (:func:`entail`, which
   computes what the catalogue queries ``build/rdfs-types``,
   ``build/rdfs-properties`` and ``build/shortcuts`` specify; a test holds the
   two to the same answer);
5. validate with SHACL (:mod:`graph.shacl`);
6. bulk-load everything into a new on-disk store, compact it, write its search
   index beside it (:mod:`graph.read.search`), and publish the two with one atomic
   rename (:func:`graph.store.embedded.new_build`).

The embedded build without SHACL overlaps steps 1–4 with step 6: each part of
the dataset, once final (the parsed files, then the evidence, then the
entailments), goes as N-Quads to pyoxigraph's bulk loader, which runs in
threads of its own (it releases the GIL) while Python goes on. Nothing is
published before every check passed; a build that fails at any step removes
its half-written folder and leaves the current store untouched.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from . import checks, evidence, fidelity, layout
from . import namespaces as ns
from .dataset import Corpus, Dataset, parse_files, to_nquads
from .entailment import Vocabulary, entail
from .errors import SrkgError, find_subject
from .fidelity import Report as FidelityReport
from .layout import DataFile
from .read import search
from .settings import Settings, get_settings
from .store.embedded import BulkLoader, new_build


@dataclass
class BuildReport:
    """What a build or validation did, for the CLI to print."""

    files: int = 0
    evidence: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    store_path: Path | None = None
    fidelity: FidelityReport | None = None
    on_step: Callable[[str], None] | None = field(default=None, repr=False, compare=False)  # told each step's name

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


class _Timer:
    def __init__(self, report: BuildReport):
        self.report = report

    def __call__(self, step: str) -> _Step:
        return _Step(self.report, step)


class _Step:
    def __init__(self, report: BuildReport, step: str):
        self.report, self.step = report, step

    def __enter__(self) -> None:
        if self.report.on_step:
            self.report.on_step(self.step)
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.timings[self.step] = time.perf_counter() - self.t0


#: Bytes of N-Quads after which the parsed files go to the loader (a few chunks for a million triples).
CHUNK_BYTES = 48_000_000


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a corpus lives.

    A corpus is millions of small acyclic objects that the collector would
    walk again and again (seconds at a million triples) to free nothing. The
    corpus must be gone before the block ends, so that the collector does
    not find it all in its youngest generation when it starts again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def locator(files: list[DataFile]) -> fidelity.Locator:
    """Where each node of a named graph is described, among the files of that graph."""
    by_graph: dict[str, list[Path]] = {}
    for f in files:
        by_graph.setdefault(f.graph, []).append(f.path)

    def locate(graph: str, iri: str) -> tuple[Path | None, int | None]:
        return find_subject(by_graph.get(graph, []), iri, ns.PREFIXES)
    return locate


def _corpus(settings: Settings, extra_data_dirs: list[Path] | None, report: BuildReport,
            sink: Callable[[bytes], None] | None = None) -> Corpus:
    """Steps 1–4 on a :class:`Corpus`; ``sink`` gets each part of the dataset as N-Quads once it is final."""
    timer = _Timer(report)
    files = layout.ontology_files(settings.ontology_dir) + layout.data_files(settings.data_dir)
    for extra in extra_data_dirs or []:
        files += layout.data_files(extra)
    report.files = len(files)
    corpus = Corpus(watched={p: [] for p in evidence.WATCHED}, omit=evidence.OMITTED)
    pending: list[bytes] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if sink and pending:
            sink(b"".join(pending))
        pending.clear()
        size = 0

    vocabulary: Vocabulary | None = None
    with timer("parse"):
        for parsed in parse_files(files):
            ontology = parsed.file.graph == ns.ONTOLOGY_GRAPH
            if not ontology and vocabulary is None:  # the ontology files come first
                vocabulary = Vocabulary.of(q for p in corpus.parsed for q in p.quads)
                for p in vocabulary.watch:
                    corpus.watched.setdefault(ox.NamedNode(p), [])
            chunk = corpus.add(parsed, data=not ontology)
            if sink:
                pending.append(chunk)
                size += len(chunk)
                if size >= CHUNK_BYTES:
                    flush()
        flush()
    if vocabulary is None:
        vocabulary = Vocabulary.of(q for p in corpus.parsed for q in p.quads)
    with timer("check terms"):
        checks.check_corpus(corpus)
    with timer("ground evidence"):
        grounding = evidence.ground(corpus, vocabulary.watch)
        report.evidence = grounding.count
        corpus.texts = grounding.texts
        for g, lines in grounding.lines.items():
            text = b"\n".join(lines) + b"\n"
            corpus.add_lines(g, text)
            if sink:
                pending.append(to_nquads(text, g))
        flush()
    with timer("entail"):
        typed = [(str(s), str(c), g) for s, c, g in corpus.typed] + grounding.typed
        watched = [(str(s), p.value, str(o), not isinstance(o, ox.Literal), g)
                   for p in map(ox.NamedNode, vocabulary.watch) for s, o, g, _ in corpus.watched.get(p, ())]
        for g, entailed in entail(vocabulary, typed, watched + grounding.statements).items():
            if entailed:
                text = b"\n".join(entailed) + b"\n"
                corpus.add_lines(g, text)
                if sink:
                    pending.append(to_nquads(text, g))
        flush()
    report.graphs = corpus.counts()
    return corpus


T = TypeVar("T")


def _attempt(run: Callable[[], T]) -> Callable[[], T]:
    """Run ``run`` now; the returned function gives its result, or raises its error, when called."""
    try:
        result = run()
    except SrkgError as e:
        error = e

        def fail() -> T:
            raise error

        return fail
    return lambda: result


@contextlib.contextmanager
def _validating(settings: Settings, dataset: Dataset | None, timer: _Timer) -> Iterator[Callable[[], None]]:
    """SHACL on ``dataset`` in a thread while the block runs (the engines leave the interpreter's lock to the
    fidelity check and the loader, so the two share the machine's cores); the yielded function raises the
    violations, if any, once the block is done. SHACL's problems come first, as when it ran first."""
    if dataset is None:
        yield lambda: None
        return
    from . import shacl  # the SHACL engines take a while to import: only when they are used

    outcome: list[Callable[[], None]] = []

    def validate() -> None:
        with timer("validate (SHACL)"):
            try:
                outcome.append(_attempt(lambda: shacl.validate(dataset, layout.shapes_file(settings.ontology_dir),
                                                               engine=settings.shacl_engine)))
            except BaseException as e:  # noqa: BLE001 - not a data problem: raised in the caller's thread
                error = e

                def fail() -> None:
                    raise error

                outcome.append(fail)

    thread = threading.Thread(target=validate, name="srkg-shacl", daemon=True)
    thread.start()
    try:
        yield lambda: outcome[0]()
    finally:
        thread.join()


def prepare(settings: Settings | None = None, *, extra_data_dirs: list[Path] | None = None,
            shacl_check: bool = True, report: BuildReport | None = None) -> tuple[Dataset, BuildReport]:
    """Parse, check, ground, entail and validate: everything but writing the store."""
    settings = settings or get_settings()
    report = report or BuildReport()
    timer = _Timer(report)
    with _no_gc():
        corpus = _corpus(settings, extra_data_dirs, report)
        dataset = corpus.dataset()
        texts, locate = corpus.texts, locator(corpus.files)
        del corpus
    with _validating(settings, dataset if shacl_check else None, timer) as validated:
        with timer("check fidelity"):
            fidelity_report = _attempt(lambda: fidelity.check(dataset.store, texts, locate))
    validated()
    report.fidelity = fidelity_report()
    return dataset, report


def build(settings: Settings | None = None, *, extra_data_dirs: list[Path] | None = None,
          shacl_check: bool = True, report: BuildReport | None = None) -> BuildReport:
    """Build the store from scratch and publish it; the old store survives any failure."""
    settings = settings or get_settings()
    report = report or BuildReport()
    timer = _Timer(report)
    if settings.store != "embedded":  # a SPARQL server: replace its content graph by graph
        from .store.remote import RemoteStore, publish_remote

        dataset, report = prepare(settings, extra_data_dirs=extra_data_dirs, shacl_check=shacl_check, report=report)
        with timer("load"), RemoteStore(settings.store, settings=settings) as remote:
            publish_remote(dataset, remote)
        return report
    with new_build(settings.store_dir) as target:
        loader = BulkLoader(target)
        try:
            with _no_gc():
                corpus = _corpus(settings, extra_data_dirs, report, sink=loader.put)
                to_validate = corpus.dataset() if shacl_check else None
                texts, locate = corpus.texts, locator(corpus.files)
                del corpus
            with _validating(settings, to_validate, timer) as validated:
                with timer("load"):
                    loader.finish()
                with timer("check fidelity"):
                    fidelity_report = _attempt(lambda: fidelity.check(loader.store.engine, texts, locate))
            validated()
            report.fidelity = fidelity_report()
            with timer("compact"):
                loader.compact()
        except BaseException:
            loader.abandon()
            raise
        with timer("index for search"):
            search.index_build(target, settings, texts)
    search.prune(settings.store_dir)
    report.store_path = target
    return report
