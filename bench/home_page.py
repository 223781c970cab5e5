"""How long the home page (the world map, its table, the filters) takes to build, uncached, on
the shipped data (issue 19: under 100 ms).

Builds the page as the server's route does (`resources.home`: `pages.home_context` and
`homemap.map_context`, rendered with home.html), with the saved-query result cache off
(`cache=False`), so that every build runs the `city-map` query, walks the store for the
vocabularies and renders the template:

- first: the first build in a fresh process (the map's outlines decoded from the vendored
  TopoJSON, templates compiled, the store's first query);
- uncached: the median (and max) of `--runs` builds after that, the saved-query result cache
  off; and the same with the server's per-state memo emptied too (the distinct-triple count
  of the page's first line, which the server computes once per store state, shared with VoID);
- the parts of an uncached build: the `city-map` query alone, the map's context (query
  included), the rest of the home page's context, and rendering;
- with the result cache on (what the server does on a second request with another filter).

    .venv/bin/python bench/home_page.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def _ms(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from innovgraph import Project, run_saved_query
    from innovgraph.web.backend import Backend
    from innovgraph.web.homemap import map_context
    from innovgraph.web.pages import Lookup, home_context
    from innovgraph.web.templates import render

    backend = Backend(Project(REPO))
    opened = (time.perf_counter() - t0) * 1000

    def contexts(cache: bool = False, forget: bool = False) -> tuple[dict, dict]:
        if forget:  # the triple count and graphs, as after a write or on a fresh server
            backend._memo = {}
            backend._graphs = None
        return (home_context(Lookup(backend.store), backend),
                map_context(backend.graph_store, backend.catalogue, {}, cache=cache))

    def build(cache: bool = False, forget: bool = False) -> str:
        home, map_ = contexts(cache, forget)
        return render("home.html", request=None, **home, **map_)

    first = _ms(build, 1)[0]
    page = build()
    uncached = _ms(build, args.runs)
    forgetting = _ms(lambda: build(forget=True), args.runs)
    cached = _ms(lambda: build(cache=True), args.runs)
    query = _ms(lambda: run_saved_query(backend.graph_store, "city-map",
                                        catalogue=backend.catalogue, cache=False), args.runs)
    mapped = _ms(lambda: map_context(backend.graph_store, backend.catalogue, {}, cache=False), args.runs)

    def rest():
        backend._memo = {}
        backend._graphs = None
        home_context(Lookup(backend.store), backend)

    others = _ms(rest, args.runs)
    home, map_ = contexts()
    rendering = _ms(lambda: render("home.html", request=None, **home, **map_), args.runs)
    markers = len(map_["map"]["markers"])

    def line(name: str, values: list[float]) -> str:
        return f"| {name} | {statistics.median(values):.1f} | {max(values):.1f} |"

    print(f"Home page on the shipped data: {len(map_['map']['table'])} cities, {markers} markers, "
          f"{len(page.encode()) / 1024:.0f} KiB of HTML; store opened in {opened:.0f} ms; "
          f"{args.runs} runs each.\n")
    print("| build | median ms | max ms |")
    print("|---|---|---|")
    print(f"| first build in a fresh process | {first:.1f} | {first:.1f} |")
    print(line("uncached build (query result cache off)", uncached))
    print(line("uncached build, the server's memo emptied too (triple count recomputed)", forgetting))
    print(line("build with the query cache on", cached))
    print(line("  part: the `city-map` query", query))
    print(line("  part: the map's context (query included)", mapped))
    print(line("  part: the rest of the home context, memo emptied (triple count, schemes)", others))
    print(line("  part: rendering home.html", rendering))


if __name__ == "__main__":
    main()
