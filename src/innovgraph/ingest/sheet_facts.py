"""The versions of a fact sheet and the facts of each: who holds which post, the organisations,
programs and responses, each with the sources (page or snapshots) of the versions that print it.

`variants_of` splits a sheet into the versions of its page (one, or a newer and an older one)
and their snapshots; `VariantReader` reads each version's facts. The rules are listed in
`sheet_mapping.py`'s docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ..namespaces import IG, IGV, slugify
from .labels import Vocabulary, normalise
from .sheet_model import PAGE, Node, feature, sentence, term

SECTIONS = ("mayor", "population", "innovation-website", "lead-innovation-officer", "goals",
            "success-factors", "spotlight", "strategy", "approach", "policy-areas", "roles",
            "organisations", "terms", "activities", "dedicated-funding", "funding-sources",
            "funded-activities", "partnerships", "data-partnerships", "data-availability")
APPROACHES = {"holistic": "holistic-macro-level", "specific": "specific-policy-areas-domains",
              "both": "both-holistic-macro-and-specific-policy-areas"}
REDEFINING = "redefining-its-approach-no-approach-stated"
_IND = "https://w3id.org/innovgraph/vocab/indicator/"
_PROFILES = "https://cities-innovation-oecd.com/cities/"
# ISO 3166-1 alpha-3 codes of the country names the fact sheets print, and of the codes their
# URL slugs end in (alpha-3, or alpha-2 where the site uses it: -us, -ca, -uk).
_ISO_OF_NAME = {
    "Argentina": "ARG", "Austria": "AUT", "Brazil": "BRA", "Canada": "CAN", "Colombia": "COL",
    "Costa Rica": "CRI", "Finland": "FIN", "France": "FRA", "Greece": "GRC", "Ireland": "IRL",
    "Israel": "ISR", "Korea": "KOR", "Mexico": "MEX", "New Zealand": "NZL", "Peru": "PER",
    "Portugal": "PRT", "Russia": "RUS", "South Africa": "ZAF", "Spain": "ESP", "Sweden": "SWE",
    "The Netherlands": "NLD", "United Kingdom": "GBR", "United States": "USA",
}
_ISO_OF_SLUG = {"us": ("USA", "United States"), "il": ("USA", "United States"), "ca": ("CAN", "Canada"),
                "fra": ("FRA", "France"), "esp": ("ESP", "Spain"), "rus": ("RUS", "Russia")}
LISTS = [  # (section, scheme, path in the sheet, response property)
    ("goals", "goal", ("goals",), "ig:goal"),
    ("success-factors", "success-factor", ("critical_success_factors",), "ig:criticalSuccessFactor"),
    ("policy-areas", "policy-area", ("policy_areas_focus", "labels"), "ig:policyAreaOfFocus"),
    ("roles", "innovation-role", ("roles", "listed"), "ig:listsRole"),
    ("terms", "innovation-term", ("terms",), "ig:associatedTerm"),
    ("activities", "innovation-activity", ("most_common_activities",), "ig:highlightedActivity"),
    ("funding-sources", "funding-source", ("funding", "sources"), "ig:fundingSource"),
    ("funded-activities", "funded-activity", ("funding", "funded_activities"), "ig:fundedActivity"),
    ("partnerships", "partner-type", ("partnerships", "with"), "ig:partnerType"),
    ("data-partnerships", "data-partner-type", ("partnerships", "data_partnerships_with"), "ig:dataPartnerType"),
]
ORDINAL = r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
_NO_TEAM = re.compile(r"^no dedicated (innovation team|team for innovation)", re.I)
_SPREAD = re.compile(r"spread|sprinkled", re.I)
# A team the sheet calls dedicated to innovation: its note opens so ('dedicated innovation team ...',
# 'dedicated team for innovation ...'), or its placement is a unit 'dedicated to innovation'.
DEDICATED_NOTE = re.compile(r"^(a )?dedicated (innovation team|team for innovation)\b|\bteam dedicated to innovation\b", re.I)
DEDICATED_PLACEMENT = re.compile(r"\bdedicated to innovation\b", re.I)
# Organisation notes of the sheets that say where the entry was read, not what the unit is.
_SOURCING_NOTE = re.compile(r"^(from the compact copy|named in the spotlight text|organisation sentence cut|sentence cut)",
                            re.I)
_POST_NAME = re.compile(r"\b(Officer|Official|Advocate|Advisor|Adviser)\b")
AREA_PARAGRAPH = re.compile(r"^(?P<area>.*?) \((?P<unlabelled>unlabelled )?policy-area (?:description|paragraph)\)$")
_ACRONYM = re.compile(r"^(?P<name>.+?) \((?P<acronym>[A-Z][A-Za-z0-9&.]{1,11})\)$")
_OLDER_SHARES = {"44%", "56%", "40%", "over one-third"}


def _described(name: str) -> bool:
    """A printed 'name' that is a description: lower-case words only ('smart water meters',
    'innovation team'), not a name such as 'i-team' or 'myWyco'."""
    return name == name.lower() and " " in name and "-" not in name


@dataclass
class Snap:
    key: str
    url: str
    version: str                  # only | newer | older
    extractions: list[tuple[str, str]]
    vintage: str
    version_note: str | None
    term: str = ""                # <snapshot/CITY-SLUG/KEY>

    @property
    def year(self) -> int | None:
        m = re.search(r"produced in (\d{4})", self.vintage)
        return int(m.group(1)) if m else None


@dataclass
class Variant:
    name: str                     # only | newer | older
    values: dict
    snaps: list[Snap]
    comments: dict[str, str]
    edition: int = 2020
    tail: str = "2020"
    edition_note: str = ""

    @property
    def year(self) -> int | None:
        years = [s.year for s in self.snaps if s.year]
        return max(years) if years else None

    @property
    def label_copy(self) -> str:
        return {"older": "older copy", "newer": "newer copy"}.get(self.name, "page")

    def comment(self, key: str) -> str | None:
        return self.own_comments().get(key)

    def own_comments(self) -> dict[str, str]:
        """The sheet's inline comments on this version's fields, by key path."""
        older = self.values.get("_older_keys", ())
        prefix = "vintage.older_trailing_slash_copy."
        out = {}
        for key, text in self.comments.items():
            if key.startswith(prefix):
                if self.name == "older":
                    out[key[len(prefix):]] = text
            elif not key.startswith("vintage") and not (self.name == "older" and key.split(".")[0] in older):
                out[key] = text
        return out


def variants_of(sheet, city_slug: str) -> list[Variant]:
    """The versions of the page the sheet describes, newest first, each with its snapshots and
    the edition its answers are read as."""
    data = sheet.data
    vintage = data["vintage"]
    older = vintage.get("older_trailing_slash_copy") or {}
    entries = vintage["versions_read"]
    marked = any("older" in e["layout"] for e in entries)

    def version(e) -> str:
        if not older:
            return "only"
        is_older = "older" in e["layout"] if marked else e["url"].endswith("/")
        return "older" if is_older else "newer"

    groups: dict[tuple[str, str], list[dict]] = {}
    for e in entries:
        groups.setdefault((e["url"], version(e)), []).append(e)
    urls_newer = {url for url, v in groups if v != "older"}
    note = vintage.get("snapshot_note") or "No note on when the profile was produced."
    snaps = []
    for (url, ver), es in groups.items():
        key = f"{url.split(':', 1)[0]}-{'slash' if url.endswith('/') else 'noslash'}"
        if ver == "older" and url in urls_newer:
            key += "-older"
        no_note = any("no note" in e["layout"].lower() for e in es)
        text = ("No note on a PDF snapshot in this stored version." if no_note else note)
        other = {"older": "the newer", "newer": "the older"}.get(ver)
        vnote = f"The {ver} of two stored versions of the page; holds different data from {other}." if other else None
        snaps.append(Snap(key, url, ver, [(e["layout"], e["readable_until"]) for e in es], text, vnote,
                          f"<snapshot/{city_slug}/{key}>"))
    if not older:
        out = [Variant("only", dict(data), snaps, sheet.comments)]
    else:
        merged = {**data, **older, "_older_keys": tuple(older)}
        out = [Variant("newer", dict(data), [s for s in snaps if s.version == "newer"], sheet.comments),
               Variant("older", merged, [s for s in snaps if s.version == "older"], sheet.comments)]
    _editions(out, data)
    return out


def _editions(variants: list[Variant], data: dict) -> None:
    name = data["city"]
    snapshot_note = data["vintage"].get("snapshot_note") or "no snapshot note"
    for v in variants:
        whose = {"newer": " (newer copy)", "older": " (older copy)"}.get(v.name, "")
        shares = {q.get("share") for q in v.values.get("survey_statistics_quoted") or []}
        if v.year:
            v.edition = 2018
            v.edition_note = (
                f"Reading: {name}'s answers{whose} are recorded as its response to the 2018 edition: the profile's "
                f"note says its PDF 'City Innovation Snapshot' was produced in {v.year}, and the city snapshots "
                "were produced from the 2018 survey (89 cities, report 2019); the note adds that aggregate "
                "findings on the page were updated later, which concerns the survey-wide shares, not the city's answers.")
        elif v.name == "older" or shares & _OLDER_SHARES:
            v.edition = 2018
            v.edition_note = (
                f"Reading (an inference): {name}'s answers{whose} are recorded as its response to the 2018 edition: "
                f"the copy quotes the older survey-wide shares ({', '.join(sorted(shares & _OLDER_SHARES))}) "
                "that the current profiles no longer print, read as the site's earlier aggregates, and it carries "
                f"no note on when its PDF snapshot was produced (fact sheet: '{snapshot_note}').")
        else:
            v.edition = 2020
            v.edition_note = (
                f"Reading (an inference): {name}'s answers{whose} are recorded as its response to the 2020 edition: "
                "the copy carries no note that its PDF snapshot was produced in 2019, which ties the profiles of "
                f"the 2018 survey to that wave (sources/README.md caveat 3); fact sheet: '{snapshot_note}'. "
                "The page does not name the edition.")
        v.tail = str(v.edition)
    if len(variants) == 2 and variants[0].edition == variants[1].edition:
        variants[1].tail = f"{variants[1].edition}-older"


def iso_country(sheet) -> tuple[str | None, str | None, list[str]]:
    """(ISO 3166-1 alpha-3, name, notes): the country the sheet prints, else the slug's code."""
    data, name = sheet.data, sheet.data["city"]
    printed, comment = data.get("country"), sheet.comments.get("country")
    code = data["slug"].rsplit("-", 1)[-1]
    said = f" (fact sheet: {comment})" if comment else ""
    if printed:
        iso = _ISO_OF_NAME.get(printed)
        return iso, printed, [
            f"{name}: Reading: the country is the fact sheet's 'country' field ('{printed}'){said}; "
            + (f"the ISO 3166-1 alpha-3 code {iso} is the standard code of that country name." if iso
               else "no ISO 3166-1 code is known for it.")]
    if code in _ISO_OF_SLUG:
        iso, country = _ISO_OF_SLUG[code]
        kind = f"alpha-3 {iso}" if len(code) == 3 else f"alpha-2 {code.upper()}, alpha-3 {iso}"
        return iso, country, [f"{name}: Reading: the country comes from the profile's URL code '{code}' "
                              f"(ISO 3166-1 {kind}); the profile text does not name it{said}."]
    return None, None, []


@dataclass
class Holder:
    name: str
    person_slug: str
    held_as_of: int | None
    sources: list[str]
    notes: list[str]
    no_date_note: str


@dataclass
class Entry:
    """One organisation entry of one version, classified."""

    kind: str                     # org | post | no-team | spread
    name: str | None
    placement: str | None
    team_size: int | None
    note: str | None


class VariantReader:
    """Reads each version's facts; collects the free-text concepts the labels need."""

    def __init__(self, sheet, city_slug: str, variants: list[Variant], vocab: Vocabulary, graph: Graph,
                 report: list[str]):
        self.sheet, self.variants, self.vocab, self.graph, self.report = sheet, variants, vocab, graph, report
        self.slug = city_slug
        self.city = sheet.data["city"]
        self.new_concepts: list[tuple[URIRef, str, str, str]] = []
        self.org_terms: dict[str, str] = {}          # folded org name -> org term
        self._stats = self._statistic_index(graph)

    # -------------------------------------------------------------- sources

    @staticmethod
    def sources_of(variants: list[Variant], printing: list[Variant]) -> list[str]:
        if len(variants) == 1 or {v.name for v in printing} == {v.name for v in variants}:
            return [PAGE]
        return [s.term for v in printing for s in v.snaps]

    def _sources(self, printing: list[Variant]) -> list[str]:
        return self.sources_of(self.variants, printing)

    # -------------------------------------------------------------- labels

    def concept(self, scheme: str, label: str, section: str, notes: list[str]) -> URIRef | None:
        """The concept a printed label is, or None for a cut label that fits no single concept."""
        if label.endswith("…"):
            # Only the vocabulary's concepts are candidates, not the free-text answers of other records
            # (a concept of a record has no skos:topConceptOf): a later record must not change the reading.
            stem = label[:-1]
            hits = [c for c in self.vocab.concepts(scheme) if any(t.startswith(stem) for t in c.labels)
                    and (c.iri, SKOS.topConceptOf, None) in self.graph]
            if len(hits) == 1:
                notes.append(f"Reading: the cut label '{label}' is recorded as '{hits[0].label}', the only "
                             f"label of the vocabulary igv:{scheme} that begins so.")
                return hits[0].iri
            which = ("no label" if not hits else
                     f"{len(hits)} labels ({', '.join(repr(c.label) for c in hits)})")
            notes.append(f"The cut label '{label}' begins {which} of the vocabulary igv:{scheme}, so it is not "
                         "recorded.")
            self.report.append(f"{section}: cut label {label!r} not mapped ({which})")
            return None
        match = self.vocab.lookup(scheme, label)
        if match.kind == "normalised":
            notes.append(f"'{label}' is recorded as '{match.concept_label}' (the same label, ignoring case "
                         "and punctuation).")
        if match.is_new and match.iri not in {c[0] for c in self.new_concepts}:
            note = (f"Known only from the {self.city} city profile, which prints {label!r} in its '{section}' "
                    f"section (fact sheet {self.sheet.path.name}); no concept of igv:{scheme} matched it when "
                    "the sheet was ingested. Confirm it, or map the answer to an existing concept.")
            if match.candidate is not None:
                note += f" Near match not applied: {match.candidate.label!r} ({match.score:.2f})."
                self.report.append(f"{section}: near match not applied: {label!r} ~ {match.candidate.label!r}")
            self.new_concepts.append((match.iri, scheme, label, note))
            self.report.append(f"{section}: new free-text concept igv:{scheme}/{slugify(label)} ({label!r})")
        return match.iri

    # -------------------------------------------------------------- people

    def holders(self) -> dict[str, list[Holder]]:
        found: dict[tuple[str, str], tuple[str, list[Variant], list[str], int | None]] = {}
        for v in self.variants:
            for post, key in (("mayor", "mayor"), ("lead-innovation-officer", "lead_innovation_officer")):
                printed = v.values.get(key)
                if not printed:
                    continue
                for part in printed.split(", ") if post != "mayor" else [printed]:
                    m = re.match(r"^(?P<name>.+?)\s*\((?P<q>[^)]*)\)$", part)
                    name, qualifier = (m["name"], m["q"]) if m else (part, None)
                    slot = (post, slugify(name))
                    notes, year = [], None
                    if qualifier:
                        notes.append(f"Printed with the qualifier '({qualifier})' beside the name.")
                        y = re.search(r"\b(\d{4})\b", qualifier)
                        year = int(y.group(1)) if y else None
                    comment = v.comment(key)
                    if comment:
                        notes.append(f"Fact sheet note: {comment.rstrip('.')}.")
                    if slot in found:
                        found[slot][1].append(v)
                    else:
                        found[slot] = (name, [v], notes, year if qualifier else -1)
        out: dict[str, list[Holder]] = {"mayor": [], "lead-innovation-officer": []}
        for (post, person), (name, vs, notes, year) in found.items():
            no_date = ("The profile prints no date it was produced: the year this post was known to be held "
                       "is not given (it is not called current either).")
            if year == -1:
                years = [v.year for v in vs if v.year]
                year = max(years) if years else None
            elif year is None:
                no_date = ("The profile marks the holder as current without saying as of when (its survey-wide "
                           "shares were updated after its PDF snapshot), so no year is stated.")
            if len(self.variants) > 1 and len(vs) == 1:
                notes.append(f"Printed on the {vs[0].label_copy} only.")
            out[post].append(Holder(name, person, year, self._sources(vs), notes, no_date))
        return out

    # -------------------------------------------------------------- organisations

    def entries(self, v: Variant) -> list[Entry]:
        out = []
        for e in v.values.get("organisations") or []:
            name, placement, size, note = e.get("name"), e.get("placement"), e.get("team_size"), e.get("note")
            if _NO_TEAM.match(placement or "") or (not name and not placement and _NO_TEAM.match(note or "")):
                kind = "no-team"
            elif not name and size is None and (not placement or _SPREAD.search(placement)):
                kind = "spread"
            elif name and size is None and _POST_NAME.search(name) and not re.search(
                    r"\b(team|office|department|division|lab)\b", name, re.I):
                kind = "post"
            else:
                kind = "org"
            out.append(Entry(kind, name, placement, size, note))
        return out

    def organisations(self):
        """(organisation nodes, extra post nodes) of every version."""
        keyed: dict[tuple, tuple[Entry, list[Variant]]] = {}
        for v in self.variants:
            for e in self.entries(v):
                if e.kind in ("org", "post"):
                    key = (e.kind, e.name, e.placement, e.team_size, e.note)
                    keyed.setdefault(key, (e, []))[1].append(v)
        orgs, posts, used = [], [], set()
        adm = f"<city/{self.slug}/administration>"
        for e, vs in keyed.values():
            sources = self._sources(vs)
            notes = [f"Printed on the {vs[0].label_copy} only."] if sources != [PAGE] else []
            if e.kind == "post":
                slug = slugify(e.name)
                sourcing = bool(e.note and _SOURCING_NOTE.match(e.note))
                if sourcing:
                    notes.append(f"Fact sheet note on the entry: {e.note.rstrip('.')}.")
                desc = " ".join(x for x in (sentence(e.note) if e.note and not sourcing else "",
                                            f"Placed in the {e.placement}." if e.placement else "") if x)
                notes.insert(0, f"The fact sheet lists the {e.name} among the organisations; it is a post, not a "
                                "unit, so it is recorded as an ig:Post. The holder is not named.")
                posts.append(Node(f"<city/{self.slug}/post/{slug}>", [
                    ("a", ["ig:Post"]), ("rdfs:label", [("lit", f"{e.name} of {self.city}")]),
                    ("org:postIn", [adm]), ("dcterms:description", [("lit", desc)] if desc else [])],
                    sources, notes))
                continue
            cls, how = self._org_class(e)
            placement = None
            if e.placement:
                placement = self.concept("organisation-placement", e.placement, "organisations", notes)
            kind_word = {"ig:InnovationTeam": "team", "ig:InnovationDepartment": "department"}.get(cls, "unit")
            note = e.note
            if note and _SOURCING_NOTE.match(note):
                notes.append(f"Fact sheet note on the entry: {note.rstrip('.')}.")
                note = None
            if e.name and _POST_NAME.search(e.name):
                notes.append(f"The printed name is a post's; the entry, with its staff and placement, is read as "
                             "the unit that post leads.")
            if any(x.kind == "no-team" for v in vs for x in self.entries(v)) and re.search(r"previous", note or "", re.I):
                notes.append("A team the city had before: the same paragraph says the city has no dedicated team "
                             "for innovation now (ig:hasDedicatedInnovationTeam false on the response).")
            if e.name and _described(e.name):
                slug = slugify(e.name)
                label_pairs = [("rdfs:label", [("lit", f"{e.name[:1].upper()}{e.name[1:]} of {self.city}")])]
                notes.insert(0, f"The profile calls it '{e.name}', a description rather than a name, so it has a "
                                f"descriptive rdfs:label and no schema:name. {how}")
            elif e.name:
                slug = slugify(e.name)
                label_pairs = [("schema:name", [("plain", e.name)])]
                notes.insert(0, how)
            else:
                base = slugify(e.placement) if e.placement else "innovation"
                slug = base if base.endswith(("-team", "-department", "-unit")) else (
                    f"innovation-{kind_word}" if base == "innovation" else f"{base}-innovation-{kind_word}")
                label = f"Innovation {kind_word} of {self.city}" + (f" ({e.placement})" if e.placement else "")
                label_pairs = [("rdfs:label", [("lit", label)])]
                notes.insert(0, f"The profile gives the {kind_word} no name, so it has a descriptive rdfs:label "
                                f"and no schema:name. {how}")
            while slug in used:
                slug += "-2" if not slug.endswith("-2") else "x"
            used.add(slug)
            subject = f"<city/{self.slug}/org/{slug}>"
            if e.name:
                self.org_terms[normalise(e.name)] = subject
            sub = cls == "ig:InnovationDepartment" or (
                placement is not None and not re.search(r"external|independent body", e.placement or "", re.I))
            orgs.append(Node(subject, [
                ("a", [cls]), *label_pairs, ("ig:organisationOfCity", [f"<city/{self.slug}>"]),
                ("org:subOrganizationOf", [adm] if sub else []),
                ("ig:placement", [term(placement)] if placement else []),
                ("ig:teamSize", [str(e.team_size)] if e.team_size else []),
                ("dcterms:description", [("lit", sentence(note))] if note else [])], sources, notes))
        return orgs, posts

    @staticmethod
    def _org_class(e: Entry) -> tuple[str, str]:
        kinds = {"department": "ig:InnovationDepartment", "agency": "ig:InnovationAgency",
                 "cluster": "ig:InnovationCluster", "team": "ig:InnovationTeam", "lab": "ig:InnovationTeam"}
        if e.name:
            words = [w for w in normalise(e.name).split() if w in kinds]
            if words:   # the last kind word is the head noun ('Public Works Department innovation team')
                return kinds[words[-1]], f"Typed {kinds[words[-1]]} from the word '{words[-1]}' in its printed name."
            return "ig:InnovationOrganisation", ("Typed as a generic innovation organisation: its printed name "
                                                 "does not say department, agency, cluster or team.")
        text = normalise(f"{e.note or ''}")
        if "team" in text.split() or "team" in normalise(e.placement or "").split():
            return "ig:InnovationTeam", "Typed an innovation team: the sheet calls it a team."
        if "department" in normalise(e.placement or "").split():
            return "ig:InnovationDepartment", "Typed an innovation department from its placement."
        return "ig:InnovationOrganisation", "Typed as a generic innovation organisation."

    # -------------------------------------------------------------- programs

    def programs(self):
        keyed: dict[str, tuple[str, str | None, list[str], list[Variant], str]] = {}
        printed_by: dict[str, list[tuple[Variant, str, list[str]]]] = {}
        for v in self.variants:
            for entry in v.values.get("spotlight") or []:
                printed = entry.get("name")
                if not printed or AREA_PARAGRAPH.match(printed):
                    continue
                name, acronym, how = self._program_name(printed)
                slug = slugify(name)
                facts = [f for f in entry.get("facts") or [] if f]
                printed_by.setdefault(slug, []).append((v, printed, facts))
                if slug in keyed:
                    old = keyed[slug]
                    merged = old[2] + [f for f in facts if f not in old[2]]
                    keyed[slug] = (old[0], old[1] or acronym, merged, old[3] + [v], old[4])
                else:
                    keyed[slug] = (name, acronym, facts, [v], how)
        out = []
        for slug, (name, acronym, facts, vs, how) in keyed.items():
            sources = self._sources(vs)
            notes = [how] if how else []
            versions = printed_by[slug]
            if len(versions) > 1 and any(f != versions[0][2] or p != versions[0][1] for _, p, f in versions):
                notes.append("Both versions of the page print it, differently; its features are those of both: "
                             + "; ".join(f"the {v.label_copy} names it '{p}' and says: "
                                         + ", ".join(f"'{x}'" for x in f) for v, p, f in versions) + ".")
            if sources != [PAGE]:
                notes.append(f"Printed on the {vs[0].label_copy} only.")
            run_by = self.org_terms.get(normalise(name))
            if run_by:
                slug = f"{slug}-program"
                notes.append(f"Reading: the profile names the {name} both as an organisation dedicated to innovation "
                             "and in its spotlight; the spotlight's work is recorded as a program run by the organisation.")
            else:
                notes.append("The profile's spotlight; it does not say which unit runs it.")
            if _described(name):
                names = [("rdfs:label", [("lit", f"{name[:1].upper()}{name[1:]} of {self.city}")])]
                notes.insert(0, f"The profile calls it '{name}', a description rather than a name, so it has a "
                                "descriptive rdfs:label and no schema:name.")
            else:
                names = [("schema:name", [("plain", name)])]
            out.append(Node(f"<city/{self.slug}/program/{slug}>", [
                ("a", ["ig:InnovationProgram"]), *names,
                ("ig:acronym", [("plain", acronym)] if acronym else []),
                ("ig:programOfCity", [f"<city/{self.slug}>"]),
                ("dcterms:description", [("lit", sentence(facts[0]))] if facts else []),
                ("ig:feature", [("lit", feature(f)) for f in facts]),
                ("ig:runBy", [run_by] if run_by else [])], sources, notes))
        return out

    @staticmethod
    def _program_name(printed: str) -> tuple[str, str | None, str | None]:
        name, how = printed.strip(), None
        if len(name) > 2 and name[0] == name[-1] and name[0] in "'\"":
            name, how = name[1:-1], f"The page prints the name in quotes ({printed})."
        elif name[0] in "'\"" and name[0] in name[1:]:
            close = name.index(name[0], 1)
            name, how = name[1:close] + name[close + 1:], f"The page prints the name as {printed}."
        m = _ACRONYM.match(name)
        if m:
            return m["name"], m["acronym"], how
        return name, None, how

    # -------------------------------------------------------------- responses

    @staticmethod
    def _statistic_index(graph: Graph) -> dict[tuple[str, str], URIRef]:
        """(subject, share) -> the statistic the city profiles quote: where several statistics have the
        same subject and share (a report's figure and the profiles'), the one a city profile page
        cites; else the only one."""
        found: dict[tuple[str, str], list[tuple[bool, URIRef]]] = {}
        for s in graph.subjects(RDF.type, IG.SurveyStatistic):
            subject = graph.value(s, IG.statisticSubject)
            pct, printed = graph.value(s, IG.sharePercent), graph.value(s, IG.shareAsPrinted)
            value = f"{float(pct):g}%" if isinstance(pct, Literal) else normalise(str(printed or ""))
            cited = any(str(src).startswith(_PROFILES) for src in graph.objects(s, DCTERMS.source))
            found.setdefault((str(subject), value), []).append((cited, s))
        index = {}
        for key, stats in found.items():
            cited = [s for c, s in stats if c]
            if len(cited) == 1 or len(stats) == 1:
                index[key] = cited[0] if cited else stats[0][1]
        return index

    def compared(self, v: Variant, notes: list[str]) -> list[str]:
        out = []
        strategy = (v.values.get("explicit_strategy") or {}).get("value")
        for q in v.values.get("survey_statistics_quoted") or []:
            share, about = q["share"], q["about"].lower()
            subject = None
            if "strategy" in about:
                has = not about.startswith("no ") and "without one" not in about and (
                    "that have one" in about or strategy == "yes")
                subject = _IND + ("has-an-explicit-innovation-strategy" if has else "has-no-explicit-innovation-strategy")
            elif "both holistically" in about:
                subject = str(IGV["approach/" + APPROACHES["both"]])
            elif "holistic/macro level" in about:
                subject = str(IGV["approach/" + APPROACHES["holistic"]])
            elif "specific policy areas" in about:
                subject = str(IGV["approach/" + APPROACHES["specific"]])
            elif "funding" in about or (share == "81%" and "cut sentence" in about):
                subject = _IND + ("has-no-dedicated-funding-for-innovation-capacity" if "no dedicated funding" in about
                                  else "has-dedicated-funding-for-innovation-capacity")
            value = share if share.endswith("%") else normalise(share)
            hit = self._stats.get((subject, value)) if subject else None
            if hit is None:
                self.report.append(f"survey statistic {share} ({q['about']}): no ig:SurveyStatistic in data/ttl/survey/ "
                                   "matches; ig:comparedWith not stated")
                notes.append(f"The page quotes {share} of cities surveyed ({q['about']}); no survey statistic of the "
                             "graph matches it, so ig:comparedWith is not stated.")
            elif term(hit) not in out:
                out.append(term(hit))
        return out


