"""Server-side HTML: jinja2 templates with autoescaping on, and the IRI -> page link rules.

Every IRI under https://w3id.org/innovgraph/ links to this server's own page for it (so the
graph can be browsed locally); any other IRI links out to itself.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..namespaces import GRAPH_BASE
from ..terms import show
from .assets import asset_url

BASE = "https://w3id.org/innovgraph/"
_LOCAL_ROOTS = ("id/", "vocab/", "vocab", "ontology")


def local_path(iri: str) -> str | None:
    """The path of this server's page for an innovgraph IRI, or None for other IRIs.

    >>> local_path("https://w3id.org/innovgraph/id/city/moscow-rus")
    '/id/city/moscow-rus'
    >>> local_path("https://w3id.org/innovgraph/ontology#City")
    '/ontology#City'
    >>> local_path("https://w3id.org/innovgraph/graph/data/ttl/cities/moscow-rus")
    '/graph?graph=https%3A%2F%2Fw3id.org%2Finnovgraph%2Fgraph%2Fdata%2Fttl%2Fcities%2Fmoscow-rus'
    >>> local_path("https://example.org/x") is None
    True
    """
    if iri.startswith(GRAPH_BASE):
        return "/graph?" + urlencode({"graph": iri})
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    if not rest.startswith(_LOCAL_ROOTS):
        return None
    path, hash_, fragment = rest.partition("#")
    return "/" + quote(path, safe="/:@-._~!$&'()*+,;=") + (hash_ + quote(fragment) if hash_ else "")


def href(term) -> str | None:
    """Where a link to a term should go (None for literals and blank nodes)."""
    iri = term.value if isinstance(term, ox.NamedNode) else term if isinstance(term, str) else None
    if iri is None:
        return None
    return local_path(iri) or iri


def source_file(graph: str) -> str:
    """`https://w3id.org/innovgraph/graph/data/ttl/cities/x` -> `data/ttl/cities/x.ttl`."""
    return graph[len(GRAPH_BASE):] + ".ttl" if graph.startswith(GRAPH_BASE) else graph


TEMPLATES = Path(__file__).parent / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)
ENV.globals.update(href=href, show=show, source_file=source_file, asset=asset_url)


def render(name: str, request=None, **context) -> str:
    return ENV.get_template(name).render(request=request, **context)
