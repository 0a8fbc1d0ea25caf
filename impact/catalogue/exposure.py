"""Catalogue exposure as a timeline: country × day × scope × area, each place counted once.

The catalogue lists reports, not exposure: reports of the same region on the same days, a
district inside a state cut off at the same time, or a platform block during a full
blackout would be counted twice if events were summed. This module turns a set of events
into exposure per country, scope and day, and gives every event its *exposed hours*: its
hours on each day times that day's overlap factor, split by calendar year.

Rules (pure functions over polars frames; ``docs/events.md`` has the counts):

1. **Worlds.** Which hours an event has depends on two explicit choices (`World`):
   ``end`` — ``known`` (open-ended events cost only what the source states, the
   catalogue's ``duration_hours``) or ``to_snapshot`` (open-ended events still ongoing run
   to the data snapshot, ``hours_to_snapshot``); and ``cap`` — platform blocks longer than
   365 days are costed for their first 365 days (Top10VPN's convention) or in full.
2. **Days.** An event covers ``ceil(hours / daily_hours)`` consecutive days from its start
   date, ``daily_hours`` on each (the last day the remainder). The catalogue has no time of
   day, so the day is the unit of the timeline; runs of days on which nothing starts or
   ends (and no year begins) are computed once (`event_segments`).
3. **Places.** An event's affected share is split into *units*: the sub-national units it
   matched (``area_units``: ``kind/name/parent=share``), a remainder for pieces of its area
   text that matched nothing, or, without matched units, one unit named by its area text
   (an event with no area text is a place of its own); a nationwide event is the unit
   ``*`` with share 1.
4. **Union within a scope.** On a day, a unit reported by several events of one scope
   (for platform blocks: one set of blocked platforms; an X block and a TikTok block are
   two exposures) counts once, for the longest of their hours; a unit inside an admin-1 unit reported the
   same day (a district of a state) counts only for its hours beyond the state's; every
   unit counts only for its hours beyond a nationwide event of the same scope that day.
5. **Across scopes.** A full blackout covers every other scope in the same place: mobile,
   throttling and platform exposure in a unit counts only for its hours beyond the full
   blackout there (or nationwide); a nationwide non-full event counts only for the
   share-hours not already blacked out.
6. **Bounded.** A country-scope-day's exposure is at most 24 share-hours (the whole
   country for the whole day) and its affected share at most 1; across scopes, full
   exposure plus any other scope's exposure is at most 24 share-hours.
7. **Overlap factor.** f = (union share-hours of the day) ÷ (sum over events of share ×
   hours) ∈ [0, 1]; each event's exposed hours on that day are its hours × f. An event
   alone on its days keeps f = 1 and its hours.
8. **Calendar years.** An event's exposed hours are summed per calendar year of its days;
   a multi-year event is costed year by year with each year's indicators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from impact.errors import InputError

#: costed-days cap of platform blocks when capped [days] (Top10VPN's convention)
CAP_DAYS = 365
PLATFORM_SCOPES = ("platforms", "platforms_other")
#: a full blackout covers every other scope in the same place
COVERING_SCOPE = "full"
NATIONWIDE = "*"
ENDS = ("known", "to_snapshot")


@dataclass(frozen=True)
class World:
    """One explicit choice of end rule and platform cap; `label` names it in outputs."""

    end: str = "known"
    cap: bool = True

    def __post_init__(self) -> None:
        if self.end not in ENDS:
            raise InputError("open_ended", self.end, "known (cost what the source states) or "
                             "to_snapshot (open-ended events run to the data snapshot)")
        if not isinstance(self.cap, bool):
            raise InputError("cap_platform_days", self.cap, "True or False")

    @property
    def label(self) -> str:
        """``capped``, ``uncapped``, ``to_snapshot_capped`` or ``to_snapshot_uncapped``."""
        cap = "capped" if self.cap else "uncapped"
        return cap if self.end == "known" else f"to_snapshot_{cap}"


WORLD_LABELS = tuple(World(e, c).label for e in ENDS for c in (True, False))


def variant_world(label: str) -> World:
    """The `World` of a variant label (`WORLD_LABELS`).

    >>> variant_world("to_snapshot_uncapped")
    World(end='to_snapshot', cap=False)
    """
    worlds_by_label = {World(e, c).label: World(e, c) for e in ENDS for c in (True, False)}
    if label not in worlds_by_label:
        raise InputError("variant", label, f"one of {', '.join(WORLD_LABELS)}")
    return worlds_by_label[label]

# ---- hours as a range ------------------------------------------------------------------------
#: hours bases whose hours the source states (times, a number of hours, hours per day)
KNOWN_HOURS_BASES = ("times_stated", "hours_stated", "hours_per_day_stated")
#: hours bases costed as whole days of 24 h because the source gives no time of day
WHOLE_DAY_BASES = ("dates_whole_days", "duration_whole_days", "same_day_24h")
#: hours bases of events without an end date
OPEN_ENDED_BASES = ("open_ended_first_day", "open_ended_listed_years")
#: open-ended events the catalogue already caps (a regional event, at most 90 days): drawn
#: from its first day up to the cap, never beyond it
CAPPED_OPEN_BASES = ("open_ended_regional_capped",)
#: hours a day set by a default rule, not stated (an exam cut without stated hours): drawn
#: from `FLOOR_HOURS_PER_DAY` to 24 h on each of its days, around the default
DEFAULT_DAILY_BASES = ("exam_hours_default",)
#: the least a whole day without stated hours is taken to have been cut [h a day]: the
#: catalogue's reading of "a few hours" (`impact.build.event_facts.stated_hours`)
FLOOR_HOURS_PER_DAY = 3.0
#: the longest an open-ended event is drawn beyond its known part [days]
OPEN_ENDED_MAX_DAYS = 365


def _with_defaults(events: pl.DataFrame, defaults: dict) -> tuple[pl.DataFrame, pl.Expr]:
    """``events`` with each missing column of ``defaults`` filled with its default, and the
    ``start`` column as a date expression (a date, a date-time or ISO text)."""
    out = events
    for c, v in defaults.items():
        if c not in out.columns:
            out = out.with_columns(pl.lit(v).alias(c))
    start = pl.col("start")
    if out.schema["start"] == pl.String:
        start = start.str.slice(0, 10).str.to_date()
    elif out.schema["start"] != pl.Date:
        start = start.cast(pl.Date)
    return out, start


def _last_listed_year() -> pl.Expr:
    listed = (pl.col("listed_years").cast(pl.String).fill_null("").str.split(";")
              .list.eval(pl.element().str.strip_chars().cast(pl.Int32, strict=False))
              .list.max())
    return pl.coalesce(listed, pl.col("start").dt.year().cast(pl.Int32))


def hours_range(events: pl.DataFrame) -> pl.DataFrame:
    """Per event: the range its hours are drawn from where the source does not state them.

    Returns ``event_id, hours_low, hours_high`` [h] and ``hours_rule`` (the rule in words);
    the catalogue's ``duration_hours`` (the rule's central hours) is always inside the range.

    - stated hours (``times_stated``, ``hours_stated``, ``hours_per_day_stated``): known,
      low = high = ``duration_hours``;
    - whole days (``dates_whole_days``, ``duration_whole_days``, ``same_day_24h``, and
      ``open_ended_first_day`` with 24 h a day, i.e. no stated hours): from
      `FLOOR_HOURS_PER_DAY` to 24 h on each of its days;
    - open-ended (``open_ended_first_day``, ``open_ended_listed_years``): up to the
      earliest of the data snapshot (``start`` + ``hours_to_snapshot``), the end of its
      last listed year (``listed_years``; the source re-lists events still in force) and
      `OPEN_ENDED_MAX_DAYS` after its known part (``end``), at ``daily_hours`` a day; the
      low end is the known part (for a first day without stated hours, its floor).

    Examples
    --------
    >>> from datetime import date
    >>> ev = pl.DataFrame({"event_id": ["a", "b", "c"], "hours_basis": ["times_stated",
    ...     "dates_whole_days", "open_ended_first_day"], "daily_hours": [24.0] * 3,
    ...     "duration_hours": [5.0, 72.0, 24.0], "start": [date(2020, 3, 1)] * 3,
    ...     "end": [date(2020, 3, 2), date(2020, 3, 4), date(2020, 3, 2)],
    ...     "open_ended": [False, False, True], "listed_years": ["2020"] * 3,
    ...     "hours_to_snapshot": [None, None, 24.0 * 2000]})
    >>> hours_range(ev).select("hours_low", "hours_high").rows()
    [(5.0, 5.0), (9.0, 72.0), (3.0, 7344.0)]
    """
    need = ("event_id", "duration_hours", "start")
    missing = [c for c in need if c not in events.columns]
    if missing:
        raise InputError("events", ", ".join(missing), "catalogue rows with the columns "
                         + ", ".join(need))
    # a catalogue without ``hours_basis`` states nothing about how its hours were read:
    # they are taken as known
    out, start = _with_defaults(events, {"hours_basis": "", "daily_hours": 24.0, "end": None,
                                         "open_ended": None, "listed_years": None,
                                         "hours_to_snapshot": None})
    end = pl.col("end")
    if out.schema["end"] in (pl.String, pl.Null):
        end = end.cast(pl.String).str.slice(0, 10).str.to_date(strict=False)
    elif out.schema["end"] != pl.Date:
        end = end.cast(pl.Date)
    basis = pl.col("hours_basis").cast(pl.String).fill_null("")
    hours = pl.col("duration_hours").cast(pl.Float64)
    daily = pl.col("daily_hours").cast(pl.Float64).fill_null(24.0).clip(1e-9, 24.0)
    days = (hours / daily - 1e-9).ceil().clip(lower_bound=1.0)
    open_ended = basis.is_in(OPEN_ENDED_BASES) | (
        pl.col("open_ended").cast(pl.Boolean).fill_null(False)
        & ~basis.is_in(KNOWN_HOURS_BASES + CAPPED_OPEN_BASES + DEFAULT_DAILY_BASES))
    frame = out.select(
        pl.col("event_id").cast(pl.String), start.alias("_start"), end.alias("_end"),
        basis.alias("_basis"), hours.alias("_hours"), daily.alias("_daily"),
        days.alias("_days"), open_ended.alias("_open"), _last_listed_year().alias("_last"),
        pl.col("hours_to_snapshot").cast(pl.Float64).alias("_snap_h"))
    known_end = pl.coalesce(pl.col("_end"), pl.col("_start")
                            + pl.duration(days=pl.col("_days").cast(pl.Int64)))
    snapshot = pl.col("_start") + pl.duration(
        days=(pl.col("_snap_h") / pl.col("_daily") - 1e-9).ceil().cast(pl.Int64))
    limits = [pl.date(pl.col("_last") + 1, 1, 1),
              known_end + pl.duration(days=OPEN_ENDED_MAX_DAYS)]
    latest = pl.min_horizontal(*limits, snapshot)  # a null snapshot (ended) is skipped
    open_high = pl.max_horizontal(
        pl.col("_hours"),
        (latest - pl.col("_start")).dt.total_days().cast(pl.Float64) * pl.col("_daily"))
    whole_day = (pl.col("_basis").is_in(WHOLE_DAY_BASES)
                 | ((pl.col("_basis") == "open_ended_first_day") & (pl.col("_daily") >= 24.0)))
    floor = pl.min_horizontal(pl.col("_hours"), pl.col("_days") * FLOOR_HOURS_PER_DAY)
    default_daily = pl.col("_basis").is_in(DEFAULT_DAILY_BASES)
    capped_open = pl.col("_basis").is_in(CAPPED_OPEN_BASES)
    low = (pl.when(whole_day & (pl.col("_daily") >= 24.0)).then(floor)
           .when(default_daily).then(floor)
           .when(capped_open).then(pl.min_horizontal(pl.col("_hours"),
                                                     pl.lit(FLOOR_HOURS_PER_DAY)))
           .otherwise(pl.col("_hours")))
    high = (pl.when(pl.col("_open")).then(open_high)
            .when(default_daily).then(pl.max_horizontal(pl.col("_hours"),
                                                        pl.col("_days") * 24.0))
            .otherwise(pl.col("_hours")))
    rule = (pl.when(pl.col("_open") & whole_day)
            .then(pl.lit(f"open-ended, no stated hours: {FLOOR_HOURS_PER_DAY:g} h on its "
                         "first day up to every day to the snapshot, the end of its last "
                         f"listed year or {OPEN_ENDED_MAX_DAYS} days"))
            .when(pl.col("_open"))
            .then(pl.lit("open-ended: its known part up to the snapshot, the end of its last "
                         f"listed year or {OPEN_ENDED_MAX_DAYS} days more"))
            .when(whole_day & (pl.col("_daily") >= 24.0))
            .then(pl.lit(f"whole days without stated hours: {FLOOR_HOURS_PER_DAY:g} to 24 h "
                         "a day"))
            .when(default_daily)
            .then(pl.lit(f"hours a day by a default rule: {FLOOR_HOURS_PER_DAY:g} to 24 h a "
                         "day around it"))
            .when(capped_open)
            .then(pl.lit(f"open-ended, capped by the catalogue: {FLOOR_HOURS_PER_DAY:g} h on "
                         "its first day up to the cap"))
            .otherwise(pl.lit("hours stated by the source")))
    return frame.select("event_id", low.alias("hours_low"), high.alias("hours_high"),
                        rule.alias("hours_rule"))


def bound_events(events: pl.DataFrame, side: str, end: str = "known") -> pl.DataFrame:
    """``events`` with the hours of one end of their `hours_range` (``side`` ``low`` or
    ``high``), for the timeline: ``duration_hours`` and ``daily_hours`` replaced (the low
    end of a whole-day event keeps its days at fewer hours a day). With ``end`` =
    ``to_snapshot`` an event that runs to the snapshot keeps those hours (that view's
    explicit choice)."""
    if side not in ("low", "high"):
        raise InputError("side", side, "low or high")
    ranges = hours_range(events).select("event_id", f"hours_{side}")
    out = events.with_columns(pl.col("event_id").cast(pl.String)).join(
        ranges, on="event_id", how="left", maintain_order="left")
    if "daily_hours" not in out.columns:
        out = out.with_columns(pl.lit(24.0).alias("daily_hours"))
    hours = pl.col(f"hours_{side}").fill_null(pl.col("duration_hours"))
    keep = pl.lit(False)
    if end == "to_snapshot" and "hours_to_snapshot" in out.columns:
        keep = pl.col("hours_to_snapshot").is_not_null()
    daily = pl.col("daily_hours").cast(pl.Float64).fill_null(24.0)
    days = (pl.col("duration_hours") / daily - 1e-9).ceil().clip(lower_bound=1.0)
    fewer = (side == "low") & (hours < pl.col("duration_hours"))
    # more hours on the same days (a default of hours a day at its 24 h end), not more days
    fuller = (side == "high") & (hours > pl.col("duration_hours")) & pl.col(
        "hours_basis").cast(pl.String).is_in(DEFAULT_DAILY_BASES) \
        if "hours_basis" in out.columns else pl.lit(False)
    return out.with_columns(
        pl.when(keep).then(pl.col("duration_hours")).otherwise(hours).alias("duration_hours"),
        pl.when(~keep & fewer).then(pl.min_horizontal(daily, hours / days))
        .when(~keep & fuller).then(pl.min_horizontal(pl.lit(24.0), hours / days))
        .otherwise(daily).alias("daily_hours"),
    ).drop(f"hours_{side}")


#: catalogue columns the timeline reads
NEEDED = ("event_id", "iso3", "scope", "start", "duration_hours")


def _text_key(col: str) -> pl.Expr:
    return (pl.col(col).fill_null("").str.to_lowercase()
            .str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars())


def _prepared(events: pl.DataFrame) -> pl.DataFrame:
    """The columns the timeline needs, with defaults for older catalogues."""
    missing = [c for c in NEEDED if c not in events.columns]
    if missing:
        raise InputError("events", ", ".join(missing), "catalogue rows with the columns "
                         + ", ".join(NEEDED))
    defaults = {"daily_hours": 24.0, "hours_to_snapshot": None, "area_units": "",
                "affected_share": 1.0, "nationwide": False, "area_names": "",
                "platforms": "", "other_services": ""}
    out, start = _with_defaults(events, defaults)
    return out.select(
        pl.col("event_id").cast(pl.String), pl.col("iso3").cast(pl.String),
        pl.col("scope").cast(pl.String), start.alias("start"),
        # blocks of different platforms are different exposures: platform scopes are
        # de-duplicated per set of blocked platforms (or services)
        pl.when(pl.col("scope") == "platforms")
        .then("platforms:" + pl.col("platforms").cast(pl.String).fill_null(""))
        .when(pl.col("scope") == "platforms_other")
        .then("platforms_other:" + pl.col("other_services").cast(pl.String).fill_null(""))
        .otherwise(pl.col("scope").cast(pl.String)).alias("scope_key"),
        pl.col("duration_hours").cast(pl.Float64),
        pl.col("daily_hours").cast(pl.Float64).fill_null(24.0).clip(1e-9, 24.0),
        pl.col("hours_to_snapshot").cast(pl.Float64),
        pl.col("area_units").cast(pl.String).fill_null(""),
        pl.col("affected_share").cast(pl.Float64).fill_null(1.0).clip(0.0, 1.0),
        (pl.col("nationwide").cast(pl.Boolean).fill_null(False)
         | (pl.col("affected_share").cast(pl.Float64) >= 1.0).fill_null(False))
        .alias("nationwide"),
        _text_key("area_names").alias("_area_text"),
    )


def world_hours(events: pl.DataFrame, world: World) -> pl.DataFrame:
    """Per event: its hours in ``world`` before de-duplication [h], ``days`` covered and
    whether the 365-day cap or the run to the snapshot changed them."""
    ev = _prepared(events)
    hours = pl.col("duration_hours")
    if world.end == "to_snapshot":
        hours = pl.coalesce(pl.col("hours_to_snapshot"), hours)
    ev = ev.with_columns(hours.alias("world_hours"))
    ev = ev.with_columns(
        to_snapshot=pl.col("world_hours") != pl.col("duration_hours"))
    if world.cap:
        limit = pl.col("daily_hours") * CAP_DAYS
        capped = pl.col("scope").is_in(PLATFORM_SCOPES) & (pl.col("world_hours") > limit)
        ev = ev.with_columns(capped=capped, world_hours=pl.when(capped).then(limit)
                             .otherwise(pl.col("world_hours")))
    else:
        ev = ev.with_columns(capped=pl.lit(False))
    return ev.with_columns(
        days=(pl.col("world_hours") / pl.col("daily_hours") - 1e-9).ceil().cast(pl.Int64)
        .clip(lower_bound=1))


def event_days(events: pl.DataFrame, world: World) -> pl.DataFrame:
    """One row per event and day: ``event_id, iso3, scope, date, hours`` [h on that day];
    ``scope`` is the de-duplication key: the scope, with the blocked platforms for
    platform blocks (``platforms:x;facebook``)."""
    ev = world_hours(events, world)
    return (ev.with_columns(offset=pl.int_ranges(0, pl.col("days")))
            .explode("offset")
            .with_columns(
                date=pl.col("start") + pl.duration(days=pl.col("offset")),
                hours=pl.min_horizontal(
                    pl.col("daily_hours"),
                    pl.col("world_hours") - pl.col("offset") * pl.col("daily_hours"))
                .clip(lower_bound=0.0))
            .select("event_id", "iso3", pl.col("scope_key").alias("scope"), "date", "hours",
                    "affected_share"))


def event_segments(events: pl.DataFrame, world: World) -> pl.DataFrame:
    """`event_days` compressed: one row per event and *segment*, a run of days on which no
    event of the country starts or ends and no year begins, so every day of a segment has
    the same events at the same hours. Columns ``event_id, iso3, scope, date`` (the
    segment's first day), ``days`` [count], ``hours`` [h on each of those days] and
    ``affected_share``. The union of rules 4–7 is the same on each day of a segment, so
    it is computed once per segment (a multi-year block is a handful of rows, not
    thousands)."""
    ev = world_hours(events, world).with_columns(
        _end=pl.col("start") + pl.duration(days=pl.col("days")),
        _last=pl.col("start") + pl.duration(days=pl.col("days") - 1),
        _last_hours=(pl.col("world_hours") - (pl.col("days") - 1) * pl.col("daily_hours"))
        .clip(lower_bound=0.0))
    years = (ev.select("iso3", pl.int_ranges(pl.col("start").dt.year() + 1,
                                             pl.col("_end").dt.year() + 1).alias("_y"))
             .explode("_y").drop_nulls("_y")
             .select("iso3", pl.date(pl.col("_y"), 1, 1).alias("_b")))
    bounds = (pl.concat([ev.select("iso3", pl.col(c).alias("_b"))
                         for c in ("start", "_last", "_end")] + [years])
              .unique().sort("iso3", "_b")
              .with_columns(_next=pl.col("_b").shift(-1).over("iso3")))
    # an event's segments are a contiguous run of its country's sorted boundaries: find it
    # by binary search on one sorted key (country rank, day number)
    codes = {c: i for i, c in enumerate(bounds["iso3"].unique().sort().to_list())}

    def key(iso3: pl.Series, day: pl.Series) -> np.ndarray:
        rank = iso3.replace_strict(codes, return_dtype=pl.Int64).to_numpy()
        return rank * 1_000_000 + day.cast(pl.Int32).cast(pl.Int64).to_numpy()

    keys = key(bounds["iso3"], bounds["_b"])
    first = np.searchsorted(keys, key(ev["iso3"], ev["start"]), side="left")
    stop = np.searchsorted(keys, key(ev["iso3"], ev["_end"]), side="left")
    rows = (ev.with_columns(_k=pl.int_ranges(pl.Series(first), pl.Series(stop)))
            .explode("_k"))
    idx = rows["_k"].to_numpy()
    rows = rows.with_columns(_b=bounds["_b"].gather(idx), _next=bounds["_next"].gather(idx))
    return rows.select(
        "event_id", "iso3", pl.col("scope_key").alias("scope"), pl.col("_b").alias("date"),
        (pl.col("_next") - pl.col("_b")).dt.total_days().alias("days"),
        pl.when(pl.col("_b") == pl.col("_last")).then(pl.col("_last_hours"))
        .otherwise(pl.col("daily_hours")).alias("hours"),
        "affected_share").sort("event_id", "date")


def event_units(events: pl.DataFrame) -> pl.DataFrame:
    """One row per event and place unit: ``event_id, unit, container, admin, share``.

    ``container`` is the admin-1 name key of a unit's parent (null for admin-1 units and
    pseudo-units), ``admin`` the name key of an admin-1 unit (else null)."""
    ev = _prepared(events)
    matched = (ev.filter(~pl.col("nationwide") & (pl.col("area_units") != ""))
               .select("event_id", "affected_share",
                       pl.col("area_units").str.split("|").alias("item"))
               .explode("item")
               .filter(pl.col("item").str.contains("="))
               .with_columns(
                   unit=pl.col("item").str.extract(r"^(.*)=[^=]*$"),
                   share=pl.col("item").str.extract(r"=([^=]*)$").cast(pl.Float64,
                                                                       strict=False))
               .filter(pl.col("share").is_not_null()))
    parts = matched.with_columns(
        kind=pl.col("unit").str.extract(r"^([^/]*)/"),
        name=pl.col("unit").str.extract(r"^[^/]*/([^/]*)"),
        parent=pl.col("unit").str.extract(r"^[^/]*/[^/]*/(.*)$"),
    )
    admin1 = pl.col("kind").is_in(["admin1", "state"])
    parts = parts.select(
        "event_id", "unit", "share",
        pl.when(~admin1 & (pl.col("parent") != "")).then(pl.col("parent")).alias("container"),
        pl.when(admin1).then(pl.col("name")).alias("admin"))
    # what the matched units do not hold of the event's share (unmatched pieces of its text)
    rest = (matched.group_by("event_id").agg(pl.col("share").sum().alias("_units"),
                                             pl.col("affected_share").first())
            .with_columns((pl.col("affected_share") - pl.col("_units")).alias("share"))
            .filter(pl.col("share") > 1e-9)
            .select("event_id", ("rest/" + pl.col("event_id")).alias("unit"), "share",
                    pl.lit(None, pl.String).alias("container"),
                    pl.lit(None, pl.String).alias("admin")))
    with_units = set(matched["event_id"].unique().to_list())
    plain = ev.filter(~pl.col("event_id").is_in(list(with_units))).select(
        "event_id",
        pl.when(pl.col("nationwide")).then(pl.lit(NATIONWIDE))
        .when(pl.col("_area_text") != "").then("text/" + pl.col("_area_text"))
        .otherwise("event/" + pl.col("event_id")).alias("unit"),
        pl.when(pl.col("nationwide")).then(1.0).otherwise(pl.col("affected_share"))
        .alias("share"),
        pl.lit(None, pl.String).alias("container"), pl.lit(None, pl.String).alias("admin"))
    return pl.concat([parts, rest, plain], how="vertical_relaxed")


_DAY = ("iso3", "scope", "date")


def _union(rows: pl.DataFrame) -> pl.DataFrame:
    """Unit-days of one scope after rule 4: ``iso3, scope, date, unit, share, hours``."""
    units = rows.group_by(*_DAY, "unit").agg(
        pl.col("share").max(), pl.col("hours").max(), pl.col("container").first(),
        pl.col("admin").first())
    admins = (units.filter(pl.col("admin").is_not_null())
              .group_by(*_DAY, "admin").agg(pl.col("hours").max().alias("_h_admin")))
    nation = (units.filter(pl.col("unit") == NATIONWIDE)
              .group_by(*_DAY).agg(pl.col("hours").max().alias("_h_nation")))
    units = (units.join(admins, left_on=[*_DAY, "container"], right_on=[*_DAY, "admin"],
                        how="left")
             .join(nation, on=list(_DAY), how="left")
             .with_columns(pl.col("_h_admin", "_h_nation").fill_null(0.0)))
    inner = pl.col("unit") != NATIONWIDE
    covered = pl.when(inner).then(pl.max_horizontal("_h_admin", "_h_nation")).otherwise(0.0)
    return units.with_columns((pl.col("hours") - covered).clip(lower_bound=0.0)
                              .alias("hours")).drop("_h_admin", "_h_nation")


def daily_exposure(events: pl.DataFrame, world: World | None = None
                   ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per country × scope × segment exposure, per event × segment hours with the overlap
    factor); a segment (`event_segments`) is a run of ``days`` identical days from ``date``.

    The first frame has ``iso3, scope, date, days``, ``share`` (affected share on each of
    those days, ≤ 1), ``share_hours`` (union share-hours a day, ≤ 24),
    ``reported_share_hours`` (a day, the sum over events: what summing reports would count)
    and ``factor`` (``share_hours`` ÷ ``reported_share_hours``); the second ``event_id, iso3,
    scope, date, days, hours, exposed_hours`` (hours over the segment's days).
    """
    world = world or World()
    days = event_segments(events, world)
    units = event_units(events)
    rows = days.join(units, on="event_id", how="inner")
    union = _union(rows)
    # rule 5: a full blackout covers the same unit, its admin-1 container, or everything
    full = union.filter(pl.col("scope") == COVERING_SCOPE)
    f_unit = full.select("iso3", "date", "unit", pl.col("hours").alias("_f_unit"))
    f_admin = (full.filter(pl.col("admin").is_not_null())
               .select("iso3", "date", pl.col("admin").alias("container"),
                       pl.col("hours").alias("_f_admin")))
    f_nation = (full.filter(pl.col("unit") == NATIONWIDE)
                .select("iso3", "date", pl.col("hours").alias("_f_nation")))
    f_total = (full.group_by("iso3", "date")
               .agg((pl.col("share") * pl.col("hours")).sum().clip(upper_bound=24.0)
                    .alias("_f_total")))
    other = (union.filter(pl.col("scope") != COVERING_SCOPE)
             .join(f_unit, on=["iso3", "date", "unit"], how="left")
             .join(f_admin, on=["iso3", "date", "container"], how="left")
             .join(f_nation, on=["iso3", "date"], how="left")
             .with_columns(pl.col("_f_unit", "_f_admin", "_f_nation").fill_null(0.0)))
    inner = pl.col("unit") != NATIONWIDE
    cover = pl.when(inner).then(pl.max_horizontal("_f_unit", "_f_admin", "_f_nation")) \
        .otherwise(pl.col("_f_nation"))
    other = other.with_columns((pl.col("hours") - cover).clip(lower_bound=0.0).alias("hours"))
    keep = ["iso3", "scope", "date", "unit", "share", "hours"]
    union = pl.concat([union.filter(pl.col("scope") == COVERING_SCOPE).select(keep),
                       other.select(keep)])
    active = pl.col("hours") > 0
    day = (union.group_by(*_DAY)
           .agg((pl.col("share") * pl.col("hours")).sum().alias("_sh"),
                pl.col("share").filter(active).sum().clip(upper_bound=1.0).alias("share"))
           .join(f_total, on=["iso3", "date"], how="left")
           .with_columns(pl.col("_f_total").fill_null(0.0)))
    room = pl.when(pl.col("scope") == COVERING_SCOPE).then(24.0) \
        .otherwise((24.0 - pl.col("_f_total")).clip(lower_bound=0.0))
    day = day.with_columns(
        pl.min_horizontal(pl.col("_sh"), room, 24.0 * pl.col("share")).alias("share_hours"))
    reported = (days.group_by(*_DAY)
                .agg((pl.col("affected_share") * pl.col("hours")).sum()
                     .alias("reported_share_hours")))
    lengths = days.group_by(*_DAY).agg(pl.col("days").first())
    day = (reported.join(day.select(*_DAY, "share", "share_hours"), on=list(_DAY),
                         how="left").join(lengths, on=list(_DAY), how="left")
           .with_columns(pl.col("share", "share_hours").fill_null(0.0))
           .with_columns(
               pl.when(pl.col("reported_share_hours") > 0)
               .then((pl.col("share_hours") / pl.col("reported_share_hours")).clip(0.0, 1.0))
               .otherwise(0.0).alias("factor"))
           .sort(*_DAY))
    per_event = (days.join(day.select(*_DAY, "factor"), on=list(_DAY), how="left")
                 .with_columns((pl.col("hours") * pl.col("days")).alias("hours"))
                 .with_columns((pl.col("hours") * pl.col("factor").fill_null(0.0))
                               .alias("exposed_hours"))
                 .select("event_id", "iso3", "scope", "date", "days", "hours",
                         "exposed_hours"))
    return day, per_event


def alone(events: pl.DataFrame, world: World | None = None) -> pl.Series:
    """True for events that share no day with any other event of their country in
    ``world`` (any scope): their hours need no de-duplication (overlap factor 1)."""
    ev = world_hours(events, world or World()).with_columns(
        _end=pl.col("start") + pl.duration(days=pl.col("days")),
        _i=pl.int_range(pl.len()))
    ordered = ev.sort("iso3", "start", "_end").with_columns(
        _prev_end=pl.col("_end").cum_max().shift(1).over("iso3"),
        _next_start=pl.col("start").shift(-1).over("iso3"))
    free = ((pl.col("_prev_end").is_null() | (pl.col("_prev_end") <= pl.col("start")))
            & (pl.col("_next_start").is_null() | (pl.col("_next_start") >= pl.col("_end"))))
    return ordered.with_columns(free.alias("alone")).sort("_i")["alone"]


def year_parts(events: pl.DataFrame, world: World | None = None) -> pl.DataFrame:
    """Per event and calendar year: ``event_id, year, part_start, hours, exposed_hours,
    overlap_factor, world_hours, capped, to_snapshot`` — ``hours`` before and
    ``exposed_hours`` after de-duplication [h]. Events alone on their days (`alone`) skip
    the union: their exposed hours are their hours."""
    world = world or World()
    single = alone(events, world)
    crowded = events.filter(~single)
    lone = event_segments(events.filter(single), world).with_columns(
        (pl.col("hours") * pl.col("days")).alias("hours")).with_columns(
        pl.col("hours").alias("exposed_hours")).select(
        "event_id", "iso3", "scope", "date", "days", "hours", "exposed_hours")
    if crowded.height:
        _, per_event = daily_exposure(crowded, world)
        per_event = pl.concat([per_event, lone])
    else:
        per_event = lone
    parts = (per_event.group_by("event_id", pl.col("date").dt.year().alias("year"))
             .agg(pl.col("date").min().alias("part_start"), pl.col("hours").sum(),
                  pl.col("exposed_hours").sum())
             .with_columns(pl.when(pl.col("hours") > 0)
                           .then(pl.col("exposed_hours") / pl.col("hours"))
                           .otherwise(1.0).alias("overlap_factor")))
    info = world_hours(events, world).select("event_id", "world_hours", "capped",
                                             "to_snapshot")
    return parts.join(info, on="event_id", how="left").sort("event_id", "year")


def worlds(cap: bool | str = True, end: str = "known") -> list[World]:
    """The worlds asked for: ``cap`` True/False/"both", ``end`` known/to_snapshot/"both"."""
    if cap not in (True, False, "both"):
        raise InputError("cap_platform_days", cap, "True, False or 'both'")
    if end not in (*ENDS, "both"):
        raise InputError("open_ended", end, "known, to_snapshot or both")
    caps: Sequence[bool] = (True, False) if cap == "both" else (bool(cap),)
    ends: Sequence[str] = ENDS if end == "both" else (end,)
    return [World(e, c) for e in ends for c in caps]
