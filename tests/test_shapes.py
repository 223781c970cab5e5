"""The shipped shapes against the shipped graph, and one broken record per rejection.

Every broken record is tests/fixtures/records/fictional-testville.ttl (a fictional city) with one
edit; each must be rejected by the named shape with its message, and nothing else may fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from innovgraph import Project, Severity, validate

REPO = Path(__file__).resolve().parents[1]
VALID = REPO / "tests" / "fixtures" / "records" / "fictional-testville.ttl"
EDITION_2020 = "https://w3id.org/innovgraph/vocab/survey-edition/2020"

SECOND_MAYOR = """
<person/fictional-bob-otherperson> a ig:Person ; schema:name "Bob Otherperson (fictional)" ;
    dcterms:source <https://example.org/fictional/testville-profile> .
<city/fictional-testville/tenure/mayor-fictional-bob-otherperson> a ig:Tenure ;
    ig:post <city/fictional-testville/post/mayor> ; ig:holder <person/fictional-bob-otherperson> ; {year}
    dcterms:source <https://example.org/fictional/testville-profile> {end} .
"""

# (case id, (old text, new text), expected source shape, expected message fragment)
BROKEN = [
    ("city-without-name", ('schema:name "Testville (fictional)" ;', ""),
     "igsh:CityShape-name", "A city needs its name"),
    ("population-negative", ("ig:populationValue 1234", "ig:populationValue -5"),
     "igsh:PopulationObservationShape-value", "positive integer"),
    ("population-as-string", ("ig:populationValue 1234", 'ig:populationValue "1234"'),
     "igsh:PopulationObservationShape-value", "positive integer"),
    ("population-without-year", ("ig:referenceYear 2020 ;", ""),
     "igsh:PopulationObservationShape-year", "needs its reference year"),
    ("year-not-a-year", ("ig:referenceYear 2020", 'ig:referenceYear "last year"'),
     "igsh:PopulationObservationShape-year", "four-digit integer year"),
    ("year-out-of-range", ("ig:referenceYear 2020", "ig:referenceYear 20200"),
     "igsh:PopulationObservationShape-year", "four-digit integer year"),
    ("concept-typo", ("ig:goal goal:improve-service-delivery", "ig:goal goal:improve-service-delivry"),
     "igsh:SurveyResponseShape-goal", "concept of the goal scheme"),
    ("concept-of-other-scheme", ("ig:goal goal:improve-service-delivery", "ig:goal role:project-manager"),
     "igsh:SurveyResponseShape-goal", "concept of the goal scheme"),
    ("response-without-provenance",
     ("    ig:dataAvailability <city/fictional-testville/response/2020/data/digital-governance> ;",
      "    ig:dataAvailability <city/fictional-testville/response/2020/data/digital-governance> . <x> <y> <z> ;"),
     None, None),  # placeholder replaced below
    ("statistic-without-provenance",
     ("    ig:sharePercent 42.0 ;\n    dcterms:source <https://example.org/fictional/testville-profile> .",
      "    ig:sharePercent 42.0 ."),
     "igsh:Sourced-source", "without provenance"),
    ("declared-roles-below-listed", ("ig:declaredRoleCount 2", "ig:declaredRoleCount 1"),
     "igsh:SurveyResponseShape-roleCount", "declares 1 roles but lists 2"),
    ("two-mayors-in-one-year", ("ig:sharePercent 42.0 ;", "ig:sharePercent 42.0 ;"), None, None),
    ("post-without-provenance", ("    a ig:MayorPost ;\n    dcterms:source <https://example.org/fictional/testville-profile> ;",
                                 "    a ig:MayorPost ;"),
     "igsh:Sourced-source", "without provenance"),
    ("tenure-without-a-date", ("    a ig:Tenure ;\n    ig:heldAsOf 2020 ;", "    a ig:Tenure ;"),
     "igsh:TenureShape-when", "would read as current"),
    ("tenure-year-not-a-year", ("ig:heldAsOf 2020 ;", 'ig:heldAsOf "2020" ;'),
     "igsh:TenureShape-heldAsOf", "must be a year"),
    ("section-reached-and-partly", ("ig:sectionReached section:mayor ,",
                                    "ig:sectionPartlyReached section:mayor ; ig:sectionReached section:mayor ,"),
     "igsh:SurveyResponseShape-sectionBothWays", "marked two ways"),
    ("duplicate-rank", ("ig:rank 2 ;", "ig:rank 1 ;"),
     "igsh:RankingShape-uniqueRanks", "appears more than once"),
    ("rank-gap", ("ig:rank 2 ;", "ig:rank 3 ;"),
     "igsh:RankingShape-contiguousRanks", "without gaps"),
    ("share-above-100", ("ig:sharePercent 42.0", "ig:sharePercent 142.0"),
     "igsh:SurveyStatisticShape-sharePercent", "between 0 and 100"),
    ("share-below-0", ("ig:sharePercent 42.0", "ig:sharePercent -1.0"),
     "igsh:SurveyStatisticShape-sharePercent", "between 0 and 100"),
    ("misspelt-property", ("ig:hasExplicitStrategy true", "ig:hasExplicitStrategie true"),
     "igsh:DeclaredTermsShape-property", "not a property of the innovgraph ontology"),
    ("misspelt-class", ("a ig:CityRecord ;", "a ig:CityRecrod ;"),
     "igsh:DeclaredTermsShape-class", "not a class of the innovgraph ontology"),
    ("answer-in-unreached-section",
     ("ig:declaredRoleCount 2 ;",
      "ig:declaredRoleCount 2 ; ig:fundedActivity <https://w3id.org/innovgraph/vocab/funded-activity/paying-for-services> ;"),
     "igsh:SurveyResponseShape-answerInUnreachedSection", "marked not reached"),
]
# Cases whose edit is easier to state by appending or removing a block than by one replacement.
BROKEN[8] = ("response-without-provenance",
             ("    ig:sectionNotReached section:funding-sources , section:funded-activities , section:partnerships ,\n"
              "        section:data-partnerships ;\n    dcterms:source <https://example.org/fictional/testville-profile> .",
              "    ig:sectionNotReached section:funding-sources , section:funded-activities , section:partnerships ,\n"
              "        section:data-partnerships ."),
             "igsh:Sourced-source", "without provenance")
BROKEN[11] = ("two-mayors-in-one-year", None, "igsh:CityShape-oneMayorPerYear", "two mayors known to hold the post in 2020")


@pytest.fixture(scope="module")
def project() -> Project:
    return Project(REPO)


def _write(tmp_path: Path, text: str) -> Path:
    # Same file name as no shipped record, so it is added to the graph, not substituted.
    path = tmp_path / "fictional-testville.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_graph_conforms(project):
    report = validate(project)
    assert [r.as_dict() for r in report.results] == []
    assert report.conforms_at(Severity.INFO)


def test_valid_fictional_record_conforms(project):
    report = validate(project, [VALID])
    assert [r.as_dict() for r in report.results] == []


@pytest.mark.parametrize("case, edit, shape, fragment", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_record_is_rejected(project, tmp_path, case, edit, shape, fragment):
    text = VALID.read_text(encoding="utf-8")
    if edit is None:  # two-mayors-in-one-year
        text += SECOND_MAYOR.format(year="ig:heldAsOf 2020 ;", end="")
    else:
        old, new = edit
        assert old in text, f"fixture no longer contains {old!r}"
        text = text.replace(old, new, 1)
    report = validate(project, [_write(tmp_path, text)])
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert violations, f"{case}: the shapes accepted a broken record"
    assert {r.source_shape for r in violations} == {shape}, [r.as_dict() for r in violations]
    assert all(fragment in r.message for r in violations), [r.message for r in violations]
    assert all(r.file and r.file.endswith("fictional-testville.ttl") and r.line for r in violations)
    assert not report.ok


def test_earlier_mayor_of_another_year_is_kept(project, tmp_path):
    """A later mayor does not erase an earlier one: two tenures known in different years are
    two mayors in time, not two mayors at once."""
    text = VALID.read_text(encoding="utf-8") + SECOND_MAYOR.format(
        year="ig:heldAsOf 2018 ;", end='; ig:endDate "2019-12-31"^^xsd:date')
    report = validate(project, [_write(tmp_path, text)])
    assert report.results == []


def test_unknown_section_warns_but_passes_violation_threshold(project, tmp_path):
    text = VALID.read_text(encoding="utf-8").replace(" , section:data-availability ;", " ;", 1)
    report = validate(project, [_write(tmp_path, text)])
    assert [(r.source_shape, r.value) for r in report.results] == [
        ("igsh:SurveyResponseRecommendedShape-everySectionStated", "section:data-availability")
    ]
    assert report.results[0].severity is Severity.WARNING
    assert report.conforms_at(Severity.VIOLATION)
    assert not report.conforms_at(Severity.WARNING)


def test_option_not_in_edition_warns(project, tmp_path):
    # "Launching or sustaining a project" is not an option of the 2020 survey.
    text = VALID.read_text(encoding="utf-8").replace(
        "ig:declaredRoleCount 2 ;",
        "ig:declaredRoleCount 2 ; ig:fundedActivity <https://w3id.org/innovgraph/vocab/funded-activity/launching-or-sustaining-a-project> ;")
    text = text.replace("section:funded-activities , ", "").replace(
        "section:dedicated-funding ,", "section:dedicated-funding , section:funded-activities ,")
    report = validate(project, [_write(tmp_path, text)])
    assert [(r.source_shape, r.severity) for r in report.results] == [
        ("igsh:SurveyResponseRecommendedShape-optionInEdition", Severity.WARNING)
    ]
