"""The ``srkg visualise`` command: export the views, the readers, the timeline and the matrix as a static site."""

from __future__ import annotations

from pathlib import Path

import click

from graph.errors import SrkgError
from graph.read.annotations import SourceTextMissing, annotate, source_records
from graph.read.events import read_event_dates
from graph.read.projection import build_projection
from graph.store import open_store


@click.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="folder to write the site into (created if missing)")
@click.option("--node-budget", type=click.IntRange(1, 5000), default=None,
              help="most nodes one view shows (default: SRKG_VIEW_NODE_BUDGET or 300)")
@click.pass_context
def visualise(ctx: click.Context, out: Path, node_budget: int | None) -> None:
    """Export the network views, the timeline, the stance matrix and each source's reader as a static site that
    opens from disk (open OUT/index.html)."""
    from .export import export
    from .views import ViewSettings

    settings = ctx.obj
    if settings is None:
        from graph.settings import get_settings
        settings = get_settings()
    if out.exists() and any(out.iterdir()) and not (out / "index.html").exists():
        raise click.ClickException(f"{out} is not empty and holds no earlier export; choose an empty folder")
    view_settings = ViewSettings()
    if node_budget is not None:
        view_settings = view_settings.model_copy(update={"node_budget": node_budget})
    try:
        store = open_store(settings, read_only=True)
    except (SrkgError, OSError) as e:
        raise click.ClickException(f"cannot open the store: {e}") from None
    try:
        g = build_projection(store)
        event_dates = read_event_dates(store)
        readers, missing = [], []
        for record in source_records(store):
            try:
                readers.append(annotate(store, settings.data_dir, record))
            except SourceTextMissing:
                missing.append(record.slug)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    report = export(g, out, view_settings, event_dates=event_dates, readers=readers)
    if missing:
        click.echo(f"no reader for {len(missing)} source(s) whose text is not in {settings.data_dir}: "
                   + ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""), err=True)
    click.echo(f"wrote {report.pages} pages to {out} ({report.truncated} over the node budget of "
               f"{view_settings.node_budget}); open {out / 'index.html'}")
