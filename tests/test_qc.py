"""`innovgraph qc`: each shipped check fails on its fictional fixture and passes on a clean one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from innovgraph import Project
from innovgraph.cli import cli
from innovgraph.qc import Level, read_profile, run_qc

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "qc"
CHECKS = [name for name, _ in read_profile(Project(REPO))]
# A scheme of the fixture only (no default prefix): its concepts print as full IRIs.
COLOUR = "https://w3id.org/innovgraph/vocab/fictional-colour/"

# What each failing fixture must report: (check, entity, property) of at least one row.
EXPECTED = {
    "missing-label": ("ig:FictionalUnlabelled", "rdfs:label"),
    "missing-definition": ("ig:fictionalUndefined", "skos:definition"),
    "duplicate-label": (f"<{COLOUR}red-again>", "skos:prefLabel"),
    "undeclared-term": ("city:fictional-qcville", "rdf:type"),
    "iri-pattern": ("<https://w3id.org/innovgraph/id/City/Fictional_Badtown>", "rdf:type"),
    "owl-dl-profile": ("ig:fictionalBoth", "rdf:type"),
    "one-home": ("city:fictional-qcville", "schema:name"),
    "unaligned-class": ("person:fictional-quinn-qcperson", "rdf:type"),
    "label-whitespace": ("person:fictional-quinn-qcperson", "schema:alternateName"),
    "concept-without-definition": (f"<{COLOUR}grey>", "skos:definition"),
    "unused-concept": (f"<{COLOUR}ochre>", "skos:inScheme"),
}


@pytest.fixture(scope="module")
def qc_project(tmp_path_factory) -> Project:
    """The clean fictional mini project with the shipped checks."""
    root = Path(shutil.copytree(FIXTURES / "project", tmp_path_factory.mktemp("qc") / "project"))
    shutil.copytree(REPO / "queries" / "qc", root / "queries" / "qc")
    return Project(root)


def test_every_check_has_a_failing_fixture_and_an_expectation():
    assert sorted(CHECKS) == sorted(EXPECTED)
    assert sorted(p.stem for p in (FIXTURES / "fail").glob("*.ttl")) == sorted(EXPECTED)


def test_every_query_check_opens_with_its_intent_and_selects_the_report_columns():
    for path in sorted((REPO / "queries" / "qc").glob("*-violation.rq")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Intent: "), path.name
        assert "SELECT" in text and "?entity ?property ?value" in text, path.name
        assert "ORDER BY ?entity" in text, path.name


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_check_passes_on_the_clean_fixture(qc_project, check):
    report = run_qc(qc_project, checks=[check])
    assert report.violations == []


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_check_fails_on_its_fixture(qc_project, check):
    report = run_qc(qc_project, [FIXTURES / "fail" / f"{check}.ttl"], checks=[check])
    rows = {(v.entity, v.property) for v in report.violations}
    assert EXPECTED[check] in rows, [v.as_dict() for v in report.violations]
    assert {v.check for v in report.violations} == {check}


def test_failing_fixtures_fail_no_other_error_check(qc_project):
    """A fixture trips its own check: the ERROR checks it is not about stay silent."""
    errors = [name for name, level in read_profile(qc_project) if level == Level.ERROR]
    for check in ("label-whitespace", "unaligned-class", "unused-concept"):
        report = run_qc(qc_project, [FIXTURES / "fail" / f"{check}.ttl"], checks=errors)
        assert report.violations == [], (check, [v.as_dict() for v in report.violations])


def test_dl_profile_reports_each_restriction(qc_project):
    report = run_qc(qc_project, [FIXTURES / "fail" / "owl-dl-profile.ttl"], checks=["owl-dl-profile"])
    text = "\n".join(f"{v.entity} {v.property} {v.value}" for v in report.violations)
    assert "both owl:ObjectProperty and owl:DatatypeProperty" in text
    assert "xsd:gYear is outside the OWL 2 datatype map" in text
    assert "ig:fictionalChain rdf:type non-simple property" in text
    assert "skos:definition owl:onProperty an annotation property used in a logical axiom" in text


def test_the_shipped_graph_passes_every_error_check():
    report = run_qc(Project(REPO), fail_on="error")
    errors = [v.as_dict() for v in report.violations if v.level == Level.ERROR]
    assert errors == []
    assert report.ok


def test_levels_come_from_the_profile(qc_project):
    profile = qc_project.qc_dir / "profile.tsv"
    original = profile.read_text(encoding="utf-8")
    try:
        profile.write_text(original.replace("INFO\tunused-concept", "ERROR\tunused-concept"), encoding="utf-8")
        report = run_qc(qc_project, [FIXTURES / "fail" / "unused-concept.ttl"], checks=["unused-concept"])
        assert {v.level for v in report.violations} == {Level.ERROR}
        assert not report.ok
    finally:
        profile.write_text(original, encoding="utf-8")


def test_cli_fail_on_and_formats(qc_project):
    runner = CliRunner()
    extra = str(FIXTURES / "fail" / "unused-concept.ttl")
    base = ["--project", str(qc_project.root), "qc"]
    passed = runner.invoke(cli, [*base, extra])
    assert passed.exit_code == 0, passed.output
    assert "INFO" in passed.output and f"<{COLOUR}ochre>" in passed.output
    failed = runner.invoke(cli, [*base, "--fail-on", "info", extra])
    assert failed.exit_code == 1
    tsv = runner.invoke(cli, [*base, "--format", "tsv", extra])
    assert tsv.stdout.splitlines()[0] == "Level\tRule Name\tSubject\tProperty\tValue"
    data = json.loads(runner.invoke(cli, [*base, "--format", "json", extra]).stdout)
    assert data["summary"]["info"] == 1 and data["summary"]["passes"] is True
    unknown = runner.invoke(cli, [*base, "--check", "no-such-check"])
    assert unknown.exit_code == 1 and "Unknown quality check" in unknown.output
