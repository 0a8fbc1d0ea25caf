"""impact.catalogue.exposure: hand-made overlapping events (union, not sum), nesting, cross-scope cover,
calendar years, worlds; and properties over the bundled catalogue."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact.bundled.io import data_dir
from impact.catalogue.exposure import (
    World,
    alone,
    daily_exposure,
    event_days,
    event_segments,
    worlds,
    year_parts,
)
from impact.errors import InputError


def frame(*rows: dict) -> pl.DataFrame:
    base = {"iso3": "IND", "scope": "mobile", "daily_hours": 24.0, "hours_to_snapshot": None,
            "area_units": "", "affected_share": 1.0, "nationwide": False, "area_names": ""}
    full = [base | r for r in rows]
    return pl.DataFrame(full, schema_overrides={"hours_to_snapshot": pl.Float64})


def ev(event_id, start, hours, **kw) -> dict:
    return {"event_id": event_id, "start": dt.date.fromisoformat(start),
            "duration_hours": float(hours)} | kw


def exposed(events: pl.DataFrame, world: World | None = None) -> dict[str, float]:
    parts = year_parts(events, world)
    return dict(parts.group_by("event_id").agg(pl.col("exposed_hours").sum()).iter_rows())


def test_same_place_same_days_counts_once():
    # two reports of one Kashmir shutdown, 3 days and 2 days starting a day later
    e = frame(ev("a", "2020-01-01", 72, area_units="state/kashmir/=0.01", affected_share=0.01),
              ev("b", "2020-01-02", 48, area_units="state/kashmir/=0.01", affected_share=0.01))
    day, _ = daily_exposure(e)
    # the place is cut for 3 days: 3 × 24 share-hours × 0.01, not 5 days' worth
    assert day["share_hours"].sum() == pytest.approx(3 * 24 * 0.01)
    assert day["reported_share_hours"].sum() == pytest.approx(5 * 24 * 0.01)
    assert exposed(e) == pytest.approx({"a": 24 + 12 + 12, "b": 12 + 12})


def test_different_places_add_up_but_never_past_the_country():
    e = frame(ev("a", "2020-01-01", 24, area_names="north", affected_share=0.7),
              ev("b", "2020-01-01", 24, area_names="south", affected_share=0.6))
    day, _ = daily_exposure(e)
    row = day.row(0, named=True)
    assert row["share"] == 1.0 and row["share_hours"] == pytest.approx(24.0)
    assert row["factor"] == pytest.approx(1 / 1.3)


def test_a_district_inside_a_state_cut_the_same_day_counts_once():
    e = frame(ev("state", "2020-01-01", 24, area_units="state/kashmir/=0.01",
                 affected_share=0.01),
              ev("district", "2020-01-01", 24, area_units="district/srinagar/kashmir=0.002",
                 affected_share=0.002))
    day, _ = daily_exposure(e)
    assert day["share_hours"][0] == pytest.approx(24 * 0.01)


def test_nationwide_covers_regional_reports_of_the_same_scope():
    e = frame(ev("nation", "2020-01-01", 24, nationwide=True, area_names="nationwide"),
              ev("region", "2020-01-01", 48, area_names="assam", affected_share=0.03))
    day, _ = daily_exposure(e)
    first, second = day.sort("date").iter_rows(named=True)
    assert first["share_hours"] == pytest.approx(24.0) and first["share"] == 1.0
    assert second["share_hours"] == pytest.approx(24 * 0.03)


def test_a_full_blackout_covers_other_scopes_in_the_same_place():
    e = frame(ev("full", "2024-02-08", 24, scope="full", nationwide=True),
              ev("x", "2024-02-07", 72, scope="platforms", nationwide=True),
              ev("regional", "2024-02-08", 24, scope="full", area_names="quetta",
                 affected_share=0.01))
    hours = exposed(e)
    assert hours["x"] == pytest.approx(48.0)  # 7 and 9 Feb; 8 Feb was blacked out
    assert hours["full"] == pytest.approx(24.0 / 1.01 * 1.0)  # the regional report is inside
    day, _ = daily_exposure(e)
    on_8 = day.filter(pl.col("date") == dt.date(2024, 2, 8))
    assert on_8.filter(pl.col("scope").str.starts_with("platforms"))["share_hours"][0] == 0.0
    assert on_8.filter(pl.col("scope") == "full")["share_hours"][0] == pytest.approx(24.0)


def test_events_without_area_text_are_places_of_their_own():
    e = frame(ev("a", "2020-01-01", 24, affected_share=0.1),
              ev("b", "2020-01-01", 24, affected_share=0.1))
    assert exposed(e) == pytest.approx({"a": 24.0, "b": 24.0})


def test_partial_days_and_calendar_years():
    e = frame(ev("night", "2019-12-30", 40, daily_hours=10.0, area_names="x"))
    days = event_days(e, World())
    assert days["hours"].to_list() == [10.0, 10.0, 10.0, 10.0]
    parts = year_parts(e)
    assert dict(zip(parts["year"], parts["hours"], strict=True)) == {2019: 20.0, 2020: 20.0}
    assert parts["part_start"].to_list() == [dt.date(2019, 12, 30), dt.date(2020, 1, 1)]


def test_worlds_cap_and_snapshot():
    e = frame(ev("block", "2022-01-01", 24 * 400, scope="platforms", nationwide=True),
              ev("open", "2023-03-01", 24, hours_to_snapshot=24.0 * 30, area_names="y"))
    known_capped = exposed(e, World("known", True))
    assert known_capped == pytest.approx({"block": 365 * 24.0, "open": 24.0})
    assert exposed(e, World("known", False))["block"] == pytest.approx(400 * 24.0)
    assert exposed(e, World("to_snapshot", True))["open"] == pytest.approx(30 * 24.0)
    assert [w.label for w in worlds("both", "both")] == [
        "capped", "uncapped", "to_snapshot_capped", "to_snapshot_uncapped"]
    with pytest.raises(InputError, match="open_ended"):
        World("forever")
    with pytest.raises(InputError, match="cap_platform_days"):
        worlds("maybe")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 120), st.sampled_from(
    ["full", "mobile", "platforms", "throttling"]), st.sampled_from(
    ["", "a", "b", "nationwide"]), st.floats(0.01, 1.0)), min_size=1, max_size=12))
def test_properties_bounded_and_never_more_than_reported(spec):
    rows = [ev(f"e{i}", (dt.date(2020, 12, 20) + dt.timedelta(days=d)).isoformat(), h,
               scope=s, area_names=a, nationwide=a == "nationwide",
               affected_share=1.0 if a == "nationwide" else share)
            for i, (d, h, s, a, share) in enumerate(spec)]
    e = frame(*rows)
    day, per_event = daily_exposure(e)
    assert (day["share"] <= 1 + 1e-12).all()
    assert (day["share_hours"] <= 24 + 1e-9).all()
    assert (day["factor"].is_between(0, 1)).all()
    # full exposure plus any other scope's exposure on a day is at most the whole country
    wide = day.pivot(on="scope", index=["iso3", "date"], values="share_hours").fill_null(0.0)
    full = wide["full"] if "full" in wide.columns else 0.0
    for s in ("mobile", "platforms", "throttling"):
        if s in wide.columns:
            assert ((wide[s] + full) <= 24 + 1e-9).all()
    assert (per_event["exposed_hours"] <= per_event["hours"] + 1e-9).all()
    parts = year_parts(e)
    total = dict(zip(e["event_id"], e["duration_hours"], strict=True))
    for r in parts.group_by("event_id").agg(pl.col("hours").sum()).iter_rows():
        assert r[1] == pytest.approx(total[r[0]])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 24 * 500),
                          st.sampled_from([24.0, 10.0, 3.5])), min_size=1, max_size=8))
def test_segments_hold_the_same_hours_as_days(spec):
    rows = [ev(f"e{i}", (dt.date(2019, 11, 1) + dt.timedelta(days=d)).isoformat(), h,
               daily_hours=daily, area_names=f"p{i % 3}")
            for i, (d, h, daily) in enumerate(spec)]
    e = frame(*rows)
    days = event_days(e, World()).group_by("event_id", pl.col("date").dt.year().alias("y")) \
        .agg(pl.col("hours").sum(), pl.len().alias("n")).sort("event_id", "y")
    segs = event_segments(e, World()).group_by(
        "event_id", pl.col("date").dt.year().alias("y")).agg(
        (pl.col("hours") * pl.col("days")).sum(), pl.col("days").sum().alias("n")).sort(
        "event_id", "y")
    assert days["n"].to_list() == segs["n"].to_list()
    assert days["hours"].to_list() == pytest.approx(segs["hours"].to_list())
    # no segment crosses a year, and events alone on their days keep every hour
    assert (segs["y"] >= 2019).all()
    lone = e.filter(alone(e))
    parts = year_parts(e)
    for eid in lone["event_id"]:
        mine = parts.filter(pl.col("event_id") == eid)
        assert mine["exposed_hours"].sum() == pytest.approx(mine["hours"].sum())


# ---- the bundled catalogue --------------------------------------------------------------------
needs_catalogue = pytest.mark.skipif(not (data_dir() / "events.csv").is_file(),
                                     reason="data/events.csv not bundled")


@needs_catalogue
@pytest.mark.parametrize("world", worlds("both", "both"), ids=lambda w: w.label)
def test_whole_catalogue_is_bounded(world):
    from impact.catalogue.events import catalogue

    events = catalogue()
    day, _ = daily_exposure(events, world)
    assert (day["share"] <= 1 + 1e-12).all()
    assert (day["share_hours"] <= 24 + 1e-9).all()
    parts = year_parts(events, world)
    # no event's costed hours exceed its reported duration or its calendar year
    reported = events.select("event_id", pl.max_horizontal(
        (pl.col("end") - pl.col("start")).dt.total_days().fill_null(0), pl.lit(1))
        .alias("days"), "duration_hours")
    checked = parts.join(reported, on="event_id", how="left")
    if world.end == "known":
        assert (checked["hours"] <= checked["days"] * 24 + 1e-9).all()
    hours_in_year = pl.when(pl.col("year") % 4 == 0).then(8784.0).otherwise(8760.0)
    assert checked.select((pl.col("hours") <= hours_in_year + 1e-9).all()).item()
    assert (parts["exposed_hours"] <= parts["hours"] + 1e-9).all()


# ---- hours as a range -------------------------------------------------------------------------
def test_hours_range_by_basis_hand_computed():
    """Each hours basis, by hand: stated hours are known; whole days run from 3 h to 24 h a
    day; open-ended events up to the earliest of the snapshot, the end of their last listed
    year and 365 days after their known part."""
    from impact.catalogue.exposure import FLOOR_HOURS_PER_DAY, hours_range

    d = dt.date.fromisoformat
    rows = [
        # id, basis, daily, hours, start, end, listed, to snapshot [h]
        ("times", "times_stated", 24.0, 4.75, "2020-03-01", "2020-03-02", "2020", None),
        ("stated", "hours_stated", 24.0, 18.0, "2020-03-01", "2020-03-02", "2020", None),
        ("perday", "hours_per_day_stated", 10.0, 30.0, "2020-03-01", "2020-03-04", "2020",
         None),
        ("dates", "dates_whole_days", 24.0, 72.0, "2020-03-01", "2020-03-04", "2020", None),
        ("same", "same_day_24h", 24.0, 24.0, "2020-03-01", "2020-03-02", "2020", None),
        # first day, ongoing: the end of 2020 (306 days from 1 March) comes first
        ("first", "open_ended_first_day", 24.0, 24.0, "2020-03-01", "2020-03-02", "2020",
         24.0 * 2000),
        # first day with stated hours (6 h a day): the known day is the low end
        ("first6", "open_ended_first_day", 6.0, 6.0, "2020-03-01", "2020-03-02", "2020",
         6.0 * 2000),
        # first day, the snapshot 10 days after the start comes first
        ("snap", "open_ended_first_day", 24.0, 24.0, "2020-03-01", "2020-03-02", "2020",
         240.0),
        # first day in December 2019: 365 days after 2 Dec 2019 is later than the year's end
        ("dec", "open_ended_first_day", 24.0, 24.0, "2019-12-01", "2019-12-02", "2019", None),
        # listed in 2018–2020: known to 1 Jan 2020; 365 days after that is 31 Dec 2020 (a
        # leap year), before the end of 2020: 730 days from the start
        ("listed", "open_ended_listed_years", 24.0, 24.0 * 365, "2019-01-01", "2020-01-01",
         "2018;2019;2020", None),
    ]
    events = pl.DataFrame(
        [{"event_id": i, "hours_basis": b, "daily_hours": dh, "duration_hours": h,
          "start": d(s), "end": d(e), "listed_years": ly, "hours_to_snapshot": snap,
          "open_ended": b.startswith("open_ended")}
         for i, b, dh, h, s, e, ly, snap in rows],
        schema_overrides={"hours_to_snapshot": pl.Float64})
    got = {r[0]: (r[1], r[2]) for r in hours_range(events).rows()}
    f = FLOOR_HOURS_PER_DAY
    assert got == {
        "times": (4.75, 4.75), "stated": (18.0, 18.0), "perday": (30.0, 30.0),
        "dates": (3 * f, 72.0), "same": (f, 24.0),
        "first": (f, 306 * 24.0), "first6": (6.0, 306 * 6.0), "snap": (f, 240.0),
        "dec": (f, 31 * 24.0), "listed": (24.0 * 365, 24.0 * 730),
    }
    # the rule's hours always lie in the range, and it says which rule it used
    words = dict(hours_range(events).select("event_id", "hours_rule").rows())
    assert "stated" in words["times"] and "whole days" in words["dates"]
    assert "open-ended" in words["listed"]


def test_bound_events_keep_the_days_of_a_whole_day_event():
    from impact.catalogue.exposure import bound_events

    events = frame(ev("a", "2020-03-01", 72, hours_basis="dates_whole_days"))
    low = bound_events(events, "low")
    assert low.select("duration_hours", "daily_hours").row(0) == (9.0, 3.0)
    # the same three days, 3 h each
    assert exposed(low) == {"a": 9.0}
    assert event_days(low, World())["date"].n_unique() == 3
    with pytest.raises(InputError, match="side"):
        bound_events(events, "middle")


def test_whole_catalogue_hours_ranges_hold_the_rule_hours():
    from impact.catalogue.events import catalogue
    from impact.catalogue.exposure import KNOWN_HOURS_BASES, hours_range

    events = catalogue()
    ranges = events.join(hours_range(events), on="event_id")
    assert ranges.height == events.height
    assert (ranges["hours_low"] <= ranges["duration_hours"] + 1e-9).all()
    assert (ranges["hours_high"] >= ranges["duration_hours"] - 1e-9).all()
    assert (ranges["hours_low"] > 0).all()
    known = ranges.filter(pl.col("hours_basis").is_in(KNOWN_HOURS_BASES))
    assert (known["hours_low"] == known["hours_high"]).all()
    unknown = ranges.filter(~pl.col("hours_basis").is_in(KNOWN_HOURS_BASES))
    assert (unknown["hours_high"] > unknown["hours_low"]).all()
    # an open-ended event is drawn for at most 365 days beyond its known part
    opened = ranges.filter(pl.col("open_ended"))
    beyond = (opened["hours_high"] - opened["duration_hours"]) / opened["daily_hours"]
    assert (beyond <= 366 + 1e-9).all()
