"""Content negotiation with a real Accept parser (python-mimeparse): q-values, q=0,
specificity, 406 with what is offered, Vary: Accept; the ?format= and extension overrides
still win. In-process over the shipped project (`web_client`)."""

from __future__ import annotations

import pytest

from innovgraph.web.negotiation import GRAPH_FORMATS, HTML, RESULT_FORMATS, negotiate

CITY = "/id/city/moscow-rus"
SELECT = "SELECT ?x WHERE { BIND(1 AS ?x) }"
CONSTRUCT = "CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}"


def media(response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


@pytest.mark.parametrize("accept, expected", [
    ("text/html;q=0, */*;q=0.1", "text/turtle"),           # q=0 is never chosen
    ("text/turtle;q=0.5, text/*;q=0.9", "text/html"),      # text/* gives HTML 0.9 > 0.5
    ("text/turtle;q=0.5, application/n-triples;q=0.9", "application/n-triples"),
    ("text/turtle, */*", "text/turtle"),                    # the named type beats */*
    ("*/*;q=0.8, application/ld+json", "application/ld+json"),
    ("text/*;q=0.5, text/turtle;q=0", "text/html"),        # the specific q=0 wins for turtle
    ("application/rdf+xml;q=0.4, text/html;q=0.3", "application/rdf+xml"),
    ("", "text/html"),
    ("*/*", "text/html"),
    ("TEXT/TURTLE", "text/turtle"),
])
def test_resource_negotiation(web_client, accept, expected):
    response = web_client.get(CITY, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == expected
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize("path", [CITY, "/ontology", "/vocab/policy-area"])
def test_nothing_acceptable_is_406_with_the_offer(web_client, path):
    response = web_client.get(path, headers={"Accept": "image/png"})
    assert response.status_code == 406, response.text
    body = response.json()
    assert body["status"] == 406
    for offered in ("text/turtle", "application/ld+json", "application/n-triples",
                    "application/rdf+xml", "text/html"):
        assert offered in body["error"]
    assert response.headers["vary"] == "Accept"


def test_everything_refused_is_406(web_client):
    response = web_client.get(CITY, headers={"Accept": "*/*;q=0"})
    assert response.status_code == 406


def test_extension_overrides_accept(web_client):
    response = web_client.get(CITY + ".ttl", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert media(response) == "text/turtle"


@pytest.mark.parametrize("accept, expected", [
    ("text/csv;q=0.9, application/sparql-results+json;q=0.1", "text/csv"),
    ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("application/xml", "application/sparql-results+xml"),
])
def test_results_negotiation(web_client, accept, expected):
    response = web_client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == expected
    assert response.headers["vary"] == "Accept"


def test_results_406_and_the_format_override(web_client):
    response = web_client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["error"]
    assert "text/turtle" not in response.json()["error"]
    response = web_client.get("/sparql", params={"query": SELECT, "format": "csv"},
                              headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert media(response) == "text/csv"


def test_construct_406(web_client):
    response = web_client.get("/sparql", params={"query": CONSTRUCT},
                              headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["error"]


def test_graph_store_get_negotiates(web_client):
    response = web_client.get("/graph?default", headers={"Accept": "application/n-triples;q=1, "
                                                                   "text/turtle;q=0.2"})
    assert response.status_code == 200
    assert media(response) == "application/n-triples"
    assert web_client.get("/graph?default", headers={"Accept": "image/png"}).status_code == 406


def test_dump_extension_decides(web_client):
    response = web_client.get("/dump.nt", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert media(response) == "application/n-triples"


def test_browsers_still_get_html(web_client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert media(web_client.get(CITY, headers={"Accept": browser})) == "text/html"
    assert media(web_client.get("/sparql", params={"query": SELECT},
                                headers={"Accept": browser})) == "text/html"


def test_negotiate_unit():
    assert negotiate("application/json", RESULT_FORMATS).key == "json"
    assert negotiate("application/json", GRAPH_FORMATS).key == "jsonld"
    assert negotiate("text/*", GRAPH_FORMATS).key == "turtle"  # never N-Triples by text/plain
    assert negotiate("text/plain", GRAPH_FORMATS).key == "ntriples"
    assert negotiate("garbage", GRAPH_FORMATS).key == "turtle"  # unparsable: as no header
    assert negotiate("text/html;q=0", [HTML]) is None


# -- the OpenAPI document says what each operation answers ------------------------------------

def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _example(project, path: str) -> dict:
    """The parameters of a saved query's first example (none for other operations)."""
    from innovgraph.catalogue import Catalogue

    if not path.startswith("/api/queries/"):
        return {}
    name = path.rsplit("/", 1)[1]
    query = next(q for q in Catalogue(project).list() if q.name == name)
    example = dict(query.examples[0]) if query.examples else {}
    # The examples name real cities; the fixture's are fictional.
    cities = iter(["id:city/fictional-alphaville", "id:city/fictional-betatown"])
    return {k: next(cities) if v.startswith("id:city/") else v for k, v in example.items()}


def test_the_openapi_document_is_valid_openapi(web_client):
    from openapi_spec_validator import validate

    validate(web_client.get("/api/openapi.json").json())


def test_every_declared_media_type_is_served_and_every_served_one_declared(query_project,
                                                                             app_client):
    # The real saved queries over fictional cities (tests/fixtures/query-data): every query
    # answers quickly, whatever the size of the shipped data.
    from innovgraph.web.negotiation import GRAPH_FORMATS, HTML, RESULT_FORMATS

    web_client = app_client(query_project)
    document = web_client.get("/api/openapi.json").json()
    asked = sorted({a for f in [*RESULT_FORMATS, *GRAPH_FORMATS, HTML] for a in f.accepts}
                   | {"image/png", "*/*"})
    checked, served_fully = 0, []
    for path, method, operation in _operations(document):
        params = _example(query_project, path)
        declared = {status: set(r.get("content", {})) for status, r in
                    operation["responses"].items()}
        first = web_client.get(path, params=params)
        if first.status_code == 503:  # a query past the time limit (declared, as JSON): its
            assert "application/json" in declared["503"]  # media types cannot be checked
            continue
        for media in declared["200"]:  # every declared type is served
            response = web_client.get(path, params=params, headers={"Accept": media})
            assert response.status_code == 200, (path, media, response.text[:200])
            assert response.headers["content-type"].split(";")[0] == media, (path, media)
            checked += 1
        served_fully.append(path)
        for accept in asked:  # every served type is declared, for its status
            response = web_client.get(path, params=params, headers={"Accept": accept})
            served = response.headers["content-type"].split(";")[0]
            assert served in declared.get(str(response.status_code), set()), (
                path, accept, response.status_code, served)
            checked += 1
    assert checked > 200
    assert "/api/queries/city-graph" in served_fully and "/api/queries/cities" in served_fully
    assert len(served_fully) >= len(document["paths"]) - 2


def test_construct_operations_answer_rdf_and_select_ones_results(web_client):
    document = web_client.get("/api/openapi.json").json()
    graph = document["paths"]["/api/queries/city-graph"]["get"]["responses"]["200"]["content"]
    select = document["paths"]["/api/queries/cities"]["get"]["responses"]["200"]["content"]
    assert set(graph) == {"text/turtle", "application/n-triples", "application/ld+json",
                          "application/rdf+xml"}
    assert set(select) == {"application/sparql-results+json", "application/sparql-results+xml",
                           "text/csv", "text/tab-separated-values"}
