"""The commands that make the graph: ``build``, ``validate``, ``load``, ``synth`` and ``coverage``.

Each reads its settings from ``SRKG_*`` environment variables or the group's
options, prints errors a person can act on, and exits non-zero on bad input
without touching the store.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from .. import namespaces as ns
from ..errors import SrkgError
from ..fidelity import Report as FidelityReport
from ..settings import Settings
from ..store import open_store
from ..store.embedded import load_dump, new_build
from .base import fail, main, print_graphs, settings_of


@main.command()
@click.option("--extra-data", "extra", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="another data folder to load beside the main one (repeatable)")
@click.pass_context
def build(ctx: click.Context, extra: tuple[Path, ...]) -> None:
    """Validate the ontology and data, then load them into a new store, atomically."""
    from ..build import build as run_build

    settings = settings_of(ctx)
    try:
        report = run_build(settings, extra_data_dirs=list(extra))
    except SrkgError as e:
        click.secho("build failed; the previous store is unchanged.", fg="red", err=True)
        fail(e)
    click.echo(f"built {report.store_path} from {report.files} files, {report.evidence} pieces of evidence")
    print_graphs(report.graphs)
    if report.fidelity is not None:
        _print_cues(report.fidelity, False)
    click.echo("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()))


@main.command()
@click.option("--cues", "show_cues", is_flag=True,
              help="also list every cue found in the scope of a plain fact, with the reason it was waived")
@click.pass_context
def validate(ctx: click.Context, show_cues: bool) -> None:
    """Check the ontology and data (syntax, terms, quotes, SHACL, fidelity) without loading them."""
    from ..build import prepare

    try:
        _, report = prepare(settings_of(ctx))
    except SrkgError as e:
        fail(e)
    click.echo(f"valid: {report.files} files, {report.triples:,} triples, {report.evidence} pieces of evidence")
    if report.fidelity is not None:
        _print_cues(report.fidelity, show_cues)


def _print_cues(fidelity: FidelityReport, every: bool) -> None:
    reviewed, unreviewed = fidelity.reviewed, fidelity.unreviewed
    click.echo(f"cues: {fidelity.cue_hits} in the sources' text; {len(fidelity.findings)} in the scope of the "
               f"evidence of a plain fact, {len(reviewed)} reviewed (waived with a reason), "
               f"{len(unreviewed)} unreviewed")
    if every:
        for f in fidelity.findings:
            node = ns.curie(f.node)
            click.echo(f"  {node}  {f.hit.words!r} ({f.hit.cue.kind.removesuffix('Cue').lower()}) "
                       f"at [{f.evidence[0]}-{f.evidence[1]}]: {f.reason or 'UNREVIEWED'}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def coverage(ctx: click.Context, fmt: str) -> None:
    """For each source, the sentences no evidence quotes (and the boilerplate that needs none)."""
    from ..coverage import coverage as run_coverage

    settings = settings_of(ctx)
    try:
        with open_store(settings, read_only=True) as store:
            report = run_coverage(store, settings)
    except (SrkgError, FileNotFoundError) as e:
        fail(e)
    if fmt == "json":
        click.echo(json.dumps([{
            "source": c.source, "title": c.title, "sentences": len(c.sentences), "evidence": c.evidence,
            "covered": len(c.covered),
            "boilerplate": [s.text for s in c.boilerplate],
            "uncovered": [{"start": s.start, "end": s.end, "text": s.text} for s in c.uncovered],
        } for c in report], indent=2, ensure_ascii=False))
    else:
        for c in report:
            click.echo(f"{c.title} <{c.source}>")
            click.echo(f"  {len(c.sentences)} sentences, {len(c.covered)} quoted by {c.evidence} pieces of evidence, "
                       f"{len(c.boilerplate)} boilerplate, {len(c.uncovered)} not quoted")
            for s in c.boilerplate:
                click.echo(f"  boilerplate  [{s.start}-{s.end}] {s.text}")
            for s in c.uncovered:
                click.echo(f"  NOT QUOTED   [{s.start}-{s.end}] {s.text}")
    if any(not c.complete for c in report):
        sys.exit(3)


@main.command()
@click.option("--documents", "-n", type=click.IntRange(1, 10_000_000), required=True,
              help="number of source documents (about 100 triples each once built)")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="the same seed gives the same corpus")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="data folder to write (reference/ and sources/); must be empty")
@click.option("--force", is_flag=True, help="replace the folder if it is not empty")
def synth(documents: int, seed: int, out: Path, force: bool) -> None:
    """Write a reproducible synthetic corpus that follows the ontology and passes the shapes."""
    from ..synth import synthesise

    t0 = time.perf_counter()
    try:
        with click.progressbar(length=documents, label="writing documents", file=sys.stderr,
                               show_pos=True) as bar:
            files = synthesise(out, documents, seed, force=force, progress=bar.update)
    except SrkgError as e:
        fail(e)
    click.echo(f"wrote {documents:,} documents ({files:,} files) to {out} in {time.perf_counter() - t0:.1f}s; "
               f"build it with: srkg --data-dir {out} build")


@main.command()
@click.option("--skip-validation", "--no-shacl", "skip_validation", is_flag=True,
              help="skip SHACL validation (term checks and quote grounding still run); "
                   "validate separately with `srkg validate`")
@click.option("--from", "dump", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="bulk-load this N-Quads or TriG dump (e.g. from `srkg export`) instead of the data folder")
@click.pass_context
def load(ctx: click.Context, skip_validation: bool, dump: Path | None) -> None:
    """Load the data folder (or a dump) into a new store, fast, with progress shown."""
    from ..build import BuildReport, build

    settings = settings_of(ctx)
    t0 = time.perf_counter()
    if dump is not None:
        _load_dump(settings, dump)
        return
    started: dict[str, float] = {}

    def on_step(step: str) -> None:
        started[step] = time.perf_counter()
        click.echo(f"  {time.perf_counter() - t0:6.1f}s  {step}…", err=True)

    try:
        report = build(settings, shacl_check=not skip_validation, report=BuildReport(on_step=on_step))
    except SrkgError as e:
        click.secho("load failed; the previous store is unchanged.", fg="red", err=True)
        fail(e)
    total = time.perf_counter() - t0
    where = report.store_path or settings.store
    click.echo(f"loaded {report.triples:,} triples from {report.files:,} files into {where} in {total:.1f}s "
               f"({report.triples / total:,.0f} triples/s)")
    click.echo("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()))
    if skip_validation:
        click.echo("SHACL validation skipped: run `srkg validate` to check the shapes.")


def _load_dump(settings: Settings, dump: Path) -> None:
    t0 = time.perf_counter()
    try:
        if settings.store != "embedded":
            from ..store.remote import RemoteStore, publish_remote

            with RemoteStore(settings.store, settings=settings) as remote:
                graphs = publish_remote(dump.read_bytes(), remote)
            n, where = sum(graphs.values()), settings.store
        else:
            with new_build(settings.store_dir) as target, click.progressbar(
                    length=dump.stat().st_size, label="loading", file=sys.stderr) as bar:
                n = load_dump(dump, target, progress=bar.update)
            where = str(target)
    except SrkgError as e:
        click.secho("load failed; the previous store is unchanged.", fg="red", err=True)
        fail(e)
    total = time.perf_counter() - t0
    click.echo(f"loaded {n:,} quads from {dump} into {where} in {total:.1f}s ({n / total:,.0f} quads/s)")
