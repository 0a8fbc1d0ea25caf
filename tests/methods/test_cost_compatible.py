"""COST-compatible: loss = GDP/8760 × hours (≤ 365 days for platform blocks) × rate × factor."""

from __future__ import annotations

import numpy as np
import pytest

from impact import estimate, parse_scenario
from impact.methods.cost_compatible import cost_compatible, fit_coefficients, predicted_rate

DRAWS = 1000


def _central(data, **kw):
    est = estimate(parse_scenario(data), ["cost_compatible"], draws=DRAWS, **kw)
    return est, est.row("cost_compatible")["loss_usd_central"]


def test_formula_by_hand():
    # 8760e6/8760 = 1e6 per hour × 24 h × 6.4 % = 1,536,000
    assert cost_compatible(8760e6, 24, 0.064) == pytest.approx(1_536_000)
    assert cost_compatible(8760e6, 24, 0.064, 0.5) == pytest.approx(768_000)
    assert cost_compatible(8760e6, np.array([1, 2]), 0.1) == pytest.approx([100_000, 200_000])


def test_predicted_rate_is_the_log_linear_fit():
    b, _, _, _ = fit_coefficients()
    # log(rate) = b0 + b1·log(a) + b2·[platform] + b3·log(GDP per head)
    median, lo, hi = predicted_rate(0.5, True, 2000.0)
    assert median == pytest.approx(np.exp(b[0] + b[1] * np.log(0.5) + b[2] + b[3] * np.log(2000)))
    assert lo < median < hi
    assert predicted_rate(0.0, False, 2000.0) == (0.0, 0.0, 0.0)


def test_platform_block_capped_at_365_days():
    base = {"country": "NGA", "year": 2021, "scope": "platforms", "platforms": "x"}
    _, at_cap = _central({**base, "duration_hours": 365 * 24})
    est_long, longer = _central({**base, "duration_hours": 800 * 24})
    _, half = _central({**base, "duration_hours": 365 * 12})
    assert longer == pytest.approx(at_cap)
    assert half == pytest.approx(at_cap / 2)
    hours = est_long.assumptions.filter(
        (est_long.assumptions["method"] == "cost_compatible")
        & (est_long.assumptions["parameter"] == "duration_hours")).row(0, named=True)
    assert hours["value"] == 8760
    assert "365 days" in hours["notes"]


def test_full_blackouts_are_not_capped():
    base = {"country": "NGA", "year": 2021}
    _, one_year = _central({**base, "duration_hours": 365 * 24})
    _, two_years = _central({**base, "duration_hours": 730 * 24})
    assert two_years == pytest.approx(2 * one_year)


@pytest.mark.parametrize("intensity", [0.5, 0.75, 1.0])
def test_severe_throttling_counts_as_blackout(intensity):
    base = {"country": "IRN", "year": 2019, "duration_hours": 24}
    _, blackout = _central(base)
    _, throttled = _central({**base, "scope": "throttling", "intensity": intensity})
    assert throttled == pytest.approx(blackout)


def test_mild_throttling_scales_with_intensity():
    base = {"country": "IRN", "year": 2019, "duration_hours": 24}
    _, blackout = _central(base)
    _, throttled = _central({**base, "scope": "throttling", "intensity": 0.49})
    assert throttled == pytest.approx(0.49 * blackout)


def test_rate_override_and_cap_at_one():
    base = {"country": "IRN", "year": 2019, "duration_hours": 24}
    est, loss = _central(base, overrides={"rate": 0.064})
    gdp = est.context.gdp.value
    assert loss == pytest.approx(gdp / 8760 * 24 * 0.064)
    # a rate above 1 would cost more than the GDP of the period: capped at 1
    est, loss = _central(base, overrides={"cost_compatible.rate": 5.0})
    assert loss == pytest.approx(gdp / 8760 * 24)


def test_mobile_scaled_by_mobile_share():
    base = {"country": "PAK", "year": 2022, "duration_hours": 10}
    est, mobile = _central({**base, "scope": "mobile"}, overrides={"rate": 0.1})
    assert mobile == pytest.approx(est.context.gdp.value / 8760 * 10 * 0.1
                                   * est.context.mobile_share)
