"""The Past events page's comparison: chosen events side by side, a table and one bar chart
per normalisation (a fragment: its multiselect reruns only this panel)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app_pages.events_cache import events_compared
from app_pages.events_columns import ROW_HEIGHT, column_config
from app_pages.events_filters import EventFilters
from app_pages.events_specs import compare_chart_spec, with_rows

#: (column of the comparison, panel title, axis tick format)
PANELS = (("per day [USD]", "per day [USD]", "~s"),
          ("per capita [USD]", "per capita [USD]", ",.3~g"),
          ("% of GDP", "% of annual GDP", ",.3~g"))


def _default_choice(table: pl.DataFrame, costed: list[str]) -> list[str]:
    """Pakistan's 2024 costed events, else the top five."""
    pak = table.filter((pl.col("status") == "ok") & (pl.col("country") == "Pakistan")
                       & (pl.col("start").dt.year() == 2024))["id"].to_list()
    return (pak or costed)[:5]


def short_labels(table: pl.DataFrame, chosen: tuple[str, ...]) -> list[str]:
    """"Country start scope" of each chosen event, in order (ids added where two are alike)."""
    order = {e: i for i, e in enumerate(chosen)}
    rows = (table.filter(pl.col("id").is_in(chosen))
            .sort(pl.col("id").replace_strict(order, default=len(order)))
            .select("country", "start", "scope").rows())
    short = [f"{country} {start} {scope}" for country, start, scope in rows]
    if len(set(short)) < len(short):  # two events of one day and scope: add their ids
        short = [f"{s} ({e})" for s, e in zip(short, chosen, strict=True)]
    return short


@st.fragment
def draw_compare(version: str, filters: EventFilters, table: pl.DataFrame,
                 labels: dict[str, str]) -> None:
    """Chosen events side by side; its multiselect reruns only this fragment."""
    st.subheader("Compare selected events")
    s = st.session_state
    costed = table.filter(pl.col("status") == "ok")["id"].to_list()
    s["ev_compare"] = [e for e in s["ev_compare"] if e in costed]
    shown_set = tuple(sorted(costed))
    if s.get("ev_compare_for") != shown_set:  # new events: choose the default ones
        s["ev_compare_for"] = shown_set
        s["ev_compare"] = _default_choice(table, costed)
    st.multiselect("Events to compare", costed, format_func=labels.get, key="ev_compare",
                   placeholder="Choose events from the table")
    chosen = tuple(s["ev_compare"])
    if not chosen:
        st.info("No costed event to compare: change the filters.")
        return
    compared, shown = events_compared(version, filters, chosen)
    st.dataframe(shown, hide_index=True, width="stretch", key="compare_table",
                 column_config=column_config(), row_height=ROW_HEIGHT)
    short = pl.Series("short", short_labels(table, chosen))
    for col, (field, title, tick_format) in zip(st.columns(3), PANELS, strict=True):
        frame = compared.select(pl.col("event"), pl.col(field).alias("value")).with_columns(
            short)
        col.vega_lite_chart(
            spec=with_rows(compare_chart_spec(title, tick_format, frame.height), frame),
            width="stretch")
