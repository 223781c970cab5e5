"""A dated release of the dataset (`innovgraph release DIR`): what a repository such as Zenodo
or a w3id-backed web folder serves for one version.

`write_release(project, folder)` writes `folder/innovgraph-<date>/`:

- the dumps, gzipped: `innovgraph-<date>.ttl.gz` and `.nt.gz` (the union of the asserted
  graphs, as the server's /dump.ttl), `.nq.gz` and `.trig.gz` (one named graph per source
  file, named as the store names it), `.jsonld.gz` (compacted with the published context,
  `innovgraph.web.jsonld`). They are written from the source files as parsed
  (`sources.read_triples`, the store's own parser), not read back from the store: the store
  keeps a literal's value, not its lexical form (`80.0`^^xsd:decimal comes back as `80`), and
  a release is the graph as written;
- `ontology/<version date>.ttl`, the ontology as its `owl:versionIRI` names it
  (`https://w3id.org/innovgraph/ontology/<date>`), and `vocab/<scheme>.ttl`, the vocabularies
  of that ontology version;
- `void.ttl`: the VoID / DCAT description (the dataset node the server's /.well-known/void
  gives, `web.description.describe_dataset`), with publisher, creator, issued and modified,
  version, licence, and per distribution its `dcat:byteSize` and SHA-256 (`spdx:checksum`);
- `LICENSE-DATA`, `NOTICE-SOURCES.md` and `CITATION.cff` when the project has them;
- `SHA256SUMS`, in `sha256sum --check` format, over every other file.

Gzip members are written with no name and mtime 0, so one input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

from .errors import OptionError, require_extra
from .project import Project
from .render.results import serialize_triples
from .sources import read_triples
from .store import open_store
from .store.build import graph_iri
from .version import __version__

require_extra("serve", "innovgraph release")  # JSON-LD and the description are the server's

from .web.description import GRAPH_SIZES, VOID, describe_dataset, sizes_of  # noqa: E402
from .web.jsonld import compact  # noqa: E402

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3; rdflib knows DCAT 2
ONTOLOGY = "https://w3id.org/innovgraph/ontology"
BASE = "https://w3id.org/innovgraph/release/"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
GZIP = URIRef("https://www.iana.org/assignments/media-types/application/gzip")
MEDIA = "https://www.iana.org/assignments/media-types/"
# extension: (GraphStore.dump format or "jsonld", media type, title)
DUMPS = {"ttl": ("turtle", "text/turtle", "Turtle, the union of the graphs"),
         "nt": ("ntriples", "application/n-triples", "N-Triples, the union of the graphs"),
         "nq": ("nquads", "application/n-quads", "N-Quads, one graph per source file"),
         "trig": ("trig", "application/trig", "TriG, one graph per source file"),
         "jsonld": ("jsonld", "application/ld+json", "JSON-LD, compacted with the context")}
COPIED = ("LICENSE-DATA", "NOTICE-SOURCES.md", "CITATION.cff")
CHECKSUMS = "SHA256SUMS"
PUBLISHER = "innovgraph contributors"


@dataclass
class Release:
    """What `write_release` wrote: the folder, its date, and each file with its SHA-256."""

    folder: Path
    date: str
    ontology_version: str
    files: dict[str, str] = field(default_factory=dict)  # relative path: sha256

    def lines(self) -> list[str]:
        return [f"wrote {self.folder} (release {self.date}, ontology {self.ontology_version}):"] + [
            f"  {name}" for name in sorted(self.files)] + [f"  {CHECKSUMS}"]


def write_release(project: Project, folder: str | Path, *, date: str | None = None,
                  base_url: str = BASE, replace: bool = False) -> Release:
    """Write the release of `project` dated `date` (YYYY-MM-DD, default today in UTC) into
    `folder/innovgraph-<date>/`, described at `base_url + <date>/`.

    >>> import tempfile
    >>> write_release(Project(tempfile.mkdtemp()), tempfile.mkdtemp(), date="27 Nov")
    Traceback (most recent call last):
    ...
    innovgraph.errors.OptionError: The release date must be YYYY-MM-DD, not '27 Nov'.

    (tests/test_release.py writes the shipped graph's release and reads it back.)

    :raises OptionError: a malformed date, a project without an ontology version, or a release
        folder that exists (without `replace`).
    :raises RecordSyntaxError: a source file is not valid Turtle.
    """
    date = date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise OptionError(f"The release date must be YYYY-MM-DD, not {date!r}.") from None
    ontology = ontology_header(project)
    target = Path(folder) / f"innovgraph-{date}"
    if target.exists() and not replace:
        raise OptionError(f"{target} exists; pass --replace to write it again.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written into a hidden sibling and renamed when complete: a release that fails half-way
    # (a record that does not parse, a full disk) leaves nothing, and --replace keeps the
    # old release until the new one is whole.
    building = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    building.mkdir()  # with the umask, as the release folder should be
    try:
        release = _write(project, building, date, base_url, ontology)
        if target.exists():
            shutil.rmtree(target)
        building.rename(target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    release.folder = target
    return release


def _write(project: Project, target: Path, date: str, base_url: str, ontology: dict) -> Release:
    release = Release(target, date, ontology["version_date"])
    store = open_store(project)

    def write(name: str, data: bytes) -> None:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        release.files[name] = hashlib.sha256(data).hexdigest()

    stem = f"innovgraph-{date}"
    quads = _stable_blank_nodes(
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph_iri(project, path)))
        for path, triples in read_triples(project.graph_files, project=project) for t in triples)
    for ext, (fmt, _, _) in DUMPS.items():
        write(f"{stem}.{ext}.gz", _gzip(_dump(quads, fmt)))
    write(f"ontology/{release.ontology_version}.ttl", ontology["path"].read_bytes())
    for path in project.ontology_files[1:]:
        write(f"vocab/{path.name}", path.read_bytes())
    for name in COPIED:
        if (project.root / name).is_file():
            write(name, (project.root / name).read_bytes())
    base = base_url.rstrip("/") + f"/{date}/"
    write("void.ttl", description(store, release, base, ontology).serialize(
        format="turtle", encoding="utf-8"))
    sums = "".join(f"{sha}  {name}\n" for name, sha in sorted(release.files.items()))
    (target / CHECKSUMS).write_text(sums, encoding="utf-8")
    return release


def ontology_header(project: Project) -> dict:
    """The ontology file, its version IRI and that IRI's date, its dcterms:modified."""
    files = project.ontology_files
    if not files or files[0].name != "innovgraph.ttl":
        raise OptionError(f"{project.root} has no ontology/innovgraph.ttl to release.")
    graph = Graph().parse(files[0], format="turtle")
    version = graph.value(URIRef(ONTOLOGY), OWL.versionIRI)
    if version is None or not str(version).startswith(ONTOLOGY + "/"):
        raise OptionError(f"The ontology has no owl:versionIRI <{ONTOLOGY}/YYYY-MM-DD>.")
    return {"path": files[0], "version_iri": str(version),
            "version_date": str(version).rpartition("/")[2],
            "modified": graph.value(URIRef(ONTOLOGY), DCTERMS.modified)}


def _dump(quads: list[ox.Quad], fmt: str) -> bytes:
    if fmt in ("nquads", "trig"):
        return serialize_triples(quads, fmt)
    union = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    if fmt != "jsonld":
        return serialize_triples(union, fmt)
    return (json.dumps(compact(union), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _stable_blank_nodes(quads) -> list[ox.Quad]:
    """The quads with their blank nodes labelled b0, b1, ... in order of appearance (each
    parse draws random labels), so one input gives the same dumps."""
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"b{len(labels)}"))
        return term

    return [ox.Quad(stable(q.subject), q.predicate, stable(q.object), q.graph_name) for q in quads]


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def description(store, release: Release, base: str, ontology: dict) -> Graph:
    """The VoID / DCAT description of the release (void.ttl)."""
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF),
                       ("spdx", SPDX), ("owl", OWL)):
        g.bind(prefix, ns)
    dataset = URIRef(base + "void.ttl#innovgraph")
    rows = lambda sparql: store.query(sparql).rows  # noqa: E731
    describe_dataset(g, dataset, rows, total=store.triples_count(),
                     sizes=sizes_of(rows(GRAPH_SIZES)), homepage="https://w3id.org/innovgraph/")
    agent = URIRef("https://w3id.org/innovgraph/#contributors")
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(PUBLISHER)))
    g.add((dataset, DCTERMS.publisher, agent))
    g.add((dataset, DCTERMS.creator, agent))
    g.add((dataset, DCTERMS.issued, Literal(release.date, datatype=XSD.date)))
    modified = _latest_modified(rows) or release.date
    g.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    g.add((dataset, DCAT_VERSION, Literal(__version__)))
    g.add((dataset, OWL.versionInfo, Literal(__version__)))
    g.add((dataset, DCTERMS.conformsTo, URIRef(ontology["version_iri"])))
    for name, sha in sorted(release.files.items()):
        url = URIRef(base + name)
        dist = URIRef(base + name + "#distribution")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCTERMS.title, Literal(_title(name), lang="en")))
        g.add((dist, DCTERMS.license, LICENCE))
        g.add((dist, DCTERMS.issued, Literal(release.date, datatype=XSD.date)))
        g.add((dist, DCAT.byteSize, Literal((release.folder / name).stat().st_size,
                                            datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(sha, datatype=XSD.hexBinary)))
        ext = name.removesuffix(".gz").rpartition(".")[2]
        if name.endswith(".gz") and ext in DUMPS:
            g.add((dataset, VOID.dataDump, url))
            g.add((dist, DCAT.mediaType, URIRef(MEDIA + DUMPS[ext][1])))
            g.add((dist, DCAT.compressFormat, GZIP))
        elif ext == "ttl":
            g.add((dist, DCAT.mediaType, URIRef(MEDIA + "text/turtle")))
        else:
            g.add((dist, DCAT.mediaType, URIRef(MEDIA + ("text/markdown" if ext == "md" else
                                                         "text/plain"))))
    return g


def _title(name: str) -> str:
    ext = name.removesuffix(".gz").rpartition(".")[2]
    if name.endswith(".gz") and ext in DUMPS:
        return f"innovgraph dump ({DUMPS[ext][2]})"
    if name.startswith("ontology/"):
        return f"innovgraph ontology, version {Path(name).stem}"
    if name.startswith("vocab/"):
        return f"innovgraph vocabulary {Path(name).stem}"
    return name


def _latest_modified(rows) -> str | None:
    found = rows("SELECT (MAX(STR(?d)) AS ?m) WHERE { ?x <http://purl.org/dc/terms/modified> ?d }")
    value = found[0][0] if found and found[0] else None
    return value.value[:10] if isinstance(value, ox.Literal) else None
