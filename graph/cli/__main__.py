"""``python -m graph.cli``: the same as the ``srkg`` command."""

from graph.cli import main

main()
