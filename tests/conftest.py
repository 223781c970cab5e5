"""Shared fixtures: a private copy of the fictional fixture project for every test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from innovgraph import Project

# Live web servers shared by tests/test_web_*.py (session-wide, started on first use).
from webserver import strict_web, web  # noqa: E402,F401

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_home(monkeypatch):
    # A developer's INNOVGRAPH_HOME must not leak into tests that rely on explicit roots.
    monkeypatch.delenv("INNOVGRAPH_HOME", raising=False)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/project that a test may edit freely."""
    return Path(shutil.copytree(FIXTURES / "project", tmp_path / "project"))


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project(project_dir)


@pytest.fixture
def extra() -> Path:
    """Record files kept outside the fixture project (deliberately bad or draft records)."""
    return FIXTURES / "extra"


@pytest.fixture
def draft_dir() -> Path:
    return FIXTURES / "nowhereburg-draft"


@pytest.fixture
def query_project(tmp_path: Path) -> Project:
    """Fictional cities (tests/fixtures/query-data) with the real ontology, vocabularies and
    saved queries, so saved-query results do not change when real city records are added."""
    root = Path(__file__).parent.parent
    target = tmp_path / "query-project"
    shutil.copytree(root / "ontology", target / "ontology")
    shutil.copytree(root / "queries", target / "queries")
    shutil.copytree(FIXTURES / "query-data", target / "data" / "ttl")
    return Project(target)
