"""What a query answers: `QueryResult`, collected from the engine by `from_answer`.

One place turns an engine's answer into rows, for the embedded store, the server (with its
row limit and deadline) and remote endpoints alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import QueryTimeout, ResultTooLarge
from ..terms import Term, show


@dataclass
class QueryResult:
    """A materialised query result: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples.

    >>> result = QueryResult("select", ["city"], [(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-x"),)])
    >>> len(result), result.values(), result.records()
    (1, [('id:city/fictional-x',)], [{'city': 'id:city/fictional-x'}])
    """

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def copy(self) -> "QueryResult":
        """A copy whose lists the caller may change (cached results are shared)."""
        return QueryResult(self.kind, list(self.variables), list(self.rows), self.boolean,
                           list(self.triples))

    def without(self, variables: set[str]) -> "QueryResult":
        """The same result minus some columns (saved queries hide their parameter columns)."""
        keep = [i for i, v in enumerate(self.variables) if v not in variables]
        return QueryResult(self.kind, [self.variables[i] for i in keep],
                           [tuple(row[i] for i in keep) for row in self.rows],
                           self.boolean, self.triples)

    def values(self) -> list[tuple[str, ...]]:
        """Rows as compact strings (see `innovgraph.terms.show`), the form tests and tables use."""
        return [tuple(show(t) for t in row) for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        """Rows as {variable: compact string}, leaving out unbound variables."""
        return [{v: show(t) for v, t in zip(self.variables, row) if t is not None}
                for row in self.rows]


def from_answer(answer, *, limit: int | None = None, deadline: float | None = None) -> QueryResult:
    """Collect a pyoxigraph answer (solutions, boolean or triples) into a `QueryResult`.

    >>> store = ox.Store()
    >>> from_answer(store.query("ASK { ?s ?p ?o }")).boolean
    False

    :raises ResultTooLarge: more than `limit` rows or triples.
    :raises QueryTimeout: `time.monotonic()` passed `deadline` while collecting (checked every
        64 rows, the engine cannot be interrupted mid-row).
    """
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        if limit is None and deadline is None:
            return QueryResult("select", variables=variables,
                               rows=[tuple(solution[v] for v in variables) for solution in answer])
        rows = []
        for solution in answer:
            _check(len(rows), limit, deadline)
            rows.append(tuple(solution[v] for v in variables))
        return QueryResult("select", variables=variables, rows=rows)
    if limit is None and deadline is None:
        return QueryResult("graph", triples=list(answer))
    triples = []
    for triple in answer:
        _check(len(triples), limit, deadline)
        triples.append(triple)
    return QueryResult("graph", triples=triples)


def _check(count: int, limit: int | None, deadline: float | None) -> None:
    if limit is not None and count >= limit:
        raise ResultTooLarge(f"More than {limit} results.")
    if deadline is not None and not count % 64 and time.monotonic() > deadline:
        raise QueryTimeout("The query ran past its time limit.")
