"""The SPARQL 1.1 Protocol endpoint at /sparql (https://www.w3.org/TR/sparql11-protocol/).

One handler for GET and POST, as in Oxigraph's server and rdflib-endpoint: POST is
dispatched on Content-Type (form, ``application/sparql-query``, ``application/sparql-update``,
else 415). With no query, the answer is the service description (or the query page for a
browser). SELECT/ASK results and graphs are negotiated against separate format tables; a
non-standard ``format`` parameter (json, xml, csv, tsv, ttl, nt, jsonld, rdf, html) overrides
Accept, for links and browsers.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..store import QueryResult
from .common import (backend_of, content_type, form_pairs, one, query_pairs, read_text,
                     require_write)
from .errors import bad_request, unsupported_media_type
from .negotiation import GRAPH_FORMATS, HTML, RESULT_FORMATS, format_param, negotiate
from .results import serialize_results, serialize_triples
from .templates import render

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

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
        return await _update(request, update)
    if query is None:
        return await _description(request, pairs)
    if not query.strip():
        raise bad_request("The 'query' parameter is empty.")
    default_graphs = [v for k, v in pairs if k == "default-graph-uri"]
    named_graphs = [v for k, v in pairs if k == "named-graph-uri"]
    for graph in default_graphs + named_graphs:
        if graph not in backend.graphs():
            raise bad_request(f"Graph <{graph}> is not a graph of this store, and this endpoint "
                              "never fetches from the network.")
    backend.check(query)
    result = await backend.query(query, default_graphs=default_graphs, named_graphs=named_graphs)
    return _answer(request, pairs, query, result)


def _answer(request: Request, pairs, query: str, result: QueryResult) -> Response:
    accept = request.headers.get("accept", "")
    if result.kind == "graph":
        formats, default = [*GRAPH_FORMATS, HTML], GRAPH_FORMATS[0]
    else:
        formats, default = [*RESULT_FORMATS, HTML], RESULT_FORMATS[0]
    fmt = format_param(_format_value(pairs), formats)
    fmt = fmt or negotiate(accept, formats, default) or default
    if fmt is HTML:
        return HTMLResponse(_page(request, query=query, result=result))
    if result.kind == "graph":
        body = serialize_triples(result.triples, fmt)
    else:
        body = serialize_results(result, fmt)
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def _format_value(pairs) -> str | None:
    """The ``format`` hint, when given once with a value this endpoint knows.

    It is a hint, not a contract: SPARQLWrapper sends ``format`` (and ``output``) itself,
    sometimes twice with different spellings or for formats that do not fit the result, and
    Accept then decides.
    """
    values = {v for k, v in pairs if k == "format"}
    return values.pop() if len(values) == 1 else None


async def _update(request: Request, update: str) -> Response:
    backend = require_write(request)
    if not update.strip():
        raise bad_request("The 'update' parameter is empty.")
    await backend.call(lambda: backend.update(update))
    return Response(status_code=204)


async def _description(request: Request, pairs) -> Response:
    accept = request.headers.get("accept", "")
    requested = format_param(_format_value(pairs), [*GRAPH_FORMATS, HTML])
    fmt = requested or negotiate(accept, [*GRAPH_FORMATS, HTML], GRAPH_FORMATS[0]) \
        or GRAPH_FORMATS[0]
    if fmt is HTML:
        example = one(pairs, "example")
        return HTMLResponse(_page(request, example=example))
    backend = backend_of(request)
    graph = await backend.call(lambda: service_description(request, backend))
    return Response(graph.serialize(format={"turtle": "turtle", "ntriples": "nt",
                                            "jsonld": "json-ld", "rdfxml": "xml"}[fmt.key],
                                    encoding="utf-8"),
                    media_type=fmt.media_type, headers={"Vary": "Accept"})


def endpoint_url(request: Request) -> str:
    return str(request.url_for("sparql"))


def graph_sizes(backend) -> dict[str, int]:
    """Triples per named graph, computed once per store state."""
    def compute() -> dict[str, int]:
        rows = backend.run_sync(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        return {g.value: int(n.value) for g, n in rows}

    return backend.memo("graph_sizes", compute)


def service_description(request: Request, backend) -> Graph:
    """An sd:Service (https://www.w3.org/TR/sparql11-service-description/) for this endpoint."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint_url(request))
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if backend.writable:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    total = backend.triples_count()
    g.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    for iri, size in sorted(graph_sizes(backend).items()):
        named, inner = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(size, datatype=XSD.integer)))
    return g


def _page(request: Request, *, query: str | None = None, result: QueryResult | None = None,
          example: str | None = None) -> str:
    backend = backend_of(request)
    examples = backend.catalogue.list()
    text = query
    if text is None and example:
        chosen = next((q for q in examples if q.name == example), None)
        text = chosen.text if chosen else None
    if text is None:
        text = DEFAULT_QUERY
    return render("query.html", request=request, query=text, result=result, examples=examples,
                  formats=[f for f in RESULT_FORMATS] + [f for f in GRAPH_FORMATS])


DEFAULT_QUERY = """PREFIX ig: <https://w3id.org/innovgraph/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?city ?name WHERE {
  ?city a ig:City ; schema:name ?name .
} ORDER BY ?name
"""

routes = [Route("/sparql", endpoint, methods=["GET", "POST"], name="sparql")]
