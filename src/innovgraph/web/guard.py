"""Keep queries local: refuse SERVICE, LOAD, and FROM/USING of graphs the store does not hold.

pyoxigraph follows ``SERVICE <url>`` and ``LOAD <url>`` over the network (checked on
0.5.13: both try a DNS lookup), which would turn a public endpoint into a proxy. This module
scans the query text before it reaches the engine, with `innovgraph.lexer` (a lexer, not a
parser), so a keyword inside a literal or an IRI is not mistaken for one, and a keyword spelt
with escapes is still found.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin

from ..lexer import decode_escapes, tokens

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


def check(query: str, local_graphs: Collection[str]) -> Refusal | None:
    """None when the query may run, else why not.

    >>> check("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", set()).message[:7]
    'SERVICE'
    >>> check("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE", set()) is None
    True
    >>> check("PREFIX g: <https://w3id.org/innovgraph/graph/> SELECT * FROM g:x { ?s ?p ?o }",
    ...       {"https://w3id.org/innovgraph/graph/x"}) is None
    True
    >>> print(check("SELECT * FROM NAMED <http://example.org/g> { ?s ?p ?o }", set()).message)
    FROM NAMED <http://example.org/g> is refused: it is not a graph of this store, and this endpoint never fetches from the network. The local graphs are listed in the service description (GET /sparql).
    """
    toks = tokens(decode_escapes(query))
    prefixes: dict[str, str] = {}
    base = ""
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        upper = text.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" \
                and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1][:-1]] = urljoin(base, toks[i + 2][1][1:-1])
            i += 3
            continue
        if upper == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 2
            continue
        if upper in FORBIDDEN_KEYWORDS:
            return Refusal(FORBIDDEN_KEYWORDS[upper])
        if upper in _DATASET_KEYWORDS:
            clause = upper
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "NAMED":
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


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str | None:
    kind, text = token
    if kind == "iri":
        return urljoin(base, text[1:-1]) if base else text[1:-1]
    if kind == "pname":
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
