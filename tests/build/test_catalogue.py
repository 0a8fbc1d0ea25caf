"""Tests for ``impact.build.catalogue`` and the committed ``data/events.csv``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from impact.build import catalogue as cat
from impact.build import default_raw_dir

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "data" / "events.csv"
RAW = default_raw_dir() / "shutdowns" / "accessnow_keepiton_stop_2016_2025.csv"
needs_raw = pytest.mark.skipif(not RAW.is_file(), reason="raw Access Now snapshot not found")

RAW_COLUMNS = (
    "start_date_type", "start_date", "country", "iso3_helper", "geo_scope", "area_name",
    "shutdown_type", "affected_network", "shutdown_extent", "actual_cause", "shutdown_status",
    "end_date", "duration", "facebook_affected", "twitter_affected", "whatsapp_affected",
    "instagram_affected", "telegram_affected", "other_affected", "sms_affected",
    "phonecall_affected", "election", "violence", "event", "an_link", "count_year",
)  # fmt: skip
BASE = {
    "start_date_type": "Actual", "start_date": "2019-11-16", "country": "Pakistan",
    "iso3_helper": "PAK", "geo_scope": "It only affected one city, county, or village",
    "area_name": "Quetta", "shutdown_type": "Shutdown", "affected_network": "Broadband, Mobile",
    "shutdown_extent": "Full network", "actual_cause": "Protests", "shutdown_status": "Ended",
    "end_date": "2019-11-21", "duration": "5", "facebook_affected": "No",
    "twitter_affected": "No", "whatsapp_affected": "No", "instagram_affected": "No",
    "telegram_affected": "No", "other_affected": None, "sms_affected": "No",
    "phonecall_affected": "No", "election": "No", "violence": "Yes",
    "event": "Narrative text that must never be copied.", "an_link": "https://example.org/x",
    "count_year": 2019,
}  # fmt: skip


def raw_frame(*rows: dict) -> pl.DataFrame:
    schema = {c: pl.String for c in RAW_COLUMNS} | {"count_year": pl.Int64}
    return pl.DataFrame([BASE | r for r in rows], schema=schema)


def parsed(*rows: dict) -> pl.DataFrame:
    return cat.parse_rows(raw_frame(*rows))[0]


@pytest.fixture(scope="module")
def events() -> pl.DataFrame:
    return pl.read_csv(EVENTS, infer_schema_length=None, try_parse_dates=True)


def test_duration_is_days_not_hours() -> None:
    row = parsed({}).row(0, named=True)
    assert row["start"] == dt.date(2019, 11, 16) and row["end"] == dt.date(2019, 11, 21)
    assert row["end_basis"] == "reported"
    assert row["duration_days"] == 5
    assert row["duration_days_reported"] == 5
    assert row["duration_hours"] == 120


def test_same_day_event_is_costed_as_one_day() -> None:
    row = parsed({"end_date": "2019-11-16", "duration": "0"}).row(0, named=True)
    assert row["duration_days"] == 0 and row["duration_hours"] == 24


def test_end_basis_rules() -> None:
    df = parsed(
        {"shutdown_status": "Ongoing", "end_date": None, "duration": None},
        {"shutdown_status": None, "end_date": None, "duration": "3"},
        {"shutdown_status": "Unknown", "end_date": None, "duration": "-44138"},
        {"end_date": "2019-11-10", "duration": "-6"},  # end before start: not usable
    )
    assert df["end_basis"].to_list() == [
        "ongoing_to_snapshot", "from_duration", "assumed_same_day", "assumed_same_day",
    ]  # fmt: skip
    assert df["end"].to_list() == [
        dt.date(2026, 5, 20), dt.date(2019, 11, 19), dt.date(2019, 11, 16), dt.date(2019, 11, 16),
    ]  # fmt: skip
    assert df["ongoing"].to_list() == [True, False, False, False]
    assert df["status"].to_list() == ["ongoing", "unknown", "unknown", "ended"]
    assert df["duration_days_reported"].to_list()[2:] == [None, None]


@pytest.mark.parametrize(
    ("text", "platforms", "services"),
    [
        ("TikTok, YouTube", ("youtube", "tiktok"), ()),
        ("YouTube, Viber, Snapchat and Facebook Messenger", ("facebook", "youtube"),
         ("voip", "other")),
        ("Signal, possibly", ("signal",), ()),
        ("VPN services", (), ("vpn",)),
        ("Social media", (), ("social_media_generic",)),
        ("Grindr", (), ("other",)),
        (None, (), ()),
    ],
)  # fmt: skip
def test_other_affected_mapping(text, platforms, services) -> None:
    assert cat.map_other_affected(text) == (platforms, services)


def test_platforms_from_flags_and_text() -> None:
    row = parsed(
        {"shutdown_extent": "Service-based", "twitter_affected": "Yes",
         "whatsapp_affected": "Yes", "other_affected": "TikTok, YouTube", "sms_affected": "Yes"}
    ).row(0, named=True)  # fmt: skip
    assert row["platforms"] == "x;whatsapp;youtube;tiktok"
    assert row["other_services"] == "sms"
    assert row["scope"] == "platforms"


@pytest.mark.parametrize(
    ("changes", "scope"),
    [
        ({"shutdown_extent": "Service-based", "facebook_affected": "Yes"}, "platforms"),
        ({"shutdown_extent": "Service-based", "other_affected": "Grindr"}, "platforms_other"),
        ({"shutdown_type": "Throttle"}, "throttling"),
        ({"shutdown_type": "Shutdown, Throttle", "affected_network": "Mobile"}, "mobile"),
        ({"affected_network": "Mobile"}, "mobile"),
        ({"affected_network": "Unknown"}, "full"),
        ({"shutdown_extent": "Full network, Service-based"}, "full"),
        ({}, "full"),
    ],
)
def test_scope_rule(changes, scope) -> None:
    assert parsed(changes)["scope"].item() == scope


def test_unknown_network_counts_as_both() -> None:
    row = parsed({"affected_network": "Unknown"}).row(0, named=True)
    assert row["network_mobile"] and row["network_broadband"]


def test_multi_country_rows_are_split_and_blank_iso3_dropped() -> None:
    df, info = cat.parse_rows(
        raw_frame({"iso3_helper": "CMR;CAF", "area_name": "Nationwide"}, {"iso3_helper": None})
    )
    assert df["iso3"].to_list() == ["CMR", "CAF"]
    assert df["event_id"].n_unique() == 2
    assert info["dropped_no_iso3"] == 1 and info["split_rows"] == 1 and info["split_extra"] == 1


def test_event_id_is_deterministic() -> None:
    a = parsed({})["event_id"].item()
    assert a == parsed({})["event_id"].item()
    assert a.startswith("AN-") and len(a) == 13
    assert parsed({"area_name": "Karachi"})["event_id"].item() != a


def test_dedup_merges_a_duplicate_pair_and_keeps_distinct_rows() -> None:
    df = parsed(
        # a: no end date, estimated start
        {"end_date": None, "duration": None, "start_date_type": "Estimated",
         "area_name": "Quetta,  Balochistan", "count_year": 2019},
        # b: same event, reported end, other case/punctuation/space in the area text
        {"area_name": "quetta balochistan.", "count_year": 2020},
        # c: another place
        {"area_name": "Gwadar"},
        # d: same place but mobile only
        {"area_name": "Quetta, Balochistan", "affected_network": "Mobile"},
    )  # fmt: skip
    out = cat.deduplicate(df)
    assert out.height == 3
    kept = out.filter(pl.col("n_reports") == 2).row(0, named=True)
    assert kept["event_id"] == df["event_id"][1]  # the row with a reported end date wins
    assert kept["merged_ids"] == df["event_id"][0]
    assert out.filter(pl.col("n_reports") == 1)["merged_ids"].to_list() == ["", ""]


def test_dedup_prefers_actual_start_then_source_order() -> None:
    df = parsed({"start_date_type": "Estimated"}, {}, {})
    out = cat.deduplicate(df)
    assert out.height == 1
    assert out["event_id"].item() == df["event_id"][1]
    assert out["n_reports"].item() == 3


# ------------------------------------------------------------------ the committed table
def test_events_columns_and_no_narrative(events: pl.DataFrame) -> None:
    assert tuple(events.columns) == cat.EVENT_COLUMNS
    assert not set(cat.NARRATIVE_COLUMNS) & set(events.columns)
    text = EVENTS.read_text(encoding="utf-8")
    assert "Narrative" not in text
    assert events["event_id"].n_unique() == events.height
    assert events.equals(events.sort("start", "iso3", "event_id"))


def test_events_values(events: pl.DataFrame) -> None:
    assert set(events["end_basis"]) <= {
        "reported", "ongoing_to_snapshot", "from_duration", "assumed_same_day",
    }  # fmt: skip
    assert set(events["scope"]) <= {"full", "mobile", "platforms", "platforms_other", "throttling"}
    assert (events["end"] >= events["start"]).all()
    assert (events["duration_hours"] >= 24).all()
    ongoing = events.filter(pl.col("ongoing"))
    assert ongoing.height > 0
    assert (ongoing["end"] == dt.date(2026, 5, 20)).all()
    assert (ongoing["end_basis"] == "ongoing_to_snapshot").all()
    for col in ("affected_share", "affected_share_low", "affected_share_high"):
        assert events[col].is_between(0, 1).all(), col
    assert (events["affected_share_low"] <= events["affected_share"]).all()
    assert (events["affected_share"] <= events["affected_share_high"]).all()
    assert events.filter(pl.col("nationwide"))["affected_share"].eq(1).all()
    assert "SOM" not in events.filter(pl.col("area_names").str.contains("Somaliland"))["iso3"]


@needs_raw
def test_real_multi_country_rows_split(events: pl.DataFrame) -> None:
    raw = pl.read_csv(RAW, infer_schema_length=None)
    multi = raw.filter(pl.col("iso3_helper").str.contains(";"))
    assert multi.height == 3
    for r in multi.iter_rows(named=True):
        start = dt.date.fromisoformat(r["start_date"])
        for iso3 in r["iso3_helper"].split(";"):
            got = events.filter(pl.col("iso3") == iso3, pl.col("start") == start)
            assert got.height >= 1, (iso3, start)


@needs_raw
def test_real_durations_match_dates(events: pl.DataFrame) -> None:
    both = events.filter(
        pl.col("end_basis") == "reported", pl.col("duration_days_reported").is_not_null()
    )
    close = (both["duration_days"] - both["duration_days_reported"]).abs() <= 1
    assert close.mean() > 0.99
