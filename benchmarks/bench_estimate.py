"""Benchmark of `impact.estimate` (a script, not a test).

    python benchmarks/bench_estimate.py [--runs 20] [--draws 10000] [--mc-draws 1000000]

Reports
  (a) scenario latency: median wall time of `estimate()` for the Pakistan election-day mobile
      scenario with all five methods at 10,000 draws, over ~20 runs;
  (b) Monte Carlo throughput [draws/s] of the `impact` method alone (estimate(..., ["impact"]));
  (c) the ratio of (b) to a bare numpy kernel doing the same arithmetic: the same
      distributions drawn with numpy directly, the impact formula, the GDP cap and P5/P50/P95.
Prints a markdown table and machine information (CPU count, numpy/polars/Python versions).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl

from impact import estimate, parse_scenario
from impact.methods import REGISTRY

PAK_MOBILE = {"country": "Pakistan", "start": "2024-02-08T07:00", "end": "2024-02-08T17:00",
              "scope": "mobile", "label": "Pakistan election day 2024, mobile data cut"}
Z95 = 1.6448536269514722


def _timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _impact_specs(scenario) -> dict[str, dict]:
    """Central value, range and distribution of every impact-model input, read from the
    estimate's assumption table (inputs only, no results)."""
    est = estimate(scenario, ["impact"], draws=100)
    rows = est.assumptions.filter(pl.col("method") == "impact").to_dicts()
    return {r["parameter"]: r for r in rows}


def _numpy_sample(spec: dict, rng: np.random.Generator, n: int) -> np.ndarray:
    v, lo, hi, dist = spec["value"], spec["low"], spec["high"], spec["distribution"]
    if dist == "fixed" or hi <= lo:
        return np.full(n, v)
    if dist == "triangular":
        return rng.triangular(lo, min(max(v, lo), hi), hi, size=n)
    if dist == "uniform":
        return rng.uniform(lo, hi, size=n)
    sigma = max(np.log(hi / v), np.log(v / lo)) / Z95
    return v * np.exp(sigma * rng.standard_normal(n))


def numpy_kernel(specs: dict[str, dict], n: int, seed: int = 1) -> np.ndarray:
    """Bare numpy: draw the impact model's inputs and evaluate
    loss = GDP/8760 × h × w × s × a × p × i × (1 − v) × (1 + m) × (1 − r), capped at the GDP
    of the period, then P5/P50/P95."""
    rng = np.random.default_rng(seed)
    p = {name: _numpy_sample(s, rng, n) for name, s in specs.items()}
    scope = p.get("mobile_share", 1.0)
    loss = (p["gdp_usd"] / 8760.0 * p["duration_hours"] * p["time_weight"] * p["digital_share"]
            * p["affected_share"] * scope * p["intensity"] * (1.0 - p["circumvention"])
            * (1.0 + p["indirect_multiplier"]) * (1.0 - p["recovery_share"]))
    cap = specs["gdp_usd"]["value"] * specs["duration_hours"]["value"] / 8760.0
    loss = np.clip(loss, 0.0, cap)
    return np.quantile(loss, [0.05, 0.5, 0.95])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="timed runs per measurement")
    ap.add_argument("--draws", type=int, default=10_000, help="draws for the latency test")
    ap.add_argument("--mc-draws", type=int, default=1_000_000,
                    help="draws for the throughput test (max 1,000,000)")
    args = ap.parse_args(argv)

    scenario = parse_scenario(PAK_MOBILE)
    estimate(scenario, draws=args.draws)  # warm caches (data tables, fits)

    # (a) latency, all methods
    lat = _timed(lambda: estimate(scenario, draws=args.draws), args.runs)
    lat_med = statistics.median(lat)

    # (b) throughput, impact alone
    mc_runs = max(3, args.runs // 4)
    estimate(scenario, ["impact"], draws=args.mc_draws)
    thr_t = statistics.median(_timed(lambda: estimate(scenario, ["impact"], draws=args.mc_draws),
                                     mc_runs))
    thr = args.mc_draws / thr_t
    small_t = statistics.median(_timed(lambda: estimate(scenario, ["impact"], draws=args.draws),
                                       args.runs))

    # (c) bare numpy kernel on the same inputs
    specs = _impact_specs(scenario)
    numpy_kernel(specs, args.mc_draws)
    np_t = statistics.median(_timed(lambda: numpy_kernel(specs, args.mc_draws), mc_runs))
    np_thr = args.mc_draws / np_t
    np_small = statistics.median(_timed(lambda: numpy_kernel(specs, args.draws), args.runs))

    print("| measurement | value |")
    print("|---|---|")
    print(f"| (a) latency, Pakistan mobile 10 h, all {len(REGISTRY)} methods, {args.draws:,} draws "
          f"(median of {args.runs}) | {lat_med * 1e3:.1f} ms (min {min(lat) * 1e3:.1f}, "
          f"max {max(lat) * 1e3:.1f}) |")
    print(f"| (b) Monte Carlo throughput, `impact` alone, {args.mc_draws:,} draws "
          f"(median of {mc_runs}) | {thr / 1e6:.2f} M draws/s ({thr_t * 1e3:.0f} ms) |")
    print(f"| (b') `impact` alone at {args.draws:,} draws | {small_t * 1e3:.1f} ms "
          f"({args.draws / small_t / 1e6:.2f} M draws/s) |")
    print(f"| bare numpy kernel, {args.mc_draws:,} draws | {np_thr / 1e6:.2f} M draws/s "
          f"({np_t * 1e3:.0f} ms) |")
    print(f"| (c) throughput ratio `impact` / numpy at {args.mc_draws:,} draws | "
          f"{thr / np_thr:.2f} |")
    print(f"| (c') ratio at {args.draws:,} draws (fixed overhead dominates) | "
          f"{np_small / small_t:.2f} |")
    print()
    print(f"Machine: {platform.platform()}; {platform.processor() or platform.machine()}; "
          f"CPUs {os.cpu_count()}; Python {platform.python_version()}; numpy {np.__version__}; "
          f"polars {pl.__version__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
