"""Deloitte for GNI (2016): a full shutdown costs a fixed share of daily GDP per day, by
connectivity tier (high ≥ 1.9 %, medium 1.0 %, low 0.4 %).

References
----------
Deloitte (2016). The economic impact of disruptions to Internet connectivity. A report for
the Global Network Initiative.
"""

from __future__ import annotations

import numpy as np

from impact.methods.base import (
    Draws,
    Method,
    common_inputs,
    data_spec,
    mobile_input,
    scope_factor,
)
from impact.model.context import Context
from impact.model.parameters import ParamSpec, param


def deloitte2016(gdp_usd, days, loss_share_per_day, affected_share=1.0, service_factor=1.0):
    """Loss [USD] = GDP/365 [USD/day] × days × share of daily GDP lost per day [0-1]
    × affected share [0-1] × service factor [0-1].

    Examples
    --------
    >>> round(deloitte2016(94e6 * 505, 1, 0.004))  # Deloitte's Ethiopia example, USD/day
    520219
    """
    return gdp_usd / 365.0 * np.asarray(days) * loss_share_per_day * affected_share * service_factor


def connectivity_tier(internet_pct: float, fixed_bb_per100: float | None) -> str:
    """Deloitte tier from internet users % and fixed broadband per 100 (our cut-offs, in
    data/parameters.csv, since Deloitte published none)."""
    hi_net = param("deloitte2016", "tier_high_min_internet_pct").value
    hi_bb = param("deloitte2016", "tier_high_min_fixed_bb").value
    lo_net = param("deloitte2016", "tier_low_max_internet_pct").value
    if internet_pct >= hi_net and (fixed_bb_per100 or 0.0) >= hi_bb:
        return "high"
    if internet_pct < lo_net:
        return "low"
    return "medium"


def _tier(ctx: Context) -> tuple[str, str]:
    if ctx.connectivity_tier != "auto":
        return ctx.connectivity_tier, "tier chosen by the user"
    tier = connectivity_tier(ctx.internet_pct, ctx.fixed_bb_per100)
    fixed = "n/a" if ctx.fixed_bb_per100 is None else f"{ctx.fixed_bb_per100:.1f}"
    return tier, (f"tier from internet users {ctx.internet_pct:.1f} % and fixed broadband "
                  f"{fixed} per 100 (cut-offs in data/parameters.csv)")


def _inputs(ctx: Context) -> list[ParamSpec]:
    tier, why = _tier(ctx)
    k = param("deloitte2016", f"loss_share_{tier}")
    specs = common_inputs(ctx)
    specs.append(ParamSpec("loss_share_per_day", k.value, k.low, k.high, k.unit, k.distribution,
                           k.source, f"{tier} connectivity tier: {why}. {k.notes}"))
    specs.append(data_spec("connectivity_tier_" + tier, 1, "flag", "derived", why))
    if ctx.scope == "mobile":
        specs.append(mobile_input(ctx))
    return specs


def _loss(ctx: Context, p: Draws) -> np.ndarray:
    service = scope_factor(ctx, p)
    return deloitte2016(p["gdp_usd"], p["duration_hours"] / 24.0, p["loss_share_per_day"],
                        p["affected_share"], service * p["intensity"])


METHOD = Method(
    name="deloitte2016",
    title="Deloitte for GNI (2016)",
    citation="Deloitte (2016). The economic impact of disruptions to Internet connectivity. "
             "A report for the Global Network Initiative.",
    scopes=frozenset({"full", "mobile", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    formula="GDP/365 × days × tier share of daily GDP × affected share × service factor",
    difference_note="a fixed share of a day's GDP per connectivity tier (data/parameters.csv), "
                    "from Deloitte's 2016 simulations; it does not scale with the country's "
                    "own digital-economy share",
    scope_note="Deloitte costs full national shutdowns; regional, mobile-only (mobile share of "
               "access) and throttling (intensity) scalings are our extensions; it has no "
               "platform-block figure",
    circumvention_note="Deloitte's per-day shares have no circumvention term: VPN use "
                       "is ignored",
)
