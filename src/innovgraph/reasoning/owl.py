"""The graph as owlready2 reads it, and one run of HermiT or Pellet over it.

owlready2 reads N-Triples, not Turtle, and only what the OWL 2 datatype map allows, so the
graph is converted first: owl:imports are removed, so nothing is ever fetched, and literals
whose datatype is outside the map are converted (xsd:gYear -> xsd:integer, xsd:date ->
xsd:dateTime) or left out, except in annotations, which the reasoner ignores.

A run reports consistency, unsatisfiable classes, the members of the classes asked for, and
the inferred triples (types, property values, subclass and equivalence axioms) as an rdflib
Graph kept apart from the asserted triples. This is the one module that imports owlready2.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, XSD, BNode, Graph, Literal, URIRef  # noqa: F401  (URIRef: doctest)
from rdflib.term import Node

from ..errors import ReasonerError
from ..namespaces import BUILTIN_ANNOTATIONS, OWL2_DATATYPES, OWN_NAMESPACES
from ..terms import show
from .java import java_for, java_message, offline_java


def annotation_properties(graph: Graph) -> set[Node]:
    return set(graph.subjects(RDF.type, OWL.AnnotationProperty)) | BUILTIN_ANNOTATIONS


def convert_for_owl(graph: Graph) -> tuple[Graph, list[str]]:
    """A copy of `graph` that owlready2 and the DL reasoners accept, and notes on what changed.

    owl:imports are dropped; literals outside the OWL 2 datatype map are converted or dropped
    unless they are annotation values.

    >>> g = Graph()
    >>> s, p = URIRef("http://example.org/s"), URIRef("http://example.org/year")
    >>> _ = g.add((s, p, Literal("2019", datatype=XSD.gYear)))
    >>> _ = g.add((s, OWL.imports, URIRef("http://example.org/other")))
    >>> out, notes = convert_for_owl(g)
    >>> sorted(out)  # doctest: +NORMALIZE_WHITESPACE
    [(rdflib.term.URIRef('http://example.org/s'), rdflib.term.URIRef('http://example.org/year'),
      rdflib.term.Literal('2019', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')))]
    >>> notes
    ['1 owl:imports removed (nothing is fetched)', '1 xsd:gYear value of <http://example.org/year> read as xsd:integer']
    """
    out = Graph()
    annotations = annotation_properties(graph)
    changed: Counter = Counter()
    for s, p, o in graph:
        if p == OWL.imports:
            changed[("owl:imports", None, "removed")] += 1
            continue
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES \
                and p not in annotations:
            converted = _convert_literal(o)
            changed[(show(o.datatype, turtle=True), show(p, turtle=True),
                     "dropped" if converted is None else f"read as {show(converted.datatype, turtle=True)}")] += 1
            if converted is None:
                continue
            o = converted
        out.add((s, p, o))
    notes = []
    for (what, prop, action), n in sorted(changed.items(), key=lambda kv: (kv[0][1] or "", kv[0][0])):
        if prop is None:
            notes.append(f"{n} {what} {action} (nothing is fetched)")
        else:
            notes.append(f"{n} {what} value{'s' if n != 1 else ''} of {prop} {action}")
    return out, notes


def _convert_literal(lit: Literal) -> Literal | None:
    text = str(lit).strip()
    if lit.datatype == XSD.gYear and re.fullmatch(r"-?\d{4,}", text):
        return Literal(text, datatype=XSD.integer)
    if lit.datatype == XSD.date and re.fullmatch(r"-?\d{4,}-\d\d-\d\d", text):
        return Literal(text + "T00:00:00", datatype=XSD.dateTime)
    return None


@dataclass
class _Run:
    consistent: bool
    unsatisfiable: list[str]
    members: dict[str, list[str]]
    inferred: Graph
    message: str = ""


def run_reasoner(graph: Graph, reasoner: str, classes: Sequence[str] = (),
                 keep_nt: Path | None = None) -> _Run:
    """Run one reasoner over an already converted graph.

    Callers in this package call it as `owl.run_reasoner`, so that a test can replace it in
    one place.
    """
    # Imported here, not at the top: owlready2 is slow to import, and only a run needs it.
    import owlready2

    exe, _ = java_for(reasoner)
    owlready2.JAVA_EXE = exe
    with tempfile.TemporaryDirectory(prefix="innovgraph-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        if keep_nt is not None:
            shutil.copyfile(path, keep_nt)
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(only_local=True)
            try:
                with offline_java():
                    # No `with onto:`: inferred facts go to owlready2's separate
                    # "http://inferrences/" ontology, which keeps them apart from the asserted.
                    if reasoner == "pellet":
                        owlready2.sync_reasoner_pellet(world, infer_property_values=True,
                                                       infer_data_property_values=True, debug=0)
                    else:
                        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError as exc:
                return _Run(False, [], {}, Graph(), java_message(exc) if str(exc).strip() else "")
            except owlready2.OwlReadyJavaError as exc:
                raise ReasonerError(f"{reasoner.capitalize()} failed: {java_message(exc)}") from None
            unsat = sorted(c.iri for c in world.inconsistent_classes()
                           if not c.iri.startswith(str(OWL)))
            members = {}
            for iri in classes:
                cls = world[iri]
                members[iri] = sorted(i.iri for i in cls.instances()) if cls is not None else []
            inferred_path = Path(tmp) / "inferred.nt"
            world.get_ontology("http://inferrences/").save(str(inferred_path), format="ntriples")
            inferred = Graph().parse(inferred_path, format="nt")
        finally:
            world.close()
    inferred -= graph  # only what the reasoner added
    for triple in list(inferred):
        if isinstance(triple[0], BNode) or str(triple[0]).startswith("http://inferrences") \
                or (triple[1] == RDF.type and triple[2] in (OWL.NamedIndividual, OWL.Thing)):
            inferred.remove(triple)
    return _Run(True, unsat, members, inferred)


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes, so the inferred triples read as ig:, id:, ... in Turtle."""
    for prefix, ns in OWN_NAMESPACES.items():
        graph.bind(prefix, ns, override=True)
