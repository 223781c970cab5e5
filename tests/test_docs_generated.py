"""The reference docs are generated; fail when one drifts from the sources it describes.

Regenerate with `python -m innovgraph.docs`.
"""

from __future__ import annotations

from innovgraph import Project
import pytest

from innovgraph.docs import GENERATORS, cli_markdown, queries_markdown

STALE = "{} is stale: run `.venv/bin/python -m innovgraph.docs` and commit the result."


def test_queries_doc_is_current():
    project = Project()
    assert (project.root / "docs/queries.md").read_text(encoding="utf-8") == \
        queries_markdown(project), STALE.format("docs/queries.md")


def test_cli_doc_is_current():
    project = Project()
    assert (project.root / "docs/cli.md").read_text(encoding="utf-8") == cli_markdown(), \
        STALE.format("docs/cli.md")


@pytest.mark.parametrize("name", ["shapes.md", "ontology.md"])
def test_reference_doc_is_current(name):
    project = Project()
    assert (project.root / "docs" / name).read_text(encoding="utf-8") == GENERATORS[name](project), \
        STALE.format(f"docs/{name}")


def test_shapes_doc_lists_every_message():
    """Every sh:message a maintainer can meet is in docs/shapes.md."""
    from innovgraph.sources import load_files
    from rdflib.namespace import SH
    project = Project()
    text = (project.root / "docs/shapes.md").read_text(encoding="utf-8")
    shapes = load_files(project.shape_files, project=project)
    messages = {" ".join(str(m).split()).replace("|", "\\|") for m in shapes.objects(None, SH.message)}
    assert len(messages) > 50
    assert [m for m in messages if m not in text] == []
