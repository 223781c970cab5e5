"""Query-time inference: an OWL 2 RL materialisation, computed once per content and cached.

The DL reasoner (`innovgraph.reasoning`) answers "is the graph consistent?"; queries need
something else: the inferred triples themselves, available to SPARQL without a reasoner in
the loop. This module computes the OWL 2 RL closure (which includes RDFS) of ontology +
vocabularies + records, keeps only what is new and useful, and caches it as N-Triples under
`<project>/.innovgraph-cache/inferred/<content hash>.nt`.

The inferred triples are never mixed into the asserted ones: the store loads them into their
own named graph, `INFERRED_GRAPH`, and a query asks for them explicitly with
`GRAPH <https://w3id.org/innovgraph/graph/inferred> { ... }`.

The closure is computed by `innovgraph.inference.rules`: the OWL 2 RL rules as SPARQL updates
that pyoxigraph runs semi-naively to a fixpoint. It replaced owlrl (now only the reference
that tests/test_inference_rules.py compares against), which is pure Python and superlinear: 4.5 s for the
shipped 4,400 triples, ~47 s for 20,000. `reasonable` (the Rust OWL 2 RL engine) was no
option either: it does not apply property chains (prp-spo2), so it infers neither
ig:holdsPost nor the ig:Mayor / ig:InnovationOfficer types that queries need.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal

from ..cache import atomic_write, cache_dir, prune
from ..namespaces import INFERRED_GRAPH, OWN_NAMESPACES
from ..project import Project
from ..sources import read_triples
from ..terms import TermConverter

__all__ = ["INFERRED_GRAPH", "compute", "inferred_graph_path", "materialise"]

# Vocabulary whose own description a reasoner restates (rdf:type rdf:Property, ...): noise.
_META_NAMESPACES = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                    "http://www.w3.org/2000/01/rdf-schema#",
                    "http://www.w3.org/2002/07/owl#",
                    "http://www.w3.org/2001/XMLSchema#",
                    "http://www.daml.org/2002/03/agents/agent-ont#")
# Sets, not tuples: `in` then hashes once instead of calling rdflib's __eq__ per member.
_REFLEXIVE = frozenset((OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf,
                        RDFS.subPropertyOf))
_TRIVIAL_TYPES = frozenset((OWL.Thing, RDFS.Resource, OWL.NamedIndividual))
_SCHEMA_LINKS = frozenset((RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf,
                           OWL.equivalentProperty))
_TYPE = RDF.type


def useful(triple: tuple) -> bool:
    s, p, o = triple
    if isinstance(s, (Literal, BNode)) or isinstance(p, BNode) or isinstance(o, BNode):
        return False  # statements about literals, and restriction / list internals
    # str(): rdflib's URIRef.startswith does not take a tuple of prefixes
    if str(s).startswith(_META_NAMESPACES) or str(p).startswith(_META_NAMESPACES[-1]):
        return False
    if p in _REFLEXIVE and s == o:
        return False
    if p == _TYPE:
        return o not in _TRIVIAL_TYPES
    return not (p in _SCHEMA_LINKS and str(o).startswith(_META_NAMESPACES))


def compute(graph: Graph | Iterable[tuple]) -> Graph:
    """The OWL 2 RL closure of `graph`, minus `graph` itself and minus noise.

    Computed by `innovgraph.inference.rules` (the OWL 2 RL rules as SPARQL updates on pyoxigraph, run
    semi-naively to a fixpoint); it gives the same triples as owlrl, many times faster.

    Noise: statements about literals or about RDF/RDFS/OWL/XSD terms, reflexive sameAs /
    subClassOf / equivalences, types owl:Thing and rdfs:Resource, and anything about
    blank nodes (class expressions, lists).
    """
    # The rule table takes a few milliseconds to build: only commands that infer pay for it.
    from .rules import infer

    return _result(triple for triple in infer(graph) if useful(triple))


def _result(triples) -> Graph:
    inferred = Graph()
    for prefix, ns in OWN_NAMESPACES.items():
        inferred.bind(prefix, ns, override=True)
    for triple in triples:
        inferred.add(triple)
    return inferred


def _cache_path(project: Project) -> Path:
    return cache_dir(project, "inferred", f"{project.graph_hash()}.nt")


def inferred_graph_path(project: Project) -> Path:
    """The N-Triples file of the project's inferred triples, computed first if not cached.

    The name is the project's content hash, so any edit to a source file gives a new file.
    """
    path = _cache_path(project)
    if not path.is_file():
        _write(project, path, compute(asserted_triples(project)))
    return path


def materialise(project: Project, *, use_cache: bool = True) -> Graph:
    """The inferred triples only (asserted ones left out), from the cache when it is fresh.

    :raises RecordSyntaxError: a source file is not valid Turtle.
    """
    if use_cache:
        graph = Graph().parse(inferred_graph_path(project), format="nt")
        for prefix, ns in OWN_NAMESPACES.items():
            graph.bind(prefix, ns, override=True)
        return graph
    return compute(asserted_triples(project))


def asserted_triples(project: Project) -> list[tuple]:
    """The asserted triples as rdflib terms, parsed by pyoxigraph (about 25 times faster than
    rdflib's Turtle parser: 190 s at 10,000 cities otherwise). Literals keep their lexical
    form (the parser, unlike the store, does not canonicalise them).

    :raises RecordSyntaxError: a source file is not valid Turtle (rdflib's file:line:col).
    """
    rdf = TermConverter().rdf
    triples: list[tuple] = []
    for _, parsed in read_triples([*project.ontology_files, *project.data_files], project=project):
        triples += [(rdf(t.subject), rdf(t.predicate), rdf(t.object)) for t in parsed]
    return triples


def _write(project: Project, path: Path, graph: Graph) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: graph.serialize(tmp, format="nt", encoding="utf-8"))
    # Older content is never read again.
    prune(path.parent, keep=lambda name: name == path.name or name.startswith("building-")
          or not name.endswith(".nt"))
