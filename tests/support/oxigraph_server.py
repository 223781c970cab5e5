"""The Oxigraph server (`oxigraph serve` of the `oxigraph` package on PyPI, in the test
extra) as a throwaway process on a free loopback port: one start-and-wait for the tests that
use it as a second real triple store (tests/test_oxigraph_server.py, tests/test_w3c_protocol.py).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .webserver import _free_port

START_S = 20  # how long the server may take to answer its first query


def binary() -> str:
    """The `oxigraph` command beside this Python (the venv's), else on PATH; the test fails
    when it is missing (`make test` installs the test extra, which brings it)."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) \
        or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is not installed: pip install 'innovgraph[test]' "
                    "(make test does)")
    return found


@contextlib.contextmanager
def oxigraph_server(location: Path, *, read_only: bool = False,
                    union_default_graph: bool = False) -> Iterator[str]:
    """`oxigraph serve` (or `serve-read-only`) over the store folder `location`; yields its
    base URL (`/query`, `/update`, `/store` below it) once it answers a query, and stops it
    after. Its log is `location`'s sibling `<name>.log`, shown when it does not start."""
    command = [binary(), "serve-read-only" if read_only else "serve", "--location", str(location)]
    if union_default_graph:
        command.append("--union-default-graph")
    port = _free_port()
    log_path = location.with_name(location.name + ".log")
    with log_path.open("wb") as log:
        process = subprocess.Popen([*command, "--bind", f"127.0.0.1:{port}"],
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_S
            while True:
                try:
                    urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"oxigraph {command[1]} did not start:\n"
                                    + log_path.read_text(errors="replace"))
                    time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
