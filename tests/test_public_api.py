"""The public API (docs/architecture.md): every name of `innovgraph.__all__` imports, and each
function and class of it documents itself with a `>>>` example (run by the doctests) and,
for functions, the errors it raises (`:raises:`), as pyoxigraph documents its API."""

from __future__ import annotations

import inspect

import pytest

import innovgraph
from innovgraph.errors import InnovgraphError

# Kept for compatibility (README, earlier releases); not the API new code should learn.
COMPATIBILITY = {"load_graph", "parse_file", "subject_lines", "__version__", "FORMATS"}
API = [n for n in innovgraph.__all__ if n not in COMPATIBILITY and not (
    inspect.isclass(getattr(innovgraph, n)) and issubclass(getattr(innovgraph, n), InnovgraphError))]


def test_every_public_name_imports():
    assert [n for n in innovgraph.__all__ if not hasattr(innovgraph, n)] == []
    assert {"Project", "open_store", "run_saved_query", "validate", "run_qc", "reason",
            "ingest_profile", "open_backend", "load_remote", "render"} <= set(API)


@pytest.mark.parametrize("name", API)
def test_each_name_has_an_example(name):
    assert ">>>" in (inspect.getdoc(getattr(innovgraph, name)) or "")


@pytest.mark.parametrize("name", [n for n in API if inspect.isfunction(getattr(innovgraph, n))])
def test_each_function_says_what_it_raises(name):
    assert ":raises " in (inspect.getdoc(getattr(innovgraph, name)) or "")


def test_the_errors_share_one_base_class():
    errors = [getattr(innovgraph, n) for n in innovgraph.__all__
              if inspect.isclass(getattr(innovgraph, n)) and issubclass(getattr(innovgraph, n), Exception)]
    assert len(errors) >= 7 and all(issubclass(e, InnovgraphError) for e in errors)
