"""Ad-hoc SPARQL that just works (issue 15, item 4): names copied from the tool's own output
run in a query without PREFIX lines, on the CLI, on /sparql (a real server) and on rdflib and
pyoxigraph alike; a query's own PREFIX wins; a misspelt concept is an error with "did you
mean"; a syntax error is one line with the token found; `--format jsonl`, `--format csv` read
by pandas and the library's DataFrame agree.

The data is the fictional fixture cities (tests/fixtures/query-data) with the real ontology,
vocabularies and saved queries (the `query_project` fixture).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas
import pytest
from click.testing import CliRunner

from innovgraph import (MissingDependencyError, ParameterError, QuerySyntaxError, open_store,
                        query_df, query_rows, run_saved_query)
from innovgraph.cli import cli
from innovgraph.namespaces import DEFAULT_PREFIXES, SCHEME_PREFIXES
from innovgraph.sources import load_graph
from innovgraph.terms import show, with_default_prefixes
from support.webserver import UPDATE_TOKEN, start_server, stop_server

BETATOWN = "https://w3id.org/innovgraph/id/city/fictional-betatown"
ALL_DEFAULTS = ", ".join(f"{p}:" for p in DEFAULT_PREFIXES)


@pytest.fixture
def run(query_project):
    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["--project", str(query_project.root), *args], input=input)
    return invoke


def table_rows(output: str) -> list[dict[str, str]]:
    """The rows of a printed table ({column: cell}), split at the header's column starts."""
    lines = output.splitlines()
    header, rule = lines[0], lines[1]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    names = [header[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
    return [{n: line[a:b].strip() for n, a, b in zip(names, starts, starts[1:] + [None])}
            for line in lines[2:] if not line.startswith("(")]


# --- names copied from the output, pasted into a query without PREFIX lines ---------------

def test_names_copied_from_a_table_run_in_a_query_without_prefixes(run):
    printed = table_rows(run("query", "cities-by-role", "-p", "role=igv:innovation-role/designer").output)
    assert [(r["city"], r["response"]) for r in printed] == [
        ("city:fictional-betatown", f"<{BETATOWN}/response/2018>")]
    concepts = table_rows(run("query", "concept-scheme", "-p", "scheme=igv:innovation-role").output)
    designer = next(r["concept"] for r in concepts if r["label"] == "Designer")
    assert designer == "role:designer"
    city, response = printed[0]["city"], printed[0]["response"]
    query = (f"SELECT ?name ?edition WHERE {{ {city} schema:name ?name . "
             f"{response} ig:respondent {city} ; ig:edition ?edition ; ig:listsRole {designer} }}")
    result = run("query", query)
    assert result.exit_code == 0, result.output
    assert table_rows(result.output) == [{"name": "Betatown (fictional)", "edition": "edition:2018"}]


def test_every_printed_name_is_a_valid_name_in_sparql(query_project):
    # Every IRI the cities, people, programs and concepts of the fixture print as, pasted
    # back as it printed, names the same IRI.
    store = open_store(query_project, in_memory=True)
    iris = [row[0] for row in store.query("SELECT DISTINCT ?s { ?s ?p ?o FILTER(isIRI(?s)) }").rows]
    assert len(iris) > 100
    values = " ".join(show(iri) for iri in iris)
    pasted = store.query(f"SELECT ?x {{ VALUES ?x {{ {values} }} }}")
    assert [row[0] for row in pasted.rows] == iris
    shown = {show(iri).partition(":")[0] for iri in iris if not show(iri).startswith("<")}
    assert {"city", "person", "role", "area", "edition", "igv"} <= shown


def test_the_same_query_on_rdflib_and_pyoxigraph(query_project):
    query = ("SELECT ?r ?role WHERE { ?r ig:respondent ?city ; ig:listsRole ?role . "
             "?role skos:inScheme igv:innovation-role . FILTER(?city = city:fictional-betatown) } "
             "ORDER BY ?r ?role")
    embedded = open_store(query_project, in_memory=True).query(query).values()
    graph = load_graph(query_project)
    # rdflib takes text only: the PREFIX lines of the default prefixes the query uses go first.
    text = with_default_prefixes(query)
    assert text.splitlines() == [
        "PREFIX ig: <https://w3id.org/innovgraph/ontology#>",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
        "PREFIX igv: <https://w3id.org/innovgraph/vocab/>",
        "PREFIX city: <https://w3id.org/innovgraph/id/city/>", query]
    assert [tuple(show(t) for t in row) for row in graph.query(text)] == embedded
    # tests/fixtures/query-data/cities/fictional-betatown.ttl, lines 78 and 99.
    first, second = f"<{BETATOWN}/response/2018>", f"<{BETATOWN}/response/2020>"
    assert embedded == [(first, "role:data-scientist"), (first, "role:designer"),
                        (first, "role:urban-planner"), (second, "role:data-scientist")]


def test_a_query_s_own_prefix_wins(run, query_project):
    own = "PREFIX role: <https://example.org/fictional-roles/> SELECT (STR(role:x) AS ?v) WHERE {}"
    assert run("query", own, "--format", "csv").stdout_bytes == b"v\r\nhttps://example.org/fictional-roles/x\r\n"
    assert with_default_prefixes(own) == own  # nothing to add: it declares its one prefix
    graph = load_graph(query_project)
    assert [str(row[0]) for row in graph.query(with_default_prefixes(own))] == [
        "https://example.org/fictional-roles/x"]
    store = open_store(query_project, in_memory=True)
    assert store.query(own).values() == [("https://example.org/fictional-roles/x",)]
    # Without defaults a prefix must be declared.
    with pytest.raises(QuerySyntaxError, match="the prefix 'role:'"):
        store.query("SELECT (role:x AS ?v) {}", default_prefixes=False)


def test_defaults_in_an_update_on_sparql(app_client, query_project):
    client = app_client(query_project, allow_update=True, update_token=UPDATE_TOKEN)
    update = "INSERT DATA { city:fictional-betatown ig:listsRole role:fictional-juggler }"
    response = client.post("/sparql", data={"update": update},
                           headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert response.status_code == 204, response.text
    found = client.post("/sparql", data={"query": "ASK { city:fictional-betatown ig:listsRole "
                                                  "role:fictional-juggler }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert found.json()["boolean"] is True


def test_the_service_description_declares_the_default_prefixes(app_client, query_project):
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    text = app_client(query_project).get("/sparql", headers={"Accept": "text/turtle"}).text
    graph = Graph().parse(data=text, format="turtle")
    declared = {str(graph.value(d, sh.prefix)): str(graph.value(d, sh.namespace))
                for d in graph.objects(None, sh.declare)}
    assert declared == DEFAULT_PREFIXES
    assert declared["role"] == "https://w3id.org/innovgraph/vocab/innovation-role/"


def test_a_remote_endpoint_is_sent_the_prefix_lines_the_query_needs(query_project):
    from innovgraph.remote import EndpointConfig, RemoteStore
    from support.fake_endpoint import FakeEndpoint

    answer = json.dumps({"head": {"vars": ["name"]}, "results": {"bindings": [
        {"name": {"type": "literal", "value": "Betatown (fictional)"}}]}}).encode()
    with FakeEndpoint(lambda r: (200, {"Content-Type": "application/sparql-results+json"},
                                 answer)) as server:
        store = RemoteStore(EndpointConfig(url=server.url), project=query_project)
        own = "PREFIX schema: <https://schema.org/> SELECT ?name { city:fictional-betatown schema:name ?name }"
        assert store.query(own).values() == [("Betatown (fictional)",)]
    (request,) = server.requests
    assert request.form["query"] == [
        "PREFIX city: <https://w3id.org/innovgraph/id/city/>\n" + own]


@pytest.mark.slow
def test_sparql_endpoint_of_a_real_server_takes_names_as_printed(run, query_project, tmp_path):
    printed = table_rows(run("query", "cities", "-p", "min_population=1000000").output)
    assert printed[0]["city"] == "city:fictional-betatown"
    server = start_server(log=tmp_path / "server.log", project=query_project.root)
    try:
        import httpx

        query = f"SELECT ?name WHERE {{ {printed[0]['city']} schema:name ?name ; a ig:City }}"
        answer = httpx.post(server("/sparql"), data={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert [b["name"]["value"] for b in answer.json()["results"]["bindings"]] == [
            "Betatown (fictional)"]
        broken = httpx.get(server("/sparql"), params={"query": "SELECT * { ?s ?p igv:innovation-role/designer }"},
                           timeout=30)
        assert (broken.status_code, broken.json()["error"]) == (400, (
            "SPARQL syntax error at line 1, column 18: found 'igv:innovation-role/designer', "
            "expected a name without '/' (write role:designer or "
            "<https://w3id.org/innovgraph/vocab/innovation-role/designer>)"))
        description = httpx.get(server("/sparql"), headers={"Accept": "application/n-triples"},
                                timeout=30).text
        assert '"role"' in description and '"https://w3id.org/innovgraph/vocab/innovation-role/"' \
            '^^<http://www.w3.org/2001/XMLSchema#anyURI>' in description
    finally:
        stop_server(server)


# --- parameters: every form accepted, a concept that is not one refused -------------------

@pytest.mark.parametrize("value", ["role:designer", "igv:innovation-role/designer",
                                   r"igv:innovation-role\/designer",
                                   "<https://w3id.org/innovgraph/vocab/innovation-role/designer>",
                                   "https://w3id.org/innovgraph/vocab/innovation-role/designer"])
def test_parameters_take_old_and_new_forms(query_project, value):
    store = open_store(query_project, in_memory=True)
    rows = run_saved_query(store, "cities-by-role", {"role": value}).values()
    assert [r[0] for r in rows] == ["city:fictional-betatown"]


@pytest.mark.parametrize("value", ["city:fictional-betatown", "id:city/fictional-betatown",
                                   r"id:city\/fictional-betatown"])
def test_city_parameters_take_old_and_new_forms(query_project, value):
    store = open_store(query_project, in_memory=True)
    result = run_saved_query(store, "mayors-and-innovation-officers", {"city": value})
    assert [r["personName"] for r in result.records()] == ["Cy Beta (fictional)", "Di Beta (fictional)"]


@pytest.mark.parametrize("args,message", [
    (("programs-by-policy-area", "-p", "policy_area=igv:policy-area/health"),
     "Error: Parameter 'policy_area' names no concept of igv:policy-area: area:health. "
     "Did you mean area:healthcare?\n"),
    (("cities-by-role", "-p", "role=role:data-scientst"),
     "Error: Parameter 'role' names no concept of igv:innovation-role: role:data-scientst. "
     "Did you mean role:data-scientist?\n"),
    (("cities-by-role", "-p", "role=area:healthcare"),
     "Error: Parameter 'role' names no concept of igv:innovation-role: area:healthcare. "),
    (("mayors-and-innovation-officers", "-p", "city=id:city/fictional-betatwon"),
     "Error: Parameter 'city' names no ig:City: city:fictional-betatwon. "
     "Did you mean city:fictional-betatown?\n"),
])
def test_a_parameter_that_names_no_concept_is_an_error(run, args, message):
    result = run("query", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1


def test_did_you_mean_over_http_is_a_400(app_client, query_project):
    response = app_client(query_project).get(
        "/api/queries/programs-by-policy-area", params={"policy_area": "igv:policy-area/health"})
    assert response.status_code == 400
    assert response.json()["error"] == ("Parameter 'policy_area' names no concept of "
                                        "igv:policy-area: area:health. Did you mean area:healthcare?")


def test_every_scheme_parameter_names_a_scheme_with_concepts(query_project):
    from innovgraph import Catalogue

    store = open_store(query_project, in_memory=True)
    schemes = {p.scheme for q in Catalogue(query_project).list() for p in q.params if p.scheme}
    assert schemes >= {DEFAULT_PREFIXES["igv"] + s for s in
                       ("survey-edition", "innovation-role", "policy-area", "data-availability-level")}
    for scheme in schemes:
        assert scheme.removeprefix(DEFAULT_PREFIXES["igv"]) in SCHEME_PREFIXES
        assert store.query(f"ASK {{ ?c <http://www.w3.org/2004/02/skos/core#inScheme> <{scheme}> }}").boolean


def test_a_header_scheme_that_is_no_vocabulary_is_refused(tmp_path):
    from innovgraph.catalogue import parse_query_file
    from innovgraph.errors import QueryDefinitionError

    path = tmp_path / "fictional.rq"
    path.write_text("#+ summary: x\n#+ params:\n#+   role:\n#+     scheme: innovation-rolls\n"
                    "SELECT ?_role_iri {}\n", encoding="utf-8")
    with pytest.raises(QueryDefinitionError, match="unknown scheme 'innovation-rolls'"):
        parse_query_file(path)


# --- syntax errors: one line, the token found ---------------------------------------------

@pytest.mark.parametrize("text,message", [
    ("SELECT * WHERE { ?s ?p igv:innovation-role/data-scientist }",
     "SPARQL syntax error at line 1, column 24: found 'igv:innovation-role/data-scientist', "
     "expected a name without '/' (write role:data-scientist or "
     "<https://w3id.org/innovgraph/vocab/innovation-role/data-scientist>)"),
    ("SELECT * WHERE {\n  ?s ?p id:city/fictional-betatown/response/2018 }",
     "SPARQL syntax error at line 2, column 9: found 'id:city/fictional-betatown/response/2018', "
     f"expected a name without '/' (write <{BETATOWN}/response/2018>)"),
    ("SELECT * WHERE { ?s a fictional:City }",
     "SPARQL syntax error at line 1, column 23: the prefix 'fictional:' (in 'fictional:City') "
     f"is not declared: add PREFIX fictional: <...>, or use a default prefix: {ALL_DEFAULTS}"),
    ("SELECT * WHERE { ?s ?p ?o } LIMT 3",
     "SPARQL syntax error at line 1, column 29: found 'LIMT', expected a SPARQL keyword "
     "(did you mean LIMIT?)"),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER ?s",
     "SPARQL syntax error at line 1, column 36: found '?s', expected BY"),
    ('SELECT ?s WHERE { ?s ?p "open }',
     "SPARQL syntax error at line 1, column 25: found '\"open }', expected a closing '\"' "
     "(the string does not end)"),
])
def test_a_syntax_error_is_one_line_with_the_token_found(run, app_client, query_project, text, message):
    result = run("query", "--sparql", "-", input=text)
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    with pytest.raises(QuerySyntaxError) as err:
        open_store(query_project, in_memory=True).query(text)
    assert str(err.value) == message
    response = app_client(query_project).post("/sparql", data={"query": text})
    assert (response.status_code, response.json()["error"]) == (400, message)


def test_a_syntax_error_in_an_update_is_one_line(app_client, query_project):
    client = app_client(query_project, allow_update=True, update_token=UPDATE_TOKEN)
    response = client.post("/sparql", data={"update": "INSERT DATA { city:x ig:p igv:policy-area/health }"},
                           headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert (response.status_code, response.json()["error"]) == (400, (
        "SPARQL syntax error at line 1, column 27: found 'igv:policy-area/health', expected a "
        "name without '/' (write area:health or "
        "<https://w3id.org/innovgraph/vocab/policy-area/health>)"))


# --- results for analysts: jsonl, csv and the DataFrame agree ----------------------------

TYPED = """SELECT ?city ?name ?population ?share ?flag ?note WHERE {
  ?city a ig:City ; schema:name ?name ; ig:population/ig:populationValue ?population .
  BIND(xsd:decimal(?population) / 1000000 AS ?share)
  BIND(?population > 1000000 AS ?flag)
  OPTIONAL { FILTER(?population < 100000) BIND("small" AS ?note) }
} ORDER BY ?city ?population"""


def test_jsonl_has_typed_values(run):
    lines = run("query", "--sparql", "-", "--format", "jsonl", input=TYPED).output.splitlines()
    rows = [json.loads(line, parse_float=Decimal) for line in lines]
    # tests/fixtures/query-data/cities/: Alphaville has two observations (450000, 480000).
    assert rows[2] == {"city": BETATOWN, "name": "Betatown (fictional)", "population": 2300000,
                       "share": Decimal("2.3"), "flag": True, "note": None}
    assert [r["note"] for r in rows] == [None, None, None, None, "small"]
    assert lines[2].startswith('{"city": "https://w3id.org/innovgraph/id/city/fictional-betatown", ')
    saved = run("query", "cities", "-p", "min_population=1000000", "--format", "jsonl").output
    assert json.loads(saved) == {"city": BETATOWN, "name": "Betatown (fictional)",
                                 "country": "Betaland (fictional)", "population": 2300000,
                                 "year": 2019}


def test_query_rows_are_typed(query_project):
    rows = query_rows(TYPED, project=query_project)
    assert rows[4] == {"city": "https://w3id.org/innovgraph/id/city/fictional-gammaford",
                       "name": "Gammaford (fictional)", "population": 35000,
                       "share": Decimal("0.035"), "flag": False, "note": "small"}
    with pytest.raises(ParameterError, match="params apply to saved queries"):
        query_rows(TYPED, {"city": "city:x"}, project=query_project)


def _csv_frame(run, *args, input=None) -> pandas.DataFrame:
    result = run("query", *args, "--format", "csv", input=input)
    assert result.exit_code == 0, result.output
    return pandas.read_csv(io.BytesIO(result.stdout_bytes))


def test_dataframe_agrees_with_csv_read_by_pandas(run, query_project):
    frame = query_df(TYPED, project=query_project)
    pandas.testing.assert_frame_equal(frame, _csv_frame(run, "--sparql", "-", input=TYPED))
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "city": "str", "name": "str", "population": "int64", "share": "float64", "flag": "bool",
        "note": "str"}
    assert frame["share"].tolist() == [0.45, 0.48, 2.3, 0.9, 0.035]
    assert frame["note"].isna().tolist() == [True, True, True, True, False]


@pytest.mark.parametrize("name,params", [("cities", {}), ("compared-with-survey", {}),
                                         ("cities-by-role", {"role": "role:designer"})])
def test_saved_query_dataframe_agrees_with_csv(run, query_project, name, params):
    frame = query_df(name, params, project=query_project)
    args = [a for k, v in params.items() for a in ("-p", f"{k}={v}")]
    expected = _csv_frame(run, name, *args)
    pandas.testing.assert_frame_equal(frame, expected)
    assert len(frame) >= 1 and list(frame.columns) == list(expected.columns)


def test_csv_piped_into_pandas_agrees_with_the_library(query_project):
    # The command an analyst types, in a shell, against what the library gives.
    innovgraph = Path(sys.executable).with_name("innovgraph")
    reader = ("import pandas, sys; frame = pandas.read_csv(sys.stdin); "
              "print(frame.to_json(orient='split')); print(dict(frame.dtypes.astype(str)))")
    pipeline = (f"{innovgraph} --project {query_project.root} query cities --format csv | "
                f"{sys.executable} -c \"{reader}\"")
    done = subprocess.run(pipeline, shell=True, capture_output=True, text=True, timeout=120,
                          check=True)
    data, dtypes = done.stdout.splitlines()
    frame = query_df("cities", project=query_project)
    assert json.loads(data) == json.loads(frame.to_json(orient="split"))
    assert dtypes == str(dict(frame.dtypes.astype(str)))
    assert json.loads(data)["columns"] == ["city", "name", "country", "population", "year"]


def test_without_pandas_the_error_names_the_extra(query_project, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails
    with pytest.raises(MissingDependencyError) as err:
        query_df("cities", project=query_project)
    assert str(err.value) == ("A DataFrame (or use typed_rows()) needs the 'pandas' extra: "
                              "pip install 'innovgraph[pandas]'.")
