"""The SPARQL 1.1 Protocol endpoint at /sparql (https://www.w3.org/TR/sparql11-protocol/).

One handler for GET and POST, as in Oxigraph's server and rdflib-endpoint: POST is
dispatched on Content-Type (form, ``application/sparql-query``, ``application/sparql-update``,
else 415). A GET with no query is answered with the service description (or the query page
for a browser); a POST with neither query nor update is a 400. The protocol's dataset
(default-graph-uri, named-graph-uri; using-graph-uri, using-named-graph-uri for an update)
replaces the text's own; a graph the store does not hold is an empty graph. Relative IRIs
resolve against the endpoint's URL. SELECT/ASK results and graphs are negotiated against
separate format tables (406 when nothing offered is acceptable); a non-standard ``format``
parameter (json, xml, csv, tsv, ttl, nt, jsonld, rdf, html) overrides Accept, for links and
browsers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..namespaces import DEFAULT_PREFIXES
from ..render.results import serialize_results
from ..store import QueryResult
from .common import (backend_of, choose_format, content_type, form_pairs, one, query_pairs,
                     read_text, require_write, route_url)
from .description import service_description
from .errors import ApiError, bad_request, unsupported_media_type
from .jsonld import graph_body
from .negotiation import GRAPH_FORMATS, HTML, RESULT_FORMATS, format_param, prefers_html
from .templates import render

QUERY_TYPES = ["application/x-www-form-urlencoded", "application/sparql-query"]
UPDATE_TYPES = ["application/x-www-form-urlencoded", "application/sparql-update"]


async def endpoint(request: Request) -> Response:
    backend = backend_of(request)
    url_pairs = query_pairs(request)
    pairs = list(url_pairs)
    query = update = None
    if request.method == "POST":
        kind = content_type(request)
        if kind == "application/x-www-form-urlencoded":
            pairs += await form_pairs(request)
        elif kind == "application/sparql-query":
            query = await read_text(request)
        elif kind == "application/sparql-update":
            update = await read_text(request)
        else:
            raise unsupported_media_type(kind, sorted(set(QUERY_TYPES + UPDATE_TYPES)))
    query = query if query is not None else one(pairs, "query")
    update = update if update is not None else one(pairs, "update")
    if update is not None:
        if request.method != "POST":
            raise bad_request("SPARQL Update must be sent with POST.")
        if query is not None:
            raise bad_request("Send either 'query' or 'update', not both.")
        return await _update(request, update, pairs)
    if query is None:
        if request.method == "POST":
            raise bad_request("A POST to /sparql must carry a 'query' or an 'update'; GET "
                              "/sparql without a query gives the service description.")
        return await _description(request, pairs)
    default_graphs = [v for k, v in pairs if k == "default-graph-uri"]
    named_graphs = [v for k, v in pairs if k == "named-graph-uri"]
    try:
        if not query.strip():
            raise bad_request("The 'query' parameter is empty.")
        # A graph the store does not hold is an empty graph (the protocol), never fetched.
        result = await backend.query(query, default_graphs=default_graphs,
                                     named_graphs=named_graphs, base_iri=base_iri(request),
                                     client=request.client.host if request.client else "")
    except ApiError as exc:
        if not _wants_page(request, pairs):
            raise
        # The form again, with the query as sent and the error's one line (its status).
        return HTMLResponse(_page(request, query=query, error=exc),
                            status_code=exc.status, headers={**exc.headers, "Vary": "Accept"})
    return _answer(request, pairs, query, result)


def _wants_page(request: Request, pairs) -> bool:
    """A browser's request (HTML ranked first) or ``format=html``, unless ``format`` asks for
    another format."""
    value = _format_value(pairs)
    if value:
        return format_param(value, [HTML]) is HTML
    return prefers_html(request.headers.get("accept", ""))


def _answer(request: Request, pairs, query: str, result: QueryResult) -> Response:
    if result.kind == "graph":
        formats, default = [*GRAPH_FORMATS, HTML], GRAPH_FORMATS[0]
    else:
        formats, default = [*RESULT_FORMATS, HTML], RESULT_FORMATS[0]
    fmt = format_param(_format_value(pairs), formats) or choose_format(request, formats, default)
    if fmt is HTML:
        return HTMLResponse(_page(request, query=query, result=result), headers={"Vary": "Accept"})
    if result.kind == "graph":
        body = graph_body(result.triples, fmt.key)  # (JSON-LD compacted: web/jsonld.py)
    else:
        body = serialize_results(result, fmt.key)
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def base_iri(request: Request) -> str:
    """The base IRI of relative IRIs in a query or an update: the endpoint's own URL (as
    Oxigraph's server; the protocol says it MAY be the service endpoint), under
    ``--base-url`` when given (docs/server.md)."""
    return route_url(request, "sparql")


def _format_value(pairs) -> str | None:
    """The ``format`` hint, when given once with a value this endpoint knows.

    It is a hint, not a contract: SPARQLWrapper sends ``format`` (and ``output``) itself,
    sometimes twice with different spellings or for formats that do not fit the result, and
    Accept then decides.
    """
    values = {v for k, v in pairs if k == "format"}
    return values.pop() if len(values) == 1 else None


async def _update(request: Request, update: str, pairs) -> Response:
    backend = require_write(request)
    if not update.strip():
        raise bad_request("The 'update' parameter is empty.")
    base = base_iri(request)
    # The protocol's dataset of the update's WHERE; an unknown graph is empty, never fetched.
    using = [v for k, v in pairs if k == "using-graph-uri"]
    using_named = [v for k, v in pairs if k == "using-named-graph-uri"]
    await backend.call(lambda: backend.update(update, base_iri=base, using_graphs=using,
                                              using_named_graphs=using_named))
    return Response(status_code=204)


async def _description(request: Request, pairs) -> Response:
    formats = [*GRAPH_FORMATS, HTML]
    fmt = format_param(_format_value(pairs), formats) \
        or choose_format(request, formats, GRAPH_FORMATS[0])
    if fmt is HTML:
        example = one(pairs, "example")
        return HTMLResponse(_page(request, example=example), headers={"Vary": "Accept"})
    backend = backend_of(request)
    graph = await backend.call(lambda: service_description(request, backend))
    return Response(graph.serialize(format={"turtle": "turtle", "ntriples": "nt",
                                            "jsonld": "json-ld", "rdfxml": "xml"}[fmt.key],
                                    encoding="utf-8"),
                    media_type=fmt.media_type, headers={"Vary": "Accept"})


def _page(request: Request, *, query: str | None = None, result: QueryResult | None = None,
          example: str | None = None, error: ApiError | None = None) -> str:
    backend = backend_of(request)
    examples = backend.catalogue.list()
    text = query
    if text is None and example:
        chosen = next((q for q in examples if q.name == example), None)
        text = chosen.text if chosen else None
    if text is None:
        text = DEFAULT_QUERY
    return render("query.html", request=request, query=text, result=result, examples=examples,
                  formats=[f for f in RESULT_FORMATS] + [f for f in GRAPH_FORMATS],
                  prefixes=DEFAULT_PREFIXES, error=error.message if error else None,
                  status=error.status if error else None)


DEFAULT_QUERY = """PREFIX ig: <https://w3id.org/innovgraph/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?city ?name WHERE {
  ?city a ig:City ; schema:name ?name .
} ORDER BY ?name
"""

routes = [Route("/sparql", endpoint, methods=["GET", "POST"], name="sparql")]
