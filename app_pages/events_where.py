"""The Past events page's "Where and when": the loss map and the events timeline of the shown
estimates (specs cached by the filters; drawing them never breaks the page)."""

from __future__ import annotations

import json
import logging

import streamlit as st

from app_pages.events_cache import event_chart_specs
from app_pages.events_filters import EventFilters
from app_pages.events_specs import MAP_FIGURES
from app_pages.events_view import EventsView
from impact import ImpactError
from impact.estimation.ensemble import title as method_title
from impact.format import md_text
from impact.report.charts import for_app

LOG = logging.getLogger("impact.app")


def _map_caption(filters: EventFilters, view: EventsView, title: str) -> str:
    return (f"Each country's colour is {MAP_FIGURES[filters.normalisation]} ({title}, variant "
            f"`{filters.variant}`, {view.costed} costed events), on a logarithmic scale; grey: "
            "no costed event in this selection. The range in the tooltip adds the events' P5 "
            "and P95 (as if their uncertainty moved together). Shapes: Natural Earth 1:110m "
            "(public domain) via world-atlas.")


def _timeline_caption(filters: EventFilters, view: EventsView, title: str) -> str:
    tl = view.timeline
    left = (f" {tl.other_countries} other countries with {tl.other_events:,} events are left "
            "out; choose countries in the sidebar to see them." if tl.other_countries else "")
    lo, hi = filters.years
    span = str(lo) if lo == hi else f"{lo}–{hi}"
    return (f"Every event of the {tl.countries} countries with the largest losses in this "
            f"selection ({title}, variant `{filters.variant}`), one row each, largest first; "
            f"colour: type.{left} Events of one country, type and dates are one mark. The "
            f"axis spans {span}: longer events are cut at its edges. Dates as the catalogue "
            "reports them; the tooltip gives the costed hours and the cost (P50, P5–P95).")


def draw_where_and_when(version: str, filters: EventFilters, view: EventsView) -> None:
    """The loss map and the events timeline, each with its caption."""
    st.subheader("Where and when")
    try:
        world, timeline = event_chart_specs(version, filters)
        title = method_title(filters.method)
        if world is None:
            st.caption(f"No map: {title} costs none of these events.")
        else:
            with st.container(key="ev_map"):
                st.vega_lite_chart(spec=for_app(json.loads(world)), width="stretch")
            st.caption(_map_caption(filters, view, title))
        if timeline is None:
            st.caption("No timeline: no event to show.")
        else:
            with st.container(key="ev_timeline"):
                st.vega_lite_chart(spec=for_app(json.loads(timeline)), width="stretch")
            st.caption(_timeline_caption(filters, view, title))
    except ImpactError as err:  # e.g. the bundled map shapes fail their check: say which
        st.error(md_text(err))
    except Exception:  # the charts must never break the page
        LOG.exception("events map or timeline failed for %r", filters)
        st.caption("The map and the timeline could not be drawn for this selection.")
