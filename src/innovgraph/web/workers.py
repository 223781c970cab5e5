"""Queries in worker processes that the server kills at the deadline.

pyoxigraph cannot interrupt a running query (toolchain.md): a thread that runs one past its
deadline keeps its core until the query ends, for hours if it is endless. So the server's
queries run in worker processes, each with its own handle on the store (the on-disk store
opened read-only, or, for an in-memory server, its own in-memory copy, with the server's
writes replayed in order). At the deadline the server kills the worker (SIGKILL), answers 503
and starts a fresh one: an endless query costs its sender one worker for one time limit.

A pool is a fixed number of workers (its size caps how many of its queries run at once);
`Backend` keeps two: ad-hoc SPARQL, whose workers run at a lower CPU priority (nice), and
saved queries. Workers start on first use, from a forkserver that has imported this module
once, so replacing one costs milliseconds. A worker dies with the server, even in the middle
of an endless query: a watchdog thread checks every half second that the server process is
still there (pyoxigraph releases the GIL while it evaluates), and on Linux PR_SET_PDEATHSIG
kills it with the forkserver.
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .. import errors
from ..catalogue import Catalogue, run_saved_query
from ..errors import InnovgraphError, QueryCrashedError, QueryError
from ..namespaces import INFERRED_GRAPH
from ..project import Project
from ..store import GraphStore, open_store
from . import guard

# How long a fresh worker may take to open the store before a job gives up on it.
START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to open its own store: picklable, sent to the worker at start."""

    root: str
    in_memory: bool = False
    max_query_depth: int | None = None
    nice: int = 0
    server_pid: int = field(default_factory=os.getpid)  # the worker exits when it is gone


@dataclass
class _Worker:
    process: Any
    conn: Any
    applied: int = 0  # how many of the server's writes this worker's store has seen
    ready: bool = False


@dataclass
class WorkerPool:
    """`size` worker processes; `run(job, timeout)` runs a job in one of them."""

    spec: WorkerSpec
    size: int
    writes: list = field(default_factory=list)  # the server's writes, in order (shared)
    _idle: list = field(default_factory=list)
    _all: list = field(default_factory=list)  # every live worker, idle or busy
    _waiters: deque = field(default_factory=deque)
    _started: int = 0
    _closed: bool = False

    def _start_one(self) -> _Worker:
        ctx = _context()
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_serve, args=(child, self.spec), daemon=True,
                              name="innovgraph-query-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        return worker

    async def _acquire(self, deadline: float) -> _Worker:
        if self._idle:
            return self._idle.pop()
        if self._started < self.size:
            self._started += 1
            return self._start_one()
        future = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        try:
            return await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except (TimeoutError, asyncio.TimeoutError):
            if future.done() and not future.cancelled():  # handed over as the time ran out
                self._release(future.result())
            raise TimeoutError from None
        finally:
            if future in self._waiters:
                self._waiters.remove(future)

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            _kill(worker)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and put a fresh one in its place."""
        _kill(worker)
        if worker in self._all:
            self._all.remove(worker)
        if not self._closed:
            self._release(self._start_one())
        else:
            self._started -= 1

    async def run(self, job: tuple, timeout: float) -> Any:
        """The result of `job` in a worker; TimeoutError after `timeout` seconds (the worker
        is then killed and replaced), QueryCrashedError if it dies, the job's own error else."""
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        deadline = time.monotonic() + timeout
        worker = await self._acquire(deadline)
        try:
            if not worker.ready:  # a fresh worker: its start is not the query's time
                reply = await _receive(worker.conn, START_TIMEOUT_S)
                if reply[0] != "ready":
                    raise OSError(reply[1] if len(reply) > 1 else "the worker did not start")
                worker.ready = True
                deadline = max(deadline, time.monotonic() + timeout)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            writes = self.writes[worker.applied:]
            worker.conn.send((writes, job, remaining))
            reply = await _receive(worker.conn, remaining)
            worker.applied += len(writes)
        except (TimeoutError, asyncio.TimeoutError):
            self._replace(worker)
            raise TimeoutError from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise QueryCrashedError(
                "The query made the engine fail, and was stopped. Simplify it (less nesting, "
                f"fewer rows to hold) and try again ({str(exc) or 'its process exited'}).") \
                from None
        except BaseException:  # cancelled (the client went away): the worker may be mid-job
            self._replace(worker)
            raise
        self._release(worker)
        status, *rest = reply
        if status == "ok":
            return rest[0]
        if status == "error":
            raise _error(*rest)
        # A fault of this package in the worker, not of the query: a 500, logged.
        raise RuntimeError(f"query worker: {rest[0] if rest else 'unknown error'}")

    def start(self) -> None:
        """Start the workers now rather than on first use (a server about to take requests)."""
        while self._started < self.size and not self._closed:
            self._started += 1
            self._idle.append(self._start_one())

    def close(self) -> None:
        """Kill every worker (the server is stopping)."""
        self._closed = True
        for worker in self._all:
            _kill(worker)
        self._all.clear()
        self._idle.clear()
        for waiter in self._waiters:
            if not waiter.done():
                waiter.cancel()
        self._waiters.clear()


async def _receive(conn, timeout: float):
    """conn.recv() once the worker has written, without blocking the event loop meanwhile."""
    if not conn.poll():
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = conn.fileno()
        loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
        try:
            await asyncio.wait_for(readable, timeout)
        finally:
            loop.remove_reader(fd)
    return conn.recv()


def _kill(worker: _Worker) -> None:
    try:
        worker.process.kill()
    except (OSError, AttributeError, ValueError):  # already gone
        pass
    worker.conn.close()
    worker.process.join(timeout=5)


def _error(name: str, message: str) -> Exception:
    """The library error a worker reported, by class name (QueryError if unknown)."""
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, InnovgraphError):
        try:
            return cls(message)
        except TypeError:  # a class whose constructor takes more than a message
            pass
    return QueryError(message)


_CONTEXT = None


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        if sys.platform.startswith("linux") or sys.platform == "darwin":
            _CONTEXT = multiprocessing.get_context("forkserver")
            _CONTEXT.set_forkserver_preload([__name__])
        else:  # pragma: no cover - Windows has spawn only
            _CONTEXT = multiprocessing.get_context("spawn")
    return _CONTEXT


# -- inside a worker -----------------------------------------------------------------------

def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process now
        return False
    try:  # a server killed but not yet reaped is a zombie: gone all the same
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _watch(pid: int) -> None:
    while _alive(pid):
        time.sleep(0.5)
    os._exit(0)


def _serve(conn, spec: WorkerSpec) -> None:
    """A worker's life: open the store, then run jobs until the pipe closes."""
    _die_with_parent()
    threading.Thread(target=_watch, args=(spec.server_pid,), daemon=True,
                     name="innovgraph-watchdog").start()
    if spec.nice:
        try:
            os.nice(spec.nice)
        except OSError:
            pass
    try:
        project = Project(spec.root)
        store = open_store(project, in_memory=spec.in_memory)
        store.max_query_depth = spec.max_query_depth
        catalogue = Catalogue(project)
    except InnovgraphError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            writes, job, remaining = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        deadline = time.monotonic() + remaining
        for write in writes:
            try:
                _apply(store, write)
            except InnovgraphError:  # it ran on the server's store; it cannot fail here
                pass
            _GRAPHS.clear()
        try:
            reply = ("ok", _run(store, catalogue, job, deadline))
        except InnovgraphError as exc:
            reply = ("error", type(exc).__name__, str(exc))
        except Exception as exc:  # reported, not lost; the server logs it as a fault
            reply = ("fault", f"{type(exc).__name__}: {errors.one_line(exc)}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _apply(store: GraphStore, write: tuple) -> None:
    kind, *args = write
    if kind == "update":
        store.update(args[0], **(args[1] if len(args) > 1 else {}))
    elif kind == "replace":
        graph, data, media_type, append = args
        store.replace_graph(graph, data, ox.RdfFormat.from_media_type(media_type), append=append)
    elif kind == "delete":
        store.delete_graph(args[0])


_GRAPHS: set[str] = set()  # this worker's named graphs, for the guard


def _run(store: GraphStore, catalogue: Catalogue, job: tuple, deadline: float):
    kind, options = job
    if kind == "query":
        sparql = options.pop("sparql")
        if options.pop("guard", False):
            if not _GRAPHS:  # the graphs a query may name (as Backend.graphs)
                _GRAPHS.update({g.value for g in store.engine.named_graphs()} | {INFERRED_GRAPH})
            refusal = guard.check(sparql, _GRAPHS, max_depth=store.max_query_depth)
            if refusal is not None:
                raise QueryError(refusal.message)
        return store.query(sparql, deadline=deadline, cache=False, **options)
    if kind == "saved":
        return run_saved_query(store, options.pop("name"), options.pop("params"),
                               catalogue=catalogue, deadline=deadline, cache=False, **options)
    raise ValueError(f"unknown job {kind!r}")
