"""Counting what the graph holds: `graph_stats` on a store (`innovgraph stats`) and
`summarise` on an rdflib Graph (`innovgraph summary`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from .namespaces import IG
from .store import GraphStore
from .terms import shorten

# Explicit class paths (rdfs:subClassOf*) because the store holds asserted triples only.
_STATS = """
PREFIX ig: <https://w3id.org/innovgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT
  (COUNT(DISTINCT ?city) AS ?cities) (COUNT(DISTINCT ?program) AS ?programs)
  (COUNT(DISTINCT ?person) AS ?people) (COUNT(DISTINCT ?org) AS ?organisations)
  (COUNT(DISTINCT ?concept) AS ?concepts) (COUNT(DISTINCT ?response) AS ?responses)
WHERE {
  { ?city a ig:City } UNION { ?program a ig:InnovationProgram } UNION { ?person a ig:Person }
  UNION { ?org a/rdfs:subClassOf* ig:InnovationOrganisation }
  UNION { ?concept a/rdfs:subClassOf* skos:Concept } UNION { ?response a ig:SurveyResponse }
}
"""

_RESPONSES_PER_EDITION = """
PREFIX ig: <https://w3id.org/innovgraph/ontology#>
SELECT ?edition (COUNT(DISTINCT ?response) AS ?n) WHERE {
  ?response a ig:SurveyResponse .
  OPTIONAL { ?response ig:edition ?e . ?e ig:editionYear ?year }
  BIND(COALESCE(STR(?year), "no edition") AS ?edition)
} GROUP BY ?edition ORDER BY ?edition
"""


def graph_stats(store: GraphStore) -> list[tuple[str, int]]:
    """Headline counts: triples, graphs, cities, responses per edition, programs, ..."""
    counts = store.query(_STATS).records()[0]
    stats = [("triples", store.triples_count()), ("graphs", len(store.graphs())),
             ("cities", int(counts["cities"])), ("survey responses", int(counts["responses"]))]
    stats += [(f"  {row['edition']}", int(row["n"]))
              for row in store.query(_RESPONSES_PER_EDITION).records()]
    stats += [(label, int(counts[key])) for label, key in (
        ("programs", "programs"), ("people", "people"),
        ("organisations", "organisations"), ("concepts", "concepts"))]
    return stats


# summarise: rdflib SPARQL over a Graph already parsed for validation.
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
