"""What the tests against endpoints share: no endpoint setting of the machine running them, and
the embedded store they compare a remote store with."""

from __future__ import annotations

import pytest

from innovgraph import Project
from innovgraph.store import open_store

_EMBEDDED: dict = {}


@pytest.fixture(autouse=True)
def no_endpoint_settings(monkeypatch, tmp_path):
    """Imported into a test module, every test there runs without $INNOVGRAPH_ENDPOINT* and
    with an empty configuration folder (so no endpoint.toml of the machine is read)."""
    for name in ("INNOVGRAPH_ENDPOINT", "INNOVGRAPH_ENDPOINT_USER",
                 "INNOVGRAPH_ENDPOINT_PASSWORD", "INNOVGRAPH_ENDPOINT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def embedded(project: Project):
    """The project's graph in an in-memory embedded store, opened once per test session."""
    if project.root not in _EMBEDDED:
        _EMBEDDED[project.root] = open_store(project, in_memory=True)
    return _EMBEDDED[project.root]
