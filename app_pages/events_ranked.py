"""The Past events page's ranked table (text, with its CSV download of the numbers) and the
bar chart of its top events (a fragment: its slider reruns only the chart)."""

from __future__ import annotations

import streamlit as st

from app_pages.events_cache import EventsScreen
from app_pages.events_columns import ROW_HEIGHT, column_config
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
    return column_config({
            "source": col.LinkColumn(
                help="The event's Access Now entry, else its first press or info link.",
                display_text="open"),
            "id": col.TextColumn(help="Catalogue id (`impact events show ID`)"),
            "area": col.TextColumn(width="medium"),
            "share method": col.TextColumn(
                help="How the affected share was obtained: nationwide, regions or cities "
                     "matched to population tables, or the geographic-scope category.")})


def draw_ranked(screen: EventsScreen, filters: EventFilters) -> None:
    """The ranked table as text (in rank order, with the rank) and the raw numbers in its
    download (built only when clicked)."""
    norm, variant = filters.normalisation, filters.variant
    st.subheader(f"Events ranked by {NORMALISATION_LABELS[norm].lower()} loss")
    st.caption(CAPTION.format(variant=variant))
    st.dataframe(screen.shown, hide_index=True, width="stretch", key="events_table",
                 column_config=_column_config(), row_height=ROW_HEIGHT)
    table = screen.view.table
    stem = f"impact_events_{filters.method}_{norm}_{variant}"
    st.download_button("Download CSV", lambda: table_csv(table), file_name=f"{stem}.csv",
                       mime="text/csv", key="ev_download_csv", on_click="ignore",
                       icon=":material/download:")


#: events in the chart when the filters change
TOP_N_DEFAULT = 10


def top_n_value(current: int | None, costed: int, shown_for: str | None, filters_id: str,
                default: int = TOP_N_DEFAULT) -> int:
    """The value of the "Events in the chart" slider: ``default`` (at most ``costed``) when
    the filters changed since the value was set (``shown_for`` differs from ``filters_id``),
    else ``current`` kept within 1 and ``costed`` [events].

    >>> top_n_value(3, 172, "search=Islamabad", "search=")  # a new filter: the default again
    10
    >>> top_n_value(25, 172, "f", "f"), top_n_value(25, 7, "f", "f"), top_n_value(None, 4, None, "f")
    (25, 7, 4)
    """
    if shown_for != filters_id or current is None:
        current = default
    return max(1, min(int(current), costed))


@st.fragment
def draw_top_chart(screen: EventsScreen, norm: str, filters_id: str = "") -> None:
    """The top events as bars; its slider reruns only this fragment. The slider goes back to
    `TOP_N_DEFAULT` events when the filters (``filters_id``) change."""
    view = screen.view
    costed = view.costed
    if costed == 0:
        return
    top_n = 1
    s = st.session_state
    if costed > 1:
        s["ev_top_n"] = top_n_value(s.get("ev_top_n"), costed, s.get("ev_top_n_for"),
                                    filters_id)
        s["ev_top_n_for"] = filters_id
        top_n = st.slider("Events in the chart", 1, costed, key="ev_top_n",
                          help=f"The largest events, {TOP_N_DEFAULT} (or all, if fewer) "
                               "whenever the filters change.")
    frame = events_chart_frame(view.table, view.labels, norm, top_n)
    with st.container(key="ev_top_chart"):
        st.vega_lite_chart(
            spec=for_app(with_rows(events_chart_spec(norm, frame.height, frame), frame)),
            width="stretch")
