"""Small text tables of the pages, drawn as Markdown: a phone wraps their cells, and drawing
them loads no dataframe library (Streamlit's table element imports one, about 0.3 s on a
server's first page)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import streamlit as st

from impact import format as fmt


def draw_table(frame: pl.DataFrame, key: str, right: Sequence[bool] | None = None) -> None:
    """``frame`` (text cells) as a Markdown table in a container keyed ``key`` (the page's
    styles and tests find it by ``.st-key-<key>``); ``right``: the columns aligned right."""
    with st.container(key=key):
        st.markdown(fmt.md_table(frame.columns, frame.iter_rows(), right))
