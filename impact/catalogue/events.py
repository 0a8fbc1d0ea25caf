"""Estimates for the recorded events of the bundled catalogue (``data/events.csv``).

Pure functions over polars frames:

- `load_events` — the catalogue, filtered by country, years, type, platform, election and
  text (title, description, places, cause);
- `event_scenario` — one catalogue row as a `Scenario` (its own year, scope, platforms,
  affected share with its range, costed hours, start date, with the time of day only where
  a source states it: `STATED_START_TIMES`);
- `estimate_events` — every event × calendar year × method × variant, with a status and a
  reason for every event a method cannot cost; an event's hours are de-duplicated against
  the other reports of the same place and days (`impact.catalogue.exposure`) and split by year;
- `event_totals` — the years of each event added up;
- `summarise` — totals per country-year, country or year (P50 the sum of the events' P50;
  P5/P95 from summed Monte Carlo draws when the draws were kept, else sums of quantiles);
- `compare` — events side by side: loss per day, per person, share of GDP, with ranks.

Money is USD at current prices of the event year unless a column says otherwise
(``loss_const_usd_*``: constant USD of ``price_year``; ``loss_local_*``: local currency at
the official rate of the event year). Shares are 0-1, durations hours.

Hours the source does not state (no times, no end) are drawn from a range
(`impact.catalogue.exposure.hours_range`, docs/events.md "Hours drawn"), so each event's and each
country-year's P5–P95 include them.

Variants are explicit choices (`impact.catalogue.exposure.World`), views of the same catalogue:
``capped`` (the default, which the app ranks by: what the source states, drawn where it
states no times or no end; platform blocks longer than 365 days costed for their first
365, Top10VPN's convention), ``uncapped`` (platform blocks in full), and ``to_snapshot_capped`` /
``to_snapshot_uncapped`` (open-ended events still ongoing run to the data snapshot).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from impact import __version__
from impact import format as fmt
from impact.bundled.countries import country_name, currency_code, resolve_country
from impact.bundled.io import data_version, read_bundled
from impact.bundled.prices import conversion, deflator_index
from impact.catalogue.exposure import (
    WORLD_LABELS,
    World,
    bound_events,
    variant_world,
    worlds,
    year_parts,
)
from impact.catalogue.rules import rows as rules
from impact.catalogue.rules.rows import EXTENT, GEO_SCOPE
from impact.errors import BundledDataError, DataError, ImpactError, InputError, TimelineError
from impact.estimation.engine import run
from impact.estimation.ensemble import ENSEMBLE, combine_draws_many, combine_frame
from impact.methods import get_methods
from impact.model.montecarlo import scenario_seed
from impact.model.parameters import PLATFORMS
from impact.model.scenario import (
    DEFAULT_THROTTLING_INTENSITY,
    PLATFORM_ALIASES,
    Scenario,
    parse_scenario,
)
from impact.vocab import DEFAULT_SEED
from impact.workbook import is_workbook, sheets

#: event types accepted by `load_events` (``platforms`` includes ``platforms_other``)
TYPES = ("full", "mobile", "throttling", "platforms")
#: variants: the explicit choices of end rule and platform cap (`impact.catalogue.exposure.World`)
VARIANTS = WORLD_LABELS
DEFAULT_EVENT_DRAWS = 2_000
SUMMARY_BY = ("country-year", "country", "year", "platform-year", "platform")
#: the ledger key of a block of services that are not costed platforms
OTHER_SERVICES = "other services"

ESTIMATE_COLUMNS = [
    "event_id", "title", "iso3", "country", "year", "start", "end", "part_start", "scope",
    "hours_basis", "open_ended", "duration_hours", "event_hours", "part_hours",
    "overlap_factor", "costed_hours", "hours_low", "hours_high", "variant", "method", "status",
    "reason", "loss_usd_p05",
    "loss_usd_p50", "loss_usd_p95", "loss_usd_per_day_p50", "loss_usd_per_capita_p50",
    "share_of_gdp_p50", "loss_const_usd_p50", "price_year", "loss_local_p50", "currency",
    "fx_note", "data_notes", "draws", "seed", "impact_version", "data_version",
]
SUMMARY_COLUMNS = ["iso3", "year", "n_events", "hours", "loss_usd_p05", "loss_usd_p50",
                   "loss_usd_p95"]
AGG_COLUMNS = ["loss_usd_p05_agg", "loss_usd_p95_agg"]
_FLOAT = {"duration_hours", "event_hours", "part_hours", "overlap_factor", "costed_hours",
          "hours_low", "hours_high",
          "loss_usd_p05", "loss_usd_p50", "loss_usd_p95", "loss_usd_per_day_p50",
          "loss_usd_per_capita_p50", "share_of_gdp_p50", "loss_const_usd_p50", "loss_local_p50"}
_INT = {"year", "price_year", "draws", "seed"}
_BOOL_COLUMNS = ("ongoing", "open_ended", "nationwide", "election", "violence",
                 "network_mobile", "network_broadband")
#: catalogue columns searched by `load_events(search=...)`
SEARCH_COLUMNS = ("title", "description", "country", "area_names", "cause", "justification",
                  "scope", "platforms", "other_services", "event_id", "iso3")

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
    frame = read_bundled("events")  # absent or broken: `read_bundled`'s `BundledDataError`
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
                election: bool | None = None, search: str | None = None) -> pl.DataFrame:
    """Catalogue events matching every given filter, sorted by start date and id.

    Parameters
    ----------
    country : ISO3 code or name, or several
    years : a year, ``range``, ``(from, to)`` (inclusive) or ``"2019-2022"``, within the
        catalogue's range: events active at some time in those years (start on or before
        their end, costed window ending on or after their start)
    type : full, mobile, throttling or platforms (platforms includes blocks of other
        services, scope ``platforms_other``); or several
    platform : x, facebook, instagram, whatsapp, youtube, tiktok, telegram or signal
    election : True for events tied to an election, False for the others
    search : words that must all appear (any case) in the event's title, description,
        country, places, cause, justification, scope, platforms, services or id

    Raises
    ------
    InputError : a filter names an unknown country, type or platform, or years outside the
        catalogue's range
    """
    return filter_events(catalogue(), country, years, type, platform, election, search)


def search_mask(events: pl.DataFrame, text: str) -> pl.Expr:
    """True for events whose searchable text (`SEARCH_COLUMNS`) holds every word of
    ``text`` (case-insensitive); an empty search raises `InputError`."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("search", text, "one or more words, e.g. 'election' or 'X Pakistan'")
    cols = [pl.col(c).cast(pl.String).fill_null("") for c in SEARCH_COLUMNS
            if c in events.columns]
    haystack = pl.concat_str(cols, separator=" ").str.to_lowercase()
    words = text.lower().split()
    mask = pl.lit(True)
    for w in words:
        mask = mask & haystack.str.contains(w, literal=True)
    return mask


def year_range(years: Any, events: pl.DataFrame | None = None) -> tuple[int, int]:
    """(first, last) year of a ``years`` filter (see `load_events`), checked against the
    catalogue's range (widened to hold ``events``, e.g. a user's events, when given)."""
    starts = catalogue()["start"]
    if events is not None and events.height:
        starts = pl.concat([starts, events["start"].cast(pl.Date)])
    all_years = starts.dt.year()
    return _years(years, int(all_years.min()), int(all_years.max()))


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
    """Catalogue rows of ``event_ids`` in the given order, each once (an id given twice is
    not costed twice); unknown ids raise `InputError`."""
    ids = list(dict.fromkeys(str(i) for i in event_ids))
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


@dataclass(frozen=True)
class StatedStart:
    """A catalogue event's start time of day [local] as a source states it."""

    local_time: time
    source: str  #: who states it, in our words, with the address


#: start times of day that a source states for catalogue events whose ``data/events.csv`` row
#: gives dates only (the catalogue has no time-of-day column). With one, the event's hours
#: are weighted by time of day on every surface (`impact.model.context.hour_weighting`); without
#: one, on none. Each time must fit the event's ``times_stated`` hours within its day (tested).
STATED_START_TIMES: dict[str, StatedStart] = {
    "AN-128b3eb3d9": StatedStart(
        time(7, 0), "Access Now: mobile services suspended nationwide from 02:00 UTC (07:00 "
        "local) to 15:00 UTC, https://www.accessnow.org/press-release/"
        "keepiton-restore-internet-pakistan-elections-2024/"),
}


def event_start(row: Mapping[str, Any] | pl.DataFrame, part_start: date | None = None
                ) -> datetime | date:
    """The start of a catalogue event (or of its part from ``part_start``): a `datetime`
    at the time of day a source states (`STATED_START_TIMES`) for the event's first day, else
    its `date` alone (no time of day, so no hour-of-day weighting)."""
    r = _row_dict(row)
    first = _start_datetime(r["start"]).date()
    day = _start_datetime(part_start).date() if part_start is not None else first
    stated = STATED_START_TIMES.get(str(r.get("event_id")))
    return datetime.combine(day, stated.local_time) if stated and day == first else day


def event_scenario(row: Mapping[str, Any] | pl.DataFrame, *, hours: float | None = None,
                   start: date | None = None,
                   hours_range: tuple[float, float] | None = None) -> Scenario:
    """The `Scenario` of one catalogue event.

    Uses the indicators of the event's own year (its start date), its scope and platforms,
    its affected share with the low/high range, the default throttling intensity, the costed
    ``duration_hours`` (or ``hours`` when given, e.g. one calendar year's exposed hours) and
    its start (or ``start``, e.g. the first day of that year's part) from `event_start`: a
    date alone, so no hour-of-day weighting, unless a source states the time of day
    (`STATED_START_TIMES`). ``label`` is the event id. ``hours_range`` (low, high) [h] makes
    the hours a drawn input (`estimate_events` gives each year's exposed-hours range,
    `impact.catalogue.exposure.hours_range`).

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
    begins = event_start(r, start)
    duration = float(hours if hours is not None else r["duration_hours"])
    if _start_datetime(begins) < FIRST_COSTED:
        # bundled indicators start in 2010: cost only the part of the event from 2010 on
        before = (FIRST_COSTED - _start_datetime(begins)).total_seconds() / 3600
        full = float(r["duration_hours"])
        duration = max(min(duration, full - before), 24.0)
        begins = FIRST_COSTED.date()
    data: dict[str, Any] = {
        "country": r["iso3"],
        "start": begins.isoformat(),  # a date alone states no time of day
        "duration_hours": duration,
        "scope": scope,
        "affected_share": share,
        "label": str(r["event_id"]),
    }
    if hours_range is not None and hours_range[1] > hours_range[0]:
        data["duration_hours_low"] = min(hours_range[0], duration)
        data["duration_hours_high"] = max(hours_range[1], duration)
    if scope == "platforms":
        data["platforms"] = r.get("platforms") or ""
        if r.get("shutdown_type") == "throttle":  # platforms throttled, not blocked
            data["intensity"] = DEFAULT_THROTTLING_INTENSITY
    if share is not None and low is not None and high is not None:
        data["affected_share_low"] = min(low, share)
        data["affected_share_high"] = max(high, share)
    return parse_scenario(data)


# ---- estimates --------------------------------------------------------------------------------
class _Converter:
    """Constant-USD and local-currency factors, computed once per country-year."""

    def __init__(self, price_year: int | None):
        latest = max(deflator_index("USA"))
        if price_year is not None and (not isinstance(price_year, int)
                                       or not 2010 <= price_year <= latest):
            raise InputError("price_year", price_year,
                             f"a year from 2010 to {latest}, the latest US deflator year")
        self.price_year = price_year if price_year is not None else latest
        self._const: dict[int, float] = {}
        self._local: dict[tuple[str, int], tuple[float | None, str, str]] = {}

    def constant(self, year: int) -> float:
        if year not in self._const:
            self._const[year] = conversion("USA", year, "USD", "constant", self.price_year,
                                           "USD").factor
        return self._const[year]

    def local(self, iso3: str, year: int) -> tuple[float | None, str, str]:
        key = (iso3, year)
        if key not in self._local:
            code = currency_code(iso3)
            try:
                conv = conversion(iso3, year, "local", "current", None, code)
                self._local[key] = (conv.factor, code, "; ".join(conv.notes))
            except ImpactError as exc:
                self._local[key] = (None, code, f"no official exchange rate: {exc}")
        return self._local[key]


def _schema() -> dict[str, pl.DataType]:
    out: dict[str, pl.DataType] = {}
    for c in ESTIMATE_COLUMNS:
        if c in _FLOAT:
            out[c] = pl.Float64
        elif c in _INT:
            out[c] = pl.Int64
        elif c in ("start", "end", "part_start"):
            out[c] = pl.Date
        elif c in ("open_ended",):
            out[c] = pl.Boolean
        else:
            out[c] = pl.String
    return out


def _timeline_context(events: pl.DataFrame) -> pl.DataFrame:
    """``events`` plus every other catalogue event of the same countries: an event's exposed
    hours depend on what else the catalogue reports there, not on what was asked for."""
    try:
        whole = catalogue()
    except BundledDataError:
        raise
    except DataError:
        return events
    others = whole.filter(pl.col("iso3").is_in(events["iso3"].unique().to_list())
                          & ~pl.col("event_id").is_in(events["event_id"].to_list()))
    if others.height == 0:
        return events
    common = [c for c in events.columns if c in others.columns]
    return pl.concat([events.select(common), others.select(common)], how="vertical_relaxed")


def event_parts(events: pl.DataFrame, world: World | None = None) -> pl.DataFrame:
    """Per event of ``events`` and calendar year in ``world``: its hours before and after
    de-duplication against every catalogue event of its country (`impact.catalogue.exposure`)."""
    parts = year_parts(_timeline_context(events), world or World())
    return parts.filter(pl.col("event_id").is_in(events["event_id"].to_list()))


HOURS_CHOICES = ("drawn", "rule")


def event_parts_range(events: pl.DataFrame, world: World | None = None,
                      hours: str = "drawn") -> pl.DataFrame:
    """`event_parts` with each part's range of exposed hours: ``hours_low`` and
    ``hours_high`` [h] are its exposed hours when every event of the country has the low
    (or high) end of its `impact.catalogue.exposure.hours_range` (the timeline is rebuilt at each
    end, so a place and day still count once). ``exposed_hours`` stays the rule's hours and
    lies in the range (the range is widened to hold it: another event's longer high end can
    leave a part fewer hours). A year that only the high end reaches is a part with 0 rule
    hours. ``hours="rule"`` gives low = high = the rule's hours."""
    if hours not in HOURS_CHOICES:
        raise InputError("hours", hours, "drawn (hours the source does not state are drawn "
                         "from their range) or rule (the catalogue's hours, fixed)")
    world = world or World()
    context = _timeline_context(events)
    ids = events["event_id"].to_list()
    parts = year_parts(context, world).filter(pl.col("event_id").is_in(ids))
    if hours == "rule":
        return parts.with_columns(pl.col("exposed_hours").alias("hours_low"),
                                  pl.col("exposed_hours").alias("hours_high"))
    keys = ["event_id", "year"]
    ends = {side: year_parts(bound_events(context, side, world.end), world)
            .filter(pl.col("event_id").is_in(ids))
            .select(*keys, pl.col("part_start").alias(f"_start_{side}"),
                    pl.col("exposed_hours").alias(f"hours_{side}"))
            for side in ("low", "high")}
    info = parts.select("event_id", "world_hours", "capped", "to_snapshot").unique("event_id")
    merged = (parts.drop("world_hours", "capped", "to_snapshot")
              .join(ends["low"], on=keys, how="full", coalesce=True)
              .join(ends["high"], on=keys, how="full", coalesce=True)
              .join(info, on="event_id", how="left"))
    rule = pl.col("exposed_hours").fill_null(0.0)
    return merged.with_columns(
        pl.coalesce("part_start", "_start_high", "_start_low").alias("part_start"),
        pl.col("hours").fill_null(0.0), rule.alias("exposed_hours"),
        pl.col("overlap_factor").fill_null(1.0),
        pl.min_horizontal(pl.col("hours_low").fill_null(0.0), rule).alias("hours_low"),
        pl.max_horizontal(pl.col("hours_high").fill_null(0.0), rule).alias("hours_high"),
    ).drop("_start_low", "_start_high").sort(keys)


def _base(row: Mapping[str, Any], world: World, part: Mapping[str, Any],
          info: Mapping[str, Any]) -> dict[str, Any]:
    return {c: None for c in ESTIMATE_COLUMNS} | {
        "event_id": row["event_id"], "title": row.get("title"), "iso3": row["iso3"],
        "country": row.get("country"), "year": part["year"], "start": row["start"],
        "end": row.get("end"), "part_start": part["part_start"], "scope": row["scope"],
        "hours_basis": row.get("hours_basis"), "open_ended": row.get("open_ended"),
        "duration_hours": float(row["duration_hours"]), "event_hours": info["world_hours"],
        "part_hours": part["hours"], "overlap_factor": part["overlap_factor"],
        "costed_hours": part["exposed_hours"], "hours_low": part["hours_low"],
        "hours_high": part["hours_high"], "variant": world.label,
        "impact_version": __version__, "data_version": data_version(),
    }


def _world_note(info: Mapping[str, Any]) -> str:
    notes = []
    if info.get("capped"):
        notes.append("platform block costed for its first 365 days (Top10VPN's convention)")
    if info.get("to_snapshot"):
        notes.append("open-ended: runs to the data snapshot (variant to_snapshot)")
    return "; ".join(notes)


def _part_note(part: Mapping[str, Any]) -> str:
    factor = part["overlap_factor"]
    if factor > 0.999:  # less than 0.1 % overlap is not worth a note
        return ""
    return (f"{fmt.percent(1 - factor)} of its {fmt.hours(part['hours'])} in {part['year']} "
            "overlap other reports of the same place and days, counted once")


NO_EXPOSURE = "no exposure left: other reports cover the same place and days"
#: the central hours of a year that the rule does not cost but the hours range reaches
#: (a scenario needs hours > 0): the draws run from 0 h with this mode [h]
ZERO_PART_HOURS = 1.0


def estimate_events(events: pl.DataFrame | Iterable[str], methods: str | Sequence[str] = "all",
                    *, draws: int = DEFAULT_EVENT_DRAWS, seed: int = DEFAULT_SEED,
                    price_year: int | None = None, cap_platform_days: bool | str = True,
                    open_ended: str = "known", keep_draws: bool = False,
                    hours: str = "drawn", streams: str = "country") -> pl.DataFrame:
    """Estimate every event with every method, year by year of its exposure.

    Parameters
    ----------
    events : catalogue rows (from `load_events`, with a user's rows from
        `read_user_events` if any: those are costed beside the catalogue, against its
        events of the same countries, and never change the catalogue's figures) or event ids
    methods : ``"all"`` or method names
    draws : Monte Carlo draws per event, year and method [count]
    seed : base seed; the stream of an event is `scenario_seed` of its country (``streams``
        ``country``: common random numbers, so the uncertain inputs of the events of one
        country, in the same order, move together, as a method's coefficients and a country's
        digital share are shared) or of its id (``event``: independent events); the same for
        every year of the event (so its years' draws move together)
    price_year : year of the constant-USD column (default: the latest US deflator year)
    cap_platform_days : ``True`` costs platform blocks longer than 365 days for their first 365
        days (variant ``capped``), ``False`` in full (``uncapped``), ``"both"`` gives both
    open_ended : ``known`` costs what the source states of an open-ended event (its first
        day, or to its last listed year; with ``hours="drawn"`` drawn from there up to the
        end of its last listed year, the snapshot or 365 days more), ``to_snapshot`` runs
        open-ended events still ongoing to the data snapshot (variants ``to_snapshot_*``),
        ``both`` gives both
    keep_draws : add ``draws_usd`` (list of the Monte Carlo losses [USD]) for `summarise`
    hours : ``drawn`` (default): hours the source does not state are drawn from each part's
        range (`event_parts_range`, ``hours_low``/``hours_high``); ``rule``: the catalogue's
        hours, fixed (the ranges before the hours were drawn)
    streams : ``country`` (default) or ``event``: see ``seed``

    Returns
    -------
    One row per variant × event × calendar year × method with columns `ESTIMATE_COLUMNS`:
    ``year`` is the calendar year of the part, ``part_hours`` the event's hours in it,
    ``overlap_factor`` the share of them left once reports of the same place and days are
    counted once (`impact.catalogue.exposure`), ``costed_hours`` what the method costed (``exposed``
    hours, after a method's own platform cap). Status ``ok``, or
    ``not_applicable``/``unavailable`` with the reason. `event_totals` adds the years up.
    """
    if isinstance(events, pl.DataFrame) and events.height:
        mine = events["event_id"].cast(pl.String).str.starts_with(USER_ID_PREFIX)
        if mine.any() and not mine.all():  # a user's events never change the catalogue's
            kw = {"draws": draws, "seed": seed, "price_year": price_year,
                  "cap_platform_days": cap_platform_days, "open_ended": open_ended,
                  "keep_draws": keep_draws, "hours": hours, "streams": streams}
            return pl.concat([estimate_events(events.filter(~mine), methods, **kw),
                              estimate_events(events.filter(mine), methods, **kw)],
                             how="vertical")
    chosen_worlds = worlds(cap_platform_days, open_ended)
    if streams not in ("country", "event"):
        raise InputError("streams", streams, "country (common random numbers per country) "
                         "or event (independent events)")
    if not isinstance(events, pl.DataFrame):
        events = events_by_id(events)
    chosen = get_methods(methods)
    names = [m.name for m in chosen]
    conv = _Converter(price_year)
    rows = list(events.iter_rows(named=True))
    for row in rows:
        if isinstance(row["start"], str):
            row["start"] = _start_datetime(row["start"]).date()
    bases: list[dict[str, Any]] = []
    # per base: the index of its scenario in the pass, or (status, reason) when not costed
    target: list[int | tuple[str, str]] = []
    scenarios: list[Scenario] = []
    seeds: list[int] = []
    known: dict[tuple[str, int, float], int] = {}
    for world in chosen_worlds:
        parts = event_parts_range(events, world, hours)
        info = dict(zip(parts["event_id"].to_list(), parts.select(
            "world_hours", "capped", "to_snapshot").iter_rows(named=True), strict=True))
        by_event: dict[str, list[dict[str, Any]]] = {}
        for part in parts.iter_rows(named=True):
            by_event.setdefault(part["event_id"], []).append(part)
        for row in rows:
            eseed = scenario_seed(seed, row["iso3"] if streams == "country" else row["event_id"])
            for part in by_event.get(row["event_id"], []):
                base = _base(row, world, part, info[row["event_id"]]) | {
                    "draws": draws, "seed": eseed, "price_year": conv.price_year,
                    "_note": "; ".join(x for x in (_world_note(info[row["event_id"]]),
                                                   _part_note(part)) if x)}
                bases.append(base)
                if part["year"] < FIRST_COSTED.year:
                    why = f"indicators start in 2010: the event's {part['year']} part is not costed"
                    target.append(("unavailable", why))
                    continue
                if part["hours_high"] <= 0:
                    target.append(("ok", NO_EXPOSURE))
                    continue
                central = part["exposed_hours"]
                if central <= 0:  # a year only the high end reaches: its mode is at ~0 h
                    central = max(part["hours_low"], min(ZERO_PART_HOURS, part["hours_high"]))
                span = (part["hours_low"], part["hours_high"])
                key = (row["event_id"], part["year"], round(central, 9), round(span[0], 9),
                       round(span[1], 9))
                if key in known:
                    target.append(known[key])
                    continue
                try:
                    scenario = event_scenario(row, hours=central, start=part["part_start"],
                                              hours_range=span)
                except InputError as exc:
                    status = "not_applicable" if exc.field == "scope" else "unavailable"
                    target.append((status, exc.accepted if exc.field == "scope" else str(exc)))
                    continue
                known[key] = len(scenarios)
                target.append(len(scenarios))
                scenarios.append(scenario)
                seeds.append(eseed)
    result = run(scenarios, names, draws=draws, seeds=seeds, keep_samples=keep_draws,
                 details=False)
    return _event_rows(bases, target, chosen, result, conv, keep_draws)


_PER_BASE = ("event_id", "title", "iso3", "country", "year", "start", "end", "part_start",
             "scope", "hours_basis", "open_ended", "duration_hours", "event_hours",
             "part_hours", "overlap_factor", "hours_low", "hours_high", "variant", "draws", "seed", "price_year",
             "impact_version", "data_version")
def add_headline(estimates: pl.DataFrame) -> pl.DataFrame:
    """``estimates`` (`estimate_events` with several methods) and, after them, one row per
    variant × event × year with method ``ensemble``: the headline of that part
    (`impact.estimation.ensemble.combine` over its methods, the same rule as an estimate's headline, so
    an event's headline is the one its preset gives). Its P5/P50/P95 are the members'
    geometric means; the per-day, per-person, share-of-GDP, constant-USD and local-currency
    figures are a member's scaled to the headline's P50 (each is proportional to the loss);
    ``draws_usd``, when kept, are `impact.estimation.ensemble.combine_draws` of the members' draws."""
    keys = ["variant", "event_id", "year"]
    rows = estimates.filter(pl.col("method") != ENSEMBLE)
    if rows.height == 0:
        return estimates
    parts, names, member, _, head = combine_frame(rows, keys)
    parts = parts.rename({"_group": "_part"})
    rows = rows.join(parts, on=keys, how="left", maintain_order="left")
    n, m = parts.height, len(names)
    first = rows.filter(pl.col("status") == "ok").sort("_part").group_by(
        "_part", maintain_order=True).first()
    base = parts.join(rows.group_by("_part", maintain_order=True).first().drop(keys),
                      on="_part", how="left")
    base = base.join(first.select("_part", *[pl.col(c).alias(f"_m_{c}") for c in (
        "loss_usd_p50", *_LINEAR)]), on="_part", how="left")
    has = member.any(axis=1)
    p50 = np.where(has, head[1], np.nan)
    scale = pl.Series("_scale", p50) / base["_m_loss_usd_p50"]
    words = ["; ".join(names[t] for t in range(m) if member[r, t]) for r in range(n)]
    why = base["reason"].to_list()
    out = base.with_columns(
        pl.lit(ENSEMBLE).alias("method"),
        pl.Series("status", np.where(has, "ok", np.where(
            base["status"].to_numpy() == "ok", "not_applicable", base["status"].to_numpy()))),
        pl.Series("reason", [f"headline of {w}" if w else (
            "no method applies inside its domain with a range of a loss" if st == "ok"
            else (y or "no method applies"))
            for w, y, st in zip(words, why, base["status"].to_list(), strict=True)],
            dtype=pl.String),
        pl.Series("loss_usd_p05", np.where(has, head[0], np.nan)).fill_nan(None),
        pl.Series("loss_usd_p50", p50).fill_nan(None),
        pl.Series("loss_usd_p95", np.where(has, head[2], np.nan)).fill_nan(None),
        *[(pl.col(f"_m_{c}") * scale).fill_nan(None).alias(c) for c in _LINEAR])
    if "draws_usd" in rows.columns:
        out = out.with_columns(pl.Series("draws_usd", _headline_draws(rows, names, member),
                                         dtype=pl.List(pl.Float64)))
    out = out.select(estimates.columns)
    return pl.concat([estimates, out.cast(estimates.schema)], how="vertical")


def _headline_draws(rows: pl.DataFrame, names: list[str], member: np.ndarray,
                    block: int = 256) -> list[list[float] | None]:
    """Each part's headline draws (`impact.estimation.ensemble.combine_draws_many`) from ``rows``
    (``_part``, ``method``, ``draws_usd``), a block of parts at a time to bound memory."""
    kept = rows.filter(pl.col("draws_usd").is_not_null())
    n, m = member.shape
    out: list[list[float] | None] = [None] * n
    if kept.height == 0:
        return out
    width = kept["draws_usd"].list.len().max()
    col = {name: j for j, name in enumerate(names)}
    part = kept["_part"].to_numpy()
    method = np.array([col[x] for x in kept["method"].to_list()], dtype=np.int64)
    values = kept["draws_usd"].list.to_array(width).to_numpy()
    for start in range(0, n, block):
        stop = min(n, start + block)
        take = (part >= start) & (part < stop)
        cube = np.full((stop - start, m, width), np.nan)
        cube[part[take] - start, method[take]] = values[take]
        heads = combine_draws_many(cube, member[start:stop])
        for r in range(stop - start):
            if member[start + r].any():
                out[start + r] = heads[r].tolist()
    return out


#: event columns proportional to the loss (scaled to the headline's P50 in `add_headline`)
_LINEAR = ("loss_usd_per_day_p50", "loss_usd_per_capita_p50", "share_of_gdp_p50",
           "loss_const_usd_p50", "loss_local_p50")


_FROM_SUMMARY = ("loss_usd_p05", "loss_usd_p50", "loss_usd_p95", "loss_usd_per_capita_p50",
                 "share_of_gdp_p50")


def _event_rows(bases, target, chosen, result, conv, keep_draws: bool) -> pl.DataFrame:
    """One row per base × method (in that order), built column by column from the engine
    pass: the costed hours after each method's own platform cap, the normalisations,
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
           "Top10VPN convention)" if c else "" for m, c in zip(chosen, caps, strict=True)]

    def reason(*parts: str | None) -> str | None:
        return "; ".join(x for x in parts if x) or None

    for base, tgt in zip(bases, target, strict=True):
        for c in _PER_BASE:
            cols[c] += [base[c]] * m_count
        cols["method"] += [m.name for m in chosen]
        hours = base["costed_hours"]
        if not isinstance(tgt, int):
            status, why = tgt
            zero = status == "ok"
            cols["status"] += [status] * m_count
            cols["reason"] += [reason(why, base["_note"])] * m_count
            cols["costed_hours"] += [hours] * m_count
            for c in ("data_notes", "currency", "fx_note"):
                cols[c] += [None] * m_count
            for c in _FROM_SUMMARY:
                cols[c] += [0.0 if zero else None] * m_count
            const += [None] * m_count
            local += [None] * m_count
            samples += [[0.0] * base["draws"] if zero and keep_draws else None] * m_count
            continue
        i = tgt
        factor, currency, fx_note = conv.local(base["iso3"], base["year"])
        at = i * m_count
        status = fig["status"][at:at + m_count]
        ok = [x == "ok" for x in status]
        capped = [cap is not None and base["scope"] == "platforms" and hours > cap
                  for cap in caps]
        cols["status"] += status
        cols["reason"] += [reason(r, own[j] if capped[j] else "", base["_note"])
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
        pl.when(pl.col("costed_hours") > 0).then(p50 / (pl.col("costed_hours") / 24.0))
        .otherwise(0.0).alias("loss_usd_per_day_p50"),
        (p50 * pl.Series(const, dtype=pl.Float64)).alias("loss_const_usd_p50"),
        (p50 * pl.Series(local, dtype=pl.Float64)).alias("loss_local_p50"),
    ).select(ESTIMATE_COLUMNS)
    if keep_draws:
        frame = frame.with_columns(pl.Series("draws_usd", samples,
                                             dtype=pl.List(pl.Float64)))
    return frame


#: columns computed from the others once the frame is built
_DERIVED = ("loss_usd_per_day_p50", "loss_const_usd_p50", "loss_local_p50")


def event_totals(estimates: pl.DataFrame) -> pl.DataFrame:
    """One row per variant × event × method: the event's years added up, with its ``flag``
    (`event_flags`: why an event costed above 0.5 % of GDP or 2,000 hours is that large).

    Losses, hours, per-person losses and shares of GDP are sums over the years (each year's
    share is of that year's GDP). An event's years share its seed, so their draws move
    together and the summed P5/P95 are the range of the total. ``years`` lists the calendar
    years; ``status`` is ``ok`` when any year was costed (the reason names the others).
    """
    keys = ["variant", "event_id", "method"]
    ok = pl.col("status") == "ok"
    first = [c for c in ESTIMATE_COLUMNS if c not in (
        *keys, "year", "part_start", "part_hours", "overlap_factor", "costed_hours",
        "hours_low", "hours_high", "status", "reason", *_FROM_SUMMARY, *_DERIVED)]
    summed = ("costed_hours", "part_hours", "hours_low", "hours_high", *_FROM_SUMMARY,
              "loss_const_usd_p50", "loss_local_p50")
    aggs = [pl.col(c).first() for c in first]
    aggs += [pl.col("year").min().alias("year"),
             pl.col("year").cast(pl.String).str.join(";").alias("years"),
             pl.col("part_start").min().alias("part_start")]
    aggs += [pl.when(ok.any()).then(pl.col(c).filter(ok).sum()).alias(c)
             if c not in ("part_hours", "costed_hours", "hours_low", "hours_high")
             else pl.col(c).sum()
             for c in summed]
    aggs += [pl.when(ok.any()).then(pl.lit("ok")).otherwise(pl.col("status").first())
             .alias("status"),
             pl.col("reason").drop_nulls().unique(maintain_order=True).str.join("; ")
             .alias("reason")]
    if "draws_usd" in estimates.columns:
        aggs.append(pl.col("draws_usd").filter(ok).alias("_draws"))
    out = (estimates.group_by(keys, maintain_order=True).agg(aggs)
           .with_columns(
               pl.when(pl.col("part_hours") > 0)
               .then(pl.col("costed_hours") / pl.col("part_hours")).otherwise(1.0)
               .alias("overlap_factor"),
               pl.when(pl.col("costed_hours") > 0)
               .then(pl.col("loss_usd_p50") / (pl.col("costed_hours") / 24.0))
               .otherwise(pl.when(pl.col("status") == "ok").then(0.0))
               .alias("loss_usd_per_day_p50"),
               pl.when(pl.col("reason") == "").then(None).otherwise(pl.col("reason"))
               .alias("reason")))
    out = out.with_columns(pl.Series("flag", event_flags(out), dtype=pl.String))
    columns = [c for c in ESTIMATE_COLUMNS if c != "part_start"] + ["years", "flag"]
    if "_draws" in out.columns:
        summed_draws = [np.sum(np.array(d, dtype=float), axis=0).tolist() if d else None
                        for d in out["_draws"].to_list()]
        out = out.with_columns(pl.Series("draws_usd", summed_draws,
                                         dtype=pl.List(pl.Float64)))
        columns.append("draws_usd")
    return out.select(columns)


#: an event costed above this share of its country's GDP gets a flag [0-1 of annual GDP]
FLAG_SHARE_OF_GDP = 0.005
#: an event costed for more than this many hours gets a flag [h]
FLAG_HOURS = 2_000.0


def _flag_reason(r: Mapping[str, Any]) -> str:
    """Why an event is that large, from its hours rule, scope and range (words)."""
    basis = r.get("hours_basis") or ""
    why = []
    scope = {"full": "blackout", "mobile": "mobile data cut", "throttling": "throttling",
             "platforms": "platform block"}.get(r.get("scope") or "", "block")
    high, hours = r.get("hours_high") or 0.0, r.get("costed_hours") or 0.0
    if basis == "open_ended_listed_years":
        why.append(f"open-ended {scope} the source lists again in later years")
    elif basis == "open_ended_first_day":
        why.append(f"open-ended {scope}")
    elif basis in ("dates_whole_days", "same_day_24h", "duration_whole_days"):
        why.append(f"{scope} of whole days without stated hours")
    elif basis:
        why.append(f"{scope} with stated hours")
    else:
        why.append(scope)
    if high > hours * 1.01:
        why.append(f"hours drawn up to {fmt.hours(high)}")
    if r.get("scope") == "platforms" and "365 days" in (r.get("reason") or ""):
        why.append("costed for its first 365 days")
    return ", ".join(why)


def event_flags(totals: pl.DataFrame) -> list[str | None]:
    """Per row of `event_totals`: a short reason when the event is costed above
    `FLAG_SHARE_OF_GDP` of its country's GDP (P50 share of GDP of its years, added up) or
    above `FLAG_HOURS` costed hours (the rule's exposed hours), else None (also for an
    event the method did not cost); e.g. ``"0.8 % of
    GDP: open-ended blackout, hours drawn up to 8,712 h"``."""
    out: list[str | None] = []
    for r in totals.iter_rows(named=True):
        share, hours = r.get("share_of_gdp_p50"), r.get("costed_hours") or 0.0
        big = []
        if r.get("status") != "ok":  # not costed: nothing to explain
            out.append(None)
            continue
        if share is not None and share > FLAG_SHARE_OF_GDP:
            big.append(f"{fmt.percent(share)} of GDP")
        if hours > FLAG_HOURS:
            big.append(f"{fmt.hours(hours)} costed")
        out.append(f"{' and '.join(big)}: {_flag_reason(r)}" if big else None)
    return out


# ---- summaries and comparisons ---------------------------------------------------------------
def _check_variant(variant: str) -> str:
    if variant not in VARIANTS:
        raise InputError("variant", variant, f"one of {', '.join(VARIANTS)}")
    return variant


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
    _check_variant(variant)
    have = estimates["variant"].unique(maintain_order=True).to_list()
    if variant not in have:
        raise InputError("variant", variant, f"one of the estimated variants: "
                         f"{', '.join(have) or 'none'}")
    return estimates.filter((pl.col("method") == method) & (pl.col("variant") == variant)), \
        method


def summarise(estimates: pl.DataFrame, by: str = "country-year", method: str | None = None,
              variant: str = "capped") -> pl.DataFrame:
    """Totals of one method's event estimates per country-year, country or year.

    Years are calendar years: an event active in several years counts in each with the hours
    it had there (`estimate_events` splits it). ``loss_usd_p05``/``p50``/``p95`` are the sums
    of the events' own P5, P50 and P95 (so a total equals the sum of its events exactly)
    when the draws were not kept. When the estimates carry their Monte Carlo draws
    (``estimate_events(..., keep_draws=True)``), ``loss_usd_p05``/``loss_usd_p95`` (and
    ``loss_usd_p05_agg``/``loss_usd_p95_agg``) are the P5/P95 of the SUMMED draws: the range
    of the total, with the events' draws as correlated as `estimate_events` made them
    (common random numbers per country by default: shared inputs move together, each
    event's hours too); ``loss_usd_p50`` stays the sum of the events' P50 so that a table of
    events adds up to its total (the range is widened to hold it). Summed quantiles are
    not quantiles of the sum: without draws, P5/P95 are the range if every event's
    uncertainty moved together, and the ``_agg`` columns are null.

    Parameters
    ----------
    estimates : output of `estimate_events`
    by : ``country-year`` (``iso3, year``), ``country`` (``year`` null), ``year`` (``iso3``
        null), or the platform ledger ``platform-year`` / ``platform`` (Top10VPN's
        per-platform tables: blocks of named platforms and of other services, a leading
        ``platform`` column; a block of several platforms counts under each of them, so
        platform totals do not add up to the total of all blocks)
    method : the method to total (needed when several were estimated)
    variant : one of `VARIANTS` present in ``estimates`` (default ``capped``)

    Returns
    -------
    Columns `SUMMARY_COLUMNS` + ``loss_usd_p05_agg, loss_usd_p95_agg, n_not_costed``;
    ``n_events`` counts events with an estimate, ``n_not_costed`` those without one, and
    ``hours`` sums the costed (exposed) hours of the counted events [hours]. A group whose
    events were all left uncosted (``n_events`` 0, e.g. a block of services that are not
    costed platforms, or a part before 2010) is kept, so that ``n_not_costed`` can say so
    (the Past events page shows it); ``impact events summary`` leaves such rows out.
    """
    if by not in SUMMARY_BY:
        raise InputError("by", by, f"one of {', '.join(SUMMARY_BY)}")
    rows, _ = _pick(estimates, method, variant)
    keys = {"country-year": ["iso3", "year"], "country": ["iso3"], "year": ["year"],
            "platform-year": ["platform", "year"], "platform": ["platform"]}[by]
    if by.startswith("platform"):
        rows = _by_platform(rows)
    has_draws = "draws_usd" in rows.columns
    ok = pl.col("status") == "ok"
    aggs = [pl.col("event_id").filter(ok).n_unique().alias("n_events"),
            pl.col("event_id").filter(~ok).n_unique().alias("n_not_costed")]
    for c in ("costed_hours", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95"):
        aggs.append(pl.col(c).filter(ok).alias(c))
    if has_draws:
        aggs.append(pl.col("draws_usd").filter(ok).alias("draws_usd"))
    grouped = rows.group_by(keys).agg(aggs).sort(keys)
    lead = ["platform"] if by.startswith("platform") else []
    out: dict[str, list[Any]] = {c: [] for c in lead + SUMMARY_COLUMNS + AGG_COLUMNS
                                 + ["n_not_costed"]}
    for g in grouped.iter_rows(named=True):
        if lead:
            out["platform"].append(g["platform"])
        out["iso3"].append(g.get("iso3"))
        out["year"].append(g.get("year"))
        out["n_events"].append(g["n_events"])
        out["n_not_costed"].append(g["n_not_costed"])
        out["hours"].append(math.fsum(g["costed_hours"]))
        sums = {q: math.fsum(g[f"loss_usd_{q}"]) for q in ("p05", "p50", "p95")}
        lo = hi = None
        if has_draws and g["draws_usd"] and all(d is not None for d in g["draws_usd"]):
            lo, hi = summed_range(g["draws_usd"])
            sums["p05"], sums["p95"] = min(lo, sums["p50"]), max(hi, sums["p50"])
        for q in ("p05", "p50", "p95"):
            out[f"loss_usd_{q}"].append(sums[q])
        out["loss_usd_p05_agg"].append(lo)
        out["loss_usd_p95_agg"].append(hi)
    schema = ({"platform": pl.String} if lead else {}) | {
              "iso3": pl.String, "year": pl.Int64, "n_events": pl.Int64, "hours": pl.Float64,
              "loss_usd_p05": pl.Float64, "loss_usd_p50": pl.Float64,
              "loss_usd_p95": pl.Float64, "loss_usd_p05_agg": pl.Float64,
              "loss_usd_p95_agg": pl.Float64, "n_not_costed": pl.Int64}
    return pl.DataFrame(out, schema=schema)


def summed_range(draws: Sequence[Sequence[float]]) -> tuple[float, float]:
    """P5 and P95 of the sum of several events' draws [USD], draw by draw (draw i of every
    event belongs to the same joint draw).

    >>> summed_range([[0.0, 1.0, 2.0], [10.0, 10.0, 10.0]])
    (10.1, 11.9)
    """
    total = np.sum(np.array(draws, dtype=float), axis=0)
    lo, hi = np.quantile(total, [0.05, 0.95])
    return round(float(lo), 12), round(float(hi), 12)


def _by_platform(rows: pl.DataFrame) -> pl.DataFrame:
    """Platform-block rows, one per blocked platform (`OTHER_SERVICES` for blocks of
    services that are not costed platforms), with a ``platform`` column."""
    blocks = rows.filter(pl.col("scope").is_in(["platforms", "platforms_other"]))
    ids = blocks["event_id"].unique().to_list()
    try:
        named = catalogue().filter(pl.col("event_id").is_in(ids)).select(
            "event_id", pl.col("platforms").fill_null(""))
    except BundledDataError:
        raise
    except DataError:
        named = pl.DataFrame({"event_id": ids, "platforms": [""] * len(ids)})
    blocks = blocks.join(named, on="event_id", how="left").with_columns(
        platform=pl.when(pl.col("platforms").fill_null("") == "")
        .then(pl.lit([OTHER_SERVICES]))
        .otherwise(pl.col("platforms").str.split(";")))
    return blocks.explode("platform").drop("platforms")


COMPARE_COLUMNS = ["event_id", "title", "iso3", "country", "year", "years", "scope",
                   "costed_hours", "hours_low", "hours_high", "variant", "method", "status",
                   "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
                   "loss_usd_per_day_p50", "rank_per_day", "loss_usd_per_capita_p50",
                   "rank_per_capita", "share_of_gdp_p50", "rank_share_of_gdp", "reason", "flag"]


def compare(events: pl.DataFrame | Iterable[str], methods: str | Sequence[str] = "all", *,
            variant: str = "capped", draws: int = DEFAULT_EVENT_DRAWS,
            seed: int = DEFAULT_SEED) -> pl.DataFrame:
    """Events side by side, in the order given, per method: the loss (P5, P50, P95 [USD]),
    loss per day, per person and as a share of annual GDP (each year's share of its own GDP,
    added up), each with its rank among the compared events (1 = largest); an event's years
    are added up (`event_totals`). Rows run event by event, the methods within each.

    Parameters
    ----------
    events : event ids (an id given twice counts once), catalogue rows, or estimates from
        `estimate_events` (then ``methods``, ``draws`` and ``seed`` are not used)
    variant : one of `VARIANTS`
    """
    _check_variant(variant)
    if isinstance(events, pl.DataFrame) and "method" in events.columns:
        estimates = events
    else:
        if not isinstance(events, pl.DataFrame):
            events = events_by_id(events)
        world = variant_world(variant)
        estimates = estimate_events(events, methods, draws=draws, seed=seed,
                                    cap_platform_days=world.cap, open_ended=world.end)
    given = events if "method" not in events.columns else estimates  # the order given
    order = {e: i for i, e in enumerate(given["event_id"].unique(maintain_order=True))}
    rows = event_totals(estimates.filter(pl.col("variant") == variant)).sort(
        pl.col("event_id").replace_strict(order, return_dtype=pl.Int64), maintain_order=True)
    ranks = []
    for col, name in (("loss_usd_per_day_p50", "rank_per_day"),
                      ("loss_usd_per_capita_p50", "rank_per_capita"),
                      ("share_of_gdp_p50", "rank_share_of_gdp")):
        ranks.append(pl.col(col).rank("min", descending=True).over("method").cast(pl.Int64)
                     .alias(name))
    return rows.with_columns(ranks).select(COMPARE_COLUMNS)


# ---- your own events beside the catalogue -----------------------------------------------------
#: ``origin`` of a bundled catalogue event and of one read from a user's file
ORIGIN_CATALOGUE, ORIGIN_YOURS = "catalogue", "yours"
#: every event id read from a user's file starts with this (catalogue ids start ``AN-``)
USER_ID_PREFIX = "U-"
#: the columns a row of our events CSV must give (`read_user_events`)
USER_REQUIRED = ("country", "start", "scope")
#: optional columns of our events CSV, read as the catalogue's (`read_user_events`)
USER_OPTIONAL = ("event_id", "end", "duration_days", "status", "platforms",
                 "area_names", "geo_scope", "affected_share", "affected_share_low",
                 "affected_share_high", "daily_hours", "cause", "justification", "election",
                 "violence", "source_link")
#: an event id a user may give (no markup, no formula, no separators)
_OWN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
#: largest user file read [bytes] and most records kept [rows]
USER_MAX_BYTES, USER_MAX_ROWS = 5 * 2**20, 2_000
#: scope of our CSV -> (shutdown_extent, shutdown_type, affected_network) of a STOP row
_SCOPE_TO_STOP = {
    "full": ("Full network", "Shutdown", "Broadband, Mobile"),
    "mobile": ("Full network", "Shutdown", "Mobile"),
    "throttling": ("Full network", "Throttle", "Broadband, Mobile"),
    "platforms": ("Service-based", "Shutdown", "Broadband, Mobile"),
}
#: platform key -> the STOP flag column that names it (others go to ``other_affected``)
_PLATFORM_FLAG = {"facebook": "facebook_affected", "x": "twitter_affected",
                  "whatsapp": "whatsapp_affected", "instagram": "instagram_affected",
                  "telegram": "telegram_affected"}
_PLATFORM_WORD = {"youtube": "YouTube", "tiktok": "TikTok", "signal": "Signal"}
_STOP_TEXT = ("start_date_type", "start_date", "end_date", "duration", "country",
              "iso3_helper", "geo_scope", "area_name", "shutdown_type", "affected_network",
              "shutdown_extent", "actual_cause", "shutdown_status", "gov_justification",
              "facebook_affected", "twitter_affected", "whatsapp_affected",
              "instagram_affected", "telegram_affected", "other_affected", "sms_affected",
              "phonecall_affected", "telcos_involved", "election", "violence", "event",
              "an_link", "info_source_link")


@dataclass(frozen=True)
class UserEvents:
    """A user's event list read by `read_user_events`.

    ``events``: catalogue rows (``data/events.csv`` columns, ids `USER_ID_PREFIX`…) plus
    ``origin`` (`ORIGIN_YOURS`); ``records`` read, ``refused`` one line per bad record
    (its row or line and why), ``known`` rows left out because the catalogue already holds
    them (same event id), ``notes`` other things said about the file."""

    events: pl.DataFrame
    records: int
    refused: tuple[str, ...] = ()
    known: int = 0
    notes: tuple[str, ...] = ()

    @property
    def kept(self) -> int:
        """Events kept [count] (rows describing the same event are merged, as in the
        catalogue)."""
        return self.events.height

    def summary(self) -> str:
        """One line: what was read, kept, refused and already in the catalogue."""
        parts = [f"{fmt.count(self.records)} records read",
                 f"{fmt.count(self.kept)} events kept",
                 f"{fmt.count(len(self.refused))} refused"]
        if self.known:
            parts.append(f"{fmt.count(self.known)} already in the catalogue")
        return ", ".join(parts)


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _user_date(value: str, field: str) -> str:
    """``YYYY-MM-DD`` of a date cell (``2026-01-08`` or ``2026-01-08 00:00:00``)."""
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise InputError(field, value, "a date such as 2026-01-08") from None


def _stop_row_from_ours(cell: Mapping[str, str]) -> dict[str, str]:
    """One row of our events CSV as a STOP row, so the catalogue's rules read it."""
    for col in USER_REQUIRED:
        if not cell.get(col):
            raise InputError(col, cell.get(col, ""), f"a value: {col} is required "
                             f"({', '.join(USER_REQUIRED)})")
    iso3 = resolve_country(cell["country"])
    start = _user_date(cell["start"], "start")
    end = _user_date(cell["end"], "end") if cell.get("end") else ""
    if end and end < start:
        raise InputError("end", cell["end"], f"a date on or after start ({start}), or blank "
                         "when the end is not known")
    scope = cell["scope"].lower()
    if scope not in _SCOPE_TO_STOP:
        raise InputError("scope", cell["scope"], "one of full, mobile, throttling, platforms")
    extent, stype, network = _SCOPE_TO_STOP[scope]
    row = dict.fromkeys(_STOP_TEXT, "") | {
        "iso3_helper": iso3, "country": iso3, "start_date": start, "end_date": end,
        "shutdown_extent": extent, "shutdown_type": stype, "affected_network": network,
        "start_date_type": "Actual", "an_link": cell.get("source_link", ""),
        "area_name": cell.get("area_names") or "Nationwide",
        "actual_cause": cell.get("cause", ""), "gov_justification": cell.get("justification", "")}
    keys = [_platform(p) for p in cell.get("platforms", "").replace(",", ";").split(";")
            if p.strip()]
    if scope == "platforms" and not keys:
        raise InputError("platforms", cell.get("platforms", ""), "the blocked platforms for "
                         f"scope platforms, ';'-joined: {', '.join(PLATFORMS)}")
    for key in keys if scope == "platforms" else []:
        if key in _PLATFORM_FLAG:
            row[_PLATFORM_FLAG[key]] = "Yes"
        else:
            row["other_affected"] = ", ".join(filter(None, [row["other_affected"],
                                                             _PLATFORM_WORD[key]]))
    if cell.get("duration_days"):
        try:
            days = float(cell["duration_days"])
        except ValueError:
            days = -1.0
        if not (math.isfinite(days) and days >= 0):
            raise InputError("duration_days", cell["duration_days"], "a number of days >= 0")
        row["duration"] = cell["duration_days"]
    status = cell.get("status", "").lower()
    if status not in ("", "ongoing", "ended", "unknown"):
        raise InputError("status", cell["status"], "ongoing, ended, unknown or blank")
    row["shutdown_status"] = {"ongoing": "Ongoing", "ended": "Ended"}.get(status, "")
    scopes = {v: k for k, v in _geo_scopes().items()}
    if cell.get("geo_scope"):
        if cell["geo_scope"] not in scopes:
            raise InputError("geo_scope", cell["geo_scope"], "one of " + ", ".join(scopes))
        row["geo_scope"] = scopes[cell["geo_scope"]]
    for col in ("election", "violence"):
        text = cell.get(col, "").lower()
        row[col] = {"true": "Yes", "yes": "Yes", "1": "Yes", "false": "No", "no": "No",
                    "0": "No"}.get(text, "")
    return row


def _geo_scopes() -> dict[str, str]:
    return GEO_SCOPE


def _overrides(cell: Mapping[str, str]) -> dict[str, float]:
    """Figures our events CSV may state instead of the rules: ``affected_share`` (with
    ``_low``/``_high``) [0-1] and ``daily_hours`` [h, 0-24]."""
    out: dict[str, float] = {}
    for col in ("affected_share", "affected_share_low", "affected_share_high", "daily_hours"):
        if cell.get(col):
            try:
                x = float(cell[col])
            except ValueError:
                x = math.nan
            top = 24.0 if col == "daily_hours" else 1.0
            if not (math.isfinite(x) and 0 < x <= top):
                raise InputError(col, cell[col], f"a number > 0 and <= {top:g}"
                                 + (" [hours a day]" if col == "daily_hours" else " [0-1]"))
            out[col] = x
    if "affected_share" not in out and ("affected_share_low" in out
                                        or "affected_share_high" in out):
        raise InputError("affected_share", "", "a share when affected_share_low or _high "
                         "is given")
    return out


def _stop_row(cell: Mapping[str, str], count_year: int | None) -> dict[str, str]:
    """One STOP row checked: a start date, a known country (or several ``;``-joined in
    ``iso3_helper``), extent and type of the STOP vocabulary."""
    row = dict.fromkeys(_STOP_TEXT, "") | {k: v for k, v in cell.items() if k in _STOP_TEXT}
    if not row["start_date"]:
        raise InputError("start_date", "", "a date such as 2026-01-08")
    row["start_date"] = _user_date(row["start_date"], "start_date")
    end = row["end_date"]
    try:  # text such as "Ongoing" is no end date, as in the catalogue
        row["end_date"] = date.fromisoformat(end[:10]).isoformat() if end else ""
    except ValueError:
        row["end_date"] = ""
    row["duration"] = cell.get("duration") or ""
    codes = row["iso3_helper"] or row["country"]
    if not codes:
        raise InputError("country", "", "a country name or ISO3 code")
    parts = codes.split(";") if row["iso3_helper"] else [codes]
    row["iso3_helper"] = ";".join(resolve_country(c.strip()) for c in parts if c.strip())
    if row["shutdown_extent"] not in EXTENT:
        raise InputError("shutdown_extent", row["shutdown_extent"], "one of "
                         + ", ".join(EXTENT))
    row["count_year"] = str(count_year or row["start_date"][:4])
    return row


def _tables(source: str | Path | bytes, sheet: str | None, name: str | None
            ) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """``(label, header, [(where, cells)])`` of each table of a CSV or workbook file."""
    import csv
    import io as _io

    label = name or ("upload" if isinstance(source, bytes) else Path(source).name)
    data = source
    if not isinstance(source, bytes):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InputError("events_file", str(source), f"a readable file "
                             f"({exc.strerror or exc})") from None
    if len(data) > USER_MAX_BYTES:
        raise InputError("events_file", f"{label} ({len(data):,} bytes)", "a file of at most "
                         f"{USER_MAX_BYTES // 2**20} MB")
    if is_workbook(data, label):
        try:
            book = sheets(data, sheet, label)
        except TimelineError as exc:
            raise InputError(exc.field if hasattr(exc, "field") else "sheet", sheet,
                             str(exc)) from None
        out = []
        for sheet_name, frame in book:
            rows = [(f"row {i + 2}",
                     [_cell_text(v) for v in r]) for i, r in enumerate(frame.iter_rows())]
            out.append((f"{label} / {sheet_name}", list(frame.columns), rows))
        return out
    if sheet not in (None, "", "all"):
        raise InputError("sheet", sheet, "no sheet for a CSV file (only workbooks have sheets)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("events_file", label, "a UTF-8 CSV file or a .xlsx workbook") from None
    reader = csv.reader(_io.StringIO(text))
    header = next(reader, [])
    rows = [(f"line {reader.line_num}", [c.strip() for c in r]) for r in reader]
    return [(label, header, rows)]


def _count_year(label: str) -> int | None:
    """The year a STOP sheet is named after ('2022 Data'), else None."""
    found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", label.rsplit(" / ", 1)[-1])
    return int(found[0]) if len(found) == 1 else None


def read_user_events(source: str | Path | bytes, sheet: str | None = None,
                     name: str | None = None) -> UserEvents:
    """A user's own event list, costed by the catalogue's rules (`impact.catalogue.rules`).

    Reads our events CSV (the columns of ``data/events.csv``: `USER_REQUIRED` at least,
    `USER_OPTIONAL` read when given) or an Access Now #KeepItOn STOP sheet (CSV, or a
    workbook's sheets: ``sheet`` or all of them). Every row goes through the same rules as
    the catalogue's rows: end dates, open-ended events, hours a day, scope, platforms,
    deduplication, the affected share of the places named, networks and flags. A row of our
    CSV with ``area_names`` blank is nationwide; ``affected_share`` and ``daily_hours``
    replace the rule's values when given. A bad record is refused with one line (where, the
    field, the value and what is accepted); the good ones are kept. Rows the catalogue
    already holds (the same id) are counted, not added again.

    Raises
    ------
    InputError : an unreadable, too large or empty file, a header with neither format's
        columns, more than `USER_MAX_ROWS` records, or a sheet the workbook does not have
    """
    tables = _tables(source, sheet, name)
    raw: list[dict[str, str]] = []
    given: list[dict[str, float]] = []
    own_ids: list[str] = []
    refused: list[str] = []
    records = 0
    for label, header, rows in tables:
        keys = [h.strip().lower() for h in header]
        stop = "start_date" in keys and ("shutdown_extent" in keys or "shutdown_type" in keys)
        ours = "start" in keys and ("country" in keys or "iso3" in keys)
        if not (stop or ours):
            raise InputError("header", ",".join(header)[:120], "our events columns (at least "
                             f"{', '.join(USER_REQUIRED)}) or Access Now STOP columns "
                             "(start_date, country, shutdown_type, shutdown_extent)")
        year = _count_year(label)
        for where, cells in rows:
            if not any(cells):
                continue
            records += 1
            if records > USER_MAX_ROWS:
                raise InputError("events_file", f"more than {USER_MAX_ROWS} records",
                                 f"at most {USER_MAX_ROWS} records")
            try:
                if len(cells) != len(keys):
                    raise InputError("row", f"{len(cells)} cells", f"{len(keys)} cells, one "
                                     "per column of the header")
                cell = dict(zip(keys, cells, strict=True))
                if "duration" not in cell and "duration_days" in cell and stop:
                    cell["duration"] = cell["duration_days"]
                if ours and not stop:
                    cell.setdefault("country", cell.get("iso3", ""))
                    cell["country"] = cell["country"] or cell.get("iso3", "")
                    row, extra = _stop_row_from_ours(cell), _overrides(cell)
                    row["count_year"] = row["start_date"][:4]
                    own = cell.get("event_id", "")
                    if own and not _OWN_ID.fullmatch(own):
                        raise InputError("event_id", own, "letters, digits, '.', '_' or '-' "
                                         "(at most 60, starting with a letter or digit), or "
                                         "blank for an id made from the row")
                else:
                    row, extra, own = _stop_row(cell, year), {}, ""
            except InputError as exc:
                refused.append(f"{label}, {where}: {exc}")
                continue
            raw.append(row)
            given.append(extra)
            own_ids.append(own)
    if not raw:
        return UserEvents(_empty_user_frame(), records, tuple(refused))
    frame = pl.DataFrame(raw, schema=dict.fromkeys([*_STOP_TEXT, "count_year"], pl.String))
    frame = frame.with_columns(pl.col("count_year").cast(pl.Int64))
    events = _apply_rules(frame, given, own_ids, rules)
    known_ids = set(catalogue()["event_id"].to_list())
    is_known = events["event_id"].is_in(list(known_ids))
    known = int(is_known.sum())
    events = events.filter(~is_known).with_columns(
        pl.when(pl.col("event_id").str.starts_with(USER_ID_PREFIX)).then(pl.col("event_id"))
        .otherwise(USER_ID_PREFIX + pl.col("event_id")).alias("event_id"),
        pl.lit(ORIGIN_YOURS).alias("origin"))
    return UserEvents(_typed(events), records, tuple(refused), known)


def _apply_rules(frame: pl.DataFrame, given: list[dict[str, float]], own_ids: list[str],
                 rules) -> pl.DataFrame:
    """The catalogue's rules (`impact.build.catalogue.events_table`'s steps) on checked
    STOP rows, then the figures a row of our CSV states."""
    rows, _ = rules.parse_rows(frame)
    rows = rows.with_columns(
        pl.Series("_given", [str(i) for i in range(len(given))]),
        pl.Series("_own", own_ids, dtype=pl.String))
    ops = dict(catalogue().select("iso3", "country_operators").drop_nulls()
               .unique("iso3").iter_rows())
    events = rules.add_network_shares(rules.add_shares(rules.deduplicate(rows)), ops)
    events = rules.extend_by_listed_years(events)
    events = events.with_columns(pl.Series("country", [country_name(c) for c in
                                                       events["iso3"].to_list()]))
    events = _with_given(events, given)
    events = rules.add_hours_flags(rules.add_texts(events))
    own = pl.when(pl.col("_own").fill_null("") != "").then(pl.col("_own"))
    return events.with_columns(own.otherwise(pl.col("event_id")).alias("event_id")) \
        .select(rules.EVENT_COLUMNS)


def _with_given(events: pl.DataFrame, given: list[dict[str, float]]) -> pl.DataFrame:
    """Affected shares and daily hours a row of our CSV states, in place of the rules'
    (``share_method`` ``given``; ``hours_basis`` ``hours_per_day_stated``)."""
    out = []
    for r in events.iter_rows(named=True):
        g = given[int(r["_given"])] if r.get("_given") is not None else {}
        if "affected_share" in g:
            s = g["affected_share"]
            r |= {"affected_share": s, "affected_share_low": min(g.get("affected_share_low", s), s),
                  "affected_share_high": max(g.get("affected_share_high", s), s),
                  "share_method": "given", "area_units": ""}
        if "daily_hours" in g:
            h = g["daily_hours"]
            r |= {"daily_hours": h, "duration_hours": round(r["days_active"] * h, 4),
                  "hours_basis": "hours_per_day_stated" if r["days_active"] > 1
                  else ("open_ended_first_day" if r["open_ended"] else "hours_stated")}
            if r.get("hours_to_snapshot") is not None:
                r["hours_to_snapshot"] = round(r["hours_to_snapshot"] / 24.0 * h, 4)
        out.append(r)
    return pl.DataFrame(out, schema=events.schema)


def _typed(events: pl.DataFrame) -> pl.DataFrame:
    """User rows with the catalogue's column types (`catalogue`), so they stack with it."""
    cat = catalogue()
    cols = [pl.col(c).cast(cat.schema[c], strict=False) if c in cat.columns else pl.col(c)
            for c in events.columns]
    return events.select(cols)


def _empty_user_frame() -> pl.DataFrame:
    cat = catalogue()
    return cat.clear().with_columns(pl.lit(None, pl.String).alias("origin"))


def with_origin(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with an ``origin`` column: `ORIGIN_YOURS` for event ids from a user's file
    (`USER_ID_PREFIX`), else `ORIGIN_CATALOGUE`; placed after ``event_id``."""
    origin = pl.when(pl.col("event_id").cast(pl.String).str.starts_with(USER_ID_PREFIX)) \
        .then(pl.lit(ORIGIN_YOURS)).otherwise(pl.lit(ORIGIN_CATALOGUE)).alias("origin")
    out = frame.drop("origin", strict=False).with_columns(origin)
    cols = [c for c in out.columns if c != "origin"]
    at = cols.index("event_id") + 1 if "event_id" in cols else 0
    return out.select([*cols[:at], "origin", *cols[at:]])


def filter_events(events: pl.DataFrame, country: str | Sequence[str] | None = None,
                  years: Any = None, type: str | Sequence[str] | None = None,
                  platform: str | None = None, election: bool | None = None,
                  search: str | None = None) -> pl.DataFrame:
    """`load_events`'s filters on any catalogue-shaped frame (a user's events too); the
    years are checked against the catalogue's range widened to hold ``events``'s."""
    year = pl.col("start").dt.year()
    span = year_range(years, events) if years is not None else None  # before any filter
    if country is not None:
        names = [country] if isinstance(country, str) else list(country)
        if not names:
            raise InputError("country", country, "one or more countries")
        events = events.filter(pl.col("iso3").is_in([resolve_country(c) for c in names]))
    if span is not None:
        first, last = span
        until = pl.col("end").fill_null(pl.col("start")).dt.year()
        events = events.filter((year <= last) & (until >= first))
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
    if search is not None:
        events = events.filter(search_mask(events, search))
    return events.sort("start", "event_id")


def with_yours(catalogue_rows: pl.DataFrame, yours: pl.DataFrame | None) -> pl.DataFrame:
    """Catalogue rows and a user's rows in one frame with ``origin``, sorted by start."""
    rows = with_origin(catalogue_rows)
    if yours is None or yours.height == 0:
        return rows
    mine = with_origin(yours).select(rows.columns)
    return pl.concat([rows, mine.cast(rows.schema, strict=False)], how="vertical") \
        .sort("start", "event_id")


def rows_by_id(event_ids: Iterable[str], yours: pl.DataFrame | None = None) -> pl.DataFrame:
    """Rows of ``event_ids`` in the given order, each once, from the catalogue or a user's
    events (ids `USER_ID_PREFIX`…); an unknown id raises `InputError`."""
    ids = list(dict.fromkeys(str(i) for i in event_ids))
    mine = yours if yours is not None else _empty_user_frame()
    theirs = [i for i in ids if not i.startswith(USER_ID_PREFIX)]
    for i in ids:
        if i.startswith(USER_ID_PREFIX) and i not in set(mine["event_id"].to_list()):
            close = difflib.get_close_matches(i, mine["event_id"].to_list(), n=3)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise InputError("event_id", i, f"{hint}an id of your events file "
                             "(`impact events list --events-file FILE` shows them)")
    rows = with_yours(events_by_id(theirs) if theirs else catalogue().clear(),
                      mine.filter(pl.col("event_id").is_in(ids)))
    order = pl.DataFrame({"event_id": ids, "_order": list(range(len(ids)))})
    return rows.join(order, on="event_id", how="left").sort("_order").drop("_order")
