"""The project's vocabulary: scopes, platforms, units and the column names of every result.

The scenario model, the CLI flags, the batch layout and every export take their names from
here, so a word means one thing everywhere.

Glossary
--------
scope : what was cut — ``full`` (every network), ``mobile`` (mobile data only),
    ``platforms`` (named platforms blocked), ``throttling`` (service slowed, not cut)
platforms : the costed platforms (`PLATFORMS`); ``twitter`` is accepted for ``x``
``*_usd`` : US dollars at current prices of the event year
``loss_*`` without ``_usd`` : the output currency and price basis of the scenario
``share_*`` : a share in [0, 1]
``*_hours`` / ``*_days`` : durations [hours] / [days]
``p05``, ``p50``, ``p95`` : 5th, 50th and 95th percentiles of the Monte Carlo draws
"""

from __future__ import annotations

from typing import Literal

import polars as pl

#: the default random seed: any fixed integer would do (the date of Pakistan's 2024 election-day
#: shutdown)
DEFAULT_SEED = 20240208
Z95 = 1.6448536269514722  # standard normal quantile at 0.95 (ends of a 90 % interval)
Z99 = 2.3263478740408408  # standard normal quantile at 0.99
HOURS_PER_YEAR = 8760.0  # [hours], the convention of every method (365 days)
HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0

SCOPES = ("full", "mobile", "platforms", "throttling")
SCOPE_LABELS = {
    "full": "full shutdown (every network)",
    "mobile": "mobile-data shutdown",
    "platforms": "platform block",
    "throttling": "throttling",
}
#: scopes as the short titles of legends and event types, in legend order
SCOPE_TITLES = {"full": "Full internet", "mobile": "Mobile data", "throttling": "Throttling",
                "platforms": "Platforms"}
#: scopes as the noun of a sentence ("a 10-hour nationwide ... in Pakistan")
SCOPE_NOUNS = {"full": "internet shutdown", "mobile": "mobile-data shutdown",
               "throttling": "throttling", "platforms": "block"}
#: scopes in words with their article (a platform block names its platforms instead)
SCOPE_WORDS = {"full": "a full internet shutdown", "mobile": "a mobile-data shutdown",
               "throttling": "throttling of internet service"}
#: scopes in the plural, as in "costs ... only"
SCOPE_PLURALS = {"full": "whole-internet shutdowns", "mobile": "mobile-data shutdowns",
                 "throttling": "throttling", "platforms": "platform blocks"}


def scopes_words(scopes) -> str:
    """The scopes a method costs, in words, in the order of `SCOPE_TITLES`.

    >>> scopes_words({"throttling", "full"})
    'whole-internet shutdowns and throttling'
    """
    names = [SCOPE_PLURALS[s] for s in SCOPE_TITLES if s in scopes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def not_costed_words(title: str, scope: str, scopes) -> str:
    """Why a method has no figure for a scenario's scope, in words.

    >>> not_costed_words("Deloitte for GNI (2016)", "platforms", {"full", "mobile", "throttling"})
    'Deloitte for GNI (2016) has no figure for platform blocks: it costs whole-internet \
shutdowns, mobile-data shutdowns and throttling only'
    """
    return (f"{title} has no figure for {SCOPE_PLURALS.get(scope, scope)}: it costs "
            f"{scopes_words(scopes)} only")


#: the distributions a parameter may have (`impact.model.distributions`)
DISTRIBUTIONS = ("fixed", "triangular", "uniform", "lognormal", "normal", "lognormal_capped")
#: the columns of a parameter table (``data/parameters.csv`` or a user's own)
PARAMETER_COLUMNS = ("method", "parameter", "value", "low", "high", "unit", "distribution",
                     "source", "notes")
PLATFORMS = ("x", "facebook", "instagram", "whatsapp", "youtube", "tiktok", "telegram", "signal")
PLATFORM_LABELS = {"x": "X (Twitter)", "facebook": "Facebook", "instagram": "Instagram",
                   "whatsapp": "WhatsApp", "youtube": "YouTube", "tiktok": "TikTok",
                   "telegram": "Telegram", "signal": "Signal"}
PLATFORM_ALIASES = {"twitter": "x", "x/twitter": "x", "fb": "facebook", "ig": "instagram",
                    "wa": "whatsapp", "yt": "youtube"}
Scope = Literal["full", "mobile", "platforms", "throttling"]
Platform = Literal["x", "facebook", "instagram", "whatsapp", "youtube", "tiktok", "telegram",
                   "signal"]
STATUSES = ("ok", "not_applicable", "unavailable")

#: every field of a scenario, in the order flags, batch columns and exports list them; the
#: CLI's flags, the batch columns and the reproducing command are derived from it (a test
#: checks it matches `impact.model.scenario.Scenario`)
SCENARIO_FIELDS = ("country", "start", "end", "duration_hours", "duration_hours_low",
                   "duration_hours_high", "year", "scope", "platforms",
                   "affected_share", "affected_share_low", "affected_share_high",
                   "affected_users", "regions", "intensity", "circumvention", "recovery",
                   "currency", "price_basis", "price_year", "connectivity_tier",
                   "time_weighting", "label")
#: fields given as a value (``time_weighting`` is a switch: ``--no-time-weighting``)
VALUE_FIELDS = tuple(f for f in SCENARIO_FIELDS if f != "time_weighting")

#: one row per method (and per scenario in a pass) — the core's result columns
SUMMARY_COLUMNS = [
    "method", "title", "status", "reason", "iso3", "country", "year", "scope",
    "duration_hours", "loss_usd_central", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
    "loss_usd_mean", "loss_usd_per_day_p05", "loss_usd_per_day_p50", "loss_usd_per_day_p95",
    "share_of_gdp_p05", "share_of_gdp_p50", "share_of_gdp_p95", "loss_usd_per_capita_p50",
    "loss_usd_per_affected_user_p50", "capped_share", "main_driver", "currency",
    "price_basis", "price_year", "loss_p05", "loss_p50", "loss_p95", "loss_per_day_p05",
    "loss_per_day_p50", "loss_per_day_p95", "loss_per_capita_p50", "draws", "seed",
]
INT_SUMMARY_COLUMNS = frozenset({"year", "price_year", "draws", "seed"})
FLOAT_SUMMARY_COLUMNS = frozenset(
    c for c in SUMMARY_COLUMNS if c.startswith(("loss", "share", "capped"))) | {"duration_hours"}
TEXT_SUMMARY_COLUMNS = frozenset(
    c for c in SUMMARY_COLUMNS if c not in INT_SUMMARY_COLUMNS | FLOAT_SUMMARY_COLUMNS)

#: every input of every method, one row each
ASSUMPTION_SCHEMA = {
    "index": pl.Int64, "method": pl.String, "parameter": pl.String, "value": pl.Float64,
    "low": pl.Float64, "high": pl.Float64, "unit": pl.String, "distribution": pl.String,
    "source": pl.String, "notes": pl.String}
#: which input moves each method's loss most (one-at-a-time, P5 and P95)
SENSITIVITY_SCHEMA = {
    "index": pl.Int64, "method": pl.String, "parameter": pl.String,
    "loss_usd_at_p05": pl.Float64, "loss_usd_at_p95": pl.Float64, "swing_usd": pl.Float64,
    "rank": pl.Int64}


def summary_schema() -> dict[str, pl.DataType]:
    """Fixed dtypes of the summary columns."""
    return {c: (pl.Float64 if c in FLOAT_SUMMARY_COLUMNS else pl.Int64
                if c in INT_SUMMARY_COLUMNS else pl.String) for c in SUMMARY_COLUMNS}


#: how the totals of several events are summed (the CLI help, events summaries)
SUMMED_RANGE_NOTE = ("P5/P95 totals are sums of the events' own P5/P95, not quantiles of the sum; "
                "--aggregate keeps the Monte Carlo draws and gives P5/P95 of the summed draws "
                "(the events of a country share their random numbers)")


#: method inputs in words, for charts and tables people read (`parameter_label`)
PARAMETER_LABELS = {
    "affected_share": "Share of internet users affected",
    "beta_full": "Growth effect of a shutdown day (panel fit)",
    "beta_service": "Growth effect of a platform-block day (panel fit)",
    "brookings_escalator": "Yearly growth of the internet economy (COST)",
    "platform_level": "Level of platform dependence (fitted)",
    "circumvention": "Share of activity continuing via VPN",
    "connectivity_tier_high": "High-connectivity country",
    "connectivity_tier_medium": "Medium-connectivity country",
    "digital_share": "Digital-economy share of GDP",
    "duration_hours": "Duration",
    "elasticity": "Output elasticity of internet traffic",
    "escalation_years": "Years of growth since the base year",
    "gdp_per_capita_usd": "GDP per person",
    "gdp_prev_usd": "GDP of the previous year",
    "gdp_usd": "GDP",
    "indirect_multiplier": "Spillover to the wider economy",
    "intensity": "Share of service lost",
    "internet_share": "Internet-economy share of GDP",
    "loss_share_per_day": "Share of daily GDP lost per day",
    "mobile_share": "Mobile share of internet access",
    "rate": "Share of hourly GDP lost (COST rate)",
    "recovery_share": "Share of lost activity made up later",
    "severe_throttling_threshold": "Intensity counted as a shutdown",
    "time_weight": "Activity in these hours vs an average hour",
    # the rows of data/parameters.csv, as the Methods & assumptions page shows them
    "circumvention_full": "Activity continuing via VPN in a full shutdown",
    "circumvention_mobile": "Activity continuing via VPN in a mobile-data shutdown",
    "circumvention_platforms": "Activity continuing via VPN in a platform block",
    "circumvention_throttling": "Activity continuing via VPN under throttling",
    "internet_share_default_source": "Use BCG's internet-economy shares where published",
    "loss_share_high": "Share of daily GDP lost per day, high-connectivity country",
    "loss_share_medium": "Share of daily GDP lost per day, medium-connectivity country",
    "loss_share_low": "Share of daily GDP lost per day, low-connectivity country",
    "tier_high_min_internet_pct": "Internet users needed for high connectivity",
    "tier_high_min_fixed_bb": "Fixed broadband needed for high connectivity",
    "tier_low_max_internet_pct": "Internet users below which connectivity is low",
    "elasticity_total": "Output elasticity of internet traffic, all access",
    "elasticity_mobile": "Output elasticity of internet traffic, mobile access",
    "platform_block_max_days": "Longest platform block costed",
}


def parameter_label(name: str) -> str:
    """A method input in words (`PARAMETER_LABELS`; a platform's weight or usage names the
    platform; any other name is written out in words).

    >>> parameter_label("digital_share"), parameter_label("platform_weight_x")
    ('Digital-economy share of GDP', 'Share of digital activity on X (Twitter)')
    >>> parameter_label("some_new_input")
    'Some new input'
    """
    if name in PARAMETER_LABELS:
        return PARAMETER_LABELS[name]
    if name.startswith("platform_weight_"):
        platform = name.removeprefix("platform_weight_")
        return f"Share of digital activity on {PLATFORM_LABELS.get(platform, platform)}"
    if name.startswith("platform_usage_"):
        platform = name.removeprefix("platform_usage_")
        return f"Share of social-media activity on {PLATFORM_LABELS.get(platform, platform)}"
    return name.replace("_", " ").strip().capitalize()
