"""innovgraph against a second real triple store: the Oxigraph server (`oxigraph serve` of the
`oxigraph` package on PyPI, in the test extra), as tests/test_virtuoso.py does it for Virtuoso.

One writable server per session on a free loopback port with its own store folder. The shipped
graph is loaded with `innovgraph load` over SPARQL Update (`/update`) and, into another graph,
over the Graph Store Protocol (`/store`); then every saved query, with every example of its
header, must give the same answer as the embedded store, term for term and row for row
(tests/support/engines.py), and `stats`, `validate` and `query --endpoint` must agree with it.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from innovgraph import Project
from innovgraph.catalogue import Catalogue
from innovgraph.cli import cli
from innovgraph.namespaces import INFERRED_GRAPH
from innovgraph.remote import DEFAULT_GRAPH, EndpointConfig, RemoteStore
from innovgraph.remote.load import inferred_triples, load_remote, project_triples
from innovgraph.stats import graph_stats
from innovgraph.validation import validate, validate_remote
from support.endpoints import embedded, no_endpoint_settings  # noqa: F401 (an autouse fixture)
from support.engines import run_store, runs
from support.oxigraph_server import oxigraph_server

pytestmark = pytest.mark.slow

RUNS = runs(Catalogue(Project()))


class Oxigraph:
    def __init__(self, base: str) -> None:
        self.base = base
        self.query, self.update, self.gsp = base + "/query", base + "/update", base + "/store"

    def store(self, graph: str = DEFAULT_GRAPH, **settings) -> RemoteStore:
        return RemoteStore(EndpointConfig(url=self.query, update_url=self.update, graph=graph,
                                          inferred_graph=settings.pop("inferred_graph", INFERRED_GRAPH),
                                          **settings), project=Project())


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server") / "store") as base:
        yield Oxigraph(base)


@pytest.fixture(scope="session")
def shipped() -> Project:
    return Project()


@pytest.fixture(scope="session")
def loaded(oxigraph, shipped):
    """The shipped graph, loaded into the default innovgraph graph by the CLI (SPARQL Update)."""
    result = CliRunner().invoke(cli, ["load", "--endpoint", oxigraph.query,
                                      "--update-endpoint", oxigraph.update])
    assert result.exit_code == 0, result.output
    return result.output


def test_load_puts_every_distinct_triple_in_the_live_graph(oxigraph, loaded, shipped):
    triples, files = project_triples(shipped)
    assert f"Loaded {len(triples)} triples from {files} files into <{DEFAULT_GRAPH}>" in loaded
    with oxigraph.store() as store:
        assert store.count() == len(triples) == embedded(shipped).triples_count()
        assert store.count(INFERRED_GRAPH) == len(inferred_triples(shipped)) > 0
        assert store.server_graphs(prefix=DEFAULT_GRAPH) == [DEFAULT_GRAPH, INFERRED_GRAPH]


def test_load_by_graph_store_protocol(oxigraph, shipped):
    graph = "urn:innovgraph:test:gsp"
    with oxigraph.store(graph, gsp_url=oxigraph.gsp, inferred_graph=graph + ":inferred") as store:
        result = load_remote(shipped, store)
        assert (result.method, result.triples) == ("gsp", store.count())
        assert result.triples == embedded(shipped).triples_count()
        store.update(f"DROP SILENT GRAPH <{graph}> ; DROP SILENT GRAPH <{graph}:inferred>")


@pytest.mark.parametrize(("name", "params"), RUNS, ids=[
    f"{n}[{','.join(f'{k}={v}' for k, v in p.items())}]" for n, p in RUNS])
def test_every_saved_query_gives_the_same_answer_as_the_embedded_store(oxigraph, loaded, shipped, name, params):
    catalogue = Catalogue(shipped)
    here = run_store(embedded(shipped), catalogue, name, params)
    assert here.kind != "error", here.rows
    with oxigraph.store() as store:
        assert here.difference(run_store(store, catalogue, name, params)) is None


def test_stats_and_validation_agree_with_the_embedded_store(oxigraph, loaded, shipped):
    with oxigraph.store() as store:
        there = dict(graph_stats(store))
        report = validate_remote(store.project, store.rdflib_graph(),
                                 where=f"{store.config.url} <{store.config.graph}>")
    here = dict(graph_stats(embedded(shipped)))
    assert there.pop("graphs") == 1  # one graph remotely, one per source file locally
    here.pop("graphs")
    assert there == here
    assert report.counts() == validate(shipped).counts()


def test_the_cli_runs_saved_queries_and_stats_on_the_endpoint(oxigraph, loaded):
    runner = CliRunner()
    here = runner.invoke(cli, ["query", "cities", "--format", "csv"])
    there = runner.invoke(cli, ["query", "cities", "--format", "csv", "--endpoint", oxigraph.query])
    assert there.exit_code == 0, there.output
    assert there.output == here.output
    # data/sources/cities/*.yaml: 78 sheets, with Moscow 79 cities, one row each (and a header)
    assert len(there.output.splitlines()) == 80
    stats = runner.invoke(cli, ["stats", "--endpoint", oxigraph.query])
    assert stats.exit_code == 0 and "cities" in stats.output, stats.output
    validated = runner.invoke(cli, ["validate", "--endpoint", oxigraph.query, "--format", "json"])
    assert validated.exit_code == runner.invoke(cli, ["validate", "--format", "json"]).exit_code == 0
