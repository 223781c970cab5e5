"""Saved queries as a REST API, grlc-style: the file name is the operation.

``GET /api/queries`` lists them; ``GET /api/queries/NAME?param=value`` runs one (parameters
are bound as typed RDF terms by the catalogue, never pasted into the text) and answers SPARQL
results JSON, or CSV/TSV/XML by extension (``NAME.csv``) or Accept. ``/api/openapi.json`` is
an OpenAPI 3.1 document generated from the queries' ``#+`` headers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..catalogue import TYPE_WORDS, SavedQuery
from ..render.results import serialize_results, serialize_triples
from ..version import __version__
from .common import backend_of, choose_format, query_pairs, route_url, site_url
from .errors import bad_request
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS

EXTENSIONS = {"json": "json", "csv": "csv", "tsv": "tsv", "xml": "xml"}
_SCHEMAS = {
    "iri": {"type": "string", "format": "iri"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "en": {"type": "string"},
    "literal": {"type": "string"},
}


def _describe(query: SavedQuery, request: Request) -> dict:
    url = route_url(request, "api_query", name=query.name)
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "params": [{"name": p.name, "type": p.type, "required": p.required,
                    "default": p.default, "description": p.description} for p in query.params],
        "url": url,
        "csv": url + ".csv",
    }


async def list_queries(request: Request) -> Response:
    backend = backend_of(request)
    return JSONResponse({"queries": [_describe(q, request) for q in backend.catalogue.list()]})


async def run_query(request: Request) -> Response:
    backend = backend_of(request)
    name = request.path_params["name"]
    fmt = None
    stem, dot, ext = name.rpartition(".")
    if dot and ext in EXTENSIONS:
        name = stem
        fmt = next(f for f in RESULT_FORMATS if f.key == EXTENSIONS[ext])
    params: dict[str, str] = {}
    for key, value in query_pairs(request):
        if key in params:
            raise bad_request(f"Parameter {key!r} was given twice; give it once.")
        params[key] = value
    result = await backend.run_saved(name, params)
    if result.kind == "graph":
        gfmt = choose_format(request, GRAPH_FORMATS)
        return Response(serialize_triples(result.triples, gfmt.key), media_type=gfmt.media_type,
                        headers={"Vary": "Accept"})
    fmt = fmt or choose_format(request, RESULT_FORMATS)
    return Response(serialize_results(result, fmt.key), media_type=fmt.media_type,
                    headers={"Vary": "Accept"})


def openapi(queries: list[SavedQuery], server_url: str) -> dict:
    """An OpenAPI 3.1 document: one GET operation per saved query, from its header."""
    error = {"description": "Error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}
    paths = {
        "/api/queries": {"get": {
            "operationId": "listQueries", "summary": "List the saved queries",
            "tags": ["catalogue"],
            "responses": {"200": {"description": "The saved queries",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    }
    for q in queries:
        parameters = []
        for p in q.params:
            schema = dict(_SCHEMAS[p.type])
            if p.default is not None:
                schema["default"] = p.default
            description = p.description or f"{TYPE_WORDS[p.type].capitalize()}."
            parameters.append({"name": p.name, "in": "query", "required": p.required,
                               "description": description, "schema": schema})
        description = (q.description + "\n\n" if q.description else "") + \
            "```sparql\n" + q.text.strip() + "\n```"
        paths[f"/api/queries/{q.name}"] = {"get": {
            "operationId": q.name.replace("-", "_"),
            "summary": q.summary,
            "description": description,
            "tags": list(q.tags) or ["queries"],
            "parameters": parameters,
            "responses": {
                "200": {"description": "SPARQL results",
                        "content": {"application/sparql-results+json": {"schema": {
                            "$ref": "#/components/schemas/SparqlResults"}},
                            "text/csv": {"schema": {"type": "string"}},
                            "text/tab-separated-values": {"schema": {"type": "string"}},
                            "application/sparql-results+xml": {"schema": {"type": "string"}}}},
                "400": error, "404": error, "503": error,
            },
        }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "innovgraph saved queries", "version": __version__,
                 "description": "The saved SPARQL queries of the innovgraph knowledge graph "
                                "(queries/*.rq), one operation per file. Append .csv to a "
                                "path for CSV.",
                 "license": {"name": "CC BY 4.0 (data)",
                             "url": "https://creativecommons.org/licenses/by/4.0/"}},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "status"],
                      "properties": {"error": {"type": "string"},
                                     "status": {"type": "integer"}}},
            "SparqlResults": {"type": "object", "required": ["head"],
                              "properties": {"head": {"type": "object"},
                                             "results": {"type": "object"},
                                             "boolean": {"type": "boolean"}}},
        }},
    }


async def openapi_document(request: Request) -> Response:
    backend = backend_of(request)
    server = site_url(request).rstrip("/")
    return JSONResponse(openapi(backend.catalogue.list(), server))


async def api_index(request: Request) -> Response:
    return JSONResponse({"queries": route_url(request, "api_queries"),
                         "openapi": route_url(request, "openapi")})


routes = [
    Route("/api", api_index, methods=["GET"]),
    Route("/api/queries", list_queries, methods=["GET"], name="api_queries"),
    Route("/api/queries/{name}", run_query, methods=["GET"], name="api_query"),
    Route("/api/openapi.json", openapi_document, methods=["GET"], name="openapi"),
]
