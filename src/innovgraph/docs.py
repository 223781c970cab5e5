"""Generate docs/queries.md (from the saved queries' headers) and docs/cli.md (from --help).

`python -m innovgraph.docs` rewrites both; tests/test_docs_generated.py fails when either is
stale, as sqlite-utils does with cog, without the extra dependency.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from .catalogue import Catalogue
from .project import Project
from .results import catalogue_markdown


def queries_markdown(project: Project) -> str:
    return catalogue_markdown(Catalogue(project).list())


def cli_markdown() -> str:
    from .cli import cli  # imported here: the CLI imports most of the library

    def help_text(args: list[str]) -> str:
        # A fixed width keeps the output the same on every terminal.
        result = CliRunner().invoke(cli, [*args, "--help"], prog_name="innovgraph",
                                    terminal_width=88)
        return result.output.rstrip() + "\n"

    out = ["# innovgraph command line", "",
           "<!-- Generated from each command's --help by `python -m innovgraph.docs`; "
           "do not edit by hand. -->", "",
           "```", help_text([]).rstrip(), "```", ""]
    for name in sorted(cli.commands):
        out += [f"## `innovgraph {name}`", "", "```", help_text([name]).rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def write_docs(project: Project) -> list[Path]:
    written = []
    for name, text in (("queries.md", queries_markdown(project)), ("cli.md", cli_markdown())):
        path = project.root / "docs" / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_docs(Project()):
        print(f"wrote {path}")
