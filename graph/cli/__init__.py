"""The ``srkg`` command line: :data:`main`, with the commands of :mod:`graph.cli.data` and
:mod:`graph.cli.ask`, and those other packages contribute (see :mod:`graph.cli.base`)."""

from __future__ import annotations

from . import ask, data
from .base import main

__all__ = ["ask", "data", "main"]
