"""Serialise materialised query results (`store.QueryResult`) in the SPARQL results formats.

pyoxigraph can serialise only a live result iterator, but the server first counts rows
against its result-size limit, so results are written from the collected rows: JSON
(https://www.w3.org/TR/sparql11-results-json/), XML (https://www.w3.org/TR/rdf-sparql-XMLres/),
CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/). Graphs go through
`pyoxigraph.serialize`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..results import render_csv, render_json, render_tsv
from ..namespaces import PREFIXES
from ..store import QueryResult
from .negotiation import Format

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _term_xml(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>"
            f"{_term_xml(term.predicate)}</predicate><object>{_term_xml(term.object)}</object></triple>")


def to_xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out.append(f"<head/><boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
                   + "</head><results>")
        for row in result.rows:
            out.append("<result>" + "".join(
                f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                for v, t in zip(result.variables, row) if t is not None) + "</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _text(render):
    return lambda result: render(result).encode("utf-8")


# JSON, CSV and TSV are the library's renderers (innovgraph.results, shared with the CLI);
# the library has no XML, which SPARQL clients (rdflib's SPARQLStore) ask for by default.
RESULT_WRITERS = {"json": _text(render_json), "xml": to_xml, "csv": _text(render_csv),
                  "tsv": _text(render_tsv)}


def serialize_results(result: QueryResult, fmt: Format) -> bytes:
    return RESULT_WRITERS[fmt.key](result)


# Turtle escapes '/' in prefixed local names (id:city\/moscow-rus), so the data namespaces
# are written as full IRIs, which read better.
TURTLE_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("id", "igv")}


def serialize_triples(triples, fmt: Format) -> bytes:
    """Triples (or quads for N-Quads/TriG) in an RDF format, with the project's prefixes."""
    prefixes = TURTLE_PREFIXES if fmt.key in ("turtle", "trig") else None
    return ox.serialize(triples, format=fmt.rdf, prefixes=prefixes)
