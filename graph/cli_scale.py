"""The scale commands of ``srkg``: ``synth`` (synthetic corpora), ``load`` (bulk loading) and ``bench``.

- ``srkg synth --documents N --seed S --out DIR`` writes a reproducible data
  folder that builds with ``srkg --data-dir DIR build``;
- ``srkg load`` builds the data folder with progress shown and SHACL
  optional (``--skip-validation``), or bulk-loads an N-Quads/TriG dump
  (``--from FILE``) into a new store published atomically;
- ``srkg bench`` prints the benchmark table (:mod:`graph.bench`).
"""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from pathlib import Path

import click

from .errors import SrkgError


def _fail(error: Exception) -> None:
    click.secho("error: " + str(error).replace("\n", "\n  "), fg="red", err=True)
    sys.exit(1)


@click.command()
@click.option("--documents", "-n", type=click.IntRange(1, 10_000_000), required=True,
              help="number of source documents (about 100 triples each once built)")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="the same seed gives the same corpus")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="data folder to write (reference/ and sources/); must be empty")
@click.option("--force", is_flag=True, help="replace the folder if it is not empty")
def synth(documents: int, seed: int, out: Path, force: bool) -> None:
    """Write a reproducible synthetic corpus that follows the ontology and passes the shapes."""
    from .synth import synthesise

    t0 = time.perf_counter()
    try:
        with click.progressbar(length=documents, label="writing documents", file=sys.stderr,
                               show_pos=True) as bar:
            files = synthesise(out, documents, seed, force=force, progress=bar.update)
    except SrkgError as e:
        _fail(e)
    click.echo(f"wrote {documents:,} documents ({files:,} files) to {out} in {time.perf_counter() - t0:.1f}s; "
               f"build it with: srkg --data-dir {out} build")


@click.command()
@click.option("--skip-validation", "--no-shacl", "skip_validation", is_flag=True,
              help="skip SHACL validation (term checks and quote grounding still run); "
                   "validate separately with `srkg validate`")
@click.option("--from", "dump", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="bulk-load this N-Quads or TriG dump (e.g. from `srkg export`) instead of the data folder")
@click.pass_context
def load(ctx: click.Context, skip_validation: bool, dump: Path | None) -> None:
    """Load the data folder (or a dump) into a new store, fast, with progress shown."""
    from .build import BuildReport, build

    settings = ctx.obj
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
        _fail(e)
    total = time.perf_counter() - t0
    where = report.store_path or settings.store
    click.echo(f"loaded {report.triples:,} triples from {report.files:,} files into {where} in {total:.1f}s "
               f"({report.triples / total:,.0f} triples/s)")
    click.echo("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()))
    if skip_validation:
        click.echo("SHACL validation skipped: run `srkg validate` to check the shapes.")


def _load_dump(settings, dump: Path) -> None:  # type: ignore[no-untyped-def]
    from .bench import load_nquads
    from .store import publish

    t0 = time.perf_counter()
    try:
        if settings.store != "embedded":
            from .remote import RemoteStore, publish_remote

            with RemoteStore(settings.store, settings=settings) as remote:
                graphs = publish_remote(dump.read_bytes(), remote)
            n, where = sum(graphs.values()), settings.store
        else:
            builds = settings.store_dir / "builds"
            builds.mkdir(parents=True, exist_ok=True)
            target = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
            try:
                with click.progressbar(length=dump.stat().st_size, label="loading", file=sys.stderr) as bar:
                    n = load_nquads(dump, target, progress=bar.update)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            publish(target, settings.store_dir)
            where = target
    except SrkgError as e:
        click.secho("load failed; the previous store is unchanged.", fg="red", err=True)
        _fail(e)
    total = time.perf_counter() - t0
    click.echo(f"loaded {n:,} quads from {dump} into {where} in {total:.1f}s ({n / total:,.0f} quads/s)")


@click.command()
@click.option("--sizes", default="10k", show_default=True,
              help="comma-separated sizes in triples: 10k, 100k, 1m, 10m (the README's table: 10k,100k,1m)")
@click.option("--runs", default=10, show_default=True, type=click.IntRange(3, 1000),
              help="timed runs per query and engine (after one warm-up)")
@click.option("--budget", default=3.0, show_default=True, type=float,
              help="seconds per query and engine after which fewer runs are kept (at least 3)")
@click.option("--shacl-up-to", default="100k", show_default=True,
              help="time SHACL validation for sizes up to this one")
@click.option("--rdflib-up-to", default="1m", show_default=True,
              help="measure rdflib's in-memory store for sizes up to this one")
@click.option("--cap", default=20.0, show_default=True, type=float,
              help="seconds after which one query on one engine (warm-up and runs) is stopped and shown as >cap")
@click.option("--with-data/--synthetic-only", default=True, show_default=True,
              help="add the data folder (the real briefs) to each corpus, so the competency questions find answers")
@click.option("--queries/--no-queries", default=True, show_default=True,
              help="time the competency queries on each engine")
@click.option("--service/--no-service", default=True, show_default=True,
              help="measure our service with ApacheBench (needs api.app and `ab`)")
@click.option("--concurrency", "-c", default=8, show_default=True, type=click.IntRange(1, 256),
              help="concurrent ApacheBench clients")
@click.option("--ab-seconds", default=8.0, show_default=True, type=float, help="seconds of load per URL")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path),
              help="keep corpora and stores here (default: a temporary folder, removed at the end)")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="also write the table here")
@click.pass_context
def bench(ctx: click.Context, sizes: str, runs: int, budget: float, shacl_up_to: str, rdflib_up_to: str,
          cap: float, with_data: bool, queries: bool, service: bool, concurrency: int, ab_seconds: float,
          workdir: Path | None, out: Path | None) -> None:
    """Benchmark loading, queries and the service against rdflib and Oxigraph server; print one table."""
    from . import bench as bench_module

    try:
        chosen = bench_module.parse_sizes(sizes)
        shacl_max = bench_module.parse_sizes(shacl_up_to)[0][1]
        rdflib_max = bench_module.parse_sizes(rdflib_up_to)[0][1]
        report = bench_module.run(chosen, workdir=workdir, runs=runs, budget_s=budget, shacl_up_to=shacl_max,
                                  rdflib_up_to=rdflib_max, cap_s=cap, service=service,
                                  real_data=ctx.obj.data_dir if with_data else None, time_queries=queries, concurrency=concurrency,
                                  ab_seconds=ab_seconds, echo=lambda line: click.echo(line, err=True))
    except SrkgError as e:
        _fail(e)
    click.echo(report)
    if out:
        out.write_text(report + "\n", encoding="utf-8")


COMMANDS: list[click.Command] = [synth, load, bench]
