"""What we change in rdflib and pyshacl while validating, all in one place.

Three patches, each active only inside a context manager and each leaving the results
unchanged (tests/test_fast_validation.py compares them with plain pyshacl):

- **Parsed SPARQL is cached** (`cached_sparql_parsing`). pyshacl runs each SHACL-SPARQL
  constraint once per focus node and rdflib parses and translates the query text every time
  (about 20 ms each). rdflib's `SPARQLProcessor.query` is wrapped to reuse the translated
  query per (text, base, namespaces).
- **BGP join order** (`_eval_bgp`, installed with the parse cache as an rdflib
  `CUSTOM_EVALS` entry): join on bound variables first, which makes the mayor constraint
  (`igsh:CityShape-oneCurrentMayor`) linear instead of quadratic in the graph size.
- **Only the chunk's own targets** (`only_targets`). pyshacl's `Shape.focus_nodes` is
  filtered to the focus nodes a chunk is home to, so the vocabularies and neighbours copied
  into a chunk are not checked again and again; SHACL-SPARQL target queries, which scan the
  whole data graph, run in pyoxigraph over an in-memory copy of it.

rdflib's SPARQL engine (about 0.16 s to import) and pyshacl are imported when a patch is
installed, not with this module, so that importing innovgraph.validation stays cheap.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Variable

from ..terms import TermConverter, ox_term


# --------------------------------------------------------------------------- SPARQL parse cache

_patch_lock = threading.Lock()
_patch_depth = 0
_original_query = None


@contextlib.contextmanager
def cached_sparql_parsing():
    """Reuse rdflib's parsed and translated query per (text, base, namespaces) while active."""
    global _patch_depth, _original_query
    from rdflib.plugins.sparql import CUSTOM_EVALS
    from rdflib.plugins.sparql.processor import SPARQLProcessor, parseQuery, translateQuery

    with _patch_lock:
        if _patch_depth == 0:
            _original_query = SPARQLProcessor.query
            cache: dict = {}
            original = _original_query

            def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
                if _in_target.get() and not initBindings and isinstance(strOrQuery, str):
                    answer = _target_query(self.graph, strOrQuery)
                    if answer is not None:
                        return answer
                if isinstance(strOrQuery, str):
                    key = (strOrQuery, base,
                           tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
                    parsed = cache.get(key)
                    if parsed is None:
                        parsed = cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
                    strOrQuery = parsed
                return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

            SPARQLProcessor.query = query
            CUSTOM_EVALS[_BGP_KEY] = _eval_bgp
        _patch_depth += 1
    try:
        yield
    finally:
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                SPARQLProcessor.query = _original_query
                CUSTOM_EVALS.pop(_BGP_KEY, None)


# --------------------------------------------------------------------------- focus filter

_only_targets: contextvars.ContextVar = contextvars.ContextVar("innovgraph_only_targets", default=None)


def _install_target_filter() -> None:
    """Make pyshacl's target lookup keep only the nodes in `_only_targets`, when it is set.

    A chunk's data graph holds many nodes it does not own (the vocabularies, the neighbours
    of its records); checking them would only produce results that are thrown away. pyshacl's
    own `focus_nodes` option is not used because it also filters the value nodes sh:node
    checks (they would pass unchecked). `Shape.focus_nodes` is only called for a shape's own
    targets, never for the values a constraint passes to another shape, so filtering there
    keeps every check made on behalf of a kept focus node.
    """
    from pyshacl.shape import Shape

    if getattr(Shape.focus_nodes, "_innovgraph", False):
        return
    original = Shape.focus_nodes

    def focus_nodes(self, data_graph, debug=False):
        keep = _only_targets.get()
        if keep is None:
            return original(self, data_graph, debug=debug)
        token = _in_target.set(True)
        try:
            found = original(self, data_graph, debug=debug)
        finally:
            _in_target.reset(token)
        return {n for n in found if n in keep}

    focus_nodes._innovgraph = True
    Shape.focus_nodes = focus_nodes


@contextlib.contextmanager
def only_targets(nodes: set):
    """Validate only the targets in `nodes` (plus what their constraints reach) while active.

    SHACL-SPARQL target queries (sh:SPARQLTarget) asked meanwhile run in pyoxigraph over
    an in-memory copy of the data graph (see `_target_query`).
    """
    _install_target_filter()
    token = _only_targets.set(frozenset(nodes))
    stores = _target_stores.set({})
    try:
        yield
    finally:
        _target_stores.reset(stores)
        _only_targets.reset(token)


_in_target: contextvars.ContextVar = contextvars.ContextVar("innovgraph_in_target", default=False)
_target_stores: contextvars.ContextVar = contextvars.ContextVar("innovgraph_target_stores",
                                                               default=None)


def _target_query(graph: Graph, text: str) -> dict | None:
    """A target query's answer computed by pyoxigraph, as rdflib's processor returns it.

    A target query scans the whole data graph (the undeclared-terms target lists every
    property in use), which costs rdflib about 40 µs per triple: most of the time of an
    incremental validation. pyoxigraph answers the same SPARQL 1.1 over a copy of the graph
    in a few milliseconds; the copy is made once per data graph. Returns None (rdflib then
    answers) when a term cannot be copied or pyoxigraph refuses the query.
    """
    stores = _target_stores.get()
    if stores is None:
        return None
    try:
        entry = stores.get(id(graph))
        if entry is None or entry[0] is not graph or entry[1] != len(graph):
            store = ox.Store()
            store.bulk_extend(ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.DefaultGraph())
                              for s, p, o in graph)
            entry = stores[id(graph)] = (graph, len(graph), store)
        solutions = entry[2].query(text)
    except (ValueError, SyntaxError, TypeError, OSError):
        return None
    if not isinstance(solutions, ox.QuerySolutions):
        return None
    terms = TermConverter()
    names = [v.value for v in solutions.variables]
    variables = [Variable(n) for n in names]
    bindings = [{var: terms.rdf(row[n]) for var, n in zip(variables, names) if row[n] is not None}
                for row in solutions]
    return {"type_": "SELECT", "vars_": variables, "bindings": bindings}


# --------------------------------------------------------------------------- BGP join order

_BGP_KEY = "innovgraph-bgp-join-order"


def _eval_bgp(ctx, part):
    """Evaluate a basic graph pattern joining on bound variables first (rdflib CUSTOM_EVALS).

    rdflib sorts a BGP's triples once, by how many of their terms are unbound when the BGP
    starts: in the mayor constraint `?post2 a ig:MayorPost` (one unbound term) then runs
    before `?post2 org:postIn ?adm` (two, though ?adm is bound by then), scanning every
    mayor post of the graph for every city: quadratic in the graph size. Here the next
    triple is always one that shares a variable bound so far (else the most selective).
    The order of a join never changes its solutions, only how fast they are found.
    """
    if part.name != "BGP":
        raise NotImplementedError
    from rdflib.plugins.sparql.evaluate import evalBGP

    rest = list(part.triples)
    known = {t for triple in rest for t in triple if isinstance(t, Variable) and ctx[t] is not None}
    ordered = []
    while rest:
        def score(t):
            joined = sum(1 for x in t if isinstance(x, Variable) and x in known)
            fixed = sum(1 for x in t if not isinstance(x, Variable))
            return (joined > 0, joined + fixed, isinstance(t[0], Variable) and t[0] in known)
        best = max(rest, key=score)
        rest.remove(best)
        ordered.append(best)
        known.update(x for x in best if isinstance(x, Variable))
    return evalBGP(ctx, ordered)
