"""The Estimate page's lower part: the comparison table, the downloads (built only when
clicked), the data notes and the expanders of assumptions, sensitivity, components and data
vintages."""

from __future__ import annotations

import functools

import polars as pl
import streamlit as st

from app_pages.cached import ShownTables
from app_pages.estimate_exports import DOWNLOADS, export_file
from app_pages.estimate_view import EstimateView, short_table
from app_pages.tables import draw_table
from impact import Estimate


def draw_comparison(tables: ShownTables) -> None:
    """The methods side by side: four columns that a phone shows whole (`short_table`), and
    every column in an expander."""
    st.subheader("Comparison")
    draw_table(short_table(pl.from_arrow(tables.table)), key="comparison_table",
               right=[False, True, True, False])
    with st.expander("Every column: per day, share of GDP, per person, main driver, notes"):
        st.dataframe(tables.table, hide_index=True, width="stretch", key="results_table",
                     column_config={"method": st.column_config.TextColumn(pinned=True)})


def draw_downloads(view: EstimateView, est: Estimate) -> None:
    """Download buttons whose files are built only when clicked (a callable ``data``)."""
    row = st.container(horizontal=True)
    for key, label, fmt, ext, mime in DOWNLOADS:
        row.download_button(label, functools.partial(export_file, fmt, est),
                            file_name=f"{view.stem}.{ext}", mime=mime, key=key,
                            on_click="ignore", icon=":material/download:")


def draw_details(view: EstimateView, tables: ShownTables) -> None:
    """Data notes, then every input, the sensitivity, the components and the vintages."""
    if view.notes:
        st.info("**Data notes**  \n" + "  \n".join(f"- {n}" for n in view.notes))
    with st.expander("Assumptions (every input of every method)"):
        st.dataframe(tables.assumptions, hide_index=True, width="stretch",
                     key="assumptions_table")
    if tables.sensitivity.num_rows:
        with st.expander("Sensitivity: loss with each input at its P5 and P95"):
            st.dataframe(tables.sensitivity, hide_index=True, width="stretch",
                         key="sensitivity_table")
    if tables.components.num_rows:
        with st.expander("Components of the loss (central values)"):
            st.dataframe(tables.components, hide_index=True, key="components_table")
    with st.expander("Data vintages"):
        if tables.vintages.num_rows:
            st.dataframe(tables.vintages, hide_index=True, width="stretch")
        else:
            st.write("No vintage table bundled.")
