import pytest
from rdflib import Graph

from innovgraph import InnovgraphError, Project, Severity, ValidationResult, validate
from innovgraph.validation import data_sources


def test_clean_fixture_conforms_at_violation_only(project):
    report = validate(project)
    assert report.ok
    assert report.conforms_at("violation")
    assert not report.conforms_at("warning")
    assert not report.conforms_at(Severity.INFO)
    assert report.counts() == {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 1}
    assert [(r.severity, r.source_shape, r.file, r.line) for r in report.results] == [
        (Severity.WARNING, "igsh:CityRecommendedShape-website",
         "data/ttl/cities/fictional-nowhereburg.ttl", 7),
        (Severity.INFO, "igsh:CityRecommendedShape-country",
         "data/ttl/cities/fictional-nowhereburg.ttl", 7),
    ]


def test_threshold_given_to_validate_sets_ok(project):
    assert validate(project, severity_threshold="warning").ok is False
    assert validate(project, severity_threshold="violation").ok is True


def test_violations_name_shape_message_value_file_and_line(project, extra):
    badtown = extra / "fictional-badtown.ttl"
    report = validate(project, [badtown])
    assert not report.ok
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert violations == [
        ValidationResult(
            focus_node="city:fictional-badtown",
            path="schema:name",
            value=None,
            message="A city needs a schema:name.",
            severity=Severity.VIOLATION,
            source_shape="igsh:CityShape-name",
            constraint="sh:MinCountConstraintComponent",
            file=str(badtown),
            line=7,
        ),
        ValidationResult(
            focus_node="<https://w3id.org/innovgraph/id/city/fictional-badtown/population/2019>",
            path="ig:populationValue",
            value="-5",
            message="A population value is one xsd:integer greater than 0.",
            severity=Severity.VIOLATION,
            source_shape="igsh:PopulationObservationShape-value",
            constraint="sh:MinExclusiveConstraintComponent",
            file=str(badtown),
            line=12,
        ),
    ]


def test_file_inside_project_is_reported_relative_to_root(project, project_dir, extra):
    target = project_dir / "data/ttl/cities/fictional-badtown.ttl"
    target.write_text((extra / "fictional-badtown.ttl").read_text())
    report = validate(project)
    files = {(r.file, r.line) for r in report.results if r.severity is Severity.VIOLATION}
    assert files == {("data/ttl/cities/fictional-badtown.ttl", 7),
                     ("data/ttl/cities/fictional-badtown.ttl", 12)}
    # Results are sorted by file, then line.
    assert [r.file for r in report.results] == sorted(r.file for r in report.results)


def test_subclass_from_ontology_satisfies_sh_class(project, project_dir):
    # The program is run by an ig:InnovationDepartment; only the ontology's subClassOf makes that
    # an ig:InnovationOrganisation, so dropping the ontology must surface a violation.
    (project_dir / "ontology/innovgraph.ttl").unlink()
    shapes = [r.source_shape for r in validate(project).results]
    assert "igsh:InnovationProgramShape-runBy" in shapes


def test_draft_outside_project_replaces_namesake_record(project, draft_dir):
    draft = draft_dir / "fictional-nowhereburg.ttl"
    sources = data_sources(project, [draft])
    assert draft in sources
    assert project.root / "data/ttl/cities/fictional-nowhereburg.ttl" not in sources
    report = validate(project, [draft])
    assert report.results == []
    assert report.conforms_at("info")


def test_shipped_path_given_again_is_loaded_once(project, project_dir):
    record = project_dir / "data/ttl/cities/fictional-testville.ttl"
    assert data_sources(project, [record]).count(record) == 1


def test_no_shapes_means_no_results(tmp_path):
    (tmp_path / "data/ttl").mkdir(parents=True)
    report = validate(Project(tmp_path))
    assert report.results == [] and report.ok


def test_report_graph_is_a_shacl_report(project):
    report = validate(project)
    text = report.report_graph.serialize(format="turtle")
    assert "sh:ValidationReport" in text
    assert len(Graph().parse(data=text, format="turtle")) == len(report.report_graph)


@pytest.mark.parametrize(("given", "expected"), [
    ("violation", Severity.VIOLATION), ("Warning", Severity.WARNING),
    ("http://www.w3.org/ns/shacl#Info", Severity.INFO),
])
def test_severity_parse(given, expected):
    assert Severity.parse(given) is expected


def test_severity_parse_rejects_unknown():
    with pytest.raises(InnovgraphError, match="Unknown severity 'fatal'"):
        Severity.parse("fatal")


def test_focus_node_only_used_as_object_points_at_its_user(project, project_dir):
    # A mistyped concept IRI is never a subject; the result should lead to the record using it.
    shape = project_dir / "shapes/concepts.ttl"
    shape.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ig: <https://w3id.org/innovgraph/ontology#> .\n"
        "@prefix igsh: <https://w3id.org/innovgraph/shapes#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "igsh:ServedAreaShape a sh:NodeShape ; sh:targetObjectsOf ig:servesPolicyArea ;\n"
        "  sh:property igsh:ServedAreaShape-label .\n"
        "igsh:ServedAreaShape-label a sh:PropertyShape ; sh:path skos:prefLabel ; sh:minCount 1 ;\n"
        '  sh:message "A policy area needs a prefLabel." .\n'
    )
    record = project_dir / "data/ttl/cities/fictional-testville.ttl"
    record.write_text(record.read_text().replace("fictional-mobility", "fictional-mobilty"))
    [result] = [r for r in validate(project).results if r.source_shape == "igsh:ServedAreaShape-label"]
    assert result.focus_node == "area:fictional-mobilty"
    assert result.source_shape == "igsh:ServedAreaShape-label"
    assert (result.file, result.line) == ("data/ttl/cities/fictional-testville.ttl", 27)
