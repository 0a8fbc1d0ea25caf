"""The Excel workbook shows its values (number formats), runs nothing (no formulas), and says
which currency its money is in; CSV and Markdown quote formula-like text the same way."""

from __future__ import annotations

import dataclasses
import io
from io import BytesIO

import openpyxl
import polars as pl
import pytest

from impact import estimate, parse_scenario
from impact import format as fmt
from impact.estimation.ensemble import ensemble
from impact.report.export import (
    column_format,
    report_markdown,
    safe_text,
    to_csv,
    to_xlsx,
    unit_format,
)

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def usd_est():
    return estimate(parse_scenario({"country": "PAK", "duration_hours": 10,
                                    "label": FORMULA}), draws=300)


@pytest.fixture(scope="module")
def local_est():
    return estimate(parse_scenario({"country": "PAK", "duration_hours": 10,
                                    "currency": "local"}), draws=300)


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(data))


def _column(ws, name: str) -> list:
    """The cells (below the header) of column ``name``."""
    header = [c.value for c in ws[1]]
    j = header.index(name) + 1
    return [ws.cell(row=i, column=j) for i in range(2, ws.max_row + 1)]


def test_number_formats_by_column(usd_est):
    ws = _book(to_xlsx(usd_est))["estimates"]
    for name in ("share_of_gdp_p05", "share_of_gdp_p50", "share_of_gdp_p95", "capped_share"):
        cells = [c for c in _column(ws, name) if c.value is not None]
        assert cells and all("%" in c.number_format for c in cells), name
    for name in ("loss_usd_p50", "loss_usd_per_day_p50", "loss_p50"):
        cells = _column(ws, name)
        assert all("#,##0" in c.number_format and c.data_type == "n" for c in cells), name
    assert all(c.number_format.endswith("#,##0.00") for c in _column(ws, "loss_usd_per_capita_p50"))
    assert {c.number_format for c in _column(ws, "duration_hours")} == {"#,##0.0"}
    assert {c.number_format for c in _column(ws, "year")} == {"0"}
    assert {c.number_format for c in _column(ws, "draws")} == {"#,##0"}
    assert ws.freeze_panes == "A2"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths and min(widths.values()) >= len("id")
    # the values are the full-precision numbers, not text
    p50 = [c.value for c in _column(ws, "loss_usd_p50")]
    assert p50 == pytest.approx(usd_est.summary["loss_usd_p50"].to_list()
                                + [ensemble(usd_est).loss_usd_p50])  # the ensemble row last
    assert [c.value for c in _column(ws, "method")][-1] == "ensemble"


def test_sensitivity_and_assumption_formats(usd_est):
    book = _book(to_xlsx(usd_est))
    sens = book["sensitivity"]
    assert {c.number_format for c in _column(sens, "swing_usd")} == {"#,##0"}
    assert {c.value for c in _column(sens, "currency")} == {"USD"}
    ass = book["assumptions"]
    units = [c.value for c in _column(ass, "unit")]
    for name in ("value", "low", "high"):
        for unit, cell in zip(units, _column(ass, name), strict=True):
            assert cell.data_type == "n"
            assert cell.number_format == unit_format(unit)
    gdp = next(i for i, c in enumerate(_column(ass, "parameter")) if c.value == "gdp_usd")
    assert _column(ass, "value")[gdp].number_format == "#,##0"
    assert _column(ass, "currency")[gdp].value == "USD"
    share = next(i for i, u in enumerate(units) if u.startswith("share"))
    assert "%" in _column(ass, "value")[share].number_format
    assert unit_format("USD per person") == "#,##0.00"
    assert unit_format("elasticity") == unit_format("USD per USD of direct loss") == "General"
    assert column_format("affected_share") == column_format("share_of_gdp_p50") == "0.000%"


def test_no_formulas_anywhere(usd_est, local_est):
    """A label or batch id that looks like a formula is text, quoted; numbers stay numbers."""
    for data in (to_xlsx(usd_est), to_xlsx({FORMULA: usd_est, "-2": local_est})):
        book = _book(data)
        for ws in book:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    ids = {c.value for c in _column(book["estimates"], "id")}
    assert ids == {"'" + FORMULA, "'-2"}
    scenario = _book(to_xlsx(usd_est))["scenario"]
    label = next(r[1].value for r in scenario.iter_rows(min_row=2) if r[0].value == "label")
    assert label == "'" + FORMULA


def test_csv_and_markdown_quote_formula_text(usd_est):
    assert safe_text("=1") == "'=1" and safe_text("@x") == "'@x" and safe_text("\tx") == "'\tx"
    assert safe_text("PAK") == "PAK" and safe_text("a=b") == "a=b"
    frame = pl.read_csv(io.StringIO(to_csv({FORMULA: usd_est})))
    assert set(frame["id"]) == {"'" + FORMULA}
    assert frame["loss_usd_p50"].dtype.is_numeric()  # numbers stay numbers
    text = report_markdown(usd_est)
    assert text.splitlines()[0].endswith(": '" + fmt.md_text(FORMULA))  # quoted, as written
    batch = report_markdown({FORMULA: usd_est})
    assert "# Estimate '\\=HYPERLINK" in batch
    # a negative figure in the assumptions is a number, not quoted text
    assert "'-" not in text.split("## Assumptions")[1].split("## Data notes")[0]


def test_local_currency_workbook(local_est):
    book = _book(to_xlsx(local_est))
    est_ws = book["estimates"]
    assert {c.value for c in _column(est_ws, "currency")} == {"PKR"}
    for name in ("loss_p05", "loss_p50", "loss_p95", "loss_per_day_p50", "loss_per_capita_p50"):
        assert all('"PKR "' in c.number_format and "#,##0" in c.number_format
                   for c in _column(est_ws, name)), name
    # the USD columns stay USD
    assert {c.number_format for c in _column(est_ws, "loss_usd_p50")} == {"#,##0"}
    sens = book["sensitivity"]
    assert {c.value for c in _column(sens, "currency")} == {"PKR"}
    factor = local_est.row("impact")["loss_p50"] / local_est.row("impact")["loss_usd_p50"]
    for usd, local in zip(_column(sens, "swing_usd"), _column(sens, "swing"), strict=True):
        assert local.value == pytest.approx(usd.value * factor)
        assert '"PKR "' in local.number_format
    assert "USD" in {c.value for c in _column(book["assumptions"], "currency")}


def test_local_currency_report(local_est):
    text = report_markdown(local_est)
    estimates = text.split("## Estimates")[1].split("## Assumptions")[0]
    assert "in PKR at current prices of" in estimates and "with USD" in estimates
    for r in local_est.summary.iter_rows(named=True):
        assert fmt.money(r["loss_p50"], "PKR") in estimates
        assert fmt.money(r["loss_usd_p50"]) in estimates
        assert fmt.money(r["loss_per_day_p50"], "PKR") in estimates
    # assumptions through the one formatter: no raw 12-digit GDP
    gdp = local_est.assumptions.filter(pl.col("parameter") == "gdp_usd")["value"][0]
    assert str(int(gdp)) not in text and fmt.number(gdp, 6) in text


def test_a_text_longer_than_a_cell_is_kept_whole_in_its_own_sheet():
    import io

    import openpyxl

    from impact.model.scenario import parse_scenario
    from impact.report import export

    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 5}),
                   methods=["impact"], draws=200)
    long = "n" * 70_000
    est = dataclasses.replace(est, notes=(*est.notes, long))
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(est)))
    notes = [c.value for c in wb["notes"]["A"] if c.value and c.value.startswith("nnn")]
    assert notes and len(notes[0]) <= export.XLSX_MAX_CELL and "long text" in notes[0]
    rows = list(wb[export.LONG_TEXT_SHEET].iter_rows(min_row=2, values_only=True))
    whole = {}
    for item, _sheet, _row, _col, _piece, text in rows:
        whole[item] = whole.get(item, "") + text
    assert long in whole.values()


def test_scenario_sheet_stores_numbers_as_numbers():
    """Read back with openpyxl: each scenario value has its own cell type — numbers are
    numeric cells (with the column's format), true/false a boolean, text text, and nothing
    is a formula."""
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 36, "scope": "platforms",
                                   "platforms": "x;whatsapp", "affected_share": 0.4,
                                   "circumvention": 0.25, "year": 2024}), draws=200,
                   methods=["impact"])
    sheet = _book(to_xlsx(est))["scenario"]
    cells = {r[0].value: r[1] for r in sheet.iter_rows(min_row=2)}
    for field, value in [("duration_hours", 36), ("affected_share", 0.4),
                         ("circumvention", 0.25), ("year", 2024)]:
        assert cells[field].data_type == "n" and cells[field].value == value, field
    assert cells["affected_share"].number_format == "0.000%"
    assert cells["duration_hours"].number_format == "#,##0.0"
    assert cells["time_weighting"].data_type == "b" and cells["time_weighting"].value is True
    assert cells["country"].data_type == "s" and cells["country"].value == "PAK"
    assert cells["platforms"].value == "x;whatsapp"
    assert cells["intensity"].value is None  # not given: blank
    assert all(c.data_type != "f" for c in cells.values())
    # a batch's scenario sheet too, with its id column
    batch = _book(to_xlsx({"a": est, "b": est}))["scenario"]
    rows = list(batch.iter_rows(min_row=2, values_only=True))
    assert ("a", "duration_hours", 36) in rows and ("b", "affected_share", 0.4) in rows


def test_the_assumptions_csv_runs_nothing(usd_est):
    """Text of the assumptions CSV that begins like a formula is quoted, as in every export;
    its numbers stay numbers."""
    from impact.report.export import assumptions_csv

    hostile = dataclasses.replace(usd_est, assumptions=usd_est.assumptions.with_columns(
        pl.lit(FORMULA).alias("source"), pl.lit("-1 note").alias("notes")))
    frame = pl.read_csv(io.StringIO(assumptions_csv({FORMULA: hostile})))
    assert set(frame["id"]) == {"'" + FORMULA}
    methods = frame.filter(pl.col("method") != "ensemble")
    assert set(methods["source"]) == {"'" + FORMULA} and set(methods["notes"]) == {"'-1 note"}
    assert frame["value"].dtype.is_numeric()
