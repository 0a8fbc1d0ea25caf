"""Engine benchmarks: each figure is a ratio to a floor measured side by side in the same run.

    python benchmarks/bench_engine.py [--repeats 5] [--quick] [--json results.json]

Every measurement runs in its own child process, so CPU time (user + system) and peak memory
(max RSS) are those of that process alone; the figure and its floor are interleaved repeat by
repeat and the ratio is of the medians. Floors:

* ``python -c "import polars, pydantic, numpy"`` for the command-line start-up figures;
* a bare numpy kernel doing the same arithmetic over the same scenarios × draws: for every
  method, every uncertain input is drawn (one generator for the whole array), transformed
  with its distribution, the method's own formula (a numpy function) is applied, the losses
  are clipped at the period's GDP and reduced to P5/P50/P95, mean, capped and negative shares
  along the draws, and the one-at-a-time sensitivity grid is evaluated by the same formula.
  It is given the inputs already resolved (not timed), so everything our engine does beyond
  it — resolving scenarios, one reproducible random stream per scenario, assembling tables,
  reading and writing files — is what the ratio measures.

This is a script, not a test: it prints a markdown table (and JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_IMPORT = [sys.executable, "-c", "import polars, pydantic, numpy"]
ESTIMATE = [sys.executable, "-m", "impact.cli", "estimate", "--country", "PAK",
            "--duration-hours", "10", "--scope", "mobile"]
HELP = [sys.executable, "-m", "impact.cli", "--help"]
COUNTRIES = ["PAK", "IND", "NGA", "IRN", "ETH", "USA", "BRA", "MMR", "RUS", "TUR", "EGY",
             "IRQ", "SDN", "BGD", "KEN", "VEN", "DEU", "IDN", "UGA", "SYR"]
SCOPES = ["full", "mobile", "platforms", "throttling"]


# ---- child-process measurement --------------------------------------------------------------
def measure(cmd: list[str], env: dict | None = None, stderr=subprocess.DEVNULL) -> dict:
    """Run ``cmd``; wall [s], CPU user+sys [s] and peak RSS [MB] of that child alone. A child
    that prints a JSON line ``{"timed_s": ..., "timed_cpu_s": ...}`` reports its timed
    region too."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, cwd=ROOT,
                            env=env or os.environ.copy(), text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
              "peak_mb": usage.ru_maxrss / 1024}
    for line in out.splitlines():
        if line.startswith("{") and "timed_s" in line:
            result |= json.loads(line)
    return result


def interleave(cmds: dict[str, list[str]], repeats: int, **kw) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {k: [] for k in cmds}
    for _ in range(repeats):
        for name, cmd in cmds.items():
            out[name].append(measure(cmd, **kw))
    return out


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


# ---- scenario tables -------------------------------------------------------------------------
def batch_file(path: Path, rows: int) -> Path:
    """A deterministic batch table of ``rows`` scenarios across countries, scopes and sizes."""
    lines = ["id,country,duration_hours,scope,platforms,affected_share,intensity"]
    for i in range(rows):
        scope = SCOPES[i % 4]
        lines.append(",".join([
            f"s{i}", COUNTRIES[(i * 7) % len(COUNTRIES)], str(1 + (i * 37) % 2000), scope,
            "x;whatsapp" if scope == "platforms" else "",
            "" if i % 3 else f"{0.05 + (i % 19) / 20:.2f}",
            f"{0.3 + (i % 7) / 10:.1f}" if scope == "throttling" else ""]))
    path.write_text("\n".join(lines) + "\n")
    return path


def catalogue_scenarios():
    """The scenarios and seeds `estimate_events` builds for the whole catalogue in both
    platform-cap variants: one per event and calendar year of its exposure (each distinct
    one once, as the engine pass does)."""
    from impact.catalogue import events as ev
    from impact.catalogue.exposure import worlds
    from impact.errors import InputError
    from impact.model.montecarlo import scenario_seed
    from impact.vocab import DEFAULT_SEED

    events = ev.catalogue()
    rows = {r["event_id"]: r for r in events.iter_rows(named=True)}
    scenarios, seeds, seen = [], [], set()
    for world in worlds("both"):
        for part in ev.event_parts(events, world).iter_rows(named=True):
            key = (part["event_id"], part["year"], round(part["exposed_hours"], 9))
            if key in seen or part["exposed_hours"] <= 0 or part["year"] < 2010:
                continue
            seen.add(key)
            try:
                scenarios.append(ev.event_scenario(rows[part["event_id"]],
                                                   hours=part["exposed_hours"],
                                                   start=part["part_start"]))
            except InputError:
                continue
            seeds.append(scenario_seed(DEFAULT_SEED, part["event_id"]))
    return scenarios, seeds


def batch_scenarios(path: Path):
    from impact.batch.read import CsvChunks
    from impact.batch.run import assign_ids
    from impact.model.montecarlo import scenario_seed
    from impact.model.scenario import parse_scenario
    from impact.vocab import DEFAULT_SEED

    scenarios, seeds = [], []
    for chunk in CsvChunks(path, 10_000).chunks():
        good, _ = assign_ids(chunk, set())
        for _, id_, cells in good:
            scenarios.append(parse_scenario(cells))
            seeds.append(scenario_seed(DEFAULT_SEED, id_))
    return scenarios, seeds


# ---- the bare kernel -------------------------------------------------------------------------
def kernel_inputs(scenarios, seeds):
    """Per method group: the method, the group's scope, its input names, (value, low, high,
    code) arrays and the GDP caps, resolved by the engine's planner (not timed)."""
    from impact.estimation.engine import _spec_arrays, plan

    p = plan(scenarios, "all", seeds=seeds)
    out = []
    for g in p.groups:
        value, low, high, code = _spec_arrays(g.specs, len(g.names))
        cap = [[p.contexts[i].period_gdp_usd] for i in g.rows]
        out.append((g.method, p.contexts[g.rows[0]], g.names, value, low, high, code, cap))
    return out


def kernel(groups, draws: int, seed: int = 1) -> float:
    """The engine's arithmetic over prepared inputs, bare: one generator for each whole
    (scenarios × draws) array, the inputs transformed by their distributions, the method's
    own formula (a numpy function), the GDP cap, quantiles, mean, capped and negative shares,
    and the one-at-a-time sensitivity grid evaluated by the same formula."""
    import numpy as np

    from impact.methods.base import Draws

    z95 = 1.6448536269514722
    rng = np.random.default_rng(seed)
    total = 0.0
    np.seterr(divide="ignore", invalid="ignore")  # rows whose input is fixed (low == high)
    for method, kind, names, value, low, high, code, cap in groups:
        n, k = value.shape
        cap = np.asarray(cap)
        cols, central = Draws(), {}
        for j, name in enumerate(names):
            c = int(code[:, j].max())
            v, lo, hi = value[:, j:j + 1], low[:, j:j + 1], high[:, j:j + 1]
            central[name] = v
            if c == 0:
                x = v
            elif c in (1, 2):
                u = rng.random((n, draws))
                if c == 1:
                    mode = np.minimum(np.maximum(v, lo), hi)
                    base = hi - lo
                    x = np.where(u <= (mode - lo) / base, lo + np.sqrt(u * ((mode - lo) * base)),
                                 hi - np.sqrt((1.0 - u) * ((hi - mode) * base)))
                else:
                    x = lo + (hi - lo) * u
            else:
                z = rng.standard_normal((n, draws))
                if c == 3:
                    x = v + (hi - lo) / (2 * z95) * z
                else:
                    sigma = np.where(z < 0, np.log(v / lo), np.log(hi / v))
                    x = v * np.exp(sigma / z95 * z)
            cols[name] = x
        cols.central = central
        loss = np.broadcast_to(np.asarray(method.loss_usd(kind, cols), dtype=float), (n, draws))
        clipped = np.clip(loss, 0.0, cap)
        q = np.quantile(clipped, (0.05, 0.5, 0.95), axis=1)
        mean = clipped.mean(axis=1)
        capped = (loss > cap).mean(axis=1)
        gains = (loss < 0).mean(axis=1)
        grid = Draws()
        for j, name in enumerate(names):
            g = np.repeat(value[:, j:j + 1], 2 * k, axis=1)
            g[:, 2 * j], g[:, 2 * j + 1] = low[:, j], high[:, j]
            grid[name] = g
        grid.central = central
        sens = np.clip(np.broadcast_to(np.asarray(method.loss_usd(kind, grid), dtype=float),
                                       (n, 2 * k)), 0.0, cap)
        order = np.argsort(-np.abs(sens[:, 1::2] - sens[:, 0::2]), axis=1, kind="stable")
        total += float(q.sum() + mean.sum() + capped.sum() + gains.sum() + order[:, 0].sum())
    return total


def _timed(fn) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return {"timed_s": time.perf_counter() - t0, "timed_cpu_s": time.process_time() - c0}


def child(kind: str, what: str, draws: int, arg: str | None) -> None:
    """Run one measurement inside this (child) process and print its timed region."""
    if kind == "catalogue":
        if what == "engine":
            from impact.catalogue.events import catalogue, estimate_events

            events = catalogue()
            estimate_events(events.head(3), draws=draws)  # load the tables once
            result = _timed(lambda: estimate_events(events, "all", draws=draws,
                                                    cap_platform_days="both"))
        else:
            groups = kernel_inputs(*catalogue_scenarios())
            result = _timed(lambda: kernel(groups, draws))
    elif kind == "batch-kernel":
        groups = kernel_inputs(*batch_scenarios(Path(arg)))
        result = _timed(lambda: kernel(groups, draws))
    elif kind == "single":
        from impact import estimate, parse_scenario

        sc = parse_scenario({"country": "PAK", "duration_hours": 10, "scope": "mobile"})
        estimate(sc, draws=draws)
        if what == "engine":
            runs = [_timed(lambda: estimate(sc, draws=draws)) for _ in range(20)]
        else:
            groups = kernel_inputs([sc], [1])
            runs = [_timed(lambda: kernel(groups, draws)) for _ in range(20)]
        result = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    else:
        raise SystemExit(f"unknown child {kind}")
    print(json.dumps(result))


# ---- the report ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="smaller batches (2,000 and 10,000 "
                    "rows) for a fast look; the targets are for the full sizes")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--draws", type=int, default=1000, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.draws, args.child[2] if len(args.child) > 2
              else None)
        return 0
    me = [sys.executable, str(Path(__file__).resolve())]
    r = args.repeats
    rows: list[tuple[str, str, str, str]] = []
    results: dict[str, object] = {}

    # 1. start-up: estimate and --help against importing polars, pydantic and numpy
    proc = interleave({"floor": FLOOR_IMPORT, "estimate": ESTIMATE, "help": HELP}, r)
    floor = med(proc["floor"], "cpu_s")
    for name, target in (("estimate", 1.6), ("help", 1.3)):
        ratio = med(proc[name], "cpu_s") / floor
        label = ("`impact estimate --country PAK --duration-hours 10 --scope mobile`"
                 if name == "estimate" else "`impact --help`")
        rows.append((label, (f"{ratio:.2f}× import floor ({med(proc[name], 'cpu_s'):.2f} s vs "
                     f"{floor:.2f} s CPU)"), f"≤ {target}×",
                     (f"{med(proc[name], 'peak_mb'):.0f} MB (floor "
                     f"{med(proc['floor'], 'peak_mb'):.0f} MB)")))
        results[name] = {"ratio": ratio, "target": target, "runs": proc[name]}

    # 2. whole catalogue × all methods × 1,000 draws
    cat = interleave({"engine": me + ["--child", "catalogue", "engine"],
                      "kernel": me + ["--child", "catalogue", "kernel"]}, max(2, r // 2))
    ratio = med(cat["engine"], "timed_cpu_s") / med(cat["kernel"], "timed_cpu_s")
    rows.append(("whole catalogue × all methods × 1,000 draws (both platform variants)",
                 (f"{ratio:.2f}× kernel ({med(cat['engine'], 'timed_s'):.2f} s vs "
                 f"{med(cat['kernel'], 'timed_s'):.2f} s)"), "≤ 1.5×",
                 (f"{med(cat['engine'], 'peak_mb'):.0f} MB (kernel "
                 f"{med(cat['kernel'], 'peak_mb'):.0f} MB)")))
    results["catalogue"] = {"ratio": ratio, "target": 1.5, "runs": cat}

    # 3. batch end to end against the kernel over the same rows
    with tempfile.TemporaryDirectory() as tmp:
        small, large = (2_000, 10_000) if args.quick else (10_000, 100_000)
        path = batch_file(Path(tmp) / "batch.csv", small)
        out = Path(tmp) / "out.csv"
        cmd = [sys.executable, "-m", "impact.cli", "batch", str(path), "--out", str(out),
               "--draws", "1000", "--no-progress"]
        bat = interleave({"engine": cmd,
                          "kernel": me + ["--child", "batch-kernel", "x", str(path)]},
                         max(1, r // 3))
        ratio = med(bat["engine"], "cpu_s") / med(bat["kernel"], "timed_cpu_s")
        rows.append(((f"batch of {small:,} rows × all methods × 1,000 draws, CSV out (end to "
                     "end)"), (f"{ratio:.2f}× kernel ({med(bat['engine'], 'wall_s'):.1f} s vs "
                     f"{med(bat['kernel'], 'timed_s'):.1f} s)"), "≤ 3×, ≤ 1 GB",
                     f"{med(bat['engine'], 'peak_mb'):.0f} MB"))
        results["batch"] = {"ratio": ratio, "target": 3.0, "rows": small, "runs": bat}
        # the size of a CSV result row, lean (the default) and with --full-provenance
        lines = max(1, sum(1 for _ in out.open(encoding="utf-8")) - 1)
        lean_b = out.stat().st_size / lines
        full = Path(tmp) / "full.csv"
        subprocess.run([*cmd[:6], str(full), *cmd[7:], "--full-provenance"], check=True,
                       capture_output=True)
        full_b = full.stat().st_size / max(1, sum(1 for _ in full.open(encoding="utf-8")) - 1)
        rows.append(("CSV result row size (batch above)", (f"{lean_b:,.0f} bytes lean; "
                     f"{full_b:,.0f} with --full-provenance"), "lean by default",
                     f"{lean_b * 20_000 * 7 / 1e6:,.0f} MB for 20,000 scenarios × 7 rows"))
        results["csv_row_bytes"] = {"lean": lean_b, "full": full_b}
        # 100,000 rows with the progress bar on: it completes, memory stays flat
        big = batch_file(Path(tmp) / "big.csv", large)
        log = Path(tmp) / "progress.txt"
        with open(log, "w") as err:
            run = measure([sys.executable, "-m", "impact.cli", "batch", str(big), "--out",
                           str(out), "--draws", "1000", "--progress"], stderr=err)
        progress_lines = log.read_text().count("row/s") + log.read_text().count("rows/s")
        flat = run["peak_mb"] / med(bat["engine"], "peak_mb")
        rows.append((f"batch of {large:,} rows, progress bar on", (f"completes in "
                     f"{run['wall_s']:.0f} s; progress updates: {progress_lines}"),
                     "completes, memory flat",
                     f"{run['peak_mb']:.0f} MB ({flat:.2f}× the {small:,}-row peak)"))
        results["batch_large"] = {"run": run, "rows": large, "memory_vs_small": flat}

    # 4. one scenario, all methods, 10,000 draws: throughput against the kernel
    single = interleave({"engine": me + ["--child", "single", "engine", "--draws", "10000"],
                         "kernel": me + ["--child", "single", "kernel", "--draws", "10000"]},
                        max(2, r // 2))
    ratio = med(single["kernel"], "timed_s") / med(single["engine"], "timed_s")
    rows.append(("one scenario × all methods × 10,000 draws (median of 20 per process)",
                 (f"{ratio:.2f}× kernel throughput ({1e3 * med(single['engine'], 'timed_s'):.1f}"
                 f" ms vs {1e3 * med(single['kernel'], 'timed_s'):.1f} ms)"), "≥ 0.5×",
                 f"{med(single['engine'], 'peak_mb'):.0f} MB"))
    results["single"] = {"ratio": ratio, "target": 0.5, "runs": single}

    import numpy
    import polars

    machine = (f"Machine: {platform.platform()}; CPUs {os.cpu_count()}; Python "
               f"{platform.python_version()}; numpy {numpy.__version__}; polars "
               f"{polars.__version__}; repeats {r} (medians, interleaved)")
    print("| measurement | value | target | peak memory |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n{machine}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=1,
                                        default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
