"""The Monitor page's downloads: the timeline's rows as read, the hourly CSV and the brief,
built only when their download is clicked.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from typing import Any

import polars as pl


def rows_table(timeline: Any) -> pl.DataFrame:
    """The timeline's rows, as read."""
    from impact.monitor.timeline import rows_frame

    return rows_frame(timeline)


def hourly_csv(result: Any) -> str:
    """The hourly table (every method's cumulative P5/P50/P95 [USD]) as CSV."""
    return result.hourly.with_columns(
        pl.col("hour_utc").dt.strftime("%Y-%m-%dT%H:%MZ"),
        pl.col("hour_local").dt.strftime("%Y-%m-%dT%H:%M")).write_csv()


def file_stem(result: Any) -> str:
    """``impact_monitor_PAK_20240209T1000Z``."""
    return f"impact_monitor_{result.timeline.iso3}_{result.until:%Y%m%dT%H%MZ}"


def brief_file(kind: str, result: Any, method: str) -> str | bytes:
    """The brief (``html`` or ``pdf``) of ``result``, built when its download is clicked."""
    from impact.report import brief

    return brief.brief_html(result, method=method) if kind == "html" else brief.brief_pdf(
        result, method=method)


def brief_available() -> bool:
    """Whether `impact.report.brief` is installed (checked without importing it)."""
    from importlib.util import find_spec

    return find_spec("impact.report.brief") is not None
