"""`cost_compatible` — reproduces the NetBlocks COST / Top10VPN family (docs/methods.md,
"cost_compatible") from open inputs, calibrated only on Top10VPN's 2019–2022 country-year
figures.

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
10 %/year (`BROOKINGS_ESCALATOR`); elsewhere our imputed digital share of the event year (COST
"produces digital economy extent estimations from updated ICT indicators"; its 20 %/year
CIPESA escalator applies to CIPESA's Annex 1 figures, which are not public, so it is not
reproduced). The rate fit's platform slope b4 is reported in the fit table, not used: a
slope fitted on the weights it then rescales prices single platforms far from the published
single-platform figures (docs/cost_compatible.md). Blackouts, mobile-only cuts and throttling
keep the fitted rate (with s = 0).

Platform blocks are costed for at most `PLATFORM_BLOCK_MAX_DAYS` (Top10VPN's convention). A throttling is
costed as intensity ÷ the severe-throttling threshold of a blackout, and as a blackout from the
threshold on, since Top10VPN counts severe throttling as a blackout (`throttling_share`). The
fitted rate's 90 % range is the regression's prediction interval, so it carries the scatter of
Top10VPN's own figures around the fit. Like COST, the method has no circumvention term: VPN
use is ignored and said so.

The conventions (`BROOKINGS_ESCALATOR`, `PLATFORM_BLOCK_MAX_DAYS`,
`SEVERE_THROTTLING_THRESHOLD`) are COST's and Top10VPN's; data/parameters.csv carries them
with their sources. The citation is ``METHOD.citation``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import polars as pl

from impact import format as fmt
from impact.bundled.fits import COST_COMPATIBLE_TERMS as FIT_TERMS
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
from impact.methods.terms import (
    AFFECTED_SHARE,
    GDP,
    HOURS,
    PARAMETERS_FILE,
    YEAR_HOURS,
    Describe,
    coefficient,
    data_input,
    first_sentence,
    parameter_label,
    table_value,
    value_text,
    words,
)
from impact.model.context import Context, bcg_2016_share
from impact.model.parameters import ParamSpec, param, platform_usage
from impact.vocab import PLATFORMS, Z95

#: base year of the BCG shares COST escalates
BROOKINGS_BASE_YEAR = 2016
#: COST's yearly escalator on the BCG 2016 internet-economy shares of the G20 [per year]
#: (NetBlocks COST changelog, 9 Nov 2021)
BROOKINGS_ESCALATOR = 0.1
#: Top10VPN's cap on the costed duration of a platform block [days]
PLATFORM_BLOCK_MAX_DAYS = 365
#: intensity from which Top10VPN counts a throttling as a blackout [0-1]
SEVERE_THROTTLING_THRESHOLD = 0.5

_REFERENCES = """
    References
    ----------
    .. [1] NetBlocks (2019–). COST: the NetBlocks Cost of Shutdown Tool.
       https://netblocks.org/cost/
    .. [2] Top10VPN (2019–2022). The Cost of Internet Shutdowns (annual reports).
       https://www.top10vpn.com/research/cost-of-internet-shutdowns/
    .. [3] West, D. M. (2016). Internet shutdowns cost countries $2.4 billion last year.
       Center for Technology Innovation, Brookings Institution.
       https://www.brookings.edu/research/internet-shutdowns-cost-countries-2-4-billion-last-year/
"""


def cost_compatible(gdp_usd, hours, rate, scope_factor=1.0):
    """Loss of GDP to a shutdown at a rate of hourly GDP, as COST and Top10VPN cost it.

    Parameters
    ----------
    gdp_usd : array_like
        GDP of the country [USD per year].
    hours : array_like
        Duration costed [hours] (at most `PLATFORM_BLOCK_MAX_DAYS` for a platform block).
    rate : array_like
        Share of hourly national GDP lost [0-1]: the rate fitted on Top10VPN's country-year
        figures (`predicted_rate`), or COST's Brookings branch (`brookings_rate`).
    scope_factor : array_like, default 1.0
        Share of the blackout's loss the restriction is costed as [0-1]: the mobile share
        of access, the platform weight, or `throttling_share`, times the intensity where it
        applies.

    Returns
    -------
    loss_usd : numpy.ndarray or float
        GDP lost [USD], broadcast over the inputs.

    Notes
    -----
    .. math::

        L = \\frac{\\mathrm{GDP}}{8760} \\cdot h \\cdot \\rho \\cdot p, \\qquad
        \\log \\rho = b_0 + b_1 \\log a + b_2 s + b_3 \\log \\mathrm{GDPpc}
        + b_4 s \\log(W / W_{ref})

    COST is closed source; the rate is fitted by ordinary least squares on the log of
    Top10VPN's implied rates (data/cost_compatible_fit.csv), so the coefficients are ours.
    {references}
    Examples
    --------
    >>> round(cost_compatible(8760e6, 24, 0.064))  # 6.4 % of a day's GDP
    1536000
    """
    return gdp_usd / 8760.0 * np.asarray(hours) * rate * scope_factor


def throttling_share(intensity, threshold=SEVERE_THROTTLING_THRESHOLD):
    """Share of a blackout's loss that a throttling of ``intensity`` is costed as.

    Parameters
    ----------
    intensity : array_like
        Share of service lost [0-1].
    threshold : array_like, default `SEVERE_THROTTLING_THRESHOLD`
        Severe-throttling threshold, the intensity from which a throttling counts as a
        blackout [0-1]; 0 makes any throttling a blackout.

    Returns
    -------
    share : numpy.ndarray
        Share of a blackout's loss [0-1]: intensity ÷ threshold, at most 1.

    Notes
    -----
    .. math::

        p = \\min(1, i / t)

    Two points are fixed: a throttling that takes nothing costs nothing, and Top10VPN counts
    severe throttling as a blackout. Between them the share rises linearly (our choice), so
    the loss is continuous and non-decreasing in intensity: 0 at 0, a blackout at the
    threshold and above, with no jump at the threshold (docs/methods.md,
    "cost_compatible").
    {references}
    Examples
    --------
    >>> throttling_share(np.array([0.0, 0.1, 0.25, 0.5, 0.7, 1.0])).tolist()
    [0.0, 0.2, 0.5, 1.0, 1.0, 1.0]
    >>> float(throttling_share(0.3, 0.0)), float(throttling_share(0.0, 0.0))
    (1.0, 0.0)
    """
    intensity, threshold = np.broadcast_arrays(np.asarray(intensity, dtype=float),
                                               np.asarray(threshold, dtype=float))
    ratio = np.divide(intensity, threshold, out=np.where(intensity > 0, 1.0, 0.0),
                      where=threshold > 0)
    return np.minimum(ratio, 1.0)


def brookings_rate(internet_share, years, affected_share=1.0, escalator=BROOKINGS_ESCALATOR):
    """COST's Brookings branch: the share of hourly GDP a platform block costs, before the
    platform weight.

    Parameters
    ----------
    internet_share : array_like
        Internet economy's share of GDP [0-1]: BCG's 2016 projection for the G20 countries,
        else our digital share of the event year.
    years : array_like
        Years of escalation [years]: event year − `BROOKINGS_BASE_YEAR` for a BCG share, 0
        for a share of the event year.
    affected_share : array_like, default 1.0
        Share of the country affected [0-1].
    escalator : array_like, default `BROOKINGS_ESCALATOR`
        Yearly growth applied to the BCG share [per year].

    Returns
    -------
    rate : numpy.ndarray or float
        Share of hourly national GDP lost [0-1] (not capped here).

    Notes
    -----
    .. math::

        \\rho = s_{internet} \\cdot (1 + e)^{y} \\cdot a
    {references}
    Examples
    --------
    >>> round(float(brookings_rate(0.05, 2, 0.5)), 6)  # 0.05 × 1.1² × 0.5
    0.03025
    """
    return internet_share * (1.0 + escalator) ** np.asarray(years) * affected_share


for _formula in (cost_compatible, throttling_share, brookings_rate):  # none under -OO
    if _formula.__doc__:
        _formula.__doc__ = _formula.__doc__.replace("{references}", _REFERENCES)


@functools.cache
def fit_coefficients() -> tuple[np.ndarray, np.ndarray, float, dict[str, float]]:
    """(coefficients, covariance, residual variance, statistics) from the bundled fit."""
    table = read_bundled("cost_compatible_fit")
    coef = dict(table.filter(pl.col("kind") == "coef").select("term", "value").rows())
    cov_rows = table.filter(pl.col("kind") == "cov")
    stats = dict(table.filter(pl.col("kind") == "stat").select("term", "value").rows())
    b = np.array([coef[t] for t in FIT_TERMS])
    cov = np.array([[cov_rows.filter((pl.col("term") == a) & (pl.col("term2") == c))["value"][0]
                     for c in FIT_TERMS] for a in FIT_TERMS])
    return b, cov, float(stats["resid_var"]), stats


def _central_weights(iso3: str | None) -> dict[str, float]:
    """Usage of every platform in ``iso3`` (the level cancels in W/W_ref)."""
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
    return (float(np.exp(mean)), float(np.exp(mean - Z95 * sd)),
            float(np.exp(mean + Z95 * sd)))


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
        rate = np.minimum(brookings_rate(p["internet_share"], p["escalation_years"],
                                         p["affected_share"], p["brookings_escalator"]), 1.0)
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


# ---- the "where" list of the formula ----------------------------------------------------------


def scope_term(method: str, specs) -> tuple[str, str, str]:
    """The scope factor: the intensity times the share the scope cuts, with Top10VPN's
    throttling convention (the threshold's note in `PARAMETERS_FILE`)."""
    threshold = param(method, "severe_throttling_threshold")
    platforms = ("W in the Brookings branch below and 1 in the fitted rate (which depends on "
                 "W) for a platform block")
    throttling = (f"for throttling, {first_sentence(threshold.notes)} (threshold "
                  f"{value_text(threshold.value, threshold.unit)}, {PARAMETERS_FILE})")
    parts = ["1 for a full shutdown",
             f"the {parameter_label('mobile_share').lower()} for a mobile-only cut",
             platforms, throttling]
    return (f"{parameter_label('intensity')} × the share of activity the scope cuts",
            "share 0-1", "; ".join(parts))


#: what each coefficient of the rate fit multiplies (`FIT_TERMS`, in order)
FIT_TERM_WORDS = ("the intercept", "log a", "s", "log GDP per head", "s·log(W/W_ref)")


def fit_term(i: int) -> Describe:
    """Coefficient ``b{i}`` of the fitted rate, with its value from the bundled fit."""
    def describe(method, specs):
        b, _, _, stats = fit_coefficients()
        what = "Intercept" if i == 0 else f"Coefficient of {FIT_TERM_WORDS[i]}"
        fit = (f"fitted {fmt.number(b[i])} on Top10VPN's country-year totals "
               f"(n = {fmt.count(stats['n'])}, data/cost_compatible_fit.csv)")
        return f"{what} in log(rate)", "", fit
    return describe


#: the symbols of ``METHOD.formula``, in order, and how each is described
TERMS = (
    ("GDP", GDP), ("8760", YEAR_HOURS),
    ("hours", HOURS),
    (f"{PLATFORM_BLOCK_MAX_DAYS} days", table_value("platform_block_max_days",
                                                    "Top10VPN's convention")),
    ("rate", data_input("rate", "the fitted rate below, with the fit's 90 % prediction "
                                "interval")),
    ("scope factor", scope_term),
    ("exp", words("Exponential function (exp(x) = e^x)")),
    ("log", words("Natural logarithm")),
    *((f"b{i}", fit_term(i)) for i in range(len(FIT_TERM_WORDS))),
    ("a", AFFECTED_SHARE),
    ("s", words("1 for a platform block, 0 otherwise")),
    ("GDP per head", data_input("gdp_per_capita_usd")),
    ("W", words("Combined weight L × (1 − Π(1 − u)) of the blocked platforms (u: share "
                "of the country's social-media activity on each platform, "
                "data/platform_weights.csv; L: fitted level, data/platform_level_fit.csv)",
                "share 0-1")),
    ("W_ref", words("W of the typical social-media block the fit is centred on: Facebook, "
                    "Instagram, WhatsApp and X", "share 0-1")),
    ("Top10VPN", words("The Cost of Internet Shutdowns reports (2019–2022), whose "
                       "country-year totals the rate is fitted on")),
    ("s_internet", data_input("internet_share", "BCG's 2016 internet-economy share for the "
                                                "G20 countries, else our digital share")),
    (fmt.number(1 + BROOKINGS_ESCALATOR), coefficient(
        "brookings_escalator",
        note=f"{fmt.number(1 + BROOKINGS_ESCALATOR)} is 1 + this growth")),
    ("year", words("Year of the event", "year")),
    (str(BROOKINGS_BASE_YEAR), words("Base year of the BCG shares")),
    ("G20", words("The escalator applies only to the G20 countries' BCG shares")),
)

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
    formula=f"GDP/8760 × hours (≤ {PLATFORM_BLOCK_MAX_DAYS} days for platform blocks) × rate "
            "× scope factor; rate = exp(b0 + b1·log a + b2·s + b3·log GDP per head + "
            "b4·s·log(W/W_ref)) fitted on Top10VPN; platform blocks: s_internet × "
            f"{fmt.number(1 + BROOKINGS_ESCALATOR)}^(year − {BROOKINGS_BASE_YEAR}) (G20) × a "
            "× W(platforms)",
    scope_note="platform blocks depend on the blocked platforms: COST's Brookings branch "
               "(internet-economy share × the platform table's weight: the platforms' usage "
               "in the country × the fitted level); mobile-only scaled by the "
               "mobile share of access; throttling as intensity ÷ the severe-throttling "
               "threshold of a blackout, and as a blackout from that threshold on (Top10VPN "
               "counts severe throttling as a blackout)",
    note=throttling_note,
    circumvention_note="no circumvention term (COST and Top10VPN publish none): VPN use "
                       "is ignored",
    terms=TERMS,
    coefficients={"brookings_escalator": BROOKINGS_ESCALATOR,
                  "platform_block_max_days": PLATFORM_BLOCK_MAX_DAYS,
                  "severe_throttling_threshold": SEVERE_THROTTLING_THRESHOLD},
)
