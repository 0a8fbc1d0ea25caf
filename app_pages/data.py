"""Data & sources page, for the people who read the figures: which data the estimates rest
on, from whom, which years, its licence and how to credit it (`app_pages.data_view`), then
the data version in use. The build, table by table, is data/SOURCES.md in the repository;
the page does not repeat it."""

from __future__ import annotations

import streamlit as st

from app_pages.data_sources import data_sources
from app_pages.data_view import sources, sources_markdown
from impact.bundled.io import data_dir, data_version, read_bundled

st.title("Data & sources")
_version = data_version()
_page = data_sources(_version, str(data_dir()))
st.write("The estimates rest on public data, kept with the app: nothing is downloaded while "
         f"you use it. Data version in use: `{_version}`, {_page.which}.")

st.header("Where the data comes from")
st.markdown(sources_markdown(sources(read_bundled("indicators"), read_bundled("events"))))
st.caption("Years are those of the rows kept. When you quote a figure, credit the data as "
           "above and the method as on Methods & assumptions. impact itself is MIT-licensed.")
st.markdown("Not shipped: Top10VPN's country figures (© Top10VPN) are used only to calibrate "
            "and check the estimates, with credit.")

with st.expander("Every table's source and when it was taken"):
    if _page.vintages is None:
        st.info("No vintage table is bundled with this data.")
    else:
        st.dataframe(_page.vintages, hide_index=True, width="stretch", key="vintages_table")
    st.caption("Operators bring the data up to date with `impact data refresh` and go back "
               "with `impact data use bundled`; how each table is built is in data/SOURCES.md "
               "in the project's repository.")
