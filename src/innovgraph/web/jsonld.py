"""JSON-LD people can use: the published ``@context`` and compaction with it (pyld).

The context (`CONTEXT_IRI`, served at ``/context.jsonld``, shipped as ontology/context.jsonld,
and carried inline by every document compacted with it) maps the prefixes the tool prints names with (`namespaces.DEFAULT_PREFIXES`: ig:, schema:,
city:, role:, ...) to their namespaces, so a compacted document reads as the Turtle and the
CLI do: ``"@type": "ig:City"``, ``"schema:name": "Moscow"``, ``"@id": "city:moscow-rus"``. It
defines prefixes only, no short terms, so every key keeps its vocabulary in sight and no value
changes its meaning with its type.

Compaction runs pyld with a document loader that knows the context and refuses every other
URL: nothing is ever fetched. Regenerate the shipped file with
``python -m innovgraph.web.jsonld`` (tests/test_web_jsonld.py checks it is current).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import DEFAULT_PREFIXES, RDF_NS, XSD_STRING
from ..render.results import serialize_triples

CONTEXT_IRI = "https://w3id.org/innovgraph/context.jsonld"
MEDIA_TYPE = "application/ld+json"
RDF_TYPE = RDF_NS + "type"


@functools.cache
def context() -> dict:
    """The published context document (``{"@context": {...}}``)."""
    return {"@context": dict(sorted(DEFAULT_PREFIXES.items()))}


def context_text() -> str:
    """The context as the shipped file and ``/context.jsonld`` have it."""
    return json.dumps(context(), indent=2, ensure_ascii=False) + "\n"


def document_loader(url: str, options=None) -> dict:
    """pyld's loader: the published context, and nothing else (no network, no files).

    :raises pyld.jsonld.JsonLdError: any other URL.
    """
    from pyld import jsonld

    if url == CONTEXT_IRI:
        return {"contextUrl": None, "documentUrl": url, "document": context(),
                "contentType": MEDIA_TYPE}
    raise jsonld.JsonLdError(f"Only {CONTEXT_IRI} is loaded here, not {url}.",
                             "jsonld.LoadDocumentError", code="loading document failed")


def compact(triples: list[ox.Triple]) -> dict:
    """`triples` as a JSON-LD document compacted with the published context; literals keep
    their lexical forms and datatypes.

    The document carries the context itself, not its IRI: a reader needs nothing else, and
    readers that cannot or will not fetch a context (pyoxigraph has no loader; rdflib would go
    to the network) read it as it is.

    >>> doc = compact([ox.Triple(ox.NamedNode("https://w3id.org/innovgraph/id/city/fictional-x"),
    ...     ox.NamedNode("https://schema.org/name"), ox.Literal("X (fictional)"))])
    >>> doc["@id"], doc["schema:name"], doc["@context"] == context()["@context"]
    ('city:fictional-x', 'X (fictional)', True)
    """
    from pyld import jsonld

    doc = jsonld.compact(expanded(triples), CONTEXT_IRI, {"documentLoader": document_loader})
    return {"@context": context()["@context"], **{k: v for k, v in doc.items()
                                                   if k != "@context"}}


def expanded(triples: list[ox.Triple]) -> list[dict]:
    """`triples` in JSON-LD's expanded form, as the JSON-LD API's RDF-to-object conversion
    gives it (rdf:type as ``@type``, literals as value objects), in linear time: pyld's own
    `from_rdf` takes some 30 s for the 5,700 triples of the shipped graph."""
    nodes: dict[str, dict] = {}
    for t in triples:
        node = nodes.setdefault(_id(t.subject), {"@id": _id(t.subject)})
        if t.predicate.value == RDF_TYPE and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(_id(t.object))
        else:
            node.setdefault(t.predicate.value, []).append(_value(t.object))
    return list(nodes.values())


def _id(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _value(term) -> dict:
    if not isinstance(term, ox.Literal):
        return {"@id": _id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": term.datatype.value}


def graph_body(triples: list[ox.Triple], fmt_key: str) -> bytes:
    """A graph as the server sends it: JSON-LD compacted (`compact`), the other formats as
    `render.results.serialize_triples` writes them."""
    if fmt_key != "jsonld":
        return serialize_triples(triples, fmt_key)
    return (json.dumps(compact(triples), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def script_json(triples: list[ox.Triple]) -> str:
    """The compacted document for a ``<script type="application/ld+json">`` element: no
    ``<``, ``>`` or ``&`` left that an HTML parser could read (they are JSON escapes)."""
    text = json.dumps(compact(triples), indent=1, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def shipped_path(root: Path) -> Path:
    return root / "ontology" / "context.jsonld"


if __name__ == "__main__":  # python -m innovgraph.web.jsonld: write the shipped context
    from ..project import Project

    shipped_path(Project().root).write_text(context_text(), encoding="utf-8")
