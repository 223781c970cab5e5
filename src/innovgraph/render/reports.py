"""Render reports: validation (text, JSON, the SHACL report in Turtle), reasoning (text,
JSON), QC (table, ROBOT-style TSV, JSON), ingest and ingest-sheet (text). Nothing is checked here."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

from typing import TYPE_CHECKING

from rdflib import URIRef

from ..terms import local_name, show

if TYPE_CHECKING:  # named in annotations only: rendering does not load the engines
    from ..ingest import IngestResult
    from ..ingest import SheetResult
    from ..qc import QcReport
    from ..reasoning import ReasoningResult
    from ..validation import ValidationReport, ValidationResult


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word.endswith("info") else "s")


def counts_line(report: ValidationReport) -> str:
    """'1 violation, 2 warnings, 0 info' in severity order."""
    return ", ".join(_plural(n, s.label.lower()) for s, n in report.counts().items())


def verdict(report: ValidationReport) -> str:
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
    lines.append(verdict(report))
    return "\n".join(lines) + "\n"


def local_name_of(compact: str) -> str:
    """'igsh:CityShape-name' -> 'CityShape-name'; blank-node shapes keep their _: label."""
    if compact.startswith("_:"):
        return compact
    return local_name(compact.strip("<>")) if compact.startswith("<") else compact.split(":", 1)[-1]


def render_json(report: ValidationReport) -> str:
    counts = {severity.name: n for severity, n in report.counts().items()}
    summary = {
        "conforms": report.ok,
        "fail_on": report.fail_on.name.lower(),
        "violations": counts["VIOLATION"],
        "warnings": counts["WARNING"],
        "infos": counts["INFO"],
        "files": len(report.files),
    }
    return json.dumps({"results": [r.as_dict() for r in report.results], "summary": summary},
                      indent=2) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The SHACL validation report graph itself, for tools that read sh:ValidationReport."""
    return report.report_graph.serialize(format="turtle")


VALIDATION_FORMATS: dict[str, Callable[[ValidationReport], str]] = {
    "text": render_text, "json": render_json, "turtle": render_turtle,
}


# --- reasoning ---------------------------------------------------------------------------

def _name(result: ReasoningResult) -> str:
    return {"hermit": "HermiT", "pellet": "Pellet"}.get(result.reasoner, result.reasoner)


def render_reasoning(result: ReasoningResult, output: Path | None = None) -> str:
    lines = [f"{_name(result)} on {result.asserted_triples} triples, {result.java}, "
             f"{result.seconds:.1f} s"]
    lines += [f"  conversion: {note}" for note in result.notes]
    if not result.consistent:
        lines.append("INCONSISTENT: no model satisfies the ontology and the data together.")
        for number, explanation in enumerate(result.explanations, 1):
            lines.append(f"{number}. {explanation.summary}")
            lines += [f"     axiom: {a}" for a in explanation.axioms]
            lines += [f"     because: {s}" for s in explanation.statements]
        if not result.explanations and result.message:
            lines.append(f"  reasoner says: {result.message}")
        if output is not None:
            lines.append(f"nothing written to {output}: an inconsistent graph entails everything")
        return "\n".join(lines) + "\n"
    counts = result.inferred_counts()
    lines.append("consistent; " + (f"{len(result.unsatisfiable)} unsatisfiable classes"
                                   if result.unsatisfiable else "every class is satisfiable"))
    for explanation in result.explanations:
        lines.append(f"  - {explanation.summary}")
        lines += [f"      axiom: {a}" for a in explanation.axioms]
    lines.append("inferred: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    for cls, members in result.inferred_members.items():
        lines.append(f"  {show(URIRef(cls), turtle=True)}: {', '.join(show(URIRef(m), turtle=True) for m in members) or 'none'}")
    if output is not None:
        lines.append(f"inferred triples written to {output}")
    return "\n".join(lines) + "\n"


def render_reasoning_json(result: ReasoningResult, output: Path | None = None) -> str:
    return json.dumps({
        "reasoner": result.reasoner,
        "consistent": result.consistent,
        "unsatisfiable": [show(URIRef(c), turtle=True) for c in result.unsatisfiable],
        "explanations": [e.as_dict() for e in result.explanations],
        "inferred": result.inferred_counts(),
        "conversion": result.notes,
        "asserted_triples": result.asserted_triples,
        "seconds": round(result.seconds, 3),
        "java": result.java,
    }, indent=2) + "\n"


REASONING_FORMATS: dict[str, Callable[..., str]] = {
    "text": render_reasoning, "json": render_reasoning_json,
}


# --- QC ------------------------------------------------------------------------------------

_COLUMNS = ("Level", "Rule Name", "Subject", "Property", "Value")  # ROBOT report TSV header


def _rows(report: QcReport) -> list[tuple[str, ...]]:
    return [(v.level.name, v.check, v.entity, v.property, v.value) for v in report.violations]


def qc_summary_line(report: QcReport) -> str:
    counts = ", ".join(f"{level.name} {n}" for level, n in report.counts().items())
    verdict = "passes" if report.ok else "fails"
    return f"{verdict} at --fail-on {report.fail_on.name.lower()}: {counts} ({len(report.checks)} checks)"


def render_qc_tsv(report: QcReport) -> str:
    lines = ["\t".join(_COLUMNS)]
    lines += ["\t".join(c.replace("\t", " ").replace("\n", " ") for c in row) for row in _rows(report)]
    return "\n".join(lines) + "\n"


def render_qc_table(report: QcReport) -> str:
    rows = [tuple(c.replace("\n", " ") for c in row) for row in _rows(report)]
    lines = []
    if rows:
        widths = [min(max(len(r[i]) for r in rows + [_COLUMNS]), 60) for i in range(4)]
        lines.append("  ".join(h.ljust(w) for h, w in zip(_COLUMNS, widths)) + "  " + _COLUMNS[4])
        for row in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[4])
    lines.append("checks: " + ", ".join(f"{name} {n}" for name, n in report.per_check().items()))
    lines.append(qc_summary_line(report))
    return "\n".join(lines) + "\n"


def render_qc_json(report: QcReport) -> str:
    counts = report.counts()
    return json.dumps({
        "violations": [v.as_dict() for v in report.violations],
        "checks": [{"check": name, "level": level.name, "violations": report.per_check()[name]}
                   for name, level in report.checks],
        "summary": {"passes": report.ok, "fail_on": report.fail_on.name.lower(),
                    **{level.name.lower(): n for level, n in counts.items()}},
    }, indent=2) + "\n"


QC_FORMATS: dict[str, Callable[[QcReport], str]] = {
    "table": render_qc_table, "tsv": render_qc_tsv, "json": render_qc_json}


# --- ingest ------------------------------------------------------------------------------

def render_ingest(res: IngestResult) -> str:
    """What the ingest understood, section by section, what it could not read, and the outcome."""
    out = [f"Ingested {res.profile.city_name or res.record.city_name}: response to the {res.record.edition} survey "
           f"-> {res.out}", ""]
    out.append("Understood, section by section:")
    for section in res.sections:
        mark = ("reached        " if section in res.record.reached
                else "reached in part" if section in res.record.partly_reached else "NOT reached    ")
        items = res.understood.get(section) or []
        out.append(f"  [{mark}] {section}")
        out.extend(f"      {item}" for item in items)
    new = res.new_concepts
    near = res.near_matches
    if new or near:
        out.append("")
        out.append("Labels to confirm:")
        for m in near:
            out.append(f"  near match: {m.describe()}")
        for m in new:
            if m.candidate is None:
                out.append(f"  unknown label (new ig:FreeTextAnswer concept in this record): {m.describe()}")
    out.append("")
    if res.unread:
        out.append("Could not read:")
        out.extend(f"  - {u}" for u in res.unread)
    else:
        out.append("Could not read: nothing.")
    out.append("")
    counts = {severity.name: n for severity, n in res.report.counts().items()}
    summary = (f"{counts['VIOLATION']} violations, {counts['WARNING']} warnings, "
               f"{counts['INFO']} info")
    if res.valid:
        out.append(f"Validation: the record conforms together with the rest of the graph ({summary}).")
    else:
        out.append(f"Validation: the record is INVALID ({summary}):")
        for r in res.report.results:
            if r.severity.name == "VIOLATION":  # the most serious severity
                out.append(f"  - {r.focus_node}: {r.message}" + (f"  path: {r.path}" if r.path else ""))
    if res.written and res.valid:
        out.append(f"Wrote {res.out}.")
    elif res.written:
        out.append(f"Wrote {res.out} anyway (--force): the file is marked INVALID; fix it before committing.")
    else:
        out.append(f"Nothing written: fix the problems above (or pass --force to write an invalid record).")
    return "\n".join(out) + "\n"


def render_sheet_ingest(res: SheetResult) -> str:
    """What `ingest-sheet` made of a fact sheet: the responses and their sections, what to check
    (new free-text concepts, near matches not applied, cut labels not mapped, countries and
    statistics to add elsewhere), and the outcome."""
    rec = res.record
    out = [f"Read the fact sheet {res.sheet.path}: {rec.city_name}, {_plural(len(rec.responses), 'response')} "
           f"-> {res.out}", ""]
    for node in rec.responses:
        marks = {p: [o.split(":", 1)[1] for o in objs] for p, objs in node.pairs
                 if p.startswith("ig:section") and objs}
        out.append(f"  {node.subject.strip('<>')}:")
        for prop, word in (("ig:sectionReached", "reached"), ("ig:sectionPartlyReached", "reached in part"),
                           ("ig:sectionNotReached", "NOT reached")):
            out.append(f"      {word + ':':<17} {', '.join(marks.get(prop, [])) or '-'}")
    out.append("")
    if rec.report:
        out.append("To check:")
        out.extend(f"  - {line}" for line in dict.fromkeys(rec.report))
    else:
        out.append("To check: nothing.")
    out.append("")
    summary = counts_line(res.report)
    if res.valid:
        out.append(f"Validation: the record conforms together with the rest of the graph ({summary}).")
    else:
        out.append(f"Validation: the record is INVALID ({summary}):")
        out.extend(f"  - {r.focus_node}: {r.message}" + (f"  path: {r.path}" if r.path else "")
                   for r in res.report.results if r.severity.name == "VIOLATION")
    if res.written:
        out.append(f"Wrote {res.out}." if res.valid else
                   f"Wrote {res.out} anyway (--force): the file is marked INVALID; fix it before committing.")
    else:
        out.append("Nothing written: fix the problems above (or pass --force to write an invalid record).")
    return "\n".join(out) + "\n"
