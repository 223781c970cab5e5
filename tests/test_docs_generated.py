"""docs/queries.md and docs/cli.md are generated; fail when they drift from the code.

Regenerate with `python -m innovgraph.docs`.
"""

from __future__ import annotations

from innovgraph import Project
from innovgraph.docs import cli_markdown, queries_markdown

STALE = "{} is stale: run `.venv/bin/python -m innovgraph.docs` and commit the result."


def test_queries_doc_is_current():
    project = Project()
    assert (project.root / "docs/queries.md").read_text(encoding="utf-8") == \
        queries_markdown(project), STALE.format("docs/queries.md")


def test_cli_doc_is_current():
    project = Project()
    assert (project.root / "docs/cli.md").read_text(encoding="utf-8") == cli_markdown(), \
        STALE.format("docs/cli.md")
