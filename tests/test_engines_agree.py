"""Every saved query, with every example of its header, gives the same answer on pyoxigraph (the
embedded store) and on rdflib's own engine (`Dataset.query` over the same files): the same
columns, and the same rows in the same order, term for term (tests/support/engines.py says what
is normalised: only what the results formats leave free). Virtuoso is compared the same way in
tests/test_virtuoso.py.

Run on the fictional fixture cities with Epsilonville, whose older response is superseded (every
example that names a fictional city or none), and, as a slow test (rdflib's engine takes minutes
over the shipped graph), on the shipped graph.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from innovgraph import Catalogue, Project, open_store
from support.engines import RdflibEngine, run_store, runs

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
RUNS = runs(Catalogue(Project(REPO)))


def _ids(runs_):
    return [f"{name}[{','.join(f'{k}={v}' for k, v in params.items())}]" for name, params in runs_]


@pytest.fixture(scope="module")
def fixture_engines(tmp_path_factory):
    root = tmp_path_factory.mktemp("engines") / "project"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    shutil.copytree(FIXTURES / "query-data", root / "data" / "ttl")
    shutil.copy(FIXTURES / "superseded" / "fictional-epsilonville.ttl", root / "data" / "ttl" / "cities")
    project = Project(root)
    return Catalogue(project), open_store(project, in_memory=True), RdflibEngine(project)


@pytest.fixture(scope="module")
def shipped_engines():
    project = Project(REPO)
    return Catalogue(project), open_store(project, in_memory=True), RdflibEngine(project)


def test_every_saved_query_has_a_run():
    assert {name for name, _ in RUNS} == {q.name for q in Catalogue(Project(REPO)).list()}


@pytest.mark.parametrize(("name", "params"), RUNS, ids=_ids(RUNS))
def test_rdflib_and_pyoxigraph_agree_on_the_fixture_cities(fixture_engines, name, params):
    catalogue, embedded, rdflib_engine = fixture_engines
    here = run_store(embedded, catalogue, name, params)
    if here.kind == "error" and here.rows[0][0].startswith("ParameterError"):
        pytest.skip("the example names a city of the shipped graph")
    assert here.kind != "error", here.rows
    assert here.difference(rdflib_engine.run(catalogue, name, params)) is None


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params"), RUNS, ids=_ids(RUNS))
def test_rdflib_and_pyoxigraph_agree_on_the_shipped_graph(shipped_engines, name, params):
    catalogue, embedded, rdflib_engine = shipped_engines
    here = run_store(embedded, catalogue, name, params)
    assert here.kind != "error", here.rows
    assert here.difference(rdflib_engine.run(catalogue, name, params)) is None


def test_the_comparison_tells_apart_what_it_must():
    """The normalisation is only that of the results formats: a decimal's written form, a
    language tag, a datatype or the order of rows are differences."""
    import pyoxigraph as ox

    from support.engines import Answer, term_text

    xsd = "http://www.w3.org/2001/XMLSchema#"
    decimal, boolean = ox.NamedNode(xsd + "decimal"), ox.NamedNode(xsd + "boolean")
    assert term_text(ox.Literal("1", datatype=boolean)) == term_text(ox.Literal("true", datatype=boolean))
    assert term_text(ox.Literal("50.0", datatype=decimal)) != term_text(ox.Literal("50", datatype=decimal))
    assert term_text(ox.Literal("x", language="en")) != term_text(ox.Literal("x"))
    one, two = ("a",), ("b",)
    assert Answer("select", ("v",), (one, two)).difference(Answer("select", ("v",), (two, one))) \
        == "the same rows in another order"
    assert Answer("select", ("v",), (one,)).difference(Answer("select", ("v",), (one,))) is None
