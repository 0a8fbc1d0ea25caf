"""The app's cached computations, defined once at import (a page script re-runs on every
interaction; a ``@st.cache_data`` there would be rebuilt, and its code hashed, on every run).

Per-scenario results are keyed by the validated, frozen `Scenario` itself, hashed by its JSON.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import impact
from app_pages.events_view import (
    EventsView,
    compare_table,
    event_labels,
    events_defaults,
    events_view,
    map_titles,
    platform_table,
    summary_table,
)
from app_pages.viewmodel import (
    EstimateView,
    estimate_view,
    run_uploaded_batch,
)
from impact import Estimate, ImpactError, Scenario
from impact.bundled.countries import resolve_country
from impact.bundled.io import data_version
from impact.bundled.regions import region_names
from impact.catalogue import events as ev
from impact.catalogue.exposure import variant_world
from impact.estimation.ensemble import ENSEMBLE


def _scenario_key(scenario: Scenario) -> str:
    """Cache key of a scenario: its JSON (the model is frozen and fully validated)."""
    return scenario.model_dump_json()


SCENARIO_HASH = {Scenario: _scenario_key}


@st.cache_data(show_spinner="Running the Monte Carlo…", max_entries=256,
               hash_funcs=SCENARIO_HASH)
def run_estimate(scenario: Scenario, methods: tuple[str, ...], draws: int) -> Estimate:
    """`impact.estimate` of one scenario, cached by the scenario, the methods and the draws."""
    return impact.estimate(scenario, list(methods), draws=draws)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=SCENARIO_HASH)
def page_view(scenario: Scenario, methods: tuple[str, ...], draws: int) -> EstimateView:
    """What the Estimate page shows for the scenario (cached like `run_estimate`)."""
    return estimate_view(run_estimate(scenario, methods, draws))


@st.cache_data(show_spinner=False, max_entries=32)
def catalogue_event(version: str, event_id: str) -> dict:
    """One row of the bundled event catalogue (for a preset), by its id."""
    rows = ev.load_events().filter(pl.col("event_id") == event_id)
    if rows.height == 0:
        raise ImpactError(f"event {event_id} is not in the bundled catalogue ({version})")
    return rows.row(0, named=True)


@st.cache_data(show_spinner=False, max_entries=512)
def country_regions(country: str) -> list[str]:
    """Admin-1 region names of a country (empty when none are bundled or it is unknown)."""
    try:
        iso3 = resolve_country(country)
    except ImpactError:
        return []
    return region_names(iso3)


@st.cache_resource(show_spinner=False, max_entries=4)
def batch_results(data: bytes, name: str, methods: tuple[str, ...], draws: int):
    """`run_uploaded_batch` of an uploaded file, cached by its bytes, name, methods and draws.

    A resource cache: the (frozen) estimates are shared, not copied on every rerun, and the
    page never changes them."""
    return run_uploaded_batch(data, name, methods, draws)


# ---- Past events page: everything keyed by the filter values (primitives) ------------------
# The large frames are resource caches: polars frames are immutable and the page only reads
# them, so sharing them across reruns and sessions is safe and saves a copy per rerun.
@st.cache_data(show_spinner=False)
def catalogue_info(version: str) -> tuple[dict[str, str], tuple[int, int], dict]:
    """(iso3 -> country name, (first, last) start year, default filters) of the catalogue
    of data ``version``."""
    events = ev.catalogue()
    names = dict(events.select("iso3", "country").unique("iso3").sort("country").iter_rows())
    years = events["start"].dt.year()
    return names, (int(years.min()), int(years.max())), events_defaults(events)


@st.cache_resource(show_spinner=False, max_entries=64)
def filtered_events(countries: tuple[str, ...], years: tuple[int, int],
                    types: tuple[str, ...], platform: str | None,
                    election: bool | None, search: str | None = None,
                    yours: str | None = None) -> pl.DataFrame:
    """Catalogue rows matching the filters (shared, read-only: see `event_estimates`), with
    the user's own events of the upload ``yours`` (its digest, `user_events`) if any."""
    if yours is None:
        return ev.load_events(list(countries) or None, years, list(types) or None, platform,
                              election, search=search or None)
    rows = ev.with_yours(ev.catalogue(), user_events(yours).events)
    return ev.filter_events(rows, list(countries) or None, years, list(types) or None,
                            platform, election, search=search or None)


@st.cache_resource(show_spinner="Reading your events…", max_entries=8)
def user_events(digest: str, _data: bytes | None = None, _name: str = "upload"
                ) -> ev.UserEvents:
    """`impact.catalogue.events.read_user_events` of an upload, cached by its SHA-256 ``digest``
    (the bytes are not hashed again)."""
    if _data is None:
        raise ImpactError("your events file is no longer in memory; upload it again")
    return ev.read_user_events(_data, name=_name)


@st.cache_resource(show_spinner=False, max_entries=16)
def event_estimates(countries: tuple[str, ...], years: tuple[int, int],
                    types: tuple[str, ...], platform: str | None, election: bool | None,
                    search: str | None, method: str, draws: int,
                    variant: str = "capped", yours: str | None = None) -> pl.DataFrame:
    """Estimates of the filtered events with one method (or the headline, ``ensemble``: every
    method combined per event, `impact.catalogue.events.add_headline`) in one variant (platform-block cap,
    open-ended events; `impact.catalogue.events.VARIANTS`), the Monte Carlo draws kept for the
    country-year totals. Only the variant shown is costed, so the default page stays fast
    and another variant is costed when it is chosen. A resource cache: the frame
    (with its draws) is shared, not copied, and only read by the cached tables below."""
    events = filtered_events(countries, years, types, platform, election, search, yours)
    world = variant_world(variant)
    if method == ENSEMBLE:  # every method, then each event's headline (as its preset's)
        every = ev.estimate_events(events, "all", draws=draws, cap_platform_days=world.cap,
                                   open_ended=world.end, keep_draws=True)
        return ev.add_headline(every).filter(pl.col("method") == ENSEMBLE)
    return ev.estimate_events(events, [method], draws=draws, cap_platform_days=world.cap,
                              open_ended=world.end, keep_draws=True)


@st.cache_resource(show_spinner=False, max_entries=128)
def events_page_view(countries: tuple[str, ...], years: tuple[int, int],
                     types: tuple[str, ...], platform: str | None, election: bool | None,
                     search: str | None, method: str, draws: int, variant: str,
                     normalisation: str, yours: str | None = None) -> EventsView:
    """The ranked table, labels and totals of the filtered events (shared and read-only, so
    that a rerun does not copy a table of hundreds of events)."""
    events = filtered_events(countries, years, types, platform, election, search, yours)
    estimates = event_estimates(countries, years, types, platform, election, search, method,
                                draws, variant, yours)
    return events_view(estimates, events, method=method, variant=variant,
                       normalisation=normalisation)


@st.cache_data(show_spinner=False, max_entries=64)
def events_chart_specs(countries: tuple[str, ...], years: tuple[int, int],
                       types: tuple[str, ...], platform: str | None, election: bool | None,
                       search: str | None, method: str, draws: int, variant: str,
                       normalisation: str, yours: str | None = None) -> tuple[str | None, str | None]:
    """The loss map and the events timeline of the filtered events as Vega-Lite JSON (None
    for a chart with nothing to draw), from the cached `events_page_view` (no estimate is
    recomputed). JSON text, so that every rerun gives Streamlit a fresh spec cheaply."""
    import json

    from impact.report import event_charts

    view = events_page_view(countries, years, types, platform, election, search, method,
                            draws, variant, normalisation, yours)
    legend, tooltip = map_titles(normalisation)
    world = (json.dumps(event_charts.loss_map(view.countries, normalisation=normalisation,
                                              legend_title=legend, tooltip_title=tooltip))
             if view.countries.height else None)
    timeline = (json.dumps(event_charts.events_timeline(view.timeline.rows, years=years))
                if view.timeline.rows.height else None)
    return world, timeline


@st.cache_data(show_spinner=False, max_entries=64)
def events_totals(countries: tuple[str, ...], years: tuple[int, int], types: tuple[str, ...],
                  platform: str | None, election: bool | None, search: str | None,
                  method: str, draws: int, variant: str, yours: str | None = None) -> pl.DataFrame:
    """Totals per country and calendar year of the chosen years (`impact.catalogue.events.summarise`;
    an event's other years are left out) for display."""
    estimates = event_estimates(countries, years, types, platform, election, search, method,
                                draws, variant, yours)
    names = catalogue_info(data_version())[0]
    in_years = estimates.filter(pl.col("year").is_between(*years))
    return summary_table(ev.summarise(in_years, "country-year", method, variant), names)


@st.cache_data(show_spinner=False, max_entries=64)
def events_platform_totals(countries: tuple[str, ...], years: tuple[int, int],
                           types: tuple[str, ...], platform: str | None, election: bool | None,
                           search: str | None, method: str, draws: int,
                           variant: str, yours: str | None = None) -> pl.DataFrame:
    """The per-platform ledger of the chosen calendar years (`impact.catalogue.events.summarise` by
    platform and year) for display."""
    estimates = event_estimates(countries, years, types, platform, election, search, method,
                                draws, variant, yours)
    in_years = estimates.filter(pl.col("year").is_between(*years))
    return platform_table(ev.summarise(in_years, "platform-year", method, variant))


@st.cache_data(show_spinner=False, max_entries=128)
def events_compared(countries: tuple[str, ...], years: tuple[int, int],
                    types: tuple[str, ...], platform: str | None, election: bool | None,
                    search: str | None, method: str, draws: int, variant: str,
                    chosen: tuple[str, ...], yours: str | None = None) -> pl.DataFrame:
    """`impact.catalogue.events.compare` of the ``chosen`` events, in that order, for display."""
    estimates = event_estimates(countries, years, types, platform, election, search, method,
                                draws, variant, yours)
    rows = estimates.drop("draws_usd", strict=False).filter(pl.col("event_id").is_in(chosen))
    compared = ev.compare(rows, variant=variant)
    order = {e: i for i, e in enumerate(chosen)}
    compared = compared.sort(pl.col("event_id").replace_strict(order, default=len(order)))
    labels = event_labels(filtered_events(countries, years, types, platform, election, search, yours))
    return compare_table(compared, labels)


@st.cache_data(show_spinner=False, max_entries=4)
def formula_terms(version: str) -> dict:
    """``{method: its formula's "where" list}`` (`impact.methods.terms`) of data ``version``."""
    from impact.methods import REGISTRY
    from impact.methods.formula_terms import formula_terms as terms

    return {name: terms(name) for name in REGISTRY}


@st.cache_data(show_spinner=False)
def shutdown_risk(version: str, year: int) -> pl.DataFrame:
    """`impact.bundled.econometrics.risk_table` (imported only when the risk panel is opened)."""
    from impact.bundled.econometrics import risk_table

    return risk_table(year)
