"""Methods & assumptions page: each registered method in plain words first (what it does,
what it costs, when it applies, its source: `app_pages.methods_view`), then its formula and
what each of its symbols is (`impact.methods.terms`, from the methods' inputs and the
parameter data); then the bundled literature parameters with their labels and units in
words, and the platform table (usage per country and the fitted level)."""

from __future__ import annotations

import streamlit as st

from app_pages.cached import formula_terms
from app_pages.methods_view import overview, parameters_table
from impact.bundled.io import data_version, read_bundled
from impact.methods import REGISTRY
from impact.model.parameters import platform_level

st.title("Methods & assumptions")
st.write(
    "Each method is a published (or documented) way of costing a shutdown, run on the same "
    "scenario. Its coefficients from the literature are uncertain, so each is drawn from its "
    "range 10,000 times: every estimate is a median (P50) with a 90 % range (P5 to P95). A "
    "method that cannot cost a kind of restriction says so instead of guessing.")

terms = formula_terms(data_version())
for method in REGISTRY.values():
    with st.container(border=True):
        st.subheader(method.title)
        st.markdown(overview(method))
        if method.scope_note:
            st.markdown(f"**How it treats other restrictions:** {method.scope_note}")
        st.markdown("**Formula**")
        st.code(method.formula, language=None, wrap_lines=True)
        st.markdown("where\n\n" + "\n".join(t.markdown() for t in terms[method.name]))
        st.caption(f"Name in files and on the command line: `{method.name}`")

st.header("Parameters")
st.caption("Each coefficient from the literature: its central value with low and high bounds, "
           "its unit, how it is drawn and its source. Data inputs (GDP, users, duration) are "
           "listed per estimate on the Estimate page.")
st.dataframe(parameters_table(read_bundled("parameters")), hide_index=True, width="stretch",
             key="parameters_table")

st.header("Platform dependence")
level = platform_level()
st.caption(
    "A platform block takes the share W = min(1, L × (1 − Π(1 − u))) of digital activity: u "
    "is each blocked platform's usage (share of the country's social-media activity on it, "
    "from StatCounter's referral shares; for platforms StatCounter does not measure, their "
    "reach × Facebook's or YouTube's activity per user), L the level fitted on published "
    f"platform-block figures: {level.value:.2g} (90 % range {level.low:.2g}–"
    f"{level.high:.2g}). Every method that prices platforms reads this one table.")
usage = (read_bundled("platform_weights").pivot(on="platform", index="iso3", values="usage")
         .sort("iso3"))
st.dataframe(usage, hide_index=True, width="stretch", key="platform_table")
