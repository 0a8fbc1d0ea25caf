"""Access Now #KeepItOn STOP data as published: the public workbook and CSV exports of its
sheets (real files from ``../shared/monitor_samples/accessnow/``, skipped when absent), and
small fixtures of the same layouts. Expected hours were counted by hand from the files (the
catalogue's day rule: end date - start date, at least one day, 24 h a day)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from impact.errors import TimelineError
from impact.monitor.importers import accessnow as an
from impact.monitor.importers import detect_format, read_any

REPO = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "monitor" / "accessnow"
REAL = REPO.parent / "shared" / "monitor_samples" / "accessnow"
BOOK = REAL / "keepiton_stop_2020-2022_sheets.xlsx"
CSV = {y: REAL / f"stop_{y}_sheet_pandas.csv" for y in (2020, 2021, 2022)}
real = pytest.mark.skipif(not BOOK.is_file(), reason="../shared/monitor_samples absent")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def hours(timeline) -> float:
    """Sum of the rows' hours [h] (overlaps counted twice: the rows as read)."""
    return sum((r.end_utc - r.start_utc).total_seconds() / 3600 for r in timeline.rows)


def spans(timeline) -> list[tuple]:
    return [(r.start_utc, r.end_utc, r.scope, r.platforms, r.region, r.intensity)
            for r in timeline.rows]


# ---- the real workbook and CSVs ------------------------------------------------------------------
@real
def test_myanmar_2021_by_hand() -> None:
    """stop_2021 CSV, Myanmar, costed to 2022-01-01: 15 rows. Line 7 (throttle 2019-06-22 to
    2021-02-03, 592 days) is longer than a timeline row may be and is refused; 14 are kept,
    5 still on (lines 29, 82: platform blocks; 136, 137, 158: status Unknown, no end).
    Hours: 8,784 (line 9, 366 d) + 24 + 7,944 (Feb 4 to Jan 1, 331 d) + 24 + 1,728 (72 d)
    + 1,056 (44 d) + 240 + 5,304 (221 d) + 24 + 936 (39 d) + 336 + 2,400 (100 d)
    + 2,328 (97 d) + 1,416 (59 d) = 32,544 h."""
    tl = read_any(CSV[2021], country="MMR", until="2022-01-01T00:00Z")
    rep = tl.report
    assert (rep.records, rep.kept, len(rep.refused), rep.ongoing) == (182, 14, 1, 5)
    assert rep.other_countries == 182 - 15
    assert rep.refused[0].startswith("stop_2021_sheet_pandas.csv line 7: end_utc: ")
    assert hours(tl) == 32_544
    blocks = [r for r in tl.rows if r.scope == "platforms"]
    assert [(r.start_utc, r.platforms) for r in blocks] == [
        (t("2021-02-04"), ("x", "facebook", "instagram", "whatsapp")),
        (t("2021-05-25"), ("x", "facebook"))]
    # the same sheet in the workbook gives the same rows (its duration cells are empty)
    book = read_any(BOOK, country="MMR", sheet="2021 Data", until="2022-01-01T00:00Z")
    assert spans(book) == spans(tl)
    assert book.report.refused[0].startswith(
        "keepiton_stop_2020-2022_sheets.xlsx sheet '2021 Data' line 3: end_utc: ")


@real
def test_ethiopia_2020_tigray_still_on() -> None:
    """stop_2020 CSV, Ethiopia, costed to 2021-01-01: 2,136 (Jan 3 to Apr 1, 89 d) + 1,992
    (83 d) + 888 (37 d) + 1,392 (Tigray, Nov 4 to Jan 1, 58 d, still on) + 1,392 (western
    Oromia, still on) = 7,800 h."""
    tl = read_any(CSV[2020], country="Ethiopia", until="2021-01-01T00:00Z")
    rep = tl.report
    assert (rep.kept, rep.refused, rep.ongoing) == (5, (), 2)
    assert hours(tl) == 7_800
    tigray = [r for r in tl.rows if r.region == "Tigray"]
    assert [(r.start_utc, r.end_utc, r.scope, r.affected_share) for r in tigray] == [
        (t("2020-11-04"), t("2021-01-01"), "full", None)]
    oromia = [r for r in tl.rows if r.region == "Oromia"]
    assert len(oromia) == 1 and oromia[0].affected_share is None  # the whole region
    # "Western Oromia, Wellega, Kellem": not in the tables, the catalogue's category share
    assert [r.affected_share for r in tl.rows if r.region is None] == [0.015, None, 0.015]
    assert any("negative durations" in n for n in rep.notes)
    # without until the two rows still on are refused, the three that ended are kept
    ended = read_any(CSV[2020], country="Ethiopia")
    assert ended.report.kept == 3 and len(ended.report.refused) == 2
    assert "give --until" in ended.report.refused[0]


@real
def test_india_2021_counts_and_hours() -> None:
    """106 India rows in the 2021 sheet, every one with both dates and a network scope; the
    Jammu and Kashmir throttle from 2019-08-05 to 2021-02-05 (line 8, 550 d) is refused as
    longer than a year; the others add up to 13,320 h (counted over the CSV's dates)."""
    tl = read_any(CSV[2021], country="IND")
    rep = tl.report
    assert (rep.kept, len(rep.refused), rep.ongoing) == (105, 1, 0)
    assert "line 8: end_utc" in rep.refused[0]
    assert hours(tl) == 13_320
    assert {r.region for r in tl.rows if r.region} >= {"Jammu & Kashmir", "Rajasthan"}
    assert {r.scope for r in tl.rows} <= {"full", "mobile", "throttling"}
    book = read_any(BOOK, country="IND", sheet="2021 data")  # sheet names: any case
    assert spans(book) == spans(tl)


@real
def test_workbook_every_sheet_counts() -> None:
    tl = read_any(BOOK, country="IND", until="2023-01-01T00:00Z")
    rep = tl.report
    assert rep.records == 187 + 182 + 159
    assert (rep.kept, len(rep.refused), rep.ongoing) == (293, 4, 4)
    # the end before the start, named by its sheet and line; the other sheets' rows are kept
    assert ("keepiton_stop_2020-2022_sheets.xlsx sheet '2020 Data' line 25: end_date: "
            "'2020-02-12 00:00:00' is not accepted; a date on or after start_date "
            "(2020-02-18)") in rep.refused
    csv2020 = read_any(CSV[2020], country="IND")
    assert ("stop_2020_sheet_pandas.csv line 30: end_date: '2020-02-12' is not accepted; a "
            "date on or after start_date (2020-02-18)") in csv2020.report.refused
    assert any("4 rows say Ended with no end date" in n for n in rep.notes)


@real
def test_workbook_and_csv_of_2022_agree() -> None:
    for country in ("IND", "IRN", "UKR"):
        book = read_any(BOOK, country=country, sheet="2022 Data", until="2023-01-01T00:00Z")
        flat = read_any(CSV[2022], country=country, until="2023-01-01T00:00Z")
        assert spans(book) == spans(flat)
        assert [r.affected_share for r in book.rows] == [r.affected_share for r in flat.rows]


@real
def test_somaliland_is_read_as_somalia() -> None:
    tl = read_any(BOOK, country="SOM")
    assert [(r.start_utc, r.end_utc, r.region) for r in tl.rows] == [
        (t("2022-08-11"), t("2022-08-12"), "Woqooyi Galbeed")]
    assert any("Somaliland rows read as Somalia" in n for n in tl.report.notes)


@real
def test_service_blocks_of_no_costed_platform_are_skipped_and_counted() -> None:
    # Algeria's 2022 block names no platform (other_affected blank); 2020 and 2021 are cuts
    tl = read_any(BOOK, country="DZA")
    assert (tl.report.records, tl.report.kept, tl.report.refused) == (528, 2, ())
    assert "1 service-based rows name no platform we cost (VPN, SMS, a local app…): " \
        "skipped" in tl.report.notes
    # Oman's one row blocks Clubhouse: nothing to cost, said in one line
    with pytest.raises(TimelineError, match=r"^stop_2021_sheet_pandas.csv: shutdown_extent: "
                       r"'Service-based' .*the 1 service-based rows name none$"):
        read_any(CSV[2021], country="OMN")


@real
def test_a_file_of_many_countries_needs_country() -> None:
    with pytest.raises(TimelineError, match=r"one country per timeline: give --country"):
        read_any(CSV[2022], until="2023-01-01T00:00Z")


def test_reading_stop_data_imports_no_build_code() -> None:
    code = ("import json, sys\nfrom impact.monitor.importers import read_any\n"
            f"read_any({str(FIX / 'stop_sheet_pandas_2021.csv')!r}, country='IND')\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('impact.build'))))")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                         text=True, check=True, timeout=120).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []


# ---- a small workbook of the published layout --------------------------------------------------
COLUMNS = ["start_date_type", "start_date", "country", "geo_scope", "area_name", "shutdown_type",
           "affected_network", "shutdown_extent", "shutdown_status", "end_date", "duration",
           "facebook_affected", "twitter_affected", "whatsapp_affected", "instagram_affected",
           "telegram_affected", "other_affected"]
ONE_CITY = "It only affected one city, county, or village"
#: sheet -> rows (dates as Python dates become Excel dates; None an empty cell)
SHEETS = {
    "2022 Data": [
        ["Actual", date(2022, 1, 3), "India", ONE_CITY, "Pulwama, Jammu and Kashmir", "Shutdown",
         "Mobile", "Full network", "Ended", date(2022, 1, 5)],
        ["Actual", date(2022, 9, 21), "Iran (Islamic Republic of)", None, "Nationwide",
         "Shutdown", "Broadband, Mobile", "Service-based", "Ongoing", "Ongoing ", None,
         "No", "No", "Yes", "Yes", "No"],
    ],
    "2021 Data": [
        ["Actual", date(2021, 1, 12), "India", ONE_CITY, "Jaipur", "Shutdown", "Mobile",
         "Full network", "Ended", date(2021, 1, 12)],
        ["Actual", date(2021, 3, 10), "India", ONE_CITY, "Jaipur", "Shutdown", "Mobile",
         "Full network", "Ended", date(2021, 3, 1)],  # line 3: an end before the start
        ["Actual", date(2021, 4, 2), "India", ONE_CITY, "Nationwide", "Throttle", "Mobile",
         "Full network", "Ended", date(2021, 4, 4)],
    ],
}


def write_book(path: Path) -> Path:
    """The fixture workbook: `SHEETS` with the real file's quirks (Excel dates, ``duration``
    in 2022 but ``Duration`` in 2021, the ``DAYS()`` formula without a cached value)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(path)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in SHEETS.items():
        ws = book.add_worksheet(name)
        header = [("Duration" if c == "duration" and name != "2022 Data" else c)
                  for c in COLUMNS]
        ws.write_row(0, 0, header)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(i, j, datetime(value.year, value.month, value.day), day)
                elif value is not None:
                    ws.write_string(i, j, value)
            ws.write_formula(i, COLUMNS.index("duration"), f"=DAYS(J{i + 1},B{i + 1}-1)",
                             None, "")
    book.close()
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return write_book(tmp_path_factory.mktemp("accessnow") / "keepiton_small.xlsx")


def test_small_workbook_keeps_good_rows_and_names_the_bad_one(book: Path) -> None:
    tl = read_any(book, country="India")
    rep = tl.report
    assert (rep.records, rep.kept, rep.other_countries) == (5, 3, 1)
    assert rep.refused == (("keepiton_small.xlsx sheet '2021 Data' line 3: end_date: "
                           "'2021-03-01 00:00:00' is not accepted; a date on or after "
                           "start_date (2021-03-10)"),)
    assert spans(tl)[0][:3] == (t("2021-01-12"), t("2021-01-13"), "mobile")
    assert spans(tl)[1][:3] == (t("2021-04-02"), t("2021-04-04"), "throttling")
    assert spans(tl)[1][5] == 0.5
    # a district inside a state: costed in the state, at the district's share of its people
    pulwama = tl.rows[2]
    assert (pulwama.start_utc, pulwama.end_utc) == (t("2022-01-03"), t("2022-01-05"))
    assert pulwama.region == "Jammu & Kashmir" and 0 < pulwama.affected_share < 0.1
    assert any("below admin-1" in n for n in rep.notes)


def test_small_workbook_text_end_is_still_on(book: Path) -> None:
    with pytest.raises(TimelineError, match=r"sheet '2022 Data' line 3: end: 'none \(still "
                       r"on\)'.*--until"):
        read_any(book, country="IRN")
    tl = read_any(book, country="IRN", until="2022-10-01T00:00Z")
    assert spans(tl) == [(t("2022-09-21"), t("2022-10-01"), "platforms",
                          ("instagram", "whatsapp"), None, 1.0)]
    assert tl.ongoing and tl.report.until == t("2022-10-01")


def test_sheet_option(book: Path, tmp_path: Path) -> None:
    assert read_any(book, country="IND", sheet="2022 Data").report.records == 2
    assert read_any(book.read_bytes(), country="IND", sheet="all").report.records == 5
    with pytest.raises(TimelineError, match=r"sheet: '2019' .*2022 Data, 2021 Data, or all"):
        read_any(book, country="IND", sheet="2019")
    with pytest.raises(TimelineError, match=r"sheet: '2021 Data' .*this file is CSV"):
        read_any(FIX / "stop_sheet_pandas_2021.csv", sheet="2021 Data")


def test_workbooks_are_detected_and_other_binaries_still_refused(book: Path,
                                                                 tmp_path: Path) -> None:
    assert detect_format(book) == "accessnow"
    assert detect_format(book.read_bytes()) == "accessnow"
    assert read_any(book.read_bytes(), name="mine.xlsx", country="IRN",
                    until="2022-10-01T00:00Z").name == "mine.xlsx"
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(TimelineError, match=r"a UTF-8 text file \(JSON or CSV\)"):
        read_any(png)


# ---- CSV exports ------------------------------------------------------------------------------
def test_pandas_csv_of_a_sheet() -> None:
    """``Duration`` header, a blank end with the formula's negative duration (still on), an
    end before the start (refused), a VPN-only block (skipped), an unknown area (catalogue
    share), a row Ended without an end date (its first day)."""
    path = FIX / "stop_sheet_pandas_2021.csv"
    tl = read_any(path, country="India")
    rep = tl.report
    assert (rep.records, rep.kept, rep.other_countries) == (6, 3, 1)
    assert rep.refused == (("stop_sheet_pandas_2021.csv line 4: end_date: '2021-03-01' is not "
                           "accepted; a date on or after start_date (2021-03-10)"),)
    assert [(r.start_utc, r.end_utc, r.scope, r.region) for r in tl.rows] == [
        (t("2021-01-05"), t("2021-01-07"), "mobile", "Jammu & Kashmir"),
        (t("2021-04-01"), t("2021-04-02"), "throttling", None),
        (t("2021-05-02"), t("2021-05-03"), "mobile", None)]
    assert [r.affected_share for r in tl.rows][1:] == [0.005, 0.015]
    notes = " | ".join(rep.notes)
    assert "1 service-based rows name no platform we cost" in notes
    assert "1 rows say Ended with no end date" in notes
    mmr = read_any(path, country="MMR", until="2021-03-01T00:00Z")
    assert spans(mmr) == [(t("2021-02-04"), t("2021-03-01"), "platforms", ("x", "facebook"),
                           None, 1.0)]


def test_google_sheets_csv_dates_and_text_end() -> None:
    path = FIX / "stop_sheet_google_2022.csv"
    ind = read_any(path, country="IND")
    assert [(r.start_utc, r.end_utc, r.region) for r in ind.rows] == [
        (t("2022-01-05"), t("2022-01-06"), "Jammu & Kashmir"),
        (t("2022-11-01"), t("2022-11-03"), "Haryana")]  # Excel day numbers 44866 to 44868
    irn = read_any(path, country="IRN", until="2022-09-23T00:00Z")
    assert spans(irn) == [(t("2022-09-21"), t("2022-09-23"), "platforms",
                           ("instagram", "whatsapp"), None, 1.0)]
    som = read_any(path, country="Somalia")
    assert [r.region for r in som.rows] == ["Woqooyi Galbeed"]


def test_2019_header_spellings() -> None:
    path = FIX / "stop_sheet_2019_layout.csv"
    assert detect_format(path) == "accessnow"
    tl = read_any(path, country="IND")
    assert spans(tl) == [(t("2019-08-05"), t("2019-08-10"), "full", (), "Jammu & Kashmir", 1.0)]
    assert spans(read_any(path, country="IRN"))[0][2] == "full"
    assert spans(read_any(path, country="ETH"))[0][2:4] == ("platforms", ("facebook",))


@pytest.mark.parametrize(("text", "day"), [
    ("2022-01-05", date(2022, 1, 5)), ("2022-01-05 00:00:00", date(2022, 1, 5)),
    ("2022-1-5", date(2022, 1, 5)), ("1/5/2022", date(2022, 1, 5)),
    ("12/31/2021", date(2021, 12, 31)), ("44566", date(2022, 1, 5)),
    ("44566.0", date(2022, 1, 5))])
def test_dates(text: str, day: date) -> None:
    assert an.parse_day(text) == day


@pytest.mark.parametrize("text", ["2024-02-30", "31/12/2021", "2022", "Jan 5, 2022", "123"])
def test_dates_refused(text: str) -> None:
    with pytest.raises(ValueError):
        an.parse_day(text)


def test_only_unknown_platforms_is_one_line() -> None:
    path = FIX / "bad_no_platform.csv"
    for options in ({}, {"skip_unknown_platforms": True}):  # skip_unknown_platforms is still accepted
        with pytest.raises(TimelineError, match=r"^bad_no_platform.csv: shutdown_extent: "
                           r"'Service-based' .*the 1 service-based rows name none$"):
            read_any(path, **options)


def test_an_unknown_country_refuses_its_row_only() -> None:
    tl = read_any(FIX / "bad_unknown_country.csv")
    assert tl.report.kept == 1
    assert tl.report.refused[0].startswith(
        "bad_unknown_country.csv line 3: country: 'Atlantis' is not accepted")
    # asked for another country, the unreadable row is another country's, not refused
    assert read_any(FIX / "bad_unknown_country.csv", country="PAK").report.refused == ()
