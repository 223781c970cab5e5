"""Read the text of a city profile into structured sections.

The text is what a browser gives when the profile page of cities-innovation-oecd.com is copied:
headings, chart titles, chart labels and legends run together, one paragraph per line
(data/sources/profiles/moscow-rus.READING.md describes the layout, on the Moscow profile). This
module only reads: it keeps labels exactly as printed and leaves matching them to vocabulary
concepts to `labels.py`.

Reading rules (each one is a reading of the layout, not a guess at facts):

- the first line is the mayor's name, a line ``12,640,000 (2019)`` is the population;
- ``Lead Innovation Officer`` is followed by the officer's name;
- a heading opens a block that runs to the next heading, so sections may come in any order;
- sentences (strategy, approach, funding, partnerships) are found wherever they are;
- the organisation paragraph is the prose after the roles, or a paragraph that opens with one of
  its forms wherever it is; `organisations.py` reads it;
- a sentence broken over two lines (a compact copy) is one sentence: a line of four or more words
  that ends no sentence, followed by a line that starts in lower case and ends one;
- the numbered list 1-7 after the city's activities is the survey-wide ranking, not an answer;
- ``N cities`` chart lines and the label after each belong to survey statistics, not the city;
- a legend line of the data-availability chart sets the level of the policy areas after it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProfileError
from .organisations import TOPIC, Unit, is_lead, read_paragraphs


# The 20 profile sections, in page order (concepts of igv:profile-section).
SECTIONS = (
    "mayor", "population", "innovation-website", "lead-innovation-officer", "goals",
    "success-factors", "spotlight", "strategy", "approach", "policy-areas", "roles",
    "organisations", "terms", "activities", "dedicated-funding", "funding-sources",
    "funded-activities", "partnerships", "data-partnerships", "data-availability",
)


@dataclass
class Share:
    """A survey-wide figure quoted beside an answer ("Like 81% of cities surveyed, ...")."""

    percent: float | None = None
    printed: str | None = None      # "more than half" when no percentage is printed
    edition: int | None = None      # "in the 2020 survey"
    sentence: str = ""


@dataclass
class Paragraph:
    """A prose paragraph that may describe a program."""

    text: str
    heading: str | None = None      # "Human capital" in "Human capital: The Profliner system ..."
    origin: str = "spotlight"       # spotlight | policy-areas


@dataclass
class Profile:
    """What the text states, section by section. None = not found; [] = found, no item."""

    city_name: str | None = None
    city_names_seen: list[str] = field(default_factory=list)
    mayor: str | None = None
    population: int | None = None
    population_year: int | None = None
    population_printed: str | None = None
    website: bool = False
    website_url: str | None = None
    officer: str | None = None
    officer_slot: bool = False
    goals: list[str] | None = None
    success_factors: list[str] | None = None
    spotlight: list[Paragraph] | None = None
    strategy: bool | None = None
    strategy_share: Share | None = None
    approach: str | None = None        # both | holistic | specific | redefining
    approach_sentence: str | None = None
    approach_share: Share | None = None
    prioritises: bool | None = None
    policy_areas: list[str] | None = None
    policy_paragraphs: list[Paragraph] = field(default_factory=list)
    declared_roles: int | None = None
    roles: list[str] | None = None
    organisations: list[Unit] | None = None      # the organisation paragraph's teams and organisations
    dedicated_team: bool | None = None            # "does not have a dedicated team for innovation" -> False
    dedicated_sentence: str | None = None
    organisation_context: list[str] = field(default_factory=list)  # read, naming no organisation
    organisations_partly: bool = False            # some sentence of the paragraph could not be read
    terms: list[str] | None = None
    activities: list[str] | None = None
    ranking_skipped: int = 0
    dedicated_funding: bool | None = None
    funding_share: Share | None = None
    funding_sources: list[str] | None = None
    funded_activities: list[str] | None = None
    extra_funded: list[tuple[str, Share]] = field(default_factory=list)
    invests_in: list[str] = field(default_factory=list)    # "X also invests in digital systems ..."
    chart_counts: list[tuple[int, str]] = field(default_factory=list)
    partnerships: bool | None = None
    partners: list[str] | None = None
    partnership_sentence: str | None = None
    data_partners: list[str] | None = None
    data_partnership_sentence: str | None = None
    data_availability: list[tuple[str, str]] | None = None   # (level label, area label)
    data_legends_empty: list[str] = field(default_factory=list)
    cites_editions: set[int] = field(default_factory=set)
    vintage_note: str | None = None
    unread: list[str] = field(default_factory=list)          # what could not be read, and why

    def reached(self, section: str) -> bool:
        return _REACHED[section](self)


_REACHED = {
    "mayor": lambda p: p.mayor is not None,
    "population": lambda p: p.population is not None and p.population_year is not None,
    "innovation-website": lambda p: p.website,
    "lead-innovation-officer": lambda p: p.officer is not None,
    "goals": lambda p: p.goals is not None,
    "success-factors": lambda p: p.success_factors is not None,
    "spotlight": lambda p: p.spotlight is not None,
    "strategy": lambda p: p.strategy is not None,
    "approach": lambda p: p.approach is not None,
    "policy-areas": lambda p: p.policy_areas is not None or p.prioritises is not None,
    "roles": lambda p: p.roles is not None or p.declared_roles is not None,
    "organisations": lambda p: p.organisations is not None,
    "terms": lambda p: p.terms is not None,
    "activities": lambda p: p.activities is not None,
    "dedicated-funding": lambda p: p.dedicated_funding is not None,
    "funding-sources": lambda p: p.funding_sources is not None,
    "funded-activities": lambda p: (p.funded_activities is not None or bool(p.extra_funded)
                                    or bool(p.invests_in)),
    "partnerships": lambda p: p.partnerships is not None,
    "data-partnerships": lambda p: p.data_partners is not None,
    "data-availability": lambda p: p.data_availability is not None,
}


# ------------------------------------------------------------------ headings

_HEADINGS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(pattern, re.IGNORECASE)) for key, pattern in [
        ("goals", r"^innovation is helping to\s*:?$"),
        ("success-factors", r"^critical success factors\s*:?$"),
        ("spotlight", r"^spotlight on innovation in (?P<city>.+?)\s*:?$"),
        ("vision", r"^vision and approach to innovation capacity\s*:?$"),
        ("policy-areas", r"^policy areas (?:that|which) (?P<city>.+?) (?:is|are) focused on\s*:?$"),
        ("chart", r"^policy areas by number of cities$"),
        ("roles", r"^(?P<city>.+?) utili[sz]es (?:(?P<count>\d+) )?(?:different )?innovation skills or roles$"),
        ("roles", r"^innovation skills or roles$"),     # printed where the city gives no count
        ("roles-chart", r"^innovation roles by number of cities$"),
        ("terms", r"^terms (?P<city>.+?) most associates? with innovation\s*:?$"),
        ("activities", r"^(?P<city>.+?)['’]s? most common innovation activities\s*:?$"),
        ("funding", r"^how is innovation funded here\s*\??$"),
        ("funding-sources", r"^top sources? of funding\s*:?$"),
        ("funded-activities", r"^activities being funded\s*:?$"),
        ("measured", r"^how is innovation measured\s*\??$"),
        ("data-availability", r"^data availability by policy area\s*:?$"),
    ]
]
# Lines that only a profile prints: used to tell a profile from another document.
_MARKERS = re.compile(
    r"^(innovation website|lead innovation officer|innovation is helping to|critical success factors"
    r"|spotlight on innovation in|vision and approach to innovation capacity|policy areas that"
    r"|how is innovation funded here|top sources? of funding|activities being funded"
    r"|how is innovation measured|data availability by policy area|terms .+ most associates?"
    r"|.+ most common innovation activities|.+ utili[sz]es .*innovation skills or roles)",
    re.IGNORECASE,
)

_BULLET = re.compile(r"^[•·●▪◦\-–*]\s+")
_POPULATION = re.compile(r"^(?P<value>\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+|\d+)\s*(?:\((?P<year>\d{4})\))?$")
_NUMBERED = re.compile(r"^\d+\s*[.)]?\s*\d*$")          # "1. 1", "2", "3)" of the 1-7 ranking
_CITY_COUNT = re.compile(r"^(\d+)\s+cities$", re.IGNORECASE)
_LEGEND = re.compile(
    r"^(?:no response|(?:sufficient|insufficient|some|limited|partial|little|no|not enough)\s.*data"
    r"|data (?:not )?available|n/?a)$",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"^(?:like|along with|similar to|as with|unlike|in line with)\s+(?P<share>.+?)\s+of\s+"
    r"(?:the\s+)?(?:participating\s+|surveyed\s+)?cities(?:\s+surveyed)?"
    r"(?:\s+in the (?P<edition>\d{4}) survey)?\s*,",
    re.IGNORECASE,
)
_POLICY_PARAGRAPH = re.compile(r"^([^:]{3,120}):\s+(\S.{30,})$")   # "Human capital: The Profliner ..."
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“*])")
_CUT = re.compile(r"(…|\.\.\.)$")


def read_profile_file(path: str | Path) -> Profile:
    """Read a profile file; `ProfileError` when it is not a readable profile."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return read_profile(decode(data, str(path)))


def decode(data: bytes, shown: str = "the profile") -> str:
    """Bytes -> text, refusing what is not text."""
    if not data.strip():
        raise ProfileError(f"{shown} is empty: nothing to ingest.")
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    if b"\x00" in sample or controls > len(sample) * 0.02:
        raise ProfileError(f"{shown} is a binary file, not the text of a city profile.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"{shown} is not UTF-8 text (byte {exc.start}); save the profile text as UTF-8."
        ) from exc


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u200b", "")
    line = _BULLET.sub("", line.strip())
    return " ".join(line.split())


def _heading(line: str) -> tuple[str, re.Match] | None:
    for key, pattern in _HEADINGS:
        if m := pattern.match(line):
            return key, m
    return None


def _is_prose(line: str) -> bool:
    """A sentence rather than a list label."""
    return line.endswith((".", ".”", '."', ".*")) or len(line) > 160 or line.startswith("*")


def read_profile(text: str) -> Profile:
    """Profile text -> Profile. Raises ProfileError for input that is not a readable profile."""
    lines = _join_broken([c for c in (_clean(raw) for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
                          if c])
    if not lines:
        raise ProfileError("The profile is empty: nothing to ingest.")
    markers = {m.group(1).lower() for line in lines if (m := _MARKERS.match(line))}
    if len(markers) < 2 and any(_POPULATION.match(line) for line in lines[:4]):
        raise ProfileError(
            "The profile looks truncated: it stops in its header block (mayor, population) before any "
            "section. Get a complete copy of the profile text."
        )
    if len(markers) < 2:
        raise ProfileError(
            "This does not look like a city profile of the Survey on Innovation Capacity in Cities: "
            "none of its headings ('Innovation is helping to', 'Critical success factors', "
            "'How is innovation funded here?', ...) were found."
        )
    profile = Profile()
    blocks = _blocks(lines, profile)
    _read_header(blocks.pop(0)[1], profile)
    for key, match, body in blocks:
        _read_block(key, match, body, profile)
    paragraphs = _organisation_paragraphs(blocks)
    for line in lines:
        if _is_prose(line) and line not in paragraphs:
            _read_sentences(line, profile)
    _settle_city_name(profile)
    _read_organisations(paragraphs, profile)
    _check_complete(lines, profile)
    return profile


_OPENERS = r"(?:like|along with|similar to|unlike|as with|in line with|to improve|the city|the|this|it)\b"


def _check_complete(lines: list[str], profile: Profile) -> None:
    """A copy that stops mid-sentence or on an empty heading is truncated: refuse it."""
    last = lines[-1]
    if last.lower().startswith("e.g."):
        return  # the examples line of a highlighted activity: complete as printed
    words = last.split()
    city = re.escape(profile.city_name) if profile.city_name else None
    opener = re.match(_OPENERS, last, re.IGNORECASE) or (city and re.match(rf"{city}\b", last))
    ends_sentence = last.rstrip("*”\"')").endswith((".", "!", "?", ":"))
    cut = (
        _CUT.search(last)
        or (len(words) >= 12 and not ends_sentence)
        or (not ends_sentence and not last.endswith(")") and _heading(last) is None
            and not _LEGEND.match(last) and not _MARKERS.match(last) and opener and len(words) >= 3)
    )
    if cut or _CITY_COUNT.match(last):
        raise ProfileError(
            f"The profile looks truncated: it ends mid-sentence ({last[-60:]!r}). Get a complete copy, "
            "or cut the text back to the end of the last complete section to ingest what it has."
        )
    found = _heading(last)
    if found and found[0] not in ("chart", "roles-chart"):
        raise ProfileError(
            f"The profile looks truncated: it ends with the heading {last!r} and nothing under it. "
            "Get a complete copy, or remove the empty heading to ingest what it has."
        )


def _blocks(lines: list[str], profile: Profile) -> list:
    """[("header", None, lines), (key, heading match, lines), ...]."""
    blocks: list = [("header", [])]
    current = blocks[0][1]
    for line in lines:
        found = _heading(line)
        if found:
            key, match = found
            current = []
            blocks.append((key, match, current))
            if city := match.groupdict().get("city"):
                profile.city_names_seen.append(city.strip())
        else:
            current.append(line)
    header = blocks.pop(0)
    return [header] + blocks


def _read_header(body: list[str], profile: Profile) -> None:
    i = 0
    while i < len(body):
        line = body[i]
        low = line.lower()
        if m := _POPULATION.match(line):
            profile.population_printed = line
            profile.population = int(re.sub(r"\D", "", m.group("value")))
            if m.group("year"):
                profile.population_year = int(m.group("year"))
            else:
                profile.unread.append(
                    f"population: {line!r} is printed without a year; a population observation needs "
                    "its reference year, so the figure is kept only in an editorial note.")
        elif low.startswith("innovation website"):
            profile.website = True
            if url := re.search(r"https?://\S+", line):
                profile.website_url = url.group(0).rstrip(".,;)")
        elif low.startswith("lead innovation officer"):
            profile.officer_slot = True
            rest = line[len("lead innovation officer"):].strip(" :")
            if rest:
                profile.officer = rest
            elif i + 1 < len(body) and _looks_like_name(body[i + 1]):
                profile.officer = body[i + 1]
                i += 1
        elif i == 0 and _looks_like_name(line):
            profile.mayor = line
        elif re.search(r"snapshot.*produced in (\d{4})", line, re.IGNORECASE):
            profile.vintage_note = line
        else:
            profile.unread.append(f"header: line {line!r} was not understood.")
        i += 1
    if profile.mayor is None:
        profile.unread.append("mayor: the first line of the text is not a name (no mayor slot).")
    if profile.officer_slot and profile.officer is None:
        profile.unread.append("lead innovation officer: the slot is printed but no name follows it.")


def _looks_like_name(line: str) -> bool:
    if _POPULATION.match(line) or _heading(line) or _MARKERS.match(line) or _is_prose(line):
        return False
    words = line.split()
    return 1 <= len(words) <= 8 and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


_NAME_PARTICLES = {"de", "da", "del", "della", "di", "do", "dos", "du", "la", "le", "van", "von",
                   "der", "den", "y", "e", "al", "bin", "ibn", "ter", "ten"}


def _items(body: list[str]) -> list[str]:
    """List labels of a block: not prose, not 'e.g.' examples, not chart lines."""
    return [line for line in body if not _is_prose(line) and not line.lower().startswith("e.g.")
            and not _CITY_COUNT.match(line) and not _LEGEND.match(line)]


def _dedupe(items: list[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


def _read_block(key: str, match: re.Match, body: list[str], profile: Profile) -> None:
    if key == "goals":
        profile.goals = _dedupe((profile.goals or []) + _items(body))
    elif key == "success-factors":
        profile.success_factors = _dedupe((profile.success_factors or []) + _items(body))
    elif key == "spotlight":
        profile.spotlight = (profile.spotlight or []) + [
            Paragraph(line, origin="spotlight") for line in body if _is_prose(line)]
    elif key == "policy-areas":
        areas = []
        for line in body:
            m = _POLICY_PARAGRAPH.match(line)
            if m:
                profile.policy_paragraphs.append(Paragraph(m.group(2), m.group(1).strip(), "policy-areas"))
            elif not _is_prose(line):
                areas.append(line)
        profile.policy_areas = _dedupe((profile.policy_areas or []) + areas)
        if profile.policy_areas:
            profile.prioritises = True
    elif key == "roles":
        if match.groupdict().get("count"):
            profile.declared_roles = int(match.group("count"))
        profile.roles = _dedupe((profile.roles or []) + _items(body))
    elif key == "terms":
        profile.terms = _dedupe((profile.terms or []) + _items(body))
    elif key == "activities":
        items, ranking = [], False
        for line in body:
            if _NUMBERED.match(line):
                ranking = True
                profile.ranking_skipped += 1
            elif not ranking and not _is_prose(line) and not line.lower().startswith("e.g."):
                items.append(line)
        profile.activities = _dedupe((profile.activities or []) + items)
    elif key == "funding-sources":
        profile.funding_sources = _dedupe((profile.funding_sources or []) + _items(body))
    elif key == "funded-activities":
        items, skip_next = [], False
        for line in body:
            if m := _CITY_COUNT.match(line):
                skip_next = True
                profile.chart_counts.append((int(m.group(1)), ""))
            elif skip_next:
                skip_next = False
                profile.chart_counts[-1] = (profile.chart_counts[-1][0], line)
            elif not _is_prose(line):
                items.append(line)
        profile.funded_activities = _dedupe((profile.funded_activities or []) + items)
    elif key == "data-availability":
        rows, level = [], None
        for line in body:
            if _is_prose(line) or _CITY_COUNT.match(line):
                continue
            if _LEGEND.match(line):
                if level is not None and not any(lv == level for lv, _ in rows):
                    profile.data_legends_empty.append(level)
                level = line
            elif level is None:
                profile.unread.append(
                    f"data availability: {line!r} comes before any legend line, so its level is unknown.")
            else:
                rows.append((level, line))
        if level is not None and not any(lv == level for lv, _ in rows):
            profile.data_legends_empty.append(level)
        if rows or profile.data_legends_empty:
            profile.data_availability = (profile.data_availability or []) + rows
        else:
            profile.unread.append("data availability: the heading is printed but no legend or area follows.")
    # vision, funding, measured, chart: their content is sentences, read by _read_sentences.


def _share(sentence: str) -> Share | None:
    m = _SHARE.match(sentence)
    if not m:
        return None
    raw = m.group("share").strip()
    pct = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", raw)
    return Share(percent=float(pct.group(1)) if pct else None, printed=None if pct else raw.lower(),
                 edition=int(m.group("edition")) if m.group("edition") else None, sentence=sentence)


def _negative(sentence: str) -> bool:
    return bool(re.search(r"\b(does not|doesn['’]t|do not|has no|have no|lacks|without)\b", sentence, re.I))


def _read_sentences(line: str, profile: Profile) -> None:
    for year in re.findall(r"\bthe (\d{4}) survey\b", line):
        profile.cites_editions.add(int(year))
    for sentence in _SENTENCE_END.split(line):
        low = sentence.lower()
        if "innovation strategy" in low and profile.strategy is None:
            profile.strategy = not _negative(sentence)
            profile.strategy_share = _share(sentence)
        elif "approaches innovation capacity" in low or "approach innovation capacity" in low:
            share = _share(sentence)
            if "both" in low or ("holistic" in low and "specific" in low):
                profile.approach = "both"
            elif "holistic" in low or "macro" in low:
                profile.approach = "holistic"
            elif "specific" in low or "domain" in low:
                profile.approach = "specific"
            else:
                profile.unread.append(f"approach: the sentence {sentence!r} names no known approach.")
                continue
            profile.approach_sentence, profile.approach_share = sentence, share
        elif "redefining" in low and "approach" in low and profile.approach is None:
            profile.approach, profile.approach_sentence = "redefining", sentence
        elif re.search(r"\b(does not|doesn['’]t) (prioriti[sz]e|focus on) (specific )?policy areas", low):
            profile.prioritises = False
        elif "dedicated funding" in low and profile.dedicated_funding is None:
            profile.dedicated_funding = not _negative(sentence)
            profile.funding_share = _share(sentence)
        elif m := re.search(r"(?:is )?(?:also )?directed (?:towards?|to) (.+?)\*?\s*\.?$", sentence, re.I):
            label = m.group(1).strip(" *.")
            profile.extra_funded.append((label, _share(sentence) or Share(sentence=sentence)))
        elif m := re.search(r"\balso invests? in (.+?)\.?$", sentence, re.I):
            profile.invests_in.append(m.group(1))
        elif "innovation work is internal to the city administration" in low:
            if profile.partnerships:
                profile.unread.append("partnerships: the text both lists partners and says the work is internal.")
            profile.partnerships = False
            profile.partners = []
            profile.partnership_sentence = sentence
        elif m := re.search(r"\bdata partnerships? with (.+?)\.?$", sentence, re.I):
            profile.data_partners = [m.group(1)]           # split against the vocabulary later
            profile.data_partnership_sentence = sentence
        elif m := re.search(r"\bpartnerships? (?:to promote innovation capacity )?with (.+?)\.?$", sentence, re.I):
            if profile.partnerships is False:
                profile.unread.append("partnerships: the text both lists partners and says the work is internal.")
            profile.partnerships = True
            profile.partners = [m.group(1)]                # split against the vocabulary later
            profile.partnership_sentence = sentence


def _join_broken(lines: list[str]) -> list[str]:
    """Join a sentence a compact copy breaks over two lines ('X currently does not have a
    dedicated' / 'team for innovation.'); list labels and 'e.g.' lines are never joined."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (line[:1].islower() and not line.lower().startswith("e.g.") and _is_prose(line)
                and prev[:1].isupper() and len(prev.split()) >= 4 and not _is_prose(prev)
                and not prev.rstrip().endswith((":", ")")) and _heading(prev) is None and not _MARKERS.match(prev)):
            out[-1] = f"{prev} {line}"
        else:
            out.append(line)
    return out


def _organisation_paragraphs(blocks: list) -> list[str]:
    """The prose lines that are organisation paragraphs: the first one after the roles heading or
    the roles chart, when it speaks of teams, staff or organisations (its place on the page);
    elsewhere (not in a spotlight or policy-area paragraph) one that opens with one of its forms."""
    found: list[str] = []
    for key, _, body in blocks[1:]:
        prose = [line for line in body if _is_prose(line)]
        for k, line in enumerate(prose):
            if line in found or key == "spotlight" or (
                    key == "policy-areas" and _POLICY_PARAGRAPH.match(line)):
                continue
            in_place = k == 0 and key in ("roles", "roles-chart") and not _SHARE.match(line)
            if is_lead(line) or (in_place and TOPIC.search(line)):
                found.append(line)
    return found


def _read_organisations(paragraphs: list[str], profile: Profile) -> None:
    """The organisation paragraphs into the profile; what they do not say is left unknown."""
    para = read_paragraphs(paragraphs)
    profile.unread.extend(f"organisations: could not read {s!r}; nothing is recorded from it." for s in para.unread)
    if para.conflict:
        profile.unread.append("organisations: the text both says the city has a dedicated team for innovation "
                              "and that it has none; ig:hasDedicatedInnovationTeam is not stated.")
    if para.read_any:
        profile.organisations, profile.organisation_context = para.units, para.context
        profile.dedicated_team, profile.dedicated_sentence = para.dedicated_team, para.dedicated_sentence
        profile.organisations_partly = bool(para.unread)


def _settle_city_name(profile: Profile) -> None:
    names = _dedupe(profile.city_names_seen)
    if names:
        profile.city_name = names[0]
        if len(names) > 1:
            profile.unread.append(f"city name: headings name it differently ({', '.join(names)}); "
                                  f"{names[0]!r} is used.")
