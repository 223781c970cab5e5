"""Dereferenceable IRIs, the Graph Store Protocol read side, dumps and the VoID description.

The app runs in-process over the shipped project (the `web_client` fixture).
"""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, OWL, RDF, SKOS

SCHEMA = Namespace("https://schema.org/")
IG = Namespace("https://w3id.org/innovgraph/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
MOSCOW = URIRef("https://w3id.org/innovgraph/id/city/moscow-rus")
MOSCOW_GRAPH = "https://w3id.org/innovgraph/graph/data/ttl/cities/moscow-rus"
RDF_FORMATS = [("text/turtle", "ttl", "turtle"), ("application/ld+json", "jsonld", "json-ld"),
               ("application/n-triples", "nt", "nt"), ("application/rdf+xml", "rdf", "xml")]


def triples_count(web_client) -> int:
    response = web_client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"},
                              headers={"Accept": "application/sparql-results+json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("accept, ext, rdflib_format", RDF_FORMATS)
def test_city_by_accept_and_by_extension(web_client, accept, ext, rdflib_format):
    by_accept = web_client.get("/id/city/moscow-rus", headers={"Accept": accept})
    by_extension = web_client.get(f"/id/city/moscow-rus.{ext}")
    for response in (by_accept, by_extension):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == accept
        graph = Graph().parse(data=response.content, format=rdflib_format)
        assert (MOSCOW, SCHEMA.name, Literal("Moscow")) in graph
        assert (MOSCOW, RDF.type, IG.City) in graph
        # Incoming links are part of the description: the city's programs point at it.
        assert len(set(graph.subjects(IG.programOfCity, MOSCOW))) == 3
    assert set(Graph().parse(data=by_accept.content, format=rdflib_format)) == \
        set(Graph().parse(data=by_extension.content, format=rdflib_format))


def test_city_page_for_browsers(web_client):
    response = web_client.get("/id/city/moscow-rus",
                              headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    page = response.text
    for text in ("Moscow", "Russia", "12,640,000", "Sergey Semyonovich Sobyanin", "Alexei Fursin",
                 "Integrated Medical Information and Analytical System", "Profliner",
                 "Moscow Agency of Innovation", "Improve service delivery",
                 "https://cities-innovation-oecd.com/cities/moscow-rus/",
                 "data/ttl/cities/moscow-rus.ttl"):
        assert text in page, text
    assert 'href="/id/person/sergey-semyonovich-sobyanin"' in page
    # no JavaScript needed: the one script element is the page's data (JSON-LD)
    assert page.count("<script") == page.count('<script type="application/ld+json">') == 1


def test_unknown_iri_is_404(web_client):
    for path in ("/id/city/atlantis", "/id/city/atlantis.ttl", "/vocab/goal/world-peace", "/id/"):
        response = web_client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 404, path
        assert response.json()["status"] == 404


def test_person_and_concept_pages(web_client):
    person = web_client.get("/id/person/alexei-fursin.ttl")
    graph = Graph().parse(data=person.text, format="turtle")
    assert graph.value(URIRef("https://w3id.org/innovgraph/id/person/alexei-fursin"),
                       SCHEMA.name) == Literal("Alexei Fursin")
    concept = web_client.get("/vocab/goal/improve-service-delivery", headers={"Accept": "text/html"})
    assert "Improve service delivery" in concept.text
    assert "/id/city/moscow-rus/response/2020" in concept.text  # who chose it


def test_ontology_documentation_and_rdf(web_client):
    page = web_client.get("/ontology", headers={"Accept": "text/html"}).text
    assert 'id="City"' in page and 'id="programOfCity"' in page
    assert "Classes" in page and "Object properties" in page
    graph = Graph().parse(data=web_client.get("/ontology.ttl").text, format="turtle")
    assert (URIRef("https://w3id.org/innovgraph/ontology"), RDF.type, OWL.Ontology) in graph
    assert (IG.City, RDF.type, OWL.Class) in graph


def test_vocabulary_documentation_and_rdf(web_client):
    page = web_client.get("/vocab/goal", headers={"Accept": "text/html"}).text
    graph = Graph().parse(data=web_client.get("/vocab/goal", headers={"Accept": "text/turtle"}).text,
                          format="turtle")
    scheme = URIRef("https://w3id.org/innovgraph/vocab/goal")
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    assert len(concepts) >= 9
    for concept in concepts:
        assert str(graph.value(concept, SKOS.prefLabel)) in page
    index = web_client.get("/vocab", headers={"Accept": "text/html"}).text
    assert 'href="/vocab/goal"' in index and 'href="/vocab/policy-area"' in index


def test_graph_store_protocol_read_side(web_client):
    default = web_client.get("/graph", params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert default.status_code == 200
    union = Graph().parse(data=default.text, format="nt")
    assert len(union) == triples_count(web_client)
    named = web_client.get("/graph", params={"graph": MOSCOW_GRAPH}, headers={"Accept": "text/turtle"})
    moscow = Graph().parse(data=named.text, format="turtle")
    assert (MOSCOW, SCHEMA.name, Literal("Moscow")) in moscow
    assert not list(moscow.subjects(RDF.type, IG.Ontology))
    assert set(moscow.subjects(RDF.type, IG.City)) == {MOSCOW}


@pytest.mark.parametrize("ext, rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                                ("rdf", "xml")])
def test_triple_dumps(web_client, ext, rdflib_format):
    response = web_client.get(f"/dump.{ext}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) == triples_count(web_client)


@pytest.mark.parametrize("ext, rdflib_format", [("nq", "nquads"), ("trig", "trig")])
def test_quad_dumps_keep_one_graph_per_file(web_client, ext, rdflib_format):
    dataset = Dataset()
    dataset.parse(data=web_client.get(f"/dump.{ext}").content, format=rdflib_format)
    names = {str(g.identifier) for g in dataset.graphs()}
    assert MOSCOW_GRAPH in names
    assert "https://w3id.org/innovgraph/graph/ontology/vocab/goal" in names
    assert (MOSCOW, SCHEMA.name, Literal("Moscow")) in dataset.graph(URIRef(MOSCOW_GRAPH))


def test_void_and_dcat_description(web_client):
    response = web_client.get("/.well-known/void")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert int(graph.value(dataset, VOID.triples)) == triples_count(web_client)
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(web_client("/sparql"))
    assert str(graph.value(dataset, VOID.uriSpace)) == "https://w3id.org/innovgraph/id/"
    dumps = {str(d) for d in graph.objects(dataset, VOID.dataDump)}
    assert dumps == {web_client(f"/dump.{e}") for e in ("ttl", "nt", "jsonld", "rdf", "nq", "trig")}
    for url in dumps:  # every advertised dump is really there
        assert web_client.head(url).status_code == 200
    assert URIRef("https://w3id.org/innovgraph/vocab/goal") in set(graph.objects(dataset, VOID.vocabulary))
    services = set(graph.subjects(RDF.type, DCAT.DataService))
    assert {str(graph.value(s, DCAT.endpointURL)) for s in services} == \
        {web_client("/sparql"), web_client("/api/queries")}
    distributions = set(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 7  # six dumps and the endpoint
    assert all((d, RDF.type, DCAT.Distribution) in graph for d in distributions)
