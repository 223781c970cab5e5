"""How long the city profile, compare and survey pages take to build, uncached, on the shipped
data (issue 19: a city page in under 50 ms).

Each page is built as the server builds it (web/resources.py: the page context from
web/profiles.py and pages.py, rendered with its template and JSON-LD), with every saved query
run by the engine (the result cache off: a store whose `query` always passes cache=False) and
no response cache. The survey-wide answers every city page shares (profile-sections,
answer-frequencies, survey-shares-vs-graph) are computed once per store state by the server
(`Backend.memo`); they are timed on their own, and the city pages are timed both with them
already computed (what every city page after the first costs) and with them (the first page
after a start or a change). Median of --repeats runs; the store is pyoxigraph's on-disk
store, as `innovgraph serve` opens it by default (--in-memory for the in-memory one).

    .venv/bin/python bench/pages.py [--repeats 5] [--in-memory]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import pyoxigraph as ox  # noqa: E402

from innovgraph import Catalogue, Project, open_store  # noqa: E402
from innovgraph.store import GraphStore  # noqa: E402
from innovgraph.web.jsonld import script_json  # noqa: E402
from innovgraph.web.pages import IG_CITY, RDF_TYPE, Lookup, description, resource_context  # noqa: E402
from innovgraph.web.profiles import (city_profile, compare_context, survey_context,  # noqa: E402
                                     survey_figures)
from innovgraph.web.templates import render  # noqa: E402


class Uncached(GraphStore):
    """The project's store with the result cache off for every query."""

    def __init__(self, inner: GraphStore) -> None:
        self.__dict__.update(inner.__dict__)

    def query(self, sparql, **options):
        options["cache"] = False
        return super().query(sparql, **options)


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def city_page(store, catalogue, figures, node) -> str:
    look = Lookup(store.engine)
    context = resource_context(look, node)
    context["city"] = city_profile(look, figures, node)
    return render("resource.html", jsonld=script_json(description(look, node)), **context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--in-memory", action="store_true")
    args = parser.parse_args(argv)
    project = Project(REPO)
    store = Uncached(open_store(project, in_memory=args.in_memory))
    catalogue = Catalogue(project)
    cities = sorted(q.subject for q in store.engine.quads_for_pattern(None, RDF_TYPE, IG_CITY, None))
    seoul = ox.NamedNode("https://w3id.org/innovgraph/id/city/seoul-kor")
    figures = survey_figures(store, catalogue)  # warm the engine's own caches once

    rows = [("survey-wide answers (once per store state)",
             median_ms(lambda: survey_figures(store, catalogue), args.repeats))]
    rows.append(("city page, Seoul", median_ms(lambda: city_page(store, catalogue, figures, seoul),
                                              args.repeats)))
    each = [median_ms(lambda c=c: city_page(store, catalogue, figures, c), 1) for c in cities]
    rows.append((f"city page, median of the {len(cities)} cities", statistics.median(each)))
    rows.append((f"city page, slowest of the {len(cities)} cities", max(each)))
    rows.append(("city page, Seoul, with the survey-wide answers (first page)",
                 median_ms(lambda: city_page(store, catalogue, survey_figures(store, catalogue), seoul),
                           args.repeats)))
    rows.append(("compare, Seoul and Busan", median_ms(
        lambda: render("compare.html", compare=compare_context(
            Lookup(store.engine), store, catalogue, figures, ["seoul-kor", "busan-kor"]),
            selected=[], choices=[]), args.repeats)))
    rows.append(("survey overview", median_ms(
        lambda: render("survey.html", **survey_context(store, catalogue, figures)), args.repeats)))
    kind = "in-memory" if args.in_memory else "on-disk"
    print(f"| page ({kind} store, result cache off, median of {args.repeats}) | ms |")
    print("|---|---:|")
    for label, ms in rows:
        print(f"| {label} | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
