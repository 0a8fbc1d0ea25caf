"""The Estimate page's shareable link: initialising the widgets from a link's query
parameters when a session starts, writing the estimated scenario into the address bar, and
the link with its copy button under the results."""

from __future__ import annotations

import streamlit as st

from app_pages.estimate_query import LINK_READ_KEY, state_from_query
from app_pages.links import absolute, copy_button, read_once, warn_once, write_params

LINK_WARNING_KEY = "_estimate_link_warning"


def state_from_link() -> None:
    """On a session's first visit, initialise the widgets from a scenario link's query
    parameters (before any widget is drawn). A bad link keeps the defaults and says why."""
    read_once(LINK_READ_KEY, LINK_WARNING_KEY, state_from_query, what="scenario")


def link_warning() -> None:
    """Say once why a link's scenario could not be used."""
    warn_once(LINK_WARNING_KEY, "This link's scenario could not be used; showing the "
                                "default scenario instead.")


def write_link(params: dict[str, str]) -> None:
    """Put the estimated scenario into the address bar (only when it changed)."""
    write_params(params)


def draw_share_link(link: str) -> None:
    """The scenario's full link and its copy button."""
    full = absolute(link)
    st.caption("Link to this scenario:")
    st.code(full, language=None)
    st.html(copy_button(full), unsafe_allow_javascript=True)
