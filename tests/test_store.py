"""The embedded pyoxigraph store: named graphs per file, the on-disk cache, errors."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from innovgraph import (InnovgraphError, QuerySyntaxError, RecordSyntaxError, load_graph,
                        open_store, parse_file, run_sparql)
from innovgraph.namespaces import INFERRED_GRAPH
from innovgraph.cache import CACHE_DIR
from innovgraph.namespaces import GRAPH_BASE
from innovgraph.store import STORE_FORMAT

DATA_GRAPHS = [GRAPH_BASE + "data/ttl/cities/fictional-" + n
               for n in ("alphaville", "betatown", "deltaburg", "gammaford")]


def test_one_named_graph_per_source_file(query_project):
    store = open_store(query_project)
    graphs = store.graphs()
    assert graphs[:5] == DATA_GRAPHS + [GRAPH_BASE + "data/ttl/survey/fictional-survey"]
    assert GRAPH_BASE + "ontology/innovgraph" in graphs
    assert GRAPH_BASE + "ontology/vocab/goal" in graphs
    assert len(graphs) == len(query_project.ontology_files) + len(query_project.data_files)


def test_triples_count_is_distinct_triples_of_the_union(query_project):
    # fictional-alp is described in two records; its triples count once, as in rdflib.
    assert open_store(query_project).triples_count() == len(load_graph(query_project))


def test_default_graph_is_the_union_and_graph_clauses_still_work(query_project):
    store = open_store(query_project)
    result = run_sparql(store, """
        SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/innovgraph/id/city/fictional-gammaford>
                                     <https://schema.org/name> ?name } }""")
    assert result.values() == [("<" + DATA_GRAPHS[3] + ">",)]
    ask = run_sparql(store, "ASK { ?s a <https://w3id.org/innovgraph/ontology#Ranking> }")
    assert (ask.kind, ask.boolean) == ("ask", True)


def test_store_is_cached_by_content_hash_and_rebuilt_on_change(query_project):
    cache = query_project.root / CACHE_DIR / "store"
    open_store(query_project)
    first = f"{query_project.graph_hash()}-v{STORE_FORMAT}"
    assert sorted(p.name for p in cache.iterdir()) == [first, f"{first}.triples"]
    assert int((cache / f"{first}.triples").read_text()) == len(load_graph(query_project))
    assert open_store(query_project).triples_count() > 0  # reopened from disk, read-only
    shutil.copy(query_project.root / "data/ttl/cities/fictional-deltaburg.ttl",
                query_project.root / "data/ttl/cities/fictional-epsilon.ttl")
    store = open_store(query_project)
    assert [p.name for p in cache.iterdir() if p.is_dir()] == \
        [f"{query_project.graph_hash()}-v{STORE_FORMAT}"] != [first]
    assert GRAPH_BASE + "data/ttl/cities/fictional-epsilon" in store.graphs()


def test_inferences_live_in_their_own_store_built_on_first_use(query_project):
    """The main store holds the asserted graphs only (fast union default graph); the first
    query naming the inferred graph builds the inference store next to it."""
    count = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { %s }"
    mayors = "?x a <https://w3id.org/innovgraph/ontology#Mayor>"
    inferred = f"GRAPH <{INFERRED_GRAPH}> {{ {mayors} }}"
    store = open_store(query_project)
    assert not store.engine.contains_named_graph(ox.NamedNode(INFERRED_GRAPH))
    beside = query_project.root / CACHE_DIR / "store-inferred"
    assert not beside.exists()
    assert run_sparql(store, count % mayors).rows[0][0].value == "0"   # nothing asserted
    assert int(run_sparql(store, count % inferred).rows[0][0].value) >= 2  # the fixture's mayors
    assert [p.name for p in beside.iterdir()] == [store.path.name]
    # The inference store's default graph is the asserted union too, and GRAPH <file> works.
    both = count % f"{mayors} . GRAPH <{INFERRED_GRAPH}> {{ ?y a <https://w3id.org/innovgraph/ontology#Mayor> }}"
    assert run_sparql(store, both).rows[0][0].value == "0"
    cities = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/innovgraph/ontology#City> %s }"
    assert run_sparql(store, cities % f"GRAPH <{INFERRED_GRAPH}> {{ }}").values() == \
        run_sparql(store, cities % "").values()
    # The same on an in-memory store.
    memory = open_store(query_project, in_memory=True)
    assert run_sparql(memory, count % inferred).values() == run_sparql(store, count % inferred).values()
    # An edit makes both stores of the old content go.
    shutil.copy(query_project.root / "data/ttl/cities/fictional-deltaburg.ttl",
                query_project.root / "data/ttl/cities/fictional-epsilon.ttl")
    open_store(query_project)
    assert list(beside.iterdir()) == []


def test_in_memory_store_matches_the_cached_one(query_project):
    assert (open_store(query_project, in_memory=True).triples_count()
            == open_store(query_project).triples_count())


def test_query_syntax_error_gives_the_position(query_project):
    with pytest.raises(QuerySyntaxError) as err:
        run_sparql(open_store(query_project), "SELECT * WHERE {\n  ?s ?p\n}")
    assert str(err.value) == ("SPARQL syntax error at line 3, column 1: found '}', "
                              "expected one of LATERAL, SERVICE")


def test_broken_turtle_is_reported_as_validate_reports_it(query_project, extra):
    broken = query_project.root / "data/ttl/cities/fictional-brokenham.ttl"
    shutil.copy(extra / "fictional-brokenham.ttl", broken)
    with pytest.raises(RecordSyntaxError) as err:
        open_store(query_project)
    with pytest.raises(RecordSyntaxError) as expected:
        parse_file(broken, project=query_project)
    assert str(err.value) == str(expected.value)
    assert str(err.value).startswith("data/ttl/cities/fictional-brokenham.ttl:")
    assert not any(p.name.startswith("building-")
                   for p in (query_project.root / CACHE_DIR / "store").iterdir())


def test_dump_keeps_graphs_in_trig_and_merges_them_in_turtle(query_project):
    store = open_store(query_project)
    trig = store.dump("trig").decode()
    assert f"<{DATA_GRAPHS[2]}> {{" in trig
    turtle = store.dump("turtle").decode()
    assert "Deltaburg (fictional)" in turtle and "GRAPH" not in turtle and "{" not in turtle
    with pytest.raises(InnovgraphError):
        store.dump("rdfxml")


def test_above_the_inference_limit_the_inferred_graph_is_empty_and_nothing_is_copied(
        query_project, monkeypatch, capsys):
    import innovgraph.store.graphstore as store_module

    monkeypatch.setattr(store_module, "INFERENCE_LIMIT", 10)
    store = open_store(query_project)
    inferred = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}"
    assert run_sparql(store, inferred).rows[0][0].value == "0"
    assert not (query_project.root / CACHE_DIR / "store-inferred").exists()
    assert "above the 10 up to which the OWL 2 RL inferred graph is materialised" in \
        capsys.readouterr().err


def test_editing_a_query_or_a_shape_does_not_rebuild_the_store(query_project):
    store = open_store(query_project)
    before = store.path.stat().st_ino, store.path.name
    validation_before = query_project.validation_hash()
    (query_project.query_dir / "fictional-extra.rq").write_text(
        "#+ summary: An extra query (fictional).\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n",
        encoding="utf-8")
    (query_project.root / "shapes").mkdir(exist_ok=True)
    (query_project.root / "shapes" / "fictional.ttl").write_text("# a new shapes file\n",
                                                                   encoding="utf-8")
    assert query_project.validation_hash() != validation_before  # reports are checked again
    again = open_store(query_project)
    assert (again.path.stat().st_ino, again.path.name) == before
    record = query_project.root / "data/ttl/cities/fictional-deltaburg.ttl"
    record.write_text(record.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert open_store(query_project).path.name != before[1]
