"""The on-disk caches under `<project>/.innovgraph-cache/` (`Project.cache_root`: the user's
cache folder for the files a wheel ships): file digests, atomic writes,
directories built beside their final place, and pruning of entries of older content.

Everything here is written so a reader never sees half of it: to a temporary sibling, then
renamed over the target. Every cache is optional: a read-only checkout still works.

Per-file digests are remembered by size, mtime and inode, so content hashes stay cheap.

`Project.content_hash` needs a digest of every source file on every CLI call. Reading and
hashing every byte is fine for hundreds of files and too slow for 100,000 records, so the
digest of each file is kept in `<project>/.innovgraph-cache/manifest.json` with the file's
(size, mtime_ns, inode) and reused while those are unchanged. A file modified less than a
second before the manifest was written is always re-hashed (an edit within the same clock
tick would not change its mtime). A missing or unreadable manifest just means hashing
everything once.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

CACHE_DIR = ".innovgraph-cache"
_RACY_NS = 1_000_000_000


def cache_dir(project, *parts: str) -> Path:
    """`<project>/.innovgraph-cache/<parts...>` (under `project.cache_root`)."""
    return project.cache_root.joinpath(*parts)


# Temporary files are siblings of their target named `.<target>.<random>.innovgraph-tmp`. The
# writer holds an exclusive lock (flock) on its temporary file until the rename, and the kernel
# drops the lock when a process dies, however it dies: a temporary file nobody holds a lock on
# is left by a killed write, and the next write into the same folder removes it.
TEMP_SUFFIX = ".innovgraph-tmp"
# Without flock (not POSIX), a temporary file is taken for stale only when this old.
_STALE_WITHOUT_LOCKS_S = 3600


def atomic_write(path: Path, data: bytes | str | Callable[[Path], None], *,
                 fsync: bool = False) -> None:
    """Write `path` through a temporary sibling renamed over it, so a reader never sees half
    a file. `data` is bytes, text (UTF-8, LF line ends) or a function that writes into the
    temporary file at the path it is given (in place: it must not replace that file).

    The file gets the mode any new file gets (0o666 less the umask), as a text editor would
    give it. Nothing is left behind when writing fails or is interrupted (KeyboardInterrupt
    included); the temporary file of a write killed outright (SIGKILL, power cut) is removed
    by the next write into the same folder.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write(target, "hello"); target.read_text()
    'hello'

    :raises OSError: the folder is not writable (the folder is not created here).
    """
    path = Path(path)
    remove_stale_temps(path)
    fd, tmp = _create_temp(path)
    try:
        if callable(data):
            data(tmp)
        else:
            with open(fd, "wb", closefd=False) as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
                if fsync:
                    handle.flush()
                    os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    finally:
        os.close(fd)  # releases the lock, after the rename


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new, locked temporary sibling of `path`, created with mode 0o666 (the kernel applies
    the umask, or the folder's default ACL), and its open descriptor."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                         0o666)
        except FileExistsError:
            continue
        if fcntl is None:
            return fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            # A sweeper may have taken the file for stale between its creation and the lock.
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, tmp
        except FileNotFoundError:
            pass
        os.close(fd)
    raise FileExistsError(f"Cannot create a temporary file beside {path}.")


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files beside `path` (of any target: caches change names with their
    content) that no running write holds, left by killed processes; return them. Quiet: a
    folder that cannot be listed or a file already gone is fine."""
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(path.parent)
                   if e.name.startswith(".") and e.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return removed
    for entry in entries:
        try:
            if _remove_if_stale(Path(entry.path)):
                removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def _remove_if_stale(tmp: Path) -> bool:
    if fcntl is None:
        if time.time() - tmp.stat().st_mtime <= _STALE_WITHOUT_LOCKS_S:
            return False
        tmp.unlink()
        return True
    fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a write in progress holds it
        # Unlinked while locked, so that a writer between its create and its lock sees it gone.
        if os.stat(tmp).st_ino != os.fstat(fd).st_ino:
            return False
        os.unlink(tmp)
        return True
    finally:
        os.close(fd)


def write_pickle(path: Path, value: object) -> None:
    """Pickle `value` to `path` atomically (creating its folder).

    :raises OSError: the cache folder is not writable; callers treat the cache as optional.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def build_dir(final: Path, fill: Callable[[Path], None]) -> None:
    """Create the directory `final`, filled by `fill(folder)` in a temporary sibling and
    renamed into place, so a crash leaves nothing half-built. Older siblings (entries of
    older content) are removed.
    """
    root = final.parent
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="building-", dir=root))
    try:
        fill(tmp)
        try:
            tmp.rename(final)
        except OSError:
            if not final.is_dir():  # another process winning the race is fine
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    prune(root, keep=lambda name: name.startswith((final.name, "building-")))


def prune(folder: Path, keep: Callable[[str], bool]) -> None:
    """Remove the entries of `folder` (files or directories) whose name `keep` rejects:
    caches of older content are never read again. A missing folder is fine."""
    if not folder.is_dir():
        return
    for old in folder.iterdir():
        if keep(old.name):
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def _path(project) -> Path:
    return project.cache_root / "manifest.json"


_parsed: dict[str, tuple[tuple, tuple[int, dict[str, list]]]] = {}


def _load(path: Path) -> tuple[int, dict[str, list]]:
    # Parsing the manifest of 10,000 files takes a tenth of a second and one command may
    # hash several times: reuse the parsed manifest while the file is unchanged.
    try:
        st = os.stat(path)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        cached = _parsed.get(str(path))
        if cached is not None and cached[0] == stamp:
            return cached[1][0], dict(cached[1][1])
        data = json.loads(path.read_text(encoding="utf-8"))
        loaded = int(data["written_ns"]), dict(data["files"])
        _parsed[str(path)] = (stamp, loaded)
        return loaded[0], dict(loaded[1])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, {}


def file_digests(project, paths: list[Path]) -> list[bytes]:
    """The sha256 digest of each file's bytes, from the manifest when the file is unchanged."""
    manifest = _path(project)
    written_ns, known = _load(manifest)
    fresh: dict[str, list] = {}
    out: list[bytes] = []
    changed = False
    for path in paths:
        key = str(path)
        st = os.stat(path)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        entry = known.get(key)
        if entry is not None and entry[:3] == stamp and st.st_mtime_ns < written_ns - _RACY_NS:
            sha = bytes.fromhex(entry[3])
        else:
            sha = hashlib.sha256(Path(path).read_bytes()).digest()
            changed = True
        fresh[key] = stamp + [sha.hex()]
        out.append(sha)
    if changed or not fresh.keys() <= known.keys():
        # Merged, not replaced: callers hash different subsets (the graph files, plus the
        # shapes, plus the queries), and each must find its entries. A removed file's entry
        # stays, harmlessly, until its path is used again.
        _save(manifest, {**known, **fresh})
    return out


def _save(path: Path, files: dict[str, list]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"written_ns": time.time_ns(), "files": files}, separators=(",", ":"))
        atomic_write(path, text)
    except OSError:
        pass  # a read-only checkout still works, it just hashes every file each time
