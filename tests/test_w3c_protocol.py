"""The W3C SPARQL 1.1 Protocol tests (sparql/sparql11/protocol/manifest.ttl of w3c/rdf-tests in
../shared/w3c-rdf-tests), run from their manifest (`support.w3c`) against a read-only and a
writable server: in-process (`app_client`, a new app per test) and, marked slow, real
`innovgraph serve` processes and the Oxigraph server (`oxigraph serve-read-only` of the
`oxigraph` package on PyPI), a second real triple store.

Each test is a list of HTTP requests (`ht:Request`: method, path, headers, body) with the
expected answer (`mf:expectedStatus` 2xx/3xx/4xx, `mf:expectedFormat` boolean/tabular/RDF,
`mf:expectedBoolean`). The harness:

- replaces the `/sparql/` path prefix by this server's `/sparql` (as the manifest says to;
  Oxigraph's endpoints are `/query` and `/update`);
- loads each test's `ut:graphData` (data1.nt ... data3.nt, named by their `rdfs:label`): into a
  writable server by the Graph Store Protocol (PUT /graph?graph=LABEL, with the token, into an
  emptied store), into a read-only one as source files of the fixture project
  (`data/ttl/w3c/dataN.ttl`): this store names each graph after its file, so the read-only run
  names those graphs by the project's IRIs where the request names a graph
  (default-graph-uri, named-graph-uri, FROM), and nowhere else (Oxigraph's store holds them
  under their labels);
- sends every request of the writable run with the update token (`Authorization: Bearer`);
- on a read-only server, a valid update must be refused (403), and the requests after it
  (which check its effect) are not sent; a malformed one gets the 4xx the manifest expects.

Every test passes, read-only and writable, on both stores; the harness's adaptation (the
read-only run's graph names) is in docs/server.md, "W3C tests".
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from support.oxigraph_server import oxigraph_server as start_oxigraph
from support.w3c import (SUITE, W3C_GRAPHS, in_process, missing_reason, project_with,
                         read_http_manifest, run_http_test, served_pair, with_path)

PROTOCOL = SUITE / "protocol"
MANIFEST = PROTOCOL / "manifest.ttl"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "server.md"
TESTS = read_http_manifest(MANIFEST)
ALL_DATA = {label: path for t in TESTS for label, path in t.graph_data}

pytestmark = pytest.mark.skipif(not MANIFEST.is_file(), reason=missing_reason(PROTOCOL))


def _local_names(graph_data) -> dict[str, str]:
    return {label: W3C_GRAPHS + path.stem for label, path in graph_data}


def _files(graph_data) -> dict[str, Path]:
    return {path.stem: path for _, path in graph_data}


def rewrite_for(names: dict[str, str], *, query_path: str = "/sparql",
                update_path: str | None = None):
    """The manifest's requests for this server: its endpoint path, and the graphs named by
    `names` (label -> this store's name) where a request names a graph."""
    def rewrite(request):
        path = request.path
        assert path.startswith("/sparql/"), path
        endpoint = update_path if update_path and request.is_update else query_path
        path = endpoint + path[len("/sparql/"):]
        for label, local in names.items():  # only where a graph is named: its parameters
            path = re.sub(r"((?:default|named)-graph-uri=)" + re.escape(quote(label, safe="")),
                          lambda m: m.group(1) + quote(local, safe=""), path)
        body = request.body
        for label, local in names.items() if body is not None else ():
            # FROM <label>: the graph the query names (bytes: some bodies are not UTF-8)
            body = body.replace(f"FROM <{label}>".encode(), f"FROM <{local}>".encode())
        return with_path(request, path, body)
    return rewrite


def _load(target, graph_data) -> None:
    target.reset()
    for label, source in graph_data:
        response = target.client.request(
            "PUT", f"/graph?graph={quote(label, safe='')}", content=source.read_bytes(),
            headers={"Content-Type": "application/n-triples", **target.headers})
        assert response.status_code in (201, 204), response.text


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_read_only(test, tmp_path, app_client):
    root = project_with(tmp_path / "project", _files(test.graph_data))
    target = in_process(app_client, root, writable=False)
    run_http_test(target.client, test, writable=False,
                  rewrite=rewrite_for(_local_names(test.graph_data)))


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_writable(test, tmp_path, app_client):
    target = in_process(app_client, project_with(tmp_path / "project", {}), writable=True)
    _load(target, test.graph_data)
    run_http_test(target.client, test, writable=True, rewrite=rewrite_for({}),
                  headers=target.headers)


# -- real servers (slow) -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A real read-only `innovgraph serve` holding every test's data, and a writable one."""
    with served_pair(tmp_path_factory, "protocol", _files(ALL_DATA.items())) as targets:
        yield targets


@pytest.mark.slow
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_served_read_only(test, servers):
    run_http_test(servers[False].client, test, writable=False,
                  rewrite=rewrite_for(_local_names(ALL_DATA.items())))


@pytest.mark.slow
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_served_writable(test, servers):
    _load(servers[True], test.graph_data)
    run_http_test(servers[True].client, test, writable=True, rewrite=rewrite_for({}),
                  headers=servers[True].headers)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve-read-only --union-default-graph` over a store holding the three test
    graphs under their labels (written by pyoxigraph, as toolchain.md says it may be)."""
    import httpx

    folder = tmp_path_factory.mktemp("oxigraph") / "store"
    store = ox.Store(str(folder))
    for label, source in ALL_DATA.items():
        store.load(path=str(source), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(label))
    store.flush()
    del store
    with start_oxigraph(folder, read_only=True, union_default_graph=True) as url:
        client = httpx.Client(base_url=url, timeout=30)
        yield client
        client.close()


@pytest.mark.slow
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_oxigraph_server_read_only(test, oxigraph_server):
    run_http_test(oxigraph_server, test, writable=False,
                  rewrite=rewrite_for({}, query_path="/query", update_path="/update"))


def test_the_manifest_was_read():
    assert len(TESTS) == 34
    assert sum(len(t.requests) for t in TESTS) > 34
    assert len(ALL_DATA) == 3


def test_the_harness_adaptation_is_documented():
    assert "W3C tests" in DOCS.read_text(encoding="utf-8")
