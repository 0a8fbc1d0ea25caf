"""The Estimate page's shareable link: initialising the widgets from a link's query
parameters when a session starts, writing the estimated scenario into the address bar, and
the link with its copy button under the results."""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import urljoin

import streamlit as st

from app_pages.estimate_query import LINK_READ_KEY, state_from_query
from app_pages.static import script
from impact.format import md_text

LOG = logging.getLogger("impact.app")
LINK_WARNING_KEY = "_estimate_link_warning"


def state_from_link() -> None:
    """On a session's first visit, initialise the widgets from a scenario link's query
    parameters (before any widget is drawn). A bad link keeps the defaults and says why."""
    if st.session_state.get(LINK_READ_KEY):
        return
    st.session_state[LINK_READ_KEY] = True
    try:
        state, problems = state_from_query(st.query_params.to_dict())
    except Exception:  # a link must never break the page
        LOG.exception("reading the scenario link %r failed", st.query_params.to_dict())
        state, problems = {}, ["the link's parameters could not be read"]
    if problems:
        st.session_state[LINK_WARNING_KEY] = problems
    for key, value in state.items():
        st.session_state[key] = value


def link_warning() -> None:
    """Say once why a link's scenario could not be used."""
    problems = st.session_state.pop(LINK_WARNING_KEY, None)
    if problems:
        st.warning("**This link's scenario could not be used; showing the default scenario "
                   "instead.**  \n" + "  \n".join(f"- {md_text(p)}" for p in problems))


def write_link(params: dict[str, str]) -> None:
    """Put the estimated scenario into the address bar (only when it changed)."""
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def absolute(link: str) -> str:
    """The scenario link as a full address (relative when the app's address is unknown)."""
    base = st.context.url  # None without a browser session
    return urljoin(base, link) if base else link


def copy_button(link: str) -> str:
    """A plain "Copy link" button and the script (`assets/copy_link.js`) that binds its
    click to the clipboard."""
    return (f'<button type="button" class="impact-copy-link" '
            f'data-link="{escape(link, quote=True)}">Copy link</button>\n'
            + script("copy_link.js"))


def draw_share_link(link: str) -> None:
    """The scenario's full link and its copy button."""
    full = absolute(link)
    st.caption("Link to this scenario:")
    st.code(full, language=None)
    st.html(copy_button(full), unsafe_allow_javascript=True)
