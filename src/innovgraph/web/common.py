"""Request helpers shared by the route modules: parameters, bodies, write permission."""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from .backend import Backend
from .errors import bad_request, forbidden, not_acceptable, payload_too_large
from .jsonld import graph_body
from .negotiation import Format, negotiate, offered

MAX_BODY = 1024 * 1024  # a query or an update is text; a megabyte is plenty
MAX_UPLOAD = 16 * 1024 * 1024  # a Graph Store Protocol write (create_app(max_upload=...))


def backend_of(request: Request) -> Backend:
    return request.app.state.backend


def site_url(request: Request, path: str = "/") -> str:
    """The absolute URL of `path` on this site: under the configured public base URL
    (`create_app(base_url=...)`, ``serve --base-url``), else under the request's own scheme and
    Host (then the response cache keys on them, see app.ResponseCache)."""
    base = request.app.state.base_url or str(request.base_url)
    return base.rstrip("/") + "/" + path.lstrip("/")


def route_url(request: Request, route: str, **params: str) -> str:
    """`site_url` of a named route (what `request.url_for` gives, without trusting Host)."""
    return site_url(request, str(request.app.url_path_for(route, **params)))


def one(pairs: list[tuple[str, str]], name: str) -> str | None:
    """The single value of `name`, None when absent; 400 when given twice."""
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise bad_request(f"Parameter {name!r} was given {len(values)} times; give it once.")
    return values[0] if values else None


def query_pairs(request: Request) -> list[tuple[str, str]]:
    try:
        return parse_qsl(request.url.query, keep_blank_values=True, strict_parsing=False,
                         errors="strict")
    except UnicodeDecodeError:
        raise bad_request("The query string is not valid UTF-8 after percent-decoding.") from None


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed `limit` bytes: by
    its Content-Length before anything is read, else while it is read (chunked bodies)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise bad_request(f"Content-Length {declared!r} is not a number of bytes.")
        if int(declared) > limit:
            raise payload_too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise payload_too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_text(request: Request) -> str:
    body = await read_body(request, MAX_BODY)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("The request body is not valid UTF-8.") from None


async def form_pairs(request: Request) -> list[tuple[str, str]]:
    text = await read_text(request)
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise bad_request("The form body is not valid UTF-8 after percent-decoding.") from None


def content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def require_write(request: Request) -> Backend:
    """The backend, if this request may change the store; 403 otherwise."""
    backend = backend_of(request)
    if not backend.writable:
        raise forbidden("This server is read-only. Start it with `innovgraph serve "
                        "--allow-update --update-token TOKEN` to accept updates.")
    token = request.app.state.update_token or ""
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(),
                                                             token.encode()):
        raise forbidden("Updates need the header 'Authorization: Bearer <token>' with the "
                        "server's update token.")
    return backend


def choose_format(request: Request, formats: list[Format],
                  default: Format | None = None) -> Format:
    """The format of `formats` the request's Accept header ranks best (`negotiate`); 406 with
    the list of what is offered when none is acceptable."""
    accept = request.headers.get("accept", "")
    fmt = negotiate(accept, formats, default)
    if fmt is None:
        raise not_acceptable(accept, offered(formats))
    return fmt


def rdf_response(triples, fmt: Format, *, headers: dict[str, str] | None = None) -> Response:
    return Response(graph_body(triples, fmt.key), media_type=fmt.media_type,
                    headers={"Vary": "Accept", **(headers or {})})
