"""``impact data refresh``: recorded World Bank answers, no network.

A good refresh switches to a new, checked data version in the user-level store; a truncated
answer, a server error, an API error message, a changed format, too few rows, a value out of
range, a bad events export and an offline machine each leave the data in use (its version,
its folder, the store) exactly as it was, with one line saying what failed and where.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import sys
import threading
from pathlib import Path

import polars as pl
import pytest

from impact.build import refresh as rf
from impact.build import worldbank as wb
from impact.bundled import datastore
from impact.bundled.data_status import status, status_text
from impact.bundled.datastore import forget_data_dir
from impact.bundled.io import bundled_dir, bundled_version, data_dir, data_version
from impact.cli import main
from impact.errors import InputError, RefreshError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from worldbank_answers import RECORDED_ERROR, WorldBankAnswers, recorded_page

TODAY = dt.date(2026, 12, 2)
pytestmark = pytest.mark.slow


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty user-level data folder, the bundled data in use."""
    root = tmp_path / "home"
    monkeypatch.setenv(datastore.HOME_ENV, str(root))
    monkeypatch.delenv("IMPACT_DATA_DIR", raising=False)
    forget_data_dir()
    yield root
    forget_data_dir()


def unchanged(root: Path) -> None:
    """The bundled data is still in use and the store holds no version nor leftovers."""
    forget_data_dir()
    assert data_dir() == bundled_dir()
    assert data_version() == bundled_version()
    assert datastore.pointed(root) is None
    versions = root / datastore.VERSIONS
    assert not versions.exists() or list(versions.iterdir()) == []
    assert not (root / rf.LOCK).exists()


def failing(answers: WorldBankAnswers, code: str, mangle) -> WorldBankAnswers:
    """``answers`` with the body for ``code`` passed through ``mangle``."""
    good = answers.body

    def body(url: str) -> bytes:
        b = good(url)
        return mangle(b) if f"/indicator/{code}?" in url else b

    answers.body = body
    return answers


def _negative_first_value(body: bytes) -> bytes:
    meta, records = json.loads(body)
    first = next(r for r in records if r["value"] and r["countryiso3code"] == "PAK")
    first["value"] = -first["value"]
    return json.dumps([meta, records]).encode()


# ---- the API's format ----------------------------------------------------------------------
def test_recorded_page_parses_to_rows_without_aggregates_or_nulls():
    body = json.dumps(recorded_page()).encode()
    s = wb.fetch_series("NY.GDP.MKTP.CD", 2010, 2026, lambda url: body)
    assert s.records == 4 and s.last_updated == "2026-07-01"
    # the aggregate AFE and PAK 2026 have no value: two rows are left, as published
    values = {int(r["date"]): r["value"] for r in recorded_page()[1] if r["value"]}
    assert s.rows.sort("year").rows() == [("PAK", 2024, values[2024]),
                                          ("PAK", 2025, values[2025])]


def test_pages_are_followed_and_counted(monkeypatch):
    monkeypatch.setattr(wb, "PER_PAGE", 1000)
    answers = WorldBankAnswers()
    s = wb.fetch_series("SP.POP.TOTL", 2010, 2026, answers)
    pages = [c for c in answers.calls if "SP.POP.TOTL" in c]
    assert len(pages) == -(-s.records // 1000) >= 3
    assert s.records == len(answers.by_code["SP.POP.TOTL"])


def test_recorded_error_message_is_one_line():
    body = RECORDED_ERROR.read_bytes()
    with pytest.raises(RefreshError, match=r"NY\.GDP\.MKTP\.CD.*returned an error \(Invalid "
                       r"value: The provided parameter value is not valid\)"):
        wb.fetch_series("NY.GDP.MKTP.CD", 2010, 2026, lambda url: body)


# ---- a good refresh ------------------------------------------------------------------------
def test_good_refresh_switches_to_a_new_checked_version(home):
    before = data_version()
    answers = WorldBankAnswers(revised={("PAK", "gdp_usd", 2024): 3.8e11})
    staged, where = rf.refresh(get=answers, today=TODAY)
    assert len(answers.calls) == len(rf.API_INDICATORS) == 14
    assert staged.version != before and staged.based_on == before
    assert where == datastore.version_dir(staged.version, home)
    assert datastore.pointed(home) == staged.version
    assert data_dir() == where and data_version() == staged.version
    from impact.bundled.datacheck import manifest
    from impact.bundled.io import check_bundled, read_bundled

    # every file (those a refresh keeps and those it rewrites) matches the new manifest
    assert len(check_bundled()) == len(manifest(bundled_dir())["files"])
    ind = read_bundled("indicators")
    gdp = ind.filter(pl.col("indicator") == "gdp_usd")
    assert sorted(gdp.filter(pl.col("year") == 2026)["iso3"]) == ["ETH", "IND", "PAK", "USA"]
    assert gdp.filter(pl.col("iso3") == "PAK", pl.col("year") == 2024)["value"][0] == 3.8e11
    # what changed, as the refresh and the status say
    by = {r["indicator"]: r for r in staged.changes["indicators"]}
    assert by["gdp_usd"] == {"indicator": "gdp_usd", "latest_year_before": 2025,
                             "latest_year_after": 2026, "years_added": [2026],
                             "rows_added": 4, "rows_changed": 1, "rows_removed": 0}
    assert by["unemployment_pct"]["rows_added"] == by["unemployment_pct"]["rows_changed"] == 0
    assert staged.changes["countries_with_new_gdp"] == ["ETH", "IND", "PAK", "USA"]
    # the digital share and the panel fits were rebuilt on the new indicators
    share = read_bundled("digital_share")
    assert share["year"].max() == 2026
    # vintages: one API row per refreshed table; the 2024-11 vintage and ITU stay
    vint = read_bundled("vintages")
    api = vint.filter(pl.col("source").str.starts_with(rf.API_SOURCE))
    assert sorted(api["table"]) == ["digital_share", "indicators"]
    assert api["vintage"].to_list() == [("fetched 2026-12-02 (World Bank last updated "
                                        "2026-11-20)")] * 2
    assert "NY.GDP.MKTP.CD to 2026" in api.filter(pl.col("table") == "indicators")["source"][0]
    assert vint.filter(pl.col("source").str.contains("Figure-Friday")).height == 2
    assert vint.filter(pl.col("source").str.starts_with("ITU")).height == 1
    assert not vint.filter(pl.col("table") == "indicators",
                           pl.col("source").str.starts_with("WDI source A")).height
    assert vint.filter(pl.col("table") == "regions",
                       pl.col("source").str.starts_with("WDI source A")).height == 1
    sources = (where / "SOURCES.md").read_text(encoding="utf-8")
    assert sources.count(rf.SOURCES_START) == 1 and "countries with new GDP years: 4" in sources
    text = status_text(status(TODAY), TODAY)
    assert f"data {staged.version}" in text and "refreshed, from the user-level" in text
    assert "gdp_usd" in text and "2025 -> 2026" in text and "(in use)" in text
    # an estimate runs on the new data and names its version
    from impact.estimation.engine import estimate
    from impact.model.scenario import Scenario

    est = estimate(Scenario(country="PAK", duration_hours=10, year=2026))
    assert est.context.gdp.year_used == 2026  # the new GDP year, not 2025 carried forward
    assert est.context.gdp.value == pytest.approx(
        gdp.filter(pl.col("iso3") == "PAK", pl.col("year") == 2026)["value"][0])
    assert est.row("impact")["loss_usd_central"] > 0
    # going back
    assert "bundled" in datastore.use("bundled")
    assert data_dir() == bundled_dir() and data_version() == before
    assert datastore.use(staged.version).startswith(f"now using data {staged.version}")
    assert data_version() == staged.version


def test_a_second_refresh_builds_on_the_first_and_sources_keep_one_section(home):
    first, _ = rf.refresh(get=WorldBankAnswers(), today=TODAY)
    second, where = rf.refresh(get=WorldBankAnswers(new_year=2027), today=TODAY)
    assert second.based_on == first.version
    assert [v.name for v in datastore.stored_versions(home)] == [second.version, first.version]
    assert (where / "SOURCES.md").read_text(encoding="utf-8").count(rf.SOURCES_START) == 1
    # the same answers again give the same data: no new folder, the pointer names it
    again, _ = rf.refresh(get=WorldBankAnswers(new_year=2027), today=TODAY)
    assert again.version == second.version
    assert len(datastore.stored_versions(home)) == 2
    assert not [p for p in (home / datastore.VERSIONS).iterdir() if p.name.startswith(".")]


def test_refresh_to_a_folder_then_replace_it(home, tmp_path, monkeypatch):
    dest = tmp_path / "mydata"
    staged, where = rf.refresh(get=WorldBankAnswers(), today=TODAY, to=dest)
    assert where == dest and (dest / "manifest.json").is_file()
    assert datastore.pointed(home) is None  # the store is not touched
    monkeypatch.setenv("IMPACT_DATA_DIR", str(dest))
    forget_data_dir()
    assert data_version() == staged.version
    again, _ = rf.refresh(get=WorldBankAnswers(new_year=2027), today=TODAY, to=dest)
    forget_data_dir()
    assert data_version() == again.version and again.based_on == staged.version
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    not_data = tmp_path / "notes"
    not_data.mkdir()
    with pytest.raises(InputError, match="to: .*notes.* a new folder, or a data folder"):
        rf.refresh(get=WorldBankAnswers(), today=TODAY, to=not_data)


# ---- failures leave the data as it was -----------------------------------------------------
@pytest.mark.parametrize(("mangle", "message"), [
    (lambda b: b[: len(b) // 2], (r"NY\.GDP\.PCAP\.CD, .*not complete JSON \(\d+ bytes; "
     r"truncated")),
    (lambda b: json.dumps([json.loads(b)[0], json.loads(b)[1][:-40]]).encode(),
     r"NY\.GDP\.PCAP\.CD: \d+ records received of the \d+ announced \(a truncated download\)"),
    (lambda b: RECORDED_ERROR.read_bytes(), r"NY\.GDP\.PCAP\.CD.*returned an error"),
    (lambda b: json.dumps({"data": json.loads(b)[1]}).encode(),
     r"not \[metadata, records\] as the API documents"),
    (lambda b: b.replace(b'"countryiso3code"', b'"country_iso3"'),
     r"record 1 has no field 'countryiso3code'"),
    (lambda b: _negative_first_value(b),
     (r"new indicators table column value must be finite and > 0 for indicator "
     r"gdp_per_capita_usd")),
], ids=["truncated", "short", "api-error", "schema-envelope", "schema-field", "range"])
def test_bad_answers_change_nothing(home, mangle, message):
    answers = failing(WorldBankAnswers(), "NY.GDP.PCAP.CD", mangle)
    with pytest.raises(RefreshError, match=message) as info:
        rf.refresh(get=answers, today=TODAY)
    assert "\n" not in str(info.value)
    unchanged(home)


def test_too_few_rows_are_refused(home):
    answers = WorldBankAnswers()
    recs = answers.by_code["SP.POP.TOTL"]
    answers.by_code["SP.POP.TOTL"] = recs[: len(recs) // 2]
    with pytest.raises(RefreshError, match=r"SP\.POP\.TOTL: \d+ rows for our economies, fewer "
                       r"than 95% of the \d+ in use"):
        rf.refresh(get=answers, today=TODAY)
    unchanged(home)


class _Server(http.server.BaseHTTPRequestHandler):
    status = 500
    answers: WorldBankAnswers | None = None  # when set, answer 200 with these

    def do_GET(self):
        if self.answers is not None:
            body = self.answers(f"http://host{self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"<html>Service unavailable</html>")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_api(monkeypatch):
    """A server on loopback standing in for the API; yields the handler class to set."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(wb.API_ENV, f"http://127.0.0.1:{server.server_address[1]}/v2")
    yield _Server
    server.shutdown()


def test_server_error_changes_nothing(home, local_api):
    local_api.status = 503
    with pytest.raises(RefreshError, match=r"the server answered HTTP 503 .* for http://127\.0"
                       r"\.0\.1:\d+/v2/country/all/indicator/NY\.GDP\.MKTP\.CD\?"):
        rf.refresh(today=TODAY)  # the real downloader
    unchanged(home)


def test_cli_status_online_then_refresh_over_http(home, local_api, capsys):
    local_api.answers = WorldBankAnswers()
    try:
        assert main(["data", "status", "--online"]) == 0
        out = capsys.readouterr().out
        assert "what a refresh of the World Bank indicators would change now:" in out
        assert "countries with new GDP years: 4 (ETH IND PAK USA)" in out
        unchanged(home)  # status writes nothing
        assert main(["data", "refresh"]) == 0
        captured = capsys.readouterr()
    finally:
        local_api.answers = None
    version = datastore.pointed(home)
    assert captured.out.startswith(f"data {version} (refreshed from {bundled_version()}) is "
                                   "now in use: ")
    assert "gdp_usd" in captured.out and "go back with `impact data use bundled`" in captured.out
    assert "fetched 14 World Bank series from http://127.0.0.1:" in captured.err
    assert main(["data", "use", "bundled"]) == 0
    assert data_version() == bundled_version()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket goes


def test_offline_cli_exits_4_with_one_line_and_changes_nothing(home, monkeypatch, capsys):
    monkeypatch.setenv(wb.API_ENV, f"http://127.0.0.1:{_closed_port()}/v2")
    before = data_version()
    assert main(["data", "refresh"]) == 4
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("error: offline or unreachable: cannot reach 127.0.0.1:")
    assert err.endswith(f"nothing was changed (data {before} still in use)")
    unchanged(home)


def test_offline_fails_at_the_first_request(home):
    calls = []

    def offline(url: str) -> bytes:
        calls.append(url)
        raise RefreshError("offline or unreachable: cannot reach api.worldbank.org (no "
                           "route)")

    with pytest.raises(RefreshError, match="offline"):
        rf.refresh(get=offline, today=TODAY)
    assert len(calls) == 1
    unchanged(home)


def test_a_running_refresh_blocks_another(home):
    home.mkdir(parents=True)
    (home / rf.LOCK).write_text("1")
    with pytest.raises(RefreshError, match="another refresh is running"):
        rf.refresh(get=WorldBankAnswers(), today=TODAY)
    (home / rf.LOCK).unlink()
    unchanged(home)


def test_a_lock_left_by_a_killed_refresh_is_taken_over_and_its_staging_cleaned(home):
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    home.mkdir(parents=True)
    (home / rf.LOCK).write_text(gone.stdout.strip())  # its process has exited
    stale = home / "versions" / ".refresh-abc123"
    stale.mkdir(parents=True)
    (stale / "indicators.csv").write_text("half written")
    staged, _ = rf.refresh(get=WorldBankAnswers(), today=TODAY)
    assert staged.version and not stale.exists() and not (home / rf.LOCK).exists()


def test_a_home_that_is_a_file_is_exit_4_with_one_line(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv(datastore.HOME_ENV, str(home))
    monkeypatch.delenv("IMPACT_DATA_DIR", raising=False)
    forget_data_dir()
    monkeypatch.setattr(rf.wb, "http_get", WorldBankAnswers())
    try:
        assert main(["data", "refresh"]) == 4
    finally:
        forget_data_dir()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and len(err) < 400 and "bug" not in err


def test_data_use_refuses_an_unknown_version(home, capsys):
    assert main(["data", "use", "0123456789ab"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"error: version: '0123456789ab' is not accepted; bundled or a stored "
                   f"version (none in {home})")


# ---- events exports ------------------------------------------------------------------------
def _export(rows: int, drop: str | None = None) -> str:
    """A small STOP-format export (our own rows, no source text) as CSV text."""
    head = list(rf.EXPORT_COLUMNS)
    base = {c: "" for c in head}
    out = []
    for i in range(rows):
        out.append({**base, "start_date_type": "Exact", "start_date": f"2026-0{1 + i % 9}-15",
                    "country": ["Pakistan", "Iran (Islamic Republic of)", "Laos; Myanmar"][i % 3],
                    "geo_scope": "Level 1 - National", "area_name": "", "shutdown_type":
                    "Full network", "affected_network": "Mobile", "shutdown_extent":
                    "Full network", "shutdown_status": "Ongoing", "count_year": "2026",
                    "election": "No", "violence": "No"})
    frame = pl.DataFrame(out, schema={c: pl.String for c in head})
    if drop:
        frame = frame.drop(drop)
    return frame.write_csv()


def test_events_export_with_a_changed_format_is_refused(home, tmp_path):
    path = tmp_path / "stop.csv"
    path.write_text(_export(5, drop="start_date"), encoding="utf-8")
    with pytest.raises(RefreshError, match=r"events export .*stop\.csv: no column "
                       r"'start_date' \(1 of the 27 STOP columns"):
        rf.refresh(events=str(path), indicators=False, today=TODAY)
    unchanged(home)


def test_truncated_events_export_is_refused(home, tmp_path):
    path = tmp_path / "stop.csv"
    path.write_text(_export(30), encoding="utf-8")
    with pytest.raises(RefreshError, match=r"the new events\.csv has \d+ rows, fewer than 95% "
                       r"of the \d+ in use"):
        rf.refresh(events=str(path), indicators=False, today=TODAY)
    unchanged(home)


def test_missing_events_file_is_an_input_error(home, capsys):
    assert main(["data", "refresh", "--events", "no/such/stop.csv"]) == 2
    assert "events: 'no/such/stop.csv' is not accepted; a CSV file or an http(s) URL" in (
        capsys.readouterr().err)
    unchanged(home)


def test_events_export_without_iso3_helper_is_read_with_our_country_names(home, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(rf, "MIN_ROW_SHARE", 0.0)  # a small export, on purpose
    # nine events cannot carry the panel fits (a refresh would refuse them: see
    # test_truncated_events_export_is_refused); here the fits in use are kept
    from impact.bundled.io import read_bundled as bundled

    monkeypatch.setattr(rf.pm, "fit_tables", lambda *a: {
        n: bundled(n) for n in (rf.pm.FIT_TABLE, rf.pm.SAMPLE_TABLE, rf.pm.FEATURES_TABLE)})
    path = tmp_path / "stop.csv"
    path.write_text(_export(9), encoding="utf-8")
    staged, _ = rf.refresh(events=str(path), indicators=False, today=TODAY)
    from impact.bundled.io import read_bundled

    ev = read_bundled("events")
    assert sorted(ev["iso3"].unique()) == ["IRN", "LAO", "MMR", "PAK"]
    assert ev.height == 12  # 9 rows, 3 of them for two countries
    # open-ended, ongoing events run to the day the export was read
    first = ev.filter(pl.col("iso3") == "PAK").sort("start").row(0, named=True)
    assert first["hours_to_snapshot"] == (TODAY - dt.date(2026, 1, 15)).days * 24
    assert staged.changes["events"]["events_after"] == 12
    vint = read_bundled("vintages").filter(pl.col("table") == "events")
    assert vint["vintage"].to_list() == ["accessed 2026-12-02"]
    assert "stop.csv" in vint["source"][0]


RAW_STOP = Path(__file__).resolve().parents[2] / "shared" / "data" / "shutdowns" / (
    "accessnow_keepiton_stop_2016_2025.csv")


@pytest.mark.skipif(not RAW_STOP.is_file(), reason="needs the raw STOP export in ../shared")
def test_the_stop_export_read_by_a_refresh_rebuilds_the_bundled_catalogue(home, tmp_path):
    raw = pl.read_csv(RAW_STOP, infer_schema_length=None).drop("iso3_helper")
    path = tmp_path / "stop.csv"
    raw.write_csv(path)
    staged, where = rf.refresh(events=str(path), indicators=False,
                               today=dt.date(2026, 5, 20))
    new = pl.read_csv(where / "events.csv", infer_schema_length=None)
    old = pl.read_csv(bundled_dir() / "events.csv", infer_schema_length=None)
    assert new.equals(old)
    assert staged.changes["events"]["added"] == staged.changes["events"]["removed"] == 0


def test_a_damaged_stored_version_says_how_to_go_back(home):
    _staged, where = rf.refresh(get=WorldBankAnswers(), today=TODAY)
    (where / "parameters.csv").write_text("junk\n", encoding="utf-8")
    forget_data_dir()
    assert main(["data", "check"]) == 2
    from impact.bundled.io import read_bundled
    from impact.errors import BundledDataError

    with pytest.raises(BundledDataError, match=r"parameters\.csv: .*go back to the bundled "
                       r"data with `impact data use bundled`"):
        read_bundled("parameters")
    datastore.use("bundled")
    assert read_bundled("parameters").height > 0


def test_estimates_in_the_same_process_follow_a_switch(home):
    """What was read and cached from the old data is forgotten on a switch (and back)."""
    from impact.estimation.engine import estimate
    from impact.model.scenario import Scenario

    def gdp_year() -> int:
        return estimate(Scenario(country="PAK", duration_hours=10, year=2026)
                        ).context.gdp.year_used

    assert gdp_year() == 2025  # the bundled data: 2025 carried to 2026, and now cached
    rf.refresh(get=WorldBankAnswers(), today=TODAY)
    assert gdp_year() == 2026
    datastore.use("bundled")
    assert gdp_year() == 2025


def test_the_data_page_says_which_data_is_in_use(home):
    from streamlit.testing.v1 import AppTest

    page = str(Path(__file__).resolve().parents[1] / "app_pages" / "data.py")

    def intro() -> str:
        forget_data_dir()
        at = AppTest.from_file(page, default_timeout=60)
        at.run()
        assert not at.exception
        return at.markdown[0].value

    assert f"`{bundled_version()}`, the data bundled with the package" in intro()
    staged, where = rf.refresh(get=WorldBankAnswers(), today=TODAY)
    day = datastore.refresh_record(where)["refreshed"][:10]  # the UTC day it ran
    text = intro()
    assert f"`{staged.version}`, refreshed from the publishers on {day}" in text
    assert f"(from data `{bundled_version()}`)" in text
    datastore.use("bundled")
