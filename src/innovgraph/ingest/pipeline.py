"""Read -> map -> validate -> write: one city record from a profile's text, or a blank template.

`ingest_profile` checks the options, reads the profile (`reader.py`), maps it to a Record
(`mapping.py`), renders it (`writer.py`), validates it with the rest of the graph, and writes it
only when it validates (or with force). `new_city` writes the commented template that
`innovgraph new-city` offers for filling in by hand. Both refuse to overwrite a file unless told to.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from ..errors import OptionError, ParameterError, WriteRefusedError
from ..namespaces import ID, IG, slugify
from ..project import Project
from ..sources import load_files
from ..validation import Severity, ValidationReport, validate
from .labels import Match
from .mapping import EDITIONS, IngestOptions, build_record
from .reader import SECTIONS, Profile, read_profile_file
from .writer import Record, new_city_template, render_record, write_atomically

PROFILE_URL = "https://cities-innovation-oecd.com/cities/{slug}/"

# No space, control character or character an IRI cannot hold unescaped: the URL is written
# into the record as an IRI (`@prefix profile: <...>`) and into its header comment.
_SAFE_URL = re.compile(r"https?://[^\x00-\x20\x7f<>\"{}|\\^`]+")


def _is_url(url: str) -> bool:
    """An http(s) URL that the record can hold as an IRI (pyoxigraph's IRI rules: no `%zz`)."""
    if not _SAFE_URL.fullmatch(url):
        return False
    try:
        ox.NamedNode(url)
    except ValueError:
        return False
    return True


@dataclass
class IngestResult:
    profile: Profile
    record: Record
    text: str
    out: Path
    understood: dict[str, list[str]]
    matches: list[tuple[str, Match]]
    unread: list[str]
    report: ValidationReport
    written: bool = False

    @property
    def valid(self) -> bool:
        return self.report.conforms_at(Severity.VIOLATION)

    @property
    def sections(self) -> tuple[str, ...]:
        """The profile's sections in page order (concepts of igv:profile-section)."""
        return SECTIONS

    @property
    def new_concepts(self) -> list[Match]:
        return _unique(m for _, m in self.matches if m.is_new)

    @property
    def near_matches(self) -> list[Match]:
        return _unique(m for _, m in self.matches if m.candidate is not None)


def _unique(matches) -> list[Match]:
    seen, out = set(), []
    for m in matches:
        if (m.scheme, m.printed) not in seen:
            seen.add((m.scheme, m.printed))
            out.append(m)
    return out


def _check_options(opts: IngestOptions) -> None:
    if not opts.city_slug or slugify(opts.city_slug) != opts.city_slug:
        raise OptionError(f"--city-slug {opts.city_slug!r} is not a slug: use lower-case letters, "
                              "digits and '-' as on cities-innovation-oecd.com (e.g. moscow-rus).")
    if not _is_url(opts.source_url or ""):
        raise OptionError(f"--source-url {opts.source_url!r} is not an http(s) URL "
                              f"(e.g. {PROFILE_URL.format(slug=opts.city_slug)}).")
    if opts.edition is not None and opts.edition not in EDITIONS:
        raise OptionError(f"--edition must be one of {', '.join(map(str, EDITIONS))}.")
    if opts.country_code and not re.fullmatch(r"[A-Za-z]{3}", opts.country_code):
        raise OptionError(f"--country-code {opts.country_code!r} is not an ISO 3166-1 alpha-3 code (e.g. RUS).")
    for flag, value in (("--city-name", opts.city_name), ("--country-name", opts.country_name)):
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            raise OptionError(f"{flag} {value!r} is not valid UTF-8 text.") from None
    if opts.country_name and not opts.country_code:
        raise OptionError("--country-name needs --country-code (ISO 3166-1 alpha-3).")


def _check_target(out: Path, replace: bool) -> None:
    """Never over an existing file unless told to, and only into a directory that exists."""
    if out.exists() and not replace:
        raise WriteRefusedError(f"{out} already exists; pass --replace to overwrite it, or --out FILE.")
    if not out.parent.is_dir():
        raise WriteRefusedError(f"Cannot write {out}: directory {out.parent} does not exist.")


SHIPPED_READ_ONLY = ("The shipped records are read-only (they are part of the installed package): "
                     "pass --out FILE, or --project a folder of your own.")


def default_out(project: Project, slug: str) -> Path:
    """data/ttl/cities/SLUG.ttl of the project.

    :raises WriteRefusedError: the project is the one the wheel ships (never written into).
    """
    if project.shipped:
        raise WriteRefusedError(SHIPPED_READ_ONLY)
    return project.root / "data" / "ttl" / "cities" / f"{slug}.ttl"


def ingest_profile(project: Project, profile_path: str | Path, opts: IngestOptions) -> IngestResult:
    """Read, build, validate and (when valid, or with force) write one city record.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); (root / "data" / "ttl" / "cities").mkdir(parents=True)
    >>> empty = root / "profile.txt"; _ = empty.write_text("")
    >>> ingest_profile(Project(root), empty, IngestOptions(
    ...     city_slug="fictional-x", source_url="https://cities-innovation-oecd.com/cities/fictional-x/"))
    Traceback (most recent call last):
    ...
    innovgraph.errors.ProfileError: ...profile.txt is empty: nothing to ingest.

    :raises ProfileError: the input is not a readable profile (empty, binary, another document,
        truncated); nothing is written.
    :raises OptionError: bad options.
    :raises WriteRefusedError: the output exists and `replace` is not set, or its folder does not.
    """
    _check_options(opts)
    out = Path(opts.out) if opts.out else default_out(project, opts.city_slug)
    _check_target(out, opts.replace)
    profile = read_profile_file(profile_path)
    graph = _graph_without(project, out, opts.city_slug)
    result = build_record(profile, graph, opts, local_copy=local_copy(project, profile_path))
    record, understood, matches, unread = result
    if record.country_code:
        # One home per fact: a country already in the graph (data/ttl/countries.ttl) is not restated.
        record.country_known = (URIRef(f"{ID}country/{record.country_code.lower()}"), RDF.type,
                                IG.Country) in graph

    def render(invalid: str | None) -> str:
        record.invalid = invalid
        return render_record(record)

    report, text, written = validate_and_write(project, out, opts.city_slug, opts.force, render)
    res = IngestResult(profile, record, text, out, understood, matches, unread, report)
    res.written = written
    return res


def validate_and_write(project: Project, out: Path, slug: str, force: bool,
                       render: Callable[[str | None], str]) -> tuple[ValidationReport, str, bool]:
    """The one path by which an ingest writes a record: `render(None)` gives its text, which is
    validated together with the rest of the graph, then written (atomically) when it validates,
    or with `force` rendered again marked invalid (`render("2 violations")`). Nothing is written
    otherwise. Returns the report, the text (as written, when it was) and whether it was written."""
    text = render(None)
    report = _validate(project, out, slug, text)
    valid = report.conforms_at(Severity.VIOLATION)
    if not (valid or force):
        return report, text, False
    if not valid:
        n = report.counts()[Severity.VIOLATION]
        text = render(f"{n} violation{'s' if n != 1 else ''}")
    write_atomically(out, text)
    return report, text, True


def local_copy(project: Project, path: str | Path) -> str | None:
    """Where the project keeps the profile's text, for `ig:localCopy`: its path relative to the
    project root, or None when the text is outside the project (a maintainer's own folder is no
    place the record can point to, and an absolute path names someone's machine).

    >>> root = Path(tempfile.mkdtemp())
    >>> local_copy(Project(root), root / "data" / "sources" / "profiles" / "x.txt")
    'data/sources/profiles/x.txt'
    >>> local_copy(Project(root), "/tmp/x.txt") is None
    True
    """
    try:
        return Path(path).resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return None


def _graph_without(project: Project, out: Path, slug: str) -> Graph:
    """Ontology, vocabularies and records, minus the record this ingest would replace."""
    skip = {out.resolve()} | {p.resolve() for p in project.data_files if p.name in (out.name, f"{slug}.ttl")}
    files = [p for p in project.ontology_files + project.data_files if p.resolve() not in skip]
    return load_files(files, project=project)


def _validate(project: Project, out: Path, slug: str, text: str) -> ValidationReport:
    # Outside the project under the shipped record's name: validation.data_sources then treats the
    # candidate as the replacement of that record rather than as a second copy of the city.
    inside = out.resolve().is_relative_to(project.root)
    name = out.name if inside else f"{slug}.ttl"
    with tempfile.TemporaryDirectory(prefix="innovgraph-ingest-") as tmp:
        candidate = Path(tmp) / name
        candidate.write_text(text, encoding="utf-8")
        return validate(project, [candidate])


def new_city(project: Project | Callable[[], Project], slug: str, *, out: str | Path | None = None,
             source_url: str | None = None, replace: bool = False) -> Path:
    """Write a commented record template for a city, to fill in by hand; return where it went.

    The template goes to `out`, else to the project's data/ttl/cities/SLUG.ttl; its profile URL
    is `source_url`, else the city's page on cities-innovation-oecd.com. `project` may be a
    callable that returns the Project: it is called only when `out` is not given, so that with
    `out` no project is needed, and a bad slug is reported before the project is looked for.

    :raises ParameterError: `slug` is not a slug, or `source_url` not an http(s) URL.
    :raises WriteRefusedError: the file exists and `replace` is not set, or its directory does not exist.
    """
    if not slug or slugify(slug) != slug:
        raise ParameterError(f"{slug!r} is not a slug: use lower-case letters, digits and '-' (e.g. bilbao-esp).")
    if source_url is not None and not _is_url(source_url):
        raise ParameterError(f"--source-url {source_url!r} is not an http(s) URL "
                             f"(e.g. {PROFILE_URL.format(slug=slug)}).")
    if out:
        target = Path(out)
    else:
        target = default_out(project if isinstance(project, Project) else project(), slug)
    _check_target(target, replace)
    write_atomically(target, new_city_template(slug, source_url or PROFILE_URL.format(slug=slug)))
    return target
