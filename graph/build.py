"""The build pipeline: ontology and data in, a validated, atomic store out.

Steps, each raising :class:`~graph.errors.DataError` with file and line:

1. parse every Turtle file into its named graph (:mod:`graph.layout`);
2. check terms, references and literals (:mod:`graph.checks`);
3. ground every quote in its source and write the evidence (:mod:`graph.evidence`);
4. materialise RDFS entailments and the shortcut graph (catalogue queries
   ``build/*``);
5. validate with SHACL (:mod:`graph.shacl`);
6. bulk-load everything into a new on-disk store and publish it with one
   atomic rename (:func:`graph.store.publish`).

A build that fails at any step leaves the current store untouched.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import catalogue, checks, evidence, layout, shacl
from . import namespaces as ns
from .dataset import Dataset, load_files
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


#: The derived graphs and the catalogue queries that compute them, in order.
DERIVATIONS: tuple[tuple[str, str], ...] = (
    ("build/rdfs-types", ns.INFERRED_GRAPH),
    ("build/rdfs-properties", ns.INFERRED_GRAPH),
    ("build/shortcuts", ns.SHORTCUTS_GRAPH),
)


def derive(dataset: Dataset) -> None:
    """Write the RDFS entailments and the shortcut edges of ``dataset`` into their own graphs.

    The build calls it once; the service's curation calls it on every checked write.
    """
    for query_name, graph in DERIVATIONS:
        g = ox.NamedNode(graph)
        triples = list(dataset.store.query(catalogue.get(query_name).text))
        dataset.store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)


def prepare(settings: Settings | None = None, *, extra_data_dirs: list[Path] | None = None,
            shacl_check: bool = True, report: BuildReport | None = None) -> tuple[Dataset, BuildReport]:
    """Parse, check, ground, entail and validate: everything but writing the store."""
    settings = settings or get_settings()
    report = report or BuildReport()
    timer = _Timer(report)
    files = layout.ontology_files(settings.ontology_dir) + layout.data_files(settings.data_dir)
    for extra in extra_data_dirs or []:
        files += layout.data_files(extra)
    report.files = len(files)
    with timer("parse"):
        dataset = load_files(files)
    data_graphs = sorted({f.graph for f in files if f.graph != ns.ONTOLOGY_GRAPH})
    with timer("check terms"):
        checks.check_terms(dataset, data_graphs)
    with timer("ground evidence"):
        report.evidence = evidence.ground(dataset)
    with timer("entail"):
        derive(dataset)
    if shacl_check:
        with timer("validate (SHACL)"):
            shacl.validate(dataset, layout.shapes_file(settings.ontology_dir))
    report.graphs = {g.value: sum(1 for _ in dataset.store.quads_for_pattern(None, None, None, g))
                     for g in sorted(dataset.store.named_graphs(), key=lambda n: n.value)}
    return dataset, report


def build(settings: Settings | None = None, *, extra_data_dirs: list[Path] | None = None,
          shacl_check: bool = True, report: BuildReport | None = None) -> BuildReport:
    """Build the store from scratch and publish it; the old store survives any failure."""
    settings = settings or get_settings()
    dataset, report = prepare(settings, extra_data_dirs=extra_data_dirs, shacl_check=shacl_check, report=report)
    timer = _Timer(report)
    if settings.store != "embedded":  # a SPARQL server: replace its content graph by graph
        from .remote import RemoteStore, publish_remote

        with timer("load"), RemoteStore(settings.store, settings=settings) as remote:
            publish_remote(dataset, remote)
        return report
    builds = settings.store_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    target = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    with timer("load"):
        store = EmbeddedStore(target)
        store.engine.bulk_extend(dataset.store)
        store.flush()
        store.close()
    publish(target, settings.store_dir)
    report.store_path = target
    return report
