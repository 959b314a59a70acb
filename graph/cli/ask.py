"""The commands that ask the graph: ``query``, ``queries``, ``export`` and ``stats``."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click
from rdflib import URIRef

from .. import catalogue
from .. import namespaces as ns
from ..errors import SrkgError
from ..read import exports
from ..store import SelectResult, Store, open_store
from ..store.base import to_int
from .base import fail, main, print_graphs, settings_of

EXPORT_FORMATS = {
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
}


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
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)


def _short(term: object) -> str:
    if term is None:
        return ""
    return ns.curie(str(term)) if isinstance(term, URIRef) else str(term)


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
    assert query is not None  # exactly one of the three was given
    try:
        with open_store(settings_of(ctx), read_only=True) as store:
            result = store.query(query)
    except (SrkgError, FileNotFoundError) as e:
        fail(e)
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
@click.option("--format", "fmt", type=click.Choice([*sorted(EXPORT_FORMATS), *exports.EXPORTS]), default="nquads",
              show_default=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write to a file instead of stdout")
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path | None) -> None:
    """Export the whole dataset, every named graph (nquads, trig, turtle, jsonld); the network (graphml, gexf);
    the stances, assessments or events as CSV, one row per evidence quote with its offsets (stances-csv,
    assessments-csv, events-csv); or the citation of every source (csl-json, bibtex)."""
    try:
        with open_store(settings_of(ctx), read_only=True) as store:
            if fmt in exports.EXPORTS:
                data = exports.EXPORTS[fmt].make(exports.Inputs.of(store))
            elif fmt == "jsonld":
                data = _jsonld(store)
            else:
                data = store.dump(EXPORT_FORMATS[fmt])
    except (SrkgError, FileNotFoundError) as e:
        fail(e)
    if out:
        out.write_bytes(data)
        click.echo(f"wrote {len(data):,} bytes to {out}", err=True)
    else:
        sys.stdout.buffer.write(data)


def _jsonld(store: Store) -> bytes:
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
        with open_store(settings_of(ctx), read_only=True) as store:
            click.echo("named graphs (triples):")
            print_graphs(store.graphs())
            click.echo("instances:")
            for row in store.select(catalogue.text("build/class-counts")):
                click.echo(f"  {_short(row['class']):<32} {to_int(row['n']):>7,}")
    except (SrkgError, FileNotFoundError) as e:
        fail(e)
