"""The ``srkg`` command line: build, validate, query, export, stats, coverage.

Every command reads its settings from ``SRKG_*`` environment variables or
the options below, prints errors a person can act on, and exits non-zero on
bad input without touching the store.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from . import catalogue, namespaces as ns
from .errors import SrkgError
from .fidelity import Report as FidelityReport
from .settings import Settings, get_settings
from .store import SelectResult, open_store

EXPORT_FORMATS = {
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
}


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj


def _fail(error: Exception) -> None:
    click.secho("error: " + str(error).replace("\n", "\n  "), fg="red", err=True)
    sys.exit(1)


@click.group()
@click.option("--data-dir", type=click.Path(path_type=Path), help="data folder (default: the checkout's data/)")
@click.option("--store-dir", type=click.Path(path_type=Path), help="where the embedded store lives")
@click.version_option(package_name="srkg")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, store_dir: Path | None) -> None:
    """srkg: a knowledge graph of Sino-Russian relations, grounded in its sources."""
    overrides = {}
    if data_dir:
        overrides["data_dir"] = data_dir.resolve()
    if store_dir:
        overrides["store_dir"] = store_dir.resolve()
    ctx.obj = get_settings().model_copy(update=overrides)


def _print_graphs(graphs: dict[str, int]) -> None:
    width = max((len(g) for g in graphs), default=10)
    for g, n in graphs.items():
        click.echo(f"  {g:<{width}}  {n:>9,}")
    click.echo(f"  {'total':<{width}}  {sum(graphs.values()):>9,}")


@main.command()
@click.option("--extra-data", "extra", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="another data folder to load beside the main one (repeatable)")
@click.pass_context
def build(ctx: click.Context, extra: tuple[Path, ...]) -> None:
    """Validate the ontology and data, then load them into a new store, atomically."""
    from .build import build as run_build

    settings = _settings(ctx)
    try:
        report = run_build(settings, extra_data_dirs=list(extra))
    except SrkgError as e:
        click.secho("build failed; the previous store is unchanged.", fg="red", err=True)
        _fail(e)
    click.echo(f"built {report.store_path} from {report.files} files, {report.evidence} pieces of evidence")
    _print_graphs(report.graphs)
    if report.fidelity is not None:
        _print_cues(report.fidelity, False)
    click.echo("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()))


@main.command()
@click.option("--cues", "show_cues", is_flag=True,
              help="also list every cue found in the scope of a plain fact, with the reason it was waived")
@click.pass_context
def validate(ctx: click.Context, show_cues: bool) -> None:
    """Check the ontology and data (syntax, terms, quotes, SHACL, fidelity) without loading them."""
    from .build import prepare

    try:
        _, report = prepare(_settings(ctx))
    except SrkgError as e:
        _fail(e)
    click.echo(f"valid: {report.files} files, {report.triples:,} triples, {report.evidence} pieces of evidence")
    if report.fidelity is not None:
        _print_cues(report.fidelity, show_cues)


def _print_cues(fidelity: "FidelityReport", every: bool) -> None:
    reviewed, unreviewed = fidelity.reviewed, fidelity.unreviewed
    click.echo(f"cues: {fidelity.cue_hits} in the sources' text; {len(fidelity.findings)} in the scope of the "
               f"evidence of a plain fact, {len(reviewed)} reviewed (waived with a reason), "
               f"{len(unreviewed)} unreviewed")
    if every:
        for f in fidelity.findings:
            node = _short_iri(f.node)
            click.echo(f"  {node}  {f.hit.words!r} ({f.hit.cue.kind.removesuffix('Cue').lower()}) "
                       f"at [{f.evidence[0]}-{f.evidence[1]}]: {f.reason or 'UNREVIEWED'}")


def _format_select(result: SelectResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"variables": result.variables,
                           "rows": [{k: (None if v is None else str(v)) for k, v in r.items()} for r in result]},
                          indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(result.variables)
        for r in result:
            w.writerow(["" if r.get(v) is None else str(r[v]) for v in result.variables])
        return buf.getvalue().rstrip("\n")
    cells = [[_short(r.get(v)) for v in result.variables] for r in result]
    widths = [max([len(v)] + [len(c[i]) for c in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)


def _short(term: object) -> str:
    if term is None:
        return ""
    return _short_iri(str(term)) if term.__class__.__name__ == "URIRef" else str(term)


def _short_iri(iri: str) -> str:
    for prefix, base in ns.PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


@main.command()
@click.argument("query", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="read the query from a file")
@click.option("--name", "-n", help="run a query of the catalogue by name (see `srkg queries`)")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_context
def query(ctx: click.Context, query: str | None, query_file: Path | None, name: str | None, fmt: str) -> None:
    """Run a SPARQL query given as a string, a file or a catalogue name."""
    if sum(x is not None for x in (query, query_file, name)) != 1:
        raise click.UsageError("give exactly one of QUERY, --file or --name")
    if query_file:
        query = query_file.read_text(encoding="utf-8")
    elif name:
        try:
            query = catalogue.get(name).text
        except KeyError:
            raise click.UsageError(f"no query named {name!r}; `srkg queries` lists them") from None
    try:
        with open_store(_settings(ctx), read_only=True) as store:
            result = store.query(query)
    except (SrkgError, FileNotFoundError) as e:
        _fail(e)
    if isinstance(result, bool):
        click.echo(json.dumps({"boolean": result}) if fmt == "json" else str(result).lower())
    elif isinstance(result, SelectResult):
        click.echo(_format_select(result, fmt))
    else:
        import rdflib

        g = rdflib.Graph()
        for t in result:
            g.add(t)
        for p, iri in ns.PREFIXES.items():
            g.bind(p, iri)
        click.echo(g.serialize(format="json-ld" if fmt == "json" else "turtle"))


@main.command()
def queries() -> None:
    """List the query catalogue."""
    for q in catalogue.load().values():
        click.echo(f"{q.name}\n    {q.title}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="nquads", show_default=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write to a file instead of stdout")
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path | None) -> None:
    """Export the whole dataset, every named graph."""
    try:
        with open_store(_settings(ctx), read_only=True) as store:
            if fmt == "jsonld":
                data = _jsonld(store)
            else:
                data = store.dump(EXPORT_FORMATS[fmt])
    except (SrkgError, FileNotFoundError) as e:
        _fail(e)
    if out:
        out.write_bytes(data)
        click.echo(f"wrote {len(data):,} bytes to {out}", err=True)
    else:
        sys.stdout.buffer.write(data)


def _jsonld(store) -> bytes:  # type: ignore[no-untyped-def]
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=store.dump("application/n-quads"), format="nquads")
    for p, iri in ns.PREFIXES.items():
        ds.bind(p, iri)
    return ds.serialize(format="json-ld", indent=2).encode("utf-8")


@main.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Triples per named graph, and counts of the main classes."""
    try:
        with open_store(_settings(ctx), read_only=True) as store:
            click.echo("named graphs (triples):")
            _print_graphs(store.graphs())
            click.echo("instances:")
            for row in store.select(catalogue.text("build/class-counts")):
                click.echo(f"  {_short(row['class']):<32} {int(row['n']):>7,}")
    except (SrkgError, FileNotFoundError) as e:
        _fail(e)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def coverage(ctx: click.Context, fmt: str) -> None:
    """For each source, the sentences no evidence quotes (and the boilerplate that needs none)."""
    from .coverage import coverage as run_coverage

    settings = _settings(ctx)
    try:
        with open_store(settings, read_only=True) as store:
            report = run_coverage(store, settings)
    except (SrkgError, FileNotFoundError) as e:
        _fail(e)
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


def _register_commands() -> None:
    """Commands that live beside their own subsystem: the service, the views, the scale tools."""
    from api.cli import serve
    from visualisation.cli import visualise

    from .cli_scale import COMMANDS

    for command in [serve, visualise, *COMMANDS]:
        main.add_command(command)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
