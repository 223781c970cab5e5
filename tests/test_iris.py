import pytest
from rdflib import Literal, URIRef

from innovgraph.namespaces import ID, IG, IGSH, IGV, slugify
from innovgraph.terms import local_name, show


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Sociologist / Political Scientist", "sociologist-political-scientist"),  # docs/model.md
        ("Research & Development", "research-and-development"),
        ("Data-driven   decision making", "data-driven-decision-making"),
        ("Économie sociale", "economie-sociale"),
        ("São Paulo", "sao-paulo"),
        ("Łódź", "lodz"),
        ("Smart city—IoT", "smart-city-iot"),  # an em dash separates, it does not glue words
        ("(Other)", "other"),
        ("2020", "2020"),
        ("", ""),
    ],
)
def test_slugify(label, slug):
    assert slugify(label) == slug


def test_slugify_is_idempotent():
    slug = slugify("Sociologist / Political Scientist")
    assert slugify(slug) == slug


def test_namespaces_match_the_model():
    assert str(IG.City) == "https://w3id.org/innovgraph/ontology#City"
    assert str(IGV["policy-area"]) == "https://w3id.org/innovgraph/vocab/policy-area"
    assert str(ID["city/fictional-testville"]) == "https://w3id.org/innovgraph/id/city/fictional-testville"
    assert str(IGSH.CityShape) == "https://w3id.org/innovgraph/shapes#CityShape"


def test_shorten():
    # Printed names are valid SPARQL and Turtle: no '/' in a local name.
    assert show(ID["city/fictional-testville/response/2018"], turtle=True) == \
        "<https://w3id.org/innovgraph/id/city/fictional-testville/response/2018>"
    assert show(ID["city/fictional-testville"], turtle=True) == "city:fictional-testville"
    assert show(IGV["policy-area/fictional-housing"], turtle=True) == "area:fictional-housing"
    assert show(IGV["fictional-scheme/x"], turtle=True) == \
        "<https://w3id.org/innovgraph/vocab/fictional-scheme/x>"
    assert show(URIRef("http://www.w3.org/2004/02/skos/core#Concept"), turtle=True) == "skos:Concept"
    assert show(Literal("Testville"), turtle=True) == '"Testville"'
    assert show(Literal(-5), turtle=True) == "-5"


def test_local_name():
    assert local_name(IGSH["CityShape-name"]) == "CityShape-name"
    assert local_name(ID["city/fictional-testville"]) == "fictional-testville"
