"""The organisation paragraph of a profile: its printed forms read into units, and the units
made organisations of the record.

The paragraph sits after the roles (after the line `Innovation roles by number of cities`, or
after `Innovation skills or roles` where no role is printed) and takes many forms, for example::

    Situated in the Mayor's office, X's dedicated team for innovation led by the Director of
    Innovation consists of 6 staff. In addition, the Chief Performance Officer leads ...
    As an independent body, X's innovation work is being led by the Director of Social Innovation
    Division with more than 100 staff members in around 20 teams.
    X does not have dedicated team for innovation. The City previously managed ... through the
    Innovation Delivery Team, funded by ... and housed in the Mayor's Office.
    X has several organizations dedicated to innovation, including A, B, C and D.

`read_paragraph` reads one paragraph sentence by sentence. A sentence is read only when its
whole structure is one of the forms below; any other sentence is returned as unread, never
guessed at. `build_orgs` turns the units into `Org`s of the record, matching each placement to
the organisation-placement scheme (`labels.py`: exact, normalised, near, else a flagged
free-text concept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..namespaces import slugify
from .labels import Match, Vocabulary, normalise
from .writer import Org

# ------------------------------------------------------------------ what a paragraph says


@dataclass
class Unit:
    """One team or organisation the paragraph names or describes."""

    sentence: str                   # the sentence it is read from, verbatim (its description)
    name: str | None = None         # as printed; None: the profile does not name it
    noun: str | None = None         # what the text calls it: team, department, office, ...
    placement: str | None = None    # as printed, without "the": "Mayor’s office"
    placement_phrase: str | None = None   # the printed phrase it is read from
    size: int | None = None         # an exact team size, only where one is printed
    size_printed: str | None = None  # the size as printed ("6 staff", "more than 100 staff members")
    leader: str | None = None       # "Director of Innovation", as printed
    dedicated: bool = False         # the text calls it a dedicated team for innovation
    previous: bool = False          # the text describes it as a team of the past
    listed: bool = False            # named in "has several organizations dedicated to innovation"


@dataclass
class OrgParagraph:
    """What the organisation paragraph(s) of a profile say."""

    dedicated_team: bool | None = None    # "does not have a dedicated team" -> False
    dedicated_sentence: str | None = None
    units: list[Unit] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # sentences read that name no organisation
    unread: list[str] = field(default_factory=list)   # sentences not read, as printed
    conflict: bool = False                # says both that the city has a dedicated team and that it has none

    @property
    def read_any(self) -> bool:
        return self.dedicated_team is not None or bool(self.units) or bool(self.context)


_A = "['’]"
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER = r"(?:\d+|" + "|".join(_NUMBER_WORDS) + r")"
_PEOPLE = (r"(?:(?:full-time|part-time|permanent|dedicated) )?"
           r"(?:staff(?: members)?|people|persons|employees|members|officers|FTEs?)")
_BOUND = (r"(?:more than|over|at least|upwards of|less than|fewer than|under|up to|around|about|"
          r"approximately|roughly|nearly|almost|some|close to)")
_SIZE = re.compile(rf"^(?P<bound>{_BOUND} )?(?P<n>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<m>{_NUMBER}))?"
                   rf"(?: (?P<unit>{_PEOPLE}))?(?P<rest>.*)$", re.I)
_HEADS = ("department", "office", "agency", "cluster", "team", "lab", "laboratory", "unit",
          "secretary", "secretariat", "council", "committee", "centre", "center", "hub",
          "institute", "foundation", "corporation", "division", "bureau", "authority", "network",
          "directorate", "services")
_CAPWORD = r"[A-Z0-9][\w’'&.-]*"
_NAME = rf"{_CAPWORD}(?: (?:(?:of|and|for|the|on|de|&) )*{_CAPWORD})*"
_TRANSITION = re.compile(r"^(?:However|In addition|Additionally|Also|Moreover|Furthermore|Today|Now),\s+")

# "Situated in the Mayor's office, ..." / "Under the purview of the City Manager, ..." /
# "As an independent body, ...": the placement, then the main clause.
_INTRO = re.compile(
    r"^(?:(?:Situated|Housed|Located|Based|Placed|Sitting|Positioned) (?:in|within|at|inside) (?:the )?(?P<in>[^,]+?)"
    r"|Under the (?:purview|authority|supervision|responsibility|direction) of (?:the )?(?P<under>[^,]+?)"
    r"|As an? (?P<as>(?:independent|standalone|stand-alone|separate|autonomous) [a-z]+)"
    r"|(?:In|Within) the (?P<office>[^,]*?(?:[Oo]ffice|[Dd]epartment|[Dd]ivision|[Uu]nit|[Bb]ureau)))"
    r"\s*,\s*(?P<rest>.+)$")
_NONE = re.compile(
    rf"^(?P<city>.+?) (?:(?:currently|still) )?(?:does not|doesn{_A}t|do not|did not) (?:(?:currently|yet|still) )?"
    r"have (?:a |an |any )?(?:dedicated|specific|specialised|specialized) (?:innovation )?(?:team|unit|staff)"
    r"(?: (?:for|dedicated to|focused on) innovation)?(?P<rest>[,;:] .+)?\.?$", re.I)
_NONE_HAS = re.compile(r"^(?P<city>.+?) has no (?:dedicated|specific) (?:innovation )?(?:team|unit|staff)"
                       r"(?: (?:for|dedicated to) innovation)?(?P<rest>[,;:] .+)?\.?$", re.I)
_TEAM_SUBJECT = re.compile(
    rf"^(?P<city>[^,]+?){_A}s? (?P<ded>dedicated )?(?P<noun>innovation (?:team|unit|office|department|staff)"
    r"|(?:team|unit|office|department|staff) (?:for|dedicated to|focused on) innovation)(?P<tail>(?:,| \(| ).*|\.)?$")
_WORK = re.compile(rf"^(?P<city>.+?){_A}s? innovation work is (?:being )?"
                   r"(?:led|done|carried out|managed|coordinated|run|driven) by (?P<by>.+?)\.?$")
_NAMED_IS = re.compile(
    rf"^(?P<city>[^,]+?){_A}s (?P<name>{_NAME}) is an? (?P<what>(?:(?:standalone|stand-alone|independent|"
    r"separate|dedicated) )?(?:innovation )?(?P<noun>department|team|office|unit|agency|lab|division|body))"
    r"(?P<tail>.*)$")
_HAS = re.compile(
    r"^(?P<subject>the [Cc]ity|the [A-Z][^,]*?|[A-Z][^,]*?) (?:(?:also|currently|now) )?has an? "
    r"(?P<ded>dedicated )?(?P<noun>(?:innovation|Innovation) team|team (?:for|dedicated to) innovation"
    r"|[a-z][a-z -]* team)(?P<tail>(?:,| ).*|\.)?$")
_LISTED = re.compile(r"organi[sz]ations? dedicated to innovation,?\s+including\s+(.+?)\.?$", re.I)
_SPREAD = re.compile(r"\b(?:duties|work|tasks|responsibilities|capacity)\b[^.]*\b(?:are|is) (?:now )?(?:being )?"
                     r"(?:spread|shared|split|distributed|sprinkled|scattered) (?:between|across|among|throughout|over)\b")
_POST_TITLE = (r"(?:the |a |an )?(?:[A-Z][\w&’'-]* )*(?:Officer|Director|Advisor|Adviser|Manager|Lead|"
               r"Coordinator|Consultant|Advocate|Official)(?: (?:of|for) (?:the )?[A-Z][\w&’'-]*"
               r"(?: (?:and |& |of )?[A-Z][\w&’'-]*)*)?(?: \([A-Z]+\))?")
# "In addition, the Chief Performance Officer leads ..." / "X's innovation work is led by the Chief
# Digital Officer.": a post, not an organisation.
_POST = re.compile(rf"^{_POST_TITLE} (?:also )?(?:leads|oversees|manages|heads|coordinates|runs|directs|supports"
                   rf"|is responsible for)\b.*$|innovation work is (?:being )?led by {_POST_TITLE}\.?$")
_PREVIOUS = re.compile(r"\b(?:previously|formerly|used to|in the past|until \w+ (?:years? )?ago)\b", re.I)
_PREVIOUS_NAME = re.compile(rf"\b(?:through|by|with) (?:the |its )?(?P<name>{_NAME})")
_HOUSED = re.compile(r"\b(?:housed|situated|located|based|placed) (?:in|within|at) (?:the )?(?P<place>[^,.]+)")
# The parts of a clause after its subject ("..., the NAME, led by the L consists of N staff").
_APPOSITIVE = re.compile(rf"^ (?:\((?:the )?(?P<a>{_NAME})\)|(?:the|called the|named the|known as the) (?P<b>{_NAME}),)")
_LED_BY = re.compile(r"^ led by (?:the |a |an )?(?P<leader>.+?)(?=,| consists| is | has | with | comprises|\.$|$)")
_CONSISTS = re.compile(r"^ (?:now )?(?:consists of|is made up of|comprises|counts|numbers|of|with) (?P<rest>.+)$")
_IN_PLACE = re.compile(r"^ (?:(?:situated|housed|located|based|placed|sitting) )?(?:in|within|at) "
                       r"(?=the |[A-Z])(?:the )?(?P<place>[^,]+?)(?=,| led by| consists| with|\.$|$)")
_ORG_OF = re.compile(rf"\bof (?:the )?(?P<org>{_NAME})$")
_DESCRIPTIVE = re.compile(r"^,? (?:(?:which|that|who) (?:is |are )?)?(?:focused|dedicated|working|responsible|"
                          r"tasked|funded|created|set up|established|charged|including|in|across)\b")

# Words that open a sentence of the paragraph; used to tell the paragraph from other prose.
LEAD = re.compile(
    r"^(?:Situated|Housed|Located|Based|Placed|Sitting|Positioned) (?:in|within|at|inside) "
    r"|^Under the (?:purview|authority|supervision|responsibility|direction) of "
    r"|^As an? (?:independent|standalone|stand-alone|separate|autonomous) [a-z]+,"
    r"|innovation work is (?:being )?(?:led|done|carried out|managed|coordinated|run|driven|sprinkled|spread"
    r"|scattered|distributed)\b"
    r"|organi[sz]ations? dedicated to innovation,? including"
    r"|(?:does not|doesn['’]t|do not) (?:currently )?have (?:a |an |any )?dedicated (?:innovation )?(?:team|unit|staff)"
    r"|has no dedicated (?:innovation )?team"
    r"|['’]s? dedicated (?:innovation )?team|has an? dedicated (?:innovation )?team", re.I)
# A sentence about staff or units (in the paragraph's place on the page, an unread one is reported).
TOPIC = re.compile(r"\b(?:team|teams|innovation work|organi[sz]ations?|staff|department|office|unit|division)\b", re.I)


def is_lead(line: str) -> bool:
    """Does the line open with one of the paragraph's forms (wherever it stands on the page)?"""
    return bool(LEAD.search(split_sentences(line)[0]))


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“*])", text) if s.strip()]


def read_paragraphs(paragraphs: list[str]) -> OrgParagraph:
    """The organisation paragraphs of a profile (usually one), sentence by sentence; whether the
    city has a dedicated team is what a sentence says ('does not have a dedicated team'), else
    True when a current team is called dedicated, else unknown."""
    para = OrgParagraph()
    for text in paragraphs:
        for sentence in split_sentences(text):
            body = _TRANSITION.sub("", sentence)
            if not _read_sentence(body, sentence, para):
                para.unread.append(sentence)
    dedicated = [u for u in para.units if u.dedicated and not u.previous]
    if para.dedicated_team is False and dedicated:
        para.conflict, para.dedicated_team, para.dedicated_sentence = True, None, None
    elif para.dedicated_team is None and dedicated:
        para.dedicated_team, para.dedicated_sentence = True, dedicated[0].sentence
    return para


def _read_sentence(body: str, sentence: str, para: OrgParagraph) -> bool:
    """Read one sentence into `para`; False when its structure is none of the known forms."""
    m = _NONE.match(body) or _NONE_HAS.match(body)
    if m:
        para.dedicated_team, para.dedicated_sentence = False, para.dedicated_sentence or sentence
        if m.group("rest"):        # "..., but it has hired external consultants": the rest is not read
            para.unread.append(m.group("rest").strip(",;: "))
        return True
    if m := _LISTED.search(body):
        para.units.extend(Unit(sentence, name=n, listed=True) for n in _split_names(m.group(1)))
        return True
    if _SPREAD.search(body):
        para.context.append(sentence)
        return True
    if _PREVIOUS.search(body):
        return _read_previous(body, sentence, para)
    place, phrase, rest = None, None, body
    if m := _INTRO.match(body):
        rest = m.group("rest")
        phrase = body[:m.start("rest")].rstrip(" ,")
        if m.group("under"):
            place = f"under the {m.group('under')}"
        else:
            place = m.group("in") or m.group("as") or m.group("office")
    unit = _main_clause(rest, sentence)
    if unit is None:
        if _POST.search(body):      # a post leads it: read, but it names no organisation
            para.context.append(sentence)
            return True
        return False
    if place:
        if unit.placement:     # placed twice in one sentence: not a form read here
            return False
        unit.placement, unit.placement_phrase = place, phrase
    para.units.append(unit)
    return True


def _main_clause(rest: str, sentence: str) -> Unit | None:
    if m := _TEAM_SUBJECT.match(rest):
        noun = next(w for w in m.group("noun").split() if w != "innovation")
        unit = Unit(sentence, noun=noun, dedicated=bool(m.group("ded")))
        return unit if _tail(m.group("tail") or "", unit) else None
    if m := _NAMED_IS.match(rest):
        unit = Unit(sentence, name=m.group("name"), noun=m.group("noun"))
        if _tail(m.group("tail"), unit):
            return unit
        # "..., with the opening of <history>, the Office now consists of 12 staff."
        size = re.search(r", (?:the \w+ |it )(?:now )?consists of (?P<size>[^,]+?)\.?$", m.group("tail"))
        unit = Unit(sentence, name=m.group("name"), noun=m.group("noun"))
        return unit if size and _size(size.group("size"), unit) else None
    if m := _HAS.match(rest):
        subject = re.sub(r"^the ", "", m.group("subject"))
        noun = m.group("noun")
        # "a process improvement team": what it is, not a name
        unit = Unit(sentence, noun=noun if noun[:1].islower() and not noun.startswith(("innovation", "team"))
                    else "team", dedicated=bool(m.group("ded")))
        if subject.lower() != "city" and subject.lower().split()[-1] in _HEADS:
            unit.placement, unit.placement_phrase = subject, m.group("subject")
        return unit if _tail(m.group("tail") or "", unit) else None
    if m := _WORK.match(rest):
        return _work(m.group("by"), sentence)
    return None


def _work(by: str, sentence: str) -> Unit | None:
    """'... innovation work is being led by X [with N staff]' / '... done by a team of N led by X'."""
    if m := re.match(r"^an? (?:dedicated )?team of (?P<tail>.+)$", by):
        unit = Unit(sentence, noun="team")
        if not _size(m.group("tail"), unit, tail=True):
            return None
        return unit
    m = re.match(r"^(?:the |a |an )?(?P<leader>[^,]+?)(?: with (?P<size>.+))?$", by)
    if not m:
        return None
    unit = Unit(sentence, leader=m.group("leader"))
    if org := _ORG_OF.search(unit.leader):
        if org.group("org").lower().split()[-1] in _HEADS:
            unit.name = org.group("org")
    if m.group("size") and not _size(m.group("size"), unit):
        return None
    return unit if unit.name or unit.size_printed else None


def _tail(tail: str, unit: Unit) -> bool:
    """What follows the subject: appositive name, leader, size, placement, in any order; True when
    all of it is understood."""
    tail = tail.strip()
    while tail and tail != ".":
        tail = " " + tail.lstrip(" ,") if tail.startswith(",") else " " + tail.lstrip()
        if m := _APPOSITIVE.match(tail):
            unit.name = m.group("a") or m.group("b")
        elif m := _LED_BY.match(tail):
            unit.leader = m.group("leader")
        elif m := _CONSISTS.match(tail):
            return _size(m.group("rest"), unit, tail=True)
        elif m := _IN_PLACE.match(tail):
            if unit.placement:
                return False
            unit.placement, unit.placement_phrase = m.group("place"), m.group(0).strip()
        elif _DESCRIPTIVE.match(tail):
            return True
        else:
            return False
        tail = tail[m.end():]
    return True


def _size(text: str, unit: Unit, *, tail: bool = False) -> bool:
    """A size phrase: an exact number of staff, or a bound or range kept only as printed."""
    text = text.strip()
    m = _SIZE.match(text)
    if not m:
        return False
    rest = m.group("rest").rstrip(".")
    if tail and rest and not _tail(rest, unit):
        return False
    if not tail and rest and not _DESCRIPTIVE.match(rest):
        return False
    unit.size_printed = text[:m.start("rest")].strip()
    if not m.group("bound") and not m.group("m"):
        n = m.group("n").lower()
        unit.size = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        if unit.size == 0:
            return False
    return True


def _read_previous(body: str, sentence: str, para: OrgParagraph) -> bool:
    """'The City previously managed ... through the Innovation Delivery Team, ... housed in the
    Mayor's Office': a named team of the past."""
    names = [m.group("name") for m in _PREVIOUS_NAME.finditer(body)
             if m.group("name").lower().split()[-1] in _HEADS]
    if len(names) != 1:
        return False
    unit = Unit(sentence, name=names[0], previous=True)
    if m := _HOUSED.search(body):
        unit.placement, unit.placement_phrase = m.group("place").strip(), m.group(0).strip()
    para.units.append(unit)
    return True


def _split_names(text: str) -> list[str]:
    """'the A, B, C and D' -> [A, B, C, D]; an 'and' inside a name is kept where the layout allows."""
    parts = [p.strip() for p in re.split(r",\s*", text) if p.strip()]
    names: list[str] = []
    for k, part in enumerate(parts):
        part = re.sub(r"^(?:and|the)\s+", "", part, flags=re.I)
        part = re.sub(r"^the\s+", "", part, flags=re.I)
        if k == len(parts) - 1:
            names.extend(_split_last(part))
        else:
            names.append(part)
    return [n for n in (re.sub(r"^the\s+", "", n, flags=re.I).strip() for n in names) if n]


def _split_last(part: str) -> list[str]:
    """The last list item may hold two names joined by 'and' (no Oxford comma)."""
    cuts = [m for m in re.finditer(r"\s+and\s+(?:the\s+)?(?=[A-ZÀ-Ý])", part)]
    good = []
    for m in cuts:
        left, right = part[:m.start()], part[m.end():]
        if len(right.split()) >= 2 or right.lower().endswith(_HEADS):
            score = 2 if left.lower().split()[-1] in _HEADS else 1
            good.append((score, -m.start(), left, right))
    if not good:
        return [part]
    _, _, left, right = max(good)
    return [left, right]


# ------------------------------------------------------------------ units as organisations

_ORG_KINDS = [("department", "ig:InnovationDepartment"), ("agency", "ig:InnovationAgency"),
              ("cluster", "ig:InnovationCluster"), ("team", "ig:InnovationTeam"),
              ("lab", "ig:InnovationTeam"), ("laboratory", "ig:InnovationTeam")]
_NOUN_KINDS = {"team": "ig:InnovationTeam", "staff": "ig:InnovationTeam", "unit": "ig:InnovationTeam",
               "department": "ig:InnovationDepartment", "agency": "ig:InnovationAgency",
               "office": "ig:InnovationOrganisation"}
_INDEPENDENT = re.compile(r"(?:independent|standalone|stand-alone|separate|autonomous) ", re.I)
# A placement in an office or department of the city: the organisation is part of its administration.
_IN_ADMINISTRATION = re.compile(r"\b(?:office|department|division|unit|bureau|manager|mayor|services|directorate"
                                r"|city hall)\b", re.I)


def org_class(org_name: str) -> tuple[str, str | None]:
    """The class an organisation's printed name says it is, and the word that says so.

    >>> org_class("Moscow Agency of Innovation")
    ('ig:InnovationAgency', 'agency')
    >>> org_class("Office of Mobility Innovation")
    ('ig:InnovationOrganisation', None)
    """
    words = normalise(org_name).split()
    for word, cls in _ORG_KINDS:
        if word in words:
            return cls, word
    return "ig:InnovationOrganisation", None


def build_orgs(units: list[Unit], vocab: Vocabulary, city: str, *, accept_near: bool,
               understood: list[str], matches: list[tuple[str, Match]]) -> list[Org]:
    """The units as the record's organisations (one per distinct name or slug), each placement
    matched in the organisation-placement scheme and noted in `matches` and `understood`."""
    orgs: list[Org] = []
    for unit in units:
        org = _org(unit, city)
        if not org.slug or org.slug in {o.slug for o in orgs}:
            if unit.name is None:
                org.slug = _free_slug(org.slug, orgs)
            else:
                understood.append(f"{unit.name}: named again ({unit.sentence!r}); the first mention is kept")
                continue
        said = [f"{org.name or org.label} ({org.cls})"]
        if unit.placement:
            found = vocab.lookup("organisation-placement", unit.placement, accept_near=accept_near)
            matches.append(("organisations", found))
            org.placement = found.iri
            org.in_administration = bool(_IN_ADMINISTRATION.search(unit.placement))
            said.append(f"placement {found.describe()}")
        if unit.size is not None:
            org.team_size = unit.size
            said.append(f"team size {unit.size} ({unit.size_printed!r})")
        elif unit.size_printed:
            said.append(f"size {unit.size_printed!r} is not an exact number: kept in the description, "
                        "no ig:teamSize")
        if unit.leader:
            said.append(f"led by the {unit.leader}")
        if unit.previous:
            said.append("a PREVIOUS team, not a current one")
        understood.append("; ".join(said))
        orgs.append(org)
    return orgs


def _free_slug(slug: str, orgs: list[Org]) -> str:
    taken = {o.slug for o in orgs}
    k = 2
    while f"{slug}-{k}" in taken:
        k += 1
    return f"{slug}-{k}"


def _org(unit: Unit, city: str) -> Org:
    notes: list[str] = []
    if unit.name:
        cls, word = org_class(unit.name)
        if unit.noun in _NOUN_KINDS and not unit.listed:
            cls, word = _NOUN_KINDS[unit.noun], None
            notes.append(f"Reading: typed {cls} because the profile calls it a {unit.noun}.")
        elif word:
            notes.append(f"Reading: the kind of organisation ({cls}) is taken from the word '{word}' in its "
                         "printed name" + ("; the profile gives no placement." if unit.listed else "."))
        else:
            notes.append("Reading: its printed name does not say what kind of organisation it is"
                         + ("; the profile gives no placement." if unit.listed else "."))
        org = Org(slugify(unit.name), unit.name, cls, notes)
    else:
        cls = _NOUN_KINDS.get(unit.noun or "team", "ig:InnovationTeam")
        if unit.placement and _INDEPENDENT.match(unit.placement) and unit.placement.endswith("department"):
            cls = "ig:InnovationDepartment"
        label, slug = _descriptive_label(unit, cls, city)
        notes.append("The profile gives the team no name, so it has a descriptive rdfs:label and no schema:name.")
        org = Org(slug, None, cls, notes, label=label)
    if unit.placement_phrase:
        notes.append(f"Reading: the placement is read from the printed words {unit.placement_phrase!r}.")
    if unit.size_printed and unit.size is None:
        notes.append(f"The profile gives its size as {unit.size_printed!r}, not an exact number, so ig:teamSize "
                     "is not stated; the printed words are kept in the description.")
    elif unit.size is not None and not unit.size_printed[:1].isdigit():
        notes.append(f"Reading: the team size {unit.size} is the number printed in words ({unit.size_printed!r}).")
    if unit.leader and not unit.listed:
        notes.append(f"The profile says it is led by the {unit.leader}; the post is not recorded as a post of "
                     "the city here.")
    if unit.previous:
        said = _PREVIOUS.search(unit.sentence).group(0)
        notes.append(f"Reading: the sentence that names {unit.name} speaks of the past ('{said}'), so it is "
                     "recorded as a team the city had, not as a current one; its description is the printed "
                     "sentence, and it is no evidence that the city has a dedicated team now.")
    if not unit.listed:
        org.description = unit.sentence
    return org


def _descriptive_label(unit: Unit, cls: str, city: str) -> tuple[str, str]:
    """The rdfs:label and the IRI slug of a team the profile does not name."""
    if cls == "ig:InnovationDepartment":
        kind = "innovation department"
    elif unit.noun and unit.noun.endswith(" team"):
        kind = unit.noun                    # "process improvement team"
    else:
        kind = "innovation office" if unit.noun == "office" else "innovation team"
    place = unit.placement
    if place and _INDEPENDENT.match(place):
        return f"{place.split()[0].capitalize()} {kind} of {city}", slugify(kind)
    label = f"Dedicated {kind}" if unit.dedicated else kind[0].upper() + kind[1:]
    if place:
        return f"{label} in the {place} of {city}", f"{slugify(place)}-{slugify(kind)}"
    return f"{label} of {city}", slugify(kind)
