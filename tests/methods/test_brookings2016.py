"""Brookings (West 2016): loss = GDP × s_internet × days/365 × affected share × service."""

from __future__ import annotations

import numpy as np
import pytest

from impact import estimate, parse_scenario
from impact.methods.brookings2016 import brookings2016
from impact.model.context import digital_share
from impact.model.parameters import platform_usage

DRAWS = 1000


def _value(est, name, method="brookings2016"):
    rows = est.assumptions.filter((est.assumptions["method"] == method)
                                  & (est.assumptions["parameter"] == name))
    assert rows.height == 1, (method, name)
    return rows.row(0, named=True)


def test_formula_by_hand():
    # 100e9 × 0.05 = 5e9 per year; × 10/365 = 136,986,301.37; × 0.5 affected = 68,493,150.68
    assert brookings2016(100e9, 10, 0.05, 0.5) == pytest.approx(68_493_150.68, rel=1e-9)


def test_formula_service_factor_and_defaults():
    # 365e6 × 0.1 × 1/365 = 100,000 per day; service factor 0.5 -> 50,000
    assert brookings2016(365e6, 1, 0.1) == pytest.approx(100_000)
    assert brookings2016(365e6, 1, 0.1, 1.0, 0.5) == pytest.approx(50_000)


def test_formula_is_vectorised_and_linear_in_days():
    out = brookings2016(365e6, np.array([1.0, 2.0, 30.0]), 0.1)
    assert out == pytest.approx([100_000, 200_000, 3_000_000])


def test_uses_bcg_2016_share_for_gbr():
    est = estimate(parse_scenario({"country": "GBR", "duration_hours": 24, "year": 2020}),
                   ["brookings2016"], draws=DRAWS)
    share = _value(est, "internet_share")
    assert share["value"] == pytest.approx(0.124)  # BCG: "12.4 percent in the U.K."
    assert share["low"] == pytest.approx(0.124 * 0.8) and share["high"] == pytest.approx(0.155)
    assert "BCG" in share["source"]
    # 1 day, nationwide: GDP × 0.124 / 365
    gdp = est.context.gdp.value
    assert est.row("brookings2016")["loss_usd_central"] == pytest.approx(gdp * 0.124 / 365)


def test_uses_imputed_share_for_pakistan():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 48, "year": 2022}),
                   ["brookings2016"], draws=DRAWS)
    share = _value(est, "internet_share")
    expected, _ = digital_share("PAK", 2022)
    assert share["value"] == pytest.approx(expected.central)
    assert "no BCG value" in share["notes"]
    gdp = est.context.gdp.value
    assert est.row("brookings2016")["loss_usd_central"] == pytest.approx(
        gdp * expected.central * 2 / 365)


def test_override_internet_share():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 24, "year": 2022,
                                   "affected_share": 0.5}),
                   ["brookings2016"], draws=DRAWS,
                   overrides={"brookings2016.internet_share": 0.05})
    gdp = est.context.gdp.value
    # GDP × 0.05 × 1/365 × 0.5
    assert est.row("brookings2016")["loss_usd_central"] == pytest.approx(gdp * 0.05 / 365 * 0.5)


def test_mobile_scaled_by_mobile_share():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 24, "year": 2022,
                                   "scope": "mobile"}),
                   ["brookings2016"], draws=DRAWS, overrides={"internet_share": 0.05})
    ctx = est.context
    assert 0 < ctx.mobile_share <= 1
    assert est.row("brookings2016")["loss_usd_central"] == pytest.approx(
        ctx.gdp.value * 0.05 / 365 * ctx.mobile_share)


def test_platform_block_uses_combined_weight():
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 24, "year": 2022,
                                   "scope": "platforms", "platforms": "x;whatsapp"}),
                   ["brookings2016"], draws=DRAWS, overrides={"internet_share": 0.05,
                                                              "platform_level": 0.5})
    ux, uwa = platform_usage("x", "PAK")[0], platform_usage("whatsapp", "PAK")[0]
    # W = L × (1 − (1 − u_x)(1 − u_wa)), L overridden to 0.5
    combined = 0.5 * (1 - (1 - ux) * (1 - uwa))
    assert est.row("brookings2016")["loss_usd_central"] == pytest.approx(
        est.context.gdp.value * 0.05 / 365 * combined)


def test_throttling_scaled_by_intensity():
    base = {"country": "PAK", "duration_hours": 24, "year": 2022}
    full = estimate(parse_scenario(base), ["brookings2016"], draws=DRAWS)
    thr = estimate(parse_scenario({**base, "scope": "throttling", "intensity": 0.3}),
                   ["brookings2016"], draws=DRAWS)
    assert thr.row("brookings2016")["loss_usd_central"] == pytest.approx(
        0.3 * full.row("brookings2016")["loss_usd_central"])


def test_docstring_example_is_correct():
    """The module's doctest passes: 100e9 × 0.05 × 10/365 × 0.5 = 68,493,150.68."""
    import doctest

    import impact.methods.brookings2016 as module

    assert doctest.testmod(module).failed == 0
