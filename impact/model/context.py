"""Resolve a scenario against the bundled data: every input a method needs, with its year,
source and fallback note. Pure lookups; no estimation happens here."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import polars as pl

from impact import format as fmt
from impact.bundled.countries import country_name
from impact.bundled.indicators import (
    IndicatorValue,
    Users,
    internet_users,
    internet_users_pct,
    lookup,
    lookup_optional,
)
from impact.bundled.io import read_bundled
from impact.bundled.regions import region_share
from impact.errors import BundledDataError, DataError
from impact.model.parameters import hour_weights

REFERENCE_DEFINITION = "internet/narrow digital economy (imputed where not published)"


@dataclass(frozen=True)
class DigitalShare:
    """Digital-economy share of GDP [0-1] with its 90 % range and provenance."""

    central: float
    low: float
    high: float
    basis: str  # published | imputed | bcg_2016_projection
    definition: str
    year_used: int
    source: str


@functools.cache
def _digital_share_index() -> tuple[dict[str, tuple[list[int], int]], dict[str, list]]:
    """(iso3 -> (years ascending, first row), columns as lists), built once per process."""
    frame = read_bundled("digital_share").sort("iso3", "year")
    columns = {c: frame[c].to_list() for c in frame.columns}
    index: dict[str, tuple[list[int], int]] = {}
    for row, (iso3, year) in enumerate(zip(columns["iso3"], columns["year"], strict=True)):
        index.setdefault(iso3, ([], row))[0].append(year)
    return index, columns


_SHARE_SOURCES = {
    "published": "published anchor (data/digital_share_anchors.csv)",
    "imputed": "statsmodels OLS imputation on ICT indicators, 90 % prediction interval "
               "(data/digital_share.csv)",
}


@functools.lru_cache(maxsize=65_536)
def digital_share(iso3: str, year: int) -> tuple[DigitalShare, str | None]:
    """Imputed or published digital share for a country-year (nearest earlier year if the
    year is beyond the table), plus a fallback note."""
    index, columns = _digital_share_index()
    entry = index.get(iso3)
    if entry is None:
        raise DataError(f"no digital-economy share for {iso3}: its ICT indicators are missing "
                        "from the bundled data, so the share cannot be imputed")
    years, first = entry
    row = first + max(bisect.bisect_right(years, year) - 1, 0)
    r = {c: values[row] for c, values in columns.items()}
    note = None if r["year"] == year else (
        f"digital-economy share of {r['year']} used for {year} ({iso3})")
    source = _SHARE_SOURCES["published" if r["basis"] == "published" else "imputed"]
    return DigitalShare(r["share_central"], r["share_low"], r["share_high"], r["basis"],
                        r["definition"], r["year"], source), note


@functools.cache
def _bcg_2016() -> dict[str, float]:
    anchors = read_bundled("digital_share_anchors")
    rows = anchors.filter((pl.col("definition") == "internet_economy_bcg")
                          & (pl.col("year") == 2016))
    return dict(zip(rows["iso3"].to_list(), rows["share"].to_list(), strict=True))


def bcg_2016_share(iso3: str) -> float | None:
    """BCG's 2016 projection of the internet economy's share of GDP [0-1], if published."""
    return _bcg_2016().get(iso3)


def mobile_access_share(iso3: str, year: int) -> tuple[float, str, tuple[str, ...]]:
    """Share of internet access that is mobile [0-1]: mobile broadband / (mobile + fixed
    broadband) subscriptions per 100. A proxy for traffic share, documented as such."""
    fixed = lookup_optional(iso3, "fixed_broadband_per100", year)
    mobile = lookup_optional(iso3, "mobile_broadband_per100", year)
    if mobile is None:
        mobile = lookup_optional(iso3, "mobile_subs_per100", year)
    if mobile is None:
        raise DataError(f"no mobile subscription data for {iso3}; a mobile-only scenario "
                        "cannot be scoped")
    fixed_value = fixed.value if fixed is not None else 0.0
    share = mobile.value / (mobile.value + fixed_value) if mobile.value + fixed_value > 0 else 1.0
    notes = tuple(n for n in (mobile.note, fixed.note if fixed else None) if n)
    if fixed is None:
        notes += ((f"no fixed-broadband data for {iso3}: all internet access taken as "
                   "mobile (mobile share 100 %)"),)
    detail = (f"{mobile.value:.1f} mobile ({mobile.source}, {mobile.year_used}) vs "
              f"{fixed_value:.1f} fixed broadband per 100 "
              f"({fixed.year_used if fixed else 'n/a'})")
    return float(share), detail, notes


def time_weight(start: datetime, hours: float) -> float:
    """Mean hour-of-day × weekday activity weight over the outage (1 = an average hour).

    The weekly profile is a step function of the hour; its exact integral over the outage is
    divided by the duration, so the weighted duration grows monotonically with ``hours``.
    """
    weights = hour_weights()
    cumulative = np.concatenate([[0.0], np.cumsum(weights)])

    def integral(t: float) -> float:  # ∫_0^t w, t in hours since Monday 00:00
        weeks, rem = divmod(t, 168.0)
        i = int(rem)
        return weeks * cumulative[-1] + cumulative[i] + (rem - i) * weights[i % 168]

    t0 = start.weekday() * 24 + start.hour + start.minute / 60 + start.second / 3600
    return float((integral(t0 + hours) - integral(t0)) / hours)


#: the data note of a scenario with a start, by whether its hours were weighted
HOUR_NOTE = {True: "hours weighted by time of day and weekday (impact method): ",
             False: "hours not weighted by time of day: "}


def hour_weighting(scenario) -> tuple[bool, str]:
    """(whether the hours of ``scenario`` are weighted by time of day and weekday, why).

    The one rule, the same on every surface (Estimate page and presets, ``impact
    estimate``, past events, Monitor, batch): weighted exactly when the start states a time of
    day and weighting is not switched off. A start given as a date alone states none (it
    turns ``time_weighting`` off, `impact.model.scenario.start_states_time`); the catalogue's
    events have dates only, unless `impact.catalogue.events.STATED_START_TIMES` names a time a source
    states. There is no length limit: over whole weeks the weight is exactly 1.
    """
    if scenario.start is None:
        return False, "no start given"
    if scenario.time_weighting:
        return True, "the start states a time of day"
    if scenario.start.time() == datetime.min.time():
        return False, (f"the start ({scenario.start:%Y-%m-%d}) is a date without a time of day "
                       "(or weighting was switched off)")
    return False, "weighting switched off"


@dataclass(frozen=True)
class Context:
    """Everything the methods need for one scenario [USD, hours, people, shares 0-1]."""

    iso3: str
    country: str
    year: int
    hours: float
    scope: str
    platforms: tuple[str, ...]
    gdp: IndicatorValue
    gdp_prev: IndicatorValue
    population: IndicatorValue
    users: Users
    affected_share: float
    affected_share_low: float
    affected_share_high: float
    affected_detail: str
    intensity: float
    circumvention: float | None
    recovery: float | None
    mobile_share: float
    mobile_detail: str
    hour_weight: float
    hour_weight_detail: str
    connectivity_tier: str
    internet_pct: float
    fixed_bb_per100: float | None
    notes: tuple[str, ...] = field(default=())
    #: ends of the hours range [hours] (None: the hours are known)
    hours_low: float | None = None
    hours_high: float | None = None

    @property
    def days(self) -> float:
        return self.hours / 24.0

    @property
    def gdp_usd(self) -> float:
        return self.gdp.value

    @property
    def hours_range(self) -> tuple[float, float]:
        """(low, high) of the hours [hours]; both ``hours`` when they are known."""
        low = self.hours if self.hours_low is None else min(self.hours_low, self.hours)
        high = self.hours if self.hours_high is None else max(self.hours_high, self.hours)
        return low, high

    @property
    def period_gdp_usd(self) -> float:
        """GDP produced during the outage period [USD] (upper bound of any loss), at the high
        end of the hours range."""
        return self.gdp.value * self.hours_range[1] / 8760.0


def build_context(scenario) -> Context:
    """Resolve ``scenario`` against the bundled data, recording every fallback."""
    iso3, year = scenario.iso3, scenario.event_year
    notes: list[str] = []
    try:
        gdp = lookup(iso3, "gdp_usd", year)
    except BundledDataError:  # a broken bundled file, not a country without GDP
        raise
    except DataError:
        raise DataError(f"{country_name(iso3)} ({iso3}) has no usable GDP in the bundled World "
                        "Bank data, so no loss can be estimated") from None
    gdp_prev = lookup(iso3, "gdp_usd", year - 1)
    pop = lookup(iso3, "population", year)
    users = internet_users(iso3, year)
    for n in (gdp.note, pop.note, *users.notes):
        if n and n not in notes:
            notes.append(n)
    low_high = None
    if scenario.affected_users is not None:
        share = scenario.affected_users / users.value if users.value > 0 else 0.0
        detail = (f"{fmt.count(scenario.affected_users)} affected users ÷ "
                  f"{fmt.count(users.value)} internet users = {fmt.percent(share)}")
    elif scenario.regions:
        chosen = region_share(iso3, scenario.regions, year)
        share, detail = chosen.share, chosen.detail
        low_high = (chosen.low, chosen.high)
    elif scenario.affected_share is not None:
        share = scenario.affected_share
        detail = f"{fmt.percent(share)} of users affected (as given)"
    else:
        share, detail = 1.0, "nationwide: every user affected (the default)"
    if scenario.scope == "mobile":
        mshare, mdetail, mnotes = mobile_access_share(iso3, year)
        notes.extend(n for n in mnotes if n not in notes)
    else:
        mshare, mdetail = float("nan"), "not used (scope is not mobile)"
    weighted, why = hour_weighting(scenario)
    if weighted:
        hw = time_weight(scenario.start, scenario.hours)
        hw_detail = (f"hour-of-day and weekday weight {hw:.3f} for {scenario.hours:g} h from "
                     f"{scenario.start:%a %Y-%m-%d %H:%M} (data/hour_profile.csv)")
    else:
        hw, hw_detail = 1.0, f"no time weighting ({why})"
    if scenario.start is not None:
        notes.append(HOUR_NOTE[weighted] + why)
    if scenario.scope == "throttling" and scenario.intensity is None:
        notes.append(f"throttling: {fmt.percent(scenario.effective_intensity)} of service "
                     "lost assumed (no intensity given)")
    pct = internet_users_pct(iso3, year)
    fixed = lookup_optional(iso3, "fixed_broadband_per100", year)
    return Context(
        iso3=iso3, country=country_name(iso3), year=year, hours=scenario.hours,
        scope=scenario.scope, platforms=tuple(scenario.platforms), gdp=gdp, gdp_prev=gdp_prev,
        population=pop, users=users, affected_share=float(share), affected_detail=detail,
        affected_share_low=float(low_high[0] if low_high else scenario.affected_share_low
                                 if scenario.affected_share_low is not None else share),
        affected_share_high=float(low_high[1] if low_high else scenario.affected_share_high
                                  if scenario.affected_share_high is not None else share),
        intensity=scenario.effective_intensity, circumvention=scenario.circumvention,
        recovery=scenario.recovery, mobile_share=mshare, mobile_detail=mdetail,
        hour_weight=hw, hour_weight_detail=hw_detail,
        connectivity_tier=scenario.connectivity_tier, internet_pct=pct.value,
        fixed_bb_per100=fixed.value if fixed else None, notes=tuple(notes),
        hours_low=scenario.duration_hours_low, hours_high=scenario.duration_hours_high,
    )


#: what every method needs of a country, with the words of the reason when it is missing
_NEEDED = (("gdp_usd", "no GDP (current USD) in the bundled World Bank data"),
           ("population", "no population in the bundled World Bank data"))


@functools.cache
def unestimable_countries() -> dict[str, str]:
    """``{iso3: why no loss can be estimated}`` for the bundled countries that lack GDP,
    population or internet-user data in every year (read once; the same facts that make
    `build_context` fail)."""
    ind = read_bundled("indicators")
    present = {name: set(ind.filter(pl.col("indicator") == name)["iso3"].to_list())
               for name in ("gdp_usd", "population", "internet_users_pct",
                            "internet_users_pct_2024vintage")}
    out: dict[str, str] = {}
    for iso3 in read_bundled("countries")["iso3"].to_list():
        reasons = [why for name, why in _NEEDED if iso3 not in present[name]]
        if iso3 not in present["internet_users_pct"] | present["internet_users_pct_2024vintage"]:
            reasons.append("no internet-user share in the bundled World Bank data")
        if reasons:
            out[iso3] = "; ".join(reasons)
    return out
