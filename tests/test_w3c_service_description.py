"""The W3C SPARQL 1.1 Service Description tests (sparql/sparql11/service-description of
w3c/rdf-tests), against a read-only and a writable server: in-process and, marked slow, real
`innovgraph serve` processes.

The manifest describes its three tests in prose (`mf:name` only, no action); each is one test
function here, and `test_every_manifest_test_is_run` keeps the two lists the same:

- returns-rdf: "GET on endpoint returns RDF": a GET of /sparql without a query answers an RDF
  graph, in each RDF format a client may ask for (and, with no Accept header, Turtle);
- has-endpoint-triple: "Service description contains a matching sd:endpoint triple": some
  node has the URL the request was sent to as its `sd:endpoint`;
- conforms-to-schema: "Service description conforms to schema": the description conforms to
  the schema of the specification's section 3 (classes, domains, ranges, the vocabulary's
  own instances), written as SHACL shapes in tests/fixtures/w3c/service-description-shapes.ttl.

Beyond the manifest: what the description claims is what the server does (a writable server
claims SPARQL 1.1 Update, a read-only one does not; both claim the union default graph, which
queries and updates see: tests/test_web_protocol.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from support.w3c import (SUITE, in_process, media_type, missing_reason, parse_graph,
                         project_with, served_pair)

FOLDER = SUITE / "service-description"
MANIFEST = FOLDER / "manifest.ttl"
SHAPES = Path(__file__).parent / "fixtures" / "w3c" / "service-description-shapes.ttl"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RUN = {"returns-rdf", "has-endpoint-triple", "conforms-to-schema"}

pytestmark = pytest.mark.skipif(not MANIFEST.is_file(), reason=missing_reason(FOLDER))


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with served_pair(tmp_path_factory, "sd", {}) as targets:
        yield targets


@pytest.fixture(params=[pytest.param(("in-process", False), id="in-process-read-only"),
                        pytest.param(("in-process", True), id="in-process-writable"),
                        pytest.param(("served", False), id="served-read-only",
                                     marks=pytest.mark.slow),
                        pytest.param(("served", True), id="served-writable",
                                     marks=pytest.mark.slow)])
def target(request, tmp_path, app_client):
    mode, writable = request.param
    if mode == "served":
        return request.getfixturevalue("servers")[writable]
    return in_process(app_client, project_with(tmp_path / "project", {}), writable)


def _description(target, accept: str | None = "text/turtle") -> Graph:
    response = target.client.request("GET", "/sparql",
                                     headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    return parse_graph(response.content, response.headers["content-type"])


@pytest.mark.parametrize("accept", [None, "text/turtle", "application/n-triples",
                                    "application/ld+json", "application/rdf+xml"])
def test_returns_rdf(target, accept):
    response = target.client.request("GET", "/sparql",
                                     headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    media = media_type(response.headers["content-type"])
    assert media == (accept or "text/turtle")
    graph = parse_graph(response.content, media)
    assert (None, RDF.type, SD.Service) in graph


def test_has_endpoint_triple(target):
    graph = _description(target)
    endpoint = URIRef(target.url + "/sparql")
    assert list(graph.subjects(SD.endpoint, endpoint)), sorted(graph.objects(None, SD.endpoint))


def test_conforms_to_schema(target):
    from pyshacl import validate

    conforms, _, text = validate(_description(target), shacl_graph=Graph().parse(SHAPES),
                                 inference="none")
    assert conforms, text


def test_the_description_claims_what_the_server_does(target):
    graph = _description(target)
    languages = set(graph.objects(None, SD.supportedLanguage))
    assert SD.SPARQL11Query in languages
    assert (SD.SPARQL11Update in languages) is target.writable
    assert SD.UnionDefaultGraph in set(graph.objects(None, SD.feature))


def test_the_shapes_catch_a_description_that_does_not_conform():
    from pyshacl import validate

    broken = Graph().parse(data="""
        @prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
        <http://x/sparql> a sd:Service ; sd:endpoint "not an IRI" ;
            sd:supportedLanguage sd:SPARQL12Query ; sd:defaultDataset [ a sd:Graph ] .
        """, format="turtle")
    conforms, report, _ = validate(broken, shacl_graph=Graph().parse(SHAPES), inference="none")
    assert not conforms
    sh = Namespace("http://www.w3.org/ns/shacl#")
    assert len(set(report.subjects(RDF.type, sh.ValidationResult))) == 3


def test_every_manifest_test_is_run():
    g = Graph().parse(MANIFEST, format="turtle")
    names = {str(t).rsplit("#", 1)[1] for t in g.subjects(RDF.type, MF.ServiceDescriptionTest)}
    assert names == RUN
