"""RemoteStore: the embedded store's operations against a SPARQL 1.1 endpoint, over httpx.

Protocol queries and updates, and Graph Store Protocol (GSP) reads and writes of whole graphs.
Where the endpoint and its credentials come from is `innovgraph.remote.config`. Credentials
are sent only when the server asks (HTTP 401), by Digest or Basic as it asks, and never appear
in a message, log line or repr.

Transient failures (connection refused while a store starts, HTTP 503) are retried with
exponential backoff; every other failure becomes one line naming the endpoint and the cause.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping

import httpx
import pyoxigraph as ox
from rdflib import Graph

from ..errors import (
    EndpointError,
    GraphSyntaxError,
    EndpointResponseError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    one_line,
)
from ..project import Project
from ..store import GraphStore, QueryResult, from_answer
from ..store.checks import check_depth, check_rdf_input
from ..terms import with_default_prefixes
from .binding import bind_into_text, check_iri, query_form
from .config import PASSWORD_ENV, TIMEOUT_ENV, USER_ENV, EndpointConfig, _strip_userinfo

log = logging.getLogger(__package__)  # "innovgraph.remote", the logger's name before the split

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
# Answers are accepted only in the formats asked for (GRAPH_ACCEPT and the results types) and
# their aliases: never RDF/XML, whose entities pyoxigraph expands without limit.
_RDF_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE}
_RESULT_FORMATS = {SPARQL_JSON: ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
                   SPARQL_XML: ox.QueryResultsFormat.XML}
_TAGS = re.compile(r"<[^>]*>")


class _ChallengeAuth(httpx.Auth):
    """Send credentials only after a 401, by the scheme the server names (Digest or Basic)."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request):
        if self._scheme is not None:
            yield from self._scheme.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        if challenge.startswith("digest"):
            self._scheme = self._digest
        elif challenge.startswith("basic"):
            self._scheme = self._basic
        else:
            return
        yield from self._scheme.auth_flow(request)


class RemoteStore:
    """A SPARQL endpoint with the query surface of the embedded `GraphStore`.

    Queries see `config.graph` as their default graph (the protocol's `default-graph-uri`)
    and the inferred graph as their one named graph (`named-graph-uri`), as in the embedded
    store, so saved queries run unchanged and the store's own system graphs stay out.

    >>> RemoteStore(EndpointConfig("http://localhost:8890/sparql"))  # no request until a query
    RemoteStore('http://localhost:8890/sparql', graph='https://w3id.org/innovgraph/graph')
    """

    def __init__(self, config: EndpointConfig, *, project: Project | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self.project = project  # where saved queries come from, as for GraphStore
        self._sleep = sleep
        auth = _ChallengeAuth(config.user, config.password or "") if config.user else None
        connect = min(config.timeout, 10.0)
        self._client = httpx.Client(auth=auth, timeout=httpx.Timeout(config.timeout, connect=connect),
                                    follow_redirects=True, trust_env=False,
                                    headers={"User-Agent": "innovgraph"})

    def __repr__(self) -> str:
        return f"RemoteStore({self.config.url!r}, graph={self.config.graph!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- SPARQL 1.1 Protocol ---------------------------------------------------------------

    def query(self, sparql: str, *, substitutions: Mapping | None = None, name: str | None = None,
              default_graph: str | None = None, whole_store: bool = False,
              allow_federation: bool = False, default_prefixes: bool = True) -> QueryResult:
        """Run a query on the endpoint; `substitutions` are bound as BIND(term AS ?var).

        With `default_prefixes`, the PREFIX lines of the default prefixes the text uses and
        does not declare are put before it (`terms.with_default_prefixes`), so that it means
        what it means on the embedded store.

        A query nested deeper than the embedded store's limit is refused before it is sent.
        Whether SERVICE runs is the endpoint's decision (`allow_federation` is accepted so that
        callers can treat both stores alike).

        :raises QueryTooDeepError: nested deeper than the limit.
        :raises ParameterError: a bound value that cannot be written safely.
        :raises EndpointError: the store is down, slow or answers with an error.
        """
        check_depth(sparql)
        text = with_default_prefixes(sparql) if default_prefixes else sparql
        text = bind_into_text(text, substitutions) if substitutions else text
        form = query_form(text)
        accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else f"{SPARQL_JSON}, {SPARQL_XML};q=0.9"
        data: dict = {"query": text}
        if not whole_store:  # whole_store: the store's own dataset (every graph it has)
            data["default-graph-uri"] = default_graph or self.config.graph
            data["named-graph-uri"] = [self.config.inferred_graph]
        response = self._request("POST", self.config.url, data=data, headers={"Accept": accept},
                                 what=f"query {name}" if name else "query")
        return self._result(response, form)

    def update(self, sparql_update: str, *, what: str = "update", retry_ambiguous: bool = False) -> None:
        """Run a SPARQL Update request (POST form `update=`)."""
        self._request("POST", self.config.update_url or self.config.url, data={"update": sparql_update},
                      what=what, retry_ambiguous=retry_ambiguous)

    def count(self, graph: str | None = None) -> int:
        """Triples in `graph` (default: the configured graph); 0 when it does not exist."""
        iri = check_iri(graph or self.config.graph)
        # The protocol's default-graph-uri, not GRAPH <g>: with a dataset given, GRAPH sees no
        # named graphs (Fuseki, Oxigraph), and Virtuoso then answers 1 for an empty graph.
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=iri)
        return int(result.rows[0][0].value) if result.rows and result.rows[0][0] is not None else 0

    def triples_count(self) -> int:
        """Triples in the configured graph (the embedded store's `triples_count`)."""
        return self.count()

    def graphs(self) -> list[str]:
        """The graphs queries see (the embedded store's `graphs`): the configured graph if loaded."""
        return [self.config.graph] if self.count() else []

    def server_graphs(self, prefix: str | None = None) -> list[str]:
        """Named graphs on the server that hold triples, optionally only those under `prefix`."""
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", whole_store=True)
        names = sorted(row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode))
        return [g for g in names if prefix is None or g.startswith(prefix)]

    def fetch_graph(self, graph: str | None = None) -> list[ox.Triple]:
        """Every triple of a graph: by GSP GET when configured, else by CONSTRUCT."""
        iri = check_iri(graph or self.config.graph)
        if self.config.gsp_url:
            response = self._request("GET", self.config.gsp_url, params={"graph": iri},
                                     headers={"Accept": GRAPH_ACCEPT}, what="graph download")
            return list(self._triples(response))
        return self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=iri).triples

    def rdflib_graph(self) -> Graph:
        """The configured graph as an rdflib Graph (GSP GET or CONSTRUCT), checked against COUNT.

        :raises EndpointError: the download failed or came back short (a truncated result).
        """
        triples = self.fetch_graph()
        expected = self.count()
        if len(set(triples)) != expected:
            raise EndpointError(f"Downloaded {len(set(triples))} triples of <{self.config.graph}> "
                                f"from {self.config.url}, but it holds {expected}: the result was cut short.")
        graph = Graph()
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return graph

    # --- Graph Store Protocol ------------------------------------------------------------

    def gsp(self, method: str, graph: str, data: bytes | None = None,
            content_type: str = "application/n-triples") -> None:
        """PUT (replace), POST (add to) or DELETE a graph through the Graph Store Protocol."""
        if not self.config.gsp_url:
            raise EndpointError("No Graph Store Protocol endpoint configured (gsp_url).")
        headers = {"Content-Type": content_type} if data is not None else {}
        self._request(method, self.config.gsp_url, params={"graph": check_iri(graph)},
                      content=data, headers=headers, what=f"graph {method}",
                      retry_ambiguous=method != "POST")

    # --- HTTP with retries and one-line errors ------------------------------------------

    def _request(self, method: str, url: str, *, what: str, retry_ambiguous: bool = True,
                 **kwargs) -> httpx.Response:
        """Send with retries of transient failures; raise one clear EndpointError otherwise.

        Connection refused and 503 are always retried (the request was not processed).
        A dropped connection or a 502/504 is retried only when repeating is harmless.
        """
        shown = _strip_userinfo(url)
        attempts = max(1, self.config.retries + 1)
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout) and not last:
                    self._backoff(attempt, what, "connect timeout")
                    continue
                raise EndpointTimeoutError(self._redact(
                    f"The SPARQL endpoint {shown} did not answer the {what} within "
                    f"{self.config.timeout:g} s (timeout): the store is slow or the request too "
                    f"heavy. Raise the timeout with {TIMEOUT_ENV} (seconds).")) from None
            except httpx.TransportError as exc:
                refused = isinstance(exc, httpx.ConnectError)
                if (refused or retry_ambiguous) and not last:
                    self._backoff(attempt, what, _reason(exc))
                    continue
                hint = " Is the store running?" if refused else ""
                raise EndpointUnreachableError(self._redact(
                    f"Cannot reach the SPARQL endpoint {shown} for the {what}: {_reason(exc)} "
                    f"({attempt} attempt{'s' if attempt > 1 else ''}).{hint}")) from None
            status = response.status_code
            transient = status == 503 or (status in (502, 504) and retry_ambiguous)
            if transient and not last:
                self._backoff(attempt, what, f"HTTP {status}", response.headers.get("retry-after"))
                continue
            if status >= 400:
                message = (f"The SPARQL endpoint {shown} answered the {what} with {status} "
                           f"{response.reason_phrase}: {_first_line(response)}")
                if status in (401, 403):
                    message += (f" (the credentials were refused)" if self.config.user and status == 401
                                else f" (set {USER_ENV} and {PASSWORD_ENV}, or use the store's "
                                     "authenticated endpoint)")
                raise EndpointResponseError(self._redact(message), status) from None
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, what: str, reason: str, retry_after: str | None = None) -> None:
        delay = self.config.backoff * 2 ** (attempt - 1)
        if retry_after and retry_after.isdigit():
            delay = min(max(delay, float(retry_after)), 30.0)
        log.info("%s: %s; retrying in %.1f s", what, reason, delay)
        self._sleep(delay)

    def _redact(self, message: str) -> str:
        for secret in self.config.secrets:
            message = message.replace(secret, "***")
        return message

    # --- parsing responses -------------------------------------------------------------

    def _result(self, response: httpx.Response, form: str | None) -> QueryResult:
        mime = response.headers.get("content-type", "").split(";")[0].strip().lower()
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        if mime in _RESULT_FORMATS and not graph_form:
            try:
                check_rdf_input(response.content, _RESULT_FORMATS[mime])
                parsed = ox.parse_query_results(response.content, format=_RESULT_FORMATS[mime])
            except (SyntaxError, ValueError, GraphSyntaxError) as exc:
                raise EndpointError(f"The endpoint {self.config.url} sent unreadable results: "
                                    f"{one_line(exc)}.") from None
            result = from_answer(parsed)
            if result.kind == "select":
                self._check_truncation(response, len(result.rows))
            return result
        if mime in _RDF_FORMATS and (graph_form or form is None):
            triples = list(self._triples(response))
            self._check_truncation(response, len(triples))
            return QueryResult("graph", triples=triples)
        asked = "N-Triples or Turtle" if graph_form else "SPARQL results (JSON or XML)"
        raise EndpointError(f"The endpoint {self.config.url} answered with "
                            f"{mime or 'no content type'}, not the {asked} it was asked for.")

    def _triples(self, response: httpx.Response):
        mime = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if mime not in _RDF_FORMATS:
            raise EndpointError(f"The endpoint {self.config.url} answered with "
                                f"{mime or 'no content type'}, not the N-Triples or Turtle it "
                                "was asked for.")
        try:
            for triple in ox.parse(response.content, format=_RDF_FORMATS[mime]):
                yield triple.triple if isinstance(triple, ox.Quad) else triple
        except SyntaxError as exc:
            raise EndpointError(f"The endpoint {self.config.url} sent unreadable RDF: "
                                f"{one_line(exc)}.") from None

    def _check_truncation(self, response: httpx.Response, n: int) -> None:
        # Virtuoso's "anytime queries" answer 200 with the rows found when time ran out.
        if response.headers.get("x-sql-state", "").upper() == "S1TAT":
            raise EndpointError(
                f"The endpoint {self.config.url} ran out of time and sent a partial result "
                "(Virtuoso: raise MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini).")
        # Virtuoso cuts results at ResultSetMaxRows and says so only in this header.
        limit = response.headers.get("x-sparql-maxrows")
        if limit and limit.isdigit() and n >= int(limit):
            raise EndpointError(
                f"The endpoint {self.config.url} truncated the result to {limit} rows "
                "(Virtuoso: raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini).")


def _reason(exc: httpx.TransportError) -> str:
    text = one_line(exc) or type(exc).__name__
    if "refused" in text.lower():
        return "connection refused"
    return re.sub(r"^\[Errno -?\d+\]\s*", "", text)


def _first_line(response: httpx.Response) -> str:
    """The first non-empty line of the server's message, tags stripped, at most 200 chars."""
    try:
        text = response.text
    except Exception:  # undecodable body
        text = ""
    for line in _TAGS.sub("\n", text).splitlines():
        line = " ".join(line.split())
        if line:
            return line[:200] + ("..." if len(line) > 200 else "")
    return "(no message)"


# What `open_backend` gives: the embedded store, or this client when an endpoint is configured.
Backend = GraphStore | RemoteStore
