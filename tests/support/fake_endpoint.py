"""A scriptable HTTP server on a free loopback port, for remote-store tests.

`FakeEndpoint(responder)` calls `responder(request)` for every request and sends back the
`(status, headers, body)` it returns. `request` has method, path, query (dict), headers and
body, and every request is kept in `.requests`. `forward_to(url)` makes a responder that
passes requests on to a real store, so a test can put a misbehaving proxy in front of it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"))


class FakeEndpoint:
    def __init__(self, responder) -> None:
        self.responder = responder
        self.requests: list[Request] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                parts = urlsplit(self.path)
                request = Request(self.command, parts.path, parse_qs(parts.query),
                                  {k.lower(): v for k, v in self.headers.items()},
                                  self.rfile.read(length) if length else b"")
                outer.requests.append(request)
                try:
                    status, headers, body = outer.responder(request)
                except ConnectionAbortedError:  # the responder wants the connection dropped
                    self.close_connection = True
                    return
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeEndpoint":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def forward_to(base: str):
    """A responder that relays each request to `base` (scheme://host:port) unchanged."""
    client = httpx.Client(timeout=60)

    def relay(request: Request):
        headers = {k: v for k, v in request.headers.items()
                   if k in ("accept", "content-type", "authorization")}
        response = client.request(request.method, base + request.path, params=request.query,
                                  headers=headers, content=request.body)
        keep = {k: v for k, v in response.headers.items()
                if k.lower() in ("content-type", "www-authenticate", "x-sparql-maxrows")}
        return response.status_code, keep, response.content

    return relay


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
