"""The W3C SPARQL 1.1 Graph Store Protocol tests (indirect graph identification,
sparql/sparql11/graph-store-protocol/manifest-indirect.ttl of w3c/rdf-tests), run from their
manifest against a read-only and a writable server: in-process (`app_client`) and, marked
slow, against real `innovgraph serve` processes.

The harness (`support.w3c`) replaces the manifest's `/gsp` prefix by this server's `/graph`
(as the manifest says to) and fills `$LOCATION$` from the `Location` of the graph a POST
created. On the writable server each test starts from an empty store (the in-process app is
new per test; the real server is emptied with `DROP ALL`) and every request carries the update
token; on the read-only server a write is refused (403) and what follows it is not sent.
Every test passes; nothing of the harness is adapted beyond that (docs/server.md, "W3C tests").
"""

from __future__ import annotations

import pytest

from support.w3c import (SUITE, in_process, missing_reason, project_with, read_http_manifest,
                         run_http_test, served_pair, with_path)

FOLDER = SUITE / "graph-store-protocol"
MANIFEST = FOLDER / "manifest-indirect.ttl"
TESTS = read_http_manifest(MANIFEST)

pytestmark = pytest.mark.skipif(not MANIFEST.is_file(), reason=missing_reason(FOLDER))


def _rewrite(request):
    assert request.path.startswith("/gsp"), request.path
    return with_path(request, "/graph" + request.path[len("/gsp"):])


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A real read-only and a real writable `innovgraph serve` over the fixture project."""
    with served_pair(tmp_path_factory, "gsp", {}) as targets:
        yield targets


def _target(mode: str, writable: bool, request, tmp_path, app_client):
    if mode == "served":
        target = request.getfixturevalue("servers")[writable]
    else:
        target = in_process(app_client, project_with(tmp_path / "project", {}), writable)
    if writable:
        target.reset()
    return target


MODES = [pytest.param("in-process"), pytest.param("served", marks=pytest.mark.slow)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_read_only(test, mode, request, tmp_path, app_client):
    target = _target(mode, False, request, tmp_path, app_client)
    run_http_test(target.client, test, writable=False, rewrite=_rewrite)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_writable(test, mode, request, tmp_path, app_client):
    target = _target(mode, True, request, tmp_path, app_client)
    run_http_test(target.client, test, writable=True, rewrite=_rewrite, headers=target.headers)


def test_the_manifest_was_read():
    assert [t.name for t in TESTS] == [
        "put_get_repeat_indirect", "put_get_default", "put_delete_get_delete_indirect",
        "post_get_post_get_indirect", "post_get_new_graph", "head_existing_indirect",
        "head_non_existing_indirect", "put_get_uri_pct_encoded_indirect",
        "put_get_uri_pct_encoded_twice"]
    assert any(r.location for t in TESTS for r in t.requests)
    assert any(r.headers.get("content-type", "").startswith("multipart/form-data")
               for t in TESTS for r in t.requests)
