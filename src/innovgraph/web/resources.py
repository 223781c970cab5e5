"""Dereferenceable IRIs: /id/..., /vocab/..., /ontology, and the home page.

Each IRI of the graph answers with a readable HTML page for browsers and with Turtle,
JSON-LD, N-Triples or RDF/XML for machines, by Accept or by extension
(``/id/city/moscow-rus.ttl``). Unknown IRIs get 404. The description of a resource is its
symmetric concise bounded description (every triple it is the subject or object of, plus
the blank nodes it points to); an ontology or a concept scheme answers with the whole file
(named graph) that declares it, and renders as a documentation page (`pages.py` builds
what each page shows).

Pages are built inside the backend's worker pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .common import backend_of, rdf_response
from .jsonld import MEDIA_TYPE, context_text, script_json
from .errors import not_acceptable, not_found
from .negotiation import GRAPH_BY_EXTENSION, GRAPH_FORMATS, HTML, negotiate, offered
from .pages import (IG_CITY, OWL_ONTOLOGY, SKOS_CONCEPT_SCHEME, Lookup, description, home_context,
                    ontology_context, resource_context, scheme_context, schemes)
from .homemap import map_context
from .profiles import (DEFAULT_COMPARE, city_choices, city_profile, compare_context,
                       compare_slugs, person_posts, survey_context, survey_figures)
from .templates import BASE, render

IG_PERSON = ox.NamedNode("https://w3id.org/innovgraph/ontology#Person")
OWL_VERSION_IRI = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")


@dataclass
class Target:
    node: ox.NamedNode
    extension: str | None


def _resolve(look: Lookup, path: str) -> Target:
    candidates = [(path, None)]
    stem, dot, ext = path.rpartition(".")
    if dot and (ext in GRAPH_BY_EXTENSION or ext == "html"):
        candidates.append((stem, ext))
    for candidate, ext in candidates:
        try:
            node = ox.NamedNode(BASE + candidate)
        except ValueError:
            continue
        if look.known(node):
            # A version IRI (/ontology/<date>) answers with the ontology of that version.
            ontology = look.subjects(OWL_VERSION_IRI, node)
            return Target(ontology[0] if ontology else node, ext)
    raise not_found(f"No resource <{BASE}{path}> in this graph.")


async def resource(request: Request) -> Response:
    backend = backend_of(request)
    path = request.url.path.lstrip("/")
    accept = request.headers.get("accept", "")

    def build() -> Response:
        look = Lookup(backend.store)
        target = _resolve(look, path)
        if target.extension == "html":
            fmt = HTML
        elif target.extension:
            fmt = GRAPH_BY_EXTENSION[target.extension]
        else:
            fmt = negotiate(accept, [*GRAPH_FORMATS, HTML], HTML)
        if fmt is None:
            raise not_acceptable(accept, offered([*GRAPH_FORMATS, HTML]))
        if fmt is not HTML:
            return rdf_response(description(look, target.node), fmt)
        types = look.types(target.node)
        if OWL_ONTOLOGY in types:
            page = render("ontology.html", request=request, jsonld=_own(look, target.node),
                          **ontology_context(look, target.node))
        elif SKOS_CONCEPT_SCHEME in types:
            page = render("scheme.html", request=request, jsonld=_own(look, target.node),
                          **scheme_context(look, target.node))
        else:
            context = resource_context(look, target.node)
            if IG_CITY in types:  # the city profile (web/profiles.py)
                context["city"] = city_profile(look, figures(backend), target.node)
            elif IG_PERSON in types:
                context["posts"] = person_posts(look, figures(backend), target.node)
            page = render("resource.html", request=request,
                          jsonld=script_json(description(look, target.node)), **context)
        return HTMLResponse(page, headers={"Vary": "Accept"})

    return await backend.call(build)


def _own(look: Lookup, node: ox.NamedNode) -> str:
    """The page's JSON-LD for an ontology or a scheme: its own statements (the whole file, its
    RDF description, is a link away)."""
    return script_json(list({ox.Triple(q.subject, q.predicate, q.object)
                             for q in look.quads(node, None, None)}))


async def context_document(request: Request) -> Response:
    """The published JSON-LD context (web/jsonld.py), readable by any page's JSON-LD processor
    (CORS open: it is a public, static document)."""
    return Response(context_text(), media_type=MEDIA_TYPE,
                    headers={"Access-Control-Allow-Origin": "*"})


async def home(request: Request) -> Response:
    backend = backend_of(request)

    params = dict(request.query_params)

    def build() -> str:
        return render("home.html", request=request, **home_context(Lookup(backend.store), backend),
                      **map_context(backend.graph_store, backend.catalogue, params))

    return HTMLResponse(await backend.call(build))


async def vocab_index(request: Request) -> Response:
    backend = backend_of(request)

    def build() -> str:
        return render("vocab_index.html", request=request, schemes=schemes(Lookup(backend.store)))

    return HTMLResponse(await backend.call(build))


def figures(backend):
    """The survey-wide answers every city page and the survey page show, once per store state."""
    return backend.memo("survey-figures",
                        lambda: survey_figures(backend.graph_store, backend.catalogue))


def prepare(backend) -> None:
    """What the first pages after a start would otherwise compute (create_app runs it in
    the background when the server starts): the survey-wide figures (2.4 s on the shipped
    graph) and the triple count of the home page."""
    figures(backend)
    backend.triples_count()


async def compare(request: Request) -> Response:
    """/compare?city=<slug>&city=<slug>...: two to five cities side by side (400 otherwise);
    without any city, the form with two cities picked to start from."""
    backend = backend_of(request)
    asked = compare_slugs(request.query_params.getlist("city"))
    empty = "city" not in request.query_params

    def build() -> str:
        look = Lookup(backend.store)
        selected = list(asked) if not empty else [s for s in DEFAULT_COMPARE]
        context = None if empty else compare_context(look, backend.graph_store, backend.catalogue,
                                                     figures(backend), asked)
        return render("compare.html", request=request, compare=context, selected=selected,
                      choices=city_choices(look))

    return HTMLResponse(await backend.call(build))


async def survey(request: Request) -> Response:
    backend = backend_of(request)

    def build() -> str:
        return render("survey.html", request=request,
                      **survey_context(backend.graph_store, backend.catalogue, figures(backend)))

    return HTMLResponse(await backend.call(build))


routes = [
    Route("/compare", compare, methods=["GET"], name="compare"),
    Route("/survey", survey, methods=["GET"], name="survey"),
    Route("/", home, methods=["GET"], name="home"),
    Route("/context.jsonld", context_document, methods=["GET"], name="context"),
    Route("/vocab", vocab_index, methods=["GET"]),
    Route("/vocab/", vocab_index, methods=["GET"]),
    Route("/ontology", resource, methods=["GET"]),
    Route("/ontology.{ext}", resource, methods=["GET"]),
    Route("/ontology/{version}", resource, methods=["GET"]),  # owl:versionIRI, .ttl etc. too
    Route("/id/{rest:path}", resource, methods=["GET"]),
    Route("/vocab/{rest:path}", resource, methods=["GET"]),
]
