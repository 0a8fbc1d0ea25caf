"""The Monitor page's sidebar: the source, how the file is read, the moment the figures are
as of, the method and the projection horizons.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime

import streamlit as st

from app_pages import monitor_choices as mc
from app_pages.links import absolute
from app_pages.monitor_cache import file_facts
from app_pages.monitor_charts import ZONES
from app_pages.monitor_choices import Options
from app_pages.monitor_link import UPLOAD_NOTE, read_link, write_link
from app_pages.monitor_read import load_timeline, read_options
from impact import ImpactError
from impact.format import md_text


def init_state() -> None:
    """The link's choices on the session's first Monitor run, then the defaults of the rest."""
    read_link()
    for key, value in mc.MONITOR_DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.copy(value)


def reader_options(source: tuple[bytes, str] | None) -> Options:
    """The reader's options from the page's choices (those the file's format takes)."""
    s = st.session_state
    if source is None:
        return ()
    _, accepted, sheets = file_facts(*source)
    choices = {"country": s["mon_country"], "sheet": s["mon_sheet"] if sheets else "",
               **{k: s[f"mon_{k}"] for k in mc.OPTION_WIDGETS}}
    return read_options(choices, accepted, workbook=bool(sheets))


def _cut_defaults(source: tuple[bytes, str] | None) -> None:
    """Start a chosen cut at the timeline's end, again whenever another file is shown."""

    s = st.session_state
    if s["mon_until_mode"] != "at" or source is None:
        return
    digest = hashlib.sha1(source[0]).hexdigest()
    if s.get("mon_until_for") == "link":  # a link's moment holds for its first file
        s["mon_until_for"] = digest
        return
    if s.get("mon_until_for") == digest and "mon_until_date" in s:
        return
    try:
        end = load_timeline(*source, reader_options(source)).end
    except ImpactError:  # shown by `show`
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
    for key, (label, help_text) in mc.OPTION_WIDGETS.items():
        if key in accepted:
            sb.text_input(label, key=f"mon_{key}", help=help_text, placeholder="default")
    if fmt:
        sb.caption(f"Read as {md_text(fmt)}.")


def draw_controls(source: tuple[bytes, str] | None) -> None:
    sb = st.sidebar
    sb.header("Timeline")
    labels = mc.source_labels()
    if st.session_state.get("mon_source") not in labels:
        st.session_state["mon_source"] = "seed"
    sb.radio("Source", list(labels), format_func=labels.get, key="mon_source")
    _reading_controls(source)
    sb.header("Figures as of")
    sb.radio("Figures as of", list(mc.UNTIL_MODES), format_func=mc.UNTIL_MODES.get,
             key="mon_until_mode", label_visibility="collapsed",
             help="Rows still on (no end) are costed to this moment; with the file's last "
             "moment they are refused.")
    _cut_defaults(source)
    if st.session_state["mon_until_mode"] == "at":
        c1, c2 = sb.columns(2)
        c1.date_input("Until (UTC date)", key="mon_until_date")
        c2.time_input("Until (UTC time)", key="mon_until_time", step=3600)
    sb.header("Show")
    if st.session_state.get("mon_method") not in mc.method_options():
        st.session_state["mon_method"] = mc.MONITOR_DEFAULTS["mon_method"]
    sb.selectbox("Method", mc.method_options(), format_func=mc.method_title,
                 key="mon_method")
    sb.multiselect("Projection: if it lasts … more", list(mc.HORIZONS), key="mon_horizons",
                   placeholder="Choose horizons")
    sb.radio("Times in", list(ZONES), format_func=ZONES.get, key="mon_zone", horizontal=True,
             help="The charts' hours and the timeline rows' start and end.")
    _share()


def share_link(params: dict[str, str]) -> str:
    """The Monitor page's link with ``params`` (relative to the app's address).

    >>> share_link({}), share_link({"zone": "utc", "horizons": "1d,30d"})
    ('monitor', 'monitor?zone=utc&horizons=1d,30d')
    """
    from urllib.parse import quote, urlencode

    return "monitor" + ("?" + urlencode(params, safe=",:", quote_via=quote) if params else "")


def _share() -> None:
    """The view's link (its choices are also in the address bar), and what it cannot carry."""
    sb = st.sidebar
    params = write_link()
    sb.header("Share this view")
    sb.code(absolute(share_link(params)), language=None, wrap_lines=True)
    source = st.session_state["mon_source"]
    if source == "upload":
        sb.caption(UPLOAD_NOTE)
    elif source == "watch":
        sb.caption("Watching a file on this server is not carried in a link: the link opens "
                   "the example with the same choices.")
    else:
        sb.caption("The link keeps the source, the times' zone and the choices above.")


def choices() -> tuple[str | None, str]:
    """(until, horizons) for `monitor_result` (until None: the timeline's end)."""
    s = st.session_state
    until = mc.until_choice(s["mon_until_mode"], s.get("mon_until_date"),
                            s.get("mon_until_time"))
    return until, mc.horizons_text(s["mon_horizons"])
