"""Every page kind in headless Chromium: axe-core, the keyboard, and no request to another host.

Each kind of page of tests/support/pages.py is loaded from the live server (`web`, the shipped
data) over the DevTools protocol (tests/support/browser.py), brought to the state its entry
says (YASGUI with results shown, an operation of Swagger UI run), and then:

- axe-core 4 (vendored in tests/vendor/axe-core/ by scripts/vendor-assets.py) reports no
  violation of impact serious or critical (every violation, whatever its impact, is written to
  test-artefacts/axe-<kind>.json for reading);
- every request the page made went to the server itself, and no script failed;
- a screenshot is saved as test-artefacts/<kind>.png;
- from the keyboard alone: the skip link is the first stop and moves focus to the content,
  every control is reached by Tab with a visible focus indicator (in the SPARQL editor, which
  keeps Tab for indentation, Esc and then Tab leave it), and the main actions work by keys.
"""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode

import pytest

from support.browser import Browser, Page, require_chromium
from support.pages import PAGE_KINDS, PageKind
from support.webserver import ROOT

pytestmark = pytest.mark.slow

ARTEFACTS = ROOT / "test-artefacts"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
BY_KIND = {p.kind: p for p in PAGE_KINDS}

# A control, described so that one re-drawn by a script (DataTables re-creates its paging
# buttons) is still the same control: tag, id, first class, href, name and text.
KEY = """(el => [el.tagName.toLowerCase(), el.id, (typeof el.className === 'string' ?
    el.className.split(' ')[0] : ''), el.getAttribute('href') || '',
    (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 60)
  ].join('|'))"""
# Every element that should be reachable by Tab: focusable, enabled, not taken out of the
# order (tabindex -1), and rendered.
FOCUSABLE = """(() => {
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, ' +
                   'summary, iframe, [tabindex], [contenteditable=""], [contenteditable=true]';
  return [...document.querySelectorAll(selector)].filter(el =>
    !el.disabled && el.tabIndex >= 0 && !el.closest('[inert]') && el.getClientRects().length &&
    getComputedStyle(el).visibility !== 'hidden').map(%s);
})()""" % KEY
# What has the focus: its key, whether it is the SPARQL editor, and whether a focus indicator
# is drawn (an outline or a box shadow; for the editor, on its frame).
FOCUSED = """(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  // The SPARQL editor's textarea is hidden: its frame shows the focus.
  const editor = el.tagName === 'TEXTAREA' ? el.closest('.CodeMirror') : null;
  const drawn = editor ? getComputedStyle(editor).boxShadow !== 'none' :
                (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
                style.boxShadow !== 'none';
  return {key: (%s)(el), editor: !!editor, drawn: !!drawn};
})()""" % KEY


@pytest.fixture(scope="module")
def browser():
    chromium = Browser(require_chromium())
    yield chromium
    chromium.close()


def load(browser: Browser, web, page: PageKind) -> Page:
    tab = browser.open(web(page.path), scripts=page.scripts)
    if not page.scripts:  # the vendored scripts did not run
        assert tab.evaluate("typeof Yasgui === 'undefined' && typeof SwaggerUIBundle === 'undefined'")
    if page.ready:
        tab.wait_for(f"Boolean({page.ready})")
    if page.action:
        assert tab.evaluate(page.action, await_promise=True), f"{page.kind}: {page.action}"
    tab.settle()
    return tab


def document_status(tab: Page) -> int:
    return next(e["response"]["status"] for e in tab.events("Network.responseReceived")
                if e.get("type") == "Document")


def axe(tab: Page) -> list[dict]:
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    return tab.evaluate("""axe.run(document, {resultTypes: ['violations']}).then(r =>
        r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                                          html: n.html.slice(0, 200),
                                                          summary: n.failureSummary}))})))""",
                        await_promise=True)


@pytest.mark.parametrize("page", PAGE_KINDS, ids=lambda p: p.kind)
def test_page_kind_in_chromium(browser, web, page):
    tab = load(browser, web, page)
    try:
        assert document_status(tab) == page.status
        shot = tab.screenshot(ARTEFACTS / f"{page.kind}.png")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5_000

        violations = axe(tab)
        (ARTEFACTS / f"axe-{page.kind}.json").write_text(json.dumps(violations, indent=1))
        blocking = [f"{v['impact']} {v['id']} ({v['help']}): " +
                    "; ".join(n["target"] for n in v["nodes"][:5])
                    for v in violations if v["impact"] in BLOCKING]
        assert blocking == [], "\n".join(blocking)

        assert tab.foreign_requests(web.url) == []
        assert len(tab.requests()) >= 1
        own_status = f"status of {page.status}"
        errors = [e for e in tab.errors() if not (page.status != 200 and own_status in e)]
        assert errors == []
    finally:
        tab.close()


@pytest.mark.parametrize("page", PAGE_KINDS, ids=lambda p: p.kind)
def test_every_control_is_reached_by_the_keyboard(browser, web, page):
    tab = load(browser, web, page)
    try:
        controls = tab.evaluate(FOCUSABLE)
        assert controls, "no control on the page"
        tab.evaluate("document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0)")
        reached: list[str] = []
        invisible: list[str] = []
        for _ in range(3 * len(controls) + 20):
            tab.tab()
            now = tab.evaluate(FOCUSED)
            if now is None or reached and now["key"] == reached[0]:
                break  # past the last control, or round to the first again
            if now["editor"]:
                before = tab.evaluate("innovgraphYasgui.getTab().getQuery()")
                tab.press("Escape", "Escape", 27)  # leave the editor; the next Tab moves on
                assert tab.evaluate("innovgraphYasgui.getTab().getQuery()") == before
            if not now["drawn"]:
                invisible.append(now["key"])
            reached.append(now["key"])
        assert reached and reached[0].startswith("a||skip-link|#main|"), reached[:1]
        missed = sorted(set(tab.evaluate(FOCUSABLE)) - set(reached))
        assert missed == [], f"{len(missed)} of {len(controls)} controls never reached: {missed[:10]}"
        assert invisible == [], f"no visible focus indicator on: {invisible[:10]}"
    finally:
        tab.close()


def test_the_skip_link_moves_focus_to_the_content(browser, web):
    tab = load(browser, web, BY_KIND["city"])
    try:
        tab.tab()
        assert tab.evaluate("document.activeElement.className") == "skip-link"
        assert tab.evaluate("document.activeElement.getBoundingClientRect().top >= 0")  # shown
        tab.press("Enter", "Enter", 13, text="\r")
        tab.settle(0.2)
        assert tab.evaluate("document.activeElement.id") == "main"
    finally:
        tab.close()


def _tab_to(tab: Page, test: str, limit: int = 200) -> None:
    for _ in range(limit):
        tab.tab()
        if tab.evaluate(f"(el => !!(el && ({test})))(document.activeElement)"):
            return
    raise AssertionError(f"never reached by Tab: {test}")


def test_a_query_runs_from_the_keyboard(browser, web):
    tab = load(browser, web, PageKind("query", "/sparql", ready=BY_KIND["query"].ready))
    try:
        assert tab.evaluate("document.querySelectorAll('.yasr table tbody tr').length") == 0
        _tab_to(tab, "el.closest('.CodeMirror')")
        tab.press("Enter", "Enter", 13, modifiers=2)  # Ctrl+Enter
        rows = tab.wait_for("document.querySelectorAll('.yasr table tbody tr').length")
        query = tab.evaluate("innovgraphYasgui.getTab().getQuery()")
        with urllib.request.urlopen(web("/sparql?" + urlencode({"query": query}))) as answer:
            expected = len(json.load(answer)["results"]["bindings"])
        assert expected > 10 and rows == min(50, expected)  # YASR shows 50 rows to a page
    finally:
        tab.close()


def test_a_query_error_keeps_the_query_and_shows_the_servers_line(browser, web):
    tab = load(browser, web, BY_KIND["query"])
    try:
        text = "SELECT * WHERE { ?s ?p }"
        tab.evaluate(f"void innovgraphYasgui.getTab().setQuery({json.dumps(text)})")
        tab.evaluate("innovgraphYasgui.getTab().getYasqe().query().catch(() => null)", await_promise=True)
        line = tab.wait_for("(e => e && e.textContent)(document.querySelector('.yasr .error-line'))")
        assert line.startswith("Error 400: ") and "line 1, column" in line
        assert '"error"' not in line  # the message, not the JSON it came in
        assert tab.evaluate("innovgraphYasgui.getTab().getQuery()") == text
    finally:
        tab.close()


def test_an_operation_opens_from_the_keyboard(browser, web):
    tab = load(browser, web, PageKind("api", "/api", ready=BY_KIND["api"].ready))
    try:
        _tab_to(tab, "el.classList.contains('opblock-summary-control')")
        tab.press("Enter", "Enter", 13, text="\r")
        assert tab.wait_for("document.querySelectorAll('.opblock.is-open').length") == 1
    finally:
        tab.close()
