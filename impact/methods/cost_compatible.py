"""`cost_compatible` — reproduces the NetBlocks COST / Top10VPN family (methodology §2.5)
from open inputs, calibrated only on Top10VPN's 2019–2022 country-year figures.

    loss = GDP/8760 × hours_costed × rate × scope factor
    log(rate) = b0 + b1·log(affected share) + b2·s + b3·log(GDP per head) + b4·s·log(W/W_ref)

``s`` is 1 for a platform block (0 otherwise) and ``W`` the combined usage of the blocked
platforms (`impact.bundled.fits.log_platform_weight` over data/platform_weights.csv), relative to
``W_ref``, the usage of Facebook + Instagram + WhatsApp + X.

Platform blocks and the Brookings branch
----------------------------------------
Platform blocks are always costed, as COST "follows Brookings most closely", with COST's
Brookings branch and the one platform table every method reads (docs/platforms.md):

    loss = GDP/8760 × hours_costed × s_internet × (1 + e)^(year − 2016) × a × W × intensity

``W`` = min(1, L × (1 − Π(1 − u_i))): the blocked platforms' usage ``u_i`` in the country
(share of its social-media activity) and the level ``L`` fitted on Top10VPN's platform-block
country-years, drawn over its 90 % confidence interval. ``s_internet`` is BCG's 2016
internet-economy share for the G20 countries West (2016) used, escalated by COST's documented
10 %/year (``brookings_escalator``); elsewhere our imputed digital share of the event year (COST
"produces digital economy extent estimations from updated ICT indicators"; its 20 %/year
CIPESA escalator applies to CIPESA's Annex 1 figures, which are not public, so it is not
reproduced). The rate fit's platform slope b4 is reported in the fit table, not used: a
slope fitted on the weights it then rescales prices single platforms far from the published
single-platform figures (docs/cost_compatible.md). Blackouts, mobile-only cuts and throttling
keep the fitted rate (with s = 0).

Platform blocks are costed for at most 365 days (Top10VPN's convention). A throttling is
costed as intensity ÷ the severe-throttling threshold of a blackout, and as a blackout from the
threshold on, since Top10VPN counts severe throttling as a blackout (`throttling_share`). The
fitted rate's 90 % range is the regression's prediction interval, so it carries the scatter of
Top10VPN's own figures around the fit. Like COST, the method has no circumvention term: VPN
use is ignored and said so.

References
----------
NetBlocks COST (Cost of Shutdown Tool); Top10VPN, The Cost of Internet Shutdowns (2019–2022);
West, D. M. (2016), Brookings.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import polars as pl

from impact import format as fmt
from impact.bundled.fits import COST_COMPATIBLE_TERMS as TERMS
from impact.bundled.fits import log_platform_weight
from impact.bundled.indicators import lookup
from impact.bundled.io import read_bundled
from impact.methods.base import (
    Draws,
    Method,
    central_value,
    common_inputs,
    data_spec,
    digital_share_input,
    duration_input,
    mobile_input,
    platform_inputs,
    scope_factor,
)
from impact.model.context import Context, bcg_2016_share
from impact.model.parameters import ParamSpec, param, platform_usage

_Z95 = 1.6448536269514722
#: base year of the BCG shares COST escalates
BROOKINGS_BASE_YEAR = 2016


def cost_compatible(gdp_usd, hours, rate, scope_factor=1.0):
    """Loss [USD] = GDP/8760 [USD/h] × hours × rate [share of hourly GDP] × scope factor [0-1].

    Examples
    --------
    >>> round(cost_compatible(8760e6, 24, 0.064))  # 6.4 % of a day's GDP
    1536000
    """
    return gdp_usd / 8760.0 * np.asarray(hours) * rate * scope_factor


def throttling_share(intensity, threshold):
    """Share of a blackout's loss [0-1] that a throttling of ``intensity`` is costed as:
    intensity ÷ threshold, at most 1.

    Parameters
    ----------
    intensity : share of service lost [0-1]
    threshold : severe-throttling threshold, the intensity from which a throttling counts as
        a blackout [0-1] (``cost_compatible.severe_throttling_threshold``); 0 makes any
        throttling a blackout

    Notes
    -----
    The methodology fixes two points: a throttling that takes nothing costs nothing (§3,
    "intensity — 1 for a blackout; throttling is a fraction (severe throttling ≈ blackout)"),
    and Top10VPN counts "severe throttling ... as a blackout" (§2.5). Between them the share
    rises linearly, so the loss is continuous and non-decreasing in intensity: 0 at 0, a
    blackout at the threshold and above (Top10VPN's convention kept), with no jump at the
    threshold.

    Examples
    --------
    >>> throttling_share(np.array([0.0, 0.1, 0.25, 0.5, 0.7, 1.0]), 0.5).tolist()
    [0.0, 0.2, 0.5, 1.0, 1.0, 1.0]
    >>> float(throttling_share(0.3, 0.0)), float(throttling_share(0.0, 0.0))
    (1.0, 0.0)
    """
    intensity, threshold = np.broadcast_arrays(np.asarray(intensity, dtype=float),
                                               np.asarray(threshold, dtype=float))
    ratio = np.divide(intensity, threshold, out=np.where(intensity > 0, 1.0, 0.0),
                      where=threshold > 0)
    return np.minimum(ratio, 1.0)


def brookings_rate(internet_share, escalator, years, affected_share=1.0):
    """COST's Brookings branch: rate [share of hourly GDP] = s_internet × (1 + e)^years × a.

    Examples
    --------
    >>> round(float(brookings_rate(0.05, 0.1, 2, 0.5)), 6)  # 0.05 × 1.21 × 0.5
    0.03025
    """
    return internet_share * (1.0 + escalator) ** np.asarray(years) * affected_share


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


def _central_weights(iso3: str | None) -> dict[str, float]:
    """Usage of every platform in ``iso3`` (the level cancels in W/W_ref)."""
    from impact.vocab import PLATFORMS
    return {p: platform_usage(p, iso3)[0] for p in PLATFORMS}


def predicted_rate(affected_share: float, platforms: Sequence[str] | None,
                   gdp_per_capita: float, iso3: str | None = None
                   ) -> tuple[float, float, float]:
    """Median, P5 and P95 of the fitted rate [share of hourly national GDP]; ``platforms``
    None for a blackout, the blocked platform keys for a platform block (an empty sequence is
    taken as the reference social-media bundle, as in the fit)."""
    if affected_share <= 0:
        return 0.0, 0.0, 0.0
    b, cov, resid_var, _ = fit_coefficients()
    block = platforms is not None
    log_w = log_platform_weight(tuple(platforms), _central_weights(iso3)) if block else 0.0
    x = np.array([1.0, np.log(affected_share), float(block), np.log(gdp_per_capita),
                  float(block) * log_w])
    mean = float(x @ b)
    sd = float(np.sqrt(x @ cov @ x + resid_var))
    return (float(np.exp(mean)), float(np.exp(mean - _Z95 * sd)),
            float(np.exp(mean + _Z95 * sd)))


def _fallback_note(stats: dict[str, float]) -> str:
    return (f"platform block costed with COST's Brookings branch and the platform table "
            f"(usage × fitted level, with its interval); the rate fit's platform slope b4 "
            f"(t = {stats['platform_term_t']:.2f}, {stats['n_platform_only']:.0f} "
            "platform-only country-years) is reported, not used (docs/cost_compatible.md)")


def _brookings_inputs(ctx: Context, stats: dict[str, float]) -> list[ParamSpec]:
    """Internet-economy share, its escalation and the platform weights (platform blocks when
    the platform term is not identified)."""
    bcg = bcg_2016_share(ctx.iso3)
    why = _fallback_note(stats)
    if bcg is not None:
        specs = [ParamSpec("internet_share", bcg, bcg * 0.8, bcg * 1.25, "share 0-1 of GDP",
                           "lognormal", "BCG (2012), The Internet Economy in the G-20: 2016 "
                           "projection, as used by West (2016) and COST",
                           f"{why}; range ×0.8–×1.25 is our assumed measurement range")]
        years = max(0, ctx.year - BROOKINGS_BASE_YEAR)
        detail = f"{ctx.year} − {BROOKINGS_BASE_YEAR}: COST's escalator on the BCG share"
    else:
        specs = [digital_share_input(ctx, "internet_share", f"{why}; no BCG share: "
                                     "digital share of the event year, not escalated")]
        years, detail = 0, "no escalator on a share estimated for the event year"
    specs.append(param("cost_compatible", "brookings_escalator"))
    specs.append(data_spec("escalation_years", years, "years", "scenario year", detail))
    return specs + platform_inputs(ctx)


def _inputs(ctx: Context) -> list[ParamSpec]:
    specs = [s for s in common_inputs(ctx) if s.name != "duration_hours"]
    cap_days = param("cost_compatible", "platform_block_max_days").value
    cap, note = None, ""
    if ctx.scope == "platforms" and ctx.hours_range[1] > cap_days * 24:
        cap, note = cap_days * 24, f"platform block costed for at most {cap_days:g} days (COST cap)"
    specs.append(duration_input(ctx, cap, note))
    stats = fit_coefficients()[3]
    if ctx.scope == "platforms":  # always the Brookings branch (docs/cost_compatible.md)
        return specs + _brookings_inputs(ctx, stats)
    gdp_pc = lookup(ctx.iso3, "gdp_per_capita_usd", ctx.year)
    specs.append(data_spec("gdp_per_capita_usd", gdp_pc.value, "USD per person",
                           f"World Bank {gdp_pc.source} {gdp_pc.year_used}", gdp_pc.note or ""))
    platforms = ctx.platforms if ctx.scope == "platforms" else None
    median, lo, hi = predicted_rate(ctx.affected_share, platforms, gdp_pc.value, ctx.iso3)
    specs.append(ParamSpec(
        "rate", median, lo, hi, "share of hourly national GDP", "lognormal" if hi > lo else "fixed",
        "OLS fit on Top10VPN 2019–2022 country-year costs (data/cost_compatible_fit.csv; "
        "scripts/calibrate_cost_compatible.py)",
        f"90 % prediction interval; fit n={stats['n']:.0f}, R²={stats['r2']:.2f}, "
        f"{fmt.percent(stats['within_2x_loo'])} of country-years within ×2 out of sample"
        + (f"; platform term for {'+'.join(ctx.platforms)}" if platforms is not None else "")))
    if ctx.scope == "mobile":
        specs.append(mobile_input(ctx))
    if ctx.scope == "throttling":
        specs.append(param("cost_compatible", "severe_throttling_threshold"))
    return specs


def throttling_note(ctx: Context, specs: Sequence[ParamSpec]) -> str:
    """How a throttling is costed (`throttling_share`), in words for the scenario's notes;
    ``""`` for other scopes and for a throttling that takes nothing or everything."""
    if ctx.scope != "throttling":
        return ""
    value = {s.name: s.value for s in specs}
    intensity, threshold = value["intensity"], value["severe_throttling_threshold"]
    if not 0 < intensity < 1:
        return ""
    share = float(throttling_share(intensity, threshold))
    said = f"throttling at {fmt.percent(intensity)} of service lost"
    if share >= 1.0:
        return (f"{said} costed as a blackout (Top10VPN counts a throttling of "
                f"{fmt.percent(threshold)} of service lost or more as a blackout)")
    return (f"{said} costed as {fmt.percent(share)} of a blackout ({fmt.percent(intensity)} "
            f"÷ {fmt.percent(threshold)}, the severity from which Top10VPN counts a "
            "throttling as a blackout)")


def _loss(ctx: Context, p: Draws) -> np.ndarray:
    if ctx.scope == "platforms" and "internet_share" in p:  # the Brookings branch
        rate = np.minimum(brookings_rate(p["internet_share"], p["brookings_escalator"],
                                         p["escalation_years"], p["affected_share"]), 1.0)
        return cost_compatible(p["gdp_usd"], p["duration_hours"], rate,
                               scope_factor(ctx, p) * p["intensity"])
    if ctx.scope == "throttling":
        factor = throttling_share(p["intensity"], p["severe_throttling_threshold"])
    else:  # a fitted platform rate already depends on the platforms
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
             "© Top10VPN, used for calibration only); method after NetBlocks COST and its "
             "Brookings branch (West 2016).",
    scopes=frozenset({"full", "mobile", "platforms", "throttling"}),
    inputs=_inputs,
    loss_usd=_loss,
    platform_cap_param="cost_compatible.platform_block_max_days",
    formula="GDP/8760 × hours (≤ 365 days for platform blocks) × rate × scope factor; "
            "rate = exp(b0 + b1·log a + b2·s + b3·log GDP per head + b4·s·log(W/W_ref)) "
            "fitted on Top10VPN; platform blocks: s_internet × 1.1^(year − 2016) (G20) × a × "
            "W(platforms)",
    scope_note="platform blocks depend on the blocked platforms: COST's Brookings branch "
               "(internet-economy share × the platform table's weight: the platforms' usage "
               "in the country × the fitted level); mobile-only scaled by the "
               "mobile share of access; throttling as intensity ÷ the severe-throttling "
               "threshold of a blackout, and as a blackout from that threshold on (Top10VPN "
               "counts severe throttling as a blackout)",
    note=throttling_note,
    circumvention_note="no circumvention term (COST and Top10VPN publish none): VPN use "
                       "is ignored",
)
