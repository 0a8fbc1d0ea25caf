"""The Past events page's cached computations, defined once at import and keyed by the data
version and an `EventFilters` (normalised to the fields each result depends on, so that a
method or normalisation change reuses the events selected, and a normalisation change the
estimates).

Computed once per process: a new session's first screen draws from these caches, and what is
displayed is cached as displayed (text tables as Arrow tables, chart specs as JSON), so a
rerun only hands them to Streamlit. The large frames are resource caches: polars and Arrow
tables are immutable and the page only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pyarrow as pa
import streamlit as st

from app_pages.events_display import (
    compare_display,
    compare_table,
    events_display,
    not_costed_reasons,
    platform_table,
    summary_table,
    totals_display,
    with_notes,
)
from app_pages.events_filters import FILTERS_HASH, EventFilters, events_defaults
from app_pages.events_labels import event_labels
from app_pages.events_search import search_events
from app_pages.events_view import EventsView, events_view, map_titles
from impact import ImpactError
from impact.catalogue import events as ev
from impact.catalogue.exposure import variant_world
from impact.estimation.ensemble import ENSEMBLE

#: Monte Carlo draws per event on the Past events page (the Estimate page uses 10,000)
DRAWS = 1_000


@st.cache_data(show_spinner=False)
def catalogue_info(version: str) -> tuple[dict[str, str], tuple[int, int], dict]:
    """(iso3 -> country name, (first, last) start year, default widget values) of the
    catalogue of data ``version``."""
    events = ev.catalogue()
    names = dict(events.select("iso3", "country").unique("iso3").sort("country").iter_rows())
    years = events["start"].dt.year()
    return names, (int(years.min()), int(years.max())), events_defaults(events)


@st.cache_resource(show_spinner="Reading your events…", max_entries=8)
def user_events(digest: str, _data: bytes | None = None, _name: str = "upload"
                ) -> ev.UserEvents:
    """`impact.catalogue.events.read_user_events` of an upload, cached by its SHA-256 ``digest``
    (the bytes are not hashed again)."""
    if _data is None:
        raise ImpactError("your events file is no longer in memory; upload it again")
    return ev.read_user_events(_data, name=_name)


def filtered_events(version: str, filters: EventFilters) -> pl.DataFrame:
    """Catalogue rows of data ``version`` matching ``filters`` (shared, read-only), with the
    user's own events of its upload (`user_events`) if any."""
    return _filtered(version, filters.selection())


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=FILTERS_HASH)
def _filtered(version: str, f: EventFilters) -> pl.DataFrame:
    types, countries = list(f.types) or None, list(f.countries) or None
    if f.yours is None:
        rows = ev.load_events(countries, f.years, types, f.platform, f.election)
    else:
        rows = ev.filter_events(ev.with_yours(ev.catalogue(), user_events(f.yours).events),
                                countries, f.years, types, f.platform, f.election)
    return search_events(rows, f.search)  # whole words, a platform under any of its names


def event_estimates(version: str, filters: EventFilters) -> pl.DataFrame:
    """Estimates of the filtered events with the chosen method (or the headline,
    ``ensemble``: every method combined per event, `impact.catalogue.events.add_headline`) in the
    chosen variant (`impact.catalogue.events.VARIANTS`), the Monte Carlo draws kept for the
    country-year totals. Only the variant shown is costed."""
    return _estimates(version, filters.costing())


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=FILTERS_HASH)
def _estimates(version: str, f: EventFilters) -> pl.DataFrame:
    events = filtered_events(version, f)
    world = variant_world(f.variant)
    if f.method == ENSEMBLE:  # every method, then each event's headline (as its preset's)
        every = ev.estimate_events(events, "all", draws=DRAWS, cap_platform_days=world.cap,
                                   open_ended=world.end, keep_draws=True)
        return ev.add_headline(every).filter(pl.col("method") == ENSEMBLE)
    return ev.estimate_events(events, [f.method], draws=DRAWS, cap_platform_days=world.cap,
                              open_ended=world.end, keep_draws=True)


@dataclass(frozen=True)
class EventsScreen:
    """The ranked part of the Past events page for one `EventFilters`: the view (numbers,
    for the charts and the download) and the ranked table as displayed (text)."""

    view: EventsView
    shown: pa.Table  #: `events_display` of ``view.table``


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs=FILTERS_HASH)
def events_screen(version: str, filters: EventFilters) -> EventsScreen:
    """The ranked table, labels and totals of the filtered events (shared, read-only)."""
    view = events_view(event_estimates(version, filters), filtered_events(version, filters),
                       method=filters.method, variant=filters.variant,
                       normalisation=filters.normalisation)
    return EventsScreen(view, events_display(view.table, filters.normalisation).to_arrow())


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=FILTERS_HASH)
def event_chart_specs(version: str, filters: EventFilters) -> tuple[str | None, str | None]:
    """The loss map and the events timeline of the filtered events as Vega-Lite JSON (None
    for a chart with nothing to draw), from the cached `events_screen`. JSON text, so that
    every rerun gives Streamlit a fresh spec cheaply."""
    import json

    from impact.report import event_charts

    view = events_screen(version, filters).view
    norm = filters.normalisation
    legend, tooltip = map_titles(norm)
    world = (json.dumps(event_charts.loss_map(view.countries, normalisation=norm,
                                              legend_title=legend, tooltip_title=tooltip))
             if view.countries.height else None)
    timeline = (json.dumps(event_charts.events_timeline(view.timeline.rows,
                                                        years=filters.years))
                if view.timeline.rows.height else None)
    return world, timeline


@dataclass(frozen=True)
class Totals:
    """A totals table: its numbers (the download) and its text (what is displayed)."""

    raw: pl.DataFrame
    shown: pa.Table


def _in_years(version: str, filters: EventFilters) -> pl.DataFrame:
    estimates = event_estimates(version, filters)
    return estimates.filter(pl.col("year").is_between(*filters.years))


def _shown(rows: pl.DataFrame, filters: EventFilters) -> pl.DataFrame:
    """The estimate rows (one per event and calendar year) of the method and variant shown."""
    return rows.filter((pl.col("method") == filters.method)
                       & (pl.col("variant") == filters.variant))


def events_totals(version: str, filters: EventFilters) -> Totals:
    """Totals per country and calendar year of the chosen years (`impact.catalogue.events.summarise`;
    an event's other years are left out)."""
    return _totals(version, filters.costing())


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=FILTERS_HASH)
def _totals(version: str, filters: EventFilters) -> Totals:
    names = catalogue_info(version)[0]
    rows = _in_years(version, filters)
    summary = ev.summarise(rows, "country-year", filters.method, filters.variant)
    reasons = not_costed_reasons(_shown(rows, filters),
                                 ["iso3", "year"])
    raw = summary_table(with_notes(summary, reasons, "iso3"), names)
    return Totals(raw, totals_display(raw).to_arrow())


def events_platform_totals(version: str, filters: EventFilters) -> Totals:
    """The per-platform ledger of the chosen calendar years (`impact.catalogue.events.summarise` by
    platform and year)."""
    return _ledger(version, filters.costing())


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=FILTERS_HASH)
def _ledger(version: str, filters: EventFilters) -> Totals:
    rows = _in_years(version, filters)
    ledger = ev.summarise(rows, "platform-year", filters.method, filters.variant)
    blocks = filtered_events(version, filters).select(
        "event_id", pl.concat_list(
            pl.col("platforms").fill_null("").str.split(";"),
            pl.when(pl.col("other_services").fill_null("") != "")
            .then(pl.lit(["other services"])).otherwise(pl.lit([], pl.List(pl.String))))
        .alias("platform"))
    rows = _shown(rows, filters).join(
        blocks, on="event_id", how="left", validate="m:1").explode("platform")
    reasons = not_costed_reasons(rows, ["platform", "year"])
    raw = platform_table(with_notes(ledger, reasons, "platform"))
    return Totals(raw, totals_display(raw).to_arrow())


def events_compared(version: str, filters: EventFilters, chosen: tuple[str, ...]
                    ) -> tuple[pl.DataFrame, pa.Table]:
    """(`impact.catalogue.events.compare` of the ``chosen`` events in that order, for the charts; the
    same as displayed)."""
    return _compared(version, filters.costing(), chosen)


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs=FILTERS_HASH)
def _compared(version: str, filters: EventFilters, chosen: tuple[str, ...]
              ) -> tuple[pl.DataFrame, pa.Table]:
    estimates = event_estimates(version, filters)
    rows = estimates.drop("draws_usd", strict=False).filter(pl.col("event_id").is_in(chosen))
    compared = ev.compare(rows, variant=filters.variant)
    order = {e: i for i, e in enumerate(chosen)}
    compared = compared.sort(pl.col("event_id").replace_strict(order, default=len(order)))
    table = compare_table(compared, event_labels(filtered_events(version, filters)))
    return table, compare_display(table).to_arrow()


@st.cache_data(show_spinner=False)
def shutdown_risk(version: str, year: int) -> pl.DataFrame:
    """`impact.bundled.econometrics.risk_table` (imported only when the risk panel is opened)."""
    from impact.bundled.econometrics import risk_table

    return risk_table(year)
