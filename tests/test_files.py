"""Files the CLI writes (issue 17, item 12): records get the umask's mode, a write killed
outright leaves no temporary file that the next write cannot remove, `new-city` refuses an
empty slug and a source URL it cannot write as an IRI."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from innovgraph.cache import TEMP_SUFFIX, atomic_write, remove_stale_temps, write_pickle
from innovgraph.cli import cli


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


# --------------------------------------------------------------------------- new-city

@pytest.mark.parametrize("slug", ["", "Bad Slug", "x\ny"])
def test_new_city_refuses_a_slug_that_is_not_one(project_dir, slug):
    cities = project_dir / "data" / "ttl" / "cities"
    before = sorted(p.name for p in cities.iterdir())
    result = CliRunner().invoke(cli, ["--project", str(project_dir), "new-city", slug])
    assert result.exit_code == 2, result.output
    assert f"{slug!r} is not a slug" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in cities.iterdir()) == before
    assert not (cities / ".ttl").exists()


@pytest.mark.parametrize("url", ["https://example.org/x\n# injected", "https://example.org/%zz",
                                 "https://example.org/a b", "https://example.org/a>b"])
def test_new_city_refuses_a_source_url_it_cannot_write_as_an_iri(project_dir, tmp_path, url):
    out = tmp_path / "fictional-x.ttl"
    result = CliRunner().invoke(cli, ["--project", str(project_dir), "new-city", "fictional-x",
                                      "--out", str(out), "--source-url", url])
    assert result.exit_code == 2, result.output
    assert "is not an http(s) URL" in result.stderr
    assert list(tmp_path.iterdir()) == [project_dir]


# --------------------------------------------------------------------------- modes

@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_a_record_gets_the_umask_mode(project_dir, tmp_path, mask, expected):
    out = tmp_path / "fictional-x.ttl"
    with umask(mask):
        result = CliRunner().invoke(cli, ["--project", str(project_dir), "new-city", "fictional-x",
                                          "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert mode(out) == expected


def test_replacing_a_file_gives_it_the_umask_mode_too(tmp_path):
    target = tmp_path / "x.ttl"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    with umask(0o022):
        atomic_write(target, "new")
        write_pickle(tmp_path / "cache" / "x.pickle", [1, 2])
    assert target.read_text(encoding="utf-8") == "new" and mode(target) == 0o644
    assert mode(tmp_path / "cache" / "x.pickle") == 0o644


# --------------------------------------------------------------------------- killed writes

# A child that starts writing TARGET, then is killed by SIGKILL (no handler, no cleanup), or
# that waits with the write in progress until its parent kills it.
CHILD = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from innovgraph.cache import atomic_write

    def half(tmp):
        with open(tmp, "w") as handle:
            handle.write("<a> <b> ")
            handle.flush()
        print("writing", flush=True)
        if sys.argv[2] == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(60)

    atomic_write(Path(sys.argv[1]), half)
""")


def _child(target: Path, how: str) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target), how],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "writing\n"
    return child


def test_a_killed_write_leaves_a_temp_that_the_next_write_removes(tmp_path):
    target = tmp_path / "fictional-x.ttl"
    target.write_text("<a> <b> <c> .\n", encoding="utf-8")
    child = _child(target, "kill")
    assert child.wait(timeout=30) == -signal.SIGKILL
    left = temps(tmp_path)
    assert len(left) == 1 and left[0].startswith(".fictional-x.ttl.")   # the kill left it
    assert target.read_text(encoding="utf-8") == "<a> <b> <c> .\n"       # the target is whole
    atomic_write(target, "<a> <b> <d> .\n")                              # the next run
    assert temps(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["fictional-x.ttl"]
    assert target.read_text(encoding="utf-8") == "<a> <b> <d> .\n"


def test_a_write_in_progress_is_not_taken_for_stale(tmp_path):
    child = _child(tmp_path / "a.pickle", "wait")
    try:
        live = temps(tmp_path)
        assert len(live) == 1
        atomic_write(tmp_path / "b.pickle", b"other")   # sweeps the folder
        assert remove_stale_temps(tmp_path / "b.pickle") == []
        assert temps(tmp_path) == live                  # the child's temp is still there
    finally:
        child.kill()
        child.wait(timeout=30)
    # Its writer gone, a write of another target in the folder removes it (caches change names).
    atomic_write(tmp_path / "b.pickle", b"again")
    assert temps(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.pickle"]


def test_a_failed_write_leaves_nothing(tmp_path):
    def fails(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(tmp_path / "x.ttl", fails)
    assert list(tmp_path.iterdir()) == []
