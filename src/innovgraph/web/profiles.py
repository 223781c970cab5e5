"""The page contexts of the city profile, the compare page and the survey overview.

Everything a figure on these pages says comes from the library's saved queries
(queries/*.rq, run with `run_saved_query` through the backend's catalogue), never from SPARQL
of the page's own: the sections and their questions in page order (profile-sections), how
far the city's copy of its profile reaches each section (sections-reached), the answer
frequencies with their denominators (answer-frequencies, editions-compared), the survey-wide
shares the profiles quote and the same shares recomputed from the graph
(compared-with-survey, survey-shares-vs-graph), the posts and the year each was known to be
held (mayors-and-innovation-officers) and cities side by side (cities-side-by-side). The
city's own answers and the facts the pages link to are read from its response with the
store walk of `pages.Lookup`, as every other page of the site is.

The saved queries are run once per store state, for the whole survey and every city at once
(`survey_figures`; the backend memoises it, `resources.figures`), so a city page runs no
query: it picks its rows and walks its own response (bench/pages.py measures both). The bar charts are drawn here as plain numbers (`chart`) that the templates turn
into inline SVG beside a table of the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from ..catalogue import Catalogue, run_saved_query
from ..errors import UnknownQueryError
from ..namespaces import PREFIXES
from ..store import GraphStore
from .errors import bad_request
from .pages import IG_CITY, Lookup, city_context
from .templates import BASE, href

IG = PREFIXES["ig"]
CITY_BASE = BASE + "id/city/"
SECTION_BASE = PREFIXES["igv"] + "profile-section/"
MIN_CITIES, MAX_CITIES = 2, 5
# Sections about the city itself rather than an answer of its response (no question is
# placed in them), with what the page shows there.
FACT_SECTIONS = {"mayor": "mayor", "lead-innovation-officer": "lead innovation officer",
                 "population": "population", "innovation-website": "website",
                 "spotlight": "programs"}
STATUS_TEXT = {"reached": "read in full", "reached in part": "read in part (the list may be cut)",
               "not reached": "unknown (the copy read stops before this section)",
               "not recorded": "not recorded"}
DEFAULT_COMPARE = ("seoul-kor", "busan-kor")


def _rows(store: GraphStore, catalogue: Catalogue, name: str, **params: str) -> list[dict]:
    """The typed rows of a saved query; none when the project's catalogue does not hold it (a
    project of its own queries: its city pages then show the facts without the survey's)."""
    try:
        return run_saved_query(store, name, params or None, catalogue=catalogue).typed_rows()
    except UnknownQueryError:
        return []


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _percent(value) -> str:
    if value is None:
        return ""
    number = Decimal(value)
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:.1f}"


# -- the survey-wide figures, once per store state ----------------------------------------


@dataclass
class SurveyFigures:
    """What every city page and the survey overview share."""

    sections: list[dict]                 # page order, each with its questions
    frequencies: dict[str, list[dict]]   # property IRI -> answer-frequencies rows
    shares: dict[str, dict]              # statistic IRI -> survey-shares-vs-graph row
    share_rows: list[dict] = field(default_factory=list)
    # The per-city queries, run once for every city (a city page then runs no query):
    reached: dict[str, list[dict]] = field(default_factory=dict)  # city -> sections-reached
    quotes: dict[str, list[dict]] = field(default_factory=dict)   # city -> compared-with-survey
    posts: dict[str, list[dict]] = field(default_factory=dict)    # city -> mayors-and-...


def survey_figures(store: GraphStore, catalogue: Catalogue) -> SurveyFigures:
    sections: list[dict] = []
    by_iri: dict[str, dict] = {}
    for row in _rows(store, catalogue, "profile-sections"):
        section = by_iri.get(row["section"])
        if section is None:
            section = by_iri[row["section"]] = {
                "iri": row["section"], "slug": _slug(row["section"]), "label": row["sectionLabel"],
                "position": row["position"], "href": href(row["section"]), "questions": []}
            sections.append(section)
        if row["property"]:
            section["questions"].append({"property": row["property"], "label": row["question"],
                                         "kind": row["kind"], "href": href(row["property"])})
    frequencies: dict[str, list[dict]] = {}
    for row in _rows(store, catalogue, "answer-frequencies"):
        frequencies.setdefault(row["property"], []).append(row)
    share_rows = _rows(store, catalogue, "survey-shares-vs-graph")
    by_city = {}
    for name in ("sections-reached", "compared-with-survey", "mayors-and-innovation-officers"):
        by_city[name] = {}
        for row in _rows(store, catalogue, name):
            by_city[name].setdefault(row["city"], []).append(row)
    return SurveyFigures(sections, frequencies, {r["statistic"]: r for r in share_rows}, share_rows,
                         reached=by_city["sections-reached"],
                         quotes=by_city["compared-with-survey"],
                         posts=by_city["mayors-and-innovation-officers"])


def chart(rows: list[dict], own: set[str] | None = None, *, keep_zero: bool = False) -> dict | None:
    """A bar chart of one question: a bar per option (chosen of answered), the options the
    city gave marked; options no response chose are left out of a list (`keep_zero` keeps
    them) and named in `unchosen`. None for a question with no answer frequencies."""
    rows = [r for r in rows if r.get("option") is not None]
    if not rows:
        return None
    own = own or set()
    answered = max(int(r["answered"]) for r in rows)
    first = rows[0]
    bars, unchosen = [], []
    for r in rows:
        key = _option_key(r["option"])
        if not r["chosen"] and not keep_zero and key not in own:
            unchosen.append(r["optionLabel"] or str(r["option"]))
            continue
        bars.append({"label": r["optionLabel"] or str(r["option"]), "chosen": int(r["chosen"]),
                     "answered": int(r["answered"]), "share": _percent(r["sharePercent"]),
                     "own": key in own,
                     "fraction": (int(r["chosen"]) / answered) if answered else 0.0,
                     "href": href(r["option"]) if isinstance(r["option"], str) else None})
    bars.sort(key=lambda b: (-b["chosen"], b["label"].lower()))
    return {"bars": bars, "answered": answered, "partial": int(first["partial"]),
            "not_reached": int(first["notReached"]), "responses": int(first["responses"]),
            "unchosen": sorted(unchosen, key=str.lower), "height": 22 * len(bars) + 8}


def _option_key(option) -> str:
    """Answer-frequencies' option as the city's answers are keyed: an IRI, or "true"/"false"."""
    if isinstance(option, bool):
        return "true" if option else "false"
    return str(option)


# -- the city profile ---------------------------------------------------------------------


def city_profile(look: Lookup, figures: SurveyFigures, city: ox.NamedNode) -> dict:
    """What a city page shows, section by section in the survey's order: the city's saved-query
    rows come from `figures` (computed for every city at once), its answers from its latest
    current response."""
    base = city_context(look, city)
    name = base["name"]
    iri = city.value
    reached = figures.reached.get(iri, [])
    responses = sorted({(r["edition"] or 0, r["response"]) for r in reached}, reverse=True)
    response = ox.NamedNode(responses[0][1]) if responses else None
    status = {r["section"]: r["status"] for r in reached if response and r["response"] == response.value}
    quotes = figures.quotes.get(iri, [])
    posts = figures.posts.get(iri, [])
    answers = _answers(look, response) if response is not None else {}
    response_sources = [look.item(s) for s in look.objects(response, ox.NamedNode(PREFIXES["dcterms"] + "source"))] \
        if response is not None else []

    quotes_by_property: dict[str, list[dict]] = {}
    unplaced = []
    for q in quotes:
        share = figures.shares.get(q["statistic"])
        entry = {"wording": (share or {}).get("wording") or q["subjectLabel"],
                 "subject": q["subjectLabel"], "statistic": q["statistic"],
                 "statistic_href": href(q["statistic"]),
                 "printed": _printed(q), "city_has": q["cityHasSubject"],
                 "k": share["k"] if share else None, "n": share["n"] if share else None,
                 "partial": share["partial"] if share else None,
                 "graph_percent": _percent(share["graphPercent"]) if share else None,
                 "editions": share["editions"] if share else None}
        if share is not None:
            quotes_by_property.setdefault(share["property"], []).append(entry)
        else:
            unplaced.append(entry)

    sections = []
    for s in figures.sections:
        state = status.get(s["iri"], "not recorded" if response is not None else "no response")
        section = {**s, "status": state, "status_text": STATUS_TEXT.get(state, "no response recorded"),
                   "unknown": state in ("not reached", "not recorded", "no response"),
                   "partial": state == "reached in part", "questions": [], "facts": None,
                   "sources": []}
        if s["slug"] in ("mayor", "lead-innovation-officer"):
            wanted = "mayor" if s["slug"] == "mayor" else "lead innovation officer"
            section["facts"] = [{"person": {"kind": "iri", "iri": p["person"], "href": href(p["person"]),
                                            "label": p["personName"]},
                                 "held_as_of": p["heldAsOf"], "start": p["start"], "end": p["end"],
                                 **_tenure(look, city, p)}
                                for p in _unique_posts(posts) if p["post"] == wanted]
            section["sources"] = _unique_items([look.item(ox.NamedNode(p["source"]))
                                                for p in posts if p["post"] == wanted and p["source"]])
        elif s["slug"] == "population":
            section["facts"] = base["population"]
            section["sources"] = _unique_items([look.item(src) for obs in look.objects(city, ox.NamedNode(IG + "population"))
                                                for src in look.objects(obs, ox.NamedNode(PREFIXES["dcterms"] + "source"))])
        elif s["slug"] == "innovation-website":
            section["facts"] = [{"website": base["website"].value}] if base["website"] is not None else (
                [{"has_website": base["has_website"]}] if base["has_website"] else [])
        elif s["slug"] == "spotlight":
            section["facts"] = base["programs"]
            section["sources"] = _sources_of(look, [ox.NamedNode(p["item"]["iri"]) for p in base["programs"]])
        elif s["slug"] == "organisations":
            section["organisations"] = base["organisations"]
            section["sources"] = _sources_of(look, [ox.NamedNode(o["item"]["iri"]) for o in base["organisations"]])
        for question in s["questions"]:
            own = answers.get(question["property"], [])
            section["questions"].append(_question(question, own, state, name, figures,
                                                  quotes_by_property.get(question["property"], [])))
        if s["questions"] and not section["sources"]:
            section["sources"] = response_sources
        sections.append(section)
    return {**base, "iri": iri, "slug": _slug(iri), "sections": sections,
            "response": look.item(response) if response is not None else None,
            "other_responses": [look.item(ox.NamedNode(r)) for _, r in responses[1:]],
            "unplaced_quotes": unplaced}


def _printed(quote: dict) -> str:
    if quote.get("sharePercent") is not None:
        return f"{_percent(quote['sharePercent'])}%"
    if quote.get("cityCount") is not None:
        return f"{quote['cityCount']} cities"
    return quote.get("shareAsPrinted") or ""


def _unique_posts(posts: list[dict]) -> list[dict]:
    seen, out = set(), []
    for p in posts:
        key = (p["post"], p["person"], p["heldAsOf"], p["start"], p["end"])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _tenure(look: Lookup, city: ox.NamedNode, post: dict) -> dict:
    """The post's label and the tenure's notes (why no date is given, ...), found by walking
    from the person to the tenures of posts in this city's administration."""
    ig = lambda n: ox.NamedNode(IG + n)  # noqa: E731
    org_post_in = ox.NamedNode(PREFIXES["org"] + "postIn")
    note = ox.NamedNode(PREFIXES["skos"] + "editorialNote")
    wanted = ig("MayorPost") if post["post"] == "mayor" else ig("InnovationOfficerPost")
    for tenure in look.subjects(ig("holder"), ox.NamedNode(post["person"])):
        for node in look.objects(tenure, ig("post")):
            admins = look.objects(node, org_post_in)
            if wanted in look.types(node) and any(city in look.objects(a, ig("administrationOf"))
                                                  for a in admins):
                return {"post_label": look.label(node), "notes": look.texts(tenure, note)}
    return {"post_label": None, "notes": []}


def _unique_items(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        key = item.get("iri") or item.get("text")
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _sources_of(look: Lookup, nodes: list[ox.NamedNode]) -> list[dict]:
    source = ox.NamedNode(PREFIXES["dcterms"] + "source")
    return _unique_items([look.item(s) for n in nodes for s in look.objects(n, source)])


def _answers(look: Lookup, response: ox.NamedNode) -> dict[str, list[dict]]:
    """The response's answers by property: each {key, label, href} (a concept, a yes/no, a
    number or a data-availability row)."""
    out: dict[str, list[dict]] = {}
    area, level = ox.NamedNode(IG + "policyArea"), ox.NamedNode(IG + "availabilityLevel")
    for q in look.quads(response, None, None):
        prop = q.predicate.value
        if not prop.startswith(IG):
            continue
        term = q.object
        if isinstance(term, ox.Literal):
            value = term.value
            if term.datatype.value == PREFIXES["xsd"] + "boolean":
                key = "true" if value in ("true", "1") else "false"
                item = {"key": key, "label": "yes" if key == "true" else "no", "href": None}
            else:
                item = {"key": value, "label": value, "href": None}
        elif isinstance(term, ox.NamedNode):
            label = look.label(term)
            a, lv = look.value(term, area), look.value(term, level)
            if a is not None and lv is not None:
                label = f"{look.label(a)}: {look.label(lv)}"
            item = {"key": term.value, "label": label, "href": href(term)}
        else:
            continue
        values = out.setdefault(prop, [])
        if all(v["key"] != item["key"] for v in values):
            values.append(item)
    for values in out.values():
        values.sort(key=lambda v: v["label"].lower())
    return out


def _question(question: dict, own: list[dict], state: str, city_name: str,
              figures: SurveyFigures, quotes: list[dict]) -> dict:
    kind = question["kind"]
    if own:
        answer = None
    elif state in ("not reached", "not recorded", "no response"):
        answer = "unknown"
    elif kind == "list":
        answer = "none shown (list cut)" if state == "reached in part" else "none"
    else:
        answer = "not shown (list cut)" if state == "reached in part" else "not stated"
    rows = figures.frequencies.get(question["property"], [])
    drawn = chart(rows, {v["key"] for v in own}, keep_zero=kind == "yes/no")
    headline = None
    if drawn and own and kind in ("yes/no", "list"):
        mine = [b for b in drawn["bars"] if b["own"]]
        if mine:
            headline = mine
    return {**question, "own": own, "answer": answer, "chart": drawn, "headline": headline,
            "quotes": quotes, "city": city_name,
            "chart_id": f"chart-{question['property'].rsplit('#', 1)[-1]}"}


# -- compare ------------------------------------------------------------------------------


def compare_slugs(values: list[str]) -> list[str]:
    """The cities asked for (empty values dropped, each once, in order)."""
    out = []
    for v in values:
        v = v.strip()
        if v and v not in out:
            out.append(v)
    return out


def check_cities(look: Lookup, slugs: list[str]) -> list[ox.NamedNode]:
    """The city IRIs of `slugs`, or a 400 that says what is wrong."""
    if not MIN_CITIES <= len(slugs) <= MAX_CITIES:
        raise bad_request(f"Compare needs {MIN_CITIES} to {MAX_CITIES} different cities "
                          f"(city=<slug>, e.g. /compare?city=seoul-kor&city=busan-kor); "
                          f"got {len(slugs)}.")
    nodes, unknown = [], []
    for slug in slugs:
        try:
            node = ox.NamedNode(CITY_BASE + slug)
        except ValueError:
            node = None
        if node is None or IG_CITY not in look.types(node):
            unknown.append(slug)
        else:
            nodes.append(node)
    if unknown:
        shown = ", ".join(repr(u[:80]) for u in unknown[:MAX_CITIES])
        raise bad_request(f"No city {shown} in this graph; a city is "
                          "named by the last part of its IRI, e.g. seoul-kor for "
                          f"{CITY_BASE}seoul-kor.")
    return nodes


def compare_context(look: Lookup, store: GraphStore, catalogue: Catalogue, figures: SurveyFigures,
                    slugs: list[str]) -> dict:
    nodes = check_cities(look, slugs)
    params = {f"city{n}": node.value for n, node in enumerate(nodes, 1)}
    rows = _rows(store, catalogue, "cities-side-by-side", **params)
    count = len(nodes)
    cities = [{"item": look.item(node), "slug": _slug(node.value)} for node in nodes]
    order = {s["iri"]: n for n, s in enumerate(figures.sections)}
    grouped: dict[str, dict] = {}
    for row in rows:
        if row["question"] == "city" and row["section"] is None:
            continue
        section = row["section"]
        group = grouped.get(section)
        if group is None:
            known = next((s for s in figures.sections if s["iri"] == section), None)
            group = grouped[section] = {"iri": section, "label": row["sectionLabel"],
                                        "href": href(section) if section else None,
                                        "order": order.get(section, len(order)),
                                        "slug": _slug(section) if section else "other",
                                        "rows": [], "known": known}
        group["rows"].append({
            "question": row["question"], "item": row["itemLabel"],
            "item_href": href(row["item"]) if row["item"] else None,
            "property_href": href(row["property"]) if row["property"] else None,
            "cells": [_cell(row[f"city{n}"]) for n in range(1, count + 1)],
        })
    sections = sorted(grouped.values(), key=lambda g: (g["order"], g["label"] or ""))
    return {"cities": cities, "sections": sections, "count": count}


def _cell(text: str | None) -> dict:
    text = text or ""
    if text == "unknown" or text == "not recorded":
        mark = "unknown"
    elif "list cut" in text or text.startswith("not shown"):
        mark = "partial"
    elif text in ("no", "none", "not stated"):
        mark = "no"
    elif text == "":
        mark = "blank"
    else:
        mark = "yes"
    return {"text": text, "mark": mark}


def city_choices(look: Lookup) -> list[dict]:
    """Every city, for the compare form: slug and name, by name."""
    out = [{"slug": _slug(c.value), "name": look.label(c)}
           for c in look.subjects(ox.NamedNode(PREFIXES["rdf"] + "type"), IG_CITY)]
    out.sort(key=lambda c: (c["name"].lower(), c["slug"]))
    return out


# -- the survey overview ------------------------------------------------------------------


def survey_context(store: GraphStore, catalogue: Catalogue, figures: SurveyFigures) -> dict:
    editions: dict[str, list[dict]] = {}
    for row in _rows(store, catalogue, "editions-compared"):
        if row["option"] is None:
            continue
        editions.setdefault(row["property"], []).append({
            "label": row["optionLabel"] or str(row["option"]),
            "href": href(row["option"]) if isinstance(row["option"], str) else None,
            "chosen2018": row["chosen2018"], "answered2018": row["answered2018"],
            "partial2018": row["partial2018"], "share2018": _percent(row["share2018"]),
            "chosen2020": row["chosen2020"], "answered2020": row["answered2020"],
            "partial2020": row["partial2020"], "share2020": _percent(row["share2020"]),
            "change": _percent(row["changePoints"]),
        })
    sections = []
    for s in figures.sections:
        if not s["questions"]:
            continue
        questions = []
        for q in s["questions"]:
            drawn = chart(figures.frequencies.get(q["property"], []), keep_zero=q["kind"] == "yes/no")
            compared = [e for e in editions.get(q["property"], [])
                        if e["chosen2018"] or e["chosen2020"] or q["kind"] == "yes/no"]
            questions.append({**q, "chart": drawn, "editions": compared,
                              "chart_id": f"chart-{q['property'].rsplit('#', 1)[-1]}"})
        sections.append({**s, "questions": questions})
    shares = [{**r, "printed": _printed(r), "graph_percent": _percent(r["graphPercent"]),
               "statistic_href": href(r["statistic"])} for r in figures.share_rows]
    return {"sections": sections, "shares": shares}


# -- people -------------------------------------------------------------------------------


def person_posts(look: Lookup, figures: SurveyFigures, person: ox.NamedNode) -> list[dict]:
    """The posts a person held: which post, in which city, and when it was known to be held."""
    out = []
    for row in _unique_posts([r for rows in figures.posts.values() for r in rows
                              if r["person"] == person.value]):
        out.append({"post": row["post"], "city": {"kind": "iri", "iri": row["city"],
                                                  "href": href(row["city"]), "label": row["cityName"]},
                    "held_as_of": row["heldAsOf"], "start": row["start"], "end": row["end"],
                    **_tenure(look, ox.NamedNode(row["city"]), row)})
    return out
