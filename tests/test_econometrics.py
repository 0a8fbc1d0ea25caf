"""Run-time panel models: the committed fits read back, losses, risk predictions in numpy."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from impact.bundled import econometrics as E
from impact.bundled.io import data_dir, read_bundled
from impact.errors import DataError
from impact.methods.panel import event_loss
from impact.vocab import Z95

needs_fits = pytest.mark.skipif(not (data_dir() / f"{E.FIT_TABLE}.csv").is_file(),
                                reason="the fitted tables are not bundled")


def _fit(beta=-0.01, se=0.02, countries=("AAA", "BBB")) -> E.EffectFit:
    return E.EffectFit("gdp_growth_pct", beta, se, -0.002, 0.001, 0.6, 0.07, 100, 2, 2,
                       (2016, 2024), 0.01, 10, frozenset(countries),
                       (("full_days", beta), ("service_days", -0.002)))


def test_ci90_and_coef():
    fit = _fit()
    assert fit.coef("full") == (-0.01, 0.02)
    lo, hi = fit.ci90("full")
    assert lo == pytest.approx(-0.01 - Z95 * 0.02) and hi == pytest.approx(-0.01 + Z95 * 0.02)
    with pytest.raises(ValueError, match="full or service"):
        fit.coef("mobile")


def test_event_loss_keeps_negative_draws():
    fit = _fit(beta=0.0)
    out = event_loss(100e9, 3.0, "full", fit, draws=5000, seed=1)
    assert out.p05 <= out.p50 <= out.p95
    assert out.central == 0.0
    assert out.ci90[0] <= out.central <= out.ci90[1]
    assert 0 < out.share_negative < 1 and (out.draws < 0).any()
    again = event_loss(100e9, 3.0, "full", fit, draws=5000, seed=1)
    assert np.array_equal(out.draws, again.draws)


def test_country_outside_sample_gets_data_error():
    with pytest.raises(DataError, match="ZZZ has no World Bank GDP growth data"):
        E.require_growth_data("ZZZ", _fit())
    E.require_growth_data("AAA", _fit())


@needs_fits
def test_effect_fits_read_back_and_cached():
    fit = E.fit_effect_model()
    assert fit is E.fit_effect_model("gdp_growth_pct")
    assert fit.years == (2016, 2024) and fit.n_obs > 1000
    assert fit.n_clusters == fit.n_countries == len(fit.countries)
    assert {"PAK", "IND", "ETH"} <= fit.countries and "ERI" not in fit.countries
    assert dict(fit.params) == {"full_days": fit.beta_full, "service_days": fit.beta_service}
    for outcome in E.OUTCOMES:
        other = E.fit_effect_model(outcome)
        assert other.outcome == outcome and 0 <= other.within_r2 < 1
    with pytest.raises(DataError, match="not modelled"):
        E.fit_effect_model("inflation_pct")
    with pytest.raises(DataError, match="ERI has no World Bank GDP growth data"):
        E.require_growth_data("ERI")


@needs_fits
def test_risk_fit_read_back():
    fit = E.fit_risk_model()
    assert fit is E.fit_risk_model()
    assert 0.5 < fit.auc_in_sample <= 1 and 0.5 < fit.auc_time_split <= 1
    assert fit.terms[0] == "Intercept"
    assert fit.region_levels[0] == "East Asia & Pacific"  # the reference level
    assert [f"C(region)[T.{lv}]" for lv in fit.region_levels[1:]] == list(
        fit.terms[1:len(fit.region_levels)])
    assert fit.cov.shape == (len(fit.terms),) * 2
    np.testing.assert_allclose(fit.cov, fit.cov.T)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), fit.se, rtol=1e-8)
    assert np.all(np.linalg.eigvalsh(fit.cov) > 0)
    assert fit.calibration["n"].sum() == fit.n_obs and fit.calibration.height == 10
    assert len(fit.countries) == fit.n_countries
    assert "autocracy_lag" in fit.covariates and fit.formula.startswith("any_shutdown ~")


@needs_fits
def test_risk_table_probabilities_and_intervals():
    tab = E.risk_table(2026)
    assert tab.columns == ["iso3", "probability", "low", "high"]
    assert tab.height > 100
    assert tab.select(((pl.col("low") <= pl.col("probability"))
                       & (pl.col("probability") <= pl.col("high"))
                       & (pl.col("low") >= 0) & (pl.col("high") <= 1)).all()).item()
    assert tab["probability"].is_sorted(descending=True)
    assert E.risk_table(2026) is tab  # cached


@needs_fits
def test_risk_table_years():
    assert E.risk_table(2017).height > 100
    empty = E.risk_table(2030)  # past the politics table: no complete row
    assert empty.height == 0 and empty.columns == ["iso3", "probability", "low", "high"]
    with pytest.raises(DataError, match="outside 2017–2030"):
        E.risk_table(2031)


@needs_fits
def test_predict_by_hand_and_incomplete_rows():
    fit = E.fit_risk_model()
    feats = read_bundled(E.FEATURES_TABLE).filter(pl.col("year") == 2026).head(3)
    _rows, x = fit.design(feats)
    eta = x @ fit.coef
    se = np.sqrt(np.array([xi @ fit.cov @ xi for xi in x]))
    got = fit.predict(feats)
    np.testing.assert_allclose(got["probability"], 1 / (1 + np.exp(-eta)))
    np.testing.assert_allclose(got["low"], 1 / (1 + np.exp(-(eta - Z95 * se))))
    # a row missing a covariate is left out; an unknown region is an error
    gap = feats.with_columns(pl.when(pl.col("iso3") == feats["iso3"][0]).then(None)
                             .otherwise(pl.col("log_gdp_pc_lag")).alias("log_gdp_pc_lag"))
    assert fit.predict(gap).height == 2
    with pytest.raises(DataError, match="Atlantis"):
        fit.predict(feats.with_columns(pl.lit("Atlantis").alias("region")))
    with pytest.raises(DataError, match="lack column"):
        fit.predict(feats.drop("coup_lag"))


def test_missing_table_is_a_data_error():
    with pytest.raises(DataError, match="impact data build"):
        E._read("no_such_fit_table")
