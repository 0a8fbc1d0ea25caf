"""The Monitor page's figures for one timeline: status, what was read, the cost so far, per
hour and per day, the projection, the charts, the downloads and the rows.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from app_pages import monitor_choices as mc
from app_pages.monitor_cache import monitor_result, page_view
from app_pages.monitor_charts import cumulative_chart_spec, intensity_chart_spec
from app_pages.monitor_exports import brief_available, brief_file, hourly_csv
from app_pages.monitor_read import read_report
from app_pages.monitor_sidebar import choices, reader_options
from app_pages.monitor_view import MonitorView
from impact import ImpactError
from impact.errors import TimelineError
from impact.estimation.ensemble import ENSEMBLE
from impact.format import md_text

LOG = logging.getLogger("impact.app")
#: Monte Carlo draws per hour of the timeline on this page
DRAWS = 2_000


def _downloads(view: MonitorView, result) -> None:
    row = st.container(horizontal=True)
    if brief_available():
        row.download_button("Download brief (HTML)",
                            functools.partial(brief_file, "html", result, view.method),
                            file_name=f"{view.stem}_brief.html", mime="text/html",
                            key="mon_brief_html", on_click="ignore",
                            icon=":material/download:")
        row.download_button("Download brief (PDF)",
                            functools.partial(brief_file, "pdf", result, view.method),
                            file_name=f"{view.stem}_brief.pdf", mime="application/pdf",
                            key="mon_brief_pdf", on_click="ignore",
                            icon=":material/download:")
    row.download_button("Download hourly table (CSV)", functools.partial(hourly_csv, result),
                        file_name=f"{view.stem}_hourly.csv", mime="text/csv",
                        key="mon_hourly_csv", on_click="ignore", icon=":material/download:")
    if not brief_available():
        st.caption("The one-page brief (HTML and PDF) is not installed in this version.")


def _report(result) -> None:
    """What the reader read, kept and refused (refused lines as plain text: they quote the
    file)."""
    rep = read_report(result.timeline)
    if rep is None:
        return
    if rep.ongoing:
        st.info(f"{rep.ongoing:,} row{'s' if rep.ongoing != 1 else ''} still on: costed to "
                f"{result.until:%Y-%m-%d %H:%M} UTC.")
    st.caption(md_text(f"Read: {rep.summary}."))
    if rep.needs_until:
        st.warning("Some rows have no end (still on) and were refused: under **Figures as "
                   "of**, choose now or a chosen moment to cost them so far.")
    if rep.refused:
        with st.expander(f"Refused records ({len(rep.refused):,})"):
            st.code("\n".join(rep.refused), language=None, wrap_lines=True)
    if rep.notes:
        with st.expander("How the file was read"):
            st.code("\n".join(rep.notes), language=None, wrap_lines=True)


def draw_result(view: MonitorView, result) -> None:
    st.markdown(view.title)
    badge = "red" if view.current else "green"
    st.markdown(f":{badge}-badge[{view.status_word}] {view.status}")
    _report(result)
    title = mc.method_title(view.method)
    cols = st.columns(3)
    for col, (label, value, note) in zip(cols, (
            (mc.card_label(view.method), view.so_far, view.so_far_range),
            ("Cost per additional hour", view.per_hour, view.per_hour_range),
            ("Cost per additional day", view.per_day, view.per_day_range)), strict=True):
        with col, st.container(border=True, height="stretch"):
            st.metric(label, value)
            if note:
                st.caption(note)
    if view.members:
        st.caption(md_text(view.members))
    st.caption(view.spread)
    with st.expander("Cost so far by every method"):
        st.dataframe(view.methods_table, hide_index=True, width="stretch",
                     key="mon_methods_table")
    st.subheader("Projection")
    if view.projection.height:
        st.dataframe(view.projection, hide_index=True, width="stretch",
                     key="mon_projection_table")
    else:
        st.info(f"{title} does not cost this timeline: choose another method.")
    zone = "UTC" if st.session_state.get("mon_zone") == "utc" else result.zone
    if view.cumulative.height:
        chart_title = "headline" if view.method == ENSEMBLE else title  # short on a phone
        st.vega_lite_chart(spec=cumulative_chart_spec(view.cumulative, zone, chart_title),
                           width="stretch")
    st.vega_lite_chart(spec=intensity_chart_spec(view.intensity, zone), width="stretch")
    _downloads(view, result)
    st.subheader("Timeline rows")
    st.dataframe(view.rows, hide_index=True, width="stretch", key="mon_rows_table",
                 column_config={"Source": st.column_config.TextColumn(width="large")})
    if view.notes:
        st.info("**Data notes**  \n" + "  \n".join(f"- {md_text(n)}" for n in view.notes))


#: the one line shown for a file of no format we read (the formats are listed under it)
UNKNOWN_FORMAT = ("not a file we can read: expected an IODA, Cloudflare Radar, OONI or Access "
                  "Now export (see Help)")


def unknown_format(err: Exception) -> bool:
    """Whether ``err`` says the file is of no format the importers read."""
    return isinstance(err, TimelineError) and getattr(err, "field", "") == "format"


def _formats_help(err: TimelineError) -> None:
    """The formats read, one per line, and what the file looked like."""
    from impact.monitor.importers import DESCRIPTIONS

    with st.expander("Help: the files we read"):
        st.markdown("\n".join(f"- {md_text(v)}" for v in DESCRIPTIONS.values()))
        st.caption(md_text(f"This file: {err.value}. Formats and links: "
                           "docs/monitor_formats.md in the project's repository."))


def show_error(err: Exception) -> None:
    """One line in ``st.error``, shown as written (it quotes the file); a file of no format
    we read is a short line, with the formats under Help."""
    if unknown_format(err):
        where = getattr(err, "where", "")
        st.error(md_text(f"{where}: {UNKNOWN_FORMAT}" if where else UNKNOWN_FORMAT))
        _formats_help(err)
        return
    text = str(err)
    st.error(md_text(text))
    if "still on" in text:
        st.info("Rows with no end are still on: under Figures as of, choose now or a chosen "
                "moment to cost them so far.")


def _costed(data: bytes, name: str, until: str | None, project: str, method: str,
            options: tuple) -> tuple[MonitorView, object]:
    """The view and the result, read and costed under a status line (a large monitor
    export takes seconds; a cached one is shown at once, and the line collapses)."""
    import time

    started = time.perf_counter()
    with st.status(f"Reading {name} and costing it hour by hour…", expanded=False) as box:
        try:
            result = monitor_result(data, name, until, project, DRAWS, options)
            view = page_view(data, name, until, project, DRAWS, method, options,
                             st.session_state.get("mon_zone", "local"))
        except Exception:
            box.update(label=f"{name} could not be read or costed", state="error")
            raise
        seconds = time.perf_counter() - started
        box.update(label=f"Read and costed {name}: {len(result.timeline.rows):,} rows, "
                   f"{seconds:.1f} s", state="complete")
    return view, result


def show(data: bytes, name: str) -> None:
    """Cost the file's timeline with the page's choices and show it; a bad file is one
    line in ``st.error``, never a traceback."""
    try:
        until, project = choices()
        if not project:
            st.info("Choose at least one projection horizon in the sidebar.")
            return
        method = st.session_state["mon_method"]
        options = reader_options((data, name))
        view, result = _costed(data, name, until, project, method, options)
        draw_result(view, result)
    except ImpactError as err:
        show_error(err)
    except Exception as err:  # never a traceback in the app
        LOG.exception("monitor page failed for %r", name)
        st.error(f"Sorry, this timeline could not be costed ({type(err).__name__}). Check "
                 "the file; if it persists, report it.")
