"""The frames behind the charts of one estimate (`impact.report.charts`): loss against duration, the
tornado of one method's inputs and the waterfall of the impact model, in the estimate's output
currency with formatted labels; and the method inputs in words (`parameter_label`).

Used by the Estimate page (`app_pages.viewmodel` imports them from here) and by the estimate
brief (`impact.report.brief`); pure functions of an estimate's frames, no chart library.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from impact import format as fmt
from impact import parse_scenario, with_changes
from impact.bundled.prices import Conversion
from impact.estimation import engine
from impact.methods import OWN_METHOD, REGISTRY
from impact.model.scenario import MAX_HOURS
from impact.report import charts
from impact.vocab import DEFAULT_SEED, parameter_label


def currency_of(rows: list[dict[str, Any]]) -> str:
    """The output currency of summary ``rows`` (their ``currency``; USD when nothing is
    costed). Money in another currency is converted by the engine (the rows' ``loss_*``
    columns, `impact.estimation.results.Estimate.conversion`), never here."""
    return next((r["currency"] for r in rows if r["status"] == "ok" and r["currency"]), "USD")


#: duration curve: points of the grid, how far past the scenario it reaches (a multiple of
#: its duration, and at most so many hours past it), draws per point
DURATION_POINTS = 12
DURATION_REACH = 4.0
DURATION_REACH_HOURS = 2_160.0  # 90 days
DURATION_DRAWS = 1_000


def duration_top(hours: float, reach: float = DURATION_REACH,
                 reach_hours: float = DURATION_REACH_HOURS) -> float:
    """The longest duration drawn [hours]: ``reach`` × ``hours``, but at most
    ``reach_hours`` past the scenario (a year-long block is drawn to 15 months, not to 4
    years); at least 4 hours, at most 20 years.

    >>> duration_top(10), duration_top(720), duration_top(8760)
    (40.0, 2880.0, 10920.0)
    """
    hours = float(hours)
    return min(max(min(reach * hours, hours + reach_hours), 4.0), MAX_HOURS)


def duration_grid(hours: float, points: int = DURATION_POINTS,
                  reach: float = DURATION_REACH) -> tuple[float, ...]:
    """Durations [hours] for the loss-against-duration chart: a log grid of ``points`` from
    1 hour to `duration_top` (``reach`` × ``hours``, at most `DURATION_REACH_HOURS` past
    them), rounded to 2 decimals, with ``hours`` itself always in it.

    >>> duration_grid(10, points=5)
    (1.0, 2.51, 6.32, 10.0, 15.91, 40.0)
    """
    import numpy as np

    top = duration_top(hours, reach)
    grid = {round(float(h), 2) for h in np.geomspace(1.0, top, points)}
    return tuple(sorted(grid | {round(float(hours), 2)}))


_DURATION_SCHEMA = {"method": pl.String, "title": pl.String, "hours": pl.Float64,
                    "p05": pl.Float64, "p50": pl.Float64, "p95": pl.Float64,
                    "currency": pl.String, "p05_label": pl.String, "p50_label": pl.String,
                    "p95_label": pl.String, "hours_label": pl.String}


def duration_frame(summary: pl.DataFrame, grid: Sequence[float]) -> pl.DataFrame:
    """Loss P5/P50/P95 [output currency] per costed method and duration of an engine pass
    over ``grid`` (``summary`` with its ``index`` column = the position in ``grid``), with
    formatted labels, in method order then duration."""
    rows = [r for r in summary.to_dicts() if r["status"] == "ok"]
    currency = currency_of(rows)
    out = {k: [] for k in _DURATION_SCHEMA}
    for r in rows:
        hours = float(grid[r["index"]])
        out["method"].append(r["method"])
        out["title"].append(r["title"])
        out["hours"].append(hours)
        out["currency"].append(currency)
        out["hours_label"].append(fmt.hours(hours))
        for q in ("p05", "p50", "p95"):
            out[q].append(r[f"loss_{q}"])
            out[f"{q}_label"].append(fmt.money(r[f"loss_{q}"], currency))
    order = {m: i for i, m in enumerate(REGISTRY)}
    frame = pl.DataFrame(out, schema=_DURATION_SCHEMA)
    return frame.sort(pl.col("method").replace_strict(order, default=len(order)), "hours")


@functools.lru_cache(maxsize=64)
def duration_curve(scenario_json: str, methods: tuple[str, ...],
                   draws: int = DURATION_DRAWS) -> pl.DataFrame:
    """`duration_frame` of the scenario (its JSON, as `Scenario.model_dump_json` writes it)
    at every duration of `duration_grid`, with ``methods``: one engine pass, the same seed
    for every point (so the curves differ only by the duration), ``draws`` per point.

    Memoised by its arguments (primitives; polars frames are not changed in place), so a
    rerun of the page with the same scenario costs nothing."""
    scenario = parse_scenario(scenario_json)
    grid = duration_grid(scenario.hours)
    scenarios = [with_changes(scenario, duration_hours=h, end=None) for h in grid]
    result = engine.run(scenarios, list(methods), draws=draws,
                        seeds=[DEFAULT_SEED] * len(scenarios), details=False)
    return duration_frame(result.summary, grid)


_TORNADO_SCHEMA = {"parameter": pl.String, "label": pl.String, "at": pl.String,
                   "start": pl.Float64, "end": pl.Float64, "loss": pl.Float64,
                   "loss_label": pl.String, "swing": pl.Float64, "swing_label": pl.String,
                   "rank": pl.Int64}
#: the two ends of a tornado bar: the loss with the input at its P5 and at its P95
TORNADO_ENDS = charts.TORNADO_ENDS


def tornado_frame(sensitivity: pl.DataFrame, summary: pl.DataFrame, conversion: Conversion,
                  method: str = OWN_METHOD) -> tuple[pl.DataFrame, float]:
    """What drives ``method``'s range: per input, two rows (`TORNADO_ENDS`) from the
    method's P50 to the loss with that input at its P5 / P95 and everything else central
    [output currency], largest swing first (``rank``), with the input in words; and the P50.

    ``conversion`` is the estimate's (`Estimate.conversion`: the sensitivity is in USD).
    Empty (and 0) when the method has no sensitivity rows or is not costed."""
    rows = summary.to_dicts()
    currency, factor = conversion.currency, conversion.factor
    row = next((r for r in rows if r["method"] == method and r["status"] == "ok"), None)
    empty = pl.DataFrame(schema=_TORNADO_SCHEMA)
    if row is None:
        return empty, 0.0
    p50 = float(row["loss_p50"])
    sens = sensitivity.filter(pl.col("method") == method).sort("swing_usd", descending=True)
    out = {k: [] for k in _TORNADO_SCHEMA}
    for rank, s in enumerate(sens.iter_rows(named=True), start=1):
        for at, col in zip(TORNADO_ENDS, ("loss_usd_at_p05", "loss_usd_at_p95"), strict=True):
            loss = float(s[col]) * factor
            out["parameter"].append(s["parameter"])
            out["label"].append(parameter_label(s["parameter"]))
            out["at"].append(at)
            out["start"].append(p50)
            out["end"].append(loss)
            out["loss"].append(loss)
            out["loss_label"].append(fmt.money(loss, currency))
            out["swing"].append(float(s["swing_usd"]) * factor)
            out["swing_label"].append(fmt.money(float(s["swing_usd"]) * factor, currency))
            out["rank"].append(rank)
    return (pl.DataFrame(out, schema=_TORNADO_SCHEMA) if out["rank"] else empty), p50


_WATERFALL_SCHEMA = {"step": pl.String, "kind": pl.String, "start": pl.Float64,
                     "end": pl.Float64, "amount": pl.Float64, "amount_label": pl.String,
                     "order": pl.Int64}
WATERFALL_STEPS = ("Direct loss", "Indirect (spillover)", "Recovered later", "Net loss")


def waterfall_frame(components: Mapping[str, float], conversion: Conversion) -> pl.DataFrame:
    """The impact model's loss as steps [output currency, central values]: direct, then
    indirect added, recovered taken off, and the net loss (direct + indirect − recovered)
    from zero. ``components`` is ``Estimate.components[OWN_METHOD]`` [USD], turned into the output
    currency by ``conversion`` (`Estimate.conversion`); empty without them."""
    if not components or not {"direct", "indirect", "recovered"} <= set(components):
        return pl.DataFrame(schema=_WATERFALL_SCHEMA)
    currency, factor = conversion.currency, conversion.factor
    direct, indirect, recovered = (float(components[k]) * factor
                                   for k in ("direct", "indirect", "recovered"))
    net = direct + indirect - recovered
    steps = [(WATERFALL_STEPS[0], "loss", 0.0, direct, direct),
             (WATERFALL_STEPS[1], "loss", direct, direct + indirect, indirect),
             (WATERFALL_STEPS[2], "recovered", direct + indirect, net, -recovered),
             (WATERFALL_STEPS[3], "net", 0.0, net, net)]
    return pl.DataFrame({
        "step": [s[0] for s in steps], "kind": [s[1] for s in steps],
        "start": [s[2] for s in steps], "end": [s[3] for s in steps],
        "amount": [s[4] for s in steps],
        "amount_label": [fmt.money(s[4], currency) for s in steps],
        "order": list(range(len(steps)))}, schema=_WATERFALL_SCHEMA)


_METHODS_RANGE_SCHEMA = {"method": pl.String, "title": pl.String, "kind": pl.String,
                         "p05": pl.Float64, "p50": pl.Float64, "p95": pl.Float64,
                         "currency": pl.String, "p05_label": pl.String,
                         "p50_label": pl.String, "p95_label": pl.String}


def methods_range_frame(summary: pl.DataFrame,
                        ensemble: pl.DataFrame | None = None) -> pl.DataFrame:
    """P5, P50 and P95 [output currency] of every costed method (``kind`` method) and, first,
    of the headline ensemble (``kind`` ensemble, from `impact.estimation.ensemble.ensemble_row`), with
    formatted labels: the rows of `impact.report.charts.range_chart`."""
    rows = summary.to_dicts()
    currency = currency_of(rows)
    lead = ensemble.to_dicts() if ensemble is not None else []
    out = {k: [] for k in _METHODS_RANGE_SCHEMA}
    for r in lead + rows:
        if r["status"] != "ok" or r["loss_p50"] is None:
            continue
        out["method"].append(r["method"])
        out["title"].append(r["title"])
        out["kind"].append("ensemble" if r in lead else "method")
        out["currency"].append(currency)
        for q in ("p05", "p50", "p95"):
            out[q].append(r[f"loss_{q}"])
            out[f"{q}_label"].append(fmt.money(r[f"loss_{q}"], currency))
    return pl.DataFrame(out, schema=_METHODS_RANGE_SCHEMA)
