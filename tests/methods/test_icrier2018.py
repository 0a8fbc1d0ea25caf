"""ICRIER (2018): loss = GDP(t−1) × affected share × hours/8760 × ε (0.31 total, 0.16 mobile)."""

from __future__ import annotations

import pytest

from impact import estimate, parse_scenario
from impact.bundled.indicators import lookup
from impact.methods.icrier2018 import icrier2018

DRAWS = 1000


def _param(est, name):
    a = est.assumptions.filter((est.assumptions["method"] == "icrier2018")
                               & (est.assumptions["parameter"] == name))
    return a.row(0, named=True)


def test_formula_by_hand():
    # 8760e6/8760 = 1e6 per hour × 10 h × 0.5 × 0.31 = 1,550,000
    assert icrier2018(8760e6, 10, 0.5, 0.31) == pytest.approx(1_550_000)
    # mobile elasticity: 1e6 × 10 × 1 × 0.16 = 1,600,000
    assert icrier2018(8760e6, 10, 1.0, 0.16) == pytest.approx(1_600_000)
    # default elasticity is the total-traffic one (0.31)
    assert icrier2018(8760e6, 1, 1.0) == pytest.approx(310_000)


def test_uses_previous_year_gdp_and_total_elasticity():
    est = estimate(parse_scenario({"country": "India", "duration_hours": 24, "year": 2020}),
                   ["icrier2018"], draws=DRAWS)
    gdp_2019 = lookup("IND", "gdp_usd", 2019).value
    gdp_2020 = lookup("IND", "gdp_usd", 2020).value
    assert gdp_2019 != gdp_2020
    assert _param(est, "gdp_prev_usd")["value"] == pytest.approx(gdp_2019)
    assert _param(est, "elasticity")["value"] == pytest.approx(0.31)
    assert est.row("icrier2018")["loss_usd_central"] == pytest.approx(
        gdp_2019 * 24 / 8760 * 0.31)


def test_mobile_uses_016():
    est = estimate(parse_scenario({"country": "IND", "duration_hours": 10, "year": 2020,
                                   "scope": "mobile", "affected_share": 0.1}),
                   ["icrier2018"], draws=DRAWS)
    e = _param(est, "elasticity")
    assert e["value"] == pytest.approx(0.16)
    assert (e["low"], e["high"]) == pytest.approx((0.08, 0.24))
    gdp_2019 = lookup("IND", "gdp_usd", 2019).value
    assert est.row("icrier2018")["loss_usd_central"] == pytest.approx(
        gdp_2019 * 0.1 * 10 / 8760 * 0.16)


def test_throttling_scaled_by_intensity():
    est = estimate(parse_scenario({"country": "IND", "duration_hours": 10, "year": 2020,
                                   "scope": "throttling", "intensity": 0.4}),
                   ["icrier2018"], draws=DRAWS)
    gdp_2019 = lookup("IND", "gdp_usd", 2019).value
    assert est.row("icrier2018")["loss_usd_central"] == pytest.approx(
        gdp_2019 * 10 / 8760 * 0.31 * 0.4)


def test_override_elasticity():
    est = estimate(parse_scenario({"country": "IND", "duration_hours": 8760, "year": 2020}),
                   ["icrier2018"], draws=DRAWS, overrides={"icrier2018.elasticity": 0.5})
    gdp_2019 = lookup("IND", "gdp_usd", 2019).value
    # a whole year at ε = 0.5: half of last year's GDP
    assert est.row("icrier2018")["loss_usd_central"] == pytest.approx(gdp_2019 * 0.5)
