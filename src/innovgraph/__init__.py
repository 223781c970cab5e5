"""innovgraph: an open knowledge graph of how city governments build innovation capacity.

The library is the API; the `innovgraph` command and the HTTP server are thin shells over it.
The rooms behind each name, and the rules between them, are in docs/architecture.md.

>>> import innovgraph
>>> sorted(innovgraph.FORMATS["query"])[:3]
['csv', 'json', 'json-ld']

The store, the saved queries and rendering are imported with the package. The engines that
only some work needs (validation, QC, reasoning, ingest, remote stores) are imported the first
time one of their names is used (PEP 562): each costs 10 to 25 ms to import, and
`import innovgraph.cli` imports this module first.
"""

from importlib import import_module

from .catalogue import (Catalogue, Parameter, SavedQuery, query_df, query_rows, run_query,
                        run_saved_query, run_sparql)
from .errors import (
    InnovgraphError,
    MissingDependencyError,
    ParameterError,
    ProjectNotFoundError,
    QueryDefinitionError,
    QuerySyntaxError,
    RecordSyntaxError,
    UnknownQueryError,
)
from .project import Project
from .render import FORMATS, render
from .stats import Summary, graph_stats, summarise
from .store import GraphStore, QueryResult, open_store
from .version import __version__

# name -> the room that defines it, imported on first use.
_ENGINES = {
    "validate": "validation", "Severity": "validation", "ValidationReport": "validation",
    "ValidationResult": "validation",
    "run_qc": "qc", "QcReport": "qc",
    "reason": "reasoning", "ReasoningResult": "reasoning",
    "ingest_profile": "ingest", "IngestOptions": "ingest", "ingest_sheet": "ingest", "SheetOptions": "ingest",
    "open_backend": "remote", "RemoteStore": "remote", "load_remote": "remote",
    "load_graph": "sources", "parse_file": "sources", "subject_lines": "sources",
}


def __getattr__(name: str):
    if name in _ENGINES:
        value = getattr(import_module(f".{_ENGINES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "__version__",
    # where the files are
    "Project",
    # the embedded store
    "open_store", "GraphStore", "QueryResult",
    # saved and ad-hoc queries
    "Catalogue", "SavedQuery", "Parameter", "run_saved_query", "run_sparql", "run_query",
    # for analysts: typed rows, a pandas DataFrame (the innovgraph[pandas] extra)
    "query_rows", "query_df",
    # what the graph holds
    "graph_stats", "Summary", "summarise",
    # SHACL
    "validate", "ValidationReport", "ValidationResult", "Severity",
    # ROBOT-style checks
    "run_qc", "QcReport",
    # DL reasoning
    "reason", "ReasoningResult",
    # profile text -> record; fact sheet -> record
    "ingest_profile", "IngestOptions", "ingest_sheet", "SheetOptions",
    # other triple stores
    "open_backend", "RemoteStore", "load_remote",
    # any result, any format
    "render", "FORMATS",
    # reading Turtle with rdflib (kept for compatibility)
    "load_graph", "parse_file", "subject_lines",
    # errors
    "InnovgraphError", "ProjectNotFoundError", "RecordSyntaxError", "UnknownQueryError",
    "QueryDefinitionError", "ParameterError", "QuerySyntaxError", "MissingDependencyError",
]
