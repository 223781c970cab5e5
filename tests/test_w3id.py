"""IRIs that resolve (issue 20): the server answers the ontology's version IRI
(`/ontology/<date>`, in every format `/ontology` has), and every redirect of the w3id
configuration (docs/w3id/.htaccess) lands on a page the server answers.

The version date is read from the ontology's text; the rules are read from the .htaccess
and applied with Python's re, as Apache's mod_rewrite would apply them (RewriteBase
/innovgraph/: the pattern sees the path after it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

ROOT = Path(__file__).resolve().parents[1]
HTACCESS = ROOT / "docs" / "w3id" / ".htaccess"
PLACEHOLDER = "https://innovgraph.example.org"
VERSION = re.search(r"owl:versionIRI <https://w3id\.org/innovgraph/ontology/([0-9-]+)>",
                    (ROOT / "ontology" / "innovgraph.ttl").read_text()).group(1)
ONTOLOGY = URIRef("https://w3id.org/innovgraph/ontology")


def _rules() -> list[tuple[re.Pattern, str]]:
    rules = []
    for line in HTACCESS.read_text().splitlines():
        if line.startswith("RewriteRule "):
            _, pattern, target, flags = line.split()
            assert flags == "[R=303,L]", line
            rules.append((re.compile(pattern), target))
    return rules


def _targets(path: str) -> set[str]:
    """Every target a rule for `path` can send a client to (whatever its Accept)."""
    out = set()
    for pattern, target in _rules():
        match = pattern.match(path)
        if match:
            out.add(re.sub(r"\$(\d)", lambda m: match.group(int(m.group(1))) or "", target))
    return out


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".rdf"])
def test_the_version_iri_answers_the_ontology(web_client, suffix):
    current = web_client.get(f"/ontology{suffix}")
    versioned = web_client.get(f"/ontology/{VERSION}{suffix}")
    assert current.status_code == versioned.status_code == 200
    assert versioned.headers["content-type"] == current.headers["content-type"]
    if suffix == ".ttl":
        graph = Graph().parse(data=versioned.text, format="turtle")
        assert graph.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY}/{VERSION}")
        assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
        assert isomorphic(graph, Graph().parse(data=current.text, format="turtle"))


def test_the_version_iri_negotiates_as_the_ontology_does(web_client):
    page = web_client.get(f"/ontology/{VERSION}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<title>innovgraph ontology" in page.text
    turtle = web_client.get(f"/ontology/{VERSION}", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_another_version_is_not_found(web_client):
    assert web_client.get("/ontology/1999-01-01.ttl").status_code == 404
    assert web_client.get("/ontology/not-a-date").status_code == 404


def test_every_w3id_redirect_of_the_ontology_lands_on_an_answer(web_client):
    for path in ("ontology", f"ontology/{VERSION}"):
        targets = _targets(path)
        suffix = path.removeprefix("ontology")
        # One target per format Widoco negotiates: HTML, JSON-LD, RDF/XML, N-Triples, Turtle.
        assert targets == {f"{PLACEHOLDER}/ontology{suffix}.{e}"
                           for e in ("html", "jsonld", "rdf", "nt", "ttl")}, path
        for target in targets:
            response = web_client.get(target.removeprefix(PLACEHOLDER))
            assert response.status_code == 200, target


def test_the_w3id_redirects_of_records_and_vocabularies_land_on_answers(web_client):
    # Moscow's record is data/ttl/cities/moscow-rus.ttl; the approach scheme ontology/vocab/approach.ttl.
    for path in ("id/city/moscow-rus", "vocab/approach", "context.jsonld", "vocab"):
        (target,) = _targets(path)
        assert target == f"{PLACEHOLDER}/{path}"
        assert web_client.get(target.removeprefix(PLACEHOLDER),
                              headers={"Accept": "text/turtle"}).status_code == 200, path
