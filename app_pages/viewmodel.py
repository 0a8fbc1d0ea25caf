"""The Estimate page's scenario builder: widget keys, labels and defaults, the countries
offered, turning widget values into scenario input, the presets of past events; and reading
and costing an uploaded batch file.

The rest of the app's view model is beside it: the link codec (`app_pages.estimate_query`),
the view of an estimate (`app_pages.estimate_view`, `app_pages.estimate_tables`), the
downloads (`app_pages.estimate_exports`) and the Batch page's table (`app_pages.batch_view`).
It lives next to the pages because only the app uses it (`impact/` keeps what the CLI, the
API and the app share). Nothing here imports streamlit, so every function can be tested on
its own.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import polars as pl

from impact import format as fmt
from impact.bundled.countries import UNCOSTABLE, country_name
from impact.bundled.io import read_bundled
from impact.methods import REGISTRY
from impact.vocab import PLATFORM_LABELS

# the chart frames' names as tests/test_charts.py reads them (their home: impact.report.chart_frames)

SCOPE_LABELS = {
    "full": "Full internet",
    "mobile": "Mobile data only",
    "platforms": "Named platforms",
    "throttling": "Throttling",
}
#: widget keys of the Estimate page and their defaults (kept in session state across pages)
ESTIMATE_DEFAULTS: dict[str, Any] = {
    "country": "Pakistan",
    "duration_hours": 10.0,
    "use_start": False,
    "start_date": date(2024, 2, 8),
    "start_time": time(8, 0),
    "use_end": False,
    "end_date": date(2024, 2, 8),
    "end_time": time(18, 0),
    "scope": "full",
    "platforms": [],
    "affected_share": 1.0,
    "area_mode": "country",
    "regions": [],
    "intensity": 0.5,
    "use_circumvention": False,
    "circumvention": None,  # our own method's default for the scope (the sidebar sets it)
    "share_range": None,
    "hours_range": None,
    "methods": list(REGISTRY),
    "currency": "USD",
    "headline_method": "ensemble",
}
#: the Estimate page's "Affected area" choices ("regions" only for countries with admin-1 data)
AREA_LABELS = {
    "country": "Whole country",
    "share": "Share of users",
    "regions": "Chosen regions",
}


@functools.cache
def country_names() -> tuple[str, ...]:
    """Country names for a select box, sorted (read once): the one display name of each
    bundled country (`impact.bundled.countries.country_name`: "Iran", not "Iran, Islamic
    Rep."), and the places people ask for that the bundled data cannot cost (Taiwan), so
    that choosing one says why."""
    iso3s = read_bundled("countries")["iso3"].drop_nulls().unique().to_list()
    return tuple(sorted({country_name(i) for i in iso3s} | set(_uncostable_names(UNCOSTABLE))))


def _uncostable_names(uncostable: Mapping[str, str]) -> dict[str, str]:
    """``{display name: why}`` of `impact.bundled.countries.UNCOSTABLE` (its sentence starts
    with the name)."""
    return {why.split(" has no ")[0]: why for why in uncostable.values()}


@functools.cache
def unestimable_names() -> dict[str, str]:
    """``{country name: why it cannot be estimated}`` (`impact.model.context.unestimable_countries`
    and `impact.bundled.countries.UNCOSTABLE`)."""
    from impact.model.context import unestimable_countries

    known = set(read_bundled("countries")["iso3"].to_list())
    out = {country_name(i): why for i, why in unestimable_countries().items() if i in known}
    return out | _uncostable_names(UNCOSTABLE)


def country_option(name: str) -> str:
    """A country as the select box shows it: marked when it cannot be estimated."""
    return f"{name} (no data)" if name in unestimable_names() else name


def scenario_input(*, country: str, duration_hours: float, scope: str,
                   platforms: Sequence[str] = (), affected_share: float | None = None,
                   regions: Sequence[str] = (),
                   intensity: float | None = None, circumvention: float | None = None,
                   start_date: date | None = None, start_time: time | None = None,
                   end_date: date | None = None, end_time: time | None = None,
                   currency: str = "USD",
                   share_range: Sequence[float] | None = None,
                   hours_range: Sequence[float] | None = None) -> dict[str, Any]:
    """The mapping handed to `impact.parse_scenario` from the app's widget values.

    With a start, an ``end_date`` (and ``end_time``) replaces the duration: the scenario
    counts the hours from start to end. A start date without ``start_time`` is a date alone:
    no time of day is stated, so the hours are not weighted by time of day
    (`impact.model.context.hour_weighting`, the same rule on every page).

    Platforms are passed only for the platforms scope and intensity only for throttling, so
    that the scenario's cross-field rules see exactly what the user chose. Chosen ``regions``
    replace ``affected_share`` (the scenario derives the share from their population).
    ``share_range`` ``(central, low, high)`` [0-1] (a preset's catalogue range) gives the
    share its range while ``affected_share`` is still that central value; ``hours_range``
    ``(central, low, high)`` [hours] (a preset's hours where the source states none,
    `impact.catalogue.exposure.hours_range`) likewise while ``duration_hours`` is still the central
    value and no end is given.

    >>> scenario_input(country="Pakistan", duration_hours=10, scope="full")["scope"]
    'full'
    """
    data: dict[str, Any] = {
        "country": country,
        "duration_hours": float(duration_hours) if duration_hours is not None else None,
        "scope": scope,
        "affected_share": affected_share,
        "currency": currency,
    }
    if regions:
        data["regions"] = list(regions)
        data["affected_share"] = None
    elif share_range is not None and affected_share is not None \
            and affected_share == share_range[0] and share_range[1] < share_range[2]:
        data["affected_share_low"], data["affected_share_high"] = share_range[1:]
    if hours_range is not None and duration_hours is not None and end_date is None \
            and float(duration_hours) == hours_range[0] and hours_range[1] < hours_range[2]:
        data["duration_hours_low"], data["duration_hours_high"] = hours_range[1:]
    if scope == "platforms":
        data["platforms"] = list(platforms)
    if scope == "throttling" and intensity is not None:
        data["intensity"] = intensity
    if circumvention is not None:
        data["circumvention"] = circumvention
    if start_date is not None:
        data["start"] = (start_date.isoformat() if start_time is None
                         else datetime.combine(start_date, start_time).isoformat())
        if end_date is not None:
            data["end"] = datetime.combine(end_date, end_time or time(0, 0)).isoformat()
            data["duration_hours"] = None
    return data


def estimate_input(s: Mapping[str, Any]) -> dict[str, Any]:
    """The Estimate page's scenario builder: the mapping for `impact.parse_scenario` from its
    widget values ``s`` (session state, or `preset_state`'s values over `ESTIMATE_DEFAULTS`)."""
    mode = s["area_mode"]
    timed = s["use_start"]
    return scenario_input(
        country=s["country"], duration_hours=s["duration_hours"], scope=s["scope"],
        platforms=s["platforms"],
        affected_share=s["affected_share"] if mode == "share" else None,
        regions=s["regions"] if mode == "regions" else (),
        intensity=s["intensity"],
        circumvention=s["circumvention"] if s["use_circumvention"] else None,
        start_date=s["start_date"] if timed else None,
        start_time=s["start_time"] if timed else None,
        end_date=s["end_date"] if timed and s["use_end"] else None,
        end_time=s["end_time"] if timed and s["use_end"] else None,
        currency=s["currency"], share_range=s.get("share_range"),
        hours_range=s.get("hours_range"))


# ---- presets: well-known past events one click away ---------------------------------------
@dataclass(frozen=True)
class Preset:
    """A past event of the bundled catalogue as a starting scenario. Its fields come from
    the catalogue row ``event_id`` (`impact.catalogue.events.event_start` gives its start: the time of
    day only where a source states it, `impact.catalogue.events.STATED_START_TIMES`), so the preset
    costs what the Past events page costs for the event."""

    key: str
    label: str
    event_id: str


PRESETS = (
    Preset("pak-2024-election", "Pakistan 2024 election", "AN-128b3eb3d9"),
    Preset("pak-2024-x", "Pakistan 2024 X block", "AN-9677a4227a"),
    Preset("bgd-2024", "Bangladesh 2024", "AN-fb3ac49592"),
    Preset("irn-2019", "Iran 2019", "AN-4201574ec4"),
    # the coup's months-long cut: mobile data nationwide from 15 March 2021 (its first day,
    # the 1 February blackout, is AN-7936ad82fa)
    Preset("mmr-2021", "Myanmar 2021 coup", "AN-c6b4929b87"),
    Preset("ind-2019-kashmir", "Kashmir 2019", "AN-c2fe1be5ce"),
)
PRESET_LABELS = {p.key: p.label for p in PRESETS}


def preset_state(preset: Preset, event: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """(Estimate-page widget values, a caption saying where they come from) of ``preset``
    from its catalogue row ``event`` (`impact.catalogue.events.load_events`). Durations beyond the
    page's limit keep its first `APP_HOURS` [1] hours and say so; a start without a stated
    time of day leaves the page's start time empty (a date alone: no hour-of-day
    weighting, as on the Past events page)."""
    from impact.catalogue.events import STATED_START_TIMES, event_start
    from impact.catalogue.exposure import hours_range

    hours = float(event["duration_hours"])
    kept = min(hours, APP_HOURS[1])
    drawn = hours_range(pl.DataFrame([dict(event)])).row(0, named=True)
    h_low, h_high = (min(float(drawn["hours_low"]), kept),
                     min(float(drawn["hours_high"]), APP_HOURS[1]))
    share = float(event["affected_share"] or 1.0)
    low, high = (min(float(event.get(k) if event.get(k) is not None else share), share)
                 if k.endswith("low") else
                 max(float(event.get(k) if event.get(k) is not None else share), share)
                 for k in ("affected_share_low", "affected_share_high"))
    platforms = [p for p in (event["platforms"] or "").split(";") if p in PLATFORM_LABELS]
    begins = event_start(event)
    timed = isinstance(begins, datetime)
    state: dict[str, Any] = {
        "country": country_name(event["iso3"]),
        "duration_hours": kept,
        "use_start": True,
        "start_date": begins.date() if timed else begins,
        "start_time": begins.time() if timed else None,
        "use_end": False,
        "scope": event["scope"],
        "platforms": platforms,
        "area_mode": "country" if share >= 1.0 else "share",
        "affected_share": share,
        "share_range": (share, low, high) if low < high else None,
        "hours_range": (kept, h_low, max(h_high, kept)) if h_low < max(h_high, kept) else None,
        "regions": [],
        "use_circumvention": False,
    }
    from app_pages.events_labels import first_link

    stated = STATED_START_TIMES.get(str(event["event_id"]))
    when = (f"from {begins:%H:%M} local ({stated.source}), hours weighted by time of day"
            if timed and stated else
            f"from {begins:%d %b %Y}, a date without a time of day (the catalogue gives dates "
            "only), so the hours are not weighted by time of day")
    length = (f"{fmt.hours(kept)}, the first year of {fmt.hours(hours)} (the event is longer "
              f"than this page's limit of {fmt.hours(APP_HOURS[1])}; Past events also costs a "
              "platform block for its first year, any other event in full)"
              if kept < hours else fmt.hours(hours))
    link = event.get("source_link") or first_link(event.get("links"))
    caption = (f"From the catalogue: {event['title']} ({event['event_id']}); {length} "
               f"{when}; affected share {fmt.percent(share)}"
               + (f" (range {fmt.percent(low)}–{fmt.percent(high)}, as on Past events)"
                  if low < high else "") + "."
               + (f" The source states no hours: they are drawn between {fmt.hours(h_low)} "
                  f"and {fmt.hours(max(h_high, kept))} around {fmt.hours(kept)}, as on Past "
                  "events." if h_low < max(h_high, kept) else "")
               + (f" Source: {link}" if link else ""))
    return state, caption


#: the Estimate page's duration range [hours] (its number input)
APP_HOURS = (1.0, 8760.0)


def read_upload(data: bytes, name: str):
    """An uploaded batch file parsed within the app's limits: a `impact.batch.read.BatchTable`.

    The limits are on the content: at most `impact.batch.read.UPLOAD_MAX_BYTES` of CSV text once
    decompressed (gzip is recognised by its bytes) and `impact.batch.read.UPLOAD_MAX_ROWS` data
    rows. Raises `InputError` (one line) when the file is over a limit or unusable as a whole.
    """
    from impact.batch.read import UPLOAD_MAX_BYTES, UPLOAD_MAX_ROWS, parse_batch_csv

    return parse_batch_csv(data, name, max_bytes=UPLOAD_MAX_BYTES, max_rows=UPLOAD_MAX_ROWS)


def run_uploaded_batch(data: bytes, name: str, methods: Sequence[str], draws: int):
    """Parse (`read_upload`: the app's limits) and estimate an uploaded batch CSV.

    Returns ``(results, estimates, errors)``: the batch result table (one row per id and
    method), ``{id: Estimate}`` for exports, and the per-row errors (bad lines included).
    Raises `InputError` when the file as a whole is unusable (over a limit, empty, not CSV
    text, a bad header).
    """
    from impact.batch.run import run_batch_estimates
    from impact.report.export import summary_frame

    table = read_upload(data, name)
    estimates, errors = run_batch_estimates(table, list(methods), draws=draws)
    results = summary_frame(estimates) if estimates else pl.DataFrame()
    return results, estimates, errors
