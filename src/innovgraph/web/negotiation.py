"""Content negotiation: the Accept header (or a file extension) picks a format from a table.

The Accept header is parsed by python-mimeparse (q-values, wildcards, specificity); a format
ranked ``q=0`` is never chosen, and when nothing offered is acceptable the caller answers 406
with the list of what is offered (`common.choose_format`).

Tables are per kind of answer, as in rdflib-endpoint: SELECT/ASK results and RDF graphs
share some media types (``application/json`` is SPARQL JSON for a SELECT and JSON-LD for a
CONSTRUCT; ``application/xml`` is SPARQL XML or RDF/XML), so each kind has its own table.
"""

from __future__ import annotations

from dataclasses import dataclass

import mimeparse
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


def parse_accept(header: str) -> list[tuple[str, str, dict[str, str]]]:
    """The media ranges of an Accept header, parsed by python-mimeparse (type, subtype,
    parameters with ``q``), lower-cased; a range that does not parse is left out.

    >>> parse_accept("text/html;q=0.5, Text/Turtle, nonsense, */*;q=0")
    [('text', 'html', {'q': '0.5'}), ('text', 'turtle', {'q': '1'}), ('*', '*', {'q': '0'})]
    >>> parse_accept("")
    []
    """
    ranges = []
    for part in header.lower().split(","):
        if not part.strip():
            continue
        try:
            ranges.append(mimeparse.parse_media_range(part.strip()))
        except (ValueError, IndexError):  # MimeTypeParseException is a ValueError
            continue
    return ranges


def _rank(fmt: Format, ranges) -> tuple[float, float]:
    """(q, specificity) of the best-fitting range for `fmt` (RFC 9110, 12.5.1: the most
    specific range that matches a media type gives its quality). The format's own media type
    matches wildcards too; its other names (``application/json`` for JSON-LD) only when asked
    for by name, so that ``text/*`` never selects N-Triples by its ``text/plain`` alias."""
    primary = fmt.media_type.split(";")[0].strip()
    exact = [r for r in ranges if "*" not in (r[0], r[1])]
    best = mimeparse.quality_and_fitness_parsed(primary, ranges)
    for alias in fmt.accepts:
        if alias != primary and exact:
            best = max(best, mimeparse.quality_and_fitness_parsed(alias, exact))
    q, fitness = best
    return (q, fitness) if fitness >= 0 else (0.0, -1.0)


def negotiate(header: str, formats: list[Format], default: Format | None = None) -> Format | None:
    """The best format of `formats` for an Accept header: highest q, then the most specific
    range, then `default` (the first format when not given), then the order of `formats`.
    A format whose best-fitting range has ``q=0`` is never chosen.

    An empty header (or one of which no range parses) gives `default`; nothing acceptable
    gives None, so the caller answers 406 (`common.choose_format`).

    >>> negotiate("application/json", RESULT_FORMATS).key
    'json'
    >>> negotiate("application/json", GRAPH_FORMATS).key
    'jsonld'
    >>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", [HTML, *GRAPH_FORMATS]).key
    'html'
    >>> negotiate("text/html;q=0, */*;q=0.1", [*GRAPH_FORMATS, HTML], HTML).key
    'turtle'
    >>> negotiate("text/turtle;q=0.5, application/n-triples;q=0.9", GRAPH_FORMATS).key
    'ntriples'
    >>> negotiate("text/turtle, */*", [*GRAPH_FORMATS, HTML], HTML).key
    'turtle'
    >>> negotiate("image/png", GRAPH_FORMATS) is None
    True
    """
    default = default or formats[0]
    ranges = parse_accept(header)
    if not ranges:
        return default
    order = [default, *(f for f in formats if f is not default)]
    best, best_rank = None, (0.0, -1.0)
    for fmt in order:
        rank = _rank(fmt, ranges)
        if rank[0] > 0 and rank > best_rank:
            best, best_rank = fmt, rank
    return best


def offered(formats: list[Format]) -> list[str]:
    """The media types `formats` answer with (for a 406)."""
    return list(dict.fromkeys(f.media_type.split(";")[0].strip() for f in formats))


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
