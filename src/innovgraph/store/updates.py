"""SPARQL 1.1 Update over a store whose default graph is the union of its graphs.

The store's queries see the union of all graphs as the default graph (`use_default_graph_as_union`;
the service description says ``sd:UnionDefaultGraph``, which the Service Description spec
defines for "query and update evaluation"). pyoxigraph 0.5.13 has that option for queries
only: its updates read and write the store's own, hidden default graph, so that
``DELETE WHERE { ?c a ig:City }`` found nothing. Here the update's operations are evaluated
with that union, one rule for all of them:

- reading the default graph reads the union (the WHERE of ``DELETE/INSERT``, ``DELETE WHERE``);
- removing a triple from the default graph removes it from every graph that holds it
  (``DELETE DATA``, the templates' triples outside ``GRAPH``), since the union holds it while
  any graph does; ``CLEAR DEFAULT`` / ``DROP DEFAULT`` empty every graph;
- adding a triple to the default graph adds it to the store's own default graph, which is part
  of the union (``INSERT DATA``, templates); ``ADD DEFAULT TO g`` / ``COPY DEFAULT TO g`` copy the
  union into g;
- ``MOVE DEFAULT TO g``, ``COPY/MOVE g TO DEFAULT`` have no meaning that keeps both the union and
  the operation's promise (the union includes g): they are refused; ``ADD g TO DEFAULT`` changes
  nothing (g is in the union already).

``WITH <g>`` and ``USING`` clauses, and the protocol's using-graph-uri / using-named-graph-uri,
name the dataset as the Update spec says (a graph the store does not hold is empty, never
fetched). Every other operation (``CLEAR/DROP GRAPH``, ``CREATE``, ``ADD/COPY/MOVE`` between
named graphs, ``LOAD``) is pyoxigraph's own. A request of several operations is applied in
order, each seeing the ones before it, and undone as a whole when one fails.

The WHERE of an operation is a pyoxigraph query (``SELECT *``); the templates are read by
pyoxigraph's TriG parser, with each variable as a placeholder IRI, and instantiated per
solution here (a triple with an unbound variable or a literal subject is left out, as the spec
says; a template's blank nodes are new for each solution).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import QueryError
from ..lexer import Token, tokens
from .checks import update_syntax_error

_VAR = "urn:x-innovgraph-update-variable:"
_OPEN, _CLOSE = "{([", "})]"
_DEFAULT = ox.DefaultGraph()


def apply_update(store: ox.Store, sparql: str, *, base_iri: str | None = None,
                 prefixes: dict[str, str] | None = None, using_graphs: list[str] | None = None,
                 using_named_graphs: list[str] | None = None) -> None:
    """Run the update `sparql` on `store` with the union default graph (module docstring).

    >>> store = ox.Store()
    >>> g = ox.NamedNode("https://example.org/graph/fictional")
    >>> city = ox.NamedNode("https://example.org/fictional-city")
    >>> store.add(ox.Quad(city, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    ...                   ox.NamedNode("https://example.org/City"), g))
    >>> apply_update(store, "DELETE WHERE { ?c a <https://example.org/City> }")
    >>> len(store)
    0

    :raises SyntaxError: the update does not parse (pyoxigraph's error).
    :raises QueryError: an operation this store refuses (see the module docstring), or the
        protocol's dataset with an operation's own USING or WITH.
    :raises RuntimeError: pyoxigraph refuses an operation (e.g. DROP of a missing graph).
    """
    error = update_syntax_error(sparql, base_iri=base_iri, prefixes=prefixes)
    if error is not None:
        raise error
    try:
        using = [ox.NamedNode(g) for g in using_graphs or []]
        using_named = [ox.NamedNode(g) for g in using_named_graphs or []]
    except ValueError as exc:
        raise QueryError(f"using-graph-uri / using-named-graph-uri: {exc}.") from None
    context = _Context(store, sparql, base_iri, prefixes, using, using_named)
    journal = _Journal(store)
    try:
        for operation in context.operations():
            _run(context, operation, journal)
    except BaseException:
        journal.undo()
        raise


@dataclass
class _Context:
    store: ox.Store
    text: str
    base_iri: str | None
    prefixes: dict[str, str] | None
    using: list[ox.NamedNode]
    using_named: list[ox.NamedNode]
    prologue: str = ""
    toks: list[Token] = field(default_factory=list)

    def operations(self) -> list[list[Token]]:
        """The request's operations (tokens), after its prologue (PREFIX, BASE)."""
        self.toks = tokens(self.text)
        i = 0
        while i < len(self.toks) and self.toks[i].kind == "word" \
                and self.toks[i].text.upper() in ("PREFIX", "BASE"):
            i += 3 if self.toks[i].text.upper() == "PREFIX" else 2
        self.prologue = self.text[:self.toks[i - 1].end] if i else ""
        operations, current, depth = [], [], 0
        for tok in self.toks[i:]:
            if tok.text in _OPEN:
                depth += 1
            elif tok.text in _CLOSE:
                depth -= 1
            if depth == 0 and tok.text == ";":
                operations.append(current)
                current = []
            else:
                current.append(tok)
        return [op for op in [*operations, current] if op]

    def span(self, first: Token, last: Token) -> str:
        return self.text[first.start:last.end]

    def iri(self, tok: Token) -> ox.NamedNode:
        """An IRI or prefixed name of the text, resolved as the parser does."""
        quads = self.parse(f"{tok.text} <{_VAR}p> <{_VAR}o> .")
        return quads[0].subject

    def parse(self, trig: str) -> list[ox.Quad]:
        declared = {self.toks[i + 1].text.split(":")[0] for i, t in enumerate(self.toks[:-1])
                    if t.kind == "word" and t.text.upper() == "PREFIX"}
        extra = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (self.prefixes or {}).items()
                        if p not in declared)
        return list(ox.parse((extra + self.prologue + "\n" + trig).encode("utf-8"),
                             format=ox.RdfFormat.TRIG, base_iri=self.base_iri,
                             rename_blank_nodes=True))  # INSERT DATA's are new ones

    def template(self, toks: list[Token]) -> list[ox.Quad]:
        """The quads of a template (the tokens inside its braces), variables as placeholders."""
        return self.parse(_as_trig(self.text, toks))

    def solutions(self, where: str, dataset: dict, clauses: str = "") -> list[dict]:
        answer = self.store.query(f"{self.prologue}\nSELECT * {clauses} WHERE {where}",
                                  base_iri=self.base_iri, prefixes=self.prefixes, **dataset)
        names = [v.value for v in answer.variables]
        return [{n: s[n] for n in names} for s in answer]


def _as_trig(text: str, toks: list[Token]) -> str:
    """A SPARQL quad template as TriG: variables become placeholder IRIs, each run of triples
    outside GRAPH ends with '.', and no '.' follows a GRAPH block (TriG allows none)."""
    out, depth, pending, i = [], 0, False, 0
    while i < len(toks):
        tok = toks[i]
        if depth == 0 and tok.kind == "word" and tok.text.upper() == "GRAPH":
            if pending:
                out.append(".")
            pending = False
            out.append("GRAPH")
            i += 1
            continue
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _CLOSE:
            depth -= 1
        if depth == 0 and tok.text == "}":  # the end of a GRAPH block
            out.append("}")
            if i + 1 < len(toks) and toks[i + 1].text == ".":
                i += 1
            pending = False
        elif tok.kind == "var":
            out.append(f"<{_VAR}{tok.text[1:]}>")
            pending = pending or depth == 0
        else:
            out.append(text[tok.start:tok.end])
            if depth == 0 and tok.text != "{":
                pending = tok.text != "."
        i += 1
    if pending:
        out.append(".")
    return " ".join(out)


def _block(toks: list[Token], start: int) -> int:
    """The index of the brace closing the one at `start`."""
    depth = 0
    for i in range(start, len(toks)):
        if toks[i].text in _OPEN:
            depth += 1
        elif toks[i].text in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    raise QueryError("Unbalanced braces in the update.")  # pragma: no cover - it parsed


def _word(tok: Token) -> str:
    return tok.text.upper() if tok.kind == "word" else ""


def _run(context: _Context, op: list[Token], journal: "_Journal") -> None:
    first = _word(op[0])
    second = _word(op[1]) if len(op) > 1 else ""
    if first in ("INSERT", "DELETE") and second == "DATA":
        quads = context.template(op[3:_block(op, 2)])
        if first == "INSERT":
            journal.add_all(quads)
        else:
            journal.remove_all(_everywhere(context.store, quads, None))
    elif first == "DELETE" and second == "WHERE":
        end = _block(op, 2)
        _modify(context, journal, where=context.span(op[2], op[end]), delete=op[3:end],
                insert=None, with_graph=None, clauses=[])
    elif first in ("WITH", "INSERT", "DELETE"):
        _parse_modify(context, op, journal)
    elif first in ("CLEAR", "DROP") and "DEFAULT" in {_word(t) for t in op[1:3]}:
        journal.remove_all(list(context.store.quads_for_pattern(None, None, None, None)))
    elif first in ("ADD", "COPY", "MOVE") and "DEFAULT" in {_word(t) for t in op}:
        _copy_default(context, op, journal)
    else:  # graph management between named graphs, LOAD: pyoxigraph's own
        journal.record(lambda: context.store.update(
            context.prologue + "\n" + context.span(op[0], op[-1]), base_iri=context.base_iri,
            prefixes=context.prefixes))


def _parse_modify(context: _Context, op: list[Token], journal: "_Journal") -> None:
    i, with_graph = 0, None
    if _word(op[0]) == "WITH":
        with_graph, i = context.iri(op[1]), 2
    delete = insert = None
    if _word(op[i]) == "DELETE":
        end = _block(op, i + 1)
        delete, i = op[i + 2:end], end + 1
    if i < len(op) and _word(op[i]) == "INSERT":
        end = _block(op, i + 1)
        insert, i = op[i + 2:end], end + 1
    clauses = []
    while _word(op[i]) == "USING":
        named = _word(op[i + 1]) == "NAMED"
        tok = op[i + 2] if named else op[i + 1]
        clauses.append((named, context.iri(tok)))
        i += 3 if named else 2
    if (clauses or with_graph is not None) and (context.using or context.using_named):
        raise QueryError(f"The update has its own {'USING' if clauses else 'WITH'} clause: it "
                         "cannot be combined with using-graph-uri or using-named-graph-uri.")
    _modify(context, journal, where=context.span(op[i + 1], op[-1]), delete=delete,
            insert=insert, with_graph=with_graph, clauses=clauses)


def _modify(context: _Context, journal: "_Journal", *, where: str, delete, insert,
            with_graph: ox.NamedNode | None, clauses: list[tuple[bool, ox.NamedNode]]) -> None:
    """DELETE {delete} INSERT {insert} WHERE {where}: the solutions first, then every deletion,
    then every insertion (SPARQL 1.1 Update, 3.1.3)."""
    if context.using or context.using_named:
        dataset = {"default_graph": context.using or [], "named_graphs": context.using_named}
    elif clauses:  # USING / USING NAMED: the query's FROM / FROM NAMED
        dataset = {"default_graph": [g for named, g in clauses if not named],
                   "named_graphs": [g for named, g in clauses if named]}
    elif with_graph is not None:
        dataset = {"default_graph": [with_graph]}
    else:
        dataset = {"use_default_graph_as_union": True}
    solutions = context.solutions(where, dataset)
    removed, added = [], []
    if delete:
        template = context.template(delete)
        for solution in solutions:
            removed += _everywhere(context.store, _instances(template, solution, False),
                                   with_graph)
    if insert:
        template = context.template(insert)
        for solution in solutions:
            added += [q if with_graph is None or q.graph_name != _DEFAULT
                      else ox.Quad(q.subject, q.predicate, q.object, with_graph)
                      for q in _instances(template, solution, True)]
    journal.remove_all(removed)
    journal.add_all(added)


def _instances(template: list[ox.Quad], solution: dict, fresh: bool) -> list[ox.Quad]:
    """The template's quads for one solution: variables replaced by their values, blank nodes
    new (`fresh`, for INSERT); a quad with an unbound variable or a term that cannot stand in
    its place is left out."""
    bnodes: dict = {}
    out = []
    for quad in template:
        terms = []
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(_VAR):
                term = solution.get(term.value[len(_VAR):])
            elif isinstance(term, ox.BlankNode) and fresh:
                term = bnodes.setdefault(term.value, ox.BlankNode())
            terms.append(term)
        s, p, o, g = terms
        if (isinstance(s, (ox.NamedNode, ox.BlankNode)) and isinstance(p, ox.NamedNode)
                and o is not None and isinstance(g, (ox.NamedNode, ox.DefaultGraph))):
            out.append(ox.Quad(s, p, o, g))
    return out


def _everywhere(store: ox.Store, quads: list[ox.Quad], graph: ox.NamedNode | None
                ) -> list[ox.Quad]:
    """The stored quads a deletion of `quads` removes: a default-graph triple from every graph
    that holds it (or from `graph`, the operation's WITH), a named graph's quad from it."""
    out = []
    for q in quads:
        if not isinstance(q.graph_name, ox.DefaultGraph):
            out.append(q)
        elif graph is not None:
            out.append(ox.Quad(q.subject, q.predicate, q.object, graph))
        else:
            out += store.quads_for_pattern(q.subject, q.predicate, q.object, None)
    return out


def _copy_default(context: _Context, op: list[Token], journal: "_Journal") -> None:
    kind = _word(op[0])
    ends = [t for t in op[1:] if _word(t) not in ("SILENT", "GRAPH")]
    source, target = ends[0], ends[2]  # (ends[1] is TO)
    if _word(source) == "DEFAULT" and _word(target) == "DEFAULT":
        return
    if _word(target) == "DEFAULT":
        if kind == "ADD":
            return  # the graph is in the union already
        raise QueryError(f"{kind} ... TO DEFAULT is refused: the default graph is the union of "
                         "all graphs, so it cannot become one graph's copy while that graph "
                         "stays. Use INSERT { ?s ?p ?o } WHERE { GRAPH <g> { ?s ?p ?o } }.")
    if kind == "MOVE":
        raise QueryError("MOVE DEFAULT TO <g> is refused: the default graph is the union of all "
                         "graphs, including <g>; use COPY DEFAULT TO <g>, then DROP the others.")
    graph = context.iri(target)
    union = {ox.Triple(q.subject, q.predicate, q.object)
             for q in context.store.quads_for_pattern(None, None, None, None)}
    if kind == "COPY":
        journal.remove_all(list(context.store.quads_for_pattern(None, None, None, graph)))
    journal.add_all([ox.Quad(t.subject, t.predicate, t.object, graph) for t in union])


class _Journal:
    """Every change the request made, to undo them all when an operation fails."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.changes: list[tuple[str, ox.Quad]] = []
        self.graphs: set | None = None

    def add_all(self, quads) -> None:
        for q in quads:
            if q not in self.store:
                self.store.add(q)
                self.changes.append(("added", q))

    def remove_all(self, quads) -> None:
        for q in dict.fromkeys(quads):
            if q in self.store:
                self.store.remove(q)
                self.changes.append(("removed", q))

    def record(self, change) -> None:
        """Run a change of pyoxigraph's own, journaled by comparing the store before and after
        (an operation between named graphs: rare, and it may touch every graph)."""
        before = set(self.store)
        if self.graphs is None:
            self.graphs = set(self.store.named_graphs())
        change()
        after = set(self.store)
        self.changes += [("added", q) for q in after - before]
        self.changes += [("removed", q) for q in before - after]

    def undo(self) -> None:
        for kind, quad in reversed(self.changes):
            if kind == "added":
                self.store.remove(quad)
            else:
                self.store.add(quad)
        if self.graphs is not None:
            for graph in set(self.store.named_graphs()) - self.graphs:
                self.store.remove_graph(graph)
            for graph in self.graphs - set(self.store.named_graphs()):
                self.store.add_graph(graph)
