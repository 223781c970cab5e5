"""A structural check of the main OWL 2 DL restrictions, reported as (entity, property, value).

Not a full OWL 2 DL profile validator (that needs the OWL API's parser); it checks, over the
RDF graph, the restrictions that can be checked reliably from triples and that hand-edited
Turtle actually breaks:

- every class and property used is declared (typed owl:Class, owl:ObjectProperty,
  owl:DatatypeProperty or owl:AnnotationProperty), and no IRI is left untyped in a
  property or class position;
- no IRI is both an object and a datatype property, or both a logical and an annotation
  property, or both a class and a datatype;
- object properties take IRIs or blank nodes, datatype properties take literals;
- annotation properties appear in no logical axiom (restrictions, chains, inverses,
  characteristics, sub-/equivalent properties with non-annotation properties);
- literals of non-annotation properties, and datatype-property ranges, use the OWL 2
  datatype map (xsd:gYear and xsd:date are outside it);
- non-simple properties (with a property chain, transitive, or a super-property or inverse of
  one) are not functional, inverse-functional, irreflexive or asymmetric, nor used in
  cardinality or self restrictions, nor in property disjointness;
- the reserved vocabulary (rdf:, rdfs:, owl:, xsd:) is not redefined, and RDFS-only
  typing (rdfs:Class, rdf:Property) is not used in place of OWL declarations.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..namespaces import BUILTIN_ANNOTATIONS, OWL2_DATATYPES
from ..terms import show

RESERVED = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")

# Predicates of the OWL 2 RDF mapping and RDF(S) that are part of the language, not properties
# a graph must declare.
# (Everything in the rdf:, rdfs:, owl: and xsd: namespaces also counts as built in.)
_BUILTIN_PREDICATES = BUILTIN_ANNOTATIONS
_CARDINALITY = (OWL.cardinality, OWL.minCardinality, OWL.maxCardinality,
                OWL.qualifiedCardinality, OWL.minQualifiedCardinality, OWL.maxQualifiedCardinality)
_SIMPLE_ONLY_TYPES = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                      OWL.IrreflexiveProperty, OWL.AsymmetricProperty)
_BUILTIN_CLASSES = frozenset([OWL.Thing, OWL.Nothing])

Row = tuple[Node, Node, Node | str]


def _reserved(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(RESERVED)


def check(graph: Graph) -> list[Row]:
    """(entity, property, value) for each problem found; empty when none."""
    return sorted(set(_check(graph)), key=lambda r: (str(r[0]), str(r[1]), str(r[2])))


def _check(g: Graph) -> Iterator[Row]:
    classes = set(g.subjects(RDF.type, OWL.Class)) | _BUILTIN_CLASSES
    datatypes = set(g.subjects(RDF.type, RDFS.Datatype)) | OWL2_DATATYPES
    obj = set(g.subjects(RDF.type, OWL.ObjectProperty))
    data = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    ann = set(g.subjects(RDF.type, OWL.AnnotationProperty)) | BUILTIN_ANNOTATIONS
    declared_props = obj | data | ann

    # Punning that OWL 2 DL forbids.
    for iri in sorted(obj & data):
        yield iri, RDF.type, "both owl:ObjectProperty and owl:DatatypeProperty"
    for iri in sorted((obj | data) & (ann - BUILTIN_ANNOTATIONS)):
        yield iri, RDF.type, "both an annotation property and an object or datatype property"
    for iri in sorted((classes - _BUILTIN_CLASSES) & (datatypes - OWL2_DATATYPES)):
        yield iri, RDF.type, "both owl:Class and rdfs:Datatype"

    # RDFS-only declarations, and the reserved vocabulary redefined.
    for s, o in g.subject_objects(RDF.type):
        if o in (RDFS.Class, RDF.Property):
            yield s, RDF.type, f"{_n(o)} is not an OWL 2 DL declaration; use owl:Class or an OWL property type"
    for s, p, o in g:
        if _reserved(s) and p != RDF.type:
            yield s, p, "the reserved vocabulary (rdf:, rdfs:, owl:, xsd:) must not be given axioms"
        elif _reserved(s) and p == RDF.type and not _reserved(o):
            yield s, p, "the reserved vocabulary (rdf:, rdfs:, owl:, xsd:) must not be redeclared"

    # Every property used is declared; values of the right kind.
    for s, p, o in g:
        if p in _BUILTIN_PREDICATES or _reserved(p):
            continue
        if p not in declared_props:
            yield s, p, "property used but not declared (owl:ObjectProperty, owl:DatatypeProperty or owl:AnnotationProperty)"
            continue
        if p in obj and isinstance(o, Literal):
            yield s, p, f"object property with a literal value {o.n3()}"
        if p in data and not isinstance(o, Literal):
            yield s, p, f"datatype property with a non-literal value {_n(o)}"
        if p not in ann and isinstance(o, Literal) and o.datatype is not None \
                and o.datatype not in datatypes:
            yield s, p, f"datatype {_n(o.datatype)} is outside the OWL 2 datatype map"

    # Every class used is declared.
    class_positions = [(RDF.type, "o"), (RDFS.subClassOf, "so"), (OWL.equivalentClass, "so"),
                       (OWL.disjointWith, "so"), (OWL.complementOf, "o")]
    for pred, where in class_positions:
        for s, o in g.subject_objects(pred):
            candidates = ([s] if "s" in where else []) + ([o] if "o" in where else [])
            for c in candidates:
                if not isinstance(c, URIRef) or c in classes or c in datatypes or _reserved(c):
                    continue
                if pred == RDF.type:
                    yield s, pred, f"{_n(c)} is used as a class but not declared owl:Class"
                else:
                    yield c, pred, "used as a class but not declared owl:Class"
    for prop in obj | data:
        for rng in g.objects(prop, RDFS.range):
            if prop in obj and isinstance(rng, URIRef) and rng not in classes:
                yield prop, RDFS.range, f"{_n(rng)} is not a declared class"
            if prop in data and isinstance(rng, URIRef) and rng not in datatypes:
                yield prop, RDFS.range, f"{_n(rng)} is outside the OWL 2 datatype map"
        for dom in g.objects(prop, RDFS.domain):
            if isinstance(dom, URIRef) and dom not in classes:
                yield prop, RDFS.domain, f"{_n(dom)} is not a declared class"
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        for member in _list(g, g.value(node, OWL.members)):
            if isinstance(member, URIRef) and member not in classes:
                yield member, OWL.members, "used as a class but not declared owl:Class"

    # Annotation properties stay out of logical axioms.
    logical_uses = [(OWL.onProperty, "o"), (OWL.inverseOf, "so"), (OWL.propertyDisjointWith, "so"),
                    (OWL.equivalentProperty, "so")]
    for pred, where in logical_uses:
        for s, o in g.subject_objects(pred):
            for c in ([s] if "s" in where else []) + ([o] if "o" in where else []):
                if c in ann and c not in obj and c not in data:
                    yield c, pred, "an annotation property used in a logical axiom"
    for s, chain in g.subject_objects(OWL.propertyChainAxiom):
        for c in [s, *_list(g, chain)]:
            if c in ann and c not in obj:
                yield c, OWL.propertyChainAxiom, "an annotation property used in a property chain"
    for kind in (*_SIMPLE_ONLY_TYPES, OWL.TransitiveProperty, OWL.SymmetricProperty,
                 OWL.ReflexiveProperty):
        for p in g.subjects(RDF.type, kind):
            if p in ann and p not in obj and p not in data:
                yield p, RDF.type, f"an annotation property cannot be {_n(kind)}"
    for s, o in g.subject_objects(RDFS.subPropertyOf):
        if (s in ann) != (o in ann) and not (s in obj | data and o in obj | data):
            yield s, RDFS.subPropertyOf, f"mixes an annotation property with a logical one ({_n(o)})"

    # Non-simple properties in places that need simple ones.
    nonsimple = _non_simple(g)
    for kind in _SIMPLE_ONLY_TYPES:
        for p in g.subjects(RDF.type, kind):
            if p in nonsimple:
                yield p, RDF.type, f"non-simple property (chain or transitive) declared {_n(kind)}"
    for restriction in set(g.subjects(OWL.onProperty, None)):
        p = g.value(restriction, OWL.onProperty)
        if p in nonsimple and (any(g.value(restriction, c) is not None for c in _CARDINALITY)
                               or g.value(restriction, OWL.hasSelf) is not None):
            yield p, OWL.onProperty, "non-simple property (chain or transitive) in a cardinality or self restriction"
    for s, o in g.subject_objects(OWL.propertyDisjointWith):
        for c in (s, o):
            if c in nonsimple:
                yield c, OWL.propertyDisjointWith, "non-simple property (chain or transitive) in a property disjointness"


def _non_simple(g: Graph) -> set[Node]:
    """Properties with a chain or transitive, closed under super-properties and inverses."""
    found = set(g.subjects(OWL.propertyChainAxiom, None)) | set(g.subjects(RDF.type, OWL.TransitiveProperty))
    changed = True
    while changed:
        changed = False
        for p in list(found):
            for nxt in list(g.objects(p, RDFS.subPropertyOf)) + list(g.objects(p, OWL.inverseOf)) \
                    + list(g.subjects(OWL.inverseOf, p)) + list(g.objects(p, OWL.equivalentProperty)) \
                    + list(g.subjects(OWL.equivalentProperty, p)):
                if isinstance(nxt, URIRef) and nxt not in found:
                    found.add(nxt)
                    changed = True
    return found


def _list(g: Graph, head: Node | None) -> list[Node]:
    if head is None:
        return []
    try:
        return list(Collection(g, head))
    except Exception:
        return []


def _n(node: Node) -> str:
    return show(node, turtle=True)
