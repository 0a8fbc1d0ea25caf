"""Plausibility flags (`impact.estimation.plausibility`): each threshold with hand-computed
figures on both sides of it, and the flags of real estimates."""

from __future__ import annotations

import pytest

import impact
from impact.estimation import plausibility as P


@pytest.mark.parametrize(("loss", "gdp", "flagged"), [
    (1.0e9, 100e9, False),   # exactly 1 % of GDP: not more than the limit
    (1.01e9, 100e9, True),   # 1.01 %
    (0.2e9, 100e9, False),   # 0.2 %
    (None, 100e9, False),
    (1e9, 0.0, False),       # no GDP: nothing to compare with
])
def test_share_of_gdp_flag(loss, gdp, flagged):
    flag = P.share_flag(loss, gdp)
    assert (flag is not None) == flagged
    if flagged:
        assert flag.kind == "share_of_gdp"
        assert "1.01 % of the country's annual GDP" in flag.text


@pytest.mark.parametrize(("hours", "open_ended", "flagged", "phrase"), [
    (720.0, False, False, None),        # 30 days exactly
    (744.0, False, True, "31 days"),    # 31 days
    (24.0, True, True, "end is not stated"),
    (24.0, False, False, None),
])
def test_extrapolation_flag(hours, open_ended, flagged, phrase):
    flag = P.extrapolation_flag(hours, open_ended)
    assert (flag is not None) == flagged
    if flagged:
        assert flag.kind == "extrapolated" and phrase in flag.text


def test_a_method_more_than_ten_times_its_peers_median():
    # peers of d: 1, 2, 3 -> median 2; d = 25 is 12.5× above; a: peers 2, 3, 25 -> median 3,
    # 1/3: not flagged
    flags = P.peer_flags({"a": 1.0, "b": 2.0, "c": 3.0, "d": 25.0}, {"d": "Method D"})
    assert [f.text.split(" is ")[0] for f in flags] == ["Method D"]
    assert "12.5× above the median of the other methods" in flags[0].text
    # 20 is exactly 10× the peers' median 2: not more than the factor
    assert P.peer_flags({"a": 1.0, "b": 2.0, "c": 3.0, "d": 20.0}) == []
    # below: peers of a are 20, 30, 40 -> median 30; 2 is 15× below
    low = P.peer_flags({"a": 2.0, "b": 20.0, "c": 30.0, "d": 40.0})
    assert [f.text for f in low] == [
        ("a is 15× below the median of the other methods (more than 10× away): read its "
         "figure with its assumptions.")]
    assert P.peer_flags({"a": 1.0, "b": 100.0}) == []  # two methods have no peers' median


@pytest.mark.parametrize(("p05", "p95", "flagged", "times"), [
    (1e6, 20e6, False, None),     # 20× exactly
    (1e6, 21e6, True, "21×"),
    (0.0, 5e6, True, "unboundedly"),  # a P5 of no loss
    (None, 5e6, False, None),
])
def test_wide_range_flag(p05, p95, flagged, times):
    flag = P.range_flag(p05, p95)
    assert (flag is not None) == flagged
    if flagged:
        assert f"top is {times} its bottom" in flag.text


def test_flags_of_the_default_scenario_and_of_a_long_one():
    short = impact.estimate(impact.parse_scenario({"country": "Pakistan", "duration_hours": 10}),
                            draws=2000)
    assert P.estimate_flags(short) == ()
    long = impact.estimate(impact.parse_scenario({"country": "Pakistan",
                                                  "duration_hours": 24 * 60}), draws=2000)
    assert [f.kind for f in P.estimate_flags(long)] == ["extrapolated"]


def test_open_ended_hours_are_flagged():
    scenario = impact.parse_scenario({"country": "Pakistan", "duration_hours": 48,
                                      "duration_hours_low": 24, "duration_hours_high": 96})
    kinds = [f.kind for f in P.estimate_flags(impact.estimate(scenario, draws=2000))]
    assert "extrapolated" in kinds
