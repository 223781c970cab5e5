"""Where the SPARQL endpoint and its credentials come from (tomllib only: no HTTP here).

First found wins: the `--endpoint` option, the `INNOVGRAPH_ENDPOINT` environment variable,
`innovgraph.toml` in the project root, then `~/.config/innovgraph/endpoint.toml`
(`$XDG_CONFIG_HOME` is honoured). Both files hold one `[endpoint]` table; see
docs/triplestores.md. Credentials come from `INNOVGRAPH_ENDPOINT_USER` /
`INNOVGRAPH_ENDPOINT_PASSWORD`, a `user:password@` part of the URL, or the file that names the
URL in use (a file's credentials are never sent to an endpoint the file does not name).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit, unquote

from ..errors import EndpointError, one_line
from ..namespaces import DEFAULT_GRAPH, INFERRED_GRAPH
from ..project import Project
from .binding import check_iri

ENDPOINT_ENV = "INNOVGRAPH_ENDPOINT"
USER_ENV = "INNOVGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "INNOVGRAPH_ENDPOINT_PASSWORD"
TIMEOUT_ENV = "INNOVGRAPH_ENDPOINT_TIMEOUT"
PROJECT_CONFIG = "innovgraph.toml"
USER_CONFIG = Path("innovgraph") / "endpoint.toml"


@dataclass(frozen=True)
class EndpointConfig:
    """Where and how to reach a store. `password` is kept out of repr() on purpose."""

    url: str
    update_url: str | None = None  # SPARQL Update endpoint, when not the query URL
    gsp_url: str | None = None  # Graph Store Protocol endpoint, when the store has one
    # Where `innovgraph load` puts the graph, and the dataset that remote queries see.
    graph: str = DEFAULT_GRAPH
    # The OWL RL inferences: a named graph of their own, which saved queries name in GRAPH.
    inferred_graph: str = INFERRED_GRAPH
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5
    source: str = "--endpoint"  # where the URL came from, for messages

    def __post_init__(self) -> None:
        for name in ("url", "update_url", "gsp_url"):
            value = getattr(self, name)
            if value is None:
                continue
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise EndpointError(f"Not an http(s) endpoint URL: {_strip_userinfo(value)} "
                                    f"(from {self.source}).")
        check_iri(self.graph)
        check_iri(self.inferred_graph)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.password,) if s and len(s) >= 3)


def _strip_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    parts = urlsplit(url)
    if parts.username is None:
        return url, None, None
    password = unquote(parts.password) if parts.password is not None else None
    return _strip_userinfo(url), unquote(parts.username), password


def _user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / USER_CONFIG


def _read_config(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle).get("endpoint", {})
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EndpointError(f"Cannot read {path}: {one_line(exc)}.") from None
    if not isinstance(table, dict):
        raise EndpointError(f"{path}: [endpoint] must be a table.")
    unknown = set(table) - {"url", "update_url", "gsp_url", "graph", "inferred_graph", "user",
                            "password", "timeout", "retries"}
    if unknown:
        raise EndpointError(f"{path}: unknown key(s) in [endpoint]: {', '.join(sorted(unknown))}.")
    return {**table, "source": str(path)}


def endpoint_configured(project: Project) -> bool:
    """Whether `resolve_endpoint` might find an endpoint (cheap check: no file is read)."""
    return bool(os.environ.get(ENDPOINT_ENV)
                or (project.root / PROJECT_CONFIG).exists()
                or _user_config_path().exists())


def resolve_endpoint(project: Project | None = None, endpoint: str | None = None, *,
                     graph: str | None = None, **overrides) -> EndpointConfig | None:
    """The endpoint to use, or None for the embedded store (nothing configured anywhere).

    :raises EndpointError: a config file that cannot be read or a URL that is not http(s).
    """
    files = [(project.root / PROJECT_CONFIG) if project is not None else None, _user_config_path()]
    configs = [c for c in (_read_config(p) for p in files if p is not None) if c]
    if endpoint:
        url, source = endpoint, "--endpoint"
    elif os.environ.get(ENDPOINT_ENV):
        url, source = os.environ[ENDPOINT_ENV], ENDPOINT_ENV
    elif configs and configs[0].get("url"):
        url, source = str(configs[0]["url"]), configs[0]["source"]
    else:
        return None
    url, user, password = _split_userinfo(url)
    # A file's settings (and credentials) apply only to the URL that file names.
    file = next((c for c in configs if _split_userinfo(str(c.get("url", "")))[0] == url), {})
    settings = {k: v for k, v in file.items()
                if k in ("update_url", "gsp_url", "graph", "inferred_graph", "timeout", "retries")}
    user = os.environ.get(USER_ENV) or user or file.get("user")
    password = os.environ.get(PASSWORD_ENV) or password or file.get("password")
    if os.environ.get(TIMEOUT_ENV):
        try:
            settings["timeout"] = float(os.environ[TIMEOUT_ENV])
        except ValueError:
            raise EndpointError(f"{TIMEOUT_ENV} must be a number of seconds.") from None
    if graph:
        settings["graph"] = graph
    settings.update({k: v for k, v in overrides.items() if v is not None})
    return EndpointConfig(url=url, user=user, password=password, source=source, **settings)
