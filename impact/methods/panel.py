"""Panel econometric method: loss = −β/100 × GDP × national-equivalent days.

β is our two-way fixed-effects estimate of the change in annual GDP growth [percentage
points] per national-equivalent shutdown day (`impact.econometrics.fit_effect_model`), fitted
on the bundled event catalogue and World Bank indicators, 2016–2024, with standard errors
clustered by country. Full-network, mobile-only and throttling events use β_full; platform
blocks use β_service. Its uncertainty is a normal distribution (β̂, clustered SE), so draws
can be gains when the 90 % interval crosses zero — see docs/econometrics.md.

References
----------
Internet Society Pulse (2023). NetLoss: the cost of internet shutdowns.
Tagat, A., Phokeer, A., & Kreitem, H. (2024). NetLoss: an econometric framework for the
economic cost of internet shutdowns. Internet Society.
"""

from __future__ import annotations

import numpy as np

from impact.econometrics import fit_effect_model, panel_loss_usd, require_growth_data
from impact.methods.base import Draws, Method, common_inputs, mobile_input, scope_factor
from impact.model.context import Context
from impact.model.parameters import ParamSpec


def equivalent_days(hours, affected_share, intensity, service=1.0):
    """National-equivalent days = hours/24 × affected share [0-1] × intensity [0-1] × service
    factor (the mobile share of access for mobile-only cuts, else 1).

    Examples
    --------
    >>> float(equivalent_days(48, 0.5, 1.0))
    1.0
    """
    return np.asarray(hours) / 24.0 * affected_share * intensity * service


def effect_kind(scope: str) -> str:
    """The coefficient a scope uses: ``service`` for platform blocks, else ``full``."""
    return "service" if scope == "platforms" else "full"


def central_equivalent_days(ctx: Context, values=None) -> float:
    """National-equivalent days of a scenario at its central inputs: `equivalent_days` with
    the scope factor of `_loss` (``values``: input name -> central value replacing the
    context's, e.g. an estimate's overrides)."""
    values = values or {}
    central = {"duration_hours": ctx.hours, "affected_share": ctx.affected_share,
               "intensity": ctx.intensity, "mobile_share": ctx.mobile_share}
    central.update({k: v for k, v in values.items() if k in central})
    service = scope_factor(ctx, central, platform_weights=False)
    return float(equivalent_days(central["duration_hours"], central["affected_share"],
                                 central["intensity"], service))


def beta_input(ctx: Context) -> ParamSpec:
    """β_full or β_service from the cached fit, as a normal ParamSpec (mean ± 1.645 SE)."""
    fit = fit_effect_model("gdp_growth_pct")
    require_growth_data(ctx.iso3, fit)
    kind = effect_kind(ctx.scope)
    b, se = fit.coef(kind)
    lo, hi = fit.ci90(kind)
    what = "platform-block" if kind == "service" else "full-network (incl. mobile, throttling)"
    return ParamSpec(
        f"beta_{kind}", b, lo, hi, "pp of annual GDP growth per national-equivalent day",
        "normal",
        "our two-way FE OLS (impact.econometrics, statsmodels), SE clustered by country; "
        "inspired by NetLoss (Internet Society Pulse 2023; Tagat, Phokeer, Kreitem 2024)",
        f"{what} days; clustered SE {se:.2g}; n = {fit.n_obs} country-years, "
        f"{fit.n_clusters} countries, {fit.years[0]}–{fit.years[1]}; associational, not "
        "causal; draws with β > 0 are gains")


def _inputs(ctx: Context) -> list[ParamSpec]:
    specs = common_inputs(ctx) + [beta_input(ctx)]
    if ctx.scope == "mobile":
        specs.append(mobile_input(ctx))
    return specs


def _loss(ctx: Context, p: Draws) -> np.ndarray:
    service = scope_factor(ctx, p, platform_weights=False)
    beta = p[f"beta_{effect_kind(ctx.scope)}"]
    days = equivalent_days(p["duration_hours"], p["affected_share"], p["intensity"], service)
    return panel_loss_usd(beta, p["gdp_usd"], days)


METHOD = Method(
    name="panel",
    title="Panel econometrics (ours, NetLoss-style)",
    citation="Our two-way fixed-effects panel fit (impact.econometrics; docs/econometrics.md), "
             "inspired by Internet Society Pulse (2023), NetLoss, and Tagat, A., Phokeer, A., & "
             "Kreitem, H. (2024), NetLoss: an econometric framework for the economic cost of "
             "internet shutdowns. Internet Society.",
    scopes=frozenset({"full", "mobile", "platforms", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    formula="−β/100 × GDP × hours/24 × affected share × intensity (× mobile share)",
    scope_note="β_full for full, mobile-only and throttling cuts (the fit weights mobile-only "
               "and throttling days like full blackouts; at estimation time we scale mobile-only "
               "cuts by the mobile share of access and throttling by intensity — our choice); "
               "β_service for platform blocks, without platform weights. β is associational "
               "and its interval crosses zero, so draws can be gains",
    domain_scopes=frozenset({"full", "mobile", "throttling"}),
    domain_scopes_note="platform-blind: β_service is one coefficient for every platform block, "
                       "so a block of X costs the same as a block of WhatsApp, Facebook and "
                       "Instagram together (no platform weights)",
    difference_note="β is the average change in annual GDP growth per national-equivalent day "
                    "across the panel's country-years, read as an association; it is not a "
                    "share of the digital economy",
    circumvention_note="β is estimated on observed growth, which already reflects the "
                       "circumvention of past shutdowns; the scenario's own VPN use is "
                       "ignored",
)
