"""The Estimate page's first screen in plain words: where the data come from (publishers and
years, not indicator codes), who is in the headline and why the others are not (no repository
paths, no status codes), and how the figure is made, with this scenario's own numbers.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import re
from typing import Any

from impact import format as fmt
from impact import vocab
from impact.estimation.ensemble import BESIDE, RULE_WORDS, role
from impact.methods import OWN_METHOD, REGISTRY

#: a repository path in parentheses, or alone ("(data/parameters.csv)", "docs/headline.md")
_PATH = re.compile(r"\s*\((?:data|docs)/[^)\s]*(?: \([^)]*\))?\)|\s*\b(?:data|docs)/[\w./-]*[\w/]")


def without_paths(text: str) -> str:
    """``text`` without repository paths (a web reader cannot open them).

    >>> without_paths("a fixed share per tier (data/parameters.csv), from Deloitte")
    'a fixed share per tier, from Deloitte'
    >>> without_paths("the rule is in docs/headline.md.")
    'the rule is in.'
    """
    return _PATH.sub("", text)


def source_name(source: str) -> str:
    """The publisher of a bundled indicator in words (``WDI NY.GDP.MKTP.CD`` -> ``World
    Bank``; internet users are ITU figures published by the World Bank).

    >>> source_name("WDI NY.GDP.MKTP.CD"), source_name("WDI IT.NET.USER.ZS (2024-11 vintage)")
    ('World Bank', 'ITU via World Bank, November 2024 release')
    """
    if "IT.NET.USER" in source:
        return "ITU via World Bank" + (", November 2024 release" if "2024-11" in source else "")
    if source.startswith("WDI"):
        return "World Bank"
    if source.startswith("ITU"):
        return "ITU"
    return source


def data_words(ctx: Any) -> str:
    """The data behind the scenario, in words: GDP, population, internet users (publisher,
    year) and the time-of-day weighting.

    ``ctx`` is an `impact.model.context.Context`."""
    from impact.bundled.indicators import internet_users_pct  # start-up: bundled tables

    pct = internet_users_pct(ctx.iso3, ctx.year)
    if ctx.hour_weight != 1.0 or ctx.hour_weight_detail.startswith("hour-of-day"):
        weight = (f"hours weighted by time of day and weekday (×{fmt.number(ctx.hour_weight)} "
                  "of an average hour)")
    else:
        weight = without_paths(ctx.hour_weight_detail).replace("no time weighting",
                                                              "hours not weighted by time of day")
    return (f"GDP {fmt.money(ctx.gdp.value)} ({source_name(ctx.gdp.source)}, "
            f"{ctx.gdp.year_used}) · population {fmt.count(ctx.population.value)} "
            f"({source_name(ctx.population.source)}, {ctx.population.year_used}) · internet "
            f"users {fmt.count(ctx.users.value)}, {fmt.percent(pct.value / 100)} of the "
            f"population ({source_name(pct.source)}, {pct.year_used}) · {weight}")


def not_costed_words(method: str, scope: str, subject: str | None = None) -> str:
    """Why a method has no figure for the scenario's scope, in words (``subject``: what to
    call the method, default its title).

    >>> not_costed_words("deloitte2016", "platforms")
    'Deloitte for GNI (2016) has no figure for platform blocks: it costs whole-internet \
shutdowns, mobile-data shutdowns and throttling only'
    """
    m = REGISTRY[method]
    return vocab.not_costed_words(subject or m.title, scope, m.scopes)


def reason_words(method: str, status: str, reason: str | None, scope: str) -> str:
    """A method's note for a reader: why it has no figure (no status code, no path), or its
    own note without paths."""
    if status == "not_applicable" and method in REGISTRY:
        return not_costed_words(method, scope)
    if status == "unavailable":
        return "no figure: " + without_paths(reason or "its data are missing")
    return without_paths(reason or "")


def excluded_words(method: str, why: str, scope: str) -> str:
    """Why a method is not in the headline, in words (`impact.estimation.ensemble` reasons
    without status codes or paths), to follow the method's name."""
    if " has no figure for " in why and method in REGISTRY:
        return not_costed_words(method, scope, subject="which")
    return without_paths(why)


def role_words(ens: Any, method: str, scope: str) -> str:
    """A method's part in the headline in a few words: ``in the headline``, ``beside the
    headline: 3.5× below the others``, ``not in the headline: no figure for platform
    blocks``."""
    return role(ens, method)


def members_words(ens: Any, scope: str, title=None) -> str:
    """Who is in the headline and how it is combined, who is not and why, and the rule, in
    words (``ens``: an `impact.estimation.ensemble.Ensemble`)."""
    title = title or (lambda m: REGISTRY[m].title if m in REGISTRY else m)
    inside = "; ".join(title(m) for m in ens.members) or "no method"
    left = " ".join(f"Not in it: {title(m)}, "
                    + ("shown beside it (above)" if m in ens.beside
                       else excluded_words(m, why, scope)) + "."
                    for m, why in ens.excluded.items())
    return (f"Headline: {inside}, combined quantile by quantile (the geometric means of their "
            "P5s, P50s and P95s, equal weights). " + (f"{left} " if left else "") + RULE_WORDS)


def range_words(est: Any, ens: Any) -> str:
    """Why the headline's range is as wide as it is (its P95/P5 and each member's own), in
    words; ``""`` without a range."""
    if not ens.members or not ens.loss_usd_p05:
        return ""
    own = "; ".join(
        f"{REGISTRY[m].title} ×{fmt.number(est.row(m)['loss_usd_p95'] / est.row(m)['loss_usd_p05'])}"
        for m in ens.members)
    return (f"Why the range is this wide: its P95 is {fmt.number(ens.loss_usd_p95 / ens.loss_usd_p05)}"
            f"× its P5, the average of the methods' own ranges ({own}); a method fitted to "
            "published figures carries their scatter.")


def beside_words(est: Any, ens: Any) -> str:
    """The methods shown beside the headline, each with its figure and why, without paths."""
    if not ens.beside:
        return ""
    k, cur = ens.factor, ens.currency
    parts = [f"{REGISTRY[m].title}: {fmt.money(est.row(m)['loss_usd_p50'] * k, cur)} "
             f"({without_paths(ens.excluded[m].removeprefix(BESIDE))})" for m in ens.beside]
    return "Beside the headline, not in it: " + "; ".join(parts) + "."


# ---- how the figure is made -------------------------------------------------------------------
def _central(est: Any, method: str) -> dict[str, float]:
    """``{parameter: central value}`` of one method's inputs."""
    frame = est.assumptions
    rows = frame.filter(frame["method"] == method).select("parameter", "value").iter_rows()
    return {p: float(v) for p, v in rows if v is not None}


def how_made(est: Any, ens: Any) -> str:
    """How the headline figure is made, in plain words with this scenario's numbers: a day
    of the country's output, then our own model's chain (hours × users affected × the
    digital economy's share, spillover and recovery) at central values, then how the
    methods are combined. Every number comes from ``est`` (an `impact.Estimate`)."""
    ctx, k, cur = est.context, ens.factor, ens.currency
    day = ctx.gdp.value / 365.0
    days = ctx.hours / 24.0
    text = (f"How this figure is made: a day of {ctx.country}'s output is "
            f"{fmt.money(day * k, cur)} (GDP {fmt.money(ctx.gdp.value * k, cur)} ÷ 365). ")
    parts = est.components.get(OWN_METHOD)
    inputs = _central(est, OWN_METHOD)
    if parts and {"digital_share", "affected_share"} <= set(inputs):
        text += _impact_chain(ctx, day, days, parts, inputs, k, cur) + " "
    if ens.members and ens.loss_usd_p50:
        names = ", ".join(REGISTRY[m].title for m in ens.members)
        draws = est.summary["draws"].drop_nulls()
        text += (f"The headline, {fmt.money(ens.loss_usd_p50 * k, cur)}, is the geometric "
                 f"mean of the middle figures (P50s) of the {len(ens.members)} method"
                 f"{'s' if len(ens.members) > 1 else ''} that apply ({names})"
                 + (f"; each method is run {int(draws[0]):,} times over its uncertain inputs"
                    if draws.len() else "") + ".")
    return text.strip()


def _impact_chain(ctx: Any, day: float, days: float, parts: dict[str, float],
                  inputs: dict[str, float], k: float, cur: str) -> str:
    """Our own model's chain at central values, in words (`how_made`)."""
    share, affected = inputs["digital_share"], inputs["affected_share"]
    direct, indirect, recovered = (parts.get(p, 0.0) for p in ("direct", "indirect",
                                                               "recovered"))
    base = day * days * share * affected
    rest = direct / base if base > 0 else 1.0
    cut = ("" if abs(rest - 1.0) < 5e-4 else
           f" × {fmt.percent(rest)} of that activity actually cut (what the scope, the "
           "intensity, circumvention and the time of day leave)")
    net = direct + indirect - recovered
    span = f"{fmt.number(days)} days" if days >= 1 else f"{fmt.number(days)} of a day"
    return (f"Our own model takes {fmt.hours(ctx.hours)} ({span}) × "
            f"{fmt.percent(affected)} of internet users affected × the digital economy's "
            f"share of GDP, {fmt.percent(share)}{cut}: a direct loss of "
            f"{fmt.money(direct * k, cur)}. It adds the spillover to the rest of the economy "
            f"(×{fmt.number(inputs.get('indirect_multiplier', 0.0))}: "
            f"{fmt.money(indirect * k, cur)}) and takes off what is made up later "
            f"({fmt.percent(inputs.get('recovery_share', 0.0))}: "
            f"{fmt.money(recovered * k, cur)}), for {fmt.money(net * k, cur)} at central "
            "values.")
