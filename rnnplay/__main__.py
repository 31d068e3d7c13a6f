"""``python -m rnnplay`` runs the same Typer app as the ``rnnplay`` console script."""

from rnnplay.cli import main

main()
