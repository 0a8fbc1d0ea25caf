"""A user's own events beside the catalogue (`impact.catalogue.events.read_user_events`): the same rules
as the catalogue's rows, bad rows refused one line each, origin marked, the catalogue's
figures unchanged; and ``impact events … --events-file``."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import polars as pl
import pytest

from impact import cli
from impact.catalogue import events as ev
from impact.catalogue.rules import rows as rules
from impact.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "events_since_snapshot.csv"
SAMPLES = ROOT.parent / "shared" / "monitor_samples" / "accessnow"


def _csv(text: str) -> bytes:
    return text.encode()


def test_the_example_file_reads_with_the_catalogues_rules():
    user = ev.read_user_events(EXAMPLE)
    assert (user.records, user.kept, user.refused, user.known) == (3, 3, (), 0)
    rows = {r["event_id"]: r for r in user.events.iter_rows(named=True)}
    assert rows["U-IRN-2026-01-08"]["duration_hours"] == 240.0  # 8-18 January, whole days
    iran = rows["U-IRN-2026-02-28"]
    # no end date: the catalogue's open-ended rule (first day, to the snapshot in its variant)
    assert iran["open_ended"] and iran["hours_basis"] == "open_ended_first_day"
    assert iran["duration_hours"] == 24.0 and iran["affected_share"] == 1.0
    assert iran["hours_to_snapshot"] == (rules.SNAPSHOT_DATE - iran["start"]).days * 24.0
    uganda = rows["U-UGA-2026-01-13"]
    assert uganda["hours_basis"] == "dates_whole_days" and uganda["duration_hours"] == 120.0
    assert set(user.events["origin"]) == {"yours"}
    assert user.events.select(rules.EVENT_COLUMNS).columns == list(rules.EVENT_COLUMNS)


def test_minimum_columns_and_overrides():
    data = _csv("country,start,scope,end,area_names,platforms,affected_share,daily_hours\n"
                "Pakistan,2026-02-01,mobile,2026-02-03,,,0.2,6\n"
                "India,2026-03-01,platforms,,Manipur,x;youtube,,\n")
    user = ev.read_user_events(data, name="mine.csv")
    assert user.refused == ()
    pak, ind = user.events.sort("iso3", descending=True).iter_rows(named=True)
    assert pak["iso3"] == "PAK" and pak["scope"] == "mobile"
    assert pak["share_method"] == "given" and pak["affected_share"] == 0.2
    assert pak["daily_hours"] == 6.0 and pak["duration_hours"] == 12.0
    assert ind["scope"] == "platforms" and ind["platforms"] == "x;youtube"
    assert ind["share_method"] == "regions_matched" and ind["affected_share"] < 0.01


def test_bad_rows_are_refused_one_line_each_and_good_rows_kept():
    data = _csv("country,start,scope,end,event_id\n"
                "IRN,2026-01-08,full,,\n"
                "Atlantis,2026-01-01,full,,\n"
                "IRN,2026-01-08,laser,,\n"
                "IRN,2026-01-08,full,2025-01-01,\n"
                "IRN,2026-01-08,full,,=HYPERLINK(1)\n"
                "IRN,2026-01-08\n")
    user = ev.read_user_events(data, name="bad.csv")
    assert user.records == 6 and user.kept == 1 and len(user.refused) == 5
    assert all("\n" not in line and line.startswith("bad.csv, line ") for line in user.refused)
    assert "country: 'Atlantis' is not accepted" in user.refused[0]
    assert "scope: 'laser'" in user.refused[1]
    assert "end: '2025-01-01'" in user.refused[2]
    assert "event_id: '=HYPERLINK(1)'" in user.refused[3]
    assert "row: '2 cells'" in user.refused[4]


def test_a_file_of_neither_format_is_one_error():
    with pytest.raises(InputError, match="header"):
        ev.read_user_events(_csv("a,b\n1,2\n"), name="x.csv")


def test_user_events_never_change_the_catalogues_figures():
    cat = ev.load_events("IRN", (2025, 2025))
    mine = ev.read_user_events(EXAMPLE).events
    alone = ev.estimate_events(cat, ["impact"], draws=200)
    both = ev.estimate_events(ev.with_yours(cat, mine), ["impact"], draws=200)
    theirs = both.filter(~pl.col("event_id").str.starts_with(ev.USER_ID_PREFIX))
    key = ["event_id", "year", "method"]
    assert theirs.sort(key).select(key, "loss_usd_p50").equals(
        alone.sort(key).select(key, "loss_usd_p50"))
    marked = ev.with_origin(both)
    assert set(marked.filter(pl.col("event_id").str.starts_with("U-"))["origin"]) == {"yours"}


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_list_marks_your_events():
    code, out, err = _run("events", "list", "--events-file", str(EXAMPLE), "--country", "IRN",
                          "--years", "2025-2026", "--format", "csv")
    assert code == 0, err
    frame = pl.read_csv(io.StringIO(out))
    assert frame.columns[:2] == ["event_id", "origin"]
    assert set(frame["origin"]) == {"catalogue", "yours"}
    assert "3 records read, 3 events kept, 0 refused" in err


def test_cli_summary_and_compare_with_your_events():
    code, out, err = _run("events", "summary", "--events-file", str(EXAMPLE), "--years", "2026",
                          "--method", "ensemble", "--draws", "300", "--format", "csv")
    assert code == 0, err
    summary = pl.read_csv(io.StringIO(out))
    assert set(summary["iso3"]) >= {"IRN", "UGA"}
    code, out, err = _run("events", "compare", "U-UGA-2026-01-13", "AN-128b3eb3d9",
                          "--events-file", str(EXAMPLE), "--method", "impact", "--draws",
                          "300", "--format", "csv")
    assert code == 0, err
    compared = pl.read_csv(io.StringIO(out))
    assert compared["origin"].to_list() == ["yours", "catalogue"]


def test_cli_refused_rows_on_stderr_and_formulas_quoted(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("country,start,scope,cause\nIRN,2026-01-08,full,=cmd()\n"
                    "Atlantis,2026-01-08,full,\n")
    code, out, err = _run("events", "list", "--events-file", str(path), "--country", "IRN",
                          "--years", "2026", "--format", "csv")
    assert code == 0
    assert "refused: mine.csv, line 3: country: 'Atlantis'" in err
    assert "'=cmd()" in out and ",=cmd()" not in out


def test_cli_sheet_without_a_file_is_an_error():
    code, _, err = _run("events", "list", "--sheet", "2022 Data")
    assert code == 2 and "sheet" in err


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared Access Now samples absent")
def test_real_access_now_workbook():
    user = ev.read_user_events(SAMPLES / "keepiton_stop_2020-2022_sheets.xlsx")
    assert user.records == 528
    assert user.known > 400  # rows the catalogue holds are not added again
    assert len(user.refused) == 1 and "Somaliland" in user.refused[0]
    assert user.kept + user.known + len(user.refused) <= user.records
    one = ev.read_user_events(SAMPLES / "keepiton_stop_2020-2022_sheets.xlsx",
                              sheet="2022 Data")
    assert one.records == 187


def test_an_events_output_cannot_be_its_own_input(tmp_path, capsys):
    from impact.cli import main

    mine = tmp_path / "mine.csv"
    mine.write_bytes(EXAMPLE.read_bytes())
    assert main(["events", "list", "--events-file", str(mine), "--out", str(mine)]) == 2
    assert "other than --events-file" in capsys.readouterr().err
    assert mine.read_bytes() == EXAMPLE.read_bytes()
