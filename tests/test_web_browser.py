"""The HTML pages in a real browser: Debian's Chromium, headless, against the live server.

Screenshots of a city page and of the query page are kept in test-artefacts/ (gitignored).
Chromium runs here as a command (--dump-dom, --screenshot); tests/test_web_accessibility.py
drives it over the DevTools protocol (tests/support/browser.py) for axe-core and the keyboard.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from support.browser import Browser, require_chromium
from support.webserver import ROOT

pytestmark = pytest.mark.slow

ARTEFACTS = ROOT / "test-artefacts"


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


def run_chromium(chromium: str, *args: str) -> subprocess.CompletedProcess:
    # As root Chromium needs --no-sandbox; the networking flags keep it off the (closed) network.
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        return subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, check=False)


def dump_dom(chromium: str, url: str) -> str:
    result = run_chromium(chromium, "--dump-dom", url)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(chromium: str, url: str, name: str) -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    target = ARTEFACTS / name
    target.unlink(missing_ok=True)
    result = run_chromium(chromium, f"--screenshot={target}", "--window-size=1280,2000", url)
    assert result.returncode == 0, result.stderr[-2000:]
    return target


def test_city_page_in_chromium(web, chromium):
    dom = dump_dom(chromium, web("/id/city/moscow-rus"))
    assert "<h1 id=\"title\">Moscow</h1>" in dom
    for text in ("Mayor of Moscow", "Sergey Semyonovich Sobyanin",
                 "Lead Innovation Officer of Moscow", "Alexei Fursin",
                 "Integrated Medical Information and Analytical System", "Profliner",
                 "Moscow Innovation Cluster", "Moscow's response, 2020 survey"):
        assert text in dom, text
    shot = screenshot(chromium, web("/id/city/moscow-rus"), "city-moscow-rus.png")
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_query_page_in_chromium(web, chromium):
    dom = dump_dom(chromium, web("/sparql"))
    assert 'id="query-form"' in dom and "<textarea" in dom
    assert "mayors-and-innovation-officers" in dom  # the saved queries as examples
    # With JavaScript YASGUI replaces the form (which stays in the page, hidden).
    assert 'id="query-form" hidden' in dom and 'class="CodeMirror' in dom
    assert '<div id="yasgui">' in dom


def test_query_page_without_javascript_is_the_form(web, chromium):
    browser = Browser(chromium)  # (--dump-dom prints nothing when scripts are off)
    try:
        tab = browser.open(web("/sparql?example=cities"), scripts=False)
        dom = tab.evaluate("document.documentElement.outerHTML")
    finally:
        browser.close()
    assert '<form method="get" action="/sparql" id="query-form">' in dom  # shown
    assert '<div id="yasgui" hidden' in dom and "CodeMirror" not in dom
    assert "<textarea" in dom and "ig:City" in dom  # the example, in the form
    shot = screenshot(chromium, web("/sparql?example=mayors-and-innovation-officers"), "query-page.png")
    assert shot.stat().st_size > 10_000


def test_query_results_page_in_chromium(web, chromium):
    url = web("/sparql?format=html&query=" + "PREFIX%20schema%3A%20%3Chttps%3A%2F%2Fschema.org%2F%3E%20"
              "SELECT%20%3Fname%20WHERE%20%7B%20%3Chttps%3A%2F%2Fw3id.org%2Finnovgraph%2Fid%2Fcity%2Fmoscow-rus%3E"
              "%20schema%3Aname%20%3Fname%20%7D")
    dom = dump_dom(chromium, url)
    assert "<td>Moscow</td>" in dom and "1 row" in dom


def test_ontology_and_vocabulary_pages_in_chromium(web, chromium):
    ontology = dump_dom(chromium, web("/ontology"))
    assert 'id="City"' in ontology and "Object properties" in ontology
    vocabulary = dump_dom(chromium, web("/vocab/goal"))
    assert "Improve service delivery" in vocabulary
