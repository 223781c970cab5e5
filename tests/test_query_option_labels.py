"""A question no response answers has one row in the answer-frequency queries, with no option
and no option label: the label is looked up for a concept option only (an OPTIONAL on the
unbound option once joined every skos:prefLabel of the graph, "World regions" among them, one
row each). On the fictional fixture cities, where no response names an associated term."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Namespace

from innovgraph import query_rows

IG = Namespace("https://w3id.org/innovgraph/ontology#")


def _unanswered(project) -> set[str]:
    graph = Graph()
    for path in Path(project.root, "data", "ttl").rglob("*.ttl"):
        graph.parse(path, format="turtle")
    return {p for p in (str(IG.associatedTerm), str(IG.goal)) if not any(graph.triples((None, IG[p.rsplit("#", 1)[1]], None)))}


def test_an_unanswered_question_has_one_row_without_a_label(query_project):
    unanswered = _unanswered(query_project)
    assert unanswered == {str(IG.associatedTerm)}  # the fixtures answer goals, not terms
    for name in ("answer-frequencies", "editions-compared"):
        rows = [r for r in query_rows(name, project=query_project)
                if r["property"] == str(IG.associatedTerm)]
        assert len(rows) == 1, (name, len(rows))
        assert rows[0]["option"] is None and rows[0]["optionLabel"] is None, name
