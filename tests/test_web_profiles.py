"""The city profile, compare and survey pages (src/innovgraph/web/profiles.py), on the shipped
data, from the live server (`web`, tests/support/webserver.py).

The numbers the pages must show are worked out here independently of the saved queries the
pages use: from the fact sheets (data/sources/cities/seoul-kor.yaml, busan-kor.yaml) and by
walking the records' triples with rdflib (data/ttl, no SPARQL). The issue's done-when ("see
that Seoul has an explicit strategy and what share of cities that answered has one, compare
it with Busan side by side, and reach the same numbers through the saved queries") is
`test_seoul_strategy_share_is_the_same_on_the_page_and_through_the_saved_query`.

The slow tests load each new page kind in headless Chromium (tests/support/browser.py), assert
on the DOM and save screenshots to test-artefacts/profile-*.png.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request

import pytest
import yaml
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from innovgraph import Project, query_rows
from innovgraph.ingest.reader import SECTIONS
from support.webserver import ROOT

IG = Namespace("https://w3id.org/innovgraph/ontology#")
ID = Namespace("https://w3id.org/innovgraph/id/")
SHEETS = ROOT / "data" / "sources" / "cities"
ARTEFACTS = ROOT / "test-artefacts"
HTML = {"Accept": "text/html"}


def sheet(slug: str) -> dict:
    return yaml.safe_load((SHEETS / f"{slug}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records() -> Graph:
    """Every city record, parsed by rdflib (the triples, not a query engine)."""
    graph = Graph()
    for path in sorted((ROOT / "data" / "ttl" / "cities").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "innovgraph.ttl", format="turtle")


def current_responses(records: Graph) -> set:
    """Responses no other response supersedes: one per city and edition answered."""
    responses = set(records.subjects(RDF.type, IG.SurveyResponse))
    superseded = set(records.objects(None, IG.supersedes))
    return responses - superseded


def get(web, path: str) -> tuple[int, str]:
    request = urllib.request.Request(web(path), headers=HTML)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def text_of(fragment: str) -> str:
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()
    return re.sub(r" ([:,;)])", r"\1", text)


def section(page: str, element_id: str) -> str:
    """The HTML of the element with this id, up to the next element of the same kind."""
    start = page.index(f'id="{element_id}"')
    tag = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:]).group(1)
    depth = 0
    for match in re.compile(rf"<(/?){name}\b").finditer(page, tag):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[tag:match.start()]
    raise AssertionError(f"element {element_id} is not closed")


# -- Seoul's profile ---------------------------------------------------------------------


def strategy_counts(records: Graph) -> tuple[int, int]:
    """(N, M): current responses stating an explicit strategy, of those stating the answer."""
    current = current_responses(records)
    stated = [(r, v) for r, v in records.subject_objects(IG.hasExplicitStrategy) if r in current]
    return sum(1 for _, v in stated if v.toPython() is True), len(stated)


def test_seoul_page_shows_its_explicit_strategy_beside_n_of_m(web, records):
    facts = sheet("seoul-kor")
    assert facts["explicit_strategy"]["value"] == "yes"
    n, m = strategy_counts(records)
    assert 0 < n < m
    status, page = get(web, "/id/city/seoul-kor")
    assert status == 200
    strategy = text_of(section(page, "section-strategy"))
    assert "Seoul: yes" in strategy
    assert f"yes: {n} of {m} cities that answered" in strategy
    assert f"{round(100 * n / m, 1)}%" in strategy
    # The share the profile quotes (the fact sheet's "50%") beside the share recomputed.
    quoted = facts["explicit_strategy"]["survey_share_quoted"]
    assert f"({quoted})" in strategy and f"Recomputed from the graph: {n} of {m} responses" in strategy
    # The chart marks Seoul's own answer; the table beside it gives the same numbers.
    chart = section(page, "chart-hasExplicitStrategy")
    assert 'role="img"' in chart and f"yes {n} of {m} (Seoul's answer)" in html.unescape(chart)
    table = text_of(section(page, "section-strategy").split('<table class="freq">', 1)[1])
    assert f"yes {n} of {m}" in table and f"no {m - n} of {m}" in table and "Seoul's answer" in table


def test_seoul_strategy_share_is_the_same_on_the_page_and_through_the_saved_query(records):
    n, m = strategy_counts(records)
    rows = [r for r in query_rows("answer-frequencies", project=Project(ROOT))
            if r["property"] == str(IG.hasExplicitStrategy) and r["option"] is True]
    assert [(r["chosen"], r["answered"]) for r in rows] == [(n, m)]


def test_city_page_has_a_chart_per_question(web, ontology):
    # The questions that are a choice: yes/no or options of a scheme, per the ontology.
    questions = {p for p in ontology.subjects(IG.profileSection, None)
                 if (p, RDFS.range, XSD.boolean) in ontology or (p, RDFS.range, SKOS.Concept) in ontology}
    assert len(questions) > 10
    status, page = get(web, "/id/city/seoul-kor")
    assert status == 200
    charts = re.findall(r'<svg class="chart" id="chart-(\w+)"', page)
    assert sorted(charts) == sorted(str(q).rsplit("#", 1)[-1] for q in questions)
    assert page.count('<table class="freq">') == len(questions)
    assert page.count("<script") == 1  # the JSON-LD only: charts need no JavaScript


def test_seoul_sections_come_in_the_profile_order_with_their_status(web):
    facts = sheet("seoul-kor")
    status, page = get(web, "/id/city/seoul-kor")
    order = re.findall(r'<section class="profile-section[^"]*" id="section-([\w-]+)"[^>]*data-status="([^"]+)"', page)
    # The page order the profile reader knows (the order of the vocabulary's hasTopConcept).
    assert tuple(slug for slug, _ in order) == SECTIONS
    statuses = dict(order)
    # The sheet: null = not reached (unknown); the organisation paragraph is cut (partial).
    for slug, key in (("terms", "terms"), ("activities", "most_common_activities"),
                      ("data-availability", "data_availability")):
        assert facts[key] is None and statuses[slug] == "not reached"
    assert statuses["organisations"] == "reached in part"
    assert statuses["strategy"] == "reached"
    unknown = text_of(section(page, "section-terms"))
    assert "unknown" in unknown


def test_posts_show_the_year_they_were_known_to_be_held_or_the_note(web, records):
    status, page = get(web, "/id/city/seoul-kor")
    mayor = text_of(section(page, "section-mayor"))
    tenure = ID["city/seoul-kor/tenure/mayor-wonsoon-park"]
    year = records.value(tenure, IG.heldAsOf)
    assert sheet("seoul-kor")["mayor"] in mayor and f"known to hold the post in {year}" in mayor
    status, page = get(web, "/id/city/busan-kor")
    mayor = text_of(section(page, "section-mayor"))
    busan = ID["city/busan-kor/tenure/mayor-oh-keo-don"]
    assert records.value(busan, IG.heldAsOf) is None
    note = str(records.value(busan, SKOS.editorialNote))
    assert sheet("busan-kor")["mayor"] in mayor and note in mayor


def test_person_page_says_which_post_where_and_when(web, records):
    status, page = get(web, "/id/person/wonsoon-park")
    assert status == 200
    held = text_of(section(page, "posts-held"))
    year = records.value(ID["city/seoul-kor/tenure/mayor-wonsoon-park"], IG.heldAsOf)
    assert held == f"Mayor of Seoul, Seoul: known to be held in {year}"
    # What refers to the person is named too, not shown as the tenure's raw IRI.
    assert "&lt;https://w3id.org/innovgraph/id/city/seoul-kor/tenure/" not in page
    assert f"Wonsoon Park, Mayor of Seoul (as of {year})" in page


# -- compare -----------------------------------------------------------------------------

# The fact-sheet field of each profile section that can be unknown (null: not reached).
SHEET_FIELDS = {
    "lead-innovation-officer": ("lead_innovation_officer",), "innovation-website": ("innovation_website",),
    "terms": ("terms",), "activities": ("most_common_activities",),
    "dedicated-funding": ("funding", "dedicated"), "funding-sources": ("funding", "sources"),
    "funded-activities": ("funding", "funded_activities"), "partnerships": ("partnerships", "with"),
    "data-partnerships": ("partnerships", "data_partnerships_with"),
    "data-availability": ("data_availability",), "goals": ("goals",),
    "success-factors": ("critical_success_factors",),
}


def sheet_value(values: dict, path: tuple[str, ...]):
    for key in path:
        values = values.get(key) if isinstance(values, dict) else None
    return values


def compare_rows(page: str, slug: str) -> list[list[str]]:
    body = section(page, f"compare-{slug}")
    return [re.findall(r'data-mark="(\w+)"', row) for row in body.split("<tr")[2:]]


def test_compare_seoul_and_busan_has_two_columns_and_busans_unknown_sections(web):
    status, page = get(web, "/compare?city=seoul-kor&city=busan-kor")
    assert status == 200
    columns = re.findall(r'<th scope="col" class="city-column" data-city="([\w-]+)">(.*?)</th>', page)
    assert [(slug, text_of(name)) for slug, name in columns] == [("seoul-kor", "Seoul"), ("busan-kor", "Busan")]
    busan, seoul = sheet("busan-kor"), sheet("seoul-kor")
    unknown = [s for s, path in SHEET_FIELDS.items() if sheet_value(busan, path) is None]
    known = [s for s, path in SHEET_FIELDS.items() if sheet_value(busan, path) is not None]
    assert "data-availability" in unknown and "terms" in known
    for slug in unknown:
        rows = compare_rows(page, slug)
        assert rows and all(len(r) == 2 and r[1] == "unknown" for r in rows), (slug, rows)
    for slug in known:
        assert all(r[1] != "unknown" for r in compare_rows(page, slug)), slug
    # Seoul's terms are unknown, Busan's are not: each column keeps its own marks.
    assert sheet_value(seoul, SHEET_FIELDS["terms"]) is None
    assert compare_rows(page, "terms")[0] == ["unknown", "yes"]
    # Busan's strategy answer, from its sheet.
    strategy = text_of(section(page, "compare-strategy"))
    assert busan["explicit_strategy"]["value"] == seoul["explicit_strategy"]["value"] == "yes"
    assert "has explicit strategy yes yes" in strategy


def test_compare_form_lists_every_city(web, records):
    status, page = get(web, "/compare")
    assert status == 200
    names = {str(n) for c in records.subjects(RDF.type, IG.City)
             for n in records.objects(c, URIRef("https://schema.org/name"))}
    first = section(page, "city-1")
    assert len(re.findall(r"<option value=\"[\w-]+\"", first)) == len(names) == 79


@pytest.mark.parametrize("query", [
    "city=seoul-kor",
    "&".join(f"city={p.stem}" for p in sorted((ROOT / "data" / "ttl" / "cities").glob("*.ttl"))[:6]),
    "city=seoul-kor&city=atlantis",
    "",
], ids=["one", "six", "unknown", "none-by-empty-value"])
def test_compare_refuses_fewer_than_two_more_than_five_or_unknown_cities(web, query):
    status, page = get(web, "/compare?" + (query or "city="))
    assert status == 400
    message = text_of(section(page, "error-message"))
    if query.startswith("city=seoul-kor&city=atlantis"):
        assert "No city 'atlantis'" in message
    else:
        assert "Compare needs 2 to 5 different cities" in message


# -- the survey overview -----------------------------------------------------------------


def test_survey_page_shows_the_denominators(web, records):
    n, m = strategy_counts(records)
    responses = len(current_responses(records))
    status, page = get(web, "/survey")
    assert status == 200
    strategy = text_of(section(page, "question-hasExplicitStrategy"))
    assert f"yes {n} of {m}" in strategy and f"no {m - n} of {m}" in strategy
    assert f"{m} of {responses} responses answered" in strategy
    # A list question: its denominator is the responses whose copy reaches the section.
    current = current_responses(records)
    reached = {r for r in current
               if (r, IG.sectionReached, URIRef(str(ID).replace("/id/", "/vocab/") + "profile-section/terms")) in records
               or (r, IG.sectionPartlyReached, URIRef(str(ID).replace("/id/", "/vocab/") + "profile-section/terms")) in records}
    terms = text_of(section(page, "question-associatedTerm"))
    assert f"{len(reached)} of {responses} responses answered" in terms
    # 2018 against 2020: each edition's responses, less those a newer response to the same
    # edition supersedes (a city that answered both counts in both).
    assert "the 2018 survey against the 2020 survey" in strategy
    cells = []
    for year in (2018, 2020):
        edition = URIRef(f"https://w3id.org/innovgraph/vocab/survey-edition/{year}")
        answers = set(records.subjects(IG.edition, edition))
        kept = {r for r in answers
                if not any((newer, IG.edition, edition) in records for newer in records.subjects(IG.supersedes, r))}
        stated = [v for r in kept for v in records.objects(r, IG.hasExplicitStrategy)]
        cells.append(f"{sum(1 for v in stated if v.toPython() is True)} of {len(stated)}")
    assert not any(c.endswith(" of 0") for c in cells)  # both editions answered it
    editions = text_of(section(page, "question-hasExplicitStrategy").split('<table class="editions-table">', 1)[1])
    assert re.search(rf"\byes {cells[0]} [\d.]+% {cells[1]} [\d.]+%", editions), (cells, editions)
    # The published shares beside the recomputed ones.
    shares = text_of(section(page, "shares"))
    assert "50% of cities surveyed have an explicit innovation strategy" in shares
    assert f"{n} of {m}" in shares


def test_navigation_links_to_the_new_pages(web):
    status, page = get(web, "/")
    assert 'href="/survey"' in page and 'href="/compare"' in page


# -- in a real browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    from support.browser import Browser, require_chromium
    chromium = Browser(require_chromium())
    yield chromium
    chromium.close()


@pytest.mark.slow
def test_profile_pages_in_chromium(browser, web, ontology):
    questions = {p for p in ontology.subjects(IG.profileSection, None)
                 if (p, RDFS.range, XSD.boolean) in ontology or (p, RDFS.range, SKOS.Concept) in ontology}
    ARTEFACTS.mkdir(exist_ok=True)
    checks = [
        ("/id/city/seoul-kor", "profile-city-seoul.png",
         "[document.querySelectorAll('svg.chart').length,"
         " document.querySelectorAll('svg.chart g.own').length > 0,"
         " document.querySelector('#section-terms').dataset.status]",
         [len(questions), True, "not reached"]),
        ("/compare?city=seoul-kor&city=busan-kor", "profile-compare.png",
         "[[...document.querySelectorAll('th.city-column')].map(t => t.dataset.city),"
         " [...document.querySelectorAll('#compare-data-availability td')].map(td => td.dataset.mark)]",
         [["seoul-kor", "busan-kor"], ["unknown", "unknown"]]),
        ("/survey", "profile-survey.png",
         "[document.querySelectorAll('svg.chart').length,"
         " document.querySelectorAll('#shares tbody tr').length > 10]",
         [len(questions), True]),
    ]
    for path, shot, script, expected in checks:
        tab = browser.open(web(path))
        try:
            tab.settle()
            assert tab.evaluate(script) == expected, path
            assert tab.foreign_requests(web.url) == [] and tab.errors() == []
            image = tab.screenshot(ARTEFACTS / shot)
            assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        finally:
            tab.close()


@pytest.mark.slow
def test_compare_form_works_from_the_keyboard(browser, web):
    tab = browser.open(web("/compare"))
    try:
        tab.settle()
        tab.evaluate("document.getElementById('city-1').value = 'seoul-kor',"
                     " document.getElementById('city-2').value = 'busan-kor',"
                     " document.querySelector('#compare-form button').focus()")
        tab.press("Enter", "Enter", 13, text="\r")
        tab.wait_for("document.querySelectorAll('th.city-column').length === 2")
        assert tab.evaluate("location.search") == "?city=seoul-kor&city=busan-kor&city=&city=&city="
    finally:
        tab.close()
