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
    RecordSyntaxError,
    UnknownQueryError,
)
from .loading import load_graph, parse_file, subject_lines  # noqa: E402
from .project import Project  # noqa: E402
from .summary import Summary, summarise  # noqa: E402
from .validation import Severity, ValidationReport, ValidationResult, validate  # noqa: E402

__all__ = [
    "__version__",
    "Project",
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
    "ParameterError",
    "QuerySyntaxError",
]
