"""Real servers for the web tests: `innovgraph serve` in a subprocess on a free loopback port.

Two session-wide servers over the shipped project: `web` with the defaults (read-only, CORS
off), and `strict_web` with tight limits, updates allowed behind a token, and CORS for one
origin. Imported by tests/conftest.py so every test module shares them. Only the tests that
need a real socket or a real process use them (the smoke test, the SPARQLWrapper, rdflib and
Chromium clients, the time limit); the others run in-process (tests/support/asgi.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UPDATE_TOKEN = "test-token-7f3a"
CORS_ORIGIN = "https://example.org"
# The strict server, as `innovgraph serve` flags (strict_web) and as the create_app options
# they stand for (the in-process strict_web_client of tests/conftest.py).
STRICT_FLAGS = ("--timeout", "0.3", "--max-results", "5", "--allow-update",
                "--update-token", UPDATE_TOKEN, "--cors", CORS_ORIGIN)
STRICT_OPTIONS = {"timeout_s": 0.3, "max_results": 5, "allow_update": True,
                  "update_token": UPDATE_TOKEN, "cors_origins": (CORS_ORIGIN,)}


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: object = None

    def __call__(self, path: str) -> str:
        return self.url + path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(*options: str, log: Path, project: Path = ROOT) -> Server:
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("INNOVGRAPH_HOME", None)
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "innovgraph", "--project", str(project), "serve",
         "--port", str(port), *options],
        stdout=handle, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/sparql", timeout=2) as response:
                if response.status == 200:
                    return Server(url, process, handle)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.terminate()
    handle.close()
    raise RuntimeError(f"server did not answer within 120 s: {log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    if server.log is not None:
        server.log.close()


@pytest.fixture(scope="session")
def web(tmp_path_factory) -> Server:
    """The server as `innovgraph serve` starts it by default."""
    server = start_server(log=tmp_path_factory.mktemp("web") / "server.log")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def strict_web(tmp_path_factory) -> Server:
    """Tight limits, updates behind a token, CORS for one origin."""
    server = start_server(*STRICT_FLAGS, log=tmp_path_factory.mktemp("strict-web") / "server.log")
    yield server
    stop_server(server)
