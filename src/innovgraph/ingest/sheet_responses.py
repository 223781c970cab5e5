"""The survey response of each version of a fact sheet: every answer, the survey statistics the
page quotes beside them, the spotlight and organisation paragraphs that are no program or
organisation, and which of the 20 profile sections the copy reached, in part or not at all."""

from __future__ import annotations

import re

from .sheet_facts import (APPROACHES, REDEFINING, SECTIONS, Variant, VariantReader, AREA_PARAGRAPH,
                          DEDICATED_NOTE, DEDICATED_PLACEMENT, LISTS, ORDINAL)
from .sheet_model import PAGE, Node, sentence, term

# Sheet fields whose inline comments are notes on the response (the others are on other nodes).
_RESPONSE_FIELDS = {"goals", "critical_success_factors", "spotlight", "explicit_strategy", "approach",
                    "policy_areas_focus", "roles", "organisations", "terms", "most_common_activities",
                    "funding", "partnerships", "innovation_website"}
_GROUP_OF = {"ig:hasExplicitStrategy": "Vision and approach", "ig:approach": "Vision and approach",
             "ig:goal": "Vision and approach", "ig:criticalSuccessFactor": "Vision and approach",
             "ig:prioritisesPolicyAreas": "Vision and approach", "ig:policyAreaOfFocus": "Vision and approach",
             "ig:declaredRoleCount": "Roles, terms, activities", "ig:listsRole": "Roles, terms, activities",
             "ig:associatedTerm": "Roles, terms, activities", "ig:highlightedActivity": "Roles, terms, activities",
             "ig:hasDedicatedInnovationTeam": "Organisations",
             "ig:hasDedicatedFunding": "Funding", "ig:fundingSource": "Funding", "ig:fundedActivity": "Funding",
             "ig:hasPartnerships": "Partnerships and data", "ig:partnerType": "Partnerships and data",
             "ig:dataPartnerType": "Partnerships and data"}


# Section -> the sheet field that holds it (for the older copy's own fields).
_FIELD = {"roles": "roles", "activities": "most_common_activities", "organisations": "organisations",
          "partnerships": "partnerships", "data-partnerships": "partnerships", "funded-activities": "funding"}


def _get(values: dict, path: tuple[str, ...]):
    value = values
    for key in path:
        value = (value or {}).get(key) if isinstance(value, dict) or value is None else None
    return value


def _any(d: dict | None) -> dict | None:
    """A section held in a mapping (roles: count and list) is reached when any of its fields is."""
    return d if d is not None and any(v is not None for v in d.values()) else None


def section_values(values: dict) -> dict[str, object]:
    """The sheet's value for each profile section (None: not reached)."""
    funding = values.get("funding") or {}
    partners = values.get("partnerships") or {}
    return {
        "mayor": values.get("mayor"), "population": values.get("population"),
        "innovation-website": values.get("innovation_website"),
        "lead-innovation-officer": values.get("lead_innovation_officer"), "goals": values.get("goals"),
        "success-factors": values.get("critical_success_factors"), "spotlight": values.get("spotlight"),
        "strategy": values.get("explicit_strategy"), "approach": values.get("approach"),
        "policy-areas": _any(values.get("policy_areas_focus")), "roles": _any(values.get("roles")),
        "organisations": values.get("organisations"), "terms": values.get("terms"),
        "activities": values.get("most_common_activities"), "dedicated-funding": funding.get("dedicated"),
        "funding-sources": funding.get("sources"), "funded-activities": funding.get("funded_activities"),
        "partnerships": partners.get("with"), "data-partnerships": partners.get("data_partnerships_with"),
        "data-availability": values.get("data_availability"),
    }


def sections(values: dict, unreadable: list[str], version: str | None = None) -> tuple[dict[str, str], set[str]]:
    """(section -> why it is reached only in part, sections not reached). `version` (newer,
    older) skips the unreadable sections the sheet says are of the other version."""
    present = {s: v is not None for s, v in section_values(values).items()}
    partly: dict[str, str] = {}
    for section, _, path, _ in LISTS:
        items = _get(values, path)
        if isinstance(items, list) and items and str(items[-1]).endswith("…"):
            partly[section] = f"the last label is cut ('{items[-1]}')"
    population = values.get("population")
    if population is not None and not (isinstance(population.get("value"), int) and population.get("year")):
        value = population.get("value")
        partly["population"] = (f"the population is printed as '{value:,}'" if isinstance(value, int) else
                                f"the population is printed as '{value}'") + (
            " with no reference year" if not population.get("year") else "") + (
            ", so no population observation is recorded")
    roles = values.get("roles") or {}
    if values.get("roles") is not None and roles.get("listed") is None and roles.get("declared_count") is not None:
        partly["roles"] = "the declared count is printed, the list of roles is not readable"
    older_keys = set(values.get("_older_keys", ()))
    for entry in unreadable:
        other = {"newer": "older", "older": "newer"}.get(version or "")
        if other and f"{other} version" in entry:
            continue   # says which version it is about: not this one
        first = entry.split(" and ")[0]
        ordinal = re.match(rf"^{ORDINAL} role\b", first)
        if not (ordinal or re.search(r"^(rest of|end of)|\(only ", first)):
            continue
        found = []
        if ordinal or "roles" in first:
            found.append("roles")
        if "innovation activities" in first:
            found.append("activities")
        if "organisation" in first:
            found.append("organisations")
        if "data-partnership" in first or "data partnership" in first:
            found.append("data-partnerships")
        elif "partnership" in first:
            found.append("partnerships")
        if "funded-activities" in first:
            found.append("funded-activities")
        for section in found:
            if version == "older" and "older version" not in entry and _FIELD[section] in older_keys:
                continue   # the older copy's own value: an unmarked entry is about the newer copy
            if present[section]:
                partly.setdefault(section, f"the fact sheet lists '{entry}' as unreadable")
    not_reached = {s for s, p in present.items() if not p}
    orgs = values.get("organisations") or []
    if orgs and all("named in the spotlight text" in (e.get("note") or "") for e in orgs) and any(
            "not reachable" in (e.get("note") or "") for e in orgs):
        not_reached.add("organisations")   # known only from the spotlight; the sentence was not reached
        partly.pop("organisations", None)
    return partly, not_reached


def responses(reader: VariantReader) -> list[Node]:
    variants = reader.variants
    return [_response(reader, v, variants[1] if k == 0 and len(variants) > 1 else None,
                      variants[0] if k == 1 else None)
            for k, v in enumerate(variants)]


def _response(reader: VariantReader, v: Variant, older: Variant | None, newer: Variant | None) -> Node:
    slug, city, values = reader.slug, reader.city, v.values
    notes: list[str] = []
    answers: dict[str, list[str]] = {}
    descriptions: list[str] = []
    partly, not_reached = sections(values, values.get("unreadable_sections") or [],
                                   v.name if v.name != "only" else None)

    strategy = values.get("explicit_strategy")
    if strategy:
        answers["ig:hasExplicitStrategy"] = ["true" if strategy["value"] == "yes" else "false"]
    approach = values.get("approach")
    comments = v.own_comments()
    if approach in APPROACHES:
        answers["ig:approach"] = [f"appr:{APPROACHES[approach]}"]
    elif approach == "other":
        comment = comments.get("approach", "")
        if "redefin" in comment.lower():
            answers["ig:approach"] = [f"appr:{REDEFINING}"]
            notes.append("Reading: the profile states no approach category and says the city is redefining its "
                         f"approach; recorded as appr:{REDEFINING}.")
        elif m := re.search(r"approaches innovation capacity (?:at|from) (?:the |a )?(?P<label>[\w/ -]+? level)\b", comment):
            answers["ig:approach"] = [term(reader.concept("approach", m["label"], "approach", notes))]
            notes.append(f"Reading: the fact sheet's approach is 'other'; its note says the city approaches innovation "
                         f"capacity at the {m['label']}, none of the survey's approach categories, so it is recorded "
                         f"as the free-text answer '{m['label']}' (the sheet's words).")
        else:
            notes.append("The fact sheet records the approach as 'other'; no approach concept of the vocabulary "
                         "fits it, so ig:approach is not stated.")
            reader.report.append(f"approach 'other' ({comment or 'no note'}): ig:approach not stated")
    for section, scheme, path, prop in LISTS:
        labels = _get(values, path)
        if labels is None:
            continue
        iris: list[str] = []
        for label in labels:
            iri = reader.concept(scheme, label, section, notes)
            if iri is not None and iri not in iris:
                iris.append(iri)
        answers[prop] = [term(i) for i in iris]
    areas = values.get("policy_areas_focus") or {}
    if areas.get("prioritises") is not None:
        answers["ig:prioritisesPolicyAreas"] = [str(bool(areas["prioritises"])).lower()]
        if areas["prioritises"] is False:
            notes.append(f"{city} does not prioritise specific policy areas: recorded as "
                         "ig:prioritisesPolicyAreas false with no area.")
    _roles(values, answers, notes, city)
    funding = values.get("funding") or {}
    if funding.get("dedicated") in ("yes", "no"):
        answers["ig:hasDedicatedFunding"] = ["true" if funding["dedicated"] == "yes" else "false"]
    _team(reader, v, answers, descriptions, notes, "organisations" in not_reached)
    partners = values.get("partnerships") or {}
    if partners.get("with"):
        answers["ig:hasPartnerships"] = ["true"]
    elif partners.get("with") == [] and "internal" in (partners.get("note") or ""):
        answers["ig:hasPartnerships"] = ["false"]
        notes.append(f"Partnerships: the page says {city}'s innovation work is internal to the city "
                     "administration; recorded as ig:hasPartnerships false with no partner type.")
    if partners.get("note") and answers.get("ig:hasPartnerships") != ["false"]:
        notes.append(f"Fact sheet note on the partnerships: {partners['note'].rstrip('.')}.")
    _spotlight(values, descriptions, notes)
    compared = reader.compared(v, notes)
    for key, text in comments.items():
        if key.split(".")[0] in _RESPONSE_FIELDS:
            notes.append(f"Fact sheet note on '{key}': {text.rstrip('.')}.")
    if values.get("lead_innovation_officer") is None and "lead_innovation_officer" in comments:
        notes.append("Lead innovation officer not recorded; fact sheet note: "
                     f"{comments['lead_innovation_officer'].rstrip('.')}.")
    if partly:
        notes.insert(0, "Sections reached in part (the answers listed there are at least these, maybe not all): "
                     + "; ".join(f"{s}: {why}" for s, why in partly.items()) + ".")
    if older:
        notes.insert(0, f"The newer of {city}'s two responses: it supersedes <city/{slug}/response/{older.tail}> "
                        "(the older stored version of the page).")
    if newer:
        notes.insert(0, f"The older of {city}'s two responses; superseded by <city/{slug}/response/{newer.tail}> "
                        "(the newer stored version of the page).")

    whose = {"newer": " (newer profile copy)", "older": " (older profile copy)"}.get(v.name, "")
    pairs: list[tuple[str, list]] = [
        ("a", ["ig:SurveyResponse"]), ("rdfs:label", [("lit", f"{city}'s response, {v.edition} survey{whose}")]),
        ("ig:respondent", [f"<city/{slug}>"]), ("ig:edition", [f"edition:{v.edition}"]),
        ("ig:profileVintage", [("lit", v.snaps[0].vintage if v.snaps else "No note.")]),
        ("ig:supersedes", [f"<city/{slug}/response/{older.tail}>"] if older else []),
    ]
    group = None
    for prop in _GROUP_OF:
        if answers.get(prop):
            if _GROUP_OF[prop] != group:
                group = _GROUP_OF[prop]
                pairs.append(("#", [group]))
            pairs.append((prop, answers[prop]))
    if compared:
        pairs += [("#", [f"Survey-wide figures the profile quotes beside {city}'s answers"]),
                  ("ig:comparedWith", compared)]
    if descriptions:
        pairs += [("#", ["Spotlight and organisation paragraphs that are no program or organisation"]),
                  ("dcterms:description", [("lit", d) for d in descriptions])]
    reached = [s for s in SECTIONS if s not in partly and s not in not_reached]
    pairs += [("#", ["How far the stored copy reaches: a section not reached is unknown, not 'none'"]),
              ("ig:sectionReached", [f"section:{s}" for s in reached]),
              ("ig:sectionPartlyReached", [f"section:{s}" for s in SECTIONS if s in partly]),
              ("ig:sectionNotReached", [f"section:{s}" for s in SECTIONS if s in not_reached])]
    sources = reader.sources_of(reader.variants, [v]) if len(reader.variants) > 1 else [PAGE]
    return Node(f"<city/{slug}/response/{v.tail}>", pairs, sources, notes)


def _roles(values: dict, answers: dict, notes: list[str], city: str) -> None:
    roles = values.get("roles") or {}
    declared = roles.get("declared_count")
    if declared is None:
        return
    listed = len(answers.get("ig:listsRole", []))
    printed = len(roles.get("listed") or [])
    if declared < listed:
        notes.append(f"The profile says {city} utilises {declared} innovation skills or roles but lists {listed}; "
                     "the declared count is below the roles listed, so it is kept only in this note.")
        return
    answers["ig:declaredRoleCount"] = [str(declared)]
    if roles.get("listed") is not None and declared != printed:
        notes.append(f"The profile says {city} utilises {declared} different innovation skills or roles and "
                     f"lists {printed}; both are kept.")


def _team(reader: VariantReader, v: Variant, answers: dict, descriptions: list[str], notes: list[str],
          unreached: bool) -> None:
    """ig:hasDedicatedInnovationTeam and the organisation paragraphs that name no organisation."""
    entries = reader.entries(v)
    no_team = [e for e in entries if e.kind == "no-team"]
    for e in entries:
        if e.kind == "no-team":
            descriptions.append("No dedicated innovation team" + (f": {e.note.rstrip('.')}." if e.note and
                                not e.note.lower().startswith("no dedicated") else
                                (f" ({e.note.rstrip('.')})." if e.note else ".")))
        elif e.kind == "spread":
            text = "; ".join(x for x in (e.placement, e.note) if x)
            descriptions.append(f"Organisation of innovation work: {text.rstrip('.')}.")
    if unreached:
        return
    dedicated = [(e, m.group(0)) for e in entries if e.kind in ("org", "post")
                 for m in [DEDICATED_NOTE.search(e.note or "") or DEDICATED_PLACEMENT.search(e.placement or "")] if m]
    if no_team and not dedicated:
        answers["ig:hasDedicatedInnovationTeam"] = ["false"]
        notes.append("The organisation paragraph says the city has no dedicated team for innovation: recorded "
                     "as ig:hasDedicatedInnovationTeam false; any team it names is recorded as an organisation.")
    elif dedicated and not no_team:
        answers["ig:hasDedicatedInnovationTeam"] = ["true"]
        notes.append(f"The fact sheet calls a unit of the city dedicated to innovation ('{dedicated[0][1]}'): "
                     "recorded as ig:hasDedicatedInnovationTeam true.")
    elif dedicated and no_team:
        notes.append("The organisation paragraph says both that there is no dedicated team and names a "
                     "dedicated one; ig:hasDedicatedInnovationTeam is not stated.")


def _spotlight(values: dict, descriptions: list[str], notes: list[str]) -> None:
    spotlight = values.get("spotlight")
    if spotlight == []:
        notes.append("The spotlight section was reached and prints no item.")
    unnamed = 0
    for entry in spotlight or []:
        facts = "; ".join(f.rstrip(".") for f in entry.get("facts") or [])
        name = entry.get("name")
        m = AREA_PARAGRAPH.match(name or "")
        if m and m["unlabelled"]:
            descriptions.append(sentence(f"Unlabelled policy-area paragraph, on {m['area']}: {facts}"))
        elif m:
            descriptions.append(sentence(f"Policy-area paragraph '{m['area']}': {facts}"))
        elif not name:
            unnamed += 1
            descriptions.append(sentence(f"Spotlight: {facts}"))
    if unnamed:
        notes.append("Reading: spotlight paragraphs that name no program are stated as descriptions of the "
                     "response, not as ig:InnovationProgram.")
