"""cost_compatible calibration: reproducible from ../shared/validation, and sane."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from impact.build import default_raw_dir
from impact.build.calibration import calibration_frame, fit_table, service_share_by_country_year
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
    frame = calibration_frame(validation, pl.read_csv(ROOT / "data" / "indicators.csv"),
                              service_share_by_country_year(accessnow))
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
    })
    out = service_share_by_country_year(events).sort("iso3")
    # IND: 1 service event of 1; PAK: 2 service of 3 (the multi-country row is split)
    assert out.rows() == [("IND", 2024, 1.0, 1), ("PAK", 2024, 2 / 3, 3)]


def test_fit_statistics_are_reported_and_plausible() -> None:
    _, _, resid_var, stats = fit_coefficients()
    assert stats["n"] >= 70
    assert 0.5 < stats["median_ratio_loo"] < 2.0
    assert 0.0 < stats["within_2x_loo"] <= 1.0
    assert resid_var > 0


def test_predicted_rate_monotone_in_affected_share_and_zero_at_zero() -> None:
    assert predicted_rate(0.0, False, 1500.0) == (0.0, 0.0, 0.0)
    rates = [predicted_rate(a, False, 1500.0)[0] for a in (0.01, 0.1, 0.5, 1.0)]
    assert rates == sorted(rates)
    median, low, high = predicted_rate(1.0, True, 1500.0)
    assert low < median < high
