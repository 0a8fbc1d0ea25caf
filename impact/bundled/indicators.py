"""Indicator lookups with an explicit, recorded fallback to the nearest earlier year.

Missing values are never silent: every lookup returns the year actually used and, when it is
not the year asked for, a note such as ``"GDP (current USD) of 2021 used for 2024 (PAK)"``.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import polars as pl

from impact.bundled.io import read_bundled
from impact.errors import BundledDataError, DataError

LABELS = {
    "gdp_usd": "GDP (current USD)",
    "gdp_const2015_usd": "GDP (constant 2015 USD)",
    "gdp_per_capita_usd": "GDP per head (current USD)",
    "population": "population",
    "internet_users_pct": "internet users (% of population)",
    "internet_users_pct_2024vintage": "internet users (% of population, WDI 2024-11 vintage)",
    "mobile_subs_per100": "mobile subscriptions per 100",
    "fixed_broadband_per100": "fixed broadband per 100",
    "mobile_broadband_per100": "mobile broadband per 100 (ITU)",
    "lcu_per_usd": "official exchange rate (LCU per USD)",
}


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator value with the year it comes from and a note when it is a fallback."""

    indicator: str
    iso3: str
    year_asked: int
    year_used: int
    value: float
    source: str

    @property
    def note(self) -> str | None:
        """``"GDP (current USD) of 2024 used for 2025 (PAK)"`` for a fallback, else None."""
        if self.year_used == self.year_asked:
            return None
        label = LABELS.get(self.indicator, self.indicator)
        return f"{label} of {self.year_used} used for {self.year_asked} ({self.iso3})"


@functools.cache
def _table() -> tuple[dict[str, tuple[int, int]], dict[str, list]]:
    """The indicator table sorted by country, indicator and year, as column lists, with each
    country's row range; read once per process."""
    frame = read_bundled("indicators").sort("iso3", "indicator", "year")
    first = (pl.col("iso3") != pl.col("iso3").shift()).fill_null(True)
    starts = frame.select(first.arg_true())["iso3"].to_list()
    columns = {c: frame[c].to_list() for c in ("iso3", "indicator", "year", "value", "source")}
    ends = [*starts[1:], frame.height]
    return {columns["iso3"][a]: (a, b) for a, b in zip(starts, ends, strict=True)}, columns


@functools.cache
def _country(iso3: str) -> dict[str, tuple[tuple[int, ...], tuple[float, ...], str]]:
    """indicator -> (years ascending, values, source) of one country, built on first use."""
    ranges, columns = _table()
    if iso3 not in ranges:
        return {}
    a, b = ranges[iso3]
    names, years = columns["indicator"], columns["year"]
    values, sources = columns["value"], columns["source"]
    out, start = {}, a
    for i in range(a + 1, b + 1):
        if i == b or names[i] != names[start]:
            out[names[start]] = (tuple(years[start:i]), tuple(values[start:i]), sources[start])
            start = i
    return out


def _series_of(iso3: str, indicator: str):
    return _country(iso3).get(indicator)


@functools.lru_cache(maxsize=65_536)  # values are immutable; a batch asks the same ones often
def lookup(iso3: str, indicator: str, year: int, *, allow_later: bool = True) -> IndicatorValue:
    """Value of ``indicator`` for ``iso3`` in ``year``, else the nearest earlier year.

    If no earlier year exists and ``allow_later`` is true, the nearest later year is used
    (recorded in the note). Raises `DataError` when the country has no value at all.
    """
    series = _series_of(iso3, indicator)
    if series is None:
        raise DataError(
            f"no {LABELS.get(indicator, indicator)} data for {iso3} in the bundled World Bank/ITU "
            "tables; this country cannot be estimated with the methods that need it"
        )
    years, values, source = series
    i = bisect.bisect_right(years, year) - 1  # the nearest year at or before ``year``
    if i < 0 and allow_later:
        i = 0
    elif i < 0:
        raise DataError(f"no {LABELS.get(indicator, indicator)} for {iso3} in or before {year}")
    return IndicatorValue(indicator, iso3, year, years[i], float(values[i]), source)


def lookup_optional(iso3: str, indicator: str, year: int) -> IndicatorValue | None:
    try:
        return lookup(iso3, indicator, year)
    except BundledDataError:  # a broken bundled file, not a missing value
        raise
    except DataError:
        return None


@functools.lru_cache(maxsize=65_536)
def internet_users_pct(iso3: str, year: int) -> IndicatorValue:
    """Internet users % of population: current WDI vintage first; the 2024-11 vintage only
    when it holds a more recent year at or before ``year`` (an explicit, noted fallback)."""
    current = lookup_optional(iso3, "internet_users_pct", year)
    older = lookup_optional(iso3, "internet_users_pct_2024vintage", year)
    candidates = [c for c in (current, older) if c is not None]
    if not candidates:
        raise DataError(f"no internet-users data for {iso3}")

    def preference(c: IndicatorValue) -> tuple[bool, int, bool]:
        on_or_before = c.year_used <= year
        closeness = c.year_used if on_or_before else -c.year_used
        return (on_or_before, closeness, c.indicator == "internet_users_pct")

    return max(candidates, key=preference)


@dataclass(frozen=True)
class Users:
    """Internet users of a country-year [people] and how they were obtained."""

    value: float
    detail: str
    notes: tuple[str, ...]


def internet_users(iso3: str, year: int) -> Users:
    """Internet users = population × internet users % / 100 [people]."""
    pop = lookup(iso3, "population", year)
    pct = internet_users_pct(iso3, year)
    notes = tuple(n for n in (pop.note, pct.note) if n)
    detail = (f"population {pop.value:,.0f} ({pop.year_used}) × internet users "
              f"{pct.value:.1f} % ({pct.year_used}, {pct.source})")
    return Users(pop.value * pct.value / 100.0, detail, notes)


def latest_year(iso3: str, indicator: str = "gdp_usd") -> int:
    """Latest year with data for ``indicator`` (default GDP) for a country."""
    series = _series_of(iso3, indicator)
    if series is None:
        raise DataError(f"no {LABELS.get(indicator, indicator)} data for {iso3}")
    return series[0][-1]


def indicator_frame() -> pl.DataFrame:
    return read_bundled("indicators")
