"""Long operations show a progress bar on a terminal and stay quiet when piped (issue 7).

The command runs in a real subprocess whose stderr is a pseudo-terminal (or a pipe), as a
user's shell would give it.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def _project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "project", tmp_path / "project"))


def _run(args: list[str], *, tty: bool) -> tuple[int, str]:
    """Run `innovgraph ARGS` with stderr on a pseudo-terminal or a pipe; (exit code, stderr)."""
    command = [sys.executable, "-m", "innovgraph", *args]
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    if not tty:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, timeout=300)
        return proc.returncode, proc.stderr.decode("utf-8", "replace")
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:  # read while the child writes, so a full pty buffer never blocks it
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child has closed its end
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=slave, env=env, timeout=300)
    finally:
        os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_store_build_and_validation_show_progress_on_a_terminal(tmp_path):
    root = _project(tmp_path)
    code, stderr = _run(["--project", str(root), "validate"], tty=True)
    assert code == 0, stderr
    assert "Building the store" in stderr
    assert "Validating" in stderr
    assert "100%" in stderr


def test_nothing_but_results_when_piped(tmp_path):
    root = _project(tmp_path)
    code, stderr = _run(["--project", str(root), "validate"], tty=False)
    assert code == 0, stderr
    assert "Building the store" not in stderr
    assert "Validating" not in stderr
    assert "%" not in stderr
