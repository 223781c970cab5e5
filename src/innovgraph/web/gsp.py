"""Graph Store Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) and dataset dumps.

Read side: ``GET /graph?default`` (the union of the asserted graphs, which is this store's default
graph) and ``GET /graph?graph=IRI`` (one source file's graph). Writes (PUT, POST, DELETE)
are refused with 403 unless the server runs with ``--allow-update`` and the request carries
the update token. Dumps of the whole dataset: ``/dump.ttl``, ``.nt``, ``.jsonld``, ``.rdf``
(the union, as triples) and ``/dump.nq``, ``/dump.trig`` (quads, graph per source file).
"""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..namespaces import PREFIXES
from ..render.results import serialize_triples
from .common import (backend_of, choose_format, content_type, one, query_pairs, read_body,
                     require_write)
from .errors import bad_request, not_found, unsupported_media_type
from .negotiation import DATASET_FORMATS, GRAPH_FORMATS, format_param

DUMPS = {f.extension: f for f in [*GRAPH_FORMATS, *DATASET_FORMATS]}
WRITE_TYPES = {f.accepts[0]: f.rdf for f in GRAPH_FORMATS}


def _target(request: Request) -> tuple[str | None, list[tuple[str, str]]]:
    pairs = query_pairs(request)
    keys = {k for k, _ in pairs}
    graph = one(pairs, "graph")
    if ("default" in keys) == (graph is not None):
        raise bad_request("Name one graph: '?default' for the default graph (the union of the "
                          "asserted graphs) or '?graph=IRI' for a named graph.")
    return graph, pairs


async def graph_get(request: Request) -> Response:
    backend = backend_of(request)
    graph, pairs = _target(request)
    requested = one(pairs, "format")
    fmt = format_param(requested, GRAPH_FORMATS)
    if requested and fmt is None:
        raise bad_request(f"Unknown format {requested!r}; use one of "
                          + ", ".join(f.key for f in GRAPH_FORMATS) + ".")
    fmt = fmt or choose_format(request, GRAPH_FORMATS)
    if graph is None:
        triples = await backend.call(backend.union_triples)
    else:
        if graph not in backend.graphs():
            raise not_found(f"No graph <{graph}> in this store; GET /sparql lists the graphs.")

        def named() -> list[ox.Triple]:
            store, _ = backend.graph_store.engine_for(graph)  # the inferred graph has its own
            quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]

        triples = await backend.call(named)
    body = await backend.call(lambda: serialize_triples(triples, fmt.key))
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


async def graph_write(request: Request) -> Response:
    backend = require_write(request)
    graph, _ = _target(request)
    if request.method == "DELETE":
        if graph is not None and graph not in backend.graphs():
            raise not_found(f"No graph <{graph}> in this store.")
        await backend.call(lambda: backend.delete_graph(graph))
        return Response(status_code=204)
    kind = content_type(request)
    if kind not in WRITE_TYPES:
        raise unsupported_media_type(kind, sorted(WRITE_TYPES))
    data = await read_body(request, request.app.state.max_upload)
    created = graph is not None and graph not in backend.graphs()
    await backend.call(lambda: backend.replace_graph(graph, data, WRITE_TYPES[kind],
                                                     append=request.method == "POST"))
    return Response(status_code=201 if created else 204)


async def dump(request: Request) -> Response:
    backend = backend_of(request)
    fmt = DUMPS.get(request.path_params["ext"])
    if fmt is None:
        raise not_found(f"No dump format .{request.path_params['ext']}; use one of "
                        + ", ".join(f"/dump.{e}" for e in DUMPS) + ".")

    def build() -> bytes:
        if fmt in DATASET_FORMATS:
            return backend.store.dump(format=fmt.rdf, prefixes=_prefixes(fmt))
        return serialize_triples(backend.union_triples(), fmt.key)

    body = await backend.call(lambda: backend.memo("dump." + fmt.extension, build))
    return Response(body, media_type=fmt.media_type, headers={
        "Content-Disposition": f'inline; filename="innovgraph.{fmt.extension}"'})


def _prefixes(fmt):
    return PREFIXES if fmt.key == "trig" else None


routes = [
    Route("/graph", graph_get, methods=["GET"]),
    Route("/graph", graph_write, methods=["PUT", "POST", "DELETE"]),
    Route("/dump.{ext}", dump, methods=["GET"]),
]
