"""The home page's world map, its filters and the search (issue 19), on the shipped data.

Expected values are worked out here, independently of the page and of the saved queries: which
cities have coordinates and which were left unlinked (and why) from data/ttl/places.ttl read
with rdflib; regions from data/ttl/countries.ttl and places.ttl; answers from the fact sheets
(data/sources/cities/*.yaml: `null` = the section was not reached, so "unknown", never "no");
a mayor's name from a fact sheet. The fast tests read the HTML of the in-process app (as
`innovgraph serve` answers it); the slow ones drive the page in headless Chromium.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
import rdflib
import yaml

from innovgraph import Catalogue, Project, open_store, run_saved_query
from support.sheets import sheets

REPO = Path(__file__).resolve().parents[1]
SHEETS = REPO / "data" / "sources" / "cities"
ARTEFACTS = REPO / "test-artefacts"
ID = "https://w3id.org/innovgraph/id/"
SCHEMA = rdflib.Namespace("https://schema.org/")
IG = rdflib.Namespace("https://w3id.org/innovgraph/ontology#")
SKOS = rdflib.namespace.SKOS
LINKED = rdflib.URIRef("https://w3id.org/innovgraph/vocab/place-match/linked")
HTML = {"Accept": "text/html"}
# The page's URL slug is misspelt ('indianopolis', the sheet's name); the city's IRI is not
# (tests/test_city_records.py).
CITY_SLUG = {"indianopolis-us": "indianapolis-us"}


# -- what the data says, read without the site -----------------------------------------------

@pytest.fixture(scope="module")
def places() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(REPO / "data" / "ttl" / "places.ttl")
    graph.parse(REPO / "data" / "ttl" / "countries.ttl")
    for path in (REPO / "data" / "ttl" / "cities").glob("*.ttl"):
        graph.parse(path)
    return graph


def slug(iri) -> str:
    return str(iri).removeprefix(ID + "city/")


@pytest.fixture(scope="module")
def placed(places) -> dict[str, tuple[float, float]]:
    """slug -> (latitude, longitude) of every city with schema:geo."""
    out = {}
    for city, geo in places.subject_objects(SCHEMA.geo):
        out[slug(city)] = (float(places.value(geo, SCHEMA.latitude)),
                           float(places.value(geo, SCHEMA.longitude)))
    return out


@pytest.fixture(scope="module")
def unlinked(places) -> dict[str, str]:
    """slug -> the note that says why, for every city whose place match is not `linked`."""
    out = {}
    for city, match in places.subject_objects(IG.placeMatch):
        if match != LINKED:
            notes = [str(n) for n in places.objects(city, SKOS.editorialNote)
                     if str(n).startswith("Not linked")]
            out[slug(city)] = notes[0]
    return out


def sheet(name: str) -> dict:
    return yaml.safe_load((SHEETS / f"{name}.yaml").read_text(encoding="utf-8"))


def yes_no(value) -> str:
    """A sheet's yes/no field as the map shows it: null (section not reached) is unknown."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    assert value in ("yes", "no"), value
    return value


# -- the page, parsed ---------------------------------------------------------------------------

class Page(HTMLParser):
    """The markers of the map, the rows of the cities table and the list of cities not on the
    map, with their attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.markers: list[dict] = []
        self.rows: list[dict] = []
        self.unplaced: list[dict] = []
        self._where: list[str] = []
        self._row: dict | None = None
        self._item: dict | None = None
        self._in_unplaced = False
        self.legend: list[str] = []
        self._legend_item: str | None = None
        self._in_legend = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "marker" in (a.get("class") or "").split():
            self.markers.append({**a, "circle": None})
        elif tag == "circle" and self.markers and self.markers[-1]["circle"] is None \
                and "cx" in a and self._where and self._where[-1] == "a":
            self.markers[-1]["circle"] = a
        elif tag == "tr" and self._table:
            self._row = {**a, "cells": [], "links": []}
        elif self._row is not None and tag in ("td", "th"):
            self._row["cells"].append("")
        elif self._row is not None and tag == "a":
            self._row["links"].append(a.get("href"))
        elif tag == "ul" and "unplaced" in (a.get("class") or ""):
            self._in_unplaced = True
        elif tag == "li" and self._in_unplaced:
            self._item = {"text": "", "href": None}
        elif tag == "a" and self._item is not None and self._item["href"] is None:
            self._item["href"] = a.get("href")
        elif tag == "table" and a.get("id") == "city-table":
            self._table = True
        elif tag == "ul" and a.get("id") == "map-legend":
            self._in_legend = True
        elif tag == "li" and self._in_legend:
            self._legend_item = ""
        if tag not in ("circle", "path", "input", "br", "meta", "link"):
            self._where.append(tag)

    _table = False

    def handle_endtag(self, tag):
        if self._where and self._where[-1] == tag:
            self._where.pop()
        if tag == "tr" and self._row is not None:
            if self._row["cells"] and self._row["links"]:
                self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = False
        elif tag == "li" and self._item is not None:
            self.unplaced.append(self._item)
            self._item = None
        elif tag == "li" and self._legend_item is not None:
            self.legend.append(" ".join(self._legend_item.split()))
            self._legend_item = None
        elif tag == "ul":
            self._in_unplaced = self._in_legend = False

    def handle_data(self, data):
        if self._row is not None and self._row["cells"]:
            self._row["cells"][-1] += data
        if self._item is not None:
            self._item["text"] += data
        if self._legend_item is not None:
            self._legend_item += data


@pytest.fixture(scope="module")
def home(web_client) -> Page:
    answer = web_client.get("/", headers=HTML)
    assert answer.status_code == 200
    return Page(answer.text)


def by_slug(items, key="href") -> dict[str, dict]:
    return {item[key].removeprefix("/id/city/"): item for item in items}


def column(page: Page, header: str) -> int:
    headers = ["City", "Country", "Region", "Population", "Edition", "Explicit innovation strategy",
               "Dedicated innovation funding", "Innovation partnerships", "Prioritises policy areas",
               "On the map"]
    return headers.index(header)


# -- the map ------------------------------------------------------------------------------------

def test_one_marker_per_city_with_coordinates(home, placed):
    markers = by_slug(home.markers)
    assert len(home.markers) == len(markers) == len(placed) == 69
    assert set(markers) == set(placed)
    for name, marker in markers.items():
        assert marker["aria-label"].strip(), name  # each link has an accessible name


def test_markers_sit_where_the_coordinates_say(home, placed):
    markers = by_slug(home.markers)
    xs = {n: float(m["circle"]["cx"]) for n, m in markers.items()}
    ys = {n: float(m["circle"]["cy"]) for n, m in markers.items()}
    middle = 960 / 2  # the map's viewBox is 960 wide, longitude 0 in the middle
    for name, (lat, lon) in placed.items():
        assert (xs[name] > middle) == (lon > 0), name
    # North is up: ordered by latitude, the markers are ordered by height on the map.
    by_latitude = sorted(placed, key=lambda n: placed[n][0])
    heights = [ys[n] for n in by_latitude]
    assert heights == sorted(heights, reverse=True)
    # And at one latitude, east is right: Busan (129.0 E) and Seoul (127.0 E) by places.ttl.
    assert (xs["busan-kor"] > xs["seoul-kor"]) == (placed["busan-kor"][1] > placed["seoul-kor"][1])


def test_unlinked_cities_are_listed_with_the_reason_and_never_placed(home, unlinked, placed):
    assert len(unlinked) == 10 and not set(unlinked) & set(placed)
    listed = by_slug(home.unplaced)
    assert set(listed) == set(unlinked)
    for name, note in unlinked.items():
        assert note in " ".join(listed[name]["text"].split()), name
    assert not set(unlinked) & set(by_slug(home.markers))


def test_the_table_lists_every_city_with_the_same_columns(home, places, placed):
    cities = {slug(c) for c in places.subjects(rdflib.RDF.type, IG.City)}
    rows = {r["links"][0].removeprefix("/id/city/"): r for r in home.rows}
    assert set(rows) == cities and len(rows) == 79
    on_map = column(home, "On the map")
    for name, row in rows.items():
        assert row["cells"][on_map].startswith("yes" if name in placed else "no ("), name


@pytest.mark.parametrize("name", ["seoul-kor", "busan-kor", "alexandria-us", "atlanta-us",
                                  "durham-us", "detroit-us"])
def test_answers_are_the_fact_sheets(home, name):
    facts = sheet(name)
    row = next(r for r in home.rows if r["links"][0] == f"/id/city/{name}")
    strategy = yes_no((facts["explicit_strategy"] or {}).get("value"))
    funding = yes_no((facts["funding"] or {}).get("dedicated"))
    assert row["cells"][column(home, "Explicit innovation strategy")].strip() == strategy
    assert row["cells"][column(home, "Dedicated innovation funding")].strip() == funding
    assert (row["data-strategy"], row["data-funding"]) == (strategy, funding)  # what scripts filter by
    marker = by_slug(home.markers).get(name)  # Alexandria is not on the map (ambiguous)
    if marker is not None:
        assert (marker["data-strategy"], marker["data-funding"]) == (strategy, funding)


def test_seoul_has_an_explicit_strategy_and_its_funding_is_unknown():
    facts = sheet("seoul-kor")
    assert facts["explicit_strategy"]["value"] == "yes" and facts["funding"]["dedicated"] is None
    rows = run_saved_query(open_store(Project(REPO)), "city-map").typed_rows()
    seoul = [r for r in rows if r["city"] == ID + "city/seoul-kor"]
    assert len(seoul) == 1  # one current response
    assert (seoul[0]["explicitStrategy"], seoul[0]["dedicatedFunding"]) == ("yes", "unknown")
    assert seoul[0]["edition"] == 2018 and seoul[0]["band"] == "over 5 million"  # 9,780,000 (2017)


def test_every_sheets_strategy_and_funding(home):
    """The whole graph: every fact sheet's explicit strategy and dedicated funding (the newer
    copy's, that of the current response; Moscow's from its seed, tests/support/sheets.py),
    null read as unknown, never as no; and the legend's counts are those of the sheets."""
    rows = {r["links"][0].removeprefix("/id/city/"): r for r in home.rows}
    strategies = Counter()
    for facts in sheets():
        row = rows.pop(CITY_SLUG.get(facts["slug"], facts["slug"]))
        strategy = yes_no((facts.get("explicit_strategy") or {}).get("value"))
        assert row["cells"][column(home, "Explicit innovation strategy")].strip() == strategy, facts["slug"]
        assert row["cells"][column(home, "Dedicated innovation funding")].strip() == \
            yes_no((facts.get("funding") or {}).get("dedicated")), facts["slug"]
        strategies[strategy] += 1
    assert rows == {}  # every city of the map has its sheet
    assert sum(strategies.values()) == 79
    # The map is coloured by explicit strategy by default: its legend counts every city shown.
    assert home.legend == [f"{v}: {n} cities" for v, n in sorted(strategies.items(), key=lambda i: i[0] != "yes")]


def test_the_filters_work_without_javascript(web_client, places, placed):
    """The form is a GET form the server applies: only Europe's cities are shown."""
    region = rdflib.URIRef("https://w3id.org/innovgraph/vocab/world-region/europe")
    european = {slug(city) for city, country in places.subject_objects(IG.country)
                if (country, IG.worldRegion, region) in places}
    assert {"paris-fra", "seoul-kor"} & european == {"paris-fra"}
    page = Page(web_client.get("/?" + urlencode({"region": "Europe"}), headers=HTML).text)
    shown = {n for n, m in by_slug(page.markers).items() if "hidden" not in m}
    assert shown == european & set(placed)
    rows = {r["links"][0].removeprefix("/id/city/") for r in page.rows if "hidden" not in r}
    assert rows == european


def test_the_answer_filter_keeps_unknown_apart_from_no(web_client):
    no = Page(web_client.get("/?question=funding&answer=no", headers=HTML).text)
    unknown = Page(web_client.get("/?question=funding&answer=unknown", headers=HTML).text)
    shown = lambda page: {r["links"][0].removeprefix("/id/city/") for r in page.rows  # noqa: E731
                          if "hidden" not in r}
    assert "seoul-kor" in shown(unknown) and "seoul-kor" not in shown(no)
    expected_no = {CITY_SLUG.get(p.stem, p.stem) for p in SHEETS.glob("*.yaml")
                   if yes_no((sheet(p.stem).get("funding") or {}).get("dedicated")) == "no"}
    assert expected_no <= shown(no) and expected_no  # cities without a sheet may add to it


def test_colour_by_edition_has_its_legend(web_client):
    text = web_client.get("/?colour=edition", headers=HTML).text
    legend = re.search(r'<ul id="map-legend".*?</ul>', text, re.S).group(0)
    assert "2018" in legend and "2020" in legend and "unknown" not in legend
    seoul = by_slug(Page(text).markers)["seoul-kor"]
    assert seoul["aria-label"].endswith("Survey edition: 2018")  # sheet: the 2018 survey


def test_a_city_with_two_current_responses_on_the_fictional_data(app_client, query_project):
    """Fictional Betatown answers the 2018 and the 2020 survey, neither superseded: an explicit
    strategy in 2018, none in 2020 (fictional-betatown.ttl lines 73-101), dedicated funding in
    both. One row, both editions, and the strategy shown as differing, not merged into one."""
    graph = rdflib.Graph()
    graph.parse(REPO / "tests" / "fixtures" / "query-data" / "cities" / "fictional-betatown.ttl")
    strategy = sorted(str(v) for v in graph.objects(None, IG.hasExplicitStrategy))
    assert strategy == ["false", "true"]
    page = Page(app_client(query_project).get("/", headers=HTML).text)
    rows = {r["links"][0].removeprefix("/id/city/"): r for r in page.rows}
    assert len(rows) == 4 and page.markers == []  # no places.ttl: no coordinates, no marker
    betatown = rows["fictional-betatown"]
    assert betatown["data-editions"] == "2018 2020"
    assert (betatown["data-strategy"], betatown["data-funding"]) == ("differs between editions", "yes")
    assert {i["href"].removeprefix("/id/city/") for i in page.unplaced} == set(rows)


# -- search -------------------------------------------------------------------------------------

def test_search_finds_a_city_by_its_mayors_name(web_client):
    mayor = sheet("seoul-kor")["mayor"]
    assert mayor == "Wonsoon Park"
    surname = mayor.split()[0].lower()  # part of the name, in another case
    text = web_client.get("/search?" + urlencode({"q": surname}), headers=HTML).text
    people = re.search(r'<h2 id="found-person">.*?</table>', text, re.S).group(0)
    assert "Wonsoon Park" in people and 'href="/id/city/seoul-kor"' in people
    assert "Mayor of Seoul" in people


def test_search_over_programs_organisations_and_concepts(web_client):
    # Seoul's sheet: the spotlight "Seoul Innovation Park", the organisation "Social Innovation
    # Division"; the goal "Improve service delivery" is a concept of the goals' vocabulary.
    facts = sheet("seoul-kor")
    for text, kind, name in [("innovation park", "program", facts["spotlight"][0]["name"]),
                             ("social innovation div", "organisation", facts["organisations"][0]["name"]),
                             ("service delivery", "concept", facts["goals"][0])]:
        page = web_client.get("/search?" + urlencode({"q": text}), headers=HTML).text
        found = re.search(rf'<h2 id="found-{kind}">.*?</table>', page, re.S)
        assert found and name.lower() in found.group(0).lower(), (text, kind)


def test_search_is_a_saved_query_and_text_is_only_text():
    store = open_store(Project(REPO))
    assert "search" in {q.name for q in Catalogue(Project(REPO)).list()}
    rows = run_saved_query(store, "search", {"text": '") } UNION { ?s ?p ?o'}).typed_rows()
    assert rows == []
    rows = run_saved_query(store, "search", {"text": "wonsoon"}).typed_rows()
    assert [(r["kind"], r["label"], r["city"]) for r in rows] == \
        [("person", "Wonsoon Park", ID + "city/seoul-kor")]


def test_an_empty_search_asks_for_a_text(web_client):
    answer = web_client.get("/search", headers=HTML)
    assert answer.status_code == 200 and 'name="q"' in answer.text and "found-" not in answer.text


# -- in a browser -------------------------------------------------------------------------------

VISIBLE = ("[...document.querySelectorAll('#world-map .marker')]"
           ".filter(a => !a.hasAttribute('hidden') && a.getBoundingClientRect().width > 0)"
           ".map(a => a.getAttribute('href').replace('/id/city/', ''))")


def choose(tab, select: str, value: str) -> None:
    tab.evaluate(f"(s => {{ s.value = {value!r}; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})"
                 f"(document.getElementById({select!r}))")


@pytest.mark.slow
def test_filters_and_picker_in_chromium(web, places, placed):
    from support.browser import Browser, require_chromium

    browser = Browser(require_chromium())
    try:
        tab = browser.open(web("/"), height=1400)
        tab.wait_for("document.documentElement.classList.contains('js')")
        assert sorted(tab.evaluate(VISIBLE)) == sorted(placed)
        # The Apply button is for browsers without scripts: here the form applies itself.
        assert tab.evaluate("getComputedStyle(document.querySelector('.apply')).display") == "none"

        region = rdflib.URIRef("https://w3id.org/innovgraph/vocab/world-region/asia")
        asian = {slug(c) for c, country in places.subject_objects(IG.country)
                 if (country, IG.worldRegion, region) in places}
        choose(tab, "map-region", "Asia")
        assert sorted(tab.evaluate(VISIBLE)) == sorted(asian & set(placed))
        assert tab.evaluate("document.querySelector('[data-count=shown]').textContent") == str(len(asian))
        assert "region=Asia" in tab.evaluate("location.search")
        items = tab.evaluate("[...document.querySelectorAll('#map-legend li')].map(li => li.textContent)")
        assert sum(int(re.search(r": (\d+) cit", i).group(1)) for i in items) == len(asian)

        # Colour by edition: Seoul's marker (2018, its sheet's reading) and Busan's differ in
        # colour from each other as their editions do (Busan's sheet: the 2020 survey).
        fill = "document.querySelector('a.marker[href=\"/id/city/{}\"] circle').getAttribute('fill')"
        before = tab.evaluate(fill.format("seoul-kor")), tab.evaluate(fill.format("busan-kor"))
        assert before[0] == before[1]  # both have an explicit strategy
        choose(tab, "map-colour", "edition")
        after = tab.evaluate(fill.format("seoul-kor")), tab.evaluate(fill.format("busan-kor"))
        assert after[0] != after[1]
        legend = tab.evaluate("document.getElementById('map-legend').textContent")
        assert "2018" in legend and "2020" in legend
        label = tab.evaluate("document.querySelector('a.marker[href=\"/id/city/seoul-kor\"]').getAttribute('aria-label')")
        assert label.endswith("Survey edition: 2018")

        choose(tab, "map-region", "")
        choose(tab, "map-question", "funding")
        choose(tab, "map-answer", "unknown")
        shown = set(tab.evaluate(VISIBLE))
        assert "seoul-kor" in shown and "alexandria-us" not in shown  # null vs "yes" in the sheets
        choose(tab, "map-answer", "")
        choose(tab, "map-colour", "strategy")
        tab.settle()
        ARTEFACTS.mkdir(exist_ok=True)
        shot = tab.screenshot(ARTEFACTS / "home-map.png", full_page=False)
        assert shot.stat().st_size > 20_000
        assert tab.foreign_requests(web.url) == [] and tab.errors() == []
        tab.close()
    finally:
        browser.close()


@pytest.mark.slow
def test_search_by_a_persons_name_in_chromium(web):
    from support.browser import Browser, require_chromium

    browser = Browser(require_chromium())
    try:
        tab = browser.open(web("/"))
        tab.evaluate("document.getElementById('search-text').value = 'jeon'")
        tab.evaluate("document.querySelector('form.site-search').submit()")
        tab.wait_for("location.pathname === '/search' && document.readyState === 'complete'")
        # Seoul's sheet: lead innovation officer Hyo Kwan Jeon.
        assert sheet("seoul-kor")["lead_innovation_officer"] == "Hyo Kwan Jeon"
        links = tab.evaluate("[...document.querySelectorAll('#found-person + table a')].map(a => a.textContent)")
        assert "Hyo Kwan Jeon" in links and "Seoul" in links
        tab.close()
    finally:
        browser.close()
