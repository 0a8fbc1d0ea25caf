"""The pages' shareable links, one mechanism for every page: the widgets set from a link's
query parameters once per session (before any widget is drawn), a bad link named once and
the defaults kept, the view written into the address bar, and the full link with its copy
button (`assets/copy_link.js`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from html import escape
from typing import Any
from urllib.parse import urljoin

import streamlit as st

from app_pages.static import script
from impact.format import md_text

LOG = logging.getLogger("impact.app")
#: what a page's link reader returns: (widget state, problems in words)
Reader = Callable[[dict[str, str]], tuple[Mapping[str, Any], list[str]]]


def read_once(read_key: str, warning_key: str, reader: Reader, *, what: str,
              failed: str = "the link's parameters could not be read",
              skip_empty: bool = False) -> None:
    """On the session's first run of a page (``read_key`` unset), set the widgets from the
    link's query parameters through ``reader``; its problems wait under ``warning_key`` for
    `warn_once`. A reader that fails keeps the defaults with ``failed`` (``what``: the link's
    name in the log); ``skip_empty``: an address without parameters is not read."""
    s = st.session_state
    if s.get(read_key):
        return
    s[read_key] = True
    params = st.query_params.to_dict()
    if skip_empty and not params:
        return
    try:
        state, problems = reader(params)
    except Exception:  # a link must never break the page
        LOG.exception("reading the %s link %r failed", what, params)
        state, problems = {}, [failed]
    if problems:
        s[warning_key] = list(problems)
    for key, value in state.items():
        s[key] = value


def warn_once(warning_key: str, heading: str | None = None) -> None:
    """Say once which of a link's values could not be used: under ``heading`` (Markdown of
    our own) as a list, or, without one, the problems alone, one per line; each problem is
    escaped (it quotes what the link held)."""
    problems = st.session_state.pop(warning_key, None)
    if not problems:
        return
    if heading is None:
        st.warning("  \n".join(md_text(p) for p in problems))
    else:
        st.warning(f"**{heading}**  \n" + "  \n".join(f"- {md_text(p)}" for p in problems))


def write_params(params: dict[str, str]) -> None:
    """Put ``params`` into the address bar (only when they changed: no needless rerun)."""
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def absolute(link: str) -> str:
    """A link as a full address (relative when the app's address is unknown)."""
    base = st.context.url  # None without a browser session
    return urljoin(base, link) if base else link


def copy_button(link: str, label: str = "Copy link") -> str:
    """A plain button labelled ``label`` and the script (`assets/copy_link.js`) that binds
    its click to putting ``link`` on the clipboard."""
    return (f'<button type="button" class="impact-copy-link" '
            f'data-link="{escape(link, quote=True)}">{escape(label)}</button>\n'
            + script("copy_link.js"))
