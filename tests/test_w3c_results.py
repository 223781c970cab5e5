"""The W3C SPARQL 1.1 results-format tests: JSON (sparql/sparql11/json-res) and CSV/TSV
(sparql/sparql11/csv-tsv-res) of w3c/rdf-tests, run from their manifests against a read-only
and a writable server: in-process (`app_client`) and, marked slow, real `innovgraph serve`
processes.

Each test is a query, its data and the expected results file. The query is sent by GET to
/sparql with the results format's media type in Accept; the answer must carry that media
type and give the same results: the same variables in the same order, the same rows (in order
when the query has ORDER BY), blank nodes matched one to one, and numeric literals compared
by value, not by lexical form or derived datatype: the store keeps values (Oxigraph #526;
docs/server.md, "Literal forms", says what that changes).

The data: on the writable server it is PUT into the default graph of an emptied store, and the
query is sent as it is. The read-only store names each graph after its source file, so there
each data file is a source file of the fixture project and the query names it with
`default-graph-uri` (the same adaptation as the protocol tests; docs/server.md).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from support.w3c import (RESULT_MEDIA, SUITE, W3C_GRAPHS, compare_results, in_process,
                         media_type, missing_reason, parse_results, project_with,
                         read_query_manifest, served_pair)

SUITES = {"json": SUITE / "json-res", "csvtsv": SUITE / "csv-tsv-res"}
TESTS = [t for folder in SUITES.values() for t in read_query_manifest(folder / "manifest.ttl")]

pytestmark = pytest.mark.skipif(
    not all((f / "manifest.ttl").is_file() for f in SUITES.values()),
    reason=missing_reason(SUITE / "json-res"))


def _graph_name(test) -> str:
    """The data file's name as a source file of the read-only project (json-data, ...)."""
    return f"{test.data.parent.name}-{test.data.stem}"


def _files() -> dict:
    return {_graph_name(t): t.data for t in TESTS}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with served_pair(tmp_path_factory, "results", _files()) as targets:
        yield targets


def _run(target, test) -> None:
    params = {"query": test.query.read_text(encoding="utf-8")}
    if target.writable:
        target.reset()
        response = target.client.request(
            "PUT", "/graph?default", content=test.data.read_bytes(),
            headers={"Content-Type": "text/turtle", **target.headers})
        assert response.status_code in (201, 204), response.text
    else:
        params["default-graph-uri"] = W3C_GRAPHS + _graph_name(test)
    accept = RESULT_MEDIA[test.result.suffix]
    response = target.client.request("GET", "/sparql?" + urlencode(params),
                                     headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert media_type(response.headers.get("content-type")) == accept
    if test.result.suffix == ".csv":
        assert b"\r\n" in response.content  # CSV lines end with CRLF (RFC 4180)
    compare_results(parse_results(test.result.read_bytes(), test.result.suffix),
                    parse_results(response.content, test.result.suffix),
                    ordered="ORDER BY" in params["query"].upper())


MODES = [pytest.param("in-process"), pytest.param("served", marks=pytest.mark.slow)]


@pytest.mark.parametrize("writable", [False, True], ids=["read-only", "writable"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_results_format(test, mode, writable, request, tmp_path, app_client):
    if mode == "served":
        target = request.getfixturevalue("servers")[writable]
    else:
        target = in_process(app_client, project_with(tmp_path / "project", _files()), writable)
    _run(target, test)


def test_the_manifests_were_read():
    assert [t.name for t in TESTS] == ["jsonres01", "jsonres02", "jsonres03", "jsonres04",
                                       "csv01", "tsv01", "csv02", "tsv02", "csv03", "tsv03"]
