"""Build side of the panel models: exposure arithmetic, statsmodels fits, committed tables,
numpy predictions against statsmodels, report."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from impact.build import default_raw_dir
from impact.build import panel_models as pm
from impact.bundled import econometrics as E
from impact.bundled.io import data_dir, read_bundled
from impact.errors import DataError
from impact.methods.panel import event_loss

HAS_EVENTS = (data_dir() / "events.csv").is_file()
needs_events = pytest.mark.skipif(not HAS_EVENTS, reason="data/events.csv not bundled yet")
RAW = default_raw_dir()

COUNTRIES = pl.DataFrame({"iso3": ["AAA", "BBB"], "region": ["R1", "R2"],
                          "income_group": ["Low income", "High income"]})


def _indicators(iso3s, years, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in iso3s:
        for y in years:
            for ind in pm.PANEL_INDICATORS:
                rows.append({"iso3": i, "indicator": ind, "year": y,
                             "value": float(rng.uniform(1, 1000))})
    return pl.DataFrame(rows)


def _two_events():
    # a full-network cut spanning New Year (2 days in 2019, 2 in 2020) at half the country,
    # and a same-day platform block (1 day) at 20 %
    return pl.DataFrame({
        "iso3": ["AAA", "AAA"], "start": ["2019-12-30", "2020-06-01"],
        "end": ["2020-01-03", "2020-06-01"], "scope": ["mobile", "platforms"],
        "affected_share": [0.5, 0.2]})


def test_event_spanning_new_year_splits_days():
    split = pm.event_year_days(_two_events()).sort("year", "kind")
    assert split.select("year", "kind", "days", "equiv_days").rows() == [
        (2019, "full", 2, 1.0), (2020, "full", 2, 1.0), (2020, "service", 1, 0.2)]
    assert split["started"].to_list() == [True, False, True]


def test_exposure_panel_arithmetic_and_balance():
    years = [2019, 2020, 2021]
    panel = pm.exposure_panel(_two_events(), _indicators(["AAA", "BBB"], years), COUNTRIES,
                             years=years)
    assert panel.height == 6  # balanced: 2 countries × 3 years
    a = {r["year"]: r for r in panel.filter(pl.col("iso3") == "AAA").iter_rows(named=True)}
    assert a[2019]["full_days"] == pytest.approx(1.0)
    assert a[2020]["full_days"] == pytest.approx(1.0)
    assert a[2020]["service_days"] == pytest.approx(0.2)
    assert (a[2019]["n_full"], a[2020]["n_full"], a[2020]["n_service"]) == (1, 1, 1)
    assert a[2019]["any_shutdown"] and a[2020]["any_shutdown"] and not a[2021]["any_shutdown"]
    b = panel.filter(pl.col("iso3") == "BBB")
    assert b["full_days"].sum() == 0 and not b["any_shutdown"].any()
    assert panel["log_gdp_pc"].null_count() == 0


def test_affected_share_weights_days():
    ev = _two_events().with_columns(pl.lit(1.0).alias("affected_share"))
    split = pm.event_year_days(ev)
    assert split["equiv_days"].to_list() == pytest.approx(split["days"].cast(float).to_list())


def test_unknown_scope_and_missing_columns_are_rejected():
    with pytest.raises(DataError, match="unknown scope"):
        pm.event_year_days(_two_events().with_columns(pl.lit("bogus").alias("scope")))
    with pytest.raises(DataError, match="affected_share"):
        pm.event_year_days(_two_events().drop("affected_share"))


def _synthetic_panel(beta=-0.01, n=40, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n):
        fe = rng.normal(3, 2)
        for y in E.YEARS:
            full = float(rng.choice([0, 0, 0, 2, 10, 40]))
            service = float(rng.choice([0, 0, 5, 100]))
            rows.append({"iso3": f"C{c:02d}", "year": y, "full_days": full,
                         "service_days": service,
                         "gdp_growth_pct": fe + 0.1 * (y - 2016) + beta * full
                         + rng.normal(0, 0.5)})
    return pl.DataFrame(rows)


def test_fit_is_reproducible_and_recovers_beta():
    panel = _synthetic_panel()
    f1, f2 = pm.fit_outcome(panel), pm.fit_outcome(panel)
    assert f1.params == f2.params
    lo, hi = f1.ci90("full")
    assert lo < -0.01 < hi
    assert f1.n_clusters == 40 and f1.n_obs == 40 * len(E.YEARS)
    assert 0 < f1.within_r2 < 1


def test_event_loss_keeps_negative_draws():
    fit = pm.fit_outcome(_synthetic_panel(beta=0.0))
    out = event_loss(100e9, 3.0, "full", fit, draws=5000, seed=1)
    assert out.p05 <= out.p50 <= out.p95
    assert out.central == pytest.approx(-fit.beta_full / 100 * 100e9 * 3.0)
    assert out.ci90[0] <= out.central <= out.ci90[1]
    assert 0 < out.share_negative < 1 and (out.draws < 0).any()
    again = event_loss(100e9, 3.0, "full", fit, draws=5000, seed=1)
    assert np.array_equal(out.draws, again.draws)


def test_country_outside_sample_gets_data_error():
    fit = pm.fit_outcome(_synthetic_panel())
    with pytest.raises(DataError, match="ZZZ has no World Bank GDP growth data"):
        E.require_growth_data("ZZZ", fit)
    E.require_growth_data("C01", fit)


def test_to_pandas_drops_incomplete_rows_and_casts_bools():
    frame = pl.DataFrame({"a": [1.0, None, 3.0], "b": [True, False, True]})
    out = pm.to_pandas(frame, ["a", "b"])
    assert len(out) == 2 and out["b"].tolist() == [1.0, 1.0]


def test_calibration_table_covers_all_rows():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=200)
    tab = pm.calibration_table(rng.uniform(size=200) < p, p)
    assert tab.height == 10 and tab["n"].sum() == 200
    assert tab["mean_predicted"].is_sorted()


@pytest.mark.skipif(not RAW.is_dir(), reason="raw snapshot not available")
def test_build_politics_panel_facts():
    pol = pm.build_politics_panel(RAW)
    row = {(r["iso3"], r["year"]): r for r in pol.iter_rows(named=True)}
    assert row[("MMR", 2021)]["coup_attempt"] is True
    assert row[("PAK", 2018)]["election_year"] is True
    assert row[("PAK", 2018)]["election_basis"] == "vote"
    assert row[("MMR", 2021)]["regime"] == 0 and row[("MMR", 2021)]["autocracy"] is True
    assert row[("IND", 2019)]["protests"] is None  # Mass Mobilization ends in 2018
    assert pol.select("iso3", "year").is_duplicated().sum() == 0


@needs_events
def test_bundled_fits_are_reproducible():
    p1, p2 = pm.bundled_panel(), pm.bundled_panel()
    assert pm.fit_outcome(p1).params == pm.fit_outcome(p2).params
    assert p1.height == p1["iso3"].n_unique() * len(E.YEARS)


@pytest.fixture(scope="module")
def bundled_tables() -> dict[str, pl.DataFrame]:
    return pm.bundled_fit_tables()


@needs_events
@pytest.mark.parametrize("name", [E.FIT_TABLE, E.SAMPLE_TABLE, E.FEATURES_TABLE])
def test_committed_fit_tables_are_current(bundled_tables, tmp_path, name):
    """Refitting on the bundled tables writes the committed files byte for byte."""
    path = tmp_path / f"{name}.csv"
    bundled_tables[name].write_csv(path, line_terminator="\n")
    assert path.read_bytes() == (data_dir() / f"{name}.csv").read_bytes(), (
        f"data/{name}.csv is stale: run `python scripts/build_data.py`")


@pytest.fixture(scope="module")
def risk_result() -> pm.RiskResult:
    return pm.fit_risk(pm.bundled_panel((E.RISK_YEARS[0] - 1, *E.RISK_YEARS)))


@needs_events
def test_runtime_fits_equal_statsmodels(risk_result):
    for outcome in E.OUTCOMES:
        new = E.fit_effect_model(outcome)
        old = pm.fit_effect(pm.bundled_panel(), outcome)
        res = old.result
        for kind, term in (("full", "full_days"), ("service", "service_days")):
            b, se = new.coef(kind)
            assert b == pytest.approx(res.params[term], rel=1e-9)
            assert se == pytest.approx(res.bse[term], rel=1e-9)
        assert new.p_full == pytest.approx(old.fit.p_full, rel=1e-9)
        assert (new.n_obs, new.n_clusters, new.years, new.n_exposed, new.countries) == (
            old.fit.n_obs, old.fit.n_clusters, old.fit.years, old.fit.n_exposed,
            old.fit.countries)
        assert new.within_r2 == pytest.approx(old.fit.within_r2, rel=1e-9)
    risk, res = E.fit_risk_model(), risk_result.result
    assert risk.terms == tuple(res.params.index) and risk.formula == res.model.formula
    np.testing.assert_allclose(risk.coef, res.params.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(risk.se, res.bse.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(risk.cov, res.cov_params().to_numpy(), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(risk.p_values, res.pvalues.to_numpy(), rtol=1e-8, atol=1e-15)
    lo, hi = risk.ci90()
    ci = res.conf_int(alpha=0.10).to_numpy()
    np.testing.assert_allclose(np.column_stack([lo, hi]), ci, rtol=1e-9, atol=1e-9)
    assert risk.countries == risk_result.countries
    assert (risk.n_obs, risk.auc_in_sample, risk.auc_time_split, risk.n_test) == pytest.approx(
        (risk_result.n_obs, risk_result.auc_in_sample, risk_result.auc_time_split,
         risk_result.n_test), rel=1e-9)
    assert risk.calibration.equals(risk_result.calibration.with_columns(
        pl.col("mean_predicted", "observed_rate").round_sig_figs(10)).select(
        risk.calibration.columns).cast(risk.calibration.schema))


@needs_events
@pytest.mark.parametrize("rows", ["in_sample", "features"])
def test_numpy_prediction_equals_statsmodels(risk_result, rows):
    """η = x·b, se = sqrt(x Σ xᵀ), expit in numpy from the committed (rounded) fit, against
    statsmodels' get_prediction on the unrounded fit."""
    if rows == "in_sample":
        frame = pm.risk_frame(pm.bundled_panel((E.RISK_YEARS[0] - 1, *E.RISK_YEARS)))
    else:
        frame = read_bundled(E.FEATURES_TABLE)
    want = risk_result.predict(frame)
    got = E.fit_risk_model().predict(frame)
    assert want.height > 1000
    assert got.select("iso3", "year").equals(want.select("iso3", "year"))
    for col in ("probability", "low", "high"):
        np.testing.assert_allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=0, atol=1e-9)


@needs_events
def test_risk_features_are_the_model_rows():
    """A year's committed covariates are the rows `risk_frame` gives on the panel built per year."""
    year = 2026
    old = pm.risk_frame(pm.bundled_panel(range(E.RISK_YEARS[0] - 1, year + 1))).filter(
        pl.col("year") == year)
    cols = [c for c in read_bundled(E.FEATURES_TABLE).columns]
    feats = read_bundled(E.FEATURES_TABLE).filter(pl.col("year") == year)
    old = old.select(cols).drop_nulls().sort("iso3")
    assert feats["iso3"].to_list() == old["iso3"].to_list()
    np.testing.assert_allclose(feats["log_gdp_pc_lag"].to_numpy(),
                               old["log_gdp_pc_lag"].to_numpy(), rtol=1e-11)


@needs_events
def test_report_has_the_tables():
    text = pm.econometrics_report()
    for heading in ("### Sample", "### Effect model", "### Risk model", "### Top 15"):
        assert heading in text


@needs_events
def test_docs_match_the_committed_fits():
    """docs/econometrics.md is what `econometrics_report` writes (the data version row aside)."""
    begin, end = "<!-- BEGIN GENERATED -->\n", "<!-- END GENERATED -->"
    text = pm.DOCS_PATH.read_text(encoding="utf-8")
    committed = text.split(begin, 1)[1].split(end, 1)[0]

    def strip(t: str) -> list[str]:
        return [line for line in t.splitlines() if not line.startswith("| data version")]

    assert strip(committed) == strip(pm.econometrics_report()), (
        "docs/econometrics.md is stale: run `python -m impact.bundled.econometrics --write-docs`")
