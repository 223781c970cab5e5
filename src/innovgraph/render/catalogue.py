"""Render what the catalogue and the counts say: the saved-query list (and docs/queries.md),
`innovgraph stats`, the saved answers and the summary of `innovgraph summary`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..catalogue import SavedQuery
from ..stats import Summary
from ..store import QueryResult
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
