"""The page contexts of the linked-data site: what each page of /id/..., /vocab/...,
/ontology and the home page shows, read from the store by walking it with
`quads_for_pattern` (no query text is built from the request). The routes that answer with
them, and with RDF for machines, are in `resources.py`.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import PREFIXES, RDF_LANG_STRING, XSD_STRING
from ..terms import show
from .negotiation import GRAPH_FORMATS
from .templates import href, local_path, source_file


def _ns(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


RDF_TYPE = _ns("rdf", "type")
IG = PREFIXES["ig"]
SKOS_CONCEPT_SCHEME = _ns("skos", "ConceptScheme")
OWL_ONTOLOGY = _ns("owl", "Ontology")
IG_CITY = _ns("ig", "City")
LABELS = [_ns("skos", "prefLabel"), _ns("schema", "name"), _ns("rdfs", "label"),
          _ns("dcterms", "title"), _ns("foaf", "name")]
DESCRIPTIONS = [_ns("dcterms", "description"), _ns("skos", "definition"), _ns("rdfs", "comment")]
NOTE = _ns("skos", "editorialNote")
SOURCE = _ns("dcterms", "source")

# The survey's answers in the order of a city profile (docs/model.md, ig:SurveyResponse).
ANSWER_ORDER = [IG + n for n in (
    "edition", "hasExplicitStrategy", "approach", "goal", "criticalSuccessFactor",
    "prioritisesPolicyAreas", "policyAreaOfFocus", "declaredRoleCount", "listsRole",
    "associatedTerm", "highlightedActivity", "hasDedicatedFunding", "fundingSource",
    "fundedActivity", "hasPartnerships", "partnerType", "dataPartnerType", "dataAvailability",
    "comparedWith", "sectionReached", "sectionNotReached", "profileVintage", "supersedes")]
NOT_ANSWERS = {PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "label", IG + "respondent",
               PREFIXES["dcterms"] + "source", PREFIXES["skos"] + "editorialNote"}


class Lookup:
    """Read helpers over the store's asserted graphs (the inferences are in a store of their
    own, GraphStore.inference_engine), with memoised labels."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._labels: dict[str, str] = {}

    def quads(self, s=None, p=None, o=None):
        return self.store.quads_for_pattern(s, p, o, None)

    def objects(self, s, p) -> list:
        return _unique(q.object for q in self.quads(s, p, None))

    def subjects(self, p, o) -> list:
        return _unique(q.subject for q in self.quads(None, p, o))

    def value(self, s, p):
        return next(iter(self.objects(s, p)), None)

    def known(self, node: ox.NamedNode) -> bool:
        return (next(self.quads(node, None, None), None) is not None
                or next(self.quads(None, None, node), None) is not None)

    def text(self, s, predicates: list[ox.NamedNode]) -> str | None:
        for p in predicates:
            best = _english([o for o in self.objects(s, p) if isinstance(o, ox.Literal)])
            if best is not None:
                return best.value
        return None

    def texts(self, s, p) -> list[str]:
        return sorted({o.value for o in self.objects(s, p) if isinstance(o, ox.Literal)})

    def label(self, term) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        key = str(term)
        if key not in self._labels:
            found = self.text(term, LABELS)
            if found is None and isinstance(term, ox.NamedNode):
                found = self._tenure_label(term)
            if found is None and isinstance(term, ox.NamedNode):
                found = _local(term.value) if term.value.startswith(IG) else show(term)
            self._labels[key] = found or "(blank node)"
        return self._labels[key]

    def _tenure_label(self, term: ox.NamedNode) -> str | None:
        """A tenure (which has no label of its own) as who held which post, and the year the
        profile shows it held: "Oh Keo-don, Mayor of Busan" rather than its IRI."""
        if ox.NamedNode(IG + "Tenure") not in self.types(term):
            return None
        post, holder = self.value(term, ox.NamedNode(IG + "post")), self.value(term, ox.NamedNode(IG + "holder"))
        if post is None or holder is None:
            return None
        year = self.value(term, ox.NamedNode(IG + "heldAsOf"))
        return f"{self.label(holder)}, {self.label(post)}" + (f" (as of {year.value})" if year is not None else "")

    def item(self, term) -> dict:
        """A term as the templates show it."""
        if isinstance(term, ox.NamedNode):
            return {"kind": "iri", "iri": term.value, "href": href(term), "label": self.label(term)}
        if isinstance(term, ox.Literal):
            dt = term.datatype.value
            return {"kind": "literal", "text": term.value, "lang": term.language,
                    "datatype": None if dt in (XSD_STRING, RDF_LANG_STRING) else show(term.datatype)}
        if isinstance(term, ox.BlankNode):
            props = [(self.label(q.predicate), self.item(q.object))
                     for q in self.quads(term, None, None) if not isinstance(q.object, ox.BlankNode)]
            return {"kind": "bnode", "label": self.label(term), "props": props}
        return {"kind": "literal", "text": str(term), "lang": None, "datatype": None}

    def types(self, node) -> list:
        return self.objects(node, RDF_TYPE)


def _unique(terms) -> list:
    seen, out = set(), []
    for t in terms:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _english(literals: list[ox.Literal]) -> ox.Literal | None:
    for wanted in ("en", None, ""):
        for lit in literals:
            if (lit.language or None) == (wanted or None):
                return lit
    return literals[0] if literals else None


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# -- descriptions (RDF) -----------------------------------------------------------------------


def declaring_graphs(look: Lookup, node: ox.NamedNode) -> list[ox.NamedNode]:
    """The graphs (files) in which an ontology or concept scheme is declared."""
    return _unique(q.graph_name for q in look.store.quads_for_pattern(node, RDF_TYPE, None, None)
                   if q.object in (OWL_ONTOLOGY, SKOS_CONCEPT_SCHEME)
                   and isinstance(q.graph_name, ox.NamedNode))


def description(look: Lookup, node: ox.NamedNode) -> list[ox.Triple]:
    graphs = declaring_graphs(look, node)
    if graphs:
        quads = [q for g in graphs for q in look.store.quads_for_pattern(None, None, None, g)]
        return _triples(quads)
    quads = list(look.quads(node, None, None))
    pending = [q.object for q in quads if isinstance(q.object, ox.BlankNode)]
    seen = set()
    while pending:
        bnode = pending.pop()
        if bnode in seen:
            continue
        seen.add(bnode)
        more = list(look.quads(bnode, None, None))
        quads += more
        pending += [q.object for q in more if isinstance(q.object, ox.BlankNode)]
    quads += list(look.quads(None, None, node))
    return _triples(quads)


def _triples(quads) -> list[ox.Triple]:
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


# -- pages (HTML) -----------------------------------------------------------------------------


def resource_context(look: Lookup, node: ox.NamedNode) -> dict:
    types = look.types(node)
    groups: dict[ox.NamedNode, list] = {}
    for q in look.quads(node, None, None):
        values = groups.setdefault(q.predicate, [])
        if q.object not in values:
            values.append(q.object)
    properties = [{"predicate": look.item(p), "values": [look.item(v) for v in vs]}
                  for p, vs in groups.items()]
    properties.sort(key=lambda g: (g["predicate"]["iri"] != RDF_TYPE.value,
                                   g["predicate"]["label"].lower()))
    incoming = [{"subject": look.item(q.subject), "predicate": look.item(q.predicate)}
                for q in _unique_spo(look.quads(None, None, node))][:500]
    incoming.sort(key=lambda r: (r["predicate"]["label"].lower(), r["subject"]["label"].lower()))
    files = sorted({source_file(q.graph_name.value) for q in look.quads(node, None, None)
                    if isinstance(q.graph_name, ox.NamedNode)})
    return {
        "iri": node.value,
        "title": look.label(node),
        "types": [look.item(t) for t in types],
        "description": look.text(node, DESCRIPTIONS),
        "notes": look.texts(node, NOTE),
        "sources": [look.item(s) for s in look.objects(node, SOURCE)],
        "properties": properties,
        "incoming": incoming,
        "files": files,
        "alternates": _alternates(node.value),
        "city": city_context(look, node) if IG_CITY in types else None,
    }


def _unique_spo(quads):
    seen = set()
    for q in quads:
        key = (q.subject, q.predicate)
        if key not in seen:
            seen.add(key)
            yield q


def _alternates(iri: str) -> list[tuple[str, str]]:
    path = local_path(iri) or ""
    path = path.split("#", 1)[0]
    names = {"turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}
    return [(names[f.key], f"{path}.{f.extension}") for f in GRAPH_FORMATS]


def city_context(look: Lookup, city: ox.NamedNode) -> dict:
    """What a city page shows: people in posts, organisations, programs, answers."""
    ig = lambda n: ox.NamedNode(IG + n)  # noqa: E731
    people = []
    admins = _unique(look.objects(city, ig("administration")) + look.subjects(ig("administrationOf"), city))
    for admin in admins:
        for post in look.subjects(_ns("org", "postIn"), admin):
            for tenure in look.subjects(ig("post"), post):
                holder = look.value(tenure, ig("holder"))
                people.append({
                    "post": look.label(post),
                    "mayor": ox.NamedNode(IG + "MayorPost") in look.types(post),
                    "person": look.item(holder) if holder is not None else None,
                    "start": _text_of(look.value(tenure, ig("startDate"))),
                    "end": _text_of(look.value(tenure, ig("endDate"))),
                    "tenure": look.item(tenure),
                })
    people.sort(key=lambda p: (not p["mayor"], p["post"], p["start"] or ""))
    population = []
    for obs in look.objects(city, ig("population")):
        value, year = look.value(obs, ig("populationValue")), look.value(obs, ig("referenceYear"))
        if value is not None:
            population.append({"value": f"{int(value.value):,}" if value.value.isdigit() else value.value,
                               "year": _text_of(year)})
    organisations = [{"item": look.item(o),
                      "kind": ", ".join(sorted(look.label(t) for t in look.types(o)
                                               if t.value.startswith(IG)))}
                     for o in look.subjects(ig("organisationOfCity"), city)]
    organisations.sort(key=lambda o: o["item"]["label"])
    programs = []
    for p in look.subjects(ig("programOfCity"), city):
        programs.append({
            "item": look.item(p),
            "acronym": look.text(p, [ig("acronym")]),
            "description": look.text(p, [_ns("dcterms", "description")]),
            "areas": [look.item(a) for a in look.objects(p, ig("servesPolicyArea"))],
            "run_by": [look.item(o) for o in look.objects(p, ig("runBy"))],
            "features": look.texts(p, ig("feature")),
            "kpis": look.texts(p, ig("keyPerformanceMetric")),
        })
    programs.sort(key=lambda p: p["item"]["label"])
    responses = [response_context(look, r) for r in look.subjects(ig("respondent"), city)]
    responses.sort(key=lambda r: r["item"]["iri"], reverse=True)
    country = look.value(city, ig("country"))
    return {
        "name": look.label(city),
        "country": look.item(country) if country is not None else None,
        "population": population,
        "website": look.value(city, ig("innovationWebsite")),
        "has_website": _text_of(look.value(city, ig("hasInnovationWebsite"))),
        "people": people,
        "organisations": organisations,
        "programs": programs,
        "responses": responses,
    }


def response_context(look: Lookup, response: ox.NamedNode) -> dict:
    groups: dict[str, list] = {}
    for q in look.quads(response, None, None):
        if q.predicate.value in NOT_ANSWERS:
            continue
        values = groups.setdefault(q.predicate.value, [])
        if q.object not in values:
            values.append(q.object)
    order = {iri: n for n, iri in enumerate(ANSWER_ORDER)}
    answers = []
    for predicate in sorted(groups, key=lambda p: (order.get(p, len(order)), p)):
        items = [_answer_item(look, v) for v in groups[predicate]]
        items.sort(key=lambda i: i.get("label") or i.get("text") or "")
        answers.append({"question": look.label(ox.NamedNode(predicate)),
                        "predicate": look.item(ox.NamedNode(predicate)), "values": items})
    edition = look.value(response, ox.NamedNode(IG + "edition"))
    return {"item": look.item(response), "edition": look.label(edition) if edition else None,
            "answers": answers, "notes": look.texts(response, NOTE)}


def _answer_item(look: Lookup, term) -> dict:
    item = look.item(term)
    if isinstance(term, ox.NamedNode) and item["label"] == show(term):
        # Data-availability rows have no label of their own: "policy area: level".
        area = look.value(term, ox.NamedNode(IG + "policyArea"))
        level = look.value(term, ox.NamedNode(IG + "availabilityLevel"))
        if area is not None and level is not None:
            item["label"] = f"{look.label(area)}: {look.label(level)}"
    return item


def _text_of(term) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def ontology_context(look: Lookup, node: ox.NamedNode) -> dict:
    owl = lambda n: _ns("owl", n)  # noqa: E731
    rdfs = lambda n: _ns("rdfs", n)  # noqa: E731
    graphs = set(declaring_graphs(look, node))
    own = [q.subject for q in look.store.quads_for_pattern(None, RDF_TYPE, None, None)
           if q.graph_name in graphs and isinstance(q.subject, ox.NamedNode)
           and q.subject.value.startswith(IG)]
    sections = []
    for title, kind in (("Classes", owl("Class")), ("Object properties", owl("ObjectProperty")),
                        ("Datatype properties", owl("DatatypeProperty")),
                        ("Annotation properties", owl("AnnotationProperty")),
                        ("Individuals", owl("NamedIndividual"))):
        terms = []
        for term in _unique(own):
            if kind not in look.types(term):
                continue
            relations = []
            for label, p in (("subclass of", rdfs("subClassOf")), ("equivalent to", owl("equivalentClass")),
                             ("subproperty of", rdfs("subPropertyOf")), ("inverse of", owl("inverseOf")),
                             ("domain", rdfs("domain")), ("range", rdfs("range"))):
                values = [look.item(v) for v in look.objects(term, p)]
                if values:
                    relations.append((label, values))
            characteristics = [_local(t.value) for t in look.types(term)
                               if t.value.startswith(PREFIXES["owl"]) and t != kind
                               and t.value.endswith("Property") and t.value != kind.value]
            terms.append({
                "anchor": _local(term.value), "iri": term.value, "label": look.label(term),
                "definition": look.text(term, [_ns("skos", "definition")]),
                "comment": look.text(term, [rdfs("comment"), _ns("skos", "scopeNote")]),
                "relations": relations, "characteristics": characteristics,
            })
        terms.sort(key=lambda t: t["anchor"].lower())
        if terms:
            sections.append({"title": title, "terms": terms})
    base = resource_context(look, node)
    base.update(sections=sections, version=look.text(node, [owl("versionInfo")]),
                version_iri=look.value(node, owl("versionIRI")))
    return base


def scheme_context(look: Lookup, scheme: ox.NamedNode) -> dict:
    skos = lambda n: _ns("skos", n)  # noqa: E731
    top = {c: n for n, c in enumerate(look.objects(scheme, skos("hasTopConcept")))}
    concepts = []
    for c in look.subjects(skos("inScheme"), scheme):
        concepts.append({
            "anchor": _local(c.value), "item": look.item(c),
            "label": look.label(c),
            "alt": look.texts(c, skos("altLabel")),
            "definition": look.text(c, [skos("definition"), skos("scopeNote")]),
            "examples": look.texts(c, skos("example")),
            "broader": [look.item(b) for b in look.objects(c, skos("broader"))],
            "order": top.get(c, len(top)),
        })
    concepts.sort(key=lambda c: (c["order"], c["label"].lower()))
    base = resource_context(look, scheme)
    base.update(concepts=concepts)
    return base


def home_context(look: Lookup, backend) -> dict:
    cities = []
    for city in look.subjects(RDF_TYPE, IG_CITY):
        country = look.value(city, ox.NamedNode(IG + "country"))
        cities.append({"item": look.item(city),
                       "country": look.label(country) if country is not None else ""})
    cities.sort(key=lambda c: c["item"]["label"])
    return {"cities": cities, "schemes": schemes(look),
            "triples": backend.triples_count(),
            "graphs": len(backend.graphs()), "queries": backend.catalogue.list()}


def schemes(look: Lookup) -> list[dict]:
    out = []
    for s in look.subjects(RDF_TYPE, SKOS_CONCEPT_SCHEME):
        out.append({"item": look.item(s),
                    "count": len(look.subjects(_ns("skos", "inScheme"), s)),
                    "definition": look.text(s, [_ns("skos", "definition")])})
    out.sort(key=lambda s: s["item"]["label"].lower())
    return out
