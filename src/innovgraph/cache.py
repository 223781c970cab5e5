"""The on-disk caches under `<project>/.innovgraph-cache/`: file digests, atomic writes,
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
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CACHE_DIR = ".innovgraph-cache"
_RACY_NS = 1_000_000_000


def cache_dir(project, *parts: str) -> Path:
    """`<project>/.innovgraph-cache/<parts...>`."""
    return project.root.joinpath(CACHE_DIR, *parts)


def atomic_write(path: Path, data: bytes | str | Callable[[Path], None], *,
                 prefix: str | None = None, suffix: str = ".tmp", fsync: bool = False) -> None:
    """Write `path` through a temporary sibling renamed over it, so a reader never sees half
    a file. `data` is bytes, text (UTF-8, LF line ends) or a function that writes the
    temporary file at the path it is given. Nothing is left behind when writing fails or is
    interrupted (KeyboardInterrupt included).

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write(target, "hello"); target.read_text()
    'hello'

    :raises OSError: the folder is not writable (the folder is not created here).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=prefix if prefix is not None else f".{path.name}.",
                               suffix=suffix, dir=path.parent)
    try:
        if callable(data):
            os.close(fd)
            data(Path(tmp))
        else:
            with os.fdopen(fd, "wb") as handle:
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


def write_pickle(path: Path, value: object) -> None:
    """Pickle `value` to `path` atomically (creating its folder).

    :raises OSError: the cache folder is not writable; callers treat the cache as optional.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
                 prefix=f".{path.stem[:16]}-", suffix="")


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
    return project.root / CACHE_DIR / "manifest.json"


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
        atomic_write(path, text, prefix=".manifest-", suffix="")
    except OSError:
        pass  # a read-only checkout still works, it just hashes every file each time
