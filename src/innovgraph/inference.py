"""Query-time inference: an OWL 2 RL materialisation, computed once per content and cached.

The DL reasoner (`innovgraph.reasoning`) answers "is the graph consistent?"; queries need
something else: the inferred triples themselves, available to SPARQL without a reasoner in
the loop. This module computes the OWL 2 RL closure (which includes RDFS) of ontology +
vocabularies + records, keeps only what is new and useful, and caches it as N-Triples under
`<project>/.innovgraph-cache/inferred/<content hash>.nt`.

The inferred triples are never mixed into the asserted ones: the store loads them into their
own named graph, `INFERRED_GRAPH`, and a query asks for them explicitly with
`GRAPH <https://w3id.org/innovgraph/graph/inferred> { ... }`.

The closure is computed by `innovgraph.rules`: the OWL 2 RL rules as SPARQL updates that
pyoxigraph runs semi-naively to a fixpoint. It replaced owlrl (kept as `compute_owlrl`, the
reference the tests compare against), which is pure Python and superlinear: 4.5 s for the
shipped 4,400 triples, ~47 s for 20,000. `reasonable` (the Rust OWL 2 RL engine) was no
option either: it does not apply property chains (prp-spo2), so it infers neither
ig:holdsPost nor the ig:Mayor / ig:InnovationOfficer types that queries need.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from .iris import PREFIXES
from .project import Project

INFERRED_GRAPH = "https://w3id.org/innovgraph/graph/inferred"
CACHE_DIR = ".innovgraph-cache"

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


@dataclass
class MaterialisationStats:
    asserted: int
    inferred: int
    seconds: float
    cached: bool


def _useful(triple: tuple) -> bool:
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

    Computed by `innovgraph.rules` (the OWL 2 RL rules as SPARQL updates on pyoxigraph, run
    semi-naively to a fixpoint); it gives the same triples as `compute_owlrl`, many times
    faster.

    Noise: statements about literals or about RDF/RDFS/OWL/XSD terms, reflexive sameAs /
    subClassOf / equivalences, types owl:Thing and rdfs:Resource, and anything about
    blank nodes (class expressions, lists).
    """
    from .rules import infer

    return _result(triple for triple in infer(graph) if _useful(triple))


def compute_owlrl(graph: Graph) -> Graph:
    """`compute` with owlrl, the reference implementation (slow: minutes at 20,000 triples);
    kept to check `innovgraph.rules` against and as a fallback."""
    import owlrl

    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    return _result(triple for triple in closure if triple not in graph and _useful(triple))


def _result(triples) -> Graph:
    inferred = Graph()
    for prefix, ns in PREFIXES.items():
        inferred.bind(prefix, ns, override=True)
    for triple in triples:
        inferred.add(triple)
    return inferred


def _cache_path(project: Project) -> Path:
    return project.root / CACHE_DIR / "inferred" / f"{project.graph_hash()}.nt"


def inferred_graph_path(project: Project) -> Path:
    """The N-Triples file of the project's inferred triples, computed first if not cached.

    The name is the project's content hash, so any edit to a source file gives a new file.
    """
    path = _cache_path(project)
    if not path.is_file():
        _write(project, path, compute(_asserted_triples(project)))
    return path


def materialise(project: Project, *, use_cache: bool = True) -> Graph:
    """The inferred triples only (asserted ones left out), from the cache when it is fresh.

    :raises RecordSyntaxError: a source file is not valid Turtle.
    """
    if use_cache:
        graph = Graph().parse(inferred_graph_path(project), format="nt")
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True)
        return graph
    return compute(_asserted_triples(project))


def materialise_with_stats(project: Project) -> tuple[Graph, MaterialisationStats]:
    """Recompute (ignoring the cache), store in the cache, and say how long it took."""
    asserted = _asserted_triples(project)
    started = time.perf_counter()
    inferred = compute(asserted)
    seconds = time.perf_counter() - started
    _write(project, _cache_path(project), inferred)
    return inferred, MaterialisationStats(len(set(asserted)), len(inferred), seconds, cached=False)


def _asserted_triples(project: Project) -> list[tuple]:
    """The asserted triples as rdflib terms, parsed by pyoxigraph (about 25 times faster than
    rdflib's Turtle parser: 190 s at 10,000 cities otherwise). Literals keep their lexical
    form (the parser, unlike the store, does not canonicalise them).

    :raises RecordSyntaxError: a source file is not valid Turtle (rdflib's file:line:col).
    """
    import pyoxigraph as ox

    from .loading import parse_file
    from .terms import TermConverter

    rdf = TermConverter().rdf
    triples: list[tuple] = []
    for path in [*project.ontology_files, *project.data_files]:
        try:
            parsed = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE,
                                   base_iri=path.resolve().as_uri()))
        except SyntaxError:
            parse_file(path, project=project)  # raises the same error `validate` reports
            raise
        triples += [(rdf(t.subject), rdf(t.predicate), rdf(t.object)) for t in parsed]
    return triples


def _write(project: Project, path: Path, graph: Graph) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary sibling and renamed, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(prefix="building-", suffix=".nt", dir=path.parent)
    os.close(fd)
    try:
        graph.serialize(tmp, format="nt", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for old in path.parent.glob("*.nt"):  # older content is never read again
        if old != path and not old.name.startswith("building-"):
            old.unlink(missing_ok=True)


def inferred_types(graph: Graph, cls: URIRef) -> list[URIRef]:
    """Subjects the inferred graph types with `cls`, sorted (a convenience for tests)."""
    return sorted(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef))
