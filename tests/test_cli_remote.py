"""`--endpoint` on the CLI when the store is down, slow or failing: one `Error:` line, exit 1."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from support.fake_endpoint import FakeEndpoint, free_port
from innovgraph.cli import cli

SECRET = "cli-s3cret-pass"


@pytest.fixture(autouse=True)
def _settings(monkeypatch, tmp_path):
    for name in ("INNOVGRAPH_ENDPOINT", "INNOVGRAPH_ENDPOINT_USER", "INNOVGRAPH_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("INNOVGRAPH_ENDPOINT_TIMEOUT", "0.5")


def run(*args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env=env)


def test_store_down_is_one_clear_line_and_exit_1(project_dir):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = run("--project", str(project_dir), "query", "fictional-cities", "--endpoint", url,
                 INNOVGRAPH_ENDPOINT_PASSWORD=SECRET, INNOVGRAPH_ENDPOINT_USER="me")
    assert result.exit_code == 1
    assert result.output == (f"Error: Cannot reach the SPARQL endpoint {url} for the query "
                             "fictional-cities: connection refused (4 attempts). Is the store running?\n")


def test_slow_store_is_a_timeout_message(project_dir):
    def slow(request):
        time.sleep(2)
        return 200, {}, b""

    with FakeEndpoint(slow) as server:
        result = run("--project", str(project_dir), "stats", "--endpoint", server.url)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: The SPARQL endpoint {server.url} did not answer the "
                                    "query within 0.5 s (timeout)")


def test_error_response_names_status_and_message_without_credentials(project_dir):
    body = f"Virtuoso 42000 Error SR186: No permission for user me:{SECRET}\n\nSPARQL query:\n...".encode()
    with FakeEndpoint(lambda r: (500, {"Content-Type": "text/plain"}, body)) as server:
        result = run("--project", str(project_dir), "load", "--endpoint", server.url,
                     INNOVGRAPH_ENDPOINT_USER="me", INNOVGRAPH_ENDPOINT_PASSWORD=SECRET)
    assert result.exit_code == 1
    assert result.output == (f"Error: The SPARQL endpoint {server.url} answered the query with 500 "
                             "Internal Server Error: Virtuoso 42000 Error SR186: No permission for "
                             "user me:***\n")
    assert SECRET not in result.output


def test_load_needs_an_endpoint_and_validate_paths_are_local(project_dir, extra):
    result = run("--project", str(project_dir), "load")
    assert result.exit_code == 1
    assert result.output.startswith("Error: No SPARQL endpoint: pass --endpoint URL")
    result = run("--project", str(project_dir), "validate", str(extra / "fictional-badtown.ttl"),
                 "--endpoint", "http://127.0.0.1:1/sparql")
    assert result.exit_code == 2
    assert "cannot be combined with --endpoint" in result.output
