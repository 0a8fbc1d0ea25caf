"""Our model: direct, indirect and recovered components; loss = (d + i)·(1 − r)."""

from __future__ import annotations

import pytest

from impact import estimate, parse_scenario
from impact.methods.impact_model import impact2024, impact_components
from impact.model.context import digital_share
from impact.model.parameters import platform_level, platform_usage

DRAWS = 1000


def _param(est, name):
    a = est.assumptions.filter((est.assumptions["method"] == "impact")
                               & (est.assumptions["parameter"] == name))
    return a.row(0, named=True)


def test_components_by_hand():
    # 8760e6/8760 = 1e6 per hour × 10 h × 5 % = 500,000 direct; × 0.5 = 250,000 indirect;
    # recovered 0.2 × 750,000 = 150,000; net 600,000
    d, i, r = impact_components(8760e6, 10, 0.05, 1.0, 1.0, 1.0, 0.0, 0.5, 0.2)
    assert (float(d), float(i), float(r)) == pytest.approx((500_000, 250_000, 150_000))
    assert impact2024(8760e6, 10, 0.05, 1.0, 1.0, 1.0, 0.0, 0.5, 0.2) == pytest.approx(600_000)


def test_every_factor_by_hand():
    # 1e6/h × 10 h × 0.05 = 500,000; × a 0.5 × scope 0.5 = 125,000; × intensity 0.8 = 100,000;
    # × (1 − v 0.5) = 50,000; × time weight 2 = 100,000 direct; m = 1 -> 100,000 indirect;
    # r = 0.5 -> 100,000 recovered; net 100,000
    d, i, r = impact_components(8760e6, 10, 0.05, 0.5, 0.5, 0.8, 0.5, 1.0, 0.5, 2.0)
    assert (float(d), float(i), float(r)) == pytest.approx((100_000, 100_000, 100_000))
    assert impact2024(8760e6, 10, 0.05, 0.5, 0.5, 0.8, 0.5, 1.0, 0.5, 2.0) == pytest.approx(
        100_000)


def test_estimate_components_add_up():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 10, "year": 2022}),
                   ["impact"], draws=DRAWS)
    c = est.components["impact"]
    d, i, r = c["direct"], c["indirect"], c["recovered"]
    share, _ = digital_share("PAK", 2022)
    # no start time -> no time weighting; full blackout: v = 0
    assert d == pytest.approx(est.context.gdp.value / 8760 * 10 * share.central)
    assert i == pytest.approx(0.5 * d)          # m = 0.5 central
    assert r == pytest.approx(0.2 * (d + i))    # r = 0.2 central
    assert est.row("impact")["loss_usd_central"] == pytest.approx((d + i) * (1 - 0.2))


def test_overrides_reach_the_components():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 10, "year": 2022}),
                   ["impact"], draws=DRAWS,
                   overrides={"indirect_multiplier": 0.8, "impact.recovery_share": 0.1})
    c = est.components["impact"]
    assert c["indirect"] == pytest.approx(0.8 * c["direct"])
    assert c["recovered"] == pytest.approx(0.1 * 1.8 * c["direct"])
    assert est.row("impact")["loss_usd_central"] == pytest.approx(1.8 * 0.9 * c["direct"])


def test_scenario_recovery_and_circumvention_are_used():
    est = estimate(parse_scenario({"country": "NGA", "duration_hours": 24, "year": 2021,
                                   "scope": "platforms", "platforms": "x", "recovery": 0.0,
                                   "circumvention": 0.5}), ["impact"], draws=DRAWS)
    assert _param(est, "recovery_share")["value"] == 0.0
    assert _param(est, "circumvention")["value"] == 0.5
    c = est.components["impact"]
    assert c["recovered"] == 0.0
    share, _ = digital_share("NGA", 2021)
    # X's weight in Nigeria (level × usage, data/platform_weights.csv) × (1 − 0.5)
    weight = min(1.0, platform_level().value * platform_usage("x", "NGA")[0])
    assert c["direct"] == pytest.approx(est.context.gdp.value / 8760 * 24 * share.central
                                        * weight * 0.5)


def test_default_platform_circumvention_is_025():
    est = estimate(parse_scenario({"country": "NGA", "duration_hours": 24, "year": 2021,
                                   "scope": "platforms", "platforms": "x"}),
                   ["impact"], draws=DRAWS)
    assert _param(est, "circumvention")["value"] == 0.25


def _weighted(start, end):
    return estimate(parse_scenario({"country": "PAK", "start": start, "end": end}),
                    ["impact"], draws=DRAWS)


def test_hour_of_day_weighting():
    # Monday 5 Feb 2024. Hour weights 1.5 (09–13) and 0.3 (01–05), Monday 1.1; the week mean
    # is (mean of weekdays = 7.0/7 = 1.0) × (mean of hours = 23.55/24 = 0.98125).
    day = _weighted("2024-02-05T09:00", "2024-02-05T13:00")
    night = _weighted("2024-02-05T01:00", "2024-02-05T05:00")
    w_day = _param(day, "time_weight")["value"]
    w_night = _param(night, "time_weight")["value"]
    assert w_day == pytest.approx(1.1 * 1.5 / 0.98125)    # 1.6815
    assert w_night == pytest.approx(1.1 * 0.3 / 0.98125)  # 0.3363
    day_loss = day.row("impact")["loss_usd_central"]
    night_loss = night.row("impact")["loss_usd_central"]
    assert day_loss > night_loss
    assert day_loss / night_loss == pytest.approx(5.0)     # 1.5 / 0.3


def test_weighting_can_be_switched_off():
    est = estimate(parse_scenario({"country": "PAK", "start": "2024-02-05T09:00",
                                   "end": "2024-02-05T13:00", "time_weighting": False}),
                   ["impact"], draws=DRAWS)
    assert _param(est, "time_weight")["value"] == 1.0


def test_a_whole_week_averages_to_one():
    est = _weighted("2024-02-05T00:00", "2024-02-12T00:00")
    assert _param(est, "time_weight")["value"] == pytest.approx(1.0)
