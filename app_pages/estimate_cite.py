"""How to cite a figure of the Estimate page: one citation string with the project, its
version (`impact.__version__`), the data version (as ``impact --version`` prints it), the
figure's sentence, the scenario's link and the day it was accessed.

`citation` is pure; `draw_citation` shows it in a small expander.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

#: what the project is called in a citation (as in CITATION.cff)
AUTHORS = "impact contributors"
TITLE = ("impact: open, reproducible estimates of what internet shutdowns, mobile-data "
         "blackouts, throttling and platform blocks cost an economy")


def long_date(day: date) -> str:
    """``7 December 2026``.

    >>> long_date(date(2026, 12, 7))
    '7 December 2026'
    """
    return f"{day.day} {day:%B %Y}"


def citation(sentence: str, link: str, version: str, data_version: str, accessed: date) -> str:
    """The citation of one figure: authors, year accessed, title, version and data version,
    the figure's sentence, the scenario's link and the access date.

    >>> citation("A 10-hour shutdown costs USD 1 m.", "http://x/?country=PAK", "0.1.0",
    ...          "abc123", date(2026, 12, 7))[:44]
    'impact contributors (2026). impact: open, re'
    """
    return (f"{AUTHORS} ({accessed.year}). {TITLE}. Version {version}, data {data_version}. "
            f"Figure: \u201c{sentence}\u201d Scenario: {link}. Accessed {long_date(accessed)}.")


def draw_citation(sentence: str, link: str) -> None:
    """"How to cite this figure": the citation, ready to copy (a code block has a copy
    button)."""
    import impact
    from impact.bundled.io import data_version

    with st.expander("How to cite this figure", icon=":material/format_quote:"):
        st.code(citation(sentence, link, impact.__version__, data_version(), date.today()),
                language=None, wrap_lines=True)
        st.caption("The version and the data version are those `impact --version` prints; "
                   "the link opens this scenario again.")
