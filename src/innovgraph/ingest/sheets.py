"""Read a city fact sheet (YAML, as in data/sources/cities/) and ingest it as a city record.

A fact sheet is the structured summary of the stored copies of one city profile page
(data/sources/cities/README.md): `null` is a section not reached (unknown), `[]` a section
reached with no item (none), a label ending in `…` is cut there. `read_sheet` checks the layout
field by field and says which line of which file is wrong; inline comments (`key: value  # why`)
are kept, because the sheets say there what is printed where.

`ingest_sheet` is the one path from a sheet to a record file: read -> map (`sheet_mapping.py`)
-> render (`sheet_render.py`) -> validate with the rest of the graph -> write atomically, only
when valid (or forced), never over an existing file without `replace`. The validate and write
steps are `pipeline.py`'s, shared with `ingest_profile`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import OptionError, SheetError
from ..namespaces import slugify
from ..project import Project
from ..validation import Severity, ValidationReport
from .pipeline import _check_target, _graph_without, default_out, validate_and_write
from .sheet_mapping import SheetRecord, build_sheet_record
from .sheet_render import render_sheet_record

_OPT_STR, _OPT_LIST, _OPT_DICT = (str, type(None)), (list, type(None)), (dict, type(None))

# field -> the kinds of value it may hold (None: null allowed). Nested mappings are checked below.
_TOP = {
    "slug": (str,), "city": (str,), "country": _OPT_STR, "source_urls": (list,), "vintage": (dict,),
    "mayor": _OPT_STR, "population": _OPT_DICT, "lead_innovation_officer": _OPT_STR,
    "innovation_website": _OPT_STR, "goals": _OPT_LIST, "critical_success_factors": _OPT_LIST,
    "spotlight": _OPT_LIST, "explicit_strategy": _OPT_DICT, "approach": _OPT_STR,
    "policy_areas_focus": _OPT_DICT, "roles": _OPT_DICT, "organisations": _OPT_LIST, "terms": _OPT_LIST,
    "most_common_activities": _OPT_LIST, "funding": _OPT_DICT, "partnerships": _OPT_DICT,
    "data_availability": (type(None),), "survey_statistics_quoted": _OPT_LIST,
    "unreadable_sections": _OPT_LIST,
}
_OLDER = {"population", "lead_innovation_officer", "goals", "critical_success_factors", "spotlight",
          "explicit_strategy", "approach", "policy_areas_focus", "roles", "organisations", "terms",
          "most_common_activities", "survey_statistics_quoted"}
_LABEL_LISTS = ("goals", "critical_success_factors", "terms", "most_common_activities",
                "unreadable_sections")
_APPROACHES = ("holistic", "specific", "both", "other")
_READ_DATE = re.compile(r"read (\d{4}-\d{2}-\d{2})")
_KEY_LINE = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[A-Za-z_]+):(?P<rest>.*)$")


@dataclass
class Sheet:
    """A fact sheet as read: its values, where it is, the inline comments by dotted key path
    ('vintage.older_trailing_slash_copy.population'), and the date its header says it was read."""

    path: Path
    data: dict
    comments: dict[str, str] = field(default_factory=dict)
    read_date: str | None = None
    text: str = ""

    @property
    def slug(self) -> str:
        return self.data["slug"]


def read_sheet(path: str | Path) -> Sheet:
    """One fact sheet, checked against the fact-sheet layout.

    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "fictional-x.yaml"
    >>> _ = bad.write_text("slug: fictional-x\\ncity: [unclosed\\n")
    >>> read_sheet(bad)
    Traceback (most recent call last):
    ...
    innovgraph.errors.SheetError: ...fictional-x.yaml:3:1: not valid YAML: ...

    :raises SheetError: the file is not UTF-8 YAML or not in the layout (the message names the
        file and the line).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SheetError(f"{path}: cannot read the fact sheet ({exc.strerror}).") from None
    if b"\x00" in raw:
        raise SheetError(f"{path}:1: is a binary file, not a YAML fact sheet.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SheetError(f"{path}:{line}: is not UTF-8 text.") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1"
        problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
        raise SheetError(f"{path}:{where}: not valid YAML: {problem}.") from None
    except yaml.YAMLError as exc:
        raise SheetError(f"{path}:1: not valid YAML: {' '.join(str(exc).split())}.") from None
    if not isinstance(data, dict):
        raise SheetError(f"{path}:1: is not a fact sheet: expected a mapping of fields "
                         "(slug, city, source_urls, vintage, ...).")
    lines = _value_lines(node)
    _check_layout(path, data, lines)
    header = _READ_DATE.search("\n".join(t for t in text.splitlines()[:6] if t.startswith("#")))
    return Sheet(path, data, _inline_comments(text), header.group(1) if header else None, text)


def _value_lines(node, prefix: str = "") -> dict[str, int]:
    """Dotted key path -> line (1-based) of its value, for error messages."""
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            out[name] = value.start_mark.line + 1
            out.update(_value_lines(value, name + "."))
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            out[f"{prefix}{k}"] = item.start_mark.line + 1
            out.update(_value_lines(item, f"{prefix}{k}."))
    return out


def _check_layout(path: Path, data: dict, lines: dict[str, int]) -> None:
    def fail(key: str, message: str):
        line = lines.get(key) or lines.get(key.rsplit(".", 1)[0]) or 1
        raise SheetError(f"{path}:{line}: fact sheet field '{key}' {message}.")

    def kind(key: str, value, kinds) -> None:
        if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
            names = " or ".join("null" if k is type(None) else {"str": "text", "list": "a list",
                                "dict": "a mapping", "int": "a whole number", "bool": "true/false"}[k.__name__]
                                for k in kinds)
            fail(key, f"must be {names} (got {value!r})")

    for key, kinds in _TOP.items():
        if key not in data:
            raise SheetError(f"{path}:1: is not a complete fact sheet: field '{key}' is missing.")
        kind(key, data[key], kinds)
    if slugify(data["slug"]) != data["slug"]:
        fail("slug", "must be a slug (lower-case letters, digits and '-')")
    if not data["source_urls"] or not all(isinstance(u, str) and re.match(r"https?://", u)
                                          for u in data["source_urls"]):
        fail("source_urls", "must list the http(s) URLs of the copies read")
    vintage = data["vintage"]
    for key, kinds in (("snapshot_note", _OPT_STR), ("versions_read", (list,)),
                       ("older_trailing_slash_copy", _OPT_DICT)):
        kind(f"vintage.{key}", vintage.get(key), kinds)
    for k, version in enumerate(vintage["versions_read"]):
        kind(f"vintage.versions_read.{k}", version, (dict,))
        for key in ("url", "layout", "readable_until"):
            kind(f"vintage.versions_read.{k}.{key}", version.get(key), (str,))
        if version["url"] not in data["source_urls"]:
            fail(f"vintage.versions_read.{k}.url", "must be one of source_urls")
    older = vintage.get("older_trailing_slash_copy") or {}
    for key in older:
        if key not in _OLDER:
            fail(f"vintage.older_trailing_slash_copy.{key}", "is not a field an older copy can differ in")
    for prefix, values in (("", data), ("vintage.older_trailing_slash_copy.", older)):
        _check_fields(prefix, values, kind, fail)


def _check_fields(prefix: str, d: dict, kind, fail) -> None:
    """The nested fields of one version of the profile (top level, or the older copy)."""
    for key in _LABEL_LISTS:
        for k, label in enumerate(d.get(key) or []):
            kind(f"{prefix}{key}.{k}", label, (str,))
    if d.get("approach") is not None and d["approach"] not in _APPROACHES:
        fail(f"{prefix}approach", f"must be one of {', '.join(_APPROACHES)} (got {d['approach']!r})")
    if d.get("population") is not None:
        kind(f"{prefix}population.value", d["population"].get("value"), (int, str))
        kind(f"{prefix}population.year", d["population"].get("year"), (int, type(None)))
    if d.get("explicit_strategy") is not None:
        if d["explicit_strategy"].get("value") not in ("yes", "no"):
            fail(f"{prefix}explicit_strategy.value", "must be \"yes\" or \"no\"")
    nested = {"policy_areas_focus": {"prioritises": (bool, type(None)), "labels": _OPT_LIST},
              "roles": {"declared_count": (int, type(None)), "listed": _OPT_LIST},
              "funding": {"dedicated": _OPT_STR, "sources": _OPT_LIST, "funded_activities": _OPT_LIST},
              "partnerships": {"with": _OPT_LIST, "data_partnerships_with": _OPT_LIST, "note": _OPT_STR}}
    for key, fields in nested.items():
        for sub, kinds in fields.items() if d.get(key) is not None else ():
            value = d[key].get(sub)
            kind(f"{prefix}{key}.{sub}", value, kinds)
            for k, label in enumerate(value if isinstance(value, list) else []):
                kind(f"{prefix}{key}.{sub}.{k}", label, (str,))
    if (d.get("funding") or {}).get("dedicated") not in (None, "yes", "no"):
        fail(f"{prefix}funding.dedicated", "must be \"yes\", \"no\" or null")
    for k, entry in enumerate(d.get("spotlight") or []):
        kind(f"{prefix}spotlight.{k}", entry, (dict,))
        kind(f"{prefix}spotlight.{k}.name", entry.get("name"), _OPT_STR)
        kind(f"{prefix}spotlight.{k}.facts", entry.get("facts"), (list,))
    for k, entry in enumerate(d.get("organisations") or []):
        kind(f"{prefix}organisations.{k}", entry, (dict,))
        for sub in ("name", "placement", "note"):
            kind(f"{prefix}organisations.{k}.{sub}", entry.get(sub), _OPT_STR)
        kind(f"{prefix}organisations.{k}.team_size", entry.get("team_size"), (int, type(None)))
    for k, entry in enumerate(d.get("survey_statistics_quoted") or []):
        kind(f"{prefix}survey_statistics_quoted.{k}", entry, (dict,))
        kind(f"{prefix}survey_statistics_quoted.{k}.share", entry.get("share"), (str,))
        kind(f"{prefix}survey_statistics_quoted.{k}.about", entry.get("about"), (str,))


def _inline_comments(text: str) -> dict[str, str]:
    """`key: value  # comment` lines as {dotted key path: comment} (list indices left out)."""
    out: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in text.splitlines():
        m = _KEY_LINE.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        indent = len(m["indent"]) + (2 if line.lstrip().startswith("- ") else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, m["key"]))
        rest = m["rest"]
        for hit in re.finditer(r"\s#\s", rest):
            before = rest[: hit.start()]
            if before.count("'") % 2 == 0 and before.count('"') % 2 == 0:
                out[".".join(k for _, k in stack)] = rest[hit.end():].strip()
                break
    return out


# ------------------------------------------------------------------ the pipeline


@dataclass
class SheetOptions:
    """How `ingest_sheet` writes: where (`out`, default data/ttl/cities/CITY-SLUG.ttl), whether
    it may replace a file or write an invalid record, and the city's slug in IRIs when it is not
    the sheet's (a misspelt URL slug).

    >>> SheetOptions().replace
    False
    """

    out: Path | None = None
    replace: bool = False
    force: bool = False
    city_slug: str | None = None
    today: _dt.date | None = None


@dataclass
class SheetResult:
    sheet: Sheet
    record: SheetRecord
    text: str
    out: Path
    report: ValidationReport
    written: bool = False

    @property
    def valid(self) -> bool:
        return self.report.conforms_at(Severity.VIOLATION)


def ingest_sheet(project: Project, sheet_path: str | Path, opts: SheetOptions | None = None) -> SheetResult:
    """Read a fact sheet, build its record, validate it with the rest of the graph, and write it
    only when it validates (or with force), atomically, never over a file without `replace`.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); (root / "data" / "ttl" / "cities").mkdir(parents=True)
    >>> empty = root / "fictional-x.yaml"; _ = empty.write_text("")
    >>> ingest_sheet(Project(root), empty)
    Traceback (most recent call last):
    ...
    innovgraph.errors.SheetError: ...fictional-x.yaml:1: is not a fact sheet: ...

    :raises SheetError: the sheet is not readable or not a fact sheet; nothing is written.
    :raises OptionError: the city slug is not a slug.
    :raises WriteRefusedError: the output exists and `replace` is not set, or its folder does not.
    """
    opts = opts or SheetOptions()
    sheet = read_sheet(sheet_path)
    slug = opts.city_slug or sheet.slug
    if slugify(slug) != slug:
        raise OptionError(f"--city-slug {slug!r} is not a slug: use lower-case letters, digits and '-'.")
    out = Path(opts.out) if opts.out else default_out(project, slug)
    _check_target(out, opts.replace)
    graph = _graph_without(project, out, slug)
    record = build_sheet_record(sheet, graph, city_slug=slug, today=opts.today or _dt.date.today(),
                                sheet_shown=_shown(project, sheet.path))

    def render(invalid: str | None) -> str:
        record.invalid = invalid
        return render_sheet_record(record)

    report, text, written = validate_and_write(project, out, slug, opts.force, render)
    result = SheetResult(sheet, record, text, out, report)
    result.written = written
    return result


def _shown(project: Project, path: Path) -> str:
    """The sheet as the record's header names it: its path in the project, else its file name
    under data/sources/cities/ (where the project keeps its copies of the sheets)."""
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return f"data/sources/cities/{path.name}"
