"""Graph Store Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) and dataset dumps.

Read side: ``GET /graph?default`` (the union of the asserted graphs, which is this store's default
graph) and ``GET /graph?graph=IRI`` (one source file's graph). Writes (PUT, POST, DELETE)
are refused with 403 unless the server runs with ``--allow-update`` and the request carries
the update token; a POST to ``/graph`` itself creates a graph (201, its IRI in ``Location``),
and a POST may send ``multipart/form-data``, one RDF document per part, all added at once.
Dumps of the whole dataset: ``/dump.ttl``, ``.nt``, ``.jsonld``, ``.rdf`` (the union, as
triples) and ``/dump.nq``, ``/dump.trig`` (quads, graph per source file).
"""

from __future__ import annotations

import uuid
from email.parser import BytesParser
from email.policy import HTTP

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import GraphSyntaxError
from ..namespaces import GRAPH_BASE, PREFIXES
from ..store.checks import check_rdf_input
from .common import (backend_of, choose_format, content_type, one, query_pairs, read_body,
                     require_write)
from .errors import bad_request, not_found, unsupported_media_type
from .jsonld import graph_body
from .negotiation import DATASET_FORMATS, GRAPH_BY_EXTENSION, GRAPH_FORMATS, format_param

DUMPS = {f.extension: f for f in [*GRAPH_FORMATS, *DATASET_FORMATS]}
WRITE_TYPES = {f.accepts[0]: f.rdf for f in GRAPH_FORMATS}
MULTIPART = "multipart/form-data"
# Graphs created by a POST to /graph (the Graph Store Protocol's graph creation).
POSTED_GRAPHS = GRAPH_BASE + "posted/"


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
    body = await backend.call(lambda: graph_body(triples, fmt.key))
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


async def graph_write(request: Request) -> Response:
    backend = require_write(request)
    pairs = query_pairs(request)
    new = request.method == "POST" and not pairs  # POST /graph: a new graph
    graph = POSTED_GRAPHS + uuid.uuid4().hex if new else _target(request)[0]
    if request.method == "DELETE":
        if graph is not None and graph not in backend.graphs():
            raise not_found(f"No graph <{graph}> in this store.")
        await backend.call(lambda: backend.delete_graph(graph))
        return Response(status_code=204)
    kind = content_type(request)
    multipart = kind == MULTIPART and request.method == "POST"
    if not multipart and kind not in WRITE_TYPES:
        raise unsupported_media_type(kind, sorted(WRITE_TYPES) + (
            [MULTIPART + " (POST)"] if request.method == "POST" else []))
    data = await read_body(request, request.app.state.max_upload)  # (multipart: all parts)
    if multipart:  # every part's triples, as one N-Triples document: added at once
        data, fmt = _parts(request.headers.get("content-type", ""), data), ox.RdfFormat.N_TRIPLES
    else:
        fmt = WRITE_TYPES[kind]
    created = graph is not None and graph not in backend.graphs()
    await backend.call(lambda: backend.replace_graph(graph, data, fmt,
                                                     append=request.method == "POST"))
    return Response(status_code=201 if created else 204,
                    headers={"Location": graph} if new else None)


def _parts(header: str, body: bytes) -> bytes:
    """The triples of every part of a multipart/form-data body, as N-Triples (each part's
    blank nodes its own). A part's format is its Content-Type, else its file name's extension
    (.ttl, .nt, .jsonld, .rdf); each is checked as a single upload is (`check_rdf_input`)."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + header.encode("latin-1") + b"\r\n\r\n" + body)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if not parts:
        raise bad_request("The multipart/form-data body has no parts (or no boundary).")
    triples = []
    for part in parts:
        name = part.get_filename() or part.get_param("name", header="content-disposition") or "?"
        kind = part.get_content_type() if part.get("content-type") else ""
        fmt = WRITE_TYPES.get(kind)
        if fmt is None:
            by_name = GRAPH_BY_EXTENSION.get(str(name).rpartition(".")[2])
            fmt = by_name.rdf if by_name is not None and not kind else None
        if fmt is None:
            raise unsupported_media_type(kind, sorted(WRITE_TYPES))
        data = part.get_payload(decode=True) or b""
        try:
            check_rdf_input(data, fmt)
            triples += ox.parse(data, format=fmt, rename_blank_nodes=True)
        except (SyntaxError, GraphSyntaxError) as exc:
            raise bad_request(f"Part {name!r} of the multipart body: {exc}") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


async def dump(request: Request) -> Response:
    backend = backend_of(request)
    fmt = DUMPS.get(request.path_params["ext"])
    if fmt is None:
        raise not_found(f"No dump format .{request.path_params['ext']}; use one of "
                        + ", ".join(f"/dump.{e}" for e in DUMPS) + ".")

    def build() -> bytes:
        if fmt in DATASET_FORMATS:
            return backend.store.dump(format=fmt.rdf, prefixes=_prefixes(fmt))
        return graph_body(backend.union_triples(), fmt.key)

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
