"""Start and stop a throwaway Virtuoso Open Source server for the integration tests.

The server gets its own database folder and two free loopback ports, from an ini generated
from the one Debian's package installs (/etc/virtuoso-opensource-7/virtuoso.ini). Nothing
outside the folder is written, and the server is stopped at the end of the session.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from .fake_endpoint import free_port

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
DB_KEYS = ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file")
MINIMAL_INI = """[Database]
[TempDatabase]
[Parameters]
ServerPort = 1111
DirsAllowed = .
[HTTPServer]
ServerPort = 8890
ServerRoot = .
[SPARQL]
"""
# Settings replaced or added, per section. Small buffers keep memory low; the SPARQL limits
# are raised so that no saved query result is cut at Virtuoso's default 10,000 rows.
OVERRIDES = {
    "Parameters": {"NumberOfBuffers": "10000", "MaxDirtyBuffers": "6000", "CheckpointInterval": "0"},
    "SPARQL": {"ResultSetMaxRows": "1000000", "MaxQueryExecutionTime": "120"},
}


@dataclass
class Virtuoso:
    process: subprocess.Popen
    folder: Path
    http_port: int
    sql_port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:  # anonymous, read-only
        return self.base + "/sparql"

    @property
    def sparql_auth(self) -> str:  # HTTP Digest, may update
        return self.base + "/sparql-auth"

    @property
    def gsp_auth(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def log_tail(self, lines: int = 20) -> str:
        log = self.folder / "virtuoso.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def write_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """The packaged ini with every database file in `folder` and the ports on 127.0.0.1."""
    text = PACKAGED_INI.read_text(errors="replace") if PACKAGED_INI.is_file() else MINIMAL_INI
    values = {
        "Database": {k: str(folder / f"virtuoso.{k.lower()}") for k in DB_KEYS}
        | {"ErrorLogFile": str(folder / "virtuoso.log")},
        "TempDatabase": {k: str(folder / f"virtuoso-temp.{k.lower()}")
                         for k in ("DatabaseFile", "TransactionFile")},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", **OVERRIDES["Parameters"]},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "SPARQL": OVERRIDES["SPARQL"],
    }
    out, section, pending = [], None, {}

    def flush() -> None:  # keys the section did not have yet
        out.extend(f"{key} = {value}" for key, value in pending.items())

    for line in text.splitlines():
        if m := re.match(r"\s*\[([^\]]+)\]", line):
            flush()
            section = m.group(1)
            pending = dict(values.get(section, {}))
            out.append(line)
            continue
        key = re.match(r"\s*([A-Za-z_][\w]*)\s*=", line)
        if key and key.group(1) in pending:
            out.append(f"{key.group(1)} = {pending.pop(key.group(1))}")
        elif key and key.group(1) in values.get(section or "", {}):
            continue  # a duplicate of a key already written
        else:
            out.append(line)
    flush()
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(out) + "\n")
    return ini


def start(folder: Path, timeout: float = 120.0) -> Virtuoso:
    """Start virtuoso-t in the foreground on free ports and wait until /sparql answers."""
    exe = shutil.which("virtuoso-t")
    assert exe, "virtuoso-t is not on PATH"
    sql_port, http_port = free_port(), free_port()
    ini = write_ini(folder, sql_port, http_port)
    output = (folder / "stdout.log").open("wb")
    process = subprocess.Popen([exe, "+configfile", str(ini), "+foreground"], cwd=folder,
                               stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Virtuoso(process, folder, http_port, sql_port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}:\n{server.log_tail()}")
        try:
            answer = httpx.post(server.sparql, data={"query": "ASK {}"}, timeout=5,
                                headers={"Accept": "application/sparql-results+json"})
            if answer.status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"Virtuoso did not answer within {timeout:.0f} s:\n{server.log_tail()}")
