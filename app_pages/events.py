"""Past events page: the bundled shutdown catalogue, filtered, estimated, ranked and compared.

Only lays out: the sidebar gives one `app_pages.events_filters.EventFilters`, the tables and
charts come from `app_pages.events_cache` (computed once per process and data version, so a
new session's first screen is drawn from cached tables), and each panel is its own module.
Only the filtered events are estimated, with fewer draws than the Estimate page so that a few
hundred events take seconds. The chart, the comparison and the risk model are fragments, so
their own widgets rerun only them; the risk model is fitted only when its panel is opened.
"""

from __future__ import annotations

import logging

import streamlit as st

from app_pages.events_cache import DRAWS, catalogue_info, events_screen, filtered_events
from app_pages.events_compare import draw_compare
from app_pages.events_filters import filters_key
from app_pages.events_labels import YOURS_MARK
from app_pages.events_link import draw_share_link, link_warning, state_from_link, write_link
from app_pages.events_ranked import draw_ranked, draw_top_chart
from app_pages.events_risk import draw_risk
from app_pages.events_sidebar import draw_filters
from app_pages.events_totals import draw_totals
from app_pages.events_where import draw_where_and_when
from app_pages.events_yours import draw_your_events
from impact import ImpactError
from impact import format as fmt
from impact.bundled.io import data_version
from impact.catalogue import events as ev
from impact.estimation.ensemble import title as method_title
from impact.format import md_text

LOG = logging.getLogger("impact.app")
INTRO = ("Events of the bundled catalogue (Access Now #KeepItOn and others), estimated with "
         "**{method}** at {draws:,} Monte Carlo draws per event on this page (the Estimate page "
         "uses 10,000), so P5/P95 are a little noisier. An event's preset on the Estimate page "
         "is costed by the same rules (its hours, hours range, share and time weighting), so "
         "its figure differs from this one only by that sampling noise, a few per cent at "
         "most; Past events also counts an event's hours once where other reports cover the "
         "same places and days. Money is USD at current prices of the event year.")


def _with_yours(mine: ev.UserEvents, names: dict, span: tuple[int, int], defaults: dict):
    """The countries, years and defaults widened to the user's own events."""
    starts = mine.events["start"].drop_nulls().dt.year()
    span = (min(span[0], int(starts.min())), max(span[1], int(starts.max())))
    theirs = dict(mine.events.select("iso3", "country").unique("iso3").iter_rows())
    names = dict(sorted({**names, **theirs}.items(), key=lambda kv: str(kv[1])))
    return names, span, defaults | {"ev_years": (defaults["ev_years"][0], span[1])}


def _init_state(defaults: dict, mine: ev.UserEvents | None, last_year: int) -> None:
    s = st.session_state
    for key, value in defaults.items():
        if key not in s:
            s[key] = value
    digest = s.get("ev_yours_digest")
    if mine is not None and s.get("ev_yours_seen") != digest:  # a new upload: show its years
        s["ev_years"] = (s["ev_years"][0], last_year)
        s["ev_yours_seen"] = digest


def main() -> None:
    st.title("Past events")
    version = data_version()
    names, span, defaults = catalogue_info(version)
    mine = draw_your_events()
    if mine is not None:  # the years and countries of your events are offered too
        names, span, defaults = _with_yours(mine, names, span, defaults)
    state_from_link(names, span)
    _init_state(defaults, mine, span[1])
    link_warning()
    yours = st.session_state.get("ev_yours_digest") if mine is not None else None
    filters = draw_filters(names, span, yours)
    link = write_link(defaults)
    title = method_title(filters.method)
    st.caption(INTRO.format(method=title, draws=DRAWS))
    if mine is not None:
        st.caption(f"With **{mine.kept} of your own events** (marked {YOURS_MARK} and origin "
                   "*yours*), costed by the same rules against the catalogue's events of the "
                   "same countries; the catalogue's own figures do not change.")
    n_events = filtered_events(version, filters).height
    if n_events == 0:
        st.info("No event in the catalogue matches these filters. Widen the years, or remove "
                "a country, type, platform, search words or the election filter.")
        st.caption("No map and no timeline: they show the events that match the filters.")
        draw_share_link(link)
        return
    with st.spinner(f"Estimating {n_events} events ({DRAWS:,} draws each)…"):
        screen = events_screen(version, filters)
    view = screen.view
    st.markdown(f"**{view.n_events} events** · {view.costed} costed by {title} · sum of P50s "
                f"{fmt.money(view.total)}")
    if view.costed == 0:
        st.info(f"{title} costs none of these events (see the note column); choose another "
                "method or other filters.")
    draw_ranked(screen, filters)
    draw_top_chart(screen, filters.normalisation, filters_key(filters))
    draw_share_link(link)
    draw_where_and_when(version, filters, view)
    draw_compare(version, filters, view.table, view.labels)
    draw_totals(version, filters)
    draw_risk(version, names, filters.countries)


try:
    main()
except ImpactError as err:
    st.error(md_text(err))
except Exception as err:
    LOG.exception("events page failed")
    st.error(f"Sorry, these events could not be estimated ({type(err).__name__}). Please "
             "change the filters; if it persists, report them.")
