"""`innovgraph release DIR` (issue 20): a dated release whose dumps parse back to the graph of
the source files, whose checksums match, and whose VoID/DCAT description passes its shapes
(shapes/release/description.ttl).

The release is written for the fictional query project (tests/fixtures/query-data with the
real ontology and vocabularies); every expected value is read from the source files with
rdflib, not from the store that wrote the dumps.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from innovgraph.cli import cli
from innovgraph.errors import OptionError
from innovgraph.project import Project
from innovgraph.release import write_release

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SHAPES = ROOT / "shapes" / "release" / "description.ttl"
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
GRAPH_BASE = "https://w3id.org/innovgraph/graph/"
DATE = "2031-05-17"  # a release date no source file carries
BASE = "https://example.org/fictional-releases/"
# The ontology's version date, read from its text (not through innovgraph).
ONTOLOGY_DATE = re.search(r"owl:versionIRI <https://w3id\.org/innovgraph/ontology/([0-9-]+)>",
                          (ROOT / "ontology" / "innovgraph.ttl").read_text()).group(1)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("release") / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    shutil.copytree(FIXTURES / "query-data", root / "data" / "ttl")
    shutil.copy(ROOT / "LICENSE-DATA", root / "LICENSE-DATA")
    return root


@pytest.fixture(scope="module")
def released(source) -> Path:
    result = CliRunner().invoke(cli, ["--project", str(source), "release", str(source.parent / "out"),
                                      "--date", DATE, "--base-url", BASE])
    assert result.exit_code == 0, result.output
    folder = source.parent / "out" / f"innovgraph-{DATE}"
    assert result.output.splitlines()[0] == (f"wrote {folder} (release {DATE}, ontology "
                                             f"{ONTOLOGY_DATE}):")
    return folder


def _sources(source: Path) -> list[Path]:
    return ([source / "ontology" / "innovgraph.ttl"] + sorted((source / "ontology" / "vocab").glob("*.ttl"))
            + sorted((source / "data" / "ttl").glob("**/*.ttl")))


def _union(source: Path) -> Graph:
    graph = Graph()
    for path in _sources(source):
        graph.parse(path, format="turtle")
    return graph


def test_the_triple_dumps_are_the_graph_of_the_source_files(source, released):
    expected = _union(source)
    for ext, fmt in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        dump = Graph().parse(data=gzip.decompress(
            (released / f"innovgraph-{DATE}.{ext}.gz").read_bytes()), format=fmt)
        assert len(dump) == len(expected), ext
        assert isomorphic(dump, expected), ext


def test_the_quad_dumps_keep_one_graph_per_source_file(source, released):
    expected = {GRAPH_BASE + path.relative_to(source).with_suffix("").as_posix():
                Graph().parse(path, format="turtle") for path in _sources(source)}
    for ext, fmt in (("nq", "nquads"), ("trig", "trig")):
        dataset = Dataset()
        dataset.parse(data=gzip.decompress((released / f"innovgraph-{DATE}.{ext}.gz").read_bytes()),
                      format=fmt)
        graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
        assert sorted(graphs) == sorted(expected), ext
        for name, graph in expected.items():
            assert isomorphic(graphs[name], graph), (ext, name)


def test_the_gzip_members_are_reproducible(source, released, tmp_path):
    again = write_release(Project(source), tmp_path, date=DATE, base_url=BASE)
    for name in ("ttl", "nt", "nq", "trig", "jsonld"):
        file = f"innovgraph-{DATE}.{name}.gz"
        assert (again.folder / file).read_bytes() == (released / file).read_bytes(), name


def test_the_checksums_match(released):
    lines = (released / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    on_disk = sorted(p.relative_to(released).as_posix() for p in released.rglob("*")
                     if p.is_file() and p.name != "SHA256SUMS")
    assert sorted(listed) == on_disk
    for name, sha in listed.items():
        assert hashlib.sha256((released / name).read_bytes()).hexdigest() == sha, name
    description = Graph().parse(released / "void.ttl", format="turtle")
    distributions = list(description.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == len(listed) - 1  # every file but void.ttl itself
    for dist in distributions:
        url = str(description.value(dist, DCAT.downloadURL))
        name = url.removeprefix(f"{BASE}{DATE}/")
        assert int(description.value(dist, DCAT.byteSize)) == (released / name).stat().st_size
        checksum = description.value(dist, SPDX.checksum)
        assert str(description.value(checksum, SPDX.checksumValue)) == listed[name]


def test_the_ontology_and_vocabularies_are_at_their_version(source, released):
    assert (released / "ontology" / f"{ONTOLOGY_DATE}.ttl").read_bytes() == (
        source / "ontology" / "innovgraph.ttl").read_bytes()
    vocabularies = sorted(p.name for p in (source / "ontology" / "vocab").glob("*.ttl"))
    assert sorted(p.name for p in (released / "vocab").iterdir()) == vocabularies
    assert (released / "LICENSE-DATA").read_bytes() == (ROOT / "LICENSE-DATA").read_bytes()


def test_the_description_says_what_a_catalogue_needs(source, released):
    g = Graph().parse(released / "void.ttl", format="turtle")
    (dataset,) = set(g.subjects(VOID.dataDump, None))
    assert g.value(dataset, DCTERMS.issued).toPython().isoformat() == DATE
    assert g.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert URIRef(f"https://w3id.org/innovgraph/ontology/{ONTOLOGY_DATE}") in set(
        g.objects(dataset, DCTERMS.conformsTo))
    # Four fictional cities in the fixture records (tests/fixtures/query-data/cities).
    partitions = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities))
                  for p in g.objects(dataset, VOID.classPartition)}
    assert partitions[URIRef("https://w3id.org/innovgraph/ontology#City")] == 4
    assert int(g.value(dataset, VOID.triples)) == len(_union(source))
    dumps = sorted(str(u).rpartition("/")[2] for u in g.objects(dataset, VOID.dataDump))
    assert dumps == sorted(f"innovgraph-{DATE}.{e}.gz" for e in ("ttl", "nt", "nq", "trig", "jsonld"))


def test_the_description_conforms_to_its_shapes(released):
    shapes = Graph().parse(SHAPES, format="turtle")
    data = Graph().parse(released / "void.ttl", format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes)
    assert conforms, text
    # The shapes can fail: a distribution without its byte size and a checksum cut short.
    dist = next(data.subjects(RDF.type, DCAT.Distribution))
    data.remove((dist, DCAT.byteSize, None))
    checksum = data.value(dist, SPDX.checksum)
    value = data.value(checksum, SPDX.checksumValue)
    data.set((checksum, SPDX.checksumValue, type(value)(str(value)[:32], datatype=XSD.hexBinary)))
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes)
    assert not conforms
    sources = {str(s).rpartition("#")[2] for s in report.objects(None, URIRef(
        "http://www.w3.org/ns/shacl#sourceShape"))}
    assert {"ReleaseDistributionShape-byteSize", "ChecksumShape-checksumValue"} <= sources


def test_a_release_is_not_written_over(source, released):
    with pytest.raises(OptionError, match="exists; pass --replace"):
        write_release(Project(source), released.parent, date=DATE)


def test_a_malformed_date_is_one_line(source, tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(source), "release", str(tmp_path),
                                      "--date", "17/05/2031"])
    assert result.exit_code == 1
    assert result.output == "Error: The release date must be YYYY-MM-DD, not '17/05/2031'.\n"


def test_the_data_licence_carries_the_legal_code():
    text = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in text
    headings = [line.strip().split(" – ")[0] for line in text.splitlines()
                if line.strip().startswith("Section ")]
    assert headings == [f"Section {n}" for n in range(1, 9)]
    assert "Section 3 – License Conditions." in text


def test_a_release_that_fails_leaves_nothing_and_keeps_the_old_one(source, tmp_path):
    broken = tmp_path / "project"
    shutil.copytree(source, broken)
    out = tmp_path / "out"
    first = write_release(Project(broken), out, date=DATE, base_url=BASE)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    record = next((broken / "data" / "ttl").glob("**/*.ttl"))
    record.write_text(record.read_text(encoding="utf-8") + "\n<broken", encoding="utf-8")
    name = record.relative_to(broken).as_posix()
    for options in ([], ["--replace"]):
        result = CliRunner().invoke(cli, ["--project", str(broken), "release", str(out),
                                          "--date", "2031-05-18" if not options else DATE,
                                          "--base-url", BASE, *options])
        assert result.exit_code == 1, result.output
        (line,) = result.output.splitlines()
        assert line.startswith("Error: ") and name in line, line
        # Nothing half-written beside the releases, and the earlier one as it was.
        assert sorted(p.name for p in out.iterdir()) == [first.folder.name]
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
