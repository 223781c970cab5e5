"""`innovgraph query`, `queries`, `stats` and the saved answers in `summary`, in-process."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from innovgraph import open_store
from innovgraph.cli import cli


@pytest.fixture
def run(query_project):
    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["--project", str(query_project.root), *args], input=input)
    return invoke


def test_query_renders_a_table_without_parameter_columns(run):
    result = run("query", "cities-by-role", "--param", "role=igv:innovation-role/designer")
    assert result.exit_code == 0, result.output
    response = "<https://w3id.org/innovgraph/id/city/fictional-betatown/response/2018>"
    assert result.output == (
        "city                     name                  response" + " " * 64 + "edition  "
        "declaredRoleCount  listedRoleCount  rolesSection  supersededBy\n"
        "-----------------------  --------------------  " + "-" * 70 + "  -------  "
        "-----------------  ---------------  ------------  ------------\n"
        f"city:fictional-betatown  Betatown (fictional)  {response}  2018     3                  "
        "3                reached\n"
        "(1 row)\n")


def test_query_csv_tsv_markdown(run):
    args = ("query", "cities", "-p", "min_population=1000000", "--format")
    # CliRunner.output turns \r\n into \n; the bytes keep the CSV's RFC 4180 line ends.
    assert run(*args, "csv").stdout_bytes.decode() == (
        "city,name,country,population,year\r\n"
        "https://w3id.org/innovgraph/id/city/fictional-betatown,Betatown (fictional),"
        "Betaland (fictional),2300000,2019\r\n")
    assert run(*args, "tsv").output == (
        "?city\t?name\t?country\t?population\t?year\n"
        "<https://w3id.org/innovgraph/id/city/fictional-betatown>\t\"Betatown (fictional)\"\t"
        "\"Betaland (fictional)\"\t\"2300000\"^^<http://www.w3.org/2001/XMLSchema#integer>\t"
        "\"2019\"^^<http://www.w3.org/2001/XMLSchema#integer>\n")
    assert run(*args, "markdown").output == (
        "| city | name | country | population | year |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| city:fictional-betatown | Betatown (fictional) | Betaland (fictional) | 2300000 | 2019 |\n")


def test_query_json_is_sparql_results_json(run):
    result = run("query", "cities", "-p", "min_population=1000000", "--format", "json")
    assert json.loads(result.output) == {
        "head": {"vars": ["city", "name", "country", "population", "year"]},
        "results": {"bindings": [{
            "city": {"type": "uri", "value": "https://w3id.org/innovgraph/id/city/fictional-betatown"},
            "name": {"type": "literal", "value": "Betatown (fictional)"},
            "country": {"type": "literal", "value": "Betaland (fictional)"},
            "population": {"type": "literal", "value": "2300000",
                           "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            "year": {"type": "literal", "value": "2019",
                     "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
        }]},
    }


def test_construct_as_turtle_and_json_ld(run):
    args = ("query", "city-graph", "-p", "city=id:city/fictional-deltaburg")
    graph = Graph().parse(data=run(*args).output, format="turtle")
    city = URIRef("https://w3id.org/innovgraph/id/city/fictional-deltaburg")
    assert len(graph) == 13  # the city 5, its population observation 5, its country 3
    assert (city, URIRef("https://schema.org/name"), Literal("Deltaburg (fictional)")) in graph
    doc = json.loads(run(*args, "--format", "json-ld").output)
    ids = {node["@id"] for node in doc}
    assert ids == {"https://w3id.org/innovgraph/id/city/fictional-deltaburg",
                   "https://w3id.org/innovgraph/id/city/fictional-deltaburg/population/2018",
                   "https://w3id.org/innovgraph/id/country/fictional-btl"}
    wrong = run(*args, "--format", "csv")
    assert (wrong.exit_code, wrong.output) == (
        1, "Error: A CONSTRUCT or DESCRIBE result is a graph: use --format turtle or json-ld, not csv.\n")


def test_sparql_from_stdin_and_ask(run):
    result = run("query", "--sparql", "-", "--format", "json",
                 input="ASK { ?c a <https://w3id.org/innovgraph/ontology#City> }")
    assert json.loads(result.output) == {"head": {}, "boolean": True}


def test_injection_value_is_only_data(run, query_project):
    before = open_store(query_project).triples_count()
    result = run("query", "programs-matching", "-p", 'text=" } ; DROP ALL ; #', "--format", "csv")
    assert (result.exit_code, result.stdout_bytes) == (0, b"program,label,name,cityName,city,supersededBy\r\n")
    assert open_store(query_project).triples_count() == before


@pytest.mark.parametrize("args,code,message", [
    (("query", "cities-by-rol"), 1,
     "Error: No saved query named 'cities-by-rol'. Did you mean cities-by-role or "
     "cities-by-region or cities-by-population-band? Run `innovgraph queries` for the list.\n"),
    (("query", "cities-by-role"), 1, "Error: Missing parameter 'role' (an IRI) for query cities-by-role.\n"),
    (("query", "cities", "-p", "min_population=many"), 1,
     "Error: Parameter 'min_population' must be an integer, got 'many'.\n"),
    (("query", "cities", "-p", "size=3"), 1,
     "Error: Unknown parameter 'size' for query cities; it takes: min_population.\n"),
])
def test_bad_input_is_one_error_line(run, args, code, message):
    result = run(*args)
    assert (result.exit_code, result.output) == (code, message)


def test_sparql_syntax_error(run):
    result = run("query", "--sparql", "-", input="SELECT ?s WHERE { ?s ?p }")
    assert (result.exit_code, result.output) == (
        1, "Error: SPARQL syntax error at line 1, column 25: found '}', expected one of LATERAL, "
           "SERVICE\n")


def test_sparql_as_the_argument(run):
    result = run("query", "SELECT ?name WHERE { city:fictional-betatown schema:name ?name }",
                 "--format", "csv")
    assert (result.exit_code, result.stdout_bytes) == (0, b"name\r\nBetatown (fictional)\r\n")
    with_param = run("query", "ASK { ?s ?p ?o }", "-p", "x=1")
    assert with_param.exit_code == 2
    assert "--param applies to saved queries, not to ad-hoc SPARQL." in with_param.output


def test_query_jsonl(run):
    result = run("query", "cities", "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["city"], r["population"], r["year"]) for r in rows] == [
        ("https://w3id.org/innovgraph/id/city/fictional-alphaville", 480000, 2019),
        ("https://w3id.org/innovgraph/id/city/fictional-betatown", 2300000, 2019),
        ("https://w3id.org/innovgraph/id/city/fictional-deltaburg", 900000, 2018),
        ("https://w3id.org/innovgraph/id/city/fictional-gammaford", 35000, 2020)]


@pytest.mark.parametrize("args,fragment", [
    (("query",), "Error: Give a saved query NAME, a SPARQL query or --sparql FILE (one of them)."),
    (("query", "cities", "--sparql", "-"),
     "Error: Give a saved query NAME, a SPARQL query or --sparql FILE (one of them)."),
    (("query", "cities", "-p", "min_population"), "expected KEY=VALUE, got 'min_population'."),
    (("query", "cities", "--format", "xml"), "Invalid value for '--format'"),
])
def test_usage_errors_exit_2(run, args, fragment):
    result = run(*args)
    assert result.exit_code == 2 and fragment in result.output


def test_broken_turtle_in_a_record(run, query_project, extra):
    target = query_project.root / "data/ttl/cities/fictional-brokenham.ttl"
    target.write_bytes((extra / "fictional-brokenham.ttl").read_bytes())
    result = run("query", "cities")
    assert result.exit_code == 1
    assert result.output.startswith("Error: data/ttl/cities/fictional-brokenham.ttl:9:")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_queries_lists_name_summary_and_parameters(run):
    output = run("queries").output
    assert "cities-by-role                  Cities that list a given innovation role" in output
    assert "    params: role=iri [include_superseded=boolean]\n" in output
    assert "params: [level=iri] [edition=iri] [city=iri] [include_superseded=boolean]" in output


def test_stats(run):
    result = run("stats")
    lines = dict(line.rsplit(None, 1) for line in result.output.splitlines())
    assert {k.strip(): int(v) for k, v in lines.items() if k.strip() not in ("triples", "graphs", "concepts")} == {
        "cities": 4, "survey responses": 4, "2018": 1, "2020": 3, "programs": 3, "people": 4,
        "organisations": 2,
    }


def test_summary_prints_saved_answers(run):
    result = run("summary")
    assert result.exit_code == 0, result.output
    assert "Cities with dedicated innovation funding but no explicit innovation strategy.\n" \
           "(innovgraph query funding-without-strategy)\n" in result.output
    assert "city:fictional-alphaville  Alphaville (fictional)  <https://w3id.org/innovgraph/id/city/" \
           "fictional-alphaville/response/2020>  2020     Municipal budget" in result.output
