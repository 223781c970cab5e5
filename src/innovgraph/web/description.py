"""What the server says about itself: the SPARQL service description
(https://www.w3.org/TR/sparql11-service-description/, answered by /sparql without a query, as
Oxigraph's service_description.rs) and the VoID (https://www.w3.org/TR/void/) and DCAT 3
(https://www.w3.org/TR/vocab-dcat-3/) description of the dataset at /.well-known/void (the
well-known location VoID defines).

One node is both void:Dataset and dcat:Dataset; each dump is a dcat:Distribution (and a
void:dataDump); the SPARQL endpoint and the saved-query API are dcat:DataServices.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH, XSD
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..namespaces import DEFAULT_PREFIXES, PREFIXES
from .common import backend_of, choose_format, route_url, site_url
from .gsp import DUMPS
from .negotiation import GRAPH_FORMATS

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
IG = Namespace(PREFIXES["ig"])
SKOS = Namespace(PREFIXES["skos"])

# Vocabularies the data uses (void:vocabulary), besides its own ontology.
VOCABULARIES = ["ig", "skos", "dcterms", "prov", "org", "schema", "foaf", "rdfs", "owl"]
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def endpoint_url(request: Request) -> str:
    return route_url(request, "sparql")


GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_sizes(backend) -> dict[str, int]:
    """Triples per named graph, computed once per store state."""
    return backend.memo("graph_sizes", lambda: sizes_of(backend.run_sync(GRAPH_SIZES).rows))


def sizes_of(rows) -> dict[str, int]:
    """The rows of `GRAPH_SIZES` as {graph IRI: triples}."""
    return {g.value: int(n.value) for g, n in rows}


def service_description(request: Request, backend) -> Graph:
    """An sd:Service (https://www.w3.org/TR/sparql11-service-description/) for this endpoint."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint_url(request))
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if backend.writable:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    # The prefixes a query may use undeclared, as SHACL declares prefixes (sh:declare).
    for prefix, namespace in DEFAULT_PREFIXES.items():
        declaration = BNode()
        g.add((service, SH.declare, declaration))
        g.add((declaration, SH.prefix, Literal(prefix)))
        g.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    total = backend.triples_count()
    g.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    for iri, size in sorted(graph_sizes(backend).items()):
        named, inner = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(size, datatype=XSD.integer)))
    return g


def describe(request: Request, backend) -> Graph:
    """The VoID and DCAT description of the dataset, its dumps and its services."""
    base = site_url(request).rstrip("/")
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF),
                       ("sd", SD)):
        g.bind(prefix, ns)
    dataset = URIRef(base + "/.well-known/void#innovgraph")
    describe_dataset(g, dataset, lambda sparql: backend.run_sync(sparql).rows,
                     total=backend.triples_count(), sizes=graph_sizes(backend),
                     homepage=base + "/")

    endpoint = URIRef(base + "/sparql")
    g.add((dataset, VOID.sparqlEndpoint, endpoint))
    service = URIRef(base + "/sparql#service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, RDF.type, SD.Service))
    g.add((service, DCTERMS.title, Literal("innovgraph SPARQL endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((dataset, DCAT.distribution, _distribution(g, base, "sparql", service)))
    api = URIRef(base + "/api/queries#service")
    g.add((api, RDF.type, DCAT.DataService))
    g.add((api, DCTERMS.title, Literal("innovgraph saved-query API", lang="en")))
    g.add((api, DCAT.endpointURL, URIRef(base + "/api/queries")))
    g.add((api, DCAT.endpointDescription, URIRef(base + "/api/openapi.json")))
    g.add((api, DCTERMS.conformsTo, URIRef("https://spec.openapis.org/oas/v3.1.0")))
    g.add((api, DCAT.servesDataset, dataset))

    for ext, fmt in DUMPS.items():
        url = URIRef(f"{base}/dump.{ext}")
        g.add((dataset, VOID.dataDump, url))
        dist = URIRef(f"{base}/dump.{ext}#distribution")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"innovgraph dump ({fmt.key})", lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.mediaType,
               URIRef("https://www.iana.org/assignments/media-types/"
                      + fmt.media_type.split(";")[0])))
        g.add((dist, DCTERMS.license, LICENCE))
    return g


def describe_dataset(g: Graph, dataset: URIRef, rows, *, total: int, sizes: dict[str, int],
                     homepage: str) -> None:
    """The dataset node that the server's description and a release's (`innovgraph.release`)
    share: title, licence, source, counts, partitions, vocabularies and one void:subset per
    named graph. `rows(sparql)` answers a SELECT as a list of rows of pyoxigraph terms."""
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal("innovgraph", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(
        "The open knowledge graph of how city governments build innovation capacity, from the "
        "city profiles of the OECD / Bloomberg Philanthropies Survey on Innovation Capacity in "
        "Cities (2018 and 2020 editions).", lang="en")))
    g.add((dataset, DCTERMS.license, LICENCE))
    g.add((dataset, DCTERMS.source, URIRef("https://cities-innovation-oecd.com/")))
    g.add((dataset, FOAF.homepage, URIRef(homepage)))
    g.add((dataset, VOID.uriSpace, Literal("https://w3id.org/innovgraph/id/")))
    g.add((dataset, VOID.uriRegexPattern, Literal("^https://w3id\\.org/innovgraph/")))
    g.add((dataset, VOID.triples, Literal(total, datatype=XSD.integer)))
    for name, cls in (("cities", IG.City), ("concepts", SKOS.Concept)):
        partition = BNode()
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))
        count = rows(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}")[0][0]
        g.add((partition, VOID.entities, Literal(int(count.value), datatype=XSD.integer)))
    g.add((dataset, VOID.exampleResource, URIRef("https://w3id.org/innovgraph/id/city/moscow-rus")))
    g.add((dataset, VOID.rootResource, URIRef("https://w3id.org/innovgraph/ontology")))
    for prefix in VOCABULARIES:
        g.add((dataset, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    # Our own vocabularies (SKOS schemes) and ontology, as dcterms:conformsTo targets.
    g.add((dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/innovgraph/ontology")))
    for row in rows(
            "SELECT DISTINCT ?s WHERE { ?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme> }"
            " ORDER BY ?s"):
        g.add((dataset, VOID.vocabulary, URIRef(row[0].value)))
    for graph, size in sorted(sizes.items()):
        subset = URIRef(graph)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))


def _distribution(g: Graph, base: str, name: str, service: URIRef) -> URIRef:
    dist = URIRef(f"{base}/{name}#distribution")
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, URIRef(f"{base}/{name}")))
    g.add((dist, DCAT.accessService, service))
    g.add((dist, DCTERMS.license, LICENCE))
    return dist


async def void_description(request: Request) -> Response:
    backend = backend_of(request)
    fmt = choose_format(request, GRAPH_FORMATS)
    graph = await backend.call(lambda: describe(request, backend))
    body = graph.serialize(format=_RDFLIB_FORMATS[fmt.key], encoding="utf-8")
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


routes = [Route("/.well-known/void", void_description, methods=["GET"], name="void")]
