"""pyoxigraph <-> rdflib terms, converted once each.

pyoxigraph parses and queries fast; pyshacl and the OWL tooling want rdflib terms. Large
graphs repeat the same IRIs many times, so conversions are memoised both ways.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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
