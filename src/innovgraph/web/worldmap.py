"""The home page's world map: the country outlines of the vendored Natural Earth TopoJSON
(static/vendor/world-atlas/countries-110m.json, world-atlas on npm) drawn as SVG paths on the
server, in the Natural Earth projection, and the point of a latitude and longitude on it.

No script draws the map: it is part of the HTML, readable without JavaScript. The outlines are
decoded once per process (they are a vendored file: a new file is a new release); the markers
are the page's (`homemap.py`).

>>> round(project(0, -180)[0], 6), round(project(0, 0)[0], 6), round(project(0, 180)[0], 6)
(0.0, 480.0, 960.0)
>>> project(60, 0)[1] < project(0, 0)[1] < project(-30, 0)[1]  # north is up
True
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .assets import STATIC

ATLAS = STATIC / "vendor" / "world-atlas" / "countries-110m.json"
WIDTH = 960.0
# Antarctica (ISO 3166 numeric 010) is left out: no surveyed city is there, and it would take
# a fifth of the map's height.
LEFT_OUT = {"010"}
SOUTH, NORTH = -58.0, 84.0  # the latitudes the map shows (the south tip of South America, north of Greenland)


def _raw(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I (Šavrič, Jenny, Patterson, Petrovič, Hurni 2011), in radians, as
    d3-geo's geoNaturalEarth1Raw."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


_X_MAX = _raw(180.0, 0.0)[0]
SCALE = (WIDTH / 2) / _X_MAX
TOP = _raw(0.0, NORTH)[1] * SCALE
HEIGHT = round(TOP - _raw(0.0, SOUTH)[1] * SCALE, 1)


def project(lat: float, lon: float) -> tuple[float, float]:
    """The point of (latitude, longitude) in the map's coordinates (0,0 top left; WIDTH by
    HEIGHT)."""
    x, y = _raw(lon, lat)
    return WIDTH / 2 + x * SCALE, TOP - y * SCALE


@dataclass(frozen=True)
class Outline:
    name: str
    path: str  # SVG path data


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as (longitude, latitude) points (delta-decoded and dequantised)."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy in arc:
            x += qx
            y += qy
            points.append((x * kx + dx, y * ky + dy))
        out.append(points)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # a negative index is the arc reversed
        points.extend(arc if not points else arc[1:])  # each arc starts where the last ended
    return points


def _unwrapped(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) made continuous (its
    longitudes past 180 or -180), drawn twice: once as is and once a turn of the globe away,
    the map's outline (`sphere`) clipping each to its side. Other rings as they are."""
    if all(abs(a[0] - b[0]) <= 180 for a, b in zip(ring, ring[1:])):
        return [ring]
    out, shift, last = [], 0.0, ring[0][0]
    for lon, lat in ring:
        if lon - last > 180:
            shift -= 360
        elif last - lon > 180:
            shift += 360
        last = lon
        out.append((lon + shift, lat))
    turn = -360.0 if sum(lon for lon, _ in out) > 0 else 360.0
    return [out, [(lon + turn, lat) for lon, lat in out]]


def sphere() -> str:
    """SVG path data of the map's outline: the meridians 180 degrees west and east."""
    lats = [SOUTH + (NORTH - SOUTH) * i / 60 for i in range(61)]
    west = [project(lat, -180.0) for lat in reversed(lats)]
    east = [project(lat, 180.0) for lat in lats]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in west + east) + "Z"


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        coords = []
        last = None
        for lon, lat in ring:
            x, y = project(max(SOUTH - 2, min(NORTH + 2, lat)), lon)
            point = f"{x:.1f},{y:.1f}"
            if point != last:
                coords.append(point)
                last = point
        if len(coords) >= 3:
            parts.append("M" + "L".join(coords) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def outlines(atlas: Path = ATLAS) -> tuple[Outline, ...]:
    """Every country of the atlas but those `LEFT_OUT`, as SVG path data, sorted by name."""
    topology = json.loads(atlas.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [piece for polygon in polygons for ring in polygon
                 for piece in _unwrapped(_ring(arcs, ring))]
        path = _path(rings)
        if path:
            out.append(Outline(geometry.get("properties", {}).get("name", ""), path))
    return tuple(sorted(out, key=lambda o: o.name))


def graticule(step: int = 30) -> str:
    """SVG path data of the parallels and meridians every `step` degrees (the map's grid)."""
    parts = []
    for lat in range(-30, 90, step):
        if SOUTH <= lat <= NORTH:
            points = [project(lat, lon) for lon in range(-180, 181, 10)]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points))
    for lon in range(-180, 181, step):
        points = [project(lat, lon) for lat in range(int(SOUTH), int(NORTH) + 1, 2)]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points))
    return "".join(parts)
