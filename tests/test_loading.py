import shutil

import pytest

from innovgraph import InnovgraphError, Project, RecordSyntaxError, load_graph, parse_file
from innovgraph.namespaces import ID, IG
from innovgraph.sources import subject_lines
from innovgraph.project import find_root
from rdflib import RDF


def test_project_lists_sources_in_order(project, project_dir):
    rel = lambda paths: [p.relative_to(project_dir).as_posix() for p in paths]  # noqa: E731
    assert rel(project.ontology_files) == ["ontology/innovgraph.ttl", "ontology/vocab/policy-area.ttl"]
    assert rel(project.shape_files) == ["shapes/core.ttl", "shapes/recommended.ttl"]
    assert rel(project.data_files) == [
        "data/ttl/cities/fictional-nowhereburg.ttl",
        "data/ttl/cities/fictional-testville.ttl",
    ]
    assert project.query_dir == project_dir / "queries"


def test_content_hash_tracks_edits_and_renames(project, project_dir):
    before = project.content_hash()
    assert before == Project(project_dir).content_hash()
    record = project_dir / "data/ttl/cities/fictional-testville.ttl"
    record.write_text(record.read_text() + "\n# edited\n")
    edited = project.content_hash()
    assert edited != before
    record.rename(record.with_name("fictional-testville-renamed.ttl"))
    assert project.content_hash() not in {before, edited}


def test_find_root_prefers_innovgraph_home(monkeypatch, project_dir):
    monkeypatch.setenv("INNOVGRAPH_HOME", str(project_dir))
    assert find_root() == project_dir.resolve()
    assert Project().root == project_dir.resolve()


def test_find_root_rejects_missing_home(monkeypatch, tmp_path):
    monkeypatch.setenv("INNOVGRAPH_HOME", str(tmp_path / "nope"))
    with pytest.raises(InnovgraphError, match="INNOVGRAPH_HOME=.*nope is not a directory"):
        find_root()


def test_load_graph_merges_ontology_vocab_and_records(project):
    graph = load_graph(project)
    assert (ID["city/fictional-testville"], RDF.type, IG.City) in graph  # @base-relative IRI
    assert (IG.InnovationDepartment, None, IG.InnovationOrganisation) in graph
    assert len(set(graph.subjects(RDF.type, IG.City))) == 2


def test_load_graph_with_extra_file(project, extra):
    graph = load_graph(project, [extra / "fictional-badtown.ttl"])
    assert (ID["city/fictional-badtown"], RDF.type, IG.City) in graph  # escaped local name


def test_broken_turtle_names_file_line_and_column(project, project_dir, extra):
    target = project_dir / "data/ttl/cities/fictional-brokenham.ttl"
    shutil.copy(extra / "fictional-brokenham.ttl", target)
    with pytest.raises(RecordSyntaxError) as info:
        load_graph(project)
    err = info.value
    assert (err.path, err.line, err.column) == ("data/ttl/cities/fictional-brokenham.ttl", 9, 1)
    assert str(err).startswith(
        "data/ttl/cities/fictional-brokenham.ttl:9:1: bad syntax: a dot is expected at the end "
        "of statements (near '<https://w3id.org/innovgraph/id/city/fic')"
    )
    assert "\n" not in str(err)


def test_non_utf8_file_is_a_syntax_error(tmp_path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b'<http://example.org/a> <http://example.org/b> "ok" .\n<x> <y> "caf\xe9" .\n')
    with pytest.raises(RecordSyntaxError, match=r"latin1\.ttl:2:\d+: not valid UTF-8"):
        parse_file(bad)


def test_missing_file_is_a_domain_error(tmp_path):
    with pytest.raises(InnovgraphError, match="Cannot read .*missing.ttl"):
        parse_file(tmp_path / "missing.ttl")


def test_subject_lines_point_at_record_blocks(project_dir, extra):
    lines = subject_lines(project_dir / "data/ttl/cities/fictional-testville.ttl")
    city = str(ID["city/fictional-testville"])
    assert lines[city] == 10
    assert lines[str(ID["city/fictional-testville/population/2019"])] == 16
    assert lines[str(ID["city/fictional-testville/response/2018"])] == 32
    # Objects are not subjects: the country only appears in object position.
    assert str(ID["country/fictional-tst"]) not in lines
    bad = subject_lines(extra / "fictional-badtown.ttl")
    assert bad == {
        str(ID["city/fictional-badtown"]): 7,
        str(ID["city/fictional-badtown/population/2019"]): 12,
    }


def test_subject_lines_skip_strings_comments_and_nesting(tmp_path):
    ttl = tmp_path / "tricky.ttl"
    ttl.write_text(
        "@prefix ex: <http://example.org/> .\n"            # 1
        "PREFIX : <http://example.org/default/>\n"          # 2
        "# ex:commented ex:p ex:o .\n"                      # 3
        'ex:a ex:p """long\n'                               # 4
        "ex:inside ex:p ex:o .\n"                           # 5
        '""" ; ex:q ex:x.y , [ ex:nested ex:o ] .\n'        # 6
        "ex:b ex:n 1.5 . :c ex:p 'it\\'s' .\n"             # 7
        "ex:a ex:p ex:again .\n"                            # 8
    )
    parse_file(ttl)  # the fixture itself must be valid Turtle
    assert subject_lines(ttl) == {
        "http://example.org/a": 4,
        "http://example.org/b": 7,
        "http://example.org/default/c": 7,
    }


def test_data_files_listing_follows_additions_and_removals(project):
    first = project.data_files
    new = project.root / "data" / "ttl" / "cities" / "fictional-newtown.ttl"
    new.write_text("# a new record (fictional)\n", encoding="utf-8")
    assert project.data_files == sorted(first + [new])
    nested = project.root / "data" / "ttl" / "cities" / "more"
    nested.mkdir()
    deeper = nested / "fictional-deeper.ttl"
    deeper.write_text("# fictional\n", encoding="utf-8")
    assert deeper in project.data_files
    new.unlink()
    deeper.unlink()
    assert project.data_files == first
