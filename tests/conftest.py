"""Shared fixtures: a private copy of the fictional fixture project for every test, and the web
app, in-process (`app_client`, `web_client`, `strict_web_client`) or on a socket (`web`,
`strict_web`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from innovgraph import Project
from support.asgi import AppClient, app_over

# Live web servers shared by tests/test_web_*.py (session-wide, started on first use).
from support.webserver import ROOT, STRICT_OPTIONS, strict_web, web  # noqa: F401

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


# -- the web app in-process (tests/support/asgi.py) ------------------------------------------

@pytest.fixture
def app_client():
    """A factory: `app_client(project, **create_app options)` is an in-process client of the
    web app over that project (a Project or a path), closed at the end of the test."""
    clients: list[AppClient] = []

    def make(project, **options) -> AppClient:
        clients.append(AppClient(app_over(project, **options)))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def web_client():
    """The shipped project's app with `innovgraph serve`'s defaults, in-process (as `web`)."""
    client = AppClient(app_over(ROOT))
    yield client
    client.close()


@pytest.fixture(scope="session")
def strict_web_client():
    """The shipped project's app with `strict_web`'s limits, token and CORS, in-process."""
    client = AppClient(app_over(ROOT, **STRICT_OPTIONS))
    yield client
    client.close()
