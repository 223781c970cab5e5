"""`create_app`: the Starlette application over one project's store.

One route table, built from the route modules (each exports ``routes``); the error handlers
give every failure the ``{"error", "status"}`` shape; middleware adds a response cache
(safe because the store changes only through this app, which bumps its generation) and, only
when origins are given, CORS.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Route

from ..errors import OptionError
from ..project import Project
from . import api, description, gsp, homemap, resources, sparql
from .assets import PREFIX as STATIC_PREFIX, ContentPolicy, static_app
from .common import MAX_UPLOAD
from .backend import (DEFAULT_CLIENT_QUERIES, DEFAULT_MAX_RESULTS, DEFAULT_QUERY_WORKERS,
                      DEFAULT_SAVED_WORKERS, DEFAULT_TIMEOUT_S, DEFAULT_WORKERS, Backend)
from .errors import ApiError, api_error_handler, http_error_handler, internal_error_handler

CACHE_ENTRIES = 4096
CACHE_BYTES = 64 * 1024 * 1024
CACHE_ENTRY_MAX = 4 * 1024 * 1024


class ResponseCache:
    """ASGI middleware: cache GET responses (200 and 404) keyed by request and store state.

    The key holds the path, query string, Accept header and the backend's cache key (content
    hash of the source files + write generation), so no stale answer survives a change; and,
    unless the app has a configured base URL (`vary_host=False`), the scheme and Host header,
    which the absolute URLs of VoID, OpenAPI and the service description are then built from:
    one request with a forged Host never reaches another client.
    """

    def __init__(self, app, backend: Backend, vary_host: bool = True) -> None:
        self.app = app
        self.backend = backend
        self.vary_host = vary_host
        self.entries: OrderedDict[tuple, tuple[dict, bytes]] = OrderedDict()
        self.size = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" \
                or scope["path"].startswith(STATIC_PREFIX):  # files: cached by browsers, gzipped
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"no-cache" in headers.get(b"cache-control", b""):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], headers.get(b"accept", b""),
               self.backend.cache_key())
        if self.vary_host:
            key += (scope.get("scheme", "http"), headers.get(b"host", b""))
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            start, body = hit
            # A fresh message each time: outer middleware (CORS) edits the headers in place.
            await send({**start, "headers": list(start["headers"])})
            await send({"type": "http.response.body", "body": body})
            return
        captured: dict = {"start": None, "chunks": [], "ok": True}

        async def capture(message) -> None:
            if message["type"] == "http.response.start":
                captured["start"] = {**message, "headers": list(message.get("headers", []))}
                captured["ok"] = message["status"] in (200, 404)
            elif message["type"] == "http.response.body" and captured["ok"]:
                captured["chunks"].append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(key, captured["start"], b"".join(captured["chunks"]))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key, start, body: bytes) -> None:
        if start is None or len(body) > CACHE_ENTRY_MAX:
            return
        self.entries[key] = (start, body)
        self.size += len(body)
        while len(self.entries) > CACHE_ENTRIES or self.size > CACHE_BYTES:
            _, (_, old) = self.entries.popitem(last=False)
            self.size -= len(old)


def create_app(project: Project | str | os.PathLike[str] | None = None, *,
               allow_update: bool = False, update_token: str | None = None,
               cors_origins: tuple[str, ...] | list[str] = (),
               timeout_s: float = DEFAULT_TIMEOUT_S, max_results: int = DEFAULT_MAX_RESULTS,
               workers: int = DEFAULT_WORKERS, cache: bool = True,
               in_memory: bool = False, base_url: str | None = None,
               max_upload: int = MAX_UPLOAD, query_workers: int = DEFAULT_QUERY_WORKERS,
               saved_workers: int = DEFAULT_SAVED_WORKERS,
               client_queries: int = DEFAULT_CLIENT_QUERIES,
               max_query_depth: int | None = None) -> Starlette:
    """The web application for a project (the checkout this package runs from by default).

    Read-only unless `allow_update` is set, and then only for requests carrying
    ``Authorization: Bearer <update_token>``. CORS is off unless `cors_origins` are given.
    `in_memory` loads the graph into memory instead of reading the on-disk store (faster
    queries, slower start); an updatable server always works in memory. `base_url` is the
    public URL the server is reached at (``https://example.org/innovgraph``): the absolute URLs
    of VoID, the service description and OpenAPI are built from it instead of from the
    request's Host header. `max_upload` bounds a Graph Store Protocol write body (bytes; a
    query or update body is bounded to 1 MB).

    Client queries run in worker processes killed at the time limit (`innovgraph.web.backend`):
    `query_workers` for ad-hoc SPARQL (at most that many run at once, `client_queries` per
    client address), `saved_workers` for saved queries; `workers` threads do the server's own
    work (pages, dumps). `max_query_depth` is the nesting limit of queries (default 128, or
    $INNOVGRAPH_MAX_QUERY_DEPTH).

    :raises ValueError: `allow_update` without an `update_token`.
    :raises OptionError: a `base_url` that is not an absolute http(s) URL.
    """
    if allow_update and not update_token:
        raise ValueError("allow_update needs an update_token: updates are never open to all.")
    if timeout_s <= 0 or max_results < 1:
        raise ValueError("timeout_s must be > 0 and max_results >= 1.")
    base_url = _check_base_url(base_url)
    project = project if isinstance(project, Project) else Project(project)
    backend = Backend(project, writable=allow_update, in_memory=in_memory, timeout_s=timeout_s,
                      max_results=max_results, workers=workers, query_workers=query_workers,
                      saved_workers=saved_workers, client_queries=client_queries,
                      max_query_depth=max_query_depth)
    middleware = [Middleware(ContentPolicy)]  # pages load only from this origin
    if cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors_origins),
                                     allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                                     allow_headers=["Accept", "Content-Type", "Authorization"]))
    if cache:
        middleware.append(Middleware(ResponseCache, backend=backend, vary_host=base_url is None))
    routes: list[Route | Mount] = [*sparql.routes, *gsp.routes, *api.routes, *description.routes,
                                   *resources.routes, *homemap.routes,
                                   Mount(STATIC_PREFIX.rstrip("/"), app=static_app(), name="static")]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        backend.start()
        backend.prepare(lambda: resources.prepare(backend))
        yield
        backend.close()

    app = Starlette(
        routes=routes, middleware=middleware, lifespan=lifespan,
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler,
                            Exception: internal_error_handler},
    )
    app.state.backend = backend
    app.state.update_token = update_token
    app.state.base_url = base_url
    app.state.max_upload = max_upload
    return app


def _check_base_url(base_url: str | None) -> str | None:
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment or any(ch in base_url for ch in " \t\r\n<>\"{}|\\^`"):
        raise OptionError(f"The base URL must be an absolute http(s) URL without query or "
                          f"fragment, such as https://example.org/innovgraph; got {base_url!r}.")
    return base_url.rstrip("/")
