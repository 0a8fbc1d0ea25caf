"""Panel econometrics: exposure arithmetic, fits, losses, risk model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from impact import econometrics as E
from impact.errors import DataError
from impact.io import data_dir

HAS_EVENTS = (data_dir() / "events.csv").is_file()
needs_events = pytest.mark.skipif(not HAS_EVENTS, reason="data/events.csv not bundled yet")
RAW = Path("/work/shared/data")

COUNTRIES = pl.DataFrame({"iso3": ["AAA", "BBB"], "region": ["R1", "R2"],
                          "income_group": ["Low income", "High income"]})


def _indicators(iso3s, years, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in iso3s:
        for y in years:
            for ind in E.PANEL_INDICATORS:
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
    split = E.event_year_days(_two_events()).sort("year", "kind")
    assert split.select("year", "kind", "days", "equiv_days").rows() == [
        (2019, "full", 2, 1.0), (2020, "full", 2, 1.0), (2020, "service", 1, 0.2)]
    assert split["started"].to_list() == [True, False, True]


def test_exposure_panel_arithmetic_and_balance():
    years = [2019, 2020, 2021]
    panel = E.exposure_panel(_two_events(), _indicators(["AAA", "BBB"], years), COUNTRIES,
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
    split = E.event_year_days(ev)
    assert split["equiv_days"].to_list() == pytest.approx(split["days"].cast(float).to_list())


def test_unknown_scope_and_missing_columns_are_rejected():
    with pytest.raises(DataError, match="unknown scope"):
        E.event_year_days(_two_events().with_columns(pl.lit("bogus").alias("scope")))
    with pytest.raises(DataError, match="affected_share"):
        E.event_year_days(_two_events().drop("affected_share"))


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
    f1, f2 = E.fit_outcome(panel), E.fit_outcome(panel)
    assert f1.params == f2.params
    lo, hi = f1.ci90("full")
    assert lo < -0.01 < hi
    assert f1.n_clusters == 40 and f1.n_obs == 40 * len(E.YEARS)
    assert 0 < f1.within_r2 < 1


def test_event_loss_keeps_negative_draws():
    fit = E.fit_outcome(_synthetic_panel(beta=0.0))
    out = E.event_loss(100e9, 3.0, "full", fit, draws=5000, seed=1)
    assert out.p05 <= out.p50 <= out.p95
    assert out.central == pytest.approx(-fit.beta_full / 100 * 100e9 * 3.0)
    assert out.ci90[0] <= out.central <= out.ci90[1]
    assert 0 < out.share_negative < 1 and (out.draws < 0).any()
    again = E.event_loss(100e9, 3.0, "full", fit, draws=5000, seed=1)
    assert np.array_equal(out.draws, again.draws)


def test_country_outside_sample_gets_data_error():
    fit = E.fit_outcome(_synthetic_panel())
    with pytest.raises(DataError, match="ZZZ has no World Bank GDP growth data"):
        E.require_growth_data("ZZZ", fit)
    E.require_growth_data("C01", fit)


def test_to_pandas_drops_incomplete_rows_and_casts_bools():
    frame = pl.DataFrame({"a": [1.0, None, 3.0], "b": [True, False, True]})
    out = E.to_pandas(frame, ["a", "b"])
    assert len(out) == 2 and out["b"].tolist() == [1.0, 1.0]


def test_calibration_table_covers_all_rows():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=200)
    tab = E.calibration_table(rng.uniform(size=200) < p, p)
    assert tab.height == 10 and tab["n"].sum() == 200
    assert tab["mean_predicted"].is_sorted()


@pytest.mark.skipif(not RAW.is_dir(), reason="raw snapshot not available")
def test_build_politics_panel_facts():
    pol = E.build_politics_panel(RAW)
    row = {(r["iso3"], r["year"]): r for r in pol.iter_rows(named=True)}
    assert row[("MMR", 2021)]["coup_attempt"] is True
    assert row[("PAK", 2018)]["election_year"] is True
    assert row[("PAK", 2018)]["election_basis"] == "vote"
    assert row[("MMR", 2021)]["regime"] == 0 and row[("MMR", 2021)]["autocracy"] is True
    assert row[("IND", 2019)]["protests"] is None  # Mass Mobilization ends in 2018
    assert pol.select("iso3", "year").is_duplicated().sum() == 0


@needs_events
def test_bundled_fits_identical_and_cached():
    p1, p2 = E.bundled_panel(), E.bundled_panel()
    assert E.fit_outcome(p1).params == E.fit_outcome(p2).params
    assert E.fit_effect_model() is E.fit_effect_model()
    assert E.fit_risk_model() is E.fit_risk_model()
    assert p1.height == p1["iso3"].n_unique() * len(E.YEARS)


@needs_events
def test_risk_table_probabilities_and_intervals():
    tab = E.risk_table(2026)
    assert tab.columns == ["iso3", "probability", "low", "high"]
    assert tab.height > 100
    assert tab.select(((pl.col("low") <= pl.col("probability"))
                       & (pl.col("probability") <= pl.col("high"))
                       & (pl.col("low") >= 0) & (pl.col("high") <= 1)).all()).item()
    fit = E.fit_risk_model()
    assert 0.5 < fit.auc_in_sample <= 1 and 0.5 < fit.auc_time_split <= 1


@needs_events
def test_report_has_the_tables():
    text = E.econometrics_report()
    for heading in ("### Sample", "### Effect model", "### Risk model", "### Top 15"):
        assert heading in text
