"""The Past events page's view model: the ranked table of the filtered events and the frames
of the loss map and the events timeline, built from `impact.catalogue.events` output (`EventsView`).

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from app_pages.events_labels import event_labels, first_link, pick_variant
from impact import format as fmt
from impact.catalogue import events as ev
from impact.vocab import SCOPE_TITLES

#: event types of the catalogue filter (``platforms`` includes blocks of other services)
#: normalisation -> (column of `impact.catalogue.events.estimate_events`, label of the shown column)
NORMALISATIONS: dict[str, tuple[str, str]] = {
    "total": ("loss_usd_p50", "total loss (P50) [USD]"),
    "per_day": ("loss_usd_per_day_p50", "per day (P50) [USD]"),
    "per_capita": ("loss_usd_per_capita_p50", "per capita (P50) [USD]"),
    "share_of_gdp": ("share_of_gdp_p50", "% of GDP (P50)"),
}
_CATALOGUE_EXTRA = ("event_id", "platforms", "area_names", "affected_share",
                    "affected_share_low", "affected_share_high", "share_method", "cause",
                    "links")


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
    largest loss), ``type`` (a key of `SCOPE_TITLES`), ``type_label``, ``start``,
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
        pl.col("type").replace_strict(SCOPE_TITLES).alias("type_label"),
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
                      timeline=timeline_frame(table, events))


