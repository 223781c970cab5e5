"""OWL 2 RL forward chaining on pyoxigraph: the rules as SPARQL updates, run to a fixpoint.

`innovgraph.inference` used owlrl, which is pure Python and superlinear (4.5 s for 4,400
triples, ~47 s for 20,000). Here the same rules (the triple-producing rules of the OWL 2 RL
profile, as owlrl implements them) are SPARQL `INSERT ... WHERE` updates evaluated by
pyoxigraph, semi-naively:

* the default graph of the store holds everything known (asserted + derived so far);
* round 1 evaluates every rule over the whole graph;
* every later round evaluates each rule once per body atom, with that atom matched only in
  DELTA (the triples that were new in the previous round) and the other atoms in the default
  graph, so a round costs in proportion to what changed, not to the graph;
* a derived triple is inserted only if it is not known yet, into the default graph and into
  the graph of the round (the next round's DELTA); a round that derives nothing ends it.

The rules read triples written earlier in the same round (Gauss-Seidel), which only saves
rounds: anything written goes to the round's graph too, so it is matched as DELTA in the next
round.

Not materialised, as their triples never reach the result (`inference._useful` drops them)
and no other rule needs them: eq-ref (x owl:sameAs x for every term), prp-ap and dt-type1
(typing of the RDF/RDFS/OWL/XSD vocabulary), dt-eq / dt-diff / dt-not-type (owlrl skips them
too), and the consistency checks (cax-dw, cax-adc, cls-nothing2, prp-irp, ...), which owlrl
reports as error-message blank nodes. Everything else of OWL 2 RL's triple-producing rules is
here: schema (scm-*), classes (cls-*, cax-*), properties (prp-*), equality (eq-sym, eq-trans,
eq-rep-*).

Literals. pyoxigraph stores literals canonically ("1.00"^^xsd:decimal comes back as "1") and
cannot hold a literal as a subject, while owlrl (rdflib) keeps the lexical form and does
derive triples about literals (prp-rng types a value, prp-fp equates two values). `infer`
therefore stands each distinct literal in for an IRI of its own (urn:x-innovgraph:literal:N)
while reasoning and maps it back afterwards, so literals keep their exact form and the rules
treat them as owlrl does; dt-type2 (a literal is a member of its datatype and of the
datatypes above it) is added for those stand-ins. `closure` also works on a store with real
literals; then derivations with a literal subject are dropped.

Where the result differs from owlrl's on purpose: prp-key compares every key property (owlrl
skips the last one, so with a single key it makes all instances of the class the same).
tests/test_inference_rules.py checks the rest against owlrl, on the shipped graph too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _NS.items())

# Named graphs of what each round derived: ROUND_PREFIX + "N" (N = 0: the cls-thing facts),
# or + "N.i" for rule i of a naive round (see _fixpoint).
ROUND_PREFIX = "urn:x-innovgraph:rules:round-"
# Stand-ins for literals (see the module docstring), and the numeric value of a stand-in
# where a rule needs it (cardinality 1 in cls-maxc2 / cls-maxqc3 / cls-maxqc4).
LITERAL_PREFIX = "urn:x-innovgraph:literal:"
VALUE = ox.NamedNode("urn:x-innovgraph:rules:value")


@dataclass(frozen=True)
class Rule:
    """`head` holds when all `body` atoms match and `where` (SPARQL filters) is true.

    Atoms are triple patterns, matched in the default graph or, one at a time, in DELTA.
    An atom with a property path (rdf:rest*/rdf:first, a list member) spans several triples
    and is never the DELTA atom: lists come from the asserted graph and no rule derives them.
    """

    name: str
    head: str
    body: tuple[str, ...]
    where: str = ""

    def delta_positions(self) -> list[int]:
        return [i for i, atom in enumerate(self.body) if "*" not in atom and "/" not in atom]

    def _order(self, at: int | None) -> list[tuple[int, str]]:
        """The atoms in the order to match them (pyoxigraph keeps the written order).

        Naive: as written (schema atoms first). With a DELTA atom: the schema atoms (small),
        then the DELTA atom, then at each step the atom sharing most variables with those
        already matched, so the big default graph is only probed, never scanned: written
        as is, prp-fp would read every triple of a functional property to meet a DELTA of 100.
        """
        atoms = list(enumerate(self.body))
        if at is None:
            return atoms
        first = [(i, a) for i, a in atoms if i != at and _is_schema(a)]
        if _is_schema(self.body[at]):
            first.insert(0, (at, self.body[at]))
        else:
            first.append((at, self.body[at]))
        rest = [(i, a) for i, a in atoms if (i, a) not in first]
        bound = {v for _, a in first for v in _VAR.findall(a)}
        while rest:
            best = max(rest, key=lambda ia: len(bound & set(_VAR.findall(ia[1]))))
            rest.remove(best)
            first.append(best)
            bound |= set(_VAR.findall(best[1]))
        return first

    def update(self, delta: ox.NamedNode | None, at: int | None, new: ox.NamedNode) -> str:
        atoms = [f"GRAPH {delta} {{ {a} }}" if i == at else a for i, a in self._order(at)]
        head_vars = " ".join(sorted(set(_VAR.findall(self.head))))
        # DISTINCT first: prp-dom, say, matches each subject once per property it has. Then
        # "not known yet" as OPTIONAL + !BOUND, which pyoxigraph evaluates as one index probe
        # per row; FILTER NOT EXISTS is ~5x slower per row, MINUS scans the whole head pattern.
        return (f"{_PROLOGUE}INSERT {{ {self.head} . GRAPH {new} {{ {self.head} }} }}\n"
                f"WHERE {{ {{ SELECT DISTINCT {head_vars} WHERE {{ {' . '.join(atoms)} . "
                f"{self.where} }} }}\n"
                f"OPTIONAL {{ {self.head} BIND(true AS ?known_) }} FILTER(!BOUND(?known_)) }}")


_VAR = re.compile(r"\?\w+")
_SCHEMA_PREDICATE = re.compile(r"^\S+ (?:(?:rdf|rdfs|owl):\S+|a (?:rdf|rdfs|owl):\S+)")


def _is_schema(atom: str) -> bool:
    """An atom on the (small) OWL/RDFS vocabulary: `?c rdfs:subClassOf ?d`,
    `?p a owl:FunctionalProperty`, a list member; not `?x a ?c` nor `?x ?p ?y`."""
    return bool(_SCHEMA_PREDICATE.match(atom))


_MEMBER = "rdf:rest*/rdf:first"  # ?list rdf:rest*/rdf:first ?member: the members of an RDF list
_ONE = f"(?n = 1 || EXISTS {{ ?n {VALUE} ?v FILTER(?v = 1) }})"  # cardinality literal is 1


def _rule(name: str, head: str, *body: str, where: str = "") -> Rule:
    return Rule(name, head, tuple(body), where)


# Stand-ins, in RULES, for the rules generated per axiom (see _generated).
CHAINS = Rule("prp-spo2", "", ())
KEYS = Rule("prp-key", "", ())

# In the order they run in a round (`closure` runs the scm-* rules to their own fixpoint
# first, so the instance rules start from the closed schema). owlrl's `c1 != c2` guards are
# kept: they only avoid re-deriving reflexive facts.
RULES: list[Rule] = [
    # --- Table 9, schema vocabulary -----------------------------------------------------
    # scm-cls: every class is its own subclass / equivalent, below owl:Thing, above owl:Nothing
    # (C rdfs:subClassOf owl:Thing is what gives a property rdfs:domain owl:Thing via scm-dom1).
    _rule("scm-cls", "?c rdfs:subClassOf ?c", "?c a owl:Class"),
    _rule("scm-cls", "?c owl:equivalentClass ?c", "?c a owl:Class"),
    _rule("scm-cls", "?c rdfs:subClassOf owl:Thing", "?c a owl:Class"),
    _rule("scm-cls", "owl:Nothing rdfs:subClassOf ?c", "?c a owl:Class"),
    # scm-op / scm-dp (owlrl also applies them to rdf:Property): reflexive sub/equivalent
    # property, which scm-hv / scm-svf2 / scm-avf2 need for restrictions on the same property.
    *(_rule("scm-op/scm-dp", head, f"?p a {kind}")
      for kind in ("owl:ObjectProperty", "owl:DatatypeProperty", "rdf:Property")
      for head in ("?p rdfs:subPropertyOf ?p", "?p owl:equivalentProperty ?p")),
    _rule("scm-eqc1", "?c1 rdfs:subClassOf ?c2", "?c1 owl:equivalentClass ?c2",
          where="FILTER(?c1 != ?c2)"),
    _rule("scm-eqc1", "?c2 rdfs:subClassOf ?c1", "?c1 owl:equivalentClass ?c2",
          where="FILTER(?c1 != ?c2)"),
    _rule("scm-int", "?c rdfs:subClassOf ?ci", "?c owl:intersectionOf ?l", f"?l {_MEMBER} ?ci"),
    _rule("scm-uni", "?ci rdfs:subClassOf ?c", "?c owl:unionOf ?l", f"?l {_MEMBER} ?ci"),
    _rule("scm-sco", "?c1 rdfs:subClassOf ?c3",
          "?c1 rdfs:subClassOf ?c2", "?c2 rdfs:subClassOf ?c3",
          where="FILTER(?c1 != ?c2 && ?c1 != ?c3)"),
    _rule("scm-eqc2", "?c1 owl:equivalentClass ?c2",
          "?c1 rdfs:subClassOf ?c2", "?c2 rdfs:subClassOf ?c1"),
    _rule("scm-eqp1", "?p1 rdfs:subPropertyOf ?p2", "?p1 owl:equivalentProperty ?p2",
          where="FILTER(?p1 != ?p2)"),
    _rule("scm-eqp1", "?p2 rdfs:subPropertyOf ?p1", "?p1 owl:equivalentProperty ?p2",
          where="FILTER(?p1 != ?p2)"),
    _rule("scm-spo", "?p1 rdfs:subPropertyOf ?p3",
          "?p1 rdfs:subPropertyOf ?p2", "?p2 rdfs:subPropertyOf ?p3",
          where="FILTER(?p1 != ?p2 && ?p1 != ?p3)"),
    _rule("scm-eqp2", "?p1 owl:equivalentProperty ?p2",
          "?p1 rdfs:subPropertyOf ?p2", "?p2 rdfs:subPropertyOf ?p1",
          where="FILTER(?p1 != ?p2)"),
    _rule("scm-dom1", "?p rdfs:domain ?c2", "?p rdfs:domain ?c1", "?c1 rdfs:subClassOf ?c2",
          where="FILTER(?c1 != ?c2)"),
    _rule("scm-dom2", "?p1 rdfs:domain ?c", "?p2 rdfs:domain ?c", "?p1 rdfs:subPropertyOf ?p2",
          where="FILTER(?p1 != ?p2)"),
    _rule("scm-rng1", "?p rdfs:range ?c2", "?p rdfs:range ?c1", "?c1 rdfs:subClassOf ?c2",
          where="FILTER(?c1 != ?c2)"),
    _rule("scm-rng2", "?p1 rdfs:range ?c", "?p2 rdfs:range ?c", "?p1 rdfs:subPropertyOf ?p2",
          where="FILTER(?p1 != ?p2)"),
    _rule("scm-hv", "?c1 rdfs:subClassOf ?c2",
          "?c1 owl:hasValue ?i", "?c1 owl:onProperty ?p1",
          "?c2 owl:hasValue ?i", "?c2 owl:onProperty ?p2", "?p1 rdfs:subPropertyOf ?p2"),
    _rule("scm-svf1", "?c1 rdfs:subClassOf ?c2",
          "?c1 owl:someValuesFrom ?y1", "?c1 owl:onProperty ?p",
          "?c2 owl:someValuesFrom ?y2", "?c2 owl:onProperty ?p", "?y1 rdfs:subClassOf ?y2"),
    _rule("scm-svf2", "?c1 rdfs:subClassOf ?c2",
          "?c1 owl:someValuesFrom ?y", "?c1 owl:onProperty ?p1",
          "?c2 owl:someValuesFrom ?y", "?c2 owl:onProperty ?p2", "?p1 rdfs:subPropertyOf ?p2"),
    _rule("scm-avf1", "?c1 rdfs:subClassOf ?c2",
          "?c1 owl:allValuesFrom ?y1", "?c1 owl:onProperty ?p",
          "?c2 owl:allValuesFrom ?y2", "?c2 owl:onProperty ?p", "?y1 rdfs:subClassOf ?y2"),
    _rule("scm-avf2", "?c2 rdfs:subClassOf ?c1",
          "?c1 owl:allValuesFrom ?y", "?c1 owl:onProperty ?p1",
          "?c2 owl:allValuesFrom ?y", "?c2 owl:onProperty ?p2", "?p1 rdfs:subPropertyOf ?p2"),
    # --- instance rules, in the order one fact leads to the next, so that in the naive round
    # a Mayor is classified at once: inverses and sub-properties give the links a property
    # chain follows (prp-spo2, generated per axiom, runs where CHAINS stands), the chain gives
    # ig:holdsPost, someValuesFrom a restriction, intersectionOf and equivalentClass ig:Mayor,
    # subClassOf its superclasses; what leads to owl:sameAs last, then the eq-* rules.
    # Table 5, properties
    _rule("prp-inv1", "?y ?p2 ?x", "?p1 owl:inverseOf ?p2", "?x ?p1 ?y"),
    _rule("prp-inv2", "?y ?p1 ?x", "?p1 owl:inverseOf ?p2", "?x ?p2 ?y"),
    _rule("prp-symp", "?y ?p ?x", "?p a owl:SymmetricProperty", "?x ?p ?y"),
    _rule("prp-eqp1", "?x ?p2 ?y", "?p1 owl:equivalentProperty ?p2", "?x ?p1 ?y",
          where="FILTER(?p1 != ?p2)"),
    _rule("prp-eqp2", "?x ?p1 ?y", "?p1 owl:equivalentProperty ?p2", "?x ?p2 ?y",
          where="FILTER(?p1 != ?p2)"),
    _rule("prp-trp", "?x ?p ?z", "?p a owl:TransitiveProperty", "?x ?p ?y", "?y ?p ?z"),
    CHAINS,
    _rule("prp-spo1", "?x ?p2 ?y", "?p1 rdfs:subPropertyOf ?p2", "?x ?p1 ?y",
          where="FILTER(?p1 != ?p2)"),
    _rule("prp-dom", "?x a ?c", "?p rdfs:domain ?c", "?x ?p ?y"),
    _rule("prp-rng", "?y a ?c", "?p rdfs:range ?c", "?x ?p ?y"),
    # Tables 6 and 7, classes and class axioms
    _rule("cls-hv2", "?u a ?x", "?x owl:hasValue ?y", "?x owl:onProperty ?p", "?u ?p ?y"),
    _rule("cls-svf1", "?u a ?x",
          "?x owl:someValuesFrom ?y", "?x owl:onProperty ?p", "?u ?p ?v", "?v a ?y"),
    _rule("cls-svf2", "?u a ?x",
          "?x owl:someValuesFrom owl:Thing", "?x owl:onProperty ?p", "?u ?p ?v"),
    _rule("cls-oo", "?y a ?c", "?c owl:oneOf ?l", f"?l {_MEMBER} ?y"),
    _rule("cls-uni", "?y a ?c", "?c owl:unionOf ?l", f"?l {_MEMBER} ?ci", "?y a ?ci"),
    # cls-int1: ?y is in one member (?c0) of the intersection and in none of them is it missing.
    _rule("cls-int1", "?y a ?c", "?c owl:intersectionOf ?l", f"?l {_MEMBER} ?c0", "?y a ?c0",
          where=f"FILTER NOT EXISTS {{ ?l {_MEMBER} ?ci FILTER NOT EXISTS {{ ?y a ?ci }} }}"),
    _rule("cax-eqc1", "?x a ?c2", "?c1 owl:equivalentClass ?c2", "?x a ?c1",
          where="FILTER(?c1 != ?c2)"),
    _rule("cax-eqc2", "?x a ?c1", "?c1 owl:equivalentClass ?c2", "?x a ?c2",
          where="FILTER(?c1 != ?c2)"),
    _rule("cls-int2", "?y a ?ci", "?c owl:intersectionOf ?l", f"?l {_MEMBER} ?ci", "?y a ?c"),
    _rule("cax-sco", "?x a ?c2", "?c1 rdfs:subClassOf ?c2", "?x a ?c1", where="FILTER(?c1 != ?c2)"),
    _rule("cls-avf", "?v a ?y",
          "?x owl:allValuesFrom ?y", "?x owl:onProperty ?p", "?u a ?x", "?u ?p ?v"),
    _rule("cls-hv1", "?u ?p ?y", "?x owl:hasValue ?y", "?x owl:onProperty ?p", "?u a ?x"),
    # what gives owl:sameAs (prp-key, generated per axiom, runs where KEYS stands)
    _rule("prp-fp", "?y1 owl:sameAs ?y2", "?p a owl:FunctionalProperty", "?x ?p ?y1", "?x ?p ?y2",
          where="FILTER(?y1 != ?y2)"),
    _rule("prp-ifp", "?x1 owl:sameAs ?x2", "?p a owl:InverseFunctionalProperty",
          "?x1 ?p ?y", "?x2 ?p ?y", where="FILTER(?x1 != ?x2)"),
    _rule("cls-maxc2", "?y1 owl:sameAs ?y2",
          "?x owl:maxCardinality ?n", "?x owl:onProperty ?p", "?u a ?x", "?u ?p ?y1", "?u ?p ?y2",
          where=f"FILTER(?y1 != ?y2 && {_ONE})"),
    _rule("cls-maxqc3", "?y1 owl:sameAs ?y2",
          "?x owl:maxQualifiedCardinality ?n", "?x owl:onProperty ?p", "?x owl:onClass ?c",
          "?u a ?x", "?u ?p ?y1", "?y1 a ?c", "?u ?p ?y2", "?y2 a ?c",
          where=f"FILTER(?y1 != ?y2 && {_ONE})"),
    _rule("cls-maxqc4", "?y1 owl:sameAs ?y2",
          "?x owl:maxQualifiedCardinality ?n", "?x owl:onProperty ?p", "?x owl:onClass owl:Thing",
          "?u a ?x", "?u ?p ?y1", "?u ?p ?y2",
          where=f"FILTER(?y1 != ?y2 && {_ONE})"),
    KEYS,
    # Table 4, equality (eq-ref is implied, never stored)
    _rule("eq-sym", "?y owl:sameAs ?x", "?x owl:sameAs ?y"),
    _rule("eq-trans", "?x owl:sameAs ?z", "?x owl:sameAs ?y", "?y owl:sameAs ?z",
          where="FILTER(?x != ?z)"),
    _rule("eq-rep-s", "?s2 ?p ?o", "?s owl:sameAs ?s2", "?s ?p ?o", where="FILTER(?s != ?s2)"),
    _rule("eq-rep-p", "?s ?p2 ?o", "?p owl:sameAs ?p2", "?s ?p ?o", where="FILTER(?p != ?p2)"),
    _rule("eq-rep-o", "?s ?p ?o2", "?o owl:sameAs ?o2", "?s ?p ?o", where="FILTER(?o != ?o2)"),
]

# cls-thing and cls-nothing: facts, added once.
_FACTS = [ox.Triple(ox.NamedNode(OWL.Thing), ox.NamedNode(RDF.type), ox.NamedNode(OWL.Class)),
          ox.Triple(ox.NamedNode(OWL.Nothing), ox.NamedNode(RDF.type), ox.NamedNode(OWL.Class))]


def _list(store: ox.Store, head) -> list | None:
    """The members of the RDF list at `head` (default graph), None if it is not a proper list."""
    first, rest, nil = (ox.NamedNode(_NS["rdf"] + n) for n in ("first", "rest", "nil"))
    items, seen = [], set()
    while head != nil:
        if head in seen:
            return None
        seen.add(head)
        firsts = [q.object for q in store.quads_for_pattern(head, first, None, ox.DefaultGraph())]
        rests = [q.object for q in store.quads_for_pattern(head, rest, None, ox.DefaultGraph())]
        if len(firsts) != 1 or len(rests) != 1:
            return None
        items.append(firsts[0])
        head = rests[0]
    return items


def _generated(store: ox.Store) -> tuple[list[Rule], list[Rule]]:
    """Rules written per axiom, for axioms whose length varies: prp-spo2 and prp-key.

    A chain may contain an inverse, [ owl:inverseOf q ], matched as q backwards (owlrl does
    the same through generalised triples with a blank-node predicate). Axioms that name a
    blank node where SPARQL would need its IRI are skipped.
    """
    chains, keys = [], []
    inverse_of = ox.NamedNode(OWL.inverseOf)
    for q in store.quads_for_pattern(None, ox.NamedNode(OWL.propertyChainAxiom), None,
                                     ox.DefaultGraph()):
        chain = _list(store, q.object)
        if not isinstance(q.subject, ox.NamedNode) or not chain:
            continue
        atoms = []
        for i, prop in enumerate(chain, 1):
            if isinstance(prop, ox.BlankNode):
                inverse = [x.object for x in store.quads_for_pattern(prop, inverse_of, None,
                                                                     ox.DefaultGraph())]
                if len(inverse) != 1 or not isinstance(inverse[0], ox.NamedNode):
                    break
                atoms.append(f"?u{i} {inverse[0]} ?u{i - 1}")
            elif isinstance(prop, ox.NamedNode):
                atoms.append(f"?u{i - 1} {prop} ?u{i}")
            else:
                break
        else:
            chains.append(Rule(f"prp-spo2 {q.subject.value}", f"?u0 {q.subject} ?u{len(chain)}",
                               tuple(atoms)))
    for q in store.quads_for_pattern(None, ox.NamedNode(OWL.hasKey), None, ox.DefaultGraph()):
        props = _list(store, q.object)
        if not isinstance(q.subject, ox.NamedNode) or not props \
                or not all(isinstance(k, ox.NamedNode) for k in props):
            continue
        atoms = [f"?x a {q.subject}", f"?y a {q.subject}"]
        for i, key in enumerate(props):
            atoms += [f"?x {key} ?z{i}", f"?y {key} ?z{i}"]
        keys.append(Rule(f"prp-key {q.subject.value}", "?x owl:sameAs ?y", tuple(atoms),
                         "FILTER(?x != ?y)"))
    return chains, keys


_TOKEN = re.compile(r"<[^>]*>|\S+")


def _term(token: str):
    """The constant a body-atom token stands for, None for a variable."""
    if token.startswith("?"):
        return None
    if token == "a":
        return ox.NamedNode(_NS["rdf"] + "type")
    if token.startswith("<"):
        return ox.NamedNode(token[1:-1])
    prefix, local = token.split(":", 1)
    return ox.NamedNode(_NS[prefix] + local)


def _could_match(store: ox.Store, atom: str, graph: ox.NamedNode) -> bool:
    """Whether `graph` has a triple that fits the constants of `atom` (a cheap index probe
    that skips most rule variants in late rounds, when DELTA is small)."""
    s, p, o = (_term(t) for t in _TOKEN.findall(atom))
    return next(iter(store.quads_for_pattern(s, p, o, graph)), None) is not None


@dataclass
class ClosureStats:
    rounds: int = 0
    derived: int = 0
    seconds: float = 0.0
    graphs: list[ox.NamedNode] = field(default_factory=list)  # what each round derived
    per_rule: dict[str, float] = field(default_factory=dict)  # seconds spent in each rule


def closure(store: ox.Store, *, max_rounds: int = 10_000) -> ClosureStats:
    """Extend the default graph of `store` to its OWL 2 RL closure.

    Each derived triple (one not in the default graph before) is also in a named graph of
    the round that derived it (ROUND_PREFIX + "N", or "N.i" for rule i of a naive round);
    `stats.graphs` lists them, and together they are exactly the inferences. (Graphs per
    round rather than one result graph save a third of the writes: they are the DELTA of
    the next round anyway.)
    Terminates: a rule only writes triples that are not there yet, over the finite set of
    terms in the store.
    """
    stats = ClosureStats()
    started = time.perf_counter()
    facts = ox.NamedNode(f"{ROUND_PREFIX}0")
    for fact in _FACTS:
        if not any(store.quads_for_pattern(fact.subject, fact.predicate, fact.object,
                                           ox.DefaultGraph())):
            store.add(ox.Quad(fact.subject, fact.predicate, fact.object, ox.DefaultGraph()))
            store.add(ox.Quad(fact.subject, fact.predicate, fact.object, facts))
    if any(store.quads_for_pattern(None, None, None, facts)):
        stats.graphs.append(facts)
        stats.derived += _count(store, facts)
    # The schema rules alone first: run with the instance rules from the start, every axiom
    # they derive in round 1 would be matched as DELTA against all the data in round 2, only
    # to re-derive what the closed schema gave in round 1 already.
    _fixpoint(store, [r for r in RULES if r.name.startswith("scm-")], stats, max_rounds)
    _fixpoint(store, RULES, stats, max_rounds, generate=True)
    stats.seconds = time.perf_counter() - started
    return stats


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    return int(next(iter(store.query(
        f"SELECT (COUNT(*) AS ?n) {{ GRAPH {graph} {{ ?s ?p ?o }} }}")))["n"].value)


def _fixpoint(store: ox.Store, rules: list[Rule], stats: ClosureStats, max_rounds: int,
              generate: bool = False) -> None:
    """Apply `rules` until nothing new: round 1 naive, then semi-naive on DELTA.

    In the naive round each rule writes to a graph of its own, and in the next round a rule
    takes as DELTA only what it has not seen: what it and the rules after it wrote (the
    rules before it wrote into the graph it then matched in full). That spares prp-dom,
    say, matching again all the types cax-sco derived after it in round 1.
    """
    seen_generated: set[Rule] = set()
    previous: list[tuple[Rule | None, ox.NamedNode]] = []  # what the last round wrote, in order
    previous_naive = False
    for _ in range(max_rounds):
        stats.rounds += 1
        naive_round = not previous
        written: list[tuple[Rule | None, ox.NamedNode]] = []
        semi = ox.NamedNode(f"{ROUND_PREFIX}{stats.rounds}")
        chains, keys = _generated(store) if generate else ([], [])
        generated = chains + keys
        expanded = [g for rule in rules
                    for g in (chains if rule is CHAINS else keys if rule is KEYS else [rule])]
        for i, rule in enumerate(expanded):
            tick = time.perf_counter()
            if naive_round or (rule in generated and rule not in seen_generated):
                graph = ox.NamedNode(f"{ROUND_PREFIX}{stats.rounds}.{i}")
                store.update(rule.update(None, None, graph))  # every atom over everything
                written.append((rule, graph))
            else:
                for at in rule.delta_positions():
                    for delta in _unseen(previous, rule, previous_naive):
                        if _could_match(store, rule.body[at], delta):
                            store.update(rule.update(delta, at, semi))
            stats.per_rule[rule.name] = stats.per_rule.get(rule.name, 0.0) \
                + time.perf_counter() - tick
        seen_generated.update(generated)
        if not naive_round:
            written.append((None, semi))
        derived = 0
        for _, graph in written:
            if count := _count(store, graph):
                derived += count
                stats.graphs.append(graph)
        if not derived:
            return
        stats.derived += derived
        previous, previous_naive = written, naive_round
    raise RuntimeError(f"OWL 2 RL closure did not converge in {max_rounds} rounds")


def _unseen(previous: list[tuple[Rule | None, ox.NamedNode]], rule: Rule,
            previous_naive: bool) -> list[ox.NamedNode]:
    """The graphs of the last round with triples `rule` has not matched in full yet: after a
    naive round, what it and the rules after it wrote; else all the last round wrote."""
    if previous_naive:
        for k, (r, _) in enumerate(previous):
            if r == rule:
                return [g for _, g in previous[k:]]
    return [g for _, g in previous]


def derived_triples(store: ox.Store, stats: ClosureStats) -> Iterator[ox.Triple]:
    """The triples `closure` derived (each once)."""
    for graph in stats.graphs:
        for quad in store.quads_for_pattern(None, None, None, graph):
            yield quad.triple


# --- rdflib in, rdflib out -------------------------------------------------------------------

def _datatype_triples(literals: dict[Literal, ox.NamedNode]) -> Iterator[ox.Triple]:
    """dt-type2 as owlrl does it: a literal of an OWL 2 RL datatype is a member of that
    datatype and of the datatypes that contain it (xsd:int -> xsd:long, xsd:integer, ...)."""
    from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes

    rdf_type = ox.NamedNode(RDF.type)
    for lit, node in literals.items():
        if lit.datatype in OWL_RL_Datatypes:
            for dt in (lit.datatype, *OWL_Datatype_Subsumptions.get(lit.datatype, ())):
                yield ox.Triple(node, rdf_type, ox.NamedNode(dt))


def infer(triples: Iterable[tuple]) -> list[tuple]:
    """The OWL 2 RL inferences from rdflib `triples`: the closure minus the triples given,
    as rdflib triples (literals exactly as given), without the generalised triples that have
    a literal as subject (not RDF). No other noise filter here: see
    `innovgraph.inference.compute`."""
    to_ox: dict = {}
    from_ox: dict = {}
    literals: dict[Literal, ox.NamedNode] = {}

    def new_term(t):
        if isinstance(t, URIRef):
            node = ox.NamedNode(t)
        elif isinstance(t, BNode):
            node = ox.BlankNode()
        elif isinstance(t, Literal):
            node = literals[t] = ox.NamedNode(f"{LITERAL_PREFIX}{len(literals)}")
        else:
            raise TypeError(f"not an RDF term: {t!r}")
        to_ox[t] = node
        from_ox[node] = t
        return node

    store = ox.Store()
    default = ox.DefaultGraph()
    get = to_ox.get  # (an rdflib term can be falsy, an ox term cannot)
    store.extend(ox.Quad(get(s) or new_term(s), get(p) or new_term(p), get(o) or new_term(o),
                         default) for s, p, o in triples)
    # Stand-ins for literals carry the value a rule compares (cardinalities), and their
    # datatypes (dt-type2). They are about literals, so infer() does not return them.
    values = [(q.object, from_ox[q.object])
              for p in (OWL.maxCardinality, OWL.maxQualifiedCardinality)
              for q in store.quads_for_pattern(None, ox.NamedNode(p), None, default)
              if q.object in from_ox]
    store.extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in (
        *(ox.Triple(node, VALUE, ox.Literal(str(lit), datatype=ox.NamedNode(lit.datatype)))
          for node, lit in values if isinstance(lit, Literal) and lit.datatype is not None),
        *_datatype_triples(literals)))
    stats = closure(store)

    def rdflib_term(node):
        if node in from_ox:
            return from_ox[node]
        if isinstance(node, ox.NamedNode):  # a term of a rule head: owl:Thing, rdf:type, ...
            t = from_ox[node] = URIRef(node.value)
            return t
        raise TypeError(f"unexpected term in the closure: {node!r}")

    back = from_ox.get
    inferred = []
    for graph in stats.graphs:
        for q in store.quads_for_pattern(None, None, None, graph):
            s = back(q.subject) or rdflib_term(q.subject)
            if not isinstance(s, Literal):
                inferred.append((s, back(q.predicate) or rdflib_term(q.predicate),
                                 back(q.object) or rdflib_term(q.object)))
    return inferred
