"""AppTest checks of the Past events page's loss map and events timeline: drawn with the
default filters and for the whole catalogue, a caption and no chart when nothing matches, and
a failure in drawing is a caption, never a broken page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.catalogue.events import load_events

ROOT = Path(__file__).resolve().parents[2]
EVENTS = str(ROOT / "app_pages" / "events.py")
TIMEOUT = 120


def _charts(at: AppTest) -> dict[str, dict]:
    """Title -> spec of every Vega-Lite chart of the page that has a title."""
    out = {}
    for e in at.get("vega_lite_chart"):
        spec = json.loads(e.proto.spec)
        title = spec.get("title")
        if isinstance(title, dict):
            out[title["text"]] = spec
    return out


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_default_filters_show_the_map_and_the_timeline():
    if load_events("PAK", 2024).height == 0:
        pytest.skip("no Pakistan 2024 events in the catalogue")
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    charts = _charts(at)
    assert {"Losses by country", "Events over time"} <= set(charts)
    world = charts["Losses by country"]
    # the shapes stay inline as TopoJSON (Streamlit sends table data apart, not geometry)
    assert world["data"]["format"]["type"] == "topojson"
    assert world["data"]["values"]["type"] == "Topology"
    lookup = next(t for t in world["layer"][1]["transform"] if "lookup" in t)
    assert [r["iso3"] for r in lookup["from"]["data"]["values"]] == ["PAK"]
    text = _captions(at)
    assert "logarithmic scale" in text and "variant `capped`" in text
    assert "Every event of the 1 countries" in text and "The axis spans 2024" in text


def test_whole_catalogue_map_and_top_twelve_timeline():
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT).run()
    at.multiselect(key="ev_countries").set_value([]).run()
    at.slider(key="ev_years").set_value((2016, 2025)).run()
    assert not at.exception and not at.error
    charts = _charts(at)
    lookup = next(t for t in charts["Losses by country"]["layer"][1]["transform"]
                  if "lookup" in t)
    assert len(lookup["from"]["data"]["values"]) > 50
    assert "other countries with" in _captions(at)


def test_every_chart_sends_its_rows_within_its_spec():
    """The ranked events, the map, the timeline and the comparison panels: no rows apart
    from the spec (Streamlit sends those as tables, drawn empty first: "Infinite extent" in
    the browser); the geometry of the map stays the spec's top-level data (Streamlit keeps
    it). Their label limits leave a phone room for the bars."""
    from impact.report import charts

    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    found = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    assert len(found) >= 3
    for e, spec in zip(at.get("vega_lite_chart"), found, strict=True):
        assert not e.proto.data.data and not e.proto.datasets, spec.get("title")
        assert spec.get("data", {}).get("format", {}).get("type") in (None, "topojson")
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    ranked = found[0]  # the first chart of the page: the events by their loss
    [rows] = ranked["layer"]
    assert rows["data"]["values"] and rows["encoding"]["y"]["field"] == "label"
    assert rows["encoding"]["y"]["axis"]["labelLimit"] == charts.container_limit(
        420, share=0.4, least=80)
    panels = [s for s in found if isinstance(s.get("title"), str)]
    assert len(panels) == 3  # per day, per capita, % of GDP
    for panel in panels:
        [rows] = panel["layer"]
        assert len(rows["data"]["values"]) >= 1 and rows["mark"]["type"] == "bar"
        json.dumps(rows["data"]["values"], allow_nan=False)  # NaN is not JSON


def test_no_matching_event_shows_a_caption_and_no_chart():
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT).run()
    at.text_input(key="ev_search").set_value("no such words at all").run()
    assert not at.exception and not at.error
    assert not at.get("vega_lite_chart")
    assert "No map and no timeline" in _captions(at)


def test_events_no_method_costs_show_a_caption_instead_of_the_map():
    if load_events("PAK", 2024, type="platforms").height == 0:
        pytest.skip("no Pakistan 2024 platform blocks in the catalogue")
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT).run()
    at.multiselect(key="ev_types").set_value(["platforms"])
    at.selectbox(key="ev_method").set_value("deloitte2016").run()
    assert not at.exception and not at.error
    charts = _charts(at)
    assert "Losses by country" not in charts
    assert "No map:" in _captions(at)
    assert "Events over time" in charts  # the uncosted events are still on the timeline


def test_a_failure_in_drawing_is_a_caption(monkeypatch):
    from impact.report import event_charts

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(event_charts, "loss_map", broken)
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    assert "could not be drawn" in _captions(at)
    assert len(at.dataframe) >= 1  # the rest of the page is there
