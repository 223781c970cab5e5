"""Content negotiation: the Accept header (or a file extension) picks a format from a table.

Tables are per kind of answer, as in rdflib-endpoint: SELECT/ASK results and RDF graphs
share some media types (``application/json`` is SPARQL JSON for a SELECT and JSON-LD for a
CONSTRUCT; ``application/xml`` is SPARQL XML or RDF/XML), so each kind has its own table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    key: str
    media_type: str  # what the response says it is
    accepts: tuple[str, ...]  # media types a client may ask for it by
    extension: str
    rdf: ox.RdfFormat | None = None


HTML = Format("html", "text/html; charset=utf-8", ("text/html", "application/xhtml+xml"), "html")

RESULT_FORMATS = [
    Format("json", "application/sparql-results+json",
           ("application/sparql-results+json", "application/json", "text/javascript",
            "application/javascript"), "srj"),
    Format("xml", "application/sparql-results+xml",
           ("application/sparql-results+xml", "application/xml", "text/xml"), "srx"),
    Format("csv", "text/csv; charset=utf-8", ("text/csv",), "csv"),
    Format("tsv", "text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",), "tsv"),
]

GRAPH_FORMATS = [
    Format("turtle", "text/turtle; charset=utf-8",
           ("text/turtle", "application/turtle", "application/x-turtle"), "ttl",
           ox.RdfFormat.TURTLE),
    Format("ntriples", "application/n-triples", ("application/n-triples", "text/plain"), "nt",
           ox.RdfFormat.N_TRIPLES),
    Format("jsonld", "application/ld+json", ("application/ld+json", "application/json"), "jsonld",
           ox.RdfFormat.JSON_LD),
    Format("rdfxml", "application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml"),
           "rdf", ox.RdfFormat.RDF_XML),
]

DATASET_FORMATS = [
    Format("nquads", "application/n-quads", ("application/n-quads",), "nq", ox.RdfFormat.N_QUADS),
    Format("trig", "application/trig", ("application/trig",), "trig", ox.RdfFormat.TRIG),
]

GRAPH_BY_EXTENSION = {f.extension: f for f in GRAPH_FORMATS}
# Convenience names for the non-standard ?format= parameter of /sparql and /api.
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "rdf": "rdfxml", "json-ld": "jsonld",
                  "srj": "json", "srx": "xml"}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal q).

    >>> parse_accept("text/html;q=0.5, text/turtle, */*;q=0.1")
    [('text/turtle', 1.0), ('text/html', 0.5), ('*/*', 0.1)]
    >>> parse_accept("")
    []
    """
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((media, q, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, q) for media, q, _ in ranges]


def negotiate(header: str, formats: list[Format], default: Format | None = None) -> Format | None:
    """The best format of `formats` for an Accept header.

    An empty header or ``*/*`` gives `default` (the first format when not given); nothing
    acceptable gives None, so the caller decides between 406 and a fallback.

    >>> negotiate("application/json", RESULT_FORMATS).key
    'json'
    >>> negotiate("application/json", GRAPH_FORMATS).key
    'jsonld'
    >>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", [HTML, *GRAPH_FORMATS]).key
    'html'
    >>> negotiate("image/png", GRAPH_FORMATS) is None
    True
    """
    default = default or formats[0]
    ranges = parse_accept(header)
    if not ranges:
        return default
    for media, _ in ranges:
        if media in ("*/*", "*"):
            return default
        if media.endswith("/*"):
            major = media[:-1]
            if default.media_type.startswith(major):
                return default
            for fmt in formats:
                if any(a.startswith(major) for a in fmt.accepts):
                    return fmt
            continue
        for fmt in formats:
            if media in fmt.accepts:
                return fmt
    return None


def prefers_html(header: str) -> bool:
    """True when a client (a browser) ranks HTML above the machine formats.

    >>> prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> prefers_html("application/json"), prefers_html("*/*"), prefers_html("")
    (False, False, False)
    """
    fmt = negotiate(header, [HTML, *RESULT_FORMATS, *GRAPH_FORMATS], default=RESULT_FORMATS[0])
    return fmt is HTML


def format_param(value: str | None, formats: list[Format]) -> Format | None:
    """A ``?format=`` override (key, extension or media type), or None when not given.

    >>> format_param("ttl", GRAPH_FORMATS).key, format_param("text/csv", RESULT_FORMATS).key
    ('turtle', 'csv')
    """
    if not value:
        return None
    wanted = FORMAT_ALIASES.get(value.strip().lower(), value.strip().lower())
    for fmt in formats:
        if wanted in (fmt.key, fmt.extension) or wanted in fmt.accepts:
            return fmt
    return None
