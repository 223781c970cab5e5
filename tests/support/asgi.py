"""The web app in-process: httpx over `httpx.ASGITransport`, no socket and no subprocess.

`AppClient(app)` sends requests straight into the ASGI app, as datasette's and
rdflib-endpoint's tests drive theirs. It answers like `httpx.get(server(path))` does against
`innovgraph serve` (an unexpected error is a 500 response, not an exception), and like
`support.webserver.Server` it is callable: `client(path)` is the absolute URL of a path, the
one the app puts in its own documents (OpenAPI servers, VoID, the service description).
"""

from __future__ import annotations

import asyncio

import httpx

BASE_URL = "http://testserver"


def app_over(project, **options):
    """`innovgraph.web.create_app(project, **options)`, imported on first use, so that the
    suite's start-up does not load the web stack."""
    from innovgraph.web import create_app

    return create_app(project, **options)


class AppClient:
    """A synchronous client of one ASGI app; `close()` it when done."""

    def __init__(self, app, base_url: str = BASE_URL) -> None:
        self.app = app
        self.url = base_url
        self._loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._client = httpx.AsyncClient(transport=transport, base_url=base_url)
        # The app's lifespan, as `innovgraph serve` runs it: the worker pools start and the
        # survey-wide figures are prepared in the background (httpx's transport sends no
        # lifespan events of its own).
        self._lifespan = app.router.lifespan_context(app)
        self._loop.run_until_complete(self._lifespan.__aenter__())

    def __call__(self, path: str) -> str:
        return self.url + path

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self._loop.run_until_complete(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def head(self, url: str, **kwargs) -> httpx.Response:
        return self.request("HEAD", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def close(self) -> None:
        if not self._loop.is_closed():
            self._loop.run_until_complete(self._client.aclose())
            # The lifespan's end stops the query worker processes.
            self._loop.run_until_complete(self._lifespan.__aexit__(None, None, None))
            self._loop.close()
