"""Malformed input writes nothing; existing records are never overwritten without --replace;
--force writes an invalid record marked as such; writes are atomic; `new-city`."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from innovgraph.cli import cli
from innovgraph.ingest import IngestOptions, ingest_profile, write_atomically
from innovgraph.validation import validate

from support.ingest_helpers import PROFILES, run_ingest, snapshot_project

URL = "https://cities-innovation-oecd.com/cities/fictional-x/"
SEED = PROFILES / "moscow-rus.txt"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return snapshot_project(tmp_path_factory.mktemp("snap"))


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


MALFORMED = {
    "empty": (b"", "is empty"),
    "blank": (b"\n\r\n   \n", "is empty"),
    "binary": (bytes(range(256)) * 8, "is a binary file"),
    "latin-1": ("Jordán Guardo\nInnovation is helping to:\n".encode("latin-1"), "is not UTF-8 text"),
    "other document": (b"# innovgraph\n\nThe open knowledge graph of how city governments build innovation.\n",
                       "does not look like a city profile"),
    "header only": ("Sergey Semyonovich Sobyanin\n\n12,640,000 (2019)\n\nInnovation Website\n".encode(),
                    "stops in its header block"),
    "cut mid-sentence": (_seed_text()[: _seed_text().index("IMIAS not only") + 40].encode(), "ends mid-sentence"),
    "cut mid-word": (_seed_text()[: _seed_text().index("Moscow has developed partnerships") + 28].encode(),
                     "ends mid-sentence"),
    "cut on a heading": (_seed_text()[: _seed_text().index("Activities being funded") + 23].encode(),
                         "ends with the heading"),
    "cut after a chart count": (_seed_text()[: _seed_text().index("79 cities") + 9].encode(), "truncated"),
    "cut with an ellipsis": ((_seed_text()[: _seed_text().index("How is innovation measured?") + 28]
                              + "Moscow has developed partne…").encode(), "truncated"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_input_is_one_error_line_and_writes_nothing(project, tmp_path, case):
    data, message = MALFORMED[case]
    profile = tmp_path / "in" / "profile.txt"
    profile.parent.mkdir()
    profile.write_bytes(data)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_ingest(project, profile, "--city-slug", "fictional-x", "--source-url", URL,
                        "--edition", "2020", "--out", str(out_dir / "fictional-x.ttl"))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.stderr
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--city-slug", "Not A Slug"], "is not a slug"),
    (["--source-url", "ftp://example.org/x"], "is not an http(s) URL"),
    (["--country-code", "RU"], "is not an ISO 3166-1 alpha-3 code"),
])
def test_bad_options(project, tmp_path, args, message):
    base = {"--city-slug": "fictional-x", "--source-url": URL}
    base.update(dict(zip(args[::2], args[1::2])))
    flat = [x for kv in base.items() for x in kv]
    result = run_ingest(project, SEED, *flat, "--out", str(tmp_path / "x.ttl"))
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (tmp_path / "x.ttl").exists()


def test_never_overwrites_without_replace(project, tmp_path):
    out = tmp_path / "fictional-moscow.ttl"
    out.write_text("# someone's work\n", encoding="utf-8")
    args = ["--city-slug", "fictional-moscow", "--source-url", URL, "--out", str(out)]
    result = run_ingest(project, SEED, *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "pass --replace" in result.stderr
    assert out.read_text(encoding="utf-8") == "# someone's work\n"
    out.chmod(0o600)
    result = run_ingest(project, SEED, *args, "--replace")
    assert result.exit_code == 0, result.output
    assert "<city/fictional-moscow>" in out.read_text(encoding="utf-8")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask    # the umask's mode, not 600
    assert [p.name for p in tmp_path.iterdir()] == ["fictional-moscow.ttl"]   # no temp file left


def test_default_out_refuses_to_overwrite_a_shipped_record(project):
    shipped = project.root / "data" / "ttl" / "cities" / "moscow-rus.ttl"
    before = shipped.read_bytes()
    result = run_ingest(project, SEED, "--city-slug", "moscow-rus", "--source-url",
                        "https://cities-innovation-oecd.com/cities/moscow-rus/")
    assert result.exit_code == 1
    assert "already exists; pass --replace" in result.stderr
    assert shipped.read_bytes() == before


@pytest.fixture
def strict_project(tmp_path):
    """A snapshot with one extra shape the seed's record cannot meet: an innovation website URL."""
    project = snapshot_project(tmp_path)
    (project.root / "shapes" / "zz-test-strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ig: <https://w3id.org/innovgraph/ontology#> .\n"
        "<urn:test:NeedsWebsiteUrl> a sh:NodeShape ; sh:targetClass ig:City ;\n"
        "    sh:property [ sh:path ig:innovationWebsite ; sh:minCount 1 ;\n"
        "                  sh:message \"test: a city needs its website URL\" ] .\n", encoding="utf-8")
    return project


def test_invalid_record_is_not_written(strict_project, tmp_path):
    out = tmp_path / "fictional-moscow.ttl"
    result = run_ingest(strict_project, SEED, "--city-slug", "fictional-moscow", "--source-url", URL,
                        "--out", str(out))
    assert result.exit_code == 1
    assert "the record is INVALID" in result.output
    assert "test: a city needs its website URL" in result.output
    assert "Nothing written" in result.output
    assert list(tmp_path.iterdir()) == [strict_project.root]


def test_force_writes_an_invalid_record_marked_invalid(strict_project, tmp_path):
    out = tmp_path / "fictional-moscow.ttl"
    result = run_ingest(strict_project, SEED, "--city-slug", "fictional-moscow", "--source-url", URL,
                        "--out", str(out), "--force")
    assert result.exit_code == 1
    assert "anyway (--force): the file is marked INVALID" in result.output
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("# NOT VALID: written with --force")
    assert not validate(strict_project, [out]).ok


def test_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    import innovgraph.cache as cache

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "fictional-x.ttl", "# text\n")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_ingest_leaves_nothing(project, tmp_path, monkeypatch):
    import innovgraph.cache as cache

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache.os, "replace", interrupted)
    options = IngestOptions(city_slug="fictional-moscow", source_url=URL, out=tmp_path / "fictional-moscow.ttl")
    with pytest.raises(KeyboardInterrupt):
        ingest_profile(project, SEED, options)
    assert list(tmp_path.iterdir()) == []


def test_new_city_writes_a_commented_template_that_validates(project, tmp_path):
    out = tmp_path / "fictional-newtown.ttl"
    run = CliRunner().invoke
    result = run(cli, ["--project", str(project.root), "new-city", "fictional-newtown", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "# <city/fictional-newtown>" in text
    assert "@prefix profile: <https://cities-innovation-oecd.com/cities/fictional-newtown/> ." in text
    assert validate(project, [out]).ok
    again = run(cli, ["--project", str(project.root), "new-city", "fictional-newtown", "--out", str(out)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    bad = run(cli, ["--project", str(project.root), "new-city", "Bad Slug", "--out", str(out)])
    assert bad.exit_code == 2
