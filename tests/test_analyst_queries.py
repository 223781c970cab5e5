"""The analysts' saved queries (issue 15, item 2): answer-frequencies, survey-shares-vs-graph,
editions-compared, cities-side-by-side, sections-reached, policy-areas-and-terms.

Expected values come from the fact sheets (data/sources/cities/*.yaml; conventions in their
README: `null` = the section was not reached, `[]` = reached and nothing printed, a label ending
in "…" = cut off, so its list is partial) and from the Moscow seed (its answers in the sheets'
form: tests/support/sheets.py, with the seed's lines), never from the records' answers. Two kinds:

(a) literal rows for cities of the first 13 sheets, the query filtered to them by a parameter
    (the comments name the sheet lines);
(b) whole-graph counts from an oracle in plain Python over every sheet, so that they stay right
    as more sheets and records land.

The oracle takes from the graph only what the sheets leave to the records' readings: which
edition each response answers (the readings in each record's skos:editorialNote), and the
concepts the printed labels name (skos:prefLabel / skos:altLabel of the vocabularies, and of a
record's free-text concepts). It leaves out the two yes/no answers that are readings of the
profiles' wording rather than sheet fields (ig:hasPartnerships, ig:hasDedicatedInnovationTeam).

The same rows from rdflib and pyoxigraph, for every example of each query's header, are checked
under `-m slow` (rdflib takes tens of seconds over some of them).
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from rdflib.namespace import SKOS

from innovgraph import Catalogue, Project, load_graph, open_store, run_saved_query
from innovgraph.errors import ParameterError
from support.engines import RdflibEngine, run_store
from support.sheets import concept_of, cut, older_copy, sheets

REPO = Path(__file__).resolve().parents[1]
SHEETS = REPO / "data" / "sources" / "cities"
IG = "https://w3id.org/innovgraph/ontology#"
IGV = "https://w3id.org/innovgraph/vocab/"
ID = "https://w3id.org/innovgraph/id/"
SECTION = IGV + "profile-section/"
QUERIES = ("answer-frequencies", "survey-shares-vs-graph", "editions-compared",
           "cities-side-by-side", "sections-reached", "policy-areas-and-terms")


@pytest.fixture(scope="module")
def store():
    return open_store(Project(REPO), in_memory=True)


def rows(store, name, **params):
    """The query's rows in its order, typed (int, Decimal, bool, IRIs and text as str)."""
    return run_saved_query(store, name, {k: str(v) for k, v in params.items()}).typed_rows()


def share(k: int, n: int) -> Decimal | None:
    """k/n as a percent with one decimal, halves rounded up (SPARQL's ROUND)."""
    if not n:
        return None
    return (Decimal(1000 * k) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 10


# ---------------------------------------------------------------- the oracle over the sheets

# question property -> (profile section, path of the sheet field, concept scheme)
LISTS = {
    "goal": ("goals", ("goals",), "goal"),
    "criticalSuccessFactor": ("success-factors", ("critical_success_factors",), "success-factor"),
    "policyAreaOfFocus": ("policy-areas", ("policy_areas_focus", "labels"), "policy-area"),
    "listsRole": ("roles", ("roles", "listed"), "innovation-role"),
    "associatedTerm": ("terms", ("terms",), "innovation-term"),
    "highlightedActivity": ("activities", ("most_common_activities",), "innovation-activity"),
    "fundingSource": ("funding-sources", ("funding", "sources"), "funding-source"),
    "fundedActivity": ("funded-activities", ("funding", "funded_activities"), "funded-activity"),
    "partnerType": ("partnerships", ("partnerships", "with"), "partner-type"),
    "dataPartnerType": ("data-partnerships", ("partnerships", "data_partnerships_with"),
                        "data-partner-type"),
}
# yes/no questions the sheets answer: property -> (section, path, value meaning yes)
YES_NO = {
    "hasExplicitStrategy": ("strategy", ("explicit_strategy", "value"), "yes"),
    "prioritisesPolicyAreas": ("policy-areas", ("policy_areas_focus", "prioritises"), True),
    "hasDedicatedFunding": ("dedicated-funding", ("funding", "dedicated"), "yes"),
}
# The sheets' approach codes; "other" names no single option (the records read each case).
APPROACHES = {"holistic": "holistic-macro-level", "specific": "specific-policy-areas-domains",
              "both": "both-holistic-macro-and-specific-policy-areas"}
# The sheet field that holds each section ("the section value": None = not reached).
SECTION_FIELDS = {
    "goals": ("goals",), "success-factors": ("critical_success_factors",),
    "spotlight": ("spotlight",), "strategy": ("explicit_strategy",), "approach": ("approach",),
    "policy-areas": ("policy_areas_focus",), "roles": ("roles",), "organisations": ("organisations",),
    "terms": ("terms",), "activities": ("most_common_activities",),
    "dedicated-funding": ("funding", "dedicated"), "funding-sources": ("funding", "sources"),
    "funded-activities": ("funding", "funded_activities"), "partnerships": ("partnerships", "with"),
    "data-partnerships": ("partnerships", "data_partnerships_with"),
    "data-availability": ("data_availability",), "mayor": ("mayor",), "population": ("population",),
    "lead-innovation-officer": ("lead_innovation_officer",),
}


def field(values: dict, path: tuple[str, ...]):
    for key in path:
        values = values.get(key) if isinstance(values, dict) else None
    return values


def section_value(values: dict, section: str):
    """The sheet's value of a section, None when the copy did not reach it: null, or a group of
    fields all null (bloomington-in-us.yaml lines 62-64: roles with no count and no list).
    Organisations all known only from the spotlight, where a sheet note says the organisation
    sentence was not reachable (baltimore-us.yaml line 66), leave that section not reached."""
    value = field(values, SECTION_FIELDS[section])
    if isinstance(value, dict) and all(v is None for v in value.values()):
        return None
    notes = [o.get("note") or "" for o in value or []] if section == "organisations" else []
    if notes and all("named in the spotlight text" in n for n in notes) and any(
            "not reachable" in n for n in notes):
        return None
    return value


class Labels:
    """Printed labels to concepts, by scheme: a concept of the vocabulary (`concept_of`: its
    skos:prefLabel or an skos:altLabel; a label cut with '…' names the one concept whose label
    begins so, else nothing, data/sources/cities/README.md), else a free-text concept a record
    declares with that label."""

    def __init__(self, graph):
        self.free: dict[tuple[str, str], set[str]] = {}
        for concept, scheme in graph.subject_objects(SKOS.inScheme):
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(concept, prop):
                    self.free.setdefault((str(scheme), str(label).casefold()), set()).add(str(concept))

    def concepts(self, scheme: str, labels) -> set[str]:
        out = set()
        for label in labels or []:
            found = concept_of(scheme, str(label))
            if found is None and not cut(str(label)):
                hits = self.free.get((IGV + scheme, str(label).strip().casefold()), set())
                assert len(hits) == 1, f"{scheme}: {label!r} names {sorted(hits)}, not one concept"
                found = next(iter(hits))
            out |= {found} if found else set()
        return out


class Response:
    """One response as the sheets give it: its values (a sheet, its older copy, or Moscow's),
    its city and the edition its record reads it as."""

    def __init__(self, values: dict, city: str, edition: int, current: bool) -> None:
        self.values, self.city, self.edition, self.current = values, city, edition, current

    def reached(self, section: str) -> bool:
        return section_value(self.values, section) is not None

    def answers(self, prop: str, labels: Labels):
        """What the response answers to a question: a set of concepts (list), True/False
        (yes/no), or None (unknown: the section not reached, or no yes/no stated)."""
        if prop == "approach":
            code = self.values.get("approach")
            return None if code is None else {IGV + "approach/" + APPROACHES[code]} \
                if code in APPROACHES else set()
        if prop in LISTS:
            section, path, scheme = LISTS[prop]
            if not self.reached(section):
                return None
            return labels.concepts(scheme, field(self.values, path))
        section, path, yes = YES_NO[prop]
        value = field(self.values, path)
        return None if value is None else value == yes


def responses(store) -> list[Response]:
    """Every response, current and superseded: each sheet's newer copy (its top-level fields),
    its older copy (vintage.older_trailing_slash_copy: the fields that differ), and Moscow's."""
    editions = {}
    for row in store.query(
            "SELECT ?city ?name ?edition (BOUND(?newer) AS ?superseded) WHERE {"
            " ?r ig:respondent ?city ; ig:edition/ig:editionYear ?edition ."
            " ?city schema:name ?name . OPTIONAL { ?newer ig:supersedes ?r } }").typed_rows():
        editions[(row["city"], row["superseded"])] = row["edition"]
        editions[(row["name"], row["superseded"])] = row["edition"]
    out = []
    every = sheets()
    for sheet in every:
        city = ID + "city/" + sheet["slug"]
        key = city if (city, False) in editions else sheet["city"]  # indianopolis-us.yaml line 5
        out.append(Response(sheet, key, editions[(key, False)], True))
        older = older_copy(sheet)
        if older:
            out.append(Response(older, key, editions[(key, True)], False))
    assert sum(r.current for r in out) == len(every)
    return out


@pytest.fixture(scope="module")
def everyone(store):
    return responses(store)


@pytest.fixture(scope="module")
def labels():
    return Labels(load_graph(Project(REPO)))


def latest_per_edition(everyone, editions=None):
    """The responses an edition's figures count: for each city, its latest version of its
    answer to that edition (an older copy counts where its edition differs from the newer's)."""
    newer = {r.city: r.edition for r in everyone if r.current}
    return [r for r in everyone if (r.current or r.edition != newer[r.city])
            and (editions is None or r.edition in editions)]


def frequencies(scope, prop, labels):
    """(chosen per option, answered, notReached) of a question over some responses."""
    chosen, answered, not_reached = Counter(), 0, 0
    for r in scope:
        answer = r.answers(prop, labels)
        section = LISTS[prop][0] if prop in LISTS else "approach" if prop == "approach" \
            else YES_NO[prop][0]
        not_reached += not r.reached(section)
        if answer is None:
            continue
        answered += 1
        for option in (answer if isinstance(answer, set) else [answer]):
            chosen[option] += 1
    return chosen, answered, not_reached


def option_key(row):
    return row["option"]


# ---------------------------------------------------------------- answer-frequencies


@pytest.mark.parametrize("edition, superseded", [(None, False), (2018, False), (2020, False),
                                                 (None, True)])
def test_answer_frequencies_are_the_sheets_counts(store, everyone, labels, edition, superseded):
    params = {"include_superseded": str(superseded).lower()}
    if edition:
        params["edition"] = f"igv:survey-edition/{edition}"
    got = rows(store, "answer-frequencies", **params)
    scope = [r for r in everyone if (superseded or r.current) and (edition is None or r.edition == edition)]
    by_question = {}
    for row in got:
        by_question.setdefault(row["property"].removeprefix(IG), []).append(row)
    for prop in [*LISTS, *YES_NO, "approach"]:
        chosen, answered, not_reached = frequencies(scope, prop, labels)
        options = by_question[prop]
        assert {r["answered"] for r in options} == {answered}, prop
        assert {r["notReached"] for r in options} == {not_reached}, prop
        assert {r["responses"] for r in options} == {len(scope)}, prop
        listed = {option_key(r): r for r in options if r["option"] is not None}
        assert set(chosen) <= set(listed), (prop, set(chosen) - set(listed))
        for option, row in listed.items():
            if prop == "approach" and option not in {IGV + "approach/" + a for a in APPROACHES.values()}:
                continue  # "other" on a sheet: the record's reading of the printed approach
            assert row["chosen"] == chosen[option], (prop, option)
            assert row["sharePercent"] == share(chosen[option], answered), (prop, option)
        # A partial list proves only what it shows: partial counts at least the lists whose last
        # label is cut, never more than answered.
        if prop in LISTS:
            shown_cut = sum(1 for r in scope if cut(str((field(r.values, LISTS[prop][1]) or [""])[-1])))
            assert {r["partial"] for r in options} <= set(range(shown_cut, answered + 1)), prop
    # The headline form: "chosen of answered cities that answered".
    strategy_yes = [r for r in by_question["hasExplicitStrategy"] if r["option"] is True][0]
    assert strategy_yes["optionLabel"] == "yes" and strategy_yes["sectionLabel"] == "Strategy"


def test_answer_frequencies_every_question_of_the_ontology(store):
    got = rows(store, "answer-frequencies")
    questions = {r["property"].removeprefix(IG) for r in got}
    # Every concept or yes/no property with an ig:profileSection; not the declared role count
    # (a number) nor data availability (a matrix, see data-availability).
    assert questions == {*LISTS, *YES_NO, "approach", "hasPartnerships", "hasDedicatedInnovationTeam"}
    for row in got:
        assert row["answered"] + row["notReached"] <= row["responses"]
        assert 0 <= row["partial"] <= row["answered"]
    # Options of a list are every concept of its scheme, chosen or not.
    roles = {r["option"] for r in got if r["property"] == IG + "listsRole"}
    assert IGV + "innovation-role/designer" in roles and len(roles) > 10


def test_answer_frequencies_unknown_edition_is_an_error(store):
    with pytest.raises(ParameterError, match="survey-edition"):
        rows(store, "answer-frequencies", edition="igv:survey-edition/2019")


# ---------------------------------------------------------------- survey-shares-vs-graph


def test_survey_shares_beside_the_graphs(store, everyone, labels):
    got = rows(store, "survey-shares-vs-graph")
    for row in got:
        prop = row["property"].removeprefix(IG)
        if prop not in LISTS and prop not in YES_NO and prop != "approach":
            continue
        editions = {int(y) for y in (row["editions"] or "").split(", ") if y}
        scope = latest_per_edition(everyone, editions) if editions else [r for r in everyone if r.current]
        chosen, answered, not_reached = frequencies(scope, prop, labels)
        assert (row["k"], row["n"], row["notReached"]) == (chosen[row["option"]], answered, not_reached), row
        assert row["graphPercent"] == share(row["k"], row["n"])
    by_statistic = {r["statistic"].removeprefix(ID + "statistic/"): r for r in got}
    # The shares the profiles quote beside the answers, as the sheets print them
    # (baltimore-us.yaml lines 79-82: 50%, 24%; detroit-us.yaml line 100: 81%;
    # atlanta-us.yaml line 80: 20% holistic; cape-town-zaf.yaml line 144: "more than half" both).
    printed = {"explicit-strategy-50-percent": (Decimal(50), None, True),
               "no-explicit-strategy-50-percent": (Decimal(50), None, False),
               "dedicated-funding-81-percent": (Decimal(81), None, True),
               "approach-specific-24-percent": (Decimal(24), None, IGV + "approach/specific-policy-areas-domains"),
               "approach-holistic-20-percent": (Decimal(20), None, IGV + "approach/holistic-macro-level"),
               "approach-both-more-than-half": (None, "more than half",
                                                IGV + "approach/both-holistic-macro-and-specific-policy-areas")}
    for name, (percent, words, option) in printed.items():
        row = by_statistic[name]
        assert (row["sharePercent"], row["shareAsPrinted"], row["option"]) == (percent, words, option), name
        assert row["editions"] is None and row["profileQuotes"] >= 1, name
    # 81% dedicated funding, against the few responses whose copy reaches the funding section.
    funding = by_statistic["dedicated-funding-81-percent"]
    assert funding["n"] + funding["notReached"] == sum(r.current for r in everyone)
    assert funding["notReached"] > funding["n"]


def test_a_statistic_of_one_edition_counts_that_editions_responses(store, everyone, labels):
    # 49% formal strategy, 2018 survey (data/sources/survey-statistics.yaml): 2018's latest
    # versions, Cape Town's older copy (2018) among them though its 2020 response supersedes it.
    row = {r["statistic"]: r for r in rows(store, "survey-shares-vs-graph")}[
        ID + "statistic/formal-innovation-strategy-49-percent-2018"]
    assert (row["sharePercent"], row["editions"]) == (Decimal(49), "2018")
    scope = latest_per_edition(everyone, {2018})
    assert any(r.city.endswith("cape-town-zaf") and not r.current for r in scope)
    chosen, answered, _ = frequencies(scope, "hasExplicitStrategy", labels)
    assert (row["k"], row["n"]) == (chosen[True], answered)


# ---------------------------------------------------------------- editions-compared


def test_editions_compared_side_by_side(store, everyone, labels):
    got = rows(store, "editions-compared")
    for prop in [*LISTS, *YES_NO]:
        per_edition = {year: frequencies(latest_per_edition(everyone, {year}), prop, labels)
                       for year in (2018, 2020)}
        for row in (r for r in got if r["property"] == IG + prop and r["option"] is not None):
            for year, (chosen, answered, not_reached) in per_edition.items():
                assert row[f"chosen{year}"] == chosen[row["option"]], (prop, row["option"], year)
                assert (row[f"answered{year}"], row[f"notReached{year}"]) == (answered, not_reached)
                assert row[f"share{year}"] == share(chosen[row["option"]], answered)
    # Cape Town answered both editions: its 2018 copy counts in 2018 (cape-town-zaf.yaml line 49:
    # explicit strategy "yes" in the older copy), its newer copy in 2020 (line 108: "no").
    strategy = {r["option"]: r for r in got if r["property"] == IG + "hasExplicitStrategy"}
    in_2018 = latest_per_edition(everyone, {2018})
    assert strategy[True]["chosen2018"] == sum(r.values["explicit_strategy"]["value"] == "yes"
                                               for r in in_2018 if r.values["explicit_strategy"])
    assert strategy[True]["chosen2018"] + strategy[False]["chosen2018"] == strategy[True]["answered2018"]


# ---------------------------------------------------------------- sections-reached


def test_sections_reached_by_baltimore(store):
    got = {r["section"].removeprefix(SECTION): (r["status"], r["edition"], r["current"])
           for r in rows(store, "sections-reached", city="id:city/baltimore-us")}
    reached = ("reached", 2018, True)
    assert got == {
        # baltimore-us.yaml lines 18-56: mayor, population, officer, goals, success factors,
        # spotlight, strategy, approach, policy areas printed
        **{s: reached for s in ("mayor", "population", "lead-innovation-officer", "goals",
                                "success-factors", "spotlight", "strategy", "approach", "policy-areas")},
        # line 61: the roles list cut at 'Community engagem…'; line 23: the 'Innovation Website'
        # slot without an address (data/sources/cities/README.md), reached in part
        "roles": ("reached in part", 2018, True), "innovation-website": ("reached in part", 2018, True),
        # line 66: the organisation sentence not reachable; lines 67-77: null
        **{s: ("not reached", 2018, True) for s in (
            "organisations", "terms", "activities", "dedicated-funding", "funding-sources",
            "funded-activities", "partnerships", "data-partnerships", "data-availability")},
    }


def test_sections_reached_by_cape_towns_two_responses(store):
    current = rows(store, "sections-reached", city="id:city/cape-town-zaf")
    both = rows(store, "sections-reached", city="id:city/cape-town-zaf", include_superseded="true")
    assert {(r["edition"], r["current"]) for r in current} == {(2020, True)}
    assert Counter((r["edition"], r["current"]) for r in both) == {(2020, True): 20, (2018, False): 20}
    # cape-town-zaf.yaml lines 130-140: terms, activities, funding, partnerships not reached
    assert {r["section"].removeprefix(SECTION) for r in current if r["status"] == "not reached"} >= {
        "terms", "activities", "dedicated-funding", "funding-sources", "funded-activities",
        "partnerships", "data-partnerships", "data-availability"}


def test_sections_reached_are_the_sheets_nulls(store, everyone):
    got = rows(store, "sections-reached")
    status = {}
    for row in got:
        status.setdefault(row["city"], {})[row["section"].removeprefix(SECTION)] = row["status"]
    names = {r["cityName"]: r["city"] for r in got}
    for r in (r for r in everyone if r.current):
        mine = status[r.city if r.city in status else names[r.city]]
        for section in SECTION_FIELDS:
            if section == "innovation-website":
                continue
            unknown = section_value(r.values, section) is None
            assert (mine[section] == "not reached") is unknown, (r.city, section, mine[section])
            if not unknown and section in {LISTS[p][0] for p in LISTS} | {"goals"}:
                path = next(v[1] for v in LISTS.values() if v[0] == section)
                items = field(r.values, path)
                if items and cut(str(items[-1])):
                    assert mine[section] == "reached in part", (r.city, section)


# ---------------------------------------------------------------- policy-areas-and-terms


def test_policy_areas_and_terms_of_bilbao(store):
    got = [(r["list"], r["status"], r["conceptLabel"], r["answer"], r["prioritises"])
           for r in rows(store, "policy-areas-and-terms", city="id:city/bilbao-esp")]
    assert got == [
        # bilbao-esp.yaml lines 42-46: prioritises true, two areas
        ("policy areas", "reached", "Digital governance", "listed", True),
        ("policy areas", "reached", "Social welfare/social services", "listed", True),
        # line 56: terms null, not reached
        ("terms", "not reached", None, "unknown", None),
    ]


def test_policy_areas_and_terms_of_cape_town_both_copies(store):
    got = [(r["edition"], r["list"], r["conceptLabel"], r["answer"])
           for r in rows(store, "policy-areas-and-terms", city="id:city/cape-town-zaf",
                         include_superseded="true")]
    assert got == [
        # cape-town-zaf.yaml lines 52-59: the older copy's five areas (2018); terms null
        (2018, "policy areas", "Digital governance", "listed"),
        (2018, "policy areas", "Excellence in basic service delivery", "listed"),
        (2018, "policy areas", "Resource efficiency", "listed"),
        (2018, "policy areas", "Security", "listed"),
        (2018, "policy areas", "Social inclusion and equity", "listed"),
        (2018, "terms", None, "unknown"),
        # lines 111-115: the newer copy's two (2020); line 130: terms null
        (2020, "policy areas", "Culture", "listed"),
        (2020, "policy areas", "Environment and climate change", "listed"),
        (2020, "terms", None, "unknown"),
    ]


def test_policy_areas_and_terms_of_every_city(store, everyone, labels):
    got = rows(store, "policy-areas-and-terms")
    names = {r["cityName"]: r["city"] for r in got}
    for r in (r for r in everyone if r.current):
        city = r.city if r.city.startswith(ID) else names[r.city]
        for prop, name in (("policyAreaOfFocus", "policy areas"), ("associatedTerm", "terms")):
            mine = [x for x in got if x["city"] == city and x["list"] == name]
            answer = r.answers(prop, labels)
            if answer is None:
                assert [x["answer"] for x in mine] == ["unknown"], (city, name)
            elif not answer:
                assert [x["answer"] for x in mine] in (["none"], ["none shown"]), (city, name)
            else:
                assert {x["concept"] for x in mine} == answer, (city, name)
        prioritises = field(r.values, ("policy_areas_focus", "prioritises"))
        assert {x["prioritises"] for x in got if x["city"] == city and x["list"] == "policy areas"} \
            == {prioritises}, city


# ---------------------------------------------------------------- cities-side-by-side


def test_baltimore_and_detroit_side_by_side(store):
    got = {(r["question"], r["itemLabel"]): (r["city1"], r["city2"], r["city3"])
           for r in rows(store, "cities-side-by-side", city1="id:city/baltimore-us",
                         city2="id:city/detroit-us")}
    expected = {
        ("city", None): ("Baltimore", "Detroit", ""),
        # baltimore-us.yaml line 18 (and its 2019 note, line 11); detroit-us.yaml line 22
        ("mayor", None): ("Catherine Pugh (as of 2019)", "Mike Duggan (as of 2019)", ""),
        # baltimore-us.yaml lines 48-50, detroit-us.yaml lines 47-49: no explicit strategy
        ("has explicit strategy", None): ("no", "no", ""),
        # baltimore-us.yaml lines 24-27 and detroit-us.yaml lines 28-31: three goals each
        ("goal", None): ("3 listed", "3 listed", ""),
        ("goal", "Improve service delivery"): ("yes", "yes", ""),
        ("goal", "Improve internal government operations"): ("no", "yes", ""),
        ("goal", "Save costs and improve efficiency within the public sector"): ("yes", "no", ""),
        # baltimore-us.yaml lines 57-61: 2 listed, cut at 'Community engagem…': the other
        # roles not shown, not "no"; detroit-us.yaml lines 54-62: six listed of nine
        ("lists role", None): ("2 listed (list cut)", "6 listed", ""),
        ("lists role", "Community engagement staff"): ("yes", "yes", ""),
        ("lists role", "Data scientist"): ("not shown", "yes", ""),
        ("declared role count", None): ("5", "9", ""),
        # baltimore-us.yaml lines 52-56: prioritises, two areas; detroit-us.yaml lines 51-53:
        # prioritises null, labels [] (reached, none)
        ("prioritises policy areas", None): ("yes", "not stated", ""),
        ("policy area of focus", None): ("2 listed", "none", ""),
        ("policy area of focus", "Digital governance"): ("yes", "no", ""),
        # baltimore-us.yaml line 67: terms null (unknown); detroit-us.yaml lines 80-81
        ("associated term", None): ("unknown", "1 listed", ""),
        ("associated term", "Data analytics"): ("unknown", "yes", ""),
        # baltimore-us.yaml line 70: funding null; detroit-us.yaml line 85: dedicated "yes"
        ("has dedicated funding", None): ("unknown", "yes", ""),
    }
    assert {k: got[k] for k in expected} == expected
    assert all(cells[2] == "" for cells in got.values())  # no third city asked for


def test_side_by_side_needs_two_to_five_cities(store):
    with pytest.raises(ParameterError, match="Missing parameter 'city2'"):
        rows(store, "cities-side-by-side", city1="id:city/baltimore-us")
    six = {f"city{i}": c for i, c in enumerate(
        ["baltimore-us", "detroit-us", "bilbao-esp", "athens-grc", "austin-us", "aurora-il"], 1)}
    with pytest.raises(ParameterError, match="Unknown parameter 'city6'"):
        rows(store, "cities-side-by-side", **{k: "id:city/" + v for k, v in six.items()})
    with pytest.raises(ParameterError, match="Did you mean"):
        rows(store, "cities-side-by-side", city1="id:city/baltimore-us", city2="id:city/detriot-us")


def test_side_by_side_of_five_cities_is_each_citys_own_column(store, labels):
    slugs = ["baltimore-us", "detroit-us", "bilbao-esp", "athens-grc", "rosario-arg"]
    got = rows(store, "cities-side-by-side", **{f"city{i}": "id:city/" + s for i, s in enumerate(slugs, 1)})
    goals = {r["item"]: [r[f"city{i}"] for i in range(1, 6)] for r in got
             if r["property"] == IG + "goal" and r["item"]}
    for i, slug in enumerate(slugs):
        sheet = yaml.safe_load((SHEETS / f"{slug}.yaml").read_text(encoding="utf-8"))
        mine = labels.concepts("goal", sheet["goals"])
        assert {item for item, cells in goals.items() if cells[i] == "yes"} == mine, slug
        assert {cells[i] for item, cells in goals.items() if item not in mine} <= {"no"}, slug


# ---------------------------------------------------------------- every engine


@pytest.fixture(scope="module")
def rdflib_engine():
    return RdflibEngine(Project(REPO))


def examples():
    catalogue = Catalogue(Project(REPO))
    out = []
    for name in QUERIES:
        query = catalogue.get(name)
        assert query.examples, f"{name} has no example in its header"
        out += [(name, {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in e.items()})
                for e in query.examples]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name, params", examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_same_rows_on_rdflib_and_pyoxigraph(store, rdflib_engine, name, params):
    catalogue = Catalogue(Project(REPO))
    here = run_store(store, catalogue, name, params)
    assert here.kind == "select" and here.rows, (name, params)
    there = rdflib_engine.run(catalogue, name, params)
    assert here.difference(there) is None, here.difference(there)


def test_every_analyst_query_has_typed_columns(store):
    # Counts are integers, shares decimals, yes/no answers booleans: as the headers say.
    freq = rows(store, "answer-frequencies")[0]
    assert all(isinstance(freq[c], int) for c in ("chosen", "answered", "partial", "notReached", "responses"))
    assert isinstance(freq["sharePercent"], Decimal)
    shares = rows(store, "survey-shares-vs-graph")[0]
    assert isinstance(shares["k"], int) and isinstance(shares["graphPercent"], Decimal)
    assert {type(r["current"]) for r in rows(store, "sections-reached")} == {bool}
