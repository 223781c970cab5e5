"""Shared helpers of the ingest tests (tests/test_ingest*.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from innovgraph import Project
from innovgraph.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "tests" / "fixtures" / "profiles"


def snapshot_project(tmp_path: Path) -> Project:
    """A private copy of the shipped ontology, shapes and data.

    Ingest validates a record together with the rest of the graph; a snapshot keeps the tests
    independent of edits other people make to data/ttl/ while the tests run, and guarantees that
    no test can write into the real project.
    """
    root = tmp_path / "project"
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / part, root / part)
    return Project(root)


def run_ingest(project: Project, profile: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project.root), "ingest", str(profile), *args])
