"""The W3C SPARQL 1.1 Protocol tests, run from their manifest (w3c/rdf-tests,
sparql/sparql11/protocol/manifest.ttl in ../shared/w3c-rdf-tests), in-process against a
read-only app and a writable one (`app_client`) over a small fixture project.

Each test is a list of HTTP requests (`ht:Request`: method, path, headers, body) with the
expected answer (`mf:expectedStatus` 2xx/3xx/4xx, `mf:expectedFormat` boolean/tabular/RDF,
`mf:expectedBoolean`). The harness:

- replaces the `/sparql/` path prefix by this server's `/sparql` (as the manifest says to);
- loads each test's `ut:graphData` (data1.nt ... data3.nt, named by their `rdfs:label`): into the
  writable app by the Graph Store Protocol (PUT /graph?graph=LABEL, with the token), into the
  read-only app as source files of the fixture project (`data/ttl/w3c/dataN.ttl`): this store
  names each graph after its file, so the read-only run names those graphs by the project's IRIs
  where the request names a graph (default-graph-uri, named-graph-uri, FROM), and nowhere else;
- sends every request of the writable run with the update token (`Authorization: Bearer`);
- on the read-only app, a valid update must be refused (403), and the requests after it (which
  check its effect) are not sent; a malformed one gets the 4xx the manifest expects.

Every test passes, read-only and writable; the harness's one adaptation (the read-only run's
graph names) is explained in docs/server.md, "W3C protocol tests".
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c-rdf-tests"
PROTOCOL = SUITE / "sparql" / "sparql11" / "protocol"
MANIFEST = PROTOCOL / "manifest.ttl"
FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "project"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "server.md"
TOKEN = "w3c-protocol-token"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

pytestmark = pytest.mark.skipif(
    not MANIFEST.is_file(),
    reason=f"the W3C SPARQL protocol tests are not at {PROTOCOL} (a checkout of w3c/rdf-tests "
           "in ../shared/w3c-rdf-tests; CI has it)")

BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
             "application/rdf+xml": ox.RdfFormat.RDF_XML,
             "application/ld+json": ox.RdfFormat.JSON_LD}


def _load_tests() -> list[dict]:
    if not MANIFEST.is_file():
        return []
    g = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[1]
        graph_data = []
        for data in g.objects(entry, UT.graphData):
            path = Path(str(g.value(data, UT.graph)).removeprefix("file://"))
            graph_data.append((str(g.value(data, RDFS.label)), path))
        action = g.value(entry, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for h in Collection(g, header_list):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = g.value(req, HT.body)
            content = None
            if body is not None:
                encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
                content = str(g.value(body, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            statuses = {str(s).rsplit("#StatusCode", 1)[1]
                        for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "headers": headers, "body": content, "statuses": statuses,
                "boolean": None if boolean is None else boolean.toPython(),
                "format": None if fmt is None else str(fmt)})
        tests.append({"name": name, "title": str(g.value(entry, MF.name)),
                      "graph_data": graph_data, "requests": requests})
    return tests


TESTS = _load_tests()


def _is_update(request: dict) -> bool:
    kind = request["headers"].get("content-type", "").split(";")[0].strip()
    return request["method"] == "POST" and (
        kind == "application/sparql-update"
        or (kind == "application/x-www-form-urlencoded" and request["body"] is not None
            and re.match(rb"(.*&)?update=", request["body"]) is not None))


def _path(request: dict, graph_names: dict[str, str]) -> str:
    path = request["path"]
    assert path.startswith("/sparql/"), path
    path = "/sparql" + path[len("/sparql/"):]
    for label, local in graph_names.items():  # only where a graph is named: its parameters
        path = re.sub(r"((?:default|named)-graph-uri=)" + re.escape(quote(label, safe="")),
                      lambda m: m.group(1) + quote(local, safe=""), path)
    return path


def _body(request: dict, graph_names: dict[str, str]) -> bytes | None:
    body = request["body"]
    if body is None or not graph_names:
        return body
    text = body.decode("utf-8")
    for label, local in graph_names.items():  # FROM <label>: the graph the query names
        text = text.replace(f"FROM <{label}>", f"FROM <{local}>")
    return text.encode("utf-8")


def _media(response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _check_answer(request: dict, response) -> None:
    status_class = f"{response.status_code // 100}xx"
    assert status_class in request["statuses"], (
        f"{request['method']} {request['path']}: {response.status_code} {response.text[:300]}")
    fmt, media = request["format"], _media(response)
    if fmt == "boolean":
        assert media in BOOLEAN_TYPES, media
        if media == "application/sparql-results+json":
            value = response.json()["boolean"]
        else:
            root = ET.fromstring(response.content)
            node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
            value = node.text.strip() == "true"
        if request["boolean"] is not None:
            assert value is request["boolean"]
    elif fmt == "tabular":
        assert media in TABULAR_TYPES, media
        if media == "application/sparql-results+json":
            assert "results" in response.json()
        elif media == "application/sparql-results+xml":
            assert ET.fromstring(response.content).find(
                "{http://www.w3.org/2005/sparql-results#}results") is not None
        else:
            assert response.text.splitlines()[0].strip() != ""
    elif fmt == "RDF":
        assert media in RDF_TYPES, media
        list(ox.parse(response.content, format=RDF_TYPES[media]))  # it parses


def _project(tmp_path: Path, graph_data: list[tuple[str, Path]]) -> tuple[Path, dict[str, str]]:
    root = Path(shutil.copytree(FIXTURE_PROJECT, tmp_path / "project"))
    names = {}
    for label, source in graph_data:
        target = root / "data" / "ttl" / "w3c" / (source.stem + ".ttl")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        names[label] = f"https://w3id.org/innovgraph/graph/data/ttl/w3c/{source.stem}"
    return root, names


def _run(client, test: dict, *, writable: bool, graph_names: dict[str, str]) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"} if writable else {}
    for request in test["requests"]:
        response = client.request(
            request["method"], _path(request, {} if writable else graph_names),
            content=_body(request, {} if writable else graph_names),
            headers={**request["headers"], **auth})
        if not writable and _is_update(request) and "2xx" in request["statuses"]:
            assert response.status_code == 403, response.text  # a valid update: refused
            return  # what follows checks the update's effect
        _check_answer(request, response)


@pytest.mark.parametrize("test", TESTS, ids=[t["name"] for t in TESTS])
def test_read_only(test, tmp_path, app_client):
    root, names = _project(tmp_path, test["graph_data"])
    client = app_client(root)
    _run(client, test, writable=False, graph_names=names)


@pytest.mark.parametrize("test", TESTS, ids=[t["name"] for t in TESTS])
def test_writable(test, tmp_path, app_client):
    root, _ = _project(tmp_path, [])
    client = app_client(root, allow_update=True, update_token=TOKEN)
    for label, source in test["graph_data"]:
        response = client.put("/graph", params={"graph": label}, content=source.read_bytes(),
                              headers={"Content-Type": "application/n-triples",
                                       "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code in (201, 204), response.text
    _run(client, test, writable=True, graph_names={})


def test_the_manifest_was_read():
    assert len(TESTS) == 34
    assert sum(len(t["requests"]) for t in TESTS) > 34


def test_the_harness_adaptation_is_documented():
    assert "W3C protocol tests" in DOCS.read_text(encoding="utf-8")
