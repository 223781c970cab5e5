"""The SPARQL 1.1 Protocol's dataset, base IRI and request rules, in-process over the shipped
project (`web_client`) and a writable app over the fixture project (`app_client`).

- default-graph-uri / named-graph-uri replace the query's dataset; a graph the store does not
  hold is an empty graph, never fetched; named-graph-uri alone leaves the default graph empty;
- relative IRIs resolve against the endpoint's URL (docs/server.md, "Base IRI");
- a POST with neither query nor update is a 400, a GET without a query the description.
"""

from __future__ import annotations

import socket

import pytest

from innovgraph import Project, open_store
from innovgraph.errors import QuerySyntaxError

JSON = {"Accept": "application/sparql-results+json"}
CITY = "<https://w3id.org/innovgraph/ontology#City>"
MOSCOW_GRAPH = "https://w3id.org/innovgraph/graph/data/ttl/cities/moscow-rus"
COUNT_CITIES = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a {CITY} }}"
TOKEN = "protocol-test-token"


def count(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_unknown_default_graph_uri_is_empty(web_client):
    params = {"query": COUNT_CITIES, "default-graph-uri": "http://example.org/not-here"}
    assert count(web_client.get("/sparql", params=params, headers=JSON)) == 0


def test_unknown_and_known_default_graphs_merge(web_client):
    params = [("query", COUNT_CITIES), ("default-graph-uri", "http://example.org/not-here"),
              ("default-graph-uri", MOSCOW_GRAPH)]
    assert count(web_client.get("/sparql", params=params, headers=JSON)) == 1


def test_named_graph_uri_alone_makes_the_default_graph_empty(web_client):
    # Without parameters the default graph is the union: many cities.
    assert count(web_client.get("/sparql", params={"query": COUNT_CITIES}, headers=JSON)) > 1
    params = {"query": COUNT_CITIES, "named-graph-uri": MOSCOW_GRAPH}
    assert count(web_client.get("/sparql", params=params, headers=JSON)) == 0
    in_graph = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a {CITY} }} }}"
    params = {"query": in_graph, "named-graph-uri": MOSCOW_GRAPH}
    assert count(web_client.get("/sparql", params=params, headers=JSON)) == 1


def test_unknown_named_graph_uri_is_no_graph(web_client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    params = {"query": query, "named-graph-uri": "http://example.org/not-here"}
    assert count(web_client.get("/sparql", params=params, headers=JSON)) == 0


def test_protocol_dataset_replaces_the_query_from(web_client):
    # FROM names a local graph (one city); default-graph-uri an unknown one: the protocol wins.
    query = f"SELECT (COUNT(DISTINCT ?c) AS ?n) FROM <{MOSCOW_GRAPH}> WHERE {{ ?c a {CITY} }}"
    assert count(web_client.get("/sparql", params={"query": query}, headers=JSON)) == 1
    params = {"query": query, "default-graph-uri": "http://example.org/not-here"}
    assert count(web_client.get("/sparql", params=params, headers=JSON)) == 0


def test_from_an_unknown_graph_is_still_refused(web_client):
    query = "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }"
    response = web_client.get("/sparql", params={"query": query}, headers=JSON)
    assert response.status_code == 400
    assert "never fetches" in response.json()["error"]


def test_library_dataset_options(project_dir):
    store = open_store(Project(project_dir), in_memory=True)
    graphs = [g for g in store.graphs() if "/cities/" in g]
    assert len(graphs) == 2
    query = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a {CITY} }}"
    n = lambda **kw: int(store.query(query, **kw).rows[0][0].value)  # noqa: E731
    assert n() == 2
    assert n(default_graph=["http://example.org/not-here"]) == 0
    assert n(default_graph=[graphs[0]]) == 1
    assert n(named_graphs=graphs) == 0
    in_graph = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a {CITY} }} }}"
    assert int(store.query(in_graph, named_graphs=[graphs[1]]).rows[0][0].value) == 1


def test_library_base_iri(project_dir):
    store = open_store(Project(project_dir), in_memory=True)
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT * WHERE { <relative> ?p ?o }")
    result = store.query("SELECT (<relative> AS ?x) WHERE {}", base_iri="http://example.org/a/b")
    assert result.rows[0][0].value == "http://example.org/a/relative"
    store.update("INSERT DATA { <s> <http://example.org/p> <o> }", base_iri="http://example.org/")
    assert store.query("ASK { <http://example.org/s> <http://example.org/p> "
                       "<http://example.org/o> }").boolean is True


def test_relative_iris_in_a_query_resolve_against_the_endpoint(web_client):
    response = web_client.get("/sparql", params={"query": "SELECT (<rel/x> AS ?x) WHERE {}"},
                              headers=JSON)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["x"]["value"] == web_client("/rel/x")


def test_relative_iris_follow_the_configured_base_url(project_dir, app_client):
    client = app_client(project_dir, base_url="https://example.org/kb/")
    response = client.get("/sparql", params={"query": "SELECT (<x> AS ?x) WHERE {}"},
                          headers=JSON)
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "https://example.org/kb/x"


def test_relative_iris_in_an_update_resolve_against_the_endpoint(project_dir, app_client):
    client = app_client(project_dir, allow_update=True, update_token=TOKEN)
    response = client.post("/sparql", content="INSERT DATA { GRAPH <http://example.org/g> { "
                           "<http://example.org/s> <http://example.org/p> <test> } }",
                           headers={"Content-Type": "application/sparql-update",
                                    "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text
    query = "SELECT ?o WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query}, headers=JSON)
    assert response.json()["results"]["bindings"][0]["o"] == {"type": "uri",
                                                              "value": client("/test")}


@pytest.mark.parametrize("headers, body", [
    ({"Content-Type": "application/x-www-form-urlencoded"}, ""),
    ({"Content-Type": "application/x-www-form-urlencoded"}, "format=json"),
])
def test_post_without_query_or_update_is_400(web_client, headers, body):
    response = web_client.post("/sparql", content=body, headers={**headers, **JSON})
    assert response.status_code == 400, response.text
    assert "query" in response.json()["error"]


def test_get_without_query_is_still_the_service_description(web_client):
    response = web_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "sparql-service-description" in response.text


UPDATE = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
COPY_CITIES = (f"INSERT {{ GRAPH <http://example.org/copy> {{ ?c a {CITY} }} }} "
               f"WHERE {{ ?c a {CITY} }}")
COUNT_COPY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/copy> { ?c ?p ?o } }"


def test_using_graph_uri_is_the_dataset_of_an_update(project_dir, app_client):
    client = app_client(project_dir, allow_update=True, update_token=TOKEN)
    graphs = sorted(g for g in open_store(Project(project_dir)).graphs() if "/cities/" in g)
    response = client.post("/sparql", params={"using-graph-uri": graphs[0]},
                           content=COPY_CITIES, headers=UPDATE)
    assert response.status_code == 204, response.text
    assert count(client.get("/sparql", params={"query": COUNT_COPY}, headers=JSON)) == 1


def test_using_an_unknown_graph_is_empty(project_dir, app_client):
    client = app_client(project_dir, allow_update=True, update_token=TOKEN)
    response = client.post("/sparql", params={"using-graph-uri": "http://127.0.0.1:9/nothing"},
                           content=COPY_CITIES, headers=UPDATE)
    assert response.status_code == 204, response.text
    assert count(client.get("/sparql", params={"query": COUNT_COPY}, headers=JSON)) == 0


def test_using_graph_uri_with_the_update_own_with_is_400(project_dir, app_client):
    client = app_client(project_dir, allow_update=True, update_token=TOKEN)
    update = f"WITH <http://example.org/g> INSERT {{ ?c a {CITY} }} WHERE {{ ?c a {CITY} }}"
    response = client.post("/sparql", params={"using-named-graph-uri": "http://example.org/g"},
                           content=update, headers=UPDATE)
    assert response.status_code == 400
    assert "WITH" in response.json()["error"]


def test_using_graph_uri_cannot_smuggle_text_into_the_update(project_dir, app_client):
    client = app_client(project_dir, allow_update=True, update_token=TOKEN)
    response = client.post("/sparql",
                           params={"using-graph-uri":
                                   "http://a> WHERE {} ; LOAD <http://127.0.0.1:9/x"},
                           content=COPY_CITIES, headers=UPDATE)
    assert response.status_code == 400
    assert "using-graph-uri" in response.json()["error"]
    assert count(client.get("/sparql", params={"query": COUNT_COPY}, headers=JSON)) == 0


def test_dataset_parameters_never_reach_the_network(project_dir, app_client):
    # A real listener: any fetch of the named graphs would connect to it.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/graph"
    try:
        client = app_client(project_dir, allow_update=True, update_token=TOKEN)
        params = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": url, "named-graph-uri": url}
        response = client.get("/sparql", params=params, headers=JSON)
        assert response.status_code == 200 and response.json()["boolean"] is False
        response = client.post("/sparql", params={"using-graph-uri": url,
                                                  "using-named-graph-uri": url},
                               content=COPY_CITIES, headers=UPDATE)
        assert response.status_code == 204, response.text
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
