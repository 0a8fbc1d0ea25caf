"""The Past events page's risk panel: the associational model of a new shutdown starting,
fitted only once the panel is opened (a fragment: opening reruns only this panel)."""

from __future__ import annotations

import streamlit as st

from app_pages.events_cache import shutdown_risk
from app_pages.events_display import risk_rows
from impact import ImpactError

NOTE = ("{why} Predicted probability that at least one shutdown starts in {year}, from a logit "
        "of past shutdowns, income, internet use and region (plus politics where bundled). It "
        "describes associations in past data, not causes, and is no forecast of any "
        "government's decision. 90 % interval from the model's standard errors.")


@st.fragment
def draw_risk(version: str, names: dict[str, str], countries: tuple[str, ...]) -> None:
    """The risk model for the year `impact.catalogue.associations.risk_year` chooses (the next one the
    data supports), its title saying which year and, when not the next one, why."""
    from impact.catalogue.associations import risk_year

    outlook = risk_year()
    year = outlook.year
    panel = st.expander(f"Risk of a new shutdown starting in {outlook.short} — associational",
                        key="ev_risk_open", on_change="rerun")
    if not panel.open:
        return
    with panel:
        try:
            with st.spinner("Fitting the risk model…"):
                risk = shutdown_risk(version, year)
        except ImpactError as err:
            st.info(f"The risk model is not available: {err}")
            return
        rows = risk_rows(risk, countries, names)
        st.caption(NOTE.format(why=outlook.why, year=year)
                   + ("" if countries else " No country chosen: the ten highest."))
        if rows.height == 0:
            st.info("No risk estimate for the chosen countries (covariates missing).")
            return
        st.dataframe(rows, hide_index=True, key="risk_table",
                     column_config={"probability [%]": st.column_config.NumberColumn(
                         format="%.0f")})
