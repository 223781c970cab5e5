import json
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SH

from innovgraph import __version__
from innovgraph.cli import cli


@pytest.fixture
def run(project_dir):
    """Invoke the CLI against the fixture project copy."""

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, ["--project", str(project_dir), *args], env=env)

    return invoke


def test_clean_project_exits_0_with_text_report(run):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "data/ttl/cities/fictional-nowhereburg.ttl",
        "  city:fictional-nowhereburg (line 7)",
        "    Warning   CityRecommendedShape-website: Say whether the city has an innovation website."
        "  path: ig:hasInnovationWebsite",
        "    Info      CityRecommendedShape-country: A city record usually names its country."
        "  path: ig:country",
        "conforms at --fail-on violation: 0 violations, 1 warning, 1 info",
    ]


@pytest.mark.parametrize(("fail_on", "code"), [("violation", 0), ("warning", 1), ("info", 1)])
def test_fail_on_threshold(run, fail_on, code):
    assert run("validate", "--fail-on", fail_on).exit_code == code


def test_violation_exits_1(run, extra):
    result = run("validate", str(extra / "fictional-badtown.ttl"))
    assert result.exit_code == 1
    assert "    Violation CityShape-name: A city needs a schema:name.  path: schema:name" in result.stdout
    assert result.stdout.endswith(
        "does not conform at --fail-on violation: 2 violations, 1 warning, 1 info\n")


def test_json_format_parses(run, extra):
    result = run("validate", "--format", "json", str(extra / "fictional-badtown.ttl"))
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["summary"] == {"conforms": False, "fail_on": "violation", "violations": 2,
                                  "warnings": 1, "infos": 1, "files": 5}
    first = payload["results"][0]
    assert first["focus_node"] == "city:fictional-badtown"
    assert first["source_shape"] == "igsh:CityShape-name"
    assert first["severity"] == "Violation"
    assert (first["file"], first["line"]) == (str(extra / "fictional-badtown.ttl"), 7)


def test_turtle_format_is_a_shacl_report(run):
    result = run("validate", "--format", "turtle")
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(set(graph.subjects(RDF.type, SH.ValidationResult))) == 2


@pytest.mark.parametrize("args", [
    ["validate", "--format", "xml"],
    ["validate", "--fail-on", "fatal"],
    ["validate", "no/such/file.ttl"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


def test_broken_turtle_is_one_error_line(run, project_dir, extra):
    shutil.copy(extra / "fictional-brokenham.ttl", project_dir / "data/ttl/cities")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: data/ttl/cities/fictional-brokenham.ttl:9:1: bad syntax: a dot is expected at the end")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_missing_project_home_is_an_error_not_a_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["summary"], env={"INNOVGRAPH_HOME": str(tmp_path / "nope")})
    assert result.exit_code == 1
    assert result.stderr == f"Error: INNOVGRAPH_HOME={tmp_path / 'nope'} is not a directory.\n"


def test_version_and_short_help():
    assert CliRunner().invoke(cli, ["--version"]).stdout == f"innovgraph, version {__version__}\n"
    result = CliRunner().invoke(cli, ["-h"])
    assert result.exit_code == 0
    assert "validate" in result.stdout and "summary" in result.stdout


def test_summary_counts(run):
    result = run("summary")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        # 18 ontology + 8 vocabulary + 20 Testville + 2 Nowhereburg triples.
        "triples                48",
        "cities                  2",
        "survey responses        1",
        "programs                1",
        "people                  1",
        "concepts per scheme",
        "  igv:policy-area      2",
        "validation: conforms at --fail-on violation: 0 violations, 1 warning, 1 info",
    ]


def test_summary_exits_1_on_violations(run, project_dir, extra):
    shutil.copy(extra / "fictional-badtown.ttl", project_dir / "data/ttl/cities")
    result = run("summary")
    assert result.exit_code == 1
    assert "cities                  3" in result.stdout
    assert "triples                55" in result.stdout
