"""Past events page: the bundled shutdown catalogue, filtered, estimated, ranked and compared.

Thin by design: filtering and estimates are `impact.events`, the risk model is
`impact.econometrics.risk_table`, tables and labels are `app_pages.viewmodel`. Only the
filtered events are estimated (cached by the filter values), with fewer draws than the
Estimate page so that a few hundred events take seconds.
"""

from __future__ import annotations

import logging

import altair as alt
import polars as pl
import streamlit as st

from app_pages.viewmodel import (
    ANY_PLATFORM,
    EVENT_TYPE_LABELS,
    NORMALISATION_LABELS,
    NORMALISATIONS,
    PLATFORM_LABELS,
    VARIANT_LABELS,
    compare_table,
    event_labels,
    events_chart_frame,
    events_defaults,
    events_table,
    risk_rows,
    summary_table,
    table_csv,
)
from impact import ImpactError
from impact import format as fmt
from impact.econometrics import risk_table
from impact.events import catalogue, compare, estimate_events, load_events, summarise
from impact.io import data_version
from impact.methods import REGISTRY
from impact.parameters import PLATFORMS

DRAWS = 1_000
LOG = logging.getLogger("impact.app")
MONEY = st.column_config.NumberColumn(format="compact")
HOURS = st.column_config.NumberColumn(format="%.0f")
SHARE = st.column_config.NumberColumn(format="%.3g")
PCT = st.column_config.NumberColumn(format="%.3g")
DAY = st.column_config.DateColumn(format="YYYY-MM-DD")


@st.cache_data(show_spinner=False)
def catalogue_info(version: str) -> tuple[dict[str, str], tuple[int, int], dict]:
    """(iso3 -> country name, (first, last) start year, default filters) of the catalogue."""
    events = catalogue()
    names = dict(events.select("iso3", "country").unique("iso3").sort("country").iter_rows())
    years = events["start"].dt.year()
    return names, (int(years.min()), int(years.max())), events_defaults(events)


@st.cache_data(show_spinner=False, max_entries=64)
def filtered_events(countries: tuple[str, ...], years: tuple[int, int],
                    types: tuple[str, ...], platform: str | None,
                    election: bool | None) -> pl.DataFrame:
    """Catalogue rows matching the filters (cached by the filter values)."""
    return load_events(list(countries) or None, years, list(types) or None, platform,
                       election)


@st.cache_data(show_spinner=False, max_entries=64)
def event_estimates(countries: tuple[str, ...], years: tuple[int, int],
                    types: tuple[str, ...], platform: str | None, election: bool | None,
                    method: str, draws: int) -> pl.DataFrame:
    """Estimates of the filtered events with one method, both platform-block variants and
    the Monte Carlo draws kept for the country-year totals."""
    events = filtered_events(countries, years, types, platform, election)
    return estimate_events(events, [method], draws=draws, cap_platform_days="both",
                           keep_draws=True)


@st.cache_data(show_spinner=False)
def shutdown_risk(version: str, year: int) -> pl.DataFrame:
    return risk_table(year)


def _init_state(defaults: dict) -> None:
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _filters(names: dict[str, str], span: tuple[int, int]) -> dict:
    """Sidebar widgets -> filter and display choices."""
    s = st.session_state
    sb = st.sidebar
    sb.header("Filter events")
    s["ev_countries"] = [c for c in s["ev_countries"] if c in names]
    sb.multiselect("Countries", list(names), format_func=names.get, key="ev_countries",
                   placeholder="All countries")
    lo, hi = s["ev_years"]
    s["ev_years"] = (max(span[0], min(lo, span[1])), min(span[1], max(hi, span[0])))
    sb.slider("Years (of the start)", span[0], span[1], key="ev_years")
    sb.multiselect("Type", list(EVENT_TYPE_LABELS), format_func=EVENT_TYPE_LABELS.get,
                   key="ev_types", placeholder="All types",
                   help="Platforms includes blocks of services that are not costed.")
    sb.selectbox("Platform", [ANY_PLATFORM, *PLATFORMS], key="ev_platform",
                 format_func=lambda p: "Any" if p == ANY_PLATFORM else PLATFORM_LABELS[p])
    sb.toggle("Election-related only", key="ev_election")
    sb.header("Show")
    sb.selectbox("Method", list(REGISTRY), format_func=lambda m: REGISTRY[m].title,
                 key="ev_method")
    sb.selectbox("Normalisation", list(NORMALISATIONS), format_func=NORMALISATION_LABELS.get,
                 key="ev_norm")
    sb.radio("Platform blocks longer than a year", list(VARIANT_LABELS),
             format_func=VARIANT_LABELS.get, key="ev_variant")
    return {
        "countries": tuple(s["ev_countries"]),
        "years": tuple(int(y) for y in s["ev_years"]),
        "types": tuple(t for t in EVENT_TYPE_LABELS if t in s["ev_types"]),
        "platform": None if s["ev_platform"] == ANY_PLATFORM else s["ev_platform"],
        "election": True if s["ev_election"] else None,
    }


def _ranked(table: pl.DataFrame, norm: str, variant: str) -> None:
    st.subheader(f"Events ranked by {NORMALISATION_LABELS[norm].lower()} loss")
    config = {"P50 [USD]": MONEY, "P5 [USD]": MONEY, "P95 [USD]": MONEY, "hours": HOURS,
              "affected share": SHARE, "start": DAY, "end": DAY,
              "area": st.column_config.TextColumn(width="medium"),
              "note": st.column_config.TextColumn(width="medium"),
              "share method": st.column_config.TextColumn(
                  help="How the affected share was obtained: nationwide, regions or cities "
                       "matched to population tables, or the geographic-scope category.")}
    label = NORMALISATIONS[norm][1]
    if norm != "total":
        config[label] = PCT if norm == "share_of_gdp" else MONEY
    st.dataframe(table, hide_index=True, width="stretch", key="events_table",
                 column_config=config)
    stem = f"impact_events_{st.session_state['ev_method']}_{norm}_{variant}"
    st.download_button("Download CSV", table_csv(table), file_name=f"{stem}.csv",
                       mime="text/csv", key="ev_download_csv", on_click="ignore",
                       icon=":material/download:")


def _chart(table: pl.DataFrame, labels: dict[str, str], norm: str) -> None:
    costed = table.filter(pl.col("status") == "ok").height
    if costed == 0:
        return
    top_n = 1
    if costed > 1:
        st.session_state["ev_top_n"] = max(1, min(int(st.session_state["ev_top_n"]), costed))
        top_n = st.slider("Events in the chart", 1, costed, key="ev_top_n")
    frame = events_chart_frame(table, labels, norm, top_n)
    title = ("loss (USD); bar = P50, line = P5 to P95" if norm == "total"
             else NORMALISATIONS[norm][1])
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=420)),
        tooltip=[alt.Tooltip("label:N", title="event"),
                 alt.Tooltip("text:N", title=NORMALISATION_LABELS[norm])])
    chart = base.mark_bar(opacity=0.8).encode(x=alt.X("value:Q", title=title))
    if norm == "total":
        chart += base.mark_rule(color="black").encode(x="p05:Q", x2="p95:Q")
    st.altair_chart(chart.properties(height=26 * frame.height + 40), width="stretch")


def _compare(estimates: pl.DataFrame, table: pl.DataFrame, labels: dict[str, str],
             variant: str) -> None:
    st.subheader("Compare selected events")
    s = st.session_state
    costed = table.filter(pl.col("status") == "ok")["event"].to_list()
    s["ev_compare"] = [e for e in s["ev_compare"] if e in costed]
    shown_set = tuple(sorted(costed))
    if s.get("ev_compare_for") != shown_set:  # new events: Pakistan's 2024 ones, else top 5
        s["ev_compare_for"] = shown_set
        pak = (table.filter((pl.col("status") == "ok") & (pl.col("country") == "Pakistan")
                            & (pl.col("start").dt.year() == 2024))["event"].to_list())
        s["ev_compare"] = (pak or costed)[:5]
    st.multiselect("Events to compare", costed, format_func=labels.get, key="ev_compare",
                   placeholder="Choose events from the table")
    chosen = s["ev_compare"]
    if not chosen:
        st.info("No costed event to compare: change the filters.")
        return
    rows = estimates.drop("draws_usd", strict=False).filter(pl.col("event_id").is_in(chosen))
    compared = compare(rows, variant=variant)
    order = {e: i for i, e in enumerate(chosen)}
    compared = compared.sort(pl.col("event_id").replace_strict(order, default=len(order)))
    shown = compare_table(compared, labels)
    st.dataframe(shown, hide_index=True, width="stretch", key="compare_table",
                 column_config={"total (P50) [USD]": MONEY, "per day [USD]": MONEY,
                                "per capita [USD]": MONEY, "% of GDP": PCT, "hours": HOURS})
    short = [f"{r['country']} {r['start']} {r['scope']}"
             for r in table.filter(pl.col("event").is_in(chosen)).select(
                 "event", "country", "start", "scope").sort(
                 pl.col("event").replace_strict(order, default=len(order))).iter_rows(
                 named=True)]
    if len(set(short)) < len(short):  # two events of one day and scope: add their ids
        short = [f"{s} ({e})" for s, e in zip(short, chosen, strict=True)]
    cols = st.columns(3)
    panels = (("per day [USD]", "per day [USD]", "~s"),
              ("per capita [USD]", "per capita [USD]", ",.3~g"),
              ("% of GDP", "% of annual GDP", ",.3~g"))
    for col, (field, title, tick_format) in zip(cols, panels, strict=True):
        frame = shown.select(pl.col("event"), pl.col(field).alias("value")).with_columns(
            short=pl.Series(short))
        col.altair_chart(
            alt.Chart(frame, title=title).mark_bar().encode(
                x=alt.X("value:Q", title=None, axis=alt.Axis(format=tick_format)),
                y=alt.Y("short:N", sort=None, title=None,
                        axis=alt.Axis(labelLimit=200, labelOverlap=False)),
                tooltip=["event:N", alt.Tooltip("value:Q", format=",.4~g")])
            .properties(height=30 * frame.height + 40), width="stretch")


def _summary(estimates: pl.DataFrame, names: dict[str, str], method: str,
             variant: str) -> None:
    st.subheader("Totals per country and year")
    summary = summary_table(summarise(estimates, "country-year", method, variant), names)
    st.caption("P5/P95 (sum) add the events' own P5 and P95, as if every event's uncertainty "
               "moved together; P5/P95 (independent) are quantiles of the summed Monte Carlo "
               "draws, as if events were independent. The truth lies between the two.")
    st.dataframe(summary, hide_index=True, width="stretch", key="summary_table",
                 column_config={c: MONEY for c in summary.columns if "[USD]" in c}
                 | {"hours": HOURS})
    st.download_button("Download totals (CSV)", table_csv(summary),
                       file_name=f"impact_events_totals_{method}_{variant}.csv",
                       mime="text/csv", key="ev_download_summary", on_click="ignore",
                       icon=":material/download:")


def _risk(names: dict[str, str], countries: tuple[str, ...], year: int) -> None:
    with st.expander(f"Risk of a shutdown in {year} (associational)"):
        try:
            risk = shutdown_risk(data_version(), year)
        except ImpactError as err:
            st.info(f"The risk model is not available: {err}")
            return
        rows = risk_rows(risk, countries, names)
        st.caption("Predicted probability that at least one shutdown starts in the year, from "
                   "a logit of past shutdowns, income, internet use and region (plus politics "
                   "where bundled). It describes associations in past data, not causes, and "
                   "is no forecast of any government's decision. 90 % interval from the "
                   "model's standard errors." + ("" if countries else
                                                 " No country chosen: the ten highest."))
        if rows.height == 0:
            st.info("No risk estimate for the chosen countries (covariates missing).")
            return
        st.dataframe(rows, hide_index=True, key="risk_table",
                     column_config={"probability [%]": st.column_config.NumberColumn(
                         format="%.0f")})


def main() -> None:
    st.title("Past events")
    names, span, defaults = catalogue_info(data_version())
    _init_state(defaults)
    filters = _filters(names, span)
    s = st.session_state
    method, norm, variant = s["ev_method"], s["ev_norm"], s["ev_variant"]
    st.caption(f"Events of the bundled catalogue (Access Now #KeepItOn and others), estimated "
               f"with **{REGISTRY[method].title}** at {DRAWS:,} Monte Carlo draws per event "
               "on this page (the Estimate page uses 10,000), so P5/P95 are a little noisier. "
               "Money is USD at current prices of the event year.")
    events = filtered_events(**filters)
    if events.height == 0:
        st.info("No event in the catalogue matches these filters. Widen the years, or remove "
                "a country, type, platform or the election filter.")
        return
    with st.spinner(f"Estimating {events.height} events ({DRAWS:,} draws each)…"):
        estimates = event_estimates(**filters, method=method, draws=DRAWS)
    labels = event_labels(events)
    table = events_table(estimates, events, method=method, variant=variant,
                         normalisation=norm)
    costed = table.filter(pl.col("status") == "ok")
    total = float(costed["P50 [USD]"].sum()) if costed.height else None
    st.markdown(f"**{events.height} events** · {costed.height} costed by "
                f"{REGISTRY[method].title} · sum of P50s {fmt.money(total)}")
    if costed.height == 0:
        st.info(f"{REGISTRY[method].title} costs none of these events (see the note column); "
                "choose another method or other filters.")
    _ranked(table, norm, variant)
    _chart(table, labels, norm)
    _compare(estimates, table, labels, variant)
    _summary(estimates, names, method, variant)
    _risk(names, filters["countries"], span[1] + 1)


try:
    main()
except ImpactError as err:
    st.error(str(err))
except Exception as err:
    LOG.exception("events page failed")
    st.error(f"Sorry, these events could not be estimated ({type(err).__name__}). Please "
             "change the filters; if it persists, report them.")
