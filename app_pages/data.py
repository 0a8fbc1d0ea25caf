"""Data & sources page: the data in use (bundled or refreshed), the vintage of every table
and the SOURCES.md of that data if present."""

from __future__ import annotations

import streamlit as st

from impact.bundled.datastore import refresh_record
from impact.bundled.io import bundled_dir, data_dir, data_version, read_bundled

st.title("Data & sources")
_record = refresh_record(data_dir())
if data_dir() == bundled_dir():
    _which = "the data bundled with the package"
elif _record:
    _which = (f"refreshed from the publishers on {_record.get('refreshed', '?')[:10]} "
              f"(from data `{_record.get('based_on', '?')}`)")
else:
    _which = f"read from {data_dir()}"
st.write("Every figure comes from local tables; the app never downloads anything. Data "
         f"version in use: `{data_version()}`, {_which}. To bring it up to date, run "
         "`impact data refresh` and restart the app; `impact data use bundled` goes back.")

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
