"""Deterministic generator of synthetic city records, for benchmarks and scale tests.

Records have the shape and size of the real ones in data/ttl/cities/ (record and source
document, city, country, population, administration, posts, people, tenures, organisations,
programs, one or two survey responses with every section, data availability, comparisons
with survey statistics), about 150-300 triples each; about a third are partial (some profile
sections not reached, and then no answer in them). Everything is marked synthetic: IRIs
`https://w3id.org/innovgraph/id/city/synthetic-<n>`, people and organisations named
"Synthetic ...", provenance a synthetic source document `https://example.org/synthetic/...`.

Records are never written under the repository's data/: `make_project` writes a project folder
(ontology, vocabularies, shapes, queries and the survey data linked or copied from the
repository, plus data/ttl/cities/synthetic-*.ttl) wherever it is told, so `Project`,
`open_store` and `validate` run on it unchanged.

    python bench/generate.py 1000 /tmp/bench-1000      # writes the project, prints its path
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
IG = "https://w3id.org/innovgraph/ontology#"
IGV = "https://w3id.org/innovgraph/vocab/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SYNTHETIC_SOURCE = "https://example.org/synthetic/"
SEED = 20261127
COUNTRIES = 200  # synthetic countries, in synthetic-countries.ttl

# Scheme of each answer property, and the list sizes of the real records (min, max).
ANSWERS = {
    "goal": ("goal", 1, 4), "criticalSuccessFactor": ("success-factor", 1, 5),
    "policyAreaOfFocus": ("policy-area", 0, 4), "listsRole": ("innovation-role", 1, 8),
    "associatedTerm": ("innovation-term", 1, 3), "highlightedActivity": ("innovation-activity", 1, 3),
    "fundingSource": ("funding-source", 1, 3), "fundedActivity": ("funded-activity", 1, 5),
    "partnerType": ("partner-type", 1, 3), "dataPartnerType": ("data-partner-type", 1, 3),
}
ORG_CLASSES = ("InnovationDepartment", "InnovationTeam", "InnovationAgency", "InnovationCluster",
               "InnovationOrganisation")
WORDS = ("Civic", "Data", "Open", "Digital", "Urban", "Smart", "Service", "Lab", "Hub", "Design",
         "Futures", "Mobility", "Health", "Green", "Participation", "Budget", "Skills", "Platform")
PREFIXES = """@prefix ig:      <https://w3id.org/innovgraph/ontology#> .
@base <https://w3id.org/innovgraph/id/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .
@prefix igv:     <https://w3id.org/innovgraph/vocab/> .
"""


@dataclass
class Vocab:
    """What the generator picks answers from: concepts per scheme, property -> section."""

    concepts: dict[str, list[str]]          # scheme slug -> concept IRIs (sorted)
    unavailable: dict[str, set[str]]         # edition year -> concepts not offered that year
    sections: list[str]                      # profile-section concept IRIs (sorted)
    section_of: dict[str, str]               # answer property local name -> section IRI
    statistics: list[str]                    # survey statistic IRIs of the survey data


def read_vocab(repo: Path = REPO) -> Vocab:
    store = ox.Store()
    for path in [repo / "ontology" / "innovgraph.ttl", *sorted((repo / "ontology" / "vocab").glob("*.ttl")),
                 repo / "data" / "ttl" / "survey" / "survey.ttl"]:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    concepts: dict[str, list[str]] = {}
    for row in store.query(f"SELECT ?c ?s WHERE {{ ?c <{SKOS}inScheme> ?s }}"):
        scheme = row["s"].value
        if scheme.startswith(IGV):
            concepts.setdefault(scheme[len(IGV):], []).append(row["c"].value)
    unavailable: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?c ?e WHERE {{ ?c <{IG}notAvailableInEdition> ?e }}"):
        unavailable.setdefault(row["e"].value.rsplit("/", 1)[-1], set()).add(row["c"].value)
    section_of = {row["p"].value[len(IG):]: row["s"].value for row in store.query(
        f"SELECT ?p ?s WHERE {{ ?p <{IG}profileSection> ?s }}") if row["p"].value.startswith(IG)}
    statistics = sorted({row["s"].value for row in store.query(
        f"SELECT ?s WHERE {{ ?s a <{IG}SurveyStatistic> }}")})
    return Vocab({k: sorted(v) for k, v in concepts.items()}, unavailable,
                 sorted(concepts.get("profile-section", [])), section_of, statistics)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def _iris(values: list[str]) -> str:
    return " , ".join(f"<{v}>" for v in values)


def city_record(n: int, vocab: Vocab, *, seed: int = SEED) -> str:
    """The Turtle text of synthetic city number `n` (the same text for the same n and seed)."""
    rng = random.Random(f"{seed}-{n}")
    slug = f"synthetic-{n}"
    name = f"Synthetic City {n}"
    c = rng.randrange(COUNTRIES)  # its country lives in synthetic-countries.ttl (one home)
    country = f"country/synthetic-{c}"
    source = f"{SYNTHETIC_SOURCE}cities/{slug}/"
    city = f"city/{slug}"
    editions = ["2018"] if rng.random() < 0.4 else ["2020"]
    if rng.random() < 0.1:
        editions = ["2018", "2020"]
    partial = rng.random() < 0.33
    year = rng.randrange(2014, 2021)
    out = [PREFIXES, f"@prefix src: <{source}> .\n",
           f"# Synthetic city record {n}: generated by bench/generate.py (seed {seed}); not a real city.\n"]
    out.append(f"""
<record/{slug}>
    a ig:CityRecord ;
    rdfs:label {_lit("City record: " + name)} ;
    dcterms:subject <{city}> ;
    prov:wasDerivedFrom <snapshot/{slug}/https-slash> ;
    dcterms:source src: ;
    dcterms:created "2026-11-27"^^xsd:date ;
    skos:editorialNote {_lit("Synthetic record for benchmarks, generated from a seed; no fact in it is real.")} .

src:
    a ig:SourceDocument ;
    dcterms:title {_lit(f"Synthetic profile {n} (benchmark data)")} ;
    skos:editorialNote {_lit("Synthetic source document: it does not exist.")} .

<snapshot/{slug}/https-slash>
    a ig:PageSnapshot ;
    prov:specializationOf src: ;
    ig:storedAt src: ;
    dcterms:title {_lit(f"Synthetic profile {n} (benchmark data; the copy read)")} ;
    ig:retrievedOn "2026-11-26"^^xsd:date .

<{city}>
    a ig:City ;
    schema:name "{name}" ;
    ig:country <{country}> ;
    ig:population <{city}/population/{year}> ;
    {"ig:hasInnovationWebsite true ;" if rng.random() < 0.6 else ""}
    ig:administration <{city}/administration> ;
    dcterms:source src: .

<{city}/population/{year}>
    a ig:PopulationObservation ;
    ig:observedCity <{city}> ;
    ig:populationValue {rng.randrange(20_000, 15_000_000)} ;
    ig:referenceYear {year} ;
    dcterms:source src: .

<{city}/administration>
    a ig:CityAdministration ;
    rdfs:label {_lit("City administration of " + name)} ;
    ig:administrationOf <{city}> ;
    dcterms:source src: .
""")
    # People, posts and tenures (sometimes an earlier mayor with an end date).
    for post, cls, label in (("mayor", "MayorPost", "Mayor"),
                             ("lead-innovation-officer", "InnovationOfficerPost", "Lead Innovation Officer")):
        out.append(f"""
<{city}/post/{post}>
    a ig:{cls} ;
    rdfs:label {_lit(f"{label} of {name}")} ;
    org:postIn <{city}/administration> ;
    dcterms:source src: .
""")
        holders = 2 if post == "mayor" and rng.random() < 0.2 else 1
        for h in range(holders):
            person = f"person/{slug}-{post}-{h}"
            end = f'ig:startDate "2012-01-0{h + 1}"^^xsd:date ; ig:endDate "2016-06-30"^^xsd:date ;' \
                if h == 0 and holders == 2 else f"ig:heldAsOf {2019 if editions[0] == '2018' else 2020} ;"
            out.append(f"""
<{person}>
    a ig:Person ;
    schema:name "Synthetic Person {n}-{post}-{h}" ;
    dcterms:source src: .

<{city}/tenure/{post}-{h}>
    a ig:Tenure ;
    ig:post <{city}/post/{post}> ;
    ig:holder <{person}> ;
    {end}
    dcterms:source src: .
""")
    orgs = []
    for k in range(rng.randint(1, 3)):
        org = f"{city}/org/{k}"
        orgs.append(org)
        words = " ".join(rng.sample(WORDS, 2))
        extra = ""
        if rng.random() < 0.5:
            place = rng.choice(vocab.concepts["organisation-placement"])
            extra += f"ig:placement <{place}> ;\n    "
        if rng.random() < 0.4:
            extra += f"ig:teamSize {rng.randint(2, 60)} ;\n    "
        out.append(f"""
<{org}>
    a ig:{rng.choice(ORG_CLASSES)} ;
    schema:name "Synthetic {words} Office {n}-{k}" ;
    ig:organisationOfCity <{city}> ;
    org:subOrganizationOf <{city}/administration> ;
    {extra}dcterms:description {_lit(f"A synthetic organisation number {k} of synthetic city {n}, described in one sentence of about the real length.")} ;
    dcterms:source src: .
""")
    for k in range(rng.choice((0, 1, 1, 2, 2, 3))):
        areas = rng.sample(vocab.concepts["policy-area"], rng.randint(1, 2))
        features = " ,\n        ".join(_lit(f"Synthetic feature {j} of program {k}") for j in range(rng.randint(2, 6)))
        kpis = " , ".join(_lit(f"Synthetic metric {j}") for j in range(rng.randint(0, 3)))
        out.append(f"""
<{city}/program/{k}>
    a ig:InnovationProgram ;
    schema:name "Synthetic {rng.choice(WORDS)} Program {n}-{k}" ;
    ig:programOfCity <{city}> ;
    dcterms:description {_lit(f"A synthetic program that does something useful for synthetic city {n}; the text is filler of realistic length.")} ;
    ig:feature {features} ;
    {f"ig:keyPerformanceMetric {kpis} ;" if kpis else ""}
    ig:servesPolicyArea {_iris(areas)} ;
    {f"ig:runBy <{rng.choice(orgs)}> ;" if rng.random() < 0.6 else ""}
    dcterms:source src: .
""")
    for edition in editions:
        out.append(_response(rng, vocab, city, name, edition, partial))
    return "".join(out)


def _response(rng: random.Random, vocab: Vocab, city: str, name: str, edition: str, partial: bool) -> str:
    response = f"{city}/response/{edition}"
    sections = list(vocab.sections)
    not_reached = set(rng.sample(sections, rng.randint(2, 8))) if partial else set()
    lines = [f"    a ig:SurveyResponse ;", f"    rdfs:label {_lit(f'{name} response, {edition} survey')} ;",
             f"    ig:respondent <{city}> ;", f"    ig:edition <{IGV}survey-edition/{edition}> ;"]
    offered = lambda scheme: [c for c in vocab.concepts.get(scheme, [])  # noqa: E731
                              if c not in vocab.unavailable.get(edition, set())]

    def reached(prop: str) -> bool:
        return vocab.section_of.get(prop) not in not_reached

    if reached("hasExplicitStrategy"):
        lines.append(f"    ig:hasExplicitStrategy {'true' if rng.random() < 0.5 else 'false'} ;")
    if reached("approach"):
        lines.append(f"    ig:approach <{rng.choice(offered('approach'))}> ;")
    roles = 0
    for prop, (scheme, low, high) in ANSWERS.items():
        if not reached(prop):
            continue
        choices = offered(scheme)
        if not choices:
            continue
        picked = rng.sample(choices, min(len(choices), rng.randint(low, high)))
        if prop == "listsRole":
            roles = len(picked)
        if picked:
            lines.append(f"    ig:{prop} {_iris(picked)} ;")
    if reached("prioritisesPolicyAreas"):
        lines.append(f"    ig:prioritisesPolicyAreas {'true' if rng.random() < 0.6 else 'false'} ;")
    if reached("declaredRoleCount") and roles:
        lines.append(f"    ig:declaredRoleCount {roles + rng.randint(0, 4)} ;")
    if reached("hasDedicatedFunding"):
        lines.append(f"    ig:hasDedicatedFunding {'true' if rng.random() < 0.8 else 'false'} ;")
    if reached("hasPartnerships"):
        lines.append(f"    ig:hasPartnerships {'true' if rng.random() < 0.8 else 'false'} ;")
    data_nodes = []
    if reached("dataAvailability"):
        levels = vocab.concepts["data-availability-level"]
        for area in rng.sample(vocab.concepts["policy-area"], rng.randint(0, 14)):
            data_nodes.append((f"{response}/data/{area.rsplit('/', 1)[-1]}", area, rng.choice(levels)))
        if data_nodes:
            lines.append("    ig:dataAvailability " + _iris([d[0] for d in data_nodes]) + " ;")
    if vocab.statistics and rng.random() < 0.7:
        lines.append(f"    ig:comparedWith {_iris(rng.sample(vocab.statistics, rng.randint(1, 3)))} ;")
    reached_list = [s for s in sections if s not in not_reached]
    lines.append(f"    ig:sectionReached {_iris(reached_list)} ;")
    if not_reached:
        lines.append(f"    ig:sectionNotReached {_iris(sorted(not_reached))} ;")
    lines.append(f"    dcterms:description {_lit('Spotlight: a synthetic paragraph that is not a program.')} ;")
    lines.append(f"    skos:editorialNote {_lit('Synthetic response; sections not reached are unknown, not none.')} ;")
    lines.append("    dcterms:source src: .")
    text = f"\n<{response}>\n" + "\n".join(lines) + "\n"
    for node, area, level in data_nodes:
        text += (f"<{node}>\n    a ig:DataAvailability ; ig:policyArea <{area}> ; "
                 f"ig:availabilityLevel <{level}> ; dcterms:source src: .\n")
    return text


def make_project(target: Path, n: int, *, seed: int = SEED, copy: bool = True,
                 progress=None) -> Path:
    """Write a project of `n` synthetic cities under `target` (created; must not be in data/).

    The ontology, vocabularies, shapes, queries and survey data are copied from the repository
    (symlinked with `copy=False`; then `Project.relative` sees paths outside the root, so
    graph names differ). Returns the project root.
    """
    target = Path(target).resolve()
    if target.is_relative_to(REPO / "data"):
        raise SystemExit("Refusing to write synthetic records under the repository's data/.")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "shapes", "queries"):
        _link(REPO / name, target / name, copy)
    (target / "data" / "ttl" / "cities").mkdir(parents=True, exist_ok=True)
    _link(REPO / "data" / "ttl" / "survey", target / "data" / "ttl" / "survey", copy)
    _survey_sources(target / "data" / "ttl" / "survey-sources.ttl")
    _countries(target / "data" / "ttl" / "synthetic-countries.ttl")
    vocab = read_vocab()
    cities = target / "data" / "ttl" / "cities"
    for k in range(n):
        path = cities / f"synthetic-{k}.ttl"
        text = city_record(k, vocab, seed=seed)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        if progress is not None:
            progress(1)
    for extra in cities.glob("synthetic-*.ttl"):  # a smaller N in the same folder
        if int(extra.stem.rsplit("-", 1)[-1]) >= n:
            extra.unlink()
    return target


def _countries(path: Path) -> None:
    """The synthetic countries, in one file of their own (one home per triple, as the real
    data/ttl/countries.ttl): records only name their country."""
    text = PREFIXES + "# Synthetic countries for benchmarks (bench/generate.py); none is real.\n"
    text += f"\n<{SYNTHETIC_SOURCE}countries/>\n    a ig:SourceDocument ;\n    dcterms:title {_lit('Synthetic country list (benchmark data)')} .\n"
    for c in range(COUNTRIES):
        iso = "S" + chr(65 + c // 26 % 26) + chr(65 + c % 26)
        text += (f"\n<country/synthetic-{c}>\n    a ig:Country ;\n    schema:name \"Synthetic Country {c}\" ;\n"
                 f"    ig:iso3166Alpha3 \"{iso}\" ;\n    dcterms:source <{SYNTHETIC_SOURCE}countries/> .\n")
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _survey_sources(path: Path) -> None:
    """The survey data cites real city profiles whose source-document nodes live in the real
    city records, which a synthetic project leaves out: state those nodes here instead."""
    survey = REPO / "data" / "ttl" / "survey" / "survey.ttl"
    store = ox.Store()
    store.bulk_load(path=str(survey), format=ox.RdfFormat.TURTLE, base_iri=survey.resolve().as_uri())
    cited = sorted(row["d"].value for row in store.query(
        "SELECT DISTINCT ?d WHERE { ?s <http://purl.org/dc/terms/source> ?d "
        f"FILTER NOT EXISTS {{ ?d a <{IG}SourceDocument> }} }}"))
    text = PREFIXES + "# Source documents the survey data cites (their real records are not in a synthetic project).\n"
    for iri in cited:
        text += f"\n<{iri}> a ig:SourceDocument ;\n    dcterms:title {_lit('City profile cited by the survey data')} .\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _link(source: Path, link: Path, copy: bool) -> None:
    if link.is_symlink() or link.exists():
        return
    if copy:
        shutil.copytree(source, link)
    else:
        os.symlink(source, link, target_is_directory=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of synthetic cities")
    parser.add_argument("target", type=Path, help="project folder to write (not under data/)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--symlink", action="store_true", help="symlink ontology/shapes/queries instead of copying")
    args = parser.parse_args(argv)
    print(make_project(args.target, args.n, seed=args.seed, copy=not args.symlink))
    return 0


if __name__ == "__main__":
    sys.exit(main())
