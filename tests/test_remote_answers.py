"""What RemoteStore accepts from an endpoint: answers only in the formats it asked for, never
RDF/XML (pyoxigraph expands its entities without limit), no XML results declaring entities,
and queries nested too deeply are refused before anything is sent."""

from __future__ import annotations

import json

import pytest

from innovgraph.errors import EndpointError, QueryTooDeepError
from innovgraph.remote import EndpointConfig, RemoteStore
from support.fake_endpoint import FakeEndpoint

NT = b'<http://e.org/a> <http://e.org/b> "x" .\n'
BOMB = (b'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">'
        b'<rdf:Description rdf:about="urn:a"><ex:p>&b;</ex:p></rdf:Description></rdf:RDF>')
XML_RESULTS_BOMB = (b'<?xml version="1.0"?><!DOCTYPE sparql [<!ENTITY a "aaaaaaaaaa">]>'
                    b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                    b'<variable name="x"/></head><results><result><binding name="x"><literal>&a;'
                    b'</literal></binding></result></results></sparql>')
ONE_ROW = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
    {"n": {"type": "literal", "value": "7"}}]}}).encode()


def store(url: str, **settings) -> RemoteStore:
    return RemoteStore(EndpointConfig(url=url, retries=0, **settings))


@pytest.mark.parametrize("query, content_type, body", [
    ("SELECT ?n WHERE { ?s ?p ?n }", "application/rdf+xml", BOMB),
    ("SELECT ?n WHERE { ?s ?p ?n }", "text/html", b"<html>hello</html>"),
    ("SELECT ?n WHERE { ?s ?p ?n }", "application/n-triples", NT),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "application/rdf+xml", BOMB),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json", ONE_ROW),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "application/octet-stream", NT),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "", NT),
])
def test_answers_in_formats_not_asked_for_are_refused(query, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    with FakeEndpoint(lambda r: (200, headers, body)) as server:
        with pytest.raises(EndpointError, match="asked for"):
            store(server.url).query(query)


def test_xml_results_declaring_entities_are_refused_before_parsing():
    headers = {"Content-Type": "application/sparql-results+xml"}
    with FakeEndpoint(lambda r: (200, headers, XML_RESULTS_BOMB)) as server:
        with pytest.raises(EndpointError, match="entity declarations"):
            store(server.url).query("SELECT ?x WHERE { ?s ?p ?x }")


@pytest.mark.parametrize("content_type", ["application/n-triples", "text/plain", "text/turtle"])
def test_the_formats_asked_for_are_accepted(content_type):
    with FakeEndpoint(lambda r: (200, {"Content-Type": content_type}, NT)) as server:
        result = store(server.url).query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert [str(t) for t in result.triples] == ['<http://e.org/a> <http://e.org/b> "x"']


def test_a_graph_download_in_rdf_xml_is_refused():
    with FakeEndpoint(lambda r: (200, {"Content-Type": "application/rdf+xml"}, BOMB)) as server:
        remote = store(server.url, gsp_url=server.url + "/data")
        with pytest.raises(EndpointError, match="asked for"):
            remote.fetch_graph()


def test_deep_queries_are_refused_before_anything_is_sent():
    with FakeEndpoint(lambda r: (200, {"Content-Type": "application/sparql-results+json"},
                                 ONE_ROW)) as server:
        with pytest.raises(QueryTooDeepError):
            store(server.url).query("ASK { " + "{ " * 5000 + "}" * 5000 + " }")
        assert server.requests == []
