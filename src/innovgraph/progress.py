"""Progress on a terminal: the one place the library writes to it.

A click progress bar on stderr when stderr is a terminal, nothing when it is piped or
redirected (so logs and tests see clean output). click is imported only when a bar is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A bar of `total` steps labelled `label`: yields its `update(n)`, or None when there is
    no terminal (or nothing to count), so callers write `if update: update(1)`.

    >>> with progress(10, "Counting") as update:
    ...     update is None  # the doctest's stderr is not a terminal
    True
    """
    if total <= 0 or not sys.stderr.isatty():
        yield None
        return
    import click

    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def notice(text: str) -> None:
    """Tell the person at the terminal something the library cannot return (a limit that
    changed what a query sees): one line on stderr, prefixed `innovgraph: `."""
    print(f"innovgraph: {text}", file=sys.stderr)
