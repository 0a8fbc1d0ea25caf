"""The Past events page's totals: per country and year (with its CSV download) and per
platform and year."""

from __future__ import annotations

import streamlit as st

from app_pages.events_cache import events_platform_totals, events_totals
from app_pages.events_columns import ROW_HEIGHT, column_config
from app_pages.events_display import table_csv
from app_pages.events_filters import EventFilters

CAPTION = ("P50 adds the events' P50; P5/P95 are quantiles of the summed Monte Carlo draws "
           "(the events of one country share their random numbers, so a shared input such as "
           "the digital share, and each event's drawn hours, move together).")
LEDGER_CAPTION = ("Blocks of named platforms (and of other services, not costed): a block of "
                  "several platforms counts under each, so the rows do not add up to all "
                  "blocks.")


def draw_totals(version: str, filters: EventFilters) -> None:
    """The country-year totals and, when any platform is blocked, the platform ledger."""
    st.subheader("Totals per country and year")
    totals = events_totals(version, filters)
    st.caption(CAPTION)
    st.dataframe(totals.shown, hide_index=True, width="stretch", key="summary_table",
                 column_config=column_config(), row_height=ROW_HEIGHT)
    raw = totals.raw
    st.download_button("Download totals (CSV)", lambda: table_csv(raw),
                       file_name=f"impact_events_totals_{filters.method}_{filters.variant}.csv",
                       mime="text/csv", key="ev_download_summary", on_click="ignore",
                       icon=":material/download:")
    ledger = events_platform_totals(version, filters)
    if ledger.raw.height:
        st.subheader("Per platform and year")
        st.caption(LEDGER_CAPTION)
        st.dataframe(ledger.shown, hide_index=True, width="stretch", key="platform_table",
                     column_config=column_config(), row_height=ROW_HEIGHT)
