"""Turn library results into text, JSON or Turtle. No RDF logic lives in the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby

from .summary import Summary
from .validation import Severity, ValidationReport, ValidationResult
from .terms import local_name


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word.endswith("info") else "s")


def counts_line(report: ValidationReport) -> str:
    """'1 violation, 2 warnings, 0 info' in severity order."""
    return ", ".join(_plural(n, s.label.lower()) for s, n in report.counts().items())


def _verdict(report: ValidationReport) -> str:
    state = "conforms" if report.ok else "does not conform"
    return f"{state} at --fail-on {report.fail_on.name.lower()}: {counts_line(report)}"


def render_text(report: ValidationReport) -> str:
    """Results grouped by file, then focus node; one line per result, then a verdict."""
    lines: list[str] = []

    def by_file(r: ValidationResult) -> str:
        return r.file or "(not found in any file)"

    for file, in_file in groupby(report.results, key=by_file):
        lines.append(file)
        for (focus, line), group in groupby(in_file, key=lambda r: (r.focus_node, r.line)):
            lines.append(f"  {focus}" + (f" (line {line})" if line else ""))
            for r in group:
                detail = "".join([
                    f"  value: {r.value}" if r.value is not None else "",
                    f"  path: {r.path}" if r.path else "",
                ])
                shape = local_name_of(r.source_shape)
                lines.append(f"    {r.severity.label:<9} {shape}: {r.message}{detail}")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def local_name_of(compact: str) -> str:
    """'igsh:CityShape-name' -> 'CityShape-name'; blank-node shapes keep their _: label."""
    if compact.startswith("_:"):
        return compact
    return local_name(compact.strip("<>")) if compact.startswith("<") else compact.split(":", 1)[-1]


def render_json(report: ValidationReport) -> str:
    counts = report.counts()
    summary = {
        "conforms": report.ok,
        "fail_on": report.fail_on.name.lower(),
        "violations": counts[Severity.VIOLATION],
        "warnings": counts[Severity.WARNING],
        "infos": counts[Severity.INFO],
        "files": len(report.files),
    }
    return json.dumps({"results": [r.as_dict() for r in report.results], "summary": summary},
                      indent=2) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The SHACL validation report graph itself, for tools that read sh:ValidationReport."""
    return report.report_graph.serialize(format="turtle")


RENDERERS: dict[str, Callable[[ValidationReport], str]] = {
    "text": render_text, "json": render_json, "turtle": render_turtle,
}


def render(report: ValidationReport, fmt: str) -> str:
    return RENDERERS[fmt](report)


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
    lines.append(f"validation: {_verdict(report)}")
    return "\n".join(lines) + "\n"
