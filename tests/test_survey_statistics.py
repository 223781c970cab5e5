"""The survey-wide statistics of data/sources/survey-statistics.yaml against the graph.

Every entry of the yaml that is not printed on a city profile page (ids `profile-*` are the profile
statistics of data/ttl/survey/survey.ttl, tested with the city records) is one ig:SurveyStatistic,
with the value as the yaml prints it, its edition (or, where the yaml marks the edition as an
inference, no edition and a note saying so) and its source pages. The funded-activity chart
(`funded-activity-counts`) has two readings and must not be loaded from the yaml as fact.
data/ttl/survey/statistics.ttl states nothing the yaml does not give. The shapes for the figures
of comparisons and findings are checked on a fictional statistic.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from innovgraph import Project, Severity, load_graph, validate
from innovgraph.namespaces import ID, IG, IGV
from innovgraph.sources import parse_file
from support.ingest_helpers import PROFILES, run_ingest, snapshot_project

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "sources" / "survey-statistics.yaml"
SHARED = REPO.parent / "shared" / "sources" / "survey-statistics.yaml"
STATISTICS = REPO / "data" / "ttl" / "survey" / "statistics.ttl"
SURVEY = REPO / "data" / "ttl" / "survey" / "survey.ttl"
ENTRIES = {e["id"]: e for e in yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["statistics"]}

NOT_AS_FACT = "funded-activity-counts"  # the yaml: "Do not load either reading as fact"
IN_SURVEY_TTL = {"training-2020": "funds-training-staff-61-percent-2020"}  # from the Moscow seed

# Each yaml entry (other than profile-* and the chart) and the statistic that states it.
NODES = {
    **IN_SURVEY_TTL,
    "cities-2018": "respondent-cities-89-2018",
    "cities-2018-2020": "respondent-cities-147-2018-and-2020",
    "cities-wwc": "what-works-cities-assessed-100-cities",
    "cities-over-100": "cities-administered-the-survey-over-one-hundred-2018",
    "cities-more-than-80": "respondent-cities-more-than-80-2018",
    "cities-more-than-140": "respondent-cities-more-than-140-2018-and-2020",
    "goals-2018": "formal-innovation-goals-55-percent-2018",
    "strategy-2018": "formal-innovation-strategy-49-percent-2018",
    "goals-updated": "formal-innovation-goals-52-percent-updated-site",
    "strategy-updated": "formal-innovation-strategy-50-percent-updated-site",
    "strategy-9pct": "formal-strategy-to-improve-processes-9-percent-2018",
    "priority-areas-2018": "prioritises-specific-policy-areas-75-percent-2018",
    "top-areas-2018": "policy-areas-most-often-prioritised-2018",
    "top-areas-updated": "policy-areas-most-often-prioritised-updated-site",
    "top-goals": "goals-innovation-helps-cities-achieve-2018",
    "leadership-2018": "leadership-essential-almost-80-percent-2018",
    "leadership-all": "leadership-support-success-factor-all-cities-2018",
    "leadership-top": "most-important-success-factor-leadership-commitment-2018",
    "teams-placement": "innovation-teams-sit-in-mayors-or-city-managers-office-2018",
    "teams-staffing": "innovation-units-understaffed-and-led-by-project-managers-2018",
    "upskilling-2018": "upskilling-important-70-percent-2018",
    "teams-5yrs": "innovation-teams-over-5-years-21-percent-2018",
    "role-project-management": "fills-project-manager-role-82-percent-2018",
    "role-community-engagement": "fills-community-engagement-role-60-percent-2018",
    "role-data-scientist": "fills-data-scientist-role-56-percent-2018",
    "role-designer": "fills-designer-role-56-percent-2018",
    "role-communications": "fills-communications-role-48-percent-2018",
    "role-project-managers-updated": "fills-project-manager-role-92-percent-updated",
    "funding-municipal-2018": "specific-municipal-funding-70-of-89-cities-2018",
    "funding-external-2018": "external-non-public-funding-30-of-70-cities-2018",
    "data-role-2018": "data-significant-85-percent-2018",
    "data-transport": "collects-transport-data-64-percent-2018",
    "data-policing": "collects-policing-data-57-percent-2018",
    "data-land-use": "collects-land-use-data-51-percent-2018",
    "data-housing": "collects-housing-data-47-percent-2018",
    "data-social-welfare": "collects-social-welfare-data-32-percent-2018",
    "data-blight": "collects-blight-data-29-percent-2018",
    "data-tourism": "collects-tourism-data-29-percent-2018",
    "data-culture": "collects-culture-data-20-percent-2018",
    "evaluation-2018": "systematic-evaluation-16-percent-2018",
    "wellbeing-11": "better-on-11-well-being-dimensions",
    "city-satisfaction-gap": "city-satisfaction-gap-4-points-high-vs-low-psi",
    "life-satisfaction-gap": "life-satisfaction-gap-1-5-points-high-vs-low-psi",
    "city-satisfaction-psi": "city-satisfaction-86-vs-82-percent-high-vs-low-psi",
    "life-satisfaction-psi": "life-satisfaction-81-vs-79-percent-high-vs-low-psi",
    "satisfaction-innovation-staff": "city-satisfaction-85-vs-76-percent-innovation-staff",
    "satisfaction-stakeholder-engagement": "city-satisfaction-82-vs-78-percent-stakeholder-engagement",
    "satisfaction-open-data": "city-satisfaction-86-vs-80-percent-open-data",
    "gap-innovation-staff": "city-satisfaction-gap-almost-10-points-innovation-staff",
    "gap-holistic": "city-satisfaction-gap-4-points-holistic-approach",
    "gap-strategy": "city-satisfaction-gap-nearly-3-points-formal-strategy",
    "gap-walkability": "walkability-gap-almost-10-points-high-vs-low-psi",
    "gap-public-transport": "public-transport-satisfaction-gap-9-points-high-vs-low-capacity",
}
IN_STATISTICS_TTL = sorted(set(NODES) - set(IN_SURVEY_TTL))

FIGURES = (IG.sharePercent, IG.cityCount, IG.baseCityCount, IG.itemCount, IG.shareAsPrinted,
           IG.valueAsPrinted, IG.groupSharePercent, IG.baselineSharePercent, IG.gapPercentagePoints)
WHAT = (IG.statisticSubject, IG.statisticQualifier, IG.comparesGroup, IG.baselineGroup)
STATISTIC_PROPERTIES = {RDF.type, RDFS.label, IG.coversEdition, DCTERMS.source, RDFS.seeAlso,
                        SKOS.editorialNote, *FIGURES, *WHAT}
EDITION = {year: IGV[f"survey-edition/{year}"] for year in (2018, 2020)}


def expected_figures(entry: dict) -> dict[URIRef, set]:
    """The figure properties and values the yaml's value (and count) stand for."""
    value, figures = entry["value"], {}
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)%", value):
        figures[IG.sharePercent] = {Decimal(m[1])}
    elif re.fullmatch(r"\d+", value):
        counted = IG.itemCount if "dimensions" in entry["about"] else IG.cityCount
        figures[counted] = {int(value)}
    elif m := re.fullmatch(r"(\d+) of (\d+)", value):
        figures[IG.cityCount], figures[IG.baseCityCount] = {int(m[1])}, {int(m[2])}
    elif m := re.fullmatch(r"(\d+)% vs (\d+)%", value):
        figures[IG.groupSharePercent], figures[IG.baselineSharePercent] = {Decimal(m[1])}, {Decimal(m[2])}
    elif m := re.fullmatch(r"(\d+(?:\.\d+)?) percentage points", value):
        figures[IG.gapPercentagePoints] = {Decimal(m[1])}
    elif "%" in value or value == "all cities":  # a share in words: "almost 80%", "all cities"
        figures[IG.shareAsPrinted] = {value}
    else:  # any other figure in words, never turned into a number: "over one hundred", a list
        figures[IG.valueAsPrinted] = {value}
    if "count" in entry:
        figures.setdefault(IG.cityCount, set()).add(entry["count"])
    return figures


def expected_editions(entry: dict) -> set[URIRef] | None:
    """The editions the yaml gives; None where it marks the edition as an inference."""
    edition = entry["edition"]
    if "[inference" in edition:
        return None
    if edition.startswith("2018 and 2020 surveys combined"):
        return {EDITION[2018], EDITION[2020]}
    for year in (2018, 2020):
        if edition.startswith(f"{year} survey"):
            return {EDITION[year]}
    raise AssertionError(f"an edition the test does not know: {edition!r}")


def urls(graph, nodes) -> set[str]:
    """Source documents as URLs: a page snapshot by the address it was stored at."""
    return {str(graph.value(n, IG.storedAt) or n) for n in nodes}


def figures_of(graph, node) -> dict[URIRef, set]:
    found = {p: {o.toPython() if p not in (IG.shareAsPrinted, IG.valueAsPrinted) else str(o)
                 for o in graph.objects(node, p)} for p in FIGURES}
    return {p: v for p, v in found.items() if v}


def signature(graph, node):
    return (tuple(frozenset(graph.objects(node, p)) for p in WHAT),
            tuple(sorted((str(p), tuple(sorted(map(str, v)))) for p, v in figures_of(graph, node).items())))


@pytest.fixture(scope="module")
def graph():
    return load_graph(Project(REPO))


@pytest.fixture(scope="module")
def own():
    return parse_file(STATISTICS)


def test_shipped_yaml_is_the_shared_one():
    if not SHARED.exists():
        pytest.skip("../shared/sources/ is not beside this checkout")
    assert SHIPPED.read_bytes() == SHARED.read_bytes()


def test_every_entry_but_profiles_and_the_chart_has_its_statistic():
    assert len(ENTRIES) == 67
    assert set(NODES) == {i for i in ENTRIES if not i.startswith("profile-")} - {NOT_AS_FACT}
    assert len(set(NODES.values())) == len(NODES)
    assert len(IN_STATISTICS_TTL) == 53


@pytest.mark.parametrize("sid", sorted(NODES))
def test_entry_is_in_the_graph_with_value_edition_and_source(graph, sid):
    entry, node = ENTRIES[sid], ID[f"statistic/{NODES[sid]}"]
    assert (node, RDF.type, IG.SurveyStatistic) in graph
    assert figures_of(graph, node) == expected_figures(entry)
    editions = set(graph.objects(node, IG.coversEdition))
    notes = [str(n) for n in graph.objects(node, SKOS.editorialNote)]
    if (expected := expected_editions(entry)) is None:
        assert editions == set()
        assert any(entry["edition"] in n and "ig:coversEdition is left out" in n for n in notes), notes
    else:
        assert editions == expected
    cited = urls(graph, graph.objects(node, DCTERMS.source))
    assert entry["source_url"] in cited
    assert set(entry.get("also_in", [])) <= cited | urls(graph, graph.objects(node, RDFS.seeAlso))
    for source in graph.objects(node, DCTERMS.source):
        assert graph.value(source, RDF.type) in (IG.SourceDocument, IG.PageSnapshot), source
        assert graph.value(source, DCTERMS.title) is not None, source


@pytest.mark.parametrize("sid", IN_STATISTICS_TTL)
def test_entry_is_stated_exactly_once(graph, sid):
    """No other statistic states the same figure about the same thing from the same page."""
    entry, node = ENTRIES[sid], ID[f"statistic/{NODES[sid]}"]
    same = [s for s in set(graph.subjects(RDF.type, IG.SurveyStatistic))
            if signature(graph, s) == signature(graph, node)
            and entry["source_url"] in urls(graph, graph.objects(s, DCTERMS.source))]
    assert same == [node]


@pytest.mark.parametrize("sid", IN_STATISTICS_TTL)
def test_entry_quotes_the_source_and_the_yaml_note(graph, sid):
    entry, node = ENTRIES[sid], ID[f"statistic/{NODES[sid]}"]
    notes = [str(n) for n in graph.objects(node, SKOS.editorialNote)]
    assert [n for n in notes if n.startswith("As printed: ")] == [f"As printed: '{entry['quote']}'"]
    if entry.get("note"):
        assert f"Note in survey-statistics.yaml: {entry['note']}" in notes
    assert graph.value(node, RDFS.label) is not None


def test_statistics_file_states_only_what_the_yaml_gives(own, graph):
    stated = set(own.subjects(RDF.type, IG.SurveyStatistic))
    assert stated == {ID[f"statistic/{NODES[i]}"] for i in IN_STATISTICS_TTL}
    by_node = {ID[f"statistic/{NODES[i]}"]: ENTRIES[i] for i in IN_STATISTICS_TTL}
    yaml_urls = {u for e in by_node.values() for u in [e["source_url"], *e.get("also_in", [])]}
    for node, entry in by_node.items():
        assert set(own.predicates(node)) <= STATISTIC_PROPERTIES, node
        assert figures_of(own, node) == expected_figures(entry), node
        pages = [entry["source_url"], *entry.get("also_in", [])]
        cited = urls(graph, own.objects(node, DCTERMS.source))
        seen = urls(graph, own.objects(node, RDFS.seeAlso))
        assert cited | seen == set(pages) and not cited & seen, node
    # Everything else in the file is a source document of these statistics, each one cited.
    documents = set(own.subjects()) - stated
    assert documents and all(own.value(d, RDF.type) in (IG.SourceDocument, IG.PageSnapshot) for d in documents)
    assert urls(own, documents) <= yaml_urls
    assert documents <= set(own.objects(None, DCTERMS.source))
    # Nothing of survey.ttl is restated here (one home per statistic, not only per triple).
    assert stated.isdisjoint(set(parse_file(SURVEY).subjects()))


def test_the_funded_activity_chart_is_not_loaded_from_the_yaml(own, graph):
    """Its two readings disagree; the yaml says to load neither as fact without the chart."""
    chart = ENTRIES[NOT_AS_FACT]
    for node in own.subjects(RDF.type, IG.SurveyStatistic):
        concepts = {o for p in WHAT for o in own.objects(node, p)}
        assert IGV["funded-activity"] not in {graph.value(c, SKOS.inScheme) for c in concepts}, node
        assert URIRef(chart["source_url"]) not in set(own.objects(node, DCTERMS.source)), node


def test_survey_vocabulary_statistics_stay(graph):
    """Each indicator (the survey-vocabulary.md §2 statistics and the yaml's new ones) is what a
    statistic is about, narrowed by or compares; the profile statistics are still there."""
    used = {o for p in WHAT for o in graph.objects(None, p)}
    indicators = set(graph.subjects(SKOS.inScheme, IGV["indicator"]))
    assert len(indicators) >= 38  # 15 for survey-vocabulary.md §2, 23 for the yaml's other figures
    assert indicators - used == set()
    for kept in ("no-explicit-strategy-50-percent", "explicit-strategy-50-percent", "dedicated-funding-81-percent",
                 "approach-both-more-than-half", "funds-training-staff-61-percent-2020"):
        assert (ID[f"statistic/{kept}"], RDF.type, IG.SurveyStatistic) in graph


def test_ingest_links_a_profile_share_to_the_profile_statistic(tmp_path):
    """A profile's 'Along with 50% of cities surveyed, X has an explicit innovation strategy'
    quotes the profiles' 50%, not the methodology page's 50% with a formal strategy, although the
    two share subject and share (a fictional city, from the Atlanta test profile)."""
    text = (PROFILES / "atlanta-us.txt").read_text(encoding="utf-8")
    assert "Atlanta does not have an explicit innovation strategy" in text
    profile = tmp_path / "fictional-strategyville.txt"
    profile.write_text(text.replace("Atlanta does not have an explicit", "Atlanta has an explicit"), encoding="utf-8")
    out = tmp_path / "fictional-strategyville.ttl"
    result = run_ingest(snapshot_project(tmp_path), profile, "--city-slug", "fictional-strategyville",
                        "--source-url", "https://example.org/fictional/strategyville/", "--edition", "2018",
                        "--out", str(out))
    assert result.exit_code == 0, result.output
    record = Graph().parse(out, format="turtle")
    response = ID["city/fictional-strategyville/response/2018"]
    assert (response, IG.hasExplicitStrategy, Literal(True)) in record
    compared = set(record.objects(response, IG.comparedWith))
    assert ID["statistic/explicit-strategy-50-percent"] in compared
    assert compared.isdisjoint({ID[f"statistic/{NODES[i]}"] for i in IN_STATISTICS_TTL})


# ---------------------------------------------------------------- the shapes, on a fictional statistic

FICTIONAL = """@base <https://w3id.org/innovgraph/id/> .
@prefix ig:      <https://w3id.org/innovgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ind:     <https://w3id.org/innovgraph/vocab/indicator/> .
<https://example.org/fictional/survey-report> a ig:SourceDocument ;
    dcterms:title "Fictional survey report (test fixture)"@en .
<statistic/fictional-comparison>
    a ig:SurveyStatistic ;
    ig:statisticSubject ind:residents-satisfied-with-their-city ;
    ig:comparesGroup ind:has-dedicated-innovation-staff ;
    ig:baselineGroup ind:has-no-dedicated-innovation-staff ;
    ig:groupSharePercent 60.0 ;
    ig:baselineSharePercent 50.0 ;
    ig:gapPercentagePoints 10.0 ;
    dcterms:source <https://example.org/fictional/survey-report> .
"""

BROKEN = [
    ("comparison-without-group", ("    ig:comparesGroup ind:has-dedicated-innovation-staff ;\n", ""),
     "igsh:SurveyStatisticShape-comparisonNeedsGroup", "no ig:comparesGroup"),
    ("group-share-above-100", ("ig:groupSharePercent 60.0", "ig:groupSharePercent 160.0"),
     "igsh:SurveyStatisticShape-groupSharePercent", "between 0 and 100"),
    ("gap-as-text", ("ig:gapPercentagePoints 10.0", 'ig:gapPercentagePoints "almost 10"'),
     "igsh:SurveyStatisticShape-gapPercentagePoints", "percentage points"),
    ("no-figure", ("    ig:groupSharePercent 60.0 ;\n    ig:baselineSharePercent 50.0 ;\n"
                   "    ig:gapPercentagePoints 10.0 ;\n", ""),
     "igsh:SurveyStatisticShape", "needs a figure"),
    ("two-printed-values", ("ig:gapPercentagePoints 10.0 ;", 'ig:valueAsPrinted "ten"@en , "10"@en ;'),
     "igsh:SurveyStatisticShape-valueAsPrinted", "one literal"),
    ("base-count-as-text", ("ig:gapPercentagePoints 10.0 ;", 'ig:cityCount 7 ; ig:baseCityCount "nine" ;'),
     "igsh:SurveyStatisticShape-baseCityCount", "non-negative integer"),
]


def _fictional(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fictional-survey-statistics.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_fictional_comparison_conforms(tmp_path):
    report = validate(Project(REPO), [_fictional(tmp_path, FICTIONAL)])
    assert [r.as_dict() for r in report.results] == []


@pytest.mark.parametrize("case, edit, shape, fragment", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_fictional_statistic_is_rejected(tmp_path, case, edit, shape, fragment):
    old, new = edit
    assert old in FICTIONAL
    report = validate(Project(REPO), [_fictional(tmp_path, FICTIONAL.replace(old, new, 1))])
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert {r.source_shape for r in violations} == {shape}, [r.as_dict() for r in violations]
    assert all(fragment in r.message for r in violations), [r.message for r in violations]
