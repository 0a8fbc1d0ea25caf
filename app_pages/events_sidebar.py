"""The Past events page's sidebar: the filter and display widgets, read back as one
`EventFilters`."""

from __future__ import annotations

import streamlit as st

from app_pages.events_filters import (
    ANY_PLATFORM,
    CAP_LABELS,
    NORMALISATION_LABELS,
    OPEN_ENDED_LABELS,
    EventFilters,
    filters_from_state,
)
from app_pages.events_view import NORMALISATIONS
from impact.estimation.ensemble import ENSEMBLE
from impact.estimation.ensemble import title as method_title
from impact.methods import REGISTRY
from impact.model.parameters import PLATFORMS
from impact.vocab import PLATFORM_LABELS, SCOPE_TITLES

#: how the Countries list matches what is typed (case-insensitive substring of the name)
COUNTRY_FILTER_MODE = "contains"
SEARCH_HELP = ("Whole words that must all appear in the event's title, description, places, "
               "cause or platforms (a word of three letters or more also finds longer words "
               "it begins: *elect* finds election). A platform is found under any of its "
               "names: X or Twitter, Facebook or FB; Meta finds Facebook, Instagram and "
               "WhatsApp.")


def _platform_label(platform: str) -> str:
    return "Any" if platform == ANY_PLATFORM else PLATFORM_LABELS[platform]


def draw_filters(names: dict[str, str], span: tuple[int, int],
                 yours: str | None) -> EventFilters:
    """Draw the sidebar's widgets (countries ``names`` by ISO3, years within ``span``) and
    return what they choose, with the digest ``yours`` of the user's events file in use."""
    s = st.session_state
    sb = st.sidebar
    sb.header("Filter events")
    s["ev_countries"] = [c for c in s["ev_countries"] if c in names]
    # typing a name and Enter picks that country: matched as typed (not as scattered
    # letters, which made "Iran" match five names) and no "Select all matches" row first
    sb.multiselect("Countries", list(names), format_func=names.get, key="ev_countries",
                   placeholder="All countries", filter_mode=COUNTRY_FILTER_MODE,
                   select_all=False)
    lo, hi = s["ev_years"]
    s["ev_years"] = (max(span[0], min(lo, span[1])), min(span[1], max(hi, span[0])))
    sb.slider("Years (active)", span[0], span[1], key="ev_years",
              help="Events active at some time in these years; totals count only these "
                   "calendar years.")
    sb.text_input("Search", key="ev_search", placeholder="e.g. election, X, Kashmir",
                  help=SEARCH_HELP)
    sb.multiselect("Type", list(SCOPE_TITLES), format_func=SCOPE_TITLES.get,
                   key="ev_types", placeholder="All types",
                   help="Platforms includes blocks of services that are not costed.")
    sb.selectbox("Platform", [ANY_PLATFORM, *PLATFORMS], key="ev_platform",
                 format_func=_platform_label)
    sb.toggle("Election-related only", key="ev_election")
    sb.header("Show")
    sb.selectbox("Method", [ENSEMBLE, *REGISTRY], format_func=method_title, key="ev_method",
                 help="The headline combines the methods that apply to each event, as the "
                      "Estimate page does (docs/headline.md); or show one method.")
    sb.selectbox("Normalisation", list(NORMALISATIONS), format_func=NORMALISATION_LABELS.get,
                 key="ev_norm")
    sb.radio("Platform blocks longer than a year", list(CAP_LABELS),
             format_func=CAP_LABELS.get, key="ev_variant")
    sb.radio("Events with no end date", list(OPEN_ENDED_LABELS),
             format_func=OPEN_ENDED_LABELS.get, key="ev_open_ended",
             help="The source gives no end date and no duration: cost only what it states "
                  "(the first day), or let those still ongoing run to the data snapshot.")
    return filters_from_state(s, yours)
