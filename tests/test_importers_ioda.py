"""IODA importers over the real recorded files in ../shared/monitor_samples/ioda (skipped when
absent) with outcomes written down from reading them, and over small fixtures of the same
structure: steps longer than an hour, empty windows, nested usage values (gtr, mozilla),
events closed by the API, and a bad record that never costs a good one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from impact.errors import TimelineError
from impact.monitor.importers import detect_format, read_any
from impact.monitor.importers import ioda_outages as out
from impact.monitor.importers import ioda_signals as sig
from impact.monitor.timeline import hourly

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "monitor_samples" / "ioda"
FIX = REPO / "tests" / "fixtures" / "monitor"
SIG = FIX / "ioda_signals"
OUT = FIX / "ioda_outages"
ASNS = REAL / "ioda_signals_raw_asn1299_1299_upstream_delay_penult_asns.json"
LATENCY = REAL / "ioda_signals_raw_asn1299_1299_upstream_delay_penult_e2e_latency.json"
CF = REAL / "ioda_events_codf_record_CF_2024-02-01.json"
real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/monitor_samples absent")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def spans(tl):
    return [(r.start_utc, r.end_utc, r.scope, r.platforms, r.intensity) for r in tl.rows]


# ---- real files ------------------------------------------------------------------------------
@real
@pytest.mark.parametrize(("path", "ds"), [(ASNS, "upstream-delay-penult-asns"),
                                          (LATENCY, "upstream-delay-penult-e2e-latency")])
def test_real_asn_upstream_delay_files_say_what_to_add(path: Path, ds: str) -> None:
    # AS1299, one series each (subtype ""), 24 hourly nested values of two penultimate ASes:
    # path counts / latencies, no reachability signal -> one line naming found and read
    assert detect_format(path) == "ioda_signals"
    with pytest.raises(TimelineError) as info:
        read_any(path)
    text = str(info.value)
    assert "\n" not in text and text.startswith(path.name)
    assert f"datasource: '{ds}'" in text
    assert "ping-slash24, bgp, merit-nt, gtr, mozilla" in text
    assert "give --country (country= in Python): the entity is AS1299, which has no country " \
           "of its own" in text
    with pytest.raises(TimelineError) as info:
        read_any(path, country="SWE")
    assert f"'{ds}'" in str(info.value) and "--country" not in str(info.value)
    assert "found: none" not in str(info.value)


@real
def test_real_codf_event_closed_by_the_api() -> None:
    # location country/CF, start 1706692200 (2024-01-31 09:10), duration 1,209,600 s (the
    # default extendWindow: an API-made end), overlaps_window true, bgp, score 69,517.24
    # (drop % x minutes): 69,517.24 / 20,160 min / 100 = 0.034 mean drop
    tl = read_any(CF)
    assert tl.iso3 == "CAF"
    assert spans(tl) == [(t("2024-01-31T09:10"), t("2024-02-14T09:10"), "full", (), 0.034)]
    assert tl.ongoing and tl.report.until == t("2024-02-14T09:10")
    assert any("extendWindow" in n and "may still be on" in n for n in tl.report.notes)
    assert (tl.end - tl.start).total_seconds() / 3600 == 336
    # cut at the query's until (2024-02-02 00:00): 38 h 50 min
    cut = read_any(CF, until="2024-02-02T00:00Z")
    assert spans(cut) == [(t("2024-01-31T09:10"), t("2024-02-02T00:00"), "full", (), 0.034)]
    assert cut.ongoing


# ---- signals ---------------------------------------------------------------------------------
def test_a_twelve_hour_step_covers_twelve_hours() -> None:
    tl = sig.read(SIG / "ioda_signals_step_12h.json")
    assert spans(tl) == [(t("2024-02-09T00:00"), t("2024-02-09T12:00"), "full", (), 0.8)]
    assert len(hourly(tl)) == 12


def test_an_empty_window_is_one_clear_line() -> None:
    path = SIG / "ioda_signals_empty_window.json"
    assert detect_format(path) == "ioda_signals"
    with pytest.raises(TimelineError, match=r"^ioda_signals_empty_window.json: data: \[\[\]\] "
                       r".*no data for this window \(2000-01-01T00:00:00Z to 2000-01-02"):
        read_any(path)


def test_usage_signals_nested_values_and_products() -> None:
    path = SIG / "ioda_signals_usage_pak.json"  # gtr WEB_SEARCH + YOUTUBE (nested), mozilla
    tl = read_any(path)  # no reachability signal: gtr, the median of its two products
    assert spans(tl) == [(t("2024-02-09T14:00"), t("2024-02-09T16:00"), "full", (), 0.25),
                         (t("2024-02-10T06:00"), t("2024-02-10T12:00"), "full", (), 0.9)]
    assert {r.source for r in tl.rows} == {"IODA gtr"}
    assert any("usage signal" in n for n in tl.report.notes)
    youtube = read_any(path, datasource="gtr.YOUTUBE")
    assert spans(youtube) == [
        (t("2024-02-09T14:00"), t("2024-02-09T16:00"), "platforms", ("youtube",), 0.5),
        (t("2024-02-10T06:00"), t("2024-02-10T12:00"), "platforms", ("youtube",), 0.9)]
    mozilla = read_any(path, datasource="mozilla")
    assert spans(mozilla) == [(t("2024-02-10T06:00"), t("2024-02-10T12:00"), "full", (), 0.9)]


def test_datasource_option_is_checked() -> None:
    with pytest.raises(TimelineError, match=r"datasource: 'ping-slash24-latency' .*gtr.YOUTUBE"):
        read_any(SIG / "ioda_signals_usage_pak.json", datasource="ping-slash24-latency")
    with pytest.raises(TimelineError, match=r"datasource: 'gtr.WEB_SEARCH, gtr.YOUTUBE, "
                       r"mozilla' .*bgp is not in the file"):
        read_any(SIG / "ioda_signals_usage_pak.json", datasource="bgp")


def test_asn_fixture_follows_the_real_file() -> None:
    path = SIG / "ioda_signals_asn_upstream_delay.json"
    with pytest.raises(TimelineError, match=r"'upstream-delay-penult-asns' .*for AS1299; and "
                       r"give --country \(country= in Python\): the entity is AS1299"):
        read_any(path)


def test_asn_with_a_signal_asks_only_for_the_country(tmp_path: Path) -> None:
    text = (SIG / "ioda_signals_small.json").read_text()
    path = tmp_path / "asn.json"
    path.write_text(text.replace('"country"', '"asn"').replace('"PK"', '"17557"'))
    with pytest.raises(TimelineError, match=r"country: None is not accepted; give --country "
                       r"\(country= in Python\): the entity is AS17557, which has no country"):
        read_any(path)
    assert [r.asn for r in read_any(path, country="PAK").rows] == [17557]


def test_a_bad_series_never_costs_a_good_one() -> None:
    tl = read_any(SIG / "ioda_signals_one_bad_series.json")
    assert spans(tl) == [(t("2024-02-08T03:00"), t("2024-02-08T04:00"), "full", (), 0.8)]
    assert tl.report.kept == 1 and len(tl.report.refused) == 1
    assert "data[1][0].values[1]: values[1]: 'n/a'" in tl.report.refused[0]
    assert any("still down in the file's last hour" in n for n in tl.report.notes)


# ---- events ----------------------------------------------------------------------------------
def test_codf_events_closed_by_the_api_and_a_bad_record() -> None:
    path = OUT / "ioda_events_codf_ongoing.json"
    tl = out.read(path)  # bgp: 60,480 / 20,160 min = 3 % mean drop; ping: 14,400 / 180 = 80 %
    assert spans(tl) == [(t("2024-02-07T00:10"), t("2024-02-21T00:10"), "full", (), 0.03),
                         (t("2024-02-08T02:00"), t("2024-02-08T05:00"), "full", (), 0.8)]
    assert tl.report.ongoing == 1 and len(tl.report.refused) == 1
    assert "data[2].start: start: 'yesterday'" in tl.report.refused[0]
    cut = out.read(path, until="2024-02-08T12:00Z")
    assert cut.rows[0].end_utc == t("2024-02-08T12:00")
    assert cut.rows[1].end_utc == t("2024-02-08T05:00")  # a real end stays


def test_a_full_page_of_events_is_noted(tmp_path: Path) -> None:
    rec = ('{"location": "country/PK", "start": 1707357600, "duration": 3600, '
           '"datasource": "bgp", "score": 3000.0, "overlaps_window": false}')
    path = tmp_path / "page.json"
    path.write_text('{"type": "outages.events", "data": [' + ",".join([rec] * 500) + "]}")
    assert any("page" in n for n in read_any(path).report.notes)
