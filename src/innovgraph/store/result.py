"""What a query answers: `QueryResult`, collected from the engine by `from_answer`.

One place turns an engine's answer into rows, for the embedded store, the server (with its
row limit and deadline) and remote endpoints alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from ..errors import OptionError, QueryTimeout, ResultTooLarge, require_extra
from ..terms import Term, python_value, show


@dataclass
class QueryResult:
    """A materialised query result: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples.

    >>> result = QueryResult("select", ["city"], [(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-x"),)])
    >>> len(result), result.values(), result.records()
    (1, [('city:fictional-x',)], [{'city': 'city:fictional-x'}])
    >>> result.typed_rows()
    [{'city': 'https://w3id.org/innovgraph/id/city/fictional-x'}]
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

    def reordered(self, variables: list[str]) -> "QueryResult":
        """The same result with its columns in the order of `variables` (the same names)."""
        index = [self.variables.index(v) for v in variables]
        return QueryResult(self.kind, list(variables),
                           [tuple(row[i] for i in index) for row in self.rows],
                           self.boolean, self.triples)

    def values(self) -> list[tuple[str, ...]]:
        """Rows as compact strings (see `innovgraph.terms.show`), the form tests and tables use."""
        return [tuple(show(t) for t in row) for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        """Rows as {variable: compact string}, leaving out unbound variables."""
        return [{v: show(t) for v, t in zip(self.variables, row) if t is not None}
                for row in self.rows]

    def typed_rows(self) -> list[dict[str, object]]:
        """Rows as {variable: Python value} for analysis (`innovgraph.terms.python_value`: an
        IRI as its full string, numbers as int, Decimal or float, booleans as bool), every
        variable in each row, None when unbound; an ASK result is one row {'boolean': ...}.

        >>> QueryResult("ask", boolean=True).typed_rows()
        [{'boolean': True}]

        :raises OptionError: a CONSTRUCT or DESCRIBE result (a graph, not a table).
        """
        if self.kind == "ask":
            return [{"boolean": self.boolean}]
        if self.kind != "select":
            raise OptionError("A CONSTRUCT or DESCRIBE result is a graph, not a table: its "
                              "triples are in .triples.")
        return [{v: python_value(t) for v, t in zip(self.variables, row)} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame, one column per variable, with the types that
        `pandas.read_csv` gives the same result written as CSV (`--format csv`): integers as
        int64 (float64 with NaN where some are unbound), decimals and doubles as float64,
        booleans as bool, IRIs and other text as strings, unbound as NaN.

        >>> QueryResult("select", ["n"], [(ox.Literal("2", datatype=ox.NamedNode(
        ...     "http://www.w3.org/2001/XMLSchema#integer")),)]).to_dataframe()["n"].tolist()
        [2]

        :raises MissingDependencyError: pandas is not installed (`pip install 'innovgraph[pandas]'`).
        :raises OptionError: a CONSTRUCT or DESCRIBE result.
        """
        require_extra("pandas", "A DataFrame (or use typed_rows())")
        import pandas  # optional: the innovgraph[pandas] extra
        rows = self.typed_rows()
        columns = ["boolean"] if self.kind == "ask" else list(self.variables)
        frame = pandas.DataFrame.from_records(rows, columns=columns)
        # What read_csv makes of the CSV: decimals are floats, a column with nothing bound is
        # float64 NaN, and unbound is NaN (not None) in any column.
        for column in columns:
            values = [row[column] for row in rows if row[column] is not None]
            numbers = all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                          for v in values)
            if rows and (not values or numbers and any(isinstance(v, Decimal) for v in values)):
                frame[column] = frame[column].astype("float64")
            elif frame[column].dtype == object and len(values) < len(rows):
                frame[column] = frame[column].where(frame[column].notna(), float("nan"))
        return frame


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
