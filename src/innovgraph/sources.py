"""Reading the Turtle sources, with errors that point at file, line and column.

One parser: pyoxigraph's, the store's own, reads every source file, so what `validate` accepts
is what the store loads. `read_triples` gives its triples to the store, the inferences, QC and
remote loads; `parse_file`, `load_files` and `load_graph` give the same triples, converted to
rdflib terms, to the engines that want an rdflib Graph (pyshacl, the OWL tooling). Broken
Turtle is one `RecordSyntaxError`: `path:line:column: bad syntax: message (near '...')`.

A source file is RDF 1.1 Turtle: the RDF 1.2 forms pyoxigraph also reads (triple terms `<<( )>>`,
reifiers `~`, annotations `{| |}`, `<< >>`) are refused, as rdflib and the SHACL and OWL engines
cannot hold them. Each parse gets its own blank nodes, labelled ones (`_:b0`) included, so two
files never share one by accident.
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

from .errors import RecordSyntaxError, StorageError
from .namespaces import OWN_NAMESPACES
from .project import Project
from .terms import TermConverter

PathLike = str | os.PathLike[str]

# pyoxigraph's message starts with where: "Parser error at line 9 between columns 1 and 74: ...",
# "Parser error at line 1 column 39: ...", "Parser error between line 1 column 27 and line 2 ...".
_PARSER_WHERE = re.compile(r"Parser error (?:at|between) line \d+[^:]*: ")
# Nesting deeper than this is refused before the parser sees the file: pyoxigraph reads 100,000
# levels, but rdflib, pyshacl and the OWL tooling recurse once per level and overflow at a few
# hundred. Records nest two or three levels.
MAX_NESTING = 128
# The tokens that matter to the two scans below, found outside strings, comments and IRIs:
# brackets (the nesting) and RDF 1.2 syntax (only to say where it is).
_SCAN = re.compile(r"""'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)"""
                   r"""|'(?:[^'\\\n\r]|\\.)*'?|"(?:[^"\\\n\r]|\\.)*"?|#[^\n\r]*|\\.|<[^<>\s"{}|^`]*>"""
                   r"""|(?P<open>[\[(])|(?P<close>[\])])|(?P<rdf12><<|\{\||~)""", re.DOTALL)


def _display(path: Path, project: Project | None) -> str:
    return project.relative(path) if project is not None else str(path)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _parse(path: Path, project: Project | None) -> list[ox.Triple]:
    """The one parser: a source file's triples, or the RecordSyntaxError that says where not.

    :raises RecordSyntaxError: the file is not valid RDF 1.1 Turtle in UTF-8.
    :raises StorageError: the file cannot be read.
    """
    shown = _display(path, project)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError(f"Cannot read {shown}: {exc.strerror or exc}.") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data[: exc.start].decode("utf-8", "replace"), exc.start)
        raise RecordSyntaxError(shown, line, col, "not valid UTF-8") from None
    _check_nesting(text, shown)
    try:
        # base_iri gives relative IRIs a stable base that does not depend on where the checkout is.
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri(path),
                                rename_blank_nodes=True))
    except SyntaxError as exc:
        raise _from_parser(exc, text, shown) from None
    if any(isinstance(t.object, ox.Triple) for t in triples):
        raise _rdf12_error(text, shown)
    return triples


def _from_parser(exc: SyntaxError, text: str, shown: str) -> RecordSyntaxError:
    """pyoxigraph's SyntaxError as `path:line:column: bad syntax: message (near '...')`: its
    own position (1-based, columns in characters), its message without the position it
    repeats, and the start of the text there."""
    line, col = exc.lineno or 1, exc.offset or 1
    why = _PARSER_WHERE.sub("", str(exc.msg), count=1).strip() or "not valid Turtle"
    first = why.split(" ", 1)[0]
    if len(first) == 1 or first[1:].islower():  # "A dot is expected" -> "a dot ...", not "iRI"
        why = why[0].lower() + why[1:]
    lines = text.split("\n", line)
    near = lines[line - 1][col - 1:].strip()[:40] if line <= len(lines) else ""
    if why.startswith("unexpected end"):  # pyoxigraph's words for a file cut short
        why = ("unexpected end of file, inside what starts here" if near else
               "unexpected end of file: the last statement is not finished (no final '.'?)")
    return RecordSyntaxError(shown, line, col, f"bad syntax: {why}" + (f" (near {near!r})" if near else ""))


def _check_nesting(text: str, shown: str) -> None:
    """Refuse `[` and `(` nested deeper than MAX_NESTING (with where the limit is passed).

    :raises RecordSyntaxError: the nesting is too deep.
    """
    if text.count("[") + text.count("(") <= MAX_NESTING:
        return  # cannot be too deep: no need to scan (every record file)
    depth = 0
    for m in _SCAN.finditer(text):
        if m.group("open"):
            depth += 1
            if depth > MAX_NESTING:
                line, col = _line_col(text, m.start())
                raise RecordSyntaxError(
                    shown, line, col, f"nesting deeper than {MAX_NESTING} levels of '[' and '(': "
                    "refused (records nest a few levels; the engines behind validation overflow)")
        elif m.group("close"):
            depth = max(depth - 1, 0)


def _rdf12_error(text: str, shown: str) -> RecordSyntaxError:
    found = next((m for m in _SCAN.finditer(text) if m.group("rdf12")), None)
    line, col = _line_col(text, found.start()) if found else (1, 1)
    near = text[found.start():].split("\n", 1)[0].strip()[:40] if found else ""
    return RecordSyntaxError(shown, line, col,
                             "bad syntax: RDF 1.2 triple terms, reifiers and annotations are not "
                             "part of the records' Turtle (RDF 1.1)" + (f" (near {near!r})" if near else ""))


def parse_file(path: PathLike, graph: Graph | None = None, *, project: Project | None = None,
               converter: TermConverter | None = None) -> Graph:
    """Parse one Turtle file into `graph` (a new one if omitted), with pyoxigraph's parser.

    `converter` turns pyoxigraph's terms into rdflib's; pass one to share it between files.

    :raises RecordSyntaxError: the file is not valid Turtle (or not UTF-8).
    :raises StorageError: the file cannot be read.
    """
    graph = Graph() if graph is None else graph
    rdf = (converter or TermConverter()).rdf
    graph.addN((rdf(t.subject), rdf(t.predicate), rdf(t.object), graph)
               for t in _parse(Path(path), project))
    return graph


def load_files(paths: Iterable[PathLike], *, project: Project | None = None) -> Graph:
    """Parse several Turtle files into one new Graph, bound to the innovgraph prefixes."""
    graph = Graph()
    for prefix, ns in OWN_NAMESPACES.items():
        graph.bind(prefix, ns, override=True)
    converter = TermConverter()
    for path in paths:
        parse_file(path, graph, project=project, converter=converter)
    return graph


def load_graph(project: Project, extra_files: Iterable[PathLike] = ()) -> Graph:
    """The project's graph: ontology + vocabularies + records (+ `extra_files`).

    Shapes are not part of it; they are a separate graph used only by validation.
    owl:imports are never followed: the graph is exactly the files named here.
    """
    return load_files([*project.ontology_files, *project.data_files, *extra_files], project=project)


def read_triples(paths: Iterable[Path], *, project: Project) -> Iterator[tuple[Path, list[ox.Triple]]]:
    """Each file's triples, as pyoxigraph parses them (the parser of `parse_file`).

    :raises RecordSyntaxError: a file is not valid Turtle (file:line:column).
    :raises StorageError: a file cannot be read.
    """
    for path in paths:
        yield path, _parse(Path(path), project)


def base_iri(path: Path) -> str:
    """The base of relative IRIs in a source file: its own file: IRI."""
    return path.resolve().as_uri()


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
    base = base_iri(Path(path))  # the base the parser gives the file
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
