"""Text and JSON for `innovgraph reason` results. No reasoning happens here."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import URIRef

from .terms import shorten
from .reasoning import ReasoningResult


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
        lines.append(f"  {shorten(URIRef(cls))}: {', '.join(shorten(URIRef(m)) for m in members) or 'none'}")
    if output is not None:
        lines.append(f"inferred triples written to {output}")
    return "\n".join(lines) + "\n"


def render_reasoning_json(result: ReasoningResult) -> str:
    return json.dumps({
        "reasoner": result.reasoner,
        "consistent": result.consistent,
        "unsatisfiable": [shorten(URIRef(c)) for c in result.unsatisfiable],
        "explanations": [e.as_dict() for e in result.explanations],
        "inferred": result.inferred_counts(),
        "conversion": result.notes,
        "asserted_triples": result.asserted_triples,
        "seconds": round(result.seconds, 3),
        "java": result.java,
    }, indent=2) + "\n"
