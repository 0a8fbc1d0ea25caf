"""Bare comparison page for `bench_app.py`: the Estimate page's elements, from constant data.

It draws as many elements of each kind as the real Estimate page (counted by the benchmark in
AppTest and passed as JSON in ``IMPACT_BENCH_LAYOUT``): the same sidebar widgets (with the
duration input under the same key), metrics in bordered columns, tables of the same shapes,
a Vega-Lite chart, text blocks, download buttons, expanders, and the duration in the first
text block, so that a duration change changes what is drawn. No estimate, no formatting, no
caching: what any page showing these elements costs.
"""

from __future__ import annotations

import json
import os

import polars as pl
import streamlit as st

LAYOUT = json.loads(os.environ.get("IMPACT_BENCH_LAYOUT", "{}"))
COUNTS: dict[str, int] = LAYOUT.get("counts", {})
SIDEBAR: dict[str, int] = LAYOUT.get("sidebar", {})
TABLES: list[list] = LAYOUT.get("tables", [[6, ["str"] * 10]])
OPTIONS = [f"Option {i}" for i in range(200)]
CSS = "<style>[data-testid='stMetricValue'] { font-size: 1.6rem; }</style>"
SPEC = {"mark": {"type": "bar"}, "encoding": {
    "y": {"field": "label", "type": "nominal"},
    "x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}}}


def _table(rows: int, kinds: list[str]) -> pl.DataFrame:
    return pl.DataFrame({f"c{j}": ([f"text {i}" for i in range(rows)] if kind == "str"
                                   else [float(i) * 1.5 for i in range(rows)])
                         for j, kind in enumerate(kinds)})


def _n(kind: str, default: int = 0) -> int:
    return int(COUNTS.get(kind, default))


def _sidebar() -> float:
    sb = st.sidebar
    for i in range(SIDEBAR.get("header", 0)):
        sb.header(f"Header {i}")
    for i in range(SIDEBAR.get("selectbox", 0)):
        sb.selectbox(f"Select {i}", OPTIONS, key=f"select_{i}")
    sb.number_input("Duration [hours]", min_value=1.0, max_value=8760.0, value=10.0,
                    step=1.0, key="duration_hours")
    for i in range(SIDEBAR.get("number_input", 1) - 1):
        sb.number_input(f"Number {i}", value=1.0, key=f"number_{i}")
    for i in range(SIDEBAR.get("toggle", 0)):
        sb.toggle(f"Toggle {i}", key=f"toggle_{i}")
    for i in range(SIDEBAR.get("radio", 0)):
        sb.radio(f"Radio {i}", ["a", "b", "c", "d"], key=f"radio_{i}")
    for i in range(SIDEBAR.get("multiselect", 0)):
        sb.multiselect(f"Multi {i}", OPTIONS[:6], default=OPTIONS[:6], key=f"multi_{i}")
    for i in range(SIDEBAR.get("slider", 0)):
        sb.slider(f"Slider {i}", 0.0, 1.0, 0.5, key=f"slider_{i}")
    return float(st.session_state["duration_hours"])


hours = _sidebar()
st.html(CSS)
st.title("Bare page")
markdown, captions = _n("markdown", 1), _n("caption")
metrics = _n("metric")
st.markdown(f"**Country**, 2024 · {hours:g} hours · full internet")
markdown -= 1
for i in range(min(captions, 2)):
    st.caption(f"Caption {i}")
captions -= min(captions, 2)
for i in range(_n("subheader")):
    st.subheader(f"Subheader {i}")
if metrics:
    for i, col in enumerate(st.columns(metrics)):
        with col, st.container(border=True):
            st.metric(f"Method {i}", f"USD {hours * (i + 1):.3g} m")
            if markdown > 0:
                st.markdown(f"**P5–P95: USD {i} m – {i + 1} m**  \nper day: USD {i} m")
                markdown -= 1
for i in range(_n("toggle")):
    st.toggle(f"Main toggle {i}", key=f"main_toggle_{i}")
chart = pl.DataFrame({"label": [f"Method {i}" for i in range(max(metrics, 1))],
                      "low": [float(i) for i in range(max(metrics, 1))],
                      "high": [float(i) + hours for i in range(max(metrics, 1))]})
for _ in range(_n("vega_lite_chart")):
    st.vega_lite_chart(chart, SPEC, width="stretch")
tables = [_table(rows, kinds) for rows, kinds in TABLES]
if tables:
    st.dataframe(tables[0], hide_index=True, width="stretch")
row = st.container(horizontal=True)
for i in range(_n("download_button")):
    row.download_button(f"Download {i}", b"a,b\n1,2\n", file_name=f"bare_{i}.csv",
                        mime="text/csv", on_click="ignore", key=f"download_{i}")
for i in range(_n("code")):
    st.code(f"/?country=PAK&duration_hours={hours:g}&i={i}", language=None)
for i in range(captions):
    st.caption(f"Caption {i}")
for i in range(markdown):
    st.markdown(f"Text {i}")
for i in range(_n("info")):
    st.info(f"Note {i}")
expanders = _n("expander")
rest = tables[1:]
for i in range(max(expanders, len(rest))):
    with st.expander(f"Expander {i}") if i < expanders else st.container():
        if i < len(rest):
            st.dataframe(rest[i], hide_index=True, width="stretch")
