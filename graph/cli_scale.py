"""The scale commands of ``srkg``: synth, load, bench (placeholders until they land)."""

import click

COMMANDS: list[click.Command] = []
