"""innovgraph against a real triple store: a throwaway Virtuoso Open Source server.

One server per session, on free loopback ports with its own database folder. The graph is
loaded with `innovgraph load`, then every saved query, with every example of its header, must
give the same answer as the embedded store, the injection cases must come back as plain values, and failing loads must
leave the live graph as it was.

Answers are compared term for term and row for row (tests/support/engines.py), on the shipped
graph and on the fictional fixture cities: the saved queries are written so that Virtuoso
answers what the embedded store does (docs/queries.md, "Writing one").
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from support.endpoints import embedded, no_endpoint_settings  # noqa: F401 (an autouse fixture)
from support.engines import run_store, runs
from support.fake_endpoint import FakeEndpoint, forward_to
from innovgraph import Project
from innovgraph.remote.binding import bind_into_text
from innovgraph.catalogue import Catalogue
from innovgraph.cli import cli
from innovgraph.errors import ParameterError, RemoteLoadError
from innovgraph.stats import graph_stats
from innovgraph.remote import DEFAULT_GRAPH, EndpointConfig, RemoteStore
from innovgraph.remote.load import STAGING_MARK, inferred_triples, load_remote, project_triples
from innovgraph.store import open_store
from innovgraph.namespaces import INFERRED_GRAPH
from innovgraph.validation import validate, validate_remote

pytestmark = [pytest.mark.slow, pytest.mark.virtuoso]

USER, PASSWORD = "dba", "dba"  # a fresh Virtuoso database's administrator


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    if shutil.which("virtuoso-t") is None:
        if os.environ.get("INNOVGRAPH_REQUIRE_VIRTUOSO"):
            pytest.fail("INNOVGRAPH_REQUIRE_VIRTUOSO is set but virtuoso-t is not installed "
                        "(run `make system-deps`).")
        pytest.skip("virtuoso-t is not installed: `make system-deps` (or apt-get install "
                    "virtuoso-opensource) runs these tests; CI always does.")
    from support.virtuoso_server import start

    server = start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def remote(virtuoso, graph: str = DEFAULT_GRAPH, **settings) -> RemoteStore:
    settings.setdefault("url", virtuoso.sparql_auth)
    return RemoteStore(EndpointConfig(graph=graph, user=USER, password=PASSWORD, **settings),
                       project=Project())


@pytest.fixture(scope="session")
def shipped() -> Project:
    return Project()


@pytest.fixture(scope="session")
def loaded(virtuoso, shipped):
    """The shipped graph, loaded into Virtuoso's default innovgraph graph by the CLI."""
    result = CliRunner().invoke(cli, ["load", "--endpoint", virtuoso.sparql_auth], env={
        "INNOVGRAPH_ENDPOINT_USER": USER, "INNOVGRAPH_ENDPOINT_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    return result.output


# --- loading ----------------------------------------------------------------------------------

def test_load_puts_every_distinct_triple_in_the_live_graph(virtuoso, loaded, shipped):
    triples, files = project_triples(shipped)
    assert f"Loaded {len(triples)} triples from {files} files into <{DEFAULT_GRAPH}>" in loaded
    with remote(virtuoso) as store:
        assert store.count() == len(triples) == open_store(shipped, in_memory=True).triples_count()
        assert store.count(INFERRED_GRAPH) == len(inferred_triples(shipped)) > 0
        # DEFAULT_GRAPH is a prefix of the inferred graph's IRI; no staging graph is left.
        assert store.server_graphs(prefix=DEFAULT_GRAPH) == [DEFAULT_GRAPH, INFERRED_GRAPH]


def test_load_by_graph_store_protocol_then_replace(virtuoso, shipped):
    graph = "urn:innovgraph:test:gsp"
    with remote(virtuoso, graph, gsp_url=virtuoso.gsp_auth, inferred_graph=graph + ":inferred") as store:
        first = load_remote(shipped, store)
        assert (first.method, first.triples, first.replaced) == ("gsp", store.count(), 0)
        with pytest.raises(RemoteLoadError, match=f"already holds {first.triples} triples; pass --replace"):
            load_remote(shipped, store)
        again = load_remote(shipped, store, replace=True, batch_size=700)
        assert (again.replaced, again.triples, store.count()) == (first.triples,) * 3
        assert again.batches > 1
        assert store.server_graphs(prefix=graph) == [graph, graph + ":inferred"]
        # Virtuoso: DROP without SILENT needs a CREATE first
        store.update(f"DROP SILENT GRAPH <{graph}> ; DROP SILENT GRAPH <{graph}:inferred>")


def test_the_loaded_graph_is_the_same_graph(virtuoso, loaded, shipped):
    with remote(virtuoso) as store:
        downloaded = store.rdflib_graph()
    local = open_store(shipped, in_memory=True)
    assert len(downloaded) == local.triples_count()


# --- saved queries: same answers as the embedded store ------------------------------------

RUNS = runs(Catalogue(Project()))


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory) -> Project:
    """The fictional fixture cities with Epsilonville (a superseded response), as
    tests/test_engines_agree.py has them."""
    root = tmp_path_factory.mktemp("virtuoso-fixture") / "project"
    shutil.copytree(Project().root / "ontology", root / "ontology")
    shutil.copytree(Project().root / "queries", root / "queries")
    fixtures = Path(__file__).parent / "fixtures"
    shutil.copytree(fixtures / "query-data", root / "data" / "ttl")
    shutil.copy(fixtures / "superseded" / "fictional-epsilonville.ttl", root / "data" / "ttl" / "cities")
    return Project(root)


FIXTURE_GRAPH = "urn:innovgraph:test:query-data"


@pytest.fixture(scope="session")
def fixture_loaded(virtuoso, fixture_project):
    with remote(virtuoso, FIXTURE_GRAPH, inferred_graph=FIXTURE_GRAPH + ":inferred") as store:
        store.project = fixture_project
        load_remote(fixture_project, store, replace=True)
    return fixture_project


@pytest.mark.parametrize(("name", "params"), RUNS, ids=[
    f"{n}[{','.join(f'{k}={v}' for k, v in p.items())}]" for n, p in RUNS])
def test_every_saved_query_gives_the_same_answer_as_the_embedded_store(
        virtuoso, loaded, shipped, name, params):
    """Term for term and row for row (tests/support/engines.py: only a boolean's lexical form
    is normalised, as Virtuoso's JSON results write "1" for true)."""
    catalogue = Catalogue(shipped)
    here = run_store(embedded(shipped), catalogue, name, params)
    assert here.kind != "error", here.rows
    with remote(virtuoso, url=virtuoso.sparql) as store:  # the anonymous, read-only endpoint
        assert here.difference(run_store(store, catalogue, name, params)) is None


@pytest.mark.parametrize(("name", "params"), RUNS, ids=[
    f"{n}[{','.join(f'{k}={v}' for k, v in p.items())}]" for n, p in RUNS])
def test_every_saved_query_gives_the_same_answer_on_the_fixture_cities(
        virtuoso, fixture_loaded, name, params):
    catalogue = Catalogue(fixture_loaded)
    here = run_store(embedded(fixture_loaded), catalogue, name, params)
    if here.kind == "error" and here.rows[0][0].startswith("ParameterError"):
        pytest.skip("the example names a city of the shipped graph")
    if INFERRED_GRAPH in catalogue.get(name).text:
        pytest.skip("the query names the inferred graph, which holds the shipped graph's here")
    with remote(virtuoso, FIXTURE_GRAPH, url=virtuoso.sparql,
                inferred_graph=FIXTURE_GRAPH + ":inferred") as store:
        assert here.difference(run_store(store, catalogue, name, params)) is None


def test_the_comparisons_compare_data(virtuoso, loaded, shipped):
    nonempty = sum(1 for name, params in RUNS
                   if run_store(embedded(shipped), Catalogue(shipped), name, params).rows)
    assert nonempty >= len(Catalogue(shipped).list())


def test_stats_and_validation_agree_with_the_embedded_store(virtuoso, loaded, shipped):
    with remote(virtuoso) as store:
        there = dict(graph_stats(store))
        report = validate_remote(store.project, store.rdflib_graph(),
                                 where=f"{store.config.url} <{store.config.graph}>")
    here = dict(graph_stats(open_store(shipped, in_memory=True)))
    assert there.pop("graphs") == 1  # one graph remotely, one per source file locally
    here.pop("graphs")
    assert there == here
    assert report.counts() == validate(shipped).counts()


def test_counts_over_the_default_graph_are_counts_of_distinct_triples(virtuoso, loaded, shipped):
    """One home per triple: COUNT(*) and cities per country agree on Virtuoso and the embedded store."""
    per_country = ("PREFIX ig: <https://w3id.org/innovgraph/ontology#> PREFIX schema: <https://schema.org/> "
                   "SELECT ?country (COUNT(?city) AS ?n) WHERE { ?city a ig:City ; ig:country/schema:name ?country } "
                   "GROUP BY ?country ORDER BY ?country")
    count_all = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    here = open_store(shipped, in_memory=True)
    with remote(virtuoso) as store:
        assert store.query(per_country).values() == here.query(per_country).values()
        assert int(store.query(count_all).rows[0][0].value) == here.triples_count()
    assert int(here.query(count_all).rows[0][0].value) == here.triples_count()
    # As many United States cities as fact sheets say so (the country field of each sheet).
    import yaml
    sheets = [yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in (shipped.root / "data" / "sources" / "cities").glob("*.yaml")]
    us = sum(1 for sheet in sheets if sheet.get("country") == "United States")
    assert ("United States", str(us)) in here.query(per_country).values() and us >= 7


def test_the_cli_runs_saved_queries_and_stats_on_the_endpoint(virtuoso, loaded):
    runner = CliRunner()
    local = runner.invoke(cli, ["query", "cities", "--format", "csv"])
    there = runner.invoke(cli, ["query", "cities", "--format", "csv", "--endpoint", virtuoso.sparql])
    assert there.exit_code == 0, there.output
    assert sorted(there.output.splitlines()) == sorted(local.output.splitlines())
    stats = runner.invoke(cli, ["stats", "--endpoint", virtuoso.sparql])
    assert stats.exit_code == 0 and "cities" in stats.output
    listing = runner.invoke(cli, ["queries", "--endpoint", virtuoso.sparql])
    assert listing.exit_code == 0, listing.output
    validated = runner.invoke(cli, ["validate", "--endpoint", virtuoso.sparql, "--format", "json"])
    assert validated.exit_code == runner.invoke(cli, ["validate", "--format", "json"]).exit_code


# --- injection: hostile values stay values on Virtuoso too ------------------------------

INJECTIONS = [
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    '"""\n} ; DROP ALL ; #',
    "line one\nline two\r\nline three\ttabbed",
    "back\\slash \\\\ double \\\" quote-after-backslash \\",
    "Łódź — São Paulo — 東京 — 😀",
]


@pytest.fixture(scope="module")
def injection_graph(virtuoso):
    graph = "urn:innovgraph:test:injection"
    p = ox.NamedNode("http://example.org/p")
    triples = [ox.Triple(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(v))
               for i, v in enumerate(INJECTIONS)]
    with remote(virtuoso, graph, gsp_url=virtuoso.gsp_auth) as store:
        store.gsp("PUT", graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "text/turtle")
        assert store.count() == len(INJECTIONS)
    return graph


@pytest.mark.parametrize("index", range(len(INJECTIONS)))
def test_hostile_values_are_matched_as_values_on_virtuoso(virtuoso, injection_graph, index):
    value = INJECTIONS[index]
    with remote(virtuoso, injection_graph) as store:  # the endpoint that may update
        result = store.query("SELECT ?s ?v WHERE { ?s <http://example.org/p> ?v }",
                             substitutions={ox.Variable("v"): ox.Literal(value)})
        assert [(s.value, v.value) for s, v in result.rows] == [(f"http://example.org/s{index}", value)]
        assert store.count() == len(INJECTIONS)  # nothing was dropped
        assert store.count(DEFAULT_GRAPH) > 0


def test_an_iri_parameter_with_a_bracket_never_reaches_virtuoso(virtuoso, loaded, shipped):
    query = Catalogue(shipped).get("cities-by-role")
    with pytest.raises(ParameterError):
        query.bind({"role": "http://x/> } ; DROP ALL ; #"})
    from rdflib import URIRef
    with pytest.raises(ParameterError, match="Not a valid IRI"):
        bind_into_text(query.text, {ox.Variable("_role_iri"): URIRef("http://x/> } ; DROP ALL ; #")})
    with remote(virtuoso) as store:
        assert store.count() > 0


# --- failing loads leave the live graph as it was -------------------------------------------

def _fail_after(virtuoso, uploads_before_failure: int, failure):
    """A proxy to Virtuoso that lets N upload requests through, then fails the next ones."""
    relay = forward_to(virtuoso.base)
    seen = {"uploads": 0}

    def responder(request):
        body = request.body.decode("utf-8", "replace")
        if "INSERT" in body:
            seen["uploads"] += 1
            if seen["uploads"] > uploads_before_failure:
                return failure()
        return relay(request)

    return FakeEndpoint(responder)


def _live_state(virtuoso, graph=DEFAULT_GRAPH):
    """(triples, inferred triples, the cities query's rows, staging graphs on the server)."""
    with remote(virtuoso, graph) as store:
        cities = run_store(store, Catalogue(Project()), "cities", {})
        staging = [g for g in store.server_graphs() if STAGING_MARK in g]
        return store.count(), store.count(INFERRED_GRAPH), cities, staging


def test_a_500_mid_load_keeps_the_live_graph_and_drops_the_staging_graph(virtuoso, loaded, shipped):
    before = _live_state(virtuoso)
    error = lambda: (500, {"Content-Type": "text/plain"}, b"Virtuoso 42000 Error: disk full\n")
    with _fail_after(virtuoso, 2, error) as proxy:
        result = CliRunner().invoke(cli, ["load", "--endpoint", proxy.url.replace("/sparql", "/sparql-auth"),
                                          "--replace"],
                                    env={"INNOVGRAPH_ENDPOINT_USER": USER,
                                         "INNOVGRAPH_ENDPOINT_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert "answered the upload (INSERT DATA) with 500 Internal Server Error: Virtuoso 42000 " \
           "Error: disk full" in result.output
    assert f"The live graph <{DEFAULT_GRAPH}> was not touched" in result.output
    assert "the staging graphs were dropped" in result.output
    assert PASSWORD not in result.output.replace("dba>", "")
    assert _live_state(virtuoso) == before
    assert before[3] == [] and before[1] > 0


def test_a_store_that_dies_mid_load_leaves_the_live_graph_as_it_was(virtuoso, loaded, shipped):
    before = _live_state(virtuoso)

    def die():
        raise ConnectionAbortedError  # the proxy drops the connection with no answer

    with _fail_after(virtuoso, 1, die) as proxy:
        with remote(virtuoso, url=proxy.url.replace("/sparql", "/sparql-auth"), backoff=0.05) as store:
            # From now on every upload and the clean-up find the store gone.
            with pytest.raises(RemoteLoadError) as caught:
                load_remote(shipped, store, replace=True)
    message = str(caught.value)
    assert message.startswith("Load failed: Cannot reach the SPARQL endpoint")
    assert f"The live graph <{DEFAULT_GRAPH}> was not touched ({before[0]} triples)" in message
    count, inferred, cities, staging = _live_state(virtuoso)
    assert (count, inferred, cities) == before[:3]  # readers still see the complete old graphs
    assert DEFAULT_GRAPH not in staging and len(staging) <= 2  # leftovers are only staging
    with remote(virtuoso) as store:
        for leftover in staging:
            assert leftover in message  # the message named it, so it can be dropped
            store.update(f"DROP SILENT GRAPH <{leftover}>")
