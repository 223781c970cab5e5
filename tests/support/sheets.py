"""The fact sheets (data/sources/cities/*.yaml) and the Moscow seed, read as the tests' oracle.

The sheets' conventions (data/sources/cities/README.md): `null` = the section was not reached
(unknown), `[]` = reached, no item (none), a label ending in "…" = cut off there; an older
stored copy with other data is under `vintage.older_trailing_slash_copy`, with only the fields
that differ. Moscow has no sheet: its facts are written out below from its seed
(data/sources/profiles/moscow-rus.txt), each with its lines.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SHEETS = REPO / "data" / "sources" / "cities"

# Moscow's answers, read off the seed (data/sources/profiles/moscow-rus.txt), in the sheets' form.
MOSCOW = {
    "slug": "moscow-rus", "city": "Moscow",
    "mayor": "Sergey Semyonovich Sobyanin",                        # line 1
    "population": {"value": 12640000, "year": 2019},               # line 4
    "lead_innovation_officer": "Alexei Fursin",                    # line 9
    "goals": ["Improve service delivery",                          # lines 12-16
              "Simplify administrative procedures for firms and residents",
              "Engage residents and other stakeholders"],
    "critical_success_factors": ["Focus on measurement", "Human resource support"],  # 19-21
    "explicit_strategy": {"value": "no", "survey_share_quoted": "50%"},  # line 29
    "roles": {"declared_count": 10, "listed": [                    # lines 43-51
        "Project manager", "Data scientist", "Community engagement staff", "Communication officer",
        "Sociologist / Political Scientist", "Financial specialist", "Blockchain specialist"]},
    "organisations": [{"name": n, "placement": None, "team_size": None} for n in (  # line 54
        "Entrepreneurship and Innovation Development Department", "IT Department",
        "Moscow Agency of Innovation", "Moscow Innovation Cluster")],
    "terms": ["Human-centered design"],                            # line 58
    "most_common_activities": ["Taking risks and testing new ideas",   # lines 62-67
                               "Promoting data-driven analytics / public data management",
                               "Developing new solutions based on digital technologies"],
    "funding": {"dedicated": "yes", "sources": ["Municipal budget"],   # lines 98, 102
                "funded_activities": ["Idea generation & brainstorming",  # lines 108-111, 123
                                      "Investing in digital systems",
                                      "Investing in physical infrastructure", "Paying for services",
                                      "Training staff and building capacity"]},
    "partnerships": {"with": ["other public agencies", "private firms",   # line 129
                              "city residents/resident associations"],
                     "data_partnerships_with": ["private sector", "academia and think tanks",
                                                "other cities"]},          # line 131
    "data_availability": ["(twelve areas, lines 136-166)"],
    "approach": "both", "spotlight": [{"name": "IMIAS"}],          # lines 23-29
    "policy_areas_focus": {"prioritises": True, "labels": [        # lines 33-35
        "Innovation infrastructure", "Development of innovative business", "Human capital"]},
    "innovation_website": None,  # line 6: the slot, no address (READING.md)
    "vintage": {}, "unreadable_sections": [],
}


def sheets() -> list[dict]:
    """Every fact sheet, and Moscow."""
    out = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SHEETS.glob("*.yaml"))]
    assert {"bilbao-esp", "cape-town-zaf", "baltimore-us"} <= {s["slug"] for s in out}
    return out + [MOSCOW]


def older_copy(sheet) -> dict | None:
    """The older copy's answers (vintage.older_trailing_slash_copy: only the fields that differ
    are given, the rest as on the newer copy), or None."""
    older = (sheet.get("vintage") or {}).get("older_trailing_slash_copy")
    return None if not older else {**sheet, **older}


def cut(label: str) -> bool:
    return label.rstrip().endswith("…")


def people(printed: str | None) -> list[str]:
    """The names in a mayor or officer field: several are printed comma-separated, some with a
    note in brackets (edmonton-ca.yaml line 21, south-bend-us.yaml)."""
    return [n.split(" (")[0].strip() for n in (printed or "").split(", ") if n.strip()]


@lru_cache(maxsize=None)
def _labels(scheme: str) -> dict[str, set[str]]:
    import rdflib
    from rdflib.namespace import SKOS

    graph = rdflib.Graph().parse(REPO / "ontology" / "vocab" / f"{scheme}.ttl")
    out: dict[str, set[str]] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for concept, label in graph.subject_objects(predicate):
            out.setdefault(str(label).lower(), set()).add(str(concept))
    return out


def concept_of(scheme: str, printed: str) -> str | None:
    """The concept of the vocabulary `scheme` a printed label names (its prefLabel or an
    altLabel, the wordings the vocabulary records), or that a cut label begins when only one
    does; None when none or several do."""
    labels = _labels(scheme)
    key = printed.strip().lower()
    found = labels.get(key, set())
    if not found and cut(printed):
        found = {c for label, cs in labels.items() if label.startswith(key.rstrip("…")) for c in cs}
    return next(iter(found)) if len(found) == 1 else None
