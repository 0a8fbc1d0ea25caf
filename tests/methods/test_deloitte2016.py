"""Deloitte for GNI (2016): loss = GDP/365 × days × tier share of daily GDP × a × service."""

from __future__ import annotations

import pytest

from impact import estimate, parse_scenario
from impact.methods.deloitte2016 import connectivity_tier, deloitte2016

DRAWS = 1000


def _params(est):
    a = est.assumptions.filter(est.assumptions["method"] == "deloitte2016")
    return dict(zip(a["parameter"].to_list(), a["value"].to_list(), strict=True))


def test_formula_by_hand():
    # 365e6/365 = 1e6 per day × 2 days × 1 % = 20,000
    assert deloitte2016(365e6, 2, 0.01) == pytest.approx(20_000)
    # 1e6 × 1 day × 1.9 % × 0.5 affected × 0.5 service = 4,750
    assert deloitte2016(365e6, 1, 0.019, 0.5, 0.5) == pytest.approx(4_750)


def test_ethiopia_example_arithmetic():
    # 94e6 people × USD 505 = 47.47e9; / 365 = 130,054,794.5 per day; × 0.4 % = 520,219.2
    assert deloitte2016(94e6 * 505, 1, 0.004) == pytest.approx(520_219.18, rel=1e-7)


@pytest.mark.parametrize("internet_pct,fixed,tier", [
    (85.0, 35.0, "high"),
    (70.0, 20.0, "high"),     # both cut-offs are inclusive
    (85.0, 10.0, "medium"),   # high penetration, little fixed broadband
    (69.9, 40.0, "medium"),
    (30.0, None, "medium"),
    (29.9, None, "low"),
    (15.4, 0.5, "low"),       # Ethiopia 2016
])
def test_connectivity_tier_cut_offs(internet_pct, fixed, tier):
    assert connectivity_tier(internet_pct, fixed) == tier


def test_ethiopia_2016_is_low_tier():
    est = estimate(parse_scenario({"country": "Ethiopia", "duration_hours": 24, "year": 2016}),
                   ["deloitte2016"], draws=DRAWS)
    p = _params(est)
    assert "connectivity_tier_low" in p
    assert p["loss_share_per_day"] == pytest.approx(0.004)
    # one day: GDP/365 × 0.4 %
    assert est.row("deloitte2016")["loss_usd_central"] == pytest.approx(
        est.context.gdp.value / 365 * 0.004)


def test_usa_is_high_tier():
    est = estimate(parse_scenario({"country": "USA", "duration_hours": 48, "year": 2016}),
                   ["deloitte2016"], draws=DRAWS)
    p = _params(est)
    assert "connectivity_tier_high" in p
    assert p["loss_share_per_day"] == pytest.approx(0.019)
    assert est.row("deloitte2016")["loss_usd_central"] == pytest.approx(
        est.context.gdp.value / 365 * 2 * 0.019)


def test_user_chosen_tier_wins():
    est = estimate(parse_scenario({"country": "USA", "duration_hours": 24, "year": 2016,
                                   "connectivity_tier": "medium"}),
                   ["deloitte2016"], draws=DRAWS)
    p = _params(est)
    assert "connectivity_tier_medium" in p and p["loss_share_per_day"] == pytest.approx(0.010)


def test_affected_share_and_mobile_scaling():
    est = estimate(parse_scenario({"country": "ETH", "duration_hours": 24, "year": 2016,
                                   "scope": "mobile", "affected_share": 0.25}),
                   ["deloitte2016"], draws=DRAWS)
    ctx = est.context
    assert est.row("deloitte2016")["loss_usd_central"] == pytest.approx(
        ctx.gdp.value / 365 * 0.004 * 0.25 * ctx.mobile_share)


def test_tier_range_is_plus_minus_30_percent():
    est = estimate(parse_scenario({"country": "ETH", "duration_hours": 24, "year": 2016}),
                   ["deloitte2016"], draws=DRAWS)
    a = est.assumptions.filter(est.assumptions["parameter"] == "loss_share_per_day").row(
        0, named=True)
    assert (a["low"], a["high"]) == pytest.approx((0.0028, 0.0052))
    row = est.row("deloitte2016")
    per_day = est.context.gdp.value / 365
    assert per_day * 0.0028 <= row["loss_usd_p05"] <= row["loss_usd_p95"] <= per_day * 0.0052


def test_docstring_example_is_correct():
    """The module's doctest passes: 94e6 × 505 / 365 × 0.004 = 520,219.18."""
    import doctest

    import impact.methods.deloitte2016 as module

    assert doctest.testmod(module).failed == 0
