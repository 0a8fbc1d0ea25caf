"""The Estimate page's controls: the preset pills above the results, and the sidebar's
scenario widgets and output choices, read back as the mapping for `impact.parse_scenario` and
the chosen methods.

Shares are shown as percent sliders (0 to 100 %) whose widget keys
(`app_pages.estimate_controls.PERCENT_KEYS`) stand for the shares [0-1] kept under the
scenario's own keys (``affected_share``, ``intensity``, ``circumvention``), which the link, the
presets and `app_pages.viewmodel.estimate_input` read. Switching the scope or the affected
area starts from a choice that can be costed (the country's most used platform, its most
populous region), so the results never go blank.
"""

from __future__ import annotations

import copy
from datetime import date

import streamlit as st

from app_pages.cached import catalogue_event, country_regions
from app_pages.estimate_controls import (
    PERCENT_KEYS,
    circumvention_inputs,
    circumvention_line,
    default_intensity,
    most_populous_regions,
    most_used_platforms,
    percent,
    share,
    slider_out_of_step,
)
from app_pages.estimate_query import scenario_query
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
    """Every widget's default, where the session has no value yet (the VPN share: our own
    method's default for the scope, from the parameter table)."""
    s = st.session_state
    for key, value in ESTIMATE_DEFAULTS.items():
        if key not in s:
            s[key] = copy.copy(value)
    if s["circumvention"] is None:
        s["circumvention"] = _circumvention_default(s["scope"])


def _circumvention_default(scope: str) -> float:
    """Our own method's VPN share for ``scope`` [0-1] (0 when it has none)."""
    default = circumvention_inputs(scope).default
    return 0.0 if default is None else default


def _scope_changed() -> None:
    """A new scope starts from what can be costed: the country's most used platform for a
    platform block (when none is chosen), and the scope's own intensity and VPN share."""
    s = st.session_state
    scope = s["scope"]
    if scope == "platforms" and not s["platforms"]:
        s["platforms"] = most_used_platforms(s["country"])
    s["intensity"] = default_intensity(scope)
    s["circumvention"] = _circumvention_default(scope)


def _area_changed() -> None:
    """Chosen regions start from the country's most populous one (when none is chosen)."""
    s = st.session_state
    if s["area_mode"] == "regions" and not s["regions"]:
        s["regions"] = most_populous_regions(s["country"])


def _country_changed() -> None:
    """Another country keeps chosen regions only where it has them; else its most populous."""
    s = st.session_state
    names = country_regions(s["country"])
    s["regions"] = [r for r in s["regions"] if r in names]
    _area_changed()


def _circumvention_toggled() -> None:
    """Turning the VPN share on starts it at our own method's default for the scope."""
    s = st.session_state
    if s["use_circumvention"]:
        s["circumvention"] = _circumvention_default(s["scope"])


def _from_percent(key: str) -> None:
    """A percent slider moved: its share [0-1] follows."""
    st.session_state[key] = share(st.session_state[PERCENT_KEYS[key]])


def _percent_slider(sb, label: str, key: str, help: str | None = None) -> None:
    """A 0 to 100 % slider standing for the share [0-1] under ``key``."""
    s = st.session_state
    if slider_out_of_step(s, key):  # the share was set elsewhere (link, preset, scope)
        s[PERCENT_KEYS[key]] = percent(s[key])
    sb.slider(label, 0, 100, step=1, format="%d %%", key=PERCENT_KEYS[key], help=help,
              on_change=_from_percent, args=(key,))


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
    scope = state["scope"]
    state = {"intensity": default_intensity(scope),
             "circumvention": _circumvention_default(scope)} | state
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
    # one under the other: side by side in the sidebar, the date's digits are cut
    sb.date_input("Start date", key="start_date", min_value=FIRST_DAY, max_value=LAST_DAY)
    sb.time_input("Start time", key="start_time", step=900,
                  help="Empty: only the date is known, so every hour counts alike (no "
                       "hour-of-day weighting, as for the catalogue's events).")
    sb.toggle("Set an end instead of a duration", key="use_end",
              help="Local time in the country; the duration is the hours from start to end "
                   "(at most 8,760).")
    if s["use_end"]:
        sb.date_input("End date", key="end_date", min_value=FIRST_DAY, max_value=LAST_DAY)
        sb.time_input("End time", key="end_time", step=900)


def _what(sb) -> None:
    """What is cut, with its platforms and intensity right under it."""
    sb.radio("What is cut", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, key="scope",
             on_change=_scope_changed)
    scope = st.session_state["scope"]
    if scope == "platforms":
        sb.multiselect("Blocked platforms", list(PLATFORM_LABELS),
                       format_func=PLATFORM_LABELS.get, key="platforms",
                       placeholder="Choose one or more platforms",
                       help="Starts from the country's most used platform (bundled platform "
                            "table).")
        _percent_slider(sb, "Intensity (share of the platforms' service lost)", "intensity",
                        help="100 % = blocked outright; less for a platform throttled "
                             "(slowed, not cut).")
    if scope == "throttling":
        _percent_slider(sb, "Intensity (share of service lost)", "intensity",
                        help="100 % = service fully lost; 50 % = half the usual activity is "
                             "lost.")


def _vpn(sb) -> None:
    """The VPN share, with which methods ignore it."""
    scope = st.session_state["scope"]
    info = circumvention_inputs(scope, st.session_state["country"])
    sb.toggle("Account for VPN circumvention", key="use_circumvention",
              on_change=_circumvention_toggled, help=_circumvention_help(info))
    line = circumvention_line(info, st.session_state["methods"])
    if line:
        sb.caption(line)
    if st.session_state["use_circumvention"]:
        _percent_slider(sb, "Share of activity continuing via VPN", "circumvention")


def _circumvention_help(info) -> str:
    """The VPN toggle's help: what off means, and our method's default with its range."""
    if info.default is None:
        return "Off: each method's own default."
    return (f"Off: each method's own default. On: the share you set, taken as known. It "
            f"starts at our own method's default for this scope ({percent(info.default)} %); "
            f"left there, that default's range ({percent(info.low)}–{percent(info.high)} %) "
            "is kept, so the figures do not move.")


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
             on_change=_area_changed,
             help="Whole country; a share of its internet users; or chosen first-level "
                  "regions, whose population share becomes the affected share.")
    if s["area_mode"] == "share":
        _percent_slider(sb, "Affected share of internet users", "affected_share",
                        help="100 % = nationwide; use less for a regional shutdown.")
    elif s["area_mode"] == "regions":
        sb.multiselect("Affected regions", names, key="regions",
                       placeholder="Choose one or more regions",
                       help="Starts from the country's most populous region. The affected "
                            "share is their population share, with a range "
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
    """The presets (on the page, above the results) and the sidebar's widgets -> (mapping
    for parse_scenario, chosen method names). The sidebar starts with what is cut and where,
    each with its picker right under it, so that they fit the first screen."""
    st.pills("Start from a past event", [p.key for p in PRESETS],
             format_func=PRESET_LABELS.get, key="preset", on_change=_apply_preset,
             help="Sets every field of the sidebar from the event in the bundled catalogue; "
                  "change any of them afterwards.")
    sb = st.sidebar
    sb.header("Scenario")
    sb.selectbox("Country", country_names(), key="country", format_func=country_option,
                 on_change=_country_changed,
                 help="Countries marked “no data” lack GDP, population or internet users "
                      "in the bundled World Bank data and cannot be estimated.")
    _what(sb)
    _area(sb)
    _when(sb)
    _vpn(sb)
    methods = _output(sb)
    return scenario_mapping(st.session_state), methods


def scenario_mapping(s) -> dict:
    """The mapping for `impact.parse_scenario` of the widget values ``s``: that of
    `app_pages.viewmodel.estimate_input`, plus a platform block's intensity below 100 %; a
    VPN share left at our own method's default keeps that default's range (a fixed share
    would narrow the range and move the median, though nothing was changed)."""
    inputs = estimate_input(s)
    if s["scope"] == "platforms" and s["intensity"] != default_intensity("platforms"):
        inputs["intensity"] = s["intensity"]
    circumvention = inputs.get("circumvention")
    if circumvention is not None \
            and circumvention == circumvention_inputs(s["scope"], s["country"]).default:
        del inputs["circumvention"]
    return inputs


def link_params(scenario, methods: tuple[str, ...]) -> dict[str, str]:
    """The scenario link's query parameters (`app_pages.estimate_query.scenario_query`),
    with the VPN share the page shows where the scenario keeps our method's default."""
    s = st.session_state
    return scenario_query(scenario, methods, s["headline_method"],
                          circumvention=s["circumvention"] if s["use_circumvention"] else None)
