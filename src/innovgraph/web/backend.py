"""What the HTTP layer needs from the library, in one object: the store, the saved queries,
and query execution under the server's limits (time, result size, concurrency).

pyoxigraph cannot interrupt a running query, so queries from clients run in worker processes
(`innovgraph.web.workers`) that are killed and replaced at the deadline (503): an endless
query costs its sender one worker for one time limit, and nobody else a core. Two pools keep
the kinds apart: ad-hoc SPARQL (`query_workers` processes, at a lower CPU priority, which caps
how many such queries run at once; each client may run `client_queries` of them at a time,
the others wait their turn within their own deadline) and saved queries (`saved_workers`),
so that a flood of expensive ad-hoc queries never queues the API.

The server's own work (pages, dumps, descriptions: code of this package, not client queries)
runs in a small pool of daemon threads in this process, under the same time limit.
"""

from __future__ import annotations

import asyncio
import dataclasses
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from ..catalogue import Catalogue
from ..errors import (InnovgraphError, QueryTimeout, ResultTooLarge, StorageError,
                      UnknownQueryError)
from ..namespaces import INFERRED_GRAPH
from ..project import Project
from ..store import GraphStore, QueryResult, open_store
from . import guard
from .errors import bad_request, internal_error, not_found, timed_out, too_many_results
from .workers import WorkerPool, WorkerSpec

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_WORKERS = 4  # threads for the server's own work (pages, dumps)
DEFAULT_QUERY_WORKERS = 2  # processes for ad-hoc SPARQL: at most this many run at once
DEFAULT_SAVED_WORKERS = 2  # processes for saved queries (the REST API)
DEFAULT_CLIENT_QUERIES = 1  # ad-hoc queries one client address may run at once
QUERY_NICE = 10  # the ad-hoc workers' CPU priority, below the server's (0)


_MISSING = object()  # no memoised value yet


class _Job:
    __slots__ = ("fn", "future", "loop", "abandoned")

    def __init__(self, fn, future, loop) -> None:
        self.fn, self.future, self.loop, self.abandoned = fn, future, loop, False


def _settle(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class QueryRunner:
    """A fixed pool of daemon threads for the server's own work; `run` awaits a job's result
    up to a timeout (the thread itself runs on: use it only for code that ends).

    Daemon threads (not concurrent.futures) so that a runaway query never keeps the process
    alive at shutdown.
    """

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, name=f"innovgraph-query-{n}",
                                          daemon=True) for n in range(workers)]
        for thread in self._threads:
            thread.start()
        self._closed = False

    def close(self) -> None:
        """Let the threads end once the jobs queued before this call are done (a job that
        runs on past its deadline still finishes: the threads are daemons)."""
        if not self._closed:
            self._closed = True
            for _ in self._threads:
                self._jobs.put(None)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:  # close()
                return
            if job.abandoned:  # its request already timed out while it waited
                continue
            try:
                result, error = job.fn(), None
            except BaseException as exc:  # handed to the awaiting request, not lost
                result, error = None, exc
            try:
                job.loop.call_soon_threadsafe(_settle, job.future, result, error)
            except RuntimeError:  # the event loop is closed: the server is shutting down
                pass

    async def run(self, fn: Callable[[], Any], timeout: float) -> Any:
        """fn() in a worker; raises TimeoutError after `timeout` seconds."""
        if self._closed:
            raise RuntimeError("The server's threads are stopped (the server has shut down).")
        loop = asyncio.get_running_loop()
        job = _Job(fn, loop.create_future(), loop)
        self._jobs.put(job)
        try:
            return await asyncio.wait_for(job.future, timeout)
        except (TimeoutError, asyncio.TimeoutError):
            job.abandoned = True
            raise TimeoutError from None


class Backend:
    """The store and saved queries of one project, with the server's limits."""

    def __init__(self, project: Project, *, writable: bool = False, in_memory: bool = False,
                 timeout_s: float = DEFAULT_TIMEOUT_S, max_results: int = DEFAULT_MAX_RESULTS,
                 workers: int = DEFAULT_WORKERS, query_workers: int = DEFAULT_QUERY_WORKERS,
                 saved_workers: int = DEFAULT_SAVED_WORKERS,
                 client_queries: int = DEFAULT_CLIENT_QUERIES,
                 max_query_depth: int | None = None) -> None:
        self.project = project
        # A writable server works on a private in-memory copy: updates never touch the files
        # or the on-disk cache, which is keyed by the files' content. A read-only server may
        # ask for one too: queries then run several times faster than on pyoxigraph's
        # on-disk store (docs/performance.md), for a slower start and more memory.
        self.graph_store = open_store(project, in_memory=writable or in_memory)
        self.graph_store.max_query_depth = max_query_depth
        # The pyoxigraph store itself: the endpoint streams rows to enforce its limits, which
        # GraphStore.query (materialising every row) cannot do.
        self.store = self.graph_store.engine
        self.catalogue = Catalogue(project)
        self.timeout_s = timeout_s
        self.max_results = max_results
        self.writable = writable
        self.runner = QueryRunner(workers)
        # Writes, in order, replayed by the query workers of an in-memory server.
        self.writes: list[tuple] = []
        spec = WorkerSpec(str(project.root), in_memory=writable or in_memory,
                          max_query_depth=max_query_depth)
        self.query_pool = WorkerPool(dataclasses.replace(spec, nice=QUERY_NICE),
                                     max(1, query_workers), writes=self.writes)
        self.saved_pool = WorkerPool(spec, max(1, saved_workers), writes=self.writes)
        self.client_queries = max(1, client_queries)
        self._clients: dict[str, list] = {}  # address -> [Semaphore, requests]
        self.content_hash = project.content_hash()
        self.generation = 0  # bumped by every write; cached responses are keyed by it
        self._graphs: set[str] | None = None
        self._memo: dict[tuple[str, str], Any] = {}
        self._memo_lock = threading.Lock()
        self._computing: dict[tuple[str, str], threading.Lock] = {}  # one lock per value
        self.preparing: threading.Thread | None = None  # prepare()'s thread, once started
        self._write_lock = threading.Lock()

    # -- graphs -----------------------------------------------------------------------------

    def graphs(self) -> set[str]:
        """The named graphs a query may name: one per source file, and the inferred one."""
        if self._graphs is None:
            self._graphs = {g.value for g in self.store.named_graphs()} | {INFERRED_GRAPH}
        return self._graphs

    def cache_key(self) -> str:
        return f"{self.content_hash}:{self.generation}"

    def memo(self, name: str, compute: Callable[[], Any]) -> Any:
        """compute() once per store state (dumps, counts, descriptions, the survey-wide
        figures of the pages). Requests that need the same value while it is computed wait
        for that one computation instead of starting their own."""
        key = (name, self.cache_key())
        # One read of the dict each time: a write may replace it in between (another state).
        value = self._memo.get(key, _MISSING)
        if value is not _MISSING:
            return value
        with self._memo_lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            value = self._memo.get(key, _MISSING)
            if value is _MISSING:
                value = compute()
                with self._memo_lock:
                    self._memo = {k: v for k, v in self._memo.items() if k[1] == key[1]}
                    self._memo[key] = value
                    self._computing = {k: v for k, v in self._computing.items()
                                       if k[1] == key[1] and k != key}
        return value

    def prepare(self, fn: Callable[[], Any]) -> threading.Thread:
        """Run fn() (memo() calls a first visitor would otherwise wait for) in a background
        thread, once the server starts. A failure is left for the request that needs the
        value to report: it computes the value again and answers the error."""
        def run() -> None:
            try:
                fn()
            except Exception:  # noqa: BLE001: reported by the request that needs it
                pass

        thread = threading.Thread(target=run, name="innovgraph-prepare", daemon=True)
        thread.start()
        self.preparing = thread
        return thread

    def triples_count(self) -> int:
        """Distinct triples of the union (a triple stated in two files counts once), counted
        by the engine (GraphStore.triples_count) once per store state."""
        return self.memo("count", self.graph_store.triples_count)

    def union_triples(self) -> list[ox.Triple]:
        """Every distinct triple of the default graph (the union of the asserted graphs; the
        inferences are in a store of their own), sorted by subject then predicate."""
        def compute():
            seen = {ox.Triple(q.subject, q.predicate, q.object)
                    for q in self.store.quads_for_pattern(None, None, None, None)}
            return sorted(seen, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return self.memo("union", compute)

    # -- queries ----------------------------------------------------------------------------

    def check(self, sparql: str) -> None:
        """Refuse what would reach the network (400), before the engine sees the query."""
        refusal = guard.check(sparql, self.graphs(), max_depth=self.graph_store.max_query_depth)
        if refusal is not None:
            raise bad_request(refusal.message)

    async def query(self, sparql: str, *, substitutions: dict | None = None,
                    default_graphs: list[str] = (), named_graphs: list[str] = (),
                    name: str | None = None, client: str = "",
                    base_iri: str | None = None) -> QueryResult:
        """Run a query in an ad-hoc worker process under the time, size and concurrency
        limits; errors become ApiError.

        The worker first applies the guard (`guard.check`: SERVICE, LOAD, FROM of graphs this
        store does not hold, the nesting limit), so that even reading a large hostile text
        costs a worker, not this process; then the same execution path as the CLI's
        (`GraphStore.query`, which asks the engine whether the text uses SERVICE), with the
        protocol's dataset and the server's limits; results are not cached here (the response
        cache is in app.py).
        `client` (an address) waits for its turn when it already runs `client_queries`.
        """
        deadline = time.monotonic() + self.timeout_s
        job = ("query", {"sparql": sparql, "guard": True,
                         "substitutions": substitutions, "name": name,
                         "default_graph": list(default_graphs) or None,
                         "named_graphs": list(named_graphs) or None, "limit": self.max_results,
                         "base_iri": base_iri})
        entry = self._clients.setdefault(client, [asyncio.Semaphore(self.client_queries), 0])
        entry[1] += 1  # requests of this client, running or waiting
        try:
            try:
                await asyncio.wait_for(entry[0].acquire(), self.timeout_s)
            except (TimeoutError, asyncio.TimeoutError):
                raise timed_out(self.timeout_s) from None
            try:
                return await self._pooled(self.query_pool, job, deadline)
            finally:
                entry[0].release()
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._clients.pop(client, None)

    async def run_saved(self, name: str, params: dict[str, str]) -> QueryResult:
        """Run a saved query as `innovgraph query NAME` does (`run_saved_query`: the same
        columns and rows), in a saved-query worker process under the server's limits.

        :raises ApiError: 404 for an unknown query, 400 for a bad parameter.
        """
        job = ("saved", {"name": name, "params": dict(params), "limit": self.max_results})
        return await self._pooled(self.saved_pool, job, time.monotonic() + self.timeout_s)

    async def _pooled(self, pool: WorkerPool, job: tuple, deadline: float) -> QueryResult:
        return await self._run_async(
            lambda: pool.run(job, max(0.0, deadline - time.monotonic())))

    def start(self) -> None:
        """Start the query workers (a server about to take requests; otherwise they start on
        first use)."""
        self.query_pool.start()
        self.saved_pool.start()

    def close(self) -> None:
        """Stop the query workers and the threads (the server is stopping)."""
        self.query_pool.close()
        self.saved_pool.close()
        self.runner.close()

    async def call(self, fn: Callable[[], Any]) -> Any:
        """Run other store work (page building, dumps) in a worker under the time limit."""
        return await self._run(fn)

    async def _run(self, fn: Callable[[], Any]) -> Any:
        return await self._run_async(lambda: self.runner.run(fn, self.timeout_s))

    async def _run_async(self, start: Callable[[], Any]) -> Any:
        try:
            return await start()
        except (TimeoutError, QueryTimeout):
            raise timed_out(self.timeout_s) from None
        except ResultTooLarge:
            raise too_many_results(self.max_results) from None
        except UnknownQueryError as exc:
            raise not_found(str(exc).replace(" Run `innovgraph queries` for the list.",
                                             " GET /api/queries lists them.")) from None
        except StorageError as exc:
            raise internal_error(exc) from None
        except InnovgraphError as exc:  # syntax errors, bad parameters, refused queries
            raise bad_request(str(exc)) from None

    def run_sync(self, sparql: str, **substitutions) -> QueryResult:
        """A trusted query of the server's own (pages, VoID), run in the calling thread."""
        subs = {ox.Variable(k): v for k, v in substitutions.items()}
        return self.graph_store.query(sparql, substitutions=subs or None)

    # -- writes -----------------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None,
               using_graphs: list[str] = (), using_named_graphs: list[str] = ()) -> None:
        """Run a SPARQL Update (the caller has checked the token); `base_iri` resolves its
        relative IRIs, `using_graphs` / `using_named_graphs` (the protocol's using-graph-uri,
        using-named-graph-uri) are the dataset of its WHERE (`GraphStore.update`)."""
        self.check(sparql)
        options = {"base_iri": base_iri, "using_graphs": list(using_graphs) or None,
                   "using_named_graphs": list(using_named_graphs) or None}
        with self._write_lock:
            self._write(lambda: self.graph_store.update(sparql, **options),
                        ("update", sparql, options))

    def replace_graph(self, graph: str | None, data: bytes, fmt: ox.RdfFormat, *,
                      append: bool) -> None:
        with self._write_lock:
            self._write(lambda: self.graph_store.replace_graph(graph, data, fmt, append=append),
                        ("replace", graph, data, fmt.media_type, append))

    def delete_graph(self, graph: str | None) -> None:
        with self._write_lock:
            self._write(lambda: self.graph_store.delete_graph(graph), ("delete", graph))

    def _write(self, change: Callable[[], None], record: tuple) -> None:
        """Run one write of the store (under the write lock), log it for the query workers
        (each replays the log before its next job), then forget what was derived from the
        old content."""
        try:
            change()
        except InnovgraphError as exc:
            raise bad_request(str(exc)) from None
        self.writes.append(record)
        self._graphs = None
        self.generation += 1
