"""Namespaces and the IRI-minting rules of docs/model.md."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Graph, Literal, Namespace
from rdflib.term import Node, URIRef

IG = Namespace("https://w3id.org/innovgraph/ontology#")
IGV = Namespace("https://w3id.org/innovgraph/vocab/")
ID = Namespace("https://w3id.org/innovgraph/id/")
IGSH = Namespace("https://w3id.org/innovgraph/shapes#")

PREFIXES = {"ig": IG, "igv": IGV, "id": ID, "igsh": IGSH}

_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Latin letters that NFKD does not decompose; without this "Łódź" would lose its first letter.
_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                           "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "þ": "th"})


def slugify(label: str) -> str:
    """Turn a printed label into the slug used in concept and data IRIs.

    >>> slugify("Sociologist / Political Scientist")
    'sociologist-political-scientist'
    >>> slugify("Research & Development")
    'research-and-development'
    >>> slugify("  São Paulo (BRA) ")
    'sao-paulo-bra'
    >>> slugify("Łódź—Straße’s café")
    'lodz-strasse-s-cafe'
    >>> slugify("---")
    ''
    """
    # NFKD splits accented letters into base + combining mark; dropping the marks keeps the base.
    # Any other non-ASCII character (dashes, curly quotes) then counts as a separator rather than
    # vanishing, so "a—b" gives "a-b", not "ab".
    decomposed = unicodedata.normalize("NFKD", label.translate(_TRANSLIT))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = folded.lower().replace("&", " and ")
    return _NON_SLUG.sub("-", lowered).strip("-")


def _namespace_manager():
    # A throwaway graph carries rdflib's default prefixes (rdf, rdfs, owl, skos, sh, ...).
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph.namespace_manager


_NSM = _namespace_manager()


def shorten(term: Node | None) -> str:
    """Render a term compactly for humans: prefixed name when a known prefix fits.

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
        for prefix, ns in PREFIXES.items():
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


def local_name(term: Node | None) -> str:
    """The part after the last '#' or '/', e.g. a shape's name.

    >>> local_name(IGSH["CityShape-name"])
    'CityShape-name'
    """
    if term is None:
        return ""
    text = str(term)
    return re.split(r"[#/]", text)[-1] if isinstance(term, URIRef) else text
