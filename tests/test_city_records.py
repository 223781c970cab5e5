"""Every city record against its fact sheet (data/sources/cities/*.yaml), in both directions.

For the fields the fact sheets cover (city, country, mayor, lead innovation officer(s), population and
its year, explicit strategy, approach, goals, success factors, policy areas, roles and their declared
count, terms, highlighted activities, funding, partner types, the organisations and the named spotlight
programs, the survey statistics quoted and the sections reached), the record must state everything the
sheet gives and nothing the sheet does not give. Sheet labels are matched to concepts through
skos:prefLabel / skos:altLabel of the field's scheme, as printed or equal once case, accents and
punctuation are folded; a label cut with '…' maps to the one concept of the vocabulary whose label begins
so (not to another record's free-text answer), and is not recorded where none or several do.

A sheet can describe two versions of one page (`vintage.older_trailing_slash_copy`, only the fields that
differ): each version is a response sourced to its own snapshots, the newer superseding the older. Two
versions of one URL are two snapshots, told apart by their titles ('older copy'), so sources are compared
as (URL, version) pairs, not URLs.

The second half checks the "reached, no item" vs "not reached" distinction: every response states all
profile sections, and the shapes accept a partial record but reject one that answers in a section it
says was not reached (a fictional city, tests/fixtures/records/fictional-partialton.ttl).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from innovgraph import Project, Severity, load_graph, validate
from innovgraph.namespaces import ID, IG, IGV

REPO = Path(__file__).resolve().parents[1]
SHEETS = REPO / "data" / "sources" / "cities"
SHEET_FILES = sorted(SHEETS.glob("*.yaml"))
PARTIAL = REPO / "tests" / "fixtures" / "records" / "fictional-partialton.ttl"
SCHEMA_NAME = URIRef("https://schema.org/name")
ORG_POST_IN = URIRef("http://www.w3.org/ns/org#postIn")
PROFILES = "https://cities-innovation-oecd.com/cities/"

SECTIONS = ["mayor", "population", "innovation-website", "lead-innovation-officer", "goals",
            "success-factors", "spotlight", "strategy", "approach", "policy-areas", "roles",
            "organisations", "terms", "activities", "dedicated-funding", "funding-sources",
            "funded-activities", "partnerships", "data-partnerships", "data-availability"]

# The sheets' approach codes (not printed labels) and the concepts they stand for; 'other' is read per city.
APPROACH = {
    "holistic": IGV["approach/holistic-macro-level"],
    "specific": IGV["approach/specific-policy-areas-domains"],
    "both": IGV["approach/both-holistic-macro-and-specific-policy-areas"],
}
APPROACH_OTHER = {
    "rosario-arg": IGV["approach/redefining-its-approach-no-approach-stated"],  # 'redefining its approach'
    "alexandria-us": IGV["approach/departmental-level"],  # 'at the departmental level' (a free-text answer)
}
# The page's URL slug is misspelt ('indianopolis'); the city's IRIs are spelt right.
CITY_SLUG = {"indianopolis-us": "indianapolis-us"}
# The profile's first slot is labelled other than 'Mayor': its holder holds that post, not a mayor's.
MAYOR_SLOT = {"alexandria-us": "City Manager"}
# Countries: the ISO 3166-1 alpha-3 code of each name the sheets print, and where a sheet prints none,
# the code its URL slug ends in (read as Moscow's record reads 'rus').
ISO = {"Argentina": "ARG", "Austria": "AUT", "Brazil": "BRA", "Canada": "CAN", "Colombia": "COL",
       "Costa Rica": "CRI", "Finland": "FIN", "Greece": "GRC", "Ireland": "IRL", "Israel": "ISR",
       "Korea": "KOR", "Mexico": "MEX", "New Zealand": "NZL", "Peru": "PER", "Portugal": "PRT",
       "South Africa": "ZAF", "Spain": "ESP", "Sweden": "SWE", "The Netherlands": "NLD",
       "United Kingdom": "GBR", "United States": "USA"}
ISO_FROM_SLUG = {"paris-fra": "FRA", "toronto-ca": "CAN", "edmonton-ca": "CAN", "madrid-esp": "ESP"}

# Profiles that print an 'Innovation Website' slot without an address (sources/README.md; the
# sheet's innovation_website is null for that reason): read, as Moscow's is, as a website that
# exists, with the section reached in part. The sheets of 2026-12-01 do not say so for any profile.
WEBSITE_SLOT = {"anchorage-us", "atlanta-us", "baltimore-us", "buenos-aires-arg", "detroit-us", "rosario-arg"}
# Sections whose state a record gives differently from the rules below, with the reason.
SECTION_EXCEPTIONS = {
    ("philadelphia-us", "organisations"): ("partly", "the organisation sentence starts and is cut at its first "
                                                     "word; the one organisation known is from the spotlight"),
}
# Named spotlight entries that are not recorded as programs (plans, bodies, headings; Cape Town's
# precedent), or whose facts describe an organisation the sheet names: each is a reading the record notes.
NOT_PROGRAMS = {
    "cape-town-zaf": {"Integrated Development Plan 2017-2022", "Data Strategy"},
    "rosario-arg": {"Department of Modernization and Proximity"},
    "chicago-us": {"Tech Plan"},
    "lima-per": {"Institutional Strategic Plan 2020-2023", "Office of Digital Government and Innovation"},
    "san-jose-us": {"Smart City Vision"},
    "vienna-aut": {"Strategy for Economy and Innovation"},
    "curridabat-cri": {"Sweet City Framework"},
    "mexico-city-mex": {"Digital Agency for Public Innovation"},
    "new-york-city-us": {"Mayor's Office for Economic Opportunity (NYC Opportunity)", "Service Design Studio"},
    "paris-fra": {"Pôle Innovation"},
    "medellin-col": {"University, State and Enterprise Committee"},
    "fort-collins-us": {"Colorado Smart City Alliance"},
    "fort-lauderdale-us": {"ISO 9001:2015 certification"},
    "syracuse-us": {"Defined priority area", "Performance Office", "Special projects", "Leveraging employees",
                    "Leveraging external resources"},
    "philadelphia-us": {"GovLabPHL"}, "montreal-ca": {"Montreal Urban Innovation Lab"}, "toronto-ca": {"i-team"},
}
# Spotlight paragraphs without a name that the shipped records read as programs (descriptive rdfs:label).
UNNAMED_PROGRAMS = {"austin-us": 1, "baltimore-us": 1, "cape-town-zaf": 1, "detroit-us": 1, "wellington-nzl": 3}
# A placement the records read as a concept of another label (a reading on the concept, vocab/organisation-placement).
PLACEMENT_READINGS = {"standalone department under the City Manager": "under the City Manager"}
# The sheets of 2026-11-26 (read first) and their read date; the rest were read 2026-12-01.
FIRST_READ = {"anchorage-us", "athens-grc", "atlanta-us", "aurora-il", "austin-us", "baltimore-us", "bilbao-esp",
              "buenos-aires-arg", "cape-town-zaf", "detroit-us", "rochester-us", "rosario-arg", "wellington-nzl"}

# Response properties a record may state; each is compared below or is not a fact-sheet field.
RESPONSE_PROPERTIES = {
    RDF.type, IG.respondent, IG.edition, IG.profileVintage, IG.supersedes, IG.hasExplicitStrategy,
    IG.approach, IG.goal, IG.criticalSuccessFactor, IG.prioritisesPolicyAreas, IG.policyAreaOfFocus,
    IG.declaredRoleCount, IG.listsRole, IG.associatedTerm, IG.highlightedActivity, IG.hasDedicatedFunding,
    IG.hasDedicatedInnovationTeam, IG.fundedActivity, IG.hasPartnerships, IG.partnerType, IG.dataPartnerType,
    IG.comparedWith, IG.sectionReached, IG.sectionNotReached, IG.sectionPartlyReached, DCTERMS.source,
    DCTERMS.description, SKOS.editorialNote, RDFS.label,
}
_NO_TEAM = re.compile(r"^no dedicated (innovation team|team for innovation)", re.I)
_DEDICATED_NOTE = re.compile(r"^(a )?dedicated (innovation team|team for innovation)\b|\bteam dedicated to innovation\b", re.I)
_POST_NAME = re.compile(r"\b(Officer|Official|Advocate|Advisor|Adviser)\b")
_AREA_PARAGRAPH = re.compile(r"\((unlabelled )?policy-area (description|paragraph)\)$")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _read_date(path: Path) -> str:
    return re.search(r"read (\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8")).group(1)


def _slug(sheet: dict) -> str:
    return CITY_SLUG.get(sheet["slug"], sheet["slug"])


def _fold(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("&", " and ")).split())


@pytest.fixture(scope="module")
def graph():
    return load_graph(Project(REPO))


def _index(graph, scheme: str, vocabulary_only: bool = False) -> dict[str, set[URIRef]]:
    """Label -> concepts of a scheme; with vocabulary_only, the vocabulary's concepts (skos:topConceptOf),
    not the free-text answers records add."""
    index: dict[str, set[URIRef]] = {}
    for concept in graph.subjects(SKOS.inScheme, IGV[scheme]):
        if vocabulary_only and (concept, SKOS.topConceptOf, None) not in graph:
            continue
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                index.setdefault(str(label), set()).add(concept)
    return index


def _concepts(graph, scheme: str, labels) -> set[URIRef]:
    """Map printed labels to concepts of one scheme: every label maps to exactly one concept, except a
    cut label that begins no label of the vocabulary or several (not recorded)."""
    index = _index(graph, scheme)
    vocabulary = _index(graph, scheme, vocabulary_only=True)
    out = set()
    for label in labels or []:
        if label.endswith("…"):
            hits = {c for text, cs in vocabulary.items() if text.startswith(label[:-1]) for c in cs}
            if len(hits) != 1:
                continue
        else:
            hits = index.get(label) or {c for text, cs in index.items() if _fold(text) == _fold(label) for c in cs}
        assert len(hits) == 1, f"{scheme}: label {label!r} maps to {sorted(hits)}, not one concept"
        out |= hits
    return out


def _variants(sheet: dict) -> list[tuple[str, dict, set[tuple[str, str]]]]:
    """(name, sheet values, snapshot keys (URL, 'older' | 'other')) per version of the page."""
    entries = sheet["vintage"]["versions_read"]
    older = sheet["vintage"].get("older_trailing_slash_copy")
    if not older:
        return [("only", sheet, {(e["url"], "other") for e in entries})]
    marked = any("older" in e["layout"] for e in entries)
    is_older = {e["url"] + e["layout"]: ("older" in e["layout"]) if marked else e["url"].endswith("/") for e in entries}
    newer = {(e["url"], "other") for e in entries if not is_older[e["url"] + e["layout"]]}
    old = {(e["url"], "older") for e in entries if is_older[e["url"] + e["layout"]]}
    assert newer and old, "each version has a copy"
    return [("newer", sheet, newer), ("older", {**sheet, **older, "_older_keys": set(older)}, old)]


def _key(graph, snapshot) -> tuple[str, str]:
    title = " ".join(str(t) for t in graph.objects(snapshot, DCTERMS.title))
    return str(graph.value(snapshot, IG.storedAt)), ("older" if "older copy" in title else "other")


def _sources(graph, node) -> set[tuple[str, str]]:
    """The stored copies a node's facts are sourced to: a fact citing the page is sourced to every copy
    read of it, one citing a snapshot to that copy."""
    keys = set()
    for source in graph.objects(node, DCTERMS.source):
        if (source, RDF.type, IG.PageSnapshot) in graph:
            keys.add(_key(graph, source))
        elif str(source).startswith(PROFILES):
            keys |= {_key(graph, s) for s in graph.subjects(PROV.specializationOf, source)}
    return keys


def _printing(variants, predicate) -> set[tuple[str, str]]:
    """The snapshot keys of the versions for which `predicate(values)` holds."""
    return {k for _, values, keys in variants if predicate(values) for k in keys}


def _names(printed: str | None, post: str) -> dict[str, str | None]:
    """Holder names -> qualifier ('current', 'at time of 2018 survey'), from a mayor or officer field."""
    if not printed:
        return {}
    parts = [printed] if post == "mayor" else printed.split(", ")
    out = {}
    for part in parts:
        m = re.match(r"^(.+?)\s*\(([^)]*)\)$", part)
        out[m.group(1) if m else part] = m.group(2) if m else None
    return out


def _note_year(sheet: dict, keys: set[tuple[str, str]]) -> int | None:
    """The year the profile note of the copies `keys` gives ('produced in 2019'), if they carry it."""
    m = re.search(r"produced in (\d{4})", sheet["vintage"].get("snapshot_note") or "")
    layouts = [e["layout"] for e in sheet["vintage"]["versions_read"]
               if (e["url"], "older" if "older" in e["layout"] else "other") in keys or (e["url"], "other") in keys]
    if not m or not layouts or all("no note" in layout.lower() for layout in layouts):
        return None
    return int(m.group(1))


def _tenures(graph, city, post_class) -> dict[str, set]:
    adm = graph.value(city, IG.administration)
    out = {}
    for post in graph.subjects(ORG_POST_IN, adm):
        if post_class is not None and (post, RDF.type, post_class) not in graph:
            continue
        for tenure in graph.subjects(IG.post, post):
            for name in graph.objects(graph.value(tenure, IG.holder), SCHEMA_NAME):
                out[str(name)] = tenure
    return out


def _one(graph, node, prop):
    values = list(graph.objects(node, prop))
    assert len(values) <= 1, f"{node} has several {prop}"
    return values[0].toPython() if values and isinstance(values[0], Literal) else (values[0] if values else None)


def _yes_no(value):
    return None if value is None else {"yes": True, "no": False}[value]


def _entries(values: dict) -> list[tuple[str, dict]]:
    """The organisation entries of one version, each as (kind, entry): a post, an organisation, the
    city's 'no dedicated team' or a paragraph on how the work is spread."""
    out = []
    for e in values.get("organisations") or []:
        name, placement, size, note = e.get("name"), e.get("placement"), e.get("team_size"), e.get("note")
        if _NO_TEAM.match(placement or "") or (not name and not placement and _NO_TEAM.match(note or "")):
            out.append(("no-team", e))
        elif not name and size is None and (not placement or re.search("spread|sprinkled", placement)):
            out.append(("spread", e))
        elif name and size is None and _POST_NAME.search(name) and not re.search(
                r"\b(team|office|department|division|lab)\b", name, re.I):
            out.append(("post", e))
        else:
            out.append(("org", e))
    return out


def _dedicated_team(values: dict) -> bool | None:
    """What the sheet says of a team dedicated to innovation (None: it does not say)."""
    entries = _entries(values)
    no_team = any(kind == "no-team" for kind, _ in entries)
    dedicated = any(kind in ("org", "post") and (_DEDICATED_NOTE.search(e.get("note") or "")
                                                  or re.search(r"\bdedicated to innovation\b", e.get("placement") or ""))
                    for kind, e in entries)
    return False if no_team and not dedicated else True if dedicated and not no_team else None


def _partnerships(values: dict) -> bool | None:
    partners = values.get("partnerships") or {}
    if partners.get("with"):
        return True
    if partners.get("with") == [] and "internal" in (partners.get("note") or ""):
        return False
    return None


def _expected_fields(graph, slug: str, d: dict) -> dict:
    pa = d["policy_areas_focus"] or {}
    roles = d["roles"] or {}
    funding = d["funding"] or {}
    partners = d["partnerships"] or {}
    strategy = d["explicit_strategy"]
    listed = _concepts(graph, "innovation-role", roles.get("listed"))
    declared = roles.get("declared_count")
    return {
        "explicit strategy": None if strategy is None else _yes_no(strategy["value"]),
        "approach": None if d["approach"] is None else APPROACH.get(d["approach"]) or APPROACH_OTHER[slug],
        "goals": _concepts(graph, "goal", d["goals"]),
        "success factors": _concepts(graph, "success-factor", d["critical_success_factors"]),
        "prioritises policy areas": pa.get("prioritises"),
        "policy areas": _concepts(graph, "policy-area", pa.get("labels")),
        "declared role count": declared if declared is None or declared >= len(listed) else None,
        "roles": listed,
        "terms": _concepts(graph, "innovation-term", d["terms"]),
        "activities": _concepts(graph, "innovation-activity", d["most_common_activities"]),
        "dedicated funding": _yes_no(funding.get("dedicated")),
        "funding sources": _concepts(graph, "funding-source", funding.get("sources")),
        "funded activities": _concepts(graph, "funded-activity", funding.get("funded_activities")),
        "partnerships": _partnerships(d),
        "partner types": _concepts(graph, "partner-type", partners.get("with")),
        "data partner types": _concepts(graph, "data-partner-type", partners.get("data_partnerships_with")),
    }


def _recorded_fields(graph, response) -> dict:
    objs = lambda p: set(graph.objects(response, p))  # noqa: E731
    return {
        "explicit strategy": _one(graph, response, IG.hasExplicitStrategy),
        "approach": _one(graph, response, IG.approach),
        "goals": objs(IG.goal),
        "success factors": objs(IG.criticalSuccessFactor),
        "prioritises policy areas": _one(graph, response, IG.prioritisesPolicyAreas),
        "policy areas": objs(IG.policyAreaOfFocus),
        "declared role count": _one(graph, response, IG.declaredRoleCount),
        "roles": objs(IG.listsRole),
        "terms": objs(IG.associatedTerm),
        "activities": objs(IG.highlightedActivity),
        "dedicated funding": _one(graph, response, IG.hasDedicatedFunding),
        "funding sources": objs(IG.fundingSource),
        "funded activities": objs(IG.fundedActivity),
        "partnerships": _one(graph, response, IG.hasPartnerships),
        "partner types": objs(IG.partnerType),
        "data partner types": objs(IG.dataPartnerType),
    }


def _any(d: dict | None) -> dict | None:
    return d if d is not None and any(v is not None for v in d.values()) else None


def _sheet_sections(d: dict) -> dict[str, bool]:
    funding = d["funding"] or {}
    partners = d["partnerships"] or {}
    values = {
        "mayor": d["mayor"], "population": d["population"], "innovation-website": d["innovation_website"],
        "lead-innovation-officer": d["lead_innovation_officer"], "goals": d["goals"],
        "success-factors": d["critical_success_factors"], "spotlight": d["spotlight"],
        "strategy": d["explicit_strategy"], "approach": d["approach"],
        # a section held in a mapping is reached when any of its fields is ({declared_count: null, listed: null}: not)
        "policy-areas": _any(d["policy_areas_focus"]), "roles": _any(d["roles"]),
        "organisations": d["organisations"], "terms": d["terms"],
        "activities": d["most_common_activities"], "dedicated-funding": funding.get("dedicated"),
        "funding-sources": funding.get("sources"), "funded-activities": funding.get("funded_activities"),
        "partnerships": partners.get("with"), "data-partnerships": partners.get("data_partnerships_with"),
        "data-availability": d["data_availability"],
    }
    return {section: value is not None for section, value in values.items()}


_FIELD_OF = {"roles": "roles", "activities": "most_common_activities", "organisations": "organisations",
             "partnerships": "partnerships", "data-partnerships": "partnerships", "funded-activities": "funding"}


def _partly_reached(sheet: dict, values: dict, version: str) -> set[str]:
    """Sections the sheet shows reached only in part: a list whose last label is cut ('…'); a roles
    count without its list; a population printed without its year; or a list its unreadable_sections
    say goes on ('rest of', 'end of', '(only ...', 'fourth role'), for this version of the page."""
    funding = values["funding"] or {}
    partners = values["partnerships"] or {}
    roles = values["roles"] or {}
    lists = {"goals": values["goals"], "success-factors": values["critical_success_factors"],
             "roles": roles.get("listed"), "terms": values["terms"], "activities": values["most_common_activities"],
             "policy-areas": (values["policy_areas_focus"] or {}).get("labels"),
             "funding-sources": funding.get("sources"), "funded-activities": funding.get("funded_activities"),
             "partnerships": partners.get("with"), "data-partnerships": partners.get("data_partnerships_with")}
    out = {s for s, items in lists.items() if isinstance(items, list) and items and str(items[-1]).endswith("…")}
    if values["roles"] is not None and roles.get("listed") is None and roles.get("declared_count") is not None:
        out.add("roles")
    population = values["population"]
    if population is not None and not (isinstance(population.get("value"), int) and population.get("year")):
        out.add("population")
    other = {"newer": "older", "older": "newer"}.get(version)
    for entry in sheet.get("unreadable_sections") or []:
        if other and f"{other} version" in entry:
            continue
        first = entry.split(" and ")[0]
        ordinal = re.match(r"^(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) role\b", first)
        if not (ordinal or re.search(r"^(rest of|end of)|\(only ", first)):
            continue
        found = {s for keyword, s in (("roles", "roles"), ("innovation activities", "activities"),
                                      ("organisation", "organisations"), ("funded-activities", "funded-activities"))
                 if keyword in first}
        if ordinal:
            found.add("roles")
        if "data-partnership" in first or "data partnership" in first:
            found.add("data-partnerships")
        elif "partnership" in first:
            found.add("partnerships")
        for section in found:
            if version == "older" and "older version" not in entry and _FIELD_OF[section] in values["_older_keys"]:
                continue
            if _sheet_sections(values)[section]:
                out.add(section)
    return out


def _spotlight_only(values: dict) -> bool:
    """Every organisation is known only from the spotlight text, the organisation sentence not reached."""
    orgs = values["organisations"] or []
    return bool(orgs) and all("named in the spotlight text" in (e.get("note") or "") for e in orgs) and any(
        "not reachable" in (e.get("note") or "") for e in orgs)


def _record_notes(graph, slug: str) -> list[str]:
    return [str(n) for n in graph.objects(ID[f"record/{slug}"], SKOS.editorialNote)]


def test_every_fact_sheet_has_a_record():
    assert len(SHEET_FILES) == 78
    for path in SHEET_FILES:
        assert (REPO / "data" / "ttl" / "cities" / f"{_slug(_load(path))}.ttl").is_file(), path.stem
        assert path.stem == _load(path)["slug"], "a sheet is named after its URL slug"


@pytest.mark.parametrize("path", SHEET_FILES, ids=[p.stem for p in SHEET_FILES])
def test_city_facts_match_the_sheet(graph, path):
    sheet = _load(path)
    slug = _slug(sheet)
    city = ID[f"city/{slug}"]
    variants = _variants(sheet)
    assert {str(n) for n in graph.objects(city, SCHEMA_NAME)} == {sheet["city"]}
    country = graph.value(city, IG.country)
    iso = ISO[sheet["country"]] if sheet["country"] else ISO_FROM_SLUG[sheet["slug"]]
    assert country == ID[f"country/{iso.lower()}"] and str(graph.value(country, IG.iso3166Alpha3)) == iso
    if sheet["country"]:  # the name as printed; else the code's reading
        assert {str(n) for n in graph.objects(country, SCHEMA_NAME)} == {sheet["country"]}
    assert URIRef(f"{PROFILES}{sheet['slug']}/") in set(graph.objects(country, DCTERMS.source))

    for post, field, cls in (("mayor", "mayor", IG.MayorPost),
                             ("lead-innovation-officer", "lead_innovation_officer", IG.InnovationOfficerPost)):
        expected: dict[str, tuple[set, str | None]] = {}
        for _, values, keys in variants:
            for name, qualifier in _names(values[field], post).items():
                expected.setdefault(name, (set(), qualifier))[0].update(keys)
        if post == "mayor" and slug in MAYOR_SLOT:
            holders = _tenures(graph, city, IG.Post)
            label = f"{MAYOR_SLOT[slug]} of {sheet['city']}"
            holders = {n: t for n, t in holders.items() if str(graph.value(graph.value(t, IG.post), RDFS.label)) == label}
            assert not _tenures(graph, city, cls)
        else:
            holders = _tenures(graph, city, cls)
        assert set(holders) == set(expected), post
        for name, tenure in holders.items():
            keys, qualifier = expected[name]
            if len(variants) > 1:
                assert _sources(graph, tenure) == keys, (name, _sources(graph, tenure))
            year = (int(re.search(r"\d{4}", qualifier).group(0)) if qualifier and re.search(r"\d{4}", qualifier)
                    else None if qualifier else _note_year(sheet, keys))
            assert _one(graph, tenure, IG.heldAsOf) == year, name
            if year is None:
                assert list(graph.objects(tenure, SKOS.editorialNote)), f"{name}: no year and no note"

    expected_pop: dict[tuple[int, int], set] = {}
    for _, values, keys in variants:
        pop = values["population"]
        if pop and isinstance(pop["value"], int) and pop["year"]:
            expected_pop.setdefault((pop["value"], pop["year"]), set()).update(keys)
        elif pop:  # printed without a year (Chattanooga's newer copy) or not a number (Chelsea's '39,6990'): a note
            notes = " ".join(str(n) for n in graph.objects(city, SKOS.editorialNote))
            shown = f"{pop['value']:,}" if isinstance(pop["value"], int) else str(pop["value"])
            assert shown in notes, f"population {shown} printed without its year is not noted"
    recorded_pop = {(graph.value(o, IG.populationValue).toPython(), graph.value(o, IG.referenceYear).toPython()):
                    _sources(graph, o) for o in graph.objects(city, IG.population)}
    assert set(recorded_pop) == set(expected_pop)
    for key, sources in recorded_pop.items():
        # sourced to the copy (or copies) of the profile version(s) that print it
        assert sources and sources <= expected_pop[key], (key, sources)
        if len(variants) > 1:
            assert sources == expected_pop[key], (key, sources)

    # One page, one source: the page is declared once, and each copy read is a snapshot of it.
    record = ID[f"record/{slug}"]
    page = URIRef(f"{PROFILES}{sheet['slug']}/")
    assert (page, RDF.type, IG.SourceDocument) in graph
    snapshots = set(graph.objects(record, PROV.wasDerivedFrom))
    assert {_key(graph, s) for s in snapshots} == {k for _, _, keys in variants for k in keys}
    assert len(snapshots) == len({k for _, _, keys in variants for k in keys})
    for snapshot in snapshots:
        assert (snapshot, RDF.type, IG.PageSnapshot) in graph
        assert graph.value(snapshot, PROV.specializationOf) == page
        assert graph.value(snapshot, IG.retrievedOn) == Literal(_read_date(path), datatype=XSD.date)
        assert graph.value(snapshot, IG.profileVintage) is not None
    assert (_read_date(path) == "2026-11-26") is (sheet["slug"] in FIRST_READ)


@pytest.mark.parametrize("path", SHEET_FILES, ids=[p.stem for p in SHEET_FILES])
def test_responses_match_the_sheet_both_ways(graph, path):
    sheet = _load(path)
    slug = _slug(sheet)
    responses = set(graph.subjects(IG.respondent, ID[f"city/{slug}"]))
    variants = _variants(sheet)
    assert len(responses) == len(variants)
    for name, values, keys in variants:
        matching = [r for r in responses if _sources(graph, r) == keys] if len(variants) > 1 else list(responses)
        assert len(matching) == 1, f"{slug} ({name}): no single response sourced to {sorted(keys)}"
        response = matching[0]
        assert set(graph.predicates(response, None)) <= RESPONSE_PROPERTIES
        expected = _expected_fields(graph, slug, values)
        recorded = _recorded_fields(graph, response)
        for field in expected:
            assert recorded[field] == expected[field], f"{slug} ({name}) {field}"

        # Edition: a 'produced in 2019' note ties the answers to the 2018 wave; any other reading is
        # an inference the record says so.
        edition = graph.value(response, IG.edition)
        if _note_year(sheet, keys) or name == "older":
            assert edition == IGV["survey-edition/2018"], f"{slug} ({name})"
        else:
            assert any("inference" in n for n in _record_notes(graph, slug)), f"{slug}: edition reading not noted"

        reached = {str(s).rsplit("/", 1)[1] for s in graph.objects(response, IG.sectionReached)}
        partly = {str(s).rsplit("/", 1)[1] for s in graph.objects(response, IG.sectionPartlyReached)}
        not_reached = {str(s).rsplit("/", 1)[1] for s in graph.objects(response, IG.sectionNotReached)}
        sections = _sheet_sections(values)
        expected_partly = _partly_reached(sheet, values, name) | (
            {"innovation-website"} if slug in WEBSITE_SLOT else set())
        if _spotlight_only(values):
            sections["organisations"] = False
            expected_partly.discard("organisations")
        for (city, section), (state, _) in SECTION_EXCEPTIONS.items():
            if city == slug:
                sections[section] = state == "reached"
                (expected_partly.add if state == "partly" else expected_partly.discard)(section)
        assert partly == expected_partly, f"{slug} ({name}) sections reached in part"
        for section, in_sheet in sections.items():
            if section in expected_partly:
                continue
            assert (section in reached) is in_sheet and (section in not_reached) is not in_sheet, (
                f"{slug} ({name}) section {section}: sheet says {'reached' if in_sheet else 'not reached'}")
        if slug in WEBSITE_SLOT:
            assert graph.value(ID[f"city/{slug}"], IG.hasInnovationWebsite).toPython() is True

        # 'No dedicated team' is always stated; a team called dedicated to innovation may be (the records
        # of 2026-11-26 predate ig:hasDedicatedInnovationTeam and state only the 'no team' case).
        team = _dedicated_team(values) if "organisations" not in not_reached else None
        stated = _one(graph, response, IG.hasDedicatedInnovationTeam)
        assert stated == team or (team is True and stated is None and sheet["slug"] in FIRST_READ), (
            f"{slug} ({name}) dedicated team")

        # The survey statistics quoted beside the answers, one each, each citing this page (or copy).
        quoted = values["survey_statistics_quoted"] or []
        compared = set(graph.objects(response, IG.comparedWith))
        assert len(compared) == len({(q["share"], _quote_kind(q["about"])) for q in quoted}), slug
        shares = {_fold(q["share"]) for q in quoted}
        for stat in compared:
            share = graph.value(stat, IG.sharePercent)
            printed = graph.value(stat, IG.shareAsPrinted)
            assert (_fold(f"{float(share):g}%") if share is not None else _fold(str(printed))) in shares, stat
            assert _sources(graph, stat) & keys, (slug, stat)
            if graph.value(stat, IG.statisticSubject) in (IGV["indicator/has-an-explicit-innovation-strategy"],
                                                          IGV["indicator/has-no-explicit-innovation-strategy"]):
                has = values["explicit_strategy"]["value"] == "yes"
                assert graph.value(stat, IG.statisticSubject) == IGV[
                    f"indicator/has-{'an' if has else 'no'}-explicit-innovation-strategy"], (slug, stat)


def _quote_kind(about: str) -> str:
    """What a quoted share is about: strategy, an approach, or funding."""
    about = about.lower()
    return ("strategy" if "strategy" in about else "both" if "both holistically" in about else
            "holistic" if "holistic/macro" in about else "specific" if "specific policy" in about else "funding")


@pytest.mark.parametrize("path", SHEET_FILES, ids=[p.stem for p in SHEET_FILES])
def test_organisations_match_the_sheet(graph, path):
    """Each organisation entry is an organisation (name or descriptive label, placement, team size),
    a post (a named post without staff), the response's 'no dedicated team', or a paragraph on how
    the work is spread; no organisation the sheet does not give."""
    sheet = _load(path)
    slug = _slug(sheet)
    city = ID[f"city/{slug}"]
    variants = _variants(sheet)
    expected: dict[tuple, tuple[str, dict, set]] = {}
    for _, values, keys in variants:
        for kind, e in _entries(values):
            key = (kind, e.get("name"), e.get("placement"), e.get("team_size"), e.get("note"))
            expected.setdefault(key, (kind, e, set()))[2].update(keys)
    orgs = set(graph.subjects(IG.organisationOfCity, city))
    posts = {p for p in graph.subjects(ORG_POST_IN, graph.value(city, IG.administration))
             if (p, RDF.type, IG.MayorPost) not in graph and (p, RDF.type, IG.InnovationOfficerPost) not in graph}
    posts -= {p for p in posts if slug in MAYOR_SLOT and str(graph.value(p, RDFS.label)).startswith(MAYOR_SLOT[slug])}
    wanted_orgs = [(e, keys) for kind, e, keys in expected.values() if kind == "org"]
    wanted_posts = [(e, keys) for kind, e, keys in expected.values() if kind == "post"]
    assert len(orgs) == len(wanted_orgs), f"{slug}: {len(orgs)} organisations, the sheet gives {len(wanted_orgs)}"
    assert len(posts) == len(wanted_posts), slug
    unmatched = set(orgs)
    for e, keys in wanted_orgs:
        hits = [o for o in unmatched if _org_matches(graph, o, e)]
        assert hits, f"{slug}: no organisation for {e}"
        org = hits[0]
        unmatched.discard(org)
        if len(variants) > 1:
            assert _sources(graph, org) == keys, (slug, e)
    for e, _ in wanted_posts:
        assert any(str(graph.value(p, RDFS.label)) == f"{e['name']} of {sheet['city']}" for p in posts), (slug, e)
    for kind, e, _ in expected.values():
        if kind in ("spread", "no-team") and (e.get("note") or kind == "spread"):
            text = e.get("note") or e.get("placement")
            words = {w for w in _fold(text).split() if len(w) >= 5}
            texts = [_fold(str(o)) for s in [city, graph.value(city, IG.administration), *graph.subjects(IG.respondent, city)]
                     for p in (DCTERMS.description, SKOS.editorialNote) for o in graph.objects(s, p)]
            assert any(len(words & set(t.split())) >= 0.6 * len(words) for t in texts), f"{slug}: {text!r} not stated"


def _org_matches(graph, org, e: dict) -> bool:
    name = e.get("name")
    names = {str(n) for n in graph.objects(org, SCHEMA_NAME)}
    labels = [str(n) for n in graph.objects(org, RDFS.label)]
    if name and name == name.lower() and " " in name and "-" not in name:   # a description, not a name
        ok = not names and any(_fold(label).startswith(_fold(name)) for label in labels)
    else:
        ok = names == {name} if name else (not names and bool(labels))
    placement = graph.value(org, IG.placement)
    if e.get("placement"):
        want = PLACEMENT_READINGS.get(e["placement"], e["placement"])
        ok = ok and placement is not None and _fold(str(graph.value(placement, SKOS.prefLabel))) == _fold(want)
    else:
        ok = ok and placement is None
    return ok and _one(graph, org, IG.teamSize) == e.get("team_size")


def _program_name(printed: str) -> str:
    name = printed.strip()
    if name[0] in "'\"" and name[0] in name[1:]:
        close = name.index(name[0], 1)
        name = name[1:close] + name[close + 1:]
    m = re.match(r"^(.+?) \(([A-Z][A-Za-z0-9&.]{1,11})\)$", name)
    return m.group(1) if m else name


@pytest.mark.parametrize("path", SHEET_FILES, ids=[p.stem for p in SHEET_FILES])
def test_named_spotlight_entries_are_programs(graph, path):
    """A named spotlight entry is a program of that name (a description such as 'smart water meters'
    is its descriptive label); no program the spotlight does not name, except the shipped readings of
    unnamed paragraphs; the exceptions are plans, bodies and headings (NOT_PROGRAMS)."""
    sheet = _load(path)
    slug = _slug(sheet)
    city = ID[f"city/{slug}"]
    expected = {}
    for _, values, keys in _variants(sheet):
        for entry in values["spotlight"] or []:
            printed = entry.get("name")
            if printed and not _AREA_PARAGRAPH.search(printed):
                name = _program_name(printed)
                if name not in NOT_PROGRAMS.get(slug, set()) and printed not in NOT_PROGRAMS.get(slug, set()):
                    expected.setdefault(_fold(name), set()).update(keys)
    programs = set(graph.subjects(IG.programOfCity, city))
    recorded, unnamed = {}, 0
    for program in programs:
        names = [str(n) for n in graph.objects(program, SCHEMA_NAME)]
        if names:
            recorded[_fold(names[0])] = program
            continue
        label = _fold(str(graph.value(program, RDFS.label)))
        described = [k for k in expected if label.startswith(k)]
        if described:
            recorded[described[0]] = program
        else:
            unnamed += 1
    assert set(recorded) == set(expected), slug
    assert unnamed == UNNAMED_PROGRAMS.get(slug, 0), slug
    if len(_variants(sheet)) > 1:
        for name, program in recorded.items():
            assert _sources(graph, program) == expected[name], (slug, name)
    texts = " ".join(str(n) for s in [*graph.subjects(IG.respondent, city), *graph.subjects(IG.organisationOfCity, city)]
                     for p in (SKOS.editorialNote, DCTERMS.description, URIRef("https://schema.org/alternateName"))
                     for n in graph.objects(s, p))
    for name in NOT_PROGRAMS.get(slug, set()):  # stated as a description (or on the organisation) instead
        assert _program_name(name) in texts, f"{slug}: {name!r} is neither a program nor stated otherwise"


def test_two_versions_of_one_page(graph):
    """Each sheet with an older copy: the newer response supersedes the older, and nothing else does."""
    for path in SHEET_FILES:
        sheet = _load(path)
        slug = _slug(sheet)
        responses = set(graph.subjects(IG.respondent, ID[f"city/{slug}"]))
        pairs = {(a, b) for a in responses for b in graph.objects(a, IG.supersedes)}
        variants = _variants(sheet)
        if len(variants) == 1:
            assert not pairs, slug
            continue
        (newer,) = [r for r in responses if _sources(graph, r) == variants[0][2]]
        (older,) = [r for r in responses if _sources(graph, r) == variants[1][2]]
        assert pairs == {(newer, older)}, slug


def test_cape_town_keeps_both_versions(graph):
    newer = ID["city/cape-town-zaf/response/2020"]
    older = ID["city/cape-town-zaf/response/2018"]
    assert (newer, IG.supersedes, older) in graph
    assert _sources(graph, newer) == {("https://cities-innovation-oecd.com/cities/cape-town-zaf", "other")}
    assert _sources(graph, older) == {("https://cities-innovation-oecd.com/cities/cape-town-zaf/", "older")}
    assert any("newer" in str(n) for n in graph.objects(newer, SKOS.editorialNote))


def test_two_versions_of_one_url_are_two_snapshots(graph):
    denver = {str(s): _key(graph, s) for s in graph.objects(ID["record/denver-us"], PROV.wasDerivedFrom)}
    url = "https://cities-innovation-oecd.com/cities/denver-us/"
    assert denver == {str(ID["snapshot/denver-us/https-slash"]): (url, "other"),
                      str(ID["snapshot/denver-us/https-slash-older"]): (url, "older")}


def test_printed_oddities_are_kept_with_a_note(graph):
    chelsea = ID["city/chelsea-us"]
    assert not list(graph.objects(chelsea, IG.population))
    assert any("39,6990" in str(n) for n in graph.objects(chelsea, SKOS.editorialNote))
    # Indianapolis: the city's IRI spelt right, the page and its copy as printed.
    indianapolis = ID["city/indianapolis-us"]
    assert (indianapolis, SCHEMA_NAME, Literal("Indianapolis")) in graph
    (snapshot,) = graph.objects(ID["record/indianapolis-us"], PROV.wasDerivedFrom)
    assert str(graph.value(snapshot, IG.storedAt)) == "https://cities-innovation-oecd.com/cities/indianopolis-us"
    assert graph.value(snapshot, PROV.specializationOf) == URIRef("https://cities-innovation-oecd.com/cities/indianopolis-us/")
    assert not list(graph.triples((ID["city/indianopolis-us"], None, None)))
    medellin = ID["city/medellin-col"]
    assert (medellin, SCHEMA_NAME, Literal("Medellin")) in graph
    assert any("accent" in str(n) for n in graph.objects(medellin, SKOS.editorialNote))
    assert any("Curridibat" in str(n) for s in graph.objects(ID["record/curridabat-cri"], PROV.wasDerivedFrom)
               for n in graph.objects(s, SKOS.editorialNote))
    assert any("Kansas City, Kansas" in str(n) for n in graph.objects(ID["city/kansas-city-us"], SKOS.editorialNote))


def test_every_response_states_every_section(graph):
    all_sections = {IGV[f"profile-section/{s}"] for s in SECTIONS}
    assert set(graph.subjects(SKOS.inScheme, IGV["profile-section"])) == all_sections
    responses = set(graph.subjects(RDF.type, IG.SurveyResponse))
    assert len(responses) >= 90  # Moscow, 78 cities from fact sheets, 11 with two versions of the page
    for response in responses:
        reached = set(graph.objects(response, IG.sectionReached))
        partly = set(graph.objects(response, IG.sectionPartlyReached))
        not_reached = set(graph.objects(response, IG.sectionNotReached))
        assert reached | partly | not_reached == all_sections, response
        assert not reached & not_reached and not reached & partly and not partly & not_reached, response


# ---------------------------------------------------------------- partial records and the shapes

@pytest.fixture(scope="module")
def project() -> Project:
    return Project(REPO)


def _validate_text(project, tmp_path, text):
    path = tmp_path / "fictional-partialton.ttl"
    path.write_text(text, encoding="utf-8")
    return validate(project, [path])


def test_partial_record_is_accepted(project):
    report = validate(project, [PARTIAL])
    assert [r.as_dict() for r in report.results] == []


WRONG = [
    ("answer-in-unreached-section",
     ("    ig:declaredRoleCount 3 ;", "    ig:declaredRoleCount 3 ; ig:associatedTerm term:data-analytics ;"),
     "igsh:SurveyResponseShape-answerInUnreachedSection", Severity.VIOLATION),
    ("funding-answer-in-unreached-section",
     ("    ig:declaredRoleCount 3 ;", "    ig:declaredRoleCount 3 ; ig:hasDedicatedFunding true ;"),
     "igsh:SurveyResponseShape-answerInUnreachedSection", Severity.VIOLATION),
    ("section-both-reached-and-not",
     ("ig:sectionReached section:mayor ,", "ig:sectionReached section:terms , section:mayor ,"),
     "igsh:SurveyResponseShape-sectionBothWays", Severity.VIOLATION),
    ("program-without-name-or-label",
     ('    rdfs:label "Unnamed fictional data platform of Partialton"@en ;\n', ""),
     "igsh:InnovationProgramShape-name", Severity.VIOLATION),
    ("section-not-stated",
     ("section:data-availability , section:funding-sources", "section:funding-sources"),
     "igsh:SurveyResponseRecommendedShape-everySectionStated", Severity.WARNING),
]


@pytest.mark.parametrize("case, edit, shape, severity", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_partial_record_is_rejected(project, tmp_path, case, edit, shape, severity):
    text = PARTIAL.read_text(encoding="utf-8")
    old, new = edit
    assert text.count(old) == 1, f"fixture no longer contains {old!r} once"
    report = _validate_text(project, tmp_path, text.replace(old, new))
    assert report.results, f"{case}: the shapes accepted a wrong record"
    assert {(r.source_shape, r.severity) for r in report.results} == {(shape, severity)}, [
        r.as_dict() for r in report.results]
