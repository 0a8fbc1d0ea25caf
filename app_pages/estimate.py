"""Estimate page: describe a shutdown in the sidebar, compare every method's loss at once.

Thin by design: validation is `impact.parse_scenario`, figures are `impact.estimate`, and
what is shown is `app_pages.viewmodel.estimate_view`. Every widget has a stable ``key`` so
that the AppTest and browser tests can drive it.

Fast by design: the estimate and its view are cached per scenario (the validated, frozen
`Scenario` is the key, hashed by its JSON), downloads are built only when clicked, the range
chart is a fragment (its log-axis toggle reruns only the chart) and is a Vega-Lite spec, so
no chart library is imported for it. The charts under it (loss by duration, what drives the
range, the parts of the loss) are `impact.report.charts` specs, filled per scenario into layouts
built once per process, and kept in the session (`CHARTS_KEY`); their duration grid is one
engine pass, memoised by the scenario (`app_pages.viewmodel.duration_curve`), and they are a
fragment too.

Shareable links: each successful estimate writes its non-default fields into the URL's query
parameters (`app_pages.viewmodel.scenario_query`); a session that starts from such a link
initialises the widgets from them (`app_pages.viewmodel.state_from_query`), or keeps the
defaults with a warning when a parameter is wrong.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
from datetime import date

import streamlit as st

from app_pages.cached import catalogue_event, country_regions, page_view, run_estimate
from app_pages.estimate_context import render_context, render_risk
from app_pages.viewmodel import (
    AREA_LABELS,
    DOWNLOADS,
    DURATION_DRAWS,
    ESTIMATE_DEFAULTS,
    LINK_READ_KEY,
    PLATFORM_LABELS,
    PRESET_LABELS,
    PRESETS,
    SCOPE_LABELS,
    EstimateView,
    country_names,
    country_option,
    duration_curve,
    estimate_input,
    export_file,
    output_currency,
    preset_state,
    query_url,
    scenario_query,
    state_from_query,
    tornado_frame,
    unestimable_names,
    waterfall_frame,
)
from impact import Estimate, ImpactError, Scenario, parse_scenario
from impact.bundled.io import data_version
from impact.estimation.ensemble import ENSEMBLE, ENSEMBLE_TITLE
from impact.estimation.ensemble import headline as headline_sentence
from impact.format import md_text
from impact.methods import REGISTRY
from impact.report import charts

DRAWS = 10_000
LOG = logging.getLogger("impact.app")
LINK_WARNING_KEY = "_estimate_link_warning"
#: session state: the last preset applied, as (its scenario input, the caption saying where
#: its values come from); the caption is shown while the scenario is still the preset's
PRESET_NOTE_KEY = "_estimate_preset_note"
#: session state: the chart specs (JSON) of the last scenario shown, with its key
CHARTS_KEY = "_estimate_chart_specs"
#: the method whose P5–P95 band the duration chart shows, and the tornado's default
HEADLINE_METHOD = "impact"
#: the tabs of the charts under the range chart (short, so that a phone shows all three)
CHART_TABS = ("By duration", "Drivers", "Parts of the loss")


def _state_from_link() -> None:
    """On a session's first visit, initialise the widgets from a scenario link's query
    parameters (before any widget is drawn). A bad link keeps the defaults and says why."""
    if st.session_state.get(LINK_READ_KEY):
        return
    st.session_state[LINK_READ_KEY] = True
    try:
        state, problems = state_from_query(st.query_params.to_dict())
    except Exception:  # a link must never break the page
        LOG.exception("reading the scenario link %r failed", st.query_params.to_dict())
        state, problems = {}, ["the link's parameters could not be read"]
    if problems:
        st.session_state[LINK_WARNING_KEY] = problems
    for key, value in state.items():
        st.session_state[key] = value


def _link_warning() -> None:
    problems = st.session_state.pop(LINK_WARNING_KEY, None)
    if problems:
        st.warning("**This link's scenario could not be used; showing the default scenario "
                   "instead.**  \n" + "  \n".join(f"- {md_text(p)}" for p in problems))


def _write_link(params: dict[str, str]) -> None:
    """Put the estimated scenario into the address bar (only when it changed)."""
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def _init_state() -> None:
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
    st.session_state[PRESET_NOTE_KEY] = (_input_of(st.session_state), caption)


def _input_of(s) -> dict:
    """The mapping for parse_scenario from the widget values in session state ``s``."""
    return estimate_input(s)


def _controls() -> tuple[dict, tuple[str, ...]]:
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
    timed = st.session_state["use_start"]
    by_end = timed and st.session_state["use_end"]
    if not by_end:
        sb.number_input("Duration [hours]", min_value=1.0, max_value=8760.0, step=1.0,
                        format="%g", key="duration_hours",
                        help="1 hour to 8,760 hours (one year).")
    sb.toggle("Set a start date and time", key="use_start",
              help="Local time in the country. Sets the data year; a start time of day also "
                   "weights the hours by the usual daily and weekly pattern of activity (a "
                   "date alone, with the time left empty, does not).")
    if timed:
        c1, c2 = sb.columns(2)
        c1.date_input("Start date", key="start_date", min_value=date(2010, 1, 1),
                      max_value=date(2100, 12, 31))
        c2.time_input("Start time", key="start_time", step=900,
                      help="Empty: only the date is known, so every hour counts alike (no "
                           "hour-of-day weighting, as for the catalogue's events).")
        sb.toggle("Set an end instead of a duration", key="use_end",
                  help="Local time in the country; the duration is the hours from start "
                       "to end (at most 8,760).")
        if st.session_state["use_end"]:
            c1, c2 = sb.columns(2)
            c1.date_input("End date", key="end_date", min_value=date(2010, 1, 1),
                          max_value=date(2100, 12, 31))
            c2.time_input("End time", key="end_time", step=900)
    sb.radio("What is cut", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, key="scope")
    scope = st.session_state["scope"]
    if scope == "platforms":
        sb.multiselect("Blocked platforms", list(PLATFORM_LABELS),
                       format_func=PLATFORM_LABELS.get, key="platforms",
                       placeholder="Choose one or more platforms")
    if scope == "throttling":
        sb.slider("Intensity (share of service lost)", 0.0, 1.0, step=0.05, key="intensity",
                  help="1 = service fully lost; 0.5 = half the usual activity is lost.")
    _area_controls(sb)
    sb.toggle("Account for VPN circumvention", key="use_circumvention",
              help="Off: each method's own default.")
    if st.session_state["use_circumvention"]:
        sb.slider("Share of activity continuing via VPN", 0.0, 1.0, step=0.05,
                  key="circumvention")
    sb.header("Output")
    sb.multiselect("Methods", list(REGISTRY), format_func=lambda m: REGISTRY[m].title,
                   key="methods")
    methods = tuple(m for m in REGISTRY if m in st.session_state["methods"])  # registry order
    choices = [ENSEMBLE, *methods]
    if st.session_state["headline_method"] not in choices:
        st.session_state["headline_method"] = ENSEMBLE
    sb.selectbox("Headline figure", choices, key="headline_method",
                 format_func=lambda m: ENSEMBLE_TITLE if m == ENSEMBLE else REGISTRY[m].title,
                 help="The headline combines, quantile by quantile, the chosen methods that "
                      "apply to the scenario inside their domain and are not far from each "
                      "other (docs/headline.md); or quote one method alone.")
    sb.radio("Currency", ["USD", "local"], key="currency", horizontal=True,
             format_func={"USD": "US dollars", "local": "Local currency"}.get)
    return _input_of(st.session_state), methods


def _area_controls(sb) -> None:
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


def _headline(view: EstimateView, est: Estimate, method: str) -> None:
    """The sentence to quote (the ensemble's, or the chosen method's), why the methods
    differ, and who is in the ensemble."""
    if method == ENSEMBLE:
        st.markdown(f"#### {view.sentence}")
    else:
        st.markdown(f"#### {headline_sentence(est, method)}")
    if view.why:
        st.caption(view.why)
    if method != ENSEMBLE:
        st.caption(f"Headline: {REGISTRY[method].title} alone (chosen in the sidebar). "
                   f"The ensemble instead: {view.sentence}")
    st.caption(view.ensemble_note)
    st.markdown(view.headline)
    st.caption(view.area)
    st.caption(view.data_line)


CARDS_PER_ROW = 3


def _cards(view: EstimateView) -> None:
    """One card per method, at most `CARDS_PER_ROW` side by side (a phone stacks them)."""
    cards = list(view.cards)
    for start in range(0, len(cards), CARDS_PER_ROW):
        _card_row(cards[start:start + CARDS_PER_ROW])


def _card_row(cards: list[dict]) -> None:
    for col, card in zip(st.columns(CARDS_PER_ROW), cards, strict=False):
        with col, st.container(border=True, height="stretch"):
            st.metric(card["title"], card["value"],
                      help=REGISTRY[card["method"]].citation)
            if card["status"] == "ok":
                st.markdown(f"**{card['range']}**  \n{card['lines']}")
            if card["reason"]:
                st.caption(card["reason"])


@st.fragment
def _range_chart(view: EstimateView) -> None:
    """The ensemble's and each method's P5-P95 bar and P50 dot; the log-axis toggle reruns
    only this fragment."""
    if view.ranges.height == 0:
        return
    log = st.toggle("Logarithmic axis", key="log_scale",
                    help="Useful when the methods differ by orders of magnitude.")
    st.vega_lite_chart(spec=charts.range_chart(view.ranges, currency=view.ranges["currency"][0],
                                               log=log), width="stretch")


def _chart_memo(scenario: Scenario, methods: tuple[str, ...]) -> dict:
    """The session's chart specs of this scenario and these methods (a new, empty memo when
    either changed): ``{"key": ..., name: spec JSON}``."""
    key = [scenario.model_dump_json(), list(methods)]
    memo = st.session_state.get(CHARTS_KEY)
    if not memo or memo["key"] != key:
        memo = {"key": key}
        st.session_state[CHARTS_KEY] = memo
    return memo


def _spec(memo: dict, name: str, build) -> dict | None:
    """The spec ``name`` of the memo's scenario (built by ``build()`` -> a Vega-Lite dict or
    None, once per scenario), as a fresh dict (Streamlit changes the spec it is given)."""
    if name not in memo:
        spec = build()
        memo[name] = json.dumps(spec) if spec is not None else None
    return json.loads(memo[name]) if memo[name] else None


def _duration_chart(scenario: Scenario, methods: tuple[str, ...], currency: str):
    frame = duration_curve(scenario.model_dump_json(), methods)
    if frame.height == 0:
        return None
    return charts.duration_chart(frame, scenario.hours, band_method=HEADLINE_METHOD,
                                 currency=currency)


def _tornado_chart(est: Estimate, method: str, currency: str):
    frame, p50 = tornado_frame(est.sensitivity, est.summary, method)
    if frame.height == 0:
        return None
    return charts.tornado_chart(frame, p50, currency=currency, title=REGISTRY[method].title)


def _waterfall_chart(est: Estimate, currency: str):
    frame = waterfall_frame(est.components.get(HEADLINE_METHOD, {}), est.summary)
    return charts.waterfall_chart(frame, currency=currency) if frame.height else None


def _show(spec: dict | None, missing: str) -> None:
    if spec is None:
        st.caption(missing)
    else:
        st.vega_lite_chart(spec=spec, width="stretch")


@st.fragment
def _more_charts(scenario: Scenario, methods: tuple[str, ...], est: Estimate) -> None:
    """Loss by duration, the tornado of a chosen method and the impact model's waterfall, in
    tabs; choosing the tornado's method reruns only this fragment."""
    try:
        memo = _chart_memo(scenario, methods)
        currency = output_currency(est.summary)
        costed = set(est.summary.filter(est.summary["status"] == "ok")["method"].to_list())
        sensitive = [m for m in methods if m in costed
                     and m in set(est.sensitivity["method"].to_list())]
        by_duration, drivers, parts = st.tabs(list(CHART_TABS))
        with by_duration:
            with st.spinner("Costing other durations…"):
                spec = _spec(memo, "duration",
                             lambda: _duration_chart(scenario, methods, currency))
            _show(spec, "No method costs this scenario.")
            if spec is not None:
                st.caption(f"Each point: {DURATION_DRAWS:,} draws per method, the same "
                           f"seed at every duration (the figures above use {DRAWS:,}).")
        with drivers:
            if not sensitive:
                st.caption("No costed method has uncertain inputs here.")
            else:
                if st.session_state.get("tornado_method") not in sensitive:
                    st.session_state["tornado_method"] = (
                        HEADLINE_METHOD if HEADLINE_METHOD in sensitive else sensitive[0])
                method = st.selectbox("Method", sensitive, key="tornado_method",
                                      format_func=lambda m: REGISTRY[m].title)
                _show(_spec(memo, f"tornado:{method}",
                            lambda: _tornado_chart(est, method, currency)),
                      "This method has no uncertain inputs here.")
        with parts:
            _show(_spec(memo, "waterfall", lambda: _waterfall_chart(est, currency)),
                  f"Only {REGISTRY[HEADLINE_METHOD].title} splits its loss into parts; "
                  "choose it in the sidebar to see them.")
    except Exception:  # the charts must never break the page
        LOG.exception("estimate charts failed for %r", scenario)
        st.caption("These charts could not be drawn for this scenario.")


def _details(view: EstimateView) -> None:
    if view.notes:
        st.info("**Data notes**  \n" + "  \n".join(f"- {n}" for n in view.notes))
    with st.expander("Assumptions (every input of every method)"):
        st.dataframe(view.assumptions, hide_index=True, width="stretch",
                     key="assumptions_table")
    if view.sensitivity.height:
        with st.expander("Sensitivity: loss with each input at its P5 and P95"):
            st.dataframe(view.sensitivity, hide_index=True, width="stretch",
                         key="sensitivity_table")
    if view.components.height:
        with st.expander("Components of the loss (central values)"):
            st.dataframe(view.components, hide_index=True, key="components_table")
    with st.expander("Data vintages"):
        if view.vintages.height:
            st.dataframe(view.vintages, hide_index=True, width="stretch")
        else:
            st.write("No vintage table bundled.")


def _downloads(view: EstimateView, est: Estimate) -> None:
    """Download buttons whose files are built only when clicked (a callable ``data``)."""
    row = st.container(horizontal=True)
    for key, label, fmt, ext, mime in DOWNLOADS:
        row.download_button(label, functools.partial(export_file, fmt, est),
                            file_name=f"{view.stem}.{ext}", mime=mime, key=key,
                            on_click="ignore", icon=":material/download:")


def _absolute(link: str) -> str:
    """The scenario link as a full address (relative when the app's address is unknown)."""
    from urllib.parse import urljoin

    base = st.context.url  # None without a browser session
    return urljoin(base, link) if base else link


#: the copy-link button: a plain button and a script that binds its click to the clipboard
COPY_BUTTON = """<button type="button" class="impact-copy-link" data-link="{link}">Copy link</button>
<script>
for (const b of document.querySelectorAll("button.impact-copy-link:not([data-bound])")) {{
  b.dataset.bound = "1";
  b.addEventListener("click", () => navigator.clipboard.writeText(b.dataset.link).then(
    () => {{ b.textContent = "Link copied"; }},
    () => {{ b.textContent = "Copy failed: select the link above"; }}));
}}
</script>"""


def _share_link(link: str) -> None:
    from html import escape

    full = _absolute(link)
    st.caption("Link to this scenario:")
    st.code(full, language=None)
    st.html(COPY_BUTTON.format(link=escape(full, quote=True)), unsafe_allow_javascript=True)


def _render(view: EstimateView, est: Estimate, link: str, scenario: Scenario,
            methods: tuple[str, ...]) -> None:
    _preset_note()
    _headline(view, est, st.session_state["headline_method"])
    render_risk(scenario)
    st.subheader("Loss by method (median, with 90 % range)")
    _cards(view)
    _range_chart(view)
    render_context(scenario, est)
    _more_charts(scenario, methods, est)
    st.subheader("Comparison")
    st.dataframe(view.table, hide_index=True, width="stretch", key="results_table")
    _downloads(view, est)
    _share_link(link)
    _details(view)


# Cards three to a row: a smaller headline figure than st.metric's default, and figures and
# labels that wrap instead of being cut.
CARD_CSS = """<style>
[data-testid="stMetricValue"] { font-size: 1.6rem; }
[data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p,
[data-testid="stMetricLabel"] p { white-space: normal; overflow: visible;
  text-overflow: clip; }
[data-testid="stMetricLabel"] div { overflow: visible; }
.impact-copy-link { font: inherit; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.2); background: transparent; cursor: pointer; }
.impact-copy-link:hover { border-color: currentColor; }
</style>"""

def _preset_note() -> None:
    """Where the preset's values come from, while the scenario is still the preset's."""
    note = st.session_state.get(PRESET_NOTE_KEY)
    if note and note[0] == _input_of(st.session_state):
        st.info(note[1], icon=":material/history:")
    elif note and note[0] is None:
        st.warning(note[1])


_state_from_link()
_init_state()
st.html(CARD_CSS)
st.title("What does an internet shutdown cost?")
_link_warning()
inputs, methods = _controls()

_country = st.session_state["country"]
if _country in unestimable_names():
    st.warning(f"**{_country}** cannot be estimated: {unestimable_names()[_country]}. "
               "Choose another country.")
    st.stop()
if not methods:
    st.warning("Choose at least one method in the sidebar.")
    st.stop()
if st.session_state["scope"] == "platforms" and not st.session_state["platforms"]:
    st.info("Choose one or more blocked platforms in the sidebar, or another scope.")
    st.stop()
if st.session_state["area_mode"] == "regions" and not st.session_state["regions"]:
    st.info("Choose one or more affected regions in the sidebar, or another affected area.")
    st.stop()

try:
    scenario = parse_scenario(inputs)
    result = run_estimate(scenario, methods, DRAWS)
    view = page_view(scenario, methods, DRAWS)
    params = scenario_query(scenario, methods, st.session_state["headline_method"])
    _render(view, result, query_url(params), scenario, methods)
    _write_link(params)
except ImpactError as err:
    st.error(md_text(err))
except Exception as err:
    LOG.exception("estimate page failed for %r", inputs)
    st.error(f"Sorry, this scenario could not be estimated ({type(err).__name__}). "
             "Please change the inputs; if it persists, report the scenario.")
