"""Run every requested method on a scenario: Monte Carlo ranges, normalisations,
sensitivity, assumptions and data notes, in one `Estimate`."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from impact.context import Context, build_context
from impact.errors import DataError, InputError
from impact.io import read_bundled
from impact.methods import Method, get_methods
from impact.montecarlo import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    central,
    draw,
    method_rng,
    quantiles,
    sensitivity,
)
from impact.parameters import ParamSpec
from impact.prices import conversion
from impact.scenario import Scenario

SUMMARY_COLUMNS = [
    "method", "title", "status", "reason", "iso3", "country", "year", "scope",
    "duration_hours", "loss_usd_central", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
    "loss_usd_mean", "loss_usd_per_day_p05", "loss_usd_per_day_p50", "loss_usd_per_day_p95",
    "share_of_gdp_p05", "share_of_gdp_p50", "share_of_gdp_p95", "loss_usd_per_capita_p50",
    "loss_usd_per_affected_user_p50", "capped_share", "main_driver", "currency",
    "price_basis", "price_year", "loss_p05", "loss_p50", "loss_p95", "draws", "seed",
]
_FLOAT_COLUMNS = {c for c in SUMMARY_COLUMNS if c.startswith(("loss", "share", "capped"))}
_FLOAT_COLUMNS.add("duration_hours")


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

    def row(self, method: str) -> dict:
        rows = self.summary.filter(pl.col("method") == method)
        if rows.height == 0:
            raise KeyError(method)
        return rows.row(0, named=True)


def _apply_overrides(method: Method, specs: list[ParamSpec],
                     overrides: Mapping[str, float]) -> list[ParamSpec]:
    out = []
    for s in specs:
        key = f"{method.name}.{s.name}"
        if key in overrides:
            s = s.with_value(float(overrides[key]))
        elif s.name in overrides:
            s = s.with_value(float(overrides[s.name]))
        out.append(s)
    return out


def _check_overrides(methods: Sequence[Method], ctx: Context,
                     overrides: Mapping[str, float]) -> None:
    known: set[str] = set()
    for m in methods:
        if ctx.scope in m.scopes:
            try:
                names = [s.name for s in m.inputs(ctx)]
            except DataError:
                continue
            known.update(names)
            known.update(f"{m.name}.{n}" for n in names)
    for key, value in overrides.items():
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise InputError("set", key, f"{hint}a parameter name used by the chosen methods "
                             "(see the assumptions table), e.g. "
                             + ", ".join(sorted(k for k in known if "." not in k)[:6]))
        if not np.isfinite(float(value)) or float(value) < 0:
            raise InputError("set", f"{key}={value}", "a finite number >= 0")


def _empty_row(method: Method, ctx: Context, status: str, reason: str) -> dict:
    row = {c: None for c in SUMMARY_COLUMNS}
    row.update(method=method.name, title=method.title, status=status, reason=reason,
               iso3=ctx.iso3, country=ctx.country, year=ctx.year, scope=ctx.scope,
               duration_hours=ctx.hours)
    return row


def estimate(scenario: Scenario, methods: str | Sequence[str] = "all", *,
             draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
             overrides: Mapping[str, float] | None = None) -> Estimate:
    """Estimate the loss of ``scenario`` with each method.

    Parameters
    ----------
    scenario : a validated `Scenario`
    methods : ``"all"`` or method names
    draws : Monte Carlo draws per method [count]
    seed : random seed; the same seed gives the same figures
    overrides : central values to replace, keyed ``parameter`` or ``method.parameter``
    """
    if not isinstance(draws, int) or not 100 <= draws <= 1_000_000:
        raise InputError("draws", draws, "a whole number from 100 to 1,000,000")
    overrides = dict(overrides or {})
    chosen = get_methods(methods)
    ctx = build_context(scenario)
    _check_overrides(chosen, ctx, overrides)
    conv = conversion(ctx.iso3, ctx.year, scenario.currency, scenario.price_basis,
                      scenario.price_year, _currency_code(ctx.iso3))
    notes = list(ctx.notes) + list(conv.notes)
    rows, assumption_rows, sens_rows = [], [], []
    samples: dict[str, np.ndarray] = {}
    comps: dict[str, dict[str, float]] = {}
    gdp_cap = ctx.period_gdp_usd
    for m in chosen:
        if ctx.scope not in m.scopes:
            rows.append(_empty_row(m, ctx, "not_applicable",
                                   f"{m.title} does not cost {ctx.scope} scenarios: "
                                   f"{m.scope_note}"))
            continue
        try:
            specs = _apply_overrides(m, m.inputs(ctx), overrides)
        except DataError as exc:
            rows.append(_empty_row(m, ctx, "unavailable", str(exc)))
            continue
        rng = method_rng(seed, m.name)
        p = draw(specs, draws, rng)
        raw = np.broadcast_to(np.asarray(m.loss_usd(ctx, p), dtype=float), (draws,))
        losses = np.clip(raw, 0.0, gdp_cap)
        centre = float(np.clip(np.asarray(m.loss_usd(ctx, central(specs))).reshape(-1)[0],
                               0.0, gdp_cap))
        q05, q50, q95 = quantiles(losses)
        days = ctx.hours / 24.0
        sens = sensitivity(specs, lambda cols, m=m: np.clip(m.loss_usd(ctx, cols), 0, gdp_cap))
        for rank, (name, lo, hi) in enumerate(sens, start=1):
            sens_rows.append({"method": m.name, "parameter": name, "loss_usd_at_p05": lo,
                              "loss_usd_at_p95": hi, "swing_usd": abs(hi - lo), "rank": rank})
        for s in specs:
            assumption_rows.append({"method": m.name, "parameter": s.name, "value": s.value,
                                    "low": s.low, "high": s.high, "unit": s.unit,
                                    "distribution": s.distribution, "source": s.source,
                                    "notes": s.notes})
        affected_users = ctx.users.value * ctx.affected_share
        row = _empty_row(m, ctx, "ok", "")
        row.update(
            reason=m.scope_note if ctx.scope != "full" else "",
            loss_usd_central=centre, loss_usd_p05=q05, loss_usd_p50=q50, loss_usd_p95=q95,
            loss_usd_mean=float(losses.mean()),
            loss_usd_per_day_p05=q05 / days, loss_usd_per_day_p50=q50 / days,
            loss_usd_per_day_p95=q95 / days,
            share_of_gdp_p05=q05 / ctx.gdp_usd, share_of_gdp_p50=q50 / ctx.gdp_usd,
            share_of_gdp_p95=q95 / ctx.gdp_usd,
            loss_usd_per_capita_p50=q50 / ctx.population.value,
            loss_usd_per_affected_user_p50=q50 / affected_users if affected_users > 0 else None,
            capped_share=float((raw > gdp_cap).mean()),
            main_driver=sens[0][0] if sens else "",
            currency=conv.currency, price_basis=conv.price_basis, price_year=conv.price_year,
            loss_p05=q05 * conv.factor, loss_p50=q50 * conv.factor, loss_p95=q95 * conv.factor,
            draws=draws, seed=seed,
        )
        rows.append(row)
        samples[m.name] = losses
        if m.name == "impact":
            from impact.methods.impact_model import components

            parts = components(ctx, central(specs))
            comps[m.name] = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in parts.items()}
        gains = float((raw < 0).mean())
        if gains > 0:
            notes.append(f"{m.name}: {gains:.0%} of draws imply a gain rather than a loss "
                         "(shown as 0; the fitted effect's interval crosses zero)")
        if row["capped_share"] > 0:
            notes.append(f"{m.name}: {row['capped_share']:.1%} of draws capped at the GDP of "
                         "the period")
    schema = {c: (pl.Float64 if c in _FLOAT_COLUMNS else None) for c in SUMMARY_COLUMNS}
    summary = pl.DataFrame(rows, schema_overrides={k: v for k, v in schema.items() if v},
                           infer_schema_length=None).select(SUMMARY_COLUMNS)
    assumptions = pl.DataFrame(assumption_rows, schema={
        "method": pl.String, "parameter": pl.String, "value": pl.Float64, "low": pl.Float64,
        "high": pl.Float64, "unit": pl.String, "distribution": pl.String, "source": pl.String,
        "notes": pl.String})
    sens_frame = pl.DataFrame(sens_rows, schema={
        "method": pl.String, "parameter": pl.String, "loss_usd_at_p05": pl.Float64,
        "loss_usd_at_p95": pl.Float64, "swing_usd": pl.Float64, "rank": pl.Int64})
    return Estimate(scenario, ctx, summary, assumptions, sens_frame, tuple(notes),
                    vintages(), samples, comps, overrides)


def _currency_code(iso3: str) -> str:
    countries = read_bundled("countries")
    code = countries.filter(pl.col("iso3") == iso3)["currency_code"]
    return code[0] if code.len() and code[0] else "LCU"


def vintages() -> pl.DataFrame:
    try:
        return read_bundled("vintages")
    except FileNotFoundError:
        return pl.DataFrame()
