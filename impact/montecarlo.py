"""Seeded, vectorised Monte Carlo over a method's uncertain inputs, and one-at-a-time
sensitivity (which input moves the loss most)."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

import numpy as np

from impact.errors import InputError
from impact.parameters import ParamSpec

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 20240208  # Pakistan's election-day shutdown; any fixed integer would do


def check_seed(seed: object) -> int:
    """A seed is a whole number from 0 to 2**63 - 1, or `InputError`."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) \
            or not 0 <= int(seed) < 2**63:
        raise InputError("seed", seed, "a whole number from 0 to 2**63 - 1")
    return int(seed)


def scenario_seed(seed: int, scenario_id: str) -> int:
    """Seed of one scenario of a table, from the table's seed and the scenario's id: a row's
    figures do not depend on which other rows are in the table, or on how it is split.

    Examples
    --------
    >>> scenario_seed(1, "a") == scenario_seed(1, "a") != scenario_seed(1, "b")
    True
    """
    return (int(seed) * 1_000_003 + zlib.crc32(str(scenario_id).encode())) % 2**63


def method_rng(seed: int, method: str) -> np.random.Generator:
    """Independent, reproducible stream per (seed, method)."""
    return np.random.default_rng([seed, zlib.crc32(method.encode())])


def draw(specs: Sequence[ParamSpec], n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` draws of every input (fixed inputs as constant arrays), in spec order."""
    return {s.name: s.sample(rng, n) for s in specs}


def central(specs: Sequence[ParamSpec]) -> dict[str, np.ndarray]:
    return {s.name: np.array([s.value]) for s in specs}


def quantiles(values: np.ndarray, qs: Sequence[float] = (0.05, 0.5, 0.95)) -> np.ndarray:
    return np.quantile(values, qs)


def sensitivity(specs: Sequence[ParamSpec],
                loss: Callable[[dict[str, np.ndarray]], np.ndarray]) -> list[tuple[str, float, float]]:
    """For each uncertain input: loss with that input at its P5 and at its P95, all other inputs
    at their central values. Returns (name, loss_low, loss_high) sorted by swing, largest
    first. One vectorised evaluation for all inputs."""
    uncertain = [s for s in specs if s.uncertain]
    if not uncertain:
        return []
    m = 2 * len(uncertain)
    cols = {s.name: np.full(m, s.value) for s in specs}
    for i, s in enumerate(uncertain):
        cols[s.name][2 * i] = s.quantile(0.05)
        cols[s.name][2 * i + 1] = s.quantile(0.95)
    values = np.asarray(loss(cols), dtype=float).reshape(-1)
    rows = [(s.name, float(values[2 * i]), float(values[2 * i + 1]))
            for i, s in enumerate(uncertain)]
    return sorted(rows, key=lambda r: -abs(r[2] - r[1]))
