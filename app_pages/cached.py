"""The app's cached computations, defined once at import (a page script re-runs on every
interaction; a ``@st.cache_data`` there would be rebuilt, and its code hashed, on every run).

Per-scenario results are keyed by the validated, frozen `Scenario` itself, hashed by its JSON.
The estimate and what the page shows of it are resource caches: frozen, only read, and
shared by every rerun and session without the copy a data cache makes on each read.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pyarrow as pa
import streamlit as st

import impact
from app_pages.estimate_view import EstimateView, estimate_view
from app_pages.viewmodel import run_uploaded_batch
from impact import Estimate, ImpactError, Scenario
from impact.bundled.countries import resolve_country
from impact.bundled.regions import region_names
from impact.catalogue import events as ev


def _scenario_key(scenario: Scenario) -> str:
    """Cache key of a scenario: its JSON (the model is frozen and fully validated)."""
    return scenario.model_dump_json()


SCENARIO_HASH = {Scenario: _scenario_key}


@st.cache_resource(show_spinner="Running the Monte Carlo…", max_entries=256,
                   hash_funcs=SCENARIO_HASH)
def run_estimate(scenario: Scenario, methods: tuple[str, ...], draws: int) -> Estimate:
    """`impact.estimate` of one scenario, cached by the scenario, the methods and the draws."""
    return impact.estimate(scenario, list(methods), draws=draws)


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs=SCENARIO_HASH)
def page_view(scenario: Scenario, methods: tuple[str, ...], draws: int) -> EstimateView:
    """What the Estimate page shows for the scenario (cached like `run_estimate`)."""
    return estimate_view(run_estimate(scenario, methods, draws))


@dataclass(frozen=True)
class ShownTables:
    """The Estimate page's tables as handed to `st.dataframe` (Arrow: no conversion on a
    rerun), from its `EstimateView`."""

    table: pa.Table
    assumptions: pa.Table
    sensitivity: pa.Table
    components: pa.Table
    vintages: pa.Table


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs=SCENARIO_HASH)
def shown_tables(scenario: Scenario, methods: tuple[str, ...], draws: int) -> ShownTables:
    """`ShownTables` of the scenario's `page_view` (cached like it)."""
    view = page_view(scenario, methods, draws)
    return ShownTables(view.table.to_arrow(), view.assumptions.to_arrow(),
                       view.sensitivity.to_arrow(), view.components.to_arrow(),
                       view.vintages.to_arrow())


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


@st.cache_data(show_spinner=False, max_entries=4)
def formula_terms(version: str) -> dict:
    """``{method: its formula's "where" list}`` (`impact.methods.terms`) of data ``version``."""
    from impact.methods import REGISTRY
    from impact.methods.formula_terms import formula_terms as terms

    return {name: terms(name) for name in REGISTRY}
