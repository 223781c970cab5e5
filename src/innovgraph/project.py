"""Where the knowledge files of a project live.

The ontology, vocabularies, shapes, records and queries sit at the repository root, not
inside the package, so they can be edited and reviewed as plain files. A `Project` is just
a root directory plus the conventions for finding those files under it.

A wheel carries a copy of them as `innovgraph/knowledge/` (setup.py copies them at build
time), the project used when none is given or found. Its caches go to the user's cache
folder, not into site-packages.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from .cache import CACHE_DIR, file_digests
from .errors import ProjectNotFoundError

HOME_ENV = "INNOVGRAPH_HOME"
# The knowledge files a wheel ships (setup.py copies them there; absent in a checkout).
SHIPPED_ROOT = Path(__file__).resolve().parent / "knowledge"


def _looks_like_root(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "src" / "innovgraph").is_dir()


def find_root() -> Path:
    """The default project root: $INNOVGRAPH_HOME, else the checkout this package runs from."""
    env = os.environ.get(HOME_ENV)
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise ProjectNotFoundError(f"{HOME_ENV}={env} is not a directory.")
        return path.resolve()
    # Editable installs import from <root>/src/innovgraph, so the root is a few parents up.
    for parent in Path(__file__).resolve().parents:
        if _looks_like_root(parent):
            return parent
    if (SHIPPED_ROOT / "ontology").is_dir():  # an installed wheel: the files it ships
        return SHIPPED_ROOT
    raise ProjectNotFoundError(
        f"Cannot find the innovgraph project root. Pass --project PATH or set {HOME_ENV}."
    )


def user_cache_dir() -> Path:
    """The user's cache folder for innovgraph: $XDG_CACHE_HOME/innovgraph (default
    ~/.cache/innovgraph), ~/Library/Caches/innovgraph on macOS, %LOCALAPPDATA%\\innovgraph on
    Windows.

    >>> user_cache_dir().name
    'innovgraph'
    """
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "innovgraph"


class Project:
    """A directory holding ontology/, shapes/, data/ttl/ and queries/.

    >>> import tempfile
    >>> p = Project(tempfile.mkdtemp())
    >>> p.ontology_files, p.shape_files, p.data_files
    ([], [], [])
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root).expanduser().resolve() if root is not None else find_root()
        if not self.root.is_dir():
            raise ProjectNotFoundError(f"Project root {self.root} is not a directory.")
        self._root_prefix = str(self.root).rstrip(os.sep) + os.sep
        self._data_listing: tuple = ((), None, [])  # (directories, their mtimes, files)

    def __repr__(self) -> str:
        return f"Project({str(self.root)!r})"

    @property
    def shipped(self) -> bool:
        """True for the knowledge files an installed wheel carries (innovgraph/knowledge/)."""
        return self.root == SHIPPED_ROOT

    @property
    def cache_root(self) -> Path:
        """Where the caches of this project go: `<root>/.innovgraph-cache`, or for the shipped
        files a folder of `user_cache_dir()` named after the installed copy (site-packages
        is not the place to write, and two venvs must not share a store of other files).

        >>> import tempfile
        >>> p = Project(tempfile.mkdtemp()); p.cache_root == p.root / ".innovgraph-cache"
        True
        """
        if not self.shipped:
            return self.root / CACHE_DIR
        key = hashlib.sha256(str(self.root).encode("utf-8")).hexdigest()[:12]
        return user_cache_dir() / f"shipped-{key}"

    @property
    def ontology_files(self) -> list[Path]:
        """ontology/innovgraph.ttl first, then ontology/vocab/*.ttl sorted (existing files only)."""
        main = self.root / "ontology" / "innovgraph.ttl"
        vocab = sorted((self.root / "ontology" / "vocab").glob("*.ttl"))
        return ([main] if main.is_file() else []) + vocab

    @property
    def shape_files(self) -> list[Path]:
        return sorted((self.root / "shapes").glob("*.ttl"))

    @property
    def data_files(self) -> list[Path]:
        """data/ttl/**/*.ttl, sorted. Listed again only when a directory under data/ttl changed
        (a file added, removed or renamed changes its directory's mtime): globbing and sorting
        100,000 paths costs a fifth of a second, and one validation asks several times."""
        signature = self._data_dirs_signature()
        if signature is None or signature != self._data_listing[1]:
            files = sorted((self.root / "data" / "ttl").glob("**/*.ttl"))
            dirs = sorted({p.parent for p in files} | {self.root / "data" / "ttl"})
            self._data_listing = (tuple(dirs), self._data_dirs_signature(dirs), files)
            return list(files)
        return list(self._data_listing[2])

    def _data_dirs_signature(self, dirs=None) -> tuple | None:
        dirs = self._data_listing[0] if dirs is None else dirs
        if not dirs:
            return None
        try:
            return tuple((str(d), os.stat(d).st_mtime_ns) for d in dirs)
        except OSError:
            return None

    @property
    def query_dir(self) -> Path:
        return self.root / "queries"

    @property
    def query_files(self) -> list[Path]:
        """Saved queries: queries/**/*.rq except the quality checks in queries/qc/."""
        return sorted(p for p in self.query_dir.glob("**/*.rq")
                      if not p.is_relative_to(self.qc_dir))

    @property
    def qc_dir(self) -> Path:
        """Quality checks (`innovgraph qc`): `<check>-violation.rq` files and profile.tsv."""
        return self.query_dir / "qc"

    @property
    def qc_files(self) -> list[Path]:
        return sorted(self.qc_dir.glob("*.rq")) + sorted(self.qc_dir.glob("*.tsv"))

    @property
    def source_files(self) -> list[Path]:
        """Every hand-edited file that shapes the graph, its checks or its queries."""
        return (self.ontology_files + self.shape_files + self.data_files + self.query_files
                + self.qc_files)

    def relative(self, path: str | os.PathLike[str]) -> str:
        """A path as users should see it: relative to the root when inside it, else as given."""
        text = os.fspath(path)
        prefix = self._root_prefix
        if text.startswith(prefix) and ".." not in text and "/./" not in text:
            # Paths globbed from the root (the common case): no filesystem round trip, which
            # matters when a content hash covers 100,000 files.
            return text[len(prefix):].replace(os.sep, "/")
        candidate = Path(path)
        try:
            return candidate.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    @property
    def graph_files(self) -> list[Path]:
        """The files whose triples make the graph: ontology, vocabularies, records."""
        return self.ontology_files + self.data_files

    def graph_hash(self) -> str:
        """`content_hash` of the graph files only: the key of what is derived from the graph
        alone (the store, the inferences), so editing a query or a shape rebuilds neither."""
        return self.content_hash(self.graph_files)

    def validation_hash(self) -> str:
        """`content_hash` of the graph files and the shapes: the key of a validation report."""
        return self.content_hash(self.graph_files + self.shape_files)

    def content_hash(self, paths: list[Path] | None = None) -> str:
        """sha256 over the relative path and the sha256 of the bytes of every source file
        (or of `paths`).

        Any edit, addition, removal or rename changes it, which is what a cache key needs.
        Computing it is cheap on every call, even for 100,000 files: each file's digest is
        kept in `.innovgraph-cache/manifest.json` with its size, mtime and inode, and is
        re-read only when those change, or when the file was modified within a second of
        the manifest being written (an edit in the same clock tick would not show).
        """
        digest = hashlib.sha256()
        entries = sorted((self.relative(p), p) for p in (self.source_files if paths is None
                                                          else paths))
        for relative, sha in zip((r for r, _ in entries), file_digests(self, [p for _, p in entries])):
            # Length-prefix each part so (path, digest) boundaries cannot be forged by content.
            for part in (relative.encode("utf-8"), sha):
                digest.update(len(part).to_bytes(8, "big"))
                digest.update(part)
        return digest.hexdigest()
