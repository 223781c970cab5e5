"""`innovgraph ingest-sheet`: a fact sheet (YAML) as a validated record, on a fictional sheet
(tests/fixtures/sheets/fictional-sheetville.yaml) in a snapshot of the project.

A sheet with two versions of one URL gives two responses and two snapshots of that URL; a cut label
that begins several labels is not mapped; an unknown label is a free-text concept of the record; a
broken sheet is one `Error:` line naming the file and the line, and writes nothing; a record that does
not validate is not written (unless forced); an existing file is replaced only with --replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from innovgraph.cli import cli
from innovgraph.errors import SheetError
from innovgraph.ingest import SheetOptions, ingest_sheet, read_sheet
from innovgraph.namespaces import ID, IG, IGV

from support.ingest_helpers import ROOT, snapshot_project

SHEET = ROOT / "tests" / "fixtures" / "sheets" / "fictional-sheetville.yaml"
CITY = ID["city/fictional-sheetville"]
NEWER, OLDER = ID["city/fictional-sheetville/response/2020"], ID["city/fictional-sheetville/response/2018"]
SLASH = "https://cities-innovation-oecd.com/cities/fictional-sheetville/"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return snapshot_project(tmp_path_factory.mktemp("snap"))


def _run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), "ingest-sheet", *map(str, args)])


@pytest.fixture(scope="module")
def record(project, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "fictional-sheetville.ttl"
    result = _run(project, SHEET, "--out", out)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}." in result.stdout
    return Graph().parse(out)


def test_two_versions_of_one_url(record):
    snapshots = {str(s).rsplit("/", 1)[1]: str(record.value(s, IG.storedAt))
                 for s in record.objects(ID["record/fictional-sheetville"], PROV.wasDerivedFrom)}
    assert snapshots == {"https-slash": SLASH, "https-slash-older": SLASH, "https-noslash": SLASH.rstrip("/")}
    assert set(record.subjects(IG.respondent, CITY)) == {NEWER, OLDER}
    assert (NEWER, IG.supersedes, OLDER) in record and not list(record.objects(OLDER, IG.supersedes))
    newer_copies = {ID["snapshot/fictional-sheetville/https-slash"], ID["snapshot/fictional-sheetville/https-noslash"]}
    assert set(record.objects(NEWER, DCTERMS.source)) == newer_copies
    assert set(record.objects(OLDER, DCTERMS.source)) == {ID["snapshot/fictional-sheetville/https-slash-older"]}
    # each population is sourced to the version that prints it; the mayor, printed once, to the page
    assert set(record.objects(ID["city/fictional-sheetville/population/2019"], DCTERMS.source)) == newer_copies
    assert set(record.objects(ID["city/fictional-sheetville/population/2015"], DCTERMS.source)) == {
        ID["snapshot/fictional-sheetville/https-slash-older"]}
    assert set(record.objects(ID["city/fictional-sheetville/tenure/mayor-mara-fictional"], DCTERMS.source)) == {
        URIRef(SLASH)}
    # the older copy's own answers, and what it inherits
    assert record.value(OLDER, IG.hasExplicitStrategy) == Literal(True)
    assert record.value(NEWER, IG.hasExplicitStrategy) == Literal(False)
    assert set(record.objects(OLDER, IG.comparedWith)) == {ID["statistic/explicit-strategy-44-percent-older-profile"],
                                                          ID["statistic/approach-both-40-percent-older-profile"]}


def test_officers_are_split_and_qualified(record):
    tenures = {str(t).rsplit("/", 1)[1]: t for t in record.subjects(RDF.type, IG.Tenure)}
    assert set(tenures) == {"mayor-mara-fictional", "lead-innovation-officer-nova-fictional",
                            "lead-innovation-officer-neil-fictional", "lead-innovation-officer-olda-fictional"}
    neil = tenures["lead-innovation-officer-neil-fictional"]
    assert record.value(neil, IG.heldAsOf) is None  # '(current)' says no year, and no note dates the page
    assert any("current" in str(n) for n in record.objects(neil, SKOS.editorialNote))


def test_cut_labels_and_unknown_labels(record):
    # 'Improve …' begins three goal labels: not mapped; the goals section is reached in part.
    assert set(record.objects(NEWER, IG.goal)) == {IGV["goal/improve-service-delivery"]}
    assert IGV["profile-section/goals"] in set(record.objects(NEWER, IG.sectionPartlyReached))
    assert any("'Improve …' begins 3 labels" in str(n) for n in record.objects(NEWER, SKOS.editorialNote))
    # 'Data sci…' begins one role label: mapped, with a note.
    assert IGV["innovation-role/data-scientist"] in set(record.objects(NEWER, IG.listsRole))
    new = IGV["success-factor/a-fictional-factor-nobody-prints"]
    assert (new, RDF.type, IG.FreeTextAnswer) in record
    assert (new, SKOS.prefLabel, Literal("A fictional factor nobody prints", lang="en")) in record
    assert new in set(record.objects(NEWER, IG.criticalSuccessFactor))


def test_no_dedicated_team_and_a_previous_team(record):
    assert record.value(NEWER, IG.hasDedicatedInnovationTeam) == Literal(False)
    team = ID["city/fictional-sheetville/org/fictional-delivery-team"]
    assert (team, RDF.type, IG.InnovationTeam) in record
    assert record.value(team, IG.placement) == IGV["organisation-placement/mayor-s-office"]
    assert record.value(team, IG.teamSize) == Literal(3)
    assert any("had before" in str(n) for n in record.objects(team, SKOS.editorialNote))


def test_named_spotlight_entry_is_a_program(record):
    hub = ID["city/fictional-sheetville/program/fictional-data-hub"]
    assert record.value(hub, URIRef("https://schema.org/name")) == Literal("Fictional Data Hub")
    assert record.value(hub, IG.acronym) == Literal("FDH")
    assert set(record.objects(hub, IG.feature)) == {Literal("A fictional data platform", lang="en"),
                                                   Literal("Used by tests only", lang="en")}
    assert len(set(record.subjects(RDF.type, IG.InnovationProgram))) == 1  # the unnamed entry is a description
    assert any("fictional way of working" in str(d) for d in record.objects(NEWER, DCTERMS.description))


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SHEET.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "fictional-sheetville.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(k for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, needle, message", [
    ("city: Sheetville", "city: [Sheetville", "country: null", "not valid YAML"),
    ("  declared_count: 3", "  declared_count: three", "declared_count: three",
     "'roles.declared_count' must be a whole number or null"),
    ("approach: both\npolicy", "approach: sideways\npolicy", "approach: sideways", "'approach' must be one of"),
], ids=["not-yaml", "wrong-kind", "unknown-code"])
def test_a_broken_sheet_is_one_error_line_and_writes_nothing(project, tmp_path, old, new, needle, message):
    sheet = _broken(tmp_path, old, new)
    out = tmp_path / "out"
    out.mkdir()
    result = _run(project, sheet, "--out", out / "fictional-sheetville.ttl")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {sheet}:{_line_of(sheet, needle)}") and message in lines[0], (
        result.stderr)
    assert list(out.iterdir()) == []


def test_a_sheet_missing_a_field_names_it(tmp_path):
    sheet = _broken(tmp_path, "innovation_website: null\n", "")
    with pytest.raises(SheetError, match="field 'innovation_website' is missing"):
        read_sheet(sheet)


def test_an_invalid_record_is_not_written_unless_forced(project, tmp_path):
    sheet = _broken(tmp_path, "  year: 2019", "  year: 1700")   # before any year a population may have
    out = tmp_path / "fictional-sheetville.ttl"
    result = _run(project, sheet, "--out", out)
    assert result.exit_code == 1 and "is INVALID" in result.stdout and "Nothing written" in result.stdout
    assert "four-digit integer year" in result.stdout and not out.exists()
    forced = _run(project, sheet, "--out", out, "--force")
    assert forced.exit_code == 1 and out.read_text(encoding="utf-8").startswith(
        "# City record: Sheetville.\n# NOT VALID: written with --force")


def test_an_existing_file_is_replaced_only_with_replace(project, tmp_path):
    out = tmp_path / "fictional-sheetville.ttl"
    out.write_text("# someone's record\n", encoding="utf-8")
    refused = _run(project, SHEET, "--out", out)
    assert refused.exit_code == 1 and "already exists; pass --replace" in refused.stderr
    assert out.read_text(encoding="utf-8") == "# someone's record\n"
    replaced = _run(project, SHEET, "--out", out, "--replace")
    assert replaced.exit_code == 0 and "<record/fictional-sheetville>" in out.read_text(encoding="utf-8")


def test_the_city_slug_can_differ_from_the_url_slug(project, tmp_path):
    result = ingest_sheet(project, SHEET, SheetOptions(out=tmp_path / "x.ttl", city_slug="fictional-sheettown"))
    assert result.written and result.valid
    graph = Graph().parse(tmp_path / "x.ttl")
    assert (ID["city/fictional-sheettown"], RDF.type, IG.City) in graph
    assert (URIRef(SLASH), RDF.type, IG.SourceDocument) in graph   # the page keeps the URL as printed
    assert not list(graph.triples((CITY, None, None)))


def test_inline_comments_are_read_by_key(tmp_path):
    sheet = read_sheet(SHEET)
    assert sheet.comments["city"] == "the newer copy prints 'Sheetville, ZZ'"
    assert sheet.comments["lead_innovation_officer"] == "heading printed as 'Lead Innovation Officers'"
    assert sheet.read_date == "2026-12-01"
