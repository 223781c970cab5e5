"""Opening the embedded store: built from the sources on disk (or in memory), one named graph
per file, reused while the sources are unchanged (see `innovgraph.store.graphstore`)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from ..cache import cache_dir, prune
from ..errors import RecordSyntaxError, StorageError, one_line
from ..namespaces import GRAPH_BASE
from ..progress import progress
from ..project import Project
from ..sources import read_triples
from .graphstore import GraphStore, build_on_disk

# Part of the on-disk store's directory name: bumped when what a store holds changes, so that a
# store built by an older version is never opened (2: the inferred graph moved out; 3: each
# file's blank nodes are its own, and RDF 1.2 forms are refused, as the one record parser reads).
STORE_FORMAT = "3"


def graph_iri(project: Project, path: Path) -> str:
    """`ontology/vocab/goal.ttl` -> `https://w3id.org/innovgraph/graph/ontology/vocab/goal`."""
    relative = project.relative(path)
    return GRAPH_BASE + (relative[:-4] if relative.endswith(".ttl") else relative)


def open_store(project: Project | str | os.PathLike[str] | None = None, *,
               in_memory: bool = False) -> GraphStore:
    """Load ontology + vocabularies + data into a store, reusing the on-disk cache.

    :raises RecordSyntaxError: a source file is not valid Turtle (file:line:column).
    :raises StorageError: the store cannot be built or opened (no space, no permission).

    >>> import tempfile
    >>> store = open_store(tempfile.mkdtemp(), in_memory=True)
    >>> store.triples_count(), store.graphs()
    (0, [])
    """
    project = project if isinstance(project, Project) else Project(project)
    if in_memory:
        store = ox.Store()
        with progress(len(_sources(project)), "Loading the graph") as update:
            parsed = _load(store, project, update)
        return GraphStore(store, project, parsed_triples=parsed)
    root = cache_dir(project, "store")
    content = project.graph_hash()
    final = root / f"{content}-v{STORE_FORMAT}"
    try:
        if not final.is_dir():
            _build(project, root, final)
        # Read-only: several processes may query at once, and no query can change the data.
        engine = ox.Store.read_only(str(final))
    except OSError as exc:
        raise StorageError(f"Cannot build or open the store in {project.relative(root)}: "
                           f"{one_line(exc)}.") from None
    try:
        parsed = int((root / f"{final.name}.triples").read_text(encoding="ascii"))
    except (OSError, ValueError):
        parsed = None
    return GraphStore(engine, project, content_hash=content, path=final, parsed_triples=parsed)


def _sources(project: Project) -> list[Path]:
    return [*project.ontology_files, *project.data_files]


def _load(store: ox.Store, project: Project, update=None) -> int:
    """Load the sources, one named graph per file; returns the number of triples parsed."""
    failed: list[RecordSyntaxError] = []
    counted = [0]

    def quads():
        try:
            for path, triples in read_triples(_sources(project), project=project):
                graph = ox.NamedNode(graph_iri(project, path))
                counted[0] += len(triples)
                for t in triples:
                    yield ox.Quad(t.subject, t.predicate, t.object, graph)
                if update is not None:
                    update(1)
        except RecordSyntaxError as exc:
            failed.append(exc)  # raised below, once the engine has let go of the generator

    # One streamed bulk write: per-file bulk loads each ingest their own files and are much
    # slower, and one list of every quad would not fit in memory at 100,000 records.
    store.bulk_extend(quads())
    if failed:
        raise failed[0]
    return counted[0]


def _build(project: Project, root: Path, final: Path) -> None:
    parsed = []

    def fill(store: ox.Store) -> None:
        with progress(len(_sources(project)), "Building the store") as update:
            parsed.append(_load(store, project, update))

    build_on_disk(final, fill)
    try:  # how many triples the sources hold: decides whether inferences are materialised
        (root / f"{final.name}.triples").write_text(str(parsed[0]), encoding="ascii")
    except OSError:
        pass
    # Nor are inference stores or query results of older content ever read again.
    prune(root.parent / "store-inferred",
          keep=lambda name: name == final.name or name.startswith("building-"))
    prune(cache_dir(project, "results"), keep=lambda name: name == final.name.split("-v")[0])
