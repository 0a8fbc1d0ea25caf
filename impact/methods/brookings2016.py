"""Brookings — West (2016): cost = GDP × s_internet × days/365 × affected share × service.

References
----------
West, D. M. (2016). Internet shutdowns cost countries $2.4 billion last year. Brookings
Center for Technology Innovation.
"""

from __future__ import annotations

import numpy as np

from impact.methods.base import (
    Draws,
    Method,
    common_inputs,
    digital_share_input,
    scope_factor,
    scope_inputs,
)
from impact.model.context import Context, bcg_2016_share
from impact.model.parameters import ParamSpec


def brookings2016(gdp_usd, days, internet_share, affected_share=1.0, service_factor=1.0):
    """Loss [USD] = GDP [USD/yr] × internet-economy share [0-1] × days/365 × affected share
    [0-1] × service factor [0-1].

    Examples
    --------
    >>> round(brookings2016(100e9, 10, 0.05, 0.5))
    68493151
    """
    return gdp_usd * internet_share * np.asarray(days) / 365.0 * affected_share * service_factor


def _inputs(ctx: Context) -> list[ParamSpec]:
    specs = common_inputs(ctx)
    bcg = bcg_2016_share(ctx.iso3)
    if bcg is not None:
        specs.append(ParamSpec("internet_share", bcg, bcg * 0.8, bcg * 1.25, "share 0-1 of GDP",
                               "lognormal", "BCG (2012), The Internet Economy in the G-20: 2016 "
                               "projection, as used by West (2016)",
                               "range ×0.8–×1.25 is our assumed measurement range"))
    else:
        specs.append(digital_share_input(ctx, "internet_share",
                                         "West (2016) had no BCG value for this country"))
    return specs + scope_inputs(ctx)


def _loss(ctx: Context, p: Draws) -> np.ndarray:
    service = scope_factor(ctx, p)
    return brookings2016(p["gdp_usd"], p["duration_hours"] / 24.0, p["internet_share"],
                         p["affected_share"], service * p["intensity"])


METHOD = Method(
    name="brookings2016",
    title="Brookings (West 2016)",
    citation="West, D. M. (2016). Internet shutdowns cost countries $2.4 billion last year. "
             "Brookings Center for Technology Innovation.",
    scopes=frozenset({"full", "mobile", "platforms", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    formula="GDP × s_internet × days/365 × affected share × service factor",
    scope_note="mobile-only scaled by the mobile share of access; platform blocks by the "
               "platform-dependence weights (ours: West's app weights were not published); "
               "throttling by intensity",
    circumvention_note="West's formula has no circumvention term: VPN use is ignored",
)
