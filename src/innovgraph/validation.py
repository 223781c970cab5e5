"""SHACL validation of the project graph into plain, sortable result objects.

pyshacl does the checking; this module decides what the data graph is, keeps everything
offline, and maps each result back to the file and line its focus node is described on.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import InnovgraphError
from .progress import progress as progress_bar
from .terms import shorten
from .sources import PathLike, load_files, subject_lines
from .project import Project


class Severity(enum.IntEnum):
    """SHACL severities, ordered so that `>=` means "at least as serious"."""

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
        try:
            return cls[name]
        except KeyError:
            raise InnovgraphError(
                f"Unknown severity {value!r}; use violation, warning or info."
            ) from None


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with terms as compact strings and its place in the sources."""

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
    results: list[ValidationResult]
    fail_on: Severity = Severity.VIOLATION
    files: list[str] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph, repr=False, compare=False)
    data_graph: Graph = field(default_factory=Graph, repr=False, compare=False)

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


def data_sources(project: Project, paths: Iterable[PathLike] | None = None) -> list[Path]:
    """The files whose union is the data graph: records first, then ontology and vocabularies.

    A given path that is a shipped file is not loaded twice. A given path outside the project
    whose file name matches exactly one shipped record replaces that record, so a draft can be
    checked as if it were in place; any other given path is added.
    """
    records = list(project.data_files)
    extra: list[Path] = []
    # Shipped paths are globbed from the resolved root: absolute already, no resolve() needed
    # (which costs a filesystem round trip per file, seconds for 100,000 records).
    shipped = {str(p) for p in records + project.ontology_files}
    for given in paths or ():
        path = Path(given)
        resolved = path.resolve()
        if str(resolved) in shipped or resolved in {p.resolve() for p in extra}:
            continue
        namesakes = [p for p in records if p.name == path.name]
        if not resolved.is_relative_to(project.root) and len(namesakes) == 1:
            records[records.index(namesakes[0])] = path
        else:
            extra.append(path)
    return records + extra + project.ontology_files


def validate(project: Project, paths: Iterable[PathLike] | None = None, *,
             severity_threshold: Severity | str = Severity.VIOLATION,
             jobs: int | None = None, incremental: bool = True, use_cache: bool = True,
             fast: bool = True) -> ValidationReport:
    """Validate ontology + vocabularies + records (+ `paths`) against shapes/*.ttl.

    By default (`fast`) the graph is validated in chunks from the embedded store, `jobs`
    worker processes at a time (default: one per core), the report of unchanged content is
    reused (`use_cache`), and with `paths` only what those records can reach is re-checked
    (`incremental`): see innovgraph.fastvalidation. The results are the same as those of
    `fast=False`, plain pyshacl over one rdflib graph of every file.

    :raises RecordSyntaxError: a source or shapes file is not valid Turtle.
    """
    sources = data_sources(project, paths)
    shown = [project.relative(p) for p in sources]
    if fast:
        try:
            return _validate_fast(project, sources, list(paths or ()), shown, severity_threshold,
                                  jobs=jobs, incremental=incremental, use_cache=use_cache)
        except OSError:
            pass  # no writable cache for the store (a read-only checkout): validate plainly
    data_graph = load_files(sources, project=project)
    return validate_graph(project, data_graph, sources=sources, shown=shown,
                          severity_threshold=severity_threshold)


class _LazyDataReport(ValidationReport):
    """A report whose data and report graphs are built only when someone asks for them.

    Most callers only need the results; parsing a graph of a large project, or a report
    with thousands of results, would cost seconds for nothing.
    """

    def __init__(self, *args, sources: list[Path], project: Project, part=None, **kwargs) -> None:
        self._sources, self._project, self._data = sources, project, None
        self._part, self._report = part, None
        super().__init__(*args, **kwargs)

    @property
    def report_graph(self) -> Graph:  # type: ignore[override]
        if self._report is None:
            from . import fastvalidation as fv
            self._report = fv.report_graph(self._part) if self._part is not None else Graph()
        return self._report

    @report_graph.setter
    def report_graph(self, value: Graph | None) -> None:
        self._report = value if isinstance(value, Graph) and len(value) else None

    @property
    def data_graph(self) -> Graph:  # type: ignore[override]
        if self._data is None:
            self._data = load_files(self._sources, project=self._project)
        return self._data

    @data_graph.setter
    def data_graph(self, value: Graph | None) -> None:
        self._data = value if isinstance(value, Graph) and len(value) else None


def _validate_fast(project: Project, sources: list[Path], paths: list[PathLike], shown: list[str],
                   severity_threshold: Severity | str, *, jobs: int | None, incremental: bool,
                   use_cache: bool) -> ValidationReport:
    from . import fastvalidation as fv

    fail_on = Severity.parse(severity_threshold)
    shapes = load_files(project.shape_files, project=project)  # syntax errors as before
    if len(shapes) == 0:
        return ValidationReport([], fail_on, shown, Graph(), load_files(sources, project=project))
    data_files = project.data_files
    shipped = set(data_files) | set(project.ontology_files)
    changes = [p for p in sources if p not in shipped]
    replaced = len(sources) != len(shipped) + len(changes)
    with progress_bar(len(data_files), "Validating") as progress:
        if (changes or replaced) and incremental:
            part = fv.incremental_results(project, sources, [Path(p) for p in paths], jobs=jobs,
                                          use_cache=use_cache, progress=progress, shapes=shapes)
        elif changes or replaced:
            part = _full_with(project, sources, jobs=jobs, progress=progress)
        else:
            part, _ = fv.cached_full(project, jobs=jobs, use_cache=use_cache, progress=progress)
    results = sorted(part.results, key=ValidationResult.sort_key)
    return _LazyDataReport(results, fail_on, shown, None, None,
                           sources=sources, project=project, part=part)


def _full_with(project: Project, sources: list[Path], *, jobs: int | None, progress):
    """Full (non-incremental) validation of the project with drafts: plain pyshacl."""
    from . import fastvalidation as fv

    data_graph = load_files(sources, project=project)
    shapes = load_files(project.shape_files, project=project)
    with fv.cached_sparql_parsing():
        _, report_graph, _ = pyshacl.validate(
            data_graph, shacl_graph=shapes, inference="none", advanced=True, inplace=True,
            do_owl_imports=False, allow_warnings=False, allow_infos=False,
            abort_on_first=False, meta_shacl=False, js=False)
    return fv.chunk_result(report_graph, _results(report_graph, data_graph, project, sources))


def validate_graph(project: Project, data_graph: Graph, *, sources: list[Path],
                   shown: list[str], severity_threshold: Severity | str = Severity.VIOLATION
                   ) -> ValidationReport:
    """Validate a data graph that is already loaded (e.g. fetched from a remote store).

    `sources` are the files results are located in (none for a remote graph); `shown` names
    what was validated in the report.
    """
    fail_on = Severity.parse(severity_threshold)
    shapes = load_files(project.shape_files, project=project)
    if len(shapes) == 0:
        # pyshacl would fall back to reading shapes out of the data graph; we want "no checks".
        return ValidationReport([], fail_on, shown, Graph(), data_graph)
    _, report_graph, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes, inference="none", advanced=True,
        do_owl_imports=False, allow_warnings=False, allow_infos=False,
        abort_on_first=False, meta_shacl=False, js=False,
    )
    results = _results(report_graph, data_graph, project, sources)
    return ValidationReport(results, fail_on, shown, report_graph, data_graph)


def _results(report: Graph, data: Graph, project: Project, sources: list[Path]) -> list[ValidationResult]:
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
            focus_node=shorten(focus),
            path=render_path(report, path_node) if path_node is not None else None,
            value=shorten(value) if value is not None else None,
            message=messages[0] if messages else shorten(constraint),
            severity=_severity(report.value(node, SH.resultSeverity)),
            source_shape=shorten(_named_source(report, node)),
            constraint=shorten(constraint),
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
    except InnovgraphError:
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
        return shorten(node)
    if (inner := graph.value(node, SH.inversePath)) is not None:
        return "^" + render_path(graph, inner)
    if (inner := graph.value(node, SH.alternativePath)) is not None:
        return "(" + "|".join(render_path(graph, n) for n in Collection(graph, inner)) + ")"
    for predicate, suffix in _PATH_SUFFIX.items():
        if (inner := graph.value(node, predicate)) is not None:
            return render_path(graph, inner) + suffix
    if graph.value(node, RDF.first) is not None:
        return "/".join(render_path(graph, n) for n in Collection(graph, node))
    return shorten(node)
