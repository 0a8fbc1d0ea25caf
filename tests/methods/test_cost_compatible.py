"""COST-compatible: loss = GDP/8760 × hours (≤ 365 days for platform blocks) × rate × factor."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import estimate, parse_scenario
from impact.errors import InputError
from impact.methods.base import Draws
from impact.methods.cost_compatible import (
    METHOD,
    brookings_rate,
    cost_compatible,
    fit_coefficients,
    predicted_rate,
    throttling_share,
)
from impact.model.parameters import param, platform_level, platform_usage

DRAWS = 1000


def _central(data, **kw):
    est = estimate(parse_scenario(data), ["cost_compatible"], draws=DRAWS, **kw)
    return est, est.row("cost_compatible")["loss_usd_central"]


def test_formula_by_hand():
    # 8760e6/8760 = 1e6 per hour × 24 h × 6.4 % = 1,536,000
    assert cost_compatible(8760e6, 24, 0.064) == pytest.approx(1_536_000)
    assert cost_compatible(8760e6, 24, 0.064, 0.5) == pytest.approx(768_000)
    assert cost_compatible(8760e6, np.array([1, 2]), 0.1) == pytest.approx([100_000, 200_000])


FOUR = "facebook;whatsapp;instagram;x"
PLATFORMS = ("x", "facebook", "instagram", "whatsapp", "youtube", "tiktok", "telegram", "signal")


def weight(iso3: str, platforms: str) -> float:
    """min(1, L × (1 − Π(1 − usage))) at the central level: the platform table by hand."""
    keep = 1.0
    for p in platforms.split(";"):
        keep *= 1.0 - platform_usage(p, iso3)[0]
    return min(1.0, platform_level().value * (1.0 - keep))


def test_predicted_rate_is_the_log_linear_fit():
    b, _, _, _ = fit_coefficients()
    # log(rate) = b0 + b1·log(a) + b2·s + b3·log(GDP per head) + b4·s·log(W/W_ref)
    median, lo, hi = predicted_rate(0.5, None, 2000.0)
    assert median == pytest.approx(np.exp(b[0] + b[1] * np.log(0.5) + b[3] * np.log(2000)))
    assert lo < median < hi
    # the reference bundle (and a block naming no platform) has log(W/W_ref) = 0
    ref = predicted_rate(0.5, ("facebook", "instagram", "whatsapp", "x"), 2000.0)[0]
    assert ref == pytest.approx(np.exp(b[0] + b[1] * np.log(0.5) + b[2] + b[3] * np.log(2000)))
    assert predicted_rate(0.5, (), 2000.0)[0] == pytest.approx(ref)
    assert predicted_rate(0.0, None, 2000.0) == (0.0, 0.0, 0.0)


def test_brookings_rate_by_hand():
    # 0.056 × 1.1^5 × 0.5 = 0.056 × 1.61051 × 0.5
    assert brookings_rate(0.056, 5, 0.5) == pytest.approx(0.045094, rel=1e-4)
    assert brookings_rate(0.056, 5, 0.5, escalator=0.1) == pytest.approx(0.045094, rel=1e-4)
    assert brookings_rate(0.03, 0) == pytest.approx(0.03)
    assert brookings_rate(0.03, 2, escalator=0.0) == pytest.approx(0.03)


def _spec(est, name):
    a = est.assumptions
    return a.filter((a["method"] == "cost_compatible") & (a["parameter"] == name)).row(
        0, named=True)


def test_platform_block_uses_the_brookings_branch_by_hand():
    # India (G20, BCG 2016 share 5.6 %) 2021, X alone for 10 h, nationwide:
    # GDP/8760 × 10 × 0.056 × 1.1^(2021 − 2016) × 1 × W, W = min(1, L × usage of X in India)
    est, loss = _central({"country": "IND", "year": 2021, "duration_hours": 10,
                          "scope": "platforms", "platforms": "x"})
    gdp = est.context.gdp.value
    assert _spec(est, "internet_share")["value"] == pytest.approx(0.056)
    assert _spec(est, "escalation_years")["value"] == 5
    assert "Brookings branch" in _spec(est, "internet_share")["notes"]
    assert _spec(est, "platform_usage_x")["value"] == pytest.approx(platform_usage("x", "IND")[0])
    assert loss == pytest.approx(gdp / 8760 * 10 * 0.056 * 1.1 ** 5 * weight("IND", "x"))
    # four platforms: the combined usage 1 − Π(1 − u) × L
    _, four = _central({"country": "IND", "year": 2021, "duration_hours": 10,
                        "scope": "platforms", "platforms": FOUR})
    assert four == pytest.approx(gdp / 8760 * 10 * 0.056 * 1.1 ** 5 * weight("IND", FOUR))
    # a non-G20 country: our digital share of the event year, not escalated
    est, loss = _central({"country": "NGA", "year": 2021, "duration_hours": 1,
                          "scope": "platforms", "platforms": "x"})
    share = _spec(est, "internet_share")["value"]
    assert _spec(est, "escalation_years")["value"] == 0
    assert loss == pytest.approx(est.context.gdp.value / 8760 * share * weight("NGA", "x"))
    assert "Brookings" in est.row("cost_compatible")["reason"]


@pytest.mark.parametrize("country", ["PAK", "SDN", "NGA", "IND"])
def test_adding_a_platform_never_lowers_the_loss(country):
    rng = np.random.default_rng(7)
    for _ in range(3):
        order = list(rng.permutation(list(PLATFORMS)))
        previous = 0.0
        for k in range(1, len(order) + 1):
            est = estimate(parse_scenario({"country": country, "year": 2022, "duration_hours": 24,
                                           "scope": "platforms",
                                           "platforms": ";".join(order[:k])}),
                           ["cost_compatible"], draws=200)
            loss = est.row("cost_compatible")["loss_usd_central"]
            assert loss >= previous
            previous = loss


@pytest.mark.parametrize("country", ["PAK", "SDN", "NGA"])
def test_x_alone_costs_what_its_usage_says_against_four_platforms(country):
    base = {"country": country, "year": 2022, "duration_hours": 10, "scope": "platforms"}
    x = estimate(parse_scenario({**base, "platforms": "x"}), ["cost_compatible"],
                 draws=DRAWS).row("cost_compatible")
    four = estimate(parse_scenario({**base, "platforms": FOUR}), ["cost_compatible"],
                    draws=DRAWS).row("cost_compatible")
    ratio = weight(country, "x") / weight(country, FOUR)
    assert ratio < 0.5  # X alone carries far less activity than Facebook, WhatsApp, Instagram, X
    assert x["loss_usd_central"] == pytest.approx(four["loss_usd_central"] * ratio)
    for col in ("loss_usd_p05", "loss_usd_p50", "loss_usd_p95"):
        assert x[col] < four[col]


def test_scope_note_says_platform_blocks_use_the_brookings_branch_and_the_table():
    note = METHOD.scope_note
    assert "Brookings" in note and "usage" in note and "level" in note


def test_platform_block_capped_at_365_days():
    base = {"country": "NGA", "year": 2021, "scope": "platforms", "platforms": "x"}
    _, at_cap = _central({**base, "duration_hours": 365 * 24})
    est_long, longer = _central({**base, "duration_hours": 800 * 24})
    _, half = _central({**base, "duration_hours": 365 * 12})
    assert longer == pytest.approx(at_cap)
    assert half == pytest.approx(at_cap / 2)
    hours = _spec(est_long, "duration_hours")
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


def test_throttling_share_by_hand():
    # intensity ÷ the threshold (0.5), at most 1; a threshold of 0 makes any throttling a
    # blackout, and nothing lost costs nothing
    got = throttling_share(np.array([0.0, 0.1, 0.25, 0.49, 0.5, 0.75, 1.0]), 0.5)
    assert got == pytest.approx([0.0, 0.2, 0.5, 0.98, 1.0, 1.0, 1.0])
    assert throttling_share(0.3, 0.0) == 1.0
    assert throttling_share(0.0, 0.0) == 0.0
    assert throttling_share(np.array([0.2, 0.2]), np.array([0.5, 0.25])) == pytest.approx(
        [0.4, 0.8])


@pytest.mark.parametrize(("intensity", "expected"),
                         [(0.1, 128_000.0), (0.5, 640_000.0), (1.0, 640_000.0)])
def test_throttling_formula_by_hand(intensity, expected):
    # GDP 8,760 m a year = 1 m an hour; 10 h × rate 6.4 % = 640,000 for a blackout;
    # × min(intensity / 0.5, 1): 0.1 -> 0.2 × 640,000 = 128,000; 0.5 and 1.0 -> 640,000
    ctx = SimpleNamespace(scope="throttling", platforms=(), affected_share=1.0)
    draws = Draws(gdp_usd=8760e6, duration_hours=10.0, rate=0.064, intensity=intensity,
                  severe_throttling_threshold=0.5, affected_share=1.0)
    assert float(METHOD.loss_usd(ctx, draws)) == pytest.approx(expected)


@pytest.mark.parametrize(("intensity", "share"), [(0.1, 0.2), (0.5, 1.0), (1.0, 1.0)])
def test_throttling_estimate_by_hand(intensity, share):
    # Pakistan 2024, 10 h nationwide, the rate set to 6.4 % of hourly GDP:
    # loss = GDP/8760 × 10 × 0.064 × min(intensity / 0.5, 1)
    base = {"country": "PAK", "year": 2024, "duration_hours": 10}
    est, loss = _central({**base, "scope": "throttling", "intensity": intensity},
                         overrides={"rate": 0.064})
    assert loss == pytest.approx(est.context.gdp.value / 8760 * 10 * 0.064 * share)
    _, blackout = _central(base, overrides={"rate": 0.064})
    assert loss == pytest.approx(share * blackout)


def test_throttling_has_no_jump_at_the_threshold():
    base = {"country": "IRN", "year": 2019, "duration_hours": 24}
    _, blackout = _central(base)
    _, below = _central({**base, "scope": "throttling", "intensity": 0.4999})
    _, at = _central({**base, "scope": "throttling", "intensity": 0.5})
    assert below == pytest.approx(0.9998 * blackout)
    assert at == pytest.approx(blackout)
    assert at - below <= 0.001 * blackout


@pytest.mark.parametrize(("intensity", "words"), [
    (0.1, ("cost_compatible: throttling at 10 % of service lost costed as 20 % of a blackout "
           "(10 % ÷ 50 %, the severity from which Top10VPN counts a throttling as a blackout)")),
    (0.7, ("cost_compatible: throttling at 70 % of service lost costed as a blackout (Top10VPN "
           "counts a throttling of 50 % of service lost or more as a blackout)")),
])
def test_throttling_note_says_how_it_was_costed(intensity, words):
    est, _ = _central({"country": "PAK", "year": 2024, "duration_hours": 10,
                       "scope": "throttling", "intensity": intensity})
    assert words in est.notes
    assert "severe-throttling threshold" in est.row("cost_compatible")["reason"]


@pytest.mark.parametrize("data", [
    {"scope": "throttling", "intensity": 1.0}, {"scope": "throttling", "intensity": 0.0},
    {"scope": "full"}, {"scope": "mobile"}])
def test_no_throttling_note_when_there_is_nothing_to_say(data):
    est, _ = _central({"country": "PAK", "year": 2024, "duration_hours": 10, **data})
    assert not [n for n in est.notes if n.startswith("cost_compatible:")]


def test_an_overridden_threshold_moves_the_ramp_and_the_note():
    base = {"country": "PAK", "year": 2024, "duration_hours": 10}
    _, blackout = _central(base)
    est, loss = _central({**base, "scope": "throttling", "intensity": 0.2},
                         overrides={"severe_throttling_threshold": 0.8})
    assert loss == pytest.approx(0.25 * blackout)
    assert any("costed as 25 % of a blackout (20 % ÷ 80 %" in n for n in est.notes)


THROTTLE = {"country": st.sampled_from(["PAK", "IND", "IRN", "NGA", "USA"]),
            "year": st.integers(2016, 2024),
            "duration_hours": st.floats(0.5, 2000.0, allow_nan=False, allow_subnormal=False),
            "affected_share": st.floats(0.01, 1.0, allow_nan=False, allow_subnormal=False)}


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries(THROTTLE), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_throttling_loss_over_intensity(base, one, other):
    """Over intensity the loss is 0 at 0, non-decreasing, continuous (it rises by at most
    Δintensity ÷ threshold of a blackout), a blackout from the threshold on and below the GDP
    of the period: central value and P50 alike."""
    threshold = param("cost_compatible", "severe_throttling_threshold").value
    lo, hi = sorted((one, other))

    def figures(data):
        est = estimate(parse_scenario(data), ["cost_compatible"], draws=200, seed=7)
        row = est.row("cost_compatible")
        return np.array([row["loss_usd_central"], row["loss_usd_p50"]]), est

    blackout, est = figures(base)
    cap = est.context.period_gdp_usd
    zero, _ = figures({**base, "scope": "throttling", "intensity": 0.0})
    low, _ = figures({**base, "scope": "throttling", "intensity": lo})
    high, _ = figures({**base, "scope": "throttling", "intensity": hi})
    full, _ = figures({**base, "scope": "throttling", "intensity": 1.0})
    tol = 1e-9 * blackout + 1e-9
    assert (zero == 0).all()
    assert (low <= high + tol).all()
    assert (high - low <= (hi - lo) / threshold * blackout + tol).all()
    assert full == pytest.approx(blackout, rel=1e-12)
    assert (high <= blackout + tol).all() and (blackout <= cap * (1 + 1e-12)).all()
    if lo >= threshold:
        assert low == pytest.approx(blackout, rel=1e-12)


def test_rate_override_and_cap_at_one():
    base = {"country": "IRN", "year": 2019, "duration_hours": 24}
    est, loss = _central(base, overrides={"rate": 0.064})
    gdp = est.context.gdp.value
    assert loss == pytest.approx(gdp / 8760 * 24 * 0.064)
    # a rate of 1 costs the whole GDP of the period; above 1 is not a share: refused
    est, loss = _central(base, overrides={"cost_compatible.rate": 1.0})
    assert loss == pytest.approx(gdp / 8760 * 24)
    with pytest.raises(InputError, match=r"set: 'cost_compatible.rate=5' is not accepted; "
                       r"cost_compatible.rate \[share of hourly national GDP\]: a share"):
        _central(base, overrides={"cost_compatible.rate": 5.0})


def test_mobile_scaled_by_mobile_share():
    base = {"country": "PAK", "year": 2022, "duration_hours": 10}
    est, mobile = _central({**base, "scope": "mobile"}, overrides={"rate": 0.1})
    assert mobile == pytest.approx(est.context.gdp.value / 8760 * 10 * 0.1
                                   * est.context.mobile_share)
