"""Per-file digests remembered by size, mtime and inode, so content hashes stay cheap.

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
import tempfile
import time
from pathlib import Path

CACHE_DIR = ".innovgraph-cache"
_RACY_NS = 1_000_000_000


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
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"written_ns": time.time_ns(), "files": files}, out, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout still works, it just hashes every file each time
