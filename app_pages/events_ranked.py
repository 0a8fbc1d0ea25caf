"""The Past events page's ranked table (text, with its CSV download of the numbers) and the
bar chart of its top events (a fragment: its slider reruns only the chart)."""

from __future__ import annotations

import streamlit as st

from app_pages.events_cache import EventsScreen
from app_pages.events_display import table_csv
from app_pages.events_filters import NORMALISATION_LABELS, EventFilters
from app_pages.events_specs import events_chart_frame, events_chart_spec, with_rows
from impact.report.charts import for_app

CAPTION = ("Ranked by the P50 of variant `{variant}` (the default is `capped`: hours as the "
           "source states them, drawn where it gives no times or no end: whole days from 3 to "
           "24 h a day, open-ended events from their known part to the end of their last "
           "listed year, the snapshot or 365 days; platform blocks costed for at most 365 "
           "days). **hours** are the catalogue rule's hours, **hours from / to** the range "
           "drawn. **flag**: costed above 0.5 % of the country's GDP or 2,000 hours, and why.")


def _column_config() -> dict:
    col = st.column_config
    return {"event": col.TextColumn(width="large"),
            "source": col.LinkColumn(
                help="The event's Access Now entry, else its first press or info link.",
                display_text="open"),
            "id": col.TextColumn(help="Catalogue id (`impact events show ID`)"),
            "area": col.TextColumn(width="medium"),
            "note": col.TextColumn(width="medium"),
            "share method": col.TextColumn(
                help="How the affected share was obtained: nationwide, regions or cities "
                     "matched to population tables, or the geographic-scope category.")}


def draw_ranked(screen: EventsScreen, filters: EventFilters) -> None:
    """The ranked table as text (in rank order, with the rank) and the raw numbers in its
    download (built only when clicked)."""
    norm, variant = filters.normalisation, filters.variant
    st.subheader(f"Events ranked by {NORMALISATION_LABELS[norm].lower()} loss")
    st.caption(CAPTION.format(variant=variant))
    st.dataframe(screen.shown, hide_index=True, width="stretch", key="events_table",
                 column_config=_column_config())
    table = screen.view.table
    stem = f"impact_events_{filters.method}_{norm}_{variant}"
    st.download_button("Download CSV", lambda: table_csv(table), file_name=f"{stem}.csv",
                       mime="text/csv", key="ev_download_csv", on_click="ignore",
                       icon=":material/download:")


@st.fragment
def draw_top_chart(screen: EventsScreen, norm: str) -> None:
    """The top events as bars; its slider reruns only this fragment."""
    view = screen.view
    costed = view.costed
    if costed == 0:
        return
    top_n = 1
    if costed > 1:
        st.session_state["ev_top_n"] = max(1, min(int(st.session_state["ev_top_n"]), costed))
        top_n = st.slider("Events in the chart", 1, costed, key="ev_top_n")
    frame = events_chart_frame(view.table, view.labels, norm, top_n)
    st.vega_lite_chart(spec=for_app(with_rows(events_chart_spec(norm, frame.height), frame)),
                       width="stretch")

