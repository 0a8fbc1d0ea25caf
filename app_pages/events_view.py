"""The Past events page's view model: filter keys and defaults, the ranked table, chart frames
and specs, comparisons, totals and risk rows built from `impact.catalogue.events` output.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from impact import format as fmt
from impact.catalogue import events as ev
from impact.report import charts

#: event types of the catalogue filter (``platforms`` includes blocks of other services)
EVENT_TYPE_LABELS = {
    "full": "Full internet",
    "mobile": "Mobile data",
    "throttling": "Throttling",
    "platforms": "Platforms",
}
#: normalisation -> (column of `impact.catalogue.events.estimate_events`, label of the shown column)
NORMALISATIONS: dict[str, tuple[str, str]] = {
    "total": ("loss_usd_p50", "total loss (P50) [USD]"),
    "per_day": ("loss_usd_per_day_p50", "per day (P50) [USD]"),
    "per_capita": ("loss_usd_per_capita_p50", "per capita (P50) [USD]"),
    "share_of_gdp": ("share_of_gdp_p50", "% of GDP (P50)"),
}
NORMALISATION_LABELS = {"total": "Total", "per_day": "Per day", "per_capita": "Per capita",
                        "share_of_gdp": "% of annual GDP"}
#: platform-block cap choice -> label
CAP_LABELS = {"capped": "First 365 days (Top10VPN's convention)",
              "uncapped": "Full duration"}
#: open-ended choice -> label
OPEN_ENDED_LABELS = {"known": "What the source states (first day)",
                     "to_snapshot": "Ongoing ones run to the data snapshot"}
#: widget keys of the Past events page (kept in session state across pages)
EVENTS_KEYS = ("ev_countries", "ev_years", "ev_types", "ev_platform", "ev_election",
               "ev_search", "ev_method", "ev_norm", "ev_variant", "ev_open_ended", "ev_top_n",
               "ev_compare")
ANY_PLATFORM = "any"
_CATALOGUE_EXTRA = ("event_id", "platforms", "area_names", "affected_share",
                    "affected_share_low", "affected_share_high", "share_method", "cause",
                    "links")


def events_defaults(events: pl.DataFrame) -> dict[str, Any]:
    """Initial filter values of the Past events page for the catalogue ``events``.

    Pakistan's 2024 events when the catalogue has any (a small, fast selection), else every
    country in the catalogue's last year.

    >>> import datetime as dt
    >>> cat = pl.DataFrame({"iso3": ["PAK", "IND"], "start": [dt.date(2024, 2, 8),
    ...                                                       dt.date(2025, 1, 1)]})
    >>> d = events_defaults(cat)
    >>> d["ev_countries"], d["ev_years"]
    (['PAK'], (2024, 2024))
    """
    years = events["start"].dt.year()
    pak = events.filter((pl.col("iso3") == "PAK") & (years == 2024))
    if pak.height:
        countries, span = ["PAK"], (2024, 2024)
    else:
        last = int(years.max()) if events.height else 2024
        countries, span = [], (last, last)
    return {"ev_countries": countries, "ev_years": span, "ev_types": [],
            "ev_platform": ANY_PLATFORM, "ev_election": False, "ev_search": "",
            "ev_method": "ensemble", "ev_norm": "total", "ev_variant": "capped",
            "ev_open_ended": "known", "ev_top_n": 10, "ev_compare": []}


def variant_label(cap: str, open_ended: str) -> str:
    """The `impact.catalogue.events.VARIANTS` label of the page's two choices.

    >>> variant_label("capped", "known"), variant_label("uncapped", "to_snapshot")
    ('capped', 'to_snapshot_uncapped')
    """
    return cap if open_ended == "known" else f"to_snapshot_{cap}"


def pick_variant(estimates: pl.DataFrame, method: str, variant: str) -> pl.DataFrame:
    """One row per event of the chosen method and variant, its calendar years added up
    (`impact.catalogue.events.event_totals`)."""
    from impact.catalogue.events import event_totals

    rows = estimates.filter((pl.col("method") == method) & (pl.col("variant") == variant))
    return event_totals(rows.drop("draws_usd", strict=False))


def first_link(links: str | None) -> str | None:
    """The first of an event's ``|``-separated links (its Access Now entry when it has one).

    >>> first_link("https://a.org/x|https://b.org/y"), first_link(None)
    ('https://a.org/x', None)
    """
    if not links:
        return None
    head = str(links).split("|")[0].strip()
    return head or None


#: the mark before the label of an event from the user's own file, in tables and charts
YOURS_MARK = "[yours]"


def event_labels(events: pl.DataFrame) -> dict[str, str]:
    """event_id -> its title (``"Pakistan — mobile data cut nationwide, 8 Feb 2024
    (election)"``), or ``"Pakistan · 2024-02-08 · mobile"`` for a catalogue without titles;
    a title shared by several events gets its id in brackets so that each label is unique."""
    out = {}
    for r in events.iter_rows(named=True):
        title = r.get("title")
        if not title:
            scope = r["scope"]
            if r.get("platforms"):
                scope += f": {r['platforms'].replace(';', ', ')}"
            title = f"{r['country']} · {r['start']} · {scope}"
        if str(r["event_id"]).startswith(ev.USER_ID_PREFIX):
            title = f"{YOURS_MARK} {title}"
        out[r["event_id"]] = title
    counts: dict[str, int] = {}
    for label in out.values():
        counts[label] = counts.get(label, 0) + 1
    return {k: (v if counts[v] == 1 else f"{v} ({k})") for k, v in out.items()}


def events_table(estimates: pl.DataFrame, events: pl.DataFrame, *, method: str,
                 variant: str = "capped", normalisation: str = "total") -> pl.DataFrame:
    """The ranked table of the Past events page (numbers, so that it sorts and exports).

    One row per event (its calendar years added up): its title, country, dates, scope and
    platforms, costed (exposed) hours by the catalogue's rule, the range the hours are drawn
    from where the source gives no times or no end (``hours from``/``hours to``), the years
    they fall in, P50 and P5–P95 [USD] (with the hours drawn), the ``flag`` of an event above
    0.5 % of GDP or 2,000 hours (`impact.catalogue.events.event_flags`), unless
    the normalisation is ``total`` the normalised P50 (per day or per capita [USD], or % of
    annual GDP [%]), then the affected share with its range, how it was obtained, the area
    as reported, the cause, the first source link and the event id. Ranked by the normalised P50 (largest first); events the method cannot
    cost come last with the reason.
    """
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"normalisation {normalisation!r}; use one of "
                         f"{', '.join(NORMALISATIONS)}")
    column, label = NORMALISATIONS[normalisation]
    rows = pick_variant(estimates, method, variant)
    extra = events.select([c for c in _CATALOGUE_EXTRA if c in events.columns])
    rows = rows.join(extra, on="event_id", how="left", validate="m:1")
    value = pl.col(column) * (100.0 if normalisation == "share_of_gdp" else 1.0)
    rows = rows.with_columns(value.alias("_value")).sort(
        "_value", "start", descending=[True, False], nulls_last=True)
    ok = pl.col("status") == "ok"
    labels = event_labels(events) if events.height else {}
    links = [first_link(x) for x in rows["links"].to_list()] if "links" in rows.columns \
        else [None] * rows.height
    rows = rows.with_columns(pl.Series("_link", links, dtype=pl.String))
    cols = [
        pl.when(ok).then(pl.int_range(1, pl.len() + 1)).otherwise(None).alias("rank"),
        pl.col("event_id").replace_strict(labels, default=pl.col("event_id")).alias("event"),
        pl.col("country"), pl.col("start"), pl.col("end"), pl.col("scope"),
        pl.col("platforms").fill_null("").str.replace_all(";", ", ").alias("platforms"),
        pl.col("costed_hours").alias("hours"),
        pl.col("hours_low").alias("hours from"),
        pl.col("hours_high").alias("hours to"),
        pl.col("years"),
        pl.col("loss_usd_p50").alias("P50 [USD]"),
        pl.col("loss_usd_p05").alias("P5 [USD]"),
        pl.col("loss_usd_p95").alias("P95 [USD]"),
        pl.col("flag").fill_null("").alias("flag"),
    ]
    if normalisation != "total":
        cols.append(pl.col("_value").alias(label))
    cols += [
        pl.col("affected_share").alias("affected share"),
        pl.format("{}–{}", pl.col("affected_share_low").round(3),
                  pl.col("affected_share_high").round(3)).alias("share range"),
        pl.col("share_method").alias("share method"),
        pl.col("area_names").alias("area"),
        pl.col("cause").alias("cause") if "cause" in rows.columns else pl.lit(None, pl.String)
        .alias("cause"),
        pl.col("_link").alias("source"),
    ]
    cols += [pl.col("status"), pl.col("reason").fill_null("").alias("note"),
             pl.when(pl.col("event_id").str.starts_with(ev.USER_ID_PREFIX))
             .then(pl.lit(ev.ORIGIN_YOURS)).otherwise(pl.lit(ev.ORIGIN_CATALOGUE))
             .alias("origin"),
             pl.col("event_id").alias("id")]
    out = rows.select(cols)
    return out.with_columns(pl.col("rank").cast(pl.Int64))


def events_chart_frame(table: pl.DataFrame, labels: Mapping[str, str], normalisation: str,
                       top_n: int) -> pl.DataFrame:
    """The top ``top_n`` costed events of `events_table` for a bar chart: label, value,
    formatted value (and P5/P95 for the total)."""
    column = "P50 [USD]" if normalisation == "total" else NORMALISATIONS[normalisation][1]
    top = table.filter(pl.col("status") == "ok").head(top_n)
    frame = top.select(
        pl.col("event").alias("label"),
        pl.col(column).alias("value"), pl.col("P5 [USD]").alias("p05"),
        pl.col("P95 [USD]").alias("p95"))
    text = [value_text(v, normalisation) for v in frame["value"].to_list()]
    return frame.with_columns(pl.Series("text", text, dtype=pl.String))


def value_text(value: float | None, normalisation: str) -> str:
    """A normalised value for people: money, or a percentage of GDP (already ×100).

    >>> value_text(1.5e6, "per_day"), value_text(0.0123, "share_of_gdp")
    ('USD 1.5 m', '0.0123 %')
    """
    if normalisation == "share_of_gdp":
        return fmt.percent(None if fmt.is_missing(value) else value / 100)
    return fmt.money(value)


#: the timeline's type of an event scope (a block of other services is a platform block)
TIMELINE_TYPES = {"full": "full", "mobile": "mobile", "throttling": "throttling",
                  "platforms": "platforms", "platforms_other": "platforms"}
#: countries (rows) in the events timeline
TIMELINE_COUNTRIES = 12


def _with_iso3(table: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """`events_table` rows with the catalogue's ``iso3`` of each event and, as ``country``,
    our country table's name of it (an event split from a report of several countries keeps
    the report's list of names in the catalogue)."""
    from impact.bundled.countries import country_name

    codes = events.select(pl.col("event_id").alias("id"), "iso3")
    rows = table.join(codes, on="id", how="left", validate="m:1")
    names = {}
    for iso3 in rows["iso3"].unique().to_list():
        try:
            names[iso3] = country_name(iso3)
        except KeyError:
            continue
    return rows.with_columns(
        pl.col("iso3").replace_strict(names, default=pl.col("country")).alias("country"))


def country_frame(table: pl.DataFrame, events: pl.DataFrame,
                  normalisation: str = "total") -> pl.DataFrame:
    """Per country, the costed events of `events_table` added up (for the loss map).

    One row per country with at least one costed event (a country whose events are all
    uncosted, or that has none, is absent): ``iso3, country, n_events, n_not_costed, hours``
    (costed hours), ``p05, p50, p95`` (sums of the events' P5, P50, P95 [USD]: the P5/P95
    sums are the range if the events' uncertainty moved together), ``value`` (the
    normalised figure: the summed P50 for ``total``; the summed P50 per day of restriction
    for ``per_day``; the summed per-capita P50s [USD] or shares of GDP [%] otherwise) and
    the texts ``value_text, loss_text, hours_text, events_text``. Sorted by ``p50``, largest
    first.
    """
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"normalisation {normalisation!r}; use one of "
                         f"{', '.join(NORMALISATIONS)}")
    rows = _with_iso3(table, events)
    ok = pl.col("status") == "ok"
    label = NORMALISATIONS[normalisation][1]
    normalised = (pl.col(label).filter(ok).sum() if normalisation in ("per_capita",
                                                                       "share_of_gdp")
                  else pl.lit(None, pl.Float64))
    out = (rows.group_by("iso3").agg(
        pl.col("country").first(),
        ok.sum().cast(pl.Int64).alias("n_events"),
        (~ok).sum().cast(pl.Int64).alias("n_not_costed"),
        pl.col("hours").filter(ok).sum().alias("hours"),
        pl.col("P5 [USD]").filter(ok).sum().alias("p05"),
        pl.col("P50 [USD]").filter(ok).sum().alias("p50"),
        pl.col("P95 [USD]").filter(ok).sum().alias("p95"),
        normalised.alias("_normalised"))
        .filter(pl.col("n_events") > 0)
        .sort(["p50", "iso3"], descending=[True, False]))
    value = {"total": pl.col("p50"),
             "per_day": pl.when(pl.col("hours") > 0)
             .then(pl.col("p50") / (pl.col("hours") / 24.0)).otherwise(None)}.get(
        normalisation, pl.col("_normalised"))
    out = out.with_columns(value.cast(pl.Float64).alias("value")).drop("_normalised")
    records = out.select("value", "p05", "p50", "p95", "hours", "n_events",
                         "n_not_costed").rows()
    texts = {"value_text": [], "loss_text": [], "hours_text": [], "events_text": []}
    for v, p05, p50, p95, hours, n, n_not in records:
        texts["value_text"].append(value_text(v, normalisation))
        texts["loss_text"].append(f"{fmt.money(p50)} ({fmt.money_range(p05, p95)})")
        texts["hours_text"].append(fmt.hours(hours))
        texts["events_text"].append(f"{n:,} costed" + (f", {n_not:,} not costed"
                                                       if n_not else ""))
    return out.with_columns(*(pl.Series(k, v, dtype=pl.String) for k, v in texts.items()))


#: normalisation -> (the map legend's title, the tooltip's name of the normalised figure)
MAP_TITLES = {"total": ("total loss (P50) [USD]", ""),
              "per_day": ("loss per day of restriction (P50) [USD]", "per day"),
              "per_capita": ("loss per person (P50) [USD]", "per person"),
              "share_of_gdp": ("loss as % of annual GDP (P50)", "% of GDP")}
#: normalisation -> what a country's figure on the map is, in words
MAP_FIGURES = {"total": "the sum of the P50 losses of its costed events",
               "per_day": "the sum of the P50 losses of its costed events per day of "
                          "restriction (the sum over the events' costed hours / 24)",
               "per_capita": "the sum of its costed events' P50 losses per person",
               "share_of_gdp": "the sum of its costed events' P50 losses as a share of "
                               "the GDP of each event's year"}


def map_titles(normalisation: str) -> tuple[str, str]:
    """(legend title, tooltip name) of the loss map for a normalisation.

    >>> map_titles("per_capita")
    ('loss per person (P50) [USD]', 'per person')
    """
    return MAP_TITLES[normalisation]


@dataclass(frozen=True)
class TimelineFrame:
    """The events timeline's rows and what was left out of it."""

    rows: pl.DataFrame  #: one row per mark (`timeline_frame`)
    countries: int  #: countries shown (rows of the chart)
    other_countries: int  #: countries with events that are left out
    other_events: int  #: their events


def timeline_frame(table: pl.DataFrame, events: pl.DataFrame,
                   top_n: int = TIMELINE_COUNTRIES) -> TimelineFrame:
    """The events of the ``top_n`` countries with the largest summed P50 (countries with
    no costed event after them, by number of events), one mark per event.

    Events of one country, type, start and end are one mark (India's many one-day regional
    shutdowns of the same day); ``n`` counts them. Columns: ``iso3, country, rank`` (1 =
    largest loss), ``type`` (a key of `EVENT_TYPE_LABELS`), ``type_label``, ``start``,
    ``end`` (ISO dates; ``end`` is the day after the last day, so that a bar covers its
    days), ``one_day`` (a tick rather than a bar), ``n``, ``p50`` (summed P50 of the costed
    events [USD], null when none is) and the tooltip texts ``title, dates, hours_text,
    cost_text``.
    """
    rows = _with_iso3(table, events)
    if rows.height == 0:
        empty = pl.DataFrame(schema={"iso3": pl.String, "country": pl.String,
                                     "rank": pl.Int64})
        return TimelineFrame(empty, 0, 0, 0)
    ok = pl.col("status") == "ok"
    ranked = (rows.group_by("iso3").agg(
        pl.col("P50 [USD]").filter(ok).sum().alias("_loss"), ok.any().alias("_costed"),
        pl.len().alias("_n"))
        .sort(["_costed", "_loss", "_n", "iso3"], descending=[True, True, True, False])
        .with_columns(pl.int_range(1, pl.len() + 1).cast(pl.Int64).alias("rank")))
    shown = ranked.head(max(int(top_n), 0))
    left = ranked.slice(shown.height)
    rows = rows.drop("rank").join(shown.select("iso3", "rank"), on="iso3", how="inner",
                                  validate="m:1")
    rows = rows.with_columns(
        pl.col("scope").replace_strict(TIMELINE_TYPES, default="platforms").alias("type"))
    marks = (rows.group_by("iso3", "type", "start", "end", maintain_order=True).agg(
        pl.col("country").first(), pl.col("rank").first(), pl.len().cast(pl.Int64).alias("n"),
        pl.col("event").first().alias("_first"),
        pl.col("hours").sum().alias("_hours"),
        pl.when(ok.any()).then(pl.col("P50 [USD]").filter(ok).sum()).alias("p50"),
        pl.when(ok.any()).then(pl.col("P5 [USD]").filter(ok).sum()).alias("_p05"),
        pl.when(ok.any()).then(pl.col("P95 [USD]").filter(ok).sum()).alias("_p95"),
        pl.col("note").filter(~ok).first().alias("_note"))
        .sort("rank", "start", "type"))
    texts: dict[str, list[str]] = {"title": [], "dates": [], "hours_text": [],
                                   "cost_text": []}
    for first, n, start, end, hours, p50, p05, p95, note in marks.select(
            "_first", "n", "start", "end", "_hours", "p50", "_p05", "_p95", "_note").rows():
        texts["title"].append(first if n == 1 else f"{n} events, e.g. {first}")
        texts["dates"].append(str(start) if start == end else f"{start} – {end}")
        texts["hours_text"].append(fmt.hours(hours))
        texts["cost_text"].append(f"{fmt.money(p50)} ({fmt.money_range(p05, p95)})"
                                  if p50 is not None else f"not costed: {note or 'n/a'}")
    out = marks.select(
        "iso3", "country", "rank", "type",
        pl.col("type").replace_strict(EVENT_TYPE_LABELS).alias("type_label"),
        pl.col("start").cast(pl.String),
        (pl.col("end") + pl.duration(days=1)).cast(pl.String).alias("end"),
        (pl.col("start") == pl.col("end")).alias("one_day"),
        "n", "p50",
    ).with_columns(*(pl.Series(k, v, dtype=pl.String) for k, v in texts.items()))
    return TimelineFrame(out, shown.height, left.height, int(left["_n"].sum()))


@dataclass(frozen=True)
class EventsView:
    """The Past events page's tables for one choice of filters, method, variant and
    normalisation (built once and cached by the page)."""

    n_events: int  #: catalogue events matching the filters
    labels: dict[str, str]  #: `event_labels`
    table: pl.DataFrame  #: `events_table`
    costed: int  #: events the method costs
    total: float | None  #: sum of their P50s [USD], None when none is costed
    countries: pl.DataFrame  #: `country_frame` (the loss map's rows)
    timeline: TimelineFrame  #: `timeline_frame` (the events timeline's rows)
    shown: pl.DataFrame  #: `events_display` of `table` (the ranked table as displayed)


def events_view(estimates: pl.DataFrame, events: pl.DataFrame, *, method: str, variant: str,
                normalisation: str) -> EventsView:
    """`EventsView` of the filtered ``events`` and their ``estimates``."""
    table = events_table(estimates, events, method=method, variant=variant,
                         normalisation=normalisation)
    costed = table.filter(pl.col("status") == "ok")
    total = float(costed["P50 [USD]"].sum()) if costed.height else None
    return EventsView(n_events=events.height, labels=event_labels(events), table=table,
                      costed=costed.height, total=total,
                      countries=country_frame(table, events, normalisation),
                      timeline=timeline_frame(table, events),
                      shown=events_display(table, normalisation))


def with_rows(spec: dict[str, Any], frame: pl.DataFrame) -> dict[str, Any]:
    """``spec`` drawing ``frame``'s rows, sent within the spec in a layer
    (`impact.report.charts.rows_in_layer`: rows given to Streamlit as a table are drawn empty
    first, which logs "Infinite extent" warnings); it fits the container's width, its
    title and axes added to its height, with room for the title (`impact.report.charts.PADDING`).

    >>> with_rows({"mark": "bar"}, pl.DataFrame({"v": [1.0, float("nan")]}))["layer"]
    [{'data': {'values': [{'v': 1.0}, {'v': None}]}, 'mark': 'bar'}]
    """
    rows = frame.with_columns(pl.col(pl.Float32, pl.Float64).fill_nan(None)).to_dicts()
    return charts.rows_in_layer(
        {"autosize": {"type": "fit-x", "contains": "padding"},
         "padding": dict(charts.PADDING)} | spec | {"data": {"values": rows}})


def events_chart_spec(normalisation: str, rows: int) -> dict[str, Any]:
    """Vega-Lite spec of the ranked events chart for `events_chart_frame`'s columns: a bar
    per event (its normalised P50) and, for the total, a line from P5 to P95 (`with_rows`
    puts a frame's rows in it)."""
    title = ("loss (USD); bar = P50, line = P5 to P95" if normalisation == "total"
             else NORMALISATIONS[normalisation][1])
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar", "opacity": 0.8},
         "encoding": {"x": {"field": "value", "type": "quantitative", "title": title}}}]
    if normalisation == "total":
        layers.append({"mark": {"type": "rule", "color": "black"},
                       "encoding": {"x": {"field": "p05", "type": "quantitative",
                                          "title": title},
                                    "x2": {"field": "p95"}}})
    return {
        "height": 26 * rows + 40,
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                  # a phone keeps most of its width for the bars
                  "axis": {"labelLimit": charts.container_limit(420, share=0.4, least=80)}},
            "tooltip": [{"field": "label", "type": "nominal", "title": "event"},
                        {"field": "text", "type": "nominal",
                         "title": NORMALISATION_LABELS[normalisation]}],
        },
        "layer": layers,
    }


def compare_chart_spec(title: str, tick_format: str, rows: int) -> dict[str, Any]:
    """Vega-Lite spec of one comparison panel: a bar per event (columns ``event``,
    ``short`` and ``value``; `with_rows` puts a frame's rows in it)."""
    return {
        "title": title, "height": 30 * rows + 40, "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "value", "type": "quantitative", "title": None,
                  "axis": {"format": tick_format}},
            "y": {"field": "short", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": charts.container_limit(200, share=0.55),
                           "labelOverlap": False}},
            "tooltip": [{"field": "event", "type": "nominal"},
                        {"field": "value", "type": "quantitative", "format": ",.4~g"}],
        },
    }


def compare_table(compared: pl.DataFrame, labels: Mapping[str, str]) -> pl.DataFrame:
    """`impact.catalogue.events.compare` output for display: one row per event, per day, per capita
    and % of annual GDP side by side, each with its rank among the compared events."""
    return compared.select(
        pl.col("event_id").replace_strict(dict(labels), default=pl.col("event_id"))
        .alias("event"),
        pl.col("costed_hours").alias("hours"),
        pl.col("status"),
        pl.col("loss_usd_p50").alias("total (P50) [USD]"),
        pl.col("loss_usd_per_day_p50").alias("per day [USD]"),
        pl.col("rank_per_day").alias("rank per day"),
        pl.col("loss_usd_per_capita_p50").alias("per capita [USD]"),
        pl.col("rank_per_capita").alias("rank per capita"),
        (pl.col("share_of_gdp_p50") * 100).alias("% of GDP"),
        pl.col("rank_share_of_gdp").alias("rank % of GDP"),
        pl.col("reason").fill_null("").alias("note"),
    )


#: display names of the totals' figures (country-year and platform ledgers alike)
_TOTAL_COLUMNS = {
    "year": "year", "n_events": "events costed", "n_not_costed": "not costed",
    "hours": "hours", "loss_usd_p50": "P50 [USD]", "loss_usd_p05": "P5 [USD]",
    "loss_usd_p95": "P95 [USD]",
}


def _totals_display(frame: pl.DataFrame, key: str, names: Mapping[str, str],
                    label: str) -> pl.DataFrame:
    return frame.select(
        pl.col(key).replace_strict(dict(names), default=pl.col(key)).alias(label),
        *[pl.col(c).alias(name) for c, name in _TOTAL_COLUMNS.items()])


def summary_table(summary: pl.DataFrame, names: Mapping[str, str]) -> pl.DataFrame:
    """`impact.catalogue.events.summarise` output with country names and display column names."""
    return _totals_display(summary, "iso3", names, "country")


def platform_table(ledger: pl.DataFrame) -> pl.DataFrame:
    """`impact.catalogue.events.summarise` by platform and year with display names: a block of several
    platforms counts under each, so the rows do not add up to all blocks."""
    from impact.vocab import PLATFORM_LABELS

    return _totals_display(ledger, "platform", PLATFORM_LABELS, "platform")


def risk_rows(risk: pl.DataFrame, iso3s: Sequence[str], names: Mapping[str, str],
              top: int = 10) -> pl.DataFrame:
    """`impact.bundled.econometrics.risk_table` rows of the chosen countries (the ``top`` highest when
    none are chosen), as percentages with the 90 % interval."""
    rows = risk.filter(pl.col("iso3").is_in(list(iso3s))) if iso3s else risk.head(top)
    return rows.select(
        pl.col("iso3").replace_strict(dict(names), default=pl.col("iso3")).alias("country"),
        (pl.col("probability") * 100).alias("probability [%]"),
        pl.format("{} – {} %", (pl.col("low") * 100).round(0).cast(pl.Int64),
                  (pl.col("high") * 100).round(0).cast(pl.Int64)).alias("90 % interval"),
    )


# ---- the tables as displayed: text through `impact.format` ------------------------------------
def _text(value: Any) -> str:
    """A value as written (dates ISO, whole numbers plain), `fmt.MISSING` when missing."""
    return fmt.MISSING if fmt.is_missing(value) else str(value)


def _share_range(text: str | None) -> str:
    """``events_table``'s ``"0.2–0.5"`` as percentages: ``"20 % – 50 %"``."""
    if not text:
        return fmt.MISSING
    return " – ".join(fmt.percent(float(x)) for x in text.split("–"))


def display_table(frame: pl.DataFrame,
                  formats: Mapping[str, Callable[[Any], str]]) -> pl.DataFrame:
    """``frame`` as text for display (the order of its rows and columns kept): a column of
    ``formats`` through its `impact.format` function, any other as written (dates ISO), and
    a missing value as `fmt.MISSING`, never ``None``. Downloads keep the numbers."""
    return pl.DataFrame({c: [formats.get(c, _text)(v) for v in frame[c].to_list()]
                         for c in frame.columns},
                        schema=dict.fromkeys(frame.columns, pl.String))


def events_display(table: pl.DataFrame, normalisation: str = "total") -> pl.DataFrame:
    """`events_table` as the page shows it: money, hours and shares through `impact.format`,
    the ranking kept (its ``rank`` column and order), a missing link empty (a link column
    has no text of its own)."""
    formats: dict[str, Callable[[Any], str]] = {
        "hours": fmt.hours, "hours from": fmt.hours, "hours to": fmt.hours,
        "P50 [USD]": fmt.money, "P5 [USD]": fmt.money,
        "P95 [USD]": fmt.money, "affected share": fmt.percent, "share range": _share_range,
        "source": lambda link: link or ""}
    if normalisation != "total":
        formats[NORMALISATIONS[normalisation][1]] = functools.partial(
            value_text, normalisation=normalisation)
    return display_table(table, formats)


def compare_display(shown: pl.DataFrame) -> pl.DataFrame:
    """`compare_table` as the page shows it (its charts keep the numbers)."""
    return display_table(shown, {
        "hours": fmt.hours, "total (P50) [USD]": fmt.money, "per day [USD]": fmt.money,
        "per capita [USD]": fmt.money,
        "% of GDP": functools.partial(value_text, normalisation="share_of_gdp")})


def totals_display(frame: pl.DataFrame) -> pl.DataFrame:
    """`summary_table` or `platform_table` as the page shows it (its download keeps the
    numbers): counts, hours and money through `impact.format`."""
    formats: dict[str, Callable[[Any], str]] = {
        "events costed": fmt.count, "not costed": fmt.count, "hours": fmt.hours}
    return display_table(frame, formats | {c: fmt.money for c in frame.columns
                                           if "[USD]" in c})


def table_csv(table: pl.DataFrame) -> str:
    """CSV of a display table, exactly the columns shown; text a spreadsheet would run as a
    formula is quoted (`impact.report.export.safe_frame`: a user's own events are in it)."""
    from impact.report.export import safe_frame

    return safe_frame(table).write_csv()
