"""A fact sheet as a SheetRecord: every node the record states, with its IRI, its sources and the
notes that explain each reading. Nothing here validates or writes (`sheets.py` does).

The rules, in the order of the sheet:

- versions: the top-level fields are one version of the page; `vintage.older_trailing_slash_copy`
  holds the fields of an older version that differ. Each stored copy read is a snapshot; two
  versions of one URL are two snapshots (`<scheme>-<slash|noslash>` and `...-older`), two
  extractions of one version are one. A fact printed in every version cites the page, a fact of
  one version the snapshots of that version.
- people: the mayor slot and the lead innovation officer(s) (a list 'A, B', a qualifier '(current)',
  '(at time of 2018 survey)'); `ig:heldAsOf` is the year of the profile note, else none, with a note.
- organisations: 'no dedicated innovation team' is the response's `ig:hasDedicatedInnovationTeam
  false`; an entry with neither name, placement nor size describes how the work is spread (a
  description of the response); a named post without staff is an `ig:Post`; the rest are
  organisations, with their placement concept and size.
- spotlight: a named entry is a program (its facts are features), an entry without a name or a
  policy-area paragraph is a description of the response.
- labels: `labels.Vocabulary` (exact, then normalised; near matches are only reported); a cut
  label maps only where one concept label begins so; an unknown label is a free-text concept.
- sections: reached (a value), not reached (null), reached in part (a list cut at its end, or
  one the sheet's unreadable_sections say goes on).
"""

from __future__ import annotations

import datetime as _dt

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ..namespaces import ID, IG
from .labels import Vocabulary
from .sheet_facts import Variant, VariantReader, iso_country, variants_of
from .sheet_model import PAGE, NewConcept, Node, SheetRecord
from .sheet_responses import responses


def build_sheet_record(sheet, graph: Graph, *, city_slug: str, today: _dt.date, sheet_shown: str) -> SheetRecord:
    """Sheet -> SheetRecord, reading labels against the vocabularies (and the free-text concepts
    of other records) in `graph`."""
    data = sheet.data
    variants = variants_of(sheet, city_slug)
    page = f"https://cities-innovation-oecd.com/cities/{data['slug']}/"
    name = data["city"]
    rec = SheetRecord(city_slug, name, None, page, sheet_shown, sheet.read_date, today.isoformat())
    vocab = Vocabulary(graph)
    reader = VariantReader(sheet, city_slug, variants, vocab, graph, rec.report)
    _record_notes(rec, sheet, variants)
    rec.snapshots = [_snapshot(rec, snap) for v in variants for snap in v.snaps]
    _city(rec, sheet, variants, graph)
    _people(rec, reader, graph)
    rec.orgs, extra_posts = reader.organisations()
    rec.posts += extra_posts
    rec.programs = reader.programs()
    rec.responses = responses(reader)
    rec.new_concepts = [NewConcept(*c) for c in reader.new_concepts]
    return rec


def _record_notes(rec: SheetRecord, sheet, variants: list[Variant]) -> None:
    data = sheet.data
    rec.record_notes.append(
        f"Read from the fact sheet {rec.sheet_shown} (copied from the project's shared sources); the sheet "
        "copies labels as printed and paraphrases descriptions (spotlight facts, organisation notes).")
    if len(variants) > 1:
        rec.record_notes.append(
            f"{rec.city_name}'s profile is stored in two versions with different data: the fact sheet's "
            "top-level fields are the newer version, vintage.older_trailing_slash_copy the older version's "
            "fields that differ. Each version is recorded as its own response, sourced to its own copy; the "
            "newer ig:supersedes the older. Facts printed in both versions cite the page; facts of one "
            "version cite that version's copy.")
    for v in variants:
        rec.record_notes.append(v.edition_note)
    if data["innovation_website"] is None:
        rec.record_notes.append("The fact sheet gives no innovation website (null): the section is recorded "
                                "as not reached and ig:hasInnovationWebsite is not stated.")
    note = data["vintage"].get("slash_vs_no_slash")
    if note:
        rec.record_notes.append(f"Fact sheet, on the copies read: {note}")
    if data["slug"] != rec.slug:
        rec.record_notes.append(
            f"The page's URL slug is printed '{data['slug']}'; the city's IRIs use the slug '{rec.slug}'. "
            "The page and its copies keep the URL as printed.")
    for key in ("slug", "survey_statistics_quoted"):
        if key in sheet.comments:
            rec.record_notes.append(f"Fact sheet note on '{key}': {sheet.comments[key]}")


def _snapshot(rec: SheetRecord, snap) -> Node:
    read = rec.read_date
    notes = [f"Read on {read} from an archived copy, not the live site; excerpt only. " if read else
             "The date the copy was read is not given in the fact sheet; excerpt only. "]
    notes[0] += " ".join(f"Layout: {layout}. Readable until: {until}." for layout, until in snap.extractions)
    if len(snap.extractions) > 1:
        notes.append("The fact sheet lists two extractions of this stored copy; they are one snapshot here.")
    if snap.version_note:
        notes.append(snap.version_note)
    which = {"older": "older copy, ", "newer": "newer copy, "}.get(snap.version, "copy ")
    return Node(snap.term, [
        ("a", ["ig:PageSnapshot"]), ("prov:specializationOf", [PAGE]), ("ig:storedAt", [f"<{snap.url}>"]),
        ("dcterms:title", [("lit", f"{rec.city_name} city profile, OECD / Bloomberg Philanthropies Survey on "
                            f"Innovation Capacity in Cities ({which}stored at {snap.url})")]),
        ("ig:retrievedOn", [f'"{read}"^^xsd:date'] if read else []),
        ("ig:profileVintage", [("lit", snap.vintage)]),
    ], sources=[], notes=notes)


def _city(rec: SheetRecord, sheet, variants: list[Variant], graph: Graph) -> None:
    data, slug = sheet.data, rec.slug
    city = f"<city/{slug}>"
    notes = []
    if "city" in sheet.comments:
        notes.append(f"Name as printed; fact sheet note: {sheet.comments['city']}")
    iso, country_name, country_notes = iso_country(sheet)
    rec.country_name = country_name
    known = iso and (URIRef(f"{ID}country/{iso.lower()}"), RDF.type, IG.Country) in graph
    if iso and not known:
        rec.country = Node(f"<country/{iso.lower()}>", [
            ("a", ["ig:Country"]), ("schema:name", [("plain", country_name)]),
            ("ig:iso3166Alpha3", [("plain", iso)])], notes=country_notes + [
            "A country new to the graph: move this node to data/ttl/countries.ttl, its one home."])
        rec.report.append(f"country {iso} ({country_name}) is not in data/ttl/countries.ttl: stated in the record; "
                          "move it there")
    elif iso:
        rec.report.append(f"country: add {rec.page_url} and this note to <country/{iso.lower()}> in "
                          f"data/ttl/countries.ttl: {' '.join(country_notes)}")
    else:
        notes.append("The fact sheet prints no country and the slug carries no code read as one.")
    populations: dict[tuple, list[Variant]] = {}
    for v in variants:
        pop = v.values.get("population")
        if pop is None:
            continue
        value, year = pop.get("value"), pop.get("year")
        comment = v.comment("population.value") or v.comment("population")
        if isinstance(value, int) and isinstance(year, int) and value > 0:
            populations.setdefault((value, year), []).append(v)
        else:
            shown = f"{value:,}" if isinstance(value, int) else str(value)
            note = (f"The {v.label_copy} prints a population of {shown} with no reference year" if year is None
                    else f"The {v.label_copy} prints a population of {shown} ({year}), which is not a whole number")
            note += "; ig:population needs a number and its year, so the figure is kept only in this note"
            notes.append(note + (f" (fact sheet: {comment})." if comment else "."))
    pop_terms = []
    for (value, year), vs in populations.items():
        iri = f"<city/{slug}/population/{year}>"
        pop_terms.append(iri)
        sources = VariantReader.sources_of(variants, vs)
        pnotes = [f"Printed on the {vs[0].label_copy}."] if sources != [PAGE] else []
        rec.populations.append(Node(iri, [
            ("a", ["ig:PopulationObservation"]), ("ig:observedCity", [city]),
            ("ig:populationValue", [str(value)]), ("ig:referenceYear", [str(year)])], sources, pnotes))
    rec.city = Node(city, [
        ("a", ["ig:City"]), ("schema:name", [("plain", rec.city_name)]),
        ("ig:country", [f"<country/{iso.lower()}>"] if iso else []),
        ("ig:population", pop_terms), ("ig:administration", [f"<city/{slug}/administration>"]),
    ], notes=notes)
    rec.administration = Node(f"<city/{slug}/administration>", [
        ("a", ["ig:CityAdministration"]), ("rdfs:label", [("lit", f"City administration of {rec.city_name}")]),
        ("ig:administrationOf", [city])])


def _people(rec: SheetRecord, reader: VariantReader, graph: Graph) -> None:
    slug, name = rec.slug, rec.city_name
    adm = f"<city/{slug}/administration>"
    posts = {"mayor": ("ig:MayorPost", f"Mayor of {name}"),
             "lead-innovation-officer": ("ig:InnovationOfficerPost", f"Lead Innovation Officer of {name}")}
    seen_people: set[str] = set()
    for post, holders in reader.holders().items():
        if not holders:
            continue
        cls, label = posts[post]
        rec.posts.append(Node(f"<city/{slug}/post/{post}>", [
            ("a", [cls]), ("rdfs:label", [("lit", label)]), ("org:postIn", [adm])]))
        for h in holders:
            person = f"<person/{h.person_slug}>"
            declared = (URIRef(f"{ID}person/{h.person_slug}"), RDF.type, IG.Person) in graph
            tenure_notes = list(h.notes)
            if declared:
                tenure_notes.append(f"Reading: the person {person} is declared by another record with the same "
                                    "printed name; read as the same person, whom the profiles do not "
                                    "otherwise identify.")
                rec.report.append(f"person {h.name}: the same name is declared by another record; this record "
                                  "reuses it (check they are one person)")
            elif h.person_slug not in seen_people:
                rec.persons.append(Node(person, [("a", ["ig:Person"]), ("schema:name", [("plain", h.name)])],
                                        h.sources))
            seen_people.add(h.person_slug)
            if h.held_as_of is None:
                tenure_notes.insert(0, h.no_date_note)
            rec.tenures.append(Node(f"<city/{slug}/tenure/{post}-{h.person_slug}>", [
                ("a", ["ig:Tenure"]), ("ig:heldAsOf", [str(h.held_as_of)] if h.held_as_of else []),
                ("ig:post", [f"<city/{slug}/post/{post}>"]), ("ig:holder", [person])], h.sources, tenure_notes))


