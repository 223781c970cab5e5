"""Render query results: SELECT/ASK as table, csv, tsv, json, markdown; graphs as Turtle/JSON-LD.

`json` is the SPARQL 1.1 Query Results JSON Format; `csv` and `tsv` follow the SPARQL 1.1
CSV/TSV formats (CSV: plain values, TSV: terms in N-Triples syntax). `table` and `markdown`
are for people: IRIs shortened with the innovgraph prefixes, literals as their values.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pyoxigraph as ox

from .catalogue import SavedQuery
from .errors import InnovgraphError
from .namespaces import PREFIXES
from .store import QueryResult
from .terms import compact

XSD_STRING = PREFIXES["xsd"] + "string"
TABULAR_FORMATS = ("table", "csv", "tsv", "json", "markdown")
GRAPH_FORMATS = ("turtle", "json-ld")
FORMATS = TABULAR_FORMATS + GRAPH_FORMATS
# id: and igv: names contain '/', which Turtle must escape (id:city\/x): full IRIs read better.
TURTLE_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("id", "igv", "igsh")}


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
    "json": render_json, "markdown": render_markdown,
}


def render_result(result: QueryResult, fmt: str | None = None) -> str:
    """Render in `fmt`, or by default a table for SELECT/ASK and Turtle for graphs.

    :raises InnovgraphError: the format does not fit the kind of result.
    """
    if result.kind == "graph":
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise InnovgraphError(f"A CONSTRUCT or DESCRIBE result is a graph: use --format "
                                  f"{' or '.join(GRAPH_FORMATS)}, not {fmt}.")
        return render_graph(result, fmt)
    fmt = fmt or "table"
    if fmt not in TABULAR:
        raise InnovgraphError(f"A {result.kind.upper()} result is a table: use --format "
                              f"{', '.join(TABULAR_FORMATS)}, not {fmt}.")
    return TABULAR[fmt](result)


def render_catalogue(queries: list[SavedQuery], fmt: str = "table") -> str:
    """The catalogue as a table (name, summary, parameters) or as docs/queries.md."""
    if fmt == "markdown":
        return catalogue_markdown(queries)
    rows = [(q.name, q.summary, " ".join(_param_usage(p) for p in q.params)) for q in queries]
    width = max([4] + [len(r[0]) for r in rows])
    lines = [f"{name:<{width}}  {summary}" + (f"\n{'':<{width}}    params: {params}" if params else "")
             for name, summary, params in rows]
    return "\n".join(lines) + "\n"


def _param_usage(p) -> str:
    text = f"{p.name}={p.type}"
    return text if p.required else f"[{text}]"


def catalogue_markdown(queries: list[SavedQuery]) -> str:
    out = ["# Saved queries", "",
           "<!-- Generated from the `#+` headers of queries/*.rq by "
           "`innovgraph queries --format markdown`; do not edit by hand. -->", "",
           "Run one with `innovgraph query NAME [--param KEY=VALUE ...]`. Each file is plain "
           "SPARQL 1.1: parameters are variables named `?_name_type` (required) or "
           "`?__name_type` (optional), bound as typed RDF terms, never pasted into the text.", "",
           "Writing one: pyoxigraph substitutes only variables of the SELECT projection, so a "
           "SELECT projects its parameters (`innovgraph query` hides those columns); test an "
           "optional one with `FILTER(!BOUND(?x) || ?x = COALESCE(?__p_iri, ?x))` (it works "
           "on every store; `BOUND(?__p_iri)` does not under pyoxigraph's substitution, and "
           "Virtuoso answers false, not an error, for `?x = ?__p_iri` when unbound); and use "
           "`DISTINCT`, as the union of the per-file graphs repeats triples stated in two files.", ""]
    for q in queries:
        out += [f"## `{q.name}`", "", q.summary, ""]
        if q.description:
            out += [q.description, ""]
        if q.tags:
            out += ["Tags: " + ", ".join(q.tags), ""]
        if q.params:
            out += ["| parameter | type | required | default | description |", "|---|---|---|---|---|"]
            out += [f"| `{p.name}` | {p.type} | {'yes' if p.required else 'no'} | "
                    f"{p.default or ''} | {p.description} |" for p in q.params]
            out.append("")
        for example in q.examples:
            args = " ".join(f"--param {k}={v}" for k, v in (example or {}).items())
            out += ["```sh", f"innovgraph query {q.name} {args}".rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def render_answers(answers: list[tuple[SavedQuery, QueryResult]]) -> str:
    """Several saved-query results, each under its summary and the command that reruns it."""
    parts = [f"\n{q.summary}\n(innovgraph query {q.name})\n{render_result(r)}" for q, r in answers]
    return "".join(parts)


def render_stats(stats: list[tuple[str, int]]) -> str:
    width = max(len(label) for label, _ in stats)
    return "".join(f"{label:<{width}}  {value:>7}\n" for label, value in stats)
