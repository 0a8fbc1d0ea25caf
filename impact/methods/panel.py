"""Panel econometric method: loss = −β/100 × GDP × national-equivalent days (`panel_loss_usd`
over `equivalent_days`).

β is our two-way fixed-effects estimate of the change in annual GDP growth [percentage
points] per national-equivalent shutdown day (`impact.bundled.econometrics.fit_effect_model`), fitted
on the bundled event catalogue and World Bank indicators, 2016–2024, with standard errors
clustered by country. Full-network, mobile-only and throttling events use β_full; platform
blocks use β_service. Its uncertainty is a normal distribution (β̂, clustered SE), so draws
can be gains when the 90 % interval crosses zero — see docs/econometrics.md. β is fitted,
not published, so the formula has no coefficient default. The citation is
``METHOD.citation``; docs/methods.md describes the method for users.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from impact.bundled.econometrics import EffectFit, fit_effect_model, require_growth_data
from impact.methods.base import Draws, Method, common_inputs, mobile_input, scope_factor
from impact.methods.terms import AFFECTED_SHARE, GDP, HOURS, INTENSITY, data_input, fitted, words
from impact.model.context import Context
from impact.model.parameters import ParamSpec
from impact.vocab import DEFAULT_SEED


def panel_loss_usd(beta, gdp_usd, equiv_days):
    """Loss of GDP implied by the panel's growth coefficient.

    Parameters
    ----------
    beta : array_like
        Change in annual GDP growth per national-equivalent shutdown day [percentage points
        per day]; negative for a loss.
    gdp_usd : array_like
        GDP of the country [USD per year].
    equiv_days : array_like
        National-equivalent shutdown days [days] (`equivalent_days`).

    Returns
    -------
    loss_usd : numpy.ndarray or float
        GDP lost [USD]; negative values are gains (draws of β above zero).

    Notes
    -----
    .. math::

        L = -\\frac{\\beta}{100} \\cdot \\mathrm{GDP} \\cdot d_{eq}

    β is an association from a two-way fixed-effects regression of GDP growth on shutdown
    days (country and year effects, standard errors clustered by country), fitted at build
    time on the bundled catalogue and World Bank indicators (docs/econometrics.md); it is
    in the spirit of NetLoss, not NetLoss's own coefficient.

    References
    ----------
    .. [1] Internet Society Pulse (2023). NetLoss: the cost of internet shutdowns.
       https://pulse.internetsociety.org/netloss
    .. [2] Tagat, A., Phokeer, A., Kreitem, H. (2024). NetLoss: an econometric framework for
       the economic cost of internet shutdowns. Internet Society.

    Examples
    --------
    >>> float(panel_loss_usd(-0.01, 100e9, 5.0))
    50000000.0
    """
    return -np.asarray(beta) / 100.0 * gdp_usd * equiv_days


def equivalent_days(hours, affected_share, intensity, service=1.0):
    """National-equivalent shutdown days: the duration scaled to a nationwide blackout.

    Parameters
    ----------
    hours : array_like
        Duration [hours].
    affected_share : array_like
        Share of the country affected [0-1].
    intensity : array_like
        Share of service lost [0-1].
    service : array_like, default 1.0
        Share of activity the scope cuts [0-1]: the mobile share of access for a mobile-only
        cut, else 1 (the fit has no platform weights).

    Returns
    -------
    days : numpy.ndarray or float
        National-equivalent days [days].

    Notes
    -----
    .. math::

        d_{eq} = \\frac{h}{24} \\cdot a \\cdot i \\cdot p

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
        "our two-way FE OLS (impact.bundled.econometrics, statsmodels), SE clustered by country; "
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


#: the symbols of ``METHOD.formula``, in order, and how each is described
TERMS = (
    ("β", fitted("beta_full", "beta_service",
                 note="two-way fixed-effects fit of GDP growth on shutdown days "
                      "(docs/econometrics.md)")),
    ("100", words("Turns percentage points into a share")), ("GDP", GDP), ("hours", HOURS),
    ("24", words("Hours in a day", "hours")), ("affected share", AFFECTED_SHARE),
    ("intensity", INTENSITY),
    ("mobile share", data_input("mobile_share", "only for a mobile-only cut")),
)

METHOD = Method(
    name="panel",
    title="Panel econometrics (ours, NetLoss-style)",
    citation="Our two-way fixed-effects panel fit (docs/econometrics.md), inspired by "
             "Internet Society Pulse (2023), NetLoss, and Tagat, A., Phokeer, A., & Kreitem, "
             "H. (2024), NetLoss: an econometric framework for the economic cost of internet "
             "shutdowns. Internet Society.",
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
    terms=TERMS,
)


@dataclass(frozen=True)
class EventLoss:
    """Loss of one event from the panel coefficient [USD]; negative values are gains."""

    central: float
    ci90: tuple[float, float]
    p05: float
    p50: float
    p95: float
    share_negative: float
    draws: np.ndarray = field(repr=False)


def event_loss(gdp_usd: float, equiv_days: float, kind: str = "full",
               fit: EffectFit | None = None, draws: int = 10_000,
               seed: int = DEFAULT_SEED) -> EventLoss:
    """Per-event loss with a 90 % CI from the clustered SE and Monte Carlo P5/P50/P95 over
    β ~ Normal(β̂, se). Draws with β > 0 are gains (negative loss) and are kept."""
    fit = fit or fit_effect_model("gdp_growth_pct")
    b, se = fit.coef(kind)
    lo_b, hi_b = fit.ci90(kind)
    rng = np.random.default_rng(seed)
    sample = panel_loss_usd(rng.normal(b, se, draws), gdp_usd, equiv_days)
    q05, q50, q95 = np.quantile(sample, [0.05, 0.5, 0.95])
    ends = sorted([float(panel_loss_usd(lo_b, gdp_usd, equiv_days)),
                   float(panel_loss_usd(hi_b, gdp_usd, equiv_days))])
    return EventLoss(float(panel_loss_usd(b, gdp_usd, equiv_days)), (ends[0], ends[1]),
                     float(q05), float(q50), float(q95), float((sample < 0).mean()), sample)
