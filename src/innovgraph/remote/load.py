"""Load the project's graph into a remote store so that readers never see half a load.

1. Parse ontology + vocabularies + records (pyoxigraph) into one set of distinct triples, and
   take the OWL RL inferences the embedded store has (innovgraph.inference) for their own
   graph (`inferred_graph`, https://w3id.org/innovgraph/graph/inferred by default).
2. Upload each into a fresh staging graph `<graph>-staging-<UTC timestamp>`, in batches of at
   most `batch_size` triples: Graph Store Protocol POSTs of N-Triples when the endpoint has a
   GSP URL, else SPARQL Update `INSERT DATA` requests (`INSERT {...} WHERE {}` for a batch with
   blank nodes, which Virtuoso refuses in INSERT DATA). All triples that share a blank node go
   in the same batch, because a blank node label means a new node in every request.
3. Check each staging graph holds exactly as many triples as were sent.
4. Swap with one SPARQL Update request `MOVE <staging> TO <graph> ; MOVE <staging2> TO
   <inferred>` (MOVE replaces the live graph and removes the staging one; stores that run an
   update request as one transaction, as Virtuoso, Fuseki/TDB2, GraphDB and Oxigraph do,
   switch readers from old to new at once).
5. Count the live graphs again.

A failure before the swap drops the staging graph and leaves the live graph untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import EndpointError, OptionError, RemoteLoadError
from ..inference import inferred_graph_path
from ..project import Project
from ..sources import read_triples
from .binding import check_iri

if TYPE_CHECKING:  # only named in annotations: loading this module does not import httpx
    from .client import RemoteStore

# Virtuoso 7.2 compiles each update request to SQL and refuses more than 10,000 lines of it:
# INSERT DATA of 1,500 of our triples, or an INSERT template of 2,000, is already too much.
UPDATE_BATCH = 500
GSP_BATCH = 5000  # a GSP POST is parsed as a document, not compiled: bigger batches are fine
BLANK_BATCH = 500
STAGING_MARK = "-staging-"


@dataclass(frozen=True)
class LoadReport:
    graph: str
    triples: int  # distinct triples parsed, staged and now live
    inferred: int  # triples of the inferred graph
    files: int
    batches: int
    method: str  # "gsp" or "update"
    replaced: int  # triples the live graph held before (0 when it was new)
    seconds: float
    stale_staging: tuple[str, ...] = ()  # staging graphs of earlier failed runs still present


def project_triples(project: Project) -> tuple[list[ox.Triple], int]:
    """Distinct triples of ontology + vocabularies + records, in file order, and the file count.

    :raises RecordSyntaxError: a source file is not valid Turtle.
    """
    files = [*project.ontology_files, *project.data_files]
    seen: dict[ox.Triple, None] = {}
    for _, triples in read_triples(files, project=project):
        seen.update(dict.fromkeys(triples))
    return list(seen), len(files)


def batches(triples: Iterable[ox.Triple], size: int,
            blank_size: int = BLANK_BATCH) -> list[list[ox.Triple]]:
    """Split into batches of at most `size` triples, never splitting a blank-node cluster.

    Clusters (triples linked through shared blank nodes) go in batches of their own of at
    most `blank_size` triples (a bigger cluster is one batch): such batches are sent as
    `INSERT {...} WHERE {}`, which Virtuoso compiles to far more code per triple.

    >>> b = ox.BlankNode()
    >>> s, p = ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p")
    >>> ts = [ox.Triple(s, p, b), ox.Triple(s, p, ox.Literal("x")), ox.Triple(b, p, ox.Literal("y"))]
    >>> [len(x) for x in batches(ts, 1)]
    [1, 2]
    """
    if size < 1 or blank_size < 1:
        raise OptionError("The batch size must be at least 1.")
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    triples = list(triples)
    for t in triples:
        nodes = [n for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    plain: list[list[ox.Triple]] = []
    clusters: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t in triples:
        blank = next((n for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)), None)
        if blank is None:
            plain.append([t])
        else:
            clusters.setdefault(root(blank), []).append(t)
    return _pack(plain, size) + _pack(list(clusters.values()), min(size, blank_size))


def _pack(groups: list[list[ox.Triple]], size: int) -> list[list[ox.Triple]]:
    out: list[list[ox.Triple]] = []
    current: list[ox.Triple] = []
    for group in groups:
        if current and len(current) + len(group) > size:
            out.append(current)
            current = []
        current.extend(group)
    if current:
        out.append(current)
    return out


def inferred_triples(project: Project) -> list[ox.Triple]:
    """The OWL RL inferences the embedded store holds (computed and cached if needed)."""
    path = inferred_graph_path(project)
    return list(dict.fromkeys(ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)))


def staging_graph(graph: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{graph}{STAGING_MARK}{stamp}"


def load_remote(project: Project, store: RemoteStore, *, replace: bool = False,
                batch_size: int | None = None, use_gsp: bool | None = None,
                progress: Callable[[int], None] | None = None,
                on_total: Callable[[int], None] | None = None) -> LoadReport:
    """Upload the project's graph into `store.config.graph` through a staging graph.

    Batches default to 500 triples for SPARQL Update and 5,000 for GSP (`batch_size` overrides).

    `progress(n)` is called after each batch with the triples it carried; `on_total(n)` once
    with the number of triples to upload, before the first batch.

    :raises RemoteLoadError: the live graph exists and `replace` is false, or the load failed
        (the message says the live graph was left as it was).
    :raises RecordSyntaxError: a source file is not valid Turtle (nothing was sent).
    :raises OptionError: `batch_size` is below 1 (nothing was sent).

    >>> from innovgraph.remote.client import EndpointConfig, RemoteStore
    >>> store = RemoteStore(EndpointConfig("http://localhost:8890/sparql"))
    >>> load_remote(Project(), store, batch_size=0)
    Traceback (most recent call last):
    ...
    innovgraph.errors.OptionError: The batch size must be at least 1.
    """
    if batch_size is not None and batch_size < 1:  # before anything is sent
        raise OptionError("The batch size must be at least 1.")
    started = time.monotonic()
    graph = check_iri(store.config.graph)
    inferred_graph = check_iri(store.config.inferred_graph)
    triples, files = project_triples(project)
    inferred = inferred_triples(project)
    gsp = bool(store.config.gsp_url) if use_gsp is None else use_gsp
    size = batch_size or (GSP_BATCH if gsp else UPDATE_BATCH)
    live_before = store.count(graph)
    if live_before and not replace:
        raise RemoteLoadError(f"The graph <{graph}> on {store.config.url} already holds "
                              f"{live_before} triples; pass --replace to swap in a new load.")
    stale = tuple(g for live in (graph, inferred_graph)
                  for g in store.server_graphs(prefix=live + STAGING_MARK))
    plan = [(live, staging_graph(live), content, batches(content, size))
            for live, content in ((graph, triples), (inferred_graph, inferred))]
    stagings = [staging for _, staging, _, _ in plan]
    if on_total:
        on_total(len(triples) + len(inferred))
    try:
        for _, staging, content, chunks in plan:
            for chunk in chunks:
                _send(store, staging, chunk, gsp)
                if progress:
                    progress(len(chunk))
            staged = store.count(staging)
            if staged != len(content):
                raise RemoteLoadError(f"the staging graph <{staging}> holds {staged} triples, "
                                      f"expected {len(content)}")
    except (EndpointError, OSError) as exc:
        raise _failed(store, graph, stagings, live_before, exc) from None
    try:
        # One request, so a transactional store swaps both graphs at once.
        store.update(" ;\n".join(f"MOVE <{staging}> TO <{live}>" for live, staging, _, _ in plan),
                     what="swap (MOVE)")
    except EndpointError as exc:
        raise _failed(store, graph, stagings, live_before, exc, swap=True) from None
    for live, _, content, _ in plan:
        count = store.count(live)
        if count != len(content):
            raise RemoteLoadError(f"After the swap the graph <{live}> holds {count} triples, "
                                  f"expected {len(content)}: check the store and load again with --replace.")
    return LoadReport(graph=graph, triples=len(triples), inferred=len(inferred), files=files,
                      batches=sum(len(chunks) for *_, chunks in plan),
                      method="gsp" if gsp else "update", replaced=live_before,
                      seconds=time.monotonic() - started, stale_staging=stale)


def _send(store: RemoteStore, staging: str, chunk: list[ox.Triple], gsp: bool) -> None:
    data = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
    if gsp:
        # N-Triples is Turtle; text/turtle is the type every GSP implementation accepts.
        store.gsp("POST", staging, data, content_type="text/turtle")
    else:
        body = data.decode("utf-8")
        if any(isinstance(n, ox.BlankNode) for t in chunk for n in (t.subject, t.object)):
            # Virtuoso refuses blank nodes in INSERT DATA ("not allowed in a constant clause");
            # a template with an empty WHERE mints fresh nodes the same way, in every store.
            # Not retried when the answer is lost: a repeat would add the cluster twice.
            store.update(f"INSERT {{ GRAPH <{staging}> {{\n{body}}} }} WHERE {{}}",
                         what="upload (INSERT)")
        else:
            store.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{body}}} }}",
                         what="upload (INSERT DATA)",
                         retry_ambiguous=True)  # inserting the same triples twice changes nothing


def _failed(store: RemoteStore, graph: str, stagings: list[str], live_before: int,
            exc: Exception, swap: bool = False) -> RemoteLoadError:
    cause = str(exc).rstrip(".")
    drops = " ;\n".join(f"DROP SILENT GRAPH <{s}>" for s in stagings)
    try:
        store.update(drops, what="clean-up (DROP staging)")
        cleanup = "the staging graphs were dropped"
    except EndpointError:
        names = ", ".join(f"<{s}>" for s in stagings)
        cleanup = (f"the staging graphs {names} could not be dropped and may hold part of "
                   f"the load: drop them with `{drops.replace(chr(10), ' ')}`")
    if swap:
        state = (f"the swap into <{graph}> failed, so the live graph may still be the old one "
                 f"({live_before} triples)")
    else:
        state = f"the live graph <{graph}> was not touched ({live_before} triples)"
    return RemoteLoadError(f"Load failed: {cause}. {state[0].upper()}{state[1:]}; {cleanup}.")
