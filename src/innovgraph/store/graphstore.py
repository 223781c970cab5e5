"""The embedded store: the project's Turtle files in pyoxigraph, one named graph per file.

rdflib's own engine is 18-49x slower on cross-city joins (docs/performance.md), so
queries run on pyoxigraph. The default graph is the union of the named graphs, which keeps
saved queries free of GRAPH clauses while `graphs()` still says where a triple came from.

The store is built by `innovgraph.store.build` and persisted under
`<project>/.innovgraph-cache/store/<graph hash>-v<format>/`,
keyed by `Project.graph_hash()` (ontology, vocabularies, records): any edit to one of them
changes the hash, so a stale store is never opened, while editing a query or a shape does
not rebuild it. It is built in a temporary sibling directory and renamed into place, so a
crash leaves no half-built store.

Query results are cached by the store's content: the same SPARQL with the same
substitutions on the same content answers from memory, or from
`<project>/.innovgraph-cache/results/<graph hash>/` in a later process (the CLI), so a
repeated saved query costs a file read. Stores that can change (in memory) are not cached.

The OWL 2 RL inferences (innovgraph.inference) are in a second store, built the first time
a query names GRAPH <https://w3id.org/innovgraph/graph/inferred> (see
`GraphStore.inference_engine` for why), under `<project>/.innovgraph-cache/store-inferred/`;
up to `INFERENCE_LIMIT` asserted triples (about 5 s at 1,000 cities; docs/quality.md), above
which it says so and the inferred graph stays empty.

Note: pyoxigraph's union default graph is a bag, not a set: a triple stated in two files
(e.g. a country shared by several city records) matches twice. Queries that may meet such
triples use SELECT DISTINCT or COUNT(DISTINCT ...).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from pathlib import Path

import pyoxigraph as ox

from ..cache import build_dir, cache_dir, write_pickle
from ..errors import (GraphSyntaxError, OptionError, QueryError, ResultTooLarge, StorageError,
                      one_line)
from .checks import NETWORK_KEYWORDS, check_depth, check_rdf_input, refuse_network
from ..inference import inferred_graph_path
from ..lexer import has_dataset_clause, keywords, tokens
from ..namespaces import DEFAULT_PREFIXES, INFERRED_GRAPH, PREFIXES
from ..progress import notice
from ..project import Project
from ..terms import Term, syntax_error
from .result import QueryResult, from_answer
from .updates import apply_update

# OWL 2 RL materialisation (innovgraph.inference) runs only up to this many asserted triples
# (about 2,800 cities, some 15 s, paid again after every edit by the first inference query).
INFERENCE_LIMIT = int(os.environ.get("INNOVGRAPH_INFERENCE_LIMIT", "500000"))
# Results with more rows (or triples) than this are not written to the on-disk result cache.
RESULT_CACHE_MAX_ROWS = 200_000


class GraphStore:
    """The project's graph in pyoxigraph. All access goes through this class; `open_store`
    builds one from a project.

    >>> store = GraphStore(ox.Store())
    >>> store.update("INSERT DATA { <https://example.org/fictional-a> a <https://example.org/City> }")
    >>> store.triples_count(), store.query("SELECT ?s WHERE { ?s a ?c }").values()
    (1, [('<https://example.org/fictional-a>',)])
    """

    def __init__(self, store: ox.Store, project: Project | None = None, *,
                 content_hash: str | None = None, path: Path | None = None,
                 parsed_triples: int | None = None) -> None:
        self._store = store
        # Triples parsed from the sources when the store was built (None: not known).
        self.parsed_triples = parsed_triples
        self.project = project
        # Set only for a read-only store of known content: then results can be cached.
        self.content_hash = content_hash
        self.path = path
        self._results: dict[str, QueryResult] = {}
        self._inference: ox.Store | None = None
        self._told_too_large = False
        # Deeper nesting of { ( [ is refused before parsing (None: lexer.max_depth()).
        self.max_query_depth: int | None = None

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph Store of the asserted graphs, for callers that stream rows or look up
        patterns. Read-only for a persisted store. Queries on it should pass
        `dataset_options()`, or use `engine_for`, to see the same dataset as `query`.
        """
        return self._store

    def engine_for(self, sparql: str) -> tuple[ox.Store, dict]:
        """The pyoxigraph store and query options that answer `sparql` as `query` does.

        A query that names the inferred graph runs on the inference store (`inference_engine`);
        any other on the asserted graphs, with their union as the default graph.
        """
        if INFERRED_GRAPH in sparql and not self._too_large_to_infer():
            return self.inference_engine(), {}
        # (Above the limit the inferred graph is empty: the main store has no such graph.)
        return self._store, self.dataset_options()

    def _too_large_to_infer(self) -> bool:
        if self.parsed_triples is None:  # a store built without the count: count its quads
            self.parsed_triples = len(self._store)
        if self.parsed_triples <= INFERENCE_LIMIT:
            return False
        if not self._told_too_large:
            self._told_too_large = True
            notice(f"{self.parsed_triples:,} asserted triples, above the "
                  f"{INFERENCE_LIMIT:,} up to which the OWL 2 RL inferred graph is materialised; "
                  "queries over GRAPH <https://w3id.org/innovgraph/graph/inferred> find nothing. "
                  "Raise INNOVGRAPH_INFERENCE_LIMIT to materialise it anyway.")
        return True

    def inference_engine(self) -> ox.Store:
        """A store with the asserted triples (their union in the default graph, each file's
        in its named graph) and the OWL 2 RL inferences in GRAPH <.../graph/inferred>.

        Kept apart from the main store, and built the first time a query names the inferred
        graph: in one store, excluding the inferred graph from the default graph means
        listing every other graph, which makes pyoxigraph 10-17x slower on every query (and
        the materialisation would make every rebuild slower). Persisted next to the main
        store, keyed by the same content hash.
        """
        if self._inference is None:
            self._inference = _inference_store(self)
        return self._inference

    def invalidate(self) -> None:
        """Forget what was derived from the store's content (after a write to it)."""
        self._results.clear()
        self._inference = None

    def query(self, sparql: str, *, substitutions: dict[ox.Variable, Term] | None = None,
              name: str | None = None, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None, limit: int | None = None,
              deadline: float | None = None, cache: bool = True,
              allow_federation: bool = False, base_iri: str | None = None,
              default_prefixes: bool = True) -> QueryResult:
        """Run a SPARQL 1.1 query; `substitutions` bind variables to RDF terms (SEP-0007).

        With `default_prefixes` (the default) the text may use the default prefixes
        (`namespaces.DEFAULT_PREFIXES`: ig:, igv:, id:, schema:, skos:, role:, city:, ...,
        every prefix the tool prints names with) without declaring them; its own PREFIX wins.

        The dataset is the union of the asserted graphs as the default graph and every graph
        as a named graph, unless the query names its own (FROM, FROM NAMED) or the caller
        does (`default_graph`, `named_graphs`: graph IRIs, as the SPARQL protocol's
        default-graph-uri and named-graph-uri, which then replace the query's own). As the
        protocol says, a graph the store does not hold is an empty graph (nothing is ever
        fetched), and with `named_graphs` alone the default graph is empty. `base_iri`
        resolves relative IRIs of the text (without it they are a syntax error). A query that
        names the inferred graph runs on the inference store (`inference_engine`). `limit` and
        `deadline` (a `time.monotonic()` value) bound what is collected, as the server needs.

        Before the engine sees the text: nesting deeper than `max_query_depth` is refused,
        and so are SERVICE and LOAD (they fetch from the network) unless `allow_federation`
        (`innovgraph.store.checks`).

        On a store of known content (see `open_store`) the result is cached, in memory and
        on disk, keyed by content hash, query text and substitutions (not with a caller's
        dataset, nor with `cache=False`).

        >>> store = GraphStore(ox.Store())
        >>> store.query("ASK { ?s ?p ?o }").boolean
        False
        >>> store.query("ASK { ?city a ig:City ; ig:listsRole role:designer }").boolean
        False

        :raises QuerySyntaxError: the query does not parse (message gives line, column and
            the token found; an undeclared prefix is named).
        :raises QueryTooDeepError: it nests deeper than the limit.
        :raises FederationRefusedError: SERVICE without `allow_federation`.
        :raises StorageError: the store could not be read.
        :raises InnovgraphError: the engine refuses the query (e.g. a substituted
            variable that is not in the SELECT projection).
        :raises ResultTooLarge: more than `limit` rows or triples.
        :raises QueryTimeout: `deadline` passed while the rows were collected.
        """
        check_depth(sparql, self.max_query_depth)
        prefixes = DEFAULT_PREFIXES if default_prefixes else None
        if not allow_federation:
            refuse_network(sparql, prefixes=prefixes)
        own_dataset = default_graph is not None or named_graphs is not None
        key = None if own_dataset or not cache \
            else self._result_key(sparql, substitutions, base_iri, default_prefixes)
        if key is not None:
            cached = self._results.get(key) or self._read_cached(key)
            if cached is not None:
                self._results[key] = cached
                if limit is not None and len(cached) > limit:
                    raise ResultTooLarge(f"More than {limit} results.")
                return cached.copy()
        engine, options = self._dataset(sparql, substitutions, default_graph, named_graphs)
        try:
            answer = engine.query(sparql, **options, substitutions=substitutions or None,
                                  base_iri=base_iri, prefixes=prefixes)
            result = from_answer(answer, limit=limit, deadline=deadline)
            if result.kind == "select" and "*" in sparql:
                result = result.reordered(_star_order(sparql, result.variables))
        except SyntaxError as exc:
            raise syntax_error(exc, sparql, f"query {name}" if name else None,
                               default_prefixes=default_prefixes) from None
        except OSError as exc:
            if allow_federation and keywords(sparql, NETWORK_KEYWORDS):
                raise QueryError(f"A SERVICE request of the query failed: {one_line(exc)}.") \
                    from None
            raise StorageError(f"Cannot read the store: {one_line(exc)}.") from None
        except (RuntimeError, ValueError) as exc:
            where = f" in query {name}" if name else ""
            raise QueryError(f"Cannot run the query{where}: {one_line(exc)}.") from None
        if key is not None:
            self._results[key] = result
            self._write_cached(key, result)
            return result.copy()
        return result

    def _dataset(self, sparql: str, substitutions, default_graph, named_graphs
                 ) -> tuple[ox.Store, dict]:
        engine, options = self.engine_for(sparql)
        options = dict(options)
        if default_graph is None and named_graphs is not None:
            default_graph = []  # the protocol: named-graph-uri alone, an empty default graph
        if default_graph is not None:
            # (It also replaces the query's own FROM, as the protocol says; a graph the store
            # does not hold reads as empty.)
            options.pop("use_default_graph_as_union", None)
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif not substitutions and has_dataset_clause(sparql):
            # The query's own FROM / FROM NAMED: the union option would override it
            # (pyoxigraph 0.5.13). Saved queries (with substitutions) never name a dataset.
            options.pop("use_default_graph_as_union", None)
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return engine, options

    def _result_key(self, sparql: str, substitutions, base_iri: str | None = None,
                    default_prefixes: bool = True) -> str | None:
        if self.content_hash is None:
            return None
        digest = hashlib.sha256(self.content_hash.encode())
        base = [f"base={base_iri}"] if base_iri else []
        base += [] if default_prefixes else ["no-default-prefixes"]
        for part in (sparql, *base, *sorted(f"{v}={t}" for v, t in (substitutions or {}).items())):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def _cache_file(self, key: str) -> Path | None:
        if self.project is None or self.content_hash is None:
            return None
        return cache_dir(self.project, "results", self.content_hash, f"{key}.pickle")

    def _read_cached(self, key: str) -> QueryResult | None:
        path = self._cache_file(key)
        try:
            with open(path, "rb") as handle:  # type: ignore[arg-type]
                result = pickle.load(handle)
        except (OSError, TypeError, EOFError, pickle.UnpicklingError, AttributeError, ValueError,
                ImportError):  # a cache written by another version is a miss, never a crash
            return None
        return result if isinstance(result, QueryResult) else None

    def _write_cached(self, key: str, result: QueryResult) -> None:
        path = self._cache_file(key)
        if path is None or len(result) > RESULT_CACHE_MAX_ROWS:
            return
        try:
            write_pickle(path, result)
        except OSError:
            pass  # a read-only checkout still answers, just without the on-disk cache

    # -- writes (a writable, in-memory store: `innovgraph serve --writable`) -------------------

    def update(self, sparql: str, *, allow_federation: bool = False,
               base_iri: str | None = None, using_graphs: list[str] | None = None,
               using_named_graphs: list[str] | None = None,
               default_prefixes: bool = True) -> None:
        """Run a SPARQL 1.1 Update on the asserted graphs; as `query`, it may use the default
        prefixes (unless not `default_prefixes`), and it is refused when it
        nests too deeply, or uses LOAD or SERVICE without `allow_federation`. `base_iri`
        resolves relative IRIs of the text. The default graph is the union of the graphs, as
        for queries: the WHERE of an update reads it, and removing a triple from it removes it
        from every graph (`innovgraph.store.updates`). `using_graphs` / `using_named_graphs`
        (the SPARQL protocol's using-graph-uri / using-named-graph-uri) are the dataset of
        every WHERE (a graph the store does not hold is empty, never fetched); an update that
        has its own ``USING`` or ``WITH`` is then refused, as the protocol says.

        >>> store = GraphStore(ox.Store())
        >>> store.update("INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/fictional-a> a ig:City } }")
        >>> store.update("DELETE WHERE { ?c a ig:City }")
        >>> store.triples_count()
        0

        :raises QuerySyntaxError: the update does not parse (line and column).
        :raises QueryTooDeepError: it nests deeper than the limit.
        :raises FederationRefusedError: LOAD or SERVICE without `allow_federation`.
        :raises QueryError: the engine refuses it.
        :raises StorageError: the store could not be written.
        """
        check_depth(sparql, self.max_query_depth)
        prefixes = DEFAULT_PREFIXES if default_prefixes else None
        if not allow_federation:
            refuse_network(sparql, update=True, prefixes=prefixes)
        try:  # the union default graph, as queries see it (innovgraph.store.updates)
            apply_update(self._store, sparql, base_iri=base_iri, prefixes=prefixes,
                         using_graphs=using_graphs, using_named_graphs=using_named_graphs)
        except SyntaxError as exc:
            raise syntax_error(exc, sparql, default_prefixes=default_prefixes) from None
        except OSError as exc:
            if allow_federation and keywords(sparql, NETWORK_KEYWORDS):
                raise QueryError(f"A LOAD or SERVICE request of the update failed: "
                                 f"{one_line(exc)}.") from None
            raise StorageError(f"Cannot write the store: {one_line(exc)}.") from None
        except (RuntimeError, ValueError) as exc:
            raise QueryError(f"Cannot run the update: {one_line(exc)}") from None
        self.invalidate()

    def replace_graph(self, graph: str | None, data: bytes, fmt: ox.RdfFormat, *,
                      append: bool = False) -> None:
        """Put (or with `append`, add) the triples of `data` into `graph` (None: the default
        graph), as the Graph Store Protocol's PUT and POST do. Nothing changes when `data`
        does not parse. The default graph is the union of the graphs (as for queries and
        updates): putting it empties every graph, then adds `data` to the store's own
        default graph, so that it reads back as `data`.

        :raises GraphSyntaxError: `data` is not valid in `fmt`, or would be parsed without
            bound (`checks.check_rdf_input`: XML entities, JSON nested too deeply).
        """
        check_rdf_input(data, fmt, self.max_query_depth)
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        try:
            quads = [ox.Quad(q.subject, q.predicate, q.object, target)  # (a document's own
                     for q in ox.parse(data, format=fmt, rename_blank_nodes=True)]  # bnodes)
        except SyntaxError as exc:
            raise GraphSyntaxError(f"Cannot parse the graph: {one_line(exc)}") from None
        if not append:
            self._clear(target)
        self._store.extend(quads)
        self.invalidate()

    def delete_graph(self, graph: str | None) -> None:
        """Remove `graph` (None: empty the default graph, the union: every graph), as GSP
        DELETE does."""
        self._clear(ox.NamedNode(graph) if graph else ox.DefaultGraph())
        self.invalidate()

    def _clear(self, target) -> None:
        if isinstance(target, ox.DefaultGraph):  # the union: every graph (store.updates)
            self._store.update("CLEAR ALL")
        elif self._store.contains_named_graph(target):
            self._store.remove_graph(target)

    def dataset_options(self) -> dict:
        """pyoxigraph query options for the main store: the default graph is the union of the
        asserted graphs (the inferred graph lives in `inference_engine`)."""
        return {"use_default_graph_as_union": True}

    def triples_count(self) -> int:
        """Distinct triples in the union of all graphs (a triple in two files counts once)."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                            "WHERE { ?s ?p ?o } }")
        return int(result.rows[0][0].value)

    def graphs(self) -> list[str]:
        """IRIs of the named graphs, one per source file, sorted (the inferred graph left out)."""
        return sorted(g.value for g in self._store.named_graphs() if g.value != INFERRED_GRAPH)

    def dump(self, format: str = "trig") -> bytes:
        """Serialise the store: `trig`/`nquads` keep the graphs; `turtle`/`ntriples` the union."""
        formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                   "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
        if format not in formats:
            raise OptionError(f"Unknown dump format {format!r}; use {', '.join(formats)}.")
        if format in ("trig", "nquads"):
            return self._store.dump(format=formats[format], prefixes=_prefixes(format))
        union = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples
        union = list(dict.fromkeys(union))  # the union graph repeats shared triples
        return ox.serialize(union, format=formats[format], prefixes=_prefixes(format))


def _star_order(sparql: str, variables: list[str]) -> list[str]:
    """The columns of ``SELECT *`` in the order the variables first appear in the text, as the
    W3C results tests (and Jena, RDF4J) have them; pyoxigraph 0.5.13 sorts them by name.

    >>> _star_order("SELECT * { ?s ?p ?o }", ["o", "p", "s"])
    ['s', 'p', 'o']
    >>> _star_order("SELECT ?o ?s { ?s ?p ?o }", ["o", "s"])
    ['o', 's']
    """
    toks = tokens(sparql)
    start = next((i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() == "SELECT"),
                 None)
    if start is None:
        return variables
    i = start + 1
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("DISTINCT",
                                                                               "REDUCED"):
        i += 1
    if i >= len(toks) or toks[i].text != "*":
        return variables
    seen = list(dict.fromkeys(t.text[1:] for t in toks[i:] if t.kind == "var"))
    return [v for v in seen if v in variables] + [v for v in variables if v not in seen]


def _prefixes(format: str) -> dict[str, str] | None:
    return PREFIXES if format in ("trig", "turtle") else None


def _inference_store(graph_store: GraphStore) -> ox.Store:
    """Build (or open) the inference store of `graph_store`; see GraphStore.inference_engine."""
    source, project = graph_store.engine, graph_store.project

    def fill(target: ox.Store) -> None:
        default = ox.DefaultGraph()
        target.bulk_extend(q for quad in source.quads_for_pattern(None, None, None, None)
                           for q in (quad, ox.Quad(quad.subject, quad.predicate, quad.object,
                                                   default)))
        if project is None or graph_store._too_large_to_infer():
            return  # (the inferred graph stays empty; _too_large_to_infer said so)
        target.bulk_load(path=inferred_graph_path(project), format=ox.RdfFormat.N_TRIPLES,
                         to_graph=ox.NamedNode(INFERRED_GRAPH))

    if graph_store.path is None:  # an in-memory store: an in-memory inference store
        target = ox.Store()
        fill(target)
        return target
    final = graph_store.path.parent.parent / "store-inferred" / graph_store.path.name
    if not final.is_dir():
        build_on_disk(final, fill)
    return ox.Store.read_only(str(final))


def build_on_disk(final: Path, fill) -> None:
    """Create an on-disk pyoxigraph store at `final`, filled by `fill(store)` in a temporary
    sibling directory and renamed into place (`innovgraph.cache.build_dir`), so a crash
    leaves no half-built store; stores of older content beside it are removed."""
    def build(folder: Path) -> None:
        store = ox.Store(str(folder))
        fill(store)
        store.flush()
        del store  # closes the database before it is moved

    build_dir(final, build)



