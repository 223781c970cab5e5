"""One --fail-on vocabulary (house.md F7): `validate` and `qc` accept SHACL's words
(violation, warning, info) and ROBOT's (error, warn, info) alike, and mean the same by them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from innovgraph import Project, validate
from innovgraph.cli import cli
from innovgraph.errors import OptionError

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def _run(project: Path, *args: str):
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    return result.exit_code, result.stdout


@pytest.mark.parametrize(("shacl", "robot"), [("violation", "error"), ("warning", "warn"),
                                                ("info", "info"), ("Warning", "WARN")])
def test_validate_takes_both_words(project, extra, shacl, robot):
    record = str(extra / "fictional-badtown.ttl")
    assert _run(project.root, "validate", "--fail-on", shacl, record) == \
        _run(project.root, "validate", "--fail-on", robot, record)


def test_the_words_mean_the_same_severity_in_validate(project):
    # The fixture project conforms with warnings: only warning/warn and info fail.
    codes = {word: _run(project.root, "validate", "--fail-on", word)[0]
             for word in ("violation", "error", "warning", "warn", "info")}
    assert codes == {"violation": 0, "error": 0, "warning": 1, "warn": 1, "info": 1}


@pytest.mark.parametrize(("shacl", "robot"), [("violation", "error"), ("warning", "warn")])
def test_qc_takes_both_words(tmp_path, shacl, robot):
    project = Path(shutil.copytree(FIXTURES / "qc" / "project", tmp_path / "qc"))
    shutil.copytree(REPO / "queries" / "qc", project / "queries" / "qc")
    bad = str(FIXTURES / "qc" / "fail" / "unused-concept.ttl")
    assert _run(project, "qc", "--fail-on", shacl, bad) == _run(project, "qc", "--fail-on", robot, bad)


def test_the_library_takes_fail_on_as_an_alias(project):
    by_alias = validate(project, fail_on="warn")
    by_name = validate(project, severity_threshold="warning")
    assert (by_alias.fail_on, by_alias.ok) == (by_name.fail_on, by_name.ok)
    assert by_alias.fail_on.name == "WARNING"
    with pytest.raises(OptionError, match="use violation \\(error\\), warning \\(warn\\) or info"):
        validate(project, fail_on="severe")
