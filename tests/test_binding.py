"""Parameters bound into query text for remote stores: escaped terms in a VALUES block.

The embedded pyoxigraph store runs both forms, so every case checks that the text form gives
exactly the rows that pyoxigraph's own substitution gives.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal as RdfLiteral, URIRef

from innovgraph import Project
from innovgraph.remote.binding import bind_into_text, query_form, sparql_term, where_group_offset
from innovgraph.catalogue import Catalogue
from innovgraph.errors import ParameterError, QuerySyntaxError
from innovgraph.store import open_store

EX = "http://example.org/"
P = ox.NamedNode(EX + "p")
EVIL_VALUES = [
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    '"""\n} ; DROP ALL ; #',
    "line one\nline two\r\nline three\ttabbed",
    "back\\slash \\\\ double \\\" quote-after-backslash \\",
    "\\u0022 not a quote, \\U0001F600 not an emoji",
    "Łódź — São Paulo — 東京 — 😀",
    "nul \x00 bell \x07 del \x7f",
    "",
]


@pytest.fixture(scope="module")
def evil_store() -> ox.Store:
    store = ox.Store()
    for i, value in enumerate(EVIL_VALUES):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), P, ox.Literal(value)))
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), P, ox.Literal(value, language="en-gb")))
    store.add(ox.Quad(ox.NamedNode(EX + "n"), P, ox.Literal("42", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))))
    return store


def rows(result) -> set[tuple]:
    return {tuple(str(s[v]) for v in result.variables) for s in result}


@pytest.mark.parametrize("value", EVIL_VALUES)
@pytest.mark.parametrize("language", [None, "en-gb"])
@pytest.mark.parametrize("form", ["bind", "values"])
def test_a_hostile_literal_arrives_as_exactly_that_value(evil_store, value, language, form):
    query = f"SELECT ?s ?v WHERE {{ ?s <{P.value}> ?v }}"
    term = ox.Literal(value, language=language) if language else ox.Literal(value)
    bound = bind_into_text(query, {ox.Variable("v"): term}, form=form)
    text_rows = rows(evil_store.query(bound))
    assert text_rows == rows(evil_store.query(query, substitutions={ox.Variable("v"): term}))
    assert len(text_rows) == 1
    (subject, got), = text_rows
    assert subject == f"<{EX}s{EVIL_VALUES.index(value)}>"
    assert got == str(term)
    # The store still holds everything: nothing in the value ran as an update.
    assert len(evil_store) == 2 * len(EVIL_VALUES) + 1


def test_an_iri_with_a_closing_bracket_is_rejected_not_escaped():
    evil = "http://example.org/x> } ; DROP ALL ; #"
    with pytest.raises(ParameterError, match=r"Not a valid IRI: .*contains '>'"):
        bind_into_text("SELECT ?x WHERE { ?x ?p ?o }", {ox.Variable("x"): URIRef(evil)})
    with pytest.raises(ValueError):  # pyoxigraph refuses to build such a term at all
        ox.NamedNode(evil)
    for bad in ("http://example.org/a b", 'http://e.org/"', "http://e.org/{x}", "no-scheme",
                "http://e.org/\\u003E"):
        with pytest.raises(ParameterError):
            sparql_term(URIRef(bad))


def test_terms_are_written_in_ntriples_syntax():
    assert sparql_term(ox.NamedNode("https://w3id.org/innovgraph/id/city/moscow-rus")) == \
        "<https://w3id.org/innovgraph/id/city/moscow-rus>"
    assert sparql_term(ox.Literal('a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'
    assert sparql_term(ox.Literal("x\x01")) == '"x\\u0001"'
    assert sparql_term(ox.Literal("true", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#boolean"))) == \
        '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    assert sparql_term(RdfLiteral("Moskva", lang="ru")) == '"Moskva"@ru'
    with pytest.raises(ParameterError, match="only IRIs and literals"):
        sparql_term(ox.BlankNode("b1"))
    forged = RdfLiteral("x", lang="en")
    forged._language = "en } ; DROP ALL"  # both libraries refuse to build this; forge it
    with pytest.raises(ParameterError, match="language tag"):
        sparql_term(forged)


def test_bad_variable_names_are_rejected():
    with pytest.raises(ParameterError, match="variable name"):
        bind_into_text("SELECT * WHERE { ?s ?p ?o }", {"x) { } DROP ALL #": ox.Literal("1")})


@pytest.mark.parametrize("query, marker", [
    ("SELECT ?s WHERE { ?s ?p ?o }", "{ ?s ?p"),
    ("select ?s { ?s ?p ?o }", "{ ?s ?p"),
    ("ASK { ?s ?p ?o }", "{ ?s ?p"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . }", "{ ?s ?p ?o . }"),
    ("CONSTRUCT WHERE { ?s ?p ?o . }", "{ ?s ?p ?o . }"),
    ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o . }", "{ ?s ?p ?o . }"),
    ("DESCRIBE ?s WHERE { ?s ?p ?o }", "{ ?s ?p"),
    ("PREFIX where: <http://e.org/where#> # WHERE { { not here\n"
     "SELECT (EXISTS { ?a ?b ?c } AS ?e) ?s FROM <http://e.org/g#WHERE> "
     "WHERE { ?s where:p \"} WHERE {\" }", "{ ?s where:p"),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "{ { SELECT"),
])
def test_the_values_block_opens_the_outermost_where_group(query, marker):
    offset = where_group_offset(query)
    assert query[offset - 1:].startswith(marker)


def test_queries_without_a_where_group_are_refused():
    with pytest.raises(QuerySyntaxError):
        where_group_offset("INSERT DATA { <a:b> <a:c> <a:d> }")
    with pytest.raises(QuerySyntaxError):
        bind_into_text("SELECT ?x", {ox.Variable("x"): ox.Literal("1")})


def test_query_form_skips_the_prologue_and_comments():
    assert query_form("# ASK\nPREFIX s: <http://x/select> SELECT * {}") == "SELECT"
    assert query_form("BASE <http://x/> DESCRIBE <a>") == "DESCRIBE"
    assert query_form("INSERT DATA {}") is None


def _examples(query) -> list[dict]:
    required = [p for p in query.params if p.required]
    return [dict(e) for e in query.examples] or ([] if required else [{}])


@pytest.mark.parametrize("form", ["bind", "values"])
def test_every_saved_query_gives_the_same_rows_bound_as_text_as_by_substitution(form):
    project = Project()  # the shipped graph and queries
    store = open_store(project, in_memory=True)
    ran = 0
    for query in Catalogue(project).list():
        for params in _examples(query):
            substitutions = query.bind(params)
            expected = store.query(query.text, substitutions=substitutions)
            got = store.query(bind_into_text(query.text, substitutions, form=form))
            assert expected.kind == got.kind, query.name
            assert sorted(map(repr, expected.rows)) == sorted(map(repr, got.rows)), (query.name, params)
            ran += 1
    assert ran >= len(Catalogue(project).list())
