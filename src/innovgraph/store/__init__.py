"""The embedded store: the project's graph in pyoxigraph, and what its queries answer.

`open_store` (in `build`) gives a `GraphStore` (in `graphstore`), whose queries answer a
`QueryResult` (in `result`).
"""

from .build import STORE_FORMAT, graph_iri, open_store
from .graphstore import GraphStore
from .result import QueryResult, from_answer

__all__ = ["GraphStore", "QueryResult", "STORE_FORMAT", "from_answer", "graph_iri", "open_store"]
