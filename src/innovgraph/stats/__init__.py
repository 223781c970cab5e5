"""Counting what the graph holds, on the store: `graph_stats` (`innovgraph stats`) and
`summarise` (`innovgraph summary`).

The counts are SPARQL kept as data beside this module (`counts.rq`,
`responses-per-edition.rq`, `concepts-per-scheme.rq`): they say what `stats` means for
every project, so they are the library's, not a project's saved queries, and the catalogue
does not list them. They run on the embedded store or on a remote one alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ..store import GraphStore, QueryResult
from ..terms import show


@cache
def stats_query(name: str) -> str:
    """The text of one of the counting queries (`counts`, `responses-per-edition`, ...)."""
    return files(__package__).joinpath(f"{name}.rq").read_text(encoding="utf-8")


def _run(store: GraphStore, name: str) -> QueryResult:
    return store.query(stats_query(name))


def graph_stats(store: GraphStore) -> list[tuple[str, int]]:
    """Headline counts: triples, graphs, cities, responses per edition, programs, ...

    >>> import tempfile
    >>> from innovgraph import open_store
    >>> graph_stats(open_store(tempfile.mkdtemp(), in_memory=True))[:3]
    [('triples', 0), ('graphs', 0), ('cities', 0)]

    :raises StorageError: the store cannot be read.
    """
    counts = _run(store, "counts").records()[0]
    stats = [("triples", store.triples_count()), ("graphs", len(store.graphs())),
             ("cities", int(counts["cities"])), ("survey responses", int(counts["responses"]))]
    stats += [(f"  {row['edition']}", int(row["n"]))
              for row in _run(store, "responses-per-edition").records()]
    stats += [(label, int(counts[key])) for label, key in (
        ("programs", "programs"), ("people", "people"),
        ("organisations", "organisations"), ("concepts", "concepts"))]
    return stats


@dataclass(frozen=True)
class Summary:
    """The headline counts of `innovgraph summary` (see `summarise`).

    >>> Summary(triples=10, cities=1, responses=1, programs=0, people=2).cities
    1
    """

    triples: int
    cities: int
    responses: int
    programs: int
    people: int
    concepts_per_scheme: dict[str, int] = field(default_factory=dict)


def summarise(store: GraphStore) -> Summary:
    """Count (distinct) triples, cities, responses, programs, people and concepts per scheme.

    >>> import tempfile
    >>> from innovgraph import open_store
    >>> summarise(open_store(tempfile.mkdtemp(), in_memory=True)).triples
    0

    :raises StorageError: the store cannot be read.
    """
    counts = _run(store, "counts").records()[0]
    schemes = {show(scheme): int(n.value)
               for scheme, n in _run(store, "concepts-per-scheme").rows}
    return Summary(triples=store.triples_count(), cities=int(counts["cities"]),
                   responses=int(counts["responses"]), programs=int(counts["programs"]),
                   people=int(counts["people"]), concepts_per_scheme=schemes)
