"""The error contract (house.md F2): every error class in innovgraph.errors; one SPARQL
syntax-error message, with line and column, on the CLI, the server and in QC; a store that
cannot be read or written is one `Error:` line on the CLI and a 500 on the server; no silent
fallback."""

from __future__ import annotations

import ast
import asyncio
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from innovgraph import Project, open_store
from innovgraph.cli import cli
from innovgraph.errors import InnovgraphError, QuerySyntaxError, StorageError
from innovgraph.qc import run_query_check
from innovgraph.web.backend import Backend
from innovgraph.web.errors import ApiError

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "innovgraph"
BROKEN = "SELECT * WHERE {\n  ?s ?p\n}"
MESSAGE = "SPARQL syntax error at line 3, column 1: found '}', expected one of LATERAL, SERVICE"


def test_every_exception_class_is_defined_in_errors():
    defined = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", getattr(base, "attr", "")).endswith(("Error", "Exception"))
                    for base in node.bases):
                defined.append((path.relative_to(PACKAGE).as_posix(), node.name))
    outside = [(f, c) for f, c in defined if f != "errors.py"]
    # The two that are not the library's errors: the HTTP layer's response carrier and the
    # minimiser's internal stop signal, neither of which leaves its module.
    assert outside == [("reasoning/explain.py", "_BudgetSpent"), ("web/errors.py", "ApiError")]
    assert len([c for f, c in defined if f == "errors.py"]) >= 20


def test_no_library_code_raises_the_bare_base_class():
    bare = [f"{path.relative_to(PACKAGE)}:{node.lineno}"
            for path in sorted(PACKAGE.rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
            and getattr(node.exc.func, "id", None) == "InnovgraphError"]
    assert bare == []


def test_a_syntax_error_reads_the_same_on_the_cli_and_the_server(tmp_path, web_client):
    query_file = tmp_path / "broken.rq"
    query_file.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "--sparql", str(query_file)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + MESSAGE)
    response = web_client.post("/sparql", data={"query": BROKEN})
    assert response.status_code == 400
    assert response.json()["error"] == result.output[len("Error: "):].rstrip("\n")


def test_a_quality_check_that_does_not_parse_says_where(tmp_path):
    import pyoxigraph as ox

    with pytest.raises(QuerySyntaxError) as err:
        run_query_check(ox.Store(), BROKEN, "fictional-check")
    assert str(err.value) == (
        "SPARQL syntax error in quality check fictional-check at line 3, column 1: found '}', "
        "expected one of LATERAL, SERVICE")


def _unwritable_cache(project_dir: Path) -> Project:
    # The cache folder is a file: nothing can be built under it (root ignores permissions).
    shutil.rmtree(project_dir / ".innovgraph-cache", ignore_errors=True)
    (project_dir / ".innovgraph-cache").write_text("not a folder", encoding="utf-8")
    return Project(project_dir)


def test_a_store_that_cannot_be_built_is_one_error_line(project_dir):
    _unwritable_cache(project_dir)
    result = CliRunner().invoke(cli, ["--project", str(project_dir), "stats"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot build or open the store in "
                                    ".innovgraph-cache/store: ")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_the_server_answers_500_for_a_storage_error(project_dir, tmp_path):
    broken = _unwritable_cache(project_dir)
    healthy = shutil.copytree(Path(__file__).parent / "fixtures" / "project", tmp_path / "ok")
    backend = Backend(Project(healthy))
    with pytest.raises(StorageError):
        open_store(broken)
    with pytest.raises(ApiError) as err:
        asyncio.run(backend.call(lambda: open_store(broken)))
    assert (err.value.status, err.value.message) == (
        500, "Internal server error; the server log has details.")
    assert isinstance(StorageError("x"), InnovgraphError)


def test_validation_says_when_it_cannot_use_the_store(project_dir):
    _unwritable_cache(project_dir)
    result = CliRunner().invoke(cli, ["--project", str(project_dir), "validate"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("innovgraph: validating without the store (Cannot build or "
                                    "open the store in .innovgraph-cache/store: ")
    assert result.stderr.rstrip().endswith("this is slower.")
