"""What a validation produced: severities, results, the report, and where each result is.

The result model of `innovgraph.validation`, shared by the plain engine (engine.py) and the
chunked one (chunks.py), which both import it; it imports neither. pyshacl's report graph is
turned into sorted `ValidationResult`s here, each placed at the file and line its focus node
is described on, and chunk reports are merged back into one SHACL report graph.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..errors import OptionError
from ..namespaces import OWN_NAMESPACES
from ..project import Project
from ..sources import subject_lines
from ..terms import show


class Severity(enum.IntEnum):
    """SHACL severities, ordered so that `>=` means "at least as serious".

    >>> Severity.parse("warn"), Severity.parse("http://www.w3.org/ns/shacl#Violation") >= Severity.WARNING
    (<Severity.WARNING: 2>, True)
    """

    INFO = 1
    WARNING = 2
    VIOLATION = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def parse(cls, value: "Severity | str") -> "Severity":
        """Accept a Severity, a name in any case ('warning') or a sh: IRI (sh:Warning)."""
        if isinstance(value, Severity):
            return value
        name = str(value).rsplit("#", 1)[-1].upper()
        # One --fail-on vocabulary for validate and qc: QC's (ROBOT's) words are accepted too.
        name = {"ERROR": "VIOLATION", "WARN": "WARNING"}.get(name, name)
        try:
            return cls[name]
        except KeyError:
            raise OptionError(
                f"Unknown severity {value!r}; use violation (error), warning (warn) or info."
            ) from None


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with terms as compact strings and its place in the sources.

    >>> result = ValidationResult(focus_node="id:city/fictional-x", path="schema:name", value=None,
    ...                           message="A city needs a schema:name.", severity=Severity.VIOLATION,
    ...                           source_shape="igsh:CityShape-name", constraint="sh:MinCountConstraintComponent")
    >>> result.severity.label, result.as_dict()["path"]
    ('Violation', 'schema:name')
    """

    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: Severity
    source_shape: str
    constraint: str
    file: str | None = None
    line: int | None = None

    def sort_key(self) -> tuple:
        # Results we could not place in a file go last, rather than first as "" would.
        return (self.file is None, self.file or "", self.line or 0, self.focus_node,
                -self.severity, self.source_shape, self.path or "", self.value or "")

    def as_dict(self) -> dict:
        return {
            "focus_node": self.focus_node, "path": self.path, "value": self.value,
            "message": self.message, "severity": self.severity.label,
            "source_shape": self.source_shape, "constraint": self.constraint,
            "file": self.file, "line": self.line,
        }


@dataclass
class ValidationReport:
    """The results of a validation, the threshold it was asked with, and what was validated.

    `report_graph` (the SHACL report) and `data_graph` (what was validated, as rdflib) are
    built by `load_report` and `load_data` the first time someone asks for them, then kept:
    most callers only need the results, and parsing the graph of a large project, or a
    report with thousands of results, would cost seconds for nothing.

    >>> report = ValidationReport([], fail_on=Severity.WARNING, files=["data/ttl/cities/fictional-x.ttl"])
    >>> report.ok, report.counts()[Severity.VIOLATION], len(report.report_graph)
    (True, 0, 0)
    """

    results: list[ValidationResult]
    fail_on: Severity = Severity.VIOLATION
    files: list[str] = field(default_factory=list)
    load_report: Callable[[], Graph] = field(default=Graph, repr=False, compare=False)
    load_data: Callable[[], Graph] = field(default=Graph, repr=False, compare=False)

    @cached_property
    def report_graph(self) -> Graph:
        return self.load_report()

    @cached_property
    def data_graph(self) -> Graph:
        return self.load_data()

    def counts(self) -> dict[Severity, int]:
        tally = Counter(r.severity for r in self.results)
        return {s: tally.get(s, 0) for s in sorted(Severity, reverse=True)}

    def conforms_at(self, threshold: Severity | str) -> bool:
        """True when no result is at least as serious as `threshold`."""
        limit = Severity.parse(threshold)
        return not any(r.severity >= limit for r in self.results)

    @property
    def ok(self) -> bool:
        """Conformance at the threshold the report was requested with."""
        return self.conforms_at(self.fail_on)


# --------------------------------------------------------------------------- results

def results_of(report: Graph, data: Graph, project: Project, sources: list[Path]
               ) -> list[ValidationResult]:
    """The results of a pyshacl report graph over `data`, sorted, located in `sources`."""
    locate = _Locator(project, sources, data)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, node) in report:
            continue  # the inner result of an sh:node check; its parent carries the useful message
        focus = report.value(node, SH.focusNode)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        constraint = report.value(node, SH.sourceConstraintComponent)
        path_node = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        file, line = locate(focus)
        results.append(ValidationResult(
            focus_node=show(focus, turtle=True),
            path=render_path(report, path_node) if path_node is not None else None,
            value=show(value, turtle=True) if value is not None else None,
            message=messages[0] if messages else show(constraint, turtle=True),
            severity=_severity(report.value(node, SH.resultSeverity)),
            source_shape=show(_named_source(report, node), turtle=True),
            constraint=show(constraint, turtle=True),
            file=file, line=line,
        ))
    return sorted(results, key=ValidationResult.sort_key)


def _named_source(report: Graph, node: Node) -> Node | None:
    # For SHACL-SPARQL results the node shape is too coarse: name the constraint when it has an IRI.
    constraint = report.value(node, SH.sourceConstraint)
    return constraint if isinstance(constraint, URIRef) else report.value(node, SH.sourceShape)


def _severity(term: Node | None) -> Severity:
    # Custom severity IRIs are allowed by SHACL; treating them as violations fails safe.
    try:
        return Severity.parse(term) if term is not None else Severity.VIOLATION
    except OptionError:
        return Severity.VIOLATION


class _Locator:
    """Find the file and line where a focus node is described, scanning files only on demand."""

    def __init__(self, project: Project, sources: list[Path], data: Graph) -> None:
        self._project, self._sources, self._data = project, sources, data
        self._index: dict[str, tuple[str, int]] | None = None

    def __call__(self, node: Node | None) -> tuple[str | None, int | None]:
        # Blank nodes have no name in the file: climb to the nearest IRI that points at them.
        seen = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            node = next(iter(self._data.subjects(None, node)), None)
        if not isinstance(node, URIRef):
            return None, None
        if (found := self._build().get(str(node))) is not None:
            return found
        # Never described as a subject (often a mistyped IRI): point at a record that uses it.
        for referrer in self._data.subjects(None, node):
            if isinstance(referrer, URIRef) and str(referrer) in self._index:
                return self._index[str(referrer)]
        return None, None

    def _build(self) -> dict[str, tuple[str, int]]:
        if self._index is None:
            self._index = {}
            for path in self._sources:  # records come first, so a record wins over the ontology
                for iri, line in subject_lines(path).items():
                    self._index.setdefault(iri, (self._project.relative(path), line))
        return self._index


_PATH_SUFFIX = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def render_path(graph: Graph, node: Node) -> str:
    """SHACL property path -> SPARQL-like text (ig:a/ig:b, ^ig:c, (ig:d|ig:e)*)."""
    if not isinstance(node, BNode):
        return show(node, turtle=True)
    if (inner := graph.value(node, SH.inversePath)) is not None:
        return "^" + render_path(graph, inner)
    if (inner := graph.value(node, SH.alternativePath)) is not None:
        return "(" + "|".join(render_path(graph, n) for n in Collection(graph, inner)) + ")"
    for predicate, suffix in _PATH_SUFFIX.items():
        if (inner := graph.value(node, predicate)) is not None:
            return render_path(graph, inner) + suffix
    if graph.value(node, RDF.first) is not None:
        return "/".join(render_path(graph, n) for n in Collection(graph, node))
    return show(node, turtle=True)


# --------------------------------------------------------------------------- chunk results

@dataclass
class ChunkResult:
    """The results of validating part of the graph (a chunk, or the focus nodes of a change).

    Pickled as the report cache (chunks.py): changing it, or moving it to another module,
    means bumping `chunks.CACHE_FORMAT`.
    """

    results: list            # ValidationResult
    # One entry per top-level SHACL result: its focus node and the N-Triples of the result
    # with its blank nodes and sh:detail results. Kept apart so that incremental validation
    # can drop re-checked results without parsing the whole report again.
    report_parts: list       # [(focus node, bytes)]
    conforms: bool

    @property
    def report_nt(self) -> bytes:
        return b"".join(nt for _, nt in self.report_parts)


def chunk_result(report: Graph, results: list, focus: set | None = None) -> ChunkResult:
    """A ChunkResult from a pyshacl report, keeping only results on `focus` (all if None)."""
    report_node = next(report.subjects(RDF.type, SH.ValidationReport), None)
    parts = []
    for node in report.objects(report_node, SH.result):
        target = report.value(node, SH.focusNode)
        if focus is None or target in focus:
            nt = _results_closure(report, [node]).serialize(format="nt", encoding="utf-8")
            parts.append((target, nt))
    return ChunkResult(results, parts, not parts)


def _keep(report: Graph, focus: set) -> Graph:
    """The report's results whose focus node is in `focus`, with everything they hang on."""
    report_node = next(report.subjects(RDF.type, SH.ValidationReport), None)
    return _results_closure(report, [n for n in report.objects(report_node, SH.result)
                                     if report.value(n, SH.focusNode) in focus])


def _results_closure(report: Graph, roots: list) -> Graph:
    """The triples of the result nodes `roots`, their blank nodes and sh:detail results."""
    kept, stack, seen = Graph(), list(roots), set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in report.predicate_objects(node):
            kept.add((node, p, o))
            if isinstance(o, BNode) or p == SH.detail:
                stack.append(o)
    return kept


def report_graph(part: ChunkResult) -> Graph:
    """The SHACL validation report (one sh:ValidationReport node) from merged chunk results."""
    graph = Graph()
    if part.report_parts:
        graph.parse(data=part.report_nt, format="nt")
    for prefix, ns in OWN_NAMESPACES.items():
        graph.bind(prefix, ns, override=True)
    graph.bind("sh", str(SH), override=True)
    top = [n for n in graph.subjects(RDF.type, SH.ValidationResult)
           if (None, SH.detail, n) not in graph]
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not top)))
    for node in top:
        graph.add((report, SH.result, node))
    return graph
