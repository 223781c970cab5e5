"""One parser for records (issue 17, items 4 and 9): every Turtle file is read by pyoxigraph, the
store's own parser, so what `validate` accepts the store loads; every syntax error is one
`path:line:column: message` line, the same from every command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph
from rdflib.compare import to_isomorphic

from innovgraph import Project, RecordSyntaxError, open_store, run_sparql
from innovgraph.cli import cli
from innovgraph.sources import MAX_NESTING, load_files, parse_file, read_triples

ROOT = Path(__file__).resolve().parents[1]
CITY = "<https://w3id.org/innovgraph/id/city/fictional-x>"
P = "<http://www.w3.org/2000/01/rdf-schema#comment>"
PRED, OBJ = len(CITY) + 2, len(CITY) + len(P) + 3   # the columns of a line's predicate and object

# Forms rdflib's N3-flavoured parser accepted and the store refuses, with where pyoxigraph says
# they are wrong and what it says.
REFUSED = {
    "literal subject": (f'"x" {P} {CITY} .', 1, 1, '"x" is not a valid subject'),
    "blank-node predicate": (f"{CITY} _:b {CITY} .", 1, PRED, "_:b is not a valid predicate"),
    "formula": (f"{{ {CITY} {P} 1 }} => {{ {CITY} {P} 2 }} .", 1, 1, "{ is not a valid subject"),
    "is ... of": (f"{CITY} is {P} of {CITY} .", 1, PRED, "is is not a valid predicate"),
    "IRI with a space": (f"{CITY} {P} <http://example.org/a b> .", 1, OBJ, "invalid IRI code point ' '"),
    "IRI with braces": (f"{CITY} {P} <http://example.org/{{a}}> .", 1, OBJ, "invalid IRI code point '{'"),
    "IRI with %zz": (f"{CITY} {P} <http://example.org/%zz> .", 1, OBJ, "invalid IRI percent encoding '%zz'"),
    "no final dot": (f"{CITY} {P} 1", 1, OBJ + 1,
                     "unexpected end of file: the last statement is not finished (no final '.'?)"),
    "undeclared prefix": (f"{CITY} {P} nope:x .", 1, OBJ, "the prefix nope: has not been declared"),
    "unclosed string": (f'{CITY} {P}\n  "abc .\n', 2, 3, "unexpected end of file, inside what starts here"),
    "triple term": (f"{CITY} {P} <<( {CITY} {P} 1 )>> .", 1, OBJ, "RDF 1.2 triple terms"),
    "reifier": (f"{CITY} {P} 1 ~ <http://example.org/r> .", 1, OBJ + 2, "RDF 1.2 triple terms"),
    "annotation": (f"@prefix : <http://example.org/> .\n:a :b :c {{| :d 1 |}} .", 2, 10, "RDF 1.2 triple terms"),
    "quoted triple": (f"@prefix : <http://example.org/> .\n:a :b << :s :p :o >> .", 2, 7, "RDF 1.2 triple terms"),
}


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize("case", list(REFUSED))
def test_parse_file_and_the_store_refuse_alike_with_pyoxigraphs_position(project, project_dir, case):
    text, line, col, message = REFUSED[case]
    path = _write(project_dir / "data" / "ttl" / "cities", "fictional-x.ttl", text)
    with pytest.raises(RecordSyntaxError) as parsed:
        parse_file(path, project=project)
    err = parsed.value
    assert (err.path, err.line, err.column) == ("data/ttl/cities/fictional-x.ttl", line, col)
    assert err.message.startswith("bad syntax: ") and message in err.message, err.message
    assert "\n" not in str(err)
    with pytest.raises(RecordSyntaxError) as stored:
        open_store(project)
    assert str(stored.value) == str(err)
    with pytest.raises(RecordSyntaxError) as streamed:
        list(read_triples([path], project=project))
    assert str(streamed.value) == str(err)


def test_what_validate_refused_before_in_data_breaks_no_command(project_dir):
    # rdflib accepted a literal subject; the store did not, and every command broke on it.
    _write(project_dir / "data" / "ttl" / "cities", "fictional-x.ttl", REFUSED["literal subject"][0])
    expected = ('Error: data/ttl/cities/fictional-x.ttl:1:1: bad syntax: "x" is not a valid subject '
                "or graph name (near '\"x\" <http://www.w3.org/2000/01/rdf-schem')\n")
    for args in (["validate"], ["stats"], ["query", "fictional-cities"]):
        result = CliRunner().invoke(cli, ["--project", str(project_dir), *args])
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected), args


def test_the_column_counts_characters(tmp_path):
    text = f'{CITY} {P} "Łódź é", {CITY} {CITY} .'
    path = _write(tmp_path, "x.ttl", text)
    with pytest.raises(RecordSyntaxError) as err:
        parse_file(path)
    stray = text.rindex(CITY)  # where a '.' or ';' should be
    assert (err.value.line, err.value.column) == (1, stray + 1)
    assert stray + 1 != len(text[:stray].encode("utf-8")) + 1    # not a byte count
    assert err.value.message.endswith(f"(near {CITY[:40]!r})")   # 40 characters from there


def _blank_subjects(project) -> int:
    query = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b ?p ?o FILTER isBlank(?b) }"
    return int(run_sparql(open_store(project), query).rows[0][0].value)


def test_each_file_has_its_own_blank_nodes(project, project_dir):
    before = _blank_subjects(project)
    text = f"_:b0 {P} {CITY} .\n{CITY} {P} [ {P} 1 ] .\n"
    folder = project_dir / "data" / "ttl" / "cities"
    paths = [_write(folder, f"fictional-{n}.ttl", text) for n in ("a", "b")]
    graph = load_files(paths)
    assert len(graph) == 6 and len({s for s in graph.subjects() if isinstance(s, BNode)}) == 4
    assert _blank_subjects(Project(project_dir)) == before + 4


def test_the_shipped_files_read_as_rdflib_read_them():
    # Same triples, literals (lexical forms) and base IRIs as rdflib's own Turtle parser gave.
    project = Project(ROOT)
    files = [*project.ontology_files, *project.data_files, *project.shape_files]
    mine = load_files(files, project=project)
    reference = Graph()
    for path in files:
        reference.parse(path, format="turtle", publicID=path.resolve().as_uri())
    assert len(mine) == len(reference) > 4000
    assert to_isomorphic(mine) == to_isomorphic(reference)


def test_relative_iris_resolve_against_the_file(tmp_path):
    path = _write(tmp_path, "x.ttl", "<a> <b> <#c> .")
    (s, p, o), = parse_file(path)
    assert (str(s), str(o)) == (path.resolve().as_uri()[:-len("x.ttl")] + "a", path.resolve().as_uri() + "#c")


@pytest.mark.parametrize("opener", ["[ ", "( "])
def test_nesting_is_limited_before_the_parser(tmp_path, opener):
    closer = {"[ ": " ]", "( ": " )"}[opener]
    inner = f"{P} " if opener == "[ " else ""
    deep = lambda n: f"{CITY} {P}\n" + (opener + inner) * n + "1" + closer * n + " .\n"  # noqa: E731
    assert len(parse_file(_write(tmp_path, "ok.ttl", deep(MAX_NESTING)))) > MAX_NESTING
    for n in (MAX_NESTING + 1, 10_000):
        with pytest.raises(RecordSyntaxError) as err:
            parse_file(_write(tmp_path, "deep.ttl", deep(n)))
        assert (err.value.line, err.value.column) == (2, MAX_NESTING * len(opener + inner) + 1)
        assert err.value.message.startswith(f"nesting deeper than {MAX_NESTING} levels")


def test_brackets_in_strings_comments_and_iris_are_not_nesting(tmp_path):
    many = "(" * 300 + "[" * 300
    text = (f"# {many}\n{CITY} {P} \"{many}\" , '''{many}\n{many}''' , <http://example.org/{'('*300}> ;\n"
            f"  {P} ( ( [ {P} 1 ] ) ) .\n")
    assert len(parse_file(_write(tmp_path, "x.ttl", text))) == 4 + 2 * 2 + 1


def test_a_shared_copy_of_an_extra_file_is_validated_with_the_same_parser(project_dir, extra):
    # validate FILE (incremental) and validate with the file in data/ give the same message.
    broken = extra / "fictional-brokenham.ttl"
    alone = CliRunner().invoke(cli, ["--project", str(project_dir), "validate", str(broken)])
    shutil.copy(broken, project_dir / "data" / "ttl" / "cities")
    placed = CliRunner().invoke(cli, ["--project", str(project_dir), "validate"])
    assert alone.exit_code == placed.exit_code == 1
    assert alone.stderr.replace(str(broken), "data/ttl/cities/fictional-brokenham.ttl") == placed.stderr
    assert placed.stderr.startswith("Error: data/ttl/cities/fictional-brokenham.ttl:9:1: bad syntax: ")
