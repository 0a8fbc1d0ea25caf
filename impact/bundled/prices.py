"""Currency and price-basis conversion of USD losses.

Constant US dollars use the US GDP deflator (chained from WDI NY.GDP.DEFL.KD.ZG); local
currency uses the official period-average exchange rate (WDI PA.NUS.FCRF) of the event year,
and for constant local prices the country's own GDP deflator.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import polars as pl

from impact import format as fmt
from impact.bundled.indicators import lookup
from impact.bundled.io import read_bundled
from impact.errors import DataError, InputError

OFFICIAL_RATE_WARNING = {"IRN", "MMR", "VEN", "SYR", "LBN", "ARG", "NGA", "ETH", "SDN",
                         "ZWE", "PRK", "CUB"}


@functools.cache
def deflator_index(iso3: str) -> dict[int, float]:
    """GDP deflator index (2015 = 1) chained from annual % growth [ratio]."""
    rows = (read_bundled("indicators")
            .filter((pl.col("iso3") == iso3) & (pl.col("indicator") == "gdp_deflator_growth_pct"))
            .sort("year"))
    growth = dict(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))
    if 2015 not in growth and not growth:
        return {}
    index = {2015: 1.0}
    y = 2016
    while y in growth:
        index[y] = index[y - 1] * (1 + growth[y] / 100)
        y += 1
    y = 2015
    while y in growth and y - 1 >= min(growth):
        index[y - 1] = index[y] / (1 + growth[y] / 100)
        y -= 1
    return index


def _deflator(iso3: str, year: int) -> tuple[float, int]:
    index = deflator_index(iso3)
    if not index:
        raise DataError(f"no GDP deflator for {iso3}; constant prices unavailable")
    earlier = [y for y in index if y <= year]
    used = max(earlier) if earlier else min(index)
    return index[used], used


@dataclass(frozen=True)
class Conversion:
    factor: float
    currency: str
    price_basis: str
    price_year: int | None
    notes: tuple[str, ...]


#: an official rate older than this before the event year is not used [years]
MAX_RATE_AGE = 2


def conversion(iso3: str, year: int, currency: str, price_basis: str,
               price_year: int | None, currency_code: str) -> Conversion:
    """Factor turning current-USD losses of ``year`` into the requested currency and prices."""
    notes: list[str] = []
    factor = 1.0
    out_currency = "USD"
    if currency == "local":
        fx = lookup(iso3, "lcu_per_usd", year)
        if fx.year_used is not None and year - fx.year_used > MAX_RATE_AGE:
            raise InputError("currency", "local", f"USD for {iso3} in {year}: its latest "
                             f"official exchange rate is of {fx.year_used}, more than "
                             f"{MAX_RATE_AGE} years earlier (the currency may have been "
                             "redenominated since)")
        factor *= fx.value
        out_currency = currency_code.split(",")[0]  # the currency of account, e.g. VES
        if fx.note:
            notes.append(fx.note)
        if iso3 in OFFICIAL_RATE_WARNING:
            notes.append(f"official exchange rate of {fx.year_used}, {fmt.number(fx.value)} "
                         f"{out_currency} per USD, may differ widely from the market rate")
    if price_basis == "constant":
        base_iso3 = iso3 if currency == "local" else "USA"
        latest = max(deflator_index(base_iso3) or {year: 1})
        target = price_year if price_year is not None else latest
        if target > latest:
            raise InputError("price_year", target,
                             f"a year up to {latest}, the latest deflator year for {base_iso3}")
        d_event, y_event = _deflator(base_iso3, year)
        d_target, _ = _deflator(base_iso3, target)
        factor *= d_target / d_event
        label = "US" if base_iso3 == "USA" else base_iso3
        notes.append(f"constant {target} prices via the {label} GDP deflator "
                     f"(×{fmt.number(d_target / d_event)})")
        if y_event != year:
            notes.append(f"{label} GDP deflator of {y_event} used for {year}")
        return Conversion(factor, out_currency, "constant", target, tuple(notes))
    return Conversion(factor, out_currency, "current", None, tuple(notes))
