"""Presentation: every result the library returns, in every format the shells offer.

`render(obj, fmt)` picks the renderer by the type of `obj`; `FORMATS[kind]` lists the formats
of each kind of result, the default first, so the CLI's `--format` choices come from here.
Nothing here runs a query, touches a store or loads an engine.

>>> from innovgraph.store import QueryResult
>>> print(render(QueryResult("ask", boolean=True), "csv"), end="")
true
>>> FORMATS["validation"]
('text', 'json', 'turtle')
"""

from __future__ import annotations

from ..catalogue import SavedQuery
from ..store import QueryResult
from .catalogue import (catalogue_markdown, render_answers, render_catalogue, render_stats,
                        render_summary)
from .reports import (QC_FORMATS, REASONING_FORMATS, VALIDATION_FORMATS, counts_line,
                      qc_summary_line, render_ingest, render_sheet_ingest)
from .places import render_places
from .results import (FORMATS as QUERY_FORMATS, render_result, serialize_results,
                      serialize_triples)

_BY_KIND = {"validation": VALIDATION_FORMATS, "reasoning": REASONING_FORMATS, "qc": QC_FORMATS,
            "ingest": {"text": render_ingest}, "sheet": {"text": render_sheet_ingest},
            "places": {"text": render_places}}
FORMATS: dict[str, tuple[str, ...]] = {
    "query": QUERY_FORMATS,
    "queries": ("table", "markdown"),
    **{kind: tuple(renderers) for kind, renderers in _BY_KIND.items()},
}
# By class name: the engines' result types are not imported here, so rendering a query result
# does not load the validation, reasoning, QC or ingest engines.
_KINDS = {"ValidationReport": "validation", "ReasoningResult": "reasoning", "QcReport": "qc",
          "IngestResult": "ingest", "SheetResult": "sheet",
          "PlacesResult": "places"}


def render(obj, fmt: str | None = None, **options) -> str:
    """`obj` as text in `fmt` (default: the first of its kind's `FORMATS`). `options` go to
    the renderer (`output=` for a reasoning result).

    >>> print(render(QueryResult("select", ["n"], [(None,)]), "markdown"), end="")
    | n |
    | --- |
    |  |

    :raises OptionError: the format does not fit the result (a graph as csv).
    :raises ValueError: the format is not one of the result's kind.
    :raises TypeError: nothing renders objects of that type.
    """
    if isinstance(obj, QueryResult):
        return render_result(obj, fmt)
    if isinstance(obj, list) and all(isinstance(q, SavedQuery) for q in obj):
        return render_catalogue(obj, fmt or "table")
    kind = _KINDS.get(type(obj).__name__)
    if kind is None:
        raise TypeError(f"innovgraph.render cannot render a {type(obj).__name__}")
    renderer = _BY_KIND[kind].get(fmt or FORMATS[kind][0])
    if renderer is None:
        raise ValueError(f"A {kind} report is written as {', '.join(FORMATS[kind])}, not {fmt}.")
    return renderer(obj, **options)


__all__ = ["FORMATS", "catalogue_markdown", "counts_line", "qc_summary_line", "render",
           "render_answers", "render_catalogue", "render_result", "render_stats",
           "render_summary", "serialize_results", "serialize_triples"]
