"""Every city record against its fact sheet (data/sources/cities/*.yaml), in both directions.

For the fields the fact sheets cover (mayor, lead innovation officer, population and its year,
explicit strategy, approach, goals, success factors, policy areas, roles and their declared count,
terms, and also highlighted activities, funding, partner types and the sections reached), the record
must state everything the sheet gives and nothing the sheet does not give. Sheet labels are matched to
concepts through skos:prefLabel / skos:altLabel of the field's scheme; a label cut with '…' must match
exactly one concept by its beginning.

The second half checks the "reached, no item" vs "not reached" distinction: every response states all
profile sections, and the shapes accept a partial record but reject one that answers in a section it
says was not reached (a fictional city, tests/fixtures/records/fictional-partialton.ttl).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from innovgraph import Project, Severity, load_graph, validate
from innovgraph.namespaces import ID, IG, IGV

REPO = Path(__file__).resolve().parents[1]
SHEETS = REPO / "data" / "sources" / "cities"
SHEET_FILES = sorted(SHEETS.glob("*.yaml"))
PARTIAL = REPO / "tests" / "fixtures" / "records" / "fictional-partialton.ttl"
SCHEMA_NAME = URIRef("https://schema.org/name")
ORG_POST_IN = URIRef("http://www.w3.org/ns/org#postIn")

SECTIONS = ["mayor", "population", "innovation-website", "lead-innovation-officer", "goals",
            "success-factors", "spotlight", "strategy", "approach", "policy-areas", "roles",
            "organisations", "terms", "activities", "dedicated-funding", "funding-sources",
            "funded-activities", "partnerships", "data-partnerships", "data-availability"]

# The sheets' approach codes (not printed labels) and the concepts they stand for.
APPROACH = {
    "holistic": IGV["approach/holistic-macro-level"],
    "specific": IGV["approach/specific-policy-areas-domains"],
    "both": IGV["approach/both-holistic-macro-and-specific-policy-areas"],
    "other": IGV["approach/redefining-its-approach-no-approach-stated"],
}

# Sections whose reachability a record states differently from "sheet value is null", with the reason.
# Profiles that print an 'Innovation Website' slot without an address (sources/README.md; the
# sheet's innovation_website is null for that reason): read, as Moscow's is, as a website that
# exists, with the section reached in part.
WEBSITE_SLOT = {"anchorage-us", "atlanta-us", "baltimore-us", "buenos-aires-arg", "detroit-us", "rosario-arg"}
SECTION_EXCEPTIONS = {
    ("baltimore-us", "organisations"): "not reached: the organisation is known only from the spotlight "
                                       "text; the organisation sentence was not reachable",
}

# Response properties a record may state; each is compared below or is not a fact-sheet field.
RESPONSE_PROPERTIES = {
    RDF.type, IG.respondent, IG.edition, IG.profileVintage, IG.supersedes, IG.hasExplicitStrategy,
    IG.approach, IG.goal, IG.criticalSuccessFactor, IG.prioritisesPolicyAreas, IG.policyAreaOfFocus,
    IG.declaredRoleCount, IG.listsRole, IG.associatedTerm, IG.highlightedActivity, IG.hasDedicatedFunding,
    IG.fundedActivity, IG.hasPartnerships, IG.partnerType, IG.dataPartnerType, IG.comparedWith,
    IG.sectionReached, IG.sectionNotReached, IG.sectionPartlyReached, DCTERMS.source, DCTERMS.description,
    SKOS.editorialNote, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph():
    return load_graph(Project(REPO))


def _concepts(graph, scheme: str, labels) -> set[URIRef]:
    """Map printed labels to concepts of one scheme; every label must map to exactly one concept."""
    index: dict[str, set[URIRef]] = {}
    for concept in graph.subjects(SKOS.inScheme, IGV[scheme]):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                index.setdefault(str(label), set()).add(concept)
    out = set()
    for label in labels or []:
        if label.endswith("…"):
            stem = label[:-1]
            hits = {c for text, cs in index.items() if text.startswith(stem) for c in cs}
        else:
            hits = index.get(label, set())
        assert len(hits) == 1, f"{scheme}: label {label!r} maps to {sorted(hits)}, not one concept"
        out |= hits
    return out


def _variants(sheet: dict) -> list[tuple[str, dict, set[str]]]:
    """(name, sheet values, source URLs) per version of the profile the sheet describes."""
    urls = set(sheet["source_urls"])
    older = sheet["vintage"].get("older_trailing_slash_copy")
    if not older:
        return [("only", sheet, urls)]
    older_urls = {u for u in urls if u.endswith("/")}
    assert len(older_urls) == 1, "the older copy is the trailing-slash URL"
    old = {**sheet, **older}
    return [("newer", sheet, urls - older_urls), ("older", old, older_urls)]


def _sources(graph, node) -> set[str]:
    """The stored copies (their URLs as printed) a node's facts are sourced to: a fact citing
    the profile page is sourced to every copy read of it, one citing a snapshot to that copy."""
    urls = set()
    for source in graph.objects(node, DCTERMS.source):
        if (source, RDF.type, IG.PageSnapshot) in graph:
            urls |= {str(u) for u in graph.objects(source, IG.storedAt)}
        else:
            urls |= {str(u) for s in graph.subjects(PROV.specializationOf, source)
                     for u in graph.objects(s, IG.storedAt)}
    return urls


def _partly_reached(sheet: dict, values: dict) -> set[str]:
    """Sections the sheet shows reached only in part: a list whose last label is cut ('…'), or
    one its unreadable_sections say goes on ('rest of', 'only the first', 'end of', 'only ...')."""
    lists = {"goals": values["goals"], "success-factors": values["critical_success_factors"],
             "roles": (values["roles"] or {}).get("listed"), "terms": values["terms"],
             "activities": values["most_common_activities"],
             "policy-areas": (values["policy_areas_focus"] or {}).get("labels")}
    out = {s for s, items in lists.items()
           if isinstance(items, list) and items and str(items[-1]).endswith("…")}
    for entry in sheet.get("unreadable_sections") or []:
        first = entry.split(" and ")[0]
        if not re.search(r"^(rest of|end of)|\(only ", first):
            continue
        for keyword, section in (("roles", "roles"), ("innovation activities", "activities"),
                                 ("organisation", "organisations")):
            if keyword in first and _sheet_sections(values)[section]:
                out.add(section)
    return out


def _holders(graph, city, post_class) -> set[str]:
    adm = graph.value(city, IG.administration)
    names = set()
    for post in graph.subjects(ORG_POST_IN, adm):
        if (post, RDF.type, post_class) not in graph:
            continue
        for tenure in graph.subjects(IG.post, post):
            names |= {str(n) for n in graph.objects(graph.value(tenure, IG.holder), SCHEMA_NAME)}
    return names


def _one(graph, node, prop):
    values = list(graph.objects(node, prop))
    assert len(values) <= 1, f"{node} has several {prop}"
    return values[0].toPython() if values and isinstance(values[0], Literal) else (values[0] if values else None)


def _yes_no(value):
    return None if value is None else {"yes": True, "no": False}[value]


def _expected_fields(graph, d: dict) -> dict:
    pa = d["policy_areas_focus"] or {}
    roles = d["roles"] or {}
    funding = d["funding"] or {}
    partners = d["partnerships"] or {}
    strategy = d["explicit_strategy"]
    return {
        "explicit strategy": None if strategy is None else _yes_no(strategy["value"]),
        "approach": None if d["approach"] is None else APPROACH[d["approach"]],
        "goals": _concepts(graph, "goal", d["goals"]),
        "success factors": _concepts(graph, "success-factor", d["critical_success_factors"]),
        "prioritises policy areas": pa.get("prioritises"),
        "policy areas": _concepts(graph, "policy-area", pa.get("labels")),
        "declared role count": roles.get("declared_count"),
        "roles": _concepts(graph, "innovation-role", roles.get("listed")),
        "terms": _concepts(graph, "innovation-term", d["terms"]),
        "activities": _concepts(graph, "innovation-activity", d["most_common_activities"]),
        "dedicated funding": _yes_no(funding.get("dedicated")),
        "funding sources": _concepts(graph, "funding-source", funding.get("sources")),
        "funded activities": _concepts(graph, "funded-activity", funding.get("funded_activities")),
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
        "partner types": objs(IG.partnerType),
        "data partner types": objs(IG.dataPartnerType),
    }


def _sheet_sections(d: dict) -> dict[str, bool]:
    funding = d["funding"] or {}
    partners = d["partnerships"] or {}
    values = {
        "mayor": d["mayor"], "population": d["population"], "innovation-website": d["innovation_website"],
        "lead-innovation-officer": d["lead_innovation_officer"], "goals": d["goals"],
        "success-factors": d["critical_success_factors"], "spotlight": d["spotlight"],
        "strategy": d["explicit_strategy"], "approach": d["approach"], "policy-areas": d["policy_areas_focus"],
        "roles": d["roles"], "organisations": d["organisations"], "terms": d["terms"],
        "activities": d["most_common_activities"], "dedicated-funding": funding.get("dedicated"),
        "funding-sources": funding.get("sources"), "funded-activities": funding.get("funded_activities"),
        "partnerships": partners.get("with"), "data-partnerships": partners.get("data_partnerships_with"),
        "data-availability": d["data_availability"],
    }
    return {section: value is not None for section, value in values.items()}


def test_every_fact_sheet_has_a_record():
    assert len(SHEET_FILES) == 13
    for path in SHEET_FILES:
        assert (REPO / "data" / "ttl" / "cities" / f"{path.stem}.ttl").is_file(), path.stem


@pytest.mark.parametrize("path", SHEET_FILES, ids=[p.stem for p in SHEET_FILES])
def test_city_facts_match_the_sheet(graph, path):
    sheet = _load(path)
    slug = sheet["slug"]
    city = ID[f"city/{slug}"]
    assert {str(n) for n in graph.objects(city, SCHEMA_NAME)} == {sheet["city"]}
    country = graph.value(city, IG.country)
    assert {str(n) for n in graph.objects(country, SCHEMA_NAME)} == {sheet["country"]}

    assert _holders(graph, city, IG.MayorPost) == {sheet["mayor"]}
    assert _holders(graph, city, IG.InnovationOfficerPost) == {sheet["lead_innovation_officer"]}

    expected_pop = {(v["population"]["value"], v["population"]["year"]): urls for _, v, urls in _variants(sheet)}
    recorded_pop = {(graph.value(o, IG.populationValue).toPython(), graph.value(o, IG.referenceYear).toPython()):
                    _sources(graph, o) for o in graph.objects(city, IG.population)}
    assert set(recorded_pop) == set(expected_pop)
    for key, sources in recorded_pop.items():
        # sourced to the copy (or copies) of the profile version that prints it
        assert sources and sources <= expected_pop[key], (key, sources)

    # One page, one source: the page is declared once, and each copy read is a snapshot of it.
    record = ID[f"record/{slug}"]
    page = URIRef(f"https://cities-innovation-oecd.com/cities/{slug}/")
    assert (page, RDF.type, IG.SourceDocument) in graph
    snapshots = set(graph.objects(record, PROV.wasDerivedFrom))
    assert {str(graph.value(s, IG.storedAt)) for s in snapshots} == set(sheet["source_urls"])
    for snapshot in snapshots:
        assert (snapshot, RDF.type, IG.PageSnapshot) in graph
        assert graph.value(snapshot, PROV.specializationOf) == page
        assert graph.value(snapshot, IG.retrievedOn) == Literal("2026-11-26", datatype=URIRef(
            "http://www.w3.org/2001/XMLSchema#date"))
        assert graph.value(snapshot, IG.profileVintage) is not None


@pytest.mark.parametrize("path", SHEET_FILES, ids=[p.stem for p in SHEET_FILES])
def test_responses_match_the_sheet_both_ways(graph, path):
    sheet = _load(path)
    slug = sheet["slug"]
    responses = set(graph.subjects(IG.respondent, ID[f"city/{slug}"]))
    variants = _variants(sheet)
    assert len(responses) == len(variants)
    for name, values, urls in variants:
        matching = [r for r in responses if _sources(graph, r) == urls] if len(variants) > 1 else list(responses)
        assert len(matching) == 1, f"{slug} ({name}): no single response sourced to {sorted(urls)}"
        response = matching[0]
        assert set(graph.predicates(response, None)) <= RESPONSE_PROPERTIES
        expected = _expected_fields(graph, values)
        recorded = _recorded_fields(graph, response)
        for field in expected:
            assert recorded[field] == expected[field], f"{slug} ({name}) {field}"

        reached = {str(s).rsplit("/", 1)[1] for s in graph.objects(response, IG.sectionReached)}
        partly = {str(s).rsplit("/", 1)[1] for s in graph.objects(response, IG.sectionPartlyReached)}
        not_reached = {str(s).rsplit("/", 1)[1] for s in graph.objects(response, IG.sectionNotReached)}
        expected_partly = _partly_reached(sheet, values) | (
            {"innovation-website"} if slug in WEBSITE_SLOT else set())
        assert partly == expected_partly, f"{slug} ({name}) sections reached in part"
        for section, in_sheet in _sheet_sections(values).items():
            if section in expected_partly:
                continue
            want = in_sheet if (slug, section) not in SECTION_EXCEPTIONS else not in_sheet
            assert (section in reached) is want and (section in not_reached) is not want, (
                f"{slug} ({name}) section {section}: sheet says {'reached' if in_sheet else 'not reached'}")
        if slug in WEBSITE_SLOT:
            assert graph.value(ID[f"city/{slug}"], IG.hasInnovationWebsite).toPython() is True


def test_cape_town_keeps_both_versions(graph):
    newer = ID["city/cape-town-zaf/response/2020"]
    older = ID["city/cape-town-zaf/response/2018"]
    assert (newer, IG.supersedes, older) in graph
    assert _sources(graph, newer) == {"https://cities-innovation-oecd.com/cities/cape-town-zaf"}
    assert _sources(graph, older) == {"https://cities-innovation-oecd.com/cities/cape-town-zaf/"}
    assert any("newer" in str(n) for n in graph.objects(newer, SKOS.editorialNote))


def test_every_response_states_every_section(graph):
    all_sections = {IGV[f"profile-section/{s}"] for s in SECTIONS}
    assert set(graph.subjects(SKOS.inScheme, IGV["profile-section"])) == all_sections
    responses = set(graph.subjects(RDF.type, IG.SurveyResponse))
    assert len(responses) >= 15  # Moscow, 12 cities with one response, Cape Town with two
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
