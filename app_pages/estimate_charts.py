"""The Estimate page's charts under the range chart, in tabs: loss by duration, what drives
the range (a tornado of a chosen method) and the parts of the loss. `impact.report.charts` specs,
built once per scenario and process (as JSON: a fresh dict for every rerun); a fragment, so choosing the
tornado's method reruns only this panel."""

from __future__ import annotations

import json
import logging

import streamlit as st

from impact import Estimate, Scenario
from impact.methods import OWN_METHOD, REGISTRY, lead_method
from impact.report import charts
from impact.report.chart_frames import (
    DURATION_DRAWS,
    duration_curve,
    tornado_frame,
    waterfall_frame,
)

LOG = logging.getLogger("impact.app")
#: the tabs of the charts (short, so that a phone shows all three)
CHART_TABS = ("By duration", "Drivers", "Parts of the loss")


@st.cache_data(show_spinner=False, max_entries=512)
def _spec_json(name: str, scenario_json: str, methods: tuple[str, ...], _build) -> str | None:
    """The spec ``name`` of a scenario (its JSON) and methods, built by ``_build()`` -> a
    Vega-Lite dict or None, as JSON: once per process."""
    spec = _build()
    return json.dumps(spec) if spec is not None else None


@st.cache_data(show_spinner="Costing other durations…", max_entries=256)
def _duration_json(scenario_json: str, methods: tuple[str, ...], _build) -> str | None:
    """`_spec_json` of the duration chart (a spinner while the other durations are costed)."""
    spec = _build()
    return json.dumps(spec) if spec is not None else None


def _spec(name: str, scenario: Scenario, methods: tuple[str, ...], build) -> dict | None:
    """The spec ``name`` of the scenario as a fresh dict (Streamlit changes the spec it is
    given)."""
    key = scenario.model_dump_json()
    text = (_duration_json(key, methods, build) if name == "duration"
            else _spec_json(name, key, methods, build))
    return json.loads(text) if text else None


@st.cache_data(show_spinner=False, max_entries=256)
def _currency(scenario_json: str, methods: tuple[str, ...], _est: Estimate) -> str:
    """The output currency of the scenario's figures."""
    return _est.conversion.currency


@st.cache_data(show_spinner=False, max_entries=256)
def _sensitive(scenario_json: str, methods: tuple[str, ...], _est: Estimate) -> list[str]:
    """The chosen methods that cost the scenario and have uncertain inputs."""
    costed = set(_est.summary.filter(_est.summary["status"] == "ok")["method"].to_list())
    uncertain = set(_est.sensitivity["method"].to_list())
    return [m for m in methods if m in costed and m in uncertain]


def _duration_chart(scenario: Scenario, methods: tuple[str, ...], currency: str):
    frame = duration_curve(scenario.model_dump_json(), methods)
    if frame.height == 0:
        return None
    return charts.duration_chart(frame, scenario.hours, band_method=OWN_METHOD,
                                 currency=currency)


def _tornado_chart(est: Estimate, method: str, currency: str):
    frame, p50 = tornado_frame(est.sensitivity, est.summary, est.conversion, method)
    if frame.height == 0:
        return None
    return charts.tornado_chart(frame, p50, currency=currency, title=REGISTRY[method].title)


def _waterfall_chart(est: Estimate, currency: str):
    frame = waterfall_frame(est.components.get(OWN_METHOD, {}), est.conversion)
    return charts.waterfall_chart(frame, currency=currency) if frame.height else None


def _show(spec: dict | None, missing: str) -> None:
    if spec is None:
        st.caption(missing)
    else:
        # the theme's text colours, and mark colours that read on either background
        st.vega_lite_chart(spec=charts.for_app(spec), width="stretch", theme="streamlit")


def _drivers(scenario: Scenario, est: Estimate, methods: tuple[str, ...],
             currency: str) -> None:
    sensitive = _sensitive(scenario.model_dump_json(), methods, est)
    if not sensitive:
        st.caption("No costed method has uncertain inputs here.")
        return
    if st.session_state.get("tornado_method") not in sensitive:
        st.session_state["tornado_method"] = (
            lead_method(sensitive))
    method = st.selectbox("Method", sensitive, key="tornado_method",
                          format_func=lambda m: REGISTRY[m].title)
    _show(_spec(f"tornado:{method}", scenario, methods,
                lambda: _tornado_chart(est, method, currency)),
          "This method has no uncertain inputs here.")


@st.fragment
def draw_more_charts(scenario: Scenario, methods: tuple[str, ...], est: Estimate,
                     draws: int) -> None:
    """Loss by duration, the tornado of a chosen method and the impact model's waterfall, in
    tabs (``draws``: those of the figures above, for the caption)."""
    try:
        currency = _currency(scenario.model_dump_json(), methods, est)
        by_duration, drivers, parts = st.tabs(list(CHART_TABS))
        with by_duration:
            spec = _spec("duration", scenario, methods,
                         lambda: _duration_chart(scenario, methods, currency))
            _show(spec, "No method costs this scenario.")
            if spec is not None:
                st.caption(f"Each point: {DURATION_DRAWS:,} draws per method, the same "
                           f"seed at every duration (the figures above use {draws:,}).")
        with drivers:
            _drivers(scenario, est, methods, currency)
        with parts:
            _show(_spec("waterfall", scenario, methods,
                        lambda: _waterfall_chart(est, currency)),
                  f"Only {REGISTRY[OWN_METHOD].title} splits its loss into parts; "
                  "choose it in the sidebar to see them.")
    except Exception:  # the charts must never break the page
        LOG.exception("estimate charts failed for %r", scenario)
        st.caption("These charts could not be drawn for this scenario.")
