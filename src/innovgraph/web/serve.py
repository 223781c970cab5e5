"""Run the web app: on a socket with uvicorn, or for one request in-process (`serve --get`).

Kept apart from cli.py so the command stays a thin shell, as rdflib-endpoint keeps
`run_serve` apart from its click command.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.applications import Starlette

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def run_server(app: Starlette, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
               log_level: str = "info") -> None:
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=log_level == "debug",
                server_header=False)


@dataclass
class InProcessResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def get(app: Starlette, path: str, *, accept: str = "*/*") -> InProcessResponse:
    """Send one GET request through the ASGI app, without a socket.

    The app's lifespan is not run: the worker pools start on first use and nothing is
    prepared in the background, which one request would not wait for.
    """
    return asyncio.run(_get(app, path, accept))


async def _get(app: Starlette, target: str, accept: str) -> InProcessResponse:
    parts = urlsplit(target if target.startswith("/") else "/" + target)
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": parts.path, "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(), "root_path": "",
        "headers": [(b"host", b"localhost"), (b"accept", accept.encode())],
        "client": ("127.0.0.1", 0), "server": ("localhost", 80),
    }
    response = InProcessResponse(0)
    chunks: list[bytes] = []
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # no disconnect: the response ends the exchange
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            response.status = message["status"]
            response.headers = [(k.decode("latin-1"), v.decode("latin-1"))
                                for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        await app(scope, receive, send)
    except Exception:
        # Starlette re-raises after its error handler has sent the 500 (so servers log it);
        # the response is what --get reports.
        if not response.status:
            raise
    response.body = b"".join(chunks)
    return response
