"""Monitor page: what a restriction has cost so far, is costing per hour and day, and will
have cost if it lasts longer — from a timeline file, the example case or a watched file.

Only lays out: reading is `app_pages.monitor_read.load_timeline` (the importers when they
are installed, else our CSV), figures are `impact.monitor.costing.monitor`, and what is shown is
`app_pages.monitor_view.monitor_view`, drawn by `app_pages.monitor_results`. The result is
cached by the file's bytes, the cut and the horizons (`app_pages.monitor_cache`: every method
is costed at once, so choosing another method only rebuilds the view, itself cached); the
brief and the CSV are built only when their download is clicked.

The router imports this module once and runs `main` as the page, so the caches and the
watch fragment are defined once; run as a script (``AppTest.from_file``) it runs `main`.
Watching: a fragment re-reads the chosen file every `WATCH_SECONDS` seconds and reruns only
itself; unchanged bytes hit the cache, so nothing is costed again.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from app_pages import monitor_choices as mc
from app_pages.monitor_inputs import draw_source, draw_watched_path
from app_pages.monitor_link import link_warning
from app_pages.monitor_results import show, show_error
from app_pages.monitor_sidebar import draw_controls, init_state
from app_pages.monitor_sources import read_watched
from app_pages.static import style
from impact import ImpactError
from impact.format import md_text

MONEY_CSS = style("monitor.css")


@st.fragment(run_every=mc.WATCH_SECONDS)
def _watch(path_text: str) -> None:
    """Re-read the watched file every `WATCH_SECONDS` s and refresh the figures (reruns
    only this fragment)."""
    try:
        data, name = read_watched(path_text)
    except ImpactError as err:
        show_error(err)
        return
    st.caption(f"Watching {md_text(path_text.strip())}: re-read every {mc.WATCH_SECONDS} s, "
               f"last at {datetime.now(UTC):%H:%M:%S} UTC.")
    show(data, name)


def main() -> None:
    init_state()
    st.html(MONEY_CSS)
    st.title("Monitor")
    st.caption("What a restriction has cost so far, what each further hour and day costs, "
               "and what it will have cost if it lasts longer — hour by hour in the "
               "country's local time. Money is USD at current prices, with local currency "
               "at the official rate beside it.")
    link_warning()
    if st.session_state["mon_source"] == "watch":
        path_text = draw_watched_path()
        try:  # read once here only to start the cut at its end; the fragment re-reads it
            source = read_watched(path_text) if path_text else None
        except ImpactError:
            source = None
        draw_controls(source)
        if path_text:
            _watch(path_text)
        return
    source = draw_source()
    draw_controls(source)
    if source is not None:
        show(*source)


if __name__ == "__main__":
    main()
