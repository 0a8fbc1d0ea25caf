"""The Past events page's shareable link: the widgets initialised from a link's query
parameters when a session starts on this page, the view written into the address bar, and
the link with its "Copy link to this view" button."""

from __future__ import annotations

import streamlit as st

from app_pages.events_query import LINK_READ_KEY, filters_query, state_from_query, view_url
from app_pages.links import absolute, copy_button, read_once, warn_once, write_params

LINK_WARNING_KEY = "_events_link_warning"


def state_from_link(names: dict[str, str], span: tuple[int, int]) -> None:
    """On the session's first visit to this page, set the widgets from the link's query
    parameters (before any widget is drawn); a bad link keeps the defaults and says why."""
    def reader(params: dict[str, str]) -> tuple[dict, list[str]]:
        state, problem = state_from_query(params, names, span)
        return state, [problem] if problem else []

    read_once(LINK_READ_KEY, LINK_WARNING_KEY, reader, what="events", skip_empty=True,
              failed="This link's view could not be read; showing the default view.")


def link_warning() -> None:
    """Say once, in one line, why a link's view could not be used."""
    warn_once(LINK_WARNING_KEY)


def write_link(defaults: dict) -> str:
    """Put the page's non-default choices into the address bar (only when they changed)
    and return the page's relative link."""
    params = filters_query(st.session_state, defaults)
    write_params(params)
    return view_url(params)


def draw_share_link(link: str) -> None:
    """The view's full link and its copy button (`assets/copy_link.js`)."""
    full = absolute(link)
    with st.expander("Link to this view", expanded=False):
        st.caption("These filters and choices as a link (your own events are not in it):")
        st.code(full, language=None)
        st.html(copy_button(full, "Copy link to this view"), unsafe_allow_javascript=True)
