"""The app's CSS and JavaScript, kept as files in ``app_pages/assets/`` and read once per
process."""

from __future__ import annotations

import functools
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"


@functools.cache
def asset(name: str) -> str:
    """The text of ``app_pages/assets/<name>`` (read once)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def style(name: str) -> str:
    """The stylesheet ``name`` as a ``<style>`` block for `st.html`."""
    return f"<style>\n{asset(name)}</style>"


def script(name: str) -> str:
    """The script ``name`` as a ``<script>`` block for `st.html`."""
    return f"<script>\n{asset(name)}</script>"
