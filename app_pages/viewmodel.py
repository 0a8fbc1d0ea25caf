"""The app's view model: widget keys and defaults, turning widget values into scenario input,
the shareable-link codec, and the display tables and downloads built from an `Estimate`.

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
from impact.chart_frames import (  # noqa: F401 - the chart frames, importable from here too
    DURATION_DRAWS,
    DURATION_POINTS,
    DURATION_REACH,
    PARAMETER_LABELS,
    TORNADO_ENDS,
    WATERFALL_STEPS,
    duration_curve,
    duration_frame,
    duration_grid,
    parameter_label,
    tornado_frame,
    waterfall_frame,
)
from impact.chart_frames import money_basis as _money_basis
from impact.io import read_bundled
from impact.methods import REGISTRY

SCOPE_LABELS = {
    "full": "Full internet",
    "mobile": "Mobile data only",
    "platforms": "Named platforms",
    "throttling": "Throttling",
}
PLATFORM_LABELS = {
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "whatsapp": "WhatsApp",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "telegram": "Telegram",
    "signal": "Signal",
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
    "circumvention": 0.2,
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
STATUS_LABELS = {"ok": "ok", "not_applicable": "not applicable", "unavailable": "unavailable"}


@functools.cache
def country_names() -> tuple[str, ...]:
    """Country names of the bundled country table, sorted for a select box (read once)."""
    return tuple(sorted(read_bundled("countries")["name"].drop_nulls().unique().to_list()))


@functools.cache
def unestimable_names() -> dict[str, str]:
    """``{country name: why it cannot be estimated}`` (`impact.context.unestimable_countries`)."""
    from impact.context import unestimable_countries

    names = dict(read_bundled("countries").select("iso3", "name").iter_rows())
    return {names[iso3]: why for iso3, why in unestimable_countries().items() if iso3 in names}


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
    (`impact.context.hour_weighting`, the same rule on every page).

    Platforms are passed only for the platforms scope and intensity only for throttling, so
    that the scenario's cross-field rules see exactly what the user chose. Chosen ``regions``
    replace ``affected_share`` (the scenario derives the share from their population).
    ``share_range`` ``(central, low, high)`` [0-1] (a preset's catalogue range) gives the
    share its range while ``affected_share`` is still that central value; ``hours_range``
    ``(central, low, high)`` [hours] (a preset's hours where the source states none,
    `impact.exposure.hours_range`) likewise while ``duration_hours`` is still the central
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
    the catalogue row ``event_id`` (`impact.events.event_start` gives its start: the time of
    day only where a source states it, `impact.events.STATED_START_TIMES`), so the preset
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
    from its catalogue row ``event`` (`impact.events.load_events`). Durations beyond the
    page's limit keep its first `APP_HOURS` [1] hours and say so; a start without a stated
    time of day leaves the page's start time empty (a date alone: no hour-of-day
    weighting, as on the Past events page)."""
    from impact.events import STATED_START_TIMES, event_start
    from impact.exposure import hours_range

    names = dict(read_bundled("countries").select("iso3", "name").iter_rows())
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
        "country": names.get(event["iso3"], event["country"]),
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


# ---- shareable scenario links ------------------------------------------------------------------
#: query parameters of a scenario link, in the order they are written
QUERY_FIELDS = ("country", "duration_hours", "scope", "platforms", "affected_share", "regions",
                "intensity", "circumvention", "start", "end", "currency", "methods", "headline")
#: session-state flag: the session's scenario link was read (or the session began elsewhere)
LINK_READ_KEY = "_estimate_link_read"
#: the Estimate page's duration range [hours] (its number input)
APP_HOURS = (1.0, 8760.0)
_QUERY_ACCEPTED = {
    "duration_hours": f"a number of hours from {APP_HOURS[0]:g} to {APP_HOURS[1]:g} on this page",
    "intensity": "an intensity only with scope=throttling",
    "methods": f"comma-separated method names: {', '.join(REGISTRY)}",
    "dates": "a date from 2010-01-01 to 2100-12-31 (YYYY-MM-DD, or YYYY-MM-DDTHH:MM)",
    "headline": f"ensemble or one of the chosen methods: {', '.join(REGISTRY)}",
}
_DEFAULT_INTENSITY = ESTIMATE_DEFAULTS["intensity"]


def _num(value: float) -> str:
    """A number for a URL: ``10``, ``10.5``, ``0.25`` (no trailing ``.0``)."""
    return f"{float(value):.10g}"


def scenario_query(scenario: Any, methods: Sequence[str] = (),
                   headline: str = "ensemble") -> dict[str, str]:
    """Compact, human-readable query parameters of a scenario shown on the Estimate page.

    ``country`` (ISO3) and ``duration_hours`` (or, for a scenario given by its start and
    end, ``end``) are always written; the other fields only when they differ from the page's
    defaults: ``scope``, ``platforms`` and ``regions`` (joined with ``;``),
    ``affected_share``, ``intensity``, ``circumvention``, ``start`` and ``end``
    (``YYYY-MM-DDTHH:MM``), ``currency``, ``methods`` (comma-separated) unless all are
    chosen, and ``headline`` (a method's name) unless it is the ensemble.
    `state_from_query` reads them back.

    >>> from impact import parse_scenario
    >>> sc = parse_scenario({"country": "Pakistan", "duration_hours": 10, "scope": "mobile"})
    >>> scenario_query(sc, ["impact", "icrier2018"])
    {'country': 'PAK', 'duration_hours': '10', 'scope': 'mobile', 'methods': 'impact,icrier2018'}
    """
    out = {"country": scenario.country}
    if scenario.end is None:
        out["duration_hours"] = _num(scenario.hours)
    if scenario.scope != "full":
        out["scope"] = scenario.scope
    if scenario.platforms:
        out["platforms"] = ";".join(scenario.platforms)
    if scenario.affected_share is not None:
        out["affected_share"] = _num(scenario.affected_share)
    if scenario.regions:
        out["regions"] = ";".join(scenario.regions)
    if scenario.intensity is not None and scenario.intensity != _DEFAULT_INTENSITY:
        out["intensity"] = _num(scenario.intensity)
    if scenario.circumvention is not None:
        out["circumvention"] = _num(scenario.circumvention)
    if scenario.start is not None:  # a date alone (no time of day) stays a date
        out["start"] = scenario.start.strftime("%Y-%m-%dT%H:%M" if _timed(scenario)
                                               else "%Y-%m-%d")
    if scenario.end is not None:
        out["end"] = scenario.end.strftime("%Y-%m-%dT%H:%M")
    if scenario.currency != "USD":
        out["currency"] = scenario.currency
    chosen = [m for m in REGISTRY if m in set(methods)]
    if methods and chosen != list(REGISTRY):
        out["methods"] = ",".join(chosen)
    if headline != "ensemble":
        out["headline"] = headline
    return out


def _timed(scenario: Any) -> bool:
    """Whether the page shows a start time: every start but a date alone (the page has no
    time-weighting switch, so weighting off means a date-only start)."""
    from impact.context import hour_weighting

    return hour_weighting(scenario)[0] or scenario.start.time() != time(0, 0)


def query_url(params: Mapping[str, str]) -> str:
    """The relative link of the Estimate page for ``params`` (readable: ``;``, ``,`` and ``:``
    are left as they are).

    >>> query_url({"country": "IND", "duration_hours": "48", "regions": "Jammu & Kashmir"})
    '/?country=IND&duration_hours=48&regions=Jammu%20%26%20Kashmir'
    """
    from urllib.parse import quote, urlencode

    return "/?" + urlencode(dict(params), safe=";,:", quote_via=quote) if params else "/"


def _in_years(text: str) -> bool:
    """Whether a link's date ``text`` begins with a year the page accepts (2010 to 2100)."""
    return text[:4].isdigit() and 2010 <= int(text[:4]) <= 2100


def state_from_query(params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Estimate-page widget values from a scenario link's query parameters.

    Returns ``(state, problems)``: ``state`` maps widget keys (those of `ESTIMATE_DEFAULTS`)
    to the link's values; it is empty when there are no parameters or when any parameter is
    wrong, and then ``problems`` has one line per bad parameter naming it and saying what is
    accepted (the page keeps its defaults). Validation is `impact.parse_scenario` and
    `impact.methods.get_methods`, plus the page's own limits (1 to 8,760 hours, a country of
    its list).

    >>> state, problems = state_from_query({"country": "IND", "duration_hours": "48"})
    >>> state["country"], state["duration_hours"], problems
    ('India', 48.0, [])
    >>> state_from_query({"country": "IND", "affected_share": "1.5"})[1]
    ["affected_share: '1.5' is not accepted; input should be less than or equal to 1; accepted: a share between 0 and 1"]
    """
    from impact import ImpactError, InputError, parse_scenario
    from impact.methods import get_methods

    params = {str(k): str(v) for k, v in params.items()}
    if not params:
        return {}, []
    problems = [f"{k}: unknown parameter; accepted parameters are {', '.join(QUERY_FIELDS)}"
                for k in params if k not in QUERY_FIELDS]
    methods = list(REGISTRY)
    raw_methods = params.get("methods", "").replace(";", ",").strip()
    if raw_methods:
        try:
            methods = [m.name for m in get_methods(raw_methods)]
        except InputError as err:
            problems.append(f"methods: {err.value!r} is not accepted; "
                            f"{_QUERY_ACCEPTED['methods']}")
    headline = params.get("headline", "ensemble")
    if headline != "ensemble" and headline not in methods:
        problems.append(f"headline: {headline!r} is not accepted; {_QUERY_ACCEPTED['headline']}")
    data: dict[str, Any] = {"country": ESTIMATE_DEFAULTS["country"]}
    if "end" not in params:  # a start and an end give the duration
        data["duration_hours"] = ESTIMATE_DEFAULTS["duration_hours"]
    data |= {k: v for k, v in params.items()
             if k in QUERY_FIELDS and k not in ("methods", "headline")}
    try:
        scenario = parse_scenario(data)
    except ImpactError as err:
        problems.append(str(err))
        return {}, problems
    except OverflowError:  # a date at the calendar's ends (year 1, 9999) has no local time
        bad = [k for k in ("start", "end") if k in params and not _in_years(params[k])]
        problems += [f"{k}: {params[k]!r} is not accepted; {_QUERY_ACCEPTED['dates']}"
                     for k in bad or [k for k in ("start", "end") if k in params]]
        return {}, problems
    if not APP_HOURS[0] <= scenario.hours <= APP_HOURS[1]:
        problems.append(
            f"end: {params['end']!r} is not accepted; an end {APP_HOURS[0]:g} to "
            f"{APP_HOURS[1]:g} hours after start on this page (here {scenario.hours:.10g} hours)"
            if scenario.end is not None else
            f"duration_hours: {params.get('duration_hours')!r} is not accepted; "
            f"{_QUERY_ACCEPTED['duration_hours']}")
    if scenario.intensity is not None and scenario.scope != "throttling":
        problems.append(f"intensity: {params.get('intensity')!r} is not accepted; "
                        f"{_QUERY_ACCEPTED['intensity']}")
    names = dict(read_bundled("countries").select("iso3", "name").iter_rows())
    if names.get(scenario.country) not in country_names():
        problems.append(f"country: {params.get('country')!r} is not accepted; a country of "
                        "the Estimate page's list")
    if problems:
        return {}, problems
    state: dict[str, Any] = {
        "country": names[scenario.country],
        "duration_hours": float(scenario.hours),
        "scope": scenario.scope,
        "platforms": list(scenario.platforms),
        "currency": scenario.currency,
        "methods": methods,
        "use_start": scenario.start is not None,
        "use_end": scenario.end is not None,
        "headline_method": headline,
        "use_circumvention": scenario.circumvention is not None,
        "area_mode": ("regions" if scenario.regions
                      else "share" if scenario.affected_share is not None else "country"),
        "regions": list(scenario.regions),
    }
    if scenario.start is not None:
        state["start_date"] = scenario.start.date()
        state["start_time"] = (scenario.start.time().replace(second=0, microsecond=0)
                               if _timed(scenario) else None)
    if scenario.end is not None:
        state["end_date"] = scenario.end.date()
        state["end_time"] = scenario.end.time().replace(second=0, microsecond=0)
    if scenario.affected_share is not None:
        state["affected_share"] = float(scenario.affected_share)
    if scenario.intensity is not None:
        state["intensity"] = float(scenario.intensity)
    if scenario.circumvention is not None:
        state["circumvention"] = float(scenario.circumvention)
    return state, []


def conversion_factor(summary: pl.DataFrame) -> float:
    """Output-currency units per USD, read back from the summary (1 when nothing is costed)."""
    return _money_basis(summary.to_dicts())[1]


def output_currency(summary: pl.DataFrame) -> str:
    return _money_basis(summary.to_dicts())[0]


def method_cards(summary: pl.DataFrame) -> list[dict[str, str]]:
    """One display card per method: title, headline P50, P5-P95 range and secondary lines."""
    rows = summary.to_dicts()
    return _cards(rows, *_money_basis(rows))


def _cards(rows: list[dict[str, Any]], currency: str, factor: float) -> list[dict[str, str]]:
    cards = []
    for r in rows:
        if r["status"] != "ok":
            cards.append({"method": r["method"], "title": r["title"],
                          "status": STATUS_LABELS.get(r["status"], r["status"]),
                          "value": STATUS_LABELS.get(r["status"], r["status"]),
                          "range": "", "reason": r["reason"] or "", "lines": ""})
            continue
        lines = [
            f"per day: {fmt.money(r['loss_usd_per_day_p50'] * factor, currency)}",
            f"share of annual GDP: {fmt.percent(r['share_of_gdp_p50'])}",
            f"per person: {fmt.money(r['loss_usd_per_capita_p50'] * factor, currency)}",
            f"main driver: {_driver(r['main_driver'])}",
        ]
        cards.append({
            "method": r["method"], "title": r["title"], "status": "ok",
            "value": fmt.money(r["loss_p50"], currency),
            "range": "P5–P95: " + fmt.money_range(r["loss_p05"], r["loss_p95"], currency),
            "reason": r["reason"] or "", "lines": "  \n".join(lines),
        })
    return cards


def results_table(summary: pl.DataFrame) -> pl.DataFrame:
    """Human-readable comparison table, one row per method (strings, for display)."""
    rows = summary.to_dicts()
    return _table(rows, *_money_basis(rows))


def _driver(name: str | None) -> str:
    """The input that drives a method's range most, in words (lower case in a sentence)."""
    if not name:
        return fmt.MISSING
    label = parameter_label(name)
    return label[0].lower() + label[1:] if not label[:2].isupper() else label


_TABLE_COLUMNS = ("method", "status", "P5", "P50", "P95", "per day (P50)", "% of GDP (P50)",
                  "per capita (P50)", "main driver", "note / reason")


def _table(rows: list[dict[str, Any]], currency: str, factor: float,
           ens: Any = None) -> pl.DataFrame:
    """The methods' table; with ``ens`` (`impact.ensemble.Ensemble`) each note starts with
    the method's part in the headline."""
    from impact.ensemble import role

    out = []
    for r in rows:
        ok = r["status"] == "ok"
        note = r["reason"] or ""
        if ens is not None:
            note = role(ens, r["method"]) + (f"; {note}" if note else "")
        out.append({
            "method": r["title"],
            "status": STATUS_LABELS.get(r["status"], r["status"]),
            "P5": fmt.money(r["loss_p05"], currency) if ok else fmt.MISSING,
            "P50": fmt.money(r["loss_p50"], currency) if ok else fmt.MISSING,
            "P95": fmt.money(r["loss_p95"], currency) if ok else fmt.MISSING,
            "per day (P50)": (fmt.money(r["loss_usd_per_day_p50"] * factor, currency)
                              if ok else fmt.MISSING),
            "% of GDP (P50)": fmt.percent(r["share_of_gdp_p50"]) if ok else fmt.MISSING,
            "per capita (P50)": (fmt.money(r["loss_usd_per_capita_p50"] * factor, currency)
                                 if ok else fmt.MISSING),
            "main driver": _driver(r["main_driver"]) if ok else fmt.MISSING,
            "note / reason": note,
        })
    return pl.DataFrame(out, schema=dict.fromkeys(_TABLE_COLUMNS, pl.String))


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the Estimate page's downloads: (widget key, label, `impact.export.render` format,
#: extension, MIME)
DOWNLOADS = (
    ("download_csv", "Download CSV", "csv", "csv", "text/csv"),
    ("download_json", "Download JSON", "json", "json", "application/json"),
    ("download_xlsx", "Download Excel", "xlsx", "xlsx", XLSX_MIME),
    ("download_report", "Download report (Markdown)", "markdown", "md", "text/markdown"),
    ("download_brief_pdf", "Download brief (PDF)", "brief_pdf", "pdf", "application/pdf"),
    ("download_brief_html", "Download brief (HTML)", "brief_html", "html", "text/html"),
)


def export_file(fmt: str, obj: Any, errors: Sequence[Any] = ()) -> str | bytes:
    """``impact.export.render(obj, fmt)``: the contents of a download, built when it is asked
    for (the pages pass ``functools.partial(export_file, fmt, est)`` as a deferred ``data=``),
    so the export module and the Excel writer are imported only then.

    The command line's exports go through the same `impact.export.render`, so a download and
    ``impact estimate ... --format csv`` (or ``--out``) of the same scenario are the same file;
    ``errors`` are a batch's row errors (its JSON and Excel list them, as ``impact batch``
    does)."""
    from impact import export

    return export.render(obj, fmt, errors=errors)


def file_stem(est: Any) -> str:
    """``impact_PAK_full_10h`` — a file name stem for downloads."""
    ctx = est.context
    return f"impact_{ctx.iso3}_{ctx.scope}_{ctx.hours:g}h"


@dataclass(frozen=True)
class EstimateView:
    """Everything the Estimate page shows for one estimate, as display-ready text and frames
    (built once per scenario and cached by the page)."""

    headline: str  #: markdown: country, year, hours, scope, affected users
    sentence: str  #: the headline sentence to quote (`impact.ensemble.headline`)
    why: str  #: why the methods differ, one line (`impact.ensemble.why_they_differ`)
    ensemble_note: str  #: who is in the ensemble and who was left out, and why
    area: str  #: caption: the affected area and its range
    data_line: str  #: caption: GDP, population, users and hour weighting used
    cards: tuple[dict[str, str], ...]  #: one per method, see `method_cards`
    table: pl.DataFrame  #: `results_table`
    ranges: pl.DataFrame  #: the ensemble's and every costed method's P5/P50/P95
    #: (`impact.chart_frames.methods_range_frame`; empty when no method costs the scenario)
    notes: tuple[str, ...]
    assumptions: pl.DataFrame
    sensitivity: pl.DataFrame
    components: pl.DataFrame  #: parts of each method's loss that has them, as text
    vintages: pl.DataFrame
    stem: str  #: file name stem of the downloads


def headline_text(ctx: Any) -> tuple[str, str, str]:
    """(headline markdown, affected-area caption, data caption) of an estimate's context."""
    scope = SCOPE_LABELS[ctx.scope].lower()
    if ctx.platforms:
        scope += ": " + ", ".join(PLATFORM_LABELS[p] for p in ctx.platforms)
    affected = ctx.users.value * ctx.affected_share
    headline = (f"**{ctx.country}**, {ctx.year} · {fmt.hours(ctx.hours)} · {scope} · "
                f"{fmt.count(affected)} internet users affected "
                f"({fmt.percent(ctx.affected_share)} of {fmt.count(ctx.users.value)})")
    share_range = ""
    if ctx.affected_share_low != ctx.affected_share_high:
        share_range = (f" (range {fmt.percent(ctx.affected_share_low)} – "
                       f"{fmt.percent(ctx.affected_share_high)})")
    area = f"Affected area: {ctx.affected_detail}{share_range}"
    data_line = (f"GDP {fmt.money(ctx.gdp.value)} ({ctx.gdp.source}, {ctx.gdp.year_used}) · "
                 f"population {fmt.count(ctx.population.value)} "
                 f"({ctx.population.year_used}) · users: {ctx.users.detail} · "
                 f"{ctx.hour_weight_detail}")
    return headline, area, data_line


#: the parts of a method's loss in words (the Components table)
COMPONENT_LABELS = {"direct": "Direct loss", "indirect": "Indirect (spillover)",
                    "recovered": "Recovered later"}


def _title_of(method: str) -> str:
    return REGISTRY[method].title if method in REGISTRY else method


def input_value(value: float | None, unit: str, currency: str, factor: float
                ) -> tuple[str, str]:
    """(value, unit) of a method input for a reader: money in the output currency (``USD
    per year`` -> ``PKR 113tn``, ``per year``), shares as percentages, other numbers through
    the one formatter.

    >>> input_value(4.07e11, "USD per year", "USD", 1.0)
    ('USD 407 bn', 'per year')
    >>> input_value(0.036751, "share 0-1 of GDP", "USD", 1.0)
    ('3.68 %', 'of GDP')
    >>> input_value(0.5, "USD per USD of direct loss", "PKR", 280.0)
    ('0.5', 'per unit of direct loss')
    """
    if unit.startswith("USD per USD"):  # a ratio, whatever the currency
        unit = "per unit" + unit.removeprefix("USD per USD")
    if value is None:
        return "—", unit
    if unit.startswith("USD per ") and not unit.startswith("USD per USD"):
        return fmt.money(value * factor, currency), unit.removeprefix("USD ")
    if unit.startswith("share 0-1"):
        return fmt.percent(value), unit.removeprefix("share 0-1").strip()
    return fmt.number(value), unit


def assumptions_table(assumptions: pl.DataFrame, currency: str, factor: float) -> pl.DataFrame:
    """Every input of every method in words: method, input, value, range (its P5–P95 where
    it is uncertain), unit, source, notes — money in the output currency."""
    rows = []
    for r in assumptions.iter_rows(named=True):
        value, unit = input_value(r["value"], r["unit"] or "", currency, factor)
        uncertain = r["low"] is not None and r["high"] is not None and r["low"] != r["high"]
        span = (f"{input_value(r['low'], r['unit'] or '', currency, factor)[0]} to "
                f"{input_value(r['high'], r['unit'] or '', currency, factor)[0]}"
                if uncertain else "—")
        rows.append({"Method": _title_of(r["method"]), "Input": parameter_label(r["parameter"]),
                     "Value": value, "Range (P5 to P95)": span, "Unit": unit,
                     "Source": r["source"] or "", "Notes": r["notes"] or ""})
    return pl.DataFrame(rows, schema={c: pl.String for c in (
        "Method", "Input", "Value", "Range (P5 to P95)", "Unit", "Source", "Notes")})


def sensitivity_table(sensitivity: pl.DataFrame, currency: str, factor: float
                      ) -> pl.DataFrame:
    """The loss with each input at its P5 and at its P95 (everything else central) and the
    swing between them, in the output currency, largest swing first per method."""
    cols = ("Method", "Input", f"Loss with the input at P5 [{currency}]",
            f"Loss with the input at P95 [{currency}]", f"Swing [{currency}]")
    rows = [dict(zip(cols, (_title_of(r["method"]), parameter_label(r["parameter"]),
                            fmt.money(r["loss_usd_at_p05"] * factor, currency),
                            fmt.money(r["loss_usd_at_p95"] * factor, currency),
                            fmt.money(r["swing_usd"] * factor, currency)), strict=True))
            for r in sensitivity.sort(["method", "rank"]).iter_rows(named=True)]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols})


def components_table(components: Mapping[str, Mapping[str, float]], currency: str,
                     factor: float) -> pl.DataFrame:
    """The parts of each method's central loss in words, in the output currency."""
    cols = ("Method", "Part", f"Amount [{currency}]")
    rows = [dict(zip(cols, (_title_of(m), COMPONENT_LABELS.get(k, parameter_label(k)),
                            fmt.money(v * factor, currency)), strict=True))
            for m, parts in components.items() for k, v in parts.items()]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols})


def estimate_view(est: Any) -> EstimateView:
    """The Estimate page's display of ``est`` (pure; the page caches it per scenario)."""
    headline, area, data_line = headline_text(est.context)
    rows = est.summary.to_dicts()
    currency, factor = _money_basis(rows)
    from impact.chart_frames import methods_range_frame
    from impact.ensemble import (
        beside_text,
        ensemble,
        ensemble_row,
        members_note,
        range_text,
        why_they_differ,
    )
    from impact.ensemble import headline as sentence

    ens = ensemble(est)
    ensemble_note = members_note(ens, _title_of)
    why = " ".join(x for x in (range_text(est, ens), beside_text(est, ens),
                               why_they_differ(est)) if x)
    return EstimateView(
        headline=headline, sentence=sentence(est), why=why,
        ensemble_note=ensemble_note, area=area, data_line=data_line,
        cards=tuple(_cards(rows, currency, factor)), table=_table(rows, currency, factor, ens),
        ranges=methods_range_frame(est.summary, ensemble_row(est)), notes=tuple(est.notes),
        assumptions=assumptions_table(est.assumptions, currency, factor),
        sensitivity=sensitivity_table(est.sensitivity, currency, factor),
        components=components_table(est.components, currency, factor), vintages=est.vintages,
        stem=file_stem(est))


# ---- batch upload ----------------------------------------------------------------------------
BATCH_TEMPLATE = (
    "id,country,start,end,duration_hours,scope,platforms,affected_share,affected_users,"
    "intensity,circumvention\n"
    "pak-election,PAK,2024-02-08T07:00,2024-02-08T17:00,,mobile,,,,,\n"
    "pak-x,PAK,2024-02-17,2025-01-01,,platforms,x,,,,\n"
    "ind-regional,IND,,,72,full,,0.01,,,\n"
    "irn-throttle,IRN,,,24,throttling,,,,0.7,\n"
)


def read_upload(data: bytes, name: str):
    """An uploaded batch file parsed within the app's limits: a `impact.batch.BatchTable`.

    The limits are on the content: at most `impact.batch.UPLOAD_MAX_BYTES` of CSV text once
    decompressed (gzip is recognised by its bytes) and `impact.batch.UPLOAD_MAX_ROWS` data
    rows. Raises `InputError` (one line) when the file is over a limit or unusable as a whole.
    """
    from impact.batch import UPLOAD_MAX_BYTES, UPLOAD_MAX_ROWS, parse_batch_csv

    return parse_batch_csv(data, name, max_bytes=UPLOAD_MAX_BYTES, max_rows=UPLOAD_MAX_ROWS)


#: the Batch page's result table: the scenario of each row, then the Estimate page's columns
BATCH_TABLE_COLUMNS = ("id", "country", "scope", "duration", *_TABLE_COLUMNS)


def batch_table(results: pl.DataFrame) -> pl.DataFrame:
    """The Batch page's result table (strings, for display): one row per id and method (the
    ensemble last), formatted like the Estimate page's comparison (`results_table`: method
    titles, money in each scenario's output currency, shares as percentages, the formatter's
    missing mark for what is not costed), after the id, country, scope and duration.

    ``results`` is `impact.export.summary_frame` of the batch (an ``id`` column, then the
    summary columns)."""
    out: list[dict[str, Any]] = []
    rows = results.to_dicts()
    by_id: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_id.setdefault(r["id"], []).append(r)
    for id_, group in by_id.items():
        scenario = next((r for r in group if r["country"]), group[0])
        lead = {"id": id_, "country": scenario["country"] or scenario["iso3"] or fmt.MISSING,
                "scope": SCOPE_LABELS.get(scenario["scope"], scenario["scope"] or fmt.MISSING),
                "duration": fmt.hours(scenario["duration_hours"])}
        out += [lead | row for row in _table(group, *_money_basis(group)).to_dicts()]
    return pl.DataFrame(out, schema=dict.fromkeys(BATCH_TABLE_COLUMNS, pl.String))


def run_uploaded_batch(data: bytes, name: str, methods: Sequence[str], draws: int):
    """Parse (`read_upload`: the app's limits) and estimate an uploaded batch CSV.

    Returns ``(results, estimates, errors)``: the batch result table (one row per id and
    method), ``{id: Estimate}`` for exports, and the per-row errors (bad lines included).
    Raises `InputError` when the file as a whole is unusable (over a limit, empty, not CSV
    text, a bad header).
    """
    from impact.batch import run_batch_estimates
    from impact.export import summary_frame

    table = read_upload(data, name)
    estimates, errors = run_batch_estimates(table, list(methods), draws=draws)
    results = summary_frame(estimates) if estimates else pl.DataFrame()
    return results, estimates, errors
