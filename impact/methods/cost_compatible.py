"""`cost_compatible` — reproduces the NetBlocks COST / Top10VPN family (methodology §2.5)
from open inputs, calibrated only on Top10VPN's 2019–2022 country-year figures.

    loss = GDP/8760 × hours_costed × rate × scope factor
    log(rate) = b0 + b1·log(affected share) + b2·[platform block] + b3·log(GDP per head)

Platform blocks are costed for at most 365 days; throttling at or above the severe threshold
counts as a blackout (Top10VPN's conventions). The rate's 90 % range is the regression's
prediction interval, so it carries the scatter of Top10VPN's own figures around the fit.

References
----------
NetBlocks COST (Cost of Shutdown Tool); Top10VPN, The Cost of Internet Shutdowns (2019–2022).
"""

from __future__ import annotations

import functools

import numpy as np
import polars as pl

from impact.context import Context
from impact.fits import COST_COMPATIBLE_TERMS as TERMS
from impact.indicators import lookup
from impact.io import read_bundled
from impact.methods.base import (
    Draws,
    Method,
    central_value,
    common_inputs,
    data_spec,
    mobile_input,
    scope_factor,
)
from impact.parameters import ParamSpec, param

_Z95 = 1.6448536269514722


def cost_compatible(gdp_usd, hours, rate, scope_factor=1.0):
    """Loss [USD] = GDP/8760 [USD/h] × hours × rate [share of hourly GDP] × scope factor [0-1].

    Examples
    --------
    >>> round(cost_compatible(8760e6, 24, 0.064))  # 6.4 % of a day's GDP
    1536000
    """
    return gdp_usd / 8760.0 * np.asarray(hours) * rate * scope_factor


@functools.cache
def fit_coefficients() -> tuple[np.ndarray, np.ndarray, float, dict[str, float]]:
    """(coefficients, covariance, residual variance, statistics) from the bundled fit."""
    table = read_bundled("cost_compatible_fit")
    coef = dict(table.filter(pl.col("kind") == "coef").select("term", "value").rows())
    cov_rows = table.filter(pl.col("kind") == "cov")
    stats = dict(table.filter(pl.col("kind") == "stat").select("term", "value").rows())
    b = np.array([coef[t] for t in TERMS])
    cov = np.array([[cov_rows.filter((pl.col("term") == a) & (pl.col("term2") == c))["value"][0]
                     for c in TERMS] for a in TERMS])
    return b, cov, float(stats["resid_var"]), stats


def predicted_rate(affected_share: float, platform_block: bool, gdp_per_capita: float
                   ) -> tuple[float, float, float]:
    """Median, P5 and P95 of the rate [share of hourly national GDP]."""
    if affected_share <= 0:
        return 0.0, 0.0, 0.0
    b, cov, resid_var, _ = fit_coefficients()
    x = np.array([1.0, np.log(affected_share), float(platform_block), np.log(gdp_per_capita)])
    mean = float(x @ b)
    sd = float(np.sqrt(x @ cov @ x + resid_var))
    return (float(np.exp(mean)), float(np.exp(mean - _Z95 * sd)),
            float(np.exp(mean + _Z95 * sd)))


def _inputs(ctx: Context) -> list[ParamSpec]:
    specs = [s for s in common_inputs(ctx) if s.name != "duration_hours"]
    hours = ctx.hours
    cap_days = param("cost_compatible", "platform_block_max_days").value
    note = ""
    if ctx.scope == "platforms" and hours > cap_days * 24:
        hours, note = cap_days * 24, f"platform block costed for {cap_days:g} days (COST cap)"
    specs.append(data_spec("duration_hours", hours, "hours", "scenario", note))
    gdp_pc = lookup(ctx.iso3, "gdp_per_capita_usd", ctx.year)
    specs.append(data_spec("gdp_per_capita_usd", gdp_pc.value, "USD per person",
                           f"World Bank {gdp_pc.source} {gdp_pc.year_used}", gdp_pc.note or ""))
    median, lo, hi = predicted_rate(ctx.affected_share, ctx.scope == "platforms", gdp_pc.value)
    stats = fit_coefficients()[3]
    specs.append(ParamSpec(
        "rate", median, lo, hi, "share of hourly national GDP", "lognormal" if hi > lo else "fixed",
        "OLS fit on Top10VPN 2019–2022 country-year costs (data/cost_compatible_fit.csv; "
        "scripts/calibrate_cost_compatible.py)",
        f"90 % prediction interval; fit n={stats['n']:.0f}, R²={stats['r2']:.2f}, "
        f"{stats['within_2x_loo']:.0%} of country-years within ×2 out of sample"))
    if ctx.scope == "mobile":
        specs.append(mobile_input(ctx))
    if ctx.scope == "throttling":
        specs.append(param("cost_compatible", "severe_throttling_threshold"))
    return specs


def _loss(ctx: Context, p: Draws) -> np.ndarray:
    if ctx.scope == "throttling":
        factor = np.where(p["intensity"] >= p["severe_throttling_threshold"], 1.0, p["intensity"])
    else:
        factor = scope_factor(ctx, p, platform_weights=False) * p["intensity"]
    # the rate was predicted at the central affected share; scale by the fitted elasticity
    # when the share itself is uncertain (a range in the scenario)
    b_affected = fit_coefficients()[0][1]
    share = np.asarray(p["affected_share"], dtype=float)
    centre = np.asarray(central_value(p, ctx, "affected_share", "affected_share"), dtype=float)
    centre = np.broadcast_to(centre, np.broadcast_shapes(centre.shape, share.shape))
    share = np.broadcast_to(share, centre.shape)
    ratio = np.divide(share, centre, out=np.zeros(centre.shape), where=centre > 0)
    rate = np.minimum(p["rate"] * ratio ** b_affected, 1.0)
    return cost_compatible(p["gdp_usd"], p["duration_hours"], rate, factor)


METHOD = Method(
    name="cost_compatible",
    title="COST-compatible (NetBlocks COST / Top10VPN family)",
    citation="Calibrated to Top10VPN, The Cost of Internet Shutdowns 2019–2022 (figures "
             "© Top10VPN, used for calibration only); method after NetBlocks COST.",
    scopes=frozenset({"full", "mobile", "platforms", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    platform_cap_param="cost_compatible.platform_block_max_days",
    formula="GDP/8760 × hours (≤ 365 days for platform blocks) × rate(affected share, "
            "platform block, GDP per head) × scope factor",
    scope_note="platform blocks use the fitted platform-block term (not platform-specific); "
               "mobile-only scaled by the mobile share of access; severe throttling counts as "
               "a blackout",
    circumvention_note="no circumvention term (COST and Top10VPN publish none): VPN use "
                       "is ignored",
)
