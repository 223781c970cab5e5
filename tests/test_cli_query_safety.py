"""`innovgraph query` on hostile text: no fetch unless --allow-federation, no crash on deep
nesting, and every refusal one `Error:` line with exit status 1 (in-process, CliRunner)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from innovgraph.cli import cli
from support.listener import Listener


@pytest.fixture
def run(query_project):
    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["--project", str(query_project.root), *args], input=input)
    return invoke


def assert_one_error_line(result, *words: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # x\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ BIND("\\u0022" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} BIND("\\u0022" AS ?b) }}',
])
def test_service_is_refused_by_default_and_nothing_is_fetched(run, template):
    with Listener() as ear:
        result = run("query", "--sparql", "-", input=template.format(url=ear.url))
        assert_one_error_line(result, "SERVICE", "--allow-federation")
        assert ear.settle() == []


def test_allow_federation_fetches_and_a_failed_fetch_is_one_error_line(run):
    with Listener() as ear:
        query = f"SELECT * WHERE {{ SERVICE <{ear.url}> {{ ?s ?p ?o }} }}"
        result = run("query", "--allow-federation", "--sparql", "-", input=query)
        assert_one_error_line(result, "SERVICE request", "failed")
        assert len(ear.settle()) == 1 and ear.connections[0].startswith(b"POST / HTTP/1.1")


def test_an_unreachable_service_is_one_error_line(run):
    result = run("query", "--allow-federation", "--sparql", "-",
                 input="SELECT * WHERE { SERVICE <http://nowhere.invalid/sparql> { ?s ?p ?o } }")
    assert_one_error_line(result, "SERVICE request")


def test_a_local_query_needs_no_option(run):
    result = run("query", "--sparql", "-", input="SELECT ?download WHERE { ?download a ?service } LIMIT 1")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("query", [
    "ASK { " + "{ " * 5000 + "}" * 5000 + " }",
    "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
])
def test_deep_nesting_is_one_error_line_not_a_crash(run, query):
    assert_one_error_line(run("query", "--sparql", "-", input=query),
                          "levels deep", "INNOVGRAPH_MAX_QUERY_DEPTH")


@pytest.mark.parametrize("param, words", [
    ("role=http://example.org/a\x01b", ["'role' must be an IRI", "code point"]),
    ("role=http://example.org/%zz", ["'role' must be an IRI", "percent encoding"]),
    ("role=http://[::1", ["'role' must be an IRI", "host"]),
    ("role=<http://example.org/a b>", ["'role' must be an IRI"]),
])
def test_iris_the_engine_refuses_are_one_parameter_error(run, param, words):
    assert_one_error_line(run("query", "cities-by-role", "--param", param), *words)


@pytest.mark.parametrize("value", ["9" * 5000, "9223372036854775808", "-9223372036854775809"])
def test_integers_out_of_the_engines_range_are_one_parameter_error(run, value):
    assert_one_error_line(run("query", "cities", "--param", f"min_population={value}"),
                          "'min_population' must be an integer", "64-bit")


def test_the_largest_integer_still_runs(run):
    result = run("query", "cities", "--param", "min_population=9223372036854775807")
    assert result.exit_code == 0 and "(0 rows)" in result.output, result.output
