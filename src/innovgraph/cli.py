"""The `innovgraph` command line: parse options, call the library, render, set the exit code.

Domain errors (InnovgraphError) become `Error: <message>` on stderr with exit status 1;
click reports usage errors itself with status 2.
"""

from __future__ import annotations

import functools
from pathlib import Path

import click

from . import __version__
from .errors import InnovgraphError
from .project import Project
from .render import RENDERERS, render, render_summary
from .summary import summarise
from .validation import Severity, validate

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
SEVERITY_CHOICE = click.Choice([s.name.lower() for s in reversed(Severity)], case_sensitive=False)


def domain_errors(command):
    """Translate library errors at the edge: one `Error:` line, exit 1, no traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InnovgraphError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _project(ctx: click.Context) -> Project:
    # Built lazily so `--help` and `--version` work even where no project can be found.
    return Project(ctx.obj["project_path"])


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="innovgraph")
@click.option("--project", "project_path", metavar="PATH",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Project root (default: $INNOVGRAPH_HOME, else this checkout).")
@click.pass_context
def cli(ctx: click.Context, project_path: Path | None) -> None:
    """innovgraph: a knowledge graph of how city governments build innovation capacity."""
    ctx.obj = {"project_path": project_path}


@cli.command(name="validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--fail-on", type=SEVERITY_CHOICE, default="violation", show_default=True,
              help="Lowest severity that makes the exit status 1.")
@click.pass_context
@domain_errors
def validate_command(ctx: click.Context, paths: tuple[Path, ...], fmt: str, fail_on: str) -> None:
    """Validate the records against the SHACL shapes.

    PATHs are extra or edited record files, validated together with the shipped graph
    (a file outside the project replaces the shipped record with the same file name).

    \b
    Example:
        innovgraph validate
        innovgraph validate --format json --fail-on warning data/ttl/cities/moscow-rus.ttl
    """
    report = validate(_project(ctx), paths, severity_threshold=fail_on)
    click.echo(render(report, fmt), nl=False)
    ctx.exit(0 if report.ok else 1)


@cli.command()
@click.pass_context
@domain_errors
def summary(ctx: click.Context) -> None:
    """Validate, then print headline counts of the graph.

    Exits 1 when the graph has SHACL violations.

    \b
    Example:
        innovgraph summary
    """
    report = validate(_project(ctx))
    click.echo(render_summary(summarise(report.data_graph), report), nl=False)
    ctx.exit(0 if report.ok else 1)
