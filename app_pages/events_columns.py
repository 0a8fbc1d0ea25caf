"""The Past events page's table columns: widths wide enough for a figure or an hour count
(``8,646 hours``, ``USD 1.23 bn``), a long event name wrapped over two lines, and the
figures right after the names, so that a phone (390 px) shows them without scrolling.
"""

from __future__ import annotations

import streamlit as st

#: width of a column of figures or hours [px]
FIGURE_WIDTH = 96
#: width of the event's name on a narrow screen; a wide one stretches it [px]
NAME_WIDTH = 190
#: the tables' row height: two lines of text, so that a long name wraps [px]
ROW_HEIGHT = 72

FIGURES = ("P50 [USD]", "P5 [USD]", "P95 [USD]", "hours", "hours from", "hours to",
           "total (P50) [USD]", "per day [USD]", "per capita [USD]", "% of GDP",
           "per day (P50) [USD]", "per capita (P50) [USD]", "% of GDP (P50)")


def column_config(extra: dict | None = None) -> dict:
    """Streamlit column settings of a Past events table: figures at `FIGURE_WIDTH`, the
    event's name at `NAME_WIDTH` (wrapped), notes wide, and ``extra`` on top."""
    col = st.column_config
    config = {name: col.TextColumn(width=FIGURE_WIDTH) for name in FIGURES}
    config |= {"rank": col.NumberColumn(width=44),
               "event": col.TextColumn(width=NAME_WIDTH),
               "country": col.TextColumn(width=110), "platform": col.TextColumn(width=100),
               "year": col.TextColumn(width=52),
               "note": col.TextColumn(width="large"), "flag": col.TextColumn(width="medium")}
    return config | (extra or {})
