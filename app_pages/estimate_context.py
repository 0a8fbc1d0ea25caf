"""Estimate page section "Beyond the loss: associations and risk": the panel fits' effects of
the scenario on GDP growth, FDI and unemployment (`impact.associations.scenario_effects`) and
the risk that a new shutdown starts in the country (`impact.associations.risk_outlook`).

Self-contained: ``render_context(scenario, est)`` draws the section wherever it is called.
The econometrics are imported only when it is first drawn, and what it shows is cached per
scenario and day (the year predicted depends on today's date). It never raises: a failure is
logged and shown as a caption.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import polars as pl
import streamlit as st

from impact import Scenario

LOG = logging.getLogger("impact.app")
TITLE = "Beyond the loss: associations and risk"
FAILED = "The associations and the shutdown risk could not be computed for this scenario."


@dataclass(frozen=True)
class ContextView:
    """What the section shows: the effects table (text only), its intro, the risk line and
    the reason for the year predicted."""

    intro: str
    table: pl.DataFrame
    risk: str
    why: str
    note: str


def _scenario_key(scenario: Scenario) -> str:
    return scenario.model_dump_json()


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={Scenario: _scenario_key})
def context_view(scenario: Scenario, _est, today: str) -> ContextView:
    """The section of ``scenario`` (``_est``, its estimate or None, is not hashed: it follows
    from the scenario) on the day ``today`` (ISO date)."""
    from impact import associations as A

    if _est is None:
        from impact.context import build_context

        _est = build_context(scenario)
    effects = A.scenario_effects(_est)
    outlook = A.risk_outlook(scenario.iso3, date.fromisoformat(today))
    return ContextView(A.effects_intro(effects), A.effects_display(effects), outlook.text,
                       outlook.why, A.RISK_NOTE)


def render_context(scenario: Scenario, est) -> None:
    """Draw "Beyond the loss: associations and risk" for ``scenario`` and its estimate (an
    `impact.Estimate`; None resolves the scenario again)."""
    st.subheader(TITLE)
    try:
        view = context_view(scenario, est, date.today().isoformat())
        st.caption(view.intro)
        st.dataframe(view.table, hide_index=True, width="stretch", key="context_effects")
        st.markdown(view.risk)
        st.caption(f"{view.why} {view.note}")
    except Exception:  # this section must never break the page
        LOG.exception("associations and risk failed for %r", scenario)
        st.caption(FAILED)
