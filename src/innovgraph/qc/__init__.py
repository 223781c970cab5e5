"""Ontology and data quality checks in the ROBOT report style (`innovgraph qc`).

Each check is a SPARQL SELECT in `queries/qc/<check>-violation.rq` returning ?entity ?property
?value: zero rows passes, each row is one violation. Two checks are built in, because they are
easier to state in Python, and report in the same row format: `owl-dl-profile`
(`innovgraph.qc.owl_profile`) and `one-home` (`innovgraph.qc.one_home`: no triple stated in two
files, which a query over the merged graph cannot see). Levels (ERROR, WARN, INFO) are data: `queries/qc/profile.tsv` lists each check to
run with its level, as ROBOT's `--profile` file does.

The queries run with pyoxigraph over ontology + vocabularies + records (and any extra files),
all in the default graph. `igfn:slugify` (`https://w3id.org/innovgraph/fn#slugify`) is
available to the queries as a custom function: it is `innovgraph.namespaces.slugify`.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import OptionError, QueryDefinitionError, UnknownQueryError
from ..namespaces import slugify
from ..project import Project
from ..sources import PathLike, load_files, read_triples
from ..terms import show, syntax_error
from .one_home import check as one_home_check
from .owl_profile import check as dl_check

SLUGIFY = ox.NamedNode("https://w3id.org/innovgraph/fn#slugify")
BUILTIN_CHECKS = ("owl-dl-profile", "one-home")
SUFFIX = "-violation.rq"


class Level(enum.IntEnum):
    """ROBOT report levels, ordered so that `>=` means "at least as serious"."""

    INFO = 1
    WARN = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: "Level | str") -> "Level":
        if isinstance(value, Level):
            return value
        name = str(value).strip().upper()
        # One --fail-on vocabulary for validate and qc: SHACL's words are accepted too.
        name = {"WARNING": "WARN", "VIOLATION": "ERROR"}.get(name, name)
        try:
            return cls[name]
        except KeyError:
            raise OptionError(f"Unknown level {value!r}; use error (violation), warn (warning) "
                              "or info.") from None


@dataclass(frozen=True)
class Violation:
    level: Level
    check: str
    entity: str
    property: str
    value: str

    def as_dict(self) -> dict:
        return {"level": self.level.name, "check": self.check, "entity": self.entity,
                "property": self.property, "value": self.value}


@dataclass
class QcReport:
    """The violations of a QC run, the checks that ran at their levels, and the threshold.

    >>> report = QcReport([], [("iri-pattern", Level.ERROR)])
    >>> report.ok, report.per_check()
    (True, {'iri-pattern': 0})
    """

    violations: list[Violation]
    checks: list[tuple[str, Level]]
    fail_on: Level = Level.ERROR
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[Level, int]:
        tally = Counter(v.level for v in self.violations)
        return {level: tally.get(level, 0) for level in sorted(Level, reverse=True)}

    def per_check(self) -> dict[str, int]:
        tally = Counter(v.check for v in self.violations)
        return {name: tally.get(name, 0) for name, _ in self.checks}

    def passes_at(self, threshold: Level | str) -> bool:
        limit = Level.parse(threshold)
        return not any(v.level >= limit for v in self.violations)

    @property
    def ok(self) -> bool:
        return self.passes_at(self.fail_on)


def read_profile(project: Project) -> list[tuple[str, Level]]:
    """(check, level) pairs from queries/qc/profile.tsv, in file order.

    :raises QueryDefinitionError: the profile is missing, a line is malformed, or a check named
        in it has neither a query file nor a built-in implementation.
    :raises OptionError: a line names an unknown level.
    """
    path = project.qc_dir / "profile.tsv"
    if not path.is_file():
        raise QueryDefinitionError(f"No quality-check profile: {project.relative(path)} is missing.")
    checks: list[tuple[str, Level]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) != 2:
            raise QueryDefinitionError(
                f"{project.relative(path)}:{number}: expected 'LEVEL<TAB>check'.")
        level, name = Level.parse(parts[0]), parts[1].strip()
        if name not in BUILTIN_CHECKS and not (project.qc_dir / f"{name}{SUFFIX}").is_file():
            raise QueryDefinitionError(f"{project.relative(path)}:{number}: no check named "
                                       f"{name!r} (expected queries/qc/{name}{SUFFIX}).")
        checks.append((name, level))
    return checks


def _store(files: Sequence[Path], project: Project) -> ox.Store:
    store = ox.Store()
    # The store's parser, as everywhere (sources.read_triples), into the default graph.
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object)
                      for _, triples in read_triples(files, project=project) for t in triples)
    return store


def _slugify(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Literal | None:
    return ox.Literal(slugify(term.value)) if isinstance(term, ox.Literal) else None


def run_query_check(store: ox.Store, text: str, name: str) -> list[tuple[str, str, str]]:
    """Rows (entity, property, value) of one violation query, as compact strings.

    :raises QuerySyntaxError: the query does not parse.
    :raises QueryDefinitionError: the query is not a SELECT of ?entity ?property ?value.
    """
    try:
        solutions = store.query(text, custom_functions={SLUGIFY: _slugify})
    except SyntaxError as exc:
        raise syntax_error(exc, text, f"quality check {name}", default_prefixes=False) from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryDefinitionError(f"Quality check {name} must be a SELECT query.")
    names = [v.value for v in solutions.variables]
    if names[:3] != ["entity", "property", "value"]:
        raise QueryDefinitionError(f"Quality check {name} must select ?entity ?property ?value "
                                   f"(it selects {' '.join('?' + n for n in names)}).")
    return [(show(s["entity"]), show(s["property"]), show(s["value"]))
            for s in solutions]


def run_qc(project: Project, extra_files: Iterable[PathLike] = (), *,
           fail_on: Level | str = Level.ERROR, checks: Sequence[str] | None = None) -> QcReport:
    """Run the checks of queries/qc/profile.tsv (or only `checks`) over the project graph.

    >>> report = run_qc(Project(), checks=["iri-pattern"])  # this checkout's graph
    >>> report.ok, [name for name, _ in report.checks]
    (True, ['iri-pattern'])

    :raises UnknownQueryError: `checks` names a check the profile does not list.
    :raises QueryDefinitionError: a bad profile or check query.
    :raises QuerySyntaxError: a check query does not parse.
    :raises OptionError: an unknown level.
    :raises RecordSyntaxError: a source file is not valid Turtle.
    """
    profile = read_profile(project)
    if checks:
        unknown = sorted(set(checks) - {name for name, _ in profile})
        if unknown:
            raise UnknownQueryError(f"Unknown quality check(s): {', '.join(unknown)}; "
                                    f"known: {', '.join(name for name, _ in profile)}.")
        profile = [(name, level) for name, level in profile if name in checks]
    files = [*project.ontology_files, *project.data_files, *(Path(p) for p in extra_files)]
    store = _store(files, project)
    graph = None
    violations: list[Violation] = []
    for name, level in profile:
        if name == "owl-dl-profile":
            graph = graph if graph is not None else load_files(files, project=project)
            rows = [(show(e, turtle=True), show(p, turtle=True), v if isinstance(v, str) else show(v, turtle=True))
                    for e, p, v in dl_check(graph)]
        elif name == "one-home":
            rows = list(one_home_check(files, project))
        else:
            text = (project.qc_dir / f"{name}{SUFFIX}").read_text(encoding="utf-8")
            rows = run_query_check(store, text, name)
        violations += [Violation(level, name, *row) for row in rows]
    return QcReport(violations, profile, Level.parse(fail_on), [project.relative(p) for p in files])
