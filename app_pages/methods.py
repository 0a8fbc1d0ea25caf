"""Methods & assumptions page: every registered method with its formula and what each of its
symbols is (`impact.methods.terms`, from the methods' inputs and the parameter data), scopes
and citation, then the bundled literature parameters and the platform table (usage per
country and the fitted level)."""

from __future__ import annotations

import streamlit as st

from app_pages.cached import formula_terms
from app_pages.viewmodel import SCOPE_LABELS
from impact.bundled.io import data_version, read_bundled
from impact.methods import REGISTRY
from impact.model.parameters import platform_level

st.title("Methods & assumptions")
st.write(
    "Each method is a published (or documented) formula evaluated on the same scenario. "
    "Its literature coefficients are drawn from their ranges (10,000 Monte Carlo draws), so "
    "every estimate is a median (P50) with a 90 % range (P5–P95). A method that cannot cost "
    "a scenario's scope says so instead of guessing.")

terms = formula_terms(data_version())
for method in REGISTRY.values():
    with st.container(border=True):
        st.subheader(method.title)
        st.caption(f"`{method.name}`")
        st.markdown("**Formula**")
        st.code(method.formula, language=None, wrap_lines=True)
        st.markdown("where\n\n" + "\n".join(t.markdown() for t in terms[method.name]))
        scopes = [SCOPE_LABELS[s] for s in SCOPE_LABELS if s in method.scopes]
        missing = [SCOPE_LABELS[s] for s in SCOPE_LABELS if s not in method.scopes]
        line = "**Scopes:** " + ", ".join(scopes)
        if missing:
            line += f" — not applicable to: {', '.join(missing)}"
        st.markdown(line)
        if method.scope_note:
            st.markdown(f"**Scope note:** {method.scope_note}")
        st.markdown(f"**Source:** {method.citation}")

st.header("Parameters")
st.caption("data/parameters.csv — central value with low and high bounds, unit, distribution "
           "and source. Data inputs (GDP, users, duration) are listed per estimate on the "
           "Estimate page.")
st.dataframe(read_bundled("parameters"), hide_index=True, width="stretch",
             key="parameters_table")

st.header("Platform dependence")
level = platform_level()
st.caption(
    "A platform block takes the share W = min(1, L × (1 − Π(1 − u))) of digital activity: u "
    "is each blocked platform's usage (share of the country's social-media activity on it, "
    "data/platform_weights.csv: StatCounter referral shares; for platforms StatCounter does "
    "not measure, their reach × Facebook's or YouTube's activity per user), L "
    f"the level fitted on published platform-block figures: {level.value:.2g} "
    f"(90 % range {level.low:.2g}–{level.high:.2g}; docs/platforms.md). Every method that "
    "prices platforms reads this one table.")
usage = (read_bundled("platform_weights").pivot(on="platform", index="iso3", values="usage")
         .sort("iso3"))
st.dataframe(usage, hide_index=True, width="stretch", key="platform_table")
