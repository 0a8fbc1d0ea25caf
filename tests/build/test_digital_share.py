"""Tests for ``impact.build.digital_share`` on the committed tables (no raw data needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from impact.build import digital_share as ds

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def anchors() -> pl.DataFrame:
    return pl.read_csv(DATA / "digital_share_anchors.csv", infer_schema_length=None)


@pytest.fixture(scope="module")
def indicators() -> pl.DataFrame:
    return pl.read_csv(DATA / "indicators.csv", infer_schema_length=None)


@pytest.fixture(scope="module")
def fit(anchors: pl.DataFrame, indicators: pl.DataFrame):
    return ds.fit_digital_share_model(anchors, indicators)


@pytest.fixture(scope="module")
def imputed(anchors: pl.DataFrame, indicators: pl.DataFrame, fit) -> pl.DataFrame:
    return ds.impute_digital_share(anchors, indicators, results=fit[0])


def test_fit_is_reproducible(anchors: pl.DataFrame, indicators: pl.DataFrame, fit) -> None:
    again, summary = ds.fit_digital_share_model(anchors, indicators)
    np.testing.assert_array_equal(fit[0].params.to_numpy(), again.params.to_numpy())
    assert summary == fit[1]


def test_fit_summary(fit) -> None:
    summary = fit[1]
    assert summary["n"] > 100
    assert 0 < summary["r2"] < 1
    coefs = summary["coefficients"]
    assert set(coefs) == {
        "Intercept",
        "log_gdp_pc",
        "internet_users_share",
        "definition_group[ict_sector_va]",
    }
    for c in coefs.values():
        assert c["ci_low"] <= c["coef"] <= c["ci_high"]


def test_internet_use_coefficient_is_positive(fit) -> None:
    # more of the population online -> a larger digital share, holding income fixed
    assert fit[1]["coefficients"]["internet_users_share"]["ci_low"] > 0


def test_country_adjustment_moves_pakistan_towards_its_anchors(anchors, indicators, fit) -> None:
    from impact.build.digital_share import country_adjustment

    adjust = country_adjustment(anchors, indicators, fit[0])
    pak = adjust.filter(pl.col("iso3") == "PAK").row(0, named=True)
    # PAK's published 2019 values (1.2 % ICT sector, 2.7 % narrow) lie below the fit
    assert pak["n"] == 2 and pak["shift"] < 0


def test_fitting_sample_uses_only_model_definitions(anchors, indicators) -> None:
    sample = ds.fitting_sample(anchors, indicators)
    assert set(sample["definition"]) <= set(ds.DEFINITION_GROUPS)
    assert sample["year"].min() >= ds.FIRST_ANCHOR_YEAR
    assert set(sample["iso3"]) <= set(indicators["iso3"])  # WB economies only
    assert "TWN" not in set(sample["iso3"])


def test_published_rows_equal_their_anchor(anchors: pl.DataFrame, imputed: pl.DataFrame) -> None:
    ref = [d for d, g in ds.DEFINITION_GROUPS.items() if g == ds.REFERENCE_GROUP]
    expected = (
        anchors.filter(~pl.col("is_projection"), pl.col("definition").is_in(ref))
        .group_by("iso3", "year")
        .agg(anchor=pl.col("share").mean(), n=pl.len())
    )
    published = imputed.filter(pl.col("basis") == "published").join(
        expected, on=["iso3", "year"], how="left"
    )
    assert published.height > 0
    assert published["anchor"].null_count() == 0
    np.testing.assert_allclose(published["share_central"], published["anchor"], rtol=1e-12)
    np.testing.assert_allclose(published["share_low"], published["anchor"] * 0.8, rtol=1e-12)
    np.testing.assert_allclose(published["share_high"], published["anchor"] * 1.25, rtol=1e-12)
    assert (published["n_anchors"] == published["n"]).all()
    # every anchored country-year inside the grid is published, never imputed
    in_grid = expected.join(imputed.select("iso3", "year"), on=["iso3", "year"], how="semi")
    assert in_grid.height == published.height


def test_prediction_intervals_contain_central(imputed: pl.DataFrame) -> None:
    rows = imputed.filter(pl.col("basis") == "imputed")
    assert rows.height > 1000
    assert (rows["share_low"] < rows["share_central"]).all()
    assert (rows["share_central"] < rows["share_high"]).all()
    assert rows["share_central"].is_between(ds.SHARE_MIN, ds.SHARE_MAX).all()
    assert (rows["n_anchors"] == 0).all()


def test_committed_table_matches_model(imputed: pl.DataFrame) -> None:
    committed = pl.read_csv(DATA / "digital_share.csv", infer_schema_length=None)
    assert committed.height == imputed.height
    both = committed.join(imputed, on=["iso3", "year"], how="inner", suffix="_new")
    assert both.height == committed.height
    for col in ("share_central", "share_low", "share_high"):
        np.testing.assert_allclose(both[col], both[f"{col}_new"], atol=1e-6)
    assert (both["basis"] == both["basis_new"]).all()


def test_model_inputs_fill_rule() -> None:
    rows = [
        # A: users missing 2012 in current vintage -> 2024-11 vintage; broadband only 2011
        ("A", "gdp_per_capita_usd", 2010, 1000.0),
        ("A", "gdp_per_capita_usd", 2011, 1100.0),
        ("A", "gdp_per_capita_usd", 2012, 1200.0),
        ("A", "internet_users_pct", 2010, 10.0),
        ("A", "internet_users_pct", 2011, 20.0),
        ("A", "internet_users_pct_2024vintage", 2012, 33.0),
        ("A", "fixed_broadband_per100", 2011, 4.0),
        # B: no broadband at all -> left out
        ("B", "gdp_per_capita_usd", 2010, 500.0),
        ("B", "internet_users_pct", 2010, 5.0),
    ]
    ind = pl.DataFrame(rows, schema=["iso3", "indicator", "year", "value"], orient="row")
    got = ds.model_inputs(ind, ["A", "B"], [2010, 2011, 2012, 2013])
    a = got.filter(pl.col("iso3") == "A").sort("year")
    assert a["internet_users_share"].to_list() == pytest.approx([0.10, 0.20, 0.33, 0.33])
    assert a["users_from_2024vintage"].to_list() == [False, False, True, False]
    # broadband: nearest earlier year, else nearest later year
    assert a["log1p_fixed_bb"].to_list() == pytest.approx([np.log1p(4.0)] * 4)
    assert a["log_gdp_pc"].to_list() == pytest.approx(np.log([1000, 1100, 1200, 1200]))
    assert a["n_inputs_carried"].to_list() == [1, 0, 1, 3]
    b = got.filter(pl.col("iso3") == "B")
    assert b["log1p_fixed_bb"].null_count() == b.height


def test_sources_md_reports_the_fit(fit) -> None:
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    summary = fit[1]
    assert f"n = {summary['n']}" in text
    assert f"R² = {summary['r2']:.3f}" in text
    assert f"{summary['coefficients']['log_gdp_pc']['coef']:+.3f}" in text
