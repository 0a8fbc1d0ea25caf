"""Deloitte for GNI (2016): a full shutdown costs a fixed share of daily GDP per day, by
connectivity tier.

The formula is `deloitte2016`; its shares per tier (`LOSS_SHARE_PER_DAY`) are the report's and
data/parameters.csv carries them with our ranges, and our tier cut-offs. The citation is
``METHOD.citation``; docs/methods.md describes the method for users.
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
from impact.methods.terms import AFFECTED_SHARE, DAYS, GDP, YEAR_DAYS, coefficient
from impact.methods.terms import scope_factor as scope_term
from impact.model.context import Context
from impact.model.parameters import ParamSpec, param

#: share of a day's GDP lost per day of a full shutdown, by connectivity tier [0-1]
#: (Deloitte 2016: at least 1.9 % high, 1.0 % medium, 0.4 % low)
LOSS_SHARE_PER_DAY = {"high": 0.019, "medium": 0.010, "low": 0.004}


def deloitte2016(gdp_usd, days, loss_share_per_day, affected_share=1.0, service_factor=1.0):
    """Loss of GDP to a shutdown, by Deloitte's share of daily GDP per connectivity tier.

    Parameters
    ----------
    gdp_usd : array_like
        GDP of the country [USD per year].
    days : array_like
        Duration of the shutdown [days].
    loss_share_per_day : array_like
        Share of a day's GDP lost per day of a full shutdown [0-1]: one of
        `LOSS_SHARE_PER_DAY` by the country's connectivity tier (`connectivity_tier`). No
        default: the share depends on the tier.
    affected_share : array_like, default 1.0
        Share of the country affected [0-1] (our extension: Deloitte costs national
        shutdowns).
    service_factor : array_like, default 1.0
        Share of internet activity the restriction cuts [0-1]: 1 for a blackout, the mobile
        share of access for a mobile-only cut, times the intensity (our extensions).

    Returns
    -------
    loss_usd : numpy.ndarray or float
        GDP lost [USD], broadcast over the inputs.

    Notes
    -----
    .. math::

        L = \\frac{\\mathrm{GDP}}{365} \\cdot d \\cdot k_{tier} \\cdot a \\cdot p

    Deloitte's shares come from simulations of a full shutdown in average countries of each
    tier; they do not scale with the country's own digital economy.

    References
    ----------
    .. [1] Deloitte (2016). The economic impact of disruptions to Internet connectivity: a
       report for Facebook. Published by the Global Network Initiative, October 2016.
       https://www.deloitte.com/ng/en/Industries/tmt/perspectives/the-economic-impact-of-disruptions-to-internet-connectivity-report-for-facebook.html

    Examples
    --------
    >>> round(deloitte2016(94e6 * 505, 1, 0.004))  # Deloitte's Ethiopia example, USD/day
    520219
    """
    return gdp_usd / 365.0 * np.asarray(days) * loss_share_per_day * affected_share * service_factor


def connectivity_tier(internet_pct: float, fixed_bb_per100: float | None) -> str:
    """Deloitte's connectivity tier of a country: ``high``, ``medium`` or ``low``.

    Parameters
    ----------
    internet_pct : float
        Internet users [% of population].
    fixed_bb_per100 : float or None
        Fixed broadband subscriptions [per 100 people]; None counts as 0.

    Returns
    -------
    tier : str
        ``high`` at or above both high cut-offs, ``low`` below the low internet cut-off,
        else ``medium``.

    Notes
    -----
    Deloitte published no cut-offs; ours are in data/parameters.csv
    (``tier_high_min_internet_pct``, ``tier_high_min_fixed_bb``,
    ``tier_low_max_internet_pct``), chosen so that Ethiopia 2016 (about 15 % online) is low,
    as in the report's example.

    Examples
    --------
    >>> connectivity_tier(90.0, 35.0), connectivity_tier(50.0, 2.0), connectivity_tier(15.0, None)
    ('high', 'medium', 'low')
    """
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


#: the symbols of ``METHOD.formula``, in order, and how each is described
TERMS = (
    ("GDP", GDP), ("365", YEAR_DAYS), ("days", DAYS),
    ("tier share of daily GDP", coefficient(
        "loss_share_per_day", "loss_share_high", "loss_share_medium", "loss_share_low",
        note="the tier from internet use and fixed broadband (cut-offs in the same file)")),
    ("affected share", AFFECTED_SHARE), ("service factor", scope_term(platforms=False)),
)

METHOD = Method(
    name="deloitte2016",
    title="Deloitte for GNI (2016)",
    citation="Deloitte (2016). The economic impact of disruptions to Internet connectivity: "
             "a report for Facebook. Global Network Initiative.",
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
    terms=TERMS,
    coefficients={f"loss_share_{tier}": k for tier, k in LOSS_SHARE_PER_DAY.items()},
)
