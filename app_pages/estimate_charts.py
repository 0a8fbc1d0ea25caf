"""The Estimate page's charts under the range chart, in tabs: loss by duration, what drives
the range (a tornado of a chosen method) and the parts of the loss. `impact.charts` specs,
built once per scenario and kept in the session (`CHARTS_KEY`); a fragment, so choosing the
tornado's method reruns only this panel."""

from __future__ import annotations

import json
import logging

import streamlit as st

from impact import Estimate, Scenario, charts
from impact.chart_frames import (
    DURATION_DRAWS,
    duration_curve,
    money_basis,
    tornado_frame,
    waterfall_frame,
)
from impact.methods import REGISTRY

LOG = logging.getLogger("impact.app")
#: session state: the chart specs (JSON) of the last scenario shown, with its key
CHARTS_KEY = "_estimate_chart_specs"
#: the method whose P5–P95 band the duration chart shows, and the tornado's default
HEADLINE_METHOD = "impact"
#: the tabs of the charts (short, so that a phone shows all three)
CHART_TABS = ("By duration", "Drivers", "Parts of the loss")


def _memo(scenario: Scenario, methods: tuple[str, ...]) -> dict:
    """The session's chart specs of this scenario and these methods (a new, empty memo when
    either changed): ``{"key": ..., name: spec JSON}``."""
    key = [scenario.model_dump_json(), list(methods)]
    memo = st.session_state.get(CHARTS_KEY)
    if not memo or memo["key"] != key:
        memo = {"key": key}
        st.session_state[CHARTS_KEY] = memo
    return memo


def _spec(memo: dict, name: str, build) -> dict | None:
    """The spec ``name`` of the memo's scenario (built by ``build()`` -> a Vega-Lite dict or
    None, once per scenario), as a fresh dict (Streamlit changes the spec it is given)."""
    if name not in memo:
        spec = build()
        memo[name] = json.dumps(spec) if spec is not None else None
    return json.loads(memo[name]) if memo[name] else None


def _duration_chart(scenario: Scenario, methods: tuple[str, ...], currency: str):
    frame = duration_curve(scenario.model_dump_json(), methods)
    if frame.height == 0:
        return None
    return charts.duration_chart(frame, scenario.hours, band_method=HEADLINE_METHOD,
                                 currency=currency)


def _tornado_chart(est: Estimate, method: str, currency: str):
    frame, p50 = tornado_frame(est.sensitivity, est.summary, method)
    if frame.height == 0:
        return None
    return charts.tornado_chart(frame, p50, currency=currency, title=REGISTRY[method].title)


def _waterfall_chart(est: Estimate, currency: str):
    frame = waterfall_frame(est.components.get(HEADLINE_METHOD, {}), est.summary)
    return charts.waterfall_chart(frame, currency=currency) if frame.height else None


def _show(spec: dict | None, missing: str) -> None:
    if spec is None:
        st.caption(missing)
    else:
        st.vega_lite_chart(spec=spec, width="stretch")


def _drivers(memo: dict, est: Estimate, methods: tuple[str, ...], currency: str) -> None:
    costed = set(est.summary.filter(est.summary["status"] == "ok")["method"].to_list())
    uncertain = set(est.sensitivity["method"].to_list())
    sensitive = [m for m in methods if m in costed and m in uncertain]
    if not sensitive:
        st.caption("No costed method has uncertain inputs here.")
        return
    if st.session_state.get("tornado_method") not in sensitive:
        st.session_state["tornado_method"] = (
            HEADLINE_METHOD if HEADLINE_METHOD in sensitive else sensitive[0])
    method = st.selectbox("Method", sensitive, key="tornado_method",
                          format_func=lambda m: REGISTRY[m].title)
    _show(_spec(memo, f"tornado:{method}", lambda: _tornado_chart(est, method, currency)),
          "This method has no uncertain inputs here.")


@st.fragment
def draw_more_charts(scenario: Scenario, methods: tuple[str, ...], est: Estimate,
                     draws: int) -> None:
    """Loss by duration, the tornado of a chosen method and the impact model's waterfall, in
    tabs (``draws``: those of the figures above, for the caption)."""
    try:
        memo = _memo(scenario, methods)
        currency = money_basis(est.summary.to_dicts())[0]
        by_duration, drivers, parts = st.tabs(list(CHART_TABS))
        with by_duration:
            with st.spinner("Costing other durations…"):
                spec = _spec(memo, "duration",
                             lambda: _duration_chart(scenario, methods, currency))
            _show(spec, "No method costs this scenario.")
            if spec is not None:
                st.caption(f"Each point: {DURATION_DRAWS:,} draws per method, the same "
                           f"seed at every duration (the figures above use {draws:,}).")
        with drivers:
            _drivers(memo, est, methods, currency)
        with parts:
            _show(_spec(memo, "waterfall", lambda: _waterfall_chart(est, currency)),
                  f"Only {REGISTRY[HEADLINE_METHOD].title} splits its loss into parts; "
                  "choose it in the sidebar to see them.")
    except Exception:  # the charts must never break the page
        LOG.exception("estimate charts failed for %r", scenario)
        st.caption("These charts could not be drawn for this scenario.")
