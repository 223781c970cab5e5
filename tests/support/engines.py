"""Run a saved query on several SPARQL engines and compare the answers term by term.

The engines: pyoxigraph (the embedded store, `open_store`), rdflib (`Dataset.query` over the
same files, with the OWL 2 RL inferences in their named graph) and any `RemoteStore`
(Virtuoso in tests/test_virtuoso.py). Each answer becomes an `Answer`: its columns and its
rows as N-Triples terms, in the order the engine gave them (every saved SELECT has an ORDER
BY that orders its rows totally, so the order is compared too); a CONSTRUCT answer is a set of
triples.

Normalised, because the SPARQL results formats leave it free: blank node labels (none is
expected) and the lexical form of an xsd:boolean: Virtuoso's JSON results write a boolean
as "1" or "0", which are the same values as "true" and "false" (XML Schema's lexical space;
its XML results write "true"). Nothing else is: a decimal written "50.0" on one engine and
"50" on another, a language tag kept by one and dropped by another, a different list order
or datatype are differences.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

from innovgraph import Catalogue, Project, run_saved_query
from innovgraph.inference import inferred_graph_path
from innovgraph.namespaces import INFERRED_GRAPH
from innovgraph.sources import load_graph
from innovgraph.store import open_store

XSD = "http://www.w3.org/2001/XMLSchema#"
BOOLEAN = {"1": "true", "0": "false", "true": "true", "false": "false"}


@dataclass(frozen=True)
class Answer:
    """What one engine answered: 'select' (columns, rows in order) or 'graph' (a set of
    triples, as sorted rows), or 'error' (the message in `rows`)."""

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    def difference(self, other: "Answer") -> str | None:
        """None when the answers are the same, else what differs first (for a message)."""
        if (self.kind, self.columns) != (other.kind, other.columns):
            return f"{self.kind} {self.columns} against {other.kind} {other.columns}: {other.rows[:1]}"
        if self.rows == other.rows:
            return None
        if sorted(self.rows, key=repr) == sorted(other.rows, key=repr):
            return "the same rows in another order"
        mine, theirs = set(self.rows), set(other.rows)
        return (f"{len(self.rows)} rows against {len(other.rows)}; only here: "
                f"{sorted(mine - theirs, key=repr)[:3]}; only there: {sorted(theirs - mine, key=repr)[:3]}")


def term_text(term) -> str | None:
    """A pyoxigraph or rdflib term in N-Triples, with the normalisations of the module doc."""
    if term is None:
        return None
    if isinstance(term, (URIRef, BNode, Literal)):
        term = _to_oxigraph(term)
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal) and term.datatype.value == XSD + "boolean":
        return str(ox.Literal(BOOLEAN.get(term.value, term.value), datatype=term.datatype))
    return str(term)


def python_value(term):
    """A result term as a Python value of its type: an IRI as its string, xsd:integer as int,
    xsd:decimal as Decimal, xsd:boolean as bool (either lexical form), other literals as their
    text, unbound as None."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    datatype = term.datatype.value
    if datatype == XSD + "integer":
        return int(term.value)
    if datatype == XSD + "decimal":
        return Decimal(term.value)
    if datatype == XSD + "boolean":
        return BOOLEAN.get(term.value) == "true"
    return term.value


def _to_oxigraph(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode()
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD + "string")))


def runs(catalogue: Catalogue) -> list[tuple[str, dict[str, str]]]:
    """Every saved query with every example of its header ({} first when it needs no
    parameter and has no such example)."""
    out = []
    for query in catalogue.list():
        examples = [{k: str(v) for k, v in (e or {}).items()} for e in query.examples]
        if not any(p.required for p in query.params) and {} not in examples:
            examples.insert(0, {})
        out += [(query.name, e) for e in examples]
    return out


def run_store(store, catalogue: Catalogue, name: str, params: dict[str, str]) -> Answer:
    """The answer of the embedded store or a RemoteStore, through `run_saved_query`."""
    try:
        result = run_saved_query(store, name, params, catalogue=catalogue)
    except Exception as exc:  # an engine's refusal is an answer to compare, not a crash
        return Answer("error", (), ((f"{type(exc).__name__}: {exc}",),))
    if result.kind == "graph":
        return _graph(result.triples)
    return Answer("select", tuple(result.variables),
                  tuple(tuple(term_text(t) for t in row) for row in result.rows))


def _graph(triples) -> Answer:
    rows = {tuple(term_text(t) for t in triple) for triple in triples}
    return Answer("graph", (), tuple(sorted(rows)))


class RdflibEngine:
    """rdflib's own SPARQL engine over the project's files: the asserted triples in the
    default graph, the OWL 2 RL inferences in GRAPH <.../graph/inferred> (as the embedded
    store has them); parameters bound with `initBindings`, as an rdflib user binds them."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.dataset = rdflib.Dataset()
        default = self.dataset.default_graph
        for triple in load_graph(project):
            default.add(triple)
        open_store(project, in_memory=True).inference_engine()  # writes the inferred graph file
        self.dataset.graph(URIRef(INFERRED_GRAPH)).parse(inferred_graph_path(project), format="nt")

    def run(self, catalogue: Catalogue, name: str, params: dict[str, str]) -> Answer:
        query = catalogue.get(name)
        bindings = {var.value: _to_rdflib(term) for var, term in query.bind(params).items()}
        try:
            with _quiet_rdflib():
                return self._answer(query, bindings)
        except Exception as exc:  # an engine's refusal is an answer to compare, not a crash
            return Answer("error", (), ((f"{type(exc).__name__}: {exc}",),))

    def _answer(self, query, bindings) -> Answer:
        result = self.dataset.query(query.text, initBindings=bindings)
        hidden = {p.variable for p in query.params}
        if result.type == "CONSTRUCT":
            return _graph(result.graph)
        columns = [str(v) for v in result.vars]
        keep = [i for i, v in enumerate(columns) if v not in hidden]
        return Answer("select", tuple(columns[i] for i in keep),
                      tuple(tuple(term_text(row[i]) for i in keep) for row in result))


@contextlib.contextmanager
def _quiet_rdflib():
    """rdflib 7.6's Dataset.query and triples read its own deprecated `default_context`,
    once per pattern matched: 6.3 million DeprecationWarnings over the suite, none about
    our code. They are dropped here, where this engine makes rdflib raise them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Dataset\.default_context is deprecated",
                                category=DeprecationWarning)
        yield


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
