"""SHACL validation at scale: per-record chunks in a process pool, incremental re-checks, caches.

pyshacl over one rdflib graph of the whole project costs about 40 ms per city record, on one
core, plus rdflib's Turtle parsing. This module keeps pyshacl as the checker but changes what
it is given:

- **Chunks.** Every subject of the graph has a *home*: the first source file (in
  `data_sources` order) that states a triple about it. The files are cut into chunks; a
  chunk's data graph holds its files' triples, everything the whole graph says about the
  subjects it is home to (so a node restated in several files is checked once, with all its
  triples), what it says about the nodes they point at (types, schemes), and the nodes of
  other files that point at them (with their own triples, for inverse paths such as
  `^ig:administrationOf` and the mayor constraint's post and tenure), plus the ontology and
  vocabularies. pyshacl validates each chunk; only results whose focus node has its home in
  the chunk are kept. Chunks run in a process pool (one worker per core by default), each
  worker reading the project's read-only pyoxigraph store.
- **Only the chunk's own targets, parsed SPARQL cached.** While a chunk is checked, the
  patches of patches.py are active: pyshacl looks only at the targets the chunk is home to,
  and rdflib reuses each parsed SHACL-SPARQL query.
- **Incremental.** Validating given record files re-checks only the focus nodes the change
  can reach (up to three hops from the changed triples, not through shared hubs such as a
  country or a concept with many incoming links) on a small graph extracted from the store,
  and reuses the cached report of the rest of the graph: the same results as validating the
  whole graph again.
- **Report cache.** A full report is cached by the project's content hash, so validating an
  unchanged project again is a file read.

The limit of the neighbourhood rule: a shape that walks from a focus node through a node
with more than `HUB_DEGREE` incoming links into another file (none of ours does) could see
less than the whole graph. tests/test_fast_validation.py checks chunked, incremental and
plain validation agree on the shipped data and on every broken record of the test suite.

`run_pyshacl`, the one call of pyshacl that every engine of the package makes, lives here,
the lowest module that runs pyshacl; engine.py imports it from here.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from ..cache import cache_dir, write_pickle
from ..namespaces import GRAPH_BASE, INFERRED_GRAPH
from ..progress import notice
from ..project import Project
from ..sources import load_files, parse_file
from ..store import graph_iri, open_store
from ..terms import TermConverter, show
from .patches import cached_sparql_parsing, only_targets
from .report import ChunkResult, _keep, chunk_result, results_of

HUB_DEGREE = 20          # nodes with more incoming links are not walked through
IN_LINKS_MAX = 500       # incoming links copied for a node (beyond that: a hub, shapes do not walk it)
CHUNK_RECORDS = 150      # files per chunk (about 25,000 triples)


# --------------------------------------------------------------------------- pyshacl

def run_pyshacl(data: Graph, shapes: Graph, *, inplace: bool = False) -> Graph:
    """pyshacl's report graph for `data` against `shapes`: offline, no inference, SHACL-AF.

    `inplace` lets pyshacl work on `data` itself instead of a copy (for graphs built only to
    be validated). Every validation of the package goes through here, so all of them check
    the same way.
    """
    import pyshacl  # here, not at the top: about 0.1 s that `innovgraph query` never needs

    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, inplace=inplace,
        do_owl_imports=False, allow_warnings=False, allow_infos=False,
        abort_on_first=False, meta_shacl=False, js=False)
    return report


# --------------------------------------------------------------------------- graph view

class _View:
    """The union graph of a store, minus some named graphs, plus some extra rdflib triples."""

    def __init__(self, store: ox.Store, *, skip: Iterable[str] = (), extra: Graph | None = None):
        self.store = store
        self.skip = {INFERRED_GRAPH, *skip}
        self.extra = extra
        self.terms = TermConverter()

    def out(self, node) -> list[tuple]:
        """Triples with `node` as subject, with the graph IRI they come from (None: extra)."""
        found = []
        term = self.terms.ox(node)
        if term is not None:
            rdf = self.terms.rdf
            for q in self.store.quads_for_pattern(term, None, None, None):
                g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                if g not in self.skip:
                    found.append(((node, rdf(q.predicate), rdf(q.object)), g))
        if self.extra is not None:
            found += [((node, p, o), None) for p, o in self.extra.predicate_objects(node)]
        return found

    def into(self, node, limit: int) -> list[tuple] | None:
        """Triples with `node` as object (graph IRI alongside), or None beyond `limit`."""
        found = []
        term = self.terms.ox(node)
        if term is not None:
            rdf = self.terms.rdf
            for q in self.store.quads_for_pattern(None, None, term, None):
                g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                if g not in self.skip:
                    found.append(((rdf(q.subject), rdf(q.predicate), node), g))
                    if len(found) > limit:
                        return None
        if self.extra is not None:
            found += [((s, p, node), None) for s, p in self.extra.subject_predicates(node)]
        return found if len(found) <= limit else None

    def graph_triples(self, graph_iri: str) -> list[tuple]:
        rdf = self.terms.rdf
        return [(rdf(q.subject), rdf(q.predicate), rdf(q.object))
                for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))]


def _neighbourhood(view: _View, focus: set, fixed: set, graph: Graph) -> None:
    """Add to `graph` what validating `focus` can look at (see the module docstring)."""
    seen_out: dict = {}

    def add_out(node) -> list[tuple]:
        if node in fixed or isinstance(node, Literal):
            return []
        if node in seen_out:
            return seen_out[node]
        triples = seen_out[node] = view.out(node)
        for t, _ in triples:
            graph.add(t)
            if isinstance(t[2], BNode):  # blank-node structures come whole
                add_out(t[2])
        return triples

    referrers = set()
    for f in focus:
        for (s, p, o), _ in add_out(f):
            add_out(o)                                   # types and schemes of the values
        incoming = view.into(f, IN_LINKS_MAX) if f not in fixed else []
        for (s, p, o), _ in incoming or ():
            graph.add((s, p, o))
            if s not in focus:
                referrers.add(s)
    # Nodes of other files that point at the focus nodes, and one more step back (a tenure
    # pointing at a post pointing at an administration), with their own triples.
    frontier = referrers
    for _ in range(2):
        nxt = set()
        for r in frontier:
            for (s, p, o), _ in add_out(r):
                add_out(o) if isinstance(o, BNode) else None
            incoming = view.into(r, HUB_DEGREE)
            for (s, p, o), _ in incoming or ():
                graph.add((s, p, o))
                if s not in focus and s not in referrers:
                    nxt.add(s)
        referrers |= nxt
        frontier = nxt
    for r in referrers:  # types of what the referrers point at (sh:class in SPARQL joins)
        for (s, p, o), _ in view.out(r):
            if not isinstance(o, Literal) and o not in fixed:
                for t, _ in view.out(o):
                    if t[1] == RDF.type:
                        graph.add(t)



# --------------------------------------------------------------------------- one chunk

_worker: dict = {}


def _init_worker(store_path: str, fixed_graphs: list[str], order: dict[str, int],
                 shapes_nt: bytes) -> None:
    store = ox.Store.read_only(store_path)
    _worker.update(store=store, fixed_graphs=fixed_graphs, order=order, shapes_nt=shapes_nt)


def _fixed_triples(view: _View, fixed_graphs: list[str]) -> list[tuple]:
    triples = []
    for g in fixed_graphs:
        triples += view.graph_triples(g)
    return triples


def _shapes(shapes_nt: bytes) -> Graph:
    shapes = _worker.get("shapes")
    if shapes is None:
        shapes = _worker["shapes"] = Graph().parse(data=shapes_nt, format="nt")
    return shapes


def run_chunk(graphs: list[str], locate_files: list[str]) -> ChunkResult:
    """Validate the focus nodes whose home is one of `graphs` (worker side)."""
    view = _View(_worker["store"])
    if "fixed" not in _worker:
        triples = _fixed_triples(view, _worker["fixed_graphs"])
        _worker["fixed"] = (triples, {t[0] for t in triples})
        _worker["terms"] = view.terms
    view.terms = _worker["terms"]
    fixed_triples, fixed_nodes = _worker["fixed"]
    order = _worker["order"]
    mine = set(graphs)
    focus: set = set()
    checked: set = set()
    data = Graph()
    for t in fixed_triples:
        data.add(t)
    for g in graphs:
        for s, p, o in view.graph_triples(g):
            data.add((s, p, o))
            for node in (s, o):
                if node in checked or isinstance(node, Literal) or node in fixed_nodes and node is o:
                    continue
                checked.add(node)
                # Home: the first file describing the node, else the first one naming it
                # (a mistyped IRI is never a subject, and sh:targetObjectsOf can target it).
                homes = {gr for _, gr in view.out(node)} or \
                    {gr for _, gr in view.into(node, 10 ** 9) or ()}
                if homes and min(homes, key=lambda x: order.get(x, len(order))) in mine:
                    focus.add(node)
    _neighbourhood(view, {f for f in focus if f not in fixed_nodes}, fixed_nodes, data)
    for f in focus & fixed_nodes:  # a vocabulary node a record says more about
        for t, _ in view.out(f):
            data.add(t)
    return _validate_focus(data, focus, _shapes(_worker["shapes_nt"]), locate_files)


def _validate_focus(data: Graph, focus: set, shapes: Graph, locate_files: list[str]) -> ChunkResult:
    # Targets outside `focus` are skipped (see patches.only_targets); results are still
    # filtered by focus node afterwards, for the sh:detail results of nested shapes.
    with cached_sparql_parsing(), only_targets(focus):
        report = run_pyshacl(data, shapes, inplace=True)
    kept = _keep(report, focus)
    results = results_of(kept, data, _worker["project"], [Path(p) for p in locate_files])
    return chunk_result(report, results, focus)


# --------------------------------------------------------------------------- whole project

def _shapes_nt(project: Project) -> bytes:
    return load_files(project.shape_files, project=project).serialize(format="nt", encoding="utf-8")


def full_results(project: Project, *, jobs: int | None = None, progress=None) -> ChunkResult:
    """Validate the whole project (ontology, vocabularies, data) in chunks."""
    store = open_store(project)
    records = list(project.data_files)
    ontology = list(project.ontology_files)
    sources = records + ontology
    fixed = [graph_iri(project, p) for p in ontology]
    graph_names = [graph_iri(project, p) for p in sources]
    order = {g: i for i, g in enumerate(graph_names)}
    files_of = dict(zip(graph_names, (str(p) for p in sources)))
    chunks = [graph_names[i:i + CHUNK_RECORDS] for i in range(0, len(records), CHUNK_RECORDS)]
    chunks.append(fixed)
    shapes = _shapes_nt(project)
    jobs = jobs if jobs else (os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(chunks)))
    tasks = [(c, [files_of[g] for g in c] + [str(p) for p in ontology]) for c in chunks]
    parts: list[ChunkResult] = []
    if jobs == 1:
        _init_worker(str(store.path), fixed, order, shapes)
        _worker["project"] = project
        try:
            for graphs, files in tasks:
                parts.append(run_chunk(graphs, files))
                if progress:
                    progress(len(graphs))
        finally:
            _worker.clear()
    else:
        # Imported only when a pool starts: multiprocessing costs about 20 ms, which
        # `--jobs 1`, incremental checks and `innovgraph query` need not pay.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # fork: workers open their own read-only store; spawn would re-run an unguarded __main__.
        ctx = multiprocessing.get_context("fork")
        # A forked worker inherits every object of this process, garbage not yet collected
        # included: a store of an earlier server or test, held in a reference cycle, whose
        # native handles would be freed by the worker's first collection, in a process
        # without the threads they belong to (a segfault, seen in the suite). gc.freeze()
        # puts every existing object out of reach of the workers' collections, as the gc
        # documentation advises before a fork without exec.
        gc.freeze()
        try:
            with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker_project,
                                     initargs=(str(project.root), str(store.path), fixed, order,
                                               shapes)) as pool:
                futures = {pool.submit(run_chunk, g, f): len(g) for g, f in tasks}
                for fut in as_completed(futures):
                    parts.append(fut.result())
                    if progress:
                        progress(futures[fut])
        finally:
            gc.unfreeze()
    return _merge(parts)


def _init_worker_project(root: str, store_path: str, fixed, order, shapes) -> None:
    _init_worker(store_path, fixed, order, shapes)
    _worker["project"] = Project(root)


def _merge(parts: list[ChunkResult]) -> ChunkResult:
    results = [r for part in parts for r in part.results]
    reports = [entry for part in parts for entry in part.report_parts]
    return ChunkResult(results, reports, all(p.conforms for p in parts))


# --------------------------------------------------------------------------- caches

# Bump when ChunkResult changes: older pickles are then never read. "3": ChunkResult and
# ValidationResult moved to innovgraph.validation.report, and pickles name the module.
CACHE_FORMAT = "3"


def _cache_file(project: Project, key: str) -> Path:
    return cache_dir(project, "validation", f"{key}-v{CACHE_FORMAT}.pickle")


def cached_full(project: Project, *, jobs: int | None = None, use_cache: bool = True,
                progress=None) -> tuple[ChunkResult, str]:
    """The full report of the project, from the cache when its content is unchanged."""
    key = project.validation_hash()
    path = _cache_file(project, key)
    if use_cache:
        try:
            with open(path, "rb") as handle:
                part = pickle.load(handle)
            if isinstance(part, ChunkResult):
                return part, key
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, TypeError, ValueError,
                ImportError):  # a cache written by another version is a miss, never a crash
            pass
    part = full_results(project, jobs=jobs, progress=progress)
    if use_cache:
        try:
            write_pickle(path, part)
            for old in path.parent.glob("*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return part, key


# --------------------------------------------------------------------------- incremental

def incremental_results(project: Project, sources: list[Path], paths: list[Path], *,
                        jobs: int | None = None, use_cache: bool = True,
                        progress=None, shapes: Graph | None = None) -> ChunkResult:
    """Results of validating `sources` (the project with `paths` added or swapped in).

    `shapes` is the project's shapes graph when the caller has parsed it already.
    """
    shipped = list(project.data_files)
    # data_sources() keeps shipped paths as globbed (absolute) and given ones as given, so
    # string comparison of absolute paths is enough; resolve() per file would cost seconds.
    in_sources = {os.path.abspath(p) for p in sources}
    removed = [p for p in shipped if str(p) not in in_sources]     # replaced by a draft
    shipped_set = {str(p) for p in shipped + list(project.ontology_files)}
    added = [Path(p) for p in dict.fromkeys(sources) if os.path.abspath(p) not in shipped_set]
    extra = Graph()
    for path in added:  # the one parser (sources), with the same syntax errors as a full validation
        parse_file(path, extra, project=project)
    base, _ = cached_full(project, jobs=jobs, use_cache=use_cache, progress=progress)
    if not added and not removed:
        return base
    store = open_store(project)
    removed_graphs = {graph_iri(project, p) for p in removed}
    view = _View(store.engine, skip=removed_graphs, extra=extra)
    old_view = _View(store.engine)
    fixed_graphs = [graph_iri(project, p) for p in project.ontology_files]
    fixed_triples = _fixed_triples(view, fixed_graphs)
    fixed_nodes = {t[0] for t in fixed_triples}

    # The changed triples: what the drafts add, and what the replaced records said.
    changed = list(extra)
    for g in removed_graphs:
        changed += old_view.graph_triples(g)
    seeds = set()
    for s, p, o in changed:
        for node in (s, o):
            if not isinstance(node, Literal) and node not in fixed_nodes:
                seeds.add(node)
    # Focus nodes whose verdict the change can reach: up to three hops either way, not
    # through hubs (nodes with more than HUB_DEGREE incoming links).
    focus, frontier = set(seeds), set(seeds)
    for _ in range(3):
        nxt = set()
        for node in frontier:
            incoming = view.into(node, HUB_DEGREE)
            if incoming is None or len({g for _, g in incoming}) > 2:
                # A hub (a country, a statistic, a source document named from several
                # files): its own triples are checked, nothing beyond it.
                continue
            neighbours = [t[0] for t, _ in incoming] + [t[2] for t, _ in view.out(node)]
            for n in neighbours:
                if not isinstance(n, Literal) and n not in fixed_nodes and n not in focus:
                    nxt.add(n)
        focus |= nxt
        frontier = nxt
    focus = {f for f in focus if view.out(f) or view.into(f, 10 ** 9)}  # still in the graph
    data = Graph()
    for t in fixed_triples:
        data.add(t)
    _neighbourhood(view, focus, fixed_nodes, data)
    if os.environ.get("INNOVGRAPH_DEBUG_INCREMENTAL"):
        notice(f"incremental: {len(seeds)} seeds, {len(focus)} focus nodes, {len(data)} triples "
               f"({len(fixed_triples)} ontology)")

    # Locate fresh results in the drafts first, then the files that describe the focus nodes.
    position = {str(p): i for i, p in enumerate(sources)}
    files = set()
    for f in focus:
        for _, g in view.out(f):
            if g and g.startswith(GRAPH_BASE):
                files.add(str(project.root / (g[len(GRAPH_BASE):] + ".ttl")))
    files |= {str(p) for p in added}
    locate = sorted((f for f in files if f in position), key=position.__getitem__)
    locate += [str(p) for p in project.ontology_files if str(p) not in locate]

    _worker["project"] = project
    try:
        if shapes is None:
            shapes = Graph().parse(data=_shapes_nt(project), format="nt")
        fresh = _validate_focus(data, focus, shapes, locate)
    finally:
        _worker.clear()
    dropped_focus = {show(f, turtle=True) for f in focus}
    dropped_files = {project.relative(p) for p in removed}
    kept = [r for r in base.results
            if r.focus_node not in dropped_focus and r.file not in dropped_files]
    parts = [(node, nt) for node, nt in base.report_parts
             if node not in focus and show(node, turtle=True) not in dropped_focus] + fresh.report_parts
    return ChunkResult(kept + fresh.results, parts, not (kept or fresh.results))
