"""Bare comparison page for `bench_app.py`'s Past events first render, from constant data.

It draws as many elements of each kind as the real Past events page (counted by the benchmark
in AppTest and passed as JSON in ``IMPACT_BENCH_LAYOUT``): the sidebar's filter widgets, a
title, captions, subheaders, tables of the same shapes, Vega-Lite charts, download buttons,
a file uploader, expanders and columns. No catalogue, no estimate, no formatting, no caching:
what any page showing these elements costs.
"""

from __future__ import annotations

import json
import os

import polars as pl
import streamlit as st

LAYOUT = json.loads(os.environ.get("IMPACT_BENCH_LAYOUT", "{}"))
COUNTS: dict[str, int] = LAYOUT.get("counts", {})
SIDEBAR: dict[str, int] = LAYOUT.get("sidebar", {})
TABLES: list[list] = LAYOUT.get("tables", [[20, ["str"] * 20]])
OPTIONS = [f"Option {i}" for i in range(200)]
SPEC = {"mark": {"type": "bar"}, "encoding": {
    "y": {"field": "label", "type": "nominal"},
    "x": {"field": "value", "type": "quantitative"}}}
CHART = [{"label": f"Event {i}", "value": float(i)} for i in range(10)]


def _n(kind: str, default: int = 0) -> int:
    return int(COUNTS.get(kind, default))


def _table(rows: int, kinds: list[str]) -> pl.DataFrame:
    return pl.DataFrame({f"c{j}": ([f"text {i}" for i in range(rows)] if kind == "str"
                                   else [float(i) * 1.5 for i in range(rows)])
                         for j, kind in enumerate(kinds)})


def _sidebar() -> None:
    sb = st.sidebar
    for i in range(SIDEBAR.get("header", 0)):
        sb.header(f"Header {i}")
    for i in range(SIDEBAR.get("multiselect", 0)):
        sb.multiselect(f"Multi {i}", OPTIONS, default=OPTIONS[:1], key=f"multi_{i}")
    for i in range(SIDEBAR.get("slider", 0)):
        sb.slider(f"Years {i}", 2016, 2025, (2024, 2024), key=f"slider_{i}")
    for i in range(SIDEBAR.get("text_input", 0)):
        sb.text_input(f"Text {i}", key=f"text_{i}")
    for i in range(SIDEBAR.get("selectbox", 0)):
        sb.selectbox(f"Select {i}", OPTIONS[:10], key=f"select_{i}")
    for i in range(SIDEBAR.get("toggle", 0)):
        sb.toggle(f"Toggle {i}", key=f"toggle_{i}")
    for i in range(SIDEBAR.get("radio", 0)):
        sb.radio(f"Radio {i}", ["a", "b"], key=f"radio_{i}")


_sidebar()
st.title("Bare page")
expanders = [st.expander(f"Expander {i}") for i in range(_n("expander"))]
for i in range(_n("file_uploader")):
    (expanders[0] if expanders else st).file_uploader(f"File {i}", key=f"file_{i}")
for i in range(_n("markdown")):
    st.markdown(f"**{i} events** · text")
for i in range(_n("caption")):
    st.caption(f"Caption {i}: a sentence of the length of a caption on the real page.")
subheaders = _n("subheader")
tables = [_table(rows, kinds) for rows, kinds in TABLES]
for i in range(max(subheaders, len(tables))):
    if i < subheaders:
        st.subheader(f"Subheader {i}")
    if i < len(tables):
        st.dataframe(tables[i], hide_index=True, width="stretch", key=f"table_{i}")
for i in range(_n("download_button")):
    st.download_button(f"Download {i}", b"a,b\n1,2\n", file_name=f"bare_{i}.csv",
                       mime="text/csv", on_click="ignore", key=f"download_{i}")
for i in range(_n("slider")):
    st.slider(f"Events {i}", 1, 20, 10, key=f"main_slider_{i}")
for i in range(_n("multiselect")):
    st.multiselect(f"Compare {i}", OPTIONS[:20], default=OPTIONS[:5], key=f"main_multi_{i}")
charts = _n("vega_lite_chart")
columns = st.columns(_n("column")) if _n("column") else []
for i in range(charts):
    place = columns[i % len(columns)] if columns and i >= charts - len(columns) else st
    place.vega_lite_chart(spec=SPEC | {"data": {"values": CHART}}, width="stretch")
