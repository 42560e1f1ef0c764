"""`python -m arendegen`."""

from arendegen.cli import main

main()
