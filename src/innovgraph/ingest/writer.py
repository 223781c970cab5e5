"""Structured record -> Turtle, in the style of the shipped records (data/ttl/cities/moscow-rus.ttl).

`@base` for data IRIs, one prefix per vocabulary scheme, the profile URL as `profile:`, banner
comments per part, `dcterms:source profile:` on every node that states facts, every profile
section marked reached or not reached, readings as `skos:editorialNote`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from ..cache import atomic_write
from ..namespaces import ID, IGV, SCHEME_PREFIXES, slugify

_HEAD = """@prefix ig:      <https://w3id.org/innovgraph/ontology#> .
@base <https://w3id.org/innovgraph/id/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .
"""


# Characters that would end a comment or a short string, or that no reader expects raw in a
# record: C0 and C1 controls (CR and LF among them), the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # not UTF-8: undecodable bytes of an argument
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def literal(text: str, lang: str | None = None) -> str:
    """A Turtle string literal: one line whatever `text` holds (line breaks and other control
    characters escaped), so no value can end it and start a statement of its own.

    >>> literal('Say "hi"\\n', "en")
    '"Say \\\\"hi\\\\"\\\\n"@en'
    >>> literal("a\\rb\\x00c\\u2028")
    '"a\\\\rb\\\\u0000c\\\\u2028"'
    """
    escaped = _SURROGATE.sub("\ufffd", text.replace("\\", "\\\\").replace('"', '\\"'))
    escaped = _CONTROL.sub(lambda m: _SHORT_ESCAPES.get(m[0], f"\\u{ord(m[0]):04X}"), escaped)
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def comment(text: str) -> str:
    """`text` made safe to write after a `#`: every line break and control character becomes a
    space, so a value can never end the comment it is written into.

    >>> comment("Moscow\\n<x> <y> <z> .\\rnext")
    'Moscow <x> <y> <z> . next'
    """
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))


def term(iri: URIRef | str) -> str:
    """Compact an IRI: data IRIs relative to @base, concepts by scheme prefix, else <...>."""
    text = str(iri)
    if text.startswith(str(ID)):
        return f"<{text[len(str(ID)):]}>"
    if text.startswith(str(IGV)):
        scheme, _, local = text[len(str(IGV)):].partition("/")
        if local and scheme in SCHEME_PREFIXES and "/" not in local:
            return f"{SCHEME_PREFIXES[scheme]}:{local}"
        if not local:
            return f"igv:{scheme}"
    return f"<{text}>"


@dataclass
class Org:
    slug: str
    name: str | None               # schema:name as printed; None for a team the profile does not name
    cls: str                       # ig:InnovationDepartment, ...
    notes: list[str] = field(default_factory=list)
    label: str | None = None       # descriptive rdfs:label of an unnamed team
    placement: URIRef | None = None   # a concept of igv:organisation-placement
    team_size: int | None = None   # only an exact number printed
    description: str | None = None
    in_administration: bool = False   # org:subOrganizationOf the city administration


@dataclass
class Program:
    slug: str
    name: str
    acronym: str | None = None
    description: str | None = None
    areas: list[URIRef] = field(default_factory=list)
    run_by: str | None = None      # org slug
    notes: list[str] = field(default_factory=list)


@dataclass
class NewConcept:
    iri: URIRef
    scheme: str
    label: str
    note: str


@dataclass
class Record:
    """Everything the record file states, with IRIs already decided."""

    slug: str
    city_name: str
    source_url: str
    edition: int
    created: str
    local_copy: str | None = None
    vintage: str = "No note on when the profile was produced."
    source_notes: list[str] = field(default_factory=list)
    record_notes: list[str] = field(default_factory=list)
    country_code: str | None = None
    country_name: str | None = None
    country_notes: list[str] = field(default_factory=list)
    population: int | None = None
    population_year: int | None = None
    website: bool | None = None
    website_url: str | None = None
    city_notes: list[str] = field(default_factory=list)
    mayor: str | None = None
    mayor_notes: list[str] = field(default_factory=list)
    officer: str | None = None
    orgs: list[Org] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    # Response: (property, [objects already rendered as Turtle terms]) in page order, with a comment.
    answers: list[tuple[str, str, list[str]]] = field(default_factory=list)
    data_rows: list[tuple[str, URIRef, URIRef]] = field(default_factory=list)   # (slug, area, level)
    compared_with: list[str] = field(default_factory=list)
    reached: list[str] = field(default_factory=list)
    partly_reached: list[str] = field(default_factory=list)
    not_reached: list[str] = field(default_factory=list)
    response_notes: list[str] = field(default_factory=list)
    new_concepts: list[NewConcept] = field(default_factory=list)
    invalid: str | None = None     # set when written with --force although it does not validate

    country_known: bool = False    # the graph already has the country (data/ttl/countries.ttl)

    @property
    def city(self) -> str:
        return f"<city/{self.slug}>"

    @property
    def page_url(self) -> str:
        """The page the facts cite: the profile's canonical address, when the copy read is one
        of cities-innovation-oecd.com (http or https, with or without the trailing slash)."""
        if re.match(r"https?://cities-innovation-oecd\.com/cities/[^/]+/?$", self.source_url):
            return f"https://cities-innovation-oecd.com/cities/{self.slug}/"
        return self.source_url

    @property
    def snapshot(self) -> str:
        """The copy that was read, a snapshot of the page."""
        scheme = self.source_url.split(":", 1)[0]
        end = "slash" if self.source_url.endswith("/") else "noslash"
        return f"<snapshot/{self.slug}/{scheme}-{end}>"

    @property
    def held_as_of(self) -> int | None:
        """The year the profile was produced, when its note says it ('produced in 2019')."""
        m = re.search(r"produced in (\d{4})", self.vintage)
        return int(m.group(1)) if m else None

    @property
    def response(self) -> str:
        return f"<city/{self.slug}/response/{self.edition}>"


def _banner(title: str) -> str:
    return f"\n# {'-' * 64} {title}\n"


def _block(subject: str, pairs: list[tuple[str, list[str]]]) -> str:
    """subject + (predicate, objects) pairs; pairs with no object are left out."""
    pairs = [(p, objs) for p, objs in pairs if objs]
    lines = [subject]
    for k, (pred, objs) in enumerate(pairs):
        end = " ." if k == len(pairs) - 1 else " ;"
        if len(objs) > 1 and any(o.startswith('"') for o in objs):
            lines.append(f"    {pred} " + " ,\n        ".join(objs) + end)
        else:
            lines.append(f"    {pred} " + _wrap(objs) + end)
    return "\n".join(lines) + "\n"


def _wrap(objs: list[str], width: int = 100) -> str:
    out, line = [], ""
    for k, obj in enumerate(objs):
        piece = obj + (" ," if k < len(objs) - 1 else "")
        if line and len(line) + len(piece) + 1 > width:
            out.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    out.append(line)
    return "\n        ".join(out)


def _notes(notes: list[str]) -> list[str]:
    return [literal(n, "en") for n in notes]


def render_record(rec: Record) -> str:
    """The record as Turtle text."""
    city, slug, name = rec.city, rec.slug, rec.city_name
    country = f" ({rec.country_name})" if rec.country_name else ""
    # Values in comments go through comment(); in statements, through literal() or term().
    out = [f"# City record: {comment(name + country)}.\n"]
    if rec.invalid:
        out.append(f"# NOT VALID: written with --force although it does not validate "
                   f"({comment(rec.invalid)}).\n"
                   "# Fix it, then run `innovgraph validate` on it before committing.\n")
    out.append(
        f"# Written by `innovgraph ingest` from the {comment(name)} city profile of the OECD / Bloomberg\n"
        f"# Philanthropies Survey on Innovation Capacity in Cities ({comment(rec.source_url)}).\n"
        "# Only what the profile text states is recorded; sections the text does not reach are marked\n"
        "# ig:sectionNotReached. Readings chosen where the text is ambiguous are recorded as\n"
        "# skos:editorialNote on the record and on the node concerned.\n\n")
    out.append(_HEAD)
    if rec.new_concepts:
        out.append("@prefix igv:     <https://w3id.org/innovgraph/vocab/> .\n")
    out.append("\n")
    for scheme, prefix in SCHEME_PREFIXES.items():
        out.append(f"@prefix {prefix + ':':<8} <{IGV}{scheme}/> .\n")
    out.append("\n# The profile page (the source the facts cite) and the copy of it that was read.\n"
               f"@prefix page:    <{rec.page_url}> .\n")

    out.append(_banner("record and source"))
    out.append("\n" + _block(f"<record/{slug}>", [
        ("a", ["ig:CityRecord"]),
        ("rdfs:label", [literal(f"City record: {name}", "en")]),
        ("dcterms:subject", [city]),
        ("prov:wasDerivedFrom", [rec.snapshot]),
        ("dcterms:source", ["page:"]),
        ("dcterms:created", [f'"{rec.created}"^^xsd:date']),
        ("skos:editorialNote", _notes(rec.record_notes)),
    ]))
    out.append("\n" + _block("page:", [
        ("a", ["ig:SourceDocument"]),
        ("dcterms:title", [literal(f"{name} city profile, OECD / Bloomberg Philanthropies Survey on "
                                   "Innovation Capacity in Cities", "en")]),
    ]))
    out.append("\n" + _block(rec.snapshot, [
        ("a", ["ig:PageSnapshot"]),
        ("prov:specializationOf", ["page:"]),
        ("ig:storedAt", [f"<{rec.source_url}>"]),
        ("dcterms:title", [literal(f"{name} city profile, OECD / Bloomberg Philanthropies Survey on "
                                   f"Innovation Capacity in Cities (copy read at {rec.source_url})", "en")]),
        ("ig:localCopy", [literal(rec.local_copy)] if rec.local_copy else []),
        ("ig:profileVintage", [literal(rec.vintage, "en")]),
        ("skos:editorialNote", _notes(rec.source_notes)),
    ]))

    out.append(_banner("the city"))
    population = f"<city/{slug}/population/{rec.population_year}>" if rec.population_year else None
    has_country = bool(rec.country_code and rec.country_name)
    out.append("\n" + _block(city, [
        ("a", ["ig:City"]),
        ("schema:name", [literal(name)]),
        ("ig:country", [f"<country/{rec.country_code.lower()}>"] if has_country else []),
        ("ig:population", [population] if population else []),
        ("ig:hasInnovationWebsite", [str(rec.website).lower()] if rec.website is not None else []),
        ("ig:innovationWebsite", [literal(rec.website_url) + "^^xsd:anyURI"] if rec.website_url else []),
        ("ig:administration", [f"<city/{slug}/administration>"]),
        ("dcterms:source", ["page:"]),
        ("skos:editorialNote", _notes(rec.city_notes)),
    ]))
    if has_country and not rec.country_known:  # a country new to the graph; else its one home has it
        out.append("\n" + _block(f"<country/{rec.country_code.lower()}>", [
            ("a", ["ig:Country"]),
            ("schema:name", [literal(rec.country_name)]),
            ("ig:iso3166Alpha3", [literal(rec.country_code.upper())]),
            ("dcterms:source", ["page:"]),
            ("skos:editorialNote", _notes(rec.country_notes)),
        ]))
    if population:
        out.append("\n" + _block(population, [
            ("a", ["ig:PopulationObservation"]),
            ("ig:observedCity", [city]),
            ("ig:populationValue", [str(rec.population)]),
            ("ig:referenceYear", [str(rec.population_year)]),
            ("dcterms:source", ["page:"]),
        ]))
    out.append("\n" + _block(f"<city/{slug}/administration>", [
        ("a", ["ig:CityAdministration"]),
        ("rdfs:label", [literal(f"City administration of {name}", "en")]),
        ("ig:administrationOf", [city]),
        ("dcterms:source", ["page:"]),
    ]))

    if rec.mayor or rec.officer:
        out.append(_banner("people and posts"))
        posts = [("mayor", "ig:MayorPost", f"Mayor of {name}", rec.mayor, rec.mayor_notes),
                 ("lead-innovation-officer", "ig:InnovationOfficerPost",
                  f"Lead Innovation Officer of {name}", rec.officer, [])]
        for post, cls, label, person, _ in posts:
            if person:
                out.append("\n" + _block(f"<city/{slug}/post/{post}>", [
                    ("a", [cls]), ("rdfs:label", [literal(label, "en")]),
                    ("org:postIn", [f"<city/{slug}/administration>"]), ("dcterms:source", ["page:"])]))
        for post, cls, label, person, notes in posts:
            if person:
                out.append("\n" + _block(f"<person/{slugify(person)}>", [
                    ("a", ["ig:Person"]), ("schema:name", [literal(person)]),
                    ("dcterms:source", ["page:"])]))
        for post, cls, label, person, notes in posts:
            if person:
                out.append("\n" + _block(f"<city/{slug}/tenure/{post}-{slugify(person)}>", [
                    ("a", ["ig:Tenure"]), ("ig:post", [f"<city/{slug}/post/{post}>"]),
                    ("ig:holder", [f"<person/{slugify(person)}>"]),
                    ("ig:heldAsOf", [str(rec.held_as_of)] if rec.held_as_of else []),
                    ("dcterms:source", ["page:"]),
                    ("skos:editorialNote", _notes(notes + ([] if rec.held_as_of else [
                        "The profile prints no date it was produced: the year this post was known "
                        "to be held is not given (it is not called current either)."])))]))

    if rec.orgs:
        out.append(_banner("organisations dedicated to innovation"))
        for org in rec.orgs:
            out.append("\n" + _block(f"<city/{slug}/org/{org.slug}>", [
                ("a", [org.cls]),
                ("rdfs:label", [literal(org.label, "en")] if org.label else []),
                ("schema:name", [literal(org.name)] if org.name else []),
                ("ig:organisationOfCity", [city]),
                ("org:subOrganizationOf", [f"<city/{slug}/administration>"] if org.in_administration else []),
                ("ig:placement", [term(org.placement)] if org.placement else []),
                ("ig:teamSize", [str(org.team_size)] if org.team_size is not None else []),
                ("dcterms:description", [literal(org.description, "en")] if org.description else []),
                ("dcterms:source", ["page:"]),
                ("skos:editorialNote", _notes(org.notes))]))

    if rec.programs:
        out.append(_banner("programs"))
        for prog in rec.programs:
            out.append("\n" + _block(f"<city/{slug}/program/{prog.slug}>", [
                ("a", ["ig:InnovationProgram"]), ("schema:name", [literal(prog.name)]),
                ("ig:acronym", [literal(prog.acronym)] if prog.acronym else []),
                ("ig:programOfCity", [city]),
                ("dcterms:description", [literal(prog.description, "en")] if prog.description else []),
                ("ig:servesPolicyArea", [term(a) for a in prog.areas]),
                ("ig:runBy", [f"<city/{slug}/org/{prog.run_by}>"] if prog.run_by else []),
                ("dcterms:source", ["page:"]),
                ("skos:editorialNote", _notes(prog.notes))]))

    out.append(_banner(f"response to the {rec.edition} edition"))
    out.append("\n" + _response(rec))
    for row_slug, area, level in rec.data_rows:
        out.append(f"<city/{slug}/response/{rec.edition}/data/{row_slug}>\n"
                   f"    a ig:DataAvailability ; ig:policyArea {term(area)} ; ig:availabilityLevel {term(level)} ;\n"
                   "    dcterms:source page: .\n")

    if rec.new_concepts:
        out.append(_banner("answers not in the vocabularies (free-text concepts: review them)"))
        for c in rec.new_concepts:
            out.append("\n" + _block(term(c.iri), [
                ("a", ["skos:Concept , ig:FreeTextAnswer"]),
                ("skos:inScheme", [f"igv:{c.scheme}"]),
                ("skos:prefLabel", [literal(c.label, "en")]),
                ("dcterms:source", ["page:"]),
                ("skos:editorialNote", [literal(c.note, "en")])]))
    return "".join(out)


def _response(rec: Record) -> str:
    lines = [rec.response, "    a ig:SurveyResponse ;",
             f"    rdfs:label {literal(f'{rec.city_name}' + chr(39) + f's response, {rec.edition} survey', 'en')} ;",
             f"    ig:respondent {rec.city} ;",
             f"    ig:edition edition:{rec.edition} ;",
             f"    ig:profileVintage {literal(rec.vintage, 'en')} ;"]
    heading = None
    for group, pred, objs in rec.answers:
        if not objs:
            continue
        if group != heading:
            lines.append(f"    # {comment(group)}")
            heading = group
        lines.append(f"    {pred} {_wrap(objs)} ;")
    if rec.data_rows:
        rows = [f"<city/{rec.slug}/response/{rec.edition}/data/{s}>" for s, _, _ in rec.data_rows]
        lines.append("    ig:dataAvailability\n        " + " ,\n        ".join(rows) + " ;")
    if rec.compared_with:
        lines.append(f"    # Survey-wide figures the profile quotes beside {comment(rec.city_name)}'s answers")
        lines.append(f"    ig:comparedWith {_wrap(rec.compared_with)} ;")
    lines.append("    # Which profile sections the text reaches")
    if rec.reached:
        lines.append(f"    ig:sectionReached {_wrap(['section:' + s for s in rec.reached])} ;")
    if rec.partly_reached:
        lines.append(f"    ig:sectionPartlyReached {_wrap(['section:' + s for s in rec.partly_reached])} ;")
    if rec.not_reached:
        lines.append(f"    ig:sectionNotReached {_wrap(['section:' + s for s in rec.not_reached])} ;")
    notes = _notes(rec.response_notes)
    if notes:
        lines.append("    dcterms:source page: ;")
        lines.append("    skos:editorialNote " + " ,\n        ".join(notes) + " .")
    else:
        lines.append("    dcterms:source page: .")
    return "\n".join(lines) + "\n\n"


def new_city_template(slug: str, source_url: str) -> str:
    """A commented record skeleton to fill in by hand (valid Turtle that states nothing yet)."""
    body = f"""<record/{slug}>
    a ig:CityRecord ;
    rdfs:label "City record: CITY NAME"@en ;
    dcterms:subject <city/{slug}> ;
    prov:wasDerivedFrom profile: ;
    dcterms:source profile: ;
    dcterms:created "YYYY-MM-DD"^^xsd:date ;
    skos:editorialNote "Reading: say here every reading you chose where the profile is ambiguous."@en .

profile:
    a ig:SourceDocument ;
    dcterms:title "CITY NAME city profile, OECD / Bloomberg Philanthropies Survey on Innovation Capacity in Cities"@en ;
    ig:profileVintage "As printed in the profile's note on when it was produced, or: No note on when the profile was produced."@en .

<city/{slug}>
    a ig:City ;
    schema:name "CITY NAME" ;                      # as printed
    ig:country <country/ISO3> ;                    # ISO 3166-1 alpha-3, lower case
    ig:population <city/{slug}/population/YEAR> ;  # only with the year the profile prints
    ig:hasInnovationWebsite true ;                 # only when the profile prints an 'Innovation Website' slot
    ig:administration <city/{slug}/administration> ;
    dcterms:source profile: .

<country/ISO3> a ig:Country ; schema:name "COUNTRY" ; ig:iso3166Alpha3 "ISO3" ; dcterms:source profile: .

<city/{slug}/population/YEAR>
    a ig:PopulationObservation ; ig:observedCity <city/{slug}> ;
    ig:populationValue 0 ; ig:referenceYear YEAR ; dcterms:source profile: .

<city/{slug}/administration>
    a ig:CityAdministration ; rdfs:label "City administration of CITY NAME"@en ;
    ig:administrationOf <city/{slug}> ; dcterms:source profile: .

# People: one post, person and tenure per name the profile prints (mayor slot, Lead Innovation Officer).
<city/{slug}/post/mayor> a ig:MayorPost ; rdfs:label "Mayor of CITY NAME"@en ; org:postIn <city/{slug}/administration> .
<person/PERSON-SLUG> a ig:Person ; schema:name "PERSON NAME" ; dcterms:source profile: .
<city/{slug}/tenure/mayor-PERSON-SLUG>
    a ig:Tenure ; ig:post <city/{slug}/post/mayor> ; ig:holder <person/PERSON-SLUG> ; dcterms:source profile: .

# Organisations (ig:InnovationDepartment / InnovationAgency / InnovationCluster / InnovationTeam):
<city/{slug}/org/ORG-SLUG> a ig:InnovationDepartment ; schema:name "ORG NAME" ;
    ig:organisationOfCity <city/{slug}> ; dcterms:source profile: .

# Programs (spotlight and policy-area paragraphs):
<city/{slug}/program/PROGRAM-SLUG> a ig:InnovationProgram ; schema:name "PROGRAM NAME" ;
    ig:programOfCity <city/{slug}> ; dcterms:description "What it does."@en ;
    ig:servesPolicyArea area:SLUG ; dcterms:source profile: .

<city/{slug}/response/EDITION>
    a ig:SurveyResponse ;
    rdfs:label "CITY NAME's response, EDITION survey"@en ;
    ig:respondent <city/{slug}> ;
    ig:edition edition:EDITION ;                   # 2018 or 2020
    ig:hasExplicitStrategy false ;
    ig:approach appr:SLUG ;
    ig:goal goal:SLUG ;
    ig:criticalSuccessFactor csf:SLUG ;
    ig:prioritisesPolicyAreas true ;
    ig:policyAreaOfFocus area:SLUG ;
    ig:declaredRoleCount 0 ;                       # the count printed, even if fewer roles are listed
    ig:listsRole role:SLUG ;
    ig:associatedTerm term:SLUG ;
    ig:highlightedActivity act:SLUG ;              # the city's own, not the 1-7 survey ranking
    ig:hasDedicatedFunding true ;
    ig:fundingSource fsrc:SLUG ;
    ig:fundedActivity fact:SLUG ;
    ig:hasPartnerships true ;                      # false when the work is internal to the administration
    ig:partnerType ptype:SLUG ;
    ig:dataPartnerType dptype:SLUG ;
    ig:dataAvailability <city/{slug}/response/EDITION/data/AREA-SLUG> ;
    ig:comparedWith <statistic/SLUG> ;             # survey-wide figures in data/ttl/survey/
    # Every one of the 20 profile sections, reached or not reached by the copy:
    ig:sectionReached section:mayor , section:population ;
    ig:sectionNotReached section:data-availability ;
    dcterms:source profile: .

<city/{slug}/response/EDITION/data/AREA-SLUG>
    a ig:DataAvailability ; ig:policyArea area:AREA-SLUG ; ig:availabilityLevel level:sufficient-data .
"""
    commented = "\n".join(("# " + line).rstrip() for line in body.splitlines())
    prefixes = "".join(f"@prefix {p + ':':<8} <{IGV}{s}/> .\n" for s, p in SCHEME_PREFIXES.items())
    return (
        f"# City record template for {slug}: fill it in by hand from the city's profile.\n"
        "# Everything below the prefixes is commented out so this file is valid and states nothing yet.\n"
        "# Uncomment a statement only once you have read its value in the profile; never guess.\n"
        "# Label slugs: docs/model.md (innovgraph.namespaces.slugify); concepts: ontology/vocab/*.ttl.\n"
        "# Check with: innovgraph validate THIS-FILE (or use `innovgraph ingest` on the profile text).\n\n"
        + _HEAD + "\n" + prefixes + f"\n@prefix profile: <{source_url}> .\n\n" + commented + "\n"
    )


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` via a temp file in the same directory and os.replace, synced
    to disk (`innovgraph.cache.atomic_write`).

    Nothing is left behind when writing fails or is interrupted (KeyboardInterrupt included).
    """
    atomic_write(Path(path), text, fsync=True)
