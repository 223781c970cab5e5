"""Choose where queries run: the embedded store, or a SPARQL endpoint when one is configured.

Both backends have the same surface (`query(text, substitutions=..., name=...)`,
`triples_count()`, `graphs()`, `project`), so saved queries, `stats` and validation run
unchanged on either.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from .project import Project
from .remote import EndpointConfig, RemoteStore, resolve_endpoint
from .store import GraphStore, open_store
from .validation import ValidationReport, Severity, validate, validate_graph

Backend = GraphStore | RemoteStore


def open_backend(project: Project, endpoint: str | None = None, *,
                 graph: str | None = None) -> Backend:
    """The embedded store, unless an endpoint is given or configured (see `innovgraph.remote`).

    :raises EndpointError: a configured endpoint URL or config file is unusable.
    """
    config = resolve_endpoint(project, endpoint, graph=graph)
    if config is None:
        return open_store(project)
    return RemoteStore(config, project=project)


def open_remote(project: Project, endpoint: str | None = None, **settings) -> RemoteStore:
    """A RemoteStore, for operations that only make sense remotely (`innovgraph load`).

    :raises EndpointError: no endpoint given or configured, or it is unusable.
    """
    config = resolve_endpoint(project, endpoint, **settings)
    if config is None:
        from .errors import EndpointError
        raise EndpointError("No SPARQL endpoint: pass --endpoint URL, set INNOVGRAPH_ENDPOINT, "
                            "or add an [endpoint] table to innovgraph.toml.")
    return RemoteStore(config, project=project)


def remote_graph(store: RemoteStore) -> Graph:
    """The store's graph as an rdflib Graph (GSP GET or CONSTRUCT), checked against COUNT.

    :raises EndpointError: the download failed or came back short (a truncated result).
    """
    triples = store.fetch_graph()
    expected = store.count()
    if len(set(triples)) != expected:
        from .errors import EndpointError
        raise EndpointError(f"Downloaded {len(set(triples))} triples of <{store.config.graph}> "
                            f"from {store.config.url}, but it holds {expected}: the result was cut short.")
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate_backend(backend: Backend, *, severity_threshold: Severity | str = Severity.VIOLATION
                     ) -> ValidationReport:
    """SHACL-validate what a backend holds: the project files, or the remote graph."""
    if isinstance(backend, RemoteStore):
        where = f"{backend.config.url} <{backend.config.graph}>"
        return validate_graph(backend.project, remote_graph(backend), sources=[],
                              shown=[where], severity_threshold=severity_threshold)
    return validate(backend.project, severity_threshold=severity_threshold)


__all__ = ["Backend", "EndpointConfig", "open_backend", "open_remote", "remote_graph",
           "validate_backend"]
