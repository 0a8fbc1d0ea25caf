"""Estimates for the recorded events of the bundled catalogue (``data/events.csv``).

Pure functions over polars frames:

- `load_events` — the catalogue, filtered by country, years, type, platform, election;
- `event_scenario` — one catalogue row as a `Scenario` (its own year, scope, platforms,
  affected share with its range, costed hours, start date without time of day);
- `estimate_events` — every event × method × variant, with a status and a reason for every
  event a method cannot cost;
- `summarise` — totals per country-year, country or year (sums of per-event quantiles, plus a
  properly aggregated P5/P95 from summed Monte Carlo draws when the draws were kept);
- `compare` — events side by side: loss per day, per person, share of GDP, with ranks.

Money is USD at current prices of the event year unless a column says otherwise
(``loss_const_usd_*``: constant USD of ``price_year``; ``loss_local_*``: local currency at
the official rate of the event year). Shares are 0-1, durations hours.

Variants: a platform block longer than a year is costed twice, ``capped_365d`` (every
method's hours capped at 8,760, Top10VPN's convention) and ``uncapped`` (the full recorded
hours); every other event has one row, ``as_reported``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import polars as pl

from impact import __version__
from impact.countries import resolve_country
from impact.errors import DataError, ImpactError, InputError
from impact.io import data_version, read_bundled
from impact.methods import get_methods
from impact.montecarlo import DEFAULT_SEED, scenario_seed
from impact.parameters import PLATFORMS
from impact.scenario import (
    DEFAULT_THROTTLING_INTENSITY,
    PLATFORM_ALIASES,
    Scenario,
    parse_scenario,
)

#: event types accepted by `load_events` (``platforms`` includes ``platforms_other``)
TYPES = ("full", "mobile", "throttling", "platforms")
#: costed-hours cap of platform blocks in the ``capped_365d`` variant [hours]
CAP_HOURS = 365 * 24.0
VARIANTS = ("as_reported", "capped_365d", "uncapped")
DEFAULT_EVENT_DRAWS = 2_000
SUMMARY_BY = ("country-year", "country", "year")

ESTIMATE_COLUMNS = [
    "event_id", "iso3", "country", "year", "start", "end", "scope", "duration_hours",
    "costed_hours", "variant", "method", "status", "reason", "loss_usd_p05", "loss_usd_p50",
    "loss_usd_p95", "loss_usd_per_day_p50", "loss_usd_per_capita_p50", "share_of_gdp_p50",
    "loss_const_usd_p50", "price_year", "loss_local_p50", "currency", "fx_note", "data_notes",
    "draws", "seed", "impact_version", "data_version",
]
SUMMARY_COLUMNS = ["iso3", "year", "n_events", "hours", "loss_usd_p05", "loss_usd_p50",
                   "loss_usd_p95"]
AGG_COLUMNS = ["loss_usd_p05_agg", "loss_usd_p95_agg"]
_FLOAT = {"duration_hours", "costed_hours", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
          "loss_usd_per_day_p50", "loss_usd_per_capita_p50", "share_of_gdp_p50",
          "loss_const_usd_p50", "loss_local_p50"}
_INT = {"year", "price_year", "draws", "seed"}
_BOOL_COLUMNS = ("ongoing", "nationwide", "election", "violence", "network_mobile",
                 "network_broadband")

# ---- the catalogue ---------------------------------------------------------------------------
def _as_bool(name: str) -> pl.Expr:
    text = pl.col(name).cast(pl.String).str.to_lowercase().str.strip_chars()
    return (pl.when(text.is_in(["true", "1", "yes"])).then(True)
            .when(text.is_in(["false", "0", "no"])).then(False)
            .otherwise(None).alias(name))


def _as_date(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Date:
        return pl.col(name)
    if dtype == pl.Datetime:
        return pl.col(name).dt.date()
    return pl.col(name).cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def catalogue() -> pl.DataFrame:
    """The whole event catalogue with typed columns (dates as ``Date``, flags as ``Boolean``).

    Raises `DataError` when ``data/events.csv`` is not bundled.
    """
    try:
        frame = read_bundled("events")
    except FileNotFoundError:
        raise DataError("the event catalogue data/events.csv is not bundled") from None
    fixes = [_as_date(c, frame.schema[c]) for c in ("start", "end") if c in frame.columns]
    fixes += [_as_bool(c) for c in _BOOL_COLUMNS if c in frame.columns]
    for c in ("platforms", "other_services", "event_id", "iso3"):
        if c in frame.columns:
            fixes.append(pl.col(c).cast(pl.String))
    return frame.with_columns(fixes)


def _years(value: Any, lo: int, hi: int) -> tuple[int, int]:
    accepted = (f"a year or a range of years from {lo} to {hi} (the catalogue's range), "
                "e.g. 2021, 2019-2022, range(2019, 2023) or (2019, 2022)")
    try:
        if isinstance(value, range):
            if len(value) == 0 or value.step != 1:
                raise ValueError
            first, last = value.start, value.stop - 1
        elif isinstance(value, str):
            text = value.strip().replace("–", "-").replace("..", "-").replace(":", "-")
            parts = [p.strip() for p in text.split("-")]
            if len(parts) == 1:
                first = last = int(parts[0])
            elif len(parts) == 2:
                first, last = int(parts[0]), int(parts[1])
            else:
                raise ValueError
        elif isinstance(value, Sequence) and len(value) == 2:
            first, last = int(value[0]), int(value[1])
            if first != value[0] or last != value[1]:
                raise ValueError
        elif isinstance(value, bool):
            raise ValueError
        elif isinstance(value, int | np.integer):
            first = last = int(value)
        else:
            raise ValueError
    except (TypeError, ValueError):
        raise InputError("years", value, accepted) from None
    if first > last or first < lo or last > hi:
        raise InputError("years", value, accepted)
    return first, last


def _types(value: str | Iterable[str]) -> set[str]:
    items = [value] if isinstance(value, str) else list(value)
    out: set[str] = set()
    for item in items:
        for t in str(item).split(","):
            key = t.strip().lower()
            if key not in TYPES:
                raise InputError("type", t, f"one of {', '.join(TYPES)} (platforms includes "
                                 "blocks of other services)")
            out.add(key)
    if "platforms" in out:
        out.add("platforms_other")
    return out


def _platform(value: str) -> str:
    key = str(value).strip().lower()
    key = PLATFORM_ALIASES.get(key, key)
    if key not in PLATFORMS:
        raise InputError("platform", value, f"one of {', '.join(PLATFORMS)} (twitter is "
                         "accepted for x)")
    return key


def load_events(country: str | Sequence[str] | None = None, years: Any = None,
                type: str | Sequence[str] | None = None, platform: str | None = None,
                election: bool | None = None) -> pl.DataFrame:
    """Catalogue events matching every given filter, sorted by start date and id.

    Parameters
    ----------
    country : ISO3 code or name, or several
    years : a year, ``range``, ``(from, to)`` (inclusive) or ``"2019-2022"``; years of the
        event's start, within the catalogue's range
    type : full, mobile, throttling or platforms (platforms includes blocks of other
        services, scope ``platforms_other``); or several
    platform : x, facebook, instagram, whatsapp, youtube, tiktok, telegram or signal
    election : True for events tied to an election, False for the others

    Raises
    ------
    InputError : a filter names an unknown country, type or platform, or years outside the
        catalogue's range
    """
    events = catalogue()
    year = pl.col("start").dt.year()
    if country is not None:
        names = [country] if isinstance(country, str) else list(country)
        if not names:
            raise InputError("country", country, "one or more countries")
        codes = [resolve_country(c) for c in names]
        events = events.filter(pl.col("iso3").is_in(codes))
    if years is not None:
        all_years = catalogue()["start"].dt.year()
        first, last = _years(years, int(all_years.min()), int(all_years.max()))
        events = events.filter(year.is_between(first, last))
    if type is not None:
        events = events.filter(pl.col("scope").is_in(sorted(_types(type))))
    if platform is not None:
        key = _platform(platform)
        events = events.filter(pl.col("platforms").fill_null("").str.split(";")
                               .list.contains(key))
    if election is not None:
        if not isinstance(election, bool):
            raise InputError("election", election, "true or false")
        events = events.filter(pl.col("election") == election)
    return events.sort("start", "event_id")


def get_event(event_id: str) -> dict[str, Any]:
    """One catalogue row by id; an unknown id raises `InputError` with close ids."""
    events = catalogue()
    rows = events.filter(pl.col("event_id") == str(event_id))
    if rows.height == 0:
        close = difflib.get_close_matches(str(event_id), events["event_id"].to_list(), n=3)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise InputError("event_id", event_id, f"{hint}an event id of the catalogue "
                         "(`impact events list` shows them)")
    return rows.row(0, named=True)


def events_by_id(event_ids: Iterable[str]) -> pl.DataFrame:
    """Catalogue rows of ``event_ids`` in the given order (unknown ids raise `InputError`)."""
    ids = [str(i) for i in event_ids]
    for i in ids:
        get_event(i)
    frame = catalogue().filter(pl.col("event_id").is_in(ids))
    order = pl.DataFrame({"event_id": ids, "_order": list(range(len(ids)))})
    return frame.join(order, on="event_id", how="left").sort("_order").drop("_order")


# ---- one event as a scenario -----------------------------------------------------------------
def _row_dict(row: Mapping[str, Any] | pl.DataFrame) -> dict[str, Any]:
    if isinstance(row, pl.DataFrame):
        if row.height != 1:
            raise InputError("row", f"{row.height} rows", "exactly one catalogue row")
        return row.row(0, named=True)
    return dict(row)


def _start_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value)[:10])


def _share(value: Any) -> float | None:
    if value is None:
        return None
    x = float(value)
    return x if math.isfinite(x) else None


FIRST_COSTED = datetime(2010, 1, 1)


def event_scenario(row: Mapping[str, Any] | pl.DataFrame, *, hours: float | None = None
                   ) -> Scenario:
    """The `Scenario` of one catalogue event.

    Uses the indicators of the event's own year (its start date), its scope and platforms,
    its affected share with the low/high range, the default throttling intensity, the costed
    ``duration_hours`` (or ``hours`` when given, e.g. capped at a year) and its start date;
    the catalogue has no time of day, so time weighting is off. ``label`` is the event id.

    Raises
    ------
    InputError : scope ``platforms_other`` (no costed platform was blocked) or an invalid row
    """
    r = _row_dict(row)
    scope = r.get("scope")
    if scope == "platforms_other":
        raise InputError("scope", scope, "blocked services are not among the costed "
                         f"platforms: {r.get('other_services') or 'not named'}")
    share = _share(r.get("affected_share"))
    low, high = _share(r.get("affected_share_low")), _share(r.get("affected_share_high"))
    start = _start_datetime(r["start"])
    duration = float(hours if hours is not None else r["duration_hours"])
    if start < FIRST_COSTED:
        # bundled indicators start in 2010: cost only the part of the event from 2010 on
        before = (FIRST_COSTED - start).total_seconds() / 3600
        full = float(r["duration_hours"])
        duration = max(min(duration, full - before), 24.0)
        start = FIRST_COSTED
    data: dict[str, Any] = {
        "country": r["iso3"],
        "start": start.isoformat(),
        "duration_hours": duration,
        "scope": scope,
        "affected_share": share,
        "time_weighting": False,
        "label": str(r["event_id"]),
    }
    if scope == "platforms":
        data["platforms"] = r.get("platforms") or ""
        if r.get("shutdown_type") == "throttle":  # platforms throttled, not blocked
            data["intensity"] = DEFAULT_THROTTLING_INTENSITY
    if share is not None and low is not None and high is not None:
        data["affected_share_low"] = min(low, share)
        data["affected_share_high"] = max(high, share)
    return parse_scenario(data)


# ---- estimates --------------------------------------------------------------------------------
def _variants(row: Mapping[str, Any], cap: bool | str) -> list[tuple[str, float]]:
    hours = float(row["duration_hours"])
    if row["scope"] in ("platforms", "platforms_other") and hours > CAP_HOURS:
        if cap == "both":
            return [("capped_365d", CAP_HOURS), ("uncapped", hours)]
        return [("capped_365d", CAP_HOURS)] if cap else [("uncapped", hours)]
    return [("as_reported", hours)]


class _Converter:
    """Constant-USD and local-currency factors, computed once per country-year."""

    def __init__(self, price_year: int | None):
        from impact.prices import deflator_index

        latest = max(deflator_index("USA"))
        if price_year is not None and (not isinstance(price_year, int)
                                       or not 2010 <= price_year <= latest):
            raise InputError("price_year", price_year,
                             f"a year from 2010 to {latest}, the latest US deflator year")
        self.price_year = price_year if price_year is not None else latest
        self._const: dict[int, float] = {}
        self._local: dict[tuple[str, int], tuple[float | None, str, str]] = {}

    def constant(self, year: int) -> float:
        from impact.prices import conversion

        if year not in self._const:
            self._const[year] = conversion("USA", year, "USD", "constant", self.price_year,
                                           "USD").factor
        return self._const[year]

    def local(self, iso3: str, year: int) -> tuple[float | None, str, str]:
        from impact.countries import currency_code
        from impact.prices import conversion

        key = (iso3, year)
        if key not in self._local:
            code = currency_code(iso3)
            try:
                conv = conversion(iso3, year, "local", "current", None, code)
                self._local[key] = (conv.factor, code, "; ".join(conv.notes))
            except ImpactError as exc:
                self._local[key] = (None, code, f"no official exchange rate: {exc}")
        return self._local[key]


def _base(row: Mapping[str, Any], variant: str, hours: float) -> dict[str, Any]:
    start = row["start"]
    return {c: None for c in ESTIMATE_COLUMNS} | {
        "event_id": row["event_id"], "iso3": row["iso3"], "country": row.get("country"),
        "year": start.year if start is not None else row.get("year"), "start": start,
        "end": row.get("end"), "scope": row["scope"],
        "duration_hours": float(row["duration_hours"]), "costed_hours": hours,
        "variant": variant, "impact_version": __version__, "data_version": data_version(),
    }


def _schema() -> dict[str, pl.DataType]:
    out: dict[str, pl.DataType] = {}
    for c in ESTIMATE_COLUMNS:
        if c in _FLOAT:
            out[c] = pl.Float64
        elif c in _INT:
            out[c] = pl.Int64
        elif c in ("start", "end"):
            out[c] = pl.Date
        else:
            out[c] = pl.String
    return out


def estimate_events(events: pl.DataFrame | Iterable[str], methods: str | Sequence[str] = "all",
                    *, draws: int = DEFAULT_EVENT_DRAWS, seed: int = DEFAULT_SEED,
                    price_year: int | None = None, cap_platform_days: bool | str = "both",
                    keep_draws: bool = False) -> pl.DataFrame:
    """Estimate every event with every method.

    Parameters
    ----------
    events : catalogue rows (from `load_events`) or event ids
    methods : ``"all"`` or method names
    draws : Monte Carlo draws per event and method [count]
    seed : base seed; each event gets its own stream (`scenario_seed` of its id), so summed draws of
        several events are independent across events and reproducible
    price_year : year of the constant-USD column (default: the latest US deflator year)
    cap_platform_days : for platform blocks longer than 365 days, ``True`` costs 8,760 hours
        (variant ``capped_365d``), ``False`` the full hours (``uncapped``), ``"both"`` gives
        both rows; every other event has one row, ``as_reported``
    keep_draws : add ``draws_usd`` (list of the Monte Carlo losses [USD]) for `summarise`

    Returns
    -------
    One row per event × variant × method with columns `ESTIMATE_COLUMNS`: status ``ok``, or
    ``not_applicable``/``unavailable`` with the reason. ``costed_hours`` is what the method
    costed (``cost_compatible`` caps platform blocks at 365 days on its own, and says so).
    """
    from impact.engine import run

    if cap_platform_days not in (True, False, "both"):
        raise InputError("cap_platform_days", cap_platform_days, "True, False or 'both'")
    if not isinstance(events, pl.DataFrame):
        events = events_by_id(events)
    chosen = get_methods(methods)
    names = [m.name for m in chosen]
    conv = _Converter(price_year)
    # every event × variant as a scenario, then one engine pass over all of them
    bases: list[dict[str, Any]] = []
    failed: list[tuple[str, str] | None] = []
    scenarios: list[Scenario] = []
    seeds: list[int] = []
    for row in events.iter_rows(named=True):
        if isinstance(row["start"], str):
            row["start"] = _start_datetime(row["start"]).date()
        eseed = scenario_seed(seed, row["event_id"])
        for variant, hours in _variants(row, cap_platform_days):
            base = _base(row, variant, hours) | {"draws": draws, "seed": eseed,
                                                 "price_year": conv.price_year}
            try:
                scenarios.append(event_scenario(row, hours=hours))
            except InputError as exc:
                status = "not_applicable" if exc.field == "scope" else "unavailable"
                failed.append((status, exc.accepted if exc.field == "scope" else str(exc)))
                bases.append(base)
                continue
            seeds.append(eseed)
            failed.append(None)
            bases.append(base)
    result = run(scenarios, names, draws=draws, seeds=seeds, keep_samples=keep_draws,
                 details=False)
    return _event_rows(bases, failed, chosen, result, conv, keep_draws)


_PER_BASE = ("event_id", "iso3", "country", "year", "start", "end", "scope", "duration_hours",
             "variant", "draws", "seed", "price_year", "impact_version", "data_version")
_FROM_SUMMARY = ("loss_usd_p05", "loss_usd_p50", "loss_usd_p95", "loss_usd_per_capita_p50",
                 "share_of_gdp_p50")


def _event_rows(bases, failed, chosen, result, conv, keep_draws: bool) -> pl.DataFrame:
    """One row per event variant × method (in that order), built column by column from the
    engine pass: the costed hours after each method's own platform cap, the normalisations,
    constant-USD and local-currency figures."""
    m_count = len(chosen)
    summary = result.summary  # scenario by scenario, in method order
    fig = {c: summary[c].to_list() for c in ("status", "reason", *_FROM_SUMMARY)}
    cols: dict[str, list] = {c: [] for c in ESTIMATE_COLUMNS}
    const: list[float | None] = []
    local: list[float | None] = []
    samples: list[list[float] | None] = []
    caps = [m.platform_cap_hours for m in chosen]
    own = [f"{m.name} caps platform blocks at {c / 24:g} days on its own (NetBlocks COST / "
           "Top10VPN convention), so its uncapped row equals its capped row" if c else ""
           for m, c in zip(chosen, caps, strict=True)]
    i = -1
    for base, fail in zip(bases, failed, strict=True):
        for c in _PER_BASE:
            cols[c] += [base[c]] * m_count
        cols["method"] += [m.name for m in chosen]
        hours = base["costed_hours"]
        if fail is not None:
            cols["status"] += [fail[0]] * m_count
            cols["reason"] += [fail[1]] * m_count
            cols["costed_hours"] += [hours] * m_count
            for c in ("data_notes", "currency", "fx_note", *_FROM_SUMMARY):
                cols[c] += [None] * m_count
            const += [None] * m_count
            local += [None] * m_count
            samples += [None] * m_count
            continue
        i += 1
        factor, currency, fx_note = conv.local(base["iso3"], base["year"])
        at = i * m_count
        status = fig["status"][at:at + m_count]
        ok = [x == "ok" for x in status]
        capped = [cap is not None and base["scope"] == "platforms" and hours > cap
                  for cap in caps]
        cols["status"] += status
        cols["reason"] += ["; ".join(x for x in (r or "", own[j] if capped[j] else "") if x)
                           for j, r in enumerate(fig["reason"][at:at + m_count])]
        cols["costed_hours"] += [caps[j] if capped[j] else hours for j in range(m_count)]
        cols["data_notes"] += ["; ".join(result.notes[i])] * m_count
        cols["currency"] += [currency if k else None for k in ok]
        cols["fx_note"] += [fx_note if k else None for k in ok]
        for c in _FROM_SUMMARY:
            cols[c] += fig[c][at:at + m_count]
        const += [conv.constant(base["year"]) if k else None for k in ok]
        local += [factor if k else None for k in ok]
        if keep_draws:
            for m in chosen:
                drawn = result.samples.get((i, m.name))
                samples.append(drawn.tolist() if drawn is not None else None)
        else:
            samples += [None] * m_count
    schema = _schema()
    frame = pl.DataFrame({c: cols[c] for c in ESTIMATE_COLUMNS if c not in _DERIVED},
                         schema={c: schema[c] for c in ESTIMATE_COLUMNS if c not in _DERIVED})
    p50 = pl.col("loss_usd_p50")
    frame = frame.with_columns(
        (p50 / (pl.col("costed_hours") / 24.0)).alias("loss_usd_per_day_p50"),
        (p50 * pl.Series(const, dtype=pl.Float64)).alias("loss_const_usd_p50"),
        (p50 * pl.Series(local, dtype=pl.Float64)).alias("loss_local_p50"),
    ).select(ESTIMATE_COLUMNS)
    if keep_draws:
        frame = frame.with_columns(pl.Series("draws_usd", samples,
                                             dtype=pl.List(pl.Float64)))
    return frame


#: columns computed from the others once the frame is built
_DERIVED = ("loss_usd_per_day_p50", "loss_const_usd_p50", "loss_local_p50")


# ---- summaries and comparisons ---------------------------------------------------------------
def _pick(estimates: pl.DataFrame, method: str | None, variant: str) -> tuple[pl.DataFrame, str]:
    present = estimates["method"].unique(maintain_order=True).to_list()
    if method is None:
        if len(present) != 1:
            raise InputError("method", None, f"one of the estimated methods: "
                             f"{', '.join(present)}")
        method = present[0]
    if method not in present:
        raise InputError("method", method, f"one of the estimated methods: "
                         f"{', '.join(present) or 'none'}")
    if variant not in ("capped", "uncapped"):
        raise InputError("variant", variant, "capped or uncapped (one row per event)")
    keep = ["as_reported", "capped_365d" if variant == "capped" else "uncapped"]
    return estimates.filter((pl.col("method") == method) & pl.col("variant").is_in(keep)), method


def summarise(estimates: pl.DataFrame, by: str = "country-year", method: str | None = None,
              variant: str = "capped") -> pl.DataFrame:
    """Totals of one method's event estimates per country-year, country or year.

    ``loss_usd_p05``/``p50``/``p95`` are the sums of the events' own P5, P50 and P95 (so a
    total equals the sum of its events exactly). Summed quantiles are NOT quantiles of the
    sum: the summed P5 and P95 are the range if every event's uncertainty moved together
    (fully dependent). When the estimates carry their Monte Carlo draws
    (``estimate_events(..., keep_draws=True)``), ``loss_usd_p05_agg``/``loss_usd_p95_agg``
    are the P5/P95 of the summed draws, assuming independent uncertainty across events
    (usually narrower); the truth lies between the two, since a method's coefficients are shared by
    every event. Without draws those columns are null.

    Parameters
    ----------
    estimates : output of `estimate_events`
    by : ``country-year`` (``iso3, year``), ``country`` (``year`` null) or ``year`` (``iso3``
        null)
    method : the method to total (needed when several were estimated)
    variant : ``capped`` (platform blocks ≤ 365 days) or ``uncapped``

    Returns
    -------
    Columns `SUMMARY_COLUMNS` + ``loss_usd_p05_agg, loss_usd_p95_agg, n_not_costed``;
    ``n_events`` counts events with an estimate, ``n_not_costed`` those without one, and
    ``hours`` sums the costed hours of the counted events [hours].
    """
    if by not in SUMMARY_BY:
        raise InputError("by", by, f"one of {', '.join(SUMMARY_BY)}")
    rows, _ = _pick(estimates, method, variant)
    keys = {"country-year": ["iso3", "year"], "country": ["iso3"], "year": ["year"]}[by]
    has_draws = "draws_usd" in rows.columns
    ok = pl.col("status") == "ok"
    aggs = [ok.sum().alias("n_events"), (~ok).sum().alias("n_not_costed")]
    for c in ("costed_hours", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95"):
        aggs.append(pl.col(c).filter(ok).alias(c))
    if has_draws:
        aggs.append(pl.col("draws_usd").filter(ok).alias("draws_usd"))
    grouped = rows.group_by(keys).agg(aggs).sort(keys)
    out: dict[str, list[Any]] = {c: [] for c in SUMMARY_COLUMNS + AGG_COLUMNS + ["n_not_costed"]}
    for g in grouped.iter_rows(named=True):
        out["iso3"].append(g.get("iso3"))
        out["year"].append(g.get("year"))
        out["n_events"].append(g["n_events"])
        out["n_not_costed"].append(g["n_not_costed"])
        out["hours"].append(math.fsum(g["costed_hours"]))
        for q in ("p05", "p50", "p95"):
            out[f"loss_usd_{q}"].append(math.fsum(g[f"loss_usd_{q}"]))
        lo = hi = None
        if has_draws and g["draws_usd"] and all(d is not None for d in g["draws_usd"]):
            total = np.sum(np.array(g["draws_usd"], dtype=float), axis=0)
            lo, hi = (float(v) for v in np.quantile(total, [0.05, 0.95]))
        out["loss_usd_p05_agg"].append(lo)
        out["loss_usd_p95_agg"].append(hi)
    schema = {"iso3": pl.String, "year": pl.Int64, "n_events": pl.Int64, "hours": pl.Float64,
              "loss_usd_p05": pl.Float64, "loss_usd_p50": pl.Float64,
              "loss_usd_p95": pl.Float64, "loss_usd_p05_agg": pl.Float64,
              "loss_usd_p95_agg": pl.Float64, "n_not_costed": pl.Int64}
    return pl.DataFrame(out, schema=schema)


COMPARE_COLUMNS = ["event_id", "iso3", "country", "year", "scope", "costed_hours", "variant",
                   "method", "status", "loss_usd_p50", "loss_usd_per_day_p50",
                   "rank_per_day", "loss_usd_per_capita_p50", "rank_per_capita",
                   "share_of_gdp_p50", "rank_share_of_gdp", "reason"]


def compare(events: pl.DataFrame | Iterable[str], methods: str | Sequence[str] = "all", *,
            variant: str = "capped", draws: int = DEFAULT_EVENT_DRAWS,
            seed: int = DEFAULT_SEED) -> pl.DataFrame:
    """Events side by side, per method: loss per day, per person and as a share of annual
    GDP, each with its rank among the compared events (1 = largest).

    Parameters
    ----------
    events : event ids, or estimates from `estimate_events` (then ``methods``, ``draws`` and
        ``seed`` are not used)
    variant : ``capped`` or ``uncapped`` for platform blocks longer than a year
    """
    if isinstance(events, pl.DataFrame) and "method" in events.columns:
        estimates = events
    else:
        estimates = estimate_events(events, methods, draws=draws, seed=seed,
                                    cap_platform_days=variant == "capped")
    if variant not in ("capped", "uncapped"):
        raise InputError("variant", variant, "capped or uncapped")
    keep = ["as_reported", "capped_365d" if variant == "capped" else "uncapped"]
    rows = estimates.filter(pl.col("variant").is_in(keep))
    ranks = []
    for col, name in (("loss_usd_per_day_p50", "rank_per_day"),
                      ("loss_usd_per_capita_p50", "rank_per_capita"),
                      ("share_of_gdp_p50", "rank_share_of_gdp")):
        ranks.append(pl.col(col).rank("min", descending=True).over("method").cast(pl.Int64)
                     .alias(name))
    return rows.with_columns(ranks).select(COMPARE_COLUMNS)
