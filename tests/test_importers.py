"""Importers of monitor files: each format's fixture gives the hand-checked rows, partial
drops give partial intensities, malformed files give one-line errors naming the file, the
record and the field, and `read_any` detects each fixture's format."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from impact.errors import TimelineError
from impact.monitor.importers import FORMATS, detect_format, read_any
from impact.monitor.importers import ioda_signals as sig
from impact.monitor.timeline import hourly

FIX = Path(__file__).parent / "fixtures" / "monitor"


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def rows(timeline):
    return [(r.start_utc, r.end_utc, r.region, r.asn, r.scope, r.platforms, r.intensity)
            for r in timeline.rows]


# ---- IODA signals -----------------------------------------------------------------------
def test_ioda_signals_pakistan_active_probing_with_partial_hours() -> None:
    tl = FORMATS["ioda_signals"](FIX / "ioda_signals" / "ioda_signals_pak_2024-02-08.json")
    assert tl.iso3 == "PAK"
    assert rows(tl) == [
        (t("2024-02-08T02:00"), t("2024-02-08T13:00"), None, None, "full", (), 0.8),
        (t("2024-02-08T13:00"), t("2024-02-08T14:00"), None, None, "full", (), 0.5),
        (t("2024-02-08T14:00"), t("2024-02-08T15:00"), None, None, "full", (), 0.15),
    ]
    assert {r.source for r in tl.rows} == {"IODA ping-slash24"}
    # the timeline's hours: 13 restricted hours, the partial ones costed partially
    pieces = hourly(tl)
    assert len(pieces) == 13 and pieces[-1].intensity == pytest.approx(0.15)


def test_ioda_signals_other_datasource_threshold_and_baseline() -> None:
    path = FIX / "ioda_signals" / "ioda_signals_pak_2024-02-08.json"
    bgp = sig.read(path, datasource="bgp")
    assert rows(bgp) == [(t("2024-02-08T02:00"), t("2024-02-08T15:00"), None, None, "full",
                          (), 0.1)]
    assert [r.intensity for r in sig.read(path, threshold=0.6).rows] == [0.8]
    # an explicit baseline: 25 000 makes every normal hour a 0.2 drop (below 0.3)
    explicit = sig.read(path, baseline={"ping-slash24": 25000}, threshold=0.3)
    assert [r.intensity for r in explicit.rows] == [0.84, 0.6, 0.32]
    assert sig.read(path, datasource="merit-nt").rows[0].intensity == 0.7


def test_ioda_signals_region_and_short_file() -> None:
    tl = read_any(FIX / "ioda_signals" / "ioda_signals_region.json")
    assert rows(tl) == [(t("2024-02-08T06:00"), t("2024-02-08T12:00"), "Balochistan", None,
                         "full", (), 0.5)]
    small = read_any(FIX / "ioda_signals" / "ioda_signals_small.json")
    assert rows(small) == [(t("2024-02-08T03:00"), t("2024-02-08T04:00"), None, None, "full",
                            (), 0.8)]


# ---- IODA outages -------------------------------------------------------------------------
def test_ioda_events_intensity_from_alerts_else_one() -> None:
    tl = FORMATS["ioda_outages"](FIX / "ioda_outages" / "ioda_events_pak.json")
    assert rows(tl) == [
        (t("2024-02-08T02:00"), t("2024-02-08T15:00"), None, None, "full", (), 1.0),
        (t("2024-02-08T02:10"), t("2024-02-08T14:00"), None, None, "full", (), 0.5),
        (t("2024-02-08T06:00"), t("2024-02-08T12:00"), "Balochistan", None, "full", (), 0.003),
    ]  # bgp: median of drops 0.4 and 0.6; merit-nt: score 90 over 360 min = 0.25 % mean drop
    codf = read_any(FIX / "ioda_outages" / "ioda_events_codf.json")
    assert rows(codf) == [(t("2024-02-08T02:00"), t("2024-02-08T05:00"), None, None, "full",
                           (), 0.056)]  # score 1000 over 180 min


def test_ioda_alerts_run_to_the_next_alert() -> None:
    tl = read_any(FIX / "ioda_outages" / "ioda_alerts_pak.json")
    assert rows(tl) == [
        (t("2024-02-08T02:00"), t("2024-02-08T02:10"), None, None, "full", (), 0.5),
        (t("2024-02-08T02:00"), t("2024-02-08T13:00"), None, None, "full", (), 0.8),
        (t("2024-02-08T13:00"), t("2024-02-08T15:00"), None, None, "full", (), 0.25),
    ]
    only = read_any(FIX / "ioda_outages" / "ioda_alerts_pak.json", datasource="bgp",
                    alert_seconds=3600)
    assert rows(only) == [(t("2024-02-08T02:00"), t("2024-02-08T03:00"), None, None, "full",
                           (), 0.5)]


# ---- Cloudflare Radar ----------------------------------------------------------------------
def test_cloudflare_radar_types() -> None:
    tl = FORMATS["cloudflare_radar"](FIX / "cloudflare_radar" / "radar_outages_pak.json")
    assert rows(tl) == [
        (t("2024-02-08T02:00"), t("2024-02-08T15:00"), None, None, "full", (), 1.0),
        (t("2024-02-08T06:00"), t("2024-02-08T12:30"), "Balochistan", None, "full", (), 1.0),
        (t("2024-02-09T10:00"), t("2024-02-09T11:00"), None, 17557, "full", (), 1.0),
    ]
    assert tl.rows[0].source == "Cloudflare Radar 101 (GOVERNMENT_DIRECTED)"


def test_cloudflare_radar_ongoing_needs_until() -> None:
    path = FIX / "cloudflare_radar" / "radar_ongoing.json"
    with pytest.raises(TimelineError, match=r"radar_ongoing.json result.annotations\[0\]: "
                                            r"end: .*--until"):
        read_any(path)
    tl = read_any(path, until="2024-02-08T20:00Z")
    assert rows(tl) == [(t("2024-02-08T02:00"), t("2024-02-08T20:00"), None, None, "full",
                         (), 1.0)]


# ---- OONI ------------------------------------------------------------------------------------
def test_ooni_domains_per_platform_and_day() -> None:
    tl = FORMATS["ooni"](FIX / "ooni" / "ooni_domains_pak.json")
    assert rows(tl) == [
        (t("2024-02-08T00:00"), t("2024-02-09T00:00"), None, None, "platforms", ("x",), 0.48),
        (t("2024-02-09T00:00"), t("2024-02-10T00:00"), None, None, "platforms",
         ("youtube",), 0.8),
    ]
    lower = read_any(FIX / "ooni" / "ooni_domains_pak.json", threshold=0.1, min_measurements=3)
    assert {(r.platforms, r.intensity) for r in lower.rows} == {
        (("x",), 0.48), (("facebook",), 0.15), (("youtube",), 0.8), (("instagram",), 1.0)}


def test_ooni_test_names_need_a_country_when_the_query_fixed_it() -> None:
    path = FIX / "ooni" / "ooni_im_tests.json"
    with pytest.raises(TimelineError, match=r"ooni_im_tests.json result\[0\]\.probe_cc: "
                                            r"probe_cc: .*country="):
        read_any(path)
    tl = read_any(path, country="PAK")
    assert rows(tl) == [(t("2024-02-08T00:00"), t("2024-02-09T00:00"), None, None,
                         "platforms", ("whatsapp",), 0.7)]


# ---- Access Now and our CSV --------------------------------------------------------------------
def test_accessnow_rows_whole_days_and_catalogue_scopes() -> None:
    path = FIX / "accessnow" / "stop_rows_pak.csv"
    ongoing = read_any(path, until="2024-05-20T00:00Z")
    assert rows(ongoing) == [
        (t("2024-02-08T00:00"), t("2024-02-09T00:00"), None, None, "mobile", (), 1.0),
        (t("2024-02-17T00:00"), t("2024-02-27T00:00"), None, None, "platforms", ("x",), 1.0),
        (t("2024-03-01T00:00"), t("2024-03-02T00:00"), "Balochistan", None,
         "throttling", (), 0.5),
        (t("2024-05-10T00:00"), t("2024-05-20T00:00"), None, None, "platforms",
         ("youtube", "tiktok"), 1.0),
    ]
    assert ongoing.report.ongoing == 1
    # without until the row still on is refused, the others kept (test_importers_accessnow.py)
    assert FORMATS["accessnow"](path).report.kept == 3


def test_our_timeline_csv_is_delegated() -> None:
    tl = read_any(FIX / "timeline" / "timeline_pak.csv")
    assert rows(tl) == [
        (t("2024-02-08T02:00"), t("2024-02-08T15:00"), None, None, "mobile", (), 1.0),
        (t("2024-02-08T06:00"), t("2024-02-08T12:00"), "Balochistan", None, "full", (), 0.6),
    ]
    with pytest.raises(TimelineError, match=r"found: PAK"):
        read_any(FIX / "timeline" / "timeline_pak.csv", country="India")


# ---- malformed files ------------------------------------------------------------------------------
BAD = [
    ("ioda_signals/bad_broken.json", r"bad_broken.json line 3: json: "),
    ("ioda_signals/bad_missing_until.json", r"data\[0\]\[0\]\.until: until: None .*missing"),
    ("ioda_signals/bad_wrong_type.json", r"data\[0\]\[0\]\.values\[2\]: values\[2\]: 'abc'"),
    ("ioda_signals/bad_until_before_from.json", r"data\[0\]\[0\]\.until: until: 1707264000"),
    ("ioda_signals/bad_unknown_country.json", r"data\[0\]\[0\]\.entityCode: entityCode: 'ZZ'"),
    ("ioda_outages/bad_broken.json", r"bad_broken.json line 3: json: "),
    ("ioda_outages/bad_missing_until.json", r"data\[0\]\.until: until: None .*missing"),
    ("ioda_outages/bad_wrong_type.json", r"data\[0\]\.from: from: 'yesterday'"),
    ("ioda_outages/bad_until_before_from.json", r"data\[0\]\.until: until: 1707354000 .*after"),
    ("ioda_outages/bad_unknown_country.json", r"data\[0\]\.entity\.code: code: 'ZZ'"),
    ("cloudflare_radar/bad_broken.json", r"bad_broken.json line 2: json: "),
    ("cloudflare_radar/bad_missing_start.json",
     r"result\.annotations\[0\]\.startDate: startDate: None .*missing"),
    ("cloudflare_radar/bad_wrong_type.json",
     r"result\.annotations\[0\]\.locations: locations: 'PK' .*a list"),
    ("cloudflare_radar/bad_end_before_start.json",
     r"result\.annotations\[0\]\.endDate: endDate: '2024-02-07T15:00:00Z' .*after startDate"),
    ("cloudflare_radar/bad_unknown_country.json",
     r"result\.annotations\[0\]\.locations\[0\]: locations\[0\]: 'ZZ'"),
    ("ooni/bad_broken.json", r"bad_broken.json line 2: json: "),
    ("ooni/bad_missing_count.json", r"result\[0\]\.measurement_count: measurement_count: None"),
    ("ooni/bad_wrong_type.json", r"result\[0\]\.anomaly_count: anomaly_count: '12'"),
    ("ooni/bad_date.json", r"result\[0\]\.measurement_start_day: measurement_start_day: '8 Feb'"),
    ("ooni/bad_unknown_country.json", r"result\[0\]\.probe_cc: probe_cc: 'ZZ'"),
    ("accessnow/bad_end_before_start.csv", r"line 2: end_date: '2024-02-01' .*on or after"),
    ("accessnow/bad_date.csv", r"line 2: start_date: '2024-02-30'"),
    ("accessnow/bad_missing_column.csv", r"line 1: header: .*shutdown_extent"),
    ("timeline/bad_end_before_start.csv", r"line 2: end_utc: "),
]


@pytest.mark.parametrize(("name", "pattern"), BAD, ids=[b[0] for b in BAD])
def test_malformed_files_give_one_line_errors(name: str, pattern: str) -> None:
    path = FIX / name
    fmt = name.split("/")[0]
    for call in (lambda: FORMATS[fmt](path), lambda: read_any(path)):
        with pytest.raises(TimelineError) as info:
            call()
        text = str(info.value)
        assert "\n" not in text
        assert text.startswith(path.name), text
        assert re.search(pattern, text), text


def test_bytes_upload_is_labelled() -> None:
    data = (FIX / "ioda_signals" / "bad_wrong_type.json").read_bytes()
    with pytest.raises(TimelineError, match=r"^upload data\[0\]\[0\]\.values\[2\]"):
        read_any(data)
    with pytest.raises(TimelineError, match=r"^mine.json data\[0\]"):
        read_any(data, name="mine.json")


def test_unknown_options_and_formats_are_named() -> None:
    path = FIX / "ooni" / "ooni_domains_pak.json"
    with pytest.raises(TimelineError, match="option: 'treshold' .*min_measurements"):
        read_any(path, treshold=0.3)
    with pytest.raises(TimelineError, match="format: 'radar' .*cloudflare_radar"):
        read_any(path, fmt="radar")


# ---- detection -------------------------------------------------------------------------------------
GOOD = {
    "ioda_signals": ["ioda_signals_pak_2024-02-08.json", "ioda_signals_region.json"],
    "ioda_outages": ["ioda_events_pak.json", "ioda_events_codf.json", "ioda_alerts_pak.json"],
    "cloudflare_radar": ["radar_outages_pak.json", "radar_ongoing.json"],
    "ooni": ["ooni_domains_pak.json", "ooni_im_tests.json"],
    "accessnow": ["stop_rows_pak.csv"],
    "timeline": ["timeline_pak.csv"],
}


@pytest.mark.parametrize(("fmt", "name"), [(f, n) for f, ns in GOOD.items() for n in ns])
def test_read_any_detects_each_fixture(fmt: str, name: str) -> None:
    path = FIX / fmt / name
    assert detect_format(path) == fmt
    assert detect_format(path.read_bytes()) == fmt


def test_undetectable_files_list_the_formats(tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": []}')
    with pytest.raises(TimelineError, match=r"^odd.json: format: .*ioda_signals.*ooni.*timeline"):
        read_any(odd)
    csv = tmp_path / "odd.csv"
    csv.write_text("a,b\n1,2\n")
    with pytest.raises(TimelineError, match=r"^odd.csv: format: 'CSV header a,b'.*accessnow"):
        read_any(csv)


@pytest.mark.parametrize(("name", "text", "words"), [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deep"),
    ("bigint.json", '{"data": [[{"from": ' + "9" * 5000 + "}]]}", "ordinary numbers"),
    ("nan.json", '{"data": [[{"step": NaN}]]}', "finite numbers"),
    ("inf.json", '{"data": [[{"step": Infinity}]]}', "finite numbers"),
    ("y9999.csv", "start_utc,end_utc,country\n9999-12-31T20:00Z,9999-12-31T23:00Z,PAK\n",
     "from 2000 to 2100"),
    ("asn.csv", "start_utc,end_utc,country,asn\n2024-02-08T02:00Z,2024-02-08T05:00Z,PAK,²\n",
     "autonomous system number"),
    ("cell.csv", "start_utc,end_utc,country,region\n2024-02-08T02:00Z,2024-02-08T05:00Z,PAK,"
     + "x" * 200_000 + "\n", "cells of at most"),
])
def test_hostile_files_are_one_line(name, text, words):
    with pytest.raises(TimelineError, match=words) as info:
        read_any(text.encode(), name=name)
    assert "\n" not in str(info.value) and len(str(info.value)) < 400


def test_ioda_steps_and_durations_out_of_range_are_refused():
    series = {"entityType": "country", "entityCode": "PK", "datasource": "bgp",
              "from": 1707350400, "until": 1707372000, "step": 1e15, "values": [1, 2]}
    with pytest.raises(TimelineError, match="step: .* at most|<= 2,678,400"):
        read_any(json.dumps({"type": "signals", "data": [[series]]}).encode(), name="s.json")
    event = {"location": "country/PK", "start": 1707350400, "duration": 1e15, "score": 10,
             "datasource": "bgp"}
    with pytest.raises(TimelineError, match="duration: .*at most a year"):
        read_any(json.dumps({"type": "outages.events", "data": [event]}).encode(),
                 name="e.json")


def test_region_text_below_admin1_is_placed_as_the_catalogue_does():
    """A district or "city, region" text is costed in its admin-1 region at the place's share
    of it; a country without admin-1 regions at the place's share of the country."""
    text = ("start_utc,end_utc,country,region\n"
            '2024-02-08T02:00Z,2024-02-08T05:00Z,IND,"Srinagar, Jammu & Kashmir"\n')
    tl = read_any(text.encode(), name="t.csv")
    (row,) = tl.rows
    assert row.region == "Jammu & Kashmir" and 0.02 < row.affected_share < 0.3
    assert any("district, township or city" in n for n in tl.report.notes)
    text = "start_utc,end_utc,country,region\n2024-02-08T02:00Z,2024-02-08T05:00Z,YEM,Aden\n"
    (row,) = read_any(text.encode(), name="t.csv").rows
    assert row.region is None and 0 < row.affected_share < 0.1
