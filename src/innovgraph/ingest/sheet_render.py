"""A SheetRecord as Turtle, in the style of the shipped records (data/ttl/cities/rochester-us.ttl):
a header comment, the prefixes, banner comments per part, `dcterms:source` on every node that
states facts, readings as `skos:editorialNote`. Values go through `writer.literal` (statements)
and `writer.comment` (comments), so no value can add a statement."""

from __future__ import annotations

from ..namespaces import IGV, SCHEME_PREFIXES
from .sheet_model import PAGE, Node, SheetRecord, term
from .writer import _HEAD, _banner, _block, _wrap, comment, literal

# The schemes a city record's answers come from (their prefixes, as the shipped records declare them).
_SCHEMES = ("policy-area", "innovation-role", "innovation-activity", "goal", "success-factor", "approach",
            "innovation-term", "funding-source", "funded-activity", "partner-type", "data-partner-type",
            "data-availability-level", "survey-edition", "profile-section", "organisation-placement")


def _objects(objs: list) -> list[str]:
    out = []
    for obj in objs:
        if isinstance(obj, tuple):
            kind, text = obj
            out.append(literal(text, "en" if kind == "lit" else None))
        else:
            out.append(obj)
    return out


def _node(node: Node, extra: list[tuple[str, list]] | None = None) -> str:
    pairs = [(p, _objects(o)) for p, o in node.pairs] + (extra or [])
    pairs += [("dcterms:source", node.sources), ("skos:editorialNote", [literal(n, "en") for n in node.notes])]
    return "\n" + _block(node.subject, pairs)


def _response(node: Node) -> str:
    lines = [node.subject]
    pairs = [(p, _objects(o)) for p, o in node.pairs if o]
    pairs += [("dcterms:source", node.sources), ("skos:editorialNote", [literal(n, "en") for n in node.notes])]
    pairs = [(p, o) for p, o in pairs if o]
    last = max(k for k, (p, _) in enumerate(pairs) if p != "#")
    for k, (pred, objs) in enumerate(pairs):
        if pred == "#":
            lines.append(f"    # {comment(objs[0])}")
            continue
        end = " ." if k == last else " ;"
        if len(objs) > 1 and any(o.startswith('"') for o in objs):
            lines.append(f"    {pred} " + " ,\n        ".join(objs) + end)
        else:
            lines.append(f"    {pred} {_wrap(objs)}{end}")
    return "\n" + "\n".join(lines) + "\n"


def render_sheet_record(rec: SheetRecord) -> str:
    """The record as Turtle text."""
    country = f" ({rec.country_name})" if rec.country_name else ""
    read = f"as read on {rec.read_date} from archived copies (excerpts only)" if rec.read_date else \
        "from archived copies (excerpts only)"
    out = [f"# City record: {comment(rec.city_name + country)}.\n"]
    if rec.invalid:
        out.append(f"# NOT VALID: written with --force although it does not validate ({comment(rec.invalid)}).\n"
                   "# Fix it, then run `innovgraph validate` on it before committing.\n")
    out.append(
        f"# Every statement below comes from the {comment(rec.city_name)} city profile of the OECD / Bloomberg\n"
        f"# Philanthropies Survey on Innovation Capacity in Cities, {comment(read)},\n"
        f"# summarised in the fact sheet {comment(rec.sheet_shown)} (see data/sources/cities/README.md)\n"
        "# and written from it by `innovgraph ingest-sheet`. Readings chosen where the sheet is ambiguous are\n"
        "# recorded as skos:editorialNote on the record and on the node concerned. A section the copy did not\n"
        "# reach is marked ig:sectionNotReached (unknown); a section reached with no item is marked\n"
        "# ig:sectionReached and carries no answer (none); a section reached in part, ig:sectionPartlyReached.\n\n")
    out.append(_HEAD)
    if rec.new_concepts:
        out.append("@prefix igv:     <https://w3id.org/innovgraph/vocab/> .\n")
    out.append("\n")
    for scheme in _SCHEMES:
        out.append(f"@prefix {SCHEME_PREFIXES[scheme] + ':':<8} <{IGV}{scheme}/> .\n")
    out.append("\n# The profile page (one source, cited by the facts) and the stored copies read of it.\n"
               f"@prefix page:    <{rec.page_url}> .\n")

    out.append(_banner("record and sources"))
    out.append("\n" + _block(f"<record/{rec.slug}>", [
        ("a", ["ig:CityRecord"]), ("rdfs:label", [literal(f"City record: {rec.city_name}", "en")]),
        ("dcterms:subject", [f"<city/{rec.slug}>"]),
        ("prov:wasDerivedFrom", [s.subject for s in rec.snapshots]), ("dcterms:source", [PAGE]),
        ("dcterms:created", [f'"{rec.created}"^^xsd:date']),
        ("skos:editorialNote", [literal(n, "en") for n in rec.record_notes])]))
    out.append("\n" + _block(PAGE, [
        ("a", ["ig:SourceDocument"]),
        ("dcterms:title", [literal(f"{rec.city_name} city profile, OECD / Bloomberg Philanthropies Survey on "
                                   "Innovation Capacity in Cities", "en")]),
        ("skos:editorialNote", [literal(
            "The page at its canonical address (the site's URL pattern https://cities-innovation-oecd.com/"
            "cities/{slug}/). Facts cite the page; the copies read of it are its snapshots (ig:PageSnapshot), "
            "cited instead where the copies differ.", "en")])]))
    out += [_node(s) for s in rec.snapshots]

    out.append(_banner("the city"))
    out += [_node(n) for n in [rec.city, rec.country, *rec.populations, rec.administration] if n]
    if rec.posts or rec.tenures:
        out.append(_banner("people and posts"))
        out += [_node(n) for n in rec.posts + rec.persons + rec.tenures]
    if rec.orgs:
        out.append(_banner("organisations dedicated to innovation"))
        out += [_node(n) for n in rec.orgs]
    if rec.programs:
        out.append(_banner("programs"))
        out += [_node(n) for n in rec.programs]
    for node in rec.responses:
        edition = next(o for p, objs in node.pairs if p == "ig:edition" for o in objs).split(":")[1]
        which = {"newer": ": the newer copy", "older": ": the older copy"}
        label = next(o[1] for p, objs in node.pairs if p == "rdfs:label" for o in objs)
        tag = next((v for k, v in which.items() if f"({k} profile copy)" in label), "")
        out.append(_banner(f"response to the {edition} edition{tag}"))
        out.append(_response(node))
    if rec.new_concepts:
        out.append(_banner("answers not in the vocabularies (free-text concepts: review them)"))
        for c in rec.new_concepts:
            out.append("\n" + _block(term(c.iri), [
                ("a", ["skos:Concept , ig:FreeTextAnswer"]), ("skos:inScheme", [f"igv:{c.scheme}"]),
                ("skos:prefLabel", [literal(c.label, "en")]), ("dcterms:source", [PAGE]),
                ("skos:editorialNote", [literal(c.note, "en")])]))
    return "".join(out)
