"""Properties of `estimate` over random scenarios (Hypothesis).

For random countries, scopes, platforms, durations and shares: losses are >= 0, never above
the GDP of the period for any draw, ordered P5 <= P50 <= P95, zero when nobody is affected or
nothing is lost, monotone non-decreasing in duration, affected share and intensity (both
the central value and the P50 with the same seed), continuous in intensity (no jump),
and their notes say something.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import estimate, parse_scenario
from impact.estimation.engine import run
from impact.estimation.results import split
from impact.model.parameters import PLATFORMS, param

DRAWS = 300
SEED = 12345
COUNTRIES = ["PAK", "IND", "IRN", "ETH", "MMR", "NGA", "USA", "BRA"]
SCOPES = ["full", "mobile", "platforms", "throttling"]
REL = 1e-9  # floating-point slack for "non-decreasing"

countries = st.sampled_from(COUNTRIES)
years = st.integers(2015, 2024)
shares = st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False)
hours = st.floats(0.05, 5 * 8760.0, allow_nan=False, allow_subnormal=False)


@st.composite
def scenarios(draw, scope=None):
    scope = scope or draw(st.sampled_from(SCOPES))
    data = {"country": draw(countries), "year": draw(years), "scope": scope,
            "duration_hours": draw(hours), "affected_share": draw(shares)}
    if scope == "platforms":
        data["platforms"] = draw(st.lists(st.sampled_from(PLATFORMS), min_size=1, max_size=4,
                                          unique=True))
    if scope in ("throttling", "platforms") or draw(st.booleans()):
        data["intensity"] = draw(shares)
    return data


def _run(data):
    return estimate(parse_scenario(data), draws=DRAWS, seed=SEED)


def _ok(est):
    return [r for r in est.summary.iter_rows(named=True) if r["status"] == "ok"]


def _values(est):
    return {r["method"]: (r["loss_usd_central"], r["loss_usd_p50"]) for r in _ok(est)}


def _assert_not_decreasing(lo_est, hi_est, what):
    lo, hi = _values(lo_est), _values(hi_est)
    assert lo.keys() == hi.keys()
    for m in lo:
        for label, a, b in (("central", lo[m][0], hi[m][0]), ("p50", lo[m][1], hi[m][1])):
            assert b >= a * (1 - REL) - 1e-9, f"{m} {label} fell from {a} to {b} as {what} rose"


@settings(deadline=None)
@given(scenarios())
def test_losses_are_bounded_and_ordered(data):
    est = _run(data)
    cap = est.context.gdp.value * est.context.hours / 8760.0
    rows = _ok(est)
    assert rows, data
    for r in rows:
        samples = est.samples[r["method"]]
        assert len(samples) == DRAWS
        assert np.isfinite(samples).all()
        assert (samples >= 0).all(), r["method"]
        assert (samples <= cap * (1 + 1e-12)).all(), r["method"]
        assert 0 <= r["loss_usd_central"] <= cap * (1 + 1e-12)
        assert r["loss_usd_p05"] <= r["loss_usd_p50"] <= r["loss_usd_p95"], r["method"]
    for r in est.summary.iter_rows(named=True):
        if r["status"] != "ok":
            assert r["reason"], r["method"]


#: a share written as zero ("0 %", "0.0%"): a note that says nothing
ZERO_SHARE = re.compile(r"(?<![\d.,])0(?:\.0*)? ?%")


@settings(deadline=None)
@given(scenarios())
def test_notes_say_something(data):
    """Every note has words, none states a share of zero, and none is repeated."""
    notes = _run(data).notes
    for n in notes:
        assert n.strip() and not ZERO_SHARE.search(n), n
    assert len(set(notes)) == len(notes), notes


@settings(deadline=None)
@given(scenarios(), hours)
def test_monotone_in_duration(data, other):
    h1, h2 = sorted((data["duration_hours"], other))
    _assert_not_decreasing(_run({**data, "duration_hours": h1}),
                           _run({**data, "duration_hours": h2}), "duration")


@settings(deadline=None)
@given(scenarios(), shares)
def test_monotone_in_affected_share(data, other):
    a1, a2 = sorted((data["affected_share"], other))
    _assert_not_decreasing(_run({**data, "affected_share": a1}),
                           _run({**data, "affected_share": a2}), "affected share")


@settings(deadline=None)
@given(scenarios(), shares, shares)
def test_monotone_in_intensity(data, one, other):
    i1, i2 = sorted((one, other))
    _assert_not_decreasing(_run({**data, "intensity": i1}), _run({**data, "intensity": i2}),
                           "intensity")


@settings(deadline=None)
@given(scenarios(), shares, shares)
def test_continuous_in_intensity(data, one, other):
    """No method jumps as intensity rises: between neighbouring intensities i < j (a grid of
    tenths plus two drawn values) its loss grows by at most (j − i) ÷ t of its loss at
    intensity 1, t being the lowest intensity any method costs as a blackout (cost_compatible's
    severe-throttling threshold; a linear method grows by (j − i) of it). Figures at the GDP
    cap at intensity 1 are left out: the cap flattens them."""
    slope = 1.0 / param("cost_compatible", "severe_throttling_threshold").value
    levels = sorted({*np.linspace(0.0, 1.0, 11).tolist(), one, other})
    ests = split(run([parse_scenario({**data, "intensity": i}) for i in levels],
                     draws=DRAWS, seeds=SEED))
    values = [_values(e) for e in ests]
    cap = ests[-1].context.period_gdp_usd
    top = values[-1]
    for m in top:
        for k, label in enumerate(("central", "p50")):
            if top[m][k] >= cap * (1 - 1e-12):
                continue
            for (i, a), (j, b) in zip(zip(levels, values), zip(levels[1:], values[1:])):
                rise = b[m][k] - a[m][k]
                assert rise <= ((j - i) * slope + REL) * top[m][k] + 1e-9, (
                    f"{m} {label} rose by {rise} from intensity {i} to {j}; at 1 it is "
                    f"{top[m][k]}")


@settings(deadline=None)
@given(scenarios(), st.sampled_from(["affected_share", "intensity"]))
def test_zero_when_nobody_affected_or_nothing_lost(data, field):
    est = _run({**data, field: 0.0})
    for r in _ok(est):
        assert r["loss_usd_central"] == 0.0, r["method"]
        assert (est.samples[r["method"]] == 0.0).all(), r["method"]
        assert r["loss_usd_p95"] == 0.0


@settings(deadline=None)
@given(countries, years, hours, shares)
def test_zero_affected_users_is_zero(country, year, h, _):
    est = _run({"country": country, "year": year, "duration_hours": h, "affected_users": 0})
    for r in _ok(est):
        assert r["loss_usd_central"] == 0.0
        assert r["loss_usd_per_affected_user_p50"] is None


# ---- time weighting -------------------------------------------------------------------------
# The weighted duration (hours × `impact.model.context.time_weight`, the exact integral of the
# weekly profile) never drops as the hours grow, also across a step of the hourly profile
# and at the half-minute marks where a sum over whole minutes would round.
@pytest.mark.parametrize("minutes", [600, 660, 690])
def test_time_weighted_loss_monotone_in_duration(minutes):
    start = "2024-02-05T12:00"   # Monday noon; the outage runs into the light evening hours
    eps = 1e-4
    lo_h, hi_h = (minutes + 0.5 - eps) / 60, (minutes + 0.5 + eps) / 60

    def central(h):
        end = datetime.fromisoformat(start) + timedelta(hours=h)
        est = estimate(parse_scenario({"country": "PAK", "start": start,
                                       "end": end.isoformat()}), ["impact"], draws=100)
        return est.row("impact")["loss_usd_central"]

    assert central(hi_h) >= central(lo_h)


# ---- hours drawn from a range -----------------------------------------------------------------
HOURS_DRAWS = 20_000
#: sampling slack between runs whose other inputs are drawn from other variates: a P5 of the
#: widest method (cost_compatible, P95/P5 about 77) has a standard error of about 6 % at
#: 20,000 draws
TOL = 0.15


@settings(deadline=None, max_examples=25)
@given(scenarios(), st.floats(1.0, 2_000.0), st.floats(2.0, 30.0), st.floats(0.25, 0.75))
def test_hours_range_is_bracketed_by_its_ends_and_holds_the_fixed_hours_p50(data, low, times,
                                                                             where):
    """Hours drawn from [low, high]: P5 is at least the P5 with the hours fixed at the low end,
    P95 at most the P95 with them fixed at the high end, and with the central hours inside
    the range the P5–P95 holds the P50 with the hours fixed there."""
    high = low * times
    central = low + where * (high - low)
    data = data | {"duration_hours": central}
    if data.get("affected_share", 1.0) == 0 or data.get("intensity", 1.0) == 0:
        data = data | {"affected_share": 0.5, "intensity": 1.0}

    def quantiles(extra):
        est = estimate(parse_scenario(data | extra), draws=HOURS_DRAWS, seed=SEED)
        return {r["method"]: (r["loss_usd_p05"], r["loss_usd_p50"], r["loss_usd_p95"])
                for r in _ok(est)}

    drawn = quantiles({"duration_hours_low": low, "duration_hours_high": high})
    at_low = quantiles({"duration_hours": low})
    at_high = quantiles({"duration_hours": high})
    fixed = quantiles({})
    assert drawn.keys() == fixed.keys()
    for m, (p05, _, p95) in drawn.items():
        if fixed[m][1] <= 0:
            continue
        assert p05 >= at_low[m][0] * (1 - TOL), m
        assert p95 <= at_high[m][2] * (1 + TOL), m
        assert p05 * (1 - TOL) <= fixed[m][1] <= p95 * (1 + TOL), m
