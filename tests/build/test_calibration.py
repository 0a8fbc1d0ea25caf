"""cost_compatible calibration: reproducible from ../shared/validation, and sane."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from impact.build import default_raw_dir
from impact.build.calibration import (
    calibration_frame,
    fit_table,
    service_share_by_country_year,
    usage_weights,
)
from impact.methods.cost_compatible import fit_coefficients, predicted_rate

ROOT = Path(__file__).resolve().parents[2]
SHARED = default_raw_dir().parent  # the raw data folder and validation/ side by side
needs_shared = pytest.mark.skipif(not (SHARED / "validation").is_dir(),
                                  reason="../shared/validation is not present")


@needs_shared
def test_refit_reproduces_committed_fit() -> None:
    validation = pl.read_csv(SHARED / "validation" / "top10vpn_country_year_2019_2022.csv")
    accessnow = pl.read_csv(SHARED / "data" / "shutdowns" /
                            "accessnow_keepiton_stop_2016_2025.csv", infer_schema_length=None)
    weights = usage_weights(pl.read_csv(ROOT / "data" / "platform_weights.csv"))
    frame = calibration_frame(validation, pl.read_csv(ROOT / "data" / "indicators.csv"),
                              service_share_by_country_year(accessnow), weights)
    committed = pl.read_csv(ROOT / "data" / "cost_compatible_fit.csv")
    refit = fit_table(frame)
    assert refit.select("kind", "term").rows() == committed.select("kind", "term").rows()
    np.testing.assert_allclose(refit["value"].to_numpy(), committed["value"].to_numpy(),
                               rtol=1e-8)


def test_service_share_counts_service_based_events() -> None:
    events = pl.DataFrame({
        "iso3_helper": ["PAK", "PAK", "PAK;IND", None],
        "shutdown_extent": ["Service-based", "Full network", "Service-based", "Full network"],
        "count_year": [2024, 2024, 2024, 2024],
        "twitter_affected": ["Yes", "Yes", "No", "Yes"],
        "whatsapp_affected": ["No", "No", "Yes", "No"],
        "other_affected": [None, "YouTube", "TikTok", None],
    })
    out = service_share_by_country_year(events).sort("iso3")
    # IND: 1 service event of 1; PAK: 2 service of 3 (the multi-country row is split); the
    # platforms are those of the service-based rows only (not the full network's YouTube)
    assert out.rows() == [("IND", 2024, 1.0, 1, "whatsapp;tiktok"),
                          ("PAK", 2024, 2 / 3, 3, "x;whatsapp;tiktok")]


def test_platform_term_by_hand() -> None:
    validation = pl.DataFrame({"year": [2021, 2021], "country": ["A", "B"],
                               "iso3": ["AAA", "BBB"], "cost_usd": [1e6, 2e6],
                               "duration_hours": [10.0, 20.0], "users_affected": [None, None]})
    names = ["gdp_usd", "gdp_per_capita_usd", "population", "internet_users_pct",
             "internet_users_pct_2024vintage"]
    indicators = pl.DataFrame({"iso3": ["AAA"] * 5 + ["BBB"] * 5, "year": [2021] * 10,
                               "indicator": names * 2,
                               "value": [8760e6, 1000.0, 1e6, 50.0, 50.0] * 2})
    service = pl.DataFrame({"iso3": ["AAA", "BBB"], "year": [2021, 2021],
                            "service_share": [0.5, 1.0], "n_events": [2, 1],
                            "platforms": ["x", ""]})
    weights = {"x": 0.01, "facebook": 0.08, "instagram": 0.04, "whatsapp": 0.12}
    frame = calibration_frame(validation, indicators, service, weights).sort("iso3")
    ref = 1 - 0.92 * 0.96 * 0.88 * 0.99
    # s · log(W / W_ref): 0.5 × log(0.01 / 0.2306); a block naming no platform counts as 0
    assert frame["service_log_platform_weight"].to_list() == pytest.approx(
        [0.5 * np.log(0.01 / ref), 0.0])
    assert frame["implied_rate"].to_list() == pytest.approx([0.1, 0.1])


def test_fit_statistics_are_reported_and_plausible() -> None:
    b, cov, resid_var, stats = fit_coefficients()
    assert stats["n"] >= 70
    for key in ("median_ratio_in_sample", "median_ratio_loo"):
        assert 0.5 < stats[key] < 2.0
    for key in ("within_2x_in_sample", "within_2x_loo"):
        assert 0.0 < stats[key] <= 1.0
    assert stats["within_2x_loo"] <= stats["within_2x_in_sample"] + 0.05
    assert resid_var > 0
    # the identification flag follows from the platform coefficient and its t
    table = pl.read_csv(ROOT / "data" / "cost_compatible_fit.csv")
    se = dict(table.filter(pl.col("kind") == "se").select("term", "value").iter_rows())
    t = b[4] / se["service_log_platform_weight"]
    assert t == pytest.approx(stats["platform_term_t"], rel=1e-6)
    assert np.sqrt(cov[4, 4]) == pytest.approx(se["service_log_platform_weight"], rel=1e-6)
    assert stats["platform_term_identified"] == float(b[4] > 0 and t >= 1.6448536269514722)
    assert stats["n_platform_only"] >= 1 and stats["n_with_platforms"] >= stats["n_platform_only"]


def test_predicted_rate_monotone_in_affected_share_and_zero_at_zero() -> None:
    assert predicted_rate(0.0, None, 1500.0) == (0.0, 0.0, 0.0)
    rates = [predicted_rate(a, None, 1500.0)[0] for a in (0.01, 0.1, 0.5, 1.0)]
    assert rates == sorted(rates)
    median, low, high = predicted_rate(1.0, ("x",), 1500.0)
    assert low < median < high
