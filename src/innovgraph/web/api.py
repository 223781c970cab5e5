"""Saved queries as a REST API, grlc-style: the file name is the operation.

``GET /api/queries`` lists them; ``GET /api/queries/NAME?param=value`` runs one (parameters
are bound as typed RDF terms by the catalogue, never pasted into the text) and answers SPARQL
results JSON, or CSV/TSV/XML by extension (``NAME.csv``) or Accept. ``/api/openapi.json`` is
an OpenAPI 3.1 document generated from the queries' ``#+`` headers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..catalogue import TYPE_WORDS, SavedQuery
from ..lexer import tokens
from ..render.results import serialize_results
from ..version import __version__
from .common import backend_of, choose_format, query_pairs, route_url, site_url
from .errors import bad_request
from .jsonld import graph_body
from .negotiation import GRAPH_FORMATS, HTML, RESULT_FORMATS, Format, negotiate, offered
from .templates import render

EXTENSIONS = {"json": "json", "csv": "csv", "tsv": "tsv", "xml": "xml"}
JSON_INDEX = Format("json", "application/json", ("application/json",), "json")
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
        return Response(graph_body(result.triples, gfmt.key), media_type=gfmt.media_type,
                        headers={"Vary": "Accept"})
    fmt = fmt or choose_format(request, RESULT_FORMATS)
    return Response(serialize_results(result, fmt.key), media_type=fmt.media_type,
                    headers={"Vary": "Accept"})


def _typed(kind: str, value: str):
    """A parameter's default as its JSON Schema type has it (a boolean as true or false)."""
    try:
        if kind == "integer":
            return int(value)
        if kind == "decimal":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return value.strip().lower() in ("true", "1")
    return value


def query_form(text: str) -> str:
    """What a query answers: "graph" (CONSTRUCT, DESCRIBE), "ask" or "select".

    >>> query_form("PREFIX x: <urn:x:> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'graph'
    >>> query_form("ASK { ?s <urn:x:p> 'SELECT' }")
    'ask'
    """
    for tok in tokens(text):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word in ("CONSTRUCT", "DESCRIBE"):
            return "graph"
        if word in ("ASK", "SELECT"):
            return word.lower()
    return "select"


def answer_content(form: str) -> dict:
    """The OpenAPI `content` of a successful answer: every media type `run_query` negotiates
    for that kind of query (the same format tables), with a schema for the JSON ones."""
    if form == "graph":
        return {media: {"schema": {"type": "object"} if media == "application/ld+json"
                        else {"type": "string"}} for media in offered(GRAPH_FORMATS)}
    return {media: {"schema": {"$ref": "#/components/schemas/SparqlResults"}
                    if media == "application/sparql-results+json" else {"type": "string"}}
            for media in offered(RESULT_FORMATS)}


def openapi(queries: list[SavedQuery], server_url: str) -> dict:
    """An OpenAPI 3.1 document: one GET operation per saved query, from its header, with the
    media types each answers (results formats for SELECT and ASK, RDF formats for CONSTRUCT
    and DESCRIBE; errors as JSON, or as a page for a browser)."""
    error = {"description": "Error", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
        "text/html": {"schema": {"type": "string"}}}}
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
                schema["default"] = _typed(p.type, p.default)
            description = p.description or f"{TYPE_WORDS[p.type].capitalize()}."
            parameters.append({"name": p.name, "in": "query", "required": p.required,
                               "description": description, "schema": schema})
        form = query_form(q.text)
        description = (q.description + "\n\n" if q.description else "") + \
            "```sparql\n" + q.text.strip() + "\n```"
        paths[f"/api/queries/{q.name}"] = {"get": {
            "operationId": q.name.replace("-", "_"),
            "summary": q.summary,
            "description": description,
            "tags": list(q.tags) or ["queries"],
            "parameters": parameters,
            "responses": {
                "200": {"description": "An RDF graph" if form == "graph" else "SPARQL results",
                        "content": answer_content(form)},
                "400": error, "404": error, "406": error, "503": error,
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
    """For a browser (HTML ranked first) the API's documentation page (Swagger UI over the
    OpenAPI document); for others the links to the list and the document, in JSON."""
    if negotiate(request.headers.get("accept", ""), [JSON_INDEX, HTML], JSON_INDEX) is HTML:
        return HTMLResponse(render("api.html", request=request,
                                   openapi=request.app.url_path_for("openapi"),
                                   queries=backend_of(request).catalogue.list()),
                            headers={"Vary": "Accept"})
    return JSONResponse({"queries": route_url(request, "api_queries"),
                         "openapi": route_url(request, "openapi")}, headers={"Vary": "Accept"})


routes = [
    Route("/api", api_index, methods=["GET"]),
    Route("/api/queries", list_queries, methods=["GET"], name="api_queries"),
    Route("/api/queries/{name}", run_query, methods=["GET"], name="api_query"),
    Route("/api/openapi.json", openapi_document, methods=["GET"], name="openapi"),
]
