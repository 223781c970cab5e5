"""Every kind of page the site has, on the shipped data: one line each.

tests/test_web_accessibility.py loads each in headless Chromium (axe-core, keyboard, requests,
a screenshot in test-artefacts/<kind>.png) and tests/test_web_assets.py checks the HTML of
each in-process (only same-origin assets). A new kind of page is one more line here.

`ready` is a script expression that is truthy once the page has finished drawing (what its
scripts build); `action` is a script run after that, before the checks (it may return a
promise), to bring the page to the state that is checked, such as results shown.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageKind:
    kind: str
    path: str
    status: int = 200
    ready: str | None = None
    action: str | None = None
    scripts: bool = True  # False: the page as a browser without JavaScript shows it


YASGUI_READY = "window.innovgraphYasgui && document.querySelector('#yasgui .CodeMirror')"
RUN_QUERY = ("innovgraphYasgui.getTab().getYasqe().query()"
             ".then(() => document.querySelectorAll('.yasr table tbody tr').length)")
SWAGGER_READY = "document.querySelector('#swagger-ui[data-ready] .opblock')"
OPEN_OPERATION = ("(async () => { document.querySelector('.opblock-summary-control').click();"
                  " await new Promise(r => setTimeout(r, 500));"
                  " document.querySelector('.try-out__btn').click();"
                  " await new Promise(r => setTimeout(r, 300));"
                  " document.querySelector('.btn.execute').click();"
                  " for (let i = 0; i < 50 && !document.querySelector('.live-responses-table'); i++)"
                  "   await new Promise(r => setTimeout(r, 100));"
                  " return !!document.querySelector('.live-responses-table'); })()")
BAD_QUERY = "/sparql?format=html&query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%7D"

PAGE_KINDS = [
    PageKind("home", "/", ready="document.documentElement.classList.contains('js')"),
    PageKind("home-filtered", "/?colour=edition&region=Europe&question=funding&answer=unknown"),
    PageKind("home-no-script", "/", scripts=False),
    PageKind("search", "/search?q=park"),
    PageKind("city", "/id/city/moscow-rus"),
    PageKind("person", "/id/person/alexei-fursin"),
    PageKind("program", "/id/city/moscow-rus/program/profliner"),
    PageKind("organisation", "/id/city/moscow-rus/org/moscow-innovation-cluster"),
    PageKind("concept", "/vocab/goal/improve-service-delivery"),
    PageKind("scheme", "/vocab/goal"),
    PageKind("vocabularies", "/vocab"),
    PageKind("ontology", "/ontology"),
    PageKind("query", "/sparql", ready=YASGUI_READY, action=RUN_QUERY),
    PageKind("query-example", "/sparql?example=mayors-and-innovation-officers", ready=YASGUI_READY),
    PageKind("query-results", "/sparql?format=html&query=SELECT%20*%20%7B%20%3Fs%20a%20ig%3ACity%20%7D%20LIMIT%205",
             ready=YASGUI_READY),
    PageKind("query-error", BAD_QUERY, status=400, ready=YASGUI_READY),
    PageKind("query-no-script", BAD_QUERY, status=400, scripts=False),
    PageKind("api", "/api", ready=SWAGGER_READY, action=OPEN_OPERATION),
    PageKind("api-no-script", "/api", scripts=False),
    PageKind("error", "/id/city/atlantis", status=404),
    PageKind("city-profile", "/id/city/seoul-kor"),
    PageKind("compare", "/compare?city=seoul-kor&city=busan-kor"),
    PageKind("compare-form", "/compare"),
    PageKind("compare-error", "/compare?city=seoul-kor", status=400),
    PageKind("survey", "/survey"),
]
