"""`python -m innovgraph` runs the CLI."""

from .cli import cli

if __name__ == "__main__":
    cli(prog_name="innovgraph")
