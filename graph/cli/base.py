"""The ``srkg`` command group and what its commands share: the settings, how a failure is reported.

The group holds the core's own commands (:mod:`graph.cli.data`,
:mod:`graph.cli.ask`) and those that packages above the core contribute
through the ``srkg.commands`` entry points (the service's ``serve``, the
views' ``visualise``, the benchmarks' ``bench``), loaded only when used: the
core never imports them.
"""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import NoReturn

import click

from ..settings import Settings, get_settings

ENTRY_POINTS = "srkg.commands"


class Commands(click.Group):
    """A click group that adds the commands of the ``srkg.commands`` entry points to its own."""

    def _contributed(self) -> dict[str, EntryPoint]:
        return {ep.name: ep for ep in entry_points(group=ENTRY_POINTS)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._contributed()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        own = super().get_command(ctx, name)
        if own is not None:
            return own
        ep = self._contributed().get(name)
        return ep.load() if ep is not None else None


@click.group(cls=Commands)
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


def settings_of(ctx: click.Context) -> Settings:
    """The settings of this invocation (the environment's, with the group's options applied)."""
    settings = ctx.find_object(Settings)
    return settings if settings is not None else get_settings()


def fail(error: Exception) -> NoReturn:
    """Print ``error`` as a person reads it (one problem a line) and exit with status 1."""
    click.secho("error: " + str(error).replace("\n", "\n  "), fg="red", err=True)
    sys.exit(1)


def print_graphs(graphs: dict[str, int]) -> None:
    """Triples per named graph, and the total, as a small table."""
    width = max((len(g) for g in graphs), default=10)
    for g, n in graphs.items():
        click.echo(f"  {g:<{width}}  {n:>9,}")
    click.echo(f"  {'total':<{width}}  {sum(graphs.values()):>9,}")
