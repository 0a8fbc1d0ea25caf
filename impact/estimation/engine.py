"""The engine: N scenarios × D Monte Carlo draws per method, in one vectorised pass.

Every surface goes through `run`: `estimate` is its N = 1 case; batch files, the event
catalogue, the validation script and the app call it with many scenarios at once.

How a pass works, per method:

1. each scenario is resolved once (`impact.model.context.build_context`) and the method lists its
   inputs as `ParamSpec` rows (data inputs fixed, coefficients with their distributions);
   overrides replace central values;
2. scenarios whose inputs have the same names in the same order (same scope and platforms)
   form a *group*; the group's inputs become ``(n, D)`` arrays — fixed inputs are broadcast
   views, uncertain ones are transformed from each scenario's own random stream;
3. the method's formula runs once over the group's arrays; quantiles, means, capped and
   negative shares are taken along the draws; a one-at-a-time sensitivity evaluates every
   input at its P5 and P95 for all scenarios of the group in one call.

Each scenario has its own seed, and its stream per method is ``default_rng([seed,
crc32(method)])``, consumed in input order exactly as `ParamSpec.sample` would: a scenario's
figures do not depend on the other scenarios of the pass, or on how a table is partitioned.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real

import numpy as np

from impact.bundled.countries import currency_code
from impact.bundled.prices import Conversion, conversion
from impact.errors import BundledDataError, DataError, ImpactError, InputError
from impact.estimation.ensemble import ensemble_frame, headlines
from impact.estimation.results import Estimate, Pass, assemble, split
from impact.methods import Method, get_methods
from impact.methods.base import Draws
from impact.model.context import Context, build_context
from impact.model.distributions import KIND, UNIFORM_KINDS, draw, quantile_at
from impact.model.montecarlo import DEFAULT_DRAWS, check_seed, streams
from impact.model.parameters import (
    DEFAULT_RANGE,
    ParamSpec,
    unit_range,
    within_range,
)
from impact.model.scenario import Scenario
from impact.vocab import DEFAULT_SEED, not_costed_words

MAX_DRAWS = 1_000_000
#: target size of one group's draw arrays [values]; larger groups are evaluated in slices
_SLICE_VALUES = 4_000_000


def check_draws(draws: object) -> int:
    """Draws per scenario and method [count], or `InputError`."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) \
            or not 100 <= int(draws) <= MAX_DRAWS:
        raise InputError("draws", draws, "a whole number from 100 to 1,000,000")
    return int(draws)


def apply_overrides(method: Method, specs: list[ParamSpec],
                    overrides: Mapping[str, float]) -> list[ParamSpec]:
    """Specs with the central values of ``overrides`` (keys ``name`` or ``method.name``), their
    ranges cut to the unit's physical range (`impact.model.parameters.within_range`)."""
    if not overrides:
        return specs
    out = []
    for s in specs:
        key = f"{method.name}.{s.name}"
        if key in overrides:
            s = within_range(s.with_value(float(overrides[key])))
        elif s.name in overrides:
            s = within_range(s.with_value(float(overrides[s.name])))
        out.append(s)
    return out


def override_number(key: object, value: object) -> float:
    """An override's value as a float (inf for an integer too large for one), or
    `InputError` when it is not a real number (text, true/false, None...); whether it is
    finite and in range is `check_overrides`'s question."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise InputError("set", f"{key}={value!r}", "a number as the value (not text or "
                         "true/false), e.g. {'recovery_share': 0.1}")
    try:
        return float(value)
    except (OverflowError, ValueError):
        return float("inf")


def check_overrides(known: Mapping[str, set[str]] | set[str],
                    overrides: Mapping[str, float]) -> None:
    """Every override names an input of the chosen methods (``known``: name or
    ``method.name`` -> the units it is given in) and is a finite number inside the physical
    range of its unit (`impact.model.parameters.UNIT_RANGES`: shares from 0 to 1, durations within
    the scenario's 20 years, positive GDP...); a plain set of names checks the general rule
    (`impact.model.parameters.DEFAULT_RANGE`)."""
    units = known if isinstance(known, Mapping) else {key: set() for key in known}
    for key, value in overrides.items():
        if not isinstance(key, str) or key not in units:
            close = difflib.get_close_matches(str(key), sorted(units), n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise InputError("set", key, f"{hint}a parameter name used by the chosen methods "
                             "(see the assumptions table), e.g. "
                             + ", ".join(sorted(k for k in units if "." not in k)[:6]))
        number = override_number(key, value)
        for unit in sorted(units[key]) or [None]:
            r = unit_range(unit) if unit is not None else DEFAULT_RANGE
            if not r.accepts(number):
                what = f"{key} [{unit}]" if unit is not None else key
                raise InputError("set", f"{key}={number:.12g}", f"{what}: {r.words}")


#: the reason of a method's row whose figures came out NaN or infinite (never status ok)


# ---- sampling --------------------------------------------------------------------------------
@dataclass
class _Group:
    """Scenarios that share one method, scope, platforms and input names: the formula runs
    once over all of them."""

    method: Method
    names: tuple[str, ...]
    rows: list[int] = field(default_factory=list)
    specs: list[list[ParamSpec]] = field(default_factory=list)


def _spec_arrays(specs: list[list[ParamSpec]], k: int) -> tuple[np.ndarray, ...]:
    """value, low, high [input units] and distribution codes (0 = fixed), shape (n, k)."""
    n = len(specs)
    flat = [s for row in specs for s in row]

    def column(i: int) -> np.ndarray:
        return np.fromiter((s[i] for s in flat), dtype=float, count=n * k).reshape(n, k)

    value, low, high = column(1), column(2), column(3)
    dist = np.fromiter((KIND[s[5]] for s in flat), dtype=np.int8, count=n * k)
    code = np.where(high > low, dist.reshape(n, k), 0).astype(np.int8)  # ParamSpec.uncertain
    return value, low, high, code


def _runs(row: np.ndarray) -> tuple[tuple[int, int, bool], ...]:
    """Consecutive uncertain inputs drawn the same way, as (first, end, uniform) runs: each run
    is one call to the generator (k calls of D numbers = one call of k × D, same stream)."""
    runs, j, k = [], 0, len(row)
    while j < k:
        if row[j] == 0:
            j += 1
            continue
        uniform = row[j] in UNIFORM_KINDS
        end = j + 1
        while end < k and row[end] != 0 and (row[end] in UNIFORM_KINDS) == uniform:
            end += 1
        runs.append((j, end, bool(uniform)))
        j = end
    return tuple(runs)


def _variates(code: np.ndarray, seeds: Sequence[int], method: str, draws: int
              ) -> np.ndarray:
    """Raw variates, shape (n, k, D): uniforms for triangular/uniform inputs, standard normals
    for normal/lognormal ones (fixed inputs left unset), each scenario from its own stream,
    consumed in input order (as `ParamSpec.sample` does, so the figures are those of a
    one-by-one draw). Written in place: no temporary per scenario."""
    n, k = code.shape
    out = np.empty((n, k, draws))
    patterns: dict[bytes, tuple[tuple[int, int, bool], ...]] = {}
    for i, rng in enumerate(streams(seeds, method)):
        key = code[i].tobytes()
        runs = patterns.get(key)
        if runs is None:
            runs = patterns[key] = _runs(code[i])
        for first, end, uniform in runs:
            if uniform:
                rng.random(out=out[i, first:end])
            else:
                rng.standard_normal(out=out[i, first:end])
    return out


def _transform(j: int, value, low, high, code, raw: np.ndarray | None) -> np.ndarray:
    """Draws of input column ``j`` for every scenario of a group, shape (n, D) or (n, 1)."""
    v, lo, hi, c = value[:, j:j + 1], low[:, j:j + 1], high[:, j:j + 1], code[:, j]
    if raw is None:
        return v
    kinds = np.unique(c)
    if len(kinds) == 1:  # the usual case: one distribution for the whole group
        return draw(int(kinds[0]), v, lo, hi, raw)
    out = np.broadcast_to(v, raw.shape).copy()
    for kind in kinds:
        if kind == 0:
            continue
        rows = c == kind
        out[rows] = draw(int(kind), v[rows], lo[rows], hi[rows], raw[rows])
    return out


def _inputs(names, columns: list[np.ndarray], central: list[np.ndarray]) -> Draws:
    p = Draws(zip(names, columns, strict=True))
    p.central = dict(zip(names, central, strict=True))
    return p


QUANTILES = (0.05, 0.5, 0.95)


def _quantiles(values: np.ndarray, scratch: bool = False) -> np.ndarray:
    """P5, P50 and P95 along the last axis, shape (3, n): exactly `numpy.quantile`'s (linear
    interpolation), taken from rows sorted first — numpy sorts rows of draws faster than it
    selects from them, and selects from sorted rows at once. ``values`` is sorted in place
    when it is ``scratch``, else a copy is (draws kept as samples keep their order)."""
    rows = values if scratch else values.copy()
    rows.sort(axis=-1)
    return np.quantile(rows, QUANTILES, axis=-1, overwrite_input=True)


@dataclass
class _Evaluated:
    """One group's results, as arrays over its scenarios [USD unless stated]."""

    group: _Group
    central: np.ndarray
    q: np.ndarray  # (3, n): P5, P50, P95
    mean: np.ndarray
    capped: np.ndarray  # share of draws above the period's GDP [0-1]
    gains: np.ndarray  # share of draws below zero [0-1]
    lo: np.ndarray | None  # (n, k) loss with input j at its P5, others central
    hi: np.ndarray | None
    uncertain: np.ndarray  # (n, k) bool
    components: dict[str, np.ndarray] | None
    samples: np.ndarray | None
    #: (n,) bool: a figure of the scenario came out NaN or infinite (status unavailable)
    bad: np.ndarray | None = None


def _nonfinite(q, centre, mean, lo, hi, comps) -> np.ndarray:
    """(n,) bool: any of a scenario's figures is NaN or infinite (draws, central value,
    sensitivity ends or components)."""
    bad = ~(np.isfinite(q).all(axis=0) & np.isfinite(centre) & np.isfinite(mean))
    for extra in (lo, hi):
        if extra is not None:
            bad |= ~np.isfinite(extra).all(axis=1)
    for v in (comps or {}).values():
        bad |= ~np.isfinite(v)
    return bad


def _evaluate(group: _Group, contexts: list[Context], seeds: Sequence[int], draws: int,
              keep_samples: bool) -> _Evaluated:
    """Evaluate one group's scenarios (a slice that fits `_SLICE_VALUES`). Overflow and
    invalid operations are silent: an infinite loss is capped at the period's GDP, and a
    NaN makes the scenario's row unavailable (`_Evaluated.bad`)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _evaluate_quietly(group, contexts, seeds, draws, keep_samples)


def _evaluate_quietly(group: _Group, contexts: list[Context], seeds: Sequence[int],
                      draws: int, keep_samples: bool) -> _Evaluated:
    m, names, k = group.method, group.names, len(group.names)
    value, low, high, code = _spec_arrays(group.specs, k)
    kind = contexts[group.rows[0]]
    raw = _variates(code, [seeds[i] for i in group.rows], m.name, draws)
    central = [value[:, j:j + 1] for j in range(k)]
    cols = [_transform(j, value, low, high, code, raw[:, j] if code[:, j].any() else None)
            for j in range(k)]
    del raw
    n = len(group.rows)
    cap = np.array([[contexts[i].period_gdp_usd] for i in group.rows])
    loss_raw = np.broadcast_to(np.asarray(m.loss_usd(kind, _inputs(names, cols, central)),
                                          dtype=float), (n, draws))
    del cols
    losses = np.clip(loss_raw, 0.0, cap)
    centre = np.clip(np.broadcast_to(np.asarray(
        m.loss_usd(kind, _inputs(names, central, central)), dtype=float), (n, 1))[:, 0],
        0.0, cap[:, 0])
    capped = (loss_raw > cap).mean(axis=1)
    gains = (loss_raw < 0).mean(axis=1)
    del loss_raw
    q = _quantiles(losses)
    mean = losses.mean(axis=1)
    # one-at-a-time sensitivity: 2k evaluations per scenario, all in one call
    uncertain = code != 0
    lo = hi = None
    if uncertain.any():
        lo_q = quantile_at(value, low, high, code, 0.05)
        hi_q = quantile_at(value, low, high, code, 0.95)
        grid = []
        for j in range(k):
            g = np.repeat(value[:, j:j + 1], 2 * k, axis=1)
            g[:, 2 * j] = lo_q[:, j]
            g[:, 2 * j + 1] = hi_q[:, j]
            grid.append(g)
        sens = np.clip(np.broadcast_to(np.asarray(
            m.loss_usd(kind, _inputs(names, grid, central)), dtype=float), (n, 2 * k)),
            0.0, cap)
        lo, hi = sens[:, 0::2], sens[:, 1::2]
    comps = None
    if m.components is not None:
        comps = {key: np.broadcast_to(np.asarray(v, dtype=float), (n, 1))[:, 0].copy()
                 for key, v in m.components(kind, _inputs(names, central, central)).items()}
    return _Evaluated(group, centre, q, mean, capped, gains, lo, hi, uncertain, comps,
                      losses if keep_samples else None,
                      _nonfinite(q, centre, mean, lo, hi, comps))


# ---- the pass --------------------------------------------------------------------------------
@dataclass
class Plan:
    """Scenarios resolved against the data and grouped for evaluation (before any draw)."""

    scenarios: list[Scenario]
    methods: list[Method]
    seeds: list[int]
    contexts: list[Context | None]
    conversions: list[Conversion | None]
    notes: list[list[str]]
    status: dict[tuple[int, str], tuple[str, str]]
    errors: dict[int, ImpactError]
    groups: list[_Group]
    #: (scenario, method) pairs whose figures came out NaN or infinite (left out of the
    #: ensemble; their summary rows are unavailable)
    nonfinite: set[tuple[int, str]] = field(default_factory=set)


def plan(scenarios: Sequence[Scenario], methods: str | Sequence[str] = "all", *,
         seeds: Sequence[int] | int, overrides: Mapping[str, float] | None = None) -> Plan:
    """Resolve every scenario once, list every method's inputs once, apply overrides and
    group scenarios that share a formula. See `run`."""
    chosen = get_methods(methods)
    if overrides is not None and not isinstance(overrides, Mapping):
        raise InputError("overrides", overrides, "a mapping of parameter names to numbers, "
                         "e.g. {'recovery_share': 0.1}")
    overrides = dict(overrides or {})
    for key, value in overrides.items():
        override_number(key, value)
    scenarios = list(scenarios)
    n = len(scenarios)
    seeds = [int(seeds)] * n if isinstance(seeds, int | np.integer) else [int(s) for s in seeds]
    if len(seeds) != n:
        raise InputError("seeds", len(seeds), f"one seed per scenario ({n})")
    contexts: list[Context | None] = []
    conversions: list[Conversion | None] = []
    notes: list[list[str]] = []
    status: dict[tuple[int, str], tuple[str, str]] = {}
    errors: dict[int, ImpactError] = {}
    for i, sc in enumerate(scenarios):
        try:
            ctx = build_context(sc)
            conv = conversion(ctx.iso3, ctx.year, sc.currency, sc.price_basis, sc.price_year,
                              currency_code(ctx.iso3))
        except BundledDataError:  # a broken bundled file: no estimate at all, not a gap
            raise
        except (DataError, InputError) as exc:
            errors[i] = exc
            contexts.append(None)
            conversions.append(None)
            notes.append([])
            for m in chosen:
                status[(i, m.name)] = ("unavailable", str(exc))
            continue
        contexts.append(ctx)
        conversions.append(conv)
        notes.append(list(ctx.notes) + list(conv.notes))
    known: dict[str, set[str]] = {}
    raw_specs: dict[tuple[int, str], list[ParamSpec]] = {}
    for m in chosen:
        for i, ctx in enumerate(contexts):
            if ctx is None:
                continue
            if ctx.scope not in m.scopes:
                status[(i, m.name)] = ("not_applicable",
                                       not_costed_words(m.title, ctx.scope, m.scopes))
                continue
            try:
                specs = m.inputs(ctx)
            except BundledDataError:
                raise
            except DataError as exc:
                status[(i, m.name)] = ("unavailable", str(exc))
                continue
            raw_specs[(i, m.name)] = specs
            if overrides:
                for s in specs:
                    known.setdefault(s.name, set()).add(s.unit)
                    known.setdefault(f"{m.name}.{s.name}", set()).add(s.unit)
    if raw_specs and overrides:
        check_overrides(known, overrides)
    groups: dict[tuple, _Group] = {}
    for m in chosen:
        for i in range(n):
            specs = raw_specs.get((i, m.name))
            if specs is None:
                continue
            specs = apply_overrides(m, specs, overrides)
            names = tuple(s.name for s in specs)
            key = (m.name, contexts[i].scope, contexts[i].platforms, names)
            g = groups.setdefault(key, _Group(m, names))
            g.rows.append(i)
            g.specs.append(specs)
    return Plan(scenarios, chosen, seeds, contexts, conversions, notes, status, errors,
                list(groups.values()))


def run(scenarios: Sequence[Scenario], methods: str | Sequence[str] = "all", *,
        draws: int = DEFAULT_DRAWS, seeds: Sequence[int] | int,
        overrides: Mapping[str, float] | None = None, keep_samples: bool = False,
        details: bool = True, ensemble: bool = False) -> Pass:
    """Estimate every scenario with every method in one pass.

    Parameters
    ----------
    scenarios : validated scenarios
    methods : ``"all"`` or method names
    draws : Monte Carlo draws per scenario and method [count]
    seeds : one seed per scenario (or one for all); see `impact.model.montecarlo.scenario_seed`
    overrides : central values to replace, keyed ``parameter`` or ``method.parameter``
    keep_samples : keep the clipped draws [USD] of every scenario and method
    details : build the assumptions and sensitivity tables (off for callers that only need
        the summary, e.g. the event catalogue)
    ensemble : also compute each scenario's headline (`impact.estimation.ensemble`: the methods that
        apply, combined quantile by quantile) — ``ensembles`` and ``ensemble_summary`` of the
        pass, from the summary in one vectorised call.

    Raises
    ------
    InputError : bad draws, method name or override (the pass as a whole is unusable)
    """
    draws = check_draws(draws)
    p = plan(scenarios, methods, seeds=seeds, overrides=overrides)
    evaluated: list[_Evaluated] = []
    for g in p.groups:
        step = max(1, _SLICE_VALUES // (draws * max(1, len(g.names))))
        for a in range(0, len(g.rows), step):
            part = _Group(g.method, g.names, g.rows[a:a + step], g.specs[a:a + step])
            evaluated.append(_evaluate(part, p.contexts, p.seeds, draws, keep_samples))
    out = assemble(p.scenarios, p.contexts, p.conversions, p.notes, p.methods, p.status,
                    evaluated, draws, p.seeds, details)
    out.errors = p.errors
    if ensemble:
        out.ensembles = headlines(p, out.summary)
        out.ensemble_summary = ensemble_frame(out.ensembles, p.scenarios, p.contexts,
                                              p.conversions, draws, p.seeds)
    return out


def estimate(scenario: Scenario, methods: str | Sequence[str] = "all", *,
             draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
             overrides: Mapping[str, float] | None = None) -> Estimate:
    """Estimate the loss of ``scenario`` with each method (the N = 1 case of `run`).

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
