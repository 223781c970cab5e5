"""The saved-query catalogue: front-matter, parameter discovery, typed binding, errors."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from innovgraph import Catalogue, ParameterError, Project, QueryDefinitionError, UnknownQueryError

XSD = "http://www.w3.org/2001/XMLSchema#"


def write(project: Project, name: str, text: str) -> None:
    project.query_dir.mkdir(exist_ok=True)
    (project.query_dir / f"{name}.rq").write_text(text, encoding="utf-8")


TYPED = """#+ summary: Every parameter type.
#+ tags: [test]
#+ params:
#+   thing: {type: iri, description: A thing.}
#+   n: {type: integer, default: 3}
#+   share: {type: decimal}
#+   flag: {type: boolean}
#+   label: {type: en}
#+   text: {description: Plain text.}
SELECT ?_thing_iri ?__n_integer ?__share_decimal ?__flag_boolean ?__label_en ?__text_literal
WHERE { ?_thing_iri ?p ?o }
"""


@pytest.fixture
def typed(project):
    write(project, "typed", TYPED)
    return Catalogue(project).get("typed")


def test_shipped_catalogue_has_documented_queries():
    queries = Catalogue(Project()).list()
    assert len(queries) >= 15
    assert all(q.summary and q.description for q in queries)
    assert all(p.description for q in queries for p in q.params)


def test_parameters_come_from_basil_variable_names(typed):
    assert [(p.name, p.variable, p.type, p.required, p.default) for p in typed.params] == [
        ("thing", "_thing_iri", "iri", True, None),
        ("n", "__n_integer", "integer", False, "3"),
        ("share", "__share_decimal", "decimal", False, None),
        ("flag", "__flag_boolean", "boolean", False, None),
        ("label", "__label_en", "en", False, None),
        ("text", "__text_literal", "literal", False, None),
    ]
    assert typed.tags == ("test",) and typed.summary == "Every parameter type."


def test_bind_builds_typed_terms(typed):
    bound = typed.bind({"thing": "id:city/fictional-x", "share": "1.50", "flag": "TRUE",
                        "label": "Hello", "text": '" } ; DROP ALL ; #'})
    assert bound == {
        ox.Variable("_thing_iri"): ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-x"),
        ox.Variable("__n_integer"): ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
        ox.Variable("__share_decimal"): ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Variable("__flag_boolean"): ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
        ox.Variable("__label_en"): ox.Literal("Hello", language="en"),
        ox.Variable("__text_literal"): ox.Literal('" } ; DROP ALL ; #'),
    }


def test_optional_parameters_without_default_stay_unbound(typed):
    bound = typed.bind({"thing": "<http://example.org/fictional>"})
    assert set(bound) == {ox.Variable("_thing_iri"), ox.Variable("__n_integer")}
    assert bound[ox.Variable("_thing_iri")] == ox.NamedNode("http://example.org/fictional")


@pytest.mark.parametrize("params,message", [
    ({}, "Missing parameter 'thing' (an IRI) for query typed."),
    ({"thing": "igv:x", "n": "three"}, "Parameter 'n' must be an integer, got 'three'."),
    ({"thing": "igv:x", "share": "1,5"}, "Parameter 'share' must be a decimal number, got '1,5'."),
    ({"thing": "igv:x", "flag": "yes"}, "Parameter 'flag' must be true or false, got 'yes'."),
    ({"thing": "not an iri"}, "Parameter 'thing' must be an IRI, got 'not an iri'."),
    ({"thing": 'http://x/> } ; DROP ALL ; #'},
     "Parameter 'thing' must be an IRI, got 'http://x/> } ; DROP ALL ; #'."),
    ({"thing": "igv:x", "colour": "red"},
     "Unknown parameter 'colour' for query typed; it takes: thing, n, share, flag, label, text."),
])
def test_bind_errors_name_the_parameter_and_type(typed, params, message):
    with pytest.raises(ParameterError) as err:
        typed.bind(params)
    assert str(err.value) == message


def test_unknown_query_suggests_close_names():
    with pytest.raises(UnknownQueryError) as err:
        Catalogue(Project()).get("citys")
    assert str(err.value) == ("No saved query named 'citys'. Did you mean cities or city-map or "
                              "city-graph? Run `innovgraph queries` for the list.")


def test_unknown_query_without_close_names(project):
    with pytest.raises(UnknownQueryError) as err:
        Catalogue(project).get("zzz")
    assert str(err.value) == "No saved query named 'zzz'. Run `innovgraph queries` for the list."


@pytest.mark.parametrize("text,message", [
    ("#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }\n", "broken.rq: invalid front-matter YAML: "),
    ("SELECT * WHERE { ?s ?p ?o }\n", "broken.rq: the front-matter needs a 'summary:' line."),
    ("#+ summary: x\nSELECT ?_a_iri WHERE { ?_a_iri ?p ?o }\n",
     "broken.rq: parameter 'a' (?_a_iri) is not described under 'params:'."),
    ("#+ summary: x\n#+ params:\n#+   a: {type: integer}\nSELECT ?_a_iri WHERE { ?_a_iri ?p ?o }\n",
     "broken.rq: parameter 'a' is declared as 'integer' but its variable says 'iri'."),
    ("#+ summary: x\n#+ params:\n#+   b: {type: iri}\nSELECT * WHERE { ?s ?p ?o }\n",
     "broken.rq: 'params:' describes b, which the query does not use."),
])
def test_bad_front_matter_is_a_hard_error_naming_the_file(project, text, message):
    write(project, "broken", text)
    with pytest.raises(QueryDefinitionError) as err:
        Catalogue(project).list()
    assert str(err.value).startswith(message)
