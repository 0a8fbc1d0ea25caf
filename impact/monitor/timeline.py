"""Disruption timelines: what was cut, where, from when to when, how hard — hour by hour.

A timeline is a table of rows ``start_utc, end_utc, country, region, asn, scope, platforms,
intensity, source`` (`TimelineRow`, validated by pydantic like scenarios): intensity 0–1
(1 = service fully lost), region and asn optional, scope as in scenarios (``full``,
``mobile``, ``platforms`` with its platforms, ``throttling``). Importers of monitor files
(`impact.monitor.importers`) produce the same rows, our own CSV among them
(`impact.monitor.importers.timeline_csv`).

Rules (`hourly`, documented in ``docs/monitor.md``):

1. **One country** per timeline (a file with several is an error naming them).
2. **Hours.** Time is cut into UTC clock hours; a row covers the minutes it spans, so a
   row from 01:45 to 02:30 covers 15 minutes of the 01:00 hour and 30 of the 02:00 hour.
3. **Overlaps of one kind** (same scope, platforms and region): at every minute the
   highest intensity × affected share counts (reports of the same outage are not added up).
   Rows naming a network (``asn``) are one kind per network; different networks add up (each
   row's ``affected_share`` should be the network's share of the users), at most 1, and the
   kind then takes the larger of that sum and the rows naming no network. A network row
   without an affected share is costed as if the network served every user (a data note
   says so).
4. **A nationwide row covers regional rows** of the same scope: a region keeps only what
   the nationwide intensity leaves, ``i_region × (1 − i_nation)``.
5. **A full outage covers the other scopes**: mobile, throttling and platform rows keep
   ``i × (1 − i_full)`` of the same place (nationwide full covers every region).
6. Each hour and kind becomes one piece: ``minutes`` covered and the minute-weighted mean
   intensity over them; the local start of the hour comes from the country's time zone in
   the tz database (`impact.bundled.zones.country_timezone`), so hour-of-day and weekday weights are local.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from impact.bundled.countries import resolve_country
from impact.bundled.regions import find_admin1, region_names
from impact.errors import InputError, TimelineError
from impact.model.scenario import platform_keys
from impact.vocab import PLATFORMS, Platform, Scope

TIMELINE_COLUMNS = ("start_utc", "end_utc", "country", "region", "asn", "scope", "platforms",
                    "intensity", "affected_share", "source")
REQUIRED_COLUMNS = ("start_utc", "end_utc", "country")
#: the years a timeline row may fall in [year]
YEARS = (2000, 2100)
#: the longest timeline accepted [hours] (a year)
MAX_TIMELINE_HOURS = 24 * 366
ACCEPTED = {
    "start_utc": "an ISO date-time in UTC, e.g. 2024-02-08T02:00Z or 2024-02-08 02:00",
    "end_utc": "an ISO date-time in UTC after start_utc, e.g. 2024-02-08T15:00Z (blank: "
               "still on, costed to --until)",
    "until": "an ISO date-time in UTC such as 2024-02-08T12:00Z, epoch seconds, or now",
    "country": "a country name or ISO3 code",
    "scope": "full, mobile, platforms or throttling",
    "platforms": "platform names separated by ; (x, facebook, instagram, whatsapp, youtube, "
                 "tiktok, telegram, signal); needed when scope is platforms",
    "intensity": "a share between 0 and 1 (1 = service fully lost)",
    "asn": "an autonomous system number, e.g. 17557 or AS17557",
    "affected_share": "a share between 0 and 1 of the users the row concerns (e.g. a "
                      "network's share of the country's users); blank = all",
}


def _utc(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        if not text:
            raise InputError(field, value, ACCEPTED.get(field, ACCEPTED["until"]))
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" UTC", ""))
        except ValueError:
            try:  # epoch seconds, as some monitor exports give
                moment = datetime.fromtimestamp(float(text), tz=UTC)
            except (ValueError, OverflowError, OSError):
                raise InputError(field, value, ACCEPTED.get(field, ACCEPTED["until"])) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class TimelineRow(BaseModel):
    """One row of a disruption timeline (UTC times; intensity 0–1)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False,
                              defer_build=True)

    start_utc: datetime
    end_utc: datetime
    country: str = Field(description="ISO3 code (names are resolved on input)")
    region: str | None = None
    asn: int | None = Field(None, ge=0)
    scope: Scope = "full"
    platforms: tuple[Platform, ...] = ()
    intensity: float = Field(1.0, ge=0, le=1, description="share of service lost [0-1]")
    affected_share: float | None = Field(
        None, ge=0, le=1, description="share of the users the row concerns [0-1]")
    source: str | None = None

    @field_validator("start_utc", "end_utc", mode="before")
    @classmethod
    def _times(cls, value: Any, info) -> datetime:
        return _utc(value, info.field_name)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> str:
        return resolve_country(value)

    @field_validator("region", "source", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        if value is None:
            return None
        text = str(value).strip()
        return text or None

    @field_validator("asn", mode="before")
    @classmethod
    def _asn(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().upper().removeprefix("AS")
        if not text.isdigit():
            raise InputError("asn", value, ACCEPTED["asn"])
        return int(text)

    @field_validator("scope", mode="before")
    @classmethod
    def _scope(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return "full"
        return str(value).strip().lower()

    @field_validator("intensity", "affected_share", mode="before")
    @classmethod
    def _share(cls, value: Any, info) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return 1.0 if info.field_name == "intensity" else None
        if isinstance(value, bool):
            raise InputError(info.field_name, value, ACCEPTED[info.field_name])
        return value

    @field_validator("platforms", mode="before")
    @classmethod
    def _platforms(cls, value: Any) -> Any:
        return tuple(sorted(platform_keys(value, ACCEPTED["platforms"]), key=PLATFORMS.index))

    @model_validator(mode="after")
    def _rules(self) -> TimelineRow:
        for name in ("start_utc", "end_utc"):
            moment = getattr(self, name)
            if not YEARS[0] <= moment.year <= YEARS[1]:
                raise InputError(name, moment.isoformat(), f"a date-time from {YEARS[0]} to "
                                 f"{YEARS[1]}")
        if self.end_utc <= self.start_utc:
            raise InputError("end_utc", self.end_utc.isoformat(), ACCEPTED["end_utc"])
        if (self.end_utc - self.start_utc) > timedelta(hours=MAX_TIMELINE_HOURS):
            raise InputError("end_utc", self.end_utc.isoformat(),
                             f"at most {MAX_TIMELINE_HOURS:,} hours after start_utc")
        if self.scope == "platforms" and not self.platforms:
            raise InputError("platforms", "", ACCEPTED["platforms"])
        if self.region is not None:
            canonical = _admin1(self.country, self.region)
            if canonical != self.region:
                object.__setattr__(self, "region", canonical)
        return self

    @property
    def kind(self) -> tuple[str, tuple[str, ...], str | None]:
        """(scope, platforms, region): rows of one kind are the same outage (rule 3)."""
        return self.scope, self.platforms, self.region

    @property
    def level(self) -> float:
        """Intensity × affected share: the share of the kind's service lost [0-1]."""
        share = 1.0 if self.affected_share is None else self.affected_share
        return self.intensity * share


def _admin1(iso3: str, text: str) -> str:
    """The admin-1 regions of ``iso3`` that ``text`` names (`impact.bundled.regions.find_admin1`),
    ``;``-joined in the country's order ("Balochistan province" -> "Balochistan"; "Gwadar,
    Balochistan" -> "Balochistan": a place inside a region is costed as the whole region, an
    upper bound), or `InputError` listing the country's regions when it names none."""
    found = find_admin1(iso3, text)
    if found:
        return ";".join(found)
    names = region_names(iso3)
    shown = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
    raise InputError("region", text, f"admin-1 regions of {iso3} ({shown}), ; separated, "
                     "or blank for the whole country")


def _first_error(exc: ValidationError) -> tuple[str, Any, str]:
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err.get("loc") else "row"
    cause = err.get("ctx", {}).get("error")
    if isinstance(cause, InputError):
        return cause.field, cause.value, cause.accepted
    accepted = ACCEPTED.get(field, err.get("msg", "a valid value"))
    return field, err.get("input"), accepted


def parse_row(data: Mapping[str, Any], *, where: str = "") -> TimelineRow:
    """A validated `TimelineRow`; a bad value raises `TimelineError` (one line, naming
    ``where`` — e.g. ``"file.csv line 4"`` — the field, the value and what is accepted)."""
    unknown = [k for k in data if k not in TIMELINE_COLUMNS]
    if unknown:
        raise TimelineError("column", unknown[0], "one of " + ", ".join(TIMELINE_COLUMNS),
                            where=where)
    try:
        return TimelineRow.model_validate(dict(data))
    except InputError as exc:
        raise TimelineError(exc.field, exc.value, exc.accepted, where=where) from None
    except ValidationError as exc:
        field, value, accepted = _first_error(exc)
        raise TimelineError(field, value, accepted, where=where) from None


@dataclass(frozen=True)
class ImportReport:
    """What an importer read: records read, rows kept, records refused (one line each, naming
    the record), records of other countries skipped, rows still on at the end of the file
    (costed to ``until``) and notes on how records were read."""

    records: int = 0
    kept: int = 0
    refused: tuple[str, ...] = ()
    other_countries: int = 0
    ongoing: int = 0
    until: datetime | None = None  #: the moment ongoing rows were costed to [UTC]
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: ``read 12 records: kept 10 rows, refused 2; 3 of other countries
        skipped; 1 still on, costed to 2024-02-08 12:00 UTC``."""
        text = f"read {self.records:,} records: kept {self.kept:,} rows"
        if self.refused:
            text += f", refused {len(self.refused):,}"
        if self.other_countries:
            text += f"; {self.other_countries:,} of other countries skipped"
        if self.ongoing and self.until is not None:
            text += (f"; {self.ongoing:,} still on, costed to "
                     f"{self.until:%Y-%m-%d %H:%M} UTC")
        return text


@dataclass(frozen=True)
class Timeline:
    """Validated rows of one country, with where they came from and what the reader kept
    (`ImportReport`)."""

    rows: tuple[TimelineRow, ...]
    iso3: str
    name: str = "timeline"
    report: ImportReport | None = None

    @property
    def ongoing(self) -> bool:
        """Some row was still on when the file was written (costed to ``report.until``)."""
        return bool(self.report and self.report.ongoing)

    @property
    def start(self) -> datetime:
        return min(r.start_utc for r in self.rows)

    @property
    def end(self) -> datetime:
        return max(r.end_utc for r in self.rows)


def make_timeline(rows: Iterable[TimelineRow], name: str = "timeline",
                  report: ImportReport | None = None) -> Timeline:
    """A `Timeline` of ``rows`` (at least one; one country: several is an error counting the
    rows of each and asking for ``--country``)."""
    rows = tuple(rows)
    if not rows:
        raise TimelineError("rows", 0, "at least one timeline row", where=name)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.country] = counts.get(r.country, 0) + 1
    if len(counts) > 1:
        found = "; ".join(f"{c} ({n} rows)" for c, n in
                          sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8])
        raise TimelineError("country", found, "one country per timeline: give --country "
                            "(country= in Python) to keep one", where=name)
    return Timeline(tuple(sorted(rows, key=lambda r: (r.start_utc, r.end_utc))),
                    next(iter(counts)), name, report)


# ---- hour by hour ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """One UTC clock hour of one kind of restriction after the overlap rules."""

    hour_utc: datetime  #: start of the clock hour [UTC]
    scope: str
    platforms: tuple[str, ...]
    region: str | None
    minutes: float  #: minutes of the hour restricted [0-60]
    intensity: float  #: minute-weighted mean intensity over those minutes [0-1]


def _hour_floor(t: datetime) -> datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def hourly(timeline: Timeline, until: datetime | None = None) -> list[Piece]:
    """The timeline as pieces per UTC hour and kind (rules 2–6 of the module docstring),
    cut at ``until`` (UTC) when given."""
    rows = list(timeline.rows)
    stop = until.astimezone(UTC) if until is not None else None
    # minute breakpoints: row bounds and hour bounds
    points: set[datetime] = set()
    for r in rows:
        end = min(r.end_utc, stop) if stop else r.end_utc
        if end <= r.start_utc:
            continue
        points.update((r.start_utc, end))
        t = _hour_floor(r.start_utc) + timedelta(hours=1)
        while t < end:
            points.add(t)
            t += timedelta(hours=1)
    ordered = sorted(points)
    acc: dict[tuple, list[float]] = {}  # (hour, kind) -> [minutes, minutes × intensity]
    for a, b in itertools.pairwise(ordered):
        minutes = (b - a).total_seconds() / 60
        if minutes <= 0:
            continue
        active = [r for r in rows if r.start_utc <= a and r.end_utc >= b
                  and (stop is None or b <= stop)]
        if not active:
            continue
        level: dict[tuple, float] = {}
        networks: dict[tuple, dict[int, float]] = {}
        for r in active:  # rule 3: the highest intensity of a kind (and of a network)
            if r.asn is None:
                level[r.kind] = max(level.get(r.kind, 0.0), r.level)
            else:
                nets = networks.setdefault(r.kind, {})
                nets[r.asn] = max(nets.get(r.asn, 0.0), r.level)
        for kind, nets in networks.items():  # rule 3b: networks add up, at most the whole
            level[kind] = max(level.get(kind, 0.0), min(1.0, sum(nets.values())))
        full_nation = level.get(("full", (), None), 0.0)
        for kind, value in level.items():
            scope, _, region = kind
            cover = 0.0
            if region is not None:  # rule 4
                cover = level.get((scope, kind[1], None), 0.0)
            left = value * (1 - cover)
            if scope != "full":  # rule 5
                full_here = max(full_nation, level.get(("full", (), region), 0.0))
                left *= 1 - full_here
            elif region is not None:
                left = value * (1 - full_nation)
            if left <= 0:
                continue
            key = (_hour_floor(a), kind)
            slot = acc.setdefault(key, [0.0, 0.0])
            slot[0] += minutes
            slot[1] += minutes * left
    out = []
    for (hour, (scope, platforms, region)), (minutes, weighted) in sorted(
            acc.items(), key=lambda kv: (kv[0][0], kv[0][1][0], kv[0][1][1],
                                         kv[0][1][2] or "")):
        out.append(Piece(hour, scope, platforms, region, minutes,
                         min(1.0, weighted / minutes)))
    return out


def local_naive(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment`` (UTC) as local wall-clock time without a zone (what scenarios take)."""
    return moment.astimezone(zone).replace(tzinfo=None)


def rows_frame(timeline: Timeline):
    """The rows as a polars frame with `TIMELINE_COLUMNS` (for display and export)."""
    import polars as pl

    return pl.DataFrame(
        [{"start_utc": r.start_utc, "end_utc": r.end_utc, "country": r.country,
          "region": r.region, "asn": r.asn, "scope": r.scope,
          "platforms": ";".join(r.platforms), "intensity": r.intensity,
          "affected_share": r.affected_share, "source": r.source} for r in timeline.rows],
        schema={"start_utc": pl.Datetime("us", "UTC"), "end_utc": pl.Datetime("us", "UTC"),
                "country": pl.String, "region": pl.String, "asn": pl.Int64,
                "scope": pl.String, "platforms": pl.String, "intensity": pl.Float64,
                "affected_share": pl.Float64, "source": pl.String})


def now_utc() -> datetime:
    """The current moment [UTC], to the second (one place, so tests can fix it)."""
    return datetime.now(UTC).replace(microsecond=0)


def moment(value: Any, field: str = "until") -> datetime:
    """A UTC moment from an ISO date-time, epoch seconds or ``now`` (`now_utc`)."""
    if isinstance(value, str) and value.strip().lower() == "now":
        return now_utc()
    return _utc(value, field)


def timeline_notes(timeline: Timeline) -> tuple[str, ...]:
    """Notes a reader of the figures needs about the rows themselves and how they were read."""
    out: tuple[str, ...] = ()
    rep = timeline.report
    if rep is not None and (rep.refused or rep.other_countries or rep.ongoing):
        out += (f"{timeline.name}: {rep.summary()}",)
    if rep is not None:
        out += rep.notes
    bare = sorted({r.asn for r in timeline.rows if r.asn is not None
                   and r.affected_share is None})
    if not bare:
        return out
    names = ", ".join(f"AS{a}" for a in bare[:5]) + (" …" if len(bare) > 5 else "")
    note = (f"network-level rows ({names}) have no affected share: each is costed as if the "
            "network served every user of the country (an upper bound); give affected_share, "
            "the network's share of users, to scale them")
    return (*out, note)
