"""The Estimate page's lower part: the comparison table, the downloads (built only when
clicked), the data notes and the expanders of assumptions, sensitivity, components and data
vintages."""

from __future__ import annotations

import functools

import streamlit as st

from app_pages.viewmodel import DOWNLOADS, EstimateView, export_file
from impact import Estimate


def draw_comparison(view: EstimateView) -> None:
    st.subheader("Comparison")
    st.dataframe(view.table, hide_index=True, width="stretch", key="results_table")


def draw_downloads(view: EstimateView, est: Estimate) -> None:
    """Download buttons whose files are built only when clicked (a callable ``data``)."""
    row = st.container(horizontal=True)
    for key, label, fmt, ext, mime in DOWNLOADS:
        row.download_button(label, functools.partial(export_file, fmt, est),
                            file_name=f"{view.stem}.{ext}", mime=mime, key=key,
                            on_click="ignore", icon=":material/download:")


def draw_details(view: EstimateView) -> None:
    """Data notes, then every input, the sensitivity, the components and the vintages."""
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
