"""Every saved query's exact rows on the fictional fixture cities (tests/fixtures/query-data),
plus a few on the shipped Moscow record, filtered on Moscow."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from innovgraph import Catalogue, Project, open_store, run_saved_query

A, B, G, D = ("Alphaville (fictional)", "Betatown (fictional)", "Gammaford (fictional)",
              "Deltaburg (fictional)")
AV, BT, GF, DB = ("id:city/fictional-alphaville", "id:city/fictional-betatown",
                  "id:city/fictional-gammaford", "id:city/fictional-deltaburg")
ACT = "igv:innovation-activity/"


@pytest.fixture
def store(query_project):
    return open_store(query_project, in_memory=True)


def rows(store, name, **params):
    # GROUP_CONCAT has no defined order: compare its lists as sorted.
    result = run_saved_query(store, name, params)
    return [tuple("; ".join(sorted(v.split("; "))) for v in row) for row in result.values()]


EXPECTED = {
    ("activities-vs-ranking", ()): [
        (ACT + "taking-risks-or-testing-new-ideas", "Taking risks or testing new ideas", "1", "2"),
        (ACT + "engaging-residents-in-new-ways", "Engaging residents in new ways", "", "1"),
        (ACT + "human-centered-design", "Human-centered design", "2", "1"),
        (ACT + "data-driven-analytics-public-data-management",
         "Data-driven analytics/public data management", "3", "1"),
    ],
    ("activities-vs-ranking", (("edition", "igv:survey-edition/2018"),)): [
        (ACT + "data-driven-analytics-public-data-management",
         "Data-driven analytics/public data management", "3", "1"),
        (ACT + "taking-risks-or-testing-new-ideas", "Taking risks or testing new ideas", "1", "0"),
        (ACT + "human-centered-design", "Human-centered design", "2", "0"),
    ],
    ("cities", ()): [
        (AV, A, "Alphaland (fictional)", "480000", "2019"),
        (BT, B, "Betaland (fictional)", "2300000", "2019"),
        (DB, D, "Betaland (fictional)", "900000", "2018"),
        (GF, G, "Alphaland (fictional)", "35000", "2020"),
    ],
    ("cities", (("min_population", "1000000"),)): [(BT, B, "Betaland (fictional)", "2300000", "2019")],
    ("cities-by-population-band", ()): [
        ("under 250,000", G, "35000", "2020", "", "0"),
        ("250,000 to 1 million", D, "900000", "2018", "", ""),
        ("250,000 to 1 million", A, "480000", "2019", "4", "2"),
        ("1 to 5 million", B, "2300000", "2019", "5", "3"),
    ],
    ("cities-by-population-band", (("min_population", "500000"),)): [
        ("250,000 to 1 million", D, "900000", "2018", "", ""),
        ("1 to 5 million", B, "2300000", "2019", "5", "3"),
    ],
    ("cities-by-role", (("role", "igv:innovation-role/data-scientist"),)): [
        (AV, A, "2020", "4", "2"), (BT, B, "2018", "3", "3"), (BT, B, "2020", "5", "1"),
    ],
    ("cities-by-role", (("role", "igv:innovation-role/designer"),)): [(BT, B, "2018", "3", "3")],
    ("compared-with-survey", ()): [
        (AV, A, "2020", "id:statistic/fictional-dedicated-funding-80-percent",
         "Has dedicated funding for innovation capacity", "80%", "true"),
        (AV, A, "2020", "id:statistic/fictional-funds-digital-systems",
         "Investing in digital systems", "12 cities", "true"),
        (BT, B, "2020", "id:statistic/fictional-no-strategy-40-percent",
         "Has no explicit innovation strategy", "40%", "true"),
        (GF, G, "2020", "id:statistic/fictional-approach-most", "holistic/macro level", "most", "false"),
        (GF, G, "2020", "id:statistic/fictional-dedicated-funding-80-percent",
         "Has dedicated funding for innovation capacity", "80%", "false"),
    ],
    ("concept-scheme", (("scheme", "igv:survey-edition"),)): [
        ("igv:survey-edition/2018", "2018 survey", "", "", "false"),
        ("igv:survey-edition/2020", "2020 survey", "", "", "false"),
    ],
    ("data-availability", ()): [
        (A, "2020", "Healthcare", "Sufficient data"), (A, "2020", "housing", "No Response"),
        (B, "2020", "Digital governance", "Sufficient data"),
        (B, "2020", "Transport/Mobility", "Sufficient data"),
    ],
    ("data-availability", (("level", "igv:data-availability-level/no-response"),)): [
        (A, "2020", "housing", "No Response"),
    ],
    ("funding-by-edition", ()): [
        ("2018", "funded activity", "Idea generation & brainstorming", "1", B),
        ("2018", "funding source", "Municipal budget", "1", B),
        ("2020", "funded activity", "Investing in digital systems", "2", f"{A}; {B}"),
        ("2020", "funded activity", "Paying for services", "1", B),
        ("2020", "funded activity", "Training staff and building capacity", "1", A),
        ("2020", "funding source", "Municipal budget", "2", f"{A}; {B}"),
    ],
    ("funding-by-edition", (("edition", "igv:survey-edition/2018"),)): [
        ("2018", "funded activity", "Idea generation & brainstorming", "1", B),
        ("2018", "funding source", "Municipal budget", "1", B),
    ],
    ("funding-without-strategy", ()): [
        (AV, A, "2020", "Municipal budget"), (BT, B, "2020", "Municipal budget"),
    ],
    ("funding-without-strategy", (("edition", "igv:survey-edition/2018"),)): [],
    ("goals-and-success-factors", ()): [
        ("Improve service delivery", "Focus on measurement", "2"),
        ("Improve service delivery", "Leadership from Mayor", "2"),
        ("Engage residents and other stakeholders", "Leadership from Mayor", "1"),
        ("Improve service delivery", "Dedicated funding", "1"),
        ("Save costs and improve efficiency within the public sector", "Dedicated funding", "1"),
        ("Save costs and improve efficiency within the public sector", "Focus on measurement", "1"),
        ("Save costs and improve efficiency within the public sector", "Leadership from Mayor", "1"),
    ],
    ("mayors-and-innovation-officers", ()): [
        (A, "lead innovation officer", "Bo Bright (fictional)", "", "", "",
         "<https://example.org/fictional/alphaville-press-release>"),
        (A, "mayor", "Ada Alpha (fictional)", "", "2017-01-01", "",
         "<https://example.org/fictional/alphaville-profile>"),
        (B, "mayor", "Cy Beta (fictional)", "", "2015-01-01", "2019-12-31",
         "<https://example.org/fictional/betatown-profile>"),
        (B, "mayor", "Di Beta (fictional)", "", "2020-01-01", "",
         "<https://example.org/fictional/betatown-profile>"),
    ],
    ("mayors-and-innovation-officers", (("city", BT),)): [
        (B, "mayor", "Cy Beta (fictional)", "", "2015-01-01", "2019-12-31",
         "<https://example.org/fictional/betatown-profile>"),
        (B, "mayor", "Di Beta (fictional)", "", "2020-01-01", "",
         "<https://example.org/fictional/betatown-profile>"),
    ],
    ("organisations", ()): [
        (A, AV + "/org/fictional-lab", "Alphaville Lab (fictional)", "Alphaville Lab (fictional)",
         "Innovation team", "Mayor's office", "6"),
        (B, BT + "/org/fictional-digital-office", "Betatown Digital Office (fictional)",
         "Betatown Digital Office (fictional)", "Innovation department", "", ""),
    ],
    ("partnerships-by-type", ()): [
        ("data partner", "academia and think tanks", "1", A),
        ("data partner", "other cities", "1", B),
        ("data partner", "private sector", "1", B),
        ("partner", "city residents/resident associations", "1", B),
        ("partner", "other public agencies", "1", A),
        ("partner", "private firms", "1", A),
    ],
    ("programs-by-policy-area", ()): [
        ("Digital governance", BT + "/program/fictional-data-commons", "Data Commons (fictional)", B,
         "Betatown Digital Office (fictional)", "Innovation department"),
        ("Environment and climate change", BT + "/program/fictional-clean-rivers",
         "Clean Rivers (fictional)", B, "", ""),
        ("Healthcare", BT + "/program/fictional-clean-rivers", "Clean Rivers (fictional)", B, "", ""),
        ("Transport/Mobility", AV + "/program/fictional-open-streets", "Open Streets (fictional)", A,
         "Alphaville Lab (fictional)", "Innovation team"),
    ],
    ("programs-by-policy-area", (("policy_area", "igv:policy-area/healthcare"),)): [
        ("Healthcare", BT + "/program/fictional-clean-rivers", "Clean Rivers (fictional)", B, "", ""),
    ],
    ("programs-matching", (("text", "DATA"),)): [
        (BT + "/program/fictional-data-commons", "Data Commons (fictional)", "Data Commons (fictional)", B),
    ],
    ("programs-matching", (("text", "sundays"),)): [
        (AV + "/program/fictional-open-streets", "Open Streets (fictional)", "Open Streets (fictional)", A),
    ],
    ("roles-declared-vs-listed", ()): [
        (AV, A, "2020", "4", "2", "Data scientist; Project manager"),
        (BT, B, "2018", "3", "3", "Data scientist; Designer; Urban planner"),
        (BT, B, "2020", "5", "1", "Data scientist"),
    ],
    ("roles-declared-vs-listed", (("edition", "igv:survey-edition/2018"),)): [
        (BT, B, "2018", "3", "3", "Data scientist; Designer; Urban planner"),
    ],
    ("unknown-sections", (("city", AV),)): [
        (A, "2020", "Spotlight", "not recorded"), (A, "2020", "Terms", "not recorded"),
    ],
    ("unknown-sections", (("city", DB),)): [(D, "", "", "no response recorded")],
    ("unknown-sections", (("city", BT),)): [
        (B, "2018", "Data availability", "not reached"), (B, "2018", "Data partnerships", "not reached"),
        (B, "2018", "Partnerships", "not reached"),
    ],
    ("unknown-sections", (("city", GF),)): [
        (G, "2020", s, "not reached") for s in (
            "Data availability", "Data partnerships", "Funded activities", "Funding sources",
            "Organisations", "Partnerships", "Roles")
    ] + [
        (G, "2020", s, "not recorded") for s in (
            "Approach", "Innovation Website", "Lead Innovation Officer", "Spotlight", "Terms")
    ],
}


@pytest.mark.parametrize("name,params", list(EXPECTED), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_saved_query_rows(store, name, params):
    assert rows(store, name, **dict(params)) == EXPECTED[(name, params)]


def test_free_text_concepts_include_the_fixture_answer_with_its_city(store):
    result = rows(store, "free-text-concepts")
    assert ("igv:policy-area/fictional-snow-clearing", "igv:policy-area",
            "Snow clearing (fictional)", G) in result
    # Every other free-text concept comes from the vocabularies, which no fixture city uses.
    assert all(row[3] == "" for row in result if "fictional" not in row[0])


def test_city_graph_is_every_triple_one_hop_from_the_city(store):
    result = run_saved_query(store, "city-graph", {"city": GF})
    assert result.kind == "graph"
    assert len(result) == 39  # city 5, population 5, response 29
    subjects = {t.subject.value.rsplit("/id/", 1)[1] for t in result.triples}
    assert subjects == {"city/fictional-gammaford", "city/fictional-gammaford/population/2020",
                        "city/fictional-gammaford/response/2020"}


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


# ---- the shipped Moscow record, filtered on Moscow so other cities do not change the rows

MOSCOW = "id:city/moscow-rus"


@pytest.fixture(scope="module")
def shipped():
    return open_store(Project(), in_memory=True)


def test_moscow_mayor_and_lead_innovation_officer_with_sources(shipped):
    profile = "<https://cities-innovation-oecd.com/cities/moscow-rus/>"
    assert rows(shipped, "mayors-and-innovation-officers", city=MOSCOW) == [
        ("Moscow", "lead innovation officer", "Alexei Fursin", "", "", "", profile),
        ("Moscow", "mayor", "Sergey Semyonovich Sobyanin", "", "", "", profile),
    ]


def test_moscow_compared_with_survey_statistics(shipped):
    assert rows(shipped, "compared-with-survey", city=MOSCOW) == [
        (MOSCOW, "Moscow", "2020", "id:statistic/approach-both-more-than-half",
         "both holistic/macro and specific policy areas", "more than half", "true"),
        (MOSCOW, "Moscow", "2020", "id:statistic/dedicated-funding-81-percent",
         "Has dedicated funding for innovation capacity", "81%", "true"),
        (MOSCOW, "Moscow", "2020", "id:statistic/funds-training-staff-61-percent-2020",
         "Training staff and building capacity", "61%", "true"),
        (MOSCOW, "Moscow", "2020", "id:statistic/no-explicit-strategy-50-percent",
         "Has no explicit innovation strategy", "50%", "true"),
    ]


def test_moscow_profile_reaches_every_section(shipped):
    # Every section but the website slot, whose address the text does not carry.
    assert rows(shipped, "unknown-sections", city=MOSCOW) == [
        ("Moscow", "2020", "Innovation Website", "reached in part")]
