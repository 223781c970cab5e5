"""Terms as people read them, and pyoxigraph <-> rdflib terms, converted once each.

`compact` shows a pyoxigraph term (query results), `shorten` an rdflib term (validation and
reasoning reports), `shorten_ox` a pyoxigraph term as `shorten` would (QC reports),
`local_name` the last segment of an IRI.

pyoxigraph parses and queries fast; pyshacl and the OWL tooling want rdflib terms. Large
graphs repeat the same IRIs many times, so conversions are memoised both ways.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import ID, IGSH, OWN_NAMESPACES, PREFIXES, XSD_STRING

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def compact(term: Term | None) -> str:
    """A term as people read it: prefixed IRI, literal value, '' when unbound.

    >>> compact(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-testville"))
    'id:city/fictional-testville'
    >>> compact(ox.Literal("12", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
    '12'
    >>> compact(ox.NamedNode("http://example.org/x")), compact(None)
    ('<http://example.org/x>', '')
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _namespace_manager():
    # A throwaway graph carries rdflib's default prefixes (rdf, rdfs, owl, skos, sh, ...).
    graph = Graph()
    for prefix, ns in OWN_NAMESPACES.items():
        graph.bind(prefix, ns, override=True)
    return graph.namespace_manager


_NSM = _namespace_manager()


def shorten(term: Node | None) -> str:
    """Render an rdflib term compactly for humans: prefixed name when a known prefix fits.

    >>> shorten(ID["city/fictional-testville"])
    'id:city/fictional-testville'
    >>> shorten(URIRef("http://example.org/x"))
    '<http://example.org/x>'
    >>> from rdflib import XSD
    >>> shorten(Literal(-5)), shorten(Literal("2019", datatype=XSD.gYear))
    ('-5', '"2019"^^xsd:gYear')
    >>> shorten(None)
    ''
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in OWN_NAMESPACES.items():
            # rdflib refuses prefixed names with '/' in the local part; we want them anyway.
            if str(term).startswith(str(ns)) and len(term) > len(ns):
                return f"{prefix}:{term[len(ns):]}"
        try:
            return _NSM.normalizeUri(term)
        except Exception:  # rdflib raises assorted errors on IRIs it cannot split
            return f"<{term}>"
    if isinstance(term, Literal):
        # Turtle's short forms (-5, true, 1.5) read better than "-5"^^xsd:integer.
        return term._literal_n3(use_plain=True, qname_callback=_NSM.normalizeUri)
    return term.n3(_NSM)


def shorten_ox(term: Term | None) -> str:
    """A pyoxigraph term as a QC report cell: an IRI as `shorten` shows it, a literal as its
    value, '' when unbound.

    >>> shorten_ox(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-testville"))
    'id:city/fictional-testville'
    >>> shorten_ox(ox.Literal("2019", datatype=ox.NamedNode(PREFIXES["xsd"] + "gYear")))
    '2019'
    >>> shorten_ox(ox.BlankNode("b0")), shorten_ox(None)
    ('_:b0', '')
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(URIRef(term.value))
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


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
