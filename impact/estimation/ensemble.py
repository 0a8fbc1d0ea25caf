"""The headline: one figure with its range from the methods that apply, and why they differ.

Rule (docs/headline.md):

1. **Candidates.** A method is a candidate when it costs the scenario (status ``ok``), the
   scenario is inside its domain (`Method.outside_domain`: the countries its coefficients
   were estimated on and the scopes it was built for) and its 90 % range is a range of a
   loss (P5 > 0; a range that includes gains says the method cannot tell the loss from none).
2. **Members.** A candidate whose P50 is more than `FAR_FACTOR` times above or below the
   median P50 of the candidates is shown beside the headline with its reason
   (`Method.difference_note`), not in it; the others are the members (all candidates when
   every one of them is that far from the median).
3. **Quantile averaging.** The headline's P5, P50 and P95 are the geometric means of the
   members' P5s, P50s and P95s (equal weights): an average of the members' distributions
   quantile by quantile, on the log scale on which losses are uncertain. Its range is as
   wide as a typical member's range, whatever the members' disagreement; the disagreement is
   stated beside it (the spread of the members' P50s).
4. The user may choose one method as the headline instead (`headline(est, method=...)`).

`headline` writes the sentence to paste ("A 10-hour nationwide internet shutdown in Pakistan
in 2025 costs an estimated USD 17.5 m (90 % range USD 4.9 m – 62.7 m); the N methods that
apply put it between USD 15.9 m and USD 19.8 m.", N the members) and `why_they_differ` the
line under it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from impact import format as fmt
from impact.bundled.prices import Conversion
from impact.errors import InputError
from impact.estimation.results import figures
from impact.methods import REGISTRY
from impact.model.context import Context
from impact.model.scenario import Scenario
from impact.vocab import PLATFORM_LABELS, SCOPE_NOUNS, SUMMARY_COLUMNS, summary_schema

ENSEMBLE = "ensemble"
ENSEMBLE_TITLE = "Headline: the methods that apply, combined"
#: a candidate whose P50 is more than this many times above or below the candidates' median
#: P50 is shown beside the headline, not in it [ratio]
FAR_FACTOR = 3.0
#: the headline's rule in words (docs/headline.md has it in full)
RULE_WORDS = ("How the headline is chosen: a method is left out when it has no figure for this "
              "kind of event, when the country or the kind of event is outside what it was "
              "built for, or when its range includes no loss; a method more than "
              f"{FAR_FACTOR:g}× above or below the others' median is shown beside the headline "
              "instead of in it.")


@dataclass(frozen=True)
class Ensemble:
    """The headline figure [USD, current prices] and who is in it."""

    members: tuple[str, ...]
    excluded: Mapping[str, str]  #: method -> why it is not in the headline
    loss_usd_p05: float | None
    loss_usd_p50: float | None
    loss_usd_p95: float | None
    factor: float  #: output currency per USD (the scenario's conversion)
    currency: str
    #: methods inside their domain but far from the others: shown beside the headline
    beside: tuple[str, ...] = field(default=())
    #: a method beside the headline -> its P50 ÷ the candidates' median P50 [ratio]
    far_ratio: Mapping[str, float] = field(default_factory=dict)


def title(method: str) -> str:
    """What to call ``method`` on a page: the headline's title, or the method's."""
    return ENSEMBLE_TITLE if method == ENSEMBLE else REGISTRY[method].title


def combine(q: np.ndarray, eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The headline rule over many scenarios at once.

    Parameters
    ----------
    q : P5, P50 and P95 of every scenario and method, shape (3, n, m) [USD]
    eligible : (n, m) the method costs the scenario inside its domain

    Returns
    -------
    (member, far, headline): (n, m) members of each scenario's headline, (n, m) candidates
    shown beside it (far from the others), and (3, n) the headline's P5, P50, P95 [USD; NaN
    without members].

    Examples
    --------
    >>> q = np.array([[[1, 2, 0.1, -5]], [[4, 8, 0.5, 9]], [[16, 32, 2.5, 40]]], dtype=float)
    >>> member, far, h = combine(q, np.ones((1, 4), dtype=bool))
    >>> member.tolist(), far.tolist(), np.round(h[:, 0], 3).tolist()
    ([[True, True, False, False]], [[False, False, True, False]], [1.414, 5.657, 22.627])
    """
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        candidate = (np.asarray(eligible, dtype=bool) & np.isfinite(q).all(axis=0)
                     & (q[0] > 0))
        log_q = np.log(np.where(candidate, q, 1.0))
        log_mid = np.where(candidate, log_q[1], np.nan)
        any_candidate = candidate.any(axis=1)
        median = np.zeros(len(candidate))
        if any_candidate.any():
            median[any_candidate] = np.nanmedian(log_mid[any_candidate], axis=1)
        far = candidate & (np.abs(log_q[1] - median[:, None]) > np.log(FAR_FACTOR))
        member = candidate & ~far
        none_left = ~member.any(axis=1) & any_candidate  # every candidate far: keep them all
        member[none_left], far[none_left] = candidate[none_left], False
        k = member.sum(axis=1)
        mean = np.where(member, log_q, 0.0).sum(axis=2) / np.where(k > 0, k, 1)
    headline = np.where(k > 0, np.exp(mean), np.nan)
    return member, far, headline


def combine_draws(draws: np.ndarray) -> np.ndarray:
    """Monte Carlo draws of the headline from its members' draws, shape (members, D) [USD]:
    the k-th smallest headline draw is the geometric mean of the members' k-th smallest
    draws (the quantile averaging of `combine`, at every quantile), and the draws are put in
    the order of the members' per-draw geometric mean, so that sums over events keep the
    members' own dependence. Draws at or below 0 count as 1e-9 USD.

    Examples
    --------
    >>> np.round(combine_draws(np.array([[1.0, 9.0, 4.0], [4.0, 1.0, 9.0]])), 9).tolist()
    [1.0, 4.0, 9.0]
    >>> np.round(combine_draws(np.array([[1.0, 4.0, 2.0], [4.0, 16.0, 8.0]])), 9).tolist()
    [2.0, 8.0, 4.0]
    """
    draws = np.asarray(draws, dtype=float)
    if draws.ndim == 1:
        return np.maximum(draws, 1e-9)
    return combine_draws_many(draws[None], np.ones((1, len(draws)), dtype=bool))[0]


def combine_draws_many(draws: np.ndarray, member: np.ndarray) -> np.ndarray:
    """`combine_draws` for many groups at once: ``draws`` (n, m, D) [USD] of every group and
    method, ``member`` (n, m) the methods in each group's headline; (n, D) headline draws,
    NaN for a group without members."""
    logs = np.where(member[:, :, None], np.log(np.maximum(draws, 1e-9)), np.nan)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a group without members: all NaN
        value = np.exp(np.nanmean(np.sort(logs, axis=2), axis=1))
        order = np.argsort(np.nanmean(logs, axis=1), axis=1, kind="stable")
    out = np.full(value.shape, np.nan)
    np.put_along_axis(out, order, value, axis=1)
    return out


def combine_frame(rows: pl.DataFrame, keys: Sequence[str]
                  ) -> tuple[pl.DataFrame, list[str], np.ndarray, np.ndarray, np.ndarray]:
    """`combine` over the groups of a long table of method figures: one group per value of
    ``keys`` (a scenario of a pass, a part of a catalogue event), ``rows`` with columns
    ``method, status, iso3, scope, loss_usd_p05, loss_usd_p50, loss_usd_p95``. A row is
    eligible when its status is ``ok`` and the scenario is inside the method's domain
    (`Method.outside_domain`).

    Returns (groups, names, member, far, headline): the groups' keys in the order first seen
    with their position ``_group``, the methods in the order first seen, the (n, m) member
    and far masks and the (3, n) headline of `combine` [USD].

    >>> f = pl.DataFrame({"k": [0, 0, 1], "method": ["impact", "panel", "impact"],
    ...     "status": ["ok", "ok", "not_applicable"], "iso3": ["PAK"] * 3,
    ...     "scope": ["platforms"] * 3, "loss_usd_p05": [1.0, 2.0, None],
    ...     "loss_usd_p50": [2.0, 4.0, None], "loss_usd_p95": [4.0, 8.0, None]})
    >>> groups, names, member, far, head = combine_frame(f, ["k"])
    >>> names, member.tolist(), head[1].tolist()  # the panel method is platform-blind
    (['impact', 'panel'], [[True, False], [False, False]], [2.0, nan])
    """
    keys = list(keys)
    groups = rows.select(keys).unique(maintain_order=True).with_row_index("_group")
    rows = rows.join(groups, on=keys, how="left", maintain_order="left")
    names = list(dict.fromkeys(rows["method"].to_list()))
    col = {name: j for j, name in enumerate(names)}
    n, m = groups.height, len(names)
    i = rows["_group"].to_numpy()
    j = np.array([col[x] for x in rows["method"].to_list()], dtype=np.int64)
    q = np.full((3, n, m), np.nan)
    for k, c in enumerate(("loss_usd_p05", "loss_usd_p50", "loss_usd_p95")):
        q[k, i, j] = rows[c].cast(pl.Float64).fill_null(np.nan).to_numpy()
    inside = np.array([x in REGISTRY and not REGISTRY[x].outside_domain(a, b)
                       for x, a, b in zip(rows["method"].to_list(), rows["iso3"].to_list(),
                                          rows["scope"].to_list(), strict=True)], dtype=bool)
    eligible = np.zeros((n, m), dtype=bool)
    eligible[i, j] = (rows["status"] == "ok").to_numpy() & inside
    member, far, head = combine(q, eligible)
    return groups, names, member, far, head


def excluded_reason(method: str, status: str, reason: str | None, iso3: str, scope: str,
                    p05: float | None) -> str:
    """Why a method that is not a candidate is left out, in words (see `combine`)."""
    if status == "not_applicable":
        return reason or "no figure for this kind of event"
    if status != "ok":
        return f"no figure: {reason or 'its data are missing'}"
    outside = REGISTRY[method].outside_domain(iso3, scope) if method in REGISTRY else ""
    if outside:
        return f"outside its domain ({outside})"
    if p05 is None or not np.isfinite(p05):
        return "no range"
    return (f"its 90 % range includes no loss or a gain (P5 {fmt.money(p05, 'USD')}): it "
            "cannot tell this loss from none")


#: how a far method's reason starts (`far_reason`)
BESIDE = "shown beside the headline: "


def distance(ratio: float) -> str:
    """A ratio to the median in words.

    >>> distance(0.25), distance(3.5)
    ('4× below', '3.5× above')
    """
    return f"{fmt.number(ratio)}× above" if ratio >= 1 else f"{fmt.number(1 / ratio)}× below"


def far_reason(method: str, p50: float, median: float) -> str:
    """Why a candidate far from the others is shown beside the headline, in words: how far
    its P50 ``p50`` is from the candidates' median ``median`` [USD] and what makes it differ.

    >>> far_reason("deloitte2016", 4e6, 16e6).split(";")[0]
    'shown beside the headline: 4× below the median of the methods that apply (USD 16 m)'
    """
    side = distance(p50 / median if median > 0 else float("inf"))
    why = REGISTRY[method].difference_note if method in REGISTRY else ""
    return (f"{BESIDE}{side} the median of the methods that apply "
            f"({fmt.money(median, 'USD')})" + (f"; {why}" if why else ""))


def from_rows(rows: Sequence[Mapping], iso3: str, scope: str, factor: float,
              currency: str) -> Ensemble:
    """The headline of one scenario from its summary rows (method, status, reason,
    loss_usd_p05/p50/p95)."""
    rows = list(rows)
    frame = pl.DataFrame([{"method": r["method"], "status": r["status"], "iso3": iso3,
                           "scope": scope, "loss_usd_p05": r["loss_usd_p05"],
                           "loss_usd_p50": r["loss_usd_p50"],
                           "loss_usd_p95": r["loss_usd_p95"]} for r in rows],
                         schema={"method": pl.String, "status": pl.String, "iso3": pl.String,
                                 "scope": pl.String, "loss_usd_p05": pl.Float64,
                                 "loss_usd_p50": pl.Float64, "loss_usd_p95": pl.Float64})
    if not rows:
        return Ensemble((), {}, None, None, None, factor, currency)
    _, _, member, far, head = combine_frame(frame.with_columns(pl.lit(0).alias("_one")),
                                            ["_one"])
    return assemble(rows, member[0], far[0], head[:, 0], iso3, scope, factor, currency)


def assemble(rows: Sequence[Mapping], member: np.ndarray, far: np.ndarray,
             head: np.ndarray, iso3: str, scope: str, factor: float,
             currency: str) -> Ensemble:
    """An `Ensemble` from one scenario's rows and its `combine` results, with the reasons."""
    candidates = [r["loss_usd_p50"] for r, m, f in zip(rows, member, far, strict=True)
                  if m or f]
    median = float(np.exp(np.median(np.log(candidates)))) if candidates else float("nan")
    excluded: dict[str, str] = {}
    for r, m, f in zip(rows, member, far, strict=True):
        if f:
            excluded[r["method"]] = far_reason(r["method"], r["loss_usd_p50"], median)
        elif not m:
            excluded[r["method"]] = excluded_reason(r["method"], r["status"], r["reason"],
                                                    iso3, scope, r["loss_usd_p05"])
    inside = tuple(r["method"] for r, m in zip(rows, member, strict=True) if m)
    beside = tuple(r["method"] for r, f in zip(rows, far, strict=True) if f)
    ratios = {r["method"]: r["loss_usd_p50"] / median
              for r, f in zip(rows, far, strict=True) if f}
    figures = (None, None, None) if not inside else tuple(float(v) for v in head)
    return Ensemble(inside, excluded, *figures, factor, currency, beside, ratios)


def members(est, methods: Sequence[str] | None = None) -> tuple[list[str], dict[str, str]]:
    """(methods in the headline, {method: why it is not}) for an `Estimate`."""
    ens = ensemble(est, methods)
    return list(ens.members), dict(ens.excluded)


def ensemble(est, methods: Sequence[str] | None = None) -> Ensemble:
    """The headline of ``est`` (see the module docstring): the one its engine pass computed
    (`Estimate.pooled`, also for estimates of a batch), or, for a subset of ``methods``, the
    headline of those methods' rows."""
    pooled = getattr(est, "pooled", None)
    if methods is None and pooled is not None:
        return pooled
    factor, currency = est.conversion.factor, est.conversion.currency
    rows = [r for r in est.summary.iter_rows(named=True)
            if methods is None or r["method"] in methods]
    return from_rows(rows, est.context.iso3, est.scenario.scope, factor, currency)




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
        thing = f"{where} {SCOPE_NOUNS[sc.scope]}"
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
    return text + spread_clause(est, ens) + "."


def spread_clause(est, ens: Ensemble) -> str:
    """``; the N methods that apply put it between A and B`` (the members' P50s), or ``""``
    with fewer than two members: the spread the sentence states is the headline's own."""
    k, cur = ens.factor, ens.currency
    p50s = [est.row(m)["loss_usd_p50"] * k for m in ens.members]
    if len(p50s) < 2:
        return ""
    return (f"; the {len(p50s)} methods that apply put it between {fmt.money(min(p50s), cur)} "
            f"and {fmt.money(max(p50s), cur)}")


def beside_text(est, ens: Ensemble) -> str:
    """One line on the methods shown beside the headline (in their domain, far from the
    members), each with its figure and why; ``""`` when there is none."""
    if not ens.beside:
        return ""
    k, cur = ens.factor, ens.currency
    parts = []
    for m in ens.beside:
        r = est.row(m)
        why = ens.excluded[m].removeprefix(BESIDE)
        parts.append(f"{REGISTRY[m].title}: {fmt.money(r['loss_usd_p50'] * k, cur)} ({why})")
    return "Beside the headline, not in it: " + "; ".join(parts) + "."


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


def range_text(est, ens: Ensemble) -> str:
    """One line on why the headline's range is as wide as it is: its P95/P5 and each
    member's own; ``""`` without a range.

    The range averages the members' own ranges, so it is as wide as a typical member's: a
    member fitted to published figures carries their scatter (docs/headline.md)."""
    if not ens.members or not ens.loss_usd_p05:
        return ""
    own = []
    for m in ens.members:
        r = est.row(m)
        own.append(f"{REGISTRY[m].title} ×{fmt.number(r['loss_usd_p95'] / r['loss_usd_p05'])}")
    return (f"Why the range is this wide: P95 is ×{fmt.number(ens.loss_usd_p95 / ens.loss_usd_p05)}"
            f" P5, the average of the members' own ranges ({'; '.join(own)}); a range fitted "
            "to published figures carries their scatter, and how often such ranges held "
            "published figures is in docs/validation.md.")


def role(ens: Ensemble, method: str) -> str:
    """A method's part in the headline, in a few words: ``in the headline``, ``beside the
    headline: 3.5× below the others``, ``not in the headline: outside its domain``."""
    if method in ens.members:
        return "in the headline"
    why = ens.excluded.get(method, "")
    if method in ens.beside:
        return f"beside the headline: {distance(ens.far_ratio[method])} the others"
    if " has no figure for " in why:
        return "not in the headline: no figure for " + why.split(" has no figure for ")[1].split(":")[0]
    if why.startswith("no figure"):
        return "not in the headline: no figure (data missing)"
    return "not in the headline: " + why.split(" (")[0].split(":")[0]


def members_note(ens: Ensemble, title=None) -> str:
    """Who is in the headline and how it is made, and who is not and why, in words;
    ``title`` maps a method's name to what to call it (default: its title). A method shown
    beside the headline (`beside_text`) is named, not explained again."""
    title = title or (lambda m: REGISTRY[m].title if m in REGISTRY else m)
    inside = "; ".join(title(m) for m in ens.members) or "no method"
    left = " ".join(f"Not in it: {title(m)}, "
                    + ("shown beside it (above)" if m in ens.beside else why) + "."
                    for m, why in ens.excluded.items())
    return (f"Headline: {inside}, combined quantile by quantile (geometric means of their "
            f"P5s, P50s and P95s, equal weights). " + (f"{left} " if left else "")
            + RULE_WORDS)


def why_they_differ(est) -> str:
    """One line under the headline: how much of a day's output each method inside its
    domain assumes lost."""
    iso3, scope = est.context.iso3, est.scenario.scope
    shares = {m: v for m, v in day_share(est).items()
              if m not in REGISTRY or not REGISTRY[m].outside_domain(iso3, scope)}
    if len(shares) < 2:
        return ""
    lo = min(shares, key=shares.get)
    hi = max(shares, key=shares.get)
    return (f"Why they differ: each method assumes a different share of a day's national "
            f"output lost, from {fmt.percent(shares[lo])} ({REGISTRY[lo].title}) to "
            f"{fmt.percent(shares[hi])} ({REGISTRY[hi].title}) per day of the shutdown.")


def reason_text(ens: Ensemble, draws: int | None = None) -> str:
    """The ``reason`` cell of the headline's row: its members (equal weights) and who is not
    in it and why."""
    left = "; ".join(f"{m} not in it: {why}" for m, why in ens.excluded.items())
    head = (f"geometric mean of the P5s, P50s and P95s of {', '.join(ens.members)} (equal "
            "weights)" if ens.members else "no method applies")
    return head + (f"; {left}" if left else "")


def assumption_words(ens: Ensemble, draws: int | None = None) -> str:
    """The ``assumptions`` cell of the headline's row in a CSV: how it is combined."""
    if not ens.members:
        return "no method applies"
    return (f"quantile averaging of {', '.join(ens.members)}: the headline's P5, P50 and P95 "
            "are the geometric means of the members' P5s, P50s and P95s (equal weights; "
            "docs/headline.md); each member's inputs are on its own row")


def ensemble_row(est):
    """The ensemble as one summary row (`impact.vocab.SUMMARY_COLUMNS`, method ``ensemble``)
    to export beside the methods: its P5/P50/P95 and their normalisations in USD and in the
    output currency, the scenario's columns, the members and who was left out in ``reason``
    (`impact.estimation.engine.ensemble_frame`). Never part of ``est.summary``."""
    stored = getattr(est, "ensemble_summary", None)
    if stored is not None:
        return stored.select(est.summary.columns)
    draws = est.summary["draws"].drop_nulls()
    seeds = est.summary["seed"].drop_nulls()
    frame = ensemble_frame([ensemble(est)], [est.scenario], [est.context],
                           [est.conversion], int(draws[0]) if draws.len() else 0,
                           [int(seeds[0]) if seeds.len() else 0])
    return frame.drop("index").select(est.summary.columns)


# ---- the headline of a pass ---------------------------------------------------------------------------
def headlines(p, summary: pl.DataFrame) -> list:
    """Each scenario's headline (`impact.estimation.ensemble.combine_frame` over its methods' P5/P50/P95
    in ``summary``, one call for the whole pass), as `impact.estimation.ensemble.Ensemble`."""
    frame = summary.select("index", "method", "status", "reason", "iso3", "scope",
                           "loss_usd_p05", "loss_usd_p50", "loss_usd_p95")
    groups, names, member, far, head = combine_frame(frame, ["index"])
    at = dict(zip(groups["index"].to_list(), groups["_group"].to_list(), strict=True))
    col = {name: j for j, name in enumerate(names)}
    rows: list[list[dict]] = [[] for _ in p.scenarios]
    for r in frame.iter_rows(named=True):
        rows[r["index"]].append(r)
    out = []
    for i, scenario in enumerate(p.scenarios):
        conv, ctx, g = p.conversions[i], p.contexts[i], at[i]
        js = [col[r["method"]] for r in rows[i]]
        out.append(assemble(rows[i], member[g, js], far[g, js], head[:, g],
                            ctx.iso3 if ctx else scenario.iso3, scenario.scope,
                            conv.factor if conv else 1.0, conv.currency if conv else "USD"))
    return out


def ensemble_frame(ensembles: Sequence, scenarios: Sequence[Scenario],
                   contexts: Sequence[Context | None],
                   conversions: Sequence[Conversion | None], draws: int,
                   seeds: Sequence[int]) -> pl.DataFrame:
    """The ensembles as summary rows: ``index`` (the scenario's position) and
    `SUMMARY_COLUMNS`, method ``ensemble``; the headline's P5/P50/P95 and what follows from them
    (per day, share of GDP, per capita and per affected user, in USD and in the output
    currency), the members and who was left out in ``reason``; central value, mean, capped
    share and main driver empty (a combination has none of them). Status ``ok``, or
    ``not_applicable`` when no method is in the ensemble (``unavailable`` when the scenario
    could not be resolved at all)."""
    n = len(ensembles)
    ok = np.array([bool(e.members) for e in ensembles], dtype=bool)
    q = np.array([[e.loss_usd_p05, e.loss_usd_p50, e.loss_usd_p95] if e.members
                  else [np.nan] * 3 for e in ensembles], dtype=float).reshape(n, 3).T
    rows = np.arange(n)
    nan = np.full(n, np.nan)
    gdp = np.array([c.gdp_usd if c else np.nan for c in contexts])
    pop = np.array([c.population.value if c else np.nan for c in contexts])
    users = np.array([c.users.value * c.affected_share if c else np.nan for c in contexts])
    days = np.array([c.hours / 24.0 if c else np.nan for c in contexts])
    factor = np.array([v.factor if v else np.nan for v in conversions])
    floats = figures(rows, q, nan, nan, nan, gdp, pop, users, days, factor)
    conv = [conversions[i] if ok[i] else None for i in range(n)]
    cols: dict[str, object] = {
        "method": [ENSEMBLE] * n, "title": [ENSEMBLE_TITLE] * n,
        "status": ["ok" if k else "not_applicable" if c else "unavailable"
                   for k, c in zip(ok, contexts, strict=True)],
        "reason": [reason_text(e, draws) for e in ensembles],
        "iso3": [sc.iso3 for sc in scenarios],
        "country": [c.country if c else None for c in contexts],
        "year": [c.year if c else None for c in contexts],
        "scope": [sc.scope for sc in scenarios],
        "duration_hours": [sc.hours for sc in scenarios],
        "main_driver": [None] * n,
        "currency": [v.currency if v else None for v in conv],
        "price_basis": [v.price_basis if v else None for v in conv],
        "price_year": [v.price_year if v else None for v in conv],
        "draws": [draws if k else None for k in ok],
        "seed": [int(seeds[i]) if ok[i] else None for i in range(n)],
    } | floats
    schema = summary_schema()
    return pl.DataFrame([pl.Series("index", rows, dtype=pl.Int64)] + [
        pl.Series(c, cols[c], dtype=schema[c], nan_to_null=True)
        if schema[c] == pl.Float64 else pl.Series(c, cols[c], dtype=schema[c])
        for c in SUMMARY_COLUMNS])
