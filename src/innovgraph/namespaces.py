"""Every IRI and prefix the project names, and the IRI-minting rules of docs/model.md.

One table of prefixes: `PREFIXES` (the vocabularies, for Turtle output and the SPARQL the
library writes), extended by a prefix per vocabulary scheme (`SCHEME_PREFIXES`) and per kind of
data IRI (`DATA_KINDS`) into `DEFAULT_PREFIXES`, the names people read and type (display and
ad-hoc queries). The rdflib namespaces of the project's own vocabularies (`IG`, `IGV`, `ID`,
`IGSH`) are views of it.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import OWL, RDFS, XSD, Namespace, URIRef

# Prefixes for compact display of IRIs (tables, markdown), for Turtle output and for the
# SPARQL the library writes.
PREFIXES = {
    "ig": "https://w3id.org/innovgraph/ontology#",
    "igv": "https://w3id.org/innovgraph/vocab/",
    "id": "https://w3id.org/innovgraph/id/",
    "igsh": "https://w3id.org/innovgraph/shapes#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "qb": "http://purl.org/linked-data/cube#",
}
# Turtle output (query results, served graphs): id: and igv: names contain '/', which Turtle
# must escape (id:city\/x), so full IRIs read better; igsh: terms are never in the data.
TURTLE_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("id", "igv", "igsh")}

# One prefix per vocabulary scheme (igv:<scheme>/<slug> is <prefix>:<slug>), as the records
# write them; `innovgraph ingest` writes the same.
SCHEME_PREFIXES = {
    "policy-area": "area", "innovation-role": "role", "innovation-activity": "act", "goal": "goal",
    "success-factor": "csf", "approach": "appr", "innovation-term": "term", "funding-source": "fsrc",
    "funded-activity": "fact", "partner-type": "ptype", "data-partner-type": "dptype",
    "data-availability-level": "level", "survey-edition": "edition", "profile-section": "section",
    "organisation-placement": "place", "indicator": "ind", "world-region": "region",
    "place-match": "match",
}
# One prefix per kind of data IRI whose slug has no '/' (id:city/<slug> is city:<slug>); deeper
# data IRIs (id:city/<slug>/response/2020) are printed in full: see `DEFAULT_PREFIXES`.
DATA_KINDS = ("city", "person", "country", "record", "statistic", "ranking", "survey")
# Vocabularies the graph's descriptions and reports use besides PREFIXES.
WELL_KNOWN_PREFIXES = {
    "sh": "http://www.w3.org/ns/shacl#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "vann": "http://purl.org/vocab/vann/",
}
# The prefixes every query may use without declaring them (the CLI, /sparql, the library; a
# query's own PREFIX wins), and the only ones names are printed with (`terms.show`), so that
# every name the tool prints can be pasted back into a query.
DEFAULT_PREFIXES = {
    **PREFIXES, **WELL_KNOWN_PREFIXES,
    **{prefix: f"{PREFIXES['igv']}{scheme}/" for scheme, prefix in SCHEME_PREFIXES.items()},
    **{kind: f"{PREFIXES['id']}{kind}/" for kind in DATA_KINDS},
}

IG = Namespace(PREFIXES["ig"])
IGV = Namespace(PREFIXES["igv"])
ID = Namespace(PREFIXES["id"])
IGSH = Namespace(PREFIXES["igsh"])
# The project's own namespaces, as rdflib binds them on the graphs it builds.
OWN_NAMESPACES = {"ig": IG, "igv": IGV, "id": ID, "igsh": IGSH}

# Named graphs: one per source file under GRAPH_BASE (innovgraph.store.graph_iri), the OWL 2 RL
# inferences in INFERRED_GRAPH, and the graph a remote store holds the project in by default.
GRAPH_BASE = "https://w3id.org/innovgraph/graph/"
INFERRED_GRAPH = "https://w3id.org/innovgraph/graph/inferred"
DEFAULT_GRAPH = "https://w3id.org/innovgraph/graph"

RDF_NS = PREFIXES["rdf"]
XSD_STRING = PREFIXES["xsd"] + "string"
RDF_LANG_STRING = RDF_NS + "langString"

# https://www.w3.org/TR/owl2-syntax/#Datatype_Maps
OWL2_DATATYPES = frozenset(
    [URIRef(str(XSD) + n) for n in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float "
        "string normalizedString token language Name NCName NMTOKEN boolean hexBinary "
        "base64Binary anyURI dateTime dateTimeStamp").split()]
    + [RDFS.Literal, OWL.real, OWL.rational, URIRef(RDF_NS + "PlainLiteral"),
       URIRef(RDF_NS + "XMLLiteral"), URIRef(RDF_NS + "langString")]
)
# Annotation properties built into OWL 2 (besides those a graph declares).
BUILTIN_ANNOTATIONS = frozenset([RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy,
                                 OWL.versionInfo, OWL.deprecated, OWL.priorVersion,
                                 OWL.backwardCompatibleWith, OWL.incompatibleWith])

_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Latin letters that NFKD does not decompose; without this "Łódź" would lose its first letter.
_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                           "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "þ": "th"})


def slugify(label: str) -> str:
    """Turn a printed label into the slug used in concept and data IRIs.

    >>> slugify("Sociologist / Political Scientist")
    'sociologist-political-scientist'
    >>> slugify("Research & Development")
    'research-and-development'
    >>> slugify("  São Paulo (BRA) ")
    'sao-paulo-bra'
    >>> slugify("Łódź—Straße’s café")
    'lodz-strasse-s-cafe'
    >>> slugify("---")
    ''
    """
    # NFKD splits accented letters into base + combining mark; dropping the marks keeps the base.
    # Any other non-ASCII character (dashes, curly quotes) then counts as a separator rather than
    # vanishing, so "a—b" gives "a-b", not "ab".
    decomposed = unicodedata.normalize("NFKD", label.translate(_TRANSLIT))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = folded.lower().replace("&", " and ")
    return _NON_SLUG.sub("-", lowered).strip("-")
