"""Exports: strict JSON, self-describing CSV, Excel sheets and the citable Markdown report."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import polars as pl
import pytest

from impact import estimate, parse_scenario
from impact import format as fmt
from impact.bundled.io import data_version
from impact.estimation.ensemble import ENSEMBLE, ensemble
from impact.methods import REGISTRY
from impact.report.export import (
    ASSUMPTION_CSV_COLUMNS,
    CSV_SIGNIFICANT,
    PROVENANCE_COLUMNS,
    assumptions_csv,
    claimable,
    report_markdown,
    summary_frame,
    to_csv,
    to_json,
    to_xlsx,
)
from impact.report.writer import write_export


@pytest.fixture(scope="module")
def est():
    scenario = parse_scenario({"country": "Pakistan", "start": "2024-02-08T07:00",
                               "end": "2024-02-08T17:00", "scope": "mobile",
                               "label": "election day"})
    return estimate(scenario, draws=500)


@pytest.fixture(scope="module")
def platform_est():
    """Deloitte and ICRIER do not cost platform blocks: rows with null figures."""
    return estimate(parse_scenario({"country": "PAK", "duration_hours": 48,
                                    "scope": "platforms", "platforms": "x;whatsapp"}),
                    draws=500)


def test_text_uses_the_one_formatter(est, platform_est):
    """Money, shares and hours in the report follow impact.format; 999,999,999 is 1 bn."""
    assert fmt.money(999_999_999) == "USD 1 bn"
    text = report_markdown(platform_est)
    assert "48 hours" in text
    deloitte = next(line for line in text.splitlines() if line.startswith("| ")
                    and REGISTRY["deloitte2016"].title in line)
    assert f"| {fmt.MISSING} |" in deloitte and "not_applicable" in deloitte
    assert "e+" not in text.split("## How to reproduce")[0]  # no scientific notation
    gdp = est.assumptions.filter(pl.col("parameter") == "gdp_usd")["value"][0]
    assert f"GDP (gdp_usd) | {fmt.number(gdp, 6)} |" in report_markdown(est)


def test_json_round_trip(est):
    data = json.loads(to_json(est))
    assert data["scenario"] == {**est.scenario.model_dump(mode="json", exclude_none=True)}
    assert parse_scenario(data["scenario"]) == est.scenario
    assert [r["method"] for r in data["summary"]] == [*REGISTRY, ENSEMBLE]
    p50 = {r["method"]: r["loss_usd_p50"] for r in data["summary"]}
    assert p50["impact"] == pytest.approx(est.row("impact")["loss_usd_p50"])
    assert p50[ENSEMBLE] == ensemble(est).loss_usd_p50
    assert data["ensemble"]["members"] == list(ensemble(est).members)
    assert "outside its domain" in data["ensemble"]["excluded"]["icrier2018"]
    assert len(data["assumptions"]) == est.assumptions.height
    assert {"parameter", "value", "low", "high", "source"} <= set(data["assumptions"][0])
    assert len(data["vintages"]) == est.vintages.height > 0
    assert data["notes"] == list(est.notes)
    assert data["versions"] == {"impact": "0.1.0", "data": data_version()}
    assert set(data["methods"]) == set(REGISTRY)
    assert all(m["citation"] and m["formula"] for m in data["methods"].values())
    assert data["sensitivity"][0]["rank"] == 1


def test_json_is_strict_with_nulls(platform_est):
    text = to_json(platform_est)
    assert "NaN" not in text
    data = json.loads(text)
    icrier = next(r for r in data["summary"] if r["method"] == "icrier2018")
    assert icrier["status"] == "not_applicable" and icrier["loss_usd_p50"] is None
    assert data["scenario"]["platforms"] == ["x", "whatsapp"]


def test_csv_has_provenance_columns(est):
    frame = pl.read_csv(io.StringIO(to_csv(est)), infer_schema_length=0)
    assert frame.columns[:6] == ["method", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
                                 "loss_usd_per_day_p50", "loss_share_of_gdp_p50_pct"]
    assert frame.columns[-5:] == [c for c in PROVENANCE_COLUMNS if c != "assumptions"]
    row = frame.row(0, named=True)
    assert json.loads(row["scenario"])["country"] == "PAK"
    assert row["data_version"] == data_version() and row["impact_version"] == "0.1.0"
    assert "indicators: " in row["data_vintages"]
    assert row["data_notes"] == " | ".join(est.notes)


def test_csv_assumptions_are_a_csv_of_their_own(est, tmp_path):
    """The CSV for people has no per-row assumptions text: every input is a row of the
    assumptions CSV (written beside the CSV), with its label in words and its source."""
    assert "assumptions" not in pl.read_csv(io.StringIO(to_csv(est))).columns
    rows = pl.read_csv(io.StringIO(assumptions_csv(est)))
    assert rows.columns == ASSUMPTION_CSV_COLUMNS
    assert rows.height == est.assumptions.height + 1  # and how the headline is combined
    gdp = rows.filter(pl.col("parameter") == "gdp_usd").row(0, named=True)
    assert gdp["label"] == "GDP" and gdp["source"].startswith("World Bank")
    assert gdp["value"] == float(fmt.parse_number(fmt.number(
        est.assumptions.filter(pl.col("parameter") == "gdp_usd")["value"][0], 6)))
    icrier = rows.filter((pl.col("method") == "icrier2018")
                         & (pl.col("parameter") == "elasticity")).row(0, named=True)
    assert (icrier["value"], icrier["low"], icrier["high"]) == (0.16, 0.08, 0.24)
    combined = rows.filter(pl.col("method") == ENSEMBLE).row(0, named=True)
    assert "quantile averaging" in combined["notes"] or "geometric mean" in combined["notes"]
    path = write_export(est, tmp_path / "pak.csv")
    beside = tmp_path / "pak.assumptions.csv"
    assert path.read_text(encoding="utf-8") == to_csv(est)
    assert beside.read_text(encoding="utf-8") == assumptions_csv(est)


def test_csv_rounds_to_three_figures_and_json_keeps_full_precision(est):
    """The CSV states what the model can claim (three significant figures, by the one
    formatter's rounding); JSON keeps every digit."""
    assert CSV_SIGNIFICANT == 3
    csv_rows = {r["method"]: r for r in csv.DictReader(io.StringIO(to_csv(est)))}
    json_rows = {r["method"]: r for r in json.loads(to_json(est))["summary"]}
    full = est.row("impact")["loss_usd_p50"]
    assert json_rows["impact"]["loss_usd_p50"] == full  # every digit
    shown = csv_rows["impact"]["loss_usd_p50"]
    # e.g. 17,412,345.67 -> "17400000": three figures, no exponent
    digits = shown.replace(".", "").lstrip("0").rstrip("0")
    assert len(digits) <= 3 and "e" not in shown.lower()
    assert float(shown) == pytest.approx(full, rel=5e-3)
    assert float(shown) == float(fmt.parse_number(fmt.money(full, "")))
    # hand-computed: the rule of impact.format (half up on the decimal value)
    assert [claimable(x) for x in (17_412_345.67, 2.675, 0.000046248, 999_999_999, -5.134e6)] \
        == [17_400_000.0, 2.68, 0.0000462, 1_000_000_000.0, -5_130_000.0]
    assert claimable(float("nan")) is None and claimable(None) is None
    for text in csv_rows["impact"].values():  # no 17-digit figure anywhere in the row
        assert not re.search(r"\d\.\d{8,}", text), text


def test_csv_shares_of_gdp_are_percent_as_the_app_shows_them(est):
    rows = {r["method"]: r for r in csv.DictReader(io.StringIO(to_csv(est)))}
    assert "share_of_gdp_p50" not in rows["impact"]
    share = est.row("impact")["share_of_gdp_p50"]  # a 0-1 share, e.g. 0.0000462
    pct = float(rows["impact"]["loss_share_of_gdp_p50_pct"])
    assert pct == pytest.approx(share * 100, rel=5e-3)
    assert fmt.percent(share) == f"{fmt.number(pct)} %"  # the figure the app shows
    assert {"loss_share_of_gdp_p05_pct", "loss_share_of_gdp_p95_pct",
            "capped_share_pct"} <= set(rows["impact"])


def test_csv_byte_order_mark_is_an_option(est):
    """With ``bom`` the CSV starts with the UTF-8 byte-order mark (Excel on Windows then
    reads "–" as written); without it the text is the same after the mark."""
    plain, marked = to_csv(est), to_csv(est, bom=True)
    assert marked.encode("utf-8").startswith(b"\xef\xbb\xbf") and marked == "\ufeff" + plain
    assert not plain.startswith("\ufeff")
    assert "–" in plain or "–" in assumptions_csv(est)  # the character Excel garbled
    assert assumptions_csv(est, bom=True) == "\ufeff" + assumptions_csv(est)
    read = list(csv.DictReader(io.StringIO(marked.encode("utf-8").decode("utf-8-sig"))))
    assert read[0]["method"] == "impact"


def test_batch_exports_carry_id(est, platform_est):
    both = {"a": est, "b": platform_est}
    frame = summary_frame(both)
    n = len(REGISTRY) + 1  # every method and the ensemble
    assert frame.columns[0] == "id" and frame.height == 2 * n
    csv_frame = pl.read_csv(io.StringIO(to_csv(both)))
    assert csv_frame["id"].to_list() == ["a"] * n + ["b"] * n
    assert csv_frame["method"].to_list() == [*REGISTRY, ENSEMBLE] * 2
    data = json.loads(to_json(both))
    assert [e["id"] for e in data["estimates"]] == ["a", "b"]
    listed = pl.read_csv(io.StringIO(to_csv([est, platform_est])))
    assert listed["id"].unique(maintain_order=True).to_list() == ["election day", "2"]


def test_xlsx_sheets(tmp_path, est):
    path = tmp_path / "e.xlsx"
    path.write_bytes(to_xlsx(est))
    for sheet in ("estimates", "assumptions", "sensitivity", "scenario", "notes", "vintages"):
        pl.read_excel(path, sheet_name=sheet)
    scen = pl.read_excel(path, sheet_name="scenario")
    assert dict(scen.iter_rows())["country"] == "PAK"
    estimates = pl.read_excel(path, sheet_name="estimates")
    assert estimates["loss_usd_p50"].to_list() == pytest.approx(
        est.summary["loss_usd_p50"].to_list() + [ensemble(est).loss_usd_p50])


def test_markdown_report(est):
    text = report_markdown(est)
    assert text.startswith("# ") and "election day" in text.splitlines()[0]
    assert "mobile-data shutdown in Pakistan (PAK)" in text
    assert "from 2024-02-08 07:00 to 2024-02-08 17:00" in text
    for m in REGISTRY.values():
        assert m.title in text and m.citation in text
    for r in est.summary.iter_rows(named=True):
        assert (f"{fmt.money(r['loss_usd_p50'])} ({fmt.money(r['loss_usd_p05'])}–"
                f"{fmt.money(r['loss_usd_p95'])})") in text
        assert fmt.money(r["loss_usd_per_day_p50"]) in text
        assert fmt.percent(r["share_of_gdp_p50"]) in text
    for note in est.notes:
        assert note in text
    for section in ("## Assumptions", "## Data notes", "## Data vintages", "## Methods",
                    "## How to reproduce", "## Suggested citation"):
        assert section in text
    assert ("impact estimate --country PAK --start 2024-02-08T07:00:00 "
            "--end 2024-02-08T17:00:00 --scope mobile --label 'election day' "
            "--draws 500 --seed 20240208") in text
    assert data_version() in text


def test_markdown_report_leads_with_the_headline_and_names_drivers_in_words(est):
    from impact.estimation.ensemble import headline
    from impact.vocab import parameter_label

    lines = report_markdown(est).splitlines()
    assert lines[2] == f"**{headline(est)}**"  # the sentence the app shows, under the title
    table = [x for x in lines if x.startswith("| ") and "| ok |" in x]
    drivers = {r["main_driver"] for r in est.summary.iter_rows(named=True) if r["main_driver"]}
    assert drivers and all(parameter_label(d) != d for d in drivers)
    for d in drivers:
        assert any(f"| {parameter_label(d)} | ok |" in x for x in table), d
        assert not any(f"| {d} |" in x for x in table), d  # no code in the estimates table


def test_markdown_report_not_applicable_and_notes(platform_est):
    text = report_markdown(platform_est)
    assert "not_applicable" in text and "A block of X (Twitter), WhatsApp in Pakistan" in text
    assert "--platforms 'x;whatsapp'" in text
    for note in platform_est.notes:
        assert note in text


def test_write_export_by_extension(tmp_path, est):
    for suffix in (".csv", ".json", ".md", ".xlsx"):
        path = write_export(est, tmp_path / f"out{suffix}")
        assert path.stat().st_size > 0
    assert json.loads((tmp_path / "out.json").read_text())["scenario"]["scope"] == "mobile"


def test_render_is_the_one_path_of_every_format(est, platform_est):
    from impact.errors import InputError
    from impact.report.writer import FORMATS, render

    assert render(est, "csv") == to_csv(est)
    assert render(est, "markdown") == report_markdown(est)
    assert render(est, "brief_pdf").startswith(b"%PDF")
    assert "<img" in render(est, "brief_html")
    assert set(FORMATS) >= {"csv", "json", "xlsx", "markdown"}
    with pytest.raises(InputError, match="brief_html"):
        render(est, "docx")
    with pytest.raises(InputError, match="a brief of one estimate"):
        render([est, platform_est], "brief_html")


def test_reproduce_command_gives_same_numbers(capsys, est):
    from impact.cli import main

    command = json.loads(to_json(est))["command"]
    import shlex

    argv = shlex.split(command)[1:] + ["--format", "json"]
    assert main(argv) == 0
    again = json.loads(capsys.readouterr().out)
    assert np.allclose([r["loss_usd_p50"] for r in again["summary"]],
                       est.summary["loss_usd_p50"].to_list() + [ensemble(est).loss_usd_p50])
