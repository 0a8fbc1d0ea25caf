"""AppTest checks of the Estimate page's charts: the range chart and, in tabs under it, loss by
duration, what drives the range and the parts of the loss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from impact.methods import REGISTRY
from impact.report import charts

ROOT = Path(__file__).resolve().parents[2]
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
TIMEOUT = 60
TITLES = ("Loss by duration", "What drives the range", "Direct, indirect, recovered")
TABS = ("By duration", "Drivers", "Parts of the loss")


def _page() -> AppTest:
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def _rows(arrow: bytes) -> list[dict]:
    import pyarrow as pa

    return pa.ipc.open_stream(arrow).read_all().to_pylist()


def _specs(at: AppTest) -> list[dict]:
    """Every chart's Vega-Lite spec, with the data Streamlit sends apart as Arrow (top-level
    inline data, named datasets) put back as ``data.values`` where it is used."""
    out = []
    for e in at.get("vega_lite_chart"):
        spec = json.loads(e.proto.spec)
        if e.proto.data.data:
            spec["data"] = {"values": _rows(e.proto.data.data)}
        named = {d.name: _rows(d.data.data) for d in e.proto.datasets}
        for part in [spec, *spec.get("layer", [])]:
            if "name" in part.get("data", {}):
                part["data"] = {"values": named[part["data"]["name"]]}
        out.append(spec)
    return out


def _titled(at: AppTest, start: str) -> dict:
    found = [s for s in _specs(at) if str(s.get("title", {}).get("text", "")).startswith(start)]
    assert len(found) == 1, [s.get("title") for s in _specs(at)]
    return found[0]


def _inputs(tornado: dict) -> list[str]:
    """The tornado's inputs from top (rank 1, the largest swing) to bottom."""
    assert tornado["layer"][0]["encoding"]["y"]["sort"]["field"] == "rank"
    ranks = {r["label"]: r["rank"] for r in tornado["layer"][0]["data"]["values"]}
    return sorted(ranks, key=ranks.get)


def test_default_page_shows_four_charts_in_tabs():
    at = _page()
    assert not at.error
    assert len(at.get("vega_lite_chart")) >= 4
    assert [t.label for t in at.tabs] == list(TABS)
    for title in TITLES:
        _titled(at, title)


def test_every_chart_sends_its_rows_within_its_spec():
    """Rows Streamlit gets apart from the spec (top-level rows, named datasets) are sent as
    tables and drawn empty first ("Infinite extent" in the browser): none here."""
    at = _page()
    at.toggle(key="log_scale").set_value(True).run()
    assert not at.exception
    found = at.get("vega_lite_chart")
    assert len(found) >= 4
    for e in found:
        spec = json.loads(e.proto.spec)
        assert not e.proto.data.data and not e.proto.datasets, spec.get("title")
        assert "data" not in spec, spec.get("title")
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_duration_chart_has_every_method_and_marks_the_scenario():
    at = _page()
    spec = _titled(at, "Loss by duration")
    lines = spec["layer"][1]["data"]["values"]
    assert {r["method"] for r in lines} == set(REGISTRY)
    assert spec["layer"][2]["data"]["values"][0]["hours"] == 10.0
    at.number_input(key="duration_hours").set_value(48.0).run()
    assert not at.exception
    spec = _titled(at, "Loss by duration")
    assert spec["layer"][2]["data"]["values"][0]["hours"] == 48.0
    assert max(r["hours"] for r in spec["layer"][1]["data"]["values"]) == 192.0


def test_tornado_speaks_in_words_and_follows_the_chosen_method():
    at = _page()
    spec = _titled(at, "What drives the range")
    assert REGISTRY["impact"].title in spec["title"]["text"]
    order = _inputs(spec)
    assert order[0] == "Digital-economy share of GDP"
    assert not any("_" in label for label in order)
    at.selectbox(key="tornado_method").set_value("icrier2018").run()
    assert not at.exception
    spec = _titled(at, "What drives the range")
    assert REGISTRY["icrier2018"].title in spec["title"]["text"]
    assert _inputs(spec) == ["Output elasticity of internet traffic"]


def test_waterfall_ends_at_the_net_loss():
    at = _page()
    spec = _titled(at, "Direct, indirect, recovered")
    rows = {r["step"]: r for r in spec["layer"][0]["data"]["values"]}
    direct, indirect = rows["Direct loss"]["amount"], rows["Indirect (spillover)"]["amount"]
    recovered, net = rows["Recovered later"]["amount"], rows["Net loss"]["amount"]
    assert net == pytest.approx(direct + indirect + recovered)


def test_without_the_impact_model_the_waterfall_says_why():
    at = _page()
    at.multiselect(key="methods").set_value(["brookings2016", "panel"]).run()
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == 3  # ranges, duration, tornado
    captions = " ".join(c.value for c in at.caption)
    assert "splits its loss into parts" in captions
    band = _titled(at, "Loss by duration")["layer"][0]["data"]["values"]
    assert {r["method"] for r in band} == {"brookings2016"}
    assert at.selectbox(key="tornado_method").value == "brookings2016"


def test_local_currency_on_the_money_axes():
    at = _page()
    at.radio(key="currency").set_value("local").run()
    assert not at.exception
    for title, channel in zip(TITLES, ("y", "x", "x"), strict=True):
        axis = _titled(at, title)["layer"][0]["encoding"][channel]["axis"]
        assert "PKR" in axis["title"], (title, axis)


def test_a_rerun_that_changed_nothing_builds_no_chart(monkeypatch):
    at = _page()
    built = []
    for name in ("duration_chart", "tornado_chart", "waterfall_chart"):
        real = getattr(charts, name)
        monkeypatch.setattr(charts, name,
                            lambda *a, _real=real, _name=name, **k: built.append(_name)
                            or _real(*a, **k))
    at.run()
    assert not at.exception
    assert built == []
    assert len(at.get("vega_lite_chart")) >= 4
    at.selectbox(key="tornado_method").set_value("panel").run()
    assert built == ["tornado_chart"]


def test_a_scenario_no_method_costs_shows_no_chart_and_no_error():
    at = _page()
    at.radio(key="scope").set_value("platforms").run()
    at.multiselect(key="platforms").set_value([]).run()  # no platform chosen: nothing costed
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 0


def _literal_colours(value, path=()):
    """Every literal colour (``#rgb``, ``#rrggbb``, black, white) outside a spec's data."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("data", "datasets"):
                yield from _literal_colours(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _literal_colours(v, (*path, i))
    elif isinstance(value, str) and (value.startswith("#") or value in ("black", "white")):
        yield path, value


def test_every_chart_follows_the_theme():
    """In light and dark themes alike: text marks and subtitles take the theme's colours,
    marks only the app's colours (each 3:1 on either background), and no axis, legend or
    title has a colour of its own (Streamlit's theme gives them theirs)."""
    at = _page()
    specs = _specs(at)
    assert len(specs) >= 4
    allowed = set(charts.APP_COLOURS.values())
    for spec in specs:
        name = spec.get("title", {}).get("text")
        assert spec["config"]["title"]["subtitleColor"] == charts.THEME_SUBTITLE, name
        for path, colour in _literal_colours(spec):
            assert colour.lower() in allowed, (name, path, colour)
            assert not {"axis", "legend", "title"} & set(map(str, path)), (name, path)
        for layer in charts.layers(spec) or [spec]:
            mark = layer.get("mark")
            if isinstance(mark, dict) and mark.get("type") == "text":
                assert mark["color"] == charts.THEME_TEXT, (name, mark)
