"""The one SPARQL lexer (innovgraph.lexer) and the checks built on it (innovgraph.store.checks),
held against what pyoxigraph 0.5.13 really does with the same text.

Every hostile query here is first shown to be real: run with federation allowed, pyoxigraph
connects to a loopback listener. Then the checks must refuse it, and with them in place the
listener must see nothing.
"""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

from innovgraph.errors import FederationRefusedError, QuerySyntaxError, QueryTooDeepError
from innovgraph.lexer import decode_escapes, keywords, nesting_depth, tokens, views
from innovgraph.store import GraphStore
from innovgraph.store.checks import check_depth, network_keywords
from support.listener import Listener

NET = {"SERVICE", "LOAD"}
CR = "\r"


def _bypasses(url: str) -> dict[str, str]:
    """Queries that name SERVICE in a way a naive lexer misses, each run by pyoxigraph."""
    service = f"SERVICE <{url}> {{ ?s ?p ?o }}"
    return {
        # A comment ends at CR for the engine; a lexer ending it at LF only hides the rest.
        "comment ended by CR": f"SELECT * WHERE {{ # x{CR}{service} }}",
        # Escaped quotes stay inside their strings for the engine; decoded first, they close them.
        "escaped quotes": f'SELECT * WHERE {{ BIND("\\u0022" AS ?a) {service} BIND("\\u0022" AS ?b) }}',
        "escaped backslashes": f'SELECT * WHERE {{ BIND("a\\u005C" AS ?a) {service} BIND("\\u005C" AS ?b) }}',
        "escaped apostrophes": f"SELECT * WHERE {{ BIND('''\\u0027''' AS ?a) {service} BIND('\\u0027' AS ?b) }}",
        # After an operand, "<" is less-than: "<'>" is not an IRI, "'>'" is a string.
        "less-than before a string": f"SELECT * WHERE {{ BIND(1 AS ?o) FILTER(?o<'>' || true) {service} FILTER(?o<'x' || true) }}",
        "less-than before a comment": f"SELECT * WHERE {{ BIND(1 AS ?o) FILTER(?o<#>\n2) {service} }}",
        "in a sub-select's projection": (f"SELECT * WHERE {{ {{ SELECT ?o (?o<'>' AS ?x) WHERE "
                                         f"{{ BIND(1 AS ?o) }} }} {service} {{ SELECT ?o (?o<'x' AS ?y) "
                                         f"WHERE {{ BIND(1 AS ?o) }} }} }}"),
        "lower case, no spaces": f"select*{{service<{url}>{{?s?p?o}}}}",
        "after a filter, no space": f"SELECT * WHERE {{ BIND(1 AS ?o) FILTER(?o=1){service} }}",
    }


def _fetches(query: str) -> int:
    """How many connections pyoxigraph makes for `query` when nothing stops it."""
    with Listener() as ear:
        text = query.replace("http://127.0.0.1:9/", ear.url)
        try:
            list(ox.Store().query(text))
        except OSError:
            pass  # the listener hangs up: the fetch failed, but it happened
        return len(ear.settle(0.1))


BYPASSES = _bypasses("http://127.0.0.1:9/")


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_each_hostile_query_really_makes_the_engine_fetch(name):
    assert _fetches(BYPASSES[name]) == 1


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_the_lexer_finds_service_where_the_engine_does(name):
    assert keywords(BYPASSES[name], NET) == {"SERVICE"}
    assert network_keywords(BYPASSES[name]) == {"SERVICE"}


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_the_store_refuses_them_and_nothing_is_fetched(name):
    store = GraphStore(ox.Store())
    with Listener() as ear:
        with pytest.raises(FederationRefusedError, match="SERVICE"):
            store.query(BYPASSES[name].replace("http://127.0.0.1:9/", ear.url))
        assert ear.settle(0.1) == []


def test_the_naive_reading_missed_them():
    # What the lexer read before: escapes decoded everywhere, comments ended at LF, every
    # <...> an IRI. It misses most of the hostile queries, which is why they are here.
    naive = [name for name, query in BYPASSES.items()
             if "SERVICE" not in {t.text.upper() for t in tokens(decode_escapes(query).replace(CR, " "),
                                                                contextual=False)
                                  if t.kind == "word"}]
    assert len(naive) >= 5


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/> { }" AS ?x) } # SERVICE',
    "SELECT ?x WHERE { BIND('load <http://127.0.0.1:9/>' AS ?x) }",
    "PREFIX service: <https://example.org/service/> SELECT ?service WHERE { ?service a service:Load }",
    "SELECT * WHERE { ?s <https://schema.org/Service> ?load . ?s ?p \"\"\"SERVICE\nLOAD\"\"\" }",
    "SELECT ?download ?serviceLevel WHERE { ?download ?serviceLevel 1 }",
    'SELECT * WHERE { ?s ?p "x"@en-service }',
])
def test_the_words_in_strings_iris_names_and_comments_are_not_keywords(query):
    assert network_keywords(query) == set()
    GraphStore(ox.Store()).query(query)  # runs


def test_the_grammar_view_decodes_escapes_everywhere():
    query = r"SELECT * WHERE { SERVIC\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert [len(v) > 0 for v in views(query)] == [True, True, True]
    assert keywords(query, NET) == {"SERVICE"}
    with pytest.raises(SyntaxError):  # pyoxigraph itself does not decode it
        ox.Store().query(query)


def test_less_than_and_iris_are_told_apart_as_the_engine_does():
    kinds = [(t.kind, t.text) for t in tokens("SELECT * { ?s <urn:p> ?o FILTER(?o<'>') "
                                                "FILTER(?o = <urn:x>) VALUES (?a ?b) { (<urn:a#b> <urn:c#d>) } }")]
    assert ("iri", "<urn:p>") in kinds and ("punct", "<") in kinds and ("string", "'>'") in kinds
    assert ("iri", "<urn:x>") in kinds and ("iri", "<urn:a#b>") in kinds and ("iri", "<urn:c#d>") in kinds


# -- updates ---------------------------------------------------------------------------------

def test_load_in_an_update_is_refused_without_a_fetch():
    store = GraphStore(ox.Store())
    with Listener() as ear:
        for update in (f"LOAD <{ear.url}>",
                       f"PREFIX ex: <urn:x:> INSERT DATA {{ ex:a ex:b ex:c }} ; # x{CR}LOAD <{ear.url}>",
                       f'INSERT DATA {{ <urn:a> <urn:b> "\\u0022" }} ; LOAD <{ear.url}> ; '
                       f'INSERT DATA {{ <urn:a> <urn:b> "\\u0022" }}'):
            with pytest.raises(FederationRefusedError, match="LOAD"):
                store.update(update)
        assert ear.settle(0.1) == []
    assert len(store.engine) == 0


def test_an_update_that_mentions_load_in_data_runs_once():
    store = GraphStore(ox.Store())
    store.update('PREFIX ex: <urn:x:> INSERT DATA { ex:download ex:p "LOAD <http://127.0.0.1:9/>" }')
    assert len(store.engine) == 1  # the probe ran nothing: the update ran once, for real


def test_an_update_syntax_error_keeps_its_position():
    # The probe operation inserted after the prologue does not move the engine's position.
    update = "PREFIX ex: <urn:x:> INSERT DATA { ex:a ex:b } # load"
    with pytest.raises(SyntaxError, match="error at 1:45:"):
        ox.Store().update(update)
    with pytest.raises(QuerySyntaxError, match="line 1, column 45:"):
        GraphStore(ox.Store()).update(update)


# -- nesting ---------------------------------------------------------------------------------

def test_pyoxigraph_dies_on_deep_nesting_without_the_check():
    # The engine fact behind the limit: 5,000 levels kill the process (no Python exception).
    code = "import pyoxigraph as ox; ox.Store().query('ASK { ' + '{ ' * 5000 + '}' * 5000 + ' }')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode < 0 or done.returncode > 128


@pytest.mark.parametrize("query", [
    "ASK { " + "{ " * 5000 + "}" * 5000 + " }",
    "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "ASK { ?s ?p " + "[ ?p " * 5000 + "?o" + " ]" * 5000 + " }",
])
def test_deep_nesting_is_refused_before_the_engine_parses(query):
    # Were it not refused first, pyoxigraph would kill this test process.
    with pytest.raises(QueryTooDeepError, match="the limit is 128"):
        GraphStore(ox.Store()).query(query)


def test_nesting_hidden_from_a_naive_lexer_is_still_counted():
    # "'>'" is a string for the engine; a lexer taking <'> for an IRI would see the parentheses
    # as inside the string '... and count nothing.
    deep = "(" * 300 + "1" + ")" * 300
    query = f"ASK {{ BIND(1 AS ?o) FILTER(?o<'>' || {deep}) FILTER(?o<'x') }}"
    assert nesting_depth(query) >= 300
    with pytest.raises(QueryTooDeepError):
        check_depth(query)


def test_nesting_in_strings_and_comments_does_not_count():
    assert nesting_depth("ASK { ?s ?p '((((((((' . ?s ?p \"\"\"{{{{{{\"\"\" } # [[[[[[[[") == 1


def test_the_limit_is_configurable(monkeypatch):
    query = "ASK { " + "{ " * 20 + "}" * 20 + " }"
    store = GraphStore(ox.Store())
    assert store.query(query).boolean is True
    monkeypatch.setenv("INNOVGRAPH_MAX_QUERY_DEPTH", "10")
    with pytest.raises(QueryTooDeepError, match="limit is 10"):
        store.query(query)
    store.max_query_depth = 30
    assert store.query(query).boolean is True
