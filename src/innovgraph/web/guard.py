"""Keep queries local: refuse SERVICE, LOAD, and FROM/USING of graphs the store does not hold,
and queries nested too deeply for the engine's parser.

pyoxigraph follows ``SERVICE <url>`` and ``LOAD <url>`` over the network (checked on
0.5.13: both send the request), which would turn a public endpoint into a proxy. This module
reads the query text before it reaches the engine, with `innovgraph.lexer` (a lexer, not a
parser), in each of the lexer's `views` (as pyoxigraph reads it: comments end at CR too,
escapes only inside strings and IRIs, ``<`` after an operand is less-than; and as the grammar
reads it, escapes decoded first), and refuses what any view finds. So a keyword inside a
literal or an IRI is not mistaken for one, and one hidden from a naive reading is still found.
Behind it, `GraphStore.query` asks the engine itself (`innovgraph.store.checks`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin

from ..errors import QueryTooDeepError
from ..lexer import Token, decode_escapes, views
from ..namespaces import DEFAULT_PREFIXES
from ..store.checks import check_depth

FORBIDDEN_KEYWORDS = {
    "SERVICE": "SERVICE (federated query) is refused: this endpoint never fetches from the "
               "network on behalf of a query.",
    "LOAD": "LOAD is refused: this endpoint never fetches from the network on behalf of a query.",
}
_DATASET_KEYWORDS = {"FROM", "USING"}


@dataclass(frozen=True)
class Refusal:
    """Why a query may not run (the message is meant for the client)."""

    message: str


def check(query: str, local_graphs: Collection[str], *,
          max_depth: int | None = None) -> Refusal | None:
    """None when the query may run, else why not (`max_depth`: the nesting limit, default
    `lexer.max_depth()`).

    >>> check("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", set()).message[:7]
    'SERVICE'
    >>> check("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE", set()) is None
    True
    >>> check("PREFIX g: <https://w3id.org/innovgraph/graph/> SELECT * FROM g:x { ?s ?p ?o }",
    ...       {"https://w3id.org/innovgraph/graph/x"}) is None
    True
    >>> print(check("SELECT * FROM NAMED <http://example.org/g> { ?s ?p ?o }", set()).message)
    FROM NAMED <http://example.org/g> is refused: it is not a graph of this store, and this endpoint never fetches from the network. The local graphs are listed in the service description (GET /sparql).
    >>> check("SELECT * { ?s ?p ?o # x" + chr(13) + "SERVICE <http://127.0.0.1:9/> { } }", set()).message[:7]
    'SERVICE'
    """
    try:
        check_depth(query, max_depth)
    except QueryTooDeepError as exc:
        return Refusal(str(exc))
    for toks in views(query):
        refusal = _check_tokens(toks, local_graphs)
        if refusal is not None:
            return refusal
    return None


def _check_tokens(toks: list[Token], local_graphs: Collection[str]) -> Refusal | None:
    prefixes: dict[str, str] = dict(DEFAULT_PREFIXES)  # as the engine reads the text
    base = ""
    i = 0
    while i < len(toks):
        kind, text = toks[i].kind, toks[i].text
        upper = text.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" \
                and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text[:-1]] = urljoin(base, toks[i + 2].text[1:-1])
            i += 3
            continue
        if upper == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
            i += 2
            continue
        if upper in FORBIDDEN_KEYWORDS:
            return Refusal(FORBIDDEN_KEYWORDS[upper])
        if upper in _DATASET_KEYWORDS:
            clause = upper
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "NAMED":
                clause += " NAMED"
                j += 1
            iri = _resolve(toks[j], prefixes, base) if j < len(toks) else None
            if iri is None:
                return Refusal(f"{clause} must name a graph IRI.")
            if iri not in local_graphs:
                return Refusal(
                    f"{clause} <{iri}> is refused: it is not a graph of this store, and this "
                    "endpoint never fetches from the network. The local graphs are listed in "
                    "the service description (GET /sparql).")
            i = j + 1
            continue
        i += 1
    return None


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str | None:
    kind, text = token.kind, token.text
    if kind == "iri":
        iri = decode_escapes(text[1:-1])
        return urljoin(base, iri) if base else iri
    if kind == "pname":
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
