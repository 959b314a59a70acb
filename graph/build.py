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
6. bulk-load everything into a new on-disk store, compact it, and publish it
   with one atomic rename (:func:`graph.store.publish`).

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
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import checks, evidence, fidelity, layout
from . import namespaces as ns
from .dataset import Corpus, Dataset, parse_files, to_nquads
from .errors import find_subject
from .fidelity import Report as FidelityReport
from .layout import DataFile
from .settings import Settings, get_settings
from .store import EmbeddedStore, publish


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

    def __call__(self, step: str) -> "_Step":
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


#: The derived graphs and the catalogue queries that specify them, in order.
DERIVATIONS: tuple[tuple[str, str], ...] = (
    ("build/rdfs-types", ns.INFERRED_GRAPH),
    ("build/rdfs-properties", ns.INFERRED_GRAPH),
    ("build/qualified-assertions", ns.INFERRED_GRAPH),
    ("build/shortcuts", ns.SHORTCUTS_GRAPH),
)

_TYPE = f"<{ns.RDF_TYPE}>"
_SUBCLASS, _SUBPROPERTY = ns.RDFS + "subClassOf", ns.RDFS + "subPropertyOf"
_INVERSE, _LABEL = ns.OWL + "inverseOf", f"<{ns.RDFS}label>"
_STANCE = f"<{ns.SRKG}Stance>"
_QUALIFIED = f"<{ns.SRKG}QualifiedAssertion>"
_HOLDER, _POLARITY, _TARGET = ns.SRKG + "holder", ns.SRKG + "polarity", ns.SRKG + "target"
_ATTRIBUTION, _HEDGING = ns.SRKG + "attribution", ns.SRKG + "hedging"
_REPORTED, _CERTAIN = f"<{ns.SRKG}ReportedFact>", f"<{ns.SRKG}Certain>"
#: ``build/shortcuts``: the polarity of a reported, unhedged stance and the shortcut edge it becomes.
SHORTCUT_EDGES = {f"<{ns.SRKG}Supports>": f"<{ns.SRKG}supports>",
                  f"<{ns.SRKG}Opposes>": f"<{ns.SRKG}opposes>",
                  f"<{ns.SRKG}CommitsTo>": f"<{ns.SRKG}commitsTo>"}
_STANCE_FIELDS = {_HOLDER, _POLARITY, _TARGET, _ATTRIBUTION, _HEDGING}


def _closure(edges: dict[str, set[str]]) -> dict[str, list[str]]:
    """Every node reachable in one or more steps (a SPARQL ``+`` path), for each node with an edge."""
    out: dict[str, list[str]] = {}
    for start in edges:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo += edges.get(n, ())
        out[start] = sorted(seen)
    return out


@dataclass
class Vocabulary:
    """What the ontology graph says that the entailments use (terms written as in N-Triples).

    ``class_supers``: class → super-classes that are IRIs (``rdfs:subClassOf+``);
    ``property_supers``: property IRI → super-properties but ``rdfs:label``
    (``rdfs:subPropertyOf+``); ``inverses``: property IRI → ``owl:inverseOf``
    either way.
    """

    class_supers: dict[str, list[str]]
    property_supers: dict[str, list[str]]
    inverses: dict[str, list[str]]

    @classmethod
    def of(cls, ontology: Iterable[ox.Quad]) -> "Vocabulary":
        sub_class: dict[str, set[str]] = {}
        sub_property: dict[str, set[str]] = {}
        inverses: dict[str, set[str]] = {}
        for q in ontology:
            p = q.predicate.value
            if p == _SUBCLASS:
                sub_class.setdefault(str(q.subject), set()).add(str(q.object))
            elif p == _SUBPROPERTY:
                sub_property.setdefault(str(q.subject), set()).add(str(q.object))
            elif p == _INVERSE:
                a, b = str(q.subject), str(q.object)
                inverses.setdefault(a, set()).add(b)
                inverses.setdefault(b, set()).add(a)
        iri = lambda t: t.startswith("<")  # noqa: E731
        return cls({c: [x for x in xs if iri(x)] for c, xs in _closure(sub_class).items()},
                   {p[1:-1]: [x for x in xs if iri(x) and x != _LABEL]
                    for p, xs in _closure(sub_property).items() if iri(p)},
                   {p[1:-1]: sorted(x for x in xs if iri(x)) for p, xs in inverses.items() if iri(p)})

    @property
    def watch(self) -> frozenset[str]:
        """The predicates whose statements :func:`entail` reads."""
        return frozenset(self.property_supers) | frozenset(self.inverses) | _STANCE_FIELDS


def qualified(attribution: Iterable[tuple[str, bool]], hedging: Iterable[tuple[str, bool]]) -> bool:
    """Whether an assertion with these values is not a plain fact: attributed, inferred or hedged.

    The Python twin of the catalogue query ``build/qualified-assertions``, which is the rule's
    specification (a test holds the two to the same answer). Values are terms written as in N-Triples.
    """
    return any(a != _REPORTED for a, _ in attribution) or any(h != _CERTAIN for h, _ in hedging)


def entail(vocabulary: Vocabulary, typed: Iterable[tuple[str, str, str]],
           statements: Iterable[tuple[str, str, str, bool, str]]) -> dict[str, set[bytes]]:
    """The RDFS entailments and the shortcut edges of the data graphs, as N-Triples lines per graph.

    ``typed`` holds every ``(subject, class, graph)`` of an ``rdf:type`` in a
    data graph, ``statements`` every ``(subject, predicate IRI, object,
    object is a resource, graph)`` whose predicate is in
    :attr:`Vocabulary.watch` (terms written as in N-Triples). This is what the
    catalogue queries of :data:`DERIVATIONS` specify, computed in one pass
    over indexes instead of by joins.
    """
    inferred: set[bytes] = set()
    shortcuts: set[bytes] = set()
    stances: set[tuple[str, str]] = set()
    supers = vocabulary.class_supers
    for s, c, g in typed:
        for sup in supers.get(c, ()):
            inferred.add(f"{s} {_TYPE} {sup} .".encode())
        if c == _STANCE:
            stances.add((g, s))
    fields: dict[tuple[str, str], dict[str, list[tuple[str, bool]]]] = {}
    prop_supers, inverses = vocabulary.property_supers, vocabulary.inverses
    for s, p, o, resource, g in statements:
        for sup in prop_supers.get(p, ()):
            inferred.add(f"{s} {sup} {o} .".encode())
        if resource:
            for inverse in inverses.get(p, ()):
                inferred.add(f"{o} {inverse} {s} .".encode())
        if p in _STANCE_FIELDS:
            fields.setdefault((g, s), {}).setdefault(p, []).append((o, resource))
    for (g, s), f in fields.items():
        if _ATTRIBUTION not in f:
            continue
        if qualified(f[_ATTRIBUTION], f.get(_HEDGING, ())):
            inferred.add(f"{s} {_TYPE} {_QUALIFIED} .".encode())
            continue
        if (g, s) not in stances or not g.startswith(ns.SOURCE_GRAPH_PREFIX):
            continue
        for polarity, _ in f.get(_POLARITY, ()):
            edge = SHORTCUT_EDGES.get(polarity)
            if edge is None:
                continue
            for holder, resource in f.get(_HOLDER, ()):
                if resource:
                    for target, _ in f.get(_TARGET, ()):
                        shortcuts.add(f"{holder} {edge} {target} .".encode())
    return {ns.INFERRED_GRAPH: inferred, ns.SHORTCUTS_GRAPH: shortcuts}


def derive(dataset: Dataset) -> None:
    """Write the RDFS entailments and the shortcut edges of ``dataset`` into their own graphs.

    The service's curation calls it on every checked write (the build calls
    :func:`entail` on its corpus directly).
    """
    store = dataset.store
    vocabulary = Vocabulary.of(store.quads_for_pattern(None, None, None, ox.NamedNode(ns.ONTOLOGY_GRAPH)))
    watch = vocabulary.watch
    skip = {ns.ONTOLOGY_GRAPH} | {g for _, g in DERIVATIONS}
    typed: list[tuple[str, str, str]] = []
    statements: list[tuple[str, str, str, bool, str]] = []
    for graph in store.named_graphs():
        g = graph.value
        if g in skip:
            continue
        for q in store.quads_for_pattern(None, None, None, graph):
            p = q.predicate.value
            if p == ns.RDF_TYPE:
                typed.append((str(q.subject), str(q.object), g))
            elif p in watch:
                statements.append((str(q.subject), p, str(q.object), not isinstance(q.object, ox.Literal), g))
    for g, lines in entail(vocabulary, typed, statements).items():
        if lines:  # parsed, then added: a load would give the written blank nodes new identities
            store.extend(ox.parse(to_nquads(b"\n".join(lines) + b"\n", g), format=ox.RdfFormat.N_QUADS))


class _Loader:
    """pyoxigraph's bulk loader in two threads, fed N-Quads chunks as the build makes them final.

    ``bulk_load`` releases the GIL, so loading overlaps the Python steps and
    two chunks load at once on two cores. Each chunk is ingested as sorted
    files of its own, which overlap those of the other chunks: queries would
    have to merge them all (up to twice as slow), so :meth:`finish` compacts
    the store into one sorted run per index when more than one chunk came.
    """

    THREADS = 2

    def __init__(self, path: Path):
        self.path = path
        self.store = EmbeddedStore(path)
        self.queue: queue.Queue[bytes | None] = queue.Queue()
        self.errors: list[BaseException] = []
        self.chunks = 0
        self.threads = [threading.Thread(target=self._run, name=f"srkg-load-{i}", daemon=True)
                        for i in range(self.THREADS)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while (chunk := self.queue.get()) is not None:
            if self.errors:
                continue
            self.chunks += 1
            try:
                self.store.engine.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
            except BaseException as e:  # noqa: BLE001 - re-raised by finish()
                self.errors.append(e)

    def put(self, chunk: bytes) -> None:
        if chunk:
            self.queue.put(chunk)

    def _join(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for t in self.threads:
            t.join()

    def finish(self) -> None:
        """Wait for every chunk (raises what a loader thread raised)."""
        self._join()
        if self.errors:
            raise self.errors[0]

    def compact(self) -> None:
        """Merge the chunks' overlapping files (if more than one chunk came); flush and close the store."""
        if self.chunks > 1:
            self.store.engine.optimize()
        self.store.close()  # flushes

    def abandon(self) -> None:
        """Skip the chunks not started, wait for those being loaded, and remove the half-written store."""
        self.errors.append(RuntimeError("abandoned"))
        if any(t.is_alive() for t in self.threads):
            self._join()
        self.store.close()
        shutil.rmtree(self.path, ignore_errors=True)


#: Bytes of N-Quads after which the parsed files go to the loader (a few chunks for a million triples).
CHUNK_BYTES = 48_000_000


@contextlib.contextmanager
def _no_gc():  # type: ignore[no-untyped-def]
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
        for g, lines in entail(vocabulary, typed, watched + grounding.statements).items():
            if lines:
                text = b"\n".join(lines) + b"\n"
                corpus.add_lines(g, text)
                if sink:
                    pending.append(to_nquads(text, g))
        flush()
    report.graphs = corpus.counts()
    return corpus


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
    if shacl_check:
        from . import shacl  # pyshacl takes a while to import: only when it is used

        with timer("validate (SHACL)"):
            shacl.validate(dataset, layout.shapes_file(settings.ontology_dir))
    with timer("check fidelity"):
        report.fidelity = fidelity.check(dataset.store, texts, locate)
    return dataset, report


def build(settings: Settings | None = None, *, extra_data_dirs: list[Path] | None = None,
          shacl_check: bool = True, report: BuildReport | None = None) -> BuildReport:
    """Build the store from scratch and publish it; the old store survives any failure."""
    settings = settings or get_settings()
    report = report or BuildReport()
    timer = _Timer(report)
    if settings.store != "embedded":  # a SPARQL server: replace its content graph by graph
        from .remote import RemoteStore, publish_remote

        dataset, report = prepare(settings, extra_data_dirs=extra_data_dirs, shacl_check=shacl_check, report=report)
        with timer("load"), RemoteStore(settings.store, settings=settings) as remote:
            publish_remote(dataset, remote)
        return report
    builds = settings.store_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    target = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    loader = _Loader(target)
    try:
        with _no_gc():
            corpus = _corpus(settings, extra_data_dirs, report, sink=loader.put)
            dataset = corpus.dataset() if shacl_check else None
            texts, locate = corpus.texts, locator(corpus.files)
            del corpus
        if dataset is not None:
            from . import shacl

            with timer("validate (SHACL)"):
                shacl.validate(dataset, layout.shapes_file(settings.ontology_dir))
        with timer("load"):
            loader.finish()
        with timer("check fidelity"):
            report.fidelity = fidelity.check(loader.store.engine, texts, locate)
        with timer("compact"):
            loader.compact()
    except BaseException:
        loader.abandon()
        raise
    publish(target, settings.store_dir)
    report.store_path = target
    return report
