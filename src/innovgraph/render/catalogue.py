"""Render what the catalogue and the counts say: the saved-query list (and docs/queries.md),
`innovgraph stats`, the saved answers and the summary of `innovgraph summary`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..catalogue import SavedQuery
from ..namespaces import DEFAULT_PREFIXES
from ..stats import Summary
from ..store import QueryResult
from ..terms import show
from .reports import verdict
from .results import render_result

if TYPE_CHECKING:
    from ..validation import ValidationReport


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
           "SELECT projects its parameters (`innovgraph query` hides those columns); test them "
           "in the outermost group, an optional one with `?x = COALESCE(?__p_iri, ?x)` "
           "(`BOUND(?__p_iri)` does not work under pyoxigraph's substitution, and a remote "
           "store gets the values as a BIND that sub-selects and UNION branches do not see); "
           "and order every SELECT totally. What else makes a query answer the same rows on "
           "every store is in docs/queries.md, \"Writing a saved query\".", ""]
    out += adhoc_markdown()
    for q in queries:
        out += [f"## `{q.name}`", "", q.summary, ""]
        if q.description:
            out += [q.description, ""]
        if q.tags:
            out += ["Tags: " + ", ".join(q.tags), ""]
        if q.params:
            out += ["| parameter | type | required | default | description |", "|---|---|---|---|---|"]
            out += [f"| `{p.name}` | {_param_type(p)} | {'yes' if p.required else 'no'} | "
                    f"{p.default or ''} | {p.description} |" for p in q.params]
            out.append("")
        for example in q.examples:
            args = " ".join(f"--param {k}={v}" for k, v in (example or {}).items())
            out += ["```sh", f"innovgraph query {q.name} {args}".rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def _param_type(p) -> str:
    if p.scheme:
        return f"{p.type}: a concept of `{show(ox.NamedNode(p.scheme))}`"
    if p.of_class:
        return f"{p.type}: an instance of `{show(ox.NamedNode(p.of_class))}`"
    return p.type


_ADHOC = """\
## Ad-hoc queries: prefixes and names

Every name the tool prints (tables, reports, docs, error messages) is a SPARQL prefixed name
or a full IRI, so it can be pasted back into a query, and a query may use the default
prefixes below without declaring them: on the command line (`innovgraph query 'SELECT ...'`,
`--sparql FILE`), on `/sparql` (queries and updates) and in the library (`GraphStore.query`,
`run_sparql`, `query_df`; `default_prefixes=False` turns them off). A query's own `PREFIX`
wins. pyoxigraph is given them as its `prefixes=` option; remote endpoints (Virtuoso, an
Oxigraph server) and rdflib are sent the `PREFIX` lines of the default prefixes the query uses
and does not declare, before its text (`innovgraph.terms.with_default_prefixes`), so that every
engine reads the same query. The service description (`GET /sparql`) lists them as
`sh:declare` prefix declarations.

```sh
innovgraph query 'SELECT ?city ?edition { ?r ig:respondent ?city ; ig:edition ?edition ; ig:listsRole role:data-scientist } ORDER BY ?city'
```

How names are printed:

- a concept with its scheme's prefix: `role:data-scientist`, `area:healthcare`,
  `edition:2020`, not `igv:innovation-role/data-scientist` (which is not a prefixed name:
  SPARQL reads the `/` as a property path, and the parser stops at it);
- a city, person, country, record, statistic, ranking or the survey with the prefix of its
  kind: `city:moscow-rus`, `country:rus`;
- a deeper data IRI (a response, a program, a post) in full:
  `<https://w3id.org/innovgraph/id/city/moscow-rus/response/2020>`. SPARQL's `\\/` escape
  (`city:moscow-rus\\/response\\/2020`) would be shorter, but Virtuoso 7.2 refuses a `\\` in a
  prefixed name and rdflib 7.6 keeps it in the IRI (and matches nothing), so nothing printed
  relies on it; a full IRI pastes into any SPARQL tool.

A saved query's parameters take a name in any of these forms, in the forms printed before
(`id:city/moscow-rus`, `igv:innovation-role/data-scientist`), escaped
(`id:city\\/moscow-rus`), or as an IRI. A parameter whose header names a scheme or a class (see
"Header reference") must name a concept of that scheme or an instance of that class: else the
command exits 1 with one line and the nearest ones (over HTTP: 400, the same message), e.g.
`Error: Parameter 'policy_area' names no concept of igv:policy-area: area:transport. Did you
mean area:transport-mobility?`.

A query that does not parse is one line with the line, the column and the token found there:
`Error: SPARQL syntax error at line 1, column 24: found 'igv:innovation-role/data-scientist',
expected a name without '/' (write role:data-scientist or <https://...>)`; an undeclared prefix
is named, with the default ones; a misspelt keyword with the nearest keyword. The same line
is the 400 body of `/sparql` and the message of `QuerySyntaxError` in the library.

Results for analysts: `--format jsonl` writes one JSON object per row with typed values
(integers and decimals as JSON numbers, booleans as `true`/`false`, IRIs as their full string,
`null` when unbound); `--format csv` is the SPARQL CSV format (plain values). In Python,
`innovgraph.query_rows(NAME_OR_SPARQL, params={...}, project=...)` gives the same typed rows
(decimals as `Decimal`) and `innovgraph.query_df(...)` a pandas DataFrame (after kglab's
`query_as_df`; install pandas with `pip install 'innovgraph[pandas]'`) whose columns, values
and dtypes are those `pandas.read_csv` reads from `innovgraph query NAME --format csv`.

| prefix | namespace |
|---|---|
"""

_HEADER_REFERENCE = """\
## Header reference

A saved query starts with `#+ ` lines, read as YAML (grlc's convention); the rest of the file
is plain SPARQL 1.1.

| key | what |
|---|---|
| `summary` | one line (required): what the query answers |
| `description` | what it counts, over which responses, and what each column means |
| `tags` | a list of words, for grouping |
| `params` | one entry per parameter variable (`?_name_type` required, `?__name_type` optional): `type` (optional; it must agree with the variable's suffix: `iri`, `integer`, `decimal`, `boolean`, `en`, `literal`), `description`, `default`, and for `iri` parameters `scheme` (a vocabulary scheme, by its slug, `policy-area`, or name, `igv:policy-area`: the value must be a concept of it) or `class` (a class, `ig:City`: the value must be an instance of it) |
| `examples` | a list of parameter maps (`{}` for none): each is shown below and run by the tests |
"""


def adhoc_markdown() -> list[str]:
    """The part of docs/queries.md on ad-hoc queries (with the table of default prefixes) and
    on the `#+` header."""
    table = [f"| `{p}:` | `{ns}` |" for p, ns in DEFAULT_PREFIXES.items()]
    return [_ADHOC.rstrip("\n"), *table, "", _HEADER_REFERENCE.rstrip("\n"), ""]


def render_answers(answers: list[tuple[SavedQuery, QueryResult]]) -> str:
    """Several saved-query results, each under its summary and the command that reruns it."""
    parts = [f"\n{q.summary}\n(innovgraph query {q.name})\n{render_result(r)}" for q, r in answers]
    return "".join(parts)


def render_stats(stats: list[tuple[str, int]]) -> str:
    width = max(len(label) for label, _ in stats)
    return "".join(f"{label:<{width}}  {value:>7}\n" for label, value in stats)


def render_summary(summary: Summary, report: ValidationReport) -> str:
    rows = [("triples", summary.triples), ("cities", summary.cities),
            ("survey responses", summary.responses), ("programs", summary.programs),
            ("people", summary.people)]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value:>7}" for label, value in rows]
    if summary.concepts_per_scheme:
        lines.append("concepts per scheme")
        scheme_width = max(len(s) for s in summary.concepts_per_scheme)
        lines += [f"  {scheme:<{scheme_width}}  {n:>5}"
                  for scheme, n in summary.concepts_per_scheme.items()]
    lines.append(f"validation: {verdict(report)}")
    return "\n".join(lines) + "\n"
