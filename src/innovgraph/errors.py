"""Domain exceptions.

The library raises these; only the CLI (and later the web app) turns them into user-facing
output, so library callers can catch one base class and decide for themselves.
"""

from __future__ import annotations


class InnovgraphError(Exception):
    """Base class of every error the innovgraph library raises on purpose."""


class ProjectNotFoundError(InnovgraphError):
    """No project root could be located (no --project, INNOVGRAPH_HOME or repo checkout)."""


class RecordSyntaxError(InnovgraphError):
    """A source file is not valid Turtle.

    ``str()`` is one line in the ``path:line:col: message`` form compilers and editors
    understand, so the position can be clicked through.
    """

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        # Parsers produce multi-line messages; a single line keeps logs and `Error:` tidy.
        self.message = " ".join(str(message).split())
        super().__init__(f"{self.path}:{self.line}:{self.column}: {self.message}")


class UnknownQueryError(InnovgraphError):
    """A saved query name that does not exist in queries/."""


class ParameterError(InnovgraphError):
    """A saved-query parameter that is missing, unknown or of the wrong type."""


class QuerySyntaxError(InnovgraphError):
    """A SPARQL query (saved or ad hoc) that does not parse."""
