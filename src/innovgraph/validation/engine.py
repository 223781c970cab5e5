"""Validate the project, a graph in hand, or a remote store's graph: the entry points.

pyshacl does the checking (through `chunks.run_pyshacl`); this module decides what the data
graph is (`data_sources`), keeps everything offline, and chooses how to check it: in chunks
from the embedded store, incrementally, from the report cache (chunks.py), or as plain
pyshacl over one rdflib graph of every file. The results are mapped back to the file and
line their focus node is described on (report.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from rdflib import Graph

from ..errors import StorageError, one_line
from ..progress import notice, progress as progress_bar
from ..project import Project
from ..sources import PathLike, load_files
from .chunks import cached_full, incremental_results, run_pyshacl
from .patches import cached_sparql_parsing
from .report import (ChunkResult, Severity, ValidationReport, ValidationResult, chunk_result,
                     report_graph, results_of)


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
             fast: bool = True, fail_on: Severity | str | None = None) -> ValidationReport:
    """Validate ontology + vocabularies + records (+ `paths`) against shapes/*.ttl.

    `fail_on` (an alias of `severity_threshold`, as the CLI's `--fail-on`) is the lowest
    severity that makes the report fail: violation (error), warning (warn) or info.

    By default (`fast`) the graph is validated in chunks from the embedded store, `jobs`
    worker processes at a time (default: one per core), the report of unchanged content is
    reused (`use_cache`), and with `paths` only what those records can reach is re-checked
    (`incremental`): see innovgraph.validation.chunks. The results are the same as those of
    `fast=False`, plain pyshacl over one rdflib graph of every file.

    >>> import tempfile
    >>> report = validate(Project(tempfile.mkdtemp()), fail_on="warning")  # no shapes, no data
    >>> report.ok, report.fail_on, report.results
    (True, <Severity.WARNING: 2>, [])

    :raises RecordSyntaxError: a source or shapes file is not valid Turtle.
    :raises OptionError: `fail_on` is not a severity.
    """
    if fail_on is not None:
        severity_threshold = fail_on
    sources = data_sources(project, paths)
    shown = [project.relative(p) for p in sources]
    if fast:
        try:
            return _validate_fast(project, sources, list(paths or ()), shown, severity_threshold,
                                  jobs=jobs, incremental=incremental, use_cache=use_cache)
        except (OSError, StorageError) as exc:
            # No writable cache for the store (a read-only checkout): validate plainly, and say so.
            notice(f"validating without the store ({one_line(exc)}); this is slower.")
    data_graph = load_files(sources, project=project)
    return validate_graph(project, data_graph, sources=sources, shown=shown,
                          severity_threshold=severity_threshold)


def _validate_fast(project: Project, sources: list[Path], paths: list[PathLike], shown: list[str],
                   severity_threshold: Severity | str, *, jobs: int | None, incremental: bool,
                   use_cache: bool) -> ValidationReport:
    fail_on = Severity.parse(severity_threshold)
    shapes = load_files(project.shape_files, project=project)  # syntax errors as before
    if len(shapes) == 0:
        data_graph = load_files(sources, project=project)
        return ValidationReport([], fail_on, shown, load_data=lambda: data_graph)
    data_files = project.data_files
    shipped = set(data_files) | set(project.ontology_files)
    changes = [p for p in sources if p not in shipped]
    replaced = len(sources) != len(shipped) + len(changes)
    with progress_bar(len(data_files), "Validating") as progress:
        if (changes or replaced) and incremental:
            part = incremental_results(project, sources, [Path(p) for p in paths], jobs=jobs,
                                       use_cache=use_cache, progress=progress, shapes=shapes)
        elif changes or replaced:
            part = _full_with(project, sources, jobs=jobs, progress=progress)
        else:
            part, _ = cached_full(project, jobs=jobs, use_cache=use_cache, progress=progress)
    results = sorted(part.results, key=ValidationResult.sort_key)
    # The graphs are built only if asked for (see ValidationReport).
    return ValidationReport(results, fail_on, shown, load_report=partial(report_graph, part),
                            load_data=partial(load_files, sources, project=project))


def _full_with(project: Project, sources: list[Path], *, jobs: int | None, progress) -> ChunkResult:
    """Full (non-incremental) validation of the project with drafts: plain pyshacl."""
    data_graph = load_files(sources, project=project)
    shapes = load_files(project.shape_files, project=project)
    with cached_sparql_parsing():
        report = run_pyshacl(data_graph, shapes, inplace=True)
    return chunk_result(report, results_of(report, data_graph, project, sources))


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
        return ValidationReport([], fail_on, shown, load_data=lambda: data_graph)
    report = run_pyshacl(data_graph, shapes)
    results = results_of(report, data_graph, project, sources)
    return ValidationReport(results, fail_on, shown, load_report=lambda: report,
                            load_data=lambda: data_graph)


def validate_remote(project: Project, graph: Graph, *, where: str,
                    severity_threshold: Severity | str = Severity.VIOLATION) -> ValidationReport:
    """Validate the graph of a remote store, fetched into rdflib, against the project's shapes.

    `where` names the store in the report (e.g. "URL <graph IRI>"); results have no file or
    line, since the graph comes from no file of the project.
    """
    return validate_graph(project, graph, sources=[], shown=[where],
                          severity_threshold=severity_threshold)
