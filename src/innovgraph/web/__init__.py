"""The HTTP layer: `innovgraph serve` serves the graph as linked data.

A thin layer over the library (`store`, `catalogue`, `results`): a SPARQL 1.1 Protocol
endpoint, the Graph Store Protocol read side and dumps, dereferenceable IRIs with HTML pages,
saved queries as a REST API with an OpenAPI document, and a VoID/DCAT description.
`create_app` builds the application; tests and the CLI both use it.
"""

from ..errors import require_extra

require_extra("serve", "innovgraph serve")  # the web stack: one line, not an ImportError

from .app import create_app  # noqa: E402

__all__ = ["create_app"]
