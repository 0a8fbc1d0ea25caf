"""scripts/validate.py runs on the shared Top10VPN file (skipped when it is absent) and its
metrics are finite. Uses a handful of draws; the figures in docs/validation.md come from the
full run (`python scripts/validate.py`)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import polars as pl
import pytest

from impact.bundled.io import data_dir

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "validate.py"
VALIDATION = REPO.parent / "shared" / "validation" / "top10vpn_country_year_2019_2022.csv"

pytestmark = pytest.mark.skipif(
    not VALIDATION.is_file() or not (data_dir() / "events.csv").is_file(),
    reason="needs ../shared/validation/ and data/events.csv")


@pytest.fixture(scope="module")
def validate():
    spec = importlib.util.spec_from_file_location("validate_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result(validate):
    return validate.run(VALIDATION, draws=200)


def test_metrics_are_finite(result):
    for variant in ("capped", "to_snapshot_capped"):
        main = next(m for m in result["metrics"][variant] if m["method"] == "cost_compatible")
        assert 0 <= main["hours_within_2x"] <= 1 and main["n_hours"] > 30
        assert main["n_matched"] > 30
        assert math.isfinite(main["median_ratio"]) and main["median_ratio"] > 0
        assert 0 <= main["within_2x"] <= 1
        assert main["n_matched"] + main["n_missing"] <= main["n_published"]


def test_worst_rows_have_reasons(validate, result):
    worst = validate.worst(result["compared"]["capped"]["cost_compatible"])
    assert worst.height == 10
    assert worst["reason"].str.len_chars().min() > 10
    assert worst["ratio"].is_finite().all()


def test_country_years_match_the_event_summary(validate, result):
    from impact.catalogue.events import summarise

    est = result["estimates"]
    calendar = est.filter(pl.col("year").is_between(2019, 2022))
    summary = summarise(calendar, by="country-year", method="cost_compatible")
    compared = result["compared"]["capped"]["cost_compatible"].filter(
        pl.col("ours_usd").is_not_null())
    joined = compared.join(summary, on=["iso3", "year"], validate="1:1")
    assert joined.height == compared.height
    assert (joined["ours_usd"] - joined["loss_usd_p50"]).abs().max() <= 1e-6 * joined[
        "loss_usd_p50"].max()


def test_rule_counts(result):
    rules = dict(result["rules"])
    assert rules["events active in 2019–2022"] == result["n_events"]
    assert all(isinstance(n, int) and n >= 0 for n in rules.values())


def test_report_and_svg(validate, result, capsys):
    validate.print_report(result)
    out = capsys.readouterr().out
    assert "median ratio" in out and "10 worst" in out
    text = validate.markdown(result)
    assert "Top10VPN" in text and "| country-year |" in text and "## Before and after" in text
    svg = validate.svg_scatter(result["compared"]["capped"]["cost_compatible"], "t")
    assert svg.startswith("<svg") and svg.count("<circle") >= 30


def test_coverage_by_stretch(validate, result):
    """Stretching the range never lowers coverage or width; s = 1 is the headline itself."""
    s = result["stretch"].filter(pl.col("stretch").is_not_null()).sort("stretch")
    assert s["coverage"].is_sorted() and s["median_width"].is_sorted()
    head = result["range_metrics"].filter((pl.col("class") == "all")
                                          & (pl.col("method") == "headline")).row(0, named=True)
    assert s["coverage"][0] == pytest.approx(head["coverage"], abs=0.02)
    needed = result["stretch"].filter(pl.col("stretch").is_null())["median_width"][0]
    assert needed > 1.0
    assert "What a range would need" in validate.markdown(result)
