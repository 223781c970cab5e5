"""Match printed labels to vocabulary concepts.

Tiers, tried in order, each reported so a maintainer can check it against the page:

1. ``exact``: the label is a concept's skos:prefLabel or skos:altLabel as printed;
2. ``normalised``: equal after folding case, accents, curly quotes, ``&``/``and`` and punctuation
   (or the label's slug is the concept's slug);
3. ``near``: difflib finds a close label; used only when the maintainer passes ``--accept-near``,
   otherwise the label is treated as unknown and the candidate is named in the report;
4. ``new``: no concept fits; the label becomes a new concept typed ``ig:FreeTextAnswer`` in the
   right scheme, written into the record file itself and flagged in the report.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ..namespaces import IGV, slugify

NEAR_CUTOFF = 0.85


def normalise(label: str) -> str:
    """Fold a label for comparison.

    >>> normalise("Idea generation &  Brainstorming.")
    'idea generation and brainstorming'
    >>> normalise("Rethinking your city’s approach")
    'rethinking your city s approach'
    """
    text = unicodedata.normalize("NFKD", label)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    label: str                # prefLabel
    labels: tuple[str, ...]   # prefLabel and altLabels


@dataclass(frozen=True)
class Match:
    """How one printed label was matched in one scheme."""

    scheme: str
    printed: str
    kind: str                      # exact | normalised | near | new
    iri: URIRef
    concept_label: str             # the concept's prefLabel (or the printed label for new ones)
    candidate: Concept | None = None   # the near candidate, when one was found
    score: float | None = None

    @property
    def is_new(self) -> bool:
        return self.kind == "new"

    def describe(self) -> str:
        if self.kind == "exact":
            return f"{self.printed!r} -> {self.concept_label}"
        if self.kind == "normalised":
            return f"{self.printed!r} -> {self.concept_label} (matched ignoring case/punctuation)"
        if self.kind == "near":
            return f"{self.printed!r} -> {self.concept_label} (NEAR match {self.score:.2f}, accepted with --accept-near)"
        note = ""
        if self.candidate is not None:
            note = (f"; near match {self.candidate.label!r} ({self.score:.2f}) not applied: "
                    "rerun with --accept-near if it is the same answer")
        return f"{self.printed!r} -> NEW free-text concept {self.scheme}/{slugify(self.printed)}{note}"


class Vocabulary:
    """The concepts of every scheme in a graph (vocabularies plus records' free-text concepts)."""

    def __init__(self, graph: Graph) -> None:
        self.schemes: dict[str, list[Concept]] = {}
        for concept, scheme in graph.subject_objects(SKOS.inScheme):
            if not str(scheme).startswith(str(IGV)) or not isinstance(concept, URIRef):
                continue
            pref = [str(x) for x in graph.objects(concept, SKOS.prefLabel)]
            alts = [str(x) for x in graph.objects(concept, SKOS.altLabel)]
            if not pref:
                continue
            name = str(scheme)[len(str(IGV)):]
            self.schemes.setdefault(name, []).append(Concept(concept, pref[0], tuple(pref + alts)))
        for concepts in self.schemes.values():
            concepts.sort(key=lambda c: str(c.iri))

    def concepts(self, scheme: str) -> list[Concept]:
        return self.schemes.get(scheme, [])

    def lookup(self, scheme: str, printed: str, *, accept_near: bool = False) -> Match:
        printed = printed.strip()
        concepts = self.concepts(scheme)
        for c in concepts:
            if printed in c.labels:
                return Match(scheme, printed, "exact", c.iri, c.label)
        folded, slug = normalise(printed), slugify(printed)
        for c in concepts:
            if folded in {normalise(x) for x in c.labels} or str(c.iri).endswith("/" + slug):
                return Match(scheme, printed, "normalised", c.iri, c.label)
        best, score = None, 0.0
        for c in concepts:
            for label in c.labels:
                ratio = difflib.SequenceMatcher(None, folded, normalise(label)).ratio()
                if ratio > score:
                    best, score = c, ratio
        new_iri = IGV[f"{scheme}/{slug}"]
        if best is not None and score >= NEAR_CUTOFF:
            if accept_near:
                return Match(scheme, printed, "near", best.iri, best.label, best, score)
            return Match(scheme, printed, "new", new_iri, printed, best, score)
        return Match(scheme, printed, "new", new_iri, printed)

    def exact_only(self, scheme: str, printed: str) -> Concept | None:
        """The concept whose label equals `printed` once normalised, else None (no near, no new)."""
        folded = normalise(printed)
        for c in self.concepts(scheme):
            if folded in {normalise(x) for x in c.labels}:
                return c
        return None

    def mentioned(self, scheme: str, text: str) -> list[Concept]:
        """Concepts whose label appears as whole words in `text` (folded)."""
        folded = f" {normalise(text)} "
        return [c for c in self.concepts(scheme)
                if any(f" {normalise(label)} " in folded for label in c.labels)]


def split_list(vocab: Vocabulary, scheme: str, text: str) -> list[str]:
    """Split a printed enumeration into labels, keeping labels that contain 'and' or commas.

    'other public agencies, private firms and city residents/resident associations' gives three
    labels; 'the private sector, academia and think tanks, to collect and analyze data, as well as
    with other cities' gives 'private sector', 'academia and think tanks', 'other cities'.
    """
    text = re.sub(r",?\s*(?:in order )?to (?:collect|analy[sz]e|improve|share)[^,]*", "", text)
    text = re.sub(r"\bas well as(?: with)?\b", ",", text)
    chunks = [c.strip() for c in text.split(",") if c.strip()]

    def clean(chunk: str) -> str:
        return re.sub(r"^(?:(?:and|with|the|also)\s+)+", "", chunk.strip(" .;"), flags=re.I).strip()

    labels: list[str] = []
    i = 0
    while i < len(chunks):
        for k in range(min(4, len(chunks) - i), 0, -1):
            joined = clean(", ".join(chunks[i:i + k]))
            if k > 1:
                # "academia, think tanks, and philanthropy": the printed label keeps its commas.
                if vocab.exact_only(scheme, joined):
                    labels.append(joined)
                    i += k
                    break
            else:
                labels.extend(_split_and(vocab, scheme, joined))
                i += 1
                break
    return [label for label in labels if label]


def _split_and(vocab: Vocabulary, scheme: str, chunk: str) -> list[str]:
    if vocab.exact_only(scheme, chunk) or " and " not in chunk:
        return [chunk]
    parts = [p.strip() for p in re.split(r"\s+and\s+", chunk)]
    # Try every split point between the "and"s; keep the first where both sides are known labels.
    for cut in range(1, len(parts)):
        left, right = " and ".join(parts[:cut]), " and ".join(parts[cut:])
        if vocab.exact_only(scheme, left) and (vocab.exact_only(scheme, right) or " and " not in right):
            return [left] + _split_and(vocab, scheme, right)
        if vocab.exact_only(scheme, right) and " and " not in left:
            return [left, right]
    return [chunk]
