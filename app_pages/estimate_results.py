"""The Estimate page's results at the top: where a preset's values come from, the headline
sentence with its plausibility flags, how the figure is made, how to cite it and the
comparison with a kept scenario; one card per method and the range chart (a fragment: its
log-axis toggle reruns only the chart)."""

from __future__ import annotations

import streamlit as st

from app_pages.estimate_cite import draw_citation
from app_pages.estimate_compare import draw_compare
from app_pages.estimate_query import query_url, scenario_query
from app_pages.estimate_sidebar import PRESET_NOTE_KEY
from app_pages.estimate_view import EstimateView
from app_pages.links import absolute
from app_pages.viewmodel import estimate_input
from impact import Estimate
from impact.estimation.ensemble import ENSEMBLE
from impact.estimation.ensemble import headline as headline_sentence
from impact.estimation.plausibility import estimate_flags
from impact.methods import REGISTRY
from impact.report import charts

CARDS_PER_ROW = 3


def draw_preset_note() -> None:
    """Where the preset's values come from, while the scenario is still the preset's."""
    note = st.session_state.get(PRESET_NOTE_KEY)
    if note and note[0] == estimate_input(st.session_state):
        st.info(note[1], icon=":material/history:")
    elif note and note[0] is None:
        st.warning(note[1])


def draw_headline(view: EstimateView, est: Estimate, method: str) -> None:
    """The sentence to quote (the ensemble's, or the chosen method's) with its plausibility
    flags, how the figure is made, how to cite it, the comparison with a kept scenario, why
    the methods differ, and who is in the ensemble."""
    sentence = view.sentence if method == ENSEMBLE else headline_sentence(est, method)
    st.markdown(f"#### {sentence}")
    flags = (view.flags if method == ENSEMBLE
             else tuple(f.text for f in estimate_flags(est, method)))
    if flags:
        st.warning("**Check before quoting**  \n" + "  \n".join(f"- {f}" for f in flags),
                   icon=":material/flag:")
    if view.how:
        st.markdown(view.how)
    link = absolute(query_url(scenario_query(est.scenario, tuple(est.summary["method"]),
                                             method)))
    draw_citation(sentence, link)
    draw_compare(est)
    if view.why:
        st.caption(view.why)
    if method != ENSEMBLE:
        st.caption(f"Headline: {REGISTRY[method].title} alone (chosen in the sidebar). "
                   f"The ensemble instead: {view.sentence}")
    st.caption(view.ensemble_note)
    st.markdown(view.headline)
    st.caption(view.area)
    st.caption(view.data_line)


def draw_cards(view: EstimateView) -> None:
    """One card per method, at most `CARDS_PER_ROW` side by side (a phone stacks them)."""
    cards = list(view.cards)
    for start in range(0, len(cards), CARDS_PER_ROW):
        _card_row(cards[start:start + CARDS_PER_ROW])


def _card_row(cards: list[dict]) -> None:
    for col, card in zip(st.columns(CARDS_PER_ROW), cards, strict=False):
        with col, st.container(border=True, height="stretch"):
            st.metric(card["title"], card["value"],
                      help=REGISTRY[card["method"]].citation)
            if card["status"] == "ok":
                st.markdown(f"**{card['range']}**  \n{card['lines']}")
            if card["reason"]:
                st.caption(card["reason"])


@st.fragment
def draw_range_chart(view: EstimateView) -> None:
    """The ensemble's and each method's P5-P95 bar and P50 dot; the log-axis toggle reruns
    only this fragment."""
    if view.ranges.height == 0:
        return
    log = st.toggle("Logarithmic axis", key="log_scale",
                    help="Useful when the methods differ by orders of magnitude.")
    st.vega_lite_chart(spec=charts.for_app(charts.range_chart(
        view.ranges, currency=view.ranges["currency"][0], log=log)), width="stretch")
