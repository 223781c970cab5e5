"""What a city record made from a fact sheet states, node by node (`sheet_mapping.py` builds it,
`sheet_render.py` writes it). Objects are Turtle terms, or ("lit", text) for an English literal
and ("plain", text) for a literal without language."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from ..namespaces import ID, IGV, SCHEME_PREFIXES
from .writer import NewConcept

PAGE = "page:"


def term(iri: URIRef | str) -> str:
    """An IRI as the record writes it: data relative to @base, concepts by scheme prefix.

    >>> term("https://w3id.org/innovgraph/vocab/organisation-placement/mayor-s-office")
    'place:mayor-s-office'
    """
    text = str(iri)
    if text.startswith(str(ID)):
        return f"<{text[len(str(ID)):]}>"
    scheme, _, local = text[len(str(IGV)):].partition("/") if text.startswith(str(IGV)) else ("", "", "")
    if local and scheme in SCHEME_PREFIXES and "/" not in local:
        return f"{SCHEME_PREFIXES[scheme]}:{local}"
    return f"<{text}>"


def sentence(text: str) -> str:
    """A paraphrase as a sentence: first letter capitalised, a full stop at the end.

    >>> sentence("leads process improvement; no detail")
    'Leads process improvement; no detail.'
    """
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def feature(text: str) -> str:
    """A paraphrased fact as one ig:feature: capitalised, no full stop.

    >>> feature("mobile payments app.")
    'Mobile payments app'
    """
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


@dataclass
class Node:
    """One node of the record: its Turtle subject, (predicate, objects) pairs in order, its
    sources (Turtle terms) and notes."""

    subject: str
    pairs: list[tuple[str, list]] = field(default_factory=list)
    sources: list[str] = field(default_factory=lambda: [PAGE])
    notes: list[str] = field(default_factory=list)


@dataclass
class SheetRecord:
    """Everything the record file states, with IRIs already decided."""

    slug: str
    city_name: str
    country_name: str | None
    page_url: str
    sheet_shown: str
    read_date: str | None
    created: str
    record_notes: list[str] = field(default_factory=list)
    snapshots: list[Node] = field(default_factory=list)
    city: Node | None = None
    country: Node | None = None          # only when the graph has no such country yet
    populations: list[Node] = field(default_factory=list)
    administration: Node | None = None
    posts: list[Node] = field(default_factory=list)
    persons: list[Node] = field(default_factory=list)
    tenures: list[Node] = field(default_factory=list)
    orgs: list[Node] = field(default_factory=list)
    programs: list[Node] = field(default_factory=list)
    responses: list[Node] = field(default_factory=list)
    new_concepts: list[NewConcept] = field(default_factory=list)
    report: list[str] = field(default_factory=list)   # what a maintainer should check
    invalid: str | None = None
