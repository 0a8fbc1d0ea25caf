"""Batch runs: row-level errors with row numbers, good rows still computed, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from impact.batch.read import read_batch_csv
from impact.batch.run import run_batch, run_batch_estimates
from impact.cli import main
from impact.errors import InputError
from impact.estimation.ensemble import ENSEMBLE
from impact.methods import REGISTRY

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "batch_example.csv"
BAD = FIXTURES / "batch_bad.csv"
LEAD = ["id", "method", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
        "loss_usd_per_day_p50", "share_of_gdp_p50"]


@pytest.fixture(scope="module")
def example():
    return run_batch(read_batch_csv(EXAMPLE), draws=500, seed=7)


def test_example_one_row_per_id_and_method(example):
    results, errors = example
    assert errors == []
    assert results.columns[:7] == LEAD
    assert {"status", "reason", "iso3", "year", "duration_hours", "loss_usd_central",
            "loss_usd_per_capita_p50", "main_driver", "currency", "loss_p50"} <= set(
        results.columns)
    assert results.height == 4 * (len(REGISTRY) + 1)  # every method and the ensemble
    assert results.group_by("id", "method").len()["len"].max() == 1
    assert results.filter(pl.col("method") == ENSEMBLE)["id"].to_list() == results[
        "id"].unique(maintain_order=True).to_list()
    assert results["id"].unique(maintain_order=True).to_list() == [
        "pak-x-2024", "pak-mobile-2024-02-08", "ind-regional-full", "irn-throttling"]


def test_example_rows_hand_checked(example):
    results, _ = example
    by = {(r["id"], r["method"]): r for r in results.iter_rows(named=True)}
    x_block = by[("pak-x-2024", "impact")]
    # 2024-02-17 to 2025-05-08: 366 days to 2025-02-17, then 11 + 31 + 30 + 8 = 80: 446 days
    assert x_block["duration_hours"] == pytest.approx(446 * 24)
    assert x_block["scope"] == "platforms" and x_block["status"] == "ok"
    # ICRIER and Deloitte do not cost platform blocks
    assert by[("pak-x-2024", "icrier2018")]["status"] == "not_applicable"
    mobile = by[("pak-mobile-2024-02-08", "brookings2016")]
    assert mobile["duration_hours"] == pytest.approx(10.0) and mobile["year"] == 2024
    assert mobile["iso3"] == "PAK" and mobile["scope"] == "mobile"
    india = by[("ind-regional-full", "icrier2018")]
    assert india["iso3"] == "IND" and india["duration_hours"] == 72
    # 1 % of users for 72 h: far below a day of India's GDP (about USD 3.9 tn / 365 ≈ 10 bn)
    assert 0 < india["loss_usd_p50"] < 1e9
    throttle = by[("irn-throttling", "impact")]
    assert throttle["scope"] == "throttling" and throttle["year"] == 2022
    for r in results.filter(pl.col("status") == "ok").iter_rows(named=True):
        assert r["loss_usd_p05"] <= r["loss_usd_p50"] <= r["loss_usd_p95"]
        assert r["loss_usd_per_day_p50"] == pytest.approx(
            r["loss_usd_p50"] / (r["duration_hours"] / 24))


def test_bad_rows_reported_good_rows_computed():
    results, errors = run_batch(read_batch_csv(BAD), methods="impact,brookings2016",
                                draws=500)
    assert [e.row for e in errors] == [2, 4]
    assert [e.id for e in errors] == ["bad-share", "bad-country"]
    assert str(errors[0]).startswith(
        "row 2 (id=bad-share): affected_share: 1.5 is not accepted; ")
    assert "a share between 0 and 1" in str(errors[0])
    assert errors[1].field == "country" and "Pakistan" in str(errors[1])
    assert results["id"].to_list() == ["good-1"] * 3 + ["good-2"] * 3
    assert results["method"].to_list() == ["impact", "brookings2016", ENSEMBLE] * 2


def test_duplicate_id_is_an_error_for_the_duplicate_row():
    frame = pl.DataFrame({"id": ["a", "b", "a"], "country": ["PAK", "IND", "PAK"],
                          "duration_hours": ["1", "2", "3"]})
    results, errors = run_batch(frame, methods="deloitte2016", draws=500)
    assert [(e.row, e.id, e.field) for e in errors] == [(3, "a", "id")]
    assert results["id"].to_list() == ["a", "a", "b", "b"]  # deloitte2016 and the ensemble
    assert results["duration_hours"].to_list() == [1.0, 1.0, 2.0, 2.0]


def test_blank_cells_mean_default_and_text_is_not_coerced():
    frame = pl.DataFrame({"country": ["PAK", "PAK"], "duration_hours": ["10", "ten"],
                          "scope": ["", "mobile"]})
    results, errors = run_batch(frame, methods="deloitte2016", draws=500)
    assert results["id"].to_list() == ["row-1", "row-1"]  # a blank id is row-<row number>
    assert results["scope"].to_list() == ["full"] * 2
    assert results["method"].to_list() == ["deloitte2016", ENSEMBLE]
    assert errors[0].row == 2 and errors[0].field == "duration_hours"
    assert errors[0].value == "ten"


def test_unknown_column_names_it_and_lists_accepted():
    frame = pl.DataFrame({"country": ["PAK"], "duration_hours": ["1"], "colour": ["red"]})
    with pytest.raises(InputError) as info:
        run_batch(frame, draws=500)
    assert info.value.value == "colour"
    assert "affected_share" in str(info.value) and "price_year" in str(info.value)


@pytest.mark.parametrize(("content", "needle"), [
    ("", "empty"),
    ("id,duration_hours\na,10\n", "country"),
    ("id,country,duration_hours\n", "data row"),
])
def test_unusable_csv(tmp_path, content, needle):
    path = tmp_path / "in.csv"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        run_batch(read_batch_csv(path), draws=500)
    assert needle in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="an existing CSV file"):
        read_batch_csv(tmp_path / "nope.csv")


# ---- CLI -------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_cli_batch_outputs(capsys, tmp_path, suffix):
    out = tmp_path / f"result{suffix}"
    code = main(["batch", str(EXAMPLE), "--out", str(out), "--draws", "500",
                 "--method", "impact,cost_compatible"])
    _, err = capsys.readouterr()
    assert code == 0, err
    # two methods and the ensemble per row
    vintages = " (data vintages once, in result.vintages.csv)" if suffix == ".csv" else ""
    assert err.strip() == (f"batch: 4 rows, 4 ok, 0 failed; 12 result rows written to {out}"
                           + vintages)
    if suffix == ".csv":
        frame = pl.read_csv(out)
    elif suffix == ".xlsx":
        frame = pl.read_excel(out, sheet_name="estimates")
        assert pl.read_excel(out, sheet_name="assumptions")["id"].n_unique() == 4
    else:
        data = json.loads(out.read_text())
        assert [e["id"] for e in data["estimates"]][:1] == ["pak-x-2024"]
        frame = pl.DataFrame([{"id": e["id"]} | s for e in data["estimates"]
                              for s in e["summary"]])
    assert frame.columns[:7] == LEAD
    assert frame.height == 12
    assert frame["method"].to_list() == ["impact", "cost_compatible", ENSEMBLE] * 4
    assert frame["id"].n_unique() == 4


def test_cli_batch_partial_failure_exit_1(capsys, tmp_path):
    out = tmp_path / "r.csv"
    code = main(["batch", str(BAD), "--out", str(out), "--draws", "500"])
    _, err = capsys.readouterr()
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("batch: 4 rows, 2 ok, 2 failed")
    assert lines[1].startswith("error: row 2 (id=bad-share): affected_share: 1.5")
    assert lines[2].startswith("error: row 4 (id=bad-country): country: Pakistn")
    written = pl.read_csv(out)
    assert written["id"].unique().sort().to_list() == ["good-1", "good-2"]
    assert written.height == 2 * (len(REGISTRY) + 1)
    assert written.filter(pl.col("method") == ENSEMBLE)["id"].to_list() == ["good-1", "good-2"]


def test_cli_batch_unusable_input_exit_2(capsys, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("name,duration_hours\nPAK,10\n")
    code = main(["batch", str(path), "--out", str(tmp_path / "r.csv")])
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: columns: 'name'")
    assert not (tmp_path / "r.csv").exists()


def test_cli_batch_refuses_to_overwrite_its_input(capsys, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(BAD.read_text())
    code = main(["batch", str(path), "--out", str(path)])
    assert code == 2 and "a path other than the input file" in capsys.readouterr().err
    assert path.read_text() == BAD.read_text()


@pytest.mark.parametrize(("ids", "kept", "bad"), [
    (["", "row-1", "1"], ["row-1", "1"], [(2, "row-1")]),  # the blank one first
    (["row-2", "", "row-3"], ["row-2", "row-3"], [(1, "row-2")]),  # the explicit one first
    (["", "", "row-3", "a", "a"], ["row-1", "row-2", "row-3", "a"], [(5, "a")]),
])
def test_a_blank_id_never_collides_with_an_explicit_one(ids, kept, bad):
    """A blank id is row-<N>; an explicit row-<M> is accepted on row M only; a repeat is bad."""
    n = len(ids)
    frame = pl.DataFrame({"id": ids, "country": ["PAK"] * n, "duration_hours": ["1"] * n})
    estimates, errors = run_batch_estimates(frame, "deloitte2016", draws=200)
    assert sorted(estimates) == sorted(kept)
    assert [(e.row, e.id) for e in errors] == bad and {e.field for e in errors} == {"id"}
