"""Render query results: SELECT/ASK as table, csv, tsv, json, jsonl, markdown (and xml for
the server); graphs as Turtle, JSON-LD and the other RDF formats the server negotiates.

`json` is the SPARQL 1.1 Query Results JSON Format; `csv` and `tsv` follow the SPARQL 1.1
CSV/TSV formats (CSV: plain values, TSV: terms in N-Triples syntax). `jsonl` is for analysts:
one JSON object per row, with typed values (`QueryResult.typed_rows`: numbers as numbers,
booleans as booleans, IRIs as their full string, null when unbound). `table` and `markdown`
are for people: IRIs as the names `innovgraph.terms.show` gives them, literals as their values.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from decimal import Decimal

import pyoxigraph as ox

from xml.sax.saxutils import escape, quoteattr

from ..errors import OptionError
from ..namespaces import RDF_LANG_STRING, TURTLE_PREFIXES, XSD_STRING
from ..store import QueryResult
TABULAR_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
GRAPH_FORMATS = ("turtle", "json-ld")
FORMATS = TABULAR_FORMATS + GRAPH_FORMATS


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def render_json(result: QueryResult) -> str:
    if result.kind == "ask":
        doc = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}
                    for row in result.rows]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _jsonl_value(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else json.dumps(str(value))
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(str(value).replace("inf", "INF").replace("nan", "NaN"))
    return json.dumps(value, ensure_ascii=False)


def render_jsonl(result: QueryResult) -> str:
    """One JSON object per row, typed values (decimals written exactly, as JSON numbers).

    >>> print(render_jsonl(QueryResult("select", ["n", "x"], [(ox.Literal("0.50", datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#decimal")), None)])), end="")
    {"n": 0.50, "x": null}
    """
    lines = ["{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {_jsonl_value(v)}"
                             for k, v in row.items()) + "}" for row in result.typed_rows()]
    return "".join(line + "\n" for line in lines)


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def render_csv(result: QueryResult) -> str:
    if result.kind == "ask":
        return f"{str(result.boolean).lower()}\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the SPARQL CSV spec says
    writer.writerow(result.variables)
    writer.writerows([_csv_value(t) for t in row] for row in result.rows)
    return out.getvalue()


def render_tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return f"{str(result.boolean).lower()}\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _cells(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    if result.kind == "ask":
        return ["ask"], [[str(result.boolean).lower()]]
    return list(result.variables), [[" ".join(v.split()) for v in row] for row in result.values()]


def render_table(result: QueryResult) -> str:
    header, rows = _cells(result)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    lines = [line(header), line("-" * w for w in widths)] + [line(r) for r in rows]
    if result.kind == "select":
        lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def render_markdown(result: QueryResult) -> str:
    header, rows = _cells(result)

    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(header), line("---" for _ in header)] + [line(r) for r in rows]) + "\n"


def render_graph(result: QueryResult, fmt: str) -> str:
    rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.JSON_LD
    data = ox.serialize(result.triples, format=rdf_format,
                        prefixes=TURTLE_PREFIXES if fmt == "turtle" else None)
    text = data.decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


TABULAR: dict[str, Callable[[QueryResult], str]] = {
    "table": render_table, "csv": render_csv, "tsv": render_tsv,
    "json": render_json, "jsonl": render_jsonl, "markdown": render_markdown,
}


def render_result(result: QueryResult, fmt: str | None = None) -> str:
    """Render in `fmt`, or by default a table for SELECT/ASK and Turtle for graphs.

    :raises OptionError: the format does not fit the kind of result.
    """
    if result.kind == "graph":
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise OptionError(f"A CONSTRUCT or DESCRIBE result is a graph: use --format "
                                  f"{' or '.join(GRAPH_FORMATS)}, not {fmt}.")
        return render_graph(result, fmt)
    fmt = fmt or "table"
    if fmt not in TABULAR:
        raise OptionError(f"A {result.kind.upper()} result is a table: use --format "
                              f"{', '.join(TABULAR_FORMATS)}, not {fmt}.")
    return TABULAR[fmt](result)


# --- for the server: the SPARQL XML results format, and results and graphs by format name ----
# pyoxigraph can serialise only a live result iterator, but the server first counts rows
# against its result-size limit, so results are written from the collected rows: JSON
# (https://www.w3.org/TR/sparql11-results-json/), XML (https://www.w3.org/TR/rdf-sparql-XMLres/),
# CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/). Graphs go through
# `pyoxigraph.serialize`.

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


# JSON, CSV and TSV as the CLI writes them; XML, which SPARQL clients (rdflib's SPARQLStore)
# ask for by default, for the server.
RESULT_WRITERS: dict[str, Callable[[QueryResult], bytes]] = {
    "json": _text(render_json), "xml": to_xml, "csv": _text(render_csv), "tsv": _text(render_tsv)}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
               "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def serialize_results(result: QueryResult, key: str) -> bytes:
    """A SELECT or ASK result in the SPARQL results format named `key` (json xml csv tsv)."""
    return RESULT_WRITERS[key](result)


def serialize_triples(triples, key: str) -> bytes:
    """Triples (or quads for N-Quads/TriG) in the RDF format named `key`, with the project's
    prefixes where the format has them."""
    prefixes = TURTLE_PREFIXES if key in ("turtle", "trig") else None
    return ox.serialize(triples, format=RDF_FORMATS[key], prefixes=prefixes)
