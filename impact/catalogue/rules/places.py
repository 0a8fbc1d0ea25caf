"""An area's text placed in its country: the admin-1 region(s) it names and the share of
their people it covers, by the catalogue's matcher (`impact.bundled.areas`).

Rules: a nationwide text is the whole country; a blank text is the whole country, or the
catalogue's share for a local geographic scope; a matched place below admin-1 (a district,
a city) is costed in its admin-1 region at the place's share of that region's people; a text
that only qualifies a region ("parts of X") is that region at the matcher's share; Somaliland
(in Somalia's rows) is its own regions (`SOMALILAND_REGIONS`); a place with no admin-1
parent is the whole country at its share.
"""

from __future__ import annotations

from typing import Any

from impact.bundled.areas import GEO_SCOPE_SHARES, event_share, is_nationwide
from impact.bundled.areas import default_index as area_index
from impact.bundled.regions import ADMIN1_KINDS, region_names
from impact.catalogue.rules.rows import GEO_SCOPE

#: the regions Somaliland administers (Somalia's admin-1 names in ``regions.csv``)
SOMALILAND_REGIONS = ("Awdal", "Woqooyi Galbeed", "Togdheer", "Sanaag", "Sool")


def area_region(iso3: str, area: str, geo_scope: str, year: int, *, somaliland: bool = False,
                index: Any = None) -> tuple[str | None, float | None, str]:
    """``(region, affected_share, case)`` of an area text (the rules above).

    ``region`` is ``;``-joined admin-1 names or None (the whole country); ``affected_share``
    [0-1] the share of the region's (or country's) people in the area, None for all of
    them; ``case`` names the rule used (for the notes).
    """
    idx = index or area_index()
    text = " ".join((area or "").split())
    scope = GEO_SCOPE.get(" ".join((geo_scope or "").split()), "unknown")
    if is_nationwide(text):
        return None, None, "nationwide"
    if not text and not somaliland:
        if scope in ("one_city", "cities_one_region"):
            return None, GEO_SCOPE_SHARES[scope].share, "blank, local geo_scope"
        return None, None, "blank"
    share, _, _, method, _, _ = event_share(iso3, text, scope, False, year, index=idx)
    match = idx.match(iso3, text, year)
    admin1 = {u.name: u for u in idx.units(iso3) if u.kind in ADMIN1_KINDS}
    if method in ("regions_matched", "cities_matched"):
        units, case = match.units, "matched"
    elif match.qualifiers:
        units, case = match.qualifiers, "region only"
    elif somaliland:
        units, case = [admin1[n] for n in SOMALILAND_REGIONS if n in admin1], "somaliland"
        share = sum(idx.unit_share(u, year) or 0.0 for u in units)
    else:
        return None, share, "not found"
    names = {u.name if u.kind in ADMIN1_KINDS else (u.parent or "") for u in units}
    if not names <= set(admin1):
        return None, share, "no admin-1"
    region_pop = sum(idx.unit_share(admin1[n], year) or 0.0 for n in names)
    within = min(1.0, share / region_pop) if region_pop > 0 else None
    if within is not None and within > 0.999:
        within = None
    if case == "matched" and within is not None:
        case = "below admin-1"
    order = region_names(iso3, index=idx)
    return ";".join(n for n in order if n in names), within, case
