"""Estimate page context: beside the estimate, the risk that a new shutdown starts in the
country (`impact.catalogue.associations.risk_outlook`), saying which year is predicted and why; further
down, the section "Beyond the loss: associations", the panel fits' effects of the scenario on
GDP growth, FDI and unemployment (`impact.catalogue.associations.scenario_effects`).

Self-contained: ``render_risk(scenario)`` and ``render_context(scenario, est)`` draw their
part wherever they are called. The econometrics are imported only when first drawn; the risk
is cached per country and day (the year predicted depends on today's date), the effects per
scenario (resource caches: frozen views, shared and only read). Neither raises: a failure is logged and shown as a caption.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import polars as pl
import streamlit as st

from app_pages.tables import draw_table
from impact import Scenario
from impact import format as fmt

LOG = logging.getLogger("impact.app")
TITLE = "Beyond the loss: associations"
FAILED = "The associations could not be computed for this scenario."
RISK_FAILED = "The shutdown risk could not be computed for this country."
#: the effects table's columns (three, so that a phone shows them all)
EFFECT_COLUMNS = ("Outcome", "Effect of this scenario (90 % interval)", "Reading")
#: significant figures of an effect [1]: the fits cannot claim more
EFFECT_DIGITS = 2


def signed(value: float | None, digits: int = EFFECT_DIGITS) -> str:
    """A fitted effect for a reader: ``digits`` significant figures and a true minus.

    >>> signed(-0.000571), signed(0.0185), signed(None)
    ('−0.00057', '0.019', '–')
    """
    return fmt.number(value, digits).replace("-", fmt.MINUS)


def outcome_words(label: str) -> str:
    """An outcome's label with its unit in parentheses.

    >>> outcome_words("GDP growth [percentage points of annual growth]")
    'GDP growth (percentage points of annual growth)'
    """
    return label.replace(" [", " (").replace("]", ")")


def effects_table(effects: pl.DataFrame) -> pl.DataFrame:
    """`impact.catalogue.associations.scenario_effects` for people: the outcome, the effect
    with its 90 % interval in percentage points (two significant figures, true minus signs)
    and the reading with its p-value; text only, three columns."""
    rows = []
    for r in effects.iter_rows(named=True):
        if r["status"] != "ok":
            rows.append((outcome_words(r["label"]), fmt.MISSING, r["verdict"]))
            continue
        effect = (f"{signed(r['effect'])} pp ({signed(r['low'])} to {signed(r['high'])})")
        p = fmt.number(r["p_value"], EFFECT_DIGITS)
        rows.append((outcome_words(r["label"]), effect, f"{r['verdict']} (p = {p})"))
    return pl.DataFrame(rows, schema=dict.fromkeys(EFFECT_COLUMNS, pl.String), orient="row")


def samples_text(effects: pl.DataFrame) -> str:
    """The samples the fits come from, in one line (years never cut).

    Each outcome: its country-years, countries and years."""
    parts = [f"{outcome_words(r['label']).split(' (')[0]}: {r['n_obs']:,} country-years, "
             f"{r['n_countries']:,} countries, {r['years']}"
             for r in effects.iter_rows(named=True) if r["status"] == "ok" and r["n_obs"]]
    return ("Fitted on " + "; ".join(parts) + ". pp: percentage points.") if parts else ""


@dataclass(frozen=True)
class ContextView:
    """The effects section: its intro, the effects table (text only) and the samples."""

    intro: str
    table: pl.DataFrame
    samples: str = ""


@dataclass(frozen=True)
class RiskView:
    """The risk beside the estimate: the sentence (country, year, probability, rank), why
    that year is predicted (`impact.catalogue.associations.RiskYear.why`) and what the model is."""

    risk: str
    why: str
    note: str


def _scenario_key(scenario: Scenario) -> str:
    return scenario.model_dump_json()


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={Scenario: _scenario_key})
def context_view(scenario: Scenario, _est) -> ContextView:
    """The effects of ``scenario`` (``_est``, its estimate or None, is not hashed: it follows
    from the scenario)."""
    from impact.catalogue import associations as A

    if _est is None:
        from impact.model.context import build_context

        _est = build_context(scenario)
    effects = A.scenario_effects(_est)
    return ContextView(A.effects_intro(effects), effects_table(effects), samples_text(effects))


@st.cache_resource(show_spinner=False, max_entries=256)
def risk_view(iso3: str, today: str) -> RiskView:
    """The shutdown risk of ``iso3`` on the day ``today`` (ISO date)."""
    from impact.catalogue import associations as A

    outlook = A.risk_outlook(iso3, date.fromisoformat(today))
    return RiskView(outlook.text, outlook.why, A.RISK_NOTE)


def render_risk(scenario: Scenario) -> None:
    """Draw, beside the estimate, the risk that a new shutdown starts in the scenario's
    country: the sentence, then which year is predicted and why, then what the model is."""
    try:
        view = risk_view(scenario.iso3, date.today().isoformat())
        with st.container(border=True):
            st.markdown(view.risk)
            st.caption(view.why)
            st.caption(view.note)
    except Exception:  # the risk must never break the page
        LOG.exception("shutdown risk failed for %r", scenario)
        st.caption(RISK_FAILED)


def render_context(scenario: Scenario, est) -> None:
    """Draw "Beyond the loss: associations" for ``scenario`` and its estimate (an
    `impact.Estimate`; None resolves the scenario again)."""
    st.subheader(TITLE)
    try:
        view = context_view(scenario, est)
        st.caption(view.intro)
        draw_table(view.table, key="effects_table")
        if view.samples:
            st.caption(view.samples)
    except Exception:  # this section must never break the page
        LOG.exception("associations failed for %r", scenario)
        st.caption(FAILED)
