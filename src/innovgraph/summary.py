"""Headline counts of a loaded graph (rdflib SPARQL for now; the embedded store comes later)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from .namespaces import IG
from .terms import shorten

_PREFIXES = f"""
PREFIX ig: <{IG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# Distinct instances per class; counted together so the graph is scanned once per class only.
_CLASS_COUNTS = _PREFIXES + """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { ig:City ig:SurveyResponse ig:InnovationProgram ig:Person }
  ?s a ?class .
} GROUP BY ?class
"""

_CONCEPTS_PER_SCHEME = _PREFIXES + """
SELECT ?scheme (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a skos:Concept ; skos:inScheme ?scheme .
} GROUP BY ?scheme ORDER BY ?scheme
"""


@dataclass(frozen=True)
class Summary:
    triples: int
    cities: int
    responses: int
    programs: int
    people: int
    concepts_per_scheme: dict[str, int] = field(default_factory=dict)


def summarise(graph: Graph) -> Summary:
    """Count triples, cities, responses, programs, people and concepts per scheme."""
    per_class = {row[0]: int(row[1]) for row in graph.query(_CLASS_COUNTS)}
    schemes = {shorten(row[0]): int(row[1]) for row in graph.query(_CONCEPTS_PER_SCHEME)}
    return Summary(
        triples=len(graph),
        cities=per_class.get(IG.City, 0),
        responses=per_class.get(IG.SurveyResponse, 0),
        programs=per_class.get(IG.InnovationProgram, 0),
        people=per_class.get(IG.Person, 0),
        concepts_per_scheme=schemes,
    )
