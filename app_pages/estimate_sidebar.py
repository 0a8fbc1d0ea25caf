"""The Estimate page's sidebar: the preset pills, the scenario's widgets and the output
choices, read back as the mapping for `impact.parse_scenario` and the chosen methods."""

from __future__ import annotations

import copy
from datetime import date

import streamlit as st

from app_pages.cached import catalogue_event, country_regions
from app_pages.viewmodel import (
    AREA_LABELS,
    ESTIMATE_DEFAULTS,
    PLATFORM_LABELS,
    PRESET_LABELS,
    PRESETS,
    SCOPE_LABELS,
    country_names,
    country_option,
    estimate_input,
    preset_state,
)
from impact import ImpactError
from impact.bundled.io import data_version
from impact.estimation.ensemble import ENSEMBLE, ENSEMBLE_TITLE
from impact.methods import REGISTRY

#: session state: the last preset applied, as (its scenario input, the caption saying where
#: its values come from); the caption is shown while the scenario is still the preset's
PRESET_NOTE_KEY = "_estimate_preset_note"
FIRST_DAY, LAST_DAY = date(2010, 1, 1), date(2100, 12, 31)


def init_state() -> None:
    """Every widget's default, where the session has no value yet."""
    for key, value in ESTIMATE_DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.copy(value)


def _apply_preset() -> None:
    """Set the widgets to the chosen preset's catalogue event (a widget callback, so before
    the widgets are drawn)."""
    key = st.session_state.get("preset")
    preset = next((p for p in PRESETS if p.key == key), None)
    if preset is None:
        return
    try:
        state, caption = preset_state(preset, catalogue_event(data_version(), preset.event_id))
    except ImpactError as err:
        st.session_state[PRESET_NOTE_KEY] = (None, f"This preset could not be used: {err}")
        return
    st.session_state.update(state)
    st.session_state[PRESET_NOTE_KEY] = (estimate_input(st.session_state), caption)


def _when(sb) -> None:
    """Duration, or a start (and an end instead of the duration)."""
    s = st.session_state
    if not (s["use_start"] and s["use_end"]):
        sb.number_input("Duration [hours]", min_value=1.0, max_value=8760.0, step=1.0,
                        format="%g", key="duration_hours",
                        help="1 hour to 8,760 hours (one year).")
    sb.toggle("Set a start date and time", key="use_start",
              help="Local time in the country. Sets the data year; a start time of day also "
                   "weights the hours by the usual daily and weekly pattern of activity (a "
                   "date alone, with the time left empty, does not).")
    if not s["use_start"]:
        return
    c1, c2 = sb.columns(2)
    c1.date_input("Start date", key="start_date", min_value=FIRST_DAY, max_value=LAST_DAY)
    c2.time_input("Start time", key="start_time", step=900,
                  help="Empty: only the date is known, so every hour counts alike (no "
                       "hour-of-day weighting, as for the catalogue's events).")
    sb.toggle("Set an end instead of a duration", key="use_end",
              help="Local time in the country; the duration is the hours from start to end "
                   "(at most 8,760).")
    if s["use_end"]:
        c1, c2 = sb.columns(2)
        c1.date_input("End date", key="end_date", min_value=FIRST_DAY, max_value=LAST_DAY)
        c2.time_input("End time", key="end_time", step=900)


def _what(sb) -> None:
    """What is cut, the affected area and circumvention."""
    sb.radio("What is cut", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, key="scope")
    scope = st.session_state["scope"]
    if scope == "platforms":
        sb.multiselect("Blocked platforms", list(PLATFORM_LABELS),
                       format_func=PLATFORM_LABELS.get, key="platforms",
                       placeholder="Choose one or more platforms")
    if scope == "throttling":
        sb.slider("Intensity (share of service lost)", 0.0, 1.0, step=0.05, key="intensity",
                  help="1 = service fully lost; 0.5 = half the usual activity is lost.")
    _area(sb)
    sb.toggle("Account for VPN circumvention", key="use_circumvention",
              help="Off: each method's own default.")
    if st.session_state["use_circumvention"]:
        sb.slider("Share of activity continuing via VPN", 0.0, 1.0, step=0.05,
                  key="circumvention")


def _area(sb) -> None:
    """Affected area: whole country, a share of users (slider) or chosen admin-1 regions
    (only for countries with bundled region populations)."""
    s = st.session_state
    names = country_regions(s["country"])
    modes = [m for m in AREA_LABELS if m != "regions" or names]
    if s["area_mode"] not in modes:  # e.g. regions chosen, then a country without them
        s["area_mode"] = "country"
    # names of another country's regions are dropped before the widget is drawn
    s["regions"] = [r for r in s["regions"] if r in names]
    sb.radio("Affected area", modes, format_func=AREA_LABELS.get, key="area_mode",
             help="Whole country; a share of its internet users; or chosen first-level "
                  "regions, whose population share becomes the affected share.")
    if s["area_mode"] == "share":
        sb.slider("Affected share of internet users", 0.0, 1.0, step=0.01,
                  key="affected_share", help="1 = nationwide; use less for a regional "
                                             "shutdown.")
    elif s["area_mode"] == "regions":
        sb.multiselect("Affected regions", names, key="regions",
                       placeholder="Choose one or more regions",
                       help="The affected share is their population share, with a range "
                            "of 0.8× to 1.25× for boundaries and population growth.")


def _method_title(method: str) -> str:
    return ENSEMBLE_TITLE if method == ENSEMBLE else REGISTRY[method].title


def _output(sb) -> tuple[str, ...]:
    """Methods, headline figure and currency; the chosen methods in registry order."""
    sb.header("Output")
    sb.multiselect("Methods", list(REGISTRY), format_func=_method_title, key="methods")
    methods = tuple(m for m in REGISTRY if m in st.session_state["methods"])
    choices = [ENSEMBLE, *methods]
    if st.session_state["headline_method"] not in choices:
        st.session_state["headline_method"] = ENSEMBLE
    sb.selectbox("Headline figure", choices, key="headline_method", format_func=_method_title,
                 help="The headline combines, quantile by quantile, the chosen methods that "
                      "apply to the scenario inside their domain and are not far from each "
                      "other (docs/headline.md); or quote one method alone.")
    sb.radio("Currency", ["USD", "local"], key="currency", horizontal=True,
             format_func={"USD": "US dollars", "local": "Local currency"}.get)
    return methods


def draw_controls() -> tuple[dict, tuple[str, ...]]:
    """Sidebar widgets -> (mapping for parse_scenario, chosen method names)."""
    sb = st.sidebar
    sb.pills("Start from a past event", [p.key for p in PRESETS],
             format_func=PRESET_LABELS.get, key="preset", on_change=_apply_preset,
             help="Sets every field below from the event in the bundled catalogue; change "
                  "any of them afterwards.")
    sb.header("Scenario")
    sb.selectbox("Country", country_names(), key="country", format_func=country_option,
                 help="Countries marked “no data” lack GDP, population or internet users "
                      "in the bundled World Bank data and cannot be estimated.")
    _when(sb)
    _what(sb)
    methods = _output(sb)
    return estimate_input(st.session_state), methods
