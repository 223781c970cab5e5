"""`innovgraph summary` counts on the store (house.md F4); the counts agree with rdflib's over a
parse of every file, the way `summary` used to count, on the shipped data."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Namespace

from innovgraph import Project, open_store, summarise
from innovgraph.sources import load_graph
from innovgraph.terms import show

REPO = Path(__file__).resolve().parents[1]
IG = Namespace("https://w3id.org/innovgraph/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


def test_summary_counts_agree_with_an_rdflib_parse_of_every_file():
    project = Project(REPO)
    graph = load_graph(project)  # a set of triples: a triple in two files counts once
    summary = summarise(open_store(project))

    def instances(cls) -> int:
        return len(set(graph.subjects(RDF.type, cls)))

    assert summary.triples == len(graph) > 15000
    assert (summary.cities, summary.responses, summary.programs, summary.people) == (
        instances(IG.City), instances(IG.SurveyResponse), instances(IG.InnovationProgram),
        instances(IG.Person))
    # Moscow and the 78 cities of data/sources/cities/; 11 of them with two versions of their page.
    assert (summary.cities, summary.responses) == (79, 90)
    schemes: dict[str, int] = {}
    for concept in set(graph.subjects(RDF.type, SKOS.Concept)):
        for scheme in graph.objects(concept, SKOS.inScheme):
            schemes[show(scheme, turtle=True)] = schemes.get(show(scheme, turtle=True), 0) + 1
    assert summary.concepts_per_scheme == dict(sorted(schemes.items()))
    assert list(summary.concepts_per_scheme) == sorted(summary.concepts_per_scheme)
