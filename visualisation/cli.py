"""The ``srkg visualise`` command (placeholder until the views land)."""

import click


@click.command()
def visualise() -> None:
    """Export the network views as a static site (not built yet)."""
    raise click.ClickException("the views are not built yet")
