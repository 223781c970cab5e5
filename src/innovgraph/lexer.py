"""SPARQL text as tokens, without parsing it: for the checks that must look at a query before
the engine does (the server's SERVICE / LOAD / FROM guard, the store's dataset choice).

It decodes SPARQL's ``\\uXXXX`` escapes (which apply to the whole query text, as the engine
applies them before parsing), then skips comments, strings and IRIs, so a keyword inside a
literal or an IRI is not mistaken for one, and a keyword spelt with escapes is still found.
"""

from __future__ import annotations

import re

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"
               |'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w]+)
    | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*)
    | (?P<word>[A-Za-z_][\w-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def decode_escapes(text: str) -> str:
    r"""Apply SPARQL's codepoint escapes, as the engine does before parsing.

    >>> decode_escapes(r"SERVIC\u0045")
    'SERVICE'
    """
    def char(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _UNICODE_ESCAPE.sub(char, text)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs, without whitespace and comments."""
    found = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            found.append((kind, m.group()))
    return found


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED).

    >>> has_dataset_clause("SELECT * FROM <urn:g> { ?s ?p ?o }"), has_dataset_clause("SELECT ?from {}")
    (True, False)
    """
    return any(kind == "word" and text.upper() == "FROM"
               for kind, text in tokens(decode_escapes(query)))
