"""The site's files: the vendored npm builds as their MANIFEST says, served under /static with
their media types and cache headers, and pages that load nothing from another host.

The vendored files are committed (src/innovgraph/web/static/vendor/, tests/vendor/), so a
clean clone and a wheel work with no npm; scripts/vendor-assets.py re-creates them from
web-assets/package-lock.json (checked here, marked slow, where npm is installed).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support.pages import BAD_QUERY, PAGE_KINDS
from support.webserver import ROOT

STATIC = ROOT / "src" / "innovgraph" / "web" / "static"
VENDOR_FOLDERS = [STATIC / "vendor", ROOT / "tests" / "vendor"]
LOCK = json.loads((ROOT / "web-assets" / "package-lock.json").read_text())["packages"]
PINS = json.loads((ROOT / "web-assets" / "package.json").read_text())
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def manifest(folder: Path) -> list[dict]:
    rows = []
    for line in (folder / "MANIFEST").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        package, version, licence, file, size, sha, integrity = line.split("\t")
        rows.append({"package": package, "version": version, "licence": licence, "file": file,
                     "bytes": int(size), "sha256": sha, "integrity": integrity})
    return rows


# -- the vendored files ----------------------------------------------------------------------

@pytest.mark.parametrize("folder", VENDOR_FOLDERS, ids=["site", "tests"])
def test_the_vendored_files_are_those_of_the_manifest(folder):
    rows = manifest(folder)
    assert rows
    for row in rows:
        data = (folder / row["file"]).read_bytes()
        assert len(data) == row["bytes"], row["file"]
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk - {"MANIFEST"} == {row["file"] for row in rows}  # nothing unlisted


@pytest.mark.parametrize("folder", VENDOR_FOLDERS, ids=["site", "tests"])
def test_the_manifest_names_the_locked_versions_and_a_licence_for_each(folder):
    pins = {**PINS["dependencies"], **PINS["devDependencies"]}
    for package in {row["package"] for row in manifest(folder)}:
        rows = [r for r in manifest(folder) if r["package"] == package]
        entry = LOCK[f"node_modules/{package}"]
        assert {r["version"] for r in rows} == {entry["version"]} == {pins[package]}
        assert {r["integrity"] for r in rows} == {entry["integrity"]}
        assert {r["licence"] for r in rows} == {entry["license"]}
        assert any(Path(r["file"]).name.upper().startswith("LICENSE") for r in rows), package


def test_axe_core_is_for_the_tests_only():
    assert "axe-core" in PINS["devDependencies"] and "axe-core" not in PINS["dependencies"]
    assert {r["package"] for r in manifest(VENDOR_FOLDERS[1])} == {"axe-core"}
    assert "axe-core" not in {r["package"] for r in manifest(VENDOR_FOLDERS[0])}


def test_the_map_outlines_are_topojson():
    for name in ("countries-110m.json", "land-110m.json"):
        topology = json.loads((STATIC / "vendor" / "world-atlas" / name).read_text())
        assert topology["type"] == "Topology" and topology["arcs"]
    countries = json.loads((STATIC / "vendor" / "world-atlas" / "countries-110m.json").read_text())
    assert len(countries["objects"]["countries"]["geometries"]) > 150


# -- serving them ----------------------------------------------------------------------------

@pytest.mark.parametrize("path, media_type", [
    ("vendor/yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
    ("vendor/yasgui/yasgui.min.css", "text/css; charset=utf-8"),
    ("vendor/swagger-ui-dist/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    ("vendor/world-atlas/countries-110m.json", "application/json"),
    ("vendor/world-atlas/LICENSE", "text/plain; charset=utf-8"),
    ("vendor/MANIFEST", "text/plain; charset=utf-8"),
    ("css/site.css", "text/css; charset=utf-8"),
    ("img/favicon.svg", "image/svg+xml"),
])
def test_static_files_are_served_with_their_media_type(web_client, path, media_type):
    from innovgraph.web.assets import asset_url

    url = asset_url(path)
    response = web_client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.content == (STATIC / path).read_bytes()
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_only_the_current_version_is_cached_for_long(web_client):
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = web_client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=0, must-revalidate"
    etag = web_client.get("/static/css/site.css").headers["etag"]
    again = web_client.get("/static/css/site.css", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_large_files_are_gzipped(web_client):
    response = web_client.get("/static/vendor/swagger-ui-dist/swagger-ui-bundle.js",
                              headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.num_bytes_downloaded < 0.5 * len(response.content)
    plain = web_client.get("/static/vendor/swagger-ui-dist/swagger-ui-bundle.js",
                           headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == response.content


@pytest.mark.parametrize("path", ["/static/nope.css", "/static/vendor", "/static/../app.py",
                                  "/static/%2e%2e/app.py", "/static/css/../../app.py"])
def test_nothing_else_is_served_from_static(web_client, path):
    response = web_client.get(path)
    assert response.status_code == 404
    assert "create_app" not in response.text


def test_static_files_are_read_only(web_client):
    assert web_client.post("/static/css/site.css").status_code == 405


def test_an_asset_that_does_not_exist_fails_at_render():
    from innovgraph.web.assets import asset_url

    with pytest.raises(FileNotFoundError, match="no-such.css"):
        asset_url("css/no-such.css")


# -- pages load only from their own origin ---------------------------------------------------

class Assets(HTMLParser):
    """The URLs a page loads (not the links it offers): scripts, stylesheets, icons, images,
    media, frames, objects, and url(...) in style attributes and <style> blocks."""

    LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                    "modulepreload", "prefetch", "manifest", "mask-icon"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and self.LOADING_RELS & set((attrs.get("rel") or "").lower().split()):
            self.urls.append(attrs.get("href") or "")
        for name in ("src", "poster", "data"):
            if attrs.get(name) and tag in ("script", "img", "source", "video", "audio", "track",
                                           "iframe", "embed", "object", "input"):
                self.urls.append(attrs[name])
        for name in ("srcset", "imagesrcset"):
            if attrs.get(name):
                self.urls += [part.strip().split()[0] for part in attrs[name].split(",") if part.strip()]
        self.urls += css_urls(attrs.get("style") or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += css_urls(data)


def css_urls(text: str) -> list[str]:
    found = re.findall(r"""url\(\s*['"]?([^'")]+)""", text)
    found += re.findall(r"""@import\s+['"]([^'"]+)""", text)
    return found


def foreign(urls: list[str]) -> list[str]:
    """URLs that name a host (or a scheme other than data:)."""
    out = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme == "data":
            continue
        if parts.scheme or parts.netloc or url.strip().startswith("//"):
            out.append(url)
    return out


@pytest.mark.parametrize("page", PAGE_KINDS, ids=lambda p: p.kind)
def test_pages_load_only_same_origin_assets(web_client, page):
    response = web_client.get(page.path, headers=HTML)
    assert response.status_code == page.status
    parser = Assets()
    parser.feed(response.text)
    assert parser.urls, "a page loads at least its stylesheet"
    assert foreign(parser.urls) == []
    for url in parser.urls:  # and every one of them is there
        if url.startswith("/"):
            assert web_client.get(url).status_code == 200, url
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "connect-src 'self'" in policy


def test_vendored_stylesheets_load_nothing_from_another_host():
    for css in (STATIC / "vendor").rglob("*.css"):
        assert foreign(css_urls(css.read_text(encoding="utf-8"))) == [], css.name
    for css in (STATIC / "css").glob("*.css"):
        assert foreign(css_urls(css.read_text(encoding="utf-8"))) == [], css.name


def test_only_pages_carry_the_content_policy(web_client):
    assert "content-security-policy" not in web_client.get("/api/queries").headers
    assert "content-security-policy" not in web_client.get("/static/css/site.css").headers
    assert "content-security-policy" in web_client.get("/no/such/page", headers=HTML).headers


def test_the_site_scripts_are_the_sites_own():
    # A page's own behaviour is in static/js (CSP allows no inline script); the templates
    # hold data blocks only.
    templates = ROOT / "src" / "innovgraph" / "web" / "templates"
    for template in templates.glob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag or 'type="application/' in tag, (template.name, tag)


# -- the query page and the API page ---------------------------------------------------------

def test_the_query_page_offers_the_default_prefixes(web_client):
    from innovgraph.namespaces import DEFAULT_PREFIXES

    page = web_client.get("/sparql", headers=HTML).text
    config = re.search(r'<script type="application/json" id="sparql-config">(.*?)</script>',
                       page, re.S).group(1)
    assert json.loads(config)["prefixes"] == DEFAULT_PREFIXES
    for prefix, namespace in DEFAULT_PREFIXES.items():
        assert f"<td><code>{prefix}:</code></td><td class=\"iri\">{namespace}</td>" in page
    assert '<label for="query">Query</label>' in page and 'id="yasgui" hidden' in page


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_failed_query_keeps_its_text_in_the_form(web_client, method):
    text = "SELECT * WHERE { ?s ?p }"
    if method == "GET":
        response = web_client.get("/sparql", params={"query": text, "format": "html"}, headers=HTML)
    else:
        response = web_client.post("/sparql", data={"query": text, "format": "html"}, headers=HTML)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    form = re.search(r'<textarea name="query" id="query"[^>]*>(.*?)</textarea>', response.text, re.S)
    assert form and html.unescape(form.group(1)) == text
    error = re.search(r'<p class="error-line" id="query-error" role="alert">(.*?)</p>', response.text)
    machine = web_client.get("/sparql", params={"query": text},
                             headers={"Accept": "application/sparql-results+json"})
    assert machine.status_code == 400 and machine.json()["status"] == 400
    assert error and html.unescape(error.group(1)) == "Error 400: " + machine.json()["error"]
    assert "line 1, column" in error.group(1)


def test_a_failed_query_asked_in_another_format_is_the_error_page(web_client):
    response = web_client.get(BAD_QUERY.replace("format=html", "format=json"), headers=HTML)
    assert response.status_code == 400 and 'id="error-message"' in response.text
    assert "<textarea" not in response.text  # not the form: the client asked for JSON


def test_an_empty_query_from_the_form_is_the_form_again(web_client):
    response = web_client.get("/sparql", params={"query": " ", "format": "html"}, headers=HTML)
    assert response.status_code == 400 and 'id="query-error"' in response.text
    assert "is empty" in response.text


def test_the_api_page_for_browsers_and_the_index_for_others(web_client):
    page = web_client.get("/api", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="swagger-ui" data-openapi="/api/openapi.json"' in page.text
    assert page.headers["vary"] == "Accept"
    names = re.findall(r'<code>GET /api/queries/([a-z0-9-]+)</code>', page.text)
    assert names == [q["name"] for q in web_client.get("/api/queries").json()["queries"]]
    for accept in ("application/json", "*/*", None):
        answer = web_client.get("/api", headers={"Accept": accept} if accept else {})
        assert answer.headers["content-type"] == "application/json"
        assert answer.json() == {"queries": web_client("/api/queries"),
                                 "openapi": web_client("/api/openapi.json")}
    assert web_client.get("/api/openapi.json", headers=HTML).json()["openapi"] == "3.1.0"


def test_the_navbar_reaches_the_human_pages(web_client):
    page = web_client.get("/", headers=HTML).text
    nav = re.search(r'<nav aria-label="Site">(.*?)</nav>', page, re.S).group(1)
    links = re.findall(r'<a (?:class="brand" )?href="([^"]+)"', nav)
    assert links == ["/", "/survey", "/compare", "/ontology", "/vocab", "/sparql", "/api",
                     "/.well-known/void"]
    for link in links[:-1]:
        assert web_client.get(link, headers=HTML).headers["content-type"].startswith("text/html")
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page


# -- packaging and re-creating -----------------------------------------------------------------

def test_the_package_build_ships_the_static_files(tmp_path):
    # setuptools' build_py writes what a wheel holds: the package and its package data.
    source = tmp_path / "source"  # a copy, so that the build leaves the checkout as it was
    shutil.copytree(ROOT / "src", source / "src",
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", source / "pyproject.toml")
    shutil.copy2(ROOT / "README.md", source / "README.md")
    subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q",
                    "build_py", "-d", str(tmp_path / "lib")],
                   cwd=source, check=True, capture_output=True)
    built = tmp_path / "lib" / "innovgraph" / "web" / "static"
    for path in STATIC.rglob("*"):
        if path.is_file():
            copy = built / path.relative_to(STATIC)
            assert copy.is_file() and copy.read_bytes() == path.read_bytes(), path
    assert not (tmp_path / "lib" / "tests").exists()  # axe-core stays out


@pytest.mark.slow
def test_the_vendor_script_re_creates_the_committed_files():
    if shutil.which("npm") is None:
        pytest.skip("npm is missing (Debian: apt-get install npm)")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor-assets.py"), "--check"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0 and re.search(r"\b(ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|"
                                            r"ECONNRESET|ENETUNREACH)\b", result.stderr):
        pytest.skip("the npm registry cannot be reached: " + result.stderr.strip()[-300:])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "are what the lock file gives" in result.stdout
