"""Files of the on-disk caches under `.innovgraph-cache/`, written so a reader never sees half
of one: to a temporary sibling, then renamed over the target."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path


def write_pickle(path: Path, value: object) -> None:
    """Pickle `value` to `path` atomically (creating its folder).

    :raises OSError: the cache folder is not writable; callers treat the cache as optional.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:16]}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
