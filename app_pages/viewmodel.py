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
    "scope": "full",
    "platforms": [],
    "affected_share": 1.0,
    "area_mode": "country",
    "regions": [],
    "intensity": 0.5,
    "use_circumvention": False,
    "circumvention": 0.2,
    "methods": list(REGISTRY),
    "currency": "USD",
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


def scenario_input(*, country: str, duration_hours: float, scope: str,
                   platforms: Sequence[str] = (), affected_share: float | None = None,
                   regions: Sequence[str] = (),
                   intensity: float | None = None, circumvention: float | None = None,
                   start_date: date | None = None, start_time: time | None = None,
                   currency: str = "USD") -> dict[str, Any]:
    """The mapping handed to `impact.parse_scenario` from the app's widget values.

    Platforms are passed only for the platforms scope and intensity only for throttling, so
    that the scenario's cross-field rules see exactly what the user chose. Chosen ``regions``
    replace ``affected_share`` (the scenario derives the share from their population).

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
    if scope == "platforms":
        data["platforms"] = list(platforms)
    if scope == "throttling" and intensity is not None:
        data["intensity"] = intensity
    if circumvention is not None:
        data["circumvention"] = circumvention
    if start_date is not None:
        data["start"] = datetime.combine(start_date, start_time or time(0, 0)).isoformat()
    return data


# ---- shareable scenario links ------------------------------------------------------------------
#: query parameters of a scenario link, in the order they are written
QUERY_FIELDS = ("country", "duration_hours", "scope", "platforms", "affected_share", "regions",
                "intensity", "circumvention", "start", "currency", "methods")
#: session-state flag: the session's scenario link was read (or the session began elsewhere)
LINK_READ_KEY = "_estimate_link_read"
#: the Estimate page's duration range [hours] (its number input)
APP_HOURS = (1.0, 8760.0)
_QUERY_ACCEPTED = {
    "duration_hours": f"a number of hours from {APP_HOURS[0]:g} to {APP_HOURS[1]:g} on this page",
    "intensity": "an intensity only with scope=throttling",
    "methods": f"comma-separated method names: {', '.join(REGISTRY)}",
}
_DEFAULT_INTENSITY = ESTIMATE_DEFAULTS["intensity"]


def _num(value: float) -> str:
    """A number for a URL: ``10``, ``10.5``, ``0.25`` (no trailing ``.0``)."""
    return f"{float(value):.10g}"


def scenario_query(scenario: Any, methods: Sequence[str] = ()) -> dict[str, str]:
    """Compact, human-readable query parameters of a scenario shown on the Estimate page.

    ``country`` (ISO3) and ``duration_hours`` are always written; the other fields only when
    they differ from the page's defaults: ``scope``, ``platforms`` and ``regions`` (joined
    with ``;``), ``affected_share``, ``intensity``, ``circumvention``, ``start``
    (``YYYY-MM-DDTHH:MM``), ``currency``, and ``methods`` (comma-separated) unless all are
    chosen. `state_from_query` reads them back.

    >>> from impact import parse_scenario
    >>> sc = parse_scenario({"country": "Pakistan", "duration_hours": 10, "scope": "mobile"})
    >>> scenario_query(sc, ["impact", "icrier2018"])
    {'country': 'PAK', 'duration_hours': '10', 'scope': 'mobile', 'methods': 'impact,icrier2018'}
    """
    out = {"country": scenario.country, "duration_hours": _num(scenario.hours)}
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
    if scenario.start is not None:
        out["start"] = scenario.start.strftime("%Y-%m-%dT%H:%M")
    if scenario.currency != "USD":
        out["currency"] = scenario.currency
    chosen = [m for m in REGISTRY if m in set(methods)]
    if methods and chosen != list(REGISTRY):
        out["methods"] = ",".join(chosen)
    return out


def query_url(params: Mapping[str, str]) -> str:
    """The relative link of the Estimate page for ``params`` (readable: ``;``, ``,`` and ``:``
    are left as they are).

    >>> query_url({"country": "IND", "duration_hours": "48", "regions": "Jammu & Kashmir"})
    '/?country=IND&duration_hours=48&regions=Jammu%20%26%20Kashmir'
    """
    from urllib.parse import quote, urlencode

    return "/?" + urlencode(dict(params), safe=";,:", quote_via=quote) if params else "/"


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
    data: dict[str, Any] = {"country": ESTIMATE_DEFAULTS["country"],
                            "duration_hours": ESTIMATE_DEFAULTS["duration_hours"]}
    data |= {k: v for k, v in params.items() if k in QUERY_FIELDS and k != "methods"}
    try:
        scenario = parse_scenario(data)
    except ImpactError as err:
        problems.append(str(err))
        return {}, problems
    if not APP_HOURS[0] <= scenario.hours <= APP_HOURS[1]:
        problems.append(f"duration_hours: {params.get('duration_hours')!r} is not accepted; "
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
        "use_circumvention": scenario.circumvention is not None,
        "area_mode": ("regions" if scenario.regions
                      else "share" if scenario.affected_share is not None else "country"),
        "regions": list(scenario.regions),
    }
    if scenario.start is not None:
        state["start_date"] = scenario.start.date()
        state["start_time"] = scenario.start.time().replace(second=0, microsecond=0)
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
            f"main driver: {r['main_driver'] or fmt.MISSING}",
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


_TABLE_COLUMNS = ("method", "status", "P5", "P50", "P95", "per day (P50)", "% of GDP (P50)",
                  "per capita (P50)", "main driver", "note / reason")


def _table(rows: list[dict[str, Any]], currency: str, factor: float) -> pl.DataFrame:
    out = []
    for r in rows:
        ok = r["status"] == "ok"
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
            "main driver": (r["main_driver"] or fmt.MISSING) if ok else fmt.MISSING,
            "note / reason": r["reason"] or "",
        })
    return pl.DataFrame(out, schema=dict.fromkeys(_TABLE_COLUMNS, pl.String))


def range_frame(summary: pl.DataFrame) -> pl.DataFrame:
    """P5, P50 and P95 per costed method, in output currency, with formatted labels, for
    the range chart."""
    rows = summary.to_dicts()
    return _range(rows, _money_basis(rows)[0])


_RANGE_SCHEMA = {"method": pl.String, "p05": pl.Float64, "p50": pl.Float64, "p95": pl.Float64,
                 "currency": pl.String, "p05_label": pl.String, "p50_label": pl.String,
                 "p95_label": pl.String}


def _range(rows: list[dict[str, Any]], currency: str) -> pl.DataFrame:
    ok = [r for r in rows if r["status"] == "ok"]
    data = {"method": [r["title"] for r in ok], "currency": [r["currency"] for r in ok]}
    for q in ("p05", "p50", "p95"):
        data[q] = [r[f"loss_{q}"] for r in ok]
        data[f"{q}_label"] = [fmt.money(r[f"loss_{q}"], currency) for r in ok]
    return pl.DataFrame({k: data[k] for k in _RANGE_SCHEMA}, schema=_RANGE_SCHEMA)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the Estimate page's downloads: (widget key, label, `impact.export` function, extension, MIME)
DOWNLOADS = (
    ("download_csv", "Download CSV", "to_csv", "csv", "text/csv"),
    ("download_json", "Download JSON", "to_json", "json", "application/json"),
    ("download_xlsx", "Download Excel", "to_xlsx", "xlsx", XLSX_MIME),
    ("download_report", "Download report (Markdown)", "report_markdown", "md", "text/markdown"),
    ("download_brief_pdf", "Download brief (PDF)", "estimate_brief_pdf", "pdf",
     "application/pdf"),
    ("download_brief_html", "Download brief (HTML)", "estimate_brief_html", "html",
     "text/html"),
)


def export_file(name: str, obj: Any) -> str | bytes:
    """``impact.export.<name>(obj)``: the contents of a download, built when it is asked for
    (the pages pass ``functools.partial(export_file, name, est)`` as a deferred ``data=``), so
    the export module and the Excel writer are imported only then."""
    from impact import export

    return getattr(export, name)(obj)


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
    chart: pl.DataFrame  #: `range_frame` (empty when no method costs the scenario)
    chart_log: pl.DataFrame  #: the same, floored for a logarithmic axis
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


def log_floor(frame: pl.DataFrame) -> pl.DataFrame:
    """`range_frame` for a logarithmic axis, which cannot show 0: values floored at 1/1000
    of the largest P95 (and at least 1)."""
    if frame.height == 0:
        return frame
    floor = max(float(frame["p95"].max() or 0) / 1000, 1.0)
    return frame.with_columns(pl.col("p05", "p50", "p95").clip(lower_bound=floor))


def range_chart_spec(currency: str, rows: int, log: bool = False) -> dict[str, Any]:
    """Vega-Lite spec of the range chart (bar = P5 to P95, dot = P50, one row per method)
    for the columns of `range_frame`; a plain dict, so the page needs no chart library."""
    axis = {"title": f"loss ({currency}); bar = P5 to P95, dot = P50",
            "labelExpr": "replace(replace(replace(format(datum.value, '~s'), 'G', 'bn'),"
                         " 'M', 'm'), 'T', 'tn')"}
    scale = {"type": "log"} if log else {"zero": True}
    return {
        "height": 46 * rows + 40,
        "encoding": {
            "y": {"field": "method", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": 320}},
            "tooltip": [{"field": "method", "type": "nominal"},
                        {"field": "p05_label", "type": "nominal", "title": "P5"},
                        {"field": "p50_label", "type": "nominal", "title": "P50"},
                        {"field": "p95_label", "type": "nominal", "title": "P95"}],
        },
        "layer": [
            {"mark": {"type": "bar", "height": 14, "opacity": 0.35, "cornerRadius": 3},
             "encoding": {"x": {"field": "p05", "type": "quantitative", "axis": axis,
                                "scale": scale},
                          "x2": {"field": "p95"}}},
            {"mark": {"type": "point", "filled": True, "size": 110, "opacity": 1},
             "encoding": {"x": {"field": "p50", "type": "quantitative"}}},
        ],
    }


def estimate_view(est: Any) -> EstimateView:
    """The Estimate page's display of ``est`` (pure; the page caches it per scenario)."""
    headline, area, data_line = headline_text(est.context)
    rows = est.summary.to_dicts()
    currency, factor = _money_basis(rows)
    chart = _range(rows, currency)
    parts = [(m, k, v) for m, comps in est.components.items() for k, v in comps.items()]
    components = pl.DataFrame({"method": [m for m, _, _ in parts],
                               "component": [k for _, k, _ in parts],
                               "USD": [fmt.money(v) for _, _, v in parts]},
                              schema={"method": pl.String, "component": pl.String,
                                      "USD": pl.String})
    from impact.ensemble import ensemble, why_they_differ
    from impact.ensemble import headline as sentence

    ens = ensemble(est)
    left = "; ".join(f"{m} left out: {why}" for m, why in ens.excluded.items())
    ensemble_note = (f"Headline: the pooled draws of {', '.join(ens.members) or 'no method'}"
                     + (f" ({left})" if left else "") + " — docs/headline.md.")
    return EstimateView(
        headline=headline, sentence=sentence(est), why=why_they_differ(est),
        ensemble_note=ensemble_note, area=area, data_line=data_line,
        cards=tuple(_cards(rows, currency, factor)), table=_table(rows, currency, factor),
        chart=chart, chart_log=log_floor(chart), notes=tuple(est.notes),
        assumptions=est.assumptions.select("method", "parameter", "value", "low", "high",
                                           "unit", "source", "notes"),
        sensitivity=est.sensitivity, components=components, vintages=est.vintages,
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


def run_uploaded_batch(data: bytes, name: str, methods: Sequence[str], draws: int):
    """Parse and estimate an uploaded batch CSV.

    Returns ``(results, estimates, errors)``: the batch result table (one row per id and
    method), ``{id: Estimate}`` for exports, and the per-row errors. Raises `InputError` when
    the file as a whole is unusable (empty, not CSV, unknown columns, no country column).
    """
    from impact.batch import parse_batch_csv, run_batch_estimates
    from impact.export import summary_frame

    frame = parse_batch_csv(data, name)
    estimates, errors = run_batch_estimates(frame, list(methods), draws=draws)
    results = summary_frame(estimates) if estimates else pl.DataFrame()
    return results, estimates, errors
