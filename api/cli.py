"""The ``srkg serve`` command (placeholder until the service lands)."""

import click


@click.command()
def serve() -> None:
    """Serve the graph over HTTP (not built yet)."""
    raise click.ClickException("the service is not built yet")
