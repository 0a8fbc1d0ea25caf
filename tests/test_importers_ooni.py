"""OONI aggregation answers: rows carry only their axis columns (country and platform from the
options when the query fixed them), platform domains matched by suffix, hourly and daily
buckets, CSV answers, and one clear line when nothing is left — over small fixtures of our
own and over the real recorded answers in ``../shared/monitor_samples/ooni/`` (skipped when
that folder is absent)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from impact.errors import TimelineError
from impact.monitor.importers import detect_format, ooni, read_any

FIX = Path(__file__).parent / "fixtures" / "monitor" / "ooni"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "monitor_samples" / "ooni"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="needs ../shared/monitor_samples")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def rows(timeline):
    """(start, hours, platform, intensity) of each row."""
    return [(r.start_utc, (r.end_utc - r.start_utc) / timedelta(hours=1), r.platforms[0],
             r.intensity) for r in timeline.rows]


# ---- fixtures (our own, each following a real answer's structure) ---------------------------
def test_probe_cc_axis_gives_rows_per_country_and_country_picks_one() -> None:
    path = FIX / "ooni_agg_probecc_small.json"
    with pytest.raises(TimelineError, match=r"^ooni_agg_probecc_small.json: platform: None .*"
                                            r"give --platform"):
        ooni.read(path, country="PAK")
    # several countries: one is picked even when only Pakistan's days are blocks
    with pytest.raises(TimelineError, match=r"country: None .*axis: IRN, PAK\): give --country"):
        ooni.read(path, platform="telegram")
    tl = ooni.read(path, country="PAK", platform="telegram")
    assert tl.iso3 == "PAK"
    assert rows(tl) == [(t("2024-02-17T00:00"), 24, "telegram", 0.9),
                        (t("2024-02-18T00:00"), 24, "telegram", 0.25)]
    assert tl.report.other_countries == 0  # Iran: 0.03 and a day of no measurements
    # Iran's day is below the threshold: one line with its share
    with pytest.raises(TimelineError, match=r"intensity: 0.03 .*a day with at least 0.2 of "
                                            r"at least 5 .*highest 0.03, telegram on "
                                            r"2024-02-17, 40 measurements"):
        ooni.read(path, country="IRN", platform="telegram")
    with pytest.raises(TimelineError, match=r"country: 'BGD' .*found: IR, PK"):
        ooni.read(path, country="BGD", platform="telegram")


def test_domains_by_suffix_per_hour_and_country_from_the_option() -> None:
    path = FIX / "ooni_agg_domain_hourly_small.json"
    with pytest.raises(TimelineError, match=r"result\[3\]\.probe_cc: probe_cc: None .*"
                                            r"--country"):
        ooni.read(path)
    tl = ooni.read(path, country="PAK")
    # 05:00 x = abs.twimg.com + x.com (7 of 10), instagram.*.fbcdn.net 5 of 5; facebook 0.1
    # is below; 06:00 video.twimg.com (8 - 3 ok - 1 failure) / 8
    assert rows(tl) == [(t("2024-02-08T05:00"), 1, "instagram", 1.0),
                        (t("2024-02-08T05:00"), 1, "x", 0.7),
                        (t("2024-02-08T06:00"), 1, "x", 0.5)]
    assert tl.iso3 == "PAK" and {r.scope for r in tl.rows} == {"platforms"}
    assert any("9gag.com" in n and "www.douyin.com" in n for n in tl.report.notes)
    only = ooni.read(path, country="PAK", platform="instagram")
    assert rows(only) == [(t("2024-02-08T05:00"), 1, "instagram", 1.0)]


@pytest.mark.parametrize(("host", "platform"), [
    ("pbs.twimg.com", "x"), ("upload.twitter.com", "x"), ("t.co", "x"),
    ("edge-mqtt.facebook.com", "facebook"), ("scontent.xx.fbcdn.net", "facebook"),
    ("cdn.fbsbx.com", "facebook"), ("scontent-ams4-1.cdninstagram.com", "instagram"),
    ("instagram.fsaw1-13.fna.fbcdn.net", "instagram"), ("media.whatsapp.net", "whatsapp"),
    ("t.me", "telegram"), ("telegram.org", "telegram"),
    ("textsecure-service.whispersystems.org", "signal"), ("i.ytimg.com", "youtube"),
    ("www.douyin.com", None), ("1.1.1.1", None), ("notx.com", None), ("fbcdn.net.evil", None),
])
def test_platform_domains_are_matched_by_suffix(host: str, platform: str | None) -> None:
    assert ooni.platform_of_domain(host) == platform


def test_test_names_map_to_platforms_and_others_are_skipped_with_a_note() -> None:
    tl = ooni.read(FIX / "ooni_agg_testname_small.json", country="PAK")
    assert rows(tl) == [(t("2024-02-08T00:00"), 24, "facebook", 0.75)]  # (12-2-1)/12
    assert any("tor" in n and "web_connectivity" in n for n in tl.report.notes)


def test_circumvention_tests_alone_say_so() -> None:
    with pytest.raises(TimelineError, match=r"test_name: 'psiphon, tor, torsf' .*circumvention "
                                            r"tools .*not a platform we cost"):
        ooni.read(FIX / "ooni_agg_testname_circumvention_small.json", country="PAK")


def test_csv_answers_read_like_json_ones() -> None:
    path = FIX / "ooni_agg_hourly_small.csv"
    assert detect_format(path) == "ooni" and detect_format(path.read_bytes()) == "ooni"
    with pytest.raises(TimelineError, match="give --platform"):
        read_any(path, country="ITA")
    with pytest.raises(TimelineError, match=r"line 3: probe_cc: None"):
        read_any(path, platform="whatsapp")
    tl = read_any(path, country="ITA", platform="wa")
    # 03:00 6 of 6, 04:00 (5-2-1)/5, 05:00 1 of 5 (at the threshold); 02:00 none of 4
    assert rows(tl) == [(t("2024-02-08T03:00"), 1, "whatsapp", 1.0),
                        (t("2024-02-08T04:00"), 1, "whatsapp", 0.4),
                        (t("2024-02-08T05:00"), 1, "whatsapp", 0.2)]


def test_csv_counts_must_be_whole_numbers(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("anomaly_count,confirmed_count,failure_count,measurement_count,"
                    "measurement_start_day,ok_count\n5,0,0,five,2024-02-08T03:00:00Z,0\n"
                    "6,0,0,6,2024-02-08T04:00:00Z,0\n")
    tl = read_any(path, country="PAK", platform="x")
    assert rows(tl) == [(t("2024-02-08T04:00"), 1, "x", 1.0)]
    assert tl.report.refused == (("odd.csv line 2: measurement_count: 'five' is not accepted; "
                                 "a whole number >= 0"),)


def test_week_and_month_grains_are_refused() -> None:
    path = FIX / "ooni_agg_weekly_small.json"
    with pytest.raises(TimelineError, match=r"measurement_start_day: 'week grain "
                                            r"\(2024-01-01, …\)' .*time_grain=day or hour"):
        ooni.read(path, country="PAK", platform="x")
    with pytest.raises(TimelineError, match=r"grain: 'month' .*hour or day"):
        ooni.read(path, country="PAK", platform="x", grain="month")
    # forced daily, the same dates are two 24-hour rows
    tl = ooni.read(path, country="PAK", platform="x", grain="day")
    assert rows(tl) == [(t("2024-01-01T00:00"), 24, "x", 0.6), (t("2024-01-08T00:00"), 24,
                                                                 "x", 0.64)]


def test_low_shares_give_one_line_with_the_highest() -> None:
    with pytest.raises(TimelineError, match=r"intensity: 0.06 .*no platform-day of 2 in the "
                                            r"file does \(highest 0.06"):
        ooni.read(FIX / "ooni_agg_global_small.json", country="PAK", platform="x")
    lower = ooni.read(FIX / "ooni_agg_global_small.json", country="PAK", platform="x",
                      threshold=0.05)
    assert [r.intensity for r in lower.rows] == [0.06, 0.06]


def test_platform_option_is_checked() -> None:
    with pytest.raises(TimelineError, match=r"platform: 'myspace' .*x, facebook"):
        ooni.read(FIX / "ooni_agg_probecc_small.json", platform="myspace")
    with pytest.raises(TimelineError, match=r"platform: 'signal' .*found: facebook"):
        ooni.read(FIX / "ooni_agg_testname_small.json", country="PAK", platform="signal")


# ---- the real recorded answers ------------------------------------------------------------------
REAL_ROWS = [  # file, platform=, country=, expected (start, hours, platform, intensity)
    ("ooni_agg_probecc_facebook_messenger_2025-03-01.json", "facebook_messenger", "IRN",
     [(t("2025-03-01T00:00"), 24, "facebook", 1.0)]),  # 71 of 71
    ("ooni_agg_probecc_facebook_messenger_2025-03-01.json", "facebook", "CHN",
     [(t("2025-03-01T00:00"), 24, "facebook", 0.84)]),  # 36 of 43
    ("ooni_agg_probecc_facebook_messenger_2025-03-01.json", "facebook", "RUS",
     [(t("2025-03-01T00:00"), 24, "facebook", 0.24)]),  # 152 of 641
    ("ooni_agg_probecc_signal_2025-03-01.json", "signal", "IRN",
     [(t("2025-03-01T00:00"), 24, "signal", 0.58)]),  # 41 of 71 (30 failures)
    ("ooni_agg_probecc_signal_2025-03-01.json", "signal", "CHN",
     [(t("2025-03-01T00:00"), 24, "signal", 0.95)]),  # 42 of 44
    ("ooni_agg_probecc_signal_2025-03-01.json", "signal", "RUS",
     [(t("2025-03-01T00:00"), 24, "signal", 0.84)]),  # 535 of 638
    ("ooni_agg_probecc_whatsapp_2025-03-01.json", "whatsapp", "CHN",
     [(t("2025-03-01T00:00"), 24, "whatsapp", 0.95)]),  # 41 of 43
]


@needs_real
@pytest.mark.parametrize(("name", "platform", "country", "expected"), REAL_ROWS,
                         ids=[f"{r[0][9:30]}-{r[2]}" for r in REAL_ROWS])
def test_real_answers_rows(name: str, platform: str, country: str | None,
                           expected: list) -> None:
    tl = read_any(REAL / name, platform=platform, country=country)
    assert rows(tl) == expected
    assert {r.scope for r in tl.rows} == {"platforms"}


REAL_ERRORS = [  # file, options, the one line (a regex)
    ("ooni_agg_probecc_facebook_messenger_2025-03-01.json", {},
     r"platform: None .*give --platform"),
    ("ooni_agg_probecc_facebook_messenger_2025-03-01.json", {"platform": "facebook"},
     r"country: None .*probe_cc is an axis: CHN, IRN, RUS\): give --country"),
    ("ooni_agg_probecc_whatsapp_2025-03-01.json", {"platform": "whatsapp"},  # China's alone
     r"country: None .*probe_cc is an axis: CHN, IRN, RUS\): give --country"),
    ("ooni_agg_probecc_whatsapp_2025-03-01.json", {"platform": "whatsapp", "country": "IRN"},
     r"intensity: 0.0 .*highest 0.00, whatsapp on 2025-03-01, 71 measurements"),
    ("ooni_agg_probecc_whatsapp_2025-03-01.json", {"platform": "whatsapp", "country": "RUS"},
     r"intensity: 0.0 .*highest 0.00, whatsapp on 2025-03-01, 642 measurements"),
    ("ooni_agg_probecc_signal_2025-03-01.json", {"platform": "signal", "country": "PAK"},
     r"country: 'PAK' .*found: CN, IR, RU"),
    ("ooni_agg_domain_AS15598_2025-04-07.json", {},
     (r"intensity: 0.0 .*no platform-day of 8 in the file does \(highest 0.00, facebook on "
     r"2025-04-07, 33 measurements\)")),
    ("ooni_agg_domain_AS15598_2025-04-07.json", {"platform": "x", "country": "DEU"},
     (r"intensity: 0.0 .*no platform-day of 1 in the file does \(highest 0.00, x on "
     r"2025-04-07, 17 measurements\)")),
    ("ooni_agg_testname_AS15598_2025-04-07_circumvention.json", {},
     (r"test_name: 'psiphon, tor, torsf' .*circumvention tools \(psiphon, tor, torsf\), not a "
     r"platform we cost")),
    ("ooni_agg_webconnectivity_global_2022-03-01_03.json", {},
     (r"intensity: 0.06 .*no platform-day of 3 in the file does \(highest 0.06, no platform "
     r"named on 2022-03-02, 1,212,215 measurements\)")),
    ("ooni_agg_csv_hourly_IT_AS30722_2021-07-09.csv", {},
     (r"intensity: 0.0 .*an hour with at least 0.2 .*no platform-hour of 8 in the file does "
     r"\(highest 0.00, no platform named on 2021-07-09T02:00:00Z, 4 measurements\)")),
    ("ooni_agg_csv_hourly_IT_AS30722_2021-07-09.csv", {"platform": "x", "country": "ITA"},
     r"intensity: 0.0 .*no platform-hour of 8"),
]


@needs_real
@pytest.mark.parametrize(("name", "options", "pattern"), REAL_ERRORS,
                         ids=[f"{r[0][9:30]}-{'-'.join(r[1].values())}" for r in REAL_ERRORS])
def test_real_answers_one_line(name: str, options: dict, pattern: str) -> None:
    with pytest.raises(TimelineError) as info:
        read_any(REAL / name, **options)
    text = str(info.value)
    assert "\n" not in text and text.startswith(name + ": "), text
    assert re.search(pattern, text), text


@needs_real
def test_real_answers_are_detected_as_ooni() -> None:
    for path in sorted(REAL.iterdir()):
        assert detect_format(path) == "ooni", path.name


@needs_real
def test_real_domain_answer_maps_its_platform_domains() -> None:
    import json

    doc = json.loads((REAL / "ooni_agg_domain_AS15598_2025-04-07.json").read_text())
    found = {r["domain"]: ooni.platform_of_domain(r["domain"]) for r in doc["result"]}
    platforms = [p for p in found.values() if p]
    assert len(found) == 114 and len(platforms) == 31
    assert set(platforms) == {"x", "facebook", "instagram", "whatsapp", "youtube", "tiktok",
                              "telegram", "signal"}
    assert found["abs.twimg.com"] == "x" and found["edge-mqtt.facebook.com"] == "facebook"
    assert found["scontent.cdninstagram.com"] == "instagram" and found["www.douyin.com"] is None


def test_reader_options_are_checked() -> None:
    path = FIX / "ooni_agg_global_small.json"
    with pytest.raises(TimelineError, match=r"threshold: 'high' .*between 0 and 1"):
        ooni.read(path, threshold="high")
    with pytest.raises(TimelineError, match=r"grain: 'week' .*time_grain=day or hour"):
        ooni.read(path, grain="week")
    with pytest.raises(TimelineError, match=r"option: 'platforms' .*platform"):
        ooni.read(path, platforms="x")
