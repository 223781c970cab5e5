"""A city of the graph -> one GeoNames place, or the reason there is none.

The rules, in order (a wrong link is worse than none):

1. The extract: GeoNames' places of over 15,000 inhabitants. A city whose every population
   observation is under that may be missing from it, so that a namesake would be found
   instead: no match ("insufficient data").
2. The country: the city's `ig:country` code (ISO 3166-1 alpha-3) as GeoNames' country. No
   country, no match ("insufficient data").
3. In the United States, the state, from what the sources print: a state after the name
   ("Dallas, TX"), a state between the name and the country code in the slug (`dallas-tx-us`,
   `aurora-il`), or a reading of the profile's text recorded in `STATE_READINGS` (Kansas City).
   Readings that name two different states: no match.
4. The name: places of that country (and state) whose GeoNames name is the printed name, by
   `geonames.name_key`. Only where no place has that name, places that have it among their
   alternate names ("Tel Aviv-Yafo" is GeoNames' Tel Aviv): alternate names also hold old names
   and names of districts, so Norwich, Connecticut, is also "Chelsea" and North Kingstown,
   Rhode Island, also "Rochester"; a place named so comes first.
5. Exactly one place: linked. Several: ambiguous, unlinked, with the candidates named. Nothing
   is chosen by population or any other ranking: the sources do not say which, so the graph
   does not either. None: not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..namespaces import slugify
from .geonames import MIN_POPULATION, GeoNames, Place

# The outcomes, as concepts of the place-match scheme (ontology/vocab/place-match.ttl).
LINKED, AMBIGUOUS, NOT_FOUND, INSUFFICIENT = "linked", "ambiguous", "not-found", "insufficient-data"

# Where the state of a US city is printed in the profile's text but not in its name or slug:
# slug -> (state code, the reading). Each reading quotes its source (the fact sheet, a summary
# of the profile page the city's record cites).
STATE_READINGS = {
    "kansas-city-us": ("KS", "the profile's spotlight names the city Kansas City, Kansas (fact "
                             "sheet data/sources/cities/kansas-city-us.yaml, vintage note)"),
}
# A state printed after the name: "Dallas, TX", "Kansas City, Kansas".
_PRINTED_STATE = re.compile(r"^(?P<name>.+?),\s*(?P<state>[A-Za-z][A-Za-z .]*)$")


@dataclass(frozen=True)
class CityInput:
    """What the graph says of a city that matching uses.

    >>> CityInput("https://w3id.org/innovgraph/id/city/aurora-il", ("Aurora",), "USA").slug
    'aurora-il'
    """

    iri: str
    names: tuple[str, ...]  # schema:name, as printed
    iso3: str | None  # the ISO 3166-1 alpha-3 code of its ig:country
    populations: tuple[int, ...] = ()  # the values of its population observations

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Match:
    """The outcome for one city: `place` when linked, else `reason`; `basis` says how."""

    city: CityInput
    outcome: str
    place: Place | None = None
    basis: str = ""  # linked: what was matched; unlinked: why not
    candidates: tuple[Place, ...] = field(default=())

    @property
    def linked(self) -> bool:
        return self.outcome == LINKED


def match_city(city: CityInput, geonames: GeoNames) -> Match:
    """Match one city by the rules of this module.

    >>> g = GeoNames.shipped()
    >>> m = match_city(CityInput("https://w3id.org/innovgraph/id/city/aurora-il", ("Aurora",), "USA"), g)
    >>> m.outcome, m.place.geonameid, m.place.admin1
    ('linked', 4883817, 'IL')
    >>> match_city(CityInput("https://w3id.org/innovgraph/id/city/peoria-us", ("Peoria",), "USA"), g).outcome
    'ambiguous'
    """
    shown = " / ".join(repr(n) for n in city.names) or "(no name)"
    if not city.names:
        return Match(city, INSUFFICIENT, basis="the graph gives the city no schema:name")
    if city.populations and max(city.populations) < MIN_POPULATION:
        return Match(city, INSUFFICIENT, basis=(
            f"the graph gives the city a population under {MIN_POPULATION:,} "
            f"({max(city.populations):,}), so its place may be missing from GeoNames' extract "
            f"of places of over {MIN_POPULATION:,} inhabitants, and a namesake found instead"))
    country = geonames.country(city.iso3) if city.iso3 else None
    if country is None:
        why = ("the graph gives the city no country" if not city.iso3 else
               f"GeoNames has no country with the ISO 3166-1 alpha-3 code {city.iso3}")
        return Match(city, INSUFFICIENT, basis=why)
    bases, states = _state_readings(city, geonames) if country.iso3 == "USA" else ([], set())
    if len(states) > 1:
        return Match(city, INSUFFICIENT, basis="the sources name different states: " + "; ".join(bases))
    state = next(iter(states), None)
    names = [_base_name(n, geonames)[0] if country.iso3 == "USA" else n for n in city.names]
    where = f"the country {country.iso3} ({country.name})" + (f", state {state}" if state else "")
    places, tier = _candidates(geonames, country.iso2, names, state)
    basis = f"name {shown}, country {country.iso3} ({country.name})"
    if state:
        basis += f", state {state} ({'; '.join(bases)})"
    if len(places) == 1:
        how = (f"the only GeoNames place of over {MIN_POPULATION:,} inhabitants with that name there"
               if tier == "name" else
               f"the only GeoNames place of over {MIN_POPULATION:,} inhabitants with that alternate "
               f"name there, and no place there has it as its GeoNames name")
        return Match(city, LINKED, places[0], f"matched on the {basis}: {how}")
    if places:
        listed = "; ".join(f"{p.geonameid} {p.name}, {p.admin1}" for p in places)
        called = "named" if tier == "name" else "with the alternate name"
        unsaid = ("the profile does not say which" if state or country.iso3 != "USA"
                  else "neither the city's name, its slug nor a reading of its profile says which state")
        return Match(city, AMBIGUOUS, basis=(
            f"GeoNames has {len(places)} places of over {MIN_POPULATION:,} inhabitants {called} "
            f"{shown} in {where} ({listed}), and {unsaid}; a wrong link is worse than none"),
            candidates=tuple(places))
    return Match(city, NOT_FOUND, basis=(
        f"no GeoNames place of over {MIN_POPULATION:,} inhabitants in {where} has the name {shown}, "
        f"as its name or as an alternate name"))


def _candidates(geonames: GeoNames, iso2: str, names: list[str],
                state: str | None) -> tuple[list[Place], str]:
    for tier, lookup in (("name", geonames.named), ("alternate", geonames.also_named)):
        found = {p.geonameid: p for n in names for p in lookup(iso2, n)
                 if state is None or p.admin1 == state}
        if found:
            return sorted(found.values(), key=lambda p: p.geonameid), tier
    return [], "name"


def _base_name(name: str, geonames: GeoNames) -> tuple[str, str | None]:
    """A printed US name without its state: ("Dallas", "TX") for "Dallas, TX"."""
    m = _PRINTED_STATE.match(name.strip())
    if m and (state := geonames.us_state(m["state"])):
        return m["name"].strip(), state
    return name.strip(), None


def _state_readings(city: CityInput, geonames: GeoNames) -> tuple[list[str], set[str]]:
    """The states the sources give a US city, each with where it was read."""
    bases, states = [], set()
    for name in city.names:
        base, state = _base_name(name, geonames)
        if state:
            bases.append(f"printed in the name {name!r}")
            states.add(state)
        if (state := _slug_state(city.slug, base, geonames)):
            bases.append(f"in the slug {city.slug!r}")
            states.add(state)
    if city.slug in STATE_READINGS:
        state, reading = STATE_READINGS[city.slug]
        bases.append(f"reading: {reading}")
        states.add(state)
    return list(dict.fromkeys(bases)), states


def _slug_state(slug: str, name: str, geonames: GeoNames) -> str | None:
    """The state code a slug puts between the name and the country code: `dallas-tx-us`,
    `aurora-il`. Only when the slug starts with the name's own slug (so `indianopolis-us`
    and a name that merely ends in a state code say nothing)."""
    head = slugify(name)
    if not head or not slug.startswith(head + "-"):
        return None
    rest = slug[len(head) + 1:].split("-")
    if rest[-1] in ("us", "usa"):
        rest = rest[:-1]
    if len(rest) == 1 and len(rest[0]) == 2:
        return geonames.us_state(rest[0])
    return None
