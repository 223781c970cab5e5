"""The SPARQL 1.1 Protocol endpoint: real clients against a live server, and the protocol's
HTTP semantics in-process.

SPARQLWrapper and rdflib's SPARQLStore talk to the real server (`web`: `innovgraph serve` on a
loopback port), and so does the socket smoke test, `test_service_description_when_no_query`.
The other tests run the app in-process over the shipped project (`web_client`).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, \
    SPARQLWrapper

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SCHEMA = Namespace("https://schema.org/")
MOSCOW = URIRef("https://w3id.org/innovgraph/id/city/moscow-rus")
MOSCOW_GRAPH = "https://w3id.org/innovgraph/graph/data/ttl/cities/moscow-rus"

MAYOR = """
PREFIX ig: <https://w3id.org/innovgraph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?name WHERE {
  ?tenure ig:post ?post ; ig:holder ?person .
  ?post a ig:MayorPost ; org:postIn/ig:administrationOf <https://w3id.org/innovgraph/id/city/moscow-rus> .
  ?person schema:name ?name .
}"""
PROGRAMS = """
PREFIX ig: <https://w3id.org/innovgraph/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?name WHERE { ?p ig:programOfCity <https://w3id.org/innovgraph/id/city/moscow-rus> ;
                        schema:name ?name } ORDER BY ?name"""
MOSCOW_PROGRAMS = ["Integrated Medical Information and Analytical System",
                   "Moscow Innovation Cluster", "Profliner"]
CONSTRUCT = """
PREFIX schema: <https://schema.org/>
CONSTRUCT { ?city schema:name ?name } WHERE {
  BIND(<https://w3id.org/innovgraph/id/city/moscow-rus> AS ?city) ?city schema:name ?name }"""


def wrapper(web, fmt, query, method=None):
    client = SPARQLWrapper(web("/sparql"))
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method is not None:
        client.setMethod(POST)
        client.setRequestMethod(method)
    return client.query()


def test_service_description_when_no_query(web):
    # The socket smoke test: `innovgraph serve` (uvicorn) answers a GET on a real port, and
    # names itself by the address it was reached at.
    response = httpx.get(web("/sparql"), headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(web("/sparql"))
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only
    names = {str(o) for o in graph.objects(None, SD.name)}
    assert MOSCOW_GRAPH in names
    assert "https://w3id.org/innovgraph/graph/ontology/innovgraph" in names


@pytest.mark.parametrize("method", [None, POSTDIRECTLY, "urlencoded"])
def test_sparqlwrapper_select_json_by_get_and_post(web, method):
    results = wrapper(web, JSON, MAYOR, method).convert()
    assert [b["name"]["value"] for b in results["results"]["bindings"]] == [
        "Sergey Semyonovich Sobyanin"]


def test_sparqlwrapper_select_xml(web):
    document = wrapper(web, XML, PROGRAMS).convert()
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert values == MOSCOW_PROGRAMS


def test_sparqlwrapper_select_csv_and_tsv(web):
    rows = list(csv.reader(io.StringIO(wrapper(web, CSV, PROGRAMS).convert().decode())))
    assert rows == [["name"]] + [[n] for n in MOSCOW_PROGRAMS]
    lines = wrapper(web, TSV, PROGRAMS).convert().decode().splitlines()
    assert lines == ["?name"] + [f'"{n}"' for n in MOSCOW_PROGRAMS]


def test_sparqlwrapper_ask(web):
    ask = "PREFIX ig: <https://w3id.org/innovgraph/ontology#> ASK { ?c a ig:City }"
    assert wrapper(web, JSON, ask).convert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3])
def test_sparqlwrapper_construct_formats(web, fmt):
    graph = wrapper(web, fmt, CONSTRUCT).convert()
    if not isinstance(graph, Graph):  # SPARQLWrapper returns bytes for Turtle and N3
        graph = Graph().parse(data=graph, format="turtle")
    assert set(graph) == {(MOSCOW, SCHEMA.name, Literal("Moscow"))}


def test_rdflib_sparqlstore_as_client(web):
    store = SPARQLStore(web("/sparql"), returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query(PROGRAMS))
    assert [str(r[0]) for r in rows] == MOSCOW_PROGRAMS
    assert (MOSCOW, SCHEMA.name, Literal("Moscow")) in graph
    assert list(graph.objects(MOSCOW, SCHEMA.name)) == [Literal("Moscow")]


@pytest.mark.parametrize("accept, check", [
    ("application/sparql-results+json", lambda body: json.loads(body)["results"]["bindings"][0]["name"]["value"]),
    ("application/sparql-results+xml", lambda body: ET.fromstring(body).find(
        ".//{http://www.w3.org/2005/sparql-results#}literal").text),
    ("text/csv", lambda body: list(csv.reader(io.StringIO(body.decode())))[1][0]),
    ("text/tab-separated-values", lambda body: body.decode().splitlines()[1].strip('"')),
])
def test_select_results_by_accept(web_client, accept, check):
    response = web_client.post("/sparql", data={"query": MAYOR}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert check(response.content) == "Sergey Semyonovich Sobyanin"


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_by_accept(web_client, accept, rdflib_format):
    response = web_client.post("/sparql", content=CONSTRUCT,
                               headers={"Content-Type": "application/sparql-query", "Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert set(graph) == {(MOSCOW, SCHEMA.name, Literal("Moscow"))}


def test_from_a_local_graph_reads_only_that_graph(web_client):
    query = f"SELECT DISTINCT ?city FROM <{MOSCOW_GRAPH}> WHERE {{ ?city a <https://w3id.org/innovgraph/ontology#City> }}"
    response = web_client.get("/sparql", params={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert [b["city"]["value"] for b in response.json()["results"]["bindings"]] == [str(MOSCOW)]


def test_default_graph_uri_parameter_selects_a_local_graph(web_client):
    query = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/innovgraph/ontology#City> }"
    response = web_client.get("/sparql", params={"query": query, "default-graph-uri": MOSCOW_GRAPH},
                              headers={"Accept": "application/sparql-results+json"})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_browser_gets_the_query_page_with_examples(web_client):
    response = web_client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert 'id="examples"' in response.text
    assert "mayors-and-innovation-officers" in response.text


def test_browser_gets_results_as_an_html_table(web_client):
    response = web_client.get("/sparql", params={"query": MAYOR}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "Sergey Semyonovich Sobyanin" in response.text
    assert "1 row" in response.text


def test_html_escapes_query_text(web_client):
    query = 'SELECT ("<script>alert(1)</script>" AS ?x) WHERE {}'
    response = web_client.get("/sparql", params={"query": query, "format": "html"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_default_graph_is_the_asserted_graphs_as_on_the_cli(web_client):
    """Inferred types are only in GRAPH <.../graph/inferred>, on the endpoint as in the CLI."""
    from innovgraph.project import Project
    from innovgraph.catalogue import run_sparql
    from innovgraph.store import open_store
    from support.webserver import ROOT

    count = """PREFIX ig: <https://w3id.org/innovgraph/ontology#>
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { %s }"""
    asserted = count % "?x a ig:Mayor"
    inferred = count % "GRAPH <https://w3id.org/innovgraph/graph/inferred> { ?x a ig:Mayor }"

    def endpoint(query):
        response = web_client.get("/sparql", params={"query": query},
                                  headers={"Accept": "application/sparql-results+json"})
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def cli(query):
        return int(run_sparql(open_store(Project(ROOT)), query).rows[0][0].value)

    assert endpoint(asserted) == cli(asserted) == 0
    # 79 cities, each with a named mayor but Alexandria, whose slot is labelled 'City Manager'
    # (alexandria-us.yaml line 22)
    assert endpoint(inferred) == cli(inferred) == 78
