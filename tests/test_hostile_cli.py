"""A bad-input corpus for the CLI's file inputs (issue 17, item 4): malformed Turtle given to
`validate FILE`, `qc FILE` and `reason FILE`, or placed under data/ttl/cities/ for `stats`,
`query NAME`, `serve --get /`, `summary` and `validate`, is one `Error: file:line:column: ...`
line, exit 1, no traceback, nothing written; the real process never crashes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from innovgraph import Project, RecordSyntaxError, parse_file
from innovgraph.cache import CACHE_DIR, TEMP_SUFFIX
from innovgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
MOSCOW = ROOT / "data" / "ttl" / "cities" / "moscow-rus.ttl"
TESTVILLE = Path(__file__).parent / "fixtures" / "project" / "data" / "ttl" / "cities" / "fictional-testville.ttl"
CITY = b"<https://w3id.org/innovgraph/id/city/fictional-x>"
STATEMENT = CITY + b" <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
CUTS = 24


def _not_turtle(data: bytes) -> bool:
    try:
        list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri="file:///x.ttl"))
    except SyntaxError:
        return True
    return False


def _cut(k: int) -> bytes:
    """The Moscow record cut at the k-th of 24 points, moved on to the first place where what
    is left is not Turtle (a cut just after a full stop leaves a shorter, valid record)."""
    data = MOSCOW.read_bytes()
    cut = len(data) * k // (CUTS + 1)
    while not _not_turtle(data[:cut]):
        cut += 1
    return data[:cut]


CORPUS = {
    **{f"cut-{k:02d}": (lambda k=k: _cut(k)) for k in range(1, CUTS + 1)},
    "no-final-dot": lambda: TESTVILLE.read_bytes().rstrip()[:-1],
    "deep-brackets": lambda: STATEMENT + b"[ <http://example.org/p> " * 10_000 + b"1" + b" ]" * 10_000 + b" .\n",
    "deep-parens": lambda: STATEMENT + b"( " * 10_000 + b"1" + b" )" * 10_000 + b" .\n",
    "iri-with-space": lambda: STATEMENT + b"<http://example.org/a b> .\n",
    "iri-with-braces": lambda: STATEMENT + b"<http://example.org/{a}> .\n",
    "iri-with-bad-escape": lambda: STATEMENT + b"<http://example.org/%zz> .\n",
    "binary": lambda: bytes(range(256)) * 16,
    "not-utf8": lambda: STATEMENT + '"Bogot\xe1" .\n'.encode("latin-1"),
    # and the ones rdflib accepted but the store refuses, and RDF 1.2
    "literal-subject": lambda: b'"x" <http://example.org/p> <http://example.org/o> .\n',
    "blank-node-predicate": lambda: CITY + b" _:p <http://example.org/o> .\n",
    "triple-term": lambda: STATEMENT + b"<<( <http://example.org/a> <http://example.org/b> 1 )>> .\n",
}
FILE_COMMANDS = (["validate"], ["qc"], ["reason", "--output", "inferred.ttl"])
PROJECT_COMMANDS = (["stats"], ["query", "fictional-cities"], ["serve", "--get", "/"], ["summary"],
                    ["validate"])


def _tree(root: Path) -> dict[str, bytes]:
    """Every file of the project but the caches, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and CACHE_DIR not in p.parts}


def _leftovers(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.name.endswith(TEMP_SUFFIX) or p.name.startswith("building-")]


def _one_error_line(result, expected: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.stdout == ""
    assert result.stderr == f"Error: {expected}\n", result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def hostile_project(project_dir: Path) -> Path:
    qc = project_dir / "queries" / "qc"   # `qc` needs a profile: one built-in check is enough
    qc.mkdir()
    (qc / "profile.tsv").write_text("ERROR\towl-dl-profile\n", encoding="utf-8")
    return project_dir


@pytest.mark.parametrize("case", list(CORPUS))
def test_malformed_turtle_is_one_error_line_from_every_command(hostile_project, tmp_path, monkeypatch,
                                                                case):
    data = CORPUS[case]()
    assert _not_turtle(data) or case in ("deep-brackets", "deep-parens", "triple-term")
    given = tmp_path / "in" / f"fictional-{case}.ttl"
    given.parent.mkdir()
    given.write_bytes(data)
    # The message, once: the same from every command, with the position in the file.
    with pytest.raises(RecordSyntaxError) as err:
        parse_file(given)
    message = str(err.value)
    m = re.match(rf"{re.escape(str(given))}:(\d+):(\d+): \S", message)
    assert m, message
    lines = data.decode("utf-8", "replace").split("\n")
    line, col = int(m[1]), int(m[2])
    assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1, message
    before = _tree(hostile_project)
    monkeypatch.chdir(tmp_path)  # where reason --output would write
    for args in FILE_COMMANDS:
        result = CliRunner().invoke(cli, ["--project", str(hostile_project), *args, str(given)])
        _one_error_line(result, message)
    assert not (tmp_path / "inferred.ttl").exists()
    placed = hostile_project / "data" / "ttl" / "cities" / given.name
    shutil.copy(given, placed)
    before[placed.relative_to(hostile_project).as_posix()] = data
    shown = message.replace(str(given), f"data/ttl/cities/{given.name}", 1)
    for args in PROJECT_COMMANDS:
        result = CliRunner().invoke(cli, ["--project", str(hostile_project), *args])
        _one_error_line(result, shown)
    assert _tree(hostile_project) == before            # nothing written
    assert _leftovers(hostile_project) == []           # nor half-built in the caches
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "project"]


def test_the_corpus_has_every_kind_of_input():
    assert len(CORPUS) == 24 + 1 + 2 + 3 + 2 + 3
    cuts = [CORPUS[f"cut-{k:02d}"]() for k in range(1, CUTS + 1)]
    assert len(set(cuts)) == CUTS and all(MOSCOW.read_bytes().startswith(c) for c in cuts)


@pytest.mark.parametrize(("case", "args"), [("deep-brackets", ["validate", "{file}"]),
                                            ("deep-parens", ["serve", "--get", "/"]),
                                            ("binary", ["stats"])])
def test_the_real_process_does_not_crash(hostile_project, tmp_path, case, args):
    given = hostile_project / "data" / "ttl" / "cities" / f"fictional-{case}.ttl"
    if "{file}" in args:
        given = tmp_path / given.name
    given.write_bytes(CORPUS[case]())
    argv = [a.replace("{file}", str(given)) for a in args]
    run = subprocess.run([sys.executable, "-m", "innovgraph", "--project", str(hostile_project), *argv],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])   # not 139, not negative
    assert run.stdout == ""
    shown = str(given) if "{file}" in args else f"data/ttl/cities/{given.name}"
    assert re.fullmatch(rf"Error: {re.escape(shown)}:\d+:\d+: [^\n]+\n", run.stderr), run.stderr


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, "SELECT * { ?s ?p ?o }\n# caf\xe9".encode("latin-1")])
def test_a_binary_sparql_file_is_one_error_line(project_dir, tmp_path, data):
    query = tmp_path / "binary.rq"
    query.write_bytes(data)
    result = CliRunner().invoke(cli, ["--project", str(project_dir), "query", "--sparql", str(query)])
    _one_error_line(result, f"{query} is not UTF-8 text: a SPARQL query must be.")
    result = CliRunner().invoke(cli, ["--project", str(project_dir), "query", "--sparql", "-"], input=data)
    _one_error_line(result, "stdin is not UTF-8 text: a SPARQL query must be.")
