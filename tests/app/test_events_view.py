"""The Past events page's view model (no streamlit needed)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from app_pages.events_display import events_display, table_csv, totals_display
from app_pages.events_specs import compare_chart_spec, events_chart_frame, events_chart_spec
from app_pages.events_view import NORMALISATIONS, events_table, events_view
from impact import format as fmt


@pytest.fixture(scope="module")
def pakistan_2024():
    from impact.catalogue.events import estimate_events, load_events

    events = load_events("PAK", 2024)
    if events.height == 0:
        pytest.skip("no Pakistan 2024 events in the catalogue")
    return events, estimate_events(events, ["impact"], draws=200, cap_platform_days="both")


@pytest.mark.parametrize("norm", list(NORMALISATIONS))
def test_events_table_is_ranked_by_the_normalisation(pakistan_2024, norm):
    events, estimates = pakistan_2024
    table = events_table(estimates, events, method="impact", normalisation=norm)
    assert table.height == events.height  # one row per event (capped variant)
    column = "P50 [USD]" if norm == "total" else NORMALISATIONS[norm][1]
    assert (column in table.columns) and (norm == "total") == (
        NORMALISATIONS[norm][1] not in table.columns)
    ok = table.filter(pl.col("status") == "ok")
    assert ok[column].to_list() == sorted(ok[column].to_list(), reverse=True)
    assert ok["rank"].to_list() == list(range(1, ok.height + 1))
    assert table.filter(pl.col("status") != "ok")["rank"].null_count() == \
        table.height - ok.height
    text = table_csv(table)
    assert text.splitlines()[0].startswith("rank,event,country")


def test_uncapped_variant_keeps_the_full_hours(pakistan_2024):
    events, estimates = pakistan_2024
    capped = events_table(estimates, events, method="impact", variant="capped")
    uncapped = events_table(estimates, events, method="impact", variant="uncapped")
    blocks = pl.col("scope") == "platforms"
    assert capped.filter(blocks)["hours"].max() <= 8760
    joined = uncapped.join(events.select(pl.col("event_id").alias("id"), "duration_hours"),
                           on="id")
    # never more than reported; a block longer than a year keeps more than 365 days
    assert (joined["hours"] <= joined["duration_hours"] + 1e-9).all()
    long = joined.filter(blocks & (pl.col("duration_hours") > 8760))
    assert (long["hours"] > 8760).all()
    assert table_labels_are_titles(capped, events)


def table_labels_are_titles(table: pl.DataFrame, events: pl.DataFrame) -> bool:
    """Every row shows a readable label, never only an id."""
    return all(label != eid for label, eid in zip(table["event"], table["id"], strict=True))


def test_events_view_and_chart_specs(pakistan_2024):
    events, estimates = pakistan_2024
    view = events_view(estimates, events, method="impact", variant="capped",
                       normalisation="total")
    assert view.n_events == events.height == view.table.height
    assert set(view.labels) == set(events["event_id"])
    ok = view.table.filter(pl.col("status") == "ok")
    assert view.costed == ok.height
    assert view.total == pytest.approx(ok["P50 [USD]"].sum())
    frame = events_chart_frame(view.table, view.labels, "total", 3)
    spec = events_chart_spec("total", frame.height)
    json.dumps(spec)  # plain Vega-Lite, no chart library objects
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "rule"]
    assert [layer["mark"]["type"] for layer in events_chart_spec("per_day", 3)["layer"]] == [
        "bar"]
    panel = compare_chart_spec("per day [USD]", "~s", 2)
    assert panel["encoding"]["x"]["axis"]["format"] == "~s" and panel["height"] == 100


def test_events_display_is_text_and_the_csv_keeps_numbers(pakistan_2024):
    events, estimates = pakistan_2024
    view = events_view(estimates, events, method="impact", variant="capped",
                       normalisation="per_day")
    shown, raw = events_display(view.table, "per_day"), view.table
    assert sorted(shown.columns) == sorted(raw.columns)
    assert shown["id"].to_list() == raw["id"].to_list()
    # the figures right after the name: a phone shows them without scrolling
    assert shown.columns[:6] == ["rank", "event", "per day (P50) [USD]", "P50 [USD]",
                                 "P5 [USD]", "P95 [USD]"]
    assert all(dtype == pl.String for dtype in shown.dtypes)
    assert shown.null_count().sum_horizontal().item() == 0
    first = raw.row(0, named=True)
    assert shown["P50 [USD]"][0] == fmt.money(first["P50 [USD]"])
    assert shown["per day (P50) [USD]"][0] == fmt.money(first["per day (P50) [USD]"])
    assert shown["hours"][0] == fmt.hours(first["hours"])
    import io

    back = pl.read_csv(io.StringIO(table_csv(raw)))  # the download is the raw table
    assert back["hours"].dtype == pl.Float64 and back["hours"][0] == first["hours"]


def test_display_helpers_show_missing_values_as_the_missing_mark():
    raw = pl.DataFrame({"country": ["Pakistan", None], "year": [2024, 2024],
                        "events costed": [3, 0], "not costed": [0, 2],
                        "hours": [10.0, 0.0], "P50 [USD]": [1.1e9, None],
                        "P5 [USD]": [2.5e6, None]})
    shown = totals_display(raw)
    assert shown.row(0) == ("Pakistan", "2024", "3", "0", "10 hours", "USD 1.1 bn",
                            "USD 2.5 m")
    # a total of no costed event is not costed, never USD 0 or a bare dash
    assert shown.row(1) == (fmt.MISSING, "2024", "0", "2", "0 hours", "not costed",
                            "not costed")
    table = pl.DataFrame({"rank": [1, None], "affected share": [0.0004, None],
                          "share range": ["0.2–0.5", None], "source": ["https://a.org", None],
                          "P50 [USD]": [1.1e9, None]})
    ranked = events_display(table)
    assert ranked.row(0) == ("1", "USD 1.1 bn", "0.04 %", "20 % – 50 %", "https://a.org")
    # a missing link is empty: the link column would link the missing mark
    assert ranked.row(1) == (fmt.MISSING, fmt.MISSING, fmt.MISSING, fmt.MISSING, "")
