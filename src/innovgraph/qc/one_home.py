"""The built-in `one-home` check: every triple is stated in one file only.

The default graph of the store (and of Virtuoso, and of any SPARQL 1.1 store that merges named
graphs as a bag) repeats a triple once per file that states it, so a triple stated in two files
makes counts over the default graph wrong (`COUNT(*)`, cities per country). What several
records share (countries, source pages) has one home file; this check finds any triple that
has two. It reads files, which a SPARQL check over a merged graph cannot tell apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ..project import Project
from ..sources import read_triples
from ..terms import show


def check(files: Sequence[Path], project: Project) -> Iterator[tuple[str, str, str]]:
    """(entity, property, value) of every triple stated in more than one of `files`; the value
    names the files, in the order given.

    :raises RecordSyntaxError: a file is not valid Turtle.
    """
    homes: dict = {}
    for path, triples in read_triples(files, project=project):
        for triple in triples:
            homes.setdefault(triple, []).append(project.relative(path))
    for triple, where in homes.items():
        if len(where) > 1:
            yield (show(triple.subject), show(triple.predicate),
                   f"{show(triple.object, turtle=True)} (stated in {', '.join(dict.fromkeys(where))})")
