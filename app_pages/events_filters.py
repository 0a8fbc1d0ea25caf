"""The Past events page's choices as one object: `EventFilters` (which events, and how they
are costed and shown), its widget keys, labels and defaults, and how it is built from the
widgets' values.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from app_pages.events_view import NORMALISATIONS
from impact.vocab import SCOPE_TITLES

NORMALISATION_LABELS = {"total": "Total", "per_day": "Per day", "per_capita": "Per capita",
                        "share_of_gdp": "% of annual GDP"}
#: platform-block cap choice -> label
CAP_LABELS = {"capped": "First 365 days (Top10VPN's convention)",
              "uncapped": "Full duration"}
#: open-ended choice -> label
OPEN_ENDED_LABELS = {"known": "What the source states (first day)",
                     "to_snapshot": "Ongoing ones run to the data snapshot"}
#: widget keys of the Past events page (kept in session state across pages)
EVENTS_KEYS = ("ev_countries", "ev_years", "ev_types", "ev_platform", "ev_election",
               "ev_search", "ev_method", "ev_norm", "ev_variant", "ev_open_ended", "ev_top_n",
               "ev_compare")
ANY_PLATFORM = "any"


@dataclass(frozen=True)
class EventFilters:
    """Which catalogue events the Past events page shows and how: the filters (countries as
    ISO3 codes, the active years, event types, a platform, election-related only, search
    words, the digest of the user's own events file) and the display choices (method,
    normalisation, platform-block cap, open-ended events). Hashable: the caches key on it."""

    countries: tuple[str, ...] = ()
    years: tuple[int, int] = (2024, 2024)  #: first and last active year [year]
    types: tuple[str, ...] = ()
    platform: str | None = None
    election: bool | None = None
    search: str | None = None
    yours: str | None = None  #: SHA-256 of the user's events file, None for none
    method: str = "ensemble"
    normalisation: str = "total"
    cap: str = "capped"
    open_ended: str = "known"

    @property
    def variant(self) -> str:
        """The `impact.catalogue.events.VARIANTS` label of the cap and open-ended choices."""
        return variant_label(self.cap, self.open_ended)

    def selection(self) -> EventFilters:
        """These filters with the display choices at their defaults: the key of the events
        they select (the same for every method and normalisation)."""
        return EventFilters(self.countries, self.years, self.types, self.platform,
                            self.election, self.search, self.yours)

    def costing(self) -> EventFilters:
        """These filters with the normalisation at its default: the key of their estimates
        (a normalisation only re-ranks them)."""
        return dataclasses.replace(self, normalisation="total")


def filters_key(filters: EventFilters) -> str:
    """A cache key of ``filters`` (its fields, in order)."""
    return repr(filters)


#: `st.cache_data` / `st.cache_resource` hash functions of the page's arguments
FILTERS_HASH = {EventFilters: filters_key}


def variant_label(cap: str, open_ended: str) -> str:
    """The `impact.catalogue.events.VARIANTS` label of the page's two choices.

    >>> variant_label("capped", "known"), variant_label("uncapped", "to_snapshot")
    ('capped', 'to_snapshot_uncapped')
    """
    return cap if open_ended == "known" else f"to_snapshot_{cap}"


def default_years(events: pl.DataFrame, n_years: int = 2) -> tuple[int, int]:
    """The last ``n_years`` start years of the catalogue ``events`` (its last year twice
    when it has one year only; 2024 for an empty catalogue) [year].

    >>> import datetime as dt
    >>> default_years(pl.DataFrame({"start": [dt.date(2016, 5, 1), dt.date(2025, 1, 1)]}))
    (2024, 2025)
    >>> default_years(pl.DataFrame({"start": [dt.date(2025, 3, 1)]}))
    (2025, 2025)
    """
    years = events["start"].drop_nulls().dt.year()
    if years.is_empty():
        return 2024, 2024
    first, last = int(years.min()), int(years.max())
    return max(first, last - n_years + 1), last


def events_defaults(events: pl.DataFrame) -> dict[str, Any]:
    """Initial widget values of the Past events page for the catalogue ``events``.

    The catalogue's last two years (`default_years`); Pakistan's events when the catalogue
    has any in those years (a small, fast selection), else every country.

    >>> import datetime as dt
    >>> cat = pl.DataFrame({"iso3": ["PAK", "IND"], "start": [dt.date(2024, 2, 8),
    ...                                                       dt.date(2025, 1, 1)]})
    >>> d = events_defaults(cat)
    >>> d["ev_countries"], d["ev_years"]
    (['PAK'], (2024, 2025))
    """
    span = default_years(events)
    years = events["start"].dt.year()
    pak = events.filter((pl.col("iso3") == "PAK") & years.is_between(*span))
    countries = ["PAK"] if pak.height else []
    return {"ev_countries": countries, "ev_years": span, "ev_types": [],
            "ev_platform": ANY_PLATFORM, "ev_election": False, "ev_search": "",
            "ev_method": "ensemble", "ev_norm": "total", "ev_variant": "capped",
            "ev_open_ended": "known", "ev_top_n": 10, "ev_compare": []}


def filters_from_state(s: Mapping[str, Any], yours: str | None = None) -> EventFilters:
    """`EventFilters` of the page's widget values ``s`` (session state) and the digest of
    the user's events file in use (``yours``).

    >>> import datetime as dt
    >>> s = events_defaults(pl.DataFrame({"iso3": ["PAK"], "start": [dt.date(2024, 2, 8)]}))
    >>> f = filters_from_state(s | {"ev_types": ["platforms", "full"], "ev_search": " x "})
    >>> f.types, f.search, f.platform, f.variant
    (('full', 'platforms'), 'x', None, 'capped')
    """
    norm = s["ev_norm"] if s["ev_norm"] in NORMALISATIONS else "total"
    return EventFilters(
        countries=tuple(s["ev_countries"]),
        years=tuple(int(y) for y in s["ev_years"]),
        types=tuple(t for t in SCOPE_TITLES if t in s["ev_types"]),
        platform=None if s["ev_platform"] == ANY_PLATFORM else s["ev_platform"],
        election=True if s["ev_election"] else None,
        search=(s["ev_search"] or "").strip() or None,
        yours=yours, method=s["ev_method"], normalisation=norm, cap=s["ev_variant"],
        open_ended=s["ev_open_ended"])
