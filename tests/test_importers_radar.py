"""Cloudflare Radar outage annotations and traffic anomalies: causes (restrictions by default),
vague regional scopes, both ``asnsDetails`` location shapes, ongoing annotations costed to
``until`` (incl. ``now``), a bad annotation refused alone, and the real documented answer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from impact.cli import main
from impact.errors import TimelineError
from impact.monitor import timeline as timeline_module
from impact.monitor.importers import FORMATS, detect_format, read_any
from impact.monitor.importers.cloudflare_radar import cause_key, is_restriction, parse_causes

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "fixtures" / "monitor" / "cloudflare_radar"
REAL = REPO.parent / "shared" / "monitor_samples" / "cloudflare_radar" / \
    "radar_outages_docs_example_2022.json"
needs_real = pytest.mark.skipif(not REAL.exists(), reason="../shared/monitor_samples absent")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def spans(tl) -> list[tuple]:
    return [(r.start_utc, r.end_utc, r.region, r.asn) for r in tl.rows]


def hours(tl) -> float:
    return sum((r.end_utc - r.start_utc).total_seconds() for r in tl.rows) / 3600


# ---- causes ------------------------------------------------------------------------------------
def test_restrictions_only_by_default_with_a_note_counting_the_others() -> None:
    tl = read_any(FIX / "radar_outages_causes.json", country="PAK")
    assert spans(tl) == [
        (t("2024-02-08T02:00"), t("2024-02-08T15:00"), None, None),
        (t("2024-02-09T06:00"), t("2024-02-09T12:00"), "Balochistan", None),  # "Quetta, …"
        (t("2024-02-10T00:00"), t("2024-02-10T04:00"), None, None),  # "Multiple regions"
        (t("2024-02-11T10:00"), t("2024-02-11T11:00"), None, 17557),  # asnsDetails[].location
    ]
    rep = tl.report
    assert rep.records == 9 and rep.kept == 4 and rep.other_countries == 1
    assert ("3 outages with other causes skipped: power outage (2), weather (1); give "
            "causes=all (--causes all) to cost them") in rep.notes
    assert any("1 REGIONAL outage naming no admin-1 region we know (scope 'Multiple "
               "regions'): costed on the whole country at the catalogue's share" in n
               for n in rep.notes)
    # the annotation with location ZZ is refused alone, naming itself
    assert len(rep.refused) == 1
    assert rep.refused[0].startswith("radar_outages_causes.json result.annotations[7]"
                                     ".locations[0]: locations[0]: 'ZZ'")


@pytest.mark.parametrize(("causes", "kept_sources"), [
    ("all", {"201", "202", "203", "204", "205", "206", "207"}),
    ("power_outage", {"205", "206"}),
    ("Power outage, restrictions", {"201", "202", "203", "204", "205", "206"}),
    (["weather"], {"207"}),
])
def test_causes_option(causes, kept_sources) -> None:
    tl = read_any(FIX / "radar_outages_causes.json", country="PAK", causes=causes)
    assert {r.source.split()[2] for r in tl.rows} == kept_sources


def test_cause_helpers() -> None:
    assert cause_key("Government directed") == "GOVERNMENT_DIRECTED" == cause_key(
        "government-directed")
    assert is_restriction("GOVERNMENT_DIRECTED") and is_restriction("SHUTDOWN")
    assert not any(is_restriction(c) for c in ("POWER_OUTAGE", "CABLE_CUT", "WEATHER",
                                               "MILITARY_ACTION", "UNKNOWN"))
    assert parse_causes("all").every and parse_causes(None).restrictions


def test_only_other_causes_is_one_clear_line() -> None:
    with pytest.raises(TimelineError) as info:
        read_any(FIX / "radar_docs_shape_2022.json")
    assert str(info.value) == (
        "radar_docs_shape_2022.json: outageCause: 'power outage (1), weather (1)' is not "
        "accepted; a restriction (government directed) to cost by default; these are other "
        "outages: give causes=all (--causes all), or causes=power_outage,weather, to cost "
        "them")


def test_a_misspelt_cause_is_named() -> None:
    with pytest.raises(TimelineError, match=r"causes: 'wether' is not accepted; all, "
                                            r"restrictions, or causes such as"):
        read_any(FIX / "radar_outages_causes.json", causes="wether")


# ---- where, and ongoing -------------------------------------------------------------------------
def test_documented_2022_shape_with_all_causes() -> None:
    """No id, no asnsDetails/locationsDetails, scope null-ish or vague, endDate null."""
    tl = read_any(FIX / "radar_docs_shape_2022.json", causes="all", until="2023-01-24T00:00Z")
    assert spans(tl) == [
        (t("2022-08-25T00:00"), t("2022-08-27T12:00"), "Sindh", None),  # "… cities in Sindh"
        (t("2023-01-23T02:30"), t("2023-01-24T00:00"), None, None),  # vague: nationwide
    ]
    assert tl.report.ongoing == 1 and tl.ongoing
    assert any("scope 'Multiple regions/cities'" in n for n in tl.report.notes)


def test_asns_details_locations_shape_of_the_api_types() -> None:
    tl = FORMATS["cloudflare_radar"](FIX / "radar_outages_pak.json")
    assert tl.rows[-1].asn == 17557 and tl.rows[-1].country == "PAK"


def test_ongoing_needs_until_and_now_costs_it_so_far(monkeypatch) -> None:
    path = FIX / "radar_ongoing.json"
    with pytest.raises(TimelineError, match=r"radar_ongoing.json result.annotations\[0\]: "
                                            r"end: 'none \(still on\)' .*--until now"):
        read_any(path)
    monkeypatch.setattr(timeline_module, "now_utc", lambda: t("2024-02-09T08:00"))
    tl = read_any(path, until="now")
    assert spans(tl) == [(t("2024-02-08T02:00"), t("2024-02-09T08:00"), None, None)]
    assert tl.report.ongoing == 1 and tl.report.until == t("2024-02-09T08:00")


def test_intensity_option() -> None:
    tl = read_any(FIX / "radar_outages_pak.json", intensity=0.5)
    assert {r.intensity for r in tl.rows} == {0.5}
    with pytest.raises(TimelineError, match="intensity: 'high'"):
        read_any(FIX / "radar_outages_pak.json", intensity="high")


# ---- traffic anomalies ---------------------------------------------------------------------
def test_traffic_anomalies_are_detected_and_read() -> None:
    path = FIX / "radar_traffic_anomalies.json"
    assert detect_format(path) == "cloudflare_radar"
    with pytest.raises(TimelineError, match=r"cause: 'traffic anomaly \(3\)' .*causes="
                                            r"traffic_anomaly"):
        read_any(path)
    tl = read_any(path, causes="traffic_anomaly", until="2024-02-08T12:00Z")
    assert spans(tl) == [(t("2024-02-08T02:00"), t("2024-02-08T06:00"), None, None),
                         (t("2024-02-08T10:00"), t("2024-02-08T12:00"), None, 17557)]
    assert "1 unverified traffic anomaly skipped (status not VERIFIED)" in tl.report.notes


# ---- the real documented answer (../shared, not committed) -----------------------------------
@needs_real
def test_real_docs_example_default_is_one_clear_line() -> None:
    with pytest.raises(TimelineError) as info:
        read_any(REAL)
    text = str(info.value)
    assert "\n" not in text and "'power outage (1), weather (1)'" in text
    assert "causes=all" in text


@needs_real
def test_real_docs_example_with_all_causes() -> None:
    # the Florida weather outage: 28 Sep 19:00 to 2 Nov 00:00 UTC = 821 h; no US admin-1
    # regions are bundled, so it is costed on the whole country at the catalogue's share of
    # "several cities of one region" (1.5 %, noted), not all of it; the Ukrainian power outage is
    # still on (endDate null) and needs until
    tl = read_any(REAL, causes="all")
    assert [(r.country, r.region, r.asn) for r in tl.rows] == [("USA", None, None)]
    assert hours(tl) == 821 and {r.intensity for r in tl.rows} == {1.0}
    assert len(tl.report.refused) == 1 and "until" in tl.report.refused[0]
    assert any("at the catalogue's share" in n for n in tl.report.notes)
    assert {r.affected_share for r in tl.rows} == {0.015}
    # Ukraine to 1 Nov 2022: 25 Oct 00:00 to 1 Nov 00:00 = 168 h, ongoing
    ua = read_any(REAL, causes="all", country="UKR", until="2022-11-01T00:00Z")
    assert hours(ua) == 168 and ua.report.ongoing == 1
    # to now, the 2022 annotation runs past the 366-day cap of a timeline: one line
    with pytest.raises(TimelineError, match=r"result.annotations\[0\]: end_utc: .*at most"):
        read_any(REAL, causes="all", country="UKR", until="now")


@needs_real
def test_real_docs_example_on_the_command_line(capsys) -> None:
    assert main(["monitor", str(REAL)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--causes all" in err
    assert main(["monitor", str(REAL), "--causes", "all", "--country", "USA", "--project",
                 "1d", "--draws", "200"]) == 0
    out = capsys.readouterr().out
    assert "USA, 2022-09-28 19:00 to 2022-11-02 00:00 UTC" in out
    assert "at the catalogue's share" in out
