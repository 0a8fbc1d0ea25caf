"""One scenario's estimate: every requested method's Monte Carlo range, normalisations,
sensitivity, assumptions and data notes, in one `Estimate` (the N = 1 case of the engine)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from impact.bundled.countries import currency_code
from impact.bundled.io import read_bundled
from impact.bundled.prices import Conversion, conversion
from impact.estimation.engine import run
from impact.estimation.results import Pass
from impact.model.context import Context
from impact.model.montecarlo import DEFAULT_DRAWS, check_seed
from impact.model.scenario import Scenario
from impact.vocab import DEFAULT_SEED, SUMMARY_COLUMNS

__all__ = ["SUMMARY_COLUMNS", "Estimate", "estimate", "split", "vintages"]


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


def estimate(scenario: Scenario, methods: str | Sequence[str] = "all", *,
             draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
             overrides: Mapping[str, float] | None = None) -> Estimate:
    """Estimate the loss of ``scenario`` with each method (the N = 1 case of `engine.run`).

    Parameters
    ----------
    scenario : a validated `Scenario`
    methods : ``"all"`` or method names
    draws : Monte Carlo draws per method [count]
    seed : random seed; the same seed gives the same figures
    overrides : central values to replace, keyed ``parameter`` or ``method.parameter``
    """
    seed = check_seed(seed)
    result = run([scenario], methods, draws=draws, seeds=[seed], overrides=overrides,
                 keep_samples=True, ensemble=True)
    return split(result, overrides)[0]


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
