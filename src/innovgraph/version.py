"""The installed version of innovgraph (as datasette/version.py): the shells import it from
here, not from the package face."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("innovgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
