"""The Monitor page's cached computations, defined once at import: the costed timeline, what
the page shows of it, and what a file's format takes.
"""

from __future__ import annotations

import streamlit as st

from app_pages.monitor_choices import Options
from app_pages.monitor_read import file_format, format_options, run_monitor, sheet_names
from app_pages.monitor_view import MonitorView, monitor_view


@st.cache_resource(show_spinner=False, max_entries=16)  # the page shows its own status
def monitor_result(data: bytes, name: str, until: str | None, project: str, draws: int,
                   options: Options = ()):
    """`app_pages.monitor_read.run_monitor`, cached by the file's bytes and the choices (a
    resource cache: the frozen result is shared, and only read)."""
    return run_monitor(data, name, until, project, draws, options)


@st.cache_resource(show_spinner=False, max_entries=64)
def page_view(data: bytes, name: str, until: str | None, project: str, draws: int,
              method: str, options: Options = (), zone: str = "local") -> MonitorView:
    """What the page shows of `monitor_result` with ``method`` in front, hours in ``zone``."""
    return monitor_view(monitor_result(data, name, until, project, draws, options), method,
                        zone)


@st.cache_data(show_spinner=False, max_entries=32)
def file_facts(data: bytes, name: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(format detected, options its reader takes, sheets of a workbook) of a file."""
    fmt = file_format(data, name)
    return fmt, format_options(fmt), sheet_names(data, name)
