"""Bind parameters into SPARQL text for stores that cannot bind them (remote endpoints).

The embedded store binds values as RDF terms (pyoxigraph `substitutions`). A remote SPARQL
endpoint only takes text, so the values are placed at the start of the query's outermost
WHERE group, each term written by an N-Triples escaper. Nothing from a value is ever pasted
into the query as syntax: an IRI that could close its `<...>` or a literal that could close
its quotes is rejected or escaped, so a value stays a value.

Two equivalent forms (one row of bindings joined with the rest of the group, which for the
top-level variables a saved query projects gives the same rows as pyoxigraph's substitution):

- `BIND(<term> AS ?var)` per variable, the default: every store evaluates it correctly;
- one `VALUES (?a ?b) { (<t1> <t2>) }` block: Virtuoso 7.2 returns too few rows (and once
  hung) for VALUES joined with a sub-SELECT, as in queries/cities-by-population-band.rq.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from ..errors import ParameterError, QuerySyntaxError
from ..lexer import tokens
from ..namespaces import RDF_LANG_STRING, XSD_STRING

# IRIREF in SPARQL / N-Triples: no controls, space, or any of <>"{}|^`\ .
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANGTAG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_VARNAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
          "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def escape_string(value: str) -> str:
    r"""The body of an N-Triples / SPARQL string literal: quotes, backslashes, controls escaped.

    >>> escape_string('say "hi"\n\\ é')
    'say \\"hi\\"\\n\\\\ é'
    >>> escape_string("\x00")
    '\\u0000'
    """
    def one(match: re.Match[str]) -> str:
        ch = match.group()
        return _ECHAR.get(ch) or f"\\u{ord(ch):04X}"

    return _NEEDS_ESCAPE.sub(one, value)


def check_iri(value: str) -> str:
    """Return `value` if it can be written as `<value>`, else raise ParameterError.

    >>> check_iri("https://w3id.org/innovgraph/id/city/moscow-rus")
    'https://w3id.org/innovgraph/id/city/moscow-rus'
    >>> check_iri("http://x/> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ...
    innovgraph.errors.ParameterError: Not a valid IRI: 'http://x/> } ; DROP ALL ; #' (it contains '>').
    """
    if bad := _IRI_FORBIDDEN.search(value):
        raise ParameterError(f"Not a valid IRI: {value!r} (it contains {bad.group()!r}).")
    if not _IRI_SCHEME.match(value):
        raise ParameterError(f"Not a valid IRI: {value!r} (no scheme such as https:).")
    return value


def sparql_term(term: object) -> str:
    """Write an RDF term (pyoxigraph or rdflib) in N-Triples syntax, checked and escaped.

    >>> sparql_term(ox.NamedNode("https://example.org/a"))
    '<https://example.org/a>'
    >>> sparql_term(ox.Literal('x" } ; DROP ALL ; #'))
    '"x\\\\" } ; DROP ALL ; #"'
    >>> sparql_term(ox.Literal("Moskva", language="ru"))
    '"Moskva"@ru'
    >>> sparql_term(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'

    :raises ParameterError: a blank node, a malformed IRI, datatype or language tag.
    """
    kind, value, language, datatype = _parts(term)
    if kind == "iri":
        return f"<{check_iri(value)}>"
    if kind != "literal":
        raise ParameterError(f"Cannot bind {kind} {value!r}: only IRIs and literals can be bound.")
    text = f'"{escape_string(value)}"'
    if language:
        if not _LANGTAG.fullmatch(language):
            raise ParameterError(f"Not a valid language tag: {language!r}.")
        return f"{text}@{language}"
    if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
        return f"{text}^^<{check_iri(datatype)}>"
    return text


def _parts(term: object) -> tuple[str, str, str | None, str | None]:
    if isinstance(term, ox.NamedNode):
        return "iri", term.value, None, None
    if isinstance(term, ox.Literal):
        return "literal", term.value, term.language, term.datatype.value
    if isinstance(term, ox.BlankNode):
        return "blank node", term.value, None, None
    try:  # rdflib terms, without importing rdflib here
        from rdflib.term import BNode, Literal, URIRef
    except ImportError:  # pragma: no cover - rdflib is a dependency
        BNode = Literal = URIRef = ()  # type: ignore[assignment,misc]
    if isinstance(term, URIRef):
        return "iri", str(term), None, None
    if isinstance(term, Literal):
        return "literal", str(term), term.language, str(term.datatype) if term.datatype else None
    if isinstance(term, BNode):
        return "blank node", str(term), None, None
    raise ParameterError(f"Cannot bind {term!r}: not an RDF term.")


def _variable_name(variable: object) -> str:
    name = variable.value if isinstance(variable, ox.Variable) else str(variable).lstrip("?$")
    if not _VARNAME.fullmatch(name):
        raise ParameterError(f"Not a valid SPARQL variable name: {name!r}.")
    return name


def values_block(bindings: Mapping[object, object]) -> str:
    """`VALUES (?a ?b) { (<x> "y") }` for one row of bindings.

    >>> values_block({ox.Variable("_city_iri"): ox.NamedNode("https://example.org/c")})
    'VALUES (?_city_iri) { (<https://example.org/c>) }'
    """
    names = " ".join(f"?{_variable_name(v)}" for v in bindings)
    terms = " ".join(sparql_term(t) for t in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def _tokens(text: str):
    """(kind, value, start, end) for every token but spaces and comments (`innovgraph.lexer`,
    the lexer the server's guard reads queries with)."""
    return tokens(text)


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK; None for an update or something unrecognised.

    >>> query_form("PREFIX ex: <http://ex/select#> # ASK\\nconstruct WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    for kind, value, _, _ in _tokens(text):
        if kind == "word" and value.upper() in QUERY_FORMS:
            return value.upper()
        if kind == "word" and value.upper() not in ("PREFIX", "BASE"):
            return None
    return None


def where_group_offset(text: str) -> int:
    """Offset just after the `{` that opens the query's outermost WHERE group.

    :raises QuerySyntaxError: no query form or WHERE group could be found.
    """
    form, depth, parens, template_done = None, 0, 0, False
    for kind, value, start, end in _tokens(text):
        upper = value.upper() if kind == "word" else None
        if form is None:
            if upper in QUERY_FORMS:
                form = upper
            continue
        if kind == "punct" and value == "(":
            parens += 1
        elif kind == "punct" and value == ")":
            parens -= 1
        elif upper == "WHERE" and depth == 0 and parens == 0:
            template_done = True  # the next top-level `{` is the WHERE group
        elif kind == "punct" and value == "{":
            if depth == 0 and parens == 0 and (form != "CONSTRUCT" or template_done):
                return end
            depth += 1
        elif kind == "punct" and value == "}":
            depth -= 1
            if depth == 0 and form == "CONSTRUCT":
                template_done = True  # CONSTRUCT { template } WHERE? { pattern }
    raise QuerySyntaxError("SPARQL syntax error: no WHERE { ... } group to bind parameters into.")


def bind_block(bindings: Mapping[object, object]) -> str:
    """`BIND(<x> AS ?a) BIND("y" AS ?b)` for one row of bindings.

    >>> bind_block({ox.Variable("_city_iri"): ox.NamedNode("https://example.org/c")})
    'BIND(<https://example.org/c> AS ?_city_iri)'
    """
    return " ".join(f"BIND({sparql_term(t)} AS ?{_variable_name(v)})" for v, t in bindings.items())


def bind_into_text(query_text: str, bindings: Mapping[object, object] | None, *,
                   form: str = "bind") -> str:
    """The query with `bindings` ({Variable: term}) opening its outermost WHERE group.

    `form` is "bind" (BIND per variable, the default) or "values" (one VALUES block).

    >>> q = "SELECT ?name WHERE { ?city <https://schema.org/name> ?name }"
    >>> print(bind_into_text(q, {ox.Variable("name"): ox.Literal('} ; DROP ALL ; #')}))
    SELECT ?name WHERE { BIND("} ; DROP ALL ; #" AS ?name) ?city <https://schema.org/name> ?name }
    >>> print(bind_into_text(q, {ox.Variable("name"): ox.Literal('x')}, form="values"))
    SELECT ?name WHERE { VALUES (?name) { ("x") } ?city <https://schema.org/name> ?name }

    :raises ParameterError: a term that cannot be written safely (see `sparql_term`).
    :raises QuerySyntaxError: the text has no WHERE group.
    """
    if not bindings:
        return query_text
    if form not in ("bind", "values"):
        raise ValueError(f"form must be 'bind' or 'values', not {form!r}")
    # Every term is checked before the text is looked at.
    block = bind_block(bindings) if form == "bind" else values_block(bindings)
    offset = where_group_offset(query_text)
    return f"{query_text[:offset]} {block}{query_text[offset:]}"
