"""One home per triple (issue 14): no triple of the shipped graph is stated in two files, so a
count over the union default graph, which repeats a triple once per file that states it, is a
count of distinct triples, on the embedded store, on the server and on Virtuoso."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import rdflib
from click.testing import CliRunner
from rdflib import RDF

from innovgraph import Catalogue, Project, open_store, run_saved_query
from innovgraph.cli import cli
from innovgraph.namespaces import IG
from innovgraph.sources import read_triples

REPO = Path(__file__).resolve().parents[1]
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_COUNTRY = """PREFIX ig: <https://w3id.org/innovgraph/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?country (COUNT(?city) AS ?n) WHERE { ?city a ig:City ; ig:country/schema:name ?country }
GROUP BY ?country ORDER BY ?country"""


def test_no_triple_is_stated_in_two_files():
    project = Project(REPO)
    homes = Counter()
    for _, triples in read_triples([*project.ontology_files, *project.data_files], project=project):
        homes.update(set(triples))
    assert [t for t, n in homes.items() if n > 1] == []
    assert len(homes) > 4000


def test_count_over_the_default_graph_is_the_number_of_distinct_triples():
    store = open_store(Project(REPO))
    assert int(store.query(COUNT_ALL).rows[0][0].value) == store.triples_count()


def test_cities_per_country_counts_each_city_once(tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(REPO), "query", "--sparql", "-", "--format", "csv"],
                                input=PER_COUNTRY)
    assert result.exit_code == 0, result.output
    rows = dict(line.split(",") for line in result.output.splitlines()[1:])
    # From the 78 fact sheets (data/sources/cities/*.yaml, `country:`) and Moscow: 50 print
    # United States; Buenos Aires and Rosario Argentina; Canada is printed by Montreal only,
    # Toronto and Edmonton (-ca) by their slugs; Israel by Jerusalem, and by the no-slash
    # copies of Be'er Sheva and Tel Aviv-Yafo; Spain by Bilbao, and Madrid by its slug (-esp).
    assert rows["United States"] == "50" and rows["Argentina"] == "2"
    assert (rows["Canada"], rows["Israel"], rows["Spain"], rows["France"]) == ("3", "3", "2", "1")
    assert len(rows) == 23 and sum(map(int, rows.values())) == 79


def test_the_server_counts_the_same(web_client):
    response = web_client.post("/sparql", data={"query": COUNT_ALL},
                               headers={"Accept": "application/sparql-results+json"})
    store = open_store(Project(REPO))
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == store.triples_count()


def test_no_saved_query_repeats_a_row():
    """One page, one source: a page stored in two copies no longer doubles a row."""
    store = open_store(Project(REPO))
    for query in Catalogue(Project(REPO)).list():
        if any(p.required for p in query.params):
            params = dict(query.examples[0]) if query.examples else None
            if params is None:
                continue
        else:
            params = {}
        result = run_saved_query(store, query.name, {k: str(v) for k, v in params.items()})
        if result.kind == "select":
            assert len(result.rows) == len(set(result.rows)), query.name
    mayors = run_saved_query(store, "mayors-and-innovation-officers")
    # One row per tenure of a mayor's or a lead innovation officer's post the records state
    # (counted in the Turtle files, not by a query; Alexandria's city manager is neither).
    records = rdflib.Graph()
    for path in Project(REPO).data_files:
        records.parse(path, format="turtle")
    tenures = {t for t in records.subjects(RDF.type, IG.Tenure)
               if {IG.MayorPost, IG.InnovationOfficerPost} & set(records.objects(records.value(t, IG.post), RDF.type))}
    assert len(mayors.rows) == len(tenures) == 169
    by_city = Counter(str(r[0].value) for r in mayors.rows)
    # edmonton-ca.yaml: mayor Don Iveson and four "Lead Innovation Officers"; toronto-ca.yaml:
    # mayor John Tory, officer Alice Xu, and Paula Kwan on the older copy; denver-us.yaml:
    # mayor Michael Hancock, officer Melissa Wiley, and David Edinger on the older copy.
    assert (by_city["Edmonton"], by_city["Toronto"], by_city["Denver"]) == (5, 3, 3)
