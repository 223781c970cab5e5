"""Other triple stores: choose where queries run, and load the project's graph into them.

`open_backend` gives the embedded store, or a `RemoteStore` (a SPARQL endpoint) when one is
given or configured (`config`). Both have the same surface (`query(text, substitutions=...,
name=...)`, `triples_count()`, `graphs()`, `project`), so saved queries and `stats` run
unchanged on either. `load_remote` (`load`) uploads the graph, all or nothing.

The HTTP client (`client`, httpx) is imported only when a remote store is wanted, so the
embedded path never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import EndpointError, require_extra
from ..namespaces import DEFAULT_GRAPH
from ..project import Project
from ..store import open_store
from .config import EndpointConfig, endpoint_configured, resolve_endpoint
from .load import LoadReport, load_remote

if TYPE_CHECKING:
    from .client import Backend, RemoteStore


def open_backend(project: Project, endpoint: str | None = None, *,
                 graph: str | None = None) -> Backend:
    """The embedded store, unless an endpoint is given or configured (see `innovgraph.remote.config`).

    >>> import tempfile
    >>> type(open_backend(Project(tempfile.mkdtemp()))).__name__  # no endpoint configured there
    'GraphStore'

    :raises EndpointError: a configured endpoint URL or config file is unusable.
    """
    config = resolve_endpoint(project, endpoint, graph=graph)
    if config is None:
        return open_store(project)
    return _client().RemoteStore(config, project=project)


def open_remote(project: Project, endpoint: str | None = None, **settings) -> RemoteStore:
    """A RemoteStore, for operations that only make sense remotely (`innovgraph load`).

    :raises EndpointError: no endpoint given or configured, or it is unusable.
    """
    config = resolve_endpoint(project, endpoint, **settings)
    if config is None:
        raise EndpointError("No SPARQL endpoint: pass --endpoint URL, set INNOVGRAPH_ENDPOINT, "
                            "or add an [endpoint] table to innovgraph.toml.")
    return _client().RemoteStore(config, project=project)


def _client():
    require_extra("remote", "A SPARQL endpoint (innovgraph --endpoint, load)")
    from . import client  # httpx (about 70 ms): only once a remote store is wanted

    return client


def __getattr__(name: str):
    # RemoteStore and Backend live in `client`; importing them from here loads httpx then.
    if name in ("RemoteStore", "Backend"):
        return getattr(_client(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Backend", "DEFAULT_GRAPH", "EndpointConfig", "LoadReport", "RemoteStore",
           "endpoint_configured", "load_remote", "open_backend", "open_remote", "resolve_endpoint"]
