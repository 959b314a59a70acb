"""The ``srkg bench`` command, contributed to the ``srkg`` group through the ``srkg.commands`` entry points."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.base import fail, settings_of
from graph.errors import SrkgError


@click.command()
@click.option("--sizes", default="10k", show_default=True,
              help="comma-separated sizes in triples: 10k, 100k, 1m, 10m (the README's table: 10k,100k,1m)")
@click.option("--runs", default=10, show_default=True, type=click.IntRange(3, 1000),
              help="timed runs per query and engine (after one warm-up)")
@click.option("--budget", default=3.0, show_default=True, type=float,
              help="seconds per query and engine after which fewer runs are kept (at least 3)")
@click.option("--shacl-up-to", default="100k", show_default=True,
              help="time srkg validate with pyshacl for sizes up to this one (with rudof: up to 1m)")
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
    from . import measure

    try:
        chosen = measure.parse_sizes(sizes)
        shacl_max = measure.parse_sizes(shacl_up_to)[0][1]
        rdflib_max = measure.parse_sizes(rdflib_up_to)[0][1]
        report = measure.run(chosen, workdir=workdir, runs=runs, budget_s=budget, shacl_up_to=shacl_max,
                             rdflib_up_to=rdflib_max, cap_s=cap, service=service,
                             real_data=settings_of(ctx).data_dir if with_data else None, time_queries=queries,
                             concurrency=concurrency, ab_seconds=ab_seconds,
                             echo=lambda line: click.echo(line, err=True))
    except SrkgError as e:
        fail(e)
    click.echo(report)
    if out:
        out.write_text(report + "\n", encoding="utf-8")
