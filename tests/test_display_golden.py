"""How terms read in the CLI's query tables, QC reports, validation and reasoning reports,
against golden files (tests/fixtures/golden/), on fictional fixture projects only, so that
the one display function (innovgraph.terms.show) keeps every output as it was.

Regenerate after an intended change with INNOVGRAPH_REGENERATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from innovgraph import Catalogue
from innovgraph.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = FIXTURES / "golden"
REPO = Path(__file__).resolve().parents[1]


def _check(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("INNOVGRAPH_REGENERATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def _run(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


def test_query_tables(query_project):
    out = []
    for query in Catalogue(query_project).list():
        for example in [dict(e or {}) for e in query.examples] or [{}]:
            if not example and any(p.required for p in query.params):
                continue
            params = [a for k, v in example.items() for a in ("-p", f"{k}={v}")]
            fmt = "turtle" if query.name == "city-graph" else "table"
            out.append(f"$ query {query.name} {' '.join(params)}\n"
                       + _run(query_project.root, "query", query.name, *params, "--format", fmt))
    _check("query-tables", "\n".join(out))


def test_qc_report(tmp_path):
    project = Path(shutil.copytree(FIXTURES / "qc" / "project", tmp_path / "qc"))
    shutil.copytree(REPO / "queries" / "qc", project / "queries" / "qc")
    fails = sorted((FIXTURES / "qc" / "fail").glob("*.ttl"))
    _check("qc-report", _run(project, "qc", "--fail-on", "info", *map(str, fails))
           .replace(str(FIXTURES), "FIXTURES"))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validation_report(project, extra, fmt):
    text = _run(project.root, "validate", "--fail-on", "info", "--format", fmt,
                str(extra / "fictional-badtown.ttl"))
    _check(f"validation-{fmt}", text.replace(str(extra), "EXTRA"))
