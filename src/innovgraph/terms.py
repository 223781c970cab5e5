"""Terms as people read them (`show`, the one display rule; `local_name`, the last segment
of an IRI), and pyoxigraph <-> rdflib terms, converted once each.

pyoxigraph parses and queries fast; pyshacl and the OWL tooling want rdflib terms. Large
graphs repeat the same IRIs many times, so conversions are memoised both ways.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import IGSH, PREFIXES, XSD_STRING

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _namespace_manager():
    # A throwaway graph carries rdflib's well-known prefixes (sh, dcat, void, ...), bound
    # after the project's own table so that ours win where both name a namespace.
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph.namespace_manager


_NSM = _namespace_manager()


def show(term: Term | Node | None, *, turtle: bool = False) -> str:
    """A term as people read it, whether pyoxigraph's or rdflib's: the one display rule of
    tables, pages and reports.

    An IRI is `prefix:local` with the project's prefixes (`namespaces.PREFIXES`, local
    parts with '/' included), else with rdflib's well-known ones (sh:, dcat:, void:), else
    `<iri>`; a blank node `_:id`; '' when unbound. A literal is its value, or with `turtle`
    (reports, where the datatype matters) in Turtle's short form.

    >>> show(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-testville"))
    'id:city/fictional-testville'
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
        return term._literal_n3(use_plain=True, qname_callback=_NSM.normalizeUri)
    return str(term)


def _iri(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        # rdflib refuses prefixed names with '/' in the local part; we want them anyway.
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    try:
        shown = _NSM.normalizeUri(URIRef(iri))
    except Exception:  # rdflib raises assorted errors on IRIs it cannot split
        return f"<{iri}>"
    return shown if not shown.startswith("<") else f"<{iri}>"


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
