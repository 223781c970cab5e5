"""The home page's map of the cities, its filters and the site search.

The map's rows are the saved query `city-map` (one row per city and current response), the
search's the saved query `search`: no SPARQL of this module's own. The page is complete
without JavaScript: the outlines and markers are SVG drawn here (`worldmap.py`), the filters
a GET form this module applies, the search a GET form answered by /search; static/js/home.js
only applies the same filters and colours in place, without a reload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..catalogue import run_saved_query
from .common import backend_of
from .templates import href, render
from .worldmap import HEIGHT, WIDTH, graticule, outlines, project, sphere

ANSWERS = {  # colour key -> (the query's column, what the reader reads)
    "strategy": ("explicitStrategy", "Explicit innovation strategy"),
    "funding": ("dedicatedFunding", "Dedicated innovation funding"),
    "partnerships": ("partnerships", "Innovation partnerships"),
    "areas": ("prioritisesPolicyAreas", "Prioritises policy areas"),
}
KEYS = {**{k: label for k, (_, label) in ANSWERS.items()},
        "edition": "Survey edition", "region": "World region", "band": "Population band"}
ANSWER_VALUES = ("yes", "no", "not stated", "unknown")
NO_RESPONSE = "no response"
DIFFERS = "differs between editions"
UNKNOWN_BAND = "population unknown"
NO_REGION = "no region"
BANDS = ("under 250,000", "250,000 to 1 million", "1 to 5 million", "over 5 million")
# Okabe-Ito colours (told apart with the common colour-vision deficiencies); an unknown is a
# white marker with a dark ring, never one of the answers' colours.
UNKNOWN_COLOUR = "#ffffff"
ANSWER_COLOURS = {"yes": "#0072b2", "no": "#d55e00", "not stated": "#cc79a7",
                  "unknown": UNKNOWN_COLOUR, DIFFERS: "#f0e442", NO_RESPONSE: "#8c8c8c"}
SERIES = ("#e69f00", "#009e73", "#0072b2", "#d55e00", "#cc79a7", "#56b4e9", "#000000", "#f0e442")
BAND_COLOURS = dict(zip(BANDS, ("#c6dbef", "#6baed6", "#2171b5", "#08306b")))
DEFAULT_KEY = "strategy"


@dataclass
class CityOnMap:
    iri: str
    href: str
    name: str
    country: str
    region: str
    band: str
    population: str
    editions: list[str] = field(default_factory=list)
    answers: dict[str, list[str]] = field(default_factory=dict)  # column -> one per response
    x: float | None = None
    y: float | None = None
    place_match: str = ""
    place_note: str = ""

    def value(self, key: str) -> str:
        """What the city is coloured by for `key` (its current responses agreeing, or not)."""
        if key == "edition":
            return " and ".join(self.editions) if self.editions else NO_RESPONSE
        if key == "region":
            return self.region or NO_REGION
        if key == "band":
            return self.band or UNKNOWN_BAND
        values = sorted(set(self.answers.get(ANSWERS[key][0], [])))
        if not values:
            return NO_RESPONSE
        return values[0] if len(values) == 1 else DIFFERS

    def data(self) -> dict[str, str]:
        """The data-* attributes of its marker and table row (what home.js filters by)."""
        out = {key: self.value(key) for key in KEYS}
        out["editions"] = " ".join(self.editions)
        return out


def cities(store, catalogue=None, *, cache: bool = True) -> list[CityOnMap]:
    """The cities of the `city-map` query, one per city, in its order."""
    result = run_saved_query(store, "city-map", catalogue=catalogue, cache=cache)
    out: dict[str, CityOnMap] = {}
    for typed in result.typed_rows():
        row = {k: "" if v is None else str(v) for k, v in typed.items()}
        iri = row["city"]
        city = out.get(iri)
        if city is None:
            population = typed.get("population")
            city = out[iri] = CityOnMap(
                iri=iri, href=href(iri) or iri, name=row["name"], country=row["countryName"],
                region=row["regionName"], band=row["band"],
                population=(f"{population:,} ({row['year']})" if isinstance(population, int) else row["population"]),
                place_match=row["placeMatchLabel"], place_note=row["placeNote"])
            if typed.get("latitude") is not None and typed.get("longitude") is not None:
                city.x, city.y = project(float(typed["latitude"]), float(typed["longitude"]))
        if row["response"]:
            if row["edition"] and row["edition"] not in city.editions:
                city.editions.append(row["edition"])
            for column, _ in ANSWERS.values():
                city.answers.setdefault(column, []).append(row[column] or "unknown")
    for city in out.values():
        city.editions.sort()
    return list(out.values())


def palette(key: str, all_cities: list[CityOnMap]) -> list[tuple[str, str]]:
    """(value, colour) of every value `key` takes on these cities, in the legend's order."""
    present = {c.value(key) for c in all_cities}
    if key in ANSWERS:
        order = [*ANSWER_VALUES, DIFFERS, NO_RESPONSE]
        return [(v, ANSWER_COLOURS[v]) for v in order if v in present]
    if key == "band":
        return [(v, BAND_COLOURS.get(v, UNKNOWN_COLOUR)) for v in [*BANDS, UNKNOWN_BAND] if v in present]
    fixed = {NO_RESPONSE: ANSWER_COLOURS[NO_RESPONSE], NO_REGION: UNKNOWN_COLOUR}
    ordinary = sorted(v for v in present if v not in fixed)
    return ([(v, SERIES[n % len(SERIES)]) for n, v in enumerate(ordinary)]
            + [(v, fixed[v]) for v in fixed if v in present])


@dataclass(frozen=True)
class Choice:
    """The reader's colour key and filters (the form's fields; home.js sets the same)."""
    colour: str = DEFAULT_KEY
    edition: str = ""
    region: str = ""
    band: str = ""
    question: str = DEFAULT_KEY
    answer: str = ""

    @classmethod
    def of(cls, params) -> "Choice":
        get = lambda k: (params.get(k) or "").strip()  # noqa: E731
        colour = get("colour") if get("colour") in KEYS else DEFAULT_KEY
        question = get("question") if get("question") in ANSWERS else DEFAULT_KEY
        return cls(colour, get("edition"), get("region"), get("band"), question, get("answer"))

    def shows(self, city: CityOnMap) -> bool:
        if self.edition and self.edition not in city.editions:
            return False
        if self.region and city.value("region") != self.region:
            return False
        if self.band and city.value("band") != self.band:
            return False
        return not self.answer or city.value(self.question) == self.answer


def map_context(store, catalogue=None, params=None, *, cache: bool = True) -> dict:
    """What the home page's map section shows (templates/home.html, "map")."""
    all_cities = cities(store, catalogue, cache=cache)
    choice = Choice.of(params or {})
    colours = {key: palette(key, all_cities) for key in KEYS}
    current = dict(colours[choice.colour])
    markers, table = [], []
    for city in all_cities:
        entry = {"city": city, "data": city.data(), "shown": choice.shows(city),
                 "value": city.value(choice.colour),
                 "colour": current.get(city.value(choice.colour), UNKNOWN_COLOUR)}
        table.append(entry)
        if city.x is not None:
            markers.append(entry)
    # Markers in the table's order (by name): the order Tab and a screen reader take them in.
    counts: dict[str, int] = {}
    for entry in table:
        if entry["shown"]:
            counts[entry["value"]] = counts.get(entry["value"], 0) + 1
    editions = sorted({e for c in all_cities for e in c.editions})
    regions = sorted({c.region for c in all_cities if c.region})
    return {
        "map": {
            "width": WIDTH, "height": HEIGHT, "graticule": graticule(), "sphere": sphere(),
            "outlines": outlines(), "markers": markers, "table": table,
            "unplaced": [c for c in all_cities if c.x is None],
            "choice": choice, "colour_keys": KEYS, "answers": ANSWERS, "answer_values": ANSWER_VALUES,
            "legend": [(v, colour, counts.get(v, 0)) for v, colour in colours[choice.colour]], "colour_label": KEYS[choice.colour],
            "editions": editions, "regions": regions,
            "bands": [b for b in (*BANDS, UNKNOWN_BAND) if any(c.value("band") == b for c in all_cities)],
            "shown": sum(1 for e in table if e["shown"]),
            "shown_on_map": sum(1 for e in markers if e["shown"]),
            "palettes": json.dumps({k: v for k, v in colours.items()}, separators=(",", ":")),
        },
    }


SEARCH_KINDS = {"city": "Cities", "person": "People", "program": "Programs",
                "organisation": "Organisations", "concept": "Concepts"}
MAX_QUERY = 200


async def search(request: Request) -> Response:
    """/search?q=TEXT: the saved query `search`, as a page (a form without a text asks for one)."""
    backend = backend_of(request)
    text = (request.query_params.get("q") or "").strip()[:MAX_QUERY]
    groups: list[dict] = []
    count = 0
    if text:
        result = await backend.run_saved("search", {"text": text})
        by_kind: dict[str, list[dict]] = {}
        for typed in result.typed_rows():
            row = {k: "" if v is None else str(v) for k, v in typed.items()}
            by_kind.setdefault(row["kind"], []).append({
                "href": href(row["item"]), "label": row["label"] or row["item"],
                "found": row["found"], "detail": row["detail"],
                "city": row["cityName"], "city_href": href(row["city"]) if row["city"] else None})
        for kind, title in SEARCH_KINDS.items():
            if kind in by_kind:
                groups.append({"kind": kind, "title": title, "rows": by_kind[kind]})
                count += len(by_kind[kind])
    return HTMLResponse(render("search.html", request=request, text=text, groups=groups, count=count))


routes = [Route("/search", search, methods=["GET"], name="search")]
