"""Plausibility flags: figures a reader should look at twice before quoting them.

A flag does not change a figure; it says, in plain words, why the figure may mislead. Four
checks, each with a documented threshold:

- **Share of GDP.** A single event whose headline P50 is more than `GDP_SHARE_LIMIT` (1 %) of
  the country's annual GDP: a whole day of all the country's output is 1/365 ≈ 0.27 % of
  it, so 1 % is nearly four days of the entire economy stopped. A single event costing more
  is rare and often a sign of wrong inputs (a share or a duration typed in the wrong unit).
- **Extrapolated.** An open-ended event (its hours are not stated but drawn from a range) or
  an event longer than `LONG_HOURS` (30 days): every method multiplies a daily loss by the
  days, and over weeks people and firms adapt, so the figure is an extrapolation.
- **A method far from its peers.** A costed method whose P50 is more than `PEER_FACTOR`
  (10×) above or below the median P50 of the other costed methods.
- **A wide range.** A headline whose P95 is more than `RANGE_RATIO_LIMIT` (20×) its P5: the
  inputs are too uncertain for the P50 to be quoted alone.

Pure: numbers in, `Flag` values out (`flags`), or an `impact.Estimate` in (`estimate_flags`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from impact import format as fmt
from impact.estimation.ensemble import ensemble

#: a single event costing more than this share of annual GDP is flagged [0-1]
GDP_SHARE_LIMIT = 0.01
#: an event longer than this is an extrapolation of a daily loss [hours] (30 days)
LONG_HOURS = 720.0
#: a method whose P50 is more than this many times above or below its peers' median [ratio]
PEER_FACTOR = 10.0
#: a headline whose P95 is more than this many times its P5 [ratio]
RANGE_RATIO_LIMIT = 20.0


@dataclass(frozen=True)
class Flag:
    """One plausibility flag: ``kind`` (``share_of_gdp``, ``extrapolated``,
    ``far_method`` or ``wide_range``) and ``text``, what it means in plain words."""

    kind: str
    text: str


def _positive(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


def share_flag(loss_usd: float | None, gdp_usd: float | None) -> Flag | None:
    """A flag when ``loss_usd`` [USD] is more than `GDP_SHARE_LIMIT` of ``gdp_usd`` [USD per
    year].

    >>> share_flag(2e9, 100e9).text.split(":")[0]
    'Large for one event'
    >>> share_flag(0.5e9, 100e9) is None
    True
    """
    if not (_positive(loss_usd) and _positive(gdp_usd)):
        return None
    share = loss_usd / gdp_usd
    if share <= GDP_SHARE_LIMIT:
        return None
    return Flag("share_of_gdp",
                f"Large for one event: {fmt.percent(share)} of the country's annual GDP "
                f"(more than {fmt.percent(GDP_SHARE_LIMIT)}). Check the duration and the "
                "affected share.")


def extrapolation_flag(hours: float | None, open_ended: bool) -> Flag | None:
    """A flag when the event is open-ended (its hours drawn from a range) or longer than
    `LONG_HOURS` [hours].

    >>> extrapolation_flag(24.0, False) is None
    True
    >>> extrapolation_flag(24.0 * 60, False).kind
    'extrapolated'
    """
    long = hours is not None and hours > LONG_HOURS
    if not (open_ended or long):
        return None
    why = []
    if open_ended:
        why.append("the event's end is not stated, so its hours are drawn from a range")
    if long:
        why.append(f"it lasts {fmt.hours(hours)} ({fmt.number(hours / 24)} days), and every "
                   "method multiplies a daily loss by the days although people and firms "
                   "adapt over weeks")
    return Flag("extrapolated", "Extrapolated: " + "; ".join(why) + ".")


def peer_flags(p50s: Mapping[str, float], titles: Mapping[str, str] | None = None
               ) -> list[Flag]:
    """A flag for each method whose P50 is more than `PEER_FACTOR` times above or below the
    median P50 of the other methods (``p50s``: method -> P50 [any money unit], costed
    methods only; at least three are needed for a median of peers).

    >>> [f.text.split(" is")[0] for f in peer_flags({"a": 1.0, "b": 2.0, "c": 3.0, "d": 50.0})]
    ['d']
    """
    titles = titles or {}
    usable = {m: v for m, v in p50s.items() if _positive(v)}
    if len(usable) < 3:
        return []
    out = []
    for method, value in usable.items():
        peers = sorted(v for m, v in usable.items() if m != method)
        mid = len(peers) // 2
        median = peers[mid] if len(peers) % 2 else (peers[mid - 1] + peers[mid]) / 2
        ratio = value / median
        if ratio > PEER_FACTOR or ratio < 1 / PEER_FACTOR:
            side = (f"{fmt.number(ratio)}× above" if ratio > 1
                    else f"{fmt.number(1 / ratio)}× below")
            out.append(Flag("far_method",
                            f"{titles.get(method, method)} is {side} the median of the "
                            f"other methods (more than {fmt.number(PEER_FACTOR)}× away): "
                            "read its figure with its assumptions."))
    return out


def range_flag(p05: float | None, p95: float | None) -> Flag | None:
    """A flag when ``p95`` is more than `RANGE_RATIO_LIMIT` times ``p05`` (a P5 of no loss
    counts as an unbounded ratio).

    >>> range_flag(1.0, 25.0).kind
    'wide_range'
    >>> range_flag(1.0, 19.0) is None
    True
    """
    if p95 is None or not _positive(p95) or p05 is None or not math.isfinite(p05):
        return None
    ratio = p95 / p05 if p05 > 0 else math.inf
    if ratio <= RANGE_RATIO_LIMIT:
        return None
    times = f"{fmt.number(ratio)}×" if math.isfinite(ratio) else "unboundedly"
    return Flag("wide_range",
                f"Very uncertain: the 90 % range's top is {times} its bottom (more than "
                f"{fmt.number(RANGE_RATIO_LIMIT)}×). Quote the range, not the middle figure "
                "alone.")


def flags(*, loss_usd_p05: float | None, loss_usd_p50: float | None,
          loss_usd_p95: float | None, gdp_usd: float | None, hours: float | None,
          open_ended: bool = False, method_p50s: Mapping[str, float] | None = None,
          titles: Mapping[str, str] | None = None) -> tuple[Flag, ...]:
    """Every flag of one figure: the headline's P5, P50 and P95 [USD], the country's annual
    GDP [USD per year], the event's hours [hours] and whether it is open-ended, and the
    costed methods' P50s [USD] (``titles``: what to call each method).

    >>> [f.kind for f in flags(loss_usd_p05=1e6, loss_usd_p50=2e9, loss_usd_p95=5e9,
    ...                        gdp_usd=100e9, hours=24.0)]
    ['share_of_gdp', 'wide_range']
    """
    found = [share_flag(loss_usd_p50, gdp_usd), extrapolation_flag(hours, open_ended),
             *peer_flags(method_p50s or {}, titles), range_flag(loss_usd_p05, loss_usd_p95)]
    return tuple(f for f in found if f is not None)


def estimate_flags(est, method: str | None = None) -> tuple[Flag, ...]:
    """The flags of an `impact.Estimate`'s headline (its ensemble, or ``method``'s own
    figure when one method is quoted instead)."""
    rows = [r for r in est.summary.iter_rows(named=True) if r["status"] == "ok"]
    if method is not None and method in {r["method"] for r in rows}:
        r = est.row(method)
        lo, mid, hi = r["loss_usd_p05"], r["loss_usd_p50"], r["loss_usd_p95"]
    else:
        ens = ensemble(est)
        lo, mid, hi = ens.loss_usd_p05, ens.loss_usd_p50, ens.loss_usd_p95
    ctx = est.context
    return flags(loss_usd_p05=lo, loss_usd_p50=mid, loss_usd_p95=hi, gdp_usd=ctx.gdp.value,
                 hours=ctx.hours, open_ended=ctx.hours_low is not None
                 or ctx.hours_high is not None,
                 method_p50s={r["method"]: r["loss_usd_p50"] for r in rows},
                 titles={r["method"]: r["title"] for r in rows})
