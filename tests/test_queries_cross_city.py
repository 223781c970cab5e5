"""Saved queries (queries/*.rq) over the shipped graph, asserting results that span several cities.

The expected values are read off the 13 fact sheets shipped first (data/sources/cities/*.yaml)
and the Moscow record's seed, not copied from query output: each assertion names which cities
must appear and with what. Rows are kept to those 14 cities (SHIPPED), so that the assertions do
not move as more cities land; whole-graph answers are in tests/test_query_answers.py. Only the
columns that carry the cross-city facts are compared; rows are compared as sorted lists (exact
multisets).
"""

from __future__ import annotations

from collections import Counter
from itertools import product
from pathlib import Path

import pytest

from innovgraph import Project, open_store, run_saved_query
from support.sheets import cut, older_copy, sheets

REPO = Path(__file__).resolve().parents[1]
ST = "https://w3id.org/innovgraph/id/statistic/"
NAMES = {"Anchorage", "Athens", "Atlanta", "Aurora", "Austin", "Baltimore", "Bilbao", "Buenos Aires",
         "Cape Town", "Detroit", "Moscow", "Rochester", "Rosario", "Wellington"}


@pytest.fixture(scope="module")
def store():
    return open_store(Project(REPO), in_memory=True)


def records(store, name, **params):
    """The rows as {column: text}: an IRI in full, a literal's lexical form, unbound left out
    (independent of how the CLI shows terms)."""
    result = run_saved_query(store, name, {k: str(v) for k, v in params.items()})
    return [{v: t.value for v, t in zip(result.variables, row) if t is not None}
            for row in result.rows]


def rows(store, name, columns, key=None, **params):
    """The rows (the named columns) of the 14 cities, by the column `key` holding a city name
    (the first of `columns` by default)."""
    key = key or columns[0]
    return sorted(tuple(r.get(c, "") for c in columns) for r in records(store, name, **params)
                  if r.get(key) in NAMES)


def names(joined: str) -> set[str]:
    return set(joined.split("; ")) & NAMES if joined else set()


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
    columns = ["cityName", "band", "edition", "declaredRoleCount", "listedRoleCount", "rolesSection"]
    assert rows(store, "cities-by-population-band", columns) == sorted([
        ("Rochester", "under 250,000", "2018", "4", "4", "reached"),
        ("Wellington", "under 250,000", "2018", "6", "6", "reached"),
        ("Aurora", "under 250,000", "2018", "3", "3", "reached"),
        ("Rosario", "250,000 to 1 million", "2020", "4", "4", "reached"),
        ("Austin", "250,000 to 1 million", "2018", "5", "3", "reached"),
        ("Detroit", "250,000 to 1 million", "2018", "9", "6", "reached"),
        ("Athens", "250,000 to 1 million", "2018", "5", "4", "reached"),
        ("Baltimore", "250,000 to 1 million", "2018", "5", "2", "reached in part"),  # a cut list
        ("Atlanta", "250,000 to 1 million", "2018", "6", "6", "reached"),
        ("Bilbao", "250,000 to 1 million", "2018", "", "0", "reached"),  # no count, no role
        ("Anchorage", "250,000 to 1 million", "2018", "4", "4", "reached"),
        # Cape Town: its current (2020) response alone, not both responses merged.
        ("Cape Town", "1 to 5 million", "2020", "5", "5", "reached"),
        ("Buenos Aires", "1 to 5 million", "2018", "3", "3", "reached"),
        ("Moscow", "over 5 million", "2020", "10", "7", "reached"),
    ])
    assert {r[0] for r in rows(store, "cities-by-population-band", ["cityName"],
                               min_population=250000)} == {
        "Rosario", "Austin", "Detroit", "Athens", "Baltimore", "Atlanta", "Bilbao", "Anchorage",
        "Cape Town", "Buenos Aires", "Moscow"}


def test_cities_by_role(store):
    columns = ["name", "edition", "declaredRoleCount", "listedRoleCount"]
    assert rows(store, "cities-by-role", columns, role="igv:innovation-role/data-scientist") == sorted([
        ("Anchorage", "2018", "4", "4"), ("Athens", "2018", "5", "4"), ("Buenos Aires", "2018", "3", "3"),
        ("Detroit", "2018", "9", "6"), ("Moscow", "2020", "10", "7"), ("Rochester", "2018", "4", "4"),
        ("Rosario", "2020", "4", "4")])
    assert rows(store, "cities-by-role", ["name", "edition"], role="igv:innovation-role/designer") == sorted([
        ("Anchorage", "2018"), ("Atlanta", "2018"), ("Cape Town", "2020"), ("Wellington", "2018")])
    # Cape Town's older copy (cape-town-zaf.yaml lines 60-66) lists an engineer too.
    assert ("Cape Town", "2018") in rows(store, "cities-by-role", ["name", "edition"],
                                         role="igv:innovation-role/engineer", include_superseded="true")
    assert ("Cape Town", "2018") not in rows(store, "cities-by-role", ["name", "edition"],
                                             role="igv:innovation-role/engineer")


def test_roles_declared_vs_listed(store):
    columns = ["name", "edition", "declaredRoleCount", "listedRoleCount", "unlistedRoleCount"]
    assert rows(store, "roles-declared-vs-listed", columns) == sorted([
        ("Anchorage", "2018", "4", "4", "0"), ("Athens", "2018", "5", "4", "1"),
        ("Atlanta", "2018", "6", "6", "0"), ("Aurora", "2018", "3", "3", "0"),
        ("Austin", "2018", "5", "3", "2"),
        ("Baltimore", "2018", "5", "2", ""),  # the list is cut: no gap claimed
        ("Bilbao", "2018", "", "0", ""),  # no count printed, none listed: not dropped
        ("Buenos Aires", "2018", "3", "3", "0"), ("Cape Town", "2020", "5", "5", "0"),
        ("Detroit", "2018", "9", "6", "3"), ("Moscow", "2020", "10", "7", "3"),
        ("Rochester", "2018", "4", "4", "0"), ("Rosario", "2020", "4", "4", "0"),
        ("Wellington", "2018", "6", "6", "0")])
    assert rows(store, "roles-declared-vs-listed", ["name"], edition="igv:survey-edition/2020") == [
        ("Cape Town",), ("Moscow",), ("Rosario",)]
    assert rows(store, "roles-declared-vs-listed", ["name", "edition"], include_superseded="true",
                edition="igv:survey-edition/2018") == sorted(
        [(n, "2018") for n in NAMES - {"Moscow", "Rosario"}])  # Cape Town's older response too


def test_compared_with_survey_statistics(store):
    got = Counter(r[1] for r in rows(store, "compared-with-survey", ["name", "statistic"],
                                     include_superseded="true"))
    assert got == {
        ST + "no-explicit-strategy-50-percent": 10,   # 9 fact-sheet responses + Moscow
        ST + "explicit-strategy-50-percent": 4,       # Athens, Austin, Buenos Aires, Rosario
        ST + "approach-holistic-20-percent": 3,       # Atlanta, Austin, Buenos Aires
        ST + "approach-specific-24-percent": 5,       # Athens, Baltimore, Bilbao, Detroit, Rochester
        ST + "approach-both-more-than-half": 5,       # Anchorage, Aurora, Cape Town 2020, Wellington, Moscow
        ST + "dedicated-funding-81-percent": 4,       # Atlanta, Buenos Aires, Detroit, Moscow
        ST + "explicit-strategy-44-percent-older-profile": 1,  # Cape Town 2018 (superseded)
        ST + "approach-specific-over-one-third-older-profile": 1,
        ST + "funds-training-staff-61-percent-2020": 1,
    }
    current = Counter(r[1] for r in rows(store, "compared-with-survey", ["name", "statistic"]))
    assert current == got - Counter({ST + "explicit-strategy-44-percent-older-profile": 1,
                                     ST + "approach-specific-over-one-third-older-profile": 1})
    cape_town = rows(store, "compared-with-survey", ["name", "edition", "statistic", "sharePercent",
                                                     "shareAsPrinted"], city="id:city/cape-town-zaf",
                     include_superseded="true")
    assert [r[1:] for r in cape_town] == sorted([
        ("2018", ST + "explicit-strategy-44-percent-older-profile", "44", ""),
        ("2018", ST + "approach-specific-over-one-third-older-profile", "", "over one-third"),
        ("2020", ST + "no-explicit-strategy-50-percent", "50", ""),
        ("2020", ST + "approach-both-more-than-half", "", "more than half")])
    # Every profile quotes the figure that describes the city: its own answer has that subject.
    assert {r[1] for r in rows(store, "compared-with-survey", ["name", "cityHasSubject"],
                               include_superseded="true")} == {"true"}


def test_free_text_concepts_name_their_cities(store):
    result = records(store, "free-text-concepts", include_superseded="true")
    got = {r["label"]: names(r.get("cityNames", "")) for r in result}
    assert {label: cities for label, cities in got.items() if cities} == {
        "Service current obligations": {"Cape Town"}, "Back-end developers": {"Detroit"},
        "Front-end developers": {"Detroit"}, "Internet of things developers": {"Detroit"},
        "Development of innovative business": {"Moscow"},
        "Excellence in basic service delivery": {"Cape Town"}, "Human capital": {"Moscow"},
        "Innovation infrastructure": {"Moscow"}, "Resource efficiency": {"Cape Town"},
        "Security": {"Cape Town"}, "independent body": {"Buenos Aires"}}  # a placement
    current = {r["label"]: names(r.get("cityNames", "")) for r in records(store, "free-text-concepts")}
    assert current["Security"] == set() and current["Human capital"] == {"Moscow"}


def test_funding_by_edition(store):
    result = records(store, "funding-by-edition", edition="igv:survey-edition/2018")
    got = {(r["kind"], r["label"]): names(r["cityNames"]) for r in result}
    assert {k: v for k, v in got.items() if v} == {
        ("funded activity", "Investing in digital systems"): {"Atlanta", "Detroit"},
        ("funded activity", "Investing in physical infrastructure"): {"Detroit"}}
    assert all(int(r["cityCount"]) == len(r["cityNames"].split("; ")) for r in result)


def test_funding_without_strategy(store):
    # Dedicated funding and no explicit strategy: Atlanta and Detroit (2018) and Moscow (2020).
    assert rows(store, "funding-without-strategy", ["name", "edition", "fundingSourcesSection"]) == [
        ("Atlanta", "2018", "not reached"), ("Detroit", "2018", "not reached"),
        ("Moscow", "2020", "reached")]


def test_partnerships_by_type(store):
    got = {(r["kind"], r["label"]): names(r["cityNames"]) for r in records(store, "partnerships-by-type")}
    assert {k: v for k, v in got.items() if v} == {
        ("data partner", "other cities"): {"Moscow", "Atlanta"},
        ("data partner", "academia and think tanks"): {"Moscow"},
        ("data partner", "academia, think tanks, and philanthropy"): {"Atlanta"},
        ("data partner", "private sector"): {"Moscow"},
        ("partner", "city residents/resident associations"): {"Moscow"},
        ("partner", "other public agencies"): {"Moscow"},
        ("partner", "private firms"): {"Moscow"},
    }


def test_named_organisations_across_cities(store):
    got = rows(store, "organisations", ["cityName", "name", "kind", "placement", "teamSize"])
    named = [r for r in got if r[1]]
    assert sorted(r for r in named if r[0] != "Moscow") == sorted([
        ("Anchorage", "i-team", "Innovation team", "Mayor's office", "4"),
        ("Austin", "Innovation Office", "Innovation department", "under the City Manager", "12"),
        ("Baltimore", "Innovation Office (i-team)", "Innovation team", "", ""),
        ("Buenos Aires", "Secretary of Science, Technology and Innovation", "Innovation organisation",
         "independent body", ""),
        # The newer copy's department; the older copy's only with include_superseded.
        ("Cape Town", "Innovation and Organizational Effectiveness and Innovation Department",
         "Innovation department", "independent department", "12"),
        ("Detroit", "Department of Innovation and Technology", "Innovation department", "", ""),
        ("Detroit", "Lean Team", "Innovation team", "", ""),
        ("Detroit", "Office of Mobility Innovation", "Innovation organisation", "", ""),
        ("Rosario", "Modernization and Proximity Secretary", "Innovation organisation", "", ""),
    ])
    assert sum(1 for r in named if r[0] == "Moscow") == 4
    # rochester-us.yaml line 79: the Chief Performance Officer, a post.
    assert [r[2] for r in got if r[0] == "Rochester"] == ["Innovation team", "Post"]


def test_organisations_include_unnamed_teams(store):
    got = rows(store, "organisations", ["cityName", "placement", "teamSize"])
    assert sorted((r[0], r[2]) for r in got if r[1] == "Mayor's office") == [
        ("Anchorage", "4"), ("Atlanta", ""), ("Detroit", "5"), ("Rochester", "6")]
    assert sorted((r[0], r[2]) for r in got if r[1] == "independent department") == [
        ("Aurora", "2"), ("Cape Town", "12")]


def test_unknown_sections_per_response(store):
    got = Counter((r[0], r[1]) for r in rows(store, "unknown-sections", ["cityName", "edition", "status"],
                                             include_superseded="true")
                  if r[2] == "not reached")
    # The six profiles that print an 'Innovation Website' slot without an address have that
    # section reached in part (as Moscow's), not "not reached".
    assert got == {
        ("Atlanta", "2018"): 2, ("Detroit", "2018"): 4, ("Buenos Aires", "2018"): 5,
        ("Athens", "2018"): 7, ("Aurora", "2018"): 7, ("Austin", "2018"): 7, ("Rosario", "2020"): 6,
        ("Rochester", "2018"): 8, ("Anchorage", "2018"): 8, ("Bilbao", "2018"): 9,
        ("Cape Town", "2018"): 9, ("Cape Town", "2020"): 9, ("Baltimore", "2018"): 9,
        ("Wellington", "2018"): 10}  # Moscow's copy reaches every section
    current = {(r[0], r[1]) for r in rows(store, "unknown-sections", ["cityName", "edition"])}
    assert ("Cape Town", "2018") not in current and ("Cape Town", "2020") in current
    partly = Counter((r[0], r[1]) for r in rows(store, "unknown-sections", ["cityName", "sectionLabel", "status"])
                     if r[2] == "reached in part")
    assert partly == Counter({
        ("Anchorage", "Innovation Website"): 1, ("Atlanta", "Innovation Website"): 1,
        ("Baltimore", "Innovation Website"): 1, ("Buenos Aires", "Innovation Website"): 1,
        ("Detroit", "Innovation Website"): 1, ("Rosario", "Innovation Website"): 1,
        ("Moscow", "Innovation Website"): 1, ("Athens", "Activities"): 1,
        ("Austin", "Activities"): 1, ("Detroit", "Activities"): 1,
        ("Rosario", "Activities"): 1, ("Baltimore", "Roles"): 1,
        ("Bilbao", "Organisations"): 1})


def test_programs_matching_spans_cities(store):
    got = rows(store, "programs-matching", ["cityName", "name"], text="data")
    assert [r for r in got if r[0] in {"Moscow", "Rochester"}] == sorted([
        ("Moscow", "Integrated Medical Information and Analytical System"),
        ("Rochester", "Data Analysis and Dashboarding")])


def test_programs_matching_finds_unnamed_programs(store):
    cities = {r[0] for r in rows(store, "programs-matching", ["cityName"], text="data")}
    assert cities == {"Moscow", "Rochester", "Detroit", "Wellington"}


def test_goals_and_success_factors_with_superseded_responses(store):
    """With include_superseded every response counts, the older copies' too (their fields
    that do not differ are the newer copy's: vintage.older_trailing_slash_copy)."""
    expected = Counter()
    for sheet in sheets():
        for copy in filter(None, (sheet, older_copy(sheet))):
            expected.update(product(dict.fromkeys(g for g in copy["goals"] or [] if not cut(g)),
                                    dict.fromkeys(f for f in copy["critical_success_factors"] or []
                                                  if not cut(f))))
    got = {(r["goalLabel"], r["factorLabel"]): int(r["responseCount"])
           for r in records(store, "goals-and-success-factors", include_superseded="true")}
    assert {pair: n for pair, n in got.items() if pair in expected} == dict(expected)
    current = {(r["goalLabel"], r["factorLabel"]): int(r["responseCount"])
               for r in records(store, "goals-and-success-factors")}
    # cape-town-zaf.yaml lines 28-41 and 84-92: the pairs both copies name count Cape Town
    # once by default, twice with the superseded response.
    pair = ("Improve service delivery", "Leadership from Mayor")
    assert got[pair] - current[pair] == sum(
        1 for s in sheets() if older_copy(s) and pair[0] in (older_copy(s)["goals"] or [])
        and pair[1] in (older_copy(s)["critical_success_factors"] or []))
