"""The Past events page's shareable link: the widgets initialised from a link's query
parameters when a session starts on this page, the view written into the address bar, and
the link with its "Copy link to this view" button."""

from __future__ import annotations

import logging
from html import escape

import streamlit as st

from app_pages.estimate_link import absolute
from app_pages.events_query import LINK_READ_KEY, filters_query, state_from_query, view_url
from app_pages.static import script
from impact.format import md_text

LOG = logging.getLogger("impact.app")
LINK_WARNING_KEY = "_events_link_warning"


def state_from_link(names: dict[str, str], span: tuple[int, int]) -> None:
    """On the session's first visit to this page, set the widgets from the link's query
    parameters (before any widget is drawn); a bad link keeps the defaults and says why."""
    s = st.session_state
    if s.get(LINK_READ_KEY):
        return
    s[LINK_READ_KEY] = True
    params = st.query_params.to_dict()
    if not params:
        return
    try:
        state, problem = state_from_query(params, names, span)
    except Exception:  # a link must never break the page
        LOG.exception("reading the events link %r failed", params)
        state, problem = {}, "This link's view could not be read; showing the default view."
    if problem:
        s[LINK_WARNING_KEY] = problem
    for key, value in state.items():
        s[key] = value


def link_warning() -> None:
    """Say once, in one line, why a link's view could not be used."""
    problem = st.session_state.pop(LINK_WARNING_KEY, None)
    if problem:
        st.warning(md_text(problem))


def write_link(defaults: dict) -> str:
    """Put the page's non-default choices into the address bar (only when they changed)
    and return the page's relative link."""
    params = filters_query(st.session_state, defaults)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return view_url(params)


def draw_share_link(link: str) -> None:
    """The view's full link and its copy button (`assets/copy_link.js`)."""
    full = absolute(link)
    with st.expander("Link to this view", expanded=False):
        st.caption("These filters and choices as a link (your own events are not in it):")
        st.code(full, language=None)
        st.html(f'<button type="button" class="impact-copy-link" '
                f'data-link="{escape(full, quote=True)}">Copy link to this view</button>\n'
                + script("copy_link.js"), unsafe_allow_javascript=True)
