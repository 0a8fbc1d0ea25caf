"""The Monitor page for people: the timeline rows in plain words (a real Access Now sheet from
``../shared/monitor_samples``, skipped when absent), one time format on both charts, a short
line for a file of no known format, a status line while reading and costing, named radio
groups, and the view's shareable link (query parameters, restored on load)."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import monitor_charts as mch
from app_pages import monitor_choices as mc
from app_pages import monitor_link as ml
from app_pages import monitor_read as mr
from app_pages import monitor_view as mv
from app_pages.monitor_results import UNKNOWN_FORMAT
from impact import format as fmt

ROOT = Path(__file__).resolve().parents[2]
MONITOR = str(ROOT / "app_pages" / "monitor.py")
TIMEOUT = 60
SAMPLES = ROOT.parent / "shared" / "monitor_samples"
STOP_2022 = SAMPLES / "accessnow" / "stop_2022_sheet_pandas.csv"
real = pytest.mark.skipif(not STOP_2022.is_file(), reason="../shared/monitor_samples absent")


def _page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(MONITOR, default_timeout=TIMEOUT)
    if params:
        at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def _upload(at: AppTest, name: str, data: bytes, country: str = "") -> AppTest:
    at.radio(key="mon_source").set_value("upload").run()
    at.session_state[mc.UPLOADED_KEY] = (name, data)
    if country:
        at.text_input(key="mon_country").input(country)
    return at.run()


def _rows(at: AppTest):
    return next(d.value for d in at.dataframe if "Start" in d.value.columns)


def _shown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# ---- 1. the timeline rows ------------------------------------------------------------------------
@real
def test_rows_of_a_real_access_now_sheet_read_in_plain_words():
    at = _upload(_page(), STOP_2022.name, STOP_2022.read_bytes(), country="PAK")
    assert not at.error, [e.value for e in at.error]
    rows = _rows(at)
    assert tuple(rows.columns) == mv.ROW_COLUMNS
    cells = [str(c) for c in rows.to_numpy().ravel()]
    assert not {"None", "null", "nan", "NaN"} & set(cells)
    assert not any("+00:00" in c or "T00:" in c for c in cells)  # no raw timestamps
    first = rows.iloc[0]
    # the sheet's 2022-05-25 shutdown, in Pakistan's local time (UTC+5, PKT)
    assert first["Start"] == "2022-05-25 05:00 PKT" and first["End"] == "2022-05-26 05:00 PKT"
    assert first["Restriction"] == "Full internet" and first["Share of service lost"] == "100 %"
    assert first["Network"] == fmt.MISSING and first["Share of users affected"] == fmt.MISSING
    at.radio(key="mon_zone").set_value("utc").run()
    first = _rows(at).iloc[0]
    assert first["Start"] == "2022-05-25 00:00 UTC" and first["End"] == "2022-05-26 00:00 UTC"


def test_rows_display_names_platforms_and_networks():
    csv = (b"start_utc,end_utc,country,region,asn,scope,platforms,intensity,source\n"
           b"2024-02-17T10:00Z,,PAK,,17557,platforms,x;whatsapp,0.8,\n")
    tl = mr.load_timeline(csv, "t.csv", (("until", "2024-02-18T00:00Z"),))
    row = mv.rows_display(tl, "UTC").row(0, named=True)
    assert row["Start"] == "2024-02-17 10:00 UTC"
    assert row["Network"] == "AS17557" and row["Platforms"] == "X (Twitter), WhatsApp"
    assert row["Share of service lost"] == "80 %" and row["Source"] == fmt.MISSING


# ---- 2. one time format on both charts -----------------------------------------------------------
def test_both_charts_share_one_time_axis_and_format():
    data = mc.SEED_CASE.read_bytes()
    result = mr.run_monitor(data, "seed.csv", None, "1d", 200)
    for zone, title, first in (("local", "local time (Asia/Karachi)", "08 Feb 06:00"),
                               ("utc", "time (UTC)", "08 Feb 01:00")):
        view = mv.monitor_view(result, "impact", zone)
        shown = "UTC" if zone == "utc" else result.zone
        specs = (mch.cumulative_chart_spec(view.cumulative, shown, "x"),
                 mch.intensity_chart_spec(view.intensity, shown))
        axes = [specs[0]["layer"][0]["encoding"]["x"], specs[1]["layer"][0]["encoding"]["x"]]
        assert axes[0] == axes[1]  # the same axis, title and format on both charts
        assert axes[0]["axis"]["format"] == mch.HOUR_FORMAT == "%d %b %H:%M"
        assert "formatType" not in axes[0]["axis"]  # it would drop the format (Vega's own)
        assert axes[0]["scale"] == {"type": "utc"} and axes[0]["title"] == title
        tips = [t for s in specs for t in (s["layer"][0].get("encoding", {}).get("tooltip")
                                           or []) if t["field"] == "hour_label"]
        assert len(tips) == 2  # tooltips show the hour with the same format
        assert view.intensity["hour_label"][0] == first
        assert view.cumulative["hour_label"][0] == first[:6] + " " + (
            "06:00" if zone == "local" else "01:00")


# ---- 3. a file of no format we read --------------------------------------------------------------
def test_unknown_format_is_one_short_line_with_the_formats_under_help():
    at = _upload(_page(), "odd.csv", b"a,b\n1,2\n")
    assert len(at.error) == 1
    message = _shown(at.error[0].value)
    assert message == f"odd.csv: {UNKNOWN_FORMAT}" and len(message) < 120
    assert "ioda_signals" not in message
    help_box = next(e for e in at.expander if e.label.startswith("Help"))
    listed = _shown(help_box.markdown[0].value)
    for word in ("IODA", "Cloudflare Radar", "OONI", "Access Now", "timeline CSV"):
        assert word in listed
    assert not at.metric


# ---- 4. a status line while reading and costing --------------------------------------------------
def test_reading_and_costing_runs_under_a_status_line():
    at = _page()
    assert len(at.status) == 1
    box = at.status[0]
    assert box.label.startswith(f"Read and costed {mc.SEED_CASE.name}: 2 rows")
    assert box.state == "complete"
    at = _upload(at, "odd.csv", b"a,b\n1,2\n")
    assert [s.state for s in at.status] == ["error"]


# ---- 9. radio groups have names ------------------------------------------------------------------
def test_every_radio_group_has_a_name():
    at = _page()
    radios = list(at.radio)
    assert {r.key for r in radios} >= {"mon_source", "mon_until_mode", "mon_zone"}
    for r in radios:
        assert r.label.strip(), r.key


# ---- 5. the share link ---------------------------------------------------------------------------
def test_the_view_is_written_to_the_address_and_restored_from_it():
    at = _page()
    assert dict(at.query_params) == {}  # the example's link is the bare page
    at.radio(key="mon_zone").set_value("utc").run()
    at.selectbox(key="mon_method").set_value("impact").run()
    at.multiselect(key="mon_horizons").set_value(["12h", "90d"]).run()
    at.radio(key="mon_until_mode").set_value("at").run()
    at.time_input(key="mon_until_time").set_value(time(10, 0)).run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params == {"zone": "utc", "method": "impact", "horizons": "12h,90d",
                      "until": "2024-02-08T10:00Z"}
    shown = next(c.value for c in at.sidebar.code)
    assert shown.startswith("monitor?") and "zone=utc" in shown and "until=2024-02-08T10:00Z" \
        in shown

    fresh = _page(params)  # a new session opening the link
    assert not fresh.error and not fresh.warning
    assert fresh.radio(key="mon_zone").value == "utc"
    assert fresh.selectbox(key="mon_method").value == "impact"
    assert fresh.multiselect(key="mon_horizons").value == ["12h", "90d"]
    assert fresh.radio(key="mon_until_mode").value == "at"
    assert fresh.date_input(key="mon_until_date").value == date(2024, 2, 8)
    assert fresh.time_input(key="mon_until_time").value == time(10, 0)
    assert next(m.value for m in fresh.metric) == next(m.value for m in at.metric)


def test_a_link_to_an_upload_says_the_file_is_not_in_it():
    at = _page({"source": "upload", "country": "PAK"})
    assert at.radio(key="mon_source").value == "upload"
    assert at.text_input(key="mon_country").value == "PAK"
    assert any("cannot be carried in a link" in c.value for c in at.sidebar.caption)
    assert any("start_utc, end_utc" in i.value for i in at.info)  # asked to upload


def test_a_bad_link_keeps_the_defaults_and_says_why():
    at = _page({"zone": "mars", "horizons": "1d,2y", "method": "impact"})
    assert at.radio(key="mon_zone").value == "local"
    assert at.multiselect(key="mon_horizons").value == list(mc.DEFAULT_HORIZONS)
    assert at.selectbox(key="mon_method").value == "impact"  # the good value is kept
    assert len(at.warning) == 1
    text = _shown(at.warning[0].value)
    assert "zone: 'mars'" in text and "horizons: '1d,2y'" in text


def test_link_codec_round_trip():
    state = dict(mc.MONITOR_DEFAULTS) | {
        "mon_source": "fetch", "mon_fetch_source": "ooni", "mon_fetch_country": "Pakistan",
        "mon_fetch_days": 7, "mon_zone": "utc", "mon_until_mode": "now",
        "mon_datasource": "bgp"}
    params = ml.link_params(state)
    assert params == {"source": "fetch", "zone": "utc", "until": "now", "datasource": "bgp",
                      "fetch_country": "Pakistan", "fetch_source": "ooni", "fetch_days": "7"}
    back, problems = ml.state_from_params(params)
    assert not problems
    assert ml.link_params(dict(mc.MONITOR_DEFAULTS) | back) == params
    # watching a server file is not carried: the link opens the example
    assert ml.link_params(dict(mc.MONITOR_DEFAULTS) | {"mon_source": "watch"}) == {}
