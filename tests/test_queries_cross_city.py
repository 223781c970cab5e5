"""Saved queries (queries/*.rq) over the shipped graph, asserting results that span several cities.

The expected values are read off the fact sheets (data/sources/cities/*.yaml) and the Moscow record,
not copied from query output: each assertion names which cities must appear and with what. Only the
columns that carry the cross-city facts are compared, so a query may gain columns without breaking
these tests; rows are compared as sorted lists (exact multisets).
"""

from __future__ import annotations

from collections import Counter
from itertools import product
from pathlib import Path

import pytest
import yaml

from innovgraph import Project, open_store, run_saved_query

REPO = Path(__file__).resolve().parents[1]
SHEETS = REPO / "data" / "sources" / "cities"


@pytest.fixture(scope="module")
def store():
    return open_store(Project(REPO), in_memory=True)


def rows(store, name, columns, **params):
    result = run_saved_query(store, name, {k: str(v) for k, v in params.items()})
    return sorted(tuple(r.get(c, "") for c in columns) for r in result.records())


def test_cities_all_fourteen_with_latest_population(store):
    assert rows(store, "cities", ["name", "country", "population", "year"]) == sorted([
        ("Anchorage", "United States", "298192", "2016"), ("Athens", "Greece", "665000", "2016"),
        ("Atlanta", "United States", "486290", "2004"), ("Aurora", "United States", "201110", "2016"),
        ("Austin", "United States", "950715", "2017"), ("Baltimore", "United States", "611648", "2017"),
        ("Bilbao", "Spain", "345122", "2016"), ("Buenos Aires", "Argentina", "2890000", "2016"),
        ("Cape Town", "South Africa", "4490000", "2019"),  # the newer of its two observations
        ("Detroit", "United States", "673104", "2017"), ("Moscow", "Russia", "12640000", "2019"),
        ("Rochester", "United States", "208046", "2017"), ("Rosario", "Argentina", "995000", "2018"),
        ("Wellington", "New Zealand", "207900", "2016"),
    ])
    assert rows(store, "cities", ["name"], min_population=1000000) == [
        ("Buenos Aires",), ("Cape Town",), ("Moscow",)]


def test_cities_by_population_band(store):
    got = rows(store, "cities-by-population-band", ["band", "cityName", "declaredRoles", "listedRoles"])
    assert got == sorted([
        ("under 250,000", "Rochester", "4", "4"), ("under 250,000", "Wellington", "6", "6"),
        ("under 250,000", "Aurora", "3", "3"),
        ("250,000 to 1 million", "Rosario", "4", "4"), ("250,000 to 1 million", "Austin", "5", "3"),
        ("250,000 to 1 million", "Detroit", "9", "6"), ("250,000 to 1 million", "Athens", "5", "4"),
        ("250,000 to 1 million", "Baltimore", "5", "2"), ("250,000 to 1 million", "Atlanta", "6", "6"),
        ("250,000 to 1 million", "Bilbao", "", "0"),  # roles section reached, no count, no role
        ("250,000 to 1 million", "Anchorage", "4", "4"),
        # Cape Town: largest declared count of its two responses (5) and the distinct roles of both (6).
        ("1 to 5 million", "Cape Town", "5", "6"), ("1 to 5 million", "Buenos Aires", "3", "3"),
        ("over 5 million", "Moscow", "10", "7"),
    ])
    assert {r[1] for r in rows(store, "cities-by-population-band", ["band", "cityName"],
                                min_population=250000)} == {
        "Rosario", "Austin", "Detroit", "Athens", "Baltimore", "Atlanta", "Bilbao", "Anchorage",
        "Cape Town", "Buenos Aires", "Moscow"}


def test_cities_by_role(store):
    assert rows(store, "cities-by-role", ["name", "edition", "declared", "listed"],
                role="igv:innovation-role/data-scientist") == sorted([
        ("Anchorage", "2018", "4", "4"), ("Athens", "2018", "5", "4"), ("Buenos Aires", "2018", "3", "3"),
        ("Detroit", "2018", "9", "6"), ("Moscow", "2020", "10", "7"), ("Rochester", "2018", "4", "4"),
        ("Rosario", "2020", "4", "4")])
    assert rows(store, "cities-by-role", ["name", "edition"], role="igv:innovation-role/designer") == sorted([
        ("Anchorage", "2018"), ("Atlanta", "2018"), ("Cape Town", "2020"), ("Wellington", "2018")])


def test_roles_declared_vs_listed(store):
    assert rows(store, "roles-declared-vs-listed", ["name", "edition", "declared", "listed"]) == sorted([
        ("Anchorage", "2018", "4", "4"), ("Athens", "2018", "5", "4"), ("Atlanta", "2018", "6", "6"),
        ("Aurora", "2018", "3", "3"), ("Austin", "2018", "5", "3"), ("Baltimore", "2018", "5", "2"),
        ("Buenos Aires", "2018", "3", "3"), ("Cape Town", "2018", "4", "4"), ("Cape Town", "2020", "5", "5"),
        ("Detroit", "2018", "9", "6"), ("Moscow", "2020", "10", "7"), ("Rochester", "2018", "4", "4"),
        ("Rosario", "2020", "4", "4"), ("Wellington", "2018", "6", "6")])
    assert rows(store, "roles-declared-vs-listed", ["name"], edition="igv:survey-edition/2020") == [
        ("Cape Town",), ("Moscow",), ("Rosario",)]


def test_compared_with_survey_statistics(store):
    got = Counter(stat for (stat,) in rows(store, "compared-with-survey", ["statistic"]))
    assert got == {
        "id:statistic/no-explicit-strategy-50-percent": 10,   # 9 fact-sheet responses + Moscow
        "id:statistic/explicit-strategy-50-percent": 4,       # Athens, Austin, Buenos Aires, Rosario
        "id:statistic/approach-holistic-20-percent": 3,       # Atlanta, Austin, Buenos Aires
        "id:statistic/approach-specific-24-percent": 5,       # Athens, Baltimore, Bilbao, Detroit, Rochester
        "id:statistic/approach-both-more-than-half": 5,       # Anchorage, Aurora, Cape Town 2020, Wellington, Moscow
        "id:statistic/dedicated-funding-81-percent": 4,       # Atlanta, Buenos Aires, Detroit, Moscow
        "id:statistic/explicit-strategy-44-percent-older-profile": 1,
        "id:statistic/approach-specific-over-one-third-older-profile": 1,
        "id:statistic/funds-training-staff-61-percent-2020": 1,
    }
    cape_town = rows(store, "compared-with-survey", ["edition", "statistic", "share"], city="id:city/cape-town-zaf")
    assert cape_town == sorted([
        ("2018", "id:statistic/explicit-strategy-44-percent-older-profile", "44%"),
        ("2018", "id:statistic/approach-specific-over-one-third-older-profile", "over one-third"),
        ("2020", "id:statistic/no-explicit-strategy-50-percent", "50%"),
        ("2020", "id:statistic/approach-both-more-than-half", "more than half")])


def test_free_text_concepts_name_their_cities(store):
    assert rows(store, "free-text-concepts", ["label", "cities"]) == sorted([
        ("Service current obligations", "Cape Town"), ("Back-end developers", "Detroit"),
        ("Front-end developers", "Detroit"), ("Internet of things developers", "Detroit"),
        ("Development of innovative business", "Moscow"), ("Excellence in basic service delivery", "Cape Town"),
        ("Human capital", "Moscow"), ("Innovation infrastructure", "Moscow"),
        ("Resource efficiency", "Cape Town"), ("Security", "Cape Town"),
        ("independent body", "Buenos Aires")])  # an organisation's placement


def test_funding_by_edition(store):
    assert rows(store, "funding-by-edition", ["edition", "kind", "label", "cities"],
                edition="igv:survey-edition/2018") == sorted([
        ("2018", "funded activity", "Investing in digital systems", "2"),       # Atlanta, Detroit
        ("2018", "funded activity", "Investing in physical infrastructure", "1")])  # Detroit
    names = {r[1]: set(r[2].split("; ")) for r in rows(store, "funding-by-edition", ["edition", "label", "cityNames"])
             if r[0] == "2018"}
    assert names == {"Investing in digital systems": {"Atlanta", "Detroit"},
                     "Investing in physical infrastructure": {"Detroit"}}


def test_funding_without_strategy(store):
    # Dedicated funding and no explicit strategy: Atlanta and Detroit (2018) and Moscow (2020).
    assert rows(store, "funding-without-strategy", ["name", "edition"]) == [
        ("Atlanta", "2018"), ("Detroit", "2018"), ("Moscow", "2020")]


def test_partnerships_by_type(store):
    got = {r[0:2]: set(r[2].split("; ")) for r in rows(store, "partnerships-by-type", ["kind", "label", "cityNames"])}
    assert got == {
        ("data partner", "other cities"): {"Moscow", "Atlanta"},
        ("data partner", "academia and think tanks"): {"Moscow"},
        ("data partner", "academia, think tanks, and philanthropy"): {"Atlanta"},
        ("data partner", "private sector"): {"Moscow"},
        ("partner", "city residents/resident associations"): {"Moscow"},
        ("partner", "other public agencies"): {"Moscow"},
        ("partner", "private firms"): {"Moscow"},
    }


def test_mayors_and_innovation_officers(store):
    got = set(rows(store, "mayors-and-innovation-officers", ["cityName", "post", "person"]))
    expected = {("Moscow", "mayor", "Sergey Semyonovich Sobyanin"),
                ("Moscow", "lead innovation officer", "Alexei Fursin")}
    for path in sorted(SHEETS.glob("*.yaml")):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected |= {(sheet["city"], "mayor", sheet["mayor"]),
                     (sheet["city"], "lead innovation officer", sheet["lead_innovation_officer"])}
    assert got == expected


def test_named_organisations_across_cities(store):
    got = rows(store, "organisations", ["cityName", "name", "kind", "placement", "teamSize"])
    named = [r for r in got if r[1]]
    assert sorted(r for r in named if r[0] != "Moscow") == sorted([
        ("Anchorage", "i-team", "Innovation team", "Mayor's office", "4"),
        ("Austin", "Innovation Office", "Innovation department", "under the City Manager", "12"),
        ("Baltimore", "Innovation Office (i-team)", "Innovation team", "", ""),
        ("Buenos Aires", "Secretary of Science, Technology and Innovation", "Innovation organisation",
         "independent body", ""),
        ("Cape Town", "Innovation and Organizational Effectiveness and Innovation Department",
         "Innovation department", "independent department", "12"),
        ("Cape Town", "Organisational Effectiveness and Innovation Department", "Innovation department", "", ""),
        ("Detroit", "Department of Innovation and Technology", "Innovation department", "", ""),
        ("Detroit", "Lean Team", "Innovation team", "", ""),
        ("Detroit", "Office of Mobility Innovation", "Innovation organisation", "", ""),
        ("Rosario", "Modernization and Proximity Secretary", "Innovation organisation", "", ""),
    ])
    assert sum(1 for r in named if r[0] == "Moscow") == 4


def test_organisations_include_unnamed_teams(store):
    got = rows(store, "organisations", ["cityName", "placement", "teamSize"])
    assert sorted((r[0], r[2]) for r in got if r[1] == "Mayor's office") == [
        ("Anchorage", "4"), ("Atlanta", ""), ("Detroit", "5"), ("Rochester", "6")]
    assert sorted((r[0], r[2]) for r in got if r[1] == "independent department") == [
        ("Aurora", "2"), ("Cape Town", "12")]


def test_unknown_sections_per_response(store):
    got = Counter((r[0], r[1]) for r in rows(store, "unknown-sections", ["cityName", "edition", "status"])
                  if r[2] == "not reached")
    # The six profiles that print an 'Innovation Website' slot without an address have that
    # section reached in part (as Moscow's), no longer not reached.
    assert got == {
        ("Atlanta", "2018"): 2, ("Detroit", "2018"): 4, ("Buenos Aires", "2018"): 5,
        ("Athens", "2018"): 7, ("Aurora", "2018"): 7, ("Austin", "2018"): 7, ("Rosario", "2020"): 6,
        ("Rochester", "2018"): 8, ("Anchorage", "2018"): 8, ("Bilbao", "2018"): 9,
        ("Cape Town", "2018"): 9, ("Cape Town", "2020"): 9, ("Baltimore", "2018"): 9,
        ("Wellington", "2018"): 10}  # Moscow's copy reaches every section
    partly = Counter((r[0], r[1]) for r in rows(store, "unknown-sections", ["cityName", "section", "status"])
                     if r[2] == "reached in part")
    assert partly == Counter({
        ("Anchorage", "Innovation Website"): 1, ("Atlanta", "Innovation Website"): 1,
        ("Baltimore", "Innovation Website"): 1, ("Buenos Aires", "Innovation Website"): 1,
        ("Detroit", "Innovation Website"): 1, ("Rosario", "Innovation Website"): 1,
        ("Moscow", "Innovation Website"): 1, ("Athens", "Activities"): 1,
        ("Austin", "Activities"): 1, ("Detroit", "Activities"): 1,
        ("Rosario", "Activities"): 1, ("Baltimore", "Roles"): 1,
        ("Bilbao", "Organisations"): 1})


def test_activities_vs_ranking(store):
    assert rows(store, "activities-vs-ranking", ["label", "surveyRank", "cities"]) == sorted([
        ("Taking risks or testing new ideas", "1", "3"),                 # Austin, Detroit, Moscow
        ("Data-driven analytics/public data management", "2", "3"),      # Atlanta, Rosario, Moscow
        ("Engaging residents in new ways", "3", "2"),                    # Athens, Rosario
        ("Developing new solutions based on digital technologies", "4", "1"),  # Moscow
        ("Organizational change within the municipality", "5", "2"),     # Atlanta, Rosario
        ("Human-centered design", "6", "0"),
        ("Rethinking your city’s approach to financing partnerships", "7", "2")])  # Atlanta, Aurora
    assert dict((r[0], r[1]) for r in rows(store, "activities-vs-ranking", ["label", "cities"],
                                            edition="igv:survey-edition/2018")) == {
        "Taking risks or testing new ideas": "2", "Data-driven analytics/public data management": "1",
        "Engaging residents in new ways": "1", "Developing new solutions based on digital technologies": "0",
        "Organizational change within the municipality": "1", "Human-centered design": "0",
        "Rethinking your city’s approach to financing partnerships": "2"}


def test_programs_matching_spans_cities(store):
    got = rows(store, "programs-matching", ["name", "cityName"], text="data")
    assert [r for r in got if r[1] in {"Moscow", "Rochester"}] == sorted([
        ("Integrated Medical Information and Analytical System", "Moscow"),
        ("Data Analysis and Dashboarding", "Rochester")])


def test_programs_matching_finds_unnamed_programs(store):
    cities = {r[0] for r in rows(store, "programs-matching", ["cityName"], text="data")}
    assert cities == {"Moscow", "Rochester", "Detroit", "Wellington"}


def _sheet_responses():
    """(goals, success factors) per response, from the fact sheets and the Moscow record."""
    out = [(["Improve service delivery", "Simplify administrative procedures for firms and residents",
             "Engage residents and other stakeholders"], ["Focus on measurement", "Human resource support"])]
    for path in sorted(SHEETS.glob("*.yaml")):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((sheet["goals"] or [], sheet["critical_success_factors"] or []))
        older = sheet["vintage"].get("older_trailing_slash_copy")
        if older:
            out.append((older["goals"], older["critical_success_factors"]))
    return out


def test_goals_and_success_factors_count_responses_of_all_cities(store):
    expected = Counter()
    for goals, factors in _sheet_responses():
        expected.update(product(goals, factors))
    got = {(g, f): int(n) for g, f, n in rows(store, "goals-and-success-factors",
                                              ["goalLabel", "factorLabel", "responses"])}
    assert got == dict(expected)
    assert got[("Improve internal government operations", "Leadership from Mayor")] == 11
