"""`innovgraph ingest` reads each printed form of the organisation paragraph.

Each test puts one form of the paragraph, as the profiles of cities-innovation-oecd.com print it
(the sentence patterns of the Seoul, Chicago, Busan, Moscow, Rochester, Austin, Alexandria and
Houston pages), into the profile of a fictional city, ingests it through the command, and checks
the exact triples of the written record: the organisations with their class, name or descriptive
label, placement, team size and description, and the response's ig:hasDedicatedInnovationTeam.
A form the reader does not know is reported under "Could not read", never guessed.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from support.ingest_helpers import run_ingest, snapshot_project

IG = Namespace("https://w3id.org/innovgraph/ontology#")
ID = Namespace("https://w3id.org/innovgraph/id/")
PLACE = Namespace("https://w3id.org/innovgraph/vocab/organisation-placement/")
ORG = URIRef("http://www.w3.org/ns/org#subOrganizationOf")
NAME = URIRef("https://schema.org/name")
DESCRIPTION = URIRef("http://purl.org/dc/terms/description")
SOURCE = URIRef("http://purl.org/dc/terms/source")

# The layout of a profile page, with the roles and the organisation paragraph to fill in.
PROFILE = """Jane Fictional

123,456 (2019)

Innovation is helping to:
  • Improve service delivery

Vision and approach to innovation capacity

Along with 50% of cities surveyed, {city} does not have an explicit innovation strategy.

Policy areas that {city} is focused on

Housing
Policy areas by number of cities

{roles}
Innovation roles by number of cities
{after_chart}
Terms {city} most associates with innovation

Data analytics
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return snapshot_project(tmp_path_factory.mktemp("snap"))


def ingest(project, tmp_path, slug, city, paragraph, *, no_roles=False):
    """The paragraph after the roles chart (Rochester's layout) or, with `no_roles`, under the
    'Innovation skills or roles' heading printed where no role is listed (Chicago's, Busan's)."""
    if no_roles:
        text = PROFILE.format(city=city, roles=f"Innovation skills or roles\n\n{paragraph}\n", after_chart="")
    else:
        text = PROFILE.format(city=city, roles=f"{city} utilizes 1 different innovation skills or roles\n\n"
                              "Project manager", after_chart=f"\n{paragraph}\n")
    source = tmp_path / f"{slug}.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"{slug}.ttl"
    result = run_ingest(project, source, "--city-slug", slug, "--edition", "2018", "--source-url",
                        f"https://cities-innovation-oecd.com/cities/{slug}/", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Validation: the record conforms together with the rest of the graph" in result.output
    graph = Graph().parse(out, format="turtle")
    return result, graph, ID[f"city/{slug}"], ID[f"city/{slug}/response/2018"]


def page(slug):
    return URIRef(f"https://cities-innovation-oecd.com/cities/{slug}/")


def facts(graph, node):
    """Everything the record states about `node` except its editorial notes."""
    return {(p, o) for p, o in graph.predicate_objects(node) if p != SKOS.editorialNote}


def org_facts(slug, cls, *, name=None, label=None, placement=None, size=None, description=None,
              in_administration=False):
    """The statements expected of an organisation of the city `slug`, every one of them."""
    city = ID[f"city/{slug}"]
    expected = {(RDF.type, cls), (IG.organisationOfCity, city), (SOURCE, page(slug))}
    optional = [(NAME, name and Literal(name)), (RDFS.label, label and Literal(label, lang="en")),
                (IG.placement, placement and PLACE[placement]), (IG.teamSize, size and Literal(size)),
                (DESCRIPTION, description and Literal(description, lang="en")),
                (ORG, in_administration and ID[f"city/{slug}/administration"])]
    return expected | {(p, o) for p, o in optional if o}


def notes(graph, node):
    return " ".join(str(n) for n in graph.objects(node, SKOS.editorialNote))


def orgs(graph, city):
    return set(graph.subjects(IG.organisationOfCity, city))


def sections(graph, response, prop):
    return {str(o).rsplit("/", 1)[-1] for o in graph.objects(response, prop)}


# ------------------------------------------------------------------ Rochester's form

def test_placed_team_with_leader_and_size(project, tmp_path):
    slug, city_name = "fictional-southam", "Fictional Southam"
    sentence = (f"Situated in the Mayor’s office, {city_name}’s dedicated team for innovation led by the "
                "Director of Innovation consists of 6 staff.")
    post = "In addition, the Chief Performance Officer leads process improvement and data initiatives."
    result, g, city, response = ingest(project, tmp_path, slug, city_name, f"{sentence} {post}")
    team = ID[f"city/{slug}/org/mayor-s-office-innovation-team"]
    assert orgs(g, city) == {team}
    assert facts(g, team) == org_facts(
        slug, IG.InnovationTeam,
        label=f"Dedicated innovation team in the Mayor’s office of {city_name}", placement="mayor-s-office",
        size=6, description=sentence, in_administration=True)
    assert "led by the Director of Innovation" in notes(g, team)
    assert (response, IG.hasDedicatedInnovationTeam, Literal(True)) in g
    assert "organisations" in sections(g, response, IG.sectionReached)
    # The post of the second sentence is no organisation: it is kept in a note on the response.
    assert any(post in str(n) for n in g.objects(response, SKOS.editorialNote))
    assert "organisations: could not read" not in result.output
    assert "placement 'Mayor’s office' -> Mayor's office (matched ignoring case/punctuation)" in result.output


def test_has_a_team_of_n_in_a_placement(project, tmp_path):
    slug, city_name = "fictional-norbridge", "Fictional Norbridge"
    sentence = f"{city_name} has a dedicated innovation team of 7 in the Mayor's office led by the Director of Innovation."
    _, g, city, response = ingest(project, tmp_path, slug, city_name, sentence)
    team = ID[f"city/{slug}/org/mayor-s-office-innovation-team"]
    assert orgs(g, city) == {team}
    assert (team, IG.placement, PLACE["mayor-s-office"]) in g
    assert (team, IG.teamSize, Literal(7)) in g
    assert (response, IG.hasDedicatedInnovationTeam, Literal(True)) in g


def test_unknown_placement_is_a_flagged_free_text_concept(project, tmp_path):
    slug, city_name = "fictional-ashworth", "Fictional Ashworth"
    sentence = (f"Situated in the Office of Fictional Affairs, {city_name}’s dedicated team for innovation "
                "consists of 8 staff.")
    result, g, city, _ = ingest(project, tmp_path, slug, city_name, sentence)
    team = ID[f"city/{slug}/org/office-of-fictional-affairs-innovation-team"]
    place = PLACE["office-of-fictional-affairs"]
    assert facts(g, team) == org_facts(       # an office of the city: part of its administration
        slug, IG.InnovationTeam,
        label=f"Dedicated innovation team in the Office of Fictional Affairs of {city_name}",
        placement="office-of-fictional-affairs", size=8, description=sentence, in_administration=True)
    assert facts(g, place) == {
        (RDF.type, SKOS.Concept), (RDF.type, IG.FreeTextAnswer),
        (SKOS.inScheme, URIRef("https://w3id.org/innovgraph/vocab/organisation-placement")),
        (SKOS.prefLabel, Literal("Office of Fictional Affairs", lang="en")),
        (SOURCE, page(slug)),
    }
    assert "'organisations' section" in notes(g, place)
    assert "unknown label (new ig:FreeTextAnswer concept in this record): 'Office of Fictional Affairs'" in result.output


def test_a_second_team_in_a_department(project, tmp_path):
    slug, city_name = "fictional-halton", "Fictional Halton"
    first = f"Situated in the Mayor’s office, {city_name}’s dedicated team for innovation consists of 4 staff."
    second = ("In addition, the Public Works Department also has an Innovation team of 3 people focused "
              "solely on that department's innovation efforts.")
    _, g, city, response = ingest(project, tmp_path, slug, city_name, f"{first} {second}")
    works = ID[f"city/{slug}/org/public-works-department-innovation-team"]
    assert orgs(g, city) == {ID[f"city/{slug}/org/mayor-s-office-innovation-team"], works}
    assert facts(g, works) == org_facts(
        slug, IG.InnovationTeam,
        label=f"Innovation team in the Public Works Department of {city_name}",
        placement="public-works-department", size=3, description=second, in_administration=True)
    assert (response, IG.hasDedicatedInnovationTeam, Literal(True)) in g


# ------------------------------------------------------------------ Austin's and Alexandria's forms

def test_named_department_under_the_city_manager(project, tmp_path):
    slug, city_name = "fictional-kettering", "Fictional Kettering"
    sentence = (f"Under the purview of the City Manager, {city_name}’s Innovation Office is a standalone "
                "department, with the opening of a Fellows Program, the Office now consists of 12 staff.")
    _, g, city, response = ingest(project, tmp_path, slug, city_name, sentence)
    office = ID[f"city/{slug}/org/innovation-office"]
    assert orgs(g, city) == {office}
    assert facts(g, office) == org_facts(
        slug, IG.InnovationDepartment,
        name="Innovation Office", placement="under-the-city-manager", size=12, description=sentence,
        in_administration=True)
    assert "Under the purview of the City Manager" in notes(g, office)
    assert not list(g.objects(response, IG.hasDedicatedInnovationTeam))    # the text does not say


def test_independent_team_of_two(project, tmp_path):
    slug, city_name = "fictional-brackley", "Fictional Brackley"
    sentence = (f"As an independent team, {city_name}’s innovation work is being done by a team of two led by "
                "the Chief Performance Officer.")
    _, g, city, _ = ingest(project, tmp_path, slug, city_name, sentence)
    team = ID[f"city/{slug}/org/innovation-team"]
    assert orgs(g, city) == {team}
    assert facts(g, team) == org_facts(
        slug, IG.InnovationTeam,
        label=f"Independent innovation team of {city_name}", placement="independent-team", size=2,
        description=sentence)
    assert "printed in words ('two')" in notes(g, team)


# ------------------------------------------------------------------ Seoul's form

def test_independent_body_with_a_lower_bound_is_no_team_size(project, tmp_path):
    slug, city_name = "fictional-northbury", "Fictional Northbury"
    sentence = (f"As an independent body, {city_name}’s innovation work is being led by the Director of Civic "
                "Innovation Division with more than 100 staff members in around 20 teams.")
    result, g, city, response = ingest(project, tmp_path, slug, city_name, sentence)
    division = ID[f"city/{slug}/org/civic-innovation-division"]
    assert orgs(g, city) == {division}
    assert facts(g, division) == org_facts(
        slug, IG.InnovationOrganisation,
        name="Civic Innovation Division", placement="independent-body", description=sentence)
    assert "'more than 100 staff members', not an exact number" in notes(g, division)
    assert not list(g.objects(response, IG.hasDedicatedInnovationTeam))
    assert "size 'more than 100 staff members' is not an exact number" in result.output


# ------------------------------------------------------------------ Chicago's and Busan's forms

def test_no_dedicated_team_and_a_previous_team(project, tmp_path):
    slug, city_name = "fictional-westmere", "Fictional Westmere"
    none = f"{city_name} does not have dedicated team for innovation."
    previous = ("The City previously managed many of their innovation projects and initiatives through the "
                "Innovation Delivery Team, funded by a fictional foundation and housed in the Mayor’s Office.")
    spread = ("Those duties are spread between the Mayor’s Office, the Department of Innovation and Technology, "
              "and other entities.")
    result, g, city, response = ingest(project, tmp_path, slug, city_name, f"{none} {previous} {spread}",
                                       no_roles=True)
    team = ID[f"city/{slug}/org/innovation-delivery-team"]
    assert (response, IG.hasDedicatedInnovationTeam, Literal(False)) in g
    assert orgs(g, city) == {team}                  # the duties' other holders are no organisations
    assert facts(g, team) == org_facts(
        slug, IG.InnovationTeam,
        name="Innovation Delivery Team", placement="mayor-s-office", description=previous,
        in_administration=True)
    assert "speaks of the past ('previously'), so it is recorded as a team the city had" in notes(g, team)
    response_notes = " ".join(str(n) for n in g.objects(response, SKOS.editorialNote))
    assert spread in response_notes
    assert "recorded as ig:hasDedicatedInnovationTeam false" in response_notes
    assert "a PREVIOUS team, not a current one" in result.output
    # 'Innovation skills or roles' with no role under it: the roles section is reached, with none.
    assert "roles" in sections(g, response, IG.sectionReached)
    assert not list(g.objects(response, IG.listsRole))


def test_currently_no_dedicated_team_broken_over_two_lines(project, tmp_path):
    slug, city_name = "fictional-eastport", "Fictional Eastport"
    result, g, city, response = ingest(project, tmp_path, slug, city_name,
                                       f"{city_name} currently does not have a dedicated\nteam for innovation.",
                                       no_roles=True)
    assert (response, IG.hasDedicatedInnovationTeam, Literal(False)) in g
    assert orgs(g, city) == set()
    assert "organisations" in sections(g, response, IG.sectionReached)   # reached: none
    assert "dedicated team for innovation: no" in result.output
    assert "organisations: could not read" not in result.output


# ------------------------------------------------------------------ Moscow's form

def test_listed_organisations(project, tmp_path):
    slug, city_name = "fictional-greyhaven", "Fictional Greyhaven"
    sentence = (f"{city_name} has several organizations dedicated to innovation, including the Civic Design "
                "Department, Fictional Agency of Innovation and Greyhaven Innovation Cluster.")
    _, g, city, response = ingest(project, tmp_path, slug, city_name, sentence)
    kinds = {str(g.value(o, NAME)): g.value(o, RDF.type) for o in orgs(g, city)}
    assert kinds == {"Civic Design Department": IG.InnovationDepartment,
                     "Fictional Agency of Innovation": IG.InnovationAgency,
                     "Greyhaven Innovation Cluster": IG.InnovationCluster}
    dept = ID[f"city/{slug}/org/civic-design-department"]
    assert facts(g, dept) == org_facts(slug, IG.InnovationDepartment, name="Civic Design Department")
    assert not list(g.objects(response, IG.hasDedicatedInnovationTeam))


# ------------------------------------------------------------------ forms it cannot read

def test_an_unknown_form_is_reported_not_guessed(project, tmp_path):
    slug, city_name = "fictional-norwood", "Fictional Norwood"
    sentence = f"{city_name} relies on a rotating council of volunteer staff to steer innovation."
    result, g, city, response = ingest(project, tmp_path, slug, city_name, sentence)
    assert orgs(g, city) == set()
    assert not list(g.objects(response, IG.hasDedicatedInnovationTeam))
    assert "organisations" in sections(g, response, IG.sectionNotReached)
    assert f"organisations: could not read {sentence!r}; nothing is recorded from it." in result.output


def test_a_sentence_it_cannot_read_leaves_the_section_reached_in_part(project, tmp_path):
    slug, city_name = "fictional-colbury", "Fictional Colbury"
    none = f"{city_name} does not have a dedicated team for innovation."
    other = ("However, the city has a process improvement team housed in the finance department, as well as "
             "two staff in the City Manager’s Office dedicated to efficiency and operational excellence.")
    result, g, city, response = ingest(project, tmp_path, slug, city_name, f"{none} {other}", no_roles=True)
    assert (response, IG.hasDedicatedInnovationTeam, Literal(False)) in g
    assert orgs(g, city) == set()
    assert "organisations" in sections(g, response, IG.sectionPartlyReached)
    assert "organisations" not in sections(g, response, IG.sectionReached)
    assert f"organisations: could not read {other!r}; nothing is recorded from it." in result.output
