"""What a query or update must pass before the engine runs it: a nesting limit, and, unless
the caller allows it, no SERVICE or LOAD (pyoxigraph 0.5.13 follows both over the network);
and what RDF from outside (a Graph Store Protocol body, a remote endpoint's answer) must pass
before pyoxigraph parses it (`check_rdf_input`): no XML entity declarations (its RDF/XML
parser expands them without limit: 1 KB became 8.7 GB), no JSON nested too deeply (its JSON-LD
parser kills the process at some 5,000 levels of objects).

The nesting is measured by `innovgraph.lexer` before any parser sees the text: pyoxigraph's
parser recurses once per ``{ ( [`` and kills the process at about 3,000 levels.

SERVICE and LOAD are found on the engine's own terms. The lexer's `views` are read first
(cheap, and they name what they found); then, when the text spells either word anywhere
(case-insensitively: the engine reads keywords only as spelt, never through escapes), the
engine itself decides: the text with the last letter of every such spelling changed
(SERVICE -> SERVICX, LOAD -> LOAX) is parsed by pyoxigraph. Letters never open or close a
string, an IRI or a comment, so the two texts have the same strings, IRIs and comments; if
the changed text parses, none of the spellings was a keyword. Parsing never runs anything:
a query is given a substitution of a variable it does not have, which pyoxigraph refuses
after parsing and before evaluating; an update is preceded by an operation that fails (creating
a graph that exists) in a throwaway store, so nothing after it runs.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..errors import FederationRefusedError, GraphSyntaxError, QueryTooDeepError
from ..lexer import Token, keywords, max_depth, nesting_depth, openers, tokens
from ..terms import syntax_error

NETWORK_KEYWORDS = frozenset({"SERVICE", "LOAD"})
_SPELLINGS = re.compile(r"servic(e)|loa(d)", re.IGNORECASE)
_PROBE_GRAPH = "urn:innovgraph:probe"
_PROBE_OPERATION = f"CREATE GRAPH <{_PROBE_GRAPH}> ; "
_REFUSALS = {
    "SERVICE": "SERVICE (a federated query) is refused: it would fetch from the network.",
    "LOAD": "LOAD is refused: it would fetch from the network.",
}
_POSITION = re.compile(r"error at (\d+):(\d+):")
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def check_depth(text: str, limit: int | None = None) -> None:
    """Refuse `text` if { ( [ nest deeper than `limit` (default: `lexer.max_depth()`).

    >>> check_depth("ASK { " + "{ " * 200 + "}" * 200 + " }", 128)
    Traceback (most recent call last):
    ...
    innovgraph.errors.QueryTooDeepError: The query nests { ( [ 201 levels deep; the limit is 128 (set INNOVGRAPH_MAX_QUERY_DEPTH to change it).

    :raises QueryTooDeepError: nested deeper than the limit.
    """
    limit = max_depth() if limit is None else limit
    if openers(text) <= limit:
        return  # (the common case, without lexing)
    depth = nesting_depth(text)
    if depth > limit:
        raise QueryTooDeepError(f"The query nests {{ ( [ {depth} levels deep; the limit is "
                                f"{limit} (set INNOVGRAPH_MAX_QUERY_DEPTH to change it).")


def check_rdf_input(data: bytes, fmt: ox.RdfFormat, limit: int | None = None) -> None:
    """Refuse RDF that pyoxigraph would parse without bound: RDF/XML (or SPARQL XML results)
    declaring entities, JSON(-LD) nested deeper than `limit` (default: `lexer.max_depth()`).

    >>> check_rdf_input(b'<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', ox.RdfFormat.RDF_XML)
    Traceback (most recent call last):
    ...
    innovgraph.errors.GraphSyntaxError: RDF/XML with entity declarations (<!ENTITY ...>) is refused: the parser would expand them without limit.

    :raises GraphSyntaxError: it would.
    """
    if fmt in (ox.RdfFormat.RDF_XML, ox.QueryResultsFormat.XML):
        if _ENTITY.search(data):
            raise GraphSyntaxError("RDF/XML with entity declarations (<!ENTITY ...>) is refused: "
                                   "the parser would expand them without limit.")
    elif fmt in (ox.RdfFormat.JSON_LD, ox.QueryResultsFormat.JSON):
        limit = max_depth() if limit is None else limit
        if data.count(b"{") + data.count(b"[") > limit and _json_depth(data) > limit:
            raise GraphSyntaxError(f"JSON nested deeper than {limit} levels is refused (set "
                                   "INNOVGRAPH_MAX_QUERY_DEPTH to change the limit).")


def _json_depth(data: bytes) -> int:
    depth = best = 0
    for match in _JSON_TOKEN.finditer(data):
        token = match.group()
        if token in (b"{", b"["):
            depth += 1
            best = max(best, depth)
        elif token in (b"}", b"]"):
            depth = max(0, depth - 1)
    return best


def network_keywords(text: str, *, update: bool = False,
                     prefixes: dict[str, str] | None = None) -> set[str]:
    """SERVICE and LOAD, as far as `text` really contains them (see the module docstring).

    Check the depth first (`check_depth`): this parses the text with pyoxigraph.

    >>> sorted(network_keywords("SELECT * { ?s ?p 'SERVICE' } # LOAD"))
    []
    >>> sorted(network_keywords("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"))
    ['SERVICE']

    `prefixes` are the undeclared prefixes the engine will be given (pyoxigraph's `prefixes=`).

    :raises QuerySyntaxError: the text does not parse (then it cannot run either).
    """
    found = keywords(text, NETWORK_KEYWORDS)
    if found or not _SPELLINGS.search(text):
        return found
    changed = _SPELLINGS.sub(_change_last_letter, text)
    if _parse_error(changed, update, prefixes) is None:
        return set()
    error = _parse_error(text, update, prefixes)
    if error is not None:
        raise syntax_error(error, text, default_prefixes=prefixes is not None) from None
    # The text parses and the changed one does not: a spelling was a keyword. Which one:
    words = {m.group().upper() for m in _SPELLINGS.finditer(text)}
    return {w for w in NETWORK_KEYWORDS if w in words} or set(NETWORK_KEYWORDS)


def refuse_network(text: str, *, update: bool = False,
                   prefixes: dict[str, str] | None = None) -> None:
    """Raise FederationRefusedError if `text` uses SERVICE or LOAD (read with `prefixes`).

    :raises FederationRefusedError: it does.
    :raises QuerySyntaxError: it does not parse.
    """
    found = network_keywords(text, update=update, prefixes=prefixes)
    if found:
        raise FederationRefusedError(" ".join(_REFUSALS[w] for w in sorted(found, reverse=True)))


def _change_last_letter(match: re.Match) -> str:
    text = match.group()
    return text[:-1] + ("X" if text[-1].isupper() else "x")


def update_syntax_error(text: str, *, base_iri: str | None = None,
                        prefixes: dict[str, str] | None = None) -> SyntaxError | None:
    """pyoxigraph's SyntaxError for the update `text` (relative IRIs against `base_iri`,
    undeclared prefixes from `prefixes`), None when it parses; nothing runs.

    >>> update_syntax_error("INSERT DATA { <a> <b> 1 }", base_iri="http://example.org/") is None
    True
    >>> update_syntax_error("INSERT DATA { <a> <b> 1 }") is None
    False
    """
    return _parse_error(text, True, prefixes, base_iri)


def _parse_error(text: str, update: bool, prefixes: dict[str, str] | None = None,
                 base_iri: str | None = None) -> SyntaxError | None:
    """pyoxigraph's SyntaxError for `text`, None when it parses; nothing is evaluated."""
    store = ox.Store()
    if not update:
        probe = _probe_variable(text)
        try:
            store.query(text, substitutions={probe: ox.Literal(0)}, prefixes=prefixes)
        except SyntaxError as exc:
            return exc
        except (RuntimeError, ValueError, OSError):
            return None  # the substitution is refused: parsed, and nothing evaluated
        return None  # pragma: no cover - pyoxigraph always refuses the substitution
    graph = ox.NamedNode(_PROBE_GRAPH)
    store.add(ox.Quad(graph, graph, graph, graph))
    offset = _prologue_end(text)
    try:
        store.update(text[:offset] + _PROBE_OPERATION + text[offset:], prefixes=prefixes,
                     base_iri=base_iri)
    except SyntaxError as exc:
        return _shift(exc, text, offset)
    except (RuntimeError, ValueError, OSError):
        return None  # the probe operation failed: parsed, and nothing else ran
    return None  # pragma: no cover - creating an existing graph always fails


def _probe_variable(text: str) -> ox.Variable:
    n = 0
    while f"innovgraph_probe_{n}" in text:
        n += 1
    return ox.Variable(f"innovgraph_probe_{n}")


def _prologue_end(text: str) -> int:
    """Offset just after the update's PREFIX and BASE declarations (pyoxigraph 0.5.13 takes a
    prologue only at the start of an update request)."""
    toks: list[Token] = tokens(text)
    i, end = 0, 0
    while i < len(toks):
        word = toks[i].text.upper() if toks[i].kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            end, i = toks[i + 2].end, i + 3
        elif word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            end, i = toks[i + 1].end, i + 2
        else:
            break
    return end


def _shift(exc: SyntaxError, text: str, offset: int) -> SyntaxError:
    """The parser's error with its position moved back over the inserted probe operation."""
    message = str(exc)
    m = _POSITION.match(message)
    if m is None:
        return exc
    line_no = text.count("\n", 0, offset) + 1
    line, column = int(m[1]), int(m[2])
    insert_column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    if line == line_no and column > insert_column:
        column = max(insert_column, column - len(_PROBE_OPERATION))
    return SyntaxError(f"error at {line}:{column}:{message[m.end():]}")
