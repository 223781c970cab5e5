"""The remote-store client against small local HTTP servers: configuration, credentials,
retries and the one-line errors for a store that is down, slow or failing.
"""

from __future__ import annotations

import json
import logging
import time

import pyoxigraph as ox
import pytest

from support.endpoints import no_endpoint_settings  # noqa: F401 (an autouse fixture)
from support.fake_endpoint import FakeEndpoint, free_port
from innovgraph import Project
from innovgraph.errors import (
    EndpointError,
    EndpointResponseError,
    EndpointTimeoutError,
    EndpointUnreachableError,
)
from innovgraph.remote import DEFAULT_GRAPH, EndpointConfig, RemoteStore, resolve_endpoint

SECRET = "pa55-w0rd-s3cret"
JSON_HEADERS = {"Content-Type": "application/sparql-results+json"}
ONE_ROW = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
    {"n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
           "value": "7"}}]}}).encode()


def store_for(url: str, sleeps: list[float] | None = None, **settings) -> RemoteStore:
    config = EndpointConfig(url=url, **settings)
    return RemoteStore(config, sleep=(sleeps.append if sleeps is not None else time.sleep))


# --- configuration ------------------------------------------------------------------------

def test_nothing_configured_means_the_embedded_store(project):
    assert resolve_endpoint(project) is None


def test_option_beats_environment_beats_project_file_beats_user_file(project, monkeypatch, tmp_path):
    user_file = tmp_path / "xdg" / "innovgraph" / "endpoint.toml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[endpoint]\nurl = "http://user-file:1/sparql"\n')
    assert resolve_endpoint(project).url == "http://user-file:1/sparql"
    (project.root / "innovgraph.toml").write_text(
        '[endpoint]\nurl = "http://project-file:2/sparql"\ngsp_url = "http://project-file:2/gsp"\n'
        'graph = "urn:x:graph"\ntimeout = 5\n')
    config = resolve_endpoint(project)
    assert (config.url, config.gsp_url, config.graph, config.timeout) == \
        ("http://project-file:2/sparql", "http://project-file:2/gsp", "urn:x:graph", 5)
    monkeypatch.setenv("INNOVGRAPH_ENDPOINT", "http://env:3/sparql")
    config = resolve_endpoint(project)
    assert (config.url, config.source, config.graph, config.gsp_url) == \
        ("http://env:3/sparql", "INNOVGRAPH_ENDPOINT", DEFAULT_GRAPH, None)
    assert resolve_endpoint(project, "http://option:4/sparql").url == "http://option:4/sparql"


def test_a_files_credentials_go_only_to_the_url_it_names(project):
    (project.root / "innovgraph.toml").write_text(
        f'[endpoint]\nurl = "http://store:8890/sparql-auth"\nuser = "dba"\npassword = "{SECRET}"\n')
    named = resolve_endpoint(project)
    assert (named.user, named.password) == ("dba", SECRET)
    other = resolve_endpoint(project, "http://elsewhere:8890/sparql")
    assert (other.user, other.password) == (None, None)


def test_credentials_from_environment_and_url_never_show_in_repr(project, monkeypatch):
    config = resolve_endpoint(project, f"http://alice:{SECRET}@store:8890/sparql")
    assert (config.url, config.user, config.password) == ("http://store:8890/sparql", "alice", SECRET)
    assert SECRET not in repr(config) and SECRET not in repr(RemoteStore(config))
    monkeypatch.setenv("INNOVGRAPH_ENDPOINT_USER", "bob")
    monkeypatch.setenv("INNOVGRAPH_ENDPOINT_PASSWORD", "other-secret")
    config = resolve_endpoint(project, "http://store:8890/sparql")
    assert (config.user, config.password) == ("bob", "other-secret")


def test_unusable_settings_are_one_line_errors(project, monkeypatch):
    with pytest.raises(EndpointError, match=r"Not an http\(s\) endpoint URL: ftp://x/sparql"):
        resolve_endpoint(project, "ftp://x/sparql")
    (project.root / "innovgraph.toml").write_text("[endpoint]\nurl = 'http://a/s'\nspeed = 3\n")
    with pytest.raises(EndpointError, match="unknown key.*speed"):
        resolve_endpoint(project)
    monkeypatch.setenv("INNOVGRAPH_ENDPOINT_TIMEOUT", "soon")
    with pytest.raises(EndpointError, match="INNOVGRAPH_ENDPOINT_TIMEOUT must be a number"):
        resolve_endpoint(Project(project.root.parent), "http://a/s")


# --- the protocol -------------------------------------------------------------------------

def test_queries_are_posted_as_forms_with_the_graph_as_dataset_and_values_bound():
    with FakeEndpoint(lambda r: (200, JSON_HEADERS, ONE_ROW)) as server:
        result = store_for(server.url).query(
            "SELECT ?n WHERE { ?s ?p ?n }", substitutions={ox.Variable("s"): ox.Literal('"; DROP')})
    (request,) = server.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["accept"].startswith("application/sparql-results+json")
    assert request.form["default-graph-uri"] == [DEFAULT_GRAPH]
    assert request.form["query"] == ['SELECT ?n WHERE { BIND("\\"; DROP" AS ?s) ?s ?p ?n }']
    assert result.kind == "select" and result.values() == [("7",)]


def test_construct_results_are_parsed_as_triples():
    body = b'<http://e.org/a> <http://e.org/b> "caf\\u00E9" .\n'
    with FakeEndpoint(lambda r: (200, {"Content-Type": "application/n-triples"}, body)) as server:
        result = store_for(server.url).query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert server.requests[0].headers["accept"].startswith("application/n-triples")
    assert result.kind == "graph"
    assert [str(t) for t in result.triples] == ['<http://e.org/a> <http://e.org/b> "café"']


def test_a_truncated_virtuoso_result_is_an_error_not_a_short_answer():
    headers = {**JSON_HEADERS, "X-SPARQL-MaxRows": "1"}
    with FakeEndpoint(lambda r: (200, headers, ONE_ROW)) as server:
        with pytest.raises(EndpointError, match="truncated the result to 1 rows.*ResultSetMaxRows"):
            store_for(server.url).query("SELECT ?n WHERE { ?s ?p ?n }")


def test_a_virtuoso_partial_answer_after_its_time_limit_is_an_error():
    headers = {**JSON_HEADERS, "X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}
    with FakeEndpoint(lambda r: (200, headers, ONE_ROW)) as server:
        with pytest.raises(EndpointError, match="partial result.*MaxQueryExecutionTime"):
            store_for(server.url).query("SELECT ?n WHERE { ?s ?p ?n }")


def test_updates_and_graph_store_requests_use_their_own_urls():
    with FakeEndpoint(lambda r: (204, {}, b"")) as server:
        base = server.url.rsplit("/", 1)[0]
        store = store_for(server.url, update_url=base + "/update", gsp_url=base + "/gsp")
        store.update("DROP SILENT GRAPH <urn:g>")
        store.gsp("PUT", "urn:g", b"<a:b> <a:c> <a:d> .\n", content_type="text/turtle")
        store.gsp("DELETE", "urn:g")
    update, put, delete = server.requests
    assert (update.path, update.form["update"]) == ("/update", ["DROP SILENT GRAPH <urn:g>"])
    assert (put.method, put.path, put.query, put.headers["content-type"], put.body) == \
        ("PUT", "/gsp", {"graph": ["urn:g"]}, "text/turtle", b"<a:b> <a:c> <a:d> .\n")
    assert (delete.method, delete.query) == ("DELETE", {"graph": ["urn:g"]})


# --- failures: down, slow, error, transient -----------------------------------------------

def test_a_store_that_is_down_is_retried_with_backoff_then_named_in_one_line():
    sleeps: list[float] = []
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(EndpointUnreachableError) as caught:
        store_for(url, sleeps, retries=3, backoff=0.5).query("ASK {}")
    assert str(caught.value) == (f"Cannot reach the SPARQL endpoint {url} for the query: "
                                 "connection refused (4 attempts). Is the store running?")
    assert sleeps == [0.5, 1.0, 2.0]


def test_503_while_starting_is_retried_until_the_store_answers():
    answers = iter([(503, {}, b"starting"), (503, {"Retry-After": "3"}, b"starting")])
    with FakeEndpoint(lambda r: next(answers, (200, JSON_HEADERS, ONE_ROW))) as server:
        sleeps: list[float] = []
        result = store_for(server.url, sleeps, backoff=0.25).query("SELECT ?n WHERE { ?s ?p ?n }")
    assert result.values() == [("7",)]
    assert len(server.requests) == 3
    assert sleeps == [0.25, 3.0]  # the server's Retry-After wins when longer


def test_an_error_response_gives_status_and_the_first_line_of_the_message():
    body = b"\n\nVirtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error\n\nSPARQL query:\n..."
    with FakeEndpoint(lambda r: (400, {"Content-Type": "text/plain"}, body)) as server:
        with pytest.raises(EndpointResponseError) as caught:
            store_for(server.url).query("SELECT WHERE {", name="cities")
    assert caught.value.status == 400
    assert str(caught.value) == (f"The SPARQL endpoint {server.url} answered the query cities with "
                                 "400 Bad Request: Virtuoso 37000 Error SP030: SPARQL compiler, "
                                 "line 1: syntax error")
    assert len(server.requests) == 1  # a client error is not retried


def test_a_500_with_an_html_page_is_reduced_to_its_first_text_line():
    body = b"<html><head><title>Internal Server Error</title></head><body>boom</body></html>"
    with FakeEndpoint(lambda r: (500, {"Content-Type": "text/html"}, body)) as server:
        with pytest.raises(EndpointResponseError, match=r"with 500 Internal Server Error: Internal Server Error$"):
            store_for(server.url, [], retries=2).update("CLEAR ALL")
    assert len(server.requests) == 1


def test_a_slow_store_is_a_timeout_message():
    def slow(request):
        time.sleep(1.5)
        return 200, JSON_HEADERS, ONE_ROW

    with FakeEndpoint(slow) as server:
        with pytest.raises(EndpointTimeoutError) as caught:
            store_for(server.url, [], timeout=0.2).query("SELECT ?n WHERE { ?s ?p ?n }")
    assert str(caught.value) == (
        f"The SPARQL endpoint {server.url} did not answer the query within 0.2 s (timeout): the "
        "store is slow or the request too heavy. Raise the timeout with "
        "INNOVGRAPH_ENDPOINT_TIMEOUT (seconds).")
    assert len(server.requests) == 1  # a slow query is not sent again


# --- credentials ---------------------------------------------------------------------------

def test_credentials_are_sent_only_after_a_challenge_and_in_its_scheme():
    def basic_realm(request):
        if "authorization" not in request.headers:
            return 401, {"WWW-Authenticate": 'Basic realm="store"'}, b"who are you?"
        return 200, JSON_HEADERS, ONE_ROW

    with FakeEndpoint(basic_realm) as server:
        store_for(server.url, user="alice", password=SECRET).query("SELECT ?n WHERE {}")
    first, second = server.requests
    assert "authorization" not in first.headers
    assert second.headers["authorization"].startswith("Basic ")

    def digest_realm(request):
        if "authorization" not in request.headers:
            return 401, {"WWW-Authenticate": 'Digest realm="virtuoso", nonce="abc", qop="auth"'}, b""
        return 200, JSON_HEADERS, ONE_ROW

    with FakeEndpoint(digest_realm) as server:
        store_for(server.url, user="alice", password=SECRET).query("SELECT ?n WHERE {}")
    authorization = server.requests[-1].headers["authorization"]
    assert authorization.startswith("Digest ") and SECRET not in authorization


def test_credentials_never_reach_messages_or_logs(caplog):
    caplog.set_level(logging.DEBUG)

    def leaky(request):  # a server that echoes what it was sent, credentials included
        return 500, {"Content-Type": "text/plain"}, f"cannot log in as alice:{SECRET}".encode()

    with FakeEndpoint(leaky) as server:
        url = server.url.replace("http://", f"http://alice:{SECRET}@")
        config = resolve_endpoint(None, url)
        with pytest.raises(EndpointResponseError) as caught:
            RemoteStore(config, sleep=lambda s: None).query("ASK {}")
    assert str(caught.value).endswith("cannot log in as alice:***")
    down = resolve_endpoint(None, f"http://alice:{SECRET}@127.0.0.1:{free_port()}/sparql")
    with pytest.raises(EndpointUnreachableError) as caught_down:
        RemoteStore(down, sleep=lambda s: None).query("ASK {}")
    assert "alice" not in str(caught_down.value)
    assert SECRET not in str(caught_down.value) and SECRET not in caplog.text
    assert caplog.records  # the client did log (requests and retries), just not the secret
