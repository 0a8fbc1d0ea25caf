"""Brookings — West (2016): the internet economy's share of GDP lost for the days of a
shutdown.

The formula is `brookings2016`; it has no coefficient of its own (the internet-economy share is
data, BCG's 2016 projection or our imputed share). The citation is ``METHOD.citation``;
docs/methods.md describes the method for users.
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
from impact.methods.terms import AFFECTED_SHARE, DAYS, GDP, YEAR_DAYS, data_input
from impact.methods.terms import scope_factor as scope_term
from impact.model.context import Context, bcg_2016_share
from impact.model.parameters import ParamSpec


def brookings2016(gdp_usd, days, internet_share, affected_share=1.0, service_factor=1.0):
    """Loss of GDP to a shutdown, by West's internet-economy method.

    Parameters
    ----------
    gdp_usd : array_like
        GDP of the country [USD per year].
    days : array_like
        Duration of the shutdown [days].
    internet_share : array_like
        Internet economy's share of GDP [0-1]: BCG's 2016 projection for the G20 countries
        West used, else our imputed share.
    affected_share : array_like, default 1.0
        Share of the population affected [0-1].
    service_factor : array_like, default 1.0
        Share of internet activity the restriction cuts [0-1]: 1 for a blackout, the
        mobile share of access for a mobile-only cut, the platform weight for a platform
        block (our table: West's app weights were not published), times the intensity.

    Returns
    -------
    loss_usd : numpy.ndarray or float
        GDP lost [USD], broadcast over the inputs.

    Notes
    -----
    .. math::

        L = \\mathrm{GDP} \\cdot s_{internet} \\cdot \\frac{d}{365} \\cdot a \\cdot p

    Linear in days; excludes tax, productivity and confidence effects.

    References
    ----------
    .. [1] West, D. M. (2016). Internet shutdowns cost countries $2.4 billion last year.
       Center for Technology Innovation, Brookings Institution, Washington, DC.
       https://www.brookings.edu/research/internet-shutdowns-cost-countries-2-4-billion-last-year/
    .. [2] Boston Consulting Group (2012). The Internet Economy in the G-20: The $4.2
       Trillion Growth Opportunity.

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


#: the symbols of ``METHOD.formula``, in order, and how each is described
TERMS = (
    ("GDP", GDP),
    ("s_internet", data_input("internet_share", "BCG's 2016 projection for the G20 "
                                                "countries West used, else imputed")),
    ("days", DAYS), ("365", YEAR_DAYS),
    ("affected share", AFFECTED_SHARE), ("service factor", scope_term()),
)

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
    terms=TERMS,
)
