"""The W3C SPARQL 1.1 test suites (w3c/rdf-tests, in ../shared/w3c-rdf-tests), read from their
manifests and run against a server: one harness for tests/test_w3c_*.py.

Two kinds of manifest:

- HTTP tests (protocol, graph store protocol): each test is a list of `ht:Request`s (method,
  path, headers, body) with the expected answer (`mf:expectedStatus`, `mf:expectedFormat`,
  `mf:expectedBoolean`, `mf:expectedLocation`, and for the graph store protocol the expected
  `Content-Type` and body, a graph to compare by isomorphism); `read_http_manifest`.
- query tests (JSON, CSV/TSV results): a query (`qt:query`), its data (`qt:data`) and the
  expected result file (`mf:result`); `read_query_manifest`.

A server is anything with ``request(method, path, content=, headers=)`` answering an
`httpx.Response`: the in-process `support.asgi.AppClient`, or `httpx.Client(base_url=...)` on a
real `innovgraph serve` (or another store's server).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT.parent / "shared" / "w3c-rdf-tests" / "sparql" / "sparql11"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

# hts: names of single status codes; hts:StatusCodeNxx is a class of codes.
STATUS_NAMES = {"OK": "200", "Created": "201", "NoContent": "204", "NotFound": "404",
                "BadRequest": "400", "Forbidden": "403", "UnsupportedMediaType": "415"}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
             "application/rdf+xml": ox.RdfFormat.RDF_XML,
             "application/ld+json": ox.RdfFormat.JSON_LD,
             "application/n-quads": ox.RdfFormat.N_QUADS}  # (Oxigraph's default for graphs)
WRITE_METHODS = {"PUT", "POST", "DELETE"}
XSD = "http://www.w3.org/2001/XMLSchema#"


def missing_reason(path: Path) -> str:
    return (f"the W3C test files are not at {path} (a checkout of w3c/rdf-tests in "
            "../shared/w3c-rdf-tests; CI has it)")


# -- HTTP tests ---------------------------------------------------------------------------------

@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "201", or a class "2xx"
    boolean: bool | None = None
    format: str | None = None  # boolean, tabular, RDF
    location: str | None = None  # the template variable the Location header fills
    content_type: str | None = None  # the expected Content-Type
    graph: bytes | None = None  # the expected graph (in content_type)

    @property
    def is_update(self) -> bool:
        kind = self.headers.get("content-type", "").split(";")[0].strip()
        return self.method == "POST" and (
            kind == "application/sparql-update"
            or (kind == "application/x-www-form-urlencoded" and self.body is not None
                and re.match(rb"(.*&)?update=", self.body) is not None))


@dataclass
class HttpTest:
    name: str
    title: str
    requests: list[Request]
    graph_data: list[tuple[str, Path]] = field(default_factory=list)  # (graph name, file)
    requires: set[str] = field(default_factory=set)


def _headers(g: Graph, node) -> dict[str, str]:
    headers = {}
    header_list = g.value(node, HT.headers)
    if header_list is not None:
        for h in Collection(g, header_list):
            headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return headers


def _body(g: Graph, node) -> bytes | None:
    body = g.value(node, HT.body)
    if body is None:
        return None
    encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
    return str(g.value(body, CNT.chars)).encode(encoding)


def _status(term) -> str:
    name = str(term).rsplit("#", 1)[1]
    return name.removeprefix("StatusCode") if name.startswith("StatusCode") \
        else STATUS_NAMES[name]


def _entries(manifest: Path) -> tuple[Graph, list]:
    """A manifest's graph and its entries, in order (none when the file is absent)."""
    if not manifest.is_file():
        return Graph(), []
    g = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = next(g.subjects(RDF.type, MF.Manifest))
    return g, list(Collection(g, g.value(root, MF.entries)))


def read_http_manifest(manifest: Path) -> list[HttpTest]:
    """The tests of a protocol or graph store protocol manifest, in its order."""
    g, entries = _entries(manifest)
    tests = []
    for entry in entries:
        graph_data = [(str(g.value(d, RDFS.label)),
                       Path(str(g.value(d, UT.graph)).removeprefix("file://")))
                      for d in g.objects(entry, UT.graphData)]
        requests = []
        for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
            resp = g.value(req, HT.resp)
            boolean, fmt = g.value(resp, MF.expectedBoolean), g.value(resp, MF.expectedFormat)
            location = g.value(resp, MF.expectedLocation)
            expected_headers = _headers(g, resp)
            requests.append(Request(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)),
                headers=_headers(g, req), body=_body(g, req),
                statuses={_status(s) for s in g.objects(resp, MF.expectedStatus)},
                boolean=None if boolean is None else boolean.toPython(),
                format=None if fmt is None else str(fmt),
                location=None if location is None else str(location),
                content_type=expected_headers.get("content-type"),
                graph=_body(g, resp)))
        tests.append(HttpTest(
            name=str(entry).rsplit("#", 1)[1], title=str(g.value(entry, MF.name)),
            requests=requests, graph_data=graph_data,
            requires={str(r).rsplit("#", 1)[1] for r in g.objects(entry, MF.requires)}))
    return tests


def media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def _charset(value: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*\"?([\w-]+)", value or "", re.I)
    return m.group(1).lower() if m else None


def parse_graph(data: bytes, content_type: str) -> Graph:
    """A response body as an rdflib Graph (via pyoxigraph's parser, as the server reads)."""
    graph = Graph()
    for t in ox.parse(data, format=RDF_TYPES[media_type(content_type)]):
        graph.add(tuple(_rdflib(x) for x in (t.subject, t.predicate, t.object)))
    return graph


def _rdflib(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def check_answer(request: Request, response) -> None:
    """The response is what the request's `ht:resp` expects (status, format, boolean,
    Content-Type, graph)."""
    code = str(response.status_code)
    assert code in request.statuses or f"{code[0]}xx" in request.statuses, (
        f"{request.method} {request.path}: {response.status_code} {response.text[:300]}")
    media = media_type(response.headers.get("content-type"))
    if request.format == "boolean":
        assert media in BOOLEAN_TYPES, media
        if media == "application/sparql-results+json":
            value = response.json()["boolean"]
        else:
            value = ox.parse_query_results(response.content,
                                           format=ox.QueryResultsFormat.XML)
            value = bool(value)
        if request.boolean is not None:
            assert value is request.boolean
    elif request.format == "tabular":
        assert media in TABULAR_TYPES, media
        if media == "application/sparql-results+json":
            assert "results" in response.json()
        elif media == "application/sparql-results+xml":
            assert isinstance(ox.parse_query_results(response.content,
                                                     format=ox.QueryResultsFormat.XML),
                              ox.QuerySolutions)
        else:
            assert response.text.splitlines()[0].strip() != ""
    elif request.format == "RDF":
        assert media in RDF_TYPES, media
        list(ox.parse(response.content, format=RDF_TYPES[media]))  # it parses
    if request.content_type is not None:
        assert media == media_type(request.content_type), response.headers
        expected = _charset(request.content_type)
        if expected is not None:
            assert _charset(response.headers.get("content-type")) == expected, response.headers
    if request.graph is not None and request.method != "HEAD":
        expected = parse_graph(request.graph, request.content_type or "text/turtle")
        got = parse_graph(response.content, response.headers.get("content-type"))
        assert isomorphic(expected, got), (
            f"{request.method} {request.path}: the graph differs:\n{response.text}")


def run_http_test(client, test: HttpTest, *, writable: bool, rewrite=lambda request: request,
                  headers: dict[str, str] | None = None,
                  refused: tuple[int, ...] = (403,)) -> list[tuple[str, int]]:
    """Send the test's requests in order and check each answer.

    `rewrite(request)` maps a manifest request to this server's (path prefix, graph names);
    `headers` are added to every request (the writable server's token). On a read-only
    server (`writable=False`) a write (an update, a graph store PUT/POST/DELETE) the manifest
    expects to succeed must be refused with one of `refused`, and the requests after it,
    which check its effect, are not sent. Returns (method, status) per request sent.
    """
    variables: dict[str, str] = {}
    sent = []
    for original in test.requests:
        request = rewrite(_fill(original, variables))
        response = client.request(request.method, request.path, content=request.body,
                                  headers={**request.headers, **(headers or {})})
        sent.append((request.method, response.status_code))
        is_write = request.is_update or (request.method in WRITE_METHODS  # a graph store write
                                         and not original.path.startswith("/sparql"))
        if not writable and is_write and ({"2xx", "200", "201", "204"} & request.statuses):
            assert response.status_code in refused, (request.method, request.path,
                                                     response.status_code, response.text)
            return sent
        check_answer(request, response)
        if request.location is not None:
            assert "location" in response.headers, response.headers
            variables[request.location] = response.headers["location"]
    return sent


def _fill(request: Request, variables: dict[str, str]) -> Request:
    """`request` with the template variables of earlier answers (`$LOCATION$`) filled in."""
    path, body = request.path, request.body
    for name, value in variables.items():
        path = path.replace(name, value)
        if body is not None:
            body = body.replace(name.encode(), value.encode())
    return Request(**{**request.__dict__, "path": path, "body": body})


def with_path(request: Request, path: str, body: bytes | None = None) -> Request:
    return Request(**{**request.__dict__, "path": path,
                      "body": request.body if body is None else body})


# -- query tests (results formats) --------------------------------------------------------------

@dataclass
class QueryTest:
    name: str
    title: str
    query: Path
    data: Path
    result: Path


def read_query_manifest(manifest: Path) -> list[QueryTest]:
    g, entries = _entries(manifest)
    tests = []
    for entry in entries:
        action = g.value(entry, MF.action)
        path = lambda term: Path(str(term).removeprefix("file://"))  # noqa: E731
        tests.append(QueryTest(str(entry).rsplit("#", 1)[1], str(g.value(entry, MF.name)),
                               path(g.value(action, QT.query)), path(g.value(action, QT.data)),
                               path(g.value(entry, MF.result))))
    return tests


RESULT_MEDIA = {".srj": "application/sparql-results+json", ".csv": "text/csv",
                ".tsv": "text/tab-separated-values"}


def parse_results(data: bytes, suffix: str):
    """(variables, rows) of a results document (rows of terms, None for unbound), or a boolean
    for an ASK answer; parsed with pyoxigraph, except CSV, which carries only strings."""
    if suffix == ".csv":
        text = data.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        return rows[0], [[cell if cell != "" else None for cell in row] for row in rows[1:]]
    fmt = {".srj": ox.QueryResultsFormat.JSON, ".tsv": ox.QueryResultsFormat.TSV}[suffix]
    answer = ox.parse_query_results(data, format=fmt)
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    variables = [v.value for v in answer.variables]
    return variables, [[solution[v] for v in variables] for solution in answer]


NUMERIC = {XSD + t for t in (
    "integer decimal double float long int short byte nonNegativeInteger nonPositiveInteger "
    "negativeInteger positiveInteger unsignedLong unsignedInt unsignedShort unsignedByte").split()}


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def same_value(expected, got, bnodes: dict) -> bool:
    """Two result cells are the same: the same term, or blank nodes that map one to one
    (`bnodes` holds the mapping so far), or numeric literals of the same value (the store
    keeps values, not lexical forms or derived integer types: docs/server.md, "Literal forms").
    CSV cells are strings: equal, or numbers of the same value."""
    if expected is None or got is None:
        return expected is got
    if isinstance(expected, str):  # CSV
        if expected.startswith("_:") and isinstance(got, str) and got.startswith("_:"):
            return bnodes.setdefault(expected, got) == got
        if expected == got:
            return True
        a, b = _number(expected), _number(got)
        return a is not None and a == b
    if isinstance(expected, ox.BlankNode) and isinstance(got, ox.BlankNode):
        return bnodes.setdefault(expected.value, got.value) == got.value
    if expected == got:
        return True
    if isinstance(expected, ox.Literal) and isinstance(got, ox.Literal) \
            and expected.datatype.value in NUMERIC and got.datatype.value in NUMERIC:
        a, b = _number(expected.value), _number(got.value)
        return a is not None and a == b
    return False


def compare_results(expected, got, *, ordered: bool) -> None:
    """Assert two parsed results (`parse_results`) are the same answer."""
    if isinstance(expected, bool) or isinstance(got, bool):
        assert expected is got
        return
    (evars, erows), (gvars, grows) = expected, got
    assert gvars == evars, (gvars, evars)
    assert len(grows) == len(erows), (grows, erows)
    bnodes: dict = {}
    if ordered:
        for erow, grow in zip(erows, grows):
            assert all(same_value(e, g, bnodes) for e, g in zip(erow, grow)), (erow, grow)
        return
    remaining = list(grows)
    for erow in erows:
        match = next((g for g in remaining
                      if all(same_value(e, c, dict(bnodes)) for e, c in zip(erow, g))), None)
        assert match is not None, (erow, remaining)
        all(same_value(e, c, bnodes) for e, c in zip(erow, match))
        remaining.remove(match)


def json_document(data: bytes) -> dict:
    return json.loads(data.decode("utf-8"))


# -- the servers under test ---------------------------------------------------------------------

TOKEN = "w3c-suite-token"
FIXTURE_PROJECT = ROOT / "tests" / "fixtures" / "project"
W3C_GRAPHS = "https://w3id.org/innovgraph/graph/data/ttl/w3c/"


def project_with(target: Path, files: dict[str, Path]) -> Path:
    """A copy of the fixture project with `files` (name -> Turtle or N-Triples file) as source
    files `data/ttl/w3c/<name>.ttl`, each then the named graph `W3C_GRAPHS + name`."""
    import shutil

    root = Path(shutil.copytree(FIXTURE_PROJECT, target))
    folder = root / "data" / "ttl" / "w3c"
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        shutil.copyfile(source, folder / f"{name}.ttl")
    return root


@dataclass
class Target:
    """One server under test: a client, whether it takes writes, the headers its writes need."""

    client: object
    writable: bool
    url: str = "http://testserver"
    close: object = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}"} if self.writable else {}

    def reset(self) -> None:
        """Empty a writable server (every graph dropped), as a fresh store before each test."""
        response = self.client.request(
            "POST", "/sparql", content=b"DROP ALL",
            headers={"Content-Type": "application/sparql-update", **self.headers})
        assert response.status_code == 204, response.text


def writable_options() -> dict:
    return {"allow_update": True, "update_token": TOKEN}


def in_process(app_client, root: Path, writable: bool) -> Target:
    client = app_client(root, **(writable_options() if writable else {}))
    return Target(client, writable, client.url)


@contextlib.contextmanager
def served_pair(tmp_path_factory, name: str, files: dict[str, Path]):
    """A real read-only and a real writable `innovgraph serve` over a fixture project with
    `files` (`project_with`): ``{False: read-only, True: writable}``, stopped at the end."""
    root = project_with(tmp_path_factory.mktemp(name) / "project", files)
    logs = tmp_path_factory.mktemp(f"{name}-logs")
    targets = {w: served(root, logs / f"{w}.log", w) for w in (False, True)}
    try:
        yield targets
    finally:
        for target in targets.values():
            target.close()


def served(root: Path, log: Path, writable: bool) -> Target:
    """`innovgraph serve` over `root` in a subprocess on a free loopback port."""
    import httpx

    from support.webserver import start_server, stop_server

    flags = ("--allow-update", "--update-token", TOKEN) if writable else ()
    server = start_server(*flags, log=log, project=root)
    client = httpx.Client(base_url=server.url, timeout=30)

    def close() -> None:
        client.close()
        stop_server(server)

    return Target(client, writable, server.url, close)
