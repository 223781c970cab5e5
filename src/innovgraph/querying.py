"""Run saved and ad-hoc queries, and count what the graph holds (`innovgraph stats`)."""

from __future__ import annotations

import os

from .catalogue import Catalogue, SavedQuery
from .project import Project
from .store import GraphStore, QueryResult, open_store

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


def _store(project_or_store: GraphStore | Project | str | os.PathLike[str] | None) -> GraphStore:
    if isinstance(project_or_store, GraphStore) or hasattr(project_or_store, "query"):
        return project_or_store  # the embedded store, or a RemoteStore (innovgraph.backends)
    return open_store(project_or_store)


def run_saved_query(project_or_store: GraphStore | Project | str | os.PathLike[str] | None,
                    name: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run the saved query `name` with `params` ({name: text value}).

    :raises UnknownQueryError: no saved query of that name.
    :raises ParameterError: an unknown, missing or ill-typed parameter.
    :raises QuerySyntaxError: the saved query does not parse.
    """
    store = _store(project_or_store)
    query = _catalogue(store.project).get(name)
    result = store.query(query.text, substitutions=query.bind(params), name=name)
    # Parameters are projected only because pyoxigraph substitutes projected variables;
    # their columns would just echo the input.
    return result.without({p.variable for p in query.params})


_CATALOGUES: dict[object, tuple[tuple, Catalogue]] = {}


def _catalogue(project: Project | None) -> Catalogue:
    """The project's Catalogue, re-read only when a query file changes (parsing the YAML
    front-matter of every query on each call cost more than a cached query)."""
    if project is None:
        return Catalogue(project)
    signature = tuple((str(p), st.st_mtime_ns, st.st_size)
                      for p in project.query_files for st in (p.stat(),))
    cached = _CATALOGUES.get(project.root)
    if cached is None or cached[0] != signature:
        cached = _CATALOGUES[project.root] = (signature, Catalogue(project))
    return cached[1]


def run_sparql(store: GraphStore, text: str) -> QueryResult:
    """Run an ad-hoc SPARQL query over the union of all graphs.

    :raises QuerySyntaxError: the query does not parse (with line and column).
    """
    return store.query(text)


# The saved queries whose answers `innovgraph summary` prints after validating.
SUMMARY_QUERIES = ("cities", "roles-declared-vs-listed", "funding-without-strategy",
                   "mayors-and-innovation-officers", "activities-vs-ranking")


def saved_answers(store: GraphStore, names: tuple[str, ...]) -> list[tuple[SavedQuery, QueryResult]]:
    """Run parameterless saved queries; names missing from the catalogue are skipped."""
    catalogue = Catalogue(store.project)
    known = {q.name: q for q in catalogue.list()}
    return [(known[n], run_saved_query(store, n)) for n in names if n in known]


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
