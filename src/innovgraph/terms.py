"""Terms as people read and type them: `show`, the one display rule; `expand`, its inverse
for typed names; the default prefixes a query may use without declaring them
(`with_default_prefixes`, for engines without pyoxigraph's ``prefixes=``); the one wording
of a SPARQL syntax error (`syntax_error`); `python_value`, a term as a Python value; and
pyoxigraph <-> rdflib terms, converted once each.

pyoxigraph parses and queries fast; pyshacl and the OWL tooling want rdflib terms. Large
graphs repeat the same IRIs many times, so conversions are memoised both ways.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import QuerySyntaxError, parser_position
from .lexer import KEYWORDS, Token, line_column, offset_of, tokens
from .namespaces import DEFAULT_PREFIXES, IGSH, PREFIXES, XSD_STRING

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

# SPARQL 1.1 / Turtle PN_LOCAL without backslash escapes: the local names `show` prints. (With
# escapes, id:city\/moscow-rus would be valid too, but Virtuoso 7.2 refuses '\' in a prefixed
# name and rdflib 7.6 keeps the backslash in the IRI, so nothing printed relies on them.)
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
         "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
         "\U00010000-\U000EFFFF")
_CHARS = _BASE + "_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = "%[0-9A-Fa-f]{2}"
_PN_LOCAL = re.compile(f"(?:[{_BASE}_:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?")
# Longest namespace first: id:city/x is city:x, not id:...
_BY_LENGTH = sorted(DEFAULT_PREFIXES.items(), key=lambda item: -len(item[1]))


def show(term: Term | Node | None, *, turtle: bool = False) -> str:
    """A term as people read it, whether pyoxigraph's or rdflib's: the one display rule of
    tables, pages and reports, and a name that can be pasted back into a query.

    An IRI is `prefix:local` with the longest namespace of the default prefixes
    (`namespaces.DEFAULT_PREFIXES`, which every query may use undeclared) whose rest is a valid
    SPARQL and Turtle local name (no '/'), else `<iri>`: a concept is `role:data-scientist`, a
    city `city:moscow-rus`, its response `<https://w3id.org/innovgraph/id/city/moscow-rus/response/2020>`.
    A blank node is `_:id`; '' when unbound. A literal is its value, or with `turtle`
    (reports, where the datatype matters) in Turtle's short form.

    >>> show(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-testville"))
    'city:fictional-testville'
    >>> show(ox.NamedNode("https://w3id.org/innovgraph/vocab/innovation-role/data-scientist"))
    'role:data-scientist'
    >>> show(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-testville/response/2020"))
    '<https://w3id.org/innovgraph/id/city/fictional-testville/response/2020>'
    >>> show(URIRef("http://www.w3.org/ns/shacl#Violation")), show(ox.NamedNode("http://example.org/x"))
    ('sh:Violation', '<http://example.org/x>')
    >>> show(ox.Literal("12", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))), show(None)
    ('12', '')
    >>> from rdflib import XSD
    >>> show(Literal(-5), turtle=True), show(Literal("2019", datatype=XSD.gYear), turtle=True)
    ('-5', '"2019"^^xsd:gYear')
    >>> show(ox.BlankNode("b0")), show(BNode("b1"))
    ('_:b0', '_:b1')
    """
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, URIRef)):
        return _iri(str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, (ox.BlankNode, BNode)):
        return f"_:{term.value if isinstance(term, ox.BlankNode) else term}"
    if isinstance(term, ox.Literal):
        if not turtle:
            return term.value
        term = TermConverter().rdf(term)
    if isinstance(term, Literal):
        if not turtle:
            return str(term)
        # Turtle's short forms (-5, true, 1.5) read better than "-5"^^xsd:integer.
        return term._literal_n3(use_plain=True, qname_callback=_qname)
    return str(term)


def _iri(iri: str) -> str:
    # Tables repeat the same IRIs; a hostile one (a megabyte long) is not kept.
    return _short_iri(iri) if len(iri) <= 300 else _compact(iri)


def _compact(iri: str) -> str:
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and _PN_LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


_short_iri = functools.lru_cache(maxsize=65536)(_compact)


def _qname(iri) -> str | None:
    shown = _iri(str(iri))
    return None if shown.startswith("<") else shown


def expand(name: str, prefixes: Mapping[str, str] = DEFAULT_PREFIXES) -> str | None:
    r"""The IRI of a name as people type it, or None when it is not one: `<iri>`, or
    `prefix:local` with one of `prefixes` (local parts may have '/', as in
    igv:innovation-role/data-scientist, and SPARQL's '\' escapes, as in id:city\/moscow-rus).

    >>> expand("role:data-scientist"), expand("id:city/moscow-rus") == expand(r"id:city\/moscow-rus")
    ('https://w3id.org/innovgraph/vocab/innovation-role/data-scientist', True)
    >>> expand("<https://example.org/x>"), expand("https://example.org/x")
    ('https://example.org/x', None)
    """
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def _prefix_uses(toks: list[Token]) -> tuple[dict[str, str], list[Token]]:
    """The prefixes the text declares ({prefix: namespace}) and its prefixed names."""
    declared, used = {}, []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and i + 1 < len(toks) \
                and toks[i + 1].kind == "pname":
            name = toks[i + 1].text.rstrip(":").partition(":")[0]
            iri = toks[i + 2].text[1:-1] if i + 2 < len(toks) and toks[i + 2].kind == "iri" else ""
            declared[name] = iri
            i += 2
            continue
        if tok.kind == "pname":
            used.append(tok)
        i += 1
    return declared, used


def undeclared_prefixes(sparql: str) -> dict[str, str]:
    """The default prefixes (`DEFAULT_PREFIXES`) that `sparql` uses without declaring them.

    >>> undeclared_prefixes("PREFIX role: <urn:mine/> SELECT * { ?r a role:x ; skos:inScheme ?s }")
    {'skos': 'http://www.w3.org/2004/02/skos/core#'}
    """
    if ":" not in sparql:
        return {}
    declared, used = _prefix_uses(tokens(sparql))
    names = dict.fromkeys(t.text.partition(":")[0] for t in used)
    return {p: DEFAULT_PREFIXES[p] for p in names if p not in declared and p in DEFAULT_PREFIXES}


def with_default_prefixes(sparql: str) -> str:
    """`sparql` with a PREFIX line for each default prefix it uses and does not declare, for
    engines that take only text (rdflib, remote endpoints); pyoxigraph gets the same
    prefixes through its `prefixes=` option. A query's own PREFIX wins.

    >>> print(with_default_prefixes("SELECT ?c { ?c ig:listsRole role:designer }"))
    PREFIX ig: <https://w3id.org/innovgraph/ontology#>
    PREFIX role: <https://w3id.org/innovgraph/vocab/innovation-role/>
    SELECT ?c { ?c ig:listsRole role:designer }
    """
    missing = undeclared_prefixes(sparql)
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in missing.items()) + sparql


# --- SPARQL syntax errors, in words ------------------------------------------------------

_EXPECTED_ITEM = re.compile(r'\[(?:[^\]\\]|\\.)*\]|"(?:[^"\\]|\\.)*"|[^,\s][^,]*')
_MAX_SHOWN = 60
# `<` opening what looks like an IRI that the lexer could not read as one (a less-than is
# never followed by "scheme:...>" on the same line).
_BROKEN_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\n]*>")


def syntax_error(exc: BaseException, sparql: str, where: str | None = None, *,
                 default_prefixes: bool = True) -> QuerySyntaxError:
    """The error for a SyntaxError of pyoxigraph's SPARQL parser on `sparql`, on one line:
    the line and column of the token found there and what was expected, in words. A prefix
    that is not declared is named (with the default prefixes, when the caller gave them); a
    name cut at '/' (igv:innovation-role/data-scientist) is shown whole, with the forms that
    parse; a misspelt keyword with the nearest keyword. `where` names the query.

    >>> text = "SELECT * WHERE { ?s ?p igv:innovation-role/data-scientist }"
    >>> print(syntax_error(SyntaxError("error at 1:51: expected OPTIONAL"), text))
    SPARQL syntax error at line 1, column 24: found 'igv:innovation-role/data-scientist', expected a name without '/' (write role:data-scientist or <https://w3id.org/innovgraph/vocab/innovation-role/data-scientist>)
    >>> print(syntax_error(SyntaxError("error at 1:26: expected one of LATERAL, SERVICE, [_]"),
    ...                    "SELECT ?s WHERE { ?s ?p }"))
    SPARQL syntax error at line 1, column 25: found '}', expected one of LATERAL, SERVICE
    """
    found = parser_position(exc)
    if found is None:
        return QuerySyntaxError.from_parser(exc, where)
    toks = tokens(sparql)
    line, column, expected = found
    offset = offset_of(sparql, line, column)
    declared, used = _prefix_uses(toks)
    known = {**(DEFAULT_PREFIXES if default_prefixes else {}), **declared}
    culprit = (_broken_literal(sparql, toks) or _undeclared(used, known, default_prefixes)
               or _slashed_name(sparql, toks, known) or _unknown_word(toks, offset))
    if culprit is None:
        token, words = _token_at(toks, offset), _expected(expected)
        wanted = f"expected {words}" if words else ""
        if token is None:
            return QuerySyntaxError.at(line, column, wanted or expected, where)
        culprit = token.start, ", ".join(filter(None, [f"found {_quoted(token.text)}", wanted]))
    start, detail = culprit
    return QuerySyntaxError.at(*line_column(sparql, start), detail, where)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "...")


def _expected(expected: str) -> str:
    """The parser's expectations without its character classes (``['A' ..= 'Z' | ...]``)."""
    if not expected.startswith("expected "):
        return ""
    body = expected.removeprefix("expected ").removeprefix("one of ")
    items = []
    for item in _EXPECTED_ITEM.findall(body):
        item = item.strip()
        if item.startswith("[") or item == "Prefix not found" or item.startswith('"\\'):
            continue
        if item == "IRI parsing failed":
            item = "a valid IRI"
        elif item.startswith('"'):
            item = repr(item[1:-1].replace('\\"', '"'))
        items.append(item)
    items = list(dict.fromkeys(items))
    if not items:
        return ""
    return items[0] if len(items) == 1 else "one of " + ", ".join(items)


def _broken_literal(sparql: str, toks: list[Token]) -> tuple[int, str] | None:
    """A quote that opens no complete string, or `<scheme:...>` that is no valid IRI."""
    for tok in toks:
        if tok.kind == "punct" and tok.text in "\"'":
            rest = sparql[tok.start:].splitlines()[0]
            return tok.start, f"found {_quoted(rest)}, expected a closing {tok.text!r} (the string does not end)"
        if tok.kind == "punct" and tok.text == "<" and (bad := _BROKEN_IRI.match(sparql, tok.start)):
            return tok.start, (f"found {_quoted(bad.group())}, expected a valid IRI (no spaces or "
                               "any of <>\"{}|^`\\ inside <...>)")
    return None


def _undeclared(used: list[Token], known: Mapping[str, str], defaults: bool) -> tuple[int, str] | None:
    for tok in used:
        prefix = tok.text.partition(":")[0]
        if prefix not in known:
            detail = (f"the prefix '{prefix}:' (in {_quoted(tok.text)}) is not declared: add "
                      f"PREFIX {prefix}: <...>")
            if defaults:
                detail += ", or use a default prefix: " + ", ".join(f"{p}:" for p in DEFAULT_PREFIXES)
            return tok.start, detail
    return None


def _slashed_name(sparql: str, toks: list[Token], known: Mapping[str, str]) -> tuple[int, str] | None:
    """A prefixed name directly followed by '/' and a bare word or number (never valid: a path
    step after '/' is an IRI, a prefixed name, 'a', '^', '!' or '(')."""
    for i, tok in enumerate(toks):
        if tok.kind != "pname" or i + 2 >= len(toks):
            continue
        slash, after = toks[i + 1], toks[i + 2]
        if not (slash.text == "/" and slash.start == tok.end and after.start == slash.end
                and (after.kind == "number" or (after.kind == "word" and after.text.lower() != "a"))):
            continue
        end = after.end
        for nxt in toks[i + 3:]:
            if nxt.start != end or not (nxt.kind in ("word", "number", "pname")
                                        or nxt.text in ("/", "-", ".")):
                break
            end = nxt.end
        name = sparql[tok.start:end].rstrip(".")
        iri = expand(name, known)
        forms = []
        if iri is not None:
            try:
                ox.NamedNode(iri)
            except ValueError:
                iri = None
        if iri is not None:
            short = _iri(iri)
            forms = ([short] if not short.startswith("<") else []) + [f"<{iri}>"]
        hint = f" (write {' or '.join(forms)})" if forms else ""
        return tok.start, f"found {_quoted(name)}, expected a name without '/'{hint}"
    return None


def _unknown_word(toks: list[Token], offset: int) -> tuple[int, str] | None:
    """The first bare word before the parser's position that is no SPARQL keyword."""
    previous = None
    for tok in toks:
        if tok.start > offset:
            break
        if tok.kind == "word" and tok.text.upper() not in KEYWORDS:
            if previous is not None and previous.kind == "word" and previous.text.upper() == "PREFIX":
                return tok.start, f"found {_quoted(tok.text)}, expected a prefix name ending in ':' ({tok.text}:)"
            close = difflib.get_close_matches(tok.text.upper(), KEYWORDS, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            return tok.start, f"found {_quoted(tok.text)}, expected a SPARQL keyword{hint}"
        previous = tok
    return None


def _token_at(toks: list[Token], offset: int) -> Token | None:
    """The token at the parser's position, else the last one before it (the parser points at
    what it could not use, or just past it, at the end of the text)."""
    best = None
    for tok in toks:
        if tok.start > offset:
            break
        best = tok
    return best


# --- terms as Python values -------------------------------------------------------------

_XSD = PREFIXES["xsd"]
_INTEGERS = frozenset(_XSD + t for t in (
    "integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int "
    "short byte unsignedLong unsignedInt unsignedShort unsignedByte").split())
_FLOATS = frozenset({_XSD + "double", _XSD + "float"})


def python_value(term: Term | None) -> object:
    """A term as a Python value, as analysts' tables want it: an IRI as its full string, a
    blank node as `_:id`, xsd integers as int, xsd:decimal as Decimal, xsd:double and xsd:float
    as float, xsd:boolean as bool, any other literal (and an ill-typed one) as its text;
    None when unbound.

    >>> python_value(ox.Literal("2300000", datatype=ox.NamedNode(_XSD + "integer")))
    2300000
    >>> python_value(ox.Literal("0.5", datatype=ox.NamedNode(_XSD + "decimal"))), python_value(ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean")))
    (Decimal('0.5'), True)
    >>> python_value(ox.NamedNode("https://w3id.org/innovgraph/id/city/moscow-rus"))
    'https://w3id.org/innovgraph/id/city/moscow-rus'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype, value = term.datatype.value, term.value
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype == _XSD + "decimal":
            return Decimal(value)
        if datatype in _FLOATS:
            return float(value.replace("INF", "inf"))
    except (ValueError, InvalidOperation):
        return value
    if datatype == _XSD + "boolean" and value in ("true", "false", "1", "0"):
        return value in ("true", "1")
    return value


def local_name(term: Node | None) -> str:
    """The part after the last '#' or '/', e.g. a shape's name.

    >>> local_name(IGSH["CityShape-name"])
    'CityShape-name'
    """
    if term is None:
        return ""
    text = str(term)
    return re.split(r"[#/]", text)[-1] if isinstance(term, URIRef) else text


class TermConverter:
    """Memoised conversion between pyoxigraph and rdflib terms (one instance per job)."""

    def __init__(self) -> None:
        self._to_rdf: dict = {}
        self._to_ox: dict = {}

    def rdf(self, term):
        """The rdflib term of a pyoxigraph term (xsd:string literals become plain literals, as
        rdflib's Turtle parser gives them)."""
        found = self._to_rdf.get(term)
        if found is None:
            if isinstance(term, ox.NamedNode):
                found = URIRef(term.value)
            elif isinstance(term, ox.BlankNode):
                found = BNode(term.value)
            elif term.language:
                found = Literal(term.value, lang=term.language)
            else:
                dt = term.datatype.value
                found = Literal(term.value, datatype=None if dt == XSD_STRING else URIRef(dt))
            self._to_rdf[term] = found
            self._to_ox[found] = term
        return found

    def ox(self, node):
        """The pyoxigraph term of an rdflib IRI or blank node (None for a literal: literals
        are never looked up as subjects)."""
        found = self._to_ox.get(node)
        if found is None:
            if isinstance(node, URIRef):
                found = ox.NamedNode(str(node))
            elif isinstance(node, BNode):
                found = ox.BlankNode(str(node))
            else:
                return None
            self._to_ox[node] = found
        return found


def ox_term(node):
    """The pyoxigraph term of any rdflib term, literals included (not memoised)."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype is not None:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))
