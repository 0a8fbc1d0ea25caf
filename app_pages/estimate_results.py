"""The Estimate page's results at the top: where a preset's values come from, the headline
sentence, one card per method and the range chart (a fragment: its log-axis toggle reruns
only the chart)."""

from __future__ import annotations

import streamlit as st

from app_pages.estimate_sidebar import PRESET_NOTE_KEY
from app_pages.estimate_view import EstimateView
from app_pages.viewmodel import estimate_input
from impact import Estimate
from impact.estimation.ensemble import ENSEMBLE
from impact.estimation.ensemble import headline as headline_sentence
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
    """The sentence to quote (the ensemble's, or the chosen method's), why the methods
    differ, and who is in the ensemble."""
    if method == ENSEMBLE:
        st.markdown(f"#### {view.sentence}")
    else:
        st.markdown(f"#### {headline_sentence(est, method)}")
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
    st.vega_lite_chart(spec=charts.range_chart(view.ranges, currency=view.ranges["currency"][0],
                                               log=log), width="stretch")
