"""The Past events page's loss map and events timeline: their frames
(`app_pages.events_view.country_frame`, `timeline_frame`), their Vega-Lite specs
(`impact.report.event_charts`) and offline PNGs."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys

import polars as pl
import pytest

from app_pages.events_view import (
    country_frame,
    events_table,
    map_titles,
    timeline_frame,
)
from impact.catalogue.events import estimate_events, load_events
from impact.report import charts, event_charts
from impact.vocab import SCOPE_TITLES


def _table(rows: list[dict]) -> pl.DataFrame:
    """A hand-made `events_table` (only the columns the frames read)."""
    return pl.DataFrame(rows, schema={
        "event": pl.String, "country": pl.String, "start": pl.Date, "end": pl.Date,
        "scope": pl.String, "hours": pl.Float64, "P50 [USD]": pl.Float64,
        "P5 [USD]": pl.Float64, "P95 [USD]": pl.Float64, "per capita (P50) [USD]": pl.Float64,
        "status": pl.String, "note": pl.String, "id": pl.String, "rank": pl.Int64})


D = dt.date
HAND = [  # (id, iso3, start, end, scope, hours, p05, p50, p95, status)
    ("a", "PAK", D(2024, 2, 8), D(2024, 2, 8), "mobile", 13.0, 9e6, 2e7, 4e7, "ok"),
    ("b", "PAK", D(2024, 2, 17), D(2025, 5, 7), "platforms", 8760.0, 5e7, 1.8e8, 5e8, "ok"),
    ("c", "IND", D(2024, 1, 1), D(2024, 1, 3), "full", 72.0, 1e8, 3e8, 6e8, "ok"),
    ("d", "IND", D(2024, 1, 1), D(2024, 1, 3), "full", 72.0, 1e7, 2e7, 4e7, "ok"),
    ("e", "IRN", D(2024, 3, 1), D(2024, 3, 1), "platforms_other", 24.0, None, None, None,
     "not_applicable"),
    ("f", "MMR", D(2024, 5, 1), D(2024, 5, 2), "throttling", 48.0, 1e6, 5e6, 9e6, "ok"),
]


@pytest.fixture(scope="module")
def hand():
    table = _table([{"event": f"event {i}", "country": f"name of {iso3}", "start": s,
                     "end": e, "scope": scope, "hours": h, "P50 [USD]": p50, "P5 [USD]": p05,
                     "P95 [USD]": p95, "per capita (P50) [USD]": None if p50 is None
                     else p50 / 1e8, "status": st, "note": None if st == "ok"
                     else "blocked services are not costed", "id": i, "rank": None}
                    for i, iso3, s, e, scope, h, p05, p50, p95, st in HAND])
    events = pl.DataFrame({"event_id": [r[0] for r in HAND], "iso3": [r[1] for r in HAND]})
    return table, events


def test_a_countrys_figure_is_its_summed_p50(hand):
    table, events = hand
    frame = country_frame(table, events)
    by = {r["iso3"]: r for r in frame.to_dicts()}
    assert set(by) == {"PAK", "IND", "MMR"}  # IRN: no costed event; others: no event
    assert by["PAK"]["value"] == by["PAK"]["p50"] == 2e7 + 1.8e8
    assert by["PAK"]["p05"] == 5.9e7 and by["PAK"]["p95"] == 5.4e8
    assert by["IND"]["value"] == 3.2e8 and by["IND"]["n_events"] == 2
    assert by["PAK"]["hours"] == 8773.0
    assert frame["iso3"].to_list() == ["IND", "PAK", "MMR"]  # largest first
    assert by["PAK"]["country"] == "Pakistan"  # our country table's name
    assert by["PAK"]["loss_text"] == "USD 200 m (USD 59 m – 540 m)"
    assert by["PAK"]["hours_text"] == "8,773 hours"
    assert by["PAK"]["events_text"] == "2 costed"


def test_normalised_country_figures(hand):
    table, events = hand
    per_capita = {r["iso3"]: r["value"] for r in country_frame(table, events,
                                                               "per_capita").to_dicts()}
    assert per_capita["PAK"] == pytest.approx((2e7 + 1.8e8) / 1e8)
    per_day = {r["iso3"]: r["value"] for r in country_frame(table, events, "per_day").to_dicts()}
    assert per_day["IND"] == pytest.approx(3.2e8 / 6.0)  # 144 hours = 6 days
    with pytest.raises(ValueError, match="'weekly'"):
        country_frame(table, events, "weekly")


def test_timeline_keeps_the_top_n_countries_by_loss(hand):
    table, events = hand
    tl = timeline_frame(table, events, top_n=2)
    assert tl.countries == 2 and tl.other_countries == 2 and tl.other_events == 2
    assert tl.rows.select("country", "rank").unique().sort("rank").rows() == [
        ("India", 1), ("Pakistan", 2)]
    # India's two reports of the same days and type are one mark
    india = tl.rows.filter(pl.col("iso3") == "IND").to_dicts()
    assert len(india) == 1 and india[0]["n"] == 2 and india[0]["p50"] == 3.2e8
    assert india[0]["title"] == "2 events, e.g. event c"
    assert india[0]["start"] == "2024-01-01" and india[0]["end"] == "2024-01-04"
    assert india[0]["dates"] == "2024-01-01 – 2024-01-03" and not india[0]["one_day"]
    pak = {r["type"]: r for r in tl.rows.filter(pl.col("iso3") == "PAK").to_dicts()}
    assert pak["mobile"]["one_day"] and pak["mobile"]["dates"] == "2024-02-08"
    assert pak["platforms"]["type_label"] == SCOPE_TITLES["platforms"]


def test_timeline_lists_uncosted_events_and_maps_other_services_to_platforms(hand):
    table, events = hand
    tl = timeline_frame(table, events, top_n=10)
    assert tl.countries == 4 and tl.other_countries == 0
    iran = tl.rows.filter(pl.col("iso3") == "IRN").to_dicts()
    assert iran[0]["type"] == "platforms" and iran[0]["p50"] is None
    assert iran[0]["cost_text"] == "not costed: blocked services are not costed"
    assert iran[0]["rank"] == 4  # after every country with a costed event


def test_empty_selection_gives_empty_frames(hand):
    table, events = hand
    empty = table.clear()
    assert country_frame(empty, events).height == 0
    tl = timeline_frame(empty, events)
    assert tl.rows.height == 0 and tl.countries == 0


# ---- specs -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pakistan():
    events = load_events("PAK", 2024)
    if events.height == 0:
        pytest.skip("no Pakistan 2024 events in the catalogue")
    estimates = estimate_events(events, ["impact"], draws=200)
    table = events_table(estimates, events, method="impact")
    return table, events


def test_map_spec_joins_the_shapes_to_the_rows(pakistan):
    table, events = pakistan
    frame = country_frame(table, events)
    spec = event_charts.loss_map(frame, legend_title=map_titles("total")[0])
    assert spec["projection"]["type"] == "equalEarth"
    assert spec["data"]["format"] == {"type": "topojson", "feature": "countries"}
    assert spec["data"]["values"]["type"] == "Topology"  # the geometry is inline
    assert spec["autosize"]["type"] == "fit-x"
    grey, coloured = spec["layer"]
    assert grey["mark"]["fill"] == event_charts.NO_DATA_COLOUR
    lookup = next(t for t in coloured["transform"] if "lookup" in t)
    assert lookup["lookup"] == "properties.iso3"
    rows = lookup["from"]["data"]["values"]
    assert [r["iso3"] for r in rows] == ["PAK"]
    ok = table.filter(pl.col("status") == "ok")
    assert rows[0]["value"] == pytest.approx(ok["P50 [USD]"].sum())
    assert coloured["encoding"]["color"]["scale"]["type"] == "log"
    assert "datasets" not in spec


def test_timeline_spec_rows_and_layers(pakistan):
    table, events = pakistan
    tl = timeline_frame(table, events)
    spec = event_charts.events_timeline(tl.rows, years=(2024, 2024))
    assert "data" not in spec  # rows in a layer: Streamlit leaves them in the spec
    [rows] = spec["layer"]
    bars, ticks = rows["layer"]
    assert bars["mark"]["type"] == "bar" and ticks["mark"]["type"] == "tick"
    assert "data" not in bars and "data" not in ticks  # one dataset for both layers
    assert len(rows["data"]["values"]) == tl.rows.height
    domain = {"expr": "[utc(2024, 0, 1), utc(2025, 0, 1)]"}
    assert bars["encoding"]["x"]["scale"]["domain"] == ticks["encoding"]["x"]["scale"]["domain"]
    assert bars["encoding"]["x"]["scale"]["domain"] == domain
    colours = bars["encoding"]["color"]["scale"]
    assert colours["domain"] == list(SCOPE_TITLES.values())
    assert spec["autosize"]["type"] == "fit-x"


def test_map_and_timeline_say_what_they_show(hand):
    """Text alternatives (read instead of "Vega visualization"): the largest country's
    figure on the map, the top row's events on the timeline."""
    table, events = hand
    frame = country_frame(table, events)
    spec = event_charts.loss_map(frame, legend_title="total loss (P50) [USD]")
    top = frame.row(0, named=True)
    assert spec["description"].startswith("World map of total loss (P50) [USD]: 3 countries")
    assert f"highest: {top['country']} {top['value_text']}" in spec["description"]
    tl = timeline_frame(table, events, top_n=10)
    spec = event_charts.events_timeline(tl.rows, years=(2024, 2024))
    first = tl.rows.sort("rank").row(0, named=True)
    text = spec["description"]
    assert text.startswith(f"Timeline of {tl.rows.height} events in 4 countries, 2024: ")
    assert f"{first['title']} ({first['dates']}; {first['cost_text']})" in text
    empty = event_charts.loss_map(frame.clear(), legend_title="loss")
    assert empty["description"] == "World map of loss: no country has a costed event."


def test_specs_are_valid_vega_lite(pakistan):
    """The layouts are built without schema validation (for speed): validate them here."""
    import altair as alt

    table, events = pakistan
    for spec in (event_charts.loss_map(country_frame(table, events)),
                 event_charts.events_timeline(timeline_frame(table, events).rows)):
        alt.LayerChart.from_dict(spec, validate=True)


def test_drawing_imports_no_chart_library(pakistan):
    """The layouts are committed (`impact.build.chart_layouts`): filling them needs no
    Altair, and the committed ones are what the build makes."""
    import subprocess
    import sys

    from impact.build import chart_layouts

    assert chart_layouts.stale() == []
    table, events = pakistan
    rows = timeline_frame(table, events).rows.write_json()
    countries = country_frame(table, events).write_json()
    code = ("import io, sys, polars as pl; from impact.report import event_charts; "
            f"event_charts.events_timeline(pl.read_json(io.StringIO({rows!r}))); "
            f"event_charts.loss_map(pl.read_json(io.StringIO({countries!r}))); "
            "print('altair' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("width", [350, 1200])
def test_both_render_to_png_offline(pakistan, width):
    table, events = pakistan
    for spec in (event_charts.loss_map(country_frame(table, events), width=width),
                 event_charts.events_timeline(timeline_frame(table, events).rows,
                                              years=(2024, 2024), width=width)):
        image = charts.png(spec, scale=1)
        assert image[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(image[16:20], "big") >= width
        assert int.from_bytes(image[20:24], "big") > 100  # drawn at a readable height


def test_the_full_catalogue_renders_with_a_bounded_timeline():
    events = load_events()
    estimates = estimate_events(events, ["impact"], draws=100)
    table = events_table(estimates, events, method="impact")
    frame = country_frame(table, events)
    assert frame.height == table.filter(pl.col("status") == "ok").select(
        pl.col("id")).join(pl.DataFrame({"id": events["event_id"], "iso3": events["iso3"]}),
                           on="id")["iso3"].n_unique()
    assert math.isclose(frame["p50"].sum(), table.filter(
        pl.col("status") == "ok")["P50 [USD]"].sum(), rel_tol=1e-9)
    tl = timeline_frame(table, events)
    assert tl.countries == 12 and tl.rows["country"].n_unique() == 12
    assert tl.rows.height < events.height  # identical reports merged
    image = charts.png(event_charts.events_timeline(tl.rows, width=1200), scale=1)
    assert int.from_bytes(image[20:24], "big") < 600  # twelve rows stay compact
    charts.png(event_charts.loss_map(frame, width=1200), scale=1)


def test_importing_the_chart_module_does_not_import_altair():
    code = ("import sys, impact.report.event_charts, app_pages.events_view; "
            "print([m for m in ('altair', 'vl_convert') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_geometry_is_parsed_fresh_for_every_spec(pakistan):
    table, events = pakistan
    a = event_charts.loss_map(country_frame(table, events))
    a["data"]["values"]["objects"].clear()  # Streamlit may change the spec it is given
    b = event_charts.loss_map(country_frame(table, events))
    assert json.dumps(b["data"]["values"]["objects"]).count("PAK") == 1
