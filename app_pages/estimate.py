"""Estimate page: describe a shutdown in the sidebar, compare every method's loss at once.

Only lays out: the sidebar is `app_pages.estimate_sidebar`, validation `impact.parse_scenario`,
figures `impact.estimate` and what is shown `app_pages.viewmodel.estimate_view`, both cached
per scenario (`app_pages.cached`: the validated, frozen `Scenario` is the key); each part of
the page is its own module. Every widget has a stable ``key`` so that the AppTest and browser
tests can drive it. Downloads are built only when clicked; the range chart and the charts
under it are fragments (`app_pages.estimate_results`, `app_pages.estimate_charts`).

Shareable links (`app_pages.estimate_link`): each successful estimate writes its non-default
fields into the URL's query parameters; a session that starts from such a link initialises
the widgets from them, or keeps the defaults with a warning when a parameter is wrong.
"""

from __future__ import annotations

import logging

import streamlit as st

from app_pages.cached import page_view, run_estimate, shown_tables
from app_pages.estimate_charts import draw_more_charts
from app_pages.estimate_context import render_context, render_risk
from app_pages.estimate_details import draw_comparison, draw_details, draw_downloads
from app_pages.estimate_link import draw_share_link, link_warning, state_from_link, write_link
from app_pages.estimate_query import query_url
from app_pages.estimate_results import (
    draw_cards,
    draw_headline,
    draw_preset_note,
    draw_range_chart,
)
from app_pages.estimate_sidebar import draw_controls, init_state, link_params
from app_pages.static import style
from app_pages.viewmodel import unestimable_names
from impact import ImpactError, parse_scenario
from impact.format import md_text

DRAWS = 10_000
LOG = logging.getLogger("impact.app")
CSS = style("estimate.css")


def _missing_choice(methods: tuple[str, ...]) -> str | None:
    """Why nothing can be estimated yet (a choice is missing), or None."""
    s = st.session_state
    if not methods:
        return "Choose at least one method in the sidebar."
    if s["scope"] == "platforms" and not s["platforms"]:
        return "Choose one or more blocked platforms in the sidebar, or another scope."
    if s["area_mode"] == "regions" and not s["regions"]:
        return "Choose one or more affected regions in the sidebar, or another affected area."
    return None


def main() -> None:
    state_from_link()
    init_state()
    st.html(CSS)
    st.title("What does an internet shutdown cost?")
    link_warning()
    inputs, methods = draw_controls()
    country = st.session_state["country"]
    if country in unestimable_names():
        st.warning(f"**{country}** cannot be estimated: {unestimable_names()[country]}. "
                   "Choose another country.")
        return
    missing = _missing_choice(methods)
    if missing:
        (st.warning if not methods else st.info)(missing)
        return
    try:
        scenario = parse_scenario(inputs)
        est = run_estimate(scenario, methods, DRAWS)
        view = page_view(scenario, methods, DRAWS)
        tables = shown_tables(scenario, methods, DRAWS)
        params = link_params(scenario, methods)
        draw_preset_note()
        draw_headline(view, est, st.session_state["headline_method"])
        render_risk(scenario)
        st.subheader("Loss by method (median, with 90 % range)")
        draw_cards(view)
        draw_range_chart(view)
        render_context(scenario, est)
        draw_more_charts(scenario, methods, est, DRAWS)
        draw_comparison(tables)
        draw_downloads(view, est)
        draw_share_link(query_url(params))
        draw_details(view, tables)
        write_link(params)
    except ImpactError as err:
        st.error(md_text(err))
    except Exception as err:
        LOG.exception("estimate page failed for %r", inputs)
        st.error(f"Sorry, this scenario could not be estimated ({type(err).__name__}). "
                 "Please change the inputs; if it persists, report the scenario.")


main()
