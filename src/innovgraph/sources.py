"""Reading the Turtle sources, with errors that point at file, line and column.

Two readers: rdflib (`parse_file`, `load_files`, `load_graph`) for the engines that want an
rdflib Graph (pyshacl, the OWL tooling), and pyoxigraph (`read_triples`), about 25 times
faster, for the store, the inferences, QC and remote loads. Both report broken Turtle the
same way: a `RecordSyntaxError` with rdflib's `path:line:column: message` (pyoxigraph's
messages are terser), so a file gets the same message from every command.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import RecordSyntaxError, StorageError
from .namespaces import OWN_NAMESPACES
from .project import Project

PathLike = str | os.PathLike[str]


def _display(path: Path, project: Project | None) -> str:
    return project.relative(path) if project is not None else str(path)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def parse_file(path: PathLike, graph: Graph | None = None, *, project: Project | None = None) -> Graph:
    """Parse one Turtle file into `graph` (a new one if omitted).

    :raises RecordSyntaxError: the file is not valid Turtle (or not UTF-8).
    :raises StorageError: the file cannot be read.
    """
    graph = Graph() if graph is None else graph
    path = Path(path)
    shown = _display(path, project)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError(f"Cannot read {shown}: {exc.strerror or exc}.") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data[: exc.start].decode("utf-8", "replace"), exc.start)
        raise RecordSyntaxError(shown, line, col, "not valid UTF-8") from exc
    try:
        # publicID gives relative IRIs a stable base that does not depend on where the checkout is.
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise _from_bad_syntax(exc, text, shown) from exc
    return graph


def _from_bad_syntax(exc: BadSyntax, text: str, shown: str) -> RecordSyntaxError:
    # BadSyntax keeps its details in private attributes; its str() spans lines and dumps bytes.
    index = getattr(exc, "_i", None)
    why = getattr(exc, "_why", None) or str(exc)
    if isinstance(index, int) and 0 <= index <= len(text.encode("utf-8")):
        # _i indexes the UTF-8 bytes the parser saw.
        before = text.encode("utf-8")[:index].decode("utf-8", "replace")
        line, col = _line_col(before, len(before))
        near = text[len(before):].split("\n", 1)[0].strip()[:40]
    else:
        line, col, near = getattr(exc, "lines", 0) + 1, 1, ""
    message = f"bad syntax: {why}" + (f" (near {near!r})" if near else "")
    return RecordSyntaxError(shown, line, col, message)


def load_files(paths: Iterable[PathLike], *, project: Project | None = None) -> Graph:
    """Parse several Turtle files into one new Graph, bound to the innovgraph prefixes."""
    graph = Graph()
    for prefix, ns in OWN_NAMESPACES.items():
        graph.bind(prefix, ns, override=True)
    for path in paths:
        parse_file(path, graph, project=project)
    return graph


def load_graph(project: Project, extra_files: Iterable[PathLike] = ()) -> Graph:
    """The project's graph: ontology + vocabularies + records (+ `extra_files`).

    Shapes are not part of it; they are a separate graph used only by validation.
    owl:imports are never followed: the graph is exactly the files named here.
    """
    return load_files([*project.ontology_files, *project.data_files, *extra_files], project=project)


def read_triples(paths: Iterable[Path], *, project: Project) -> Iterator[tuple[Path, list[ox.Triple]]]:
    """Each file's triples, parsed by pyoxigraph with the base IRI `parse_file` gives rdflib.
    Each parse gets its own blank nodes, so files never share one by accident.

    :raises RecordSyntaxError: a file is not valid Turtle (see `syntax_error`).
    """
    for path in paths:
        try:
            triples = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=base_iri(path)))
        except SyntaxError as exc:
            raise syntax_error(path, exc, project) from None
        yield path, triples


def base_iri(path: Path) -> str:
    """The base of relative IRIs in a source file: its own file: IRI, as for rdflib."""
    return path.resolve().as_uri()


def syntax_error(path: Path, exc: SyntaxError, project: Project) -> RecordSyntaxError:
    """The error to raise when pyoxigraph rejects `path`: rdflib's file:line:col message, as
    `validate` reports it, or pyoxigraph's own position when rdflib accepts the file.

    :raises RecordSyntaxError: rdflib rejects the file too (that is its message).
    """
    parse_file(path, project=project)
    return RecordSyntaxError(project.relative(path), exc.lineno or 0, exc.offset or 0, str(exc))


# --- where does a subject's record block start? -------------------------------------------

_PREFIX_DIRECTIVE = re.compile(
    r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE
)
_BASE_DIRECTIVE = re.compile(r"(?:@base|BASE)\s+<([^>]*)>", re.IGNORECASE)
_PNAME = re.compile(r"([A-Za-z][\w.-]*)?:((?:[\w:%-]|\\.|\.(?=[\w:%-]))*)")
_IRIREF = re.compile(r"<([^>\s]*)>")
_LONG_QUOTES = ('"""', "'''")


def subject_lines(path: PathLike) -> dict[str, int]:
    """Map each IRI that starts a top-level Turtle statement to the first line it does so on.

    A light scan, not a parser: it skips strings, comments and IRIs, tracks brackets and the
    statement-ending '.', and expands prefixed names with the file's own @prefix lines. That is
    enough to point a validation message at the record block a subject is described in.
    """
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    prefixes: dict[str, str] = {}
    base = Path(path).resolve().as_uri()  # the same default base parse_file gives rdflib
    found: dict[str, int] = {}
    newlines = [k for k, c in enumerate(text) if c == "\n"]

    def line_of(index: int) -> int:
        return bisect.bisect_left(newlines, index) + 1

    i, n, depth, at_start = 0, len(text), 0, True
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif at_start and depth == 0 and (m := _PREFIX_DIRECTIVE.match(text, i)):
            prefixes[m.group(1) or ""] = urljoin(base, m.group(2))
            i = m.end()  # a following '.' (Turtle form) ends the directive as usual
        elif at_start and depth == 0 and (m := _BASE_DIRECTIVE.match(text, i)):
            base = urljoin(base, m.group(1))
            i = m.end()
        elif ch in "\"'":
            i = _skip_string(text, i)
            at_start = False
        elif ch == "<" and (m := _IRIREF.match(text, i)):
            if at_start and depth == 0:
                found.setdefault(urljoin(base, m.group(1)), line_of(i))
            i, at_start = m.end(), False
        elif ch in "[(":
            depth, at_start, i = depth + 1, False, i + 1
        elif ch in "])":
            depth, i = max(depth - 1, 0), i + 1
        elif ch == "." and depth == 0 and (i + 1 >= n or not text[i + 1].isdigit()):
            at_start, i = True, i + 1
        elif at_start and depth == 0 and (m := _PNAME.match(text, i)) \
                and (m.group(1) or "") in prefixes:
            local = re.sub(r"\\(.)", r"\1", m.group(2))  # PN_LOCAL escapes such as \-
            found.setdefault(prefixes[m.group(1) or ""] + local, line_of(i))
            i, at_start = m.end(), False
        elif m := _PNAME.match(text, i):
            i, at_start = m.end(), False  # skip whole names so a '.' inside one is not a full stop
        else:
            at_start, i = False, i + 1
    return found


def _skip_string(text: str, i: int) -> int:
    """Index just past the string literal starting at i (short or long form, with escapes)."""
    quote = text[i : i + 3] if text[i : i + 3] in _LONG_QUOTES else text[i]
    j = i + len(quote)
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text.startswith(quote, j):
            return j + len(quote)
        elif len(quote) == 1 and text[j] == "\n":
            return j  # unterminated short string: stop at the line end rather than eat the file
        else:
            j += 1
    return j
