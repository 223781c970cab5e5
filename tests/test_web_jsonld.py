"""JSON-LD people can use (innovgraph.web.jsonld): the published context, compacted resources,
dumps and query graphs, the JSON-LD embedded in pages, and nothing ever fetched.

Round trips: the compacted JSON-LD, expanded by pyld with the published context, gives the same
graph (isomorphic, blank nodes included) as the Turtle of the same resource.
"""

from __future__ import annotations

import json
import re
import textwrap

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib.compare import isomorphic

from innovgraph.web.jsonld import (CONTEXT_IRI, context, context_text, document_loader,
                                   shipped_path)
from support.listener import Listener
from support.w3c import ROOT, parse_graph

TURTLE = {"Accept": "text/turtle"}
JSONLD = {"Accept": "application/ld+json"}
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_pyoxigraph_reads_the_compacted_json_ld_as_it_is(web_client):
    # (pyoxigraph has no document loader: the context must be in the document)
    response = web_client.get("/id/city/moscow-rus", headers=JSONLD)
    turtle = web_client.get("/id/city/moscow-rus", headers=TURTLE)
    assert isomorphic(parse_graph(response.content, "application/ld+json"),
                      parse_graph(turtle.content, "text/turtle"))


def _expand_to_graph(doc: dict):
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads",
                                 "documentLoader": document_loader})
    return parse_graph(nquads.encode("utf-8"), "application/n-triples")


def _keys(value):
    """Every key of a JSON document, nested ones included."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def test_the_shipped_context_is_current():
    assert shipped_path(ROOT).read_text(encoding="utf-8") == context_text(), (
        "ontology/context.jsonld is stale: run `python -m innovgraph.web.jsonld`")


def test_the_context_is_served_at_its_path(web_client):
    response = web_client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.text == shipped_path(ROOT).read_text(encoding="utf-8")
    prefixes = response.json()["@context"]
    assert prefixes["ig"] == "https://w3id.org/innovgraph/ontology#"
    assert prefixes["city"] == "https://w3id.org/innovgraph/id/city/"
    assert CONTEXT_IRI.endswith("/context.jsonld")


@pytest.mark.parametrize("path", ["/id/city/moscow-rus", "/id/person/lovely-warren",
                                  "/id/country/usa", "/vocab/policy-area", "/ontology"])
def test_resources_are_compacted_and_round_trip(web_client, path):
    turtle = web_client.get(path, headers=TURTLE)
    assert turtle.status_code == 200
    response = web_client.get(path, headers=JSONLD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["@context"] == context()["@context"]  # inline: nothing to fetch
    assert not [k for k in _keys(doc) if k.startswith("https://w3id.org/innovgraph/")]
    assert isomorphic(_expand_to_graph(doc),
                      parse_graph(turtle.content, turtle.headers["content-type"]))


def test_a_city_reads_as_its_turtle_does(web_client):
    doc = web_client.get("/id/city/moscow-rus", headers=JSONLD).json()
    node = next(n for n in doc["@graph"] if n["@id"] == "city:moscow-rus")
    assert node["@type"] == "ig:City"
    assert node["schema:name"] == "Moscow"


def test_the_dump_is_compacted_and_round_trips(web_client):
    doc = web_client.get("/dump.jsonld").json()
    assert doc["@context"] == context()["@context"]
    nt = web_client.get("/dump.nt")
    assert isomorphic(_expand_to_graph(doc), parse_graph(nt.content, "application/n-triples"))


def test_construct_results_and_graph_store_answers_are_compacted(web_client):
    query = ("CONSTRUCT { ?c a ?t } WHERE { ?c a ?t "
             "FILTER(?c = <https://w3id.org/innovgraph/id/city/moscow-rus>) }")
    doc = web_client.get("/sparql", params={"query": query}, headers=JSONLD).json()
    assert doc["@context"] == context()["@context"] and doc["@type"] == "ig:City"
    graph = web_client.get("/graph", params={
        "graph": "https://w3id.org/innovgraph/graph/data/ttl/cities/moscow-rus"}, headers=JSONLD)
    assert graph.json()["@context"] == context()["@context"]


def test_pages_embed_the_resource_as_json_ld(web_client):
    page = web_client.get("/id/city/moscow-rus", headers={"Accept": "text/html"}).text
    embedded = json.loads(SCRIPT.search(page).group(1))
    served = web_client.get("/id/city/moscow-rus", headers=JSONLD).json()
    assert isomorphic(_expand_to_graph(embedded), _expand_to_graph(served))
    for path in ("/ontology", "/vocab/policy-area"):
        page = web_client.get(path, headers={"Accept": "text/html"}).text
        doc = json.loads(SCRIPT.search(page).group(1))
        assert doc["@context"] == context()["@context"]
        assert jsonld.expand(doc)[0]["@id"] == "https://w3id.org/innovgraph" + path


def test_a_literal_cannot_close_the_script_element(project_dir, app_client):
    (project_dir / "data" / "ttl" / "cities" / "fictional-scriptham.ttl").write_text(textwrap.dedent("""\
        @prefix ig: <https://w3id.org/innovgraph/ontology#> .
        @prefix schema: <https://schema.org/> .
        <https://w3id.org/innovgraph/id/city/fictional-scriptham> a ig:City ;
            schema:name "Scriptham </script><script>alert(1)</script> & <!-- (fictional)" .
        """), encoding="utf-8")
    client = app_client(project_dir)
    page = client.get("/id/city/fictional-scriptham", headers={"Accept": "text/html"}).text
    blocks = SCRIPT.findall(page)
    assert len(blocks) == 1 and "<" not in blocks[0] and "&" not in blocks[0]
    node = json.loads(blocks[0])
    assert node["schema:name"] == "Scriptham </script><script>alert(1)</script> & <!-- (fictional)"


def test_no_other_context_is_ever_loaded():
    with Listener() as ear:
        with pytest.raises(jsonld.JsonLdError):
            jsonld.expand({"@context": ear.url + "context.jsonld", "name": "x"},
                          {"documentLoader": document_loader})
    assert ear.connections == []


def test_compaction_keeps_literal_forms_and_datatypes():
    from innovgraph.web.jsonld import compact

    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    city = ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-x")
    doc = compact([ox.Triple(city, ox.NamedNode("https://w3id.org/innovgraph/ontology#sharePercent"),
                             ox.Literal("61.0", datatype=decimal)),
                   ox.Triple(city, ox.NamedNode("https://schema.org/name"),
                             ox.Literal("X", language="en"))])
    assert doc["ig:sharePercent"] == {"@type": "xsd:decimal", "@value": "61.0"}
    assert doc["schema:name"] == {"@language": "en", "@value": "X"}
