"""SHACL validation of the project graph into plain, sortable result objects.

    report.py   what a validation produced: Severity, ValidationResult, ValidationReport
    engine.py   validate, validate_graph, validate_remote, data_sources
    chunks.py   chunked, incremental and cached validation over the store; run_pyshacl
    patches.py  what we change in rdflib and pyshacl while validating

pyshacl is imported on the first validation, not with this package.
"""

from .engine import data_sources, validate, validate_graph, validate_remote
from .report import Severity, ValidationReport, ValidationResult, render_path

__all__ = ["validate", "validate_graph", "validate_remote", "data_sources", "Severity",
           "ValidationReport", "ValidationResult", "render_path"]
