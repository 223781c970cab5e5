"""Ingest a city profile's text into a validated Turtle record.

    profile text --reader--> Profile --labels--> concepts --mapping--> Record --writer--> Turtle
    --validation.validate (with the rest of the graph)--> written atomically, or refused.

The library entry point is `ingest_profile` (`pipeline.py`); `innovgraph ingest` is a thin shell
over it, as `innovgraph new-city` is over `new_city` and `innovgraph ingest-sheet` over
`ingest_sheet` (a fact sheet, YAML: `sheets.py`, `sheet_mapping.py`, `sheet_render.py`); its report is rendered by
`innovgraph.render` (`render_ingest`). This module only gathers the names.
"""

from __future__ import annotations

from ..errors import ProfileError
from .mapping import COUNTRIES, EDITIONS, IngestOptions, build_record
from .pipeline import PROFILE_URL, IngestResult, default_out, ingest_profile, new_city
from .sheets import SheetOptions, SheetResult, ingest_sheet, read_sheet
from .writer import new_city_template, write_atomically

__all__ = ["IngestOptions", "IngestResult", "ingest_profile", "build_record", "default_out",
           "PROFILE_URL", "ProfileError", "new_city_template", "write_atomically", "EDITIONS",
           "new_city", "ingest_sheet", "read_sheet", "SheetOptions", "SheetResult"]
