"""Why a graph is inconsistent (or a class unsatisfiable): rules first, then a search.

The rules name the usual culprits, each with the axioms and the statements involved and where
they are written: an individual in two disjoint classes, a functional property with two
values, a literal outside a property's range, a member of owl:Nothing. When no rule applies,
a search (ddmin) re-runs the reasoner without groups of statements, first whole files, then
subjects, until the smallest inconsistent set of individuals is left.

The reasoner is called as `owl.run_reasoner`, through the module, so that a test that
replaces it there replaces it for `reason` and for the search alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..namespaces import OWL2_DATATYPES, RDF_NS
from ..project import Project
from ..sources import PathLike, load_files, parse_file, subject_lines
from ..terms import show
from . import owl


@dataclass(frozen=True)
class Explanation:
    """One reason the graph is inconsistent (or a class unsatisfiable), in words."""

    summary: str
    individuals: tuple[str, ...] = ()
    axioms: tuple[str, ...] = ()       # ontology axioms, each with where it is written
    statements: tuple[str, ...] = ()   # data statements involved, each with where it is written

    def as_dict(self) -> dict:
        return {"summary": self.summary, "individuals": list(self.individuals),
                "axioms": list(self.axioms), "statements": list(self.statements)}


# --------------------------------------------------------------------------- sources

@dataclass
class _Group:
    """The statements of one subject (with the blank nodes it owns), from one file."""

    label: str                 # file shown to users
    subject: Node | None       # None for a whole-file group
    triples: list[tuple[Node, Node, Node]]


class Sources:
    """The graph split into a fixed part (the ontology file) and groups that can be left out."""

    def __init__(self, project: Project, fixed: Graph, per_file: list[tuple[str, Graph]],
                 files: list[Path]) -> None:
        self.project, self.fixed, self.per_file, self.files = project, fixed, per_file, files
        self._lines: dict[str, tuple[str, int]] | None = None

    @classmethod
    def build(cls, project: Project, include_data: bool, extra: Graph | None,
              extra_files: Iterable[PathLike]) -> "Sources":
        ontology = [p for p in project.ontology_files if p.parent.name != "vocab"]
        others = [p for p in project.ontology_files if p not in ontology]
        if include_data:
            others += project.data_files
        others += [Path(p) for p in extra_files]
        fixed = load_files(ontology, project=project)
        per_file = [(project.relative(p), parse_file(p, project=project)) for p in others]
        if extra is not None and len(extra):
            per_file.append(("(extra statements)", extra))
        return cls(project, fixed, per_file, ontology + others)

    def graph(self, groups: Iterable[_Group] | None = None) -> Graph:
        g = Graph()
        for t in self.fixed:
            g.add(t)
        if groups is None:
            for _, part in self.per_file:
                for t in part:
                    g.add(t)
        else:
            for group in groups:
                for t in group.triples:
                    g.add(t)
        return g

    def file_groups(self) -> list[_Group]:
        return [_Group(label, None, list(part)) for label, part in self.per_file]

    @staticmethod
    def subject_groups(groups: Iterable[_Group]) -> list[_Group]:
        out = []
        for group in groups:
            part = Graph()
            for t in group.triples:
                part.add(t)
            for subject in sorted({s for s in part.subjects() if not isinstance(s, BNode)}):
                triples, todo, seen = [], [subject], set()
                while todo:
                    node = todo.pop()
                    if node in seen:
                        continue
                    seen.add(node)
                    for t in part.triples((node, None, None)):
                        triples.append(t)
                        if isinstance(t[2], BNode):
                            todo.append(t[2])
                out.append(_Group(group.label, subject, triples))
        return out

    def locate(self, node: Node | None) -> str:
        """'file:line' where `node` is described, or ''."""
        if self._lines is None:
            self._lines = {}
            for path in self.files:
                try:
                    found = subject_lines(path)
                except OSError:
                    continue
                for iri, line in found.items():
                    self._lines.setdefault(iri, (self.project.relative(path), line))
        if isinstance(node, URIRef) and (hit := self._lines.get(str(node))):
            return f"{hit[0]}:{hit[1]}"
        return ""

    def locate_text(self, needle: str) -> str:
        """'file:line' of the first line of an ontology file containing `needle`."""
        for path in self.files[:1]:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if needle in line:
                    return f"{self.project.relative(path)}:{number}"
        return ""


# --------------------------------------------------------------------------- explanations

def _at(where: str) -> str:
    return f" ({where})" if where else ""


def _in(where: str) -> str:
    return f" in {where}" if where else ""


class _Explainer:
    """Rules that find the usual causes of an inconsistency, with the axioms and statements.

    Types are derived the way a reader would: asserted types, rdfs:domain and rdfs:range of
    the properties used (and of their inverses and super-properties), and rdfs:subClassOf /
    named owl:equivalentClass. Each derived type keeps the statement and axiom it comes from.
    """

    def __init__(self, graph: Graph, sources: Sources) -> None:
        self.g, self.sources = graph, sources
        self.supers = self._closure(RDFS.subClassOf, OWL.equivalentClass)
        self.super_props = self._closure(RDFS.subPropertyOf, OWL.equivalentProperty)
        self.inverse: dict[Node, set[Node]] = defaultdict(set)
        for a, b in graph.subject_objects(OWL.inverseOf):
            self.inverse[a].add(b)
            self.inverse[b].add(a)
        self.types = self._types()

    def _closure(self, sub: Node, equiv: Node) -> dict[Node, set[Node]]:
        direct: dict[Node, set[Node]] = defaultdict(set)
        for a, b in self.g.subject_objects(sub):
            if isinstance(b, URIRef):
                direct[a].add(b)
        for a, b in self.g.subject_objects(equiv):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                direct[a].add(b)
                direct[b].add(a)
        closed: dict[Node, set[Node]] = {}
        for start in list(direct):
            seen, todo = set(), [start]
            while todo:
                for nxt in direct.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            closed[start] = seen - {start}
        return closed

    def _props_up(self, p: Node) -> set[Node]:
        return {p} | self.super_props.get(p, set())

    def _types(self) -> dict[Node, dict[Node, str]]:
        """individual -> class -> why (one reason, in words)."""
        why: dict[Node, dict[Node, str]] = defaultdict(dict)
        g = self.g

        def add(ind: Node, cls: Node, reason: str) -> None:
            if isinstance(cls, URIRef) and cls not in why[ind]:
                why[ind][cls] = reason
                for up in self.supers.get(cls, ()):
                    why[ind].setdefault(up, f"{reason}, and {show(cls, turtle=True)} is a subclass of {show(up, turtle=True)}")

        schema = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                  OWL.equivalentClass, OWL.inverseOf, OWL.disjointWith, OWL.members}
        for s, p, o in g:
            if p == RDF.type:
                if not isinstance(s, BNode) and o not in _OWL_META:
                    add(s, o, f"{show(s, turtle=True)} a {show(o, turtle=True)}{_at(self.sources.locate(s))}")
                continue
            if p in schema or isinstance(s, BNode):
                continue
            stated = f"{show(s, turtle=True)} {show(p, turtle=True)} {show(o, turtle=True)}{_at(self.sources.locate(s))}"
            for q in self._props_up(p):
                for d in g.objects(q, RDFS.domain):
                    add(s, d, f"{stated}, and {show(q, turtle=True)} has domain {show(d, turtle=True)}")
                if isinstance(o, Literal):
                    continue
                for r in g.objects(q, RDFS.range):
                    add(o, r, f"{stated}, and {show(q, turtle=True)} has range {show(r, turtle=True)}")
                for inv in self.inverse.get(q, ()):
                    for d in g.objects(inv, RDFS.domain):
                        add(o, d, f"{stated}, and its inverse {show(inv, turtle=True)} has domain {show(d, turtle=True)}")
                    for r in g.objects(inv, RDFS.range):
                        add(s, r, f"{stated}, and its inverse {show(inv, turtle=True)} has range {show(r, turtle=True)}")
        return why

    def disjoint_pairs(self) -> list[tuple[Node, Node, str]]:
        pairs = []
        for a, b in self.g.subject_objects(OWL.disjointWith):
            pairs.append((a, b, f"{show(a, turtle=True)} owl:disjointWith {show(b, turtle=True)}"
                                f"{_in(self.sources.locate(a))}"))
        for node in self.g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = list(Collection(self.g, self.g.value(node, OWL.members)))
            where = self.sources.locate_text("owl:AllDisjointClasses")
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    pairs.append((a, b, f"owl:AllDisjointClasses{_in(where)}"))
        return pairs

    def explain(self) -> list[Explanation]:
        found: list[Explanation] = []
        found += self._disjoint()
        found += self._functional()
        found += self._ranges()
        found += self._nothing()
        return found

    def _disjoint(self) -> list[Explanation]:
        out = []
        for ind, classes in sorted(self.types.items(), key=lambda kv: str(kv[0])):
            for a, b, axiom in self.disjoint_pairs():
                if a in classes and b in classes:
                    out.append(Explanation(
                        f"{show(ind, turtle=True)} is both {show(a, turtle=True)} and {show(b, turtle=True)}, which are disjoint "
                        f"({axiom}).",
                        individuals=(show(ind, turtle=True),), axioms=(axiom,),
                        statements=(f"{show(a, turtle=True)}: {classes[a]}", f"{show(b, turtle=True)}: {classes[b]}")))
        return out

    def _functional(self) -> list[Explanation]:
        out = []
        disjoint = self.disjoint_pairs()
        for p in sorted(set(self.g.subjects(RDF.type, OWL.FunctionalProperty))):
            where = self.sources.locate(p)
            axiom = f"{show(p, turtle=True)} a owl:FunctionalProperty{_in(where)}"
            values: dict[Node, set[Node]] = defaultdict(set)
            for s, o in self.g.subject_objects(p):
                values[s].add(o)
            for s, objs in sorted(values.items(), key=lambda kv: str(kv[0])):
                if len(objs) < 2:
                    continue
                objs_sorted = sorted(objs, key=str)
                statements = tuple(f"{show(s, turtle=True)} {show(p, turtle=True)} {show(o, turtle=True)}"
                                   f"{_at(self.sources.locate(s))}" for o in objs_sorted)
                literals = [o for o in objs_sorted if isinstance(o, Literal)]
                if literals:
                    distinct = {(o.datatype, o.value if o.value is not None else str(o)) for o in literals}
                    if len(distinct) > 1:
                        out.append(Explanation(
                            f"{show(p, turtle=True)} is functional but {show(s, turtle=True)} has {len(objs)} values: "
                            + ", ".join(show(o, turtle=True) for o in objs_sorted) + ".",
                            individuals=(show(s, turtle=True),), axioms=(axiom,), statements=statements))
                    continue
                # Two IRIs for a functional object property would be the same individual:
                # inconsistent only if they cannot be (different or of disjoint classes).
                for i, x in enumerate(objs_sorted):
                    for y in objs_sorted[i + 1:]:
                        clash = self._cannot_be_same(x, y, disjoint)
                        if clash:
                            out.append(Explanation(
                                f"{show(p, turtle=True)} is functional but {show(s, turtle=True)} has two values, "
                                f"{show(x, turtle=True)} and {show(y, turtle=True)}, which cannot be the same individual "
                                f"({clash}).",
                                individuals=(show(s, turtle=True), show(x, turtle=True), show(y, turtle=True)),
                                axioms=(axiom,), statements=statements))
        return out

    def _cannot_be_same(self, x: Node, y: Node, disjoint) -> str:
        if (x, OWL.differentFrom, y) in self.g or (y, OWL.differentFrom, x) in self.g:
            return "they are owl:differentFrom each other"
        tx, ty = self.types.get(x, {}), self.types.get(y, {})
        for a, b, axiom in disjoint:
            if (a in tx and b in ty) or (b in tx and a in ty):
                return f"{show(a, turtle=True)} and {show(b, turtle=True)} are disjoint, {axiom}"
        return ""

    def _ranges(self) -> list[Explanation]:
        out = []
        annotations = owl.annotation_properties(self.g)
        for p in sorted(set(self.g.subjects(RDF.type, OWL.DatatypeProperty))):
            if p in annotations:
                continue
            for rng in self.g.objects(p, RDFS.range):
                if not (isinstance(rng, URIRef) and rng in OWL2_DATATYPES):
                    continue
                for s, o in self.g.subject_objects(p):
                    if isinstance(o, Literal) and not _fits(o, rng):
                        out.append(Explanation(
                            f"{show(s, turtle=True)} has {show(p, turtle=True)} {show(o, turtle=True)}, outside its range "
                            f"{show(rng, turtle=True)}.",
                            individuals=(show(s, turtle=True),),
                            axioms=(f"{show(p, turtle=True)} rdfs:range {show(rng, turtle=True)}{_in(self.sources.locate(p))}",),
                            statements=(f"{show(s, turtle=True)} {show(p, turtle=True)} {show(o, turtle=True)}{_at(self.sources.locate(s))}",)))
        return out

    def _nothing(self) -> list[Explanation]:
        return [Explanation(f"{show(ind, turtle=True)} is a member of owl:Nothing ({why}).",
                            individuals=(show(ind, turtle=True),), statements=(why,))
                for ind, classes in self.types.items() if (why := classes.get(OWL.Nothing))]


_OWL_META = frozenset([OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                       OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
                       OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty,
                       OWL.IrreflexiveProperty, OWL.Ontology, OWL.NamedIndividual, OWL.Restriction,
                       OWL.AllDisjointClasses, OWL.Thing, RDFS.Class, RDF.Property, RDFS.Datatype,
                       OWL.AllDifferent, OWL.AllDisjointProperties, OWL.Axiom])

_NUMERIC = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
            XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedLong,
            XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte}
_STRINGS = {XSD.string, XSD.normalizedString, XSD.token, XSD.language, XSD.Name, XSD.NCName,
            XSD.NMTOKEN, URIRef(RDF_NS + "PlainLiteral"), RDFS.Literal}


def _fits(lit: Literal, rng: URIRef) -> bool:
    """Whether a literal can be a value of datatype `rng` (the cases that commonly go wrong)."""
    if rng in (RDFS.Literal, URIRef(RDF_NS + "PlainLiteral")):
        return True
    dt = lit.datatype or (URIRef(RDF_NS + "langString") if lit.language else XSD.string)
    if lit.datatype is not None and lit.value is None and lit.datatype in OWL2_DATATYPES \
            and lit.datatype not in _STRINGS and lit.datatype != XSD.anyURI:
        return False  # ill-typed, e.g. "abc"^^xsd:integer
    if dt == rng:
        return True
    if rng == XSD.decimal:
        return dt in _NUMERIC
    if rng in _NUMERIC:
        return dt in _NUMERIC and isinstance(lit.value, int)
    if rng in (XSD.string,):
        return dt in _STRINGS
    if rng == URIRef(RDF_NS + "langString"):
        return False
    return dt == rng


def explain_unsatisfiable(graph: Graph, classes: list[str], locate: Callable) -> list[Explanation]:
    """For each unsatisfiable class, the disjoint superclasses it has, when that is the cause."""
    sources = type("S", (), {"locate": staticmethod(locate),
                             "locate_text": staticmethod(lambda needle: "")})()
    helper = _Explainer.__new__(_Explainer)
    helper.g, helper.sources = graph, sources
    helper.supers = helper._closure(RDFS.subClassOf, OWL.equivalentClass)
    out = []
    pairs = helper.disjoint_pairs()
    for iri in classes:
        cls = URIRef(iri)
        ups = {cls} | helper.supers.get(cls, set())
        hits = [(a, b, axiom) for a, b, axiom in pairs if a in ups and b in ups]
        if hits:
            a, b, axiom = hits[0]
            out.append(Explanation(
                f"{show(cls, turtle=True)} can have no members: it is a subclass of both {show(a, turtle=True)} and "
                f"{show(b, turtle=True)}, which are disjoint ({axiom}).", axioms=(axiom,)))
        else:
            out.append(Explanation(f"{show(cls, turtle=True)} can have no members (the reasoner finds it "
                                   f"unsatisfiable){_at(locate(cls))}."))
    return out


def explain_inconsistency(sources: Sources, reasoner: str = "hermit", *,
                          budget: int = 40) -> list[Explanation]:
    """Name the culprits of an inconsistency: the rules first, then a search with the reasoner."""
    graph, _ = owl.convert_for_owl(sources.graph())  # explain what the reasoner saw
    found = _Explainer(graph, sources).explain()
    if found:
        return found
    if not _inconsistent(sources, None, reasoner):
        return [Explanation("The reasoner finds the graph inconsistent, but not when it is re-run; "
                            "run `innovgraph reason --reasoner pellet` for a second opinion.")]
    if _inconsistent(sources, [], reasoner):
        return [Explanation("The ontology itself (ontology/innovgraph.ttl, without vocabularies "
                            "or records) is inconsistent.")]
    calls = [0]

    def still_inconsistent(groups: list[_Group]) -> bool:
        calls[0] += 1
        if calls[0] > budget:
            raise _BudgetSpent
        return _inconsistent(sources, groups, reasoner)

    files = sources.file_groups()
    try:
        files = _minimise(files, still_inconsistent)
        culprits = _minimise(Sources.subject_groups(files), still_inconsistent)
        complete = True
    except _BudgetSpent:
        culprits, complete = Sources.subject_groups(files), False
    subjects = tuple(show(g.subject, turtle=True) for g in culprits if g.subject is not None)
    statements = tuple(f"{show(s, turtle=True)} {show(p, turtle=True)} {show(o, turtle=True)}{_at(sources.locate(s) or g.label)}"
                       for g in culprits for s, p, o in g.triples
                       if not isinstance(s, BNode))
    lead = ("These statements are inconsistent with the ontology together (leaving out any one "
            "of them makes the graph consistent)" if complete else
            f"The search stopped after {budget} reasoner runs; the inconsistency lies in these "
            f"statements")
    return [Explanation(f"{lead}: the individuals are {', '.join(subjects) or 'unnamed'}; "
                        "no simple rule (disjoint classes, functional property, datatype range) "
                        "explains it, so look at the class definitions they fall under.",
                        individuals=subjects, statements=statements)]


class _BudgetSpent(Exception):
    pass


def _inconsistent(sources: Sources, groups: list[_Group] | None, reasoner: str) -> bool:
    converted, _ = owl.convert_for_owl(sources.graph(groups))
    return not owl.run_reasoner(converted, reasoner).consistent


def _minimise(groups: list[_Group], inconsistent: Callable[[list[_Group]], bool]) -> list[_Group]:
    """ddmin: a 1-minimal sublist of `groups` that is still inconsistent (given that all are)."""
    n = 2
    while len(groups) >= 2:
        size = -(-len(groups) // n)
        chunks = [groups[i:i + size] for i in range(0, len(groups), size)]
        for chunk in chunks:
            complement = [g for g in groups if not any(g is c for c in chunk)]
            if inconsistent(complement):
                groups, n = complement, max(n - 1, 2)
                break
        else:
            if n >= len(groups):
                break
            n = min(len(groups), n * 2)
    return groups
