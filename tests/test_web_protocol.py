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


# -- the union default graph in updates and Graph Store writes (store/updates.py) -------------

TESTVILLE = "<https://w3id.org/innovgraph/id/city/fictional-testville>"
NAME = "<https://schema.org/name>"
COUNT_GRAPH_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _writable(project_dir, app_client):
    return app_client(project_dir, allow_update=True, update_token=TOKEN)


def _update(client, text: str, **params) -> None:
    response = client.post("/sparql", params=params, content=text, headers=UPDATE)
    assert response.status_code == 204, response.text


def _ask(client, text: str) -> bool:
    response = client.get("/sparql", params={"query": text}, headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_delete_where_sees_the_union_default_graph(project_dir, app_client):
    client = _writable(project_dir, app_client)
    assert count(client.get("/sparql", params={"query": COUNT_CITIES}, headers=JSON)) == 2
    _update(client, f"DELETE WHERE {{ ?c a {CITY} }}")
    assert count(client.get("/sparql", params={"query": COUNT_CITIES}, headers=JSON)) == 0
    # ... removed from the file graphs that held them, and nothing else:
    assert not _ask(client, f"ASK {{ GRAPH ?g {{ ?c a {CITY} }} }}")
    assert _ask(client, f"ASK {{ GRAPH ?g {{ {TESTVILLE} {NAME} ?name }} }}")


def test_delete_insert_where_reads_the_union_and_writes_the_default_graph(project_dir,
                                                                            app_client):
    client = _writable(project_dir, app_client)
    _update(client, f'DELETE {{ ?c {NAME} ?old }} INSERT {{ ?c {NAME} "Renamed (fictional)" }} '
                    f'WHERE {{ ?c {NAME} ?old FILTER(?c = {TESTVILLE}) }}')
    names = client.get("/sparql", params={"query": f"SELECT ?n WHERE {{ {TESTVILLE} {NAME} ?n }}"},
                       headers=JSON).json()["results"]["bindings"]
    assert [b["n"]["value"] for b in names] == ["Renamed (fictional)"]
    # the new triple is in the store's own default graph, not in a file's graph:
    assert not _ask(client, f'ASK {{ GRAPH ?g {{ {TESTVILLE} {NAME} "Renamed (fictional)" }} }}')


def test_delete_data_removes_a_triple_from_every_graph(project_dir, app_client):
    client = _writable(project_dir, app_client)
    triple = f'{TESTVILLE} {NAME} "Testville (fictional)"'
    _update(client, f"INSERT DATA {{ GRAPH <http://example.org/second> {{ {triple} }} }}")
    _update(client, f"DELETE DATA {{ {triple} }}")
    assert not _ask(client, f"ASK {{ {triple} }}")
    assert not _ask(client, f"ASK {{ GRAPH ?g {{ {triple} }} }}")


def test_with_limits_an_update_to_one_graph(project_dir, app_client):
    client = _writable(project_dir, app_client)
    triple = f'{TESTVILLE} {NAME} "Testville (fictional)"'
    _update(client, f"INSERT DATA {{ GRAPH <http://example.org/second> {{ {triple} }} }}")
    _update(client, f"WITH <http://example.org/second> DELETE {{ ?s {NAME} ?n }} "
                    f"WHERE {{ ?s {NAME} ?n }}")
    assert not _ask(client, f"ASK {{ GRAPH <http://example.org/second> {{ ?s ?p ?o }} }}")
    assert _ask(client, f"ASK {{ {triple} }}")  # still in Testville's file graph


def test_copy_default_copies_the_union_and_move_to_default_is_refused(project_dir, app_client):
    client = _writable(project_dir, app_client)
    _update(client, "COPY DEFAULT TO <http://example.org/all>")
    everything = count(client.get("/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g "
                 "{ ?s ?p ?o } FILTER(?g != <http://example.org/all>) } }"}, headers=JSON))
    assert count(client.get("/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/all> "
                 "{ ?s ?p ?o } }"}, headers=JSON)) == everything > 0
    response = client.post("/sparql", content="MOVE <http://example.org/all> TO DEFAULT",
                           headers=UPDATE)
    assert response.status_code == 400 and "union" in response.json()["error"]


def test_a_failing_operation_undoes_the_whole_request(project_dir, app_client):
    client = _writable(project_dir, app_client)
    before = count(client.get("/sparql", params={"query": COUNT_GRAPH_TRIPLES}, headers=JSON))
    response = client.post("/sparql", headers=UPDATE, content=(
        f"DELETE WHERE {{ ?c a {CITY} }} ; INSERT DATA {{ <urn:x:a> <urn:x:b> 1 }} ; "
        "DROP GRAPH <http://example.org/no-such-graph>"))
    assert response.status_code == 400, response.text
    assert count(client.get("/sparql", params={"query": COUNT_CITIES}, headers=JSON)) == 2
    assert count(client.get("/sparql", params={"query": COUNT_GRAPH_TRIPLES},
                            headers=JSON)) == before
    assert not _ask(client, "ASK { <urn:x:a> <urn:x:b> 1 }")


def test_protocol_dataset_applies_to_delete_where_too(project_dir, app_client):
    client = _writable(project_dir, app_client)
    _update(client, f"DELETE WHERE {{ ?c a {CITY} }}", **{"using-graph-uri": "http://example.org/empty"})
    assert count(client.get("/sparql", params={"query": COUNT_CITIES}, headers=JSON)) == 2


def test_put_default_replaces_the_union(project_dir, app_client):
    client = _writable(project_dir, app_client)
    response = client.put("/graph?default", content=b"<urn:x:s> <urn:x:p> <urn:x:o> .",
                          headers={"Content-Type": "application/n-triples",
                                   "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text
    back = client.get("/graph?default", headers={"Accept": "application/n-triples"})
    assert back.text.strip() == "<urn:x:s> <urn:x:p> <urn:x:o> ."


def test_the_description_claims_the_union_for_updates_too(project_dir, app_client):
    client = _writable(project_dir, app_client)
    text = client.get("/sparql", headers={"Accept": "application/n-triples"}).text
    assert "<http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph>" in text
    assert "<http://www.w3.org/ns/sparql-service-description#SPARQL11Update>" in text


WRITE = {"Authorization": f"Bearer {TOKEN}"}
MULTIPART_BODY = (
    b"--b1\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.ttl\"\r\n"
    b"Content-Type: text/turtle\r\n\r\n<urn:x:s> <urn:x:p> [ <urn:x:q> 1 ] .\r\n"
    b"--b1\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b.ttl\"\r\n\r\n"
    b"<urn:x:s> <urn:x:p> _:b0 .\r\n_:b0 <urn:x:q> 2 .\r\n--b1--\r\n")


def test_post_to_the_graph_store_creates_a_graph_with_its_location(project_dir, app_client):
    client = _writable(project_dir, app_client)
    response = client.post("/graph", content=b"<urn:x:s> <urn:x:p> 1 .",
                           headers={"Content-Type": "text/turtle", **WRITE})
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    assert location.startswith("https://w3id.org/innovgraph/graph/posted/")
    again = client.post("/graph", content=b"<urn:x:s> <urn:x:p> 1 .",
                        headers={"Content-Type": "text/turtle", **WRITE})
    assert again.headers["location"] != location  # a new graph each time
    back = client.get("/graph", params={"graph": location},
                      headers={"Accept": "application/n-triples"})
    assert back.status_code == 200 and back.text.strip() == (
        '<urn:x:s> <urn:x:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .')


def test_multipart_post_adds_every_part_with_its_own_blank_nodes(project_dir, app_client):
    client = _writable(project_dir, app_client)
    response = client.post("/graph", params={"graph": "http://example.org/parts"},
                           content=MULTIPART_BODY,
                           headers={"Content-Type": "multipart/form-data; boundary=b1", **WRITE})
    assert response.status_code == 201, response.text
    rows = client.get("/sparql", headers=JSON, params={"query": (
        "SELECT ?v WHERE { GRAPH <http://example.org/parts> { <urn:x:s> <urn:x:p> ?b . "
        "?b <urn:x:q> ?v } } ORDER BY ?v")}).json()["results"]["bindings"]
    assert [r["v"]["value"] for r in rows] == ["1", "2"]  # two blank nodes, one per part


@pytest.mark.parametrize("body, content_type, status", [
    (MULTIPART_BODY, "multipart/form-data; boundary=b1", 415),  # PUT: a single document only
])
def test_multipart_put_is_refused(project_dir, app_client, body, content_type, status):
    client = _writable(project_dir, app_client)
    response = client.put("/graph", params={"graph": "http://example.org/parts"}, content=body,
                          headers={"Content-Type": content_type, **WRITE})
    assert response.status_code == status


@pytest.mark.parametrize("body, status", [
    (b"--b1--\r\n", 400),  # no part
    (b"--b1\r\nContent-Type: image/png\r\n\r\nxx\r\n--b1--\r\n", 415),
    (b"--b1\r\nContent-Type: text/turtle\r\n\r\n<urn:x:s> <urn:x:p> .\r\n--b1--\r\n", 400),
    (b"--b1\r\nContent-Type: application/rdf+xml\r\n\r\n<!DOCTYPE x [<!ENTITY a 'b'>]><x/>"
     b"\r\n--b1--\r\n", 400),
])
def test_bad_multipart_bodies_change_nothing(project_dir, app_client, body, status):
    client = _writable(project_dir, app_client)
    response = client.post("/graph", params={"graph": "http://example.org/parts"}, content=body,
                           headers={"Content-Type": "multipart/form-data; boundary=b1", **WRITE})
    assert response.status_code == status, response.text
    assert not _ask(client, "ASK { GRAPH <http://example.org/parts> { ?s ?p ?o } }")


def test_multipart_bodies_have_the_upload_limit(project_dir, app_client):
    client = app_client(project_dir, allow_update=True, update_token=TOKEN, max_upload=100)
    response = client.post("/graph", params={"graph": "http://example.org/parts"},
                           content=MULTIPART_BODY + b" " * 100,
                           headers={"Content-Type": "multipart/form-data; boundary=b1", **WRITE})
    assert response.status_code == 413


def test_a_read_only_server_refuses_graph_creation(web_client):
    response = web_client.post("/graph", content=b"<urn:x:s> <urn:x:p> 1 .",
                               headers={"Content-Type": "text/turtle"})
    assert response.status_code == 403


# -- literal forms (docs/server.md, "Literal forms") -------------------------------------------

def test_the_store_keeps_every_shipped_literal_value_and_datatype():
    """The store rewrites lexical forms (61.0 -> "61"), never a value; and no shipped literal
    has a datatype the store would change (a derived integer type becomes xsd:integer)."""
    from decimal import Decimal

    import pyoxigraph as ox

    from support.webserver import ROOT

    project = Project(ROOT)
    store = open_store(project).engine
    numeric = {"integer", "decimal", "double", "float"}
    checked = rewritten = 0
    for path in project.data_files:
        graph = ox.NamedNode("https://w3id.org/innovgraph/graph/"
                             + str(path.relative_to(ROOT).with_suffix("")))
        for t in ox.parse(path=str(path)):
            o = t.object
            if not isinstance(o, ox.Literal) or o.language or isinstance(t.subject, ox.BlankNode) \
                    or o.datatype.value.endswith("#string"):
                continue
            stored = [q.object for q in store.quads_for_pattern(t.subject, t.predicate, None, graph)
                      if isinstance(q.object, ox.Literal) and q.object.datatype == o.datatype]
            kind = o.datatype.value.rsplit("#", 1)[1]
            same = [s for s in stored if (Decimal(s.value) == Decimal(o.value) if kind in numeric
                                          else s.value == o.value)]
            assert same, (str(path), t)
            checked += 1
            rewritten += all(s.value != o.value for s in same)
    assert checked > 100
    assert rewritten > 0  # e.g. ig:sharePercent 61.0, served as "61"
