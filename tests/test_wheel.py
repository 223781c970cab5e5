"""The wheel is the product (issue 20): built, installed into a fresh venv with its default
dependencies only, and run from an empty folder, with no checkout to find.

The slow test builds the wheel with `pip wheel --no-deps` and installs it from PyPI's
dependencies; the fast tests check the two rules it relies on (where the project is looked
for, and where its caches go) and the one line a missing extra gives.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from innovgraph import project as project_module
from innovgraph.cli import cli
from innovgraph.project import Project

ROOT = Path(__file__).resolve().parents[1]
CITY_BASE = "https://w3id.org/innovgraph/id/city/"
SHIPPED_CITIES = sorted(p.stem for p in (ROOT / "data" / "ttl" / "cities").glob("*.ttl"))
REASON_LINE = "Error: innovgraph reason needs the 'reason' extra: pip install 'innovgraph[reason]'."


def test_the_shipped_files_cache_in_the_user_cache_folder(tmp_path, monkeypatch):
    shipped = tmp_path / "site-packages" / "innovgraph" / "knowledge"
    (shipped / "ontology").mkdir(parents=True)
    monkeypatch.setattr(project_module, "SHIPPED_ROOT", shipped)
    monkeypatch.setattr(project_module.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = Project(shipped)
    assert project.shipped
    assert project.cache_root.parent == tmp_path / "cache" / "innovgraph"
    assert not project.cache_root.is_relative_to(shipped)
    # A checkout (or any folder given with --project) keeps its caches beside its files.
    assert Project(tmp_path).cache_root == tmp_path / ".innovgraph-cache"


def test_the_shipped_records_are_never_written_into(tmp_path, monkeypatch):
    shipped = tmp_path / "knowledge"
    (shipped / "data" / "ttl" / "cities").mkdir(parents=True)
    (shipped / "ontology").mkdir()
    monkeypatch.setattr(project_module, "SHIPPED_ROOT", shipped)
    result = CliRunner().invoke(cli, ["--project", str(shipped), "new-city", "fictional-x"])
    assert result.exit_code == 1
    assert result.output == ("Error: The shipped records are read-only (they are part of the "
                             "installed package): pass --out FILE, or --project a folder of "
                             "your own.\n")
    assert list((shipped / "data" / "ttl" / "cities").iterdir()) == []
    out = tmp_path / "fictional-x.ttl"
    result = CliRunner().invoke(cli, ["--project", str(shipped), "new-city", "fictional-x",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_the_environment_wins_over_the_shipped_files(tmp_path, monkeypatch):
    monkeypatch.setenv("INNOVGRAPH_HOME", str(tmp_path))
    assert project_module.find_root() == tmp_path.resolve()


def test_reason_without_its_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "owlready2", None)  # `import owlready2` now fails
    result = CliRunner().invoke(cli, ["--project", str(ROOT), "reason"])
    assert result.exit_code == 1
    assert result.output.strip() == REASON_LINE


def test_serve_without_its_extra_names_the_extra(monkeypatch):
    for name in [m for m in sys.modules if m == "innovgraph.web" or m.startswith("innovgraph.web.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)
    result = CliRunner().invoke(cli, ["--project", str(ROOT), "serve", "--get", "/"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: innovgraph serve needs the 'serve' extra: "
                                     "pip install 'innovgraph[serve]'.")


def _run(venv: Path, cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "innovgraph"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def _source_copy(target: Path) -> Path:
    """The files git tracks or would track (not ignored), copied to `target`: a wheel built
    from the checkout itself would take whatever an earlier build left in its build/ folder
    (a module since deleted, say), and would write that folder into the checkout."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        path = ROOT / name
        if path.is_file():  # a tracked file deleted in the working tree is left out
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding the wheel and its default dependencies, nothing else."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = _source_copy(tmp / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp / "dist"), str(source)], check=True, capture_output=True)
    (wheel,) = (tmp / "dist").glob("innovgraph-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, capture_output=True)
    empty = tmp / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("INNOVGRAPH_HOME", "VIRTUAL_ENV", "PYTHONPATH")}
    env["XDG_CACHE_HOME"] = str(tmp / "cache")
    return wheel, venv, empty, env


@pytest.mark.slow
def test_the_wheel_carries_the_knowledge_files_and_the_licences(installed):
    wheel, *_ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for city in SHIPPED_CITIES:
        assert f"innovgraph/knowledge/data/ttl/cities/{city}.ttl" in names
    for path in ("ontology/innovgraph.ttl", "shapes/core.ttl", "queries/cities.rq",
                 "data/sources/survey-statistics.yaml", "LICENSE", "LICENSE-DATA",
                 "NOTICE-SOURCES.md", "CHANGELOG.md", "CITATION.cff"):
        assert f"innovgraph/knowledge/{path}" in names
    version = wheel.name.split("-")[1]
    for path in ("LICENSE", "LICENSE-DATA", "NOTICE-SOURCES.md"):
        assert f"innovgraph-{version}.dist-info/licenses/{path}" in names
    assert not [n for n in names if ".innovgraph-cache" in n]


@pytest.mark.slow
def test_the_installed_wheel_works_from_an_empty_folder(installed):
    _, venv, empty, env = installed
    reason_module = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import importlib.util as u; "
         "print(u.find_spec('owlready2'), u.find_spec('starlette'), u.find_spec('httpx'))"],
        capture_output=True, text=True, env=env, cwd=empty)
    assert reason_module.stdout.split() == ["None", "None", "None"]  # the extras stay out

    summary = _run(venv, empty, env, "summary")
    assert summary.returncode == 0, summary.stderr
    counts = dict(line.rsplit(None, 1) for line in summary.stdout.splitlines()[:5])
    assert int(counts["cities"]) == len(SHIPPED_CITIES) == 79

    cities = _run(venv, empty, env, "query", "cities", "--format", "csv")
    assert cities.returncode == 0, cities.stderr
    rows = list(csv.reader(io.StringIO(cities.stdout)))
    assert rows[0][0] == "city" and len(rows) == 1 + 79
    assert sorted(r[0].removeprefix(CITY_BASE) for r in rows[1:]) == SHIPPED_CITIES

    validate = _run(venv, empty, env, "validate")
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.strip() == ("conforms at --fail-on violation: 0 violations, "
                                       "0 warnings, 0 info")

    reason = _run(venv, empty, env, "reason")
    assert reason.returncode == 1
    assert reason.stderr.strip() == REASON_LINE

    release = _run(venv, empty, env, "release", "out")
    assert release.returncode == 1
    assert release.stderr.strip() == ("Error: innovgraph release needs the 'serve' extra: "
                                      "pip install 'innovgraph[serve]'.")

    # The caches went to the user's cache folder: nothing was written into the package.
    assert list((Path(env["XDG_CACHE_HOME"]) / "innovgraph").glob("shipped-*/store"))
    assert not list(venv.rglob(".innovgraph-cache"))
    assert os.listdir(empty) == []


@pytest.mark.slow
def test_the_installed_wheel_serves_from_an_empty_folder_with_its_extra(installed, tmp_path):
    wheel, _, empty, env = installed
    venv = tmp_path / "venv-serve"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                    f"{wheel}[serve]"], check=True, capture_output=True)
    page = _run(venv, empty, env, "serve", "--get", "/id/city/moscow-rus")
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>") and '<h1 id="title">Moscow</h1>' in page.stdout
    table = _run(venv, empty, env, "serve", "--get", "/api/queries/cities.csv")
    assert table.returncode == 0, table.stderr
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert len(rows) == 1 + 79
    assert os.listdir(empty) == []


@pytest.mark.slow
def test_a_project_folder_still_wins_over_the_shipped_files(installed, tmp_path):
    _, venv, empty, env = installed
    mine = tmp_path / "mine"
    (mine / "data" / "ttl" / "cities").mkdir(parents=True)
    for part in ("ontology", "shapes", "queries"):
        subprocess.run(["cp", "-r", str(ROOT / part), str(mine / part)], check=True)
    city = SHIPPED_CITIES[0]
    (mine / "data" / "ttl" / "cities" / f"{city}.ttl").write_bytes(
        (ROOT / "data" / "ttl" / "cities" / f"{city}.ttl").read_bytes())
    for how in (["--project", str(mine)], []):
        run_env = env if how else {**env, "INNOVGRAPH_HOME": str(mine)}
        result = _run(venv, empty, run_env, *how, "query", "cities", "--format", "csv")
        assert result.returncode == 0, result.stderr
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert [r[0] for r in rows[1:]] == [CITY_BASE + city]


def test_the_citation_file_names_the_release():
    import tomllib

    import yaml

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert citation["cff-version"] == "1.2.0"
    assert citation["authors"] == [{"name": "innovgraph contributors"}]
    assert citation["version"] == version
    assert "doi" not in citation and "identifiers" not in citation  # no DOI yet
    assert {"MIT", "CC-BY-4.0"} == set(citation["license"])
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {version} ({citation['date-released']})" in changelog


def test_the_citation_file_is_valid_citation_file_format():
    import json

    import jsonschema
    import yaml

    schema = json.loads((ROOT / "tests" / "fixtures" / "citation-file-format" /
                         "schema-1.2.0.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(citation)]
    assert errors == []
    # The schema is strict enough to catch a slip: a reference without authors is refused.
    broken = {**citation, "references": [{"type": "website", "title": "x"}]}
    assert not validator.is_valid(broken)
