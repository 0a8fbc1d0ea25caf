"""Benchmark of the Streamlit app around the estimate (a script, not a test).

    python benchmarks/bench_app.py [--runs 15] [--cold-runs 10] [--json [PATH]]

Measured side by side in one run, interleaved (the order alternates every round), with
`streamlit.testing.v1.AppTest`, medians of ``--runs`` / ``--cold-runs`` each:

(a)   a rerun of the Estimate page after a duration change to a scenario not seen before, vs
      `benchmarks/bare_estimate.py`, a bare page drawing as many elements of each kind
      (metrics, tables of the same shapes, chart, text blocks, buttons, expanders and sidebar
      widgets; counted on the real page in AppTest) from constant data after the same change.
      This includes the engine's own time (the estimate and the loss-by-duration curve's
      engine pass, shown apart: the engine lives in `impact/`), so the page around it is also
      shown without it;
(a')  the same after a change back to a scenario seen before (the estimate is cached): the
      page's own cost;
(a'') a rerun with nothing changed;
(b)   a cold first render: a fresh process running a fresh AppTest of `app.py` (the router and
      the Estimate page, so imports, bundled data and the first estimate count) vs a fresh
      process running `benchmarks/bare_one_slider.py`;
(c)   the Past events page's first render in a new session (a fresh AppTest in a process that
      has drawn the page once: the process-wide caches are warm, the session is new) vs
      `benchmarks/bare_events.py`, a bare page drawing as many elements of each kind (counted
      on the real page) from constant data, also in a new session;
(c')  the same first render in a fresh process (imports, the catalogue and its estimates
      count), vs the bare events page in a fresh process.

Ratios are medians of the per-round ratios (the two pages run back to back in each round), so
that a change in the machine's load during the run cancels out. Each page runs in its own
child process; peak memory is that child's ``ru_maxrss`` (from
``os.wait4``). Prints a markdown table and the machine (CPU count, Python, streamlit).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_PAGE = ROOT / "app_pages" / "estimate.py"
BARE_PAGE = ROOT / "benchmarks" / "bare_estimate.py"
APP = ROOT / "app.py"
BARE_APP = ROOT / "benchmarks" / "bare_one_slider.py"
EVENTS_PAGE = ROOT / "app_pages" / "events.py"
BARE_EVENTS = ROOT / "benchmarks" / "bare_events.py"
#: the page each worker kind runs
PAGES = {"real": REAL_PAGE, "bare": BARE_PAGE, "events": EVENTS_PAGE,
         "bare_events": BARE_EVENTS}
KINDS = tuple(PAGES)
TIMEOUT = 600  # seconds for one AppTest run (a cold first estimate takes several)
OPS = ("new", "change", "same")
TARGETS = {"a": 1.5, "b": 2.0, "c": 2.0}


# ---- child processes ---------------------------------------------------------------------------
def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _layout(at) -> dict:
    """Counts of the real page's elements by kind (main area and sidebar) and the shapes of
    its tables, for the bare page."""
    counts: dict[str, int] = {}
    sidebar: dict[str, int] = {}

    def walk(node, into):
        kind = getattr(node, "type", None)
        children = getattr(node, "children", None)
        if kind and kind not in ("main", "sidebar"):
            into[kind] = into.get(kind, 0) + 1
        for child in (children or {}).values():
            walk(child, into)

    walk(at.main, counts)
    walk(at.sidebar, sidebar)
    from pandas.api.types import is_numeric_dtype

    tables = [[int(d.value.shape[0]),
               ["num" if is_numeric_dtype(t) else "str" for t in d.value.dtypes]]
              for d in at.dataframe]
    return {"counts": counts, "sidebar": sidebar, "tables": tables}


def _time_the_engine(spent: list[float]) -> None:
    """Add to ``spent[0]`` the seconds of every outermost call of `impact.estimate` (the
    figures) and `impact.estimation.engine.run` (the loss-by-duration curve's pass): the engine's own
    time, apart from the page's."""
    import impact
    from impact.estimation import engine

    depth = [0]

    def timing(func):
        def timed(*args, **kwargs):
            depth[0] += 1
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[0] += time.perf_counter() - t0
        return timed

    impact.estimate = timing(impact.estimate)  # the page calls impact.estimate
    engine.run = timing(engine.run)  # impact.report.chart_frames.duration_curve calls engine.run


def worker(kind: str) -> None:
    """A long-lived page: answers ``{"op": ...}`` lines on stdin with timings on stdout."""
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # keep the protocol channel clean
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    spent = [0.0]
    if kind == "real":
        _time_the_engine(spent)
    if kind in ("events", "bare_events"):
        _events_worker(kind, reply, AppTest)
        return
    at = AppTest.from_file(str(PAGES[kind]), default_timeout=TIMEOUT)
    at.run()
    hours, new = 10.0, 100.0
    for h in (11.0, 10.0):  # both durations of the "change" toggle are cached
        at.number_input(key="duration_hours").set_value(h).run()
    ready = {"ready": True, "exception": [str(e.value) for e in at.exception]}
    if kind == "real":
        ready["layout"] = _layout(at)
    reply.write(json.dumps(ready) + "\n")
    for line in sys.stdin:
        op = json.loads(line)["op"]
        if op == "quit":
            break
        if op == "change":
            hours = 11.0 if hours == 10.0 else 10.0
            at.number_input(key="duration_hours").set_value(hours)
        elif op == "new":
            new += 1.0
            at.number_input(key="duration_hours").set_value(new)
        spent[0] = 0.0
        t0 = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - t0
        if op == "new":  # back to the toggle's pair, so "change" stays a cached change
            at.number_input(key="duration_hours").set_value(hours).run()
        reply.write(json.dumps({"seconds": seconds, "estimate_seconds": spent[0],
                                "exception": bool(at.exception)}) + "\n")


def _events_worker(kind: str, reply, app_test) -> None:
    """The Past events page (or its bare page): each ``{"op": "first"}`` is the first render
    of a new session (a fresh AppTest) in this process, whose caches the first one warmed."""
    at = app_test.from_file(str(PAGES[kind]), default_timeout=TIMEOUT)
    at.run()
    ready = {"ready": True, "exception": [str(e.value) for e in at.exception]}
    if kind == "events":
        ready["layout"] = _layout(at)
    reply.write(json.dumps(ready) + "\n")
    for line in sys.stdin:
        if json.loads(line)["op"] == "quit":
            break
        t0 = time.perf_counter()
        at = app_test.from_file(str(PAGES[kind]), default_timeout=TIMEOUT)
        at.run()
        seconds = time.perf_counter() - t0
        reply.write(json.dumps({"seconds": seconds, "estimate_seconds": 0.0,
                                "exception": bool(at.exception)}) + "\n")


def cold(kind: str) -> None:
    """One cold first render in this (fresh) process; prints its time as JSON."""
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    page = {"real": APP, "bare": BARE_APP}.get(kind, PAGES[kind])
    at = AppTest.from_file(str(page), default_timeout=TIMEOUT)
    at.run()
    seconds = time.perf_counter() - t0
    ok = not at.exception and (kind != "real" or len(at.metric) > 0) \
        and (kind != "events" or len(at.dataframe) > 0)
    print(json.dumps({"seconds": seconds, "ok": ok}))


class Worker:
    def __init__(self, kind: str, layout: dict | None = None):
        env = _env()
        if layout is not None:
            env["IMPACT_BENCH_LAYOUT"] = json.dumps(layout)
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", kind], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.ready = self._read()

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"benchmark worker {self.proc.args} exited early")
        return json.loads(line)

    def ask(self, op: str) -> dict:
        self.proc.stdin.write(json.dumps({"op": op}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> int:
        """Stop the worker; its peak resident memory [KiB]."""
        self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.proc.stdin.close()
        _, _, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = 0
        return usage.ru_maxrss


def _cold_run(kind: str, layout: dict | None = None) -> dict:
    env = _env()
    if layout is not None:
        env["IMPACT_BENCH_LAYOUT"] = json.dumps(layout)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--cold", kind], cwd=ROOT, env=env,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    wall = time.perf_counter() - t0
    result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"ok": False}
    return result | {"wall": wall, "maxrss": usage.ru_maxrss, "status": status}


# ---- the benchmark -----------------------------------------------------------------------------
def run(runs: int, cold_runs: int, parts: str = "abc") -> dict:
    real = Worker("real")
    bare = Worker("bare", real.ready["layout"])
    if real.ready["exception"] or bare.ready["exception"]:
        raise RuntimeError(f"a page failed: {real.ready['exception'] or bare.ready['exception']}")
    warm = {op: {"real": [], "bare": [], "estimate": []} for op in OPS}
    for i in range(runs if "a" in parts else 0):
        for op in OPS:
            for name, w in ((("real", real), ("bare", bare)) if i % 2 == 0
                            else (("bare", bare), ("real", real))):
                answer = w.ask(op)
                if answer["exception"]:
                    raise RuntimeError(f"the {name} page raised on {op!r}")
                warm[op][name].append(answer["seconds"])
                if name == "real":
                    warm[op]["estimate"].append(answer["estimate_seconds"])
    rss = {"real": real.close(), "bare": bare.close()}
    first, events_layout, events_rss = _events_first(runs if "c" in parts else 0)
    coldest = {"real": [], "bare": []}
    cold_events = {"events": [], "bare_events": []}
    for i in range(cold_runs):
        for kind in (("real", "bare") if i % 2 == 0 else ("bare", "real")) \
                if "b" in parts else ():
            result = _cold_run(kind)
            if not result.get("ok"):
                raise RuntimeError(f"the cold {kind} run failed: {result}")
            coldest[kind].append(result)
        for kind in (("events", "bare_events") if i % 2 == 0 else ("bare_events", "events")) \
                if "c" in parts else ():
            result = _cold_run(kind, events_layout if kind == "bare_events" else None)
            if not result.get("ok"):
                raise RuntimeError(f"the cold {kind} run failed: {result}")
            cold_events[kind].append(result)
    return {"warm": warm, "warm_maxrss_kib": rss, "cold": coldest,
            "events_first": first, "events_maxrss_kib": events_rss,
            "cold_events": cold_events, "events_layout": events_layout,
            "layout": real.ready["layout"], "machine": machine()}


def _events_first(runs: int) -> tuple[dict, dict, dict]:
    """(seconds of each new session's first render of the Past events page and of its bare
    page, interleaved; the real page's layout; peak memory [KiB] of both workers)."""
    real = Worker("events")
    bare = Worker("bare_events", real.ready["layout"])
    if real.ready["exception"] or bare.ready["exception"]:
        raise RuntimeError(f"an events page failed: "
                           f"{real.ready['exception'] or bare.ready['exception']}")
    first = {"events": [], "bare_events": []}
    for i in range(runs):
        for name, w in ((("events", real), ("bare_events", bare)) if i % 2 == 0
                        else (("bare_events", bare), ("events", real))):
            answer = w.ask("first")
            if answer["exception"]:
                raise RuntimeError(f"the {name} page raised on its first render")
            first[name].append(answer["seconds"])
    rss = {"events": real.close(), "bare_events": bare.close()}
    return first, real.ready["layout"], rss


def machine() -> dict:
    return {"cpus": os.cpu_count(), "load": os.getloadavg()[0],
            "python": platform.python_version(),
            "streamlit": version("streamlit"), "polars": version("polars"),
            "platform": platform.platform()}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def _cold_summary(cold: dict) -> dict:
    med = statistics.median
    out = {k: {"seconds": med([r["seconds"] for r in v]),
               "wall": med([r["wall"] for r in v]),
               "maxrss_kib": max(r["maxrss"] for r in v), "n": len(v)}
           for k, v in cold.items()}
    pairs = list(zip(cold["real"], cold["bare"], strict=True))
    out["ratio"] = med([r["seconds"] / b["seconds"] for r, b in pairs])
    out["wall_ratio"] = med([r["wall"] / b["wall"] for r, b in pairs])
    return out


def summarise(result: dict) -> dict:
    med = statistics.median
    warm, out = result["warm"], {}
    for op in OPS:
        real, bare, est = warm[op]["real"], warm[op]["bare"], warm[op]["estimate"]
        if not real:
            continue
        around = [r - e for r, e in zip(real, est, strict=True)]
        # ratios of the same round (the two pages ran back to back): robust to load drift
        out[op] = {"real": med(real), "bare": med(bare), "estimate": med(est),
                   "real_without_estimate": med(around),
                   "ratio": med([r / b for r, b in zip(real, bare, strict=True)]),
                   "ratio_without_estimate": med([a / b for a, b in
                                                  zip(around, bare, strict=True)]),
                   "n": len(real)}
    cold = result["cold"]
    if cold["real"]:
        out["cold"] = _cold_summary(cold)
    first = result.get("events_first")
    if first and first["events"]:
        pairs = list(zip(first["events"], first["bare_events"], strict=True))
        out["events_first"] = {"real": med(first["events"]), "bare": med(first["bare_events"]),
                               "ratio": med([r / b for r, b in pairs]), "n": len(pairs)}
    cold_events = result.get("cold_events")
    if cold_events and cold_events["events"]:
        pairs = list(zip(cold_events["events"], cold_events["bare_events"], strict=True))
        out["cold_events"] = {"real": med([r["seconds"] for r, _ in pairs]),
                              "bare": med([b["seconds"] for _, b in pairs]),
                              "ratio": med([r["seconds"] / b["seconds"] for r, b in pairs]),
                              "maxrss_kib": {"real": max(r["maxrss"] for r, _ in pairs),
                                             "bare": max(b["maxrss"] for _, b in pairs)},
                              "n": len(pairs)}
    return out


def _cold_rows(c: dict) -> list[str]:
    mem = f"{_mib(c['real']['maxrss_kib'])} / {_mib(c['bare']['maxrss_kib'])}"
    return [
        (f"| (b) cold first render, fresh process: `app.py` vs a one-slider app "
        f"(median of {c['real']['n']}; imports + first render) | {_ms(c['real']['seconds'])} | "
        f"{_ms(c['bare']['seconds'])} | {c['ratio']:.2f}× | ≤ {TARGETS['b']}× | {mem} |"),
        (f"| (b) the same, whole process wall time (with interpreter start) | "
        f"{_ms(c['real']['wall'])} | {_ms(c['bare']['wall'])} | {c['wall_ratio']:.2f}× | "
        f"– | {mem} |"),
    ]


def _events_rows(result: dict, summary: dict) -> list[str]:
    rows = []
    e = summary.get("events_first")
    if e:
        rss = result["events_maxrss_kib"]
        mem = f"{_mib(rss['events'])} / {_mib(rss['bare_events'])}"
        rows.append(
            f"| (c) Past events first render, new session in a warm process: "
            f"`app_pages/events.py` vs `bare_events.py` (median of {e['n']}) | "
            f"{_ms(e['real'])} | {_ms(e['bare'])} | {e['ratio']:.2f}× | ≤ {TARGETS['c']}× | "
            f"{mem} |")
    c = summary.get("cold_events")
    if c:
        mem = f"{_mib(c['maxrss_kib']['real'])} / {_mib(c['maxrss_kib']['bare'])}"
        rows.append(
            f"| (c') the same in a fresh process (imports, catalogue and its estimates) "
            f"(median of {c['n']}) | {_ms(c['real'])} | {_ms(c['bare'])} | "
            f"{c['ratio']:.2f}× | – | {mem} |")
    return rows


def table(result: dict, summary: dict) -> str:
    rss = result["warm_maxrss_kib"]
    mem = f"{_mib(rss['real'])} / {_mib(rss['bare'])}"
    rows = ["| measurement | app | bare | ratio | target | peak memory app / bare |",
            "|---|---|---|---|---|---|"]
    if "new" in summary:
        rows += _warm_rows(summary, mem)
    return _table_rest(rows, result, summary)


def _warm_rows(summary: dict, mem: str) -> list[str]:
    rows = []
    new, change, same = summary["new"], summary["change"], summary["same"]
    rows.append(
        f"| (a) Estimate page rerun after a duration change, new scenario "
        f"(median of {new['n']}) | {_ms(new['real'])} (engine {_ms(new['estimate'])}) | "
        f"{_ms(new['bare'])} | {new['ratio']:.2f}× | ≤ {TARGETS['a']}× | {mem} |")
    rows.append(
        f"| (a) the same without the engine's time (the page around it) | "
        f"{_ms(new['real_without_estimate'])} | {_ms(new['bare'])} | "
        f"{new['ratio_without_estimate']:.2f}× | ≤ {TARGETS['a']}× | {mem} |")
    rows.append(
        f"| (a') rerun after a duration change back to a scenario seen before "
        f"(median of {change['n']}) | {_ms(change['real'])} | {_ms(change['bare'])} | "
        f"{change['ratio']:.2f}× | ≤ {TARGETS['a']}× | {mem} |")
    rows.append(
        f"| (a'') rerun with nothing changed (median of {same['n']}) | {_ms(same['real'])} | "
        f"{_ms(same['bare'])} | {same['ratio']:.2f}× | ≤ {TARGETS['a']}× | {mem} |")
    return rows


def _table_rest(rows: list[str], result: dict, summary: dict) -> str:
    m = result["machine"]
    c = summary.get("cold")
    if c:
        rows += _cold_rows(c)
    rows += _events_rows(result, summary)
    counts = ", ".join(f"{v} {k}" for k, v in sorted(result["layout"]["counts"].items()))
    head = (f"Machine: {m['cpus']} CPUs, Python {m['python']}, streamlit {m['streamlit']}, "
            f"polars {m['polars']} ({m['platform']}; load average {m['load']:.1f} at the end)")
    lines = [head, "", *rows, "", f"Elements drawn by both pages (main area): {counts}."]
    if result.get("events_layout"):
        kinds = ", ".join(f"{v} {k}" for k, v in
                          sorted(result["events_layout"]["counts"].items()))
        lines.append(f"Elements drawn by both Past events pages (main area): {kinds}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="warm reruns per kind (>= 10)")
    parser.add_argument("--cold-runs", type=int, default=10, help="cold starts per app")
    parser.add_argument("--parts", default="abc",
                        help="which measurements: a (Estimate reruns), b (cold start), "
                             "c (Past events first render); default all")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH",
                        help="also write the raw timings and the summary as JSON "
                             "(to PATH, or stdout)")
    parser.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--cold", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0
    if args.cold:
        cold(args.cold)
        return 0
    result = run(args.runs, args.cold_runs, args.parts)
    summary = summarise(result)
    print(table(result, summary))
    if args.json:
        text = json.dumps({"summary": summary} | result, indent=2)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
