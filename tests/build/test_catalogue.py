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
    "info_source_link", "gov_justification", "telcos_involved",
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
    "count_year": 2019, "info_source_link": None, "gov_justification": "Unknown",
    "telcos_involved": None,
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
    assert row["hours_basis"] == "same_day_24h" and row["days_active"] == 1


def test_end_basis_rules() -> None:
    df = parsed(
        {"shutdown_status": "Ongoing", "end_date": None, "duration": None},
        {"shutdown_status": None, "end_date": None, "duration": "3"},
        {"shutdown_status": "Unknown", "end_date": None, "duration": "-44138"},
        {"end_date": "2019-11-10", "duration": "-6"},  # end before start: not usable
    )
    assert df["end_basis"].to_list() == ["open_ended", "from_duration", "open_ended", "open_ended"]
    assert df["open_ended"].to_list() == [True, False, True, True]
    # open-ended: the costed window is the first day (end - start = 1 day costed)
    assert df["end"].to_list() == [
        dt.date(2019, 11, 17), dt.date(2019, 11, 19), dt.date(2019, 11, 17), dt.date(2019, 11, 17),
    ]  # fmt: skip
    assert df["hours_basis"].to_list() == [
        "open_ended_first_day", "duration_whole_days", "open_ended_first_day",
        "open_ended_first_day",
    ]  # fmt: skip
    assert df["duration_hours"].to_list() == [24, 72, 24, 24]
    assert df["ongoing"].to_list() == [True, False, False, False]
    assert df["status"].to_list() == ["ongoing", "unknown", "unknown", "ended"]
    assert df["duration_days_reported"].to_list()[2:] == [None, None]


def test_open_ended_to_snapshot_hours() -> None:
    df = parsed(
        {"start_date": "2026-05-10", "shutdown_status": "Ongoing", "end_date": None,
         "duration": None},
        {"start_date": "2026-05-10", "shutdown_status": None, "end_date": None, "duration": None,
         "event": "Blackouts every night since then."},
        # ended, but the source does not say when: no to-snapshot hours
        {"start_date": "2026-05-10", "end_date": None, "duration": None},
    )  # fmt: skip
    assert df["hours_to_snapshot"].to_list() == [240.0, 100.0, None]
    assert df["daily_hours"].to_list() == [24.0, cat.fx.NIGHTLY_HOURS, 24.0]
    assert df["duration_hours"].to_list() == [24.0, 10.0, 24.0]
    assert df["days_active"].to_list() == [1, 1, 1]


# hand-written texts, one per hours rule: (changes, basis, daily_hours, duration_hours)
HOURS_CASES = [
    ({}, "dates_whole_days", 24.0, 120.0),
    ({"end_date": None, "duration": "2"}, "duration_whole_days", 24.0, 48.0),
    ({"end_date": "2019-11-16", "event": "Mobile data was off from 17:15 to 22:00."},
     "times_stated", 4.75, 4.75),
    ({"end_date": "2019-11-16", "event": "Cut between 7:20 to 10:50 UTC+0 for an exam."},
     "times_stated", 3.5, 3.5),
    ({"end_date": "2019-11-16", "event": "Off from around 8 AM to 12 PM in the town."},
     "times_stated", 4.0, 4.0),
    # crossing midnight, the next day is the reported end: one day costed
    ({"end_date": "2019-11-17", "event": "Mobile internet was off from 22:00 to 04:30."},
     "times_stated", 6.5, 6.5),
    # two ranges on the day are summed
    ({"end_date": "2019-11-16", "event": "Cut from 1:00 - 7:30 UTC and from 9:00 to 10:00 UTC."},
     "times_stated", 7.5, 7.5),
    ({"end_date": "2019-11-16", "duration": "2 hours"}, "hours_stated", 2.0, 2.0),
    ({"end_date": "2019-11-16", "duration": "For about two hours"}, "hours_stated", 2.0, 2.0),
    ({"end_date": "2019-11-16", "event": "The network went dark for ~18 hours."},
     "hours_stated", 18.0, 18.0),
    ({"end_date": "2019-11-16", "duration": "for a few hours"}, "hours_stated", 3.0, 3.0),
    # a stated total that fits the dates: 30 h over a two-day window
    ({"end_date": "2019-11-18", "event": "Service was cut for 30 hours."},
     "hours_stated", 15.0, 30.0),
    # a stated total that does not fit the dates (extended): whole days
    ({"event": "Mobile data cut for 48 hours, then extended."}, "dates_whole_days", 24.0, 120.0),
    ({"event": "Internet cut for 2-3 hours per day during the exams."},
     "hours_per_day_stated", 3.0, 15.0),
    ({"event": "Mobile data cut from 15:00 to 21:00 daily during the period."},
     "hours_per_day_stated", 6.0, 30.0),
    ({"event": "Nightly blackouts of the internet."}, "hours_per_day_stated", 10.0, 50.0),
    ({"event": "An internet curfew from 23:00 to 6:00 every night."},
     "hours_per_day_stated", 7.0, 35.0),
    # ambiguous: no stated time range on a multi-day event, two different hour figures
    ({"end_date": "2019-11-16", "event": "Cut for 2 hours, then for 5 hours."},
     "same_day_24h", 24.0, 24.0),
    # a date then a time is not a range
    ({"end_date": "2019-11-16", "event": "Cut on June 10 to 12:00pm."}, "same_day_24h", 24.0, 24.0),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "basis", "daily", "hours"), HOURS_CASES)
def test_hours_rules(changes, basis, daily, hours) -> None:
    row = parsed(changes).row(0, named=True)
    assert row["hours_basis"] == basis
    assert row["daily_hours"] == pytest.approx(daily)
    assert row["duration_hours"] == pytest.approx(hours)
    assert row["duration_hours"] <= max(row["duration_days"], 1) * 24
    assert row["duration_hours"] <= 24 * row["days_active"]


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("from 17:15 to 22:00", [(17.25, 22.0)]),
        ("from 10 to 2pm", [(10.0, 14.0)]),
        ("from 9:00pm on Jan. 9 until 4:00am", []),  # a date inside: not read
        ("at 8:30 and 9:00", []),
        ("on 16.06.2020 to 17.06.2020", []),
        ("from 11 PM to 1 AM", [(23.0, 1.0)]),
    ],
)
def test_time_ranges(text, ranges) -> None:
    got = cat.fx.time_ranges(text)
    assert len(got) == len(ranges)
    for (start, end), (want_start, want_end) in zip(got, ranges, strict=True):
        assert (start, end) == (pytest.approx(want_start), pytest.approx(want_end))


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


def test_year_is_the_start_year_and_count_years_are_listed() -> None:
    """An event is dated by its start, not by the STOP list (``count_year``) that records
    it: an X block from 17 February 2024 listed in 2024 and again in 2025 is a 2024 event
    whose ``listed_years`` are 2024;2025."""
    df = parsed({"start_date": "2024-02-17", "end_date": "2025-05-07", "count_year": 2025},
                {"start_date": "2024-02-17", "end_date": None, "duration": None,
                 "count_year": 2024})
    assert df["year"].to_list() == [2024, 2024]
    row = cat.deduplicate(df).row(0, named=True)
    assert row["year"] == 2024 and row["listed_years"] == "2024;2025"


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


def test_events_year_is_the_start_year(events: pl.DataFrame) -> None:
    assert (events["year"] == events["start"].dt.year()).all()
    pak = events.filter(pl.col("event_id") == "AN-9677a4227a").row(0, named=True)
    assert (pak["year"], pak["start"], pak["listed_years"]) == (
        2024, dt.date(2024, 2, 17), "2024;2025")


def test_events_values(events: pl.DataFrame) -> None:
    assert set(events["end_basis"]) <= {"reported", "from_duration", "open_ended"}
    assert set(events["hours_basis"]) <= set(cat.HOURS_BASES)
    assert set(events["scope"]) <= {"full", "mobile", "platforms", "platforms_other", "throttling"}
    assert (events["end"] >= events["start"]).all()
    assert (events["duration_hours"] > 0).all()
    assert ((events["daily_hours"] > 0) & (events["daily_hours"] <= 24)).all()
    assert (events["days_active"] >= 1).all()
    window = pl.max_horizontal(pl.col("duration_days"), pl.lit(1)) * 24
    assert events.select((pl.col("duration_hours") <= window + 1e-9).all()).item()
    assert (events["duration_hours"] <= 24 * events["days_active"] + 1e-9).all()
    opened = events.filter(pl.col("open_ended"))
    assert opened.height > 0
    assert (opened["end_basis"] == "open_ended").all()
    first_day = opened.filter(pl.col("hours_basis").is_in(["open_ended_first_day",
                                                          "exam_hours_default"]))
    listed = opened.filter(pl.col("hours_basis") == "open_ended_listed_years")
    capped = opened.filter(pl.col("hours_basis") == "open_ended_regional_capped")
    assert first_day.height + listed.height + capped.height == opened.height
    assert listed.height > 0 and capped.height > 0
    assert (first_day["end"] - first_day["start"]).dt.total_days().eq(1).all()
    # capped: at most OPEN_ENDED_REGIONAL_MAX_DAYS from the start
    assert (capped["end"] - capped["start"]).dt.total_days().eq(
        cat.OPEN_ENDED_REGIONAL_MAX_DAYS).all()
    # listed in later count years: costed to 1 January of the last year listed
    last = listed["listed_years"].str.split(";").list.eval(pl.element().cast(pl.Int32)).list.max()
    assert (listed["end"] == pl.Series([f"{y}-01-01" for y in last]).str.to_date()).all()
    assert (listed["end"] - listed["start"]).dt.total_days().gt(1).all()
    assert opened.filter(pl.col("status") == "ended")["hours_to_snapshot"].is_null().all()
    to_snap = opened.filter(pl.col("status") != "ended")
    assert to_snap["hours_to_snapshot"].is_not_null().all()
    assert (to_snap["hours_to_snapshot"] >= to_snap["duration_hours"]).all()
    assert events.filter(~pl.col("open_ended"))["hours_to_snapshot"].is_null().all()
    assert (events["title"].str.len_chars() > 0).all()
    assert (events["description"].str.len_chars() > 0).all()
    assert "Unknown" not in set(events["justification"].drop_nulls())
    # source_link is the first well-formed Access Now URL (never prose from that column)
    links = events["source_link"].drop_nulls()
    assert links.str.contains(r"^https?://\S+$").all()
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


@needs_raw
def test_real_events_with_a_source_link_have_links(events: pl.DataFrame) -> None:
    raw = pl.read_csv(RAW, infer_schema_length=None)
    rows, _ = cat.parse_rows(raw)
    has = rows.filter(
        (pl.col("_an_links").list.len() > 0) | (pl.col("_info_links").list.len() > 0)
    )["event_id"]
    merged = events.select("event_id", "links", ids=pl.concat_list(
        pl.col("event_id"), pl.col("merged_ids").fill_null("").str.split(";")))
    merged = merged.explode("ids").filter(pl.col("ids").is_in(has.implode()))
    assert merged.height > 0
    assert (merged["links"].fill_null("") != "").all()
    assert events.filter(pl.col("links") != "").height > 1600
    for links in events["links"].drop_nulls():
        for url in links.split(cat.fx.LINK_SEP) if links else []:
            assert url.startswith(("http://", "https://")) and " " not in url


def test_area_units_sum_to_the_matched_share(events: pl.DataFrame) -> None:
    matched = events.filter(pl.col("area_units").fill_null("") != "")
    assert matched.height > 0
    assert set(matched["share_method"]) <= {"regions_matched", "cities_matched"}
    assert events.filter(pl.col("nationwide"))["area_units"].fill_null("").eq("").all()
    for units, share in matched.select("area_units", "affected_share").iter_rows():
        items = [u.split("=") for u in units.split("|")]
        assert all(len(i) == 2 and i[0].count("/") == 2 for i in items), units
        if share < 1:
            assert sum(float(v) for _, v in items) == pytest.approx(share, rel=1e-4), units


# ------------------------------------------------------------------ titles, links, units
def built(*rows: dict) -> pl.DataFrame:
    countries = pl.DataFrame({"iso3": ["PAK"], "name": ["Pakistan"]})
    return cat.events_table(raw_frame(*rows), countries)[0]


@pytest.mark.parametrize(
    ("changes", "title"),
    [
        ({"start_date": "2024-02-08", "end_date": "2024-02-08", "area_name": "Nationwide",
          "affected_network": "Mobile", "actual_cause": "Elections", "count_year": 2024},
         "Pakistan — mobile data cut nationwide, 8 Feb 2024 (election)"),
        ({"start_date": "2024-02-08", "end_date": "2024-02-10", "area_name": "Nationwide",
          "actual_cause": "Exam cheating"},
         "Pakistan — internet cut nationwide, 8–10 Feb 2024 (exams)"),
        ({"shutdown_extent": "Service-based", "facebook_affected": "Yes",
          "whatsapp_affected": "Yes", "area_name": "Nationwide", "start_date": "2019-12-20",
          "end_date": "2020-03-02", "actual_cause": "Other"},
         "Pakistan — Facebook and WhatsApp blocked nationwide, Dec 2019 – Mar 2020"),
        ({"start_date": "2024-02-08", "end_date": None, "duration": None,
          "shutdown_status": "Ongoing", "area_name": "Quetta, Gwadar (Balochistan), Turbat, Kech",
          "actual_cause": "Conflict"},
         "Pakistan — internet cut in Quetta, Gwadar and 2 more, from 8 Feb 2024 (conflict)"),
        ({"shutdown_type": "Throttle", "area_name": "Karachi"},
         "Pakistan — internet throttled in Karachi, 16–21 Nov 2019 (protests)"),
    ],
)  # fmt: skip
def test_titles(changes, title) -> None:
    row = built(changes).row(0, named=True)
    assert row["title"] == title
    assert "Narrative" not in row["description"] and row["description"].endswith(".")


def test_description_states_the_hours_basis() -> None:
    rows = built(
        {"end_date": "2019-11-16", "event": "Narrative: cut from 17:15 to 22:00."},
        {"end_date": None, "duration": None, "area_name": "Gwadar"},
    ).sort("area_names", descending=True)  # fmt: skip
    texts = rows["description"].to_list()
    assert "Costed 4.8 h: times stated in the source" in texts[0]
    assert "open-ended: the source gives no end date; first day costed" in texts[1]
    assert not any("Narrative" in t for t in texts)


def test_justification_category() -> None:
    rows = built({"gov_justification": "Unknown"}, {"gov_justification": None, "area_name": "A"},
                 {"gov_justification": "School Exams", "area_name": "B"}).sort("area_names")  # fmt: skip
    assert rows["justification"].to_list() == [None, "School exams", None]


def test_links_split_dedupe_and_merge() -> None:
    assert cat.fx.split_links(
        "https://an.org/e1",
        " https://a.org/x; https://b.org/y,https://a.org/x  http://c.org/z. www.nope.org "
        "ftp://f.org/a https://bad|url.org/ notaurl",
    ) == ["https://an.org/e1", "https://a.org/x", "https://b.org/y", "http://c.org/z"]
    rows = built(
        # a: no end date (merged into b), its own links
        {"end_date": None, "duration": None, "an_link": None,
         "info_source_link": "https://a.org/1; https://shared.org/s"},
        # b: the kept row
        {"an_link": "https://an.org/b", "info_source_link": "https://shared.org/s https://b.org/2"},
        # c: no usable link
        {"area_name": "Gwadar", "an_link": None, "info_source_link": "example.org/no-scheme"},
    )  # fmt: skip
    assert rows.height == 2
    kept = rows.filter(pl.col("n_reports") == 2).row(0, named=True)
    assert kept["links"].split(cat.fx.LINK_SEP) == [
        "https://an.org/b", "https://shared.org/s", "https://b.org/2", "https://a.org/1",
    ]  # fmt: skip
    assert kept["source_link"] == "https://an.org/b"
    assert rows.filter(pl.col("n_reports") == 1)["links"].item() == ""


def test_area_units_format_and_sum() -> None:
    from impact.build import areas as rg
    from impact.bundled.regions import REGION_COLUMNS

    regions = pl.DataFrame(
        [("PAK", "Balochistan", "admin1", None, 1.2e7, 2017, "t"),
         ("PAK", "Quetta", "district", "Balochistan", 2.0e6, 2017, "t"),
         ("PAK", "Gwadar", "district", "Balochistan", 3.0e5, 2017, "t")],
        schema=list(REGION_COLUMNS), orient="row",
    )  # fmt: skip
    index = rg.AreaIndex(regions, lambda iso3, year: 2.0e8)
    countries = pl.DataFrame({"iso3": ["PAK"], "name": ["Pakistan"]})
    ev = cat.events_table(raw_frame({"area_name": "Quetta and Gwadar"},
                                    {"area_name": "Nationwide"}), countries, index)[0]
    ev = ev.sort("nationwide")
    units = dict(u.split("=") for u in ev["area_units"][0].split("|"))
    assert units == {"district/quetta/balochistan": "0.01", "district/gwadar/balochistan": "0.0015"}
    assert sum(map(float, units.values())) == pytest.approx(ev["affected_share"][0])
    assert ev["area_units"][1] == ""
    assert rg.unit_key(index.units("PAK")[0]) == "admin1/balochistan/"


# ------------------------------------------------------------------ defensible-catalogue rules
def test_multi_country_row_becomes_one_event_per_country() -> None:
    df = parsed({"country": "Burundi; Kenya", "iso3_helper": "BDI;KEN", "area_name": "Nationwide",
                 "telcos_involved": "Kenya: Safaricom, Kenya: Airtel (Bharti Airtel)"})
    assert df["iso3"].to_list() == ["BDI", "KEN"]
    # one id for the row (hash over its fields with the whole iso3 list) + "-" + ISO3
    row_id = cat.event_id(["BDI;KEN", "2019-11-16", "Nationwide", *[
        BASE[c] for c in cat.EVENT_ID_FIELDS[3:] if c in BASE], None, "2019"])
    ids = df["event_id"].to_list()
    assert ids[0].endswith("-BDI") and ids[1].endswith("-KEN")
    assert ids[0][:-4] == ids[1][:-4] and len(ids[0]) == len(row_id) + 4
    # Kenyan operators are Kenya's, not Burundi's
    assert df["_ops"].to_list() == [[], ["safaricom", "airtel"]]


def test_dates_contradicted_by_negative_duration() -> None:
    row = parsed({"start_date": "2017-01-01", "end_date": "2017-12-30",
                  "duration": "-363"}).row(0, named=True)
    # the start is a placeholder: one day at the end date
    assert row["start"] == dt.date(2017, 12, 30) == row["end"]
    assert row["duration_hours"] == 24.0 and row["_dates_contradicted"]


def test_exam_cut_without_stated_hours_costs_default_hours_a_day() -> None:
    df = parsed(
        {"actual_cause": "Exam cheating", "end_date": "2019-11-26", "duration": "10"},
        {"actual_cause": "Exam cheating", "end_date": "2019-11-26", "duration": "10",
         "event": "Cut for 3 hours per day during the exams."},
        # a platform block for exams lasts the whole window
        {"actual_cause": "Exam cheating", "end_date": "2019-11-26", "duration": "10",
         "shutdown_extent": "Service-based", "telegram_affected": "Yes"},
    )
    assert df["hours_basis"].to_list() == ["exam_hours_default", "hours_per_day_stated",
                                           "dates_whole_days"]
    assert df["duration_hours"].to_list() == [10 * cat.EXAM_DAILY_HOURS, 30.0, 240.0]


def _net_events(*rows: dict, n_country: dict | None = None) -> pl.DataFrame:
    df = cat.deduplicate(parsed(*rows))
    share = df.with_columns(
        affected_share=pl.when(pl.col("nationwide")).then(1.0).otherwise(0.1),
        affected_share_low=pl.when(pl.col("nationwide")).then(1.0).otherwise(0.08),
        affected_share_high=pl.when(pl.col("nationwide")).then(1.0).otherwise(0.125),
        area_units=pl.when(pl.col("nationwide")).then(pl.lit(""))
        .otherwise(pl.lit("admin1/a/=0.04|admin1/b/=0.06")))
    return cat.add_network_shares(share, n_country or {"RUS": 11, "MMR": 4})


def test_single_asn_nationwide_event_gets_a_network_share() -> None:
    asn = "https://ioda.inetintel.cc.gatech.edu/asn/25292?from=1"
    out = _net_events(
        # one AS page, the broadcaster VGTRK named: single network of unknown users
        {"iso3_helper": "RUS", "area_name": "Nationwide", "info_source_link": asn,
         "telcos_involved": "Russia: VGTRK"},
        # one AS page, one access operator of 11 named for the country: 1/11 [0.5/11, 2/11]
        {"iso3_helper": "RUS", "area_name": "Nationwide", "start_date": "2019-11-17",
         "info_source_link": asn, "telcos_involved": "Russia: MTS"},
        # a country page as well: the country was measured, not one network
        {"iso3_helper": "RUS", "area_name": "Nationwide", "start_date": "2019-11-18",
         "info_source_link": asn + " https://radar.cloudflare.com/ru?dateStart=2024-10-01"},
    ).sort("start")
    vg, mts, whole = out.iter_rows(named=True)
    assert (vg["network"], vg["network_share_basis"]) == ("vgtrk", "single_network_default")
    assert (vg["affected_share"], vg["affected_share_low"], vg["affected_share_high"]) == (
        0.05, 0.005, 0.2)
    assert not vg["nationwide"]
    assert mts["network_share_basis"] == "one_of_n_operators"
    assert mts["affected_share"] == pytest.approx(1 / 11)
    assert (mts["affected_share_low"], mts["affected_share_high"]) == pytest.approx(
        (0.5 / 11, 2 / 11))
    assert whole["network"] is None and whole["affected_share"] == 1.0 and whole["nationwide"]


def test_one_named_operator_of_a_regional_cut_scales_area_and_units() -> None:
    out = _net_events({"iso3_helper": "MMR", "area_name": "Hpakant",
                       "telcos_involved": "Myanmar: MPT"}).row(0, named=True)
    assert out["network_share_basis"] == "one_of_n_operators"
    assert out["affected_share"] == pytest.approx(0.1 / 4)
    assert (out["affected_share_low"], out["affected_share_high"]) == pytest.approx(
        (0.08 * 0.125, 0.125 * 0.5))
    assert out["area_units"] == "admin1/a/=0.01|admin1/b/=0.015"
    # nationwide text and one operator named without an AS page: the area share stays
    nat = _net_events({"iso3_helper": "MMR", "area_name": "Nationwide",
                       "telcos_involved": "Myanmar: MPT"}).row(0, named=True)
    assert nat["network"] is None and nat["affected_share"] == 1.0


def test_open_ended_regional_event_is_capped() -> None:
    rows = [{"end_date": None, "duration": None, "shutdown_status": "Ongoing",
             "count_year": y, "area_name": area} for area in ("Quetta", "Nationwide")
            for y in (2019, 2022)]
    out = cat.extend_by_listed_years(cat.deduplicate(parsed(*rows))).sort("nationwide")
    regional, national = out.iter_rows(named=True)
    assert regional["hours_basis"] == "open_ended_regional_capped"
    assert regional["duration_hours"] == 24 * cat.OPEN_ENDED_REGIONAL_MAX_DAYS == 2160
    assert regional["end"] == dt.date(2020, 2, 14)  # 16 Nov 2019 + 90 days
    assert national["hours_basis"] == "open_ended_listed_years"
    assert national["end"] == dt.date(2022, 1, 1)


def test_hours_flag_reason() -> None:
    r = {"duration_hours": 3480.0, "nationwide": True, "scope": "full", "network_mobile": True,
         "network_broadband": True, "open_ended": False, "hours_basis": "dates_whole_days",
         "start": dt.date(2016, 5, 16), "end": dt.date(2016, 10, 8), "listed_years": "2016",
         "daily_hours": 24.0, "days_active": 145}
    assert cat.flag_reason(r) == ("nationwide internet cut costed 3,480 h: reported window "
                                  "2016-05-16 to 2016-10-08 (145 days) at 24 h a day")
    assert cat.flag_reason(r | {"duration_hours": 2000.0}) == ""


# ------------------------------------------------------------------ over the whole catalogue
def test_catalogue_one_network_events_have_a_range(events: pl.DataFrame) -> None:
    net = events.filter(pl.col("network_share_basis").is_not_null())
    assert net.height > 0
    assert net.filter((pl.col("affected_share") >= 1)
                      & (pl.col("affected_share_low") >= pl.col("affected_share_high"))).is_empty()
    assert (net["affected_share_low"] < net["affected_share_high"]).all()
    assert (~net["nationwide"]).all()
    vg = events.filter(pl.col("event_id") == "AN-5caed05c75").row(0, named=True)
    assert vg["network"] == "vgtrk" and vg["affected_share"] < 0.1


def test_catalogue_countries_are_single_wb_economies(events: pl.DataFrame) -> None:
    countries = pl.read_csv(REPO / "data" / "countries.csv")
    assert set(events["iso3"]) <= set(countries["iso3"])
    assert events["iso3"].str.contains(r"^[A-Z]{3}$").all()
    assert not events["country"].str.contains(";").any()
    assert events["country"].is_not_null().all()


@needs_raw
def test_catalogue_multi_country_rows_yield_one_event_per_country(events: pl.DataFrame) -> None:
    raw = pl.read_csv(RAW, infer_schema_length=0)
    multi = raw.filter(pl.col("iso3_helper").fill_null("").str.contains(";"))
    assert multi.height > 0
    for helper in multi["iso3_helper"]:
        isos = [i.strip() for i in helper.split(";")]
        rows = events.filter(pl.col("event_id").str.contains(f"-({'|'.join(isos)})$"),
                             pl.col("iso3").is_in(isos))
        got = {e[-3:]: i for e, i in zip(rows["event_id"], rows["iso3"], strict=True)}
        assert got == {i: i for i in isos}
        assert rows["event_id"].str.slice(0, 13).n_unique() == 1


def test_catalogue_open_ended_regional_events_capped(events: pl.DataFrame) -> None:
    regional = events.filter(pl.col("open_ended"), ~pl.col("nationwide"))
    assert regional.height > 0
    limit = cat.OPEN_ENDED_REGIONAL_MAX_DAYS * regional["daily_hours"]
    assert (regional["duration_hours"] <= limit + 1e-9).all()
    ngA = events.filter(pl.col("event_id") == "AN-0357320c20").row(0, named=True)
    assert ngA["duration_hours"] == 2160 and ngA["hours_flag"]


def test_catalogue_hours_flag_exactly_above_threshold(events: pl.DataFrame) -> None:
    above = events["duration_hours"] > cat.FLAG_HOURS
    assert (events["hours_flag"] == above).all()
    assert events.filter(pl.col("hours_flag"))["flag_reason"].str.contains(
        r" costed [\d,]+ h: ").all()
    assert events.filter(~pl.col("hours_flag"))["flag_reason"].fill_null("").eq("").all()


def test_catalogue_regional_events_are_not_silently_nationwide(events: pl.DataFrame) -> None:
    regional = events.filter(~pl.col("area_names").fill_null("").str.contains(
        r"(?i)nation|national|whole|country\s*-?\s*wide|entire country"))
    assert (regional["share_method"] != "nationwide").all()
    assert (regional["affected_share"] < 1).all()
