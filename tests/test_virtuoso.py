"""innovgraph against a real triple store: a throwaway Virtuoso Open Source server.

One server per session, on free loopback ports with its own database folder. The graph is
loaded with `innovgraph load`, then every saved query must give the same result set as the
embedded store, the injection cases must come back as plain values, and failing loads must
leave the live graph as it was.

Result rows are compared as sets of normalised terms, because Virtuoso writes some values
differently from pyoxigraph (see `normalise`).
"""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from support.fake_endpoint import FakeEndpoint, forward_to
from innovgraph import Project
from innovgraph.remote.binding import bind_into_text
from innovgraph.catalogue import Catalogue
from innovgraph.cli import cli
from innovgraph.errors import ParameterError, RemoteLoadError
from innovgraph.catalogue import run_saved_query
from innovgraph.stats import graph_stats
from innovgraph.remote import DEFAULT_GRAPH, EndpointConfig, RemoteStore
from innovgraph.remote.load import STAGING_MARK, inferred_triples, load_remote, project_triples
from innovgraph.store import open_store
from innovgraph.namespaces import INFERRED_GRAPH
from innovgraph.validation import validate, validate_remote

pytestmark = [pytest.mark.slow, pytest.mark.virtuoso]

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "nonNegativeInteger",
                             "positiveInteger", "double", "float")}
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


@pytest.fixture(autouse=True)
def _no_endpoint_settings(monkeypatch, tmp_path):
    for name in ("INNOVGRAPH_ENDPOINT", "INNOVGRAPH_ENDPOINT_USER",
                 "INNOVGRAPH_ENDPOINT_PASSWORD", "INNOVGRAPH_ENDPOINT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


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


# --- normalisation of terms for comparing result sets --------------------------------------

def normalise(term):
    """A comparable form of a result term. Each rule is a difference seen between stores:

    - unbound -> None; blank nodes -> "_:" (labels are per store and per response);
    - numbers (xsd:integer, xsd:decimal, the derived integer types, double, float) -> their
      Decimal value: Virtuoso writes decimals with its own number of digits ("1.50"), and
      types some aggregates (SUM, AVG, COUNT) differently from pyoxigraph;
    - xsd:boolean -> the number 1 or 0: Virtuoso stores booleans as integers, answers a
      stored one as "1"^^xsd:boolean, and the value of a boolean expression (`=`, EXISTS)
      as "1"^^xsd:integer;
    - xsd:string and plain literals are the same literal (RDF 1.1): Virtuoso still tells them
      apart (RDF 1.0) and may answer either;
    - the empty plain string -> None (unbound): a GROUP_CONCAT over only unbound values is
      unbound in pyoxigraph (the aggregate errors) and "" in Virtuoso;
    - language-tagged strings -> their text (the tag is not compared): GROUP_CONCAT keeps the
      tag its values share in pyoxigraph and drops it in Virtuoso;
    - everything else (IRIs, language-tagged strings, dates, other datatypes) as is.
    """
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    datatype = term.datatype.value
    if datatype in NUMERIC:
        return ("number", Decimal(term.value).normalize())
    if datatype == XSD + "boolean":
        return ("number", Decimal(1 if term.value in ("true", "1") else 0))
    if term.language or datatype == XSD + "string":
        return ("text", term.value) if term.value else None
    return ("typed", term.value, datatype)


_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\((?:[^()]|\([^()]*\))*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s+\?(\w+)',
    re.IGNORECASE | re.DOTALL)


def concat_columns(query_text: str) -> dict[str, str]:
    """{variable: separator} of the GROUP_CONCAT columns of a query.

    >>> concat_columns('SELECT (GROUP_CONCAT(DISTINCT STR(?y); separator=", ") AS ?years) {}')
    {'years': ', '}
    """
    return {var: sep for sep, var in _GROUP_CONCAT.findall(query_text)}


def result_set(result, concat: dict[str, str] | None = None) -> set:
    """Rows as a set of tuples of normalised terms. The values of GROUP_CONCAT columns (named
    in `concat`) are compared as sorted parts: SPARQL leaves their order to the store."""
    if result.kind == "ask":
        return {result.boolean}
    if result.kind == "graph":
        return {tuple(normalise(t) for t in (x.subject, x.predicate, x.object)) for x in result.triples}
    concat = concat or {}

    def cell(variable, term):
        value = normalise(term)
        if variable in concat and value is not None and value[0] == "text":
            return ("parts", tuple(sorted(value[1].split(concat[variable]))))
        return value

    return {tuple(cell(v, t) for v, t in zip(result.variables, row)) for row in result.rows}


def examples(query) -> list[dict]:
    required = any(p.required for p in query.params)
    return [dict(e) for e in query.examples] or ([] if required else [{}])


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


# --- saved queries: same results as the embedded store ----------------------------------

def test_every_saved_query_returns_the_same_result_set_as_the_embedded_store(virtuoso, loaded, shipped):
    embedded = open_store(shipped, in_memory=True)
    compared, nonempty = 0, 0
    with remote(virtuoso, url=virtuoso.sparql) as store:  # the anonymous, read-only endpoint
        for query in Catalogue(shipped).list():
            for params in examples(query):
                local = run_saved_query(embedded, query.name, params)
                there = run_saved_query(store, query.name, params)
                assert there.kind == local.kind, query.name
                concat = concat_columns(query.text)
                assert result_set(there, concat) == result_set(local, concat), (query.name, params)
                assert len(there) == len(local), (query.name, params)
                compared += 1
                nonempty += bool(len(local))
    assert compared >= len(Catalogue(shipped).list())
    assert nonempty >= len(Catalogue(shipped).list()) // 2  # the comparison compares data


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
    assert ("United States", "7") in here.query(per_country).values()


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
        cities = run_saved_query(store, "cities", {})
        staging = [g for g in store.server_graphs() if STAGING_MARK in g]
        return store.count(), store.count(INFERRED_GRAPH), result_set(cities), staging


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
