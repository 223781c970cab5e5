"""What `ingest` writes cannot be steered by the values it writes (issue 17, items 6 and 12):
a line break in a name ends no comment and starts no statement; `ig:localCopy` is a path
inside the project or absent, never a maintainer's absolute path."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from innovgraph.ingest.writer import Org, Program, Record, render_record
from innovgraph.namespaces import ID, IG

from support.ingest_helpers import PROFILES, run_ingest, snapshot_project

SEED = PROFILES / "moscow-rus.txt"
URL = "https://cities-innovation-oecd.com/cities/fictional-moscow/"
SCHEMA_NAME = URIRef("https://schema.org/name")
COUNTRY = "QZZ"  # user-assigned in ISO 3166: a country no graph has, so the record states it
EVIL = "urn:evil"
# Every way out of a comment or a short string that a value could try.
HOSTILE = (f'\n<{EVIL}> <{EVIL}> <{EVIL}> .\r<{EVIL}> <{EVIL}> "r" .\r\n# \u2028\u2029\x85'
           f'\x00\x1b[31m\t" ; <{EVIL}> "q" . \\" \\')


def _record(extra: str) -> Record:
    """A record with `extra` appended to every value that is written as text or in a comment."""
    return Record(
        slug="fictional-x", city_name="Testville" + extra, source_url="https://example.org/x",
        edition=2020, created="2024-01-01", local_copy="data/sources/x.txt" + extra,
        vintage="Produced in 2019." + extra, source_notes=["source note" + extra],
        record_notes=["record note" + extra], country_code="RUS", country_name="Russia" + extra,
        country_notes=["country note" + extra], population=10, population_year=2019, website=True,
        website_url='https://example.org/w"' + extra, city_notes=["city note" + extra],
        mayor="Jane Doe", mayor_notes=["mayor note" + extra], officer="John Doe",
        orgs=[Org("dept", "Department" + extra, "ig:InnovationDepartment", ["org note" + extra])],
        programs=[Program("prog", "Program" + extra, "PRG" + extra, "What it does." + extra, [],
                          "dept", ["program note" + extra])],
        answers=[("Vision and approach" + extra, "ig:hasExplicitStrategy", ["true"])],
        compared_with=["<statistic/x>"], reached=["mayor"], not_reached=["roles"],
        response_notes=["response note" + extra])


def _ox_triples(text: str) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object))
            for t in ox.parse(text, format=ox.RdfFormat.TURTLE)}


def test_no_value_can_end_its_comment_or_literal():
    clean, hostile = render_record(_record("")), render_record(_record(HOSTILE))
    clean_triples, hostile_triples = _ox_triples(clean), _ox_triples(hostile)
    assert len(hostile_triples) == len(clean_triples) > 50
    assert not any(EVIL in t[0] or EVIL in t[1] for t in hostile_triples)
    # Every hostile value is one literal holding exactly the value: take it out, and the
    # triples are those of the clean record.
    literals = [t for t in ox.parse(hostile, format=ox.RdfFormat.TURTLE)
                if isinstance(t.object, ox.Literal) and HOSTILE in t.object.value]
    marked = [t for t in ox.parse(render_record(_record("\u00a7")), format=ox.RdfFormat.TURTLE)
              if isinstance(t.object, ox.Literal) and "\u00a7" in t.object.value]
    assert len(literals) == len(marked) > 20   # every text value of the record: one literal each
    assert {t.object.value.replace(HOSTILE, "") for t in literals} >= {"Testville", "Russia", "Program"}
    stripped = {(str(t.subject), str(t.predicate),
                 str(ox.Literal(t.object.value.replace(HOSTILE, ""), datatype=t.object.datatype,
                                language=t.object.language)
                     if isinstance(t.object, ox.Literal) else t.object))
                for t in ox.parse(hostile, format=ox.RdfFormat.TURTLE)}
    assert stripped == clean_triples
    # rdflib reads the same triples (it kept a CR inside a comment where pyoxigraph ends it).
    assert len(Graph().parse(data=hostile, format="turtle")) == len(hostile_triples)
    # Comments stay comments: each one line, with no control character in it.
    for line in hostile.splitlines():
        if line.lstrip().startswith("#"):
            assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c in "\u2028\u2029"
                           for c in line), repr(line)
    assert all(ord(c) >= 32 or c == "\n" for c in hostile)   # the only control: line ends


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return snapshot_project(tmp_path_factory.mktemp("snap"))


def _ingest(project, out, *args):
    return run_ingest(project, SEED, "--city-slug", "fictional-moscow", "--source-url", URL,
                      "--out", str(out), "--country-code", COUNTRY, *args)


def test_a_line_break_in_a_name_option_injects_nothing(project, tmp_path):
    clean = tmp_path / "clean" / "fictional-moscow.ttl"
    hostile = tmp_path / "hostile" / "fictional-moscow.ttl"
    clean.parent.mkdir()
    hostile.parent.mkdir()
    assert _ingest(project, clean, "--country-name", "Russia", "--city-name", "Moscow").exit_code == 0
    result = _ingest(project, hostile,
                     "--country-name", f"Russia\n<{EVIL}> <{EVIL}> <{EVIL}> .",
                     "--city-name", f"Moscow\r<{EVIL}> <{EVIL}> <{EVIL}> .")
    assert result.exit_code == 0, result.output
    text = hostile.read_text(encoding="utf-8")
    assert not any(line.startswith("<urn:") for line in text.splitlines())
    mine, reference = Graph().parse(hostile, format="turtle"), Graph().parse(clean, format="turtle")
    assert len(_ox_triples(text)) == len(mine) == len(reference)
    assert not any(EVIL in str(t[0]) or EVIL in str(t[1]) for t in mine)
    # The names are one line each: line breaks became spaces.
    assert set(mine.objects(ID[f"country/{COUNTRY.lower()}"], SCHEMA_NAME)) == {
        Literal(f"Russia <{EVIL}> <{EVIL}> <{EVIL}> .")}
    assert set(mine.objects(ID["city/fictional-moscow"], SCHEMA_NAME)) == {
        Literal(f"Moscow <{EVIL}> <{EVIL}> <{EVIL}> .")}
    # Take the names out, and the record is the clean one, triple for triple.
    def names_out(graph: Graph) -> set:
        return {t for t in graph if not isinstance(t[2], Literal) or "Moscow" not in t[2]
                and "Russia" not in t[2]}
    assert {t for t in names_out(mine) if t[1] != URIRef("http://purl.org/dc/terms/created")} \
        == {t for t in names_out(reference) if t[1] != URIRef("http://purl.org/dc/terms/created")}


def test_a_name_that_is_not_utf8_is_an_option_error(project, tmp_path):
    out = tmp_path / "fictional-moscow.ttl"
    result = _ingest(project, out, "--country-name", "Russia\udcff")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --country-name ") and "is not valid UTF-8 text" in result.stderr
    assert not out.exists()


def test_local_copy_is_project_relative_or_absent(project, tmp_path):
    inside = project.root / "data" / "sources" / "profiles" / "fictional-moscow.txt"
    inside.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, inside)
    for profile, expected in ((inside, {Literal("data/sources/profiles/fictional-moscow.txt")}),
                              (SEED, set())):
        out = tmp_path / f"{len(expected)}" / "fictional-moscow.ttl"
        out.parent.mkdir()
        result = run_ingest(project, profile, "--city-slug", "fictional-moscow", "--source-url", URL,
                            "--out", str(out))
        assert result.exit_code == 0, result.output
        graph = Graph().parse(out, format="turtle")
        assert set(graph.objects(None, IG.localCopy)) == expected
        assert str(tmp_path) not in out.read_text(encoding="utf-8")
        assert str(PROFILES) not in out.read_text(encoding="utf-8")
