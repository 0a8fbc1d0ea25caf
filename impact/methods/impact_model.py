"""`impact` — our model (methodology §3): direct, indirect and recovered components with
hour-of-day weighting and explicit uncertainty on every coefficient.

    direct   = GDP/8760 × hours × w_time × s_digital × a × p_scope × intensity × (1 − v)
    indirect = direct × m
    loss     = (direct + indirect) × (1 − r)
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
from impact.model.context import Context
from impact.model.parameters import ParamSpec, param


def impact_components(gdp_usd, hours, digital_share, affected_share, scope_factor, intensity,
                      circumvention, indirect_multiplier, recovery_share, time_weight=1.0):
    """Direct, indirect and recovered loss [USD] (arrays broadcast over draws).

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
               circumvention, indirect_multiplier, recovery_share, time_weight=1.0):
    """Net loss [USD] = (direct + indirect) × (1 − recovery share)."""
    d, i, r = impact_components(gdp_usd, hours, digital_share, affected_share, scope_factor,
                                intensity, circumvention, indirect_multiplier, recovery_share,
                                time_weight)
    return d + i - r


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


METHOD = Method(
    name="impact",
    title="impact (this project)",
    citation="impact contributors (2026). impact: open estimates of the cost of internet "
             "shutdowns, methodology §3.",
    scopes=frozenset({"full", "mobile", "platforms", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    components=components,
    formula="(direct + indirect) × (1 − r); direct = GDP/8760 × hours × w_time × s_digital × a "
            "× p_scope × intensity × (1 − v); indirect = direct × m",
    scope_note="all scopes; platform blocks use the platform-dependence table and VPN "
               "circumvention",
)
