"""A read Profile as a Record: which concept each printed label is, which notes explain each
reading, and what the report says was understood or could not be read.

`build_record` is the mapping; the tables above it (the lists a profile prints, the approach
categories, the kinds of program) are the layout knowledge it relies on, and the organisation
paragraph's forms are `organisations.py`'s.
Nothing here validates or writes: `pipeline.py` does that.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from ..errors import OptionError, ProfileError
from ..namespaces import IG, IGV, slugify
from .labels import Match, Vocabulary, normalise, split_list
from .organisations import build_orgs
from .reader import SECTIONS, Paragraph, Profile, Share
from .writer import NewConcept, Program, Record, term

EDITIONS = (2018, 2020)

# ISO 3166-1 alpha-3 codes of the countries of the cities in the project's sources, and their
# English short names. A country outside this table is named with --country-name.
COUNTRIES = {"ARG": "Argentina", "ESP": "Spain", "GRC": "Greece", "NZL": "New Zealand",
             "RUS": "Russia", "USA": "United States", "ZAF": "South Africa"}

# Scheme and section of each list the profile prints.
_LISTS = [
    ("goals", "goal", "goals", "ig:goal", "Vision and approach"),
    ("success_factors", "success-factor", "success-factors", "ig:criticalSuccessFactor", "Vision and approach"),
    ("policy_areas", "policy-area", "policy-areas", "ig:policyAreaOfFocus", "Vision and approach"),
    ("roles", "innovation-role", "roles", "ig:listsRole", "Roles, terms, activities"),
    ("terms", "innovation-term", "terms", "ig:associatedTerm", "Roles, terms, activities"),
    ("activities", "innovation-activity", "activities", "ig:highlightedActivity", "Roles, terms, activities"),
    ("funding_sources", "funding-source", "funding-sources", "ig:fundingSource", "Funding"),
    ("funded_activities", "funded-activity", "funded-activities", "ig:fundedActivity", "Funding"),
]
_APPROACHES = {
    "both": "both-holistic-macro-and-specific-policy-areas",
    "holistic": "holistic-macro-level",
    "specific": "specific-policy-areas-domains",
    "redefining": "redefining-its-approach-no-approach-stated",
}
_IND = "https://w3id.org/innovgraph/vocab/indicator/"
_PROGRAM_KINDS = ("platform", "program", "programme", "system", "app", "application", "initiative",
                  "project", "network", "portal", "service", "strategy", "plan", "scheme", "lab")
_NOT_NAMES = {"a", "an", "the", "this", "these", "it", "in", "since", "by", "for", "with", "as",
              "to", "its", "our", "their", "each", "every", "all", "one", "there", "through"}
_PROGRAM_NAME = re.compile(
    r"^(?:The\s+)?(?P<name>[A-Z0-9À-Ý][\w’'&.-]*(?:\s+(?:(?:and|of|for|the|de|del|la|on|in|to|&)\s+)*"
    r"[A-Z0-9À-Ý][\w’'&.-]*)*)(?:\s*\((?P<acronym>[^)]{2,15})\))?")


@dataclass
class IngestOptions:
    """What `ingest_profile` is told besides the text: the city's slug and source URL, and
    the options of `innovgraph ingest`.

    >>> IngestOptions(city_slug="fictional-x", source_url="https://example.org/fictional-x").replace
    False
    """

    city_slug: str
    source_url: str
    edition: int | None = None
    out: Path | None = None
    force: bool = False
    replace: bool = False
    accept_near: bool = False
    city_name: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    today: _dt.date | None = None


def one_line(value: str | None) -> str:
    """A name given on the command line, on one line: runs of spaces, line breaks and other
    control characters become one space ('' for None).

    >>> one_line(" Russia\\n<x> <y> <z> .\\r\\x00 ")
    'Russia <x> <y> <z> .'
    """
    return " ".join(re.sub("[\x00-\x1f\x7f-\x9f]", " ", value or "").split())


# ------------------------------------------------------------------ building the record

def build_record(profile: Profile, graph: Graph, opts: IngestOptions, *, local_copy: str | None = None):
    """Profile -> (Record, understood-by-section, label matches, unread notes).

    The steps run in page order, and the order matters: several steps add to the same section
    of the report, and two of them put their line first.
    """
    vocab = Vocabulary(graph)
    unread = list(profile.unread)
    understood: dict[str, list[str]] = {s: [] for s in SECTIONS}
    matches: list[tuple[str, Match]] = []

    rec = _new_record(profile, opts, unread, local_copy)
    _read_header(profile, rec, understood)
    lists = _match_lists(profile, vocab, opts, rec, understood, matches)
    _read_sentences(profile, rec, understood)
    declared = _declared_roles(profile, lists, rec, understood, unread)
    orgs = _organisations(profile, vocab, opts, rec, understood, matches)
    rec.programs = _programs(profile, vocab, rec, orgs, lists.get("policy_areas", []), understood, unread)
    _data_availability(profile, vocab, opts, rec, understood, matches, unread)
    _survey_ranking(profile, rec, understood)
    rec.answers = _answers(profile, lists, declared)
    rec.compared_with = _statistics(profile, graph, unread)
    _mark_sections(profile, rec, understood)
    _new_concepts(matches, rec)
    return rec, understood, matches, unread


def _new_record(profile: Profile, opts: IngestOptions, unread: list[str], local_copy: str | None) -> Record:
    """The record with its city name, edition, country and the notes on how each was found."""
    name = one_line(opts.city_name) or profile.city_name
    if not name:
        raise ProfileError("Cannot tell the city's name from the text (no 'Spotlight on innovation in X' "
                           "or 'Policy areas that X is focused on' heading); pass --city-name.")
    if one_line(opts.city_name) and profile.city_name and name != profile.city_name:
        unread.append(f"city name: the text says {profile.city_name!r}; --city-name {name!r} is used.")

    edition, edition_note = _edition(profile, opts, name)
    rec = Record(slug=opts.city_slug, city_name=name, source_url=opts.source_url, edition=edition,
                 created=(opts.today or _dt.date.today()).isoformat(), local_copy=local_copy)
    rec.record_notes.append(f"Reading: the source URL {opts.source_url} was given by the maintainer "
                            "(innovgraph ingest --source-url); the received text does not carry its URL.")
    if edition_note:
        rec.record_notes.append(edition_note)
    rec.source_notes.append("The date the copy was retrieved is not known: the text was received without it.")
    if profile.vintage_note:
        rec.vintage = profile.vintage_note
    _country(rec, opts, unread)
    return rec


def _read_header(profile: Profile, rec: Record, understood: dict) -> None:
    """The mayor, the population, the innovation website and the lead innovation officer."""
    if profile.mayor:
        rec.mayor = profile.mayor
        rec.mayor_notes.append("Reading: the name on the first line of the page sits in the profile "
                               "layout's mayor slot.")
        understood["mayor"].append(profile.mayor)
    if profile.population is not None:
        if profile.population_year:
            rec.population, rec.population_year = profile.population, profile.population_year
            understood["population"].append(f"{profile.population:,} ({profile.population_year})")
        else:
            rec.city_notes.append(f"The profile prints a population of {profile.population_printed} with no "
                                  "reference year; ig:population needs one, so the figure is kept only "
                                  "in this note.")
            understood["population"].append(f"{profile.population:,} with no year: not recorded (see note)")
    if profile.website:
        rec.website, rec.website_url = True, profile.website_url
        if not profile.website_url:
            rec.city_notes.append("The profile prints an 'Innovation Website' slot but no address, so only "
                                  "its existence is recorded.")
        understood["innovation-website"].append(profile.website_url or "slot printed, no address")
    if profile.officer:
        rec.officer = profile.officer
        understood["lead-innovation-officer"].append(profile.officer)


def _match_lists(profile: Profile, vocab: Vocabulary, opts: IngestOptions, rec: Record, understood: dict,
                 matches: list[tuple[str, Match]]) -> dict[str, list[URIRef]]:
    """The printed lists of labels, each label matched to a concept: attribute -> concept IRIs."""
    lists: dict[str, list[URIRef]] = {}

    def match(scheme: str, label: str, section: str, how: str = "") -> Match:
        """One label matched to a concept of `scheme`, noted for the report."""
        found = vocab.lookup(scheme, label, accept_near=opts.accept_near)
        matches.append((section, found))
        understood[section].append(found.describe() + how)
        return found

    def add(key: str, iri: URIRef) -> bool:
        """Add `iri` to the list `key` once; True when it was new."""
        found = lists.setdefault(key, [])
        if iri in found:
            return False
        found.append(iri)
        return True

    for attr, scheme, section, _, _ in _LISTS:
        labels = getattr(profile, attr)
        if labels is None:
            continue
        lists[attr] = []
        for label in labels:
            add(attr, match(scheme, label, section).iri)
        if not labels:
            understood[section].append("(heading printed, no item)")
    for label, share in profile.extra_funded:
        found = match("funded-activity", label, "funded-activities",
                      " (from the sentence '... also directed towards ...')")
        if add("funded_activities", found.iri):
            rec.response_notes.append(
                f"{found.concept_label} is recorded as funded from the sentence {share.sentence!r}.")
    for label in _split(vocab, "funded-activity", profile.invests_in) or []:
        add("funded_activities", match("funded-activity", label, "funded-activities",
                                       " (from the sentence '... also invests in ...')").iri)
    if profile.chart_counts:
        understood["funded-activities"].append(
            f"chart of cities per funded activity ({len(profile.chart_counts)} bars): survey statistics, "
            "not the city's answer; not recorded here")

    partners = _split(vocab, "partner-type", profile.partners)
    data_partners = _split(vocab, "data-partner-type", profile.data_partners)
    for section, scheme, labels, key in [("partnerships", "partner-type", partners, "partners"),
                                         ("data-partnerships", "data-partner-type", data_partners, "data_partners")]:
        if labels is None:
            continue
        lists[key] = []
        for label in labels:
            add(key, match(scheme, label, section).iri)
    return lists


def _read_sentences(profile: Profile, rec: Record, understood: dict) -> None:
    """The answers given as sentences: strategy, approach, priorities, funding, partnerships."""
    name = rec.city_name
    if profile.strategy is not None:
        understood["strategy"].append(f"explicit innovation strategy: {'yes' if profile.strategy else 'no'}")
    if profile.approach:
        understood["approach"].append(f"{_APPROACHES[profile.approach]} (from {profile.approach_sentence!r})")
        if profile.approach == "redefining":
            rec.response_notes.append("Reading: the profile states no approach category and says the city is "
                                      "redefining its approach; recorded as appr:redefining-its-approach-no-approach-stated.")
    if profile.prioritises is not None:
        understood["policy-areas"].insert(0, f"prioritises specific policy areas: {'yes' if profile.prioritises else 'no'}")
    if profile.dedicated_funding is not None:
        understood["dedicated-funding"].append(f"dedicated funding: {'yes' if profile.dedicated_funding else 'no'}")
    if profile.partnerships is False:
        understood["partnerships"].append("none: the innovation work is internal to the city administration")
        rec.response_notes.append(f"The profile says {name}'s innovation work is internal to the city "
                                  "administration; recorded as ig:hasPartnerships false.")
    if profile.funding_sources is not None:
        rec.response_notes.append("Funding sources: each label is recorded once, however often it is printed; "
                                  "the survey's description of an option that follows it is not a source.")


def _declared_roles(profile: Profile, lists: dict[str, list[URIRef]], rec: Record, understood: dict,
                    unread: list[str]) -> int | None:
    """The declared count of roles, kept even when it differs from the roles listed, unless it is
    below them (then only a note keeps it): the count to record, or None."""
    name = rec.city_name
    declared = profile.declared_roles
    listed = len(lists.get("roles", []))
    if declared is not None:
        understood["roles"].insert(0, f"declared count: {declared}; listed: {listed}")
        if declared < listed:
            rec.response_notes.append(f"The profile says the city utilises {declared} innovation skills or roles "
                                      f"but lists {listed}; the declared count is below the roles listed, so it "
                                      "is kept only in this note.")
            unread.append(f"roles: declared count {declared} is below the {listed} roles listed; "
                          "the count is not recorded (note only).")
            declared = None
        elif declared != listed:
            rec.response_notes.append(f"The profile says {name} utilises {declared} different innovation skills "
                                      f"or roles and lists {listed}; both are kept.")
    return declared


def _data_availability(profile: Profile, vocab: Vocabulary, opts: IngestOptions, rec: Record,
                       understood: dict, matches: list[tuple[str, Match]], unread: list[str]) -> None:
    """The data-availability chart: one row per policy area, at the level of the legend above it."""
    if profile.data_availability is not None:
        seen = set()
        for level_label, area_label in profile.data_availability:
            level = vocab.lookup("data-availability-level", level_label, accept_near=opts.accept_near)
            area = vocab.lookup("policy-area", area_label, accept_near=opts.accept_near)
            matches.extend([("data-availability", level), ("data-availability", area)])
            row = str(area.iri).rsplit("/", 1)[-1]
            if row in seen:
                unread.append(f"data availability: {area_label!r} is printed twice; the first level is kept.")
                continue
            seen.add(row)
            rec.data_rows.append((row, area.iri, level.iri))
            understood["data-availability"].append(f"{area.describe()} at level {level.describe()}")
        for legend in profile.data_legends_empty:
            level = vocab.lookup("data-availability-level", legend, accept_near=opts.accept_near)
            understood["data-availability"].append(f"legend {legend!r}: no area follows it")
        if profile.data_legends_empty:
            levels = sorted({lv for lv, _ in profile.data_availability})
            rec.record_notes.append(
                "Reading: the policy areas printed under the legend "
                + " / ".join(f"'{lv}'" for lv in levels)
                + " have that level; the legend " + " / ".join(f"'{lv}'" for lv in profile.data_legends_empty)
                + " is followed by no area, so no area is recorded at that level.")


def _survey_ranking(profile: Profile, rec: Record, understood: dict) -> None:
    """The numbered list every profile prints is the survey's ranking, not the city's answer."""
    name = rec.city_name
    if profile.ranking_skipped:
        rec.record_notes.append("Reading: the numbered list 1-7 printed on the profile is the survey-wide ranking "
                                "of activities (every profile prints it), recorded in data/ttl/survey/, not as "
                                f"{name}'s answer.")
        understood["activities"].append(f"numbered 1-{profile.ranking_skipped} list: survey-wide ranking, skipped")


def _answers(profile: Profile, lists: dict[str, list[URIRef]], declared: int | None) -> list[tuple[str, str, list[str]]]:
    """The response's statements, in page order: (section title, property, objects as Turtle terms)."""
    appr = [f"appr:{_APPROACHES[profile.approach]}"] if profile.approach else []
    t = lambda iris: [term(i) for i in iris]  # noqa: E731
    boolean = lambda v: [str(v).lower()] if v is not None else []  # noqa: E731
    return [
        ("Vision and approach", "ig:hasExplicitStrategy", boolean(profile.strategy)),
        ("Vision and approach", "ig:approach", appr),
        ("Vision and approach", "ig:goal", t(lists.get("goals", []))),
        ("Vision and approach", "ig:criticalSuccessFactor", t(lists.get("success_factors", []))),
        ("Vision and approach", "ig:prioritisesPolicyAreas", boolean(profile.prioritises)),
        ("Vision and approach", "ig:policyAreaOfFocus", t(lists.get("policy_areas", []))),
        ("Roles, terms, activities", "ig:declaredRoleCount", [str(declared)] if declared is not None else []),
        ("Roles, terms, activities", "ig:listsRole", t(lists.get("roles", []))),
        ("Roles, terms, activities", "ig:associatedTerm", t(lists.get("terms", []))),
        ("Roles, terms, activities", "ig:highlightedActivity", t(lists.get("activities", []))),
        ("Organisations", "ig:hasDedicatedInnovationTeam", boolean(profile.dedicated_team)),
        ("Funding", "ig:hasDedicatedFunding", boolean(profile.dedicated_funding)),
        ("Funding", "ig:fundingSource", t(lists.get("funding_sources", []))),
        ("Funding", "ig:fundedActivity", t(lists.get("funded_activities", []))),
        ("Partnerships and data", "ig:hasPartnerships", boolean(profile.partnerships)),
        ("Partnerships and data", "ig:partnerType", t(lists.get("partners", []))),
        ("Partnerships and data", "ig:dataPartnerType", t(lists.get("data_partners", []))),
    ]


def _mark_sections(profile: Profile, rec: Record, understood: dict) -> None:
    """Each of the 20 profile sections reached or not reached, and the report says which."""
    for section in SECTIONS:
        if ((section == "innovation-website" and rec.website and not rec.website_url)
                or (section == "organisations" and profile.organisations_partly)):
            # The website slot is printed but its address is not in the text, or a sentence of the
            # organisation paragraph could not be read: reached in part.
            rec.partly_reached.append(section)
            if section == "organisations":
                understood[section].append("=> section marked reached in part")
            continue
        (rec.reached if profile.reached(section) else rec.not_reached).append(section)
        if not profile.reached(section) and not understood[section]:
            understood[section].append("not reached: the text does not give it")
        elif not profile.reached(section):
            understood[section].append("=> section marked not reached")


def _new_concepts(matches: list[tuple[str, Match]], rec: Record) -> None:
    """A new free-text concept for each label no concept matched, once each."""
    name = rec.city_name
    seen_iris = set()
    for section, match in matches:
        if match.is_new and match.iri not in seen_iris:
            seen_iris.add(match.iri)
            note = (f"Known only from the {name} city profile, which prints {match.printed!r} in its "
                    f"'{section}' section; no concept of igv:{match.scheme} matched it when the profile was "
                    "ingested. Confirm it, or map the answer to an existing concept.")
            if match.candidate is not None:
                note += f" Near match not applied: {match.candidate.label!r} ({match.score:.2f})."
            rec.new_concepts.append(NewConcept(match.iri, match.scheme, match.printed, note))


def _edition(profile: Profile, opts: IngestOptions, name: str) -> tuple[int, str | None]:
    cited = {share.edition for _, share in profile.extra_funded if share.edition}
    for share in (profile.strategy_share, profile.approach_share, profile.funding_share):
        if share and share.edition:
            cited.add(share.edition)
    if opts.edition:
        return opts.edition, None
    if len(cited) == 1:
        year = cited.pop()
        if year in EDITIONS:
            basis = f"population year {profile.population_year}, and " if profile.population_year else ""
            return year, (f"Reading: {name}'s answers are recorded as its response to the {year} edition "
                          f"({basis}the page cites the {year} survey beside its answers); the text does not "
                          "name the edition.")
    raise ProfileError("Cannot tell which survey edition the profile answers (the text cites no single "
                       "'the 2018/2020 survey' beside the city's answers); pass --edition 2018 or 2020.")


def _country(rec: Record, opts: IngestOptions, unread: list[str]) -> None:
    code = (opts.country_code or "").upper() or None
    if code:
        name = one_line(opts.country_name) or COUNTRIES.get(code)
        if not name:
            raise OptionError(f"No name known for country code {code}; pass --country-name.")
        rec.country_code, rec.country_name = code, name
        rec.country_notes.append(f"The country was given by the maintainer (--country-code {code}); "
                                 "the profile text does not name it.")
        return
    suffix = rec.slug.rsplit("-", 1)[-1].upper()
    if suffix in COUNTRIES and "-" in rec.slug:
        rec.country_code, rec.country_name = suffix, COUNTRIES[suffix]
        rec.country_notes.append(f"Reading: the country comes from the profile's URL code '{suffix.lower()}' "
                                 f"(ISO 3166-1 alpha-3 {suffix}); the profile text does not name it.")
    else:
        unread.append("country: the text does not name it and the slug carries no known ISO 3166-1 alpha-3 "
                      "code; pass --country-code and --country-name to record it.")


def _split(vocab: Vocabulary, scheme: str, raw: list[str] | None) -> list[str] | None:
    if raw is None:
        return None
    return [label for text in raw for label in split_list(vocab, scheme, text)]


def _organisations(profile: Profile, vocab: Vocabulary, opts: IngestOptions, rec: Record, understood: dict,
                   matches: list[tuple[str, Match]]) -> dict[str, str]:
    """The organisation paragraph: the record's organisations, the answer 'dedicated team' and
    the sentences read that name no organisation. Returns name (folded) -> org slug."""
    said = understood["organisations"]
    if profile.dedicated_team is not None:
        said.append(f"dedicated team for innovation: {'yes' if profile.dedicated_team else 'no'} "
                    f"(from {profile.dedicated_sentence!r})")
        if profile.dedicated_team is False:
            rec.response_notes.append(f"The profile says {profile.dedicated_sentence!r}; recorded as "
                                      "ig:hasDedicatedInnovationTeam false.")
    rec.orgs = build_orgs(profile.organisations or [], vocab, rec.city_name, accept_near=opts.accept_near,
                          understood=said, matches=matches)
    for sentence in profile.organisation_context:
        said.append(f"read, names no organisation dedicated to innovation: {sentence!r} (kept in a note)")
        rec.response_notes.append(f"Organisations: the profile also says {sentence!r}; it names no organisation "
                                  "dedicated to innovation, so no organisation is recorded from it.")
    if profile.organisations_partly:
        rec.response_notes.append("Sections reached in part (the answers listed there are at least these, maybe "
                                  "not all): organisations: a sentence of the organisation paragraph could not be "
                                  "read (see the ingest report), so nothing is recorded from it.")
    return {normalise(org.name): org.slug for org in rec.orgs if org.name}


def _program_name(text: str, city: str) -> tuple[str, str | None] | None:
    m = _PROGRAM_NAME.match(text)
    if not m:
        return None
    name, acronym = m.group("name").strip(), m.group("acronym")
    if name.lower() in _NOT_NAMES or name.split()[0].lower() in _NOT_NAMES or name == city:
        return None
    return name, acronym.strip() if acronym else None


def _first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])", text, maxsplit=1)
    return parts[0].strip()


def _programs(profile: Profile, vocab: Vocabulary, rec: Record, orgs: dict[str, str],
              focus: list[URIRef], understood: dict, unread: list[str]) -> list[Program]:
    programs: dict[str, Program] = {}
    paragraphs: list[Paragraph] = list(profile.spotlight or []) + profile.policy_paragraphs
    for para in paragraphs:
        section = "spotlight" if para.origin == "spotlight" else "policy-areas"
        named = _program_name(para.text, rec.city_name)
        if named is None:
            unread.append(f"{section}: a paragraph names no program ({para.text[:60]!r}...); not recorded as one.")
            continue
        name, acronym = named
        first = _first_sentence(para.text)
        notes: list[str] = []
        slug = slugify(acronym or name)
        run_by = orgs.get(normalise(name))
        if run_by:
            kind = re.search(rf"\bis an? (?:\w+ )?({'|'.join(_PROGRAM_KINDS)})\b", para.text)
            slug = f"{slugify(name)}-{kind.group(1) if kind else 'program'}"
            notes.append(f"Reading: the profile names the {name} both as an organisation dedicated to innovation "
                         f"and as a {kind.group(1) if kind else 'program'}; the latter is recorded as a program "
                         "run by the organisation.")
        if para.origin == "spotlight":
            areas = vocab.mentioned("policy-area", first)
            if areas:
                notes.append("Reading: the policy area is read from the words "
                             + ", ".join(f"'{a.label}'" for a in areas)
                             + f" in the first sentence of the profile's 'Spotlight on innovation in {rec.city_name}'.")
            notes.append(f"The profile's 'Spotlight on innovation in {rec.city_name}'. It does not say who runs "
                         f"{acronym or name}." if not run_by else f"The profile's 'Spotlight on innovation in {rec.city_name}'.")
        else:
            areas = _areas_of_heading(vocab, para.heading or "", focus)
            notes.append(f"Printed under the policy-area heading {para.heading!r}."
                         + ("" if run_by else f" The profile does not say who runs {acronym or name}."))
        if slug in programs:
            continue
        program = Program(slug, name, acronym, first, [a.iri for a in areas], run_by, notes)
        programs[slug] = program
        where = "spotlight" if para.origin == "spotlight" else f"under {para.heading!r}"
        understood[section].append(
            f"program {name}" + (f" ({acronym})" if acronym else "") + f", {where}; policy areas: "
            + (", ".join(a.label for a in areas) or "none read")
            + (f"; run by {run_by}" if run_by else "") + " (features and metrics are not extracted)")
        if not areas:
            unread.append(f"{section}: no policy area could be read for the program {name}.")
    return list(programs.values())


def _stem(word: str) -> str:
    """Crude plural folding, enough to see 'business' in 'businesses'."""
    return word.rstrip("es") if len(word) > 4 else word


_STOP = {"of", "and", "the", "for", "in", "to", "a", "an"}


def _areas_of_heading(vocab: Vocabulary, heading: str, focus: list[URIRef]):
    exact = vocab.exact_only("policy-area", heading)
    if exact:
        return [exact]
    words = {_stem(w) for w in normalise(heading).split()} - _STOP
    candidates = [c for c in vocab.concepts("policy-area") if c.iri in focus] or vocab.concepts("policy-area")
    found = [c for c in candidates
             if (label_words := {_stem(w) for w in normalise(c.label).split()} - _STOP) and label_words <= words]
    found.sort(key=lambda c: focus.index(c.iri) if c.iri in focus else len(focus))
    return found


def _printed_on_profiles(graph: Graph, statistic: URIRef) -> bool:
    """Whether a city profile page (or a stored copy of one) prints the statistic: the figures of
    reports and of the methodology page (data/ttl/survey/statistics.ttl) can share a subject and
    a share with a profile's ('50% ... have a formal innovation strategy'), but are not what its
    sentences quote."""
    return any(str(graph.value(source, PROV.specializationOf) or source).startswith(_PROFILE_PAGES)
               for source in graph.objects(statistic, DCTERMS.source))


_PROFILE_PAGES = "https://cities-innovation-oecd.com/cities/"


def _statistics(profile: Profile, graph: Graph, unread: list[str]) -> list[str]:
    """The survey-wide figures the profile quotes beside its answers, as the ig:SurveyStatistic
    terms of data/ttl/survey/ they match (ig:comparedWith); a figure not there is reported unread."""
    stats = []
    for s in graph.subjects(RDF.type, IG.SurveyStatistic):
        if not _printed_on_profiles(graph, s):
            continue
        stats.append((s, graph.value(s, IG.statisticSubject), graph.value(s, IG.sharePercent),
                      graph.value(s, IG.shareAsPrinted), set(graph.objects(s, IG.coversEdition))))

    def subject_for(polarity: bool | None, yes: str, no: str, share: Share) -> URIRef | None:
        if polarity is None:
            return None
        if share.sentence.lower().startswith("unlike"):
            polarity = not polarity
        return URIRef(_IND + (yes if polarity else no))

    wanted: list[tuple[URIRef | None, Share]] = []
    if profile.strategy_share:
        wanted.append((subject_for(profile.strategy, "has-an-explicit-innovation-strategy",
                                   "has-no-explicit-innovation-strategy", profile.strategy_share), profile.strategy_share))
    if profile.approach_share and profile.approach:
        wanted.append((IGV[f"approach/{_APPROACHES[profile.approach]}"], profile.approach_share))
    if profile.funding_share:
        wanted.append((subject_for(profile.dedicated_funding, "has-dedicated-funding-for-innovation-capacity",
                                   "has-dedicated-funding-for-innovation-capacity", profile.funding_share)
                       if profile.dedicated_funding is not None else None, profile.funding_share))
    vocab = Vocabulary(graph)
    for label, share in profile.extra_funded:
        if share.percent is not None or share.printed:
            c = vocab.exact_only("funded-activity", label)
            wanted.append((c.iri if c else None, share))
    found: list[str] = []
    for subject, share in wanted:
        hit = None
        for iri, subj, pct, printed, editions in stats:
            if subj != subject:
                continue
            if share.percent is not None and (pct is None or abs(float(pct) - share.percent) > 0.01):
                continue
            if share.percent is None and (printed is None or normalise(str(printed)) != normalise(share.printed or "")):
                continue
            if share.edition and editions and URIRef(IGV[f"survey-edition/{share.edition}"]) not in editions:
                continue
            hit = iri
            break
        if hit is None:
            unread.append(f"survey statistic: {share.sentence[:80]!r}... quotes a survey-wide figure that is not in "
                          "data/ttl/survey/, so ig:comparedWith is not stated (add the statistic there to link it).")
        elif term(hit) not in found:
            found.append(term(hit))
    return found

