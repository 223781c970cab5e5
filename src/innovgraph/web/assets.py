"""The site's own files under /static: stylesheets, scripts, images, and the vendored npm builds.

Everything a page loads comes from here (never from another host: the site works offline and
behind a firewall). `static/vendor/` holds the files `scripts/vendor-assets.py` copies from
the npm packages of `web-assets/package-lock.json`, listed with their sha256 in
`static/vendor/MANIFEST`; the rest (`css/`, `js/`, `img/`) is the site's own.

Pages link to `asset_url(path)`, which adds the first 12 hex digits of the file's sha256 as
``?v=``: a response to that exact URL is cached for a year (``immutable``), any other (an old
``v``, none) must be revalidated (``ETag``), so a changed file is never served stale. Media
types come from one table, not from the platform's mimetypes database; text is UTF-8, and
``nosniff`` keeps a browser from reading a file as anything else.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles

STATIC = Path(__file__).parent / "static"
PREFIX = "/static/"
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE, NOTICE, MANIFEST
}
LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
_digests: dict[tuple[str, int, int], str] = {}


def digest(path: Path) -> str:
    """The version of a static file: the first 12 hex digits of its sha256 (kept per size and
    modification time, so an edited file gets a new one)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _digests:
        _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _digests[key]


def asset_url(path: str) -> str:
    """The URL of a file under static/, versioned by its content.

    >>> asset_url("css/site.css").startswith("/static/css/site.css?v=")
    True

    :raises FileNotFoundError: no such file under static/ (a template naming a missing asset
        fails when it is rendered, not in the browser).
    """
    target = STATIC / path
    if not target.is_file():
        raise FileNotFoundError(f"No static file {path!r} under {STATIC}")
    return f"{PREFIX}{path}?v={digest(target)}"


class StaticAssets(StaticFiles):
    """StaticFiles with this site's media types and cache headers."""

    def file_response(self, full_path, stat_result: os.stat_result, scope,
                      status_code: int = 200) -> Response:
        path = Path(full_path)
        wanted = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
        headers = {"Cache-Control": LONG_CACHE if wanted == digest(path) else REVALIDATE,
                   "X-Content-Type-Options": "nosniff"}
        media_type = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        response = FileResponse(path, status_code=status_code, stat_result=stat_result,
                                media_type=media_type, headers=headers)
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response


def static_app():
    """The ASGI app mounted at /static: the files, gzipped for clients that accept it (the
    vendored bundles are 1 to 2 MB and shrink to a quarter)."""
    return GZipMiddleware(StaticAssets(directory=STATIC), minimum_size=1024)


# What a page may load: only this origin (inline style attributes, which the vendored editors
# set, and data: images, which their stylesheets use). The browser enforces it, so a template
# or a vendored build that names another host fails in the browser tests instead of reaching
# the network. JSON blocks (<script type="application/ld+json">) are data, not scripts.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'self'")


class ContentPolicy:
    """ASGI middleware: every HTML answer carries `CONTENT_SECURITY_POLICY`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_policy(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if any(k.lower() == b"content-type" and bytes(v).startswith(b"text/html")
                       for k, v in headers):
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add_policy)
