"""Estimate page: describe a shutdown in the sidebar, compare every method's loss at once.

Thin by design: validation is `impact.parse_scenario`, figures are `impact.estimate`, and
formatting lives in `app_pages.viewmodel`. Every widget has a stable ``key`` so that the AppTest
and browser tests can drive it.

Shareable links: each successful estimate writes its non-default fields into the URL's query
parameters (`app_pages.viewmodel.scenario_query`); a session that starts from such a link
initialises the widgets from them (`app_pages.viewmodel.state_from_query`), or keeps the defaults
with a warning when a parameter is wrong.
"""

from __future__ import annotations

import copy
import logging
from datetime import date

import altair as alt
import polars as pl
import streamlit as st

from app_pages.viewmodel import (
    AREA_LABELS,
    ESTIMATE_DEFAULTS,
    LINK_READ_KEY,
    PLATFORM_LABELS,
    SCOPE_LABELS,
    country_names,
    file_stem,
    method_cards,
    optional_export,
    query_url,
    range_frame,
    results_table,
    scenario_input,
    scenario_query,
    state_from_query,
    summary_csv,
    summary_json,
)
from impact import Estimate, ImpactError, estimate, parse_scenario
from impact import format as fmt
from impact.countries import resolve_country
from impact.methods import REGISTRY
from impact.regions import region_names

DRAWS = 10_000
LOG = logging.getLogger("impact.app")
LINK_WARNING_KEY = "_estimate_link_warning"


@st.cache_data(show_spinner="Running the Monte Carlo…", max_entries=256)
def run_estimate(scenario_json: str, methods: tuple[str, ...], draws: int) -> Estimate:
    """Estimate of one scenario, cached by its JSON, the method names and the draws."""
    return estimate(parse_scenario(scenario_json), list(methods), draws=draws)


@st.cache_data(show_spinner=False, max_entries=512)
def country_regions(country: str) -> list[str]:
    """Admin-1 region names of a country (empty when none are bundled or it is unknown)."""
    try:
        return region_names(resolve_country(country))
    except ImpactError:
        return []


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
                   "instead.**  \n" + "  \n".join(f"- {p}" for p in problems))


def _write_link(params: dict[str, str]) -> None:
    """Put the estimated scenario into the address bar (only when it changed)."""
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def _init_state() -> None:
    for key, value in ESTIMATE_DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.copy(value)


def _controls() -> tuple[dict, tuple[str, ...]]:
    """Sidebar widgets -> (mapping for parse_scenario, chosen method names)."""
    sb = st.sidebar
    sb.header("Scenario")
    sb.selectbox("Country", country_names(), key="country")
    sb.number_input("Duration [hours]", min_value=1.0, max_value=8760.0, step=1.0,
                    format="%g", key="duration_hours",
                    help="1 hour to 8,760 hours (one year).")
    sb.toggle("Set a start date and time", key="use_start",
              help="Local time in the country. Sets the data year and weights the hours by "
                   "the usual daily and weekly pattern of activity.")
    if st.session_state["use_start"]:
        c1, c2 = sb.columns(2)
        c1.date_input("Start date", key="start_date", min_value=date(2010, 1, 1),
                      max_value=date(2100, 12, 31))
        c2.time_input("Start time", key="start_time", step=900)
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
    sb.radio("Currency", ["USD", "local"], key="currency", horizontal=True,
             format_func={"USD": "US dollars", "local": "Local currency"}.get)

    s = st.session_state
    mode = s["area_mode"]
    data = scenario_input(
        country=s["country"], duration_hours=s["duration_hours"], scope=scope,
        platforms=s["platforms"],
        affected_share=s["affected_share"] if mode == "share" else None,
        regions=s["regions"] if mode == "regions" else (),
        intensity=s["intensity"],
        circumvention=s["circumvention"] if s["use_circumvention"] else None,
        start_date=s["start_date"] if s["use_start"] else None,
        start_time=s["start_time"] if s["use_start"] else None,
        currency=s["currency"])
    methods = tuple(m for m in REGISTRY if m in s["methods"])  # registry order
    return data, methods


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


def _headline(est: Estimate) -> None:
    ctx = est.context
    scope = SCOPE_LABELS[ctx.scope].lower()
    if ctx.platforms:
        scope += ": " + ", ".join(PLATFORM_LABELS[p] for p in ctx.platforms)
    affected = ctx.users.value * ctx.affected_share
    st.markdown(
        f"**{ctx.country}**, {ctx.year} · {fmt.hours(ctx.hours)} · {scope} · "
        f"{fmt.count(affected)} internet users affected "
        f"({fmt.percent(ctx.affected_share)} of {fmt.count(ctx.users.value)})")
    share_range = ""
    if ctx.affected_share_low != ctx.affected_share_high:
        share_range = (f" (range {fmt.percent(ctx.affected_share_low)} – "
                       f"{fmt.percent(ctx.affected_share_high)})")
    st.caption(f"Affected area: {ctx.affected_detail}{share_range}")
    st.caption(
        f"GDP {fmt.money(ctx.gdp.value)} ({ctx.gdp.source}, {ctx.gdp.year_used}) · "
        f"population {fmt.count(ctx.population.value)} "
        f"({ctx.population.year_used}) · users: {ctx.users.detail} · {ctx.hour_weight_detail}")


def _cards(est: Estimate) -> None:
    cards = method_cards(est.summary)
    for col, card in zip(st.columns(len(cards)), cards, strict=True):
        with col, st.container(border=True, height="stretch"):
            st.metric(card["title"], card["value"],
                      help=REGISTRY[card["method"]].citation)
            if card["status"] == "ok":
                st.markdown(f"**{card['range']}**  \n{card['lines']}")
            if card["reason"]:
                st.caption(card["reason"])


def _range_chart(est: Estimate) -> None:
    frame = range_frame(est.summary)
    if frame.height == 0:
        return
    currency = frame["currency"][0]
    log = st.toggle("Logarithmic axis", key="log_scale",
                    help="Useful when the methods differ by orders of magnitude.")
    if log:  # a log axis cannot show 0: floor at 1/1000 of the largest P95
        floor = max(float(frame["p95"].max() or 0) / 1000, 1.0)
        frame = frame.with_columns(pl.col("p05", "p50", "p95").clip(lower_bound=floor))
    axis = alt.Axis(title=f"loss ({currency}); bar = P5 to P95, dot = P50",
                    labelExpr="replace(replace(replace(format(datum.value, '~s'), 'G', 'bn'),"
                              " 'M', 'm'), 'T', 'tn')")
    scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    base = alt.Chart(frame).encode(
        y=alt.Y("method:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        tooltip=[alt.Tooltip("method:N"), alt.Tooltip("p05_label:N", title="P5"),
                 alt.Tooltip("p50_label:N", title="P50"),
                 alt.Tooltip("p95_label:N", title="P95")])
    bars = base.mark_bar(height=14, opacity=0.35, cornerRadius=3).encode(
        x=alt.X("p05:Q", axis=axis, scale=scale), x2="p95:Q")
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(x="p50:Q")
    st.altair_chart((bars + dots).properties(height=46 * frame.height + 40), width="stretch")


def _details(est: Estimate) -> None:
    if est.notes:
        st.info("**Data notes**  \n" + "  \n".join(f"- {n}" for n in est.notes))
    with st.expander("Assumptions (every input of every method)"):
        st.dataframe(est.assumptions.select("method", "parameter", "value", "low", "high",
                                            "unit", "source", "notes"),
                     hide_index=True, width="stretch", key="assumptions_table",
                     column_config={c: st.column_config.NumberColumn(format="%.4g")
                                    for c in ("value", "low", "high")})
    if est.sensitivity.height:
        with st.expander("Sensitivity: loss with each parameter at its P5 and P95"):
            st.dataframe(est.sensitivity, hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="compact")
                                        for c in ("loss_usd_at_p05", "loss_usd_at_p95",
                                                  "swing_usd")})
    if "impact" in est.components:
        with st.expander("impact model components (central values, USD)"):
            st.dataframe([{"component": k, "USD": fmt.money(v)}
                          for k, v in est.components["impact"].items()], hide_index=True)
    with st.expander("Data vintages"):
        if est.vintages.height:
            st.dataframe(est.vintages, hide_index=True, width="stretch")
        else:
            st.write("No vintage table bundled.")


def _downloads(est: Estimate) -> None:
    stem = file_stem(est)
    icon = ":material/download:"
    row = st.container(horizontal=True)
    row.download_button("Download CSV", summary_csv(est), file_name=f"{stem}.csv",
                        mime="text/csv", key="download_csv", on_click="ignore", icon=icon)
    row.download_button("Download JSON", summary_json(est), file_name=f"{stem}.json",
                        mime="application/json", key="download_json", on_click="ignore",
                        icon=icon)
    xlsx = optional_export("to_xlsx", est)
    if xlsx is not None:
        row.download_button(
            "Download Excel", xlsx, file_name=f"{stem}.xlsx", key="download_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore", icon=icon)
    report = optional_export("report_markdown", est)
    if report is not None:
        row.download_button("Download report (Markdown)", report, file_name=f"{stem}.md",
                            mime="text/markdown", key="download_report", on_click="ignore",
                            icon=icon)


def _share_link(link: str) -> None:
    st.caption("Link to this scenario (relative to this app's address):")
    st.code(link, language=None)


def _render(est: Estimate, link: str) -> None:
    _headline(est)
    st.subheader("Loss by method (median, with 90 % range)")
    _cards(est)
    _range_chart(est)
    st.subheader("Comparison")
    st.dataframe(results_table(est.summary), hide_index=True, width="stretch",
                 key="results_table")
    _downloads(est)
    _share_link(link)
    _details(est)


# Five cards side by side: a smaller headline figure than st.metric's default, and labels
# that wrap instead of being cut.
CARD_CSS = """<style>
[data-testid="stMetricValue"] { font-size: 1.6rem; }
[data-testid="stMetricLabel"] p { white-space: normal; }
[data-testid="stMetricLabel"] div { overflow: visible; }
</style>"""

_state_from_link()
_init_state()
st.html(CARD_CSS)
st.title("What does an internet shutdown cost?")
_link_warning()
inputs, methods = _controls()

if not methods:
    st.warning("Choose at least one method in the sidebar.")
    st.stop()
if st.session_state["area_mode"] == "regions" and not st.session_state["regions"]:
    st.info("Choose one or more affected regions in the sidebar, or another affected area.")
    st.stop()

try:
    scenario = parse_scenario(inputs)
    result = run_estimate(scenario.model_dump_json(), methods, DRAWS)
    params = scenario_query(scenario, methods)
    _render(result, query_url(params))
    _write_link(params)
except ImpactError as err:
    st.error(str(err))
except Exception as err:
    LOG.exception("estimate page failed for %r", inputs)
    st.error(f"Sorry, this scenario could not be estimated ({type(err).__name__}). "
             "Please change the inputs; if it persists, report the scenario.")
