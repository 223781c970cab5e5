"""SPARQL text as tokens, without parsing it: the one lexer for the checks that must look at a
query before the engine does (the server's SERVICE / LOAD / FROM guard, the nesting limit, the
store's dataset choice) and for binding values into query text for remote stores.

It reads the text as pyoxigraph 0.5.13 does (checked against it, see tests/test_lexer.py):

- a comment runs from ``#`` to the end of the line, and a line ends at LF *or* CR;
- ``\\uXXXX`` / ``\\U00XXXXXX`` escapes are decoded only inside strings and IRIs, where they never
  end the string or the IRI (``"\\u0022"`` is a one-character string); outside them the engine
  refuses them;
- ``<`` opens an IRI except where it can only be the less-than operator: inside an expression,
  right after an operand (``FILTER(?o<'>')`` compares ?o with the string ``'>'``).

The SPARQL grammar (and other engines) decode the escapes in the whole text before reading it,
so the checks look at the text both ways (`views`): the view as the engine reads it, the same
with every ``<...>`` taken as an IRI, and the escape-decoded text; a check passes only if it
passes in each.
"""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple

# Deeper nesting of { ( [ than this is refused before any parser sees the query: pyoxigraph's
# parser recurses once per level and kills the process (SIGSEGV) at about 3,000.
DEFAULT_MAX_DEPTH = 128
MAX_DEPTH_ENV = "INNOVGRAPH_MAX_QUERY_DEPTH"

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN_SYNTAX = r"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<lt><)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<bnode>_:[\w\-\u00B7\u00C0-\uFFFF]+(?:\.+[\w\-\u00B7\u00C0-\uFFFF]+)*)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:
               (?:[\w:%\-\u00B7\u00C0-\uFFFF]|\\.|\.(?=[\w:%\-\u00B7\u00C0-\uFFFF]|\\.))*)
  | (?P<number>[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.[0-9]*[eE][+-]?[0-9]+
               |[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>.)
"""
_IRI_SYNTAX = r"""<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"""

_OPERANDS = {"var", "string", "iri", "pname", "number", "langtag", "bnode"}
# Words after which "(" opens data (a collection, a VALUES row), not an expression.
_DATA_WORDS = {"VALUES", "A", "TRUE", "FALSE", "UNDEF"}
# Clauses whose parentheses are expressions: the projection, GROUP BY, ORDER BY, HAVING.
_EXPRESSION_CLAUSES = {"SELECT", "BY", "HAVING"}
_CLAUSE_ENDS = {"WHERE", "LIMIT", "OFFSET", "VALUES", "FROM"}
_OPEN, _CLOSE = "{([", "})]"
# Every word SPARQL 1.1 reads as a keyword or a built-in function name (case-insensitive),
# with pyoxigraph's SPARQL 1.2 additions: any other bare word is a syntax error (a misspelt
# keyword, or the rest of a prefixed name cut at a '/').
KEYWORDS = frozenset("""
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES UNDEF LOAD SILENT INTO CLEAR DROP CREATE ADD MOVE
    COPY TO INSERT DELETE DATA WITH USING DEFAULT ALL GRAPH OPTIONAL SERVICE BIND MINUS UNION
    FILTER NOT IN EXISTS A TRUE FALSE LATERAL VERSION SEPARATOR
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
    HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE
    IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
    COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR STRLANGDIR HASLANG HASLANGDIR ADJUST
    """.split())


class Token(NamedTuple):
    """One token: kind (word, var, iri, pname, string, number, langtag, bnode, punct), its
    text, and where it is in the text it was read from."""

    kind: str
    text: str
    start: int
    end: int


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    # Compiled on first use, not on import (some 15 ms): every CLI start imports this module.
    return (re.compile(_TOKEN_SYNTAX, re.VERBOSE | re.DOTALL), re.compile(_IRI_SYNTAX))


def decode_escapes(text: str) -> str:
    r"""Apply SPARQL's codepoint escapes to the whole text, as the grammar says to.

    >>> decode_escapes(r"SERVIC\u0045")
    'SERVICE'
    """
    def char(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _UNICODE_ESCAPE.sub(char, text)


def _is_operand(token: Token | None) -> bool:
    if token is None:
        return False
    if token.kind in _OPERANDS:
        return True
    if token.kind == "word":
        return token.text.upper() in ("TRUE", "FALSE")
    return token.kind == "punct" and token.text in ")]"


def _scan(text: str, *, contextual: bool = True):
    """Yield every token of `text` but spaces and comments, with the depth of { ( [ open
    before it (an IRI's own brackets counted too, in case it is not one)."""
    token_re, iri_re = _patterns()
    # Open brackets: "{", "[", "(e" (an expression), "(d" (a collection or a VALUES row).
    stack: list[str] = []
    prev = prev2 = None
    clause = False  # inside SELECT's projection, GROUP BY, ORDER BY or HAVING
    pos, size = 0, len(text)
    while pos < size:
        match = token_re.match(text, pos)  # always matches: the last branch takes any character
        kind, end = match.lastgroup, match.end()
        if kind in ("space", "comment"):
            pos = end
            continue
        if kind == "lt":
            less_than = contextual and stack and stack[-1] == "(e" and _is_operand(prev)
            iri = None if less_than or text.startswith("<<", pos) else iri_re.match(text, pos)
            if iri is not None:
                kind, end = "iri", iri.end()
            else:
                kind, end = "punct", pos + (2 if text.startswith("<<", pos) else 1)
        token = Token(kind, text[pos:end], pos, end)
        upper = token.text.upper() if kind == "word" else ""
        if upper in _EXPRESSION_CLAUSES:
            clause = True
        elif upper in _CLAUSE_ENDS:
            clause = False
        depth = len(stack)
        if kind == "punct" and token.text in _OPEN:
            if token.text == "(":
                stack.append(_paren(stack, prev, prev2, clause))
            else:
                stack.append(token.text)
                clause = False
        elif kind == "punct" and token.text in _CLOSE:
            if stack:
                stack.pop()
            if token.text == "}":
                clause = False
        yield token, max(depth, len(stack)) + (_inner_depth(token.text) if kind == "iri" else 0)
        prev2, prev = prev, token
        pos = end


def _paren(stack: list[str], prev: Token | None, prev2: Token | None, clause: bool) -> str:
    if stack and stack[-1] in ("(e", "(d"):
        return stack[-1]
    if prev is not None and prev.kind == "word":
        return "(d" if prev.text.upper() in _DATA_WORDS else "(e"
    if clause or not stack:
        return "(e"
    if prev is not None and prev.kind in ("iri", "pname") and prev2 is not None \
            and prev2.kind == "word" and prev2.text.upper() in ("FILTER", "HAVING", "BY"):
        return "(e"  # FILTER <function>(...)
    return "(d"


def _inner_depth(text: str) -> int:
    depth = best = 0
    for ch in text:
        if ch in "([":
            depth += 1
            best = max(best, depth)
        elif ch in ")]" and depth:
            depth -= 1
    return best


def tokens(text: str, *, contextual: bool = True) -> list[Token]:
    """The tokens of `text` as the engine reads it, without spaces and comments.

    `contextual=False` takes every ``<...>`` that can be an IRI for one (no less-than).

    >>> [t.text for t in tokens("SELECT * { ?s ?p 'a' FILTER(?o<'>') } # SERVICE")]
    ['SELECT', '*', '{', '?s', '?p', "'a'", 'FILTER', '(', '?o', '<', "'>'", ')', '}']
    """
    return [token for token, _ in _scan(text, contextual=contextual)]


def views(text: str) -> list[list[Token]]:
    """The text's tokens in each of the ways a check must read it: as pyoxigraph does, with
    every ``<...>`` an IRI, and after decoding the escapes everywhere (the grammar's way)."""
    found = [tokens(text), tokens(text, contextual=False)]
    decoded = decode_escapes(text)
    if decoded != text:
        found.append(tokens(decoded))
    return found


def nesting_depth(text: str) -> int:
    """How deeply { ( [ nest outside strings and comments, the most of any of `views`.

    >>> nesting_depth("SELECT * { ?s ?p ?o FILTER(STR(?o) = '((((') }")
    3
    """
    if not any(ch in text for ch in _OPEN):
        return 0
    decoded = decode_escapes(text)
    texts = [(text, True), (text, False)] + ([(decoded, True)] if decoded != text else [])
    return max((depth for t, contextual in texts for _, depth in _scan(t, contextual=contextual)),
               default=0)


def openers(text: str) -> int:
    r"""How many { ( [ the text has, escaped or not: no view nests deeper than this.

    >>> openers(r"ASK { FILTER(\u0028 1) }")
    5
    """
    count = sum(text.count(ch) for ch in _OPEN)
    if "\\" in text:
        count += sum(decode_escapes(text).count(ch) for ch in _OPEN)
    return count


def max_depth() -> int:
    """The nesting limit: $INNOVGRAPH_MAX_QUERY_DEPTH, else DEFAULT_MAX_DEPTH."""
    try:
        return max(1, int(os.environ.get(MAX_DEPTH_ENV, DEFAULT_MAX_DEPTH)))
    except ValueError:
        return DEFAULT_MAX_DEPTH


def keywords(text: str, words: set[str] | frozenset[str]) -> set[str]:
    """Which of `words` (upper case) occur as keywords in any of the text's `views`.

    >>> sorted(keywords("SELECT * { ?s ?p 'SERVICE' } # LOAD", {"SERVICE", "LOAD"}))
    []
    >>> sorted(keywords("SELECT * { # x\\rSERVICE <http://x/> { } }", {"SERVICE", "LOAD"}))
    ['SERVICE']
    """
    spelt = (text + "\n" + decode_escapes(text)).upper()
    if not any(word in spelt for word in words):
        return set()
    return {t.text.upper() for view in views(text) for t in view
            if t.kind == "word" and t.text.upper() in words}


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED).

    >>> has_dataset_clause("SELECT * FROM <urn:g> { ?s ?p ?o }"), has_dataset_clause("SELECT ?from {}")
    (True, False)
    """
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(query))


def line_column(text: str, offset: int) -> tuple[int, int]:
    r"""Line and column (from 1) of `offset`, counted as pyoxigraph's parser counts them in its
    messages: lines end at LF, columns are characters.

    >>> line_column("SELECT *\r\n{ ?s }", 12)
    (2, 3)
    """
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def offset_of(text: str, line: int, column: int) -> int:
    r"""The offset of a line and column as `line_column` counts them (clamped to the text).

    >>> offset_of("SELECT *\r\n{ ?s }", 2, 3)
    12
    """
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return min(len(text), start + max(0, column - 1))
