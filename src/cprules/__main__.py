"""``python -m cprules`` runs the command line."""

from .cli import main

main()
