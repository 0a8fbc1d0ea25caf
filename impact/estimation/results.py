"""The results of a pass, in one typed home: `Pass` (the summary, assumptions and sensitivity
tables of many scenarios × methods, with their inputs and draws) and how it is assembled from
the evaluated groups; `figures`, what follows from a loss (per day, share of GDP, per capita and
per affected user, in USD and in the output currency: the summary's figure columns,
`impact.vocab.SUMMARY_COLUMNS`); and one scenario's result, `Estimate` (`split` cuts a pass into them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from impact import format as fmt
from impact.bundled.countries import currency_code
from impact.bundled.io import read_bundled
from impact.bundled.prices import Conversion, conversion
from impact.errors import ImpactError
from impact.methods import Method
from impact.model.context import Context
from impact.model.parameters import ParamSpec
from impact.model.scenario import Scenario
from impact.vocab import (
    ASSUMPTION_SCHEMA,
    SENSITIVITY_SCHEMA,
    SUMMARY_COLUMNS,
    summary_schema,
)

if TYPE_CHECKING:
    from impact.estimation.engine import _Evaluated


def figures(rows: np.ndarray, q: np.ndarray, central, mean, capped, gdp, pop, users, days,
             factor) -> dict[str, np.ndarray]:
    """Summary figures of scenarios ``rows`` from their P5/P50/P95 ``q`` (3, n) [USD], central
    value, mean and capped share; per-scenario arrays ``gdp`` ... ``factor`` over the pass."""
    q05, q50, q95 = q
    f, d, u, g, n = factor[rows], days[rows], users[rows], gdp[rows], pop[rows]
    return {
        "loss_usd_central": central, "loss_usd_p05": q05, "loss_usd_p50": q50,
        "loss_usd_p95": q95, "loss_usd_mean": mean,
        "loss_usd_per_day_p05": q05 / d, "loss_usd_per_day_p50": q50 / d,
        "loss_usd_per_day_p95": q95 / d, "share_of_gdp_p05": q05 / g,
        "share_of_gdp_p50": q50 / g, "share_of_gdp_p95": q95 / g,
        "loss_usd_per_capita_p50": q50 / n,
        "loss_usd_per_affected_user_p50": np.divide(q50, u, out=np.full(len(rows), np.nan),
                                                    where=u >= 1),  # at least one person
        "capped_share": capped, "loss_p05": q05 * f, "loss_p50": q50 * f,
        "loss_p95": q95 * f, "loss_per_day_p05": q05 / d * f, "loss_per_day_p50": q50 / d * f,
        "loss_per_day_p95": q95 / d * f, "loss_per_capita_p50": q50 / n * f,
    }


NONFINITE_REASON = ("the formula gave a non-finite loss (NaN or infinity) for these inputs, "
                    "so it is not costed; check the overrides (--set)")


# ---- results ---------------------------------------------------------------------------------
@dataclass
class Pass:
    """What one pass produced for N scenarios.

    ``summary`` has one row per scenario and method (column ``index`` = the scenario's position,
    0-based), ``assumptions`` and ``sensitivity`` carry ``index`` too; ``notes[i]`` are the
    data notes of scenario ``i``; ``errors[i]`` the `DataError` text of a scenario that could
    not be resolved at all, and ``errors[i]`` the error itself. ``samples[(i, method)]`` are the clipped draws [USD] when kept.
    """

    scenarios: list[Scenario]
    contexts: list[Context | None]
    conversions: list[Conversion | None]
    summary: pl.DataFrame
    assumptions: pl.DataFrame
    sensitivity: pl.DataFrame
    notes: list[tuple[str, ...]]
    errors: dict[int, ImpactError] = field(default_factory=dict)
    components: dict[tuple[int, str], dict[str, float]] = field(default_factory=dict)
    samples: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)
    #: every (scenario, method)'s inputs as `ParamSpec` rows (the assumptions, unassembled)
    inputs: dict[tuple[int, str], list[ParamSpec]] = field(default_factory=dict)
    #: the headline ensemble of each scenario (`impact.estimation.ensemble.Ensemble`), when asked for
    ensembles: list | None = None
    #: the ensemble as one summary row per scenario (``index`` + `SUMMARY_COLUMNS`, method
    #: ``ensemble``), when asked for; never part of ``summary``
    ensemble_summary: pl.DataFrame | None = None


_OK_FLOATS = ("loss_usd_central", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
              "loss_usd_mean", "loss_usd_per_day_p05", "loss_usd_per_day_p50",
              "loss_usd_per_day_p95", "share_of_gdp_p05", "share_of_gdp_p50",
              "share_of_gdp_p95", "loss_usd_per_capita_p50", "loss_usd_per_affected_user_p50",
              "capped_share", "loss_p05", "loss_p50", "loss_p95", "loss_per_day_p05",
              "loss_per_day_p50", "loss_per_day_p95", "loss_per_capita_p50")


def _group_columns(ev: _Evaluated, gdp, pop, users, days, factor) -> dict[str, np.ndarray]:
    """Summary figures of one evaluated group [USD; output currency for ``loss_*``]."""
    return figures(np.asarray(ev.group.rows), ev.q, ev.central, ev.mean, ev.capped, gdp, pop,
                    users, days, factor)


def draw_notes(method: str, gains: float, capped: float) -> list[str]:
    """The notes on a method's draws: the share that implied a gain (counted as 0) and the
    share capped at the GDP of the period [0-1 each]; none for a share of 0.

    Examples
    --------
    >>> draw_notes("impact", 0.0, 0.0004)
    ['impact: 0.04 % of draws capped at the GDP of the period']
    >>> draw_notes("panel", 0.123, 0.0)[0].split(" (")[0]
    'panel: 12.3 % of draws imply a gain rather than a loss'
    >>> draw_notes("impact", 0.0, 0.0)
    []
    """
    out = []
    if gains > 0:
        out.append(f"{method}: {fmt.percent(gains)} of draws imply a gain rather than a loss "
                   "(counted as 0: the fitted effect's interval crosses zero)")
    if capped > 0:
        out.append(f"{method}: {fmt.percent(capped)} of draws capped at the GDP of the period")
    return out


def _reason(m: Method, ctx: Context) -> str:
    """The summary row's reason: the method's scope note for scopes other than a full
    shutdown, and its circumvention note when the scenario sets circumvention above 0."""
    parts = [m.scope_note] if ctx.scope != "full" and m.scope_note else []
    if m.circumvention_note and (ctx.circumvention or 0.0) > 0:
        parts.append(f"circumvention {ctx.circumvention:g} ignored: {m.circumvention_note}")
    return "; ".join(parts)


def assemble(scenarios, contexts, conversions, notes, chosen, status, evaluated, draws, seeds,
              details) -> Pass:
    """The pass's tables: one summary row per scenario and method, in scenario order and the
    order of ``chosen``; built from arrays, one frame per table."""
    order = {m.name: j for j, m in enumerate(chosen)}
    gdp = np.array([c.gdp_usd if c else np.nan for c in contexts])
    pop = np.array([c.population.value if c else np.nan for c in contexts])
    users = np.array([c.users.value * c.affected_share if c else np.nan for c in contexts])
    days = np.array([c.hours / 24.0 if c else np.nan for c in contexts])
    factor = np.array([v.factor if v else np.nan for v in conversions])
    index: list[np.ndarray] = []
    rank: list[np.ndarray] = []
    floats: dict[str, list[np.ndarray]] = {c: [] for c in _OK_FLOATS}
    text: dict[str, list] = {"method": [], "status": [], "reason": [], "main_driver": []}
    ass: dict[str, list] = {c: [] for c in ASSUMPTION_SCHEMA}
    sens: dict[str, list] = {c: [] for c in SENSITIVITY_SCHEMA}
    comps: dict[tuple[int, str], dict[str, float]] = {}
    samples: dict[tuple[int, str], np.ndarray] = {}
    inputs: dict[tuple[int, str], list[ParamSpec]] = {}
    for ev in evaluated:
        g, m = ev.group, ev.group.method
        n = len(g.rows)
        bad = ev.bad if ev.bad is not None else np.zeros(n, dtype=bool)
        index.append(np.asarray(g.rows))
        rank.append(np.full(n, order[m.name]))
        for c, v in _group_columns(ev, gdp, pop, users, days, factor).items():
            v = np.asarray(v, dtype=float)
            floats[c].append(np.where(bad, np.nan, v) if bad.any() else v)
        if ev.lo is not None:
            swing = np.where(ev.uncertain, np.abs(ev.hi - ev.lo), -np.inf)
            top = np.argmax(swing, axis=1)
            driver = [g.names[t] if ev.uncertain[r, t] else "" for r, t in enumerate(top)]
        else:
            driver = [""] * n
        text["method"] += [m.name] * n
        text["status"] += ["unavailable" if b else "ok" for b in bad]
        text["reason"] += [NONFINITE_REASON if bad[r] else _reason(m, contexts[i])
                           for r, i in enumerate(g.rows)]
        text["main_driver"] += [None if bad[r] else d for r, d in enumerate(driver)]
        if m.note is not None:
            for r in np.flatnonzero(~bad):
                said = m.note(contexts[g.rows[r]], g.specs[r])
                if said:
                    notes[g.rows[r]].append(f"{m.name}: {said}")
        for r in np.flatnonzero(((ev.gains > 0) | (ev.capped > 0)) & ~bad):
            notes[g.rows[r]] += draw_notes(m.name, float(ev.gains[r]), float(ev.capped[r]))
        if ev.components is not None:
            for r, i in enumerate(g.rows):
                if not bad[r]:
                    comps[(i, m.name)] = {c: float(v[r]) for c, v in ev.components.items()}
        if ev.samples is not None:
            for r, i in enumerate(g.rows):
                if not bad[r]:
                    samples[(i, m.name)] = ev.samples[r]
        inputs.update(((i, m.name), specs) for i, specs in zip(g.rows, g.specs, strict=True))
        if details:
            _details(ev, ass, sens, bad)
    if status:
        keys = sorted(status, key=lambda t: (t[0], order[t[1]]))
        index.append(np.array([i for i, _ in keys], dtype=np.int64))
        rank.append(np.array([order[name] for _, name in keys], dtype=np.int64))
        for c in _OK_FLOATS:
            floats[c].append(np.full(len(keys), np.nan))
        text["method"] += [name for _, name in keys]
        text["status"] += [status[t][0] for t in keys]
        text["reason"] += [status[t][1] for t in keys]
        text["main_driver"] += [None] * len(keys)
    idx = np.concatenate(index) if index else np.zeros(0, dtype=np.int64)
    pos = np.lexsort((np.concatenate(rank) if rank else idx, idx))
    idx = idx[pos]
    ok = np.array(text["status"], dtype=object)[pos] == "ok" if len(pos) else np.zeros(0, bool)
    titles = {m.name: m.title for m in chosen}
    method = [text["method"][p] for p in pos]
    cols: dict[str, object] = {
        "index": idx, "method": method, "title": [titles[x] for x in method],
        "status": [text["status"][p] for p in pos], "reason": [text["reason"][p] for p in pos],
        "iso3": [scenarios[i].iso3 for i in idx],
        "country": [contexts[i].country if contexts[i] else None for i in idx],
        "year": [contexts[i].year if contexts[i] else None for i in idx],
        "scope": [scenarios[i].scope for i in idx],
        "duration_hours": [scenarios[i].hours for i in idx],
        "main_driver": [text["main_driver"][p] for p in pos],
    }
    for c in _OK_FLOATS:
        cols[c] = np.concatenate(floats[c])[pos] if floats[c] else np.zeros(0)
    conv = [conversions[i] if k else None for i, k in zip(idx, ok, strict=True)]
    cols |= {"currency": [v.currency if v else None for v in conv],
             "price_basis": [v.price_basis if v else None for v in conv],
             "price_year": [v.price_year if v else None for v in conv],
             "draws": [draws if k else None for k in ok],
             "seed": [seeds[i] if k else None for i, k in zip(idx, ok, strict=True)]}
    schema = summary_schema()
    summary = pl.DataFrame([pl.Series("index", idx, dtype=pl.Int64)] + [
        pl.Series(c, cols[c], dtype=schema[c], nan_to_null=True)
        if schema[c] == pl.Float64 else pl.Series(c, cols[c], dtype=schema[c])
        for c in SUMMARY_COLUMNS])
    return Pass(list(scenarios), contexts, conversions, summary,
                pl.DataFrame(ass, schema=ASSUMPTION_SCHEMA),
                pl.DataFrame(sens, schema=SENSITIVITY_SCHEMA),
                [tuple(x) for x in notes], components=comps, samples=samples, inputs=inputs)


_SPEC_COLUMNS = ("parameter", "value", "low", "high", "unit", "distribution", "source", "notes")


def _details(ev: _Evaluated, ass: dict[str, list], sens: dict[str, list],
             bad: np.ndarray) -> None:
    """Assumption rows (every input) and sensitivity rows (uncertain inputs by swing; none for
    a scenario whose figures are not finite, ``bad``)."""
    g, m = ev.group, ev.group.method
    for r, i in enumerate(g.rows):
        specs = g.specs[r]  # ParamSpec tuples: name, value, low, high, unit, distribution,
        k = len(specs)      # source, notes — the assumption columns after index and method
        ass["index"] += [i] * k
        ass["method"] += [m.name] * k
        for c, values in zip(_SPEC_COLUMNS, zip(*specs, strict=True), strict=True):
            ass[c] += values
        if ev.lo is None or bad[r]:
            continue
        ranked = [j for j in np.argsort(-np.abs(ev.hi[r] - ev.lo[r]), kind="stable")
                  if ev.uncertain[r, j]]
        for rank, j in enumerate(ranked, start=1):
            lo, hi = float(ev.lo[r, j]), float(ev.hi[r, j])
            for c, v in (("index", i), ("method", m.name), ("parameter", g.names[j]),
                         ("loss_usd_at_p05", lo), ("loss_usd_at_p95", hi),
                         ("swing_usd", abs(hi - lo)), ("rank", rank)):
                sens[c].append(v)


# ---- one scenario ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Estimate:
    """Result of `estimate`: one summary row per method plus everything that produced it.

    ``summary`` money columns are USD (current prices of the event year) unless prefixed
    ``loss_`` without ``_usd``, which are in ``currency``/``price_basis``. Shares are 0-1.
    """

    scenario: Scenario
    context: Context
    summary: pl.DataFrame
    assumptions: pl.DataFrame
    sensitivity: pl.DataFrame
    notes: tuple[str, ...]
    vintages: pl.DataFrame
    samples: Mapping[str, np.ndarray] = field(repr=False, default_factory=dict)
    components: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    overrides: Mapping[str, float] = field(default_factory=dict)
    #: the headline ensemble its pass computed (`impact.estimation.ensemble.Ensemble`), when it did
    pooled: Any = field(default=None, repr=False)
    #: that ensemble as one summary row (method ``ensemble``), for exports; never in
    #: ``summary``, whose rows are the methods
    ensemble_summary: pl.DataFrame | None = field(default=None, repr=False)
    #: what turns its USD (current prices of the event year) into the output currency: the
    #: summary's ``loss_*`` columns are ``loss_usd_*`` × ``conversion.factor``
    conversion: Conversion | None = None

    def __post_init__(self) -> None:
        if self.conversion is None:  # an Estimate built by hand: the engine's conversion
            ctx, sc = self.context, self.scenario
            object.__setattr__(self, "conversion", conversion(
                ctx.iso3, ctx.year, sc.currency, sc.price_basis, sc.price_year,
                currency_code(ctx.iso3)))

    def row(self, method: str) -> dict:
        rows = self.summary.filter(pl.col("method") == method)
        if rows.height == 0:
            raise KeyError(method)
        return rows.row(0, named=True)


def split(result: Pass, overrides: Mapping[str, float] | None = None) -> list[Estimate | None]:
    """One `Estimate` per scenario of a pass (None for a scenario that could not be resolved
    against the data at all, ``result.errors[i]`` says why; a single scenario raises it)."""
    n = len(result.scenarios)
    tables = [("summary", result.summary), ("assumptions", result.assumptions),
              ("sensitivity", result.sensitivity)]
    if result.ensemble_summary is not None:
        tables.append(("ensemble", result.ensemble_summary))
    parts = {k: _partition(v, n) for k, v in tables}
    vint = vintages()
    samples: dict[int, dict[str, np.ndarray]] = {}
    for (j, m), v in result.samples.items():
        samples.setdefault(j, {})[m] = v
    comps: dict[int, dict[str, dict[str, float]]] = {}
    for (j, m), v in result.components.items():
        comps.setdefault(j, {})[m] = v
    out: list[Estimate | None] = []
    for i, sc in enumerate(result.scenarios):
        ctx = result.contexts[i]
        if ctx is None:
            if n == 1:
                raise result.errors[i]
            out.append(None)
            continue
        out.append(Estimate(sc, ctx, parts["summary"][i], parts["assumptions"][i],
                            parts["sensitivity"][i], result.notes[i], vint,
                            samples.get(i, {}), comps.get(i, {}), dict(overrides or {}),
                            result.ensembles[i] if result.ensembles is not None else None,
                            parts["ensemble"][i] if "ensemble" in parts else None,
                            result.conversions[i]))
    return out


def _partition(frame: pl.DataFrame, n: int) -> list[pl.DataFrame]:
    """Rows of each scenario index 0..n-1 (without the index column), in one pass."""
    if n == 1:
        frame = frame.clone()
        frame.drop_in_place("index")
        return [frame]
    groups = frame.partition_by("index", as_dict=True, include_key=False)
    empty = frame.drop("index").clear()
    return [groups.get((i,), empty) for i in range(n)]


def vintages() -> pl.DataFrame:
    try:
        return read_bundled("vintages")
    except FileNotFoundError:
        return pl.DataFrame()
