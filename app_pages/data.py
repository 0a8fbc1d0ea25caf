"""Data & sources page: the vintage of every bundled table and data/SOURCES.md if present."""

from __future__ import annotations

import streamlit as st

from impact.io import data_dir, data_version, read_bundled

st.title("Data & sources")
st.write("Every figure comes from tables bundled with the package; the app never downloads "
         f"anything. Bundled data version: `{data_version()}`.")

st.header("Data vintages")
try:
    vintages = read_bundled("vintages")
except FileNotFoundError:
    st.info("No vintage table (data/vintages.csv) is bundled.")
else:
    st.dataframe(vintages, hide_index=True, width="stretch", key="vintages_table")

sources = data_dir() / "SOURCES.md"
if sources.is_file():
    st.divider()
    st.markdown(sources.read_text(encoding="utf-8"))
else:
    st.caption("data/SOURCES.md is not present in this build.")
