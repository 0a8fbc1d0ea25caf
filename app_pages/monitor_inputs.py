"""Where the Monitor page's timeline comes from: the example case, an upload (kept across
pages), a monitor's answer fetched on request, or the path of a watched file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from app_pages import monitor_choices as mc
from app_pages.monitor_results import show_error
from app_pages.monitor_sources import fetch_export, token_set
from impact import ImpactError
from impact.format import md_text


def _keep_upload() -> None:
    """Keep the uploaded file in session state (the uploader forgets it on another page)."""
    f = st.session_state.get("mon_file")
    st.session_state[mc.UPLOADED_KEY] = (f.name, f.getvalue()) if f is not None else None


def _fetch_form() -> tuple[bytes, str] | None:
    """Fetch the last days of a monitor's answer for a country (`impact.monitor.fetch`); the answer
    is kept in session state and read like an uploaded file."""
    s = st.session_state
    with st.form("mon_fetch_form", border=True):
        c1, c2, c3 = st.columns([2, 2, 1])
        c1.selectbox("Monitor", list(mc.FETCH_SOURCES), format_func=mc.FETCH_SOURCES.get,
                     key="mon_fetch_source")
        c2.text_input("Country", key="mon_fetch_country", placeholder="e.g. PAK or Pakistan")
        c3.number_input("Last … days", min_value=1, max_value=90, step=1,
                        key="mon_fetch_days")
        go = st.form_submit_button("Fetch", icon=":material/download:", key="mon_fetch_go")
    st.caption("Fetching asks the monitor's public API over the network (nothing else on this "
               "page does). Cloudflare Radar needs an API token in the server's "
               "CLOUDFLARE_API_TOKEN: " + ("set." if token_set("cloudflare") else
                                           "not set."))
    if go:
        end = datetime.now(UTC).replace(second=0, microsecond=0)
        start = end - timedelta(days=int(s["mon_fetch_days"]))
        try:
            with st.spinner("Fetching…"):
                s[mc.FETCHED_KEY] = fetch_export(
                    s["mon_fetch_source"], s["mon_fetch_country"], start.isoformat(),
                    end.isoformat())
        except ImpactError as err:
            show_error(err)
            return None
    kept = s.get(mc.FETCHED_KEY)
    if not kept:
        st.info("Choose a monitor and a country, then Fetch.")
        return None
    st.caption(f"Showing the answer fetched as {md_text(kept[0])} ({len(kept[1]):,} bytes).")
    return kept[1], kept[0]


def draw_source() -> tuple[bytes, str] | None:
    """(bytes, name) of the seed case, the uploaded file or the fetched answer (None: nothing
    to show yet)."""
    s = st.session_state
    if s["mon_source"] == "seed":
        try:
            return mc.SEED_CASE.read_bytes(), mc.SEED_CASE.name
        except OSError:
            st.error(f"file: the example {mc.SEED_CASE.name!r} is missing from this "
                     "installation; upload a timeline instead")
            return None
    if s["mon_source"] == "fetch":
        return _fetch_form()
    st.file_uploader("Timeline file (our CSV; a monitor's CSV or JSON export; a workbook)",
                     type=mc.UPLOAD_TYPES, key="mon_file", on_change=_keep_upload)
    kept = s.get(mc.UPLOADED_KEY)
    if not kept:
        st.info("Upload a timeline: one row per restriction with columns start_utc, end_utc, "
                "country, region, asn, scope, platforms, intensity, source; or an IODA, "
                "Cloudflare Radar, OONI or Access Now export.")
        return None
    if s.get("mon_file") is None:
        st.caption(f"Showing the file uploaded earlier: {md_text(kept[0])}.")
    return kept[1], kept[0]


def draw_watched_path() -> str | None:
    st.text_input("File to watch (a path inside the folders this server allows)",
                  key="mon_watch_path", placeholder="e.g. data/live/timeline.csv")
    path_text = st.session_state["mon_watch_path"]
    if not path_text.strip():
        st.info("Type the path of a timeline file; it is re-read every "
                f"{mc.WATCH_SECONDS} s and the figures follow it.")
        return None
    return path_text
