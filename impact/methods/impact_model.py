"""`impact` — our model: direct, indirect and recovered components with hour-of-day
weighting and explicit uncertainty on every coefficient.

The formula is `impact2024` (its parts `impact_components`); the central spillover and
recovery (`INDIRECT_MULTIPLIER`, `RECOVERY_SHARE`) are ours and data/parameters.csv carries
them with their ranges and sources. docs/methods.md ("impact") describes the model for users.
"""

from __future__ import annotations

import numpy as np

from impact.methods.base import (
    Draws,
    Method,
    common_inputs,
    data_spec,
    digital_share_input,
    scope_factor,
    scope_inputs,
)
from impact.methods.terms import (
    AFFECTED_SHARE,
    GDP,
    HOURS,
    INTENSITY,
    YEAR_HOURS,
    coefficient,
    data_input,
    words,
)
from impact.methods.terms import scope_factor as scope_term
from impact.model.context import Context
from impact.model.parameters import ParamSpec, param

#: spillover to the non-digital economy [USD per USD of direct loss] (central value of our
#: range, informed by CIPESA 2017 and COST's Ethiopia 2020 output)
INDIRECT_MULTIPLIER = 0.5
#: share of the lost activity made up after restoration [0-1] (our assumption)
RECOVERY_SHARE = 0.2

_PARAMETERS = """
    Parameters
    ----------
    gdp_usd : array_like
        GDP of the country [USD per year].
    hours : array_like
        Duration [hours].
    digital_share : array_like
        Digital-economy share of GDP [0-1] (published where known, else imputed).
    affected_share : array_like
        Share of the country affected [0-1].
    scope_factor : array_like
        Share of internet activity the scope cuts [0-1]: 1 for a blackout or throttling, the
        mobile share of access for a mobile-only cut, the platform-dependence weight for a
        platform block (`impact.methods.base.scope_factor`).
    intensity : array_like
        Share of service lost [0-1]: 1 for a blackout, less for throttling.
    circumvention : array_like
        Share of the cut activity that continues over VPNs or other routes [0-1].
    indirect_multiplier : array_like, default `INDIRECT_MULTIPLIER`
        Spillover to the rest of the economy [USD per USD of direct loss].
    recovery_share : array_like, default `RECOVERY_SHARE`
        Share of the lost activity made up after restoration [0-1].
    time_weight : array_like, default 1.0
        Activity of the hours cut relative to an average hour [ratio]; 1 without a start
        time.
"""
_NOTES = """
    Notes
    -----
    .. math::

        D = \\frac{\\mathrm{GDP}}{8760} \\cdot h \\cdot w_{time} \\cdot s_{digital}
            \\cdot a \\cdot p_{scope} \\cdot i \\cdot (1 - v), \\quad I = m D, \\quad
        L = (D + I)(1 - r)

    The shape shared by the GDP-share methods with each factor explicit and uncertain; the
    indirect term represents CIPESA's indirect effects as one multiplier.

    References
    ----------
    .. [1] docs/methods.md, "impact": the model, its parameters and their sources.
    .. [2] CIPESA (2017). A Framework for Calculating the Economic Impact of Internet
       Disruptions in Sub-Saharan Africa. Collaboration on International ICT Policy for East
       and Southern Africa, Kampala.
"""


def impact_components(gdp_usd, hours, digital_share, affected_share, scope_factor, intensity,
                      circumvention, indirect_multiplier=INDIRECT_MULTIPLIER,
                      recovery_share=RECOVERY_SHARE, time_weight=1.0):
    """Direct, indirect and recovered loss of our model.
    {parameters}
    Returns
    -------
    direct, indirect, recovered : numpy.ndarray or float
        Digital activity lost while the service is cut, its spillover to the rest of the
        economy, and the part of both made up afterwards [USD], broadcast over the inputs.
    {notes}
    Examples
    --------
    >>> d, i, r = impact_components(8760e6, 10, 0.05, 1.0, 1.0, 1.0, 0.0, 0.5, 0.2)
    >>> round(float(d)), round(float(i)), round(float(r))
    (500000, 250000, 150000)
    """
    direct = (gdp_usd / 8760.0 * np.asarray(hours) * time_weight * digital_share
              * affected_share * scope_factor * intensity * (1.0 - circumvention))
    indirect = direct * indirect_multiplier
    recovered = (direct + indirect) * recovery_share
    return direct, indirect, recovered


def impact2024(gdp_usd, hours, digital_share, affected_share, scope_factor, intensity,
               circumvention, indirect_multiplier=INDIRECT_MULTIPLIER,
               recovery_share=RECOVERY_SHARE, time_weight=1.0):
    """Net loss of our model: direct and indirect loss less what is recovered.
    {parameters}
    Returns
    -------
    loss_usd : numpy.ndarray or float
        Net loss [USD], broadcast over the inputs.
    {notes}
    Examples
    --------
    >>> round(float(impact2024(8760e6, 10, 0.05, 1.0, 1.0, 1.0, 0.0)))
    600000
    """
    d, i, r = impact_components(gdp_usd, hours, digital_share, affected_share, scope_factor,
                                intensity, circumvention, indirect_multiplier, recovery_share,
                                time_weight)
    return d + i - r


for _formula in (impact_components, impact2024):  # one text for both (none under -OO)
    if _formula.__doc__:
        _formula.__doc__ = _formula.__doc__.format(parameters=_PARAMETERS, notes=_NOTES)


def _inputs(ctx: Context) -> list[ParamSpec]:
    specs = common_inputs(ctx)
    specs.append(digital_share_input(ctx, "digital_share"))
    specs += scope_inputs(ctx)
    v = param("impact", f"circumvention_{ctx.scope}")
    if ctx.circumvention is not None:
        v = data_spec(v.name, ctx.circumvention, v.unit, "scenario", "given by the user")
    specs.append(ParamSpec("circumvention", v.value, v.low, v.high, v.unit, v.distribution,
                           v.source, v.notes))
    specs.append(param("impact", "indirect_multiplier"))
    r = param("impact", "recovery_share")
    if ctx.recovery is not None:
        r = data_spec(r.name, ctx.recovery, r.unit, "scenario", "given by the user")
    specs.append(r)
    specs.append(data_spec("time_weight", ctx.hour_weight, "ratio to an average hour",
                           "data/hour_profile.csv (assumption)", ctx.hour_weight_detail))
    return specs


def _loss(ctx: Context, p: Draws) -> np.ndarray:
    return impact2024(p["gdp_usd"], p["duration_hours"], p["digital_share"],
                      p["affected_share"], scope_factor(ctx, p), p["intensity"],
                      p["circumvention"], p["indirect_multiplier"], p["recovery_share"],
                      p["time_weight"])


def components(ctx: Context, p: Draws) -> dict[str, np.ndarray]:
    """Direct, indirect and recovered parts [USD] for display."""
    d, i, r = impact_components(p["gdp_usd"], p["duration_hours"], p["digital_share"],
                                p["affected_share"], scope_factor(ctx, p), p["intensity"],
                                p["circumvention"], p["indirect_multiplier"],
                                p["recovery_share"], p["time_weight"])
    return {"direct": d, "indirect": i, "recovered": r}


#: the symbols of ``METHOD.formula``, in order, and how each is described
TERMS = (
    ("direct", words("Direct loss: the digital activity lost while the service is cut",
                     "USD")),
    ("indirect", words("Indirect loss: the spillover to the rest of the economy", "USD")),
    ("r", coefficient("recovery_share")),
    ("GDP", GDP), ("8760", YEAR_HOURS), ("hours", HOURS),
    ("w_time", data_input("time_weight", "1 without a start time; else the usual "
                                         "activity of those hours of the week")),
    ("s_digital", data_input("digital_share", "published where known, else imputed "
                                              "with its 90 % range")),
    ("a", AFFECTED_SHARE), ("p_scope", scope_term()), ("intensity", INTENSITY),
    ("v", data_input("circumvention", "by scope, from data/parameters.csv unless the "
                                      "scenario sets it")),
    ("m", coefficient("indirect_multiplier")),
)

METHOD = Method(
    name="impact",
    title="impact (this project)",
    citation="impact contributors (2026). impact: open estimates of the cost of internet "
             "shutdowns, docs/methods.md.",
    scopes=frozenset({"full", "mobile", "platforms", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    components=components,
    formula="(direct + indirect) × (1 − r); direct = GDP/8760 × hours × w_time × s_digital × a "
            "× p_scope × intensity × (1 − v); indirect = direct × m",
    scope_note="all scopes; platform blocks use the platform-dependence table and VPN "
               "circumvention",
    terms=TERMS,
    coefficients={"indirect_multiplier": INDIRECT_MULTIPLIER,
                  "recovery_share": RECOVERY_SHARE},
)
