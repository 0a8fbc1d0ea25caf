"""Data & sources page: the data in use (bundled or refreshed), the vintage of every table
and the SOURCES.md of that data if present (read once per process and data version,
`app_pages.data_sources`)."""

from __future__ import annotations

import streamlit as st

from app_pages.data_sources import data_sources
from impact.bundled.io import data_dir, data_version

st.title("Data & sources")
_version = data_version()
_page = data_sources(_version, str(data_dir()))
st.write("Every figure comes from local tables; the app never downloads anything. Data "
         f"version in use: `{_version}`, {_page.which}. To bring it up to date, run "
         "`impact data refresh` and restart the app; `impact data use bundled` goes back.")

st.header("Data vintages")
if _page.vintages is None:
    st.info("No vintage table (data/vintages.csv) is bundled.")
else:
    st.dataframe(_page.vintages, hide_index=True, width="stretch", key="vintages_table")

if _page.sources is not None:
    st.divider()
    st.markdown(_page.sources)
else:
    st.caption("data/SOURCES.md is not present in this build.")
