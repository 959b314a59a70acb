"""The ``srkg serve`` command: run the service with uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="interface to listen on")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="data folder (default: SRKG_DATA_DIR or the checkout's data/)")
@click.option("--workers", default=3, show_default=True, type=click.IntRange(1, 32),
              help="query worker processes (each runaway query is killed in its worker)")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 32),
              help="server processes sharing the port, each with its own query workers (read-only "
                   "services only: a curator's write must reach every reader, so writes need 1)")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="log every request (turn off for benchmarks)")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, data_dir: Path | None, workers: int, processes: int,
          access_log: bool) -> None:
    """Serve the built graph: SPARQL at /sparql, REST at /api/v1, pages at /id/…

    With SRKG_STORE set to a SPARQL server's URL the service reads (and writes) that server instead.
    """
    import uvicorn

    from graph.cli.base import settings_of
    from graph.store import open_store

    from .app import create_app

    settings = settings_of(ctx)  # the environment's, with srkg's own --store-dir and --data-dir applied
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir.resolve()})
    try:
        open_store(settings, read_only=True).close()
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from None
    if processes > 1 and settings.update_token:
        raise click.ClickException("writes are on (SRKG_UPDATE_TOKEN): one process must apply each write to "
                                   "every reader, so serve with --processes 1, or without the token")
    if processes == 1:
        uvicorn.run(create_app(settings, workers=workers), host=host, port=port, log_level="info",
                    access_log=access_log)
        return
    # Each process builds its own app from the environment, so the settings go there.
    os.environ.update({"SRKG_DATA_DIR": str(settings.data_dir), "SRKG_STORE_DIR": str(settings.store_dir),
                       "SRKG_QUERY_WORKERS": str(workers)})
    uvicorn.run("api.app:create_app", factory=True, workers=processes, host=host, port=port, log_level="info",
                access_log=access_log)
