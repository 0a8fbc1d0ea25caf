"""The headline: one figure with its range from every method that applies, and why they differ.

Rule (`members`):

1. A method joins the ensemble when it costs the scenario (status ``ok``) and the scenario is
   inside its **domain**: a method estimated on a few countries (`Method.domain`, e.g.
   ICRIER's elasticities on India's telecom circles) is left out for a scenario elsewhere,
   and says so.
2. The ensemble's draws are the **pooled** Monte Carlo draws of its members, the same number
   from each (equal weights): its P5/P50/P95 are quantiles of that pool, so they carry both
   each method's own uncertainty and the disagreement between methods.
3. The user may choose one method as the headline instead (`headline(est, method=...)`).

`headline` writes the sentence to paste ("A 10-hour nationwide mobile-data shutdown in
Pakistan in 2024 costs an estimated USD 26 m (90 % range USD 11–60 m); the 6 methods put it
between USD 4 m and USD 62 m.") and `why_they_differ` the line under it: the share of a
day's output each method assumes lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from impact import format as fmt
from impact.errors import InputError
from impact.methods import REGISTRY
from impact.vocab import PLATFORM_LABELS

ENSEMBLE = "ensemble"
ENSEMBLE_TITLE = "Ensemble of the methods that apply"


@dataclass(frozen=True)
class Ensemble:
    """The pooled figure [USD, current prices] and who is in it."""

    members: tuple[str, ...]
    excluded: Mapping[str, str]  #: method -> why it is left out
    loss_usd_p05: float | None
    loss_usd_p50: float | None
    loss_usd_p95: float | None
    factor: float  #: output currency per USD (the scenario's conversion)
    currency: str


def members(est, methods: Sequence[str] | None = None) -> tuple[list[str], dict[str, str]]:
    """(methods in the ensemble, {method: reason it is left out}) for an `Estimate`."""
    inside: list[str] = []
    out: dict[str, str] = {}
    for r in est.summary.iter_rows(named=True):
        m = r["method"]
        if methods is not None and m not in methods:
            continue
        method = REGISTRY.get(m)
        if r["status"] != "ok":
            out[m] = f"{r['status'].replace('_', ' ')}: {r['reason'] or 'no estimate'}"
        elif method is not None and method.domain and est.context.iso3 not in method.domain:
            out[m] = f"outside its domain ({method.domain_note})"
        elif m not in est.samples:
            out[m] = "no Monte Carlo draws kept"
        else:
            inside.append(m)
    return inside, out


def ensemble(est, methods: Sequence[str] | None = None) -> Ensemble:
    """The pooled ensemble of ``est`` (see the module docstring): the one its engine pass
    computed (`Estimate.pooled`, also for estimates of a batch, which keep no draws), or,
    for a subset of ``methods``, the pool of their kept draws."""
    pooled = getattr(est, "pooled", None)
    if methods is None and pooled is not None:
        return pooled
    inside, out = members(est, methods)
    factor, currency = _conversion(est)
    if not inside:
        return Ensemble((), out, None, None, None, factor, currency)
    draws = [np.asarray(est.samples[m], dtype=float) for m in inside]
    n = min(len(d) for d in draws)
    pool = np.concatenate([d[:n] for d in draws])
    p05, p50, p95 = (float(v) for v in np.quantile(pool, [0.05, 0.5, 0.95]))
    return Ensemble(tuple(inside), out, p05, p50, p95, factor, currency)


def _conversion(est) -> tuple[float, str]:
    """Output currency per USD of the estimate's own summary (1 and USD when it is USD)."""
    for r in est.summary.iter_rows(named=True):
        if r["status"] == "ok" and r["loss_usd_p50"]:
            return r["loss_p50"] / r["loss_usd_p50"], r["currency"]
    rows = est.summary
    return 1.0, (rows["currency"][0] if rows.height and rows["currency"][0] else "USD")


_SCOPE_PHRASE = {"full": "internet shutdown", "mobile": "mobile-data shutdown",
                 "throttling": "throttling", "platforms": "block"}


def _what(est) -> str:
    sc, ctx = est.scenario, est.context
    if ctx.hours >= 48 and float(ctx.hours / 24).is_integer():
        hours = f"{fmt.number(ctx.hours / 24)}-day"
    else:
        hours = fmt.hours(ctx.hours).replace(" hours", "-hour").replace(" hour", "-hour")
    where = "nationwide" if ctx.affected_share >= 1 else (
        f"regional ({fmt.percent(ctx.affected_share)} of users)")
    if sc.scope == "platforms":
        names = ", ".join(PLATFORM_LABELS.get(p, p).split(" (")[0] for p in sc.platforms)
        thing = f"{where} block of {names}"
    else:
        thing = f"{where} {_SCOPE_PHRASE[sc.scope]}"
    article = "An" if hours[0] in "8" or hours.startswith(("11-", "18-")) else "A"
    return f"{article} {hours} {thing} in {ctx.country} in {ctx.year}"


def headline(est, method: str = ENSEMBLE) -> str:
    """The sentence to quote: the headline figure with its 90 % range, and the spread of the
    methods' P50s. ``method`` is ``ensemble`` (default) or one method's name."""
    if method != ENSEMBLE and method not in set(est.summary["method"]):
        raise InputError("headline", method, "ensemble or one of the estimated methods: "
                         + ", ".join(est.summary["method"]))
    ens = ensemble(est)
    if method == ENSEMBLE:
        mid, lo, hi = ens.loss_usd_p50, ens.loss_usd_p05, ens.loss_usd_p95
    else:
        r = est.row(method)
        mid, lo, hi = (r["loss_usd_p50"], r["loss_usd_p05"], r["loss_usd_p95"]) \
            if r["status"] == "ok" else (None, None, None)
    what = _what(est)
    if mid is None:
        return f"{what}: no method applicable to it could cost it."
    k, cur = ens.factor, ens.currency
    text = (f"{what} costs an estimated {fmt.money(mid * k, cur)} (90 % range "
            f"{fmt.money_range(lo * k, hi * k, cur)})")
    if method != ENSEMBLE:
        text += f" by {REGISTRY[method].title}"
    ok = [r for r in est.summary.iter_rows(named=True) if r["status"] == "ok"]
    if len(ok) > 1:
        p50s = [r["loss_usd_p50"] * k for r in ok]
        text += (f"; the {len(ok)} methods put it between {fmt.money(min(p50s), cur)} and "
                 f"{fmt.money(max(p50s), cur)}")
    return text + "."


def day_share(est) -> dict[str, float]:
    """Per costed method: the share of a day's national output (GDP/365) its P50 assumes
    lost per day of the scenario [0-1]."""
    ctx = est.context
    day_output = ctx.gdp.value / 365.0
    days = ctx.hours / 24.0
    out = {}
    for r in est.summary.iter_rows(named=True):
        if r["status"] == "ok" and day_output > 0 and days > 0:
            out[r["method"]] = r["loss_usd_p50"] / days / day_output
    return out


def why_they_differ(est) -> str:
    """One line under the headline: how much of a day's output each method assumes lost."""
    shares = day_share(est)
    if len(shares) < 2:
        return ""
    lo = min(shares, key=shares.get)
    hi = max(shares, key=shares.get)
    return (f"Why they differ: each method assumes a different share of a day's national "
            f"output lost, from {fmt.percent(shares[lo])} ({REGISTRY[lo].title}) to "
            f"{fmt.percent(shares[hi])} ({REGISTRY[hi].title}) per day of the shutdown.")


def reason_text(ens: Ensemble, draws: int | None = None) -> str:
    """The ``reason`` cell of the ensemble's row: its members (equal weights, ``draws`` from
    each) and who was left out and why."""
    each = f", {draws:,} draws each" if draws and ens.members else ""
    left = "; ".join(f"{m} left out: {why}" for m, why in ens.excluded.items())
    head = (f"pooled draws of {', '.join(ens.members)} (equal weights{each})" if ens.members
            else "no method is in the ensemble")
    return head + (f"; {left}" if left else "")


def assumption_words(ens: Ensemble, draws: int | None = None) -> str:
    """The ``assumptions`` cell of the ensemble's row in a CSV: how the pool is made."""
    if not ens.members:
        return "no method is in the ensemble"
    each = f"{draws:,} draws from each" if draws else "the same number of draws from each"
    return (f"equal-weight pool of the Monte Carlo draws of {', '.join(ens.members)} "
            f"({each}); P5/P50/P95 are quantiles of the pool; each member's inputs are on "
            "its own row")


def ensemble_row(est):
    """The ensemble as one summary row (`impact.vocab.SUMMARY_COLUMNS`, method ``ensemble``)
    to export beside the methods: its P5/P50/P95 and their normalisations in USD and in the
    output currency, the scenario's columns, the members and who was left out in ``reason``
    (`impact.engine.ensemble_frame`). Never part of ``est.summary``."""
    stored = getattr(est, "ensemble_summary", None)
    if stored is not None:
        return stored.select(est.summary.columns)
    from impact.engine import ensemble_frame
    from impact.export import output_conversion

    draws = est.summary["draws"].drop_nulls()
    seeds = est.summary["seed"].drop_nulls()
    frame = ensemble_frame([ensemble(est)], [est.scenario], [est.context],
                           [output_conversion(est)], int(draws[0]) if draws.len() else 0,
                           [int(seeds[0]) if seeds.len() else 0])
    return frame.drop("index").select(est.summary.columns)
