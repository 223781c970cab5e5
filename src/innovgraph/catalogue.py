"""Saved queries: `queries/*.rq` files with grlc-style `#+ ` YAML front-matter.

Each file stays plain SPARQL 1.1 that any tool can run. Parameters follow BASIL naming:
`?_name_type` is required, `?__name_type` optional; the type suffix (`_iri`, `_integer`,
`_decimal`, `_boolean`, `_en`, `_literal`) says how a value becomes an RDF term. Values are
bound through pyoxigraph substitutions, never pasted into the text, so a value is only data.
pyoxigraph substitutes only variables of the SELECT projection, so SELECT queries project
their parameters (which also shows, in other tools, what an unbound parameter matched).

An IRI parameter may name the vocabulary scheme (`scheme: policy-area`) or the class
(`class: ig:City`) its value must belong to: a value that names no such concept or instance
is refused, with the nearest ones ("did you mean"), rather than answered with no rows.

Running them: `run_saved_query` (the one path from a name and text parameters to a result,
for the CLI and the server alike), `run_sparql` for ad-hoc queries, `run_query` for either
(and `query_rows` / `query_df`, typed rows and a pandas DataFrame for analysts),
`saved_answers`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import os

import pyoxigraph as ox
import yaml

from .errors import ParameterError, QueryDefinitionError, UnknownQueryError, one_line
from .namespaces import IGV, PREFIXES, SCHEME_PREFIXES
from .project import Project
from .store import GraphStore, QueryResult, open_store
from .terms import expand, show

XSD = PREFIXES["xsd"]
TYPES = ("iri", "integer", "decimal", "boolean", "en", "literal")
TYPE_WORDS = {"iri": "an IRI", "integer": "an integer", "decimal": "a decimal number",
              "boolean": "true or false", "en": "English text", "literal": "text"}
_PARAM_VAR = re.compile(r"[?$](__?)([A-Za-z0-9]\w*)")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_BOOLEANS = {"true": "true", "false": "false", "1": "true", "0": "false"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


@dataclass(frozen=True)
class Parameter:
    """One query parameter, e.g. `?_role_iri` -> name 'role', type 'iri', required.

    >>> Parameter("year", "__year_integer", "integer", False).term("2020")
    <Literal value=2020 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """

    name: str
    variable: str
    type: str
    required: bool
    default: str | None = None
    description: str = ""
    scheme: str | None = None  # the IRI of the concept scheme a value must be a concept of
    of_class: str | None = None  # the IRI of the class a value must be an instance of

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """Build the typed RDF term for a value given as text.

        Values the engine would refuse or could not compute with are refused here, with the
        same error: an IRI that pyoxigraph does not accept (a control character, ``%zz``,
        ``http://[::1``), a number outside the range of its xsd:integer (64 bits) or
        xsd:decimal (20 digits before the point, 18 after), text that is not Unicode.

        >>> Parameter("year", "__year_integer", "integer", False).term("9" * 5000)
        Traceback (most recent call last):
        ...
        innovgraph.errors.ParameterError: Parameter 'year' must be an integer, got '99999999999999999999'... (5000 characters): it is out of the engine's range (64-bit integers).

        :raises ParameterError: the value is not of the parameter's type.
        """
        value = str(value)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise self._wrong(value, "it is not valid Unicode text (an undecodable byte?)") \
                from None
        try:
            return self._term(value)
        except ValueError as exc:  # pyoxigraph's refusals (UnicodeEncodeError is one too)
            raise self._wrong(value, one_line(exc)) from None

    def _term(self, value: str) -> ox.NamedNode | ox.Literal:
        if self.type == "iri":
            return ox.NamedNode(self._iri(value))
        if self.type == "integer" and _INTEGER.fullmatch(value.strip()):
            number = int(value) if len(value.strip()) <= 20 else None
            if number is None or not -2 ** 63 <= number < 2 ** 63:
                raise self._wrong(value, "it is out of the engine's range (64-bit integers)")
            return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "decimal" and _DECIMAL.fullmatch(value.strip()):
            whole, _, fraction = value.strip().lstrip("+-").partition(".")
            if len(whole.lstrip("0")) > 20 or len(fraction.rstrip("0")) > 18:
                raise self._wrong(value, "it is out of the engine's range (20 digits before "
                                         "the point, 18 after)")
            return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "decimal"))
        if self.type == "boolean" and value.strip().lower() in _BOOLEANS:
            return ox.Literal(_BOOLEANS[value.strip().lower()], datatype=ox.NamedNode(XSD + "boolean"))
        if self.type == "en":
            return ox.Literal(value, language="en")
        if self.type == "literal":
            return ox.Literal(value)
        raise self._wrong(value)

    def _iri(self, value: str) -> str:
        # A name as the tool prints it (role:data-scientist, city:moscow-rus), as it printed
        # them before (igv:innovation-role/data-scientist, id:city/moscow-rus), escaped as
        # SPARQL allows (id:city\/moscow-rus), or an IRI, bare or in <...>.
        text = expand(value)
        if text is None:
            text = value.strip()
        if not _SCHEME.match(text) or _IRI_FORBIDDEN.search(text):
            raise self._wrong(value)
        return text

    def _wrong(self, value: str, reason: str | None = None) -> ParameterError:
        shown = repr(value) if len(value) <= 80 else f"{value[:20]!r}... ({len(value)} characters)"
        why = f": {reason[:1].lower() + reason[1:]}" if reason else ""
        return ParameterError(
            f"Parameter {self.name!r} must be {TYPE_WORDS[self.type]}, got {shown}{why}.")


@dataclass(frozen=True)
class SavedQuery:
    """One `queries/*.rq` file: its SPARQL text and its `#+` header (summary, description,
    tags, examples), with the parameters its variable names declare.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "cities-by-role.rq"
    >>> _ = path.write_text(chr(10).join([
    ...     "#+ summary: Cities with a role.", "#+ params:", "#+   role: {description: The role.}",
    ...     "SELECT ?city ?_role_iri WHERE { ?city <https://example.org/role> ?_role_iri }"]))
    >>> query = parse_query_file(path)
    >>> query.name, [(p.name, p.type, p.required) for p in query.params]
    ('cities-by-role', [('role', 'iri', True)])
    """

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = ()
    examples: tuple[dict, ...] = field(default=())

    def bind(self, params: dict[str, str] | None = None) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Check `params` and turn them into substitutions {Variable: typed term}.

        Optional parameters not given are bound to their default, or left unbound.

        :raises ParameterError: an unknown, missing or ill-typed parameter.
        """
        params = dict(params or {})
        known = {p.name: p for p in self.params}
        for key in params:
            if key not in known:
                takes = ", ".join(known) or "no parameters"
                raise ParameterError(f"Unknown parameter {key!r} for query {self.name}; it takes: {takes}.")
        bound = {}
        for p in self.params:
            value = params.get(p.name, p.default)
            if value is None:
                if p.required:
                    raise ParameterError(
                        f"Missing parameter {p.name!r} ({TYPE_WORDS[p.type]}) for query {self.name}.")
                continue
            bound[ox.Variable(p.variable)] = p.term(value)
        return bound


def _parse_variable(underscores: str, name: str) -> tuple[str, str]:
    base, _, suffix = name.rpartition("_")
    return (base, suffix) if base and suffix in TYPES else (name, "literal")


def _text(value: object) -> str | None:
    # YAML reads `default: true` as a bool; parameters take text, as from the command line.
    if value is None:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def parse_query_file(path: Path) -> SavedQuery:
    """Read one `.rq` file: `#+ ` header lines are YAML, the rest (and they) are SPARQL.

    :raises QueryDefinitionError: invalid YAML, no summary, or parameters that the header
        and the query text disagree on.
    """
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        header.append(line[3:] if line.startswith("#+ ") else line[2:])
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        raise QueryDefinitionError(f"{path.name}: invalid front-matter YAML: "
                                   + " ".join(str(exc).split())) from None
    if not isinstance(meta, dict) or not meta.get("summary"):
        raise QueryDefinitionError(f"{path.name}: the front-matter needs a 'summary:' line.")
    declared = meta.get("params") or {}
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    params, seen = [], set()
    for underscores, raw in _PARAM_VAR.findall(code):
        name, kind = _parse_variable(underscores, raw)
        if name in seen:
            continue
        seen.add(name)
        spec = declared.get(name)
        if not isinstance(spec, dict):
            raise QueryDefinitionError(f"{path.name}: parameter {name!r} (?{underscores}{raw}) "
                                       "is not described under 'params:'.")
        if spec.get("type", kind) != kind:
            raise QueryDefinitionError(f"{path.name}: parameter {name!r} is declared as "
                                       f"{spec['type']!r} but its variable says {kind!r}.")
        params.append(Parameter(name, underscores + raw, kind, underscores == "_",
                                _text(spec.get("default")),
                                str(spec.get("description", "")).strip(),
                                *_membership(path, name, kind, spec)))
    if extra := sorted(set(declared) - seen):
        raise QueryDefinitionError(f"{path.name}: 'params:' describes {', '.join(extra)}, "
                                   "which the query does not use.")
    return SavedQuery(
        name=path.stem, path=path, text=text, summary=str(meta["summary"]).strip(),
        description=" ".join(str(meta.get("description", "")).split()),
        tags=tuple(meta.get("tags") or ()), params=tuple(params),
        examples=tuple(meta.get("examples") or ()),
    )


def _membership(path: Path, name: str, kind: str, spec: dict) -> tuple[str | None, str | None]:
    """The `scheme:` and `class:` of a parameter's header, as IRIs.

    :raises QueryDefinitionError: either on a parameter that is not an IRI, or a scheme that
        is not one of the vocabularies (namespaces.SCHEME_PREFIXES), or a class that is no IRI.
    """
    scheme, cls = spec.get("scheme"), spec.get("class")
    if (scheme is not None or cls is not None) and kind != "iri":
        raise QueryDefinitionError(f"{path.name}: parameter {name!r} has a scheme or class "
                                   f"but is not an IRI parameter ({kind}).")
    if scheme is not None:
        slug = str(scheme).strip()
        iri = expand(slug) if ":" in slug else f"{IGV}{slug}"
        if iri is None or not iri.startswith(str(IGV)) or iri[len(IGV):] not in SCHEME_PREFIXES:
            raise QueryDefinitionError(
                f"{path.name}: parameter {name!r} names an unknown scheme {slug!r}; the schemes "
                f"are {', '.join(SCHEME_PREFIXES)}.")
        scheme = iri
    if cls is not None:
        iri = expand(str(cls))
        if iri is None or not _SCHEME.match(iri):
            raise QueryDefinitionError(f"{path.name}: parameter {name!r} has class {cls!r}, "
                                       "which is not a prefixed name or <IRI>.")
        cls = iri
    return scheme, cls


class Catalogue:
    """The saved queries of a project, by name (the file name without `.rq`).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); (root / "queries").mkdir()
    >>> _ = (root / "queries" / "cities.rq").write_text(
    ...     "#+ summary: Every city." + chr(10) + "SELECT ?city WHERE { ?city a ?class }")
    >>> [(q.name, q.summary) for q in Catalogue(Project(root)).list()]
    [('cities', 'Every city.')]
    >>> Catalogue(Project(root)).get("citeis")
    Traceback (most recent call last):
    ...
    innovgraph.errors.UnknownQueryError: No saved query named 'citeis'. Did you mean cities? Run `innovgraph queries` for the list.
    """

    def __init__(self, project: Project | None = None) -> None:
        self.project = project if project is not None else Project()
        self._queries: dict[str, SavedQuery] | None = None

    def _load(self) -> dict[str, SavedQuery]:
        if self._queries is None:
            self._queries = {q.name: q for q in map(parse_query_file, self.project.query_files)}
        return self._queries

    def list(self) -> list[SavedQuery]:
        """Every saved query, sorted by name."""
        return [self._load()[name] for name in sorted(self._load())]

    def get(self, name: str) -> SavedQuery:
        """:raises UnknownQueryError: no such query (the message suggests close names)."""
        queries = self._load()
        if name in queries:
            return queries[name]
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise UnknownQueryError(
            f"No saved query named {name!r}.{hint} Run `innovgraph queries` for the list.")


# --- running them ------------------------------------------------------------------------

def _store(project_or_store: GraphStore | Project | str | os.PathLike[str] | None) -> GraphStore:
    if isinstance(project_or_store, GraphStore) or hasattr(project_or_store, "query"):
        return project_or_store  # the embedded store, or a RemoteStore (innovgraph.remote)
    return open_store(project_or_store)


def run_saved_query(project_or_store: GraphStore | Project | str | os.PathLike[str] | None,
                    name: str, params: dict[str, str] | None = None, *,
                    catalogue: Catalogue | None = None, **options) -> QueryResult:
    """Run the saved query `name` with `params` ({name: text value}): the one path from a
    name and text values to a result, for the CLI, the REST API and remote stores alike.

    `catalogue` is where to find the query (default: the store's project's); `options` go to
    the store's `query` (the server's `limit`, `deadline`, `cache`).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); (root / "queries").mkdir()
    >>> _ = (root / "queries" / "any.rq").write_text("#+ summary: Any triple?" + chr(10) +
    ...                                              "ASK { ?s ?p ?o }")
    >>> run_saved_query(open_store(root, in_memory=True), "any").boolean
    False

    :raises UnknownQueryError: no saved query of that name.
    :raises ParameterError: an unknown, missing or ill-typed parameter, or one that names no
        concept of its scheme (or no instance of its class), with the nearest ones.
    :raises QuerySyntaxError: the saved query does not parse.
    """
    store = _store(project_or_store)
    query = (catalogue or _catalogue(store.project)).get(name)
    bound = query.bind(params)
    check_members(store, query, bound)
    result = store.query(query.text, substitutions=bound, name=name, **options)
    # Parameters are projected only because pyoxigraph substitutes projected variables;
    # their columns would just echo the input.
    return result.without({p.variable for p in query.params})


_SKOS_IN_SCHEME = PREFIXES["skos"] + "inScheme"
_RDF_TYPE = PREFIXES["rdf"] + "type"


def check_members(store, query: SavedQuery, bound: dict) -> None:
    """Refuse a bound IRI that is no concept of its parameter's `scheme` (or no instance of
    its `class`), naming the nearest ones: a misspelt concept is an error, not zero rows.

    :raises ParameterError: such a value.
    """
    for p in query.params:
        term = bound.get(ox.Variable(p.variable))
        if term is None or (p.scheme is None and p.of_class is None):
            continue
        link, target = (_SKOS_IN_SCHEME, p.scheme) if p.scheme else (_RDF_TYPE, p.of_class)
        pattern = f"<{link}> <{target}>"
        if store.query(f"ASK {{ <{term.value}> {pattern} }}").boolean:
            continue
        members = {show(row[0]): row[0].value for row in
                   store.query(f"SELECT DISTINCT ?m {{ ?m {pattern} }}").rows
                   if isinstance(row[0], ox.NamedNode)}
        what = (f"no concept of {show(ox.NamedNode(p.scheme))}" if p.scheme
                else f"no {show(ox.NamedNode(p.of_class))}")
        raise ParameterError(f"Parameter {p.name!r} names {what}: {show(term)}."
                             + _nearest(term.value, members))


def _nearest(iri: str, members: dict[str, str]) -> str:
    if not members:
        return " There is none in the graph."
    local = {re.split(r"[/#]", full)[-1]: shown for shown, full in members.items()}
    wanted = re.split(r"[/#]", iri)[-1]
    # The closest tier that has any: a typo finds its word alone, a vaguer name a few.
    close = next(found for cutoff in (0.8, 0.6, 0.0)
                 if (found := difflib.get_close_matches(wanted, list(local), n=3, cutoff=cutoff)))
    return f" Did you mean {' or '.join(local[c] for c in close)}?"


_CATALOGUES: dict[object, tuple[tuple, Catalogue]] = {}


def _catalogue(project: Project | None) -> Catalogue:
    """The project's Catalogue, re-read only when a query file changes (parsing the YAML
    front-matter of every query on each call cost more than a cached query)."""
    if project is None:
        return Catalogue(project)
    signature = tuple((str(p), st.st_mtime_ns, st.st_size)
                      for p in project.query_files for st in (p.stat(),))
    cached = _CATALOGUES.get(project.root)
    if cached is None or cached[0] != signature:
        cached = _CATALOGUES[project.root] = (signature, Catalogue(project))
    return cached[1]


def run_sparql(store: GraphStore, text: str, *, allow_federation: bool = False) -> QueryResult:
    """Run an ad-hoc SPARQL query over the union of all graphs. SERVICE (which fetches from
    the network) is refused unless `allow_federation`.

    >>> import tempfile
    >>> run_sparql(open_store(tempfile.mkdtemp(), in_memory=True), "ASK { ?s ?p ?o }").boolean
    False

    :raises QuerySyntaxError: the query does not parse (with line and column), or nests too
        deeply (QueryTooDeepError).
    :raises FederationRefusedError: SERVICE without `allow_federation`.
    """
    return store.query(text, allow_federation=allow_federation)


_QUERY_NAME = re.compile(r"[\w.-]+")


def is_query_name(text: str) -> bool:
    """Whether `text` names a saved query (a file name) rather than being SPARQL text.

    >>> is_query_name("cities-by-role"), is_query_name("ASK { ?s ?p ?o }")
    (True, False)
    """
    return bool(_QUERY_NAME.fullmatch(text.strip()))


def run_query(project_or_store: GraphStore | Project | str | os.PathLike[str] | None,
              query: str, params: dict[str, str] | None = None, **options) -> QueryResult:
    """Run `query`: the name of a saved query (with `params`), or SPARQL text (ad hoc, with
    the default prefixes). `project_or_store` is a Project, a path, a store or None (the
    project found from the working directory, as the CLI does).

    >>> import tempfile
    >>> run_query(tempfile.mkdtemp(), "ASK { ?city a ig:City }").boolean
    False

    :raises UnknownQueryError: a name that is no saved query.
    :raises ParameterError: a bad parameter, or `params` with SPARQL text.
    :raises QuerySyntaxError: the text does not parse.
    """
    if is_query_name(query):
        return run_saved_query(project_or_store, query.strip(), params, **options)
    if params:
        raise ParameterError("params apply to saved queries; write the values into the SPARQL "
                             "text (or save it in queries/ with a #+ params header).")
    return _store(project_or_store).query(query, **options)


def query_rows(query: str, params: dict[str, str] | None = None, *,
               project: GraphStore | Project | str | os.PathLike[str] | None = None
               ) -> list[dict[str, object]]:
    """Typed rows of a saved query (by name) or of SPARQL text: {variable: value}, IRIs as
    their full string, numbers as int / Decimal / float, booleans as bool, None when unbound
    (`QueryResult.typed_rows`).

    >>> import tempfile
    >>> query_rows("SELECT (1 AS ?n) (role:designer AS ?r) {}", project=tempfile.mkdtemp())
    [{'n': 1, 'r': 'https://w3id.org/innovgraph/vocab/innovation-role/designer'}]

    :raises UnknownQueryError: a name that is no saved query.
    :raises ParameterError: a bad parameter.
    :raises QuerySyntaxError: the text does not parse.
    """
    return run_query(project, query, params).typed_rows()


def query_df(query: str, params: dict[str, str] | None = None, *,
             project: GraphStore | Project | str | os.PathLike[str] | None = None):
    """A saved query (by name) or SPARQL text as a pandas DataFrame, with the columns,
    values and dtypes `pandas.read_csv` reads from `innovgraph query ... --format csv`
    (`QueryResult.to_dataframe`). After kglab's `query_as_df`.

    >>> import tempfile
    >>> query_df("SELECT (1 AS ?n) {}", project=tempfile.mkdtemp()).to_dict("records")
    [{'n': 1}]

    :raises MissingDependencyError: pandas is not installed (pip install 'innovgraph[pandas]').
    :raises UnknownQueryError: a name that is no saved query.
    :raises ParameterError: a bad parameter.
    :raises QuerySyntaxError: the text does not parse.
    """
    return run_query(project, query, params).to_dataframe()


def saved_answers(store: GraphStore, names: tuple[str, ...]) -> list[tuple[SavedQuery, QueryResult]]:
    """Run parameterless saved queries; names missing from the catalogue are skipped."""
    catalogue = Catalogue(store.project)
    known = {q.name: q for q in catalogue.list()}
    return [(known[n], run_saved_query(store, n)) for n in names if n in known]
