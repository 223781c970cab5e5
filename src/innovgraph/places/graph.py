"""What the places matcher reads from the graph: each city's name and country, each country's
code. Read from the records (data/ttl/), never from places.ttl itself, so what the command
writes does not depend on what it wrote before."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..project import Project
from ..sources import read_triples
from .matching import CityInput

_TYPE = PREFIXES["rdf"] + "type"
_CITY = PREFIXES["ig"] + "City"
_COUNTRY = PREFIXES["ig"] + "Country"
_IN_COUNTRY = PREFIXES["ig"] + "country"
_ISO3 = PREFIXES["ig"] + "iso3166Alpha3"
_NAME = PREFIXES["schema"] + "name"
_POPULATION = PREFIXES["ig"] + "population"
_POPULATION_VALUE = PREFIXES["ig"] + "populationValue"


@dataclass(frozen=True)
class CountryInput:
    """A country of the graph: its IRI and ISO 3166-1 alpha-3 code."""

    iri: str
    iso3: str


def read_places_input(project: Project, places_file: Path) -> tuple[list[CityInput], list[CountryInput]]:
    """The cities (sorted by IRI) and the countries (sorted by IRI) of the graph's data files,
    `places_file` left out.

    :raises RecordSyntaxError: a data file is not valid Turtle.
    :raises StorageError: a data file cannot be read.
    """
    types, names, countries, codes = defaultdict(set), defaultdict(set), defaultdict(set), defaultdict(set)
    observations, values = defaultdict(set), defaultdict(set)
    files = [p for p in project.data_files if p.resolve() != places_file.resolve()]
    for _, triples in read_triples(files, project=project):
        for t in triples:
            if not isinstance(t.subject, ox.NamedNode):
                continue
            s, p, o = t.subject.value, t.predicate.value, t.object
            if p == _TYPE and isinstance(o, ox.NamedNode):
                types[s].add(o.value)
            elif p == _NAME and isinstance(o, ox.Literal):
                names[s].add(o.value)
            elif p == _IN_COUNTRY and isinstance(o, ox.NamedNode):
                countries[s].add(o.value)
            elif p == _ISO3 and isinstance(o, ox.Literal):
                codes[s].add(o.value)
            elif p == _POPULATION and isinstance(o, ox.NamedNode):
                observations[s].add(o.value)
            elif p == _POPULATION_VALUE and isinstance(o, ox.Literal) and o.value.isdigit():
                values[s].add(int(o.value))
    country_list = [CountryInput(c, code) for c in sorted(s for s, t in types.items() if _COUNTRY in t)
                    if len(codes[c]) == 1 for code in codes[c]]
    code_of = {c.iri: c.iso3 for c in country_list}
    cities = []
    for city in sorted(s for s, t in types.items() if _CITY in t):
        # One country with one code, else none: two would be a record to fix (the shapes say so).
        iso3 = code_of.get(next(iter(countries[city]))) if len(countries[city]) == 1 else None
        populations = tuple(sorted(v for obs in observations[city] for v in values[obs]))
        cities.append(CityInput(city, tuple(sorted(names[city])), iso3, populations))
    return cities, country_list
