"""Monitor page: what a restriction has cost so far, is costing per hour and day, and will
have cost if it lasts longer — from a timeline file, the example case or a watched file.

Thin by design: reading is `app_pages.monitor_view.load_timeline` (the importers when they
are installed, else our CSV), figures are `impact.monitor.monitor`, and what is shown is
`app_pages.monitor_view.monitor_view`. The result is cached by the file's bytes, the cut and
the horizons (every method is costed at once, so choosing another method only rebuilds the
view, itself cached); the brief and the CSV are built only when their download is clicked.

The router imports this module once and runs `main` as the page, so the caches and the
watch fragment are defined once; run as a script (``AppTest.from_file``) it runs `main`.
Watching: a fragment re-reads the chosen file every `WATCH_SECONDS` seconds and reruns only
itself; unchanged bytes hit the cache, so nothing is costed again.
"""

from __future__ import annotations

import copy
import functools
import logging
from datetime import UTC, datetime

import streamlit as st

from app_pages import monitor_view as mv
from impact import ImpactError
from impact.methods import REGISTRY

DRAWS = 2_000
LOG = logging.getLogger("impact.app")
MONEY_CSS = """<style>
[data-testid="stMetricValue"] { font-size: 1.6rem; }
[data-testid="stMetricLabel"] p { white-space: normal; }
[data-testid="stMetricLabel"] div { overflow: visible; }
</style>"""


@st.cache_resource(show_spinner="Costing the timeline hour by hour…", max_entries=16)
def monitor_result(data: bytes, name: str, until: str | None, project: str, draws: int):
    """`app_pages.monitor_view.run_monitor`, cached by the file's bytes and the choices (a
    resource cache: the frozen result is shared, and only read)."""
    return mv.run_monitor(data, name, until, project, draws)


@st.cache_resource(show_spinner=False, max_entries=64)
def page_view(data: bytes, name: str, until: str | None, project: str, draws: int,
              method: str) -> mv.MonitorView:
    """What the page shows of `monitor_result` with ``method`` in front."""
    return mv.monitor_view(monitor_result(data, name, until, project, draws), method)


def _init_state() -> None:
    for key, value in mv.MONITOR_DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.copy(value)


def _keep_upload() -> None:
    """Keep the uploaded file in session state (the uploader forgets it on another page)."""
    f = st.session_state.get("mon_file")
    st.session_state[mv.UPLOADED_KEY] = (f.name, f.getvalue()) if f is not None else None


def _cut_defaults(source: tuple[bytes, str] | None) -> None:
    """Start the cut at the timeline's end, again whenever another file is shown."""
    import hashlib

    s = st.session_state
    if not s["mon_cut"] or source is None:
        return
    digest = hashlib.sha1(source[0]).hexdigest()
    if s.get("mon_until_for") == digest and "mon_until_date" in s:
        return
    try:
        end = mv.load_timeline(*source).end
    except ImpactError:  # shown by `_show`
        return
    s["mon_until_for"] = digest
    s["mon_until_date"], s["mon_until_time"] = end.date(), end.time()


def _controls(source: tuple[bytes, str] | None) -> None:
    sb = st.sidebar
    sb.header("Timeline")
    sb.radio("Source", list(mv.SOURCE_LABELS), format_func=mv.SOURCE_LABELS.get,
             key="mon_source")
    sb.header("Show")
    sb.selectbox("Method", list(REGISTRY), format_func=lambda m: REGISTRY[m].title,
                 key="mon_method")
    sb.multiselect("Projection: if it lasts … more", list(mv.HORIZONS), key="mon_horizons",
                   placeholder="Choose horizons")
    sb.toggle("Cut at a chosen moment", key="mon_cut",
              help="Off: the figures are as of the timeline's last moment.")
    _cut_defaults(source)
    if st.session_state["mon_cut"]:
        c1, c2 = sb.columns(2)
        c1.date_input("Until (UTC date)", key="mon_until_date")
        c2.time_input("Until (UTC time)", key="mon_until_time", step=3600)


def _choices() -> tuple[str | None, str]:
    """(until, horizons) for `monitor_result` (until None: the timeline's end)."""
    s = st.session_state
    until = None
    if s["mon_cut"] and "mon_until_date" in s:
        until = mv.until_text(s["mon_until_date"], s.get("mon_until_time"))
    return until, mv.horizons_text(s["mon_horizons"])


def _downloads(view: mv.MonitorView, result) -> None:
    row = st.container(horizontal=True)
    if mv.brief_available():
        row.download_button("Download brief (HTML)",
                            functools.partial(mv.brief_file, "html", result, view.method),
                            file_name=f"{view.stem}_brief.html", mime="text/html",
                            key="mon_brief_html", on_click="ignore",
                            icon=":material/download:")
        row.download_button("Download brief (PDF)",
                            functools.partial(mv.brief_file, "pdf", result, view.method),
                            file_name=f"{view.stem}_brief.pdf", mime="application/pdf",
                            key="mon_brief_pdf", on_click="ignore",
                            icon=":material/download:")
    row.download_button("Download hourly table (CSV)", functools.partial(mv.hourly_csv, result),
                        file_name=f"{view.stem}_hourly.csv", mime="text/csv",
                        key="mon_hourly_csv", on_click="ignore", icon=":material/download:")
    if not mv.brief_available():
        st.caption("The one-page brief (HTML and PDF) is not installed in this version.")


def _render(view: mv.MonitorView, result) -> None:
    st.markdown(view.title)
    badge = "red" if view.current else "green"
    st.markdown(f":{badge}-badge[{view.status_word}] {view.status}")
    title = REGISTRY[view.method].title
    cols = st.columns(3)
    for col, (label, value, note) in zip(cols, (
            (f"Cost so far ({title})", view.so_far, view.so_far_range),
            ("Cost per additional hour", view.per_hour, view.per_hour_range),
            ("Cost per additional day", view.per_day, view.per_day_range)), strict=True):
        with col, st.container(border=True, height="stretch"):
            st.metric(label, value)
            if note:
                st.caption(note)
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
    if view.cumulative.height:
        st.vega_lite_chart(view.cumulative, mv.cumulative_chart_spec(result.zone, title),
                           width="stretch")
    st.vega_lite_chart(view.intensity, mv.intensity_chart_spec(result.zone), width="stretch")
    _downloads(view, result)
    st.subheader("Timeline rows")
    st.dataframe(view.rows, hide_index=True, width="stretch", key="mon_rows_table")
    if view.notes:
        st.info("**Data notes**  \n" + "  \n".join(f"- {n}" for n in view.notes))


def _show(data: bytes, name: str) -> None:
    """Cost the file's timeline with the page's choices and show it; a bad file is one
    line in ``st.error``, never a traceback."""
    try:
        until, project = _choices()
        if not project:
            st.info("Choose at least one projection horizon in the sidebar.")
            return
        method = st.session_state["mon_method"]
        view = page_view(data, name, until, project, DRAWS, method)
        result = monitor_result(data, name, until, project, DRAWS)
        _render(view, result)
    except ImpactError as err:
        st.error(str(err))
    except Exception as err:  # never a traceback in the app
        LOG.exception("monitor page failed for %r", name)
        st.error(f"Sorry, this timeline could not be costed ({type(err).__name__}). Check "
                 "the file; if it persists, report it.")


@st.fragment(run_every=mv.WATCH_SECONDS)
def _watch(path_text: str) -> None:
    """Re-read the watched file every `WATCH_SECONDS` s and refresh the figures (reruns
    only this fragment)."""
    try:
        data, name = mv.read_watched(path_text)
    except ImpactError as err:
        st.error(str(err))
        return
    st.caption(f"Watching `{path_text.strip()}`: re-read every {mv.WATCH_SECONDS} s, last at "
               f"{datetime.now(UTC):%H:%M:%S} UTC.")
    _show(data, name)


def _source() -> tuple[bytes, str] | None:
    """(bytes, name) of the seed case or the uploaded file (None: nothing to show yet)."""
    s = st.session_state
    if s["mon_source"] == "seed":
        try:
            return mv.SEED_CASE.read_bytes(), mv.SEED_CASE.name
        except OSError:
            st.error(f"file: the example {mv.SEED_CASE.name!r} is missing from this "
                     "installation; upload a timeline instead")
            return None
    st.file_uploader("Timeline file (our CSV, or a monitor's CSV or JSON export)",
                     type=["csv", "json"], key="mon_file", on_change=_keep_upload)
    kept = s.get(mv.UPLOADED_KEY)
    if not kept:
        st.info("Upload a timeline: one row per restriction with columns start_utc, end_utc, "
                "country, region, asn, scope, platforms, intensity, source.")
        return None
    if s.get("mon_file") is None:
        st.caption(f"Showing the file uploaded earlier: `{kept[0]}`.")
    return kept[1], kept[0]


def _watched_path() -> str | None:
    st.text_input("File to watch (a path inside the app's working directory)",
                  key="mon_watch_path", placeholder="e.g. data/live/timeline.csv")
    path_text = st.session_state["mon_watch_path"]
    if not path_text.strip():
        st.info("Type the path of a timeline file; it is re-read every "
                f"{mv.WATCH_SECONDS} s and the figures follow it.")
        return None
    return path_text


def main() -> None:
    _init_state()
    st.html(MONEY_CSS)
    st.title("Monitor")
    st.caption("What a restriction has cost so far, what each further hour and day costs, "
               "and what it will have cost if it lasts longer — hour by hour in the "
               "country's local time. Money is USD at current prices, with local currency "
               "at the official rate beside it.")
    if st.session_state["mon_source"] == "watch":
        path_text = _watched_path()
        try:  # read once here only to start the cut at its end; the fragment re-reads it
            source = mv.read_watched(path_text) if path_text else None
        except ImpactError:
            source = None
        _controls(source)
        if path_text:
            _watch(path_text)
        return
    source = _source()
    _controls(source)
    if source is not None:
        _show(*source)


if __name__ == "__main__":
    main()
