"""Command line: every subcommand, output formats and one-line errors (exit 2)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import polars as pl
import pytest

from impact.cli import build_parser, main
from impact.methods import REGISTRY

PAK = ["estimate", "--country", "Pakistan", "--duration-hours", "10", "--scope", "mobile",
       "--draws", "500"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_estimate_table(capsys):
    code, out, err = run(capsys, *PAK)
    assert code == 0, err
    assert "Pakistan (PAK)" in out and "10 hours" in out
    for name in REGISTRY:
        assert name in out
    assert "USD" in out and "% of GDP" in out and "main driver" in out


def test_estimate_table_leads_with_the_headline_and_the_table(capsys):
    """Without --associations: the headline sentence first, the table, one line naming the
    flag; none of the associations' lines."""
    from impact.report.text import ASSOCIATIONS_HINT

    code, out, err = run(capsys, *PAK)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("A 10-hour nationwide mobile-data shutdown in Pakistan in ")
    assert "Beyond the loss" not in out and "GDP growth [" not in out
    table = next(i for i, line in enumerate(lines) if line.startswith("method "))
    assert table < 12  # the table right after the headline's few lines
    assert lines[-1] == ASSOCIATIONS_HINT and "--associations" in ASSOCIATIONS_HINT


def test_estimate_table_shows_associations_and_risk_after_the_table(capsys):
    from impact.catalogue.associations import risk_year

    code, out, err = run(capsys, "estimate", "--country", "Pakistan", "--duration-hours", "10",
                         "--scope", "full", "--draws", "500", "--associations")
    assert code == 0, err
    lines = out.splitlines()
    start = lines.index("Beyond the loss (associations in past country-years, not measured "
                        "causes):")
    assert start > next(i for i, line in enumerate(lines) if line.startswith("method "))
    block = lines[start + 1:start + 5]
    assert block[0].startswith("  GDP growth [percentage points of annual growth]: -0.0103 "
                               "(90 % CI -0.039 to 0.0185, p 0.56; ")
    assert block[1].startswith("  FDI net inflows [percentage points of GDP]: -0.00725 ")
    assert block[2].startswith("  Unemployment rate [percentage points of the labour force]: "
                               "-0.00138 ")
    assert all("not distinguishable from zero (90 % interval includes 0)" in b
               for b in block[:3])
    year = risk_year()
    assert block[3].startswith(f"  Risk that a new shutdown starts in Pakistan in {year.year}: ")
    assert block[3].endswith(year.why)
    assert len(lines) == start + 5  # the last lines of the output


def test_estimate_csv_round_trips_with_and_without_byte_order_mark(capsys, tmp_path):
    """``--format csv`` writes no byte-order mark (scripts); ``--bom`` starts stdout and both
    ``--out`` files with it; either way the CSV reads back to the same rows, and those rows
    are the estimate's figures to three significant figures."""
    from impact import estimate, parse_scenario
    from impact.report.export import claimable

    code, plain, _ = run(capsys, *PAK, "--format", "csv")
    assert code == 0 and not plain.startswith("\ufeff")
    code, marked, err = run(capsys, *PAK, "--format", "csv", "--bom", "--out",
                            str(tmp_path / "pak.csv"))
    assert code == 0 and marked == "\ufeff" + plain
    assert f"wrote {tmp_path / 'pak.assumptions.csv'} (the assumptions)" in err
    for name in ("pak.csv", "pak.assumptions.csv"):
        assert (tmp_path / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert rows == list(csv.DictReader(io.StringIO(marked.removeprefix("\ufeff"))))
    assert rows == list(csv.DictReader(io.StringIO(
        (tmp_path / "pak.csv").read_text(encoding="utf-8-sig"))))
    est = estimate(parse_scenario({"country": "Pakistan", "duration_hours": 10,
                                   "scope": "mobile"}), draws=500)
    for row in rows[:-1]:  # the methods; the headline row last
        r = est.row(row["method"])
        if r["status"] == "ok":
            assert float(row["loss_usd_p50"]) == claimable(r["loss_usd_p50"])
            assert float(row["loss_share_of_gdp_p50_pct"]) == claimable(
                r["share_of_gdp_p50"] * 100)


def test_data_status_never_cuts_a_source_name(capsys):
    """Every publisher and vintage is shown whole: wrapped within its column, never cut."""
    from impact.bundled.data_status import status

    code, out, _ = run(capsys, "data", "status")
    assert code == 0
    lines = out.splitlines()
    start = lines.index("sources (vintage, age):") + 1
    block = lines[start:lines.index("", start)]
    rows: list[list[str]] = []
    for line in block:  # columns: table 22, publisher 34, vintage 24 (after two spaces)
        cells = [line[2:24].strip(), line[25:59].strip(), line[60:84].strip()]
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [a + (" " + b if b else "") for a, b in zip(rows[-1], cells,
                                                                       strict=True)]
    sources = status().sources
    shown = {(t, p, v) for t, p, v in rows}
    for r in sources.iter_rows(named=True):
        assert (r["table"], r["publisher"], r["vintage"]) in shown, r
    longest = max(sources["publisher"].to_list(), key=len)
    assert len(longest) > 34 and any(p == longest for _, p, _ in rows)


@pytest.mark.parametrize(("columns", "whole_words"), [(70, False), (100, True), (140, True)])
def test_events_list_fits_the_terminal_width(capsys, monkeypatch, columns, whole_words):
    """No line of ``impact events list`` is wider than the terminal ($COLUMNS here); long
    titles wrap onto more lines, between words when the columns' longest words fit (below
    that, a word is split across lines, never dropped)."""
    from impact.catalogue import events as ev

    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, "events", "list", "--country", "PAK", "--years", "2024")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    titles = ev.load_events(country=["PAK"], years="2024")["title"].to_list()
    longest = max(titles, key=len)
    assert len(longest) > columns // 3  # so it had to wrap
    words = " ".join(out.split())
    assert all(w in words for w in longest.split()) or not whole_words
    assert len("".join(out.split())) >= len("".join(longest.split()))


def test_events_list_width_defaults_to_100_off_a_terminal(monkeypatch):
    import shutil

    from impact.report import text

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback: os.terminal_size(
        fallback))
    assert text.terminal_width() == text.DEFAULT_WIDTH == 100


def test_fit_table_wraps_and_never_cuts():
    from impact.report.text import fit_table

    rows = [["AN-1", "Pakistan — mobile data cut in Parts of Balochistan, 21–22 Apr 2024",
             "open_ended_listed_years"]]
    table = fit_table(rows, ["event_id", "title", "hours_basis"], 40)
    lines = table.splitlines()
    assert max(map(len, lines)) <= 40
    assert lines[0].startswith("event_id  title")
    joined = " ".join(" ".join(lines).split())
    assert all(w in joined for w in rows[0][1].split())
    assert "open_ended_" in table and "listed_years" in table


def test_monitor_header_groups_the_draws(capsys):
    path = Path(__file__).parent / "fixtures" / "monitor" / "timeline" / "timeline_pak.csv"
    code, out, err = run(capsys, "monitor", str(path), "--draws", "2000", "--method", "impact")
    assert code == 0, err
    head = out.splitlines()[0]
    assert "; 2,000 draws, seed " in head and "2000 draws" not in head


def test_events_summary_takes_a_list_of_countries(capsys):
    code, out, err = run(capsys, "events", "summary", "--country", "ETH,MMR", "--years",
                         "2021", "--draws", "100", "--format", "csv")
    assert code == 0, err
    frame = pl.read_csv(io.StringIO(out))
    assert set(frame["iso3"]) == {"ETH", "MMR"} and set(frame["year"]) == {2021}


def test_estimate_json_has_all_five_methods(capsys):
    code, out, _ = run(capsys, *PAK, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [r["method"] for r in data["summary"]] == [*REGISTRY, "ensemble"]
    assert "icrier2018" in data["ensemble"]["excluded"]
    assert data["scenario"]["country"] == "PAK"
    assert data["scenario"]["scope"] == "mobile"
    assert "--duration-hours 10" in data["command"]


def test_estimate_csv(capsys):
    code, out, _ = run(capsys, *PAK, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["method"] for r in rows] == [*REGISTRY, "ensemble"]
    assert all(float(r["loss_usd_p05"]) <= float(r["loss_usd_p50"]) <= float(r["loss_usd_p95"])
               for r in rows)


def test_estimate_markdown(capsys):
    code, out, _ = run(capsys, *PAK, "--format", "markdown", "--method", "impact")
    assert code == 0
    assert out.startswith("# ") and "## How to reproduce" in out


def test_single_method(capsys):
    code, out, _ = run(capsys, *PAK, "--method", "brookings2016", "--format", "csv")
    assert code == 0
    frame = pl.read_csv(io.StringIO(out))
    assert frame["method"].to_list() == ["brookings2016", "ensemble"]
    # an ensemble of one method is that method's figures
    assert frame["loss_usd_p50"][1] == pytest.approx(frame["loss_usd_p50"][0])


def test_set_override_changes_the_figure(capsys):
    base = json.loads(run(capsys, *PAK, "--method", "deloitte2016", "--format", "json")[1])
    code, out, _ = run(capsys, *PAK, "--method", "deloitte2016", "--format", "json",
                       "--set", "loss_share_per_day=0.02")
    assert code == 0
    doubled = json.loads(out)
    ratio = doubled["summary"][0]["loss_usd_central"] / base["summary"][0]["loss_usd_central"]
    assert ratio == pytest.approx(2.0)  # the loss is proportional to the daily share
    assert "--set loss_share_per_day=0.02" in doubled["command"]


@pytest.mark.parametrize(("args", "field", "value", "hint"), [
    (["--country", "Pakistn", "--duration-hours", "10"], "country", "Pakistn", "Pakistan"),
    (["--country", "PAK", "--duration-hours", "-5"], "duration_hours", "-5", "> 0"),
    (["--country", "PAK", "--duration-hours", "10", "--affected-share", "1.5"],
     "affected_share", "1.5", "between 0 and 1"),
    (["--country", "PAK", "--duration-hours", "10", "--affected-users", "999999999"],
     "affected_users", "999999999", "internet users"),
    (["--country", "PAK", "--duration-hours", "10", "--scope", "platforms", "--platforms",
      "myspace"], "platforms", "myspace", "whatsapp"),
    (["--country", "PAK", "--duration-hours", "10", "--platforms", "x"], "platforms", "x",
     "scope is platforms"),
    (["--country", "PAK", "--duration-hours", "10", "--method", "nope"], "method", "nope",
     "brookings2016"),
    (["--country", "PAK", "--duration-hours", "10", "--set", "oops"], "set", "oops",
     "NAME=VALUE"),
    (["--country", "PAK", "--duration-hours", "10", "--set", "nope=1"], "set", "nope",
     "parameter name"),
    (["--country", "PAK", "--duration-hours", "10", "--draws", "5"], "draws", "5",
     "100 to 1,000,000"),
    (["--country", "PAK", "--duration-hours", "10", "--out", "x.txt"], "out", "x.txt",
     ".xlsx"),
])
def test_bad_input_exits_2_with_one_line(capsys, args, field, value, hint):
    code, out, err = run(capsys, "estimate", *args)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {field}: ")
    assert value in lines[0] and "is not accepted" in lines[0] and hint in lines[0]
    assert "Traceback" not in err


def test_unknown_method_lists_valid_ones(capsys):
    _, _, err = run(capsys, *PAK, "--method", "impact,westt2016")
    assert "'westt2016'" in err
    for name in REGISTRY:
        assert name in err


@pytest.mark.parametrize("argv", [["estimate", "--bogus"], ["estimate", "--format", "xml"],
                                  [], ["frobnicate"]])
def test_argparse_errors_are_one_line(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


def test_countries(capsys):
    code, out, _ = run(capsys, "countries")
    assert code == 0
    pak = next(line for line in out.splitlines() if line.startswith("PAK "))
    assert "Pakistan" in pak and "income" in pak
    code, out, _ = run(capsys, "countries", "--format", "csv")
    frame = pl.read_csv(io.StringIO(out))
    assert frame.columns == ["iso3", "name", "world_bank_name", "region", "income_group"]
    assert "PAK" in frame["iso3"].to_list()
    iran = frame.filter(pl.col("iso3") == "IRN").row(0, named=True)
    assert (iran["name"], iran["world_bank_name"]) == ("Iran", "Iran, Islamic Rep.")


def test_countries_table_names_taiwan_as_not_costable(capsys):
    code, out, err = run(capsys, "countries")
    assert code == 0 and "TWN" not in out
    assert "not listed: TWN: Taiwan has no GDP or internet-user figures from the World Bank" \
        in err


def test_methods(capsys):
    code, out, _ = run(capsys, "methods")
    assert code == 0
    for name, m in REGISTRY.items():
        assert f"{name} — {m.title}" in out
    assert out.count("citation:") == len(REGISTRY) and out.count("formula:") == len(REGISTRY)
    code, out, _ = run(capsys, "methods", "--format", "csv")
    assert pl.read_csv(io.StringIO(out))["name"].to_list() == list(REGISTRY)


def test_out_xlsx_workbook(capsys, tmp_path):
    path = tmp_path / "x.xlsx"
    code, _, err = run(capsys, *PAK, "--out", str(path))
    assert code == 0 and f"wrote {path}" in err
    assumptions = pl.read_excel(path, sheet_name="assumptions")
    assert {"method", "parameter", "value", "low", "high", "source"} <= set(assumptions.columns)
    assert set(assumptions["method"]) == set(REGISTRY)
    estimates = pl.read_excel(path, sheet_name="estimates")
    assert estimates["method"].to_list() == [*REGISTRY, "ensemble"]
    for sheet in ("sensitivity", "scenario", "notes", "vintages"):
        pl.read_excel(path, sheet_name=sheet)


@pytest.mark.parametrize("suffix", [".csv", ".json", ".md"])
def test_out_text_formats(capsys, tmp_path, suffix):
    path = tmp_path / f"x{suffix}"
    assert run(capsys, *PAK, "--method", "icrier2018", "--out", str(path))[0] == 0
    text = path.read_text(encoding="utf-8")
    assert "icrier2018" in text


def test_out_unwritable(capsys, tmp_path):
    code, _, err = run(capsys, *PAK, "--out", str(tmp_path / "missing" / "x.csv"))
    assert code == 2 and err.startswith("error: out: ")


def test_data_build_missing_raw_dir(capsys, tmp_path):
    code, _, err = run(capsys, "data", "build", "--raw", str(tmp_path / "nope"),
                       "--out", str(tmp_path / "out"))
    assert code == 2 and err.startswith("error: raw: ")
    assert len(err.strip().splitlines()) == 1
    assert f"looked in {tmp_path / 'nope'} (given by --raw), which does not exist" in err
    assert "--raw DIR" in err and "IMPACT_RAW_DATA" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["data", "build"], ["data", "geometry", "x.tgz"]])
def test_data_builds_default_raw_folder_does_not_depend_on_the_current_directory(
        capsys, tmp_path, monkeypatch, command):
    """Without --raw: $IMPACT_RAW_DATA (made absolute), else shared/data beside the
    checkout, from whatever directory; a missing folder names it, --raw and the variable."""
    from impact.build import REPO_DIR, default_raw_dir

    monkeypatch.delenv("IMPACT_RAW_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.tgz").write_bytes(b"")  # the world-atlas file of `data geometry`
    assert default_raw_dir() == REPO_DIR.parent / "shared" / "data"
    monkeypatch.setenv("IMPACT_RAW_DATA", "missing-raw")
    code, _, err = run(capsys, *command, "--out", str(tmp_path / "out"))
    assert code == 2 and err.startswith("error: raw: ") and len(err.splitlines()) == 1
    assert f"looked in {tmp_path / 'missing-raw'} (from IMPACT_RAW_DATA)" in err
    assert "pass --raw DIR or set IMPACT_RAW_DATA=DIR" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, *command, "--raw", "empty", "--out", str(tmp_path / "out"))
    assert code == 2 and f"looked in {tmp_path / 'empty'} (given by --raw), which has no " \
        "meta/country_codes.csv" in err
    assert not (tmp_path / "out").exists()


def test_data_build_default_raw_folder_when_nothing_is_set(capsys, tmp_path, monkeypatch):
    from impact import build

    monkeypatch.delenv("IMPACT_RAW_DATA", raising=False)
    monkeypatch.setattr(build, "REPO_DIR", tmp_path / "checkout")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "data", "build", "--out", str(tmp_path / "out"))
    assert code == 2
    assert (f"looked in {tmp_path / 'shared' / 'data'} (the default beside the checkout; "
            "IMPACT_RAW_DATA is not set), which does not exist") in err


def test_data_build_with_an_incomplete_raw_folder_is_one_line(capsys, tmp_path):
    from impact.build import default_raw_dir

    codes = default_raw_dir() / "meta" / "country_codes.csv"
    if not codes.is_file():
        pytest.skip("raw snapshot not found")
    (tmp_path / "raw" / "meta").mkdir(parents=True)
    (tmp_path / "raw" / "meta" / "country_codes.csv").write_bytes(codes.read_bytes())
    code, _, err = run(capsys, "data", "build", "--raw", str(tmp_path / "raw"),
                       "--out", str(tmp_path / "out"))
    assert code == 2 and err.startswith("error: raw: ") and len(err.splitlines()) == 1
    assert "a complete raw snapshot" in err and "wb_country_classification.csv" in err


def test_build_data_script_names_raw_and_the_variable(capsys, tmp_path, monkeypatch):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_data.py"
    spec = importlib.util.spec_from_file_location("build_data_script", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setenv("IMPACT_RAW_DATA", str(tmp_path / "nope"))
    assert module.main(["--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: raw: ") and len(err.splitlines()) == 1
    assert f"looked in {tmp_path / 'nope'} (from IMPACT_RAW_DATA)" in err and "--raw" in err


def test_regions_command_and_flag(capsys):
    assert main(["regions", "Pakistan"]) == 0
    assert "Sindh" in capsys.readouterr().out.splitlines()
    assert main(["estimate", "--country", "PAK", "--duration-hours", "10", "--regions",
                 "Sindh;Punjab", "--method", "impact", "--draws", "300",
                 "--format", "json"]) == 0
    assert '"regions"' in capsys.readouterr().out
    assert main(["regions", "Syria"]) == 2
    assert "no" in capsys.readouterr().err.lower()


def _subcommands(parser) -> list[list[str]]:
    """Every command path of the parser, e.g. ['events', 'compare']."""
    import argparse

    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out.append([name])
                out += [[name, *rest] for rest in _subcommands(sub)]
    return out


@pytest.mark.parametrize("path", _subcommands(build_parser()),
                         ids=" ".join)
def test_every_help_text_prints(capsys, path):
    """`--help` of every command and subcommand prints its usage (no formatting error)."""
    assert main([*path, "--help"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: impact " + " ".join(path)) and err == ""


def _help_lines(capsys, *path: str) -> dict[str, str]:
    """``--flag METAVAR`` -> its help text (wrapped lines joined) in ``impact PATH --help``."""
    assert main([*path, "--help"]) == 0
    text = capsys.readouterr().out.split("options:", 1)[1]
    flags: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if line.startswith("  -"):
            key, _, rest = line.strip().partition("  ")
            flags[key] = rest.strip()
        elif key and line.strip():
            flags[key] = (flags[key] + " " + line.strip()).strip()
    return flags


@pytest.mark.parametrize("path", _subcommands(build_parser()), ids=" ".join)
def test_no_flag_shows_a_bare_value(capsys, path):
    """Every flag that takes a value names it (HOURS, SHARE, a list of choices...)."""
    for flag in _help_lines(capsys, *path):
        assert not flag.endswith(" VALUE"), f"impact {' '.join(path)}: {flag}"


def test_estimate_flags_name_their_values_and_units(capsys):
    """The scenario flags come from the scenario model: the unit in brackets, the accepted
    values in the words of the errors, the choices of an enumeration as the metavar."""
    from impact.model.scenario import ACCEPTED
    from impact.vocab import VALUE_FIELDS

    flags = _help_lines(capsys, "estimate")
    assert flags["--duration-hours HOURS"] == (
        "length of the restriction [hours]; a number of hours > 0 and <= 175200 (20 years)")
    assert flags["--scope full|mobile|platforms|throttling"].endswith(
        "one of full, mobile, platforms, throttling (default full)")
    assert "--currency USD|local" in flags and "--price-year YEAR" in flags
    assert "[0-1]" in flags["--affected-share SHARE"]
    assert "[people]" in flags["--affected-users PEOPLE"]
    assert "--start DATETIME" in flags and "--country COUNTRY" in flags
    by_name = {f.split()[0]: (f, h) for f, h in flags.items()}
    for name in VALUE_FIELDS:
        flag, text = by_name[f"--{name.replace('_', '-')}"]
        assert len(flag.split()) == 2 and flag.split()[1] != "VALUE", flag
        assert " ".join(ACCEPTED[name].split()) in text, (flag, text)
    for flag, text in flags.items():
        assert text, f"{flag} has no help"


def test_data_geometry_needs_the_world_atlas_file(capsys, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    code, _, err = run(capsys, "data", "geometry", str(tmp_path / "missing.tgz"),
                       "--raw", str(raw), "--out", str(tmp_path))
    assert code == 2
    assert "geometry" in err and "npm pack world-atlas@2" in err


def test_data_geometry_writes_the_shapes_from_the_bare_json(capsys, tmp_path):
    from impact.build import default_raw_dir

    raw = default_raw_dir()
    if not (raw / "meta" / "country_codes.csv").is_file():
        pytest.skip("raw snapshot not found")
    source = tmp_path / "countries-110m.json"
    source.write_text(json.dumps({
        "type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "586", "arcs": [[0]], "properties": {"name": "Pak."}}]}},
        "arcs": [[[0, 0], [1, 0], [0, 1], [-1, -1]]]}))
    code, out, _ = run(capsys, "data", "geometry", str(source), "--raw", str(raw),
                       "--out", str(tmp_path))
    assert code == 0, out
    written = json.loads((tmp_path / "geometry" / "countries-110m.topojson").read_text())
    assert written["objects"]["countries"]["geometries"][0]["properties"] == {
        "iso3": "PAK", "name": "Pakistan"}
    assert "1 countries" in out and "wrote" in out


@pytest.mark.parametrize("error", [FileNotFoundError("wdi/NY.GDP.MKTP.CD.csv"),
                                   RuntimeError("a fit failed")])
def test_a_build_that_fails_half_way_leaves_out_as_it_was(capsys, tmp_path, monkeypatch, error):
    from impact.build import tables

    raw = tmp_path / "raw"
    (raw / "meta").mkdir(parents=True)
    (raw / "meta" / "country_codes.csv").write_text("iso3\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "countries.csv").write_text("good\n", encoding="utf-8")

    def half_way(raw_dir, out_dir, report=None):
        (out_dir / "countries.csv").write_text("half-written\n", encoding="utf-8")
        (out_dir / "indicators.csv").write_text("half-written\n", encoding="utf-8")
        raise error

    monkeypatch.setattr(tables, "build_all", half_way)
    code, _, err = run(capsys, "data", "build", "--raw", str(raw), "--out", str(out))
    assert code == (2 if isinstance(error, FileNotFoundError) else 3)
    assert len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] != [] and sorted(
        p.name for p in tmp_path.iterdir()) == ["out", "raw"]  # no temporary folder left
    assert sorted(p.name for p in out.iterdir()) == ["countries.csv"]
    assert (out / "countries.csv").read_text(encoding="utf-8") == "good\n"
