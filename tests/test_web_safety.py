"""Every refusal of the server, and the one error shape they all share.

The app runs in-process over the shipped project (`web_client`, and `strict_web_client` with
the limits, token and CORS of `strict_web`). The time limit is tested on the real strict server:
the query it refuses runs on in its worker thread after the 503, which must not be this process.
"""

from __future__ import annotations

import httpx
import pytest

from innovgraph.cli import cli
from support.webserver import CORS_ORIGIN, UPDATE_TOKEN

JSON = {"Accept": "application/json"}
MOSCOW_GRAPH = "https://w3id.org/innovgraph/graph/data/ttl/cities/moscow-rus"
INSERT = ('INSERT DATA { GRAPH <https://w3id.org/innovgraph/graph/test/inserted> { '
          '<https://w3id.org/innovgraph/id/test/thing> <https://schema.org/name> "Inserted" } }')


def assert_error(response: httpx.Response, status: int, *words: str) -> dict:
    """The error contract: JSON body with exactly `error` (text) and `status` (the code)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "status"}
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in body["error"]
    for word in words:
        assert word.lower() in body["error"].lower(), body["error"]
    return body


# -- read-only by default -------------------------------------------------------------------

def test_update_is_refused_on_a_read_only_server(web_client):
    response = web_client.post("/sparql", content=INSERT,
                               headers={"Content-Type": "application/sparql-update", **JSON})
    assert_error(response, 403, "read-only", "--allow-update")


def test_update_by_form_is_refused_too(web_client):
    assert_error(web_client.post("/sparql", data={"update": INSERT}, headers=JSON), 403)


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_writes_are_refused(web_client, method):
    response = web_client.request(method, "/graph", params={"graph": MOSCOW_GRAPH},
                                  content=b"<urn:a> <urn:b> <urn:c> .",
                                  headers={"Content-Type": "application/n-triples", **JSON})
    assert_error(response, 403, "read-only")


def test_update_needs_the_token(strict_web_client):
    headers = {"Content-Type": "application/sparql-update", **JSON}
    assert_error(strict_web_client.post("/sparql", content=INSERT, headers=headers), 403, "Bearer")
    wrong = {**headers, "Authorization": "Bearer not-the-token"}
    assert_error(strict_web_client.post("/sparql", content=INSERT, headers=wrong), 403)


def test_update_with_the_token_changes_the_store(strict_web_client):
    headers = {"Content-Type": "application/sparql-update",
               "Authorization": f"Bearer {UPDATE_TOKEN}"}
    response = strict_web_client.post("/sparql", content=INSERT, headers=headers)
    assert response.status_code == 204, response.text
    ask = 'ASK { <https://w3id.org/innovgraph/id/test/thing> <https://schema.org/name> "Inserted" }'
    answer = strict_web_client.get("/sparql", params={"query": ask},
                                   headers={"Accept": "application/sparql-results+json"})
    assert answer.json()["boolean"] is True
    # The resource page of the inserted IRI now exists (the response cache saw the change).
    page = strict_web_client.get("/id/test/thing.nt")
    assert page.status_code == 200 and '"Inserted"' in page.text


def test_graph_store_put_with_the_token(strict_web_client):
    graph = "https://w3id.org/innovgraph/graph/test/put"
    response = strict_web_client.put("/graph", params={"graph": graph},
                                     content=b"<urn:x:a> <urn:x:b> <urn:x:c> .",
                                     headers={"Content-Type": "application/n-triples",
                                              "Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert response.status_code == 201, response.text
    got = strict_web_client.get("/graph", params={"graph": graph},
                                headers={"Accept": "application/n-triples"})
    assert got.text.strip() == "<urn:x:a> <urn:x:b> <urn:x:c> ."


# -- nothing is fetched from the network -----------------------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    r"SELECT * WHERE { SERVIC\u0045 <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused(web_client, query):
    assert_error(web_client.get("/sparql", params={"query": query}, headers=JSON), 400, "SERVICE")


def test_the_word_service_inside_a_literal_is_fine(web_client):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/>" AS ?x) } # SERVICE'
    response = web_client.get("/sparql", params={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200


@pytest.mark.parametrize("query, words", [
    ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", ["FROM", "example.org"]),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", ["FROM NAMED"]),
    ("PREFIX ex: <http://example.org/> SELECT * FROM ex:data WHERE { ?s ?p ?o }", ["http://example.org/data"]),
])
def test_remote_from_is_refused(web_client, query, words):
    assert_error(web_client.get("/sparql", params={"query": query}, headers=JSON), 400, *words)


def test_remote_default_graph_uri_is_an_empty_graph_never_fetched(web_client):
    # The SPARQL 1.1 protocol (and its W3C tests): a default-graph-uri the store does not hold
    # is an empty graph; the server never fetches it (a fetch would need the network, and the
    # answer would then not be empty).
    params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
              "default-graph-uri": "http://127.0.0.1:9/remote"}
    response = web_client.get("/sparql", params=params, headers=JSON)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []


def test_load_is_refused_even_with_the_token(strict_web_client):
    response = strict_web_client.post("/sparql", content="LOAD <http://example.org/data.ttl>",
                                      headers={"Content-Type": "application/sparql-update",
                                               "Authorization": f"Bearer {UPDATE_TOKEN}",
                                               **JSON})
    assert_error(response, 400, "LOAD")


# -- limits ----------------------------------------------------------------------------------

def test_query_over_the_time_limit_gets_503(strict_web):
    # 60^4 = 13 million rows to count, whatever the data: seconds of work, against 0.3 s.
    values = "{ " + " ".join(str(n) for n in range(60)) + " }"
    query = ("SELECT (COUNT(*) AS ?n) WHERE { "
             + " ".join(f"VALUES ?{v} {values}" for v in "abcd") + " }")
    response = httpx.get(strict_web("/sparql"), params={"query": query}, headers=JSON, timeout=60)
    body = assert_error(response, 503, "0.3 s")
    assert "limit" in body["error"]


def test_result_over_the_size_limit_gets_400(strict_web_client):
    query = "SELECT ?s WHERE { ?s a ?type } LIMIT 6"
    assert_error(strict_web_client.get("/sparql", params={"query": query}, headers=JSON),
                 400, "more than", "5 rows")
    ok = strict_web_client.get("/sparql", params={"query": query.replace("6", "5")},
                               headers={"Accept": "application/sparql-results+json"})
    assert len(ok.json()["results"]["bindings"]) == 5


def test_graph_results_are_limited_too(strict_web_client):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert_error(strict_web_client.get("/sparql", params={"query": query}, headers=JSON),
                 400, "5 rows (or triples)")


# -- malformed requests ----------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parser_message(web_client):
    response = web_client.get("/sparql", params={"query": "SELEKT * WHERE { ?s ?p ?o }"},
                              headers=JSON)
    assert_error(response, 400, "syntax")


@pytest.mark.parametrize("request_kwargs, status, words", [
    ({"method": "POST", "content": b"query=x", "headers": {"Content-Type": "text/plain"}}, 415, ["Content-Type"]),
    ({"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, ["given 2 times"]),
    ({"method": "POST", "content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}}, 400, ["UTF-8"]),
    ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400, ["POST"]),
    ({"method": "GET", "params": {"query": "   "}}, 400, ["empty"]),
    ({"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, ["not both"]),
])
def test_malformed_requests(web_client, request_kwargs, status, words):
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method")
    kwargs["headers"] = {**JSON, **kwargs.get("headers", {})}
    assert_error(web_client.request(method, "/sparql", **kwargs), status, *words)


def test_unknown_path_and_method(web_client):
    assert_error(web_client.get("/no/such/page", headers=JSON), 404, "/no/such/page")
    assert_error(web_client.delete("/sparql", headers=JSON), 405, "DELETE")


def test_graph_store_needs_a_graph(web_client):
    assert_error(web_client.get("/graph", headers=JSON), 400, "?default")
    assert_error(web_client.get("/graph", params={"graph": "http://example.org/g"}, headers=JSON), 404)


def test_browsers_get_errors_as_a_page(web_client):
    response = web_client.get("/id/city/atlantis", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert 'id="error-message"' in response.text and "atlantis" in response.text


# -- CORS and binding ------------------------------------------------------------------------

def test_cors_is_off_by_default(web_client):
    response = web_client.get("/sparql", headers={"Origin": CORS_ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_cors_when_asked(strict_web_client):
    response = strict_web_client.get("/sparql", headers={"Origin": CORS_ORIGIN})
    assert response.headers["access-control-allow-origin"] == CORS_ORIGIN
    other = strict_web_client.get("/sparql", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_serve_binds_loopback_by_default():
    host = next(p for p in cli.commands["serve"].params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_allow_update_without_token_is_a_usage_error():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["serve", "--allow-update"], env={"INNOVGRAPH_UPDATE_TOKEN": ""})
    assert result.exit_code == 2
    assert "--update-token" in result.output
