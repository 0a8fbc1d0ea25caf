"""Past events page: the bundled shutdown catalogue, filtered, estimated, ranked and compared.

Thin by design: filtering and estimates are `impact.catalogue.events`, the risk model is
`impact.bundled.econometrics.risk_table`, tables and labels are `app_pages.events_view`. Only the
filtered events are estimated, with fewer draws than the Estimate page so that a few hundred
events take seconds; the estimates and every table built from them are cached by the filter
values (`app_pages.cached`). The chart, the comparison and the risk model are fragments, so
their own widgets rerun only them; the risk model is fitted only when its panel is opened.
"""

from __future__ import annotations

import json
import logging

import polars as pl
import streamlit as st

from app_pages.cached import (
    catalogue_info,
    events_chart_specs,
    events_compared,
    events_page_view,
    events_platform_totals,
    events_totals,
    filtered_events,
    shutdown_risk,
    user_events,
)
from app_pages.events_view import (
    ANY_PLATFORM,
    CAP_LABELS,
    EVENT_TYPE_LABELS,
    MAP_FIGURES,
    NORMALISATION_LABELS,
    NORMALISATIONS,
    OPEN_ENDED_LABELS,
    YOURS_MARK,
    EventsView,
    compare_chart_spec,
    compare_display,
    events_chart_frame,
    events_chart_spec,
    risk_rows,
    table_csv,
    totals_display,
    variant_label,
    with_rows,
)
from app_pages.viewmodel import (
    PLATFORM_LABELS,
)
from impact import ImpactError
from impact import format as fmt
from impact.bundled.io import data_version
from impact.catalogue import events as ev
from impact.estimation.ensemble import ENSEMBLE
from impact.estimation.ensemble import title as method_title
from impact.format import md_text
from impact.methods import REGISTRY
from impact.model.parameters import PLATFORMS

DRAWS = 1_000
LOG = logging.getLogger("impact.app")


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
    sb.slider("Years (active)", span[0], span[1], key="ev_years",
              help="Events active at some time in these years; totals count only these "
                   "calendar years.")
    sb.text_input("Search", key="ev_search", placeholder="e.g. election, X, Kashmir",
                  help="Words that must all appear in the event's title, description, "
                       "places, cause or platforms.")
    sb.multiselect("Type", list(EVENT_TYPE_LABELS), format_func=EVENT_TYPE_LABELS.get,
                   key="ev_types", placeholder="All types",
                   help="Platforms includes blocks of services that are not costed.")
    sb.selectbox("Platform", [ANY_PLATFORM, *PLATFORMS], key="ev_platform",
                 format_func=lambda p: "Any" if p == ANY_PLATFORM else PLATFORM_LABELS[p])
    sb.toggle("Election-related only", key="ev_election")
    sb.header("Show")
    sb.selectbox("Method", [ENSEMBLE, *REGISTRY], format_func=method_title, key="ev_method",
                 help="The headline combines the methods that apply to each event, as the "
                      "Estimate page does (docs/headline.md); or show one method.")
    sb.selectbox("Normalisation", list(NORMALISATIONS), format_func=NORMALISATION_LABELS.get,
                 key="ev_norm")
    sb.radio("Platform blocks longer than a year", list(CAP_LABELS),
             format_func=CAP_LABELS.get, key="ev_variant")
    sb.radio("Events with no end date", list(OPEN_ENDED_LABELS),
             format_func=OPEN_ENDED_LABELS.get, key="ev_open_ended",
             help="The source gives no end date and no duration: cost only what it states "
                  "(the first day), or let those still ongoing run to the data snapshot.")
    return {
        "countries": tuple(s["ev_countries"]),
        "years": tuple(int(y) for y in s["ev_years"]),
        "types": tuple(t for t in EVENT_TYPE_LABELS if t in s["ev_types"]),
        "platform": None if s["ev_platform"] == ANY_PLATFORM else s["ev_platform"],
        "election": True if s["ev_election"] else None,
        "search": s["ev_search"].strip() or None,
    }


def _ranked(table: pl.DataFrame, shown: pl.DataFrame, norm: str, variant: str) -> None:
    """The ranked table as text (`events_display`: in rank order, with the rank) and the raw
    numbers of ``table`` in its download."""
    st.subheader(f"Events ranked by {NORMALISATION_LABELS[norm].lower()} loss")
    st.caption(f"Ranked by the P50 of variant `{variant}` (the default is `capped`: hours as "
               "the source states them, drawn where it gives no times or no end: whole days "
               "from 3 to 24 h a day, open-ended events from their known part to the end of "
               "their last listed year, the snapshot or 365 days; platform blocks costed for "
               "at most 365 days). **hours** are the catalogue rule's hours, **hours from / "
               "to** the range drawn. **flag**: costed above 0.5 % of the country's GDP or "
               "2,000 hours, and why.")
    config = {"event": st.column_config.TextColumn(width="large"),
              "source": st.column_config.LinkColumn(
                  help="The event's Access Now entry, else its first press or info link.",
                  display_text="open"),
              "id": st.column_config.TextColumn(help="Catalogue id (`impact events show ID`)"),
              "area": st.column_config.TextColumn(width="medium"),
              "note": st.column_config.TextColumn(width="medium"),
              "share method": st.column_config.TextColumn(
                  help="How the affected share was obtained: nationwide, regions or cities "
                       "matched to population tables, or the geographic-scope category.")}
    st.dataframe(shown, hide_index=True, width="stretch", key="events_table",
                 column_config=config)
    stem = f"impact_events_{st.session_state['ev_method']}_{norm}_{variant}"
    st.download_button("Download CSV", lambda: table_csv(table), file_name=f"{stem}.csv",
                       mime="text/csv", key="ev_download_csv", on_click="ignore",
                       icon=":material/download:")


@st.fragment
def _chart(table: pl.DataFrame, labels: dict[str, str], norm: str) -> None:
    """The top events as bars; its slider reruns only this fragment."""
    costed = table.filter(pl.col("status") == "ok").height
    if costed == 0:
        return
    top_n = 1
    if costed > 1:
        st.session_state["ev_top_n"] = max(1, min(int(st.session_state["ev_top_n"]), costed))
        top_n = st.slider("Events in the chart", 1, costed, key="ev_top_n")
    frame = events_chart_frame(table, labels, norm, top_n)
    st.vega_lite_chart(spec=with_rows(events_chart_spec(norm, frame.height), frame),
                       width="stretch")


def _where_and_when(filters: dict, view: EventsView, method: str, variant: str,
                    norm: str) -> None:
    """The loss map and the events timeline of the shown estimates (their specs are cached
    by the filters; drawing them never breaks the page)."""
    st.subheader("Where and when")
    try:
        world, timeline = events_chart_specs(**filters, method=method, draws=DRAWS,
                                             variant=variant, normalisation=norm)
        title = method_title(method)
        if world is None:
            st.caption(f"No map: {title} costs none of these events.")
        else:
            with st.container(key="ev_map"):
                st.vega_lite_chart(spec=json.loads(world), width="stretch")
            st.caption(
                f"Each country's colour is {MAP_FIGURES[norm]} ({title}, variant "
                f"`{variant}`, {view.costed} costed events), on a logarithmic scale; grey: "
                "no costed event in this selection. The range in the tooltip adds the "
                "events' P5 and P95 (as if their uncertainty moved together). Shapes: "
                "Natural Earth 1:110m (public domain) via world-atlas.")
        if timeline is None:
            st.caption("No timeline: no event to show.")
        else:
            with st.container(key="ev_timeline"):
                st.vega_lite_chart(spec=json.loads(timeline), width="stretch")
            tl = view.timeline
            left = (f" {tl.other_countries} other countries with {tl.other_events:,} "
                    "events are left out; choose countries in the sidebar to see them."
                    if tl.other_countries else "")
            lo, hi = filters["years"]
            span = str(lo) if lo == hi else f"{lo}–{hi}"
            st.caption(
                f"Every event of the {tl.countries} countries with the largest losses in "
                f"this selection ({title}, variant `{variant}`), one row each, largest "
                f"first; colour: type.{left} Events of one country, type and dates are "
                f"one mark. The axis spans {span}: longer events are cut at its edges. "
                "Dates as the catalogue reports them; the tooltip gives the costed hours "
                "and the cost (P50, P5–P95).")
    except ImpactError as err:  # e.g. the bundled map shapes fail their check: say which
        st.error(md_text(err))
    except Exception:  # the charts must never break the page
        LOG.exception("events map or timeline failed for %r", filters)
        st.caption("The map and the timeline could not be drawn for this selection.")


@st.fragment
def _compare(filters: dict, table: pl.DataFrame, labels: dict[str, str], method: str,
             variant: str) -> None:
    """Chosen events side by side; its multiselect reruns only this fragment."""
    st.subheader("Compare selected events")
    s = st.session_state
    costed = table.filter(pl.col("status") == "ok")["id"].to_list()
    s["ev_compare"] = [e for e in s["ev_compare"] if e in costed]
    shown_set = tuple(sorted(costed))
    if s.get("ev_compare_for") != shown_set:  # new events: Pakistan's 2024 ones, else top 5
        s["ev_compare_for"] = shown_set
        pak = (table.filter((pl.col("status") == "ok") & (pl.col("country") == "Pakistan")
                            & (pl.col("start").dt.year() == 2024))["id"].to_list())
        s["ev_compare"] = (pak or costed)[:5]
    st.multiselect("Events to compare", costed, format_func=labels.get, key="ev_compare",
                   placeholder="Choose events from the table")
    chosen = tuple(s["ev_compare"])
    if not chosen:
        st.info("No costed event to compare: change the filters.")
        return
    shown = events_compared(**filters, method=method, draws=DRAWS, variant=variant,
                            chosen=chosen)
    st.dataframe(compare_display(shown), hide_index=True, width="stretch", key="compare_table")
    order = {e: i for i, e in enumerate(chosen)}
    short = [f"{r['country']} {r['start']} {r['scope']}"
             for r in table.filter(pl.col("id").is_in(chosen)).select(
                 "id", "country", "start", "scope").sort(
                 pl.col("id").replace_strict(order, default=len(order))).iter_rows(
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
        col.vega_lite_chart(
            spec=with_rows(compare_chart_spec(title, tick_format, frame.height), frame),
            width="stretch")


def _totals_table(frame: pl.DataFrame, key: str) -> None:
    """A totals table as text (`totals_display`); its download keeps the numbers."""
    st.dataframe(totals_display(frame), hide_index=True, width="stretch", key=key)


def _summary(filters: dict, method: str, variant: str) -> None:
    st.subheader("Totals per country and year")
    summary = events_totals(**filters, method=method, draws=DRAWS, variant=variant)
    st.caption("P50 adds the events' P50; P5/P95 are quantiles of the summed Monte Carlo "
               "draws (the events of one country share their random numbers, so a shared "
               "input such as the digital share, and each event's drawn hours, move "
               "together).")
    _totals_table(summary, "summary_table")
    st.download_button("Download totals (CSV)", lambda: table_csv(summary),
                       file_name=f"impact_events_totals_{method}_{variant}.csv",
                       mime="text/csv", key="ev_download_summary", on_click="ignore",
                       icon=":material/download:")
    ledger = events_platform_totals(**filters, method=method, draws=DRAWS, variant=variant)
    if ledger.height:
        st.subheader("Per platform and year")
        st.caption("Blocks of named platforms (and of other services, not costed): a block of "
                   "several platforms counts under each, so the rows do not add up to all "
                   "blocks.")
        _totals_table(ledger, "platform_table")


@st.fragment
def _risk(names: dict[str, str], countries: tuple[str, ...]) -> None:
    """The risk model, fitted only once the panel is opened (opening reruns only this), for
    the year `impact.catalogue.associations.risk_year` chooses (the next one the data supports)."""
    from impact.catalogue.associations import risk_year

    outlook = risk_year()
    year = outlook.year
    # the title says which year is predicted and, when it is not the next one, why
    panel = st.expander(f"Risk of a new shutdown starting in {outlook.short} — associational",
                        key="ev_risk_open", on_change="rerun")
    if not panel.open:
        return
    with panel:
        try:
            with st.spinner("Fitting the risk model…"):
                risk = shutdown_risk(data_version(), year)
        except ImpactError as err:
            st.info(f"The risk model is not available: {err}")
            return
        rows = risk_rows(risk, countries, names)
        st.caption(f"{outlook.why} Predicted probability that at least one shutdown starts in "
                   f"{year}, from "
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


#: largest file of your own events [MB] (`impact.catalogue.events.USER_MAX_BYTES`)
YOURS_MAX_MB = ev.USER_MAX_BYTES // 2**20


def _your_events() -> ev.UserEvents | None:
    """The uploader "Add your own events" and what was read: a line of counts, then one
    line per refused record (as text: nothing in the file renders as markup)."""
    import hashlib

    box = st.expander("Add your own events", expanded=False)
    box.caption(f"Our events CSV (at least `country`, `start`, `scope`; see docs/events.md) or "
                f"an Access Now STOP sheet (CSV or .xlsx), up to {YOURS_MAX_MB} MB and "
                f"{ev.USER_MAX_ROWS:,} rows. Costed by the catalogue's rules and shown as "
                "**yours** beside the catalogue's events; rows the catalogue already holds "
                "are not added again.")
    upload = box.file_uploader("Your events file", type=["csv", "xlsx", "xls", "ods"],
                               key="ev_yours_file", max_upload_size=YOURS_MAX_MB)
    if upload is None:
        return None
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        mine = user_events(digest, data, upload.name)
    except ImpactError as err:
        box.error(str(err))
        return None
    box.text(f"{upload.name}: {mine.summary()}")
    if mine.refused:
        box.text("\n".join(f"refused: {line}" for line in mine.refused[:50])
                 + (f"\n… and {len(mine.refused) - 50} more" if len(mine.refused) > 50
                    else ""))
    st.session_state["ev_yours_digest"] = digest if mine.kept else None
    return mine if mine.kept else None


def main() -> None:
    st.title("Past events")
    names, span, defaults = catalogue_info(data_version())
    mine = _your_events()
    if mine is not None:  # the years and countries of your events are offered too
        starts = mine.events["start"].drop_nulls().dt.year()
        span = (min(span[0], int(starts.min())), max(span[1], int(starts.max())))
        names = dict(sorted({**names, **dict(mine.events.select("iso3", "country")
                                              .unique("iso3").iter_rows())}.items(),
                            key=lambda kv: str(kv[1])))
        defaults = defaults | {"ev_years": (defaults["ev_years"][0], span[1])}
    _init_state(defaults)
    digest = st.session_state.get("ev_yours_digest")
    if mine is not None and st.session_state.get("ev_yours_seen") != digest:
        # a new upload: widen the years to show its events
        st.session_state["ev_years"] = (st.session_state["ev_years"][0], span[1])
        st.session_state["ev_yours_seen"] = st.session_state.get("ev_yours_digest")
    filters = _filters(names, span)
    filters["yours"] = st.session_state.get("ev_yours_digest") if mine is not None else None
    s = st.session_state
    method, norm = s["ev_method"], s["ev_norm"]
    variant = variant_label(s["ev_variant"], s["ev_open_ended"])
    st.caption(f"Events of the bundled catalogue (Access Now #KeepItOn and others), estimated "
               f"with **{method_title(method)}** at {DRAWS:,} Monte Carlo draws per event "
               "on this page (the Estimate page uses 10,000), so P5/P95 are a little noisier. "
               "An event's preset on the Estimate page is costed by the same rules (its hours, "
               "hours range, share and time weighting), so its figure differs from this one "
               "only by that sampling noise, a few per cent at most; Past events also counts "
               "an event's hours once where other reports cover the same places and days. "
               "Money is USD at current prices of the event year.")
    if mine is not None:
        st.caption(f"With **{mine.kept} of your own events** (marked {YOURS_MARK} and origin "
                   "*yours*), costed by the same rules against the catalogue's events of the "
                   "same countries; the catalogue's own figures do not change.")
    n_events = filtered_events(**filters).height
    if n_events == 0:
        st.info("No event in the catalogue matches these filters. Widen the years, or remove "
                "a country, type, platform, search words or the election filter.")
        st.caption("No map and no timeline: they show the events that match the filters.")
        return
    with st.spinner(f"Estimating {n_events} events ({DRAWS:,} draws each)…"):
        view: EventsView = events_page_view(**filters, method=method, draws=DRAWS,
                                            variant=variant, normalisation=norm)
    st.markdown(f"**{view.n_events} events** · {view.costed} costed by "
                f"{method_title(method)} · sum of P50s {fmt.money(view.total)}")
    if view.costed == 0:
        st.info(f"{method_title(method)} costs none of these events (see the note column); "
                "choose another method or other filters.")
    _ranked(view.table, view.shown, norm, variant)
    _chart(view.table, view.labels, norm)
    _where_and_when(filters, view, method, variant, norm)
    _compare(filters, view.table, view.labels, method, variant)
    _summary(filters, method, variant)
    _risk(names, filters["countries"])


try:
    main()
except ImpactError as err:
    st.error(md_text(err))
except Exception as err:
    LOG.exception("events page failed")
    st.error(f"Sorry, these events could not be estimated ({type(err).__name__}). Please "
             "change the filters; if it persists, report them.")
