"""Monitor page: what a restriction has cost so far, is costing per hour and day, and will
have cost if it lasts longer — from a timeline file, the example case or a watched file.

Thin by design: reading is `app_pages.monitor_view.load_timeline` (the importers when they
are installed, else our CSV), figures are `impact.monitor.costing.monitor`, and what is shown is
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
from datetime import UTC, datetime, timedelta

import streamlit as st

from app_pages import monitor_view as mv
from impact import ImpactError
from impact.format import md_text

DRAWS = 2_000
LOG = logging.getLogger("impact.app")
MONEY_CSS = """<style>
[data-testid="stMetricValue"] { font-size: 1.6rem; }
[data-testid="stMetricLabel"] p { white-space: normal; }
[data-testid="stMetricLabel"] div { overflow: visible; }
</style>"""


@st.cache_resource(show_spinner="Costing the timeline hour by hour…", max_entries=16)
def monitor_result(data: bytes, name: str, until: str | None, project: str, draws: int,
                   options: mv.Options = ()):
    """`app_pages.monitor_view.run_monitor`, cached by the file's bytes and the choices (a
    resource cache: the frozen result is shared, and only read)."""
    return mv.run_monitor(data, name, until, project, draws, options)


@st.cache_resource(show_spinner=False, max_entries=64)
def page_view(data: bytes, name: str, until: str | None, project: str, draws: int,
              method: str, options: mv.Options = ()) -> mv.MonitorView:
    """What the page shows of `monitor_result` with ``method`` in front."""
    return mv.monitor_view(monitor_result(data, name, until, project, draws, options), method)


@st.cache_data(show_spinner=False, max_entries=32)
def file_facts(data: bytes, name: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(format detected, options its reader takes, sheets of a workbook) of a file."""
    fmt = mv.file_format(data, name)
    return fmt, mv.format_options(fmt), mv.sheet_names(data, name)


def _init_state() -> None:
    for key, value in mv.MONITOR_DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.copy(value)


def _keep_upload() -> None:
    """Keep the uploaded file in session state (the uploader forgets it on another page)."""
    f = st.session_state.get("mon_file")
    st.session_state[mv.UPLOADED_KEY] = (f.name, f.getvalue()) if f is not None else None


def _options(source: tuple[bytes, str] | None) -> mv.Options:
    """The reader's options from the page's choices (those the file's format takes)."""
    s = st.session_state
    if source is None:
        return ()
    _, accepted, sheets = file_facts(*source)
    choices = {"country": s["mon_country"], "sheet": s["mon_sheet"] if sheets else "",
               **{k: s[f"mon_{k}"] for k in mv.OPTION_WIDGETS}}
    return mv.read_options(choices, accepted, workbook=bool(sheets))


def _cut_defaults(source: tuple[bytes, str] | None) -> None:
    """Start a chosen cut at the timeline's end, again whenever another file is shown."""
    import hashlib

    s = st.session_state
    if s["mon_until_mode"] != "at" or source is None:
        return
    digest = hashlib.sha1(source[0]).hexdigest()
    if s.get("mon_until_for") == digest and "mon_until_date" in s:
        return
    try:
        end = mv.load_timeline(*source, _options(source)).end
    except ImpactError:  # shown by `_show`
        end = datetime.now(UTC)
    s["mon_until_for"] = digest
    s["mon_until_date"], s["mon_until_time"] = end.date(), end.time()


def _reading_controls(source: tuple[bytes, str] | None) -> None:
    """How the file is read: the country, a workbook's sheet, and the options its format
    takes (IODA signal, OONI platform, Radar causes)."""
    sb = st.sidebar
    sb.header("Reading the file")
    sb.text_input("Country", key="mon_country", placeholder="the file's own",
                  help="Keep this country's rows from a file of several countries, or give "
                  "the country of a file about an ASN (ISO3, ISO2 or a name).")
    if source is None:
        return
    fmt, accepted, sheets = file_facts(*source)
    if sheets:
        sb.selectbox("Sheet", ["all", *sheets], key="mon_sheet",
                     format_func=lambda v: "every sheet" if v == "all" else v)
    for key, (label, help_text) in mv.OPTION_WIDGETS.items():
        if key in accepted:
            sb.text_input(label, key=f"mon_{key}", help=help_text, placeholder="default")
    if fmt:
        sb.caption(f"Read as {md_text(fmt)}.")


def _controls(source: tuple[bytes, str] | None) -> None:
    sb = st.sidebar
    sb.header("Timeline")
    labels = mv.source_labels()
    if st.session_state.get("mon_source") not in labels:
        st.session_state["mon_source"] = "seed"
    sb.radio("Source", list(labels), format_func=labels.get, key="mon_source")
    _reading_controls(source)
    sb.header("Figures as of")
    sb.radio("Until", list(mv.UNTIL_MODES), format_func=mv.UNTIL_MODES.get,
             key="mon_until_mode", label_visibility="collapsed",
             help="Rows still on (no end) are costed to this moment; with the file's last "
             "moment they are refused.")
    _cut_defaults(source)
    if st.session_state["mon_until_mode"] == "at":
        c1, c2 = sb.columns(2)
        c1.date_input("Until (UTC date)", key="mon_until_date")
        c2.time_input("Until (UTC time)", key="mon_until_time", step=3600)
    sb.header("Show")
    if st.session_state.get("mon_method") not in mv.method_options():
        st.session_state["mon_method"] = mv.MONITOR_DEFAULTS["mon_method"]
    sb.selectbox("Method", mv.method_options(), format_func=mv.method_title,
                 key="mon_method")
    sb.multiselect("Projection: if it lasts … more", list(mv.HORIZONS), key="mon_horizons",
                   placeholder="Choose horizons")


def _choices() -> tuple[str | None, str]:
    """(until, horizons) for `monitor_result` (until None: the timeline's end)."""
    s = st.session_state
    until = mv.until_choice(s["mon_until_mode"], s.get("mon_until_date"),
                            s.get("mon_until_time"))
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


def _report(result) -> None:
    """What the reader read, kept and refused (refused lines as plain text: they quote the
    file)."""
    rep = mv.read_report(result.timeline)
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


def _render(view: mv.MonitorView, result) -> None:
    st.markdown(view.title)
    badge = "red" if view.current else "green"
    st.markdown(f":{badge}-badge[{view.status_word}] {view.status}")
    _report(result)
    title = mv.method_title(view.method)
    cols = st.columns(3)
    for col, (label, value, note) in zip(cols, (
            (mv.card_label(view.method), view.so_far, view.so_far_range),
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
    if view.cumulative.height:
        chart_title = "headline" if view.method == mv.ENSEMBLE else title  # short on a phone
        st.vega_lite_chart(spec=mv.cumulative_chart_spec(view.cumulative, result.zone,
                                                         chart_title),
                           width="stretch")
    st.vega_lite_chart(spec=mv.intensity_chart_spec(view.intensity, result.zone),
                       width="stretch")
    _downloads(view, result)
    st.subheader("Timeline rows")
    st.dataframe(view.rows, hide_index=True, width="stretch", key="mon_rows_table")
    if view.notes:
        st.info("**Data notes**  \n" + "  \n".join(f"- {md_text(n)}" for n in view.notes))


def _error(err: Exception) -> None:
    """One line in ``st.error``, shown as written (it quotes the file)."""
    text = str(err)
    st.error(md_text(text))
    if "still on" in text:
        st.info("Rows with no end are still on: under Figures as of, choose now or a chosen "
                "moment to cost them so far.")


def _show(data: bytes, name: str) -> None:
    """Cost the file's timeline with the page's choices and show it; a bad file is one
    line in ``st.error``, never a traceback."""
    try:
        until, project = _choices()
        if not project:
            st.info("Choose at least one projection horizon in the sidebar.")
            return
        method = st.session_state["mon_method"]
        options = _options((data, name))
        view = page_view(data, name, until, project, DRAWS, method, options)
        result = monitor_result(data, name, until, project, DRAWS, options)
        _render(view, result)
    except ImpactError as err:
        _error(err)
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
        _error(err)
        return
    st.caption(f"Watching {md_text(path_text.strip())}: re-read every {mv.WATCH_SECONDS} s, "
               f"last at {datetime.now(UTC):%H:%M:%S} UTC.")
    _show(data, name)


def _fetch_form() -> tuple[bytes, str] | None:
    """Fetch the last days of a monitor's answer for a country (`impact.monitor.fetch`); the answer
    is kept in session state and read like an uploaded file."""
    s = st.session_state
    with st.form("mon_fetch_form", border=True):
        c1, c2, c3 = st.columns([2, 2, 1])
        c1.selectbox("Monitor", list(mv.FETCH_SOURCES), format_func=mv.FETCH_SOURCES.get,
                     key="mon_fetch_source")
        c2.text_input("Country", key="mon_fetch_country", placeholder="e.g. PAK or Pakistan")
        c3.number_input("Last … days", min_value=1, max_value=90, step=1,
                        key="mon_fetch_days")
        go = st.form_submit_button("Fetch", icon=":material/download:", key="mon_fetch_go")
    st.caption("Fetching asks the monitor's public API over the network (nothing else on this "
               "page does). Cloudflare Radar needs an API token in the server's "
               "CLOUDFLARE_API_TOKEN: " + ("set." if mv.token_set("cloudflare") else
                                           "not set."))
    if go:
        end = datetime.now(UTC).replace(second=0, microsecond=0)
        start = end - timedelta(days=int(s["mon_fetch_days"]))
        try:
            with st.spinner("Fetching…"):
                s[mv.FETCHED_KEY] = mv.fetch_export(
                    s["mon_fetch_source"], s["mon_fetch_country"], start.isoformat(),
                    end.isoformat())
        except ImpactError as err:
            _error(err)
            return None
    kept = s.get(mv.FETCHED_KEY)
    if not kept:
        st.info("Choose a monitor and a country, then Fetch.")
        return None
    st.caption(f"Showing the answer fetched as {md_text(kept[0])} ({len(kept[1]):,} bytes).")
    return kept[1], kept[0]


def _source() -> tuple[bytes, str] | None:
    """(bytes, name) of the seed case, the uploaded file or the fetched answer (None: nothing
    to show yet)."""
    s = st.session_state
    if s["mon_source"] == "seed":
        try:
            return mv.SEED_CASE.read_bytes(), mv.SEED_CASE.name
        except OSError:
            st.error(f"file: the example {mv.SEED_CASE.name!r} is missing from this "
                     "installation; upload a timeline instead")
            return None
    if s["mon_source"] == "fetch":
        return _fetch_form()
    st.file_uploader("Timeline file (our CSV; a monitor's CSV or JSON export; a workbook)",
                     type=mv.UPLOAD_TYPES, key="mon_file", on_change=_keep_upload)
    kept = s.get(mv.UPLOADED_KEY)
    if not kept:
        st.info("Upload a timeline: one row per restriction with columns start_utc, end_utc, "
                "country, region, asn, scope, platforms, intensity, source; or an IODA, "
                "Cloudflare Radar, OONI or Access Now export.")
        return None
    if s.get("mon_file") is None:
        st.caption(f"Showing the file uploaded earlier: {md_text(kept[0])}.")
    return kept[1], kept[0]


def _watched_path() -> str | None:
    st.text_input("File to watch (a path inside the folders this server allows)",
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
