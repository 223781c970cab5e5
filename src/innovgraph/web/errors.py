"""The one error shape of the HTTP layer: ``{"error": <message>, "status": <code>}``.

Every refusal and every failure, from a malformed query to an unexpected exception, reaches
the client in this shape (HTML-preferring clients get the same message as a small page).
No traceback ever leaves the server; unexpected errors are logged and answered with 500.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .negotiation import prefers_html
from .templates import render

log = logging.getLogger("innovgraph.web")

BAD_REQUEST = 400
FORBIDDEN = 403
NOT_FOUND = 404
PAYLOAD_TOO_LARGE = 413
NOT_ACCEPTABLE = 406
UNSUPPORTED_MEDIA_TYPE = 415
SERVICE_UNAVAILABLE = 503


class ApiError(Exception):
    """An error with an HTTP status, raised anywhere in a handler."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# Named constructors, as Oxigraph's server has them: the status says what kind of refusal.

def bad_request(message: str) -> ApiError:
    return ApiError(BAD_REQUEST, message)


def forbidden(message: str) -> ApiError:
    return ApiError(FORBIDDEN, message)


def not_found(message: str) -> ApiError:
    return ApiError(NOT_FOUND, message)


def payload_too_large(limit: int) -> ApiError:
    return ApiError(PAYLOAD_TOO_LARGE,
                    f"The request body is larger than the server's limit of {limit:,} bytes.")


def unsupported_media_type(content_type: str, allowed: list[str]) -> ApiError:
    shown = content_type or "none"
    return ApiError(UNSUPPORTED_MEDIA_TYPE,
                    f"Unsupported Content-Type {shown!r}; send one of: {', '.join(allowed)}.")


def not_acceptable(accept: str, offered: list[str]) -> ApiError:
    return ApiError(NOT_ACCEPTABLE,
                    f"Nothing this resource offers is acceptable (Accept: {accept[:200]}); it is "
                    f"offered as: {', '.join(offered)}.", {"Vary": "Accept"})


def timed_out(seconds: float) -> ApiError:
    return ApiError(SERVICE_UNAVAILABLE,
                    f"The query ran longer than the server's limit of {seconds:g} s and was "
                    "abandoned. Narrow it (add a LIMIT, more specific patterns) and try again.",
                    {"Retry-After": "1"})


def too_many_results(limit: int) -> ApiError:
    # 400, not 413: 413 is about the request body; here the client must narrow its query.
    return ApiError(BAD_REQUEST,
                    f"The result has more than the server's limit of {limit} rows (or triples). "
                    "Add a LIMIT or narrow the query; the whole dataset is at /dump.ttl.")


def internal_error(exc: Exception) -> ApiError:
    """A fault of the server, not of the request (a storage error): 500, details logged."""
    log.error("internal error: %s", exc)
    return ApiError(500, "Internal server error; the server log has details.")


def error_response(request: Request | None, status: int, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    if request is not None and _prefers_html(request):
        page = render("error.html", request=request, status=status, message=message)
        return HTMLResponse(page, status_code=status, headers=headers)
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def _prefers_html(request: Request) -> bool:
    return prefers_html(request.headers.get("accept", ""))


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(request, exc.status, exc.message, exc.headers)


_STARLETTE_MESSAGES = {
    404: "No such page: {path}.",
    405: "Method {method} is not allowed on {path}.",
}


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    template = _STARLETTE_MESSAGES.get(exc.status_code)
    message = (template.format(path=request.url.path, method=request.method) if template
               else str(exc.detail))
    return error_response(request, exc.status_code, message, dict(exc.headers or {}))


async def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(request, 500, "Internal server error; the server log has details.")
