"""Charts of one estimate (`impact.report.charts.duration_chart`, `tornado_chart`, `waterfall_chart`)
over the view model's frames (`app_pages.viewmodel`): their specs, their data and offline PNGs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import impact
from impact import vocab
from impact.methods import REGISTRY
from impact.report import chart_frames as cf
from impact.report import charts

DRAWS = 2_000


@pytest.fixture(scope="module")
def scenario():
    return impact.parse_scenario({"country": "Pakistan", "duration_hours": 10})


@pytest.fixture(scope="module")
def est(scenario):
    return impact.estimate(scenario, draws=DRAWS)


@pytest.fixture(scope="module")
def curve(scenario):
    return cf.duration_curve(scenario.model_dump_json(), tuple(REGISTRY))


def _resolved(spec: dict) -> dict:
    """The spec with each named dataset put back as ``data.values`` where it is used."""
    spec = json.loads(json.dumps(spec))
    named = spec.pop("datasets", {})
    for part in [spec, *spec.get("layer", [])]:
        if "name" in part.get("data", {}):
            part["data"] = {"values": named[part["data"]["name"]]}
    return spec


def _layers(chart) -> list[dict]:
    spec = _resolved(chart)
    assert "layer" in spec
    return spec["layer"]


def _mark(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


# ---- the duration grid -----------------------------------------------------------------------
@pytest.mark.parametrize("hours", [1.0, 2.5, 10.0, 72.0, 720.0])
def test_duration_grid_runs_from_one_hour_to_four_times_the_scenario(hours):
    grid = cf.duration_grid(hours)
    assert grid[0] == 1.0
    assert grid[-1] == pytest.approx(max(4 * hours, 4.0), rel=1e-3)
    assert hours in grid
    assert list(grid) == sorted(set(grid))
    assert cf.DURATION_POINTS <= len(grid) <= cf.DURATION_POINTS + 1


@pytest.mark.parametrize(("hours", "top"), [(721.0, 2881.0), (8760.0, 10920.0),
                                            (17_520.0, 19_680.0)])
def test_duration_grid_of_a_long_block_reaches_90_days_past_it(hours, top):
    """A year-long X block is drawn to 10,920 hours (15 months), not to 35,040 (4 years)."""
    grid = cf.duration_grid(hours)
    assert grid[-1] == top and hours in grid
    assert grid[-1] - hours <= cf.DURATION_REACH_HOURS


def test_duration_grid_stays_within_the_longest_scenario():
    from impact.model.scenario import MAX_HOURS

    assert cf.duration_grid(MAX_HOURS)[-1] == MAX_HOURS


def test_duration_curve_is_one_engine_pass_with_one_seed(scenario, monkeypatch):
    from impact.estimation import engine

    calls = []
    real = engine.run

    def spy(scenarios, methods, **kw):
        calls.append((len(scenarios), kw))
        return real(scenarios, methods, **kw)

    monkeypatch.setattr(engine, "run", spy)
    frame = cf.duration_curve.__wrapped__(scenario.model_dump_json(), ("impact", "panel"))
    grid = cf.duration_grid(scenario.hours)
    assert len(calls) == 1
    n, kw = calls[0]
    assert n == len(grid)
    assert len(set(kw["seeds"])) == 1 and kw["draws"] == cf.DURATION_DRAWS
    assert frame.height == 2 * len(grid)
    assert frame["method"].unique(maintain_order=True).to_list() == ["impact", "panel"]


def test_duration_curve_at_the_scenarios_hours_is_the_scenarios_estimate(scenario, curve):
    """Same seed and draws: the grid point at the scenario's own duration is its estimate."""
    alone = impact.estimate(scenario, draws=cf.DURATION_DRAWS)
    p50 = dict(alone.summary.select("method", "loss_p50").iter_rows())
    at = curve.filter(curve["hours"] == scenario.hours)
    assert dict(at.select("method", "p50").iter_rows()) == pytest.approx(p50)


def test_duration_curve_grows_with_the_duration(curve):
    for method, part in curve.group_by("method"):
        p50 = part.sort("hours")["p50"].to_list()
        assert p50 == sorted(p50), method
        assert all(lo <= mid <= hi for lo, mid, hi in part.select("p05", "p50", "p95").rows())


# ---- loss by duration ------------------------------------------------------------------------
def test_duration_chart_lines_band_and_scenario_mark(scenario, curve):
    chart = charts.duration_chart(curve, scenario.hours)
    band, lines, rule, text = _layers(chart)
    assert [_mark(x) for x in (band, lines, rule, text)] == ["area", "line", "rule", "text"]
    grid = cf.duration_grid(scenario.hours)
    # one row per method and grid point; the band only for the headline method
    assert len(lines["data"]["values"]) == len(REGISTRY) * len(grid)
    assert {r["method"] for r in band["data"]["values"]} == {"impact"}
    assert len(band["data"]["values"]) == len(grid)
    assert lines["encoding"]["x"]["field"] == "hours"
    assert lines["encoding"]["y"]["field"] == "p50"
    assert (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == ("p05", "p95")
    assert lines["encoding"]["color"]["field"] == "title"
    assert lines["encoding"]["y"]["axis"]["labelExpr"] == charts.MONEY_LABELS
    assert rule["data"]["values"][0]["hours"] == scenario.hours
    assert "10 hours" in text["data"]["values"][0]["label"]
    spec = _resolved(chart)
    assert spec["title"]["text"] == "Loss by duration"
    assert "width" not in spec  # the container decides


def test_duration_chart_bands_the_first_method_without_the_headline(scenario):
    frame = cf.duration_curve(scenario.model_dump_json(), ("brookings2016", "panel"))
    band = _layers(charts.duration_chart(frame, scenario.hours))[0]
    assert {r["method"] for r in band["data"]["values"]} == {"brookings2016"}


def test_local_currency_reaches_the_axis():
    sc = impact.parse_scenario({"country": "Pakistan", "duration_hours": 10,
                                "currency": "local"})
    frame = cf.duration_curve(sc.model_dump_json(), ("impact",))
    assert set(frame["currency"]) == {"PKR"}
    lines = _layers(charts.duration_chart(frame, sc.hours, currency="PKR"))[1]
    assert lines["encoding"]["y"]["axis"]["title"] == "loss [PKR]"


# ---- tornado ---------------------------------------------------------------------------------
def test_tornado_frame_sorted_by_swing_in_words(est):
    frame, p50 = cf.tornado_frame(est.sensitivity, est.summary, est.conversion, "impact")
    sens = est.sensitivity.filter(est.sensitivity["method"] == "impact")
    assert frame.height == 2 * sens.height
    assert p50 == est.summary.filter(est.summary["method"] == "impact")["loss_p50"][0]
    swings = frame["swing"].to_list()
    assert swings == sorted(swings, reverse=True)
    assert frame["label"][0] == "Digital-economy share of GDP"
    assert not any("_" in label for label in frame["label"])
    assert set(frame["start"]) == {p50}
    ends = {(r["parameter"], r["at"]): r["end"] for r in frame.iter_rows(named=True)}
    for s in sens.iter_rows(named=True):
        assert ends[(s["parameter"], cf.TORNADO_ENDS[0])] == pytest.approx(s["loss_usd_at_p05"])
        assert ends[(s["parameter"], cf.TORNADO_ENDS[1])] == pytest.approx(s["loss_usd_at_p95"])


def test_tornado_chart_spec(est):
    frame, p50 = cf.tornado_frame(est.sensitivity, est.summary, est.conversion, "impact")
    bars, rule = _layers(charts.tornado_chart(frame, p50, title="impact"))
    assert (_mark(bars), _mark(rule)) == ("bar", "rule")
    # the largest swing on top: the inputs are ordered by their rank
    assert bars["encoding"]["y"]["sort"] == {"field": "rank", "op": "min",
                                             "order": "ascending"}
    ranks = {r["label"]: r["rank"] for r in bars["data"]["values"]}
    assert sorted(ranks, key=ranks.get) == \
        frame.sort("rank")["label"].unique(maintain_order=True).to_list()
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("start", "end")
    assert bars["encoding"]["color"]["scale"]["domain"] == list(cf.TORNADO_ENDS)
    assert rule["data"]["values"] == [{"centre": p50}]
    assert len(bars["data"]["values"]) == frame.height


def test_tornado_of_an_uncosted_or_unknown_method_is_empty(est):
    frame, p50 = cf.tornado_frame(est.sensitivity, est.summary, est.conversion, "nope")
    assert frame.height == 0 and p50 == 0.0


def test_every_uncertain_input_has_words():
    """No raw parameter name reaches a chart: every input of every scope has a label."""
    cases = [{"scope": "full"}, {"scope": "mobile"}, {"scope": "throttling", "intensity": 0.5},
             {"scope": "platforms", "platforms": list(vocab.PLATFORM_LABELS)}]
    names = set()
    for extra in cases:
        sc = impact.parse_scenario({"country": "India", "duration_hours": 30,
                                    "start": "2024-02-08T08:00", **extra})
        names |= set(impact.estimate(sc, draws=200).assumptions["parameter"])
    for name in names:
        label = vocab.parameter_label(name)
        assert name in vocab.PARAMETER_LABELS or name.startswith(
            ("platform_weight_", "platform_usage_")), name
        assert "_" not in label and label[0].isupper(), label


# ---- waterfall -------------------------------------------------------------------------------
def test_waterfall_adds_up_to_the_net_loss(est):
    comps = est.components["impact"]
    frame = cf.waterfall_frame(comps, est.conversion)
    assert frame["step"].to_list() == list(cf.WATERFALL_STEPS)
    direct, indirect, recovered, net = frame["amount"].to_list()
    assert direct == pytest.approx(comps["direct"])
    assert indirect == pytest.approx(comps["indirect"])
    assert recovered == pytest.approx(-comps["recovered"])
    assert net == pytest.approx(direct + indirect + recovered)
    # each step starts where the previous ended; the net bar starts at zero
    rows = frame.to_dicts()
    assert rows[1]["start"] == rows[0]["end"] and rows[2]["start"] == rows[1]["end"]
    assert rows[2]["end"] == pytest.approx(net) and rows[3]["start"] == 0.0
    # the central net loss is the method's central loss
    central = est.summary.filter(est.summary["method"] == "impact")["loss_usd_central"][0]
    assert net == pytest.approx(central, rel=1e-9)


def test_waterfall_chart_spec(est):
    frame = cf.waterfall_frame(est.components["impact"], est.conversion)
    chart = charts.waterfall_chart(frame)
    bars, labels, room = _layers(chart)
    assert (_mark(bars), _mark(labels), _mark(room)) == ("bar", "text", "point")
    assert bars["encoding"]["y"]["sort"]["field"] == "order"
    steps = sorted(bars["data"]["values"], key=lambda r: r["order"])
    assert [r["step"] for r in steps] == list(cf.WATERFALL_STEPS)
    values = bars["data"]["values"]
    assert labels["data"] == bars["data"]  # the bars and their labels share the rows
    # room on the right for the amounts written after the longest bar
    assert room["data"]["values"][0]["top"] > max(r["end"] for r in values)
    assert [r["amount_label"] for r in values] == frame["amount_label"].to_list()
    assert labels["encoding"]["text"]["field"] == "amount_label"
    assert bars["encoding"]["x"]["axis"]["labelExpr"] == charts.MONEY_LABELS


def test_waterfall_without_components_is_empty(est):
    assert cf.waterfall_frame({}, est.conversion).height == 0


# ---- what the app is given: rows within the spec, labels that fit a phone --------------------
def _built(scenario, est, curve) -> dict[str, dict]:
    from impact.estimation.ensemble import ensemble_row
    from impact.report.chart_frames import methods_range_frame

    tornado, p50 = cf.tornado_frame(est.sensitivity, est.summary, est.conversion, "impact")
    ranges = methods_range_frame(est.summary, ensemble_row(est))
    return {"duration": charts.duration_chart(curve, scenario.hours),
            "tornado": charts.tornado_chart(tornado, p50, title="impact"),
            "waterfall": charts.waterfall_chart(
                cf.waterfall_frame(est.components["impact"], est.conversion)),
            "range": charts.range_chart(ranges),
            "range_log": charts.range_chart(ranges, log=True)}


def test_no_chart_has_top_level_rows(scenario, est, curve):
    """Streamlit sends a spec's top-level rows apart as a table, drawn empty first ("Infinite
    extent"): every chart's rows are inside its layers, each drawing layer finds them."""
    for name, spec in _built(scenario, est, curve).items():
        assert "data" not in spec and "datasets" not in spec, name

        def drawn(part: dict, rows: bool) -> list[bool]:
            rows = rows or "values" in part.get("data", {})
            if "layer" in part:
                return [x for layer in part["layer"] for x in drawn(layer, rows)]
            return [rows]

        assert all(drawn(spec, False)), name
        assert charts.layers(spec) and all("mark" in x for x in charts.layers(spec)), name
        assert spec["padding"] == charts.PADDING  # room for the title's ascent


def test_range_chart_rows_are_one_layer_around_its_marks(est):
    from impact.estimation.ensemble import ensemble_row
    from impact.report.chart_frames import methods_range_frame

    frame = methods_range_frame(est.summary, ensemble_row(est))
    spec = charts.range_chart(frame)
    [inner] = spec["layer"]
    assert len(inner["data"]["values"]) == frame.height  # one set of rows for every mark
    assert [_mark(x) for x in inner["layer"]] == [_mark(x) for x in charts.layers(spec)]
    assert all("data" not in x for x in inner["layer"])


def test_rows_in_layer_keeps_geometry_and_specs_without_rows():
    geo = {"data": {"values": {"type": "Topology"}, "format": {"type": "topojson"}},
           "layer": [{"mark": "geoshape"}]}
    assert charts.rows_in_layer(json.loads(json.dumps(geo))) == geo
    named = {"data": {"name": "rows"}, "mark": "bar"}
    assert charts.rows_in_layer(dict(named)) == named
    spec = charts.rows_in_layer({"title": "t", "height": 90, "data": {"values": [{"a": 1}]},
                                 "transform": [{"filter": "true"}],
                                 "encoding": {"y": {"field": "a"}}, "mark": "bar"})
    assert spec == {"title": "t", "height": 90, "layer": [{
        "data": {"values": [{"a": 1}]}, "transform": [{"filter": "true"}],
        "mark": "bar", "encoding": {"y": {"field": "a"}}}]}


def test_label_limits_follow_the_container(scenario, est, curve):
    """A phone keeps room for the plot: the duration legend's labels and the tornado's and
    waterfall's input names are limited by the container's width (the layout's fixed limit
    where there is no container, as in a static image)."""
    built = _built(scenario, est, curve)
    lines = charts.layers(built["duration"])[1]
    legend = lines["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == charts.container_limit(
        charts.LEGEND_LABEL_LIMIT, less=charts.LEGEND_SYMBOL_ROOM + charts.LEGEND_AXIS_ROOM)
    assert legend["orient"] == "bottom" and legend["columns"] == 1
    # on a phone a long name goes on two lines (whole) instead of being cut at the limit
    assert legend["labelExpr"] == charts.LEGEND_WRAP
    assert f"containerSize()[0] < {charts.LEGEND_WRAP_BELOW}" in legend["labelExpr"]
    longest = max(len(r["title"]) for r in curve.iter_rows(named=True))
    assert longest > charts.LEGEND_WRAP_CHARS  # the rule has a name to wrap
    for name in ("tornado", "waterfall"):
        axis = charts.layers(built[name])[0]["encoding"]["y"]["axis"]
        assert axis["labelLimit"] == charts.container_limit(170, share=0.4, least=80), name
    limit = charts.container_limit(270, share=0.5, less=10, least=60)["expr"]
    assert "containerSize()[0] * 0.5 - 10, 60, 270" in limit and limit.endswith(": 270")
    assert "width" in limit  # read again when the chart's width changes


def test_label_limits_fall_back_to_the_layout_in_a_static_image(scenario, curve):
    """vl-convert has no container: a limit falls back to its largest value (the layout's)."""
    import re

    def label(spec: dict) -> str:  # the legend's label of the longest method title
        return re.search(r">(COST-[^<]*)</text>", charts.svg(spec)).group(1)

    spec = charts.duration_chart(curve, scenario.hours, width=600)
    assert len(label(spec)) > 30  # 270 px
    legend = charts.layers(spec)[1]["encoding"]["color"]["legend"]
    legend["labelLimit"] = charts.container_limit(60, less=150)
    assert len(label(spec)) < 12  # 60 px (a limit that failed would cut nothing)


# ---- offline rendering and light imports -----------------------------------------------------
@pytest.mark.parametrize("width", [330, 1200])
def test_every_chart_renders_to_png_offline(scenario, est, curve, width):
    tornado, p50 = cf.tornado_frame(est.sensitivity, est.summary, est.conversion, "impact")
    built = [charts.duration_chart(curve, scenario.hours, width=width),
             charts.tornado_chart(tornado, p50, title="impact", width=width),
             charts.waterfall_chart(cf.waterfall_frame(est.components["impact"], est.conversion),
                                    width=width)]
    for chart in built:
        image = charts.png(chart, scale=1)
        assert image[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(image[16:20], "big") >= width  # PNG width from the IHDR chunk


def test_importing_the_charts_or_the_view_model_does_not_import_altair():
    code = ("import sys, impact.report.charts, app_pages.viewmodel; "
            "print([m for m in ('altair', 'vl_convert') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_committed_layouts_are_what_the_build_makes():
    from impact.build import chart_layouts

    assert chart_layouts.stale() == []


def test_every_chart_is_valid_vega_lite(scenario, est, curve):
    """Filled layouts are still valid Vega-Lite, with no slot left unfilled."""
    import altair as alt

    for spec in _built(scenario, est, curve).values():
        alt.LayerChart.from_dict(spec, validate=True)  # raises on a schema error
        assert "@" not in json.dumps({k: v for k, v in spec.items() if k != "layer"})
        # every layer's rows are inline (no named dataset is left to fill)
        assert "datasets" not in spec
        assert all("values" in layer.get("data", {}) for layer in spec["layer"])


# ---- the app's light and dark themes ---------------------------------------------------------
def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rgb`` or ``#rrggbb`` colour [0, 1]."""
    hexa = colour.lstrip("#")
    hexa = "".join(c * 2 for c in hexa) if len(hexa) == 3 else hexa
    channels = [int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_by_hand():
    assert _contrast("#000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the known grey
    assert _luminance("#171614") == pytest.approx(0.00806, abs=1e-4)  # rgb(23, 22, 20)


def test_backgrounds_are_streamlits_and_the_apps():
    assert charts.APP_BACKGROUNDS == {"light": "#ffffff", "dark": "#0e1117",
                                      "app dark": "#171614"}


@pytest.mark.parametrize("colour", sorted(set(charts.APP_COLOURS.values())))
@pytest.mark.parametrize("background", sorted(charts.APP_BACKGROUNDS.values()))
def test_every_app_mark_colour_reads_on_both_backgrounds(colour, background):
    assert _contrast(colour, background) >= 3.0, (colour, background)


def test_the_briefs_own_colours_would_not():
    """The briefs' navy (our method) is what was lost on a dark background."""
    assert _contrast("#1f3b73", charts.APP_BACKGROUNDS["dark"]) < 3
    assert _contrast("#1f3b73", charts.APP_BACKGROUNDS["light"]) >= 3


def _theme_colours(expr: dict) -> tuple[str, str]:
    """The (dark background, light background) colours of a `THEME_TEXT`-like expression."""
    import re

    found = re.fullmatch(r"luminance\(background\) < 0\.5 \? '(#\w+)' : '(#\w+)'", expr["expr"])
    assert found, expr
    return found.group(1), found.group(2)


@pytest.mark.parametrize("expr", [charts.THEME_TEXT, charts.THEME_SUBTITLE])
def test_text_colours_read_on_their_theme(expr):
    on_dark, on_light = _theme_colours(expr)
    assert _contrast(on_light, charts.APP_BACKGROUNDS["light"]) >= 4.5
    for name in ("dark", "app dark"):
        assert _contrast(on_dark, charts.APP_BACKGROUNDS[name]) >= 4.5


def _walk(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, (*path, i))
    else:
        yield path, value


def _colours(spec: dict) -> list[tuple[tuple, str]]:
    """Every literal colour in ``spec`` outside its data, with where it is."""
    import re

    return [(path, v) for path, v in _walk(spec)
            if "data" not in path and isinstance(v, str)
            and (re.fullmatch(r"#[0-9a-fA-F]{3,8}", v) or v in ("black", "white"))]


def test_every_estimate_chart_in_the_app_reads_on_both_backgrounds(scenario, est, curve):
    for name, spec in _built(scenario, est, curve).items():
        app = charts.for_app(json.loads(json.dumps(spec)))
        for path, colour in _colours(app):
            for background in charts.APP_BACKGROUNDS.values():
                assert _contrast(colour, background) >= 3.0, (name, path, colour)
        for mark in charts._all_marks(app):
            if mark.get("type") == "text":  # the theme's text colour, never a fixed one
                assert mark["color"] == charts.THEME_TEXT, (name, mark)
        assert app["config"]["title"]["subtitleColor"] == charts.THEME_SUBTITLE
        assert "color" not in app.get("title", {}) and "subtitleColor" not in app.get("title", {})
        # the Streamlit theme colours the axes and legends: no colour of their own
        for path, _ in _colours(app):
            assert not {"axis", "legend"} & set(map(str, path)), (name, path)


def test_the_briefs_keep_their_look(scenario, est, curve):
    """The builders still give the briefs' colours (dark text on white); only `for_app`
    changes them, and it leaves the data alone."""
    built = _built(scenario, est, curve)
    assert charts.METHOD_COLOURS[0] == "#1f3b73"
    assert "#333" in json.dumps(built["waterfall"]) and "#1f3b73" in json.dumps(built["range"])
    before = json.dumps(built["duration"])
    app = charts.for_app(json.loads(before))
    assert json.loads(before) != app
    assert [layer.get("data") for layer in charts.layers(app)] == [
        layer.get("data") for layer in charts.layers(json.loads(before))]


def test_for_app_gives_outlines_and_legend_boxes_the_background():
    spec = charts.for_app({"layer": [{"mark": {"type": "geoshape", "stroke": "white"},
                                      "encoding": {"color": {"legend": {
                                          "fillColor": "rgba(255,255,255,0.8)"}}}}]})
    layer = spec["layer"][0]
    assert layer["mark"]["stroke"] == {"expr": "background"}
    assert layer["encoding"]["color"]["legend"]["fillColor"] == {"expr": "background"}
