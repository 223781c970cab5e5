"""innovgraph: an open knowledge graph of how city governments build innovation capacity.

The library is the API; the `innovgraph` command is a thin shell over it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("innovgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

from .errors import (  # noqa: E402  (the version must exist before cli imports it)
    InnovgraphError,
    ParameterError,
    ProjectNotFoundError,
    QuerySyntaxError,
    QueryDefinitionError,
    RecordSyntaxError,
    UnknownQueryError,
)
from .project import Project  # noqa: E402
from .catalogue import Catalogue, Parameter, SavedQuery  # noqa: E402
from .querying import graph_stats, run_saved_query, run_sparql  # noqa: E402
from .store import GraphStore, QueryResult, open_store  # noqa: E402

# Imported on first use: they pull in rdflib and pyshacl (about 0.4 s), which `innovgraph
# query` and the other store-only paths never need.
_LAZY = {
    "load_graph": "sources", "parse_file": "sources", "subject_lines": "sources",
    "Summary": "summary", "summarise": "summary",
    "Severity": "validation", "ValidationReport": "validation",
    "ValidationResult": "validation", "validate": "validation",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "__version__",
    "Project",
    "open_store",
    "GraphStore",
    "QueryResult",
    "Catalogue",
    "SavedQuery",
    "Parameter",
    "run_saved_query",
    "run_sparql",
    "graph_stats",
    "load_graph",
    "parse_file",
    "subject_lines",
    "validate",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "Summary",
    "summarise",
    "InnovgraphError",
    "ProjectNotFoundError",
    "RecordSyntaxError",
    "UnknownQueryError",
    "QueryDefinitionError",
    "ParameterError",
    "QuerySyntaxError",
]
