"""Every saved query's exact rows on the fictional fixture cities (tests/fixtures/query-data),
and on the same cities with Epsilonville (tests/fixtures/superseded), whose older response is
superseded, for what current and superseded responses change.

Rows are typed: IRIs shortened to id:/igv:, integers as int, shares as Decimal, booleans as bool,
unbound as None; lists (GROUP_CONCAT columns) are compared as the query writes them, as every
store must write them in one order.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from innovgraph import Catalogue, Project, open_store, run_saved_query
from support.engines import python_value

A, B, G, D, E = ("Alphaville (fictional)", "Betatown (fictional)", "Gammaford (fictional)",
                 "Deltaburg (fictional)", "Epsilonville (fictional)")
AV, BT, GF, DB, EV = ("id:city/fictional-alphaville", "id:city/fictional-betatown",
                      "id:city/fictional-gammaford", "id:city/fictional-deltaburg",
                      "id:city/fictional-epsilonville")
ACT, IND = "igv:innovation-activity/", "igv:indicator/"
ID, IGV = "https://w3id.org/innovgraph/id/", "https://w3id.org/innovgraph/vocab/"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def store(query_project):
    return open_store(query_project, in_memory=True)


@pytest.fixture
def with_superseded(query_project):
    shutil.copy(FIXTURES / "superseded" / "fictional-epsilonville.ttl",
                query_project.root / "data" / "ttl" / "cities")
    return open_store(query_project, in_memory=True)


def short(term):
    """A result term as a Python value (support.engines.python_value), IRIs shortened."""
    if isinstance(term, ox.NamedNode):
        for base, prefix in ((ID, "id:"), (IGV, "igv:")):
            if term.value.startswith(base):
                return prefix + term.value[len(base):]
    return python_value(term)


def rows(store, name, **params):
    result = run_saved_query(store, name, params)
    return [tuple(short(t) for t in row) for row in result.rows]


def resp(city, year):
    return f"{city}/response/{year}"


EXPECTED = {
    ("activities-vs-ranking", ()): [
        (ACT + "taking-risks-or-testing-new-ideas", "Taking risks or testing new ideas", 1, 2),
        (ACT + "engaging-residents-in-new-ways", "Engaging residents in new ways", None, 1),
        (ACT + "human-centered-design", "Human-centered design", 2, 1),
        (ACT + "data-driven-analytics-public-data-management",
         "Data-driven analytics/public data management", 3, 1),
    ],
    ("activities-vs-ranking", (("edition", "igv:survey-edition/2018"),)): [
        (ACT + "data-driven-analytics-public-data-management",
         "Data-driven analytics/public data management", 3, 1),
        (ACT + "engaging-residents-in-new-ways", "Engaging residents in new ways", None, 0),
        (ACT + "taking-risks-or-testing-new-ideas", "Taking risks or testing new ideas", 1, 0),
        (ACT + "human-centered-design", "Human-centered design", 2, 0),
    ],
    ("cities", ()): [
        (AV, A, "Alphaland (fictional)", 480000, 2019),
        (BT, B, "Betaland (fictional)", 2300000, 2019),
        (DB, D, "Betaland (fictional)", 900000, 2018),
        (GF, G, "Alphaland (fictional)", 35000, 2020),
    ],
    ("cities", (("min_population", "1000000"),)): [(BT, B, "Betaland (fictional)", 2300000, 2019)],
    ("cities-by-population-band", ()): [
        # Gammaford's roles section was not reached: its roles are unknown, not 0.
        ("under 250,000", GF, G, 35000, 2020, resp(GF, 2020), 2020, None, None, "not reached", None),
        ("250,000 to 1 million", DB, D, 900000, 2018, None, None, None, None, None, None),
        ("250,000 to 1 million", AV, A, 480000, 2019, resp(AV, 2020), 2020, 4, 2, "reached", None),
        # One row per response: Betatown answered 2018 and 2020, neither superseding the other.
        ("1 to 5 million", BT, B, 2300000, 2019, resp(BT, 2018), 2018, 3, 3, "reached", None),
        ("1 to 5 million", BT, B, 2300000, 2019, resp(BT, 2020), 2020, 5, 1, "reached", None),
    ],
    ("cities-by-population-band", (("min_population", "500000"),)): [
        ("250,000 to 1 million", DB, D, 900000, 2018, None, None, None, None, None, None),
        ("1 to 5 million", BT, B, 2300000, 2019, resp(BT, 2018), 2018, 3, 3, "reached", None),
        ("1 to 5 million", BT, B, 2300000, 2019, resp(BT, 2020), 2020, 5, 1, "reached", None),
    ],
    ("cities-by-role", (("role", "igv:innovation-role/data-scientist"),)): [
        (AV, A, resp(AV, 2020), 2020, 4, 2, "reached", None),
        (BT, B, resp(BT, 2018), 2018, 3, 3, "reached", None),
        (BT, B, resp(BT, 2020), 2020, 5, 1, "reached", None),
    ],
    ("cities-by-role", (("role", "igv:innovation-role/designer"),)): [
        (BT, B, resp(BT, 2018), 2018, 3, 3, "reached", None)],
    ("compared-with-survey", ()): [
        (AV, A, resp(AV, 2020), 2020, "id:statistic/fictional-dedicated-funding-80-percent",
         IND + "has-dedicated-funding-for-innovation-capacity",
         "Has dedicated funding for innovation capacity", Decimal(80), None, None, True, None),
        (AV, A, resp(AV, 2020), 2020, "id:statistic/fictional-funds-digital-systems",
         "igv:funded-activity/investing-in-digital-systems", "Investing in digital systems",
         None, 12, None, True, None),
        (BT, B, resp(BT, 2020), 2020, "id:statistic/fictional-no-strategy-40-percent",
         IND + "has-no-explicit-innovation-strategy", "Has no explicit innovation strategy",
         Decimal(40), None, None, True, None),
        # Gammaford names another approach, but its approach section is not recorded as
        # reached: whether it is among "most" is unknown, not false.
        (GF, G, resp(GF, 2020), 2020, "id:statistic/fictional-approach-most",
         "igv:approach/holistic-macro-level", "holistic/macro level", None, None, "most", None, None),
        (GF, G, resp(GF, 2020), 2020, "id:statistic/fictional-dedicated-funding-80-percent",
         IND + "has-dedicated-funding-for-innovation-capacity",
         "Has dedicated funding for innovation capacity", Decimal(80), None, None, False, None),
    ],
    ("concept-scheme", (("scheme", "igv:survey-edition"),)): [
        ("igv:survey-edition/2018", "2018 survey", None, None, None, False),
        ("igv:survey-edition/2020", "2020 survey", None, None, None, False),
    ],
    ("data-availability", ()): [
        (A, AV, resp(AV, 2020), 2020, "igv:policy-area/healthcare", "Healthcare",
         "igv:data-availability-level/sufficient-data", "Sufficient data", None),
        (A, AV, resp(AV, 2020), 2020, "igv:policy-area/housing", "housing",
         "igv:data-availability-level/no-response", "No Response", None),
        (B, BT, resp(BT, 2020), 2020, "igv:policy-area/digital-governance", "Digital governance",
         "igv:data-availability-level/sufficient-data", "Sufficient data", None),
        (B, BT, resp(BT, 2020), 2020, "igv:policy-area/transport-mobility", "Transport/Mobility",
         "igv:data-availability-level/sufficient-data", "Sufficient data", None),
    ],
    ("data-availability", (("level", "igv:data-availability-level/no-response"),)): [
        (A, AV, resp(AV, 2020), 2020, "igv:policy-area/housing", "housing",
         "igv:data-availability-level/no-response", "No Response", None),
    ],
    ("funding-by-edition", ()): [
        (2018, "funded activity", "igv:funded-activity/idea-generation-and-brainstorming",
         "Idea generation & brainstorming", 1, B),
        (2018, "funding source", "igv:funding-source/municipal-budget", "Municipal budget", 1, B),
        (2020, "funded activity", "igv:funded-activity/investing-in-digital-systems",
         "Investing in digital systems", 2, f"{A}; {B}"),
        (2020, "funded activity", "igv:funded-activity/paying-for-services", "Paying for services", 1, B),
        (2020, "funded activity", "igv:funded-activity/training-staff-and-building-capacity",
         "Training staff and building capacity", 1, A),
        (2020, "funding source", "igv:funding-source/municipal-budget", "Municipal budget", 2, f"{A}; {B}"),
    ],
    ("funding-by-edition", (("edition", "igv:survey-edition/2018"),)): [
        (2018, "funded activity", "igv:funded-activity/idea-generation-and-brainstorming",
         "Idea generation & brainstorming", 1, B),
        (2018, "funding source", "igv:funding-source/municipal-budget", "Municipal budget", 1, B),
    ],
    ("funding-without-strategy", ()): [
        (AV, A, resp(AV, 2020), 2020, "Municipal budget", "reached", None),
        (BT, B, resp(BT, 2020), 2020, "Municipal budget", "reached", None),
    ],
    ("funding-without-strategy", (("edition", "igv:survey-edition/2018"),)): [],
    ("goals-and-success-factors", ()): [
        ("igv:goal/improve-service-delivery", "Improve service delivery",
         "igv:success-factor/focus-on-measurement", "Focus on measurement", 2),
        ("igv:goal/improve-service-delivery", "Improve service delivery",
         "igv:success-factor/leadership-from-mayor", "Leadership from Mayor", 2),
        ("igv:goal/engage-residents-and-other-stakeholders", "Engage residents and other stakeholders",
         "igv:success-factor/leadership-from-mayor", "Leadership from Mayor", 1),
        ("igv:goal/improve-service-delivery", "Improve service delivery",
         "igv:success-factor/dedicated-funding", "Dedicated funding", 1),
        ("igv:goal/save-costs-and-improve-efficiency-within-the-public-sector",
         "Save costs and improve efficiency within the public sector",
         "igv:success-factor/dedicated-funding", "Dedicated funding", 1),
        ("igv:goal/save-costs-and-improve-efficiency-within-the-public-sector",
         "Save costs and improve efficiency within the public sector",
         "igv:success-factor/focus-on-measurement", "Focus on measurement", 1),
        ("igv:goal/save-costs-and-improve-efficiency-within-the-public-sector",
         "Save costs and improve efficiency within the public sector",
         "igv:success-factor/leadership-from-mayor", "Leadership from Mayor", 1),
    ],
    ("mayors-and-innovation-officers", ()): [
        (A, AV, "lead innovation officer", "id:person/fictional-bo-bright", "Bo Bright (fictional)",
         None, None, None, "https://example.org/fictional/alphaville-press-release"),
        (A, AV, "mayor", "id:person/fictional-ada-alpha", "Ada Alpha (fictional)", None,
         "2017-01-01", None, "https://example.org/fictional/alphaville-profile"),
        (B, BT, "mayor", "id:person/fictional-cy-beta", "Cy Beta (fictional)", None, "2015-01-01",
         "2019-12-31", "https://example.org/fictional/betatown-profile"),
        (B, BT, "mayor", "id:person/fictional-di-beta", "Di Beta (fictional)", None, "2020-01-01",
         None, "https://example.org/fictional/betatown-profile"),
    ],
    ("mayors-and-innovation-officers", (("city", BT),)): [
        (B, BT, "mayor", "id:person/fictional-cy-beta", "Cy Beta (fictional)", None, "2015-01-01",
         "2019-12-31", "https://example.org/fictional/betatown-profile"),
        (B, BT, "mayor", "id:person/fictional-di-beta", "Di Beta (fictional)", None, "2020-01-01",
         None, "https://example.org/fictional/betatown-profile"),
    ],
    ("organisations", ()): [
        (A, AV, AV + "/org/fictional-lab", "Alphaville Lab (fictional)", "Alphaville Lab (fictional)",
         "Innovation team", "Mayor's office", 6, None),
        (B, BT, BT + "/org/fictional-digital-office", "Betatown Digital Office (fictional)",
         "Betatown Digital Office (fictional)", "Innovation department", None, None, None),
    ],
    ("partnerships-by-type", ()): [
        ("data partner", "igv:data-partner-type/academia-and-think-tanks", "academia and think tanks", 1, A),
        ("data partner", "igv:data-partner-type/other-cities", "other cities", 1, B),
        ("data partner", "igv:data-partner-type/private-sector", "private sector", 1, B),
        ("partner", "igv:partner-type/city-residents-resident-associations",
         "city residents/resident associations", 1, B),
        ("partner", "igv:partner-type/other-public-agencies", "other public agencies", 1, A),
        ("partner", "igv:partner-type/private-firms", "private firms", 1, A),
    ],
    ("programs-by-policy-area", ()): [
        ("igv:policy-area/digital-governance", "Digital governance", BT + "/program/fictional-data-commons",
         "Data Commons (fictional)", "Data Commons (fictional)", B, BT,
         BT + "/org/fictional-digital-office", "Betatown Digital Office (fictional)",
         "Innovation department", None),
        ("igv:policy-area/environment-and-climate-change", "Environment and climate change",
         BT + "/program/fictional-clean-rivers", "Clean Rivers (fictional)", "Clean Rivers (fictional)",
         B, BT, None, None, None, None),
        ("igv:policy-area/healthcare", "Healthcare", BT + "/program/fictional-clean-rivers",
         "Clean Rivers (fictional)", "Clean Rivers (fictional)", B, BT, None, None, None, None),
        ("igv:policy-area/transport-mobility", "Transport/Mobility", AV + "/program/fictional-open-streets",
         "Open Streets (fictional)", "Open Streets (fictional)", A, AV, AV + "/org/fictional-lab",
         "Alphaville Lab (fictional)", "Innovation team", None),
    ],
    ("programs-by-policy-area", (("policy_area", "igv:policy-area/healthcare"),)): [
        ("igv:policy-area/healthcare", "Healthcare", BT + "/program/fictional-clean-rivers",
         "Clean Rivers (fictional)", "Clean Rivers (fictional)", B, BT, None, None, None, None),
    ],
    ("programs-matching", (("text", "DATA"),)): [
        (BT + "/program/fictional-data-commons", "Data Commons (fictional)", "Data Commons (fictional)",
         B, BT, None),
    ],
    ("programs-matching", (("text", "sundays"),)): [
        (AV + "/program/fictional-open-streets", "Open Streets (fictional)", "Open Streets (fictional)",
         A, AV, None),
    ],
    ("roles-declared-vs-listed", ()): [
        (AV, A, resp(AV, 2020), 2020, "reached", 4, 2, 2, "Data scientist; Project manager", None),
        (BT, B, resp(BT, 2018), 2018, "reached", 3, 3, 0, "Data scientist; Designer; Urban planner", None),
        (BT, B, resp(BT, 2020), 2020, "reached", 5, 1, 4, "Data scientist", None),
        # Every response is listed: Gammaford's roles are unknown (section not reached).
        (GF, G, resp(GF, 2020), 2020, "not reached", None, None, None, None, None),
    ],
    ("roles-declared-vs-listed", (("edition", "igv:survey-edition/2018"),)): [
        (BT, B, resp(BT, 2018), 2018, "reached", 3, 3, 0, "Data scientist; Designer; Urban planner", None),
    ],
    ("unknown-sections", (("city", AV),)): [
        (A, AV, 2020, resp(AV, 2020), "igv:profile-section/spotlight", "Spotlight", "not recorded", None),
        (A, AV, 2020, resp(AV, 2020), "igv:profile-section/terms", "Terms", "not recorded", None),
    ],
    ("unknown-sections", (("city", DB),)): [(D, DB, None, None, None, None, "no response recorded", None)],
    ("unknown-sections", (("city", BT),)): [
        (B, BT, 2018, resp(BT, 2018), f"igv:profile-section/{s}", label, "not reached", None)
        for s, label in (("data-availability", "Data availability"),
                         ("data-partnerships", "Data partnerships"), ("partnerships", "Partnerships"))
    ],
    ("unknown-sections", (("city", GF),)): [
        (G, GF, 2020, resp(GF, 2020), f"igv:profile-section/{s}", label, "not reached", None)
        for s, label in (("data-availability", "Data availability"),
                         ("data-partnerships", "Data partnerships"),
                         ("funded-activities", "Funded activities"), ("funding-sources", "Funding sources"),
                         ("organisations", "Organisations"), ("partnerships", "Partnerships"),
                         ("roles", "Roles"))
    ] + [
        (G, GF, 2020, resp(GF, 2020), f"igv:profile-section/{s}", label, "not recorded", None)
        for s, label in (("approach", "Approach"), ("innovation-website", "Innovation Website"),
                         ("lead-innovation-officer", "Lead Innovation Officer"),
                         ("spotlight", "Spotlight"), ("terms", "Terms"))
    ],
}


@pytest.mark.parametrize("name,params", list(EXPECTED), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_saved_query_rows(store, name, params):
    assert rows(store, name, **dict(params)) == EXPECTED[(name, params)]


# ---- Epsilonville: a response superseded by a newer copy's (tests/fixtures/superseded)

SUPERSEDED = {
    # Current responses by default: the 2020 one, whose roles list is cut (reached in part:
    # a lower bound, no gap claimed); the superseded 2018 one on request, with its successor.
    ("roles-declared-vs-listed", (("city", EV),)): [
        (EV, E, resp(EV, 2020), 2020, "reached in part", 4, 1, None, "Project manager", None)],
    ("roles-declared-vs-listed", (("city", EV), ("include_superseded", "true"))): [
        (EV, E, resp(EV, 2018), 2018, "reached", 2, 2, 0, "Designer; Project manager", resp(EV, 2020)),
        (EV, E, resp(EV, 2020), 2020, "reached in part", 4, 1, None, "Project manager", None)],
    ("cities-by-role", (("role", "igv:innovation-role/designer"),)): [
        (BT, B, resp(BT, 2018), 2018, 3, 3, "reached", None)],
    ("cities-by-role", (("role", "igv:innovation-role/designer"), ("include_superseded", "true"))): [
        (BT, B, resp(BT, 2018), 2018, 3, 3, "reached", None),
        (EV, E, resp(EV, 2018), 2018, 2, 2, "reached", resp(EV, 2020))],
    # The older copy's team is left out unless asked for.
    ("organisations", (("city", EV),)): [
        (E, EV, EV + "/org/fictional-new-unit", "New Unit (fictional)", "New Unit (fictional)",
         "Innovation team", "Mayor's office", 3, None)],
    ("organisations", (("city", EV), ("include_superseded", "true"))): [
        (E, EV, EV + "/org/fictional-new-unit", "New Unit (fictional)", "New Unit (fictional)",
         "Innovation team", "Mayor's office", 3, None),
        (E, EV, EV + "/org/fictional-old-unit", "Old Unit (fictional)", "Old Unit (fictional)",
         "Innovation team", None, None, resp(EV, 2020))],
    # Its approach section was read and names another approach: not among "most" (false).
    ("compared-with-survey", (("city", EV),)): [
        (EV, E, resp(EV, 2020), 2020, "id:statistic/fictional-approach-most",
         "igv:approach/holistic-macro-level", "holistic/macro level", None, None, "most", False, None)],
    ("unknown-sections", (("city", EV),)): [
        (E, EV, 2020, resp(EV, 2020), "igv:profile-section/funded-activities", "Funded activities",
         "not reached", None)] + [
        (E, EV, 2020, resp(EV, 2020), f"igv:profile-section/{s}", label, "not recorded", None)
        for s, label in (("activities", "Activities"), ("data-availability", "Data availability"),
                         ("data-partnerships", "Data partnerships"),
                         ("dedicated-funding", "Dedicated funding"),
                         ("funding-sources", "Funding sources"),
                         ("innovation-website", "Innovation Website"),
                         ("lead-innovation-officer", "Lead Innovation Officer"), ("mayor", "Mayor"),
                         ("partnerships", "Partnerships"), ("policy-areas", "Policy areas"),
                         ("population", "Population"), ("spotlight", "Spotlight"),
                         ("strategy", "Strategy"), ("terms", "Terms"))] + [
        (E, EV, 2020, resp(EV, 2020), "igv:profile-section/roles", "Roles", "reached in part", None)],
}


@pytest.mark.parametrize("name,params", list(SUPERSEDED), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_current_and_superseded_responses(with_superseded, name, params):
    assert rows(with_superseded, name, **dict(params)) == SUPERSEDED[(name, params)]


def test_counts_over_current_responses_only_by_default(with_superseded):
    pairs = {(g, f): n for g, _, f, _, n in rows(with_superseded, "goals-and-success-factors")}
    assert pairs[("igv:goal/improve-service-delivery", "igv:success-factor/leadership-from-mayor")] == 3
    pairs = {(g, f): n for g, _, f, _, n in rows(with_superseded, "goals-and-success-factors",
                                                 include_superseded="true")}
    assert pairs[("igv:goal/improve-service-delivery", "igv:success-factor/leadership-from-mayor")] == 4
    # The 2018 funded activity is known only from the superseded response.
    assert [r for r in rows(with_superseded, "funding-by-edition") if E in r[5]] == []
    assert [r for r in rows(with_superseded, "funding-by-edition", include_superseded="true")
            if E in r[5]] == [(2018, "funded activity", "igv:funded-activity/paying-for-services",
                               "Paying for services", 1, E)]
    # One row per current response: no 2018 row for Epsilonville unless asked.
    band = [r for r in rows(with_superseded, "cities-by-population-band") if r[1] == EV]
    assert [(r[5], r[7], r[8], r[9]) for r in band] == [(resp(EV, 2020), 4, 1, "reached in part")]


def test_free_text_concepts_include_the_fixture_answer_with_its_city(store):
    result = rows(store, "free-text-concepts")
    assert ("igv:policy-area/fictional-snow-clearing", "igv:policy-area",
            "Snow clearing (fictional)", 1, G) in result
    # Every other free-text concept comes from the vocabularies, which no fixture city uses.
    assert all(row[3:] == (0, None) for row in result if "fictional" not in row[0])


def test_city_graph_is_the_city_file_and_its_country(store, query_project):
    import rdflib
    from support.engines import term_text

    result = run_saved_query(store, "city-graph", {"city": GF})
    assert result.kind == "graph"
    got = {tuple(map(term_text, (t.subject, t.predicate, t.object))) for t in result.triples}
    files = query_project.root / "data" / "ttl" / "cities"
    own = {tuple(map(term_text, t)) for t in rdflib.Graph().parse(files / "fictional-gammaford.ttl")}
    country = {tuple(map(term_text, t)) for t in rdflib.Graph().parse(files / "fictional-alphaville.ttl")
               if str(t[0]).endswith("/id/country/fictional-alp")}
    # Everything its file states (the city, its population, its response, its page, its
    # free-text policy area) and its country, stated in another city's file; nothing else.
    assert got == own | country and len(country) == 3


def test_every_saved_query_is_tested():
    names = {q.name for q in Catalogue(Project()).list()}
    tested = {name for name, _ in EXPECTED} | {"free-text-concepts", "city-graph"}
    assert tested <= names and len(tested) >= 15
    # Queries added with other features are tested with them: the name must appear in a test.
    here = Path(__file__).parent
    elsewhere = " ".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py"))
    assert sorted(n for n in names - tested if f'"{n}"' not in elsewhere) == []


@pytest.mark.parametrize("query", Catalogue(Project()).list(), ids=lambda q: q.name)
def test_saved_queries_are_plain_sparql_for_other_tools(query):
    # rdflib's parser is independent of pyoxigraph's: the text needs no innovgraph pre-processing.
    prepareQuery(query.text)


@pytest.mark.parametrize("query", Catalogue(Project()).list(), ids=lambda q: q.name)
def test_every_select_orders_its_rows(query):
    # A total order is the query's to give (tests/test_engines_agree.py compares rows in order).
    assert "ORDER BY" in query.text or "CONSTRUCT" in query.text, query.name


@pytest.mark.parametrize("query", Catalogue(Project()).list(), ids=lambda q: q.name)
def test_every_description_says_what_it_counts(query):
    assert len(query.description) >= 80, query.name
    response_based = "ig:respondent" in query.text
    if response_based and query.name != "city-graph":
        # Which responses: current by default, superseded on request with one parameter name
        # (or, for a view of current responses only, a description that says so).
        params = {p.name: p for p in query.params}
        assert "current" in query.description, query.name
        assert "include_superseded" in params or "ig:supersedes" in query.description, query.name
        if "include_superseded" in params:
            assert (params["include_superseded"].type, params["include_superseded"].default) == \
                ("boolean", "false"), query.name
