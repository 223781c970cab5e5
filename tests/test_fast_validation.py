"""Validation at scale gives the same results as plain pyshacl, and the caches hold real data.

Chunked validation (process pool), incremental validation of given records, the parsed-SPARQL
cache and the report cache (innovgraph.validation.chunks) must not change a single result:
every broken record of tests/test_shapes.py is validated both ways and compared field by field.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from innovgraph import Project, open_store, run_saved_query
from innovgraph.cache import CACHE_DIR
from innovgraph.validation import validate
from innovgraph.validation import chunks as fv, patches, report as reports

from test_shapes import BROKEN, SECOND_MAYOR, VALID

REPO = Path(__file__).resolve().parents[1]


def _dicts(report):
    return sorted((sorted(r.as_dict().items()) for r in report.results), key=str)


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Project:
    """The shipped project, copied so its caches can be emptied and poisoned freely."""
    root = tmp_path_factory.mktemp("repo") / "innovgraph"
    for name in ("ontology", "shapes", "queries", "data/ttl"):
        shutil.copytree(REPO / name, root / name)
    return Project(root)


@pytest.fixture(scope="module")
def fictional_copy(tmp_path_factory) -> Project:
    """The real ontology, vocabularies and shapes with the fictional fixture cities
    (tests/fixtures/query-data) as the graph: each broken record below is compared with a
    plain pyshacl run of the whole graph, which takes about a minute over the 79 shipped
    cities and a second over these. (A copy of only some shipped records is no graph to
    compare on: the survey's statistics and places cite every city's page.)"""
    root = tmp_path_factory.mktemp("fictional") / "innovgraph"
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "tests/fixtures/query-data", root / "data/ttl")
    return Project(root)


def _broken_text(edit) -> str:
    text = VALID.read_text(encoding="utf-8")
    if edit is None:
        return text + SECOND_MAYOR.format(year="ig:heldAsOf 2020 ;", end="")
    old, new = edit
    return text.replace(old, new, 1)


@pytest.mark.parametrize("case, edit", [(b[0], b[1]) for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_incremental_and_full_validation_agree_on_broken_records(fictional_copy, tmp_path, case, edit):
    path = tmp_path / "fictional-testville.ttl"
    path.write_text(_broken_text(edit), encoding="utf-8")
    incremental = validate(fictional_copy, [path])
    plain = validate(fictional_copy, [path], fast=False)
    # the fixture cities are written for the queries, not to the shapes (their posts cite no
    # source, ...): the broken record's own results must be there, beside theirs
    assert [r for r in incremental.results if r.file.endswith("fictional-testville.ttl")], case
    assert _dicts(incremental) == _dicts(plain)
    assert incremental.ok == plain.ok is False


def test_incremental_replacement_of_a_shipped_record_agrees(repo_copy, tmp_path):
    # A draft outside the project with a shipped record's file name replaces that record.
    shipped = repo_copy.root / "data/ttl/cities/rosario-arg.ttl"
    draft = tmp_path / "rosario-arg.ttl"
    draft.write_text(shipped.read_text(encoding="utf-8").replace(
        "ig:declaredRoleCount 4", "ig:declaredRoleCount 1"), encoding="utf-8")
    incremental = validate(repo_copy, [draft])
    plain = validate(repo_copy, [draft], fast=False)
    assert [r.source_shape for r in incremental.results] == ["igsh:SurveyResponseShape-roleCount"]
    assert incremental.results[0].file == str(draft) or incremental.results[0].file.endswith("rosario-arg.ttl")
    assert _dicts(incremental) == _dicts(plain)


def test_cross_record_tenure_reaches_the_other_city(repo_copy, tmp_path):
    # A draft naming a second mayor of another record's post in the same year (Athens' profile
    # is of 2019): the other city's mayor constraint must fire, three links away from the
    # draft's own nodes.
    draft = tmp_path / "fictional-intruder.ttl"
    draft.write_text("""@base <https://w3id.org/innovgraph/id/> .
@prefix ig: <https://w3id.org/innovgraph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<person/fictional-intruder> a ig:Person ; schema:name "Intruder (fictional)" ;
    dcterms:source <https://cities-innovation-oecd.com/cities/athens-grc/> .
<city/athens-grc/tenure/fictional-intruder> a ig:Tenure ; ig:post <city/athens-grc/post/mayor> ;
    ig:holder <person/fictional-intruder> ; ig:heldAsOf 2019 ;
    dcterms:source <https://cities-innovation-oecd.com/cities/athens-grc/> .
""", encoding="utf-8")
    incremental = validate(repo_copy, [draft])
    plain = validate(repo_copy, [draft], fast=False)
    assert {r.focus_node for r in incremental.results} == {"city:athens-grc"}
    assert _dicts(incremental) == _dicts(plain)


def test_chunked_full_validation_in_a_pool_agrees_with_plain_pyshacl(query_project, monkeypatch):
    # One file per chunk and two worker processes: every cross-file link is cut somewhere
    # (fictional-alp is described in two records), and broken records add results.
    monkeypatch.setattr(fv, "CHUNK_RECORDS", 1)
    shutil.copytree(REPO / "shapes", query_project.root / "shapes")
    cities = query_project.root / "data/ttl/cities"
    for case, edit in ((b[0], b[1]) for b in BROKEN[:4] + BROKEN[11:12]):
        (cities / f"fictional-{case}.ttl").write_text(
            _broken_text(edit).replace("fictional-testville", f"fictional-{case}"), encoding="utf-8")
    chunked = validate(query_project, jobs=2, use_cache=False)
    plain = validate(query_project, fast=False)
    assert len(chunked.results) >= 5
    assert _dicts(chunked) == _dicts(plain)
    report = reports.report_graph(fv.cached_full(query_project, jobs=1, use_cache=False)[0])
    assert len(report) > 0


def test_sparql_parse_cache_gives_identical_reports(query_project):
    import pyshacl
    from rdflib.compare import isomorphic
    from innovgraph.sources import load_files, load_graph

    data = load_graph(query_project)
    shapes = load_files(sorted((REPO / "shapes").glob("*.ttl")))
    kwargs = dict(shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    plain = pyshacl.validate(data, **kwargs)[1]
    with patches.cached_sparql_parsing():
        cached = pyshacl.validate(data, **kwargs)[1]
        again = pyshacl.validate(data, **kwargs)[1]
    assert isomorphic(plain, cached) and isomorphic(cached, again)


def test_report_cache_is_used_for_unchanged_content_only(repo_copy):
    first = validate(repo_copy)
    cache = fv._cache_file(repo_copy, repo_copy.validation_hash())
    assert cache.name == f"{repo_copy.validation_hash()}-v{fv.CACHE_FORMAT}.pickle"
    assert cache.is_file()
    part = pickle.loads(cache.read_bytes())
    assert part.results == first.results
    # Poison the cache: an unchanged project answers from it ...
    cache.write_bytes(pickle.dumps(reports.ChunkResult([_fake_result()], [], False)))
    assert [r.message for r in validate(repo_copy).results] == ["from the cache"]
    # ... and any edit makes a new key, so the poisoned report is never read again.
    record = repo_copy.root / "data/ttl/cities/rosario-arg.ttl"
    record.write_text(record.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert validate(repo_copy).results == []
    assert not cache.exists()


def _fake_result():
    from innovgraph.validation import Severity, ValidationResult
    return ValidationResult("id:city/fictional-cached", None, None, "from the cache",
                            Severity.VIOLATION, "igsh:Fake", "sh:Fake")


def test_query_result_cache_is_on_disk_and_keyed_by_content(query_project):
    store = open_store(query_project)
    first = run_saved_query(store, "cities")
    results = query_project.root / CACHE_DIR / "results" / store.content_hash
    assert len(list(results.glob("*.pickle"))) == 1
    # A new process (a new GraphStore) answers from the file: poison it to prove it.
    [path] = results.glob("*.pickle")
    cached = pickle.loads(path.read_bytes())
    assert cached.values() == store.query(Path(query_project.query_dir / "cities.rq").read_text()).values()
    cached.rows = cached.rows[:1]
    path.write_bytes(pickle.dumps(cached))
    assert len(run_saved_query(open_store(query_project), "cities")) == 1 < len(first)
    # An edit changes the content hash: the next store starts with an empty result cache.
    record = query_project.root / "data/ttl/cities/fictional-alphaville.ttl"
    record.write_text(record.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    fresh = open_store(query_project)
    assert fresh.content_hash != store.content_hash
    assert run_saved_query(fresh, "cities").values() == first.values()
    assert not results.exists()


def test_in_memory_stores_are_not_cached(query_project):
    store = open_store(query_project, in_memory=True)
    store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert store.content_hash is None
    assert not (query_project.root / CACHE_DIR / "results").exists()


def test_content_hash_manifest_follows_edits(query_project):
    before = query_project.content_hash()
    manifest = query_project.root / CACHE_DIR / "manifest.json"
    assert manifest.is_file()
    assert query_project.content_hash() == before
    record = query_project.root / "data/ttl/cities/fictional-betatown.ttl"
    record.write_text(record.read_text(encoding="utf-8").replace("a", "b", 1), encoding="utf-8")
    assert query_project.content_hash() != before


def test_benchmark_smoke_run_at_100_cities(tmp_path):
    out = tmp_path / "bench.md"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--n", "100", "--quick", "--repeats", "1",
         "--workdir", str(tmp_path / "work"), "--out", str(out)],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr == ""  # quiet when not on a terminal
    text = out.read_text(encoding="utf-8")
    assert "| N = 100 |" in text and "| triples (distinct) |" in text
    assert "| cities |" in text and "| re-validation, nothing changed |" in text
    assert not list((tmp_path / "work" / "n100" / "data" / "ttl" / "cities").glob("[!s]*.ttl"))
    assert not list((REPO / "data").glob("**/synthetic-*.ttl"))
