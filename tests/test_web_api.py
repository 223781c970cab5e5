"""Saved queries as a REST API, its OpenAPI document, and `innovgraph serve --get`.

The app runs in-process over the shipped project (the `web_client` fixture).
"""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from innovgraph import Project
from innovgraph.catalogue import Catalogue
from innovgraph.cli import cli
from support.webserver import ROOT


def test_list_of_queries_matches_the_catalogue(web_client):
    response = web_client.get("/api/queries")
    assert response.status_code == 200
    listed = response.json()["queries"]
    catalogue = Catalogue(Project(ROOT)).list()
    assert [q["name"] for q in listed] == [q.name for q in catalogue]
    role = next(q for q in listed if q["name"] == "cities-by-role")
    assert role["params"] == [{"name": "role", "type": "iri", "required": False, "default": None,
                               "description": role["params"][0]["description"]}] or \
        role["params"][0]["name"] == "role"
    assert role["url"] == web_client("/api/queries/cities-by-role")


def test_run_a_saved_query_as_json(web_client):
    response = web_client.get("/api/queries/mayors-and-innovation-officers",
                              params={"city": "id:city/moscow-rus"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = response.json()["results"]["bindings"]
    names = {b[v]["value"] for b in rows for v in b if b[v]["value"] in
             ("Sergey Semyonovich Sobyanin", "Alexei Fursin")}
    assert names == {"Sergey Semyonovich Sobyanin", "Alexei Fursin"}


def test_run_a_saved_query_as_csv_by_extension_and_by_accept(web_client):
    by_extension = web_client.get("/api/queries/cities.csv")
    by_accept = web_client.get("/api/queries/cities", headers={"Accept": "text/csv"})
    assert by_extension.text == by_accept.text
    rows = list(csv.DictReader(io.StringIO(by_extension.text)))
    moscow = next(r for r in rows if r["name"] == "Moscow")
    assert moscow["population"] == "12640000"
    big = list(csv.DictReader(io.StringIO(web_client.get(
        "/api/queries/cities.csv", params={"min_population": "10000000"}).text)))
    # moscow-rus.txt: 12,640,000; sao-paulo-bra.yaml: 12,110,000 (2018); every other sheet
    # prints fewer than 10 million
    assert [r["name"] for r in big] == ["Moscow", "São Paulo"]


def test_api_errors(web_client):
    unknown = web_client.get("/api/queries/no-such-query")
    assert unknown.status_code == 404 and set(unknown.json()) == {"error", "status"}
    wrong_type = web_client.get("/api/queries/cities", params={"min_population": "lots"})
    assert wrong_type.status_code == 400 and "integer" in wrong_type.json()["error"]
    unknown_param = web_client.get("/api/queries/cities", params={"colour": "red"})
    assert unknown_param.status_code == 400 and "colour" in unknown_param.json()["error"]


def test_openapi_document_follows_the_query_headers(web_client):
    document = web_client.get("/api/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": web_client("")}]
    catalogue = Catalogue(Project(ROOT)).list()
    for query in catalogue:
        operation = document["paths"][f"/api/queries/{query.name}"]["get"]
        assert operation["summary"] == query.summary
        assert operation["tags"] == (list(query.tags) or ["queries"])
        assert [(p["name"], p["required"]) for p in operation["parameters"]] == \
            [(p.name, p.required) for p in query.params]
        # (a CONSTRUCT query answers RDF, not CSV: the media types per query form)
        assert ("text/csv" in operation["responses"]["200"]["content"]) is \
            (" CONSTRUCT " not in f" {query.text.upper()} ".replace("\n", " "))
    cities = document["paths"]["/api/queries/cities"]["get"]["parameters"]
    assert cities[0]["schema"] == {"type": "integer"}


def test_serve_get_prints_the_response_and_exits_0_on_200():
    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(ROOT), "serve", "--get", "/id/city/moscow-rus",
                                 "--accept", "text/turtle"])
    assert result.exit_code == 0, result.output
    assert '"Sergey Semyonovich Sobyanin"' not in result.output  # the city's own description
    assert '<https://w3id.org/innovgraph/id/city/moscow-rus>' in result.output
    assert '"Moscow"' in result.output
    missing = runner.invoke(cli, ["--project", str(ROOT), "serve", "--get", "/id/city/atlantis"])
    assert missing.exit_code == 1
    assert '"status":404' in missing.output.replace(" ", "")


def test_in_memory_server_answers_as_the_on_disk_one():
    """`serve --in-memory` reads a copy in memory (no on-disk store path) with the same answers."""
    from innovgraph.web import create_app
    from innovgraph.web.serve import get

    on_disk, in_memory = create_app(ROOT, cache=False), create_app(ROOT, cache=False, in_memory=True)
    assert on_disk.state.backend.graph_store.path is not None
    assert in_memory.state.backend.graph_store.path is None
    for path in ("/api/queries/cities.csv", "/api/queries/organisations.csv",
                 "/api/queries/mayors-and-innovation-officers.csv?city=id:city/rosario-arg"):
        expected = get(on_disk, path)
        assert expected.status == 200, path
        assert get(in_memory, path).body == expected.body, path
    assert get(in_memory, "/api/queries/cities.csv").body.decode().count("\n") == 80  # header + 79
    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(ROOT), "serve", "--in-memory", "--get",
                                 "/api/queries/cities.csv"])
    assert result.exit_code == 0 and "Moscow" in result.output
