"""The ontology and vocabularies documented by a second tool (issue 20): pyLODE renders them
without warnings, and what it renders holds every term of them.

pyLODE 3.3.4 (the test extra): 3.4.1 fails at import (it reads a pyproject.toml its wheel does
not ship) and 3.5 and later need Python 3.12. Its VocPub profile renders a concept scheme's
metadata, not its concepts, so for the vocabularies the test checks the metadata it renders;
the concepts are documented by the server's own pages (tests/test_web_resources.py).
"""

from __future__ import annotations

import html
import logging
import warnings
from pathlib import Path

import pytest
from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, Graph, URIRef

pylode = pytest.importorskip("pylode", reason="pyLODE is in the test extra")

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "innovgraph.ttl"
VOCABULARIES = sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _own_resource_warning(warning: warnings.WarningMessage) -> bool:
    """pyLODE reads its stylesheet without closing it (pylode/pylode.css): its own slip, not
    a warning about the input."""
    return issubclass(warning.category, ResourceWarning) and "pylode.css" in str(warning.message)


def shown(text: str, page: str) -> bool:
    """`text` is on the page, whether its quotes are escaped or not."""
    return html.escape(text) in page or html.escape(text, quote=False) in page


def render(profile, path: Path, caplog) -> str:
    """pyLODE's HTML of `path`; fails on any warning or log record of WARNING or above."""
    caplog.clear()
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = profile(str(path)).make_html()
    said = [f"{w.category.__name__}: {w.message}" for w in caught if not _own_resource_warning(w)]
    said += [f"{r.levelname} {r.name}: {r.getMessage()}" for r in caplog.records
             if r.levelno >= logging.WARNING]
    assert said == [], f"pyLODE on {path.name}: {said}"
    return page


def test_pylode_renders_every_term_of_the_ontology(caplog):
    page = render(pylode.OntPub, ONTOLOGY, caplog)
    graph = Graph().parse(ONTOLOGY)
    ontology = URIRef("https://w3id.org/innovgraph/ontology")
    assert shown(str(graph.value(ontology, DCTERMS.title)), page)
    assert str(graph.value(ontology, OWL.versionIRI)) in page
    terms = {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
             if isinstance(s, URIRef) and str(s).startswith(str(ontology))}
    assert len(terms) > 100  # the classes and properties of the model (docs/model.md)
    missing = sorted(str(s) for s in terms if str(s) not in page)
    assert missing == []
    unlabelled = sorted(str(s) for s in terms for label in graph.objects(s, RDFS.label)
                        if not shown(str(label), page))
    assert unlabelled == []


@pytest.mark.parametrize("path", VOCABULARIES, ids=lambda p: p.stem)
def test_pylode_renders_each_vocabulary(path, caplog):
    page = render(pylode.VocPub, path, caplog)
    graph = Graph().parse(path)
    (scheme,) = graph.subjects(RDF.type, SKOS.ConceptScheme)
    assert str(scheme) in page
    for prop in (DCTERMS.title, DCTERMS.creator, OWL.versionInfo):
        value = graph.value(scheme, prop)
        assert value is not None and shown(str(value), page), (path.name, prop)
    assert str(graph.value(scheme, DCTERMS.license)) in page
