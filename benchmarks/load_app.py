"""Bounded load test of the app over loopback (a script, not a test; never run in CI).

    python benchmarks/load_app.py [--quick] [--changes 3] [--timeout 900] [--json [PATH]]

Starts ``streamlit run app.py --server.headless true`` and, as the floor, ``streamlit run
benchmarks/bare_one_slider.py`` on free 127.0.0.1 ports, then drives 1, 5, 10 and 20
concurrent browser sessions against each (``--quick``: 1 and 5): one headless Chromium
(Debian's ``/usr/bin/chromium``, Playwright), one browser context per session. Each session
opens the page, waits for its first figure (the app: the headline sentence and the method
cards; the floor: the slider), then ``--changes`` times changes a control (the app: the
duration, to a scenario no session asked for before, so each change includes its estimate;
the floor: the slider, one step) and measures

- ``shown``: from the change until the updated figures show (the app's headline sentence
  has changed and every card shows a figure; the floor has nothing to update, so its
  ``shown`` is its ``rerun``),
- ``rerun``: from the change until the server's "script finished" message of that rerun
  reaches the browser (read off the session's websocket): the figure both apps share, so
  the ratio of the app to the floor is of like with like.

Per concurrency level: p50 and p95 of each (over sessions × changes), the first load, the
errors seen (timeouts, exception boxes, error alerts; a session stops at its first), the
peak memory of the server's process tree (RSS, summed over the streamlit process and its
children; psutil when installed, else /proc), sampled every 0.1 s, and the CPU time of the
app's server and of the browser during the level (from /proc). The two servers take turns
per level (the order alternates), so a change in the machine's load hits both. A hard
``--timeout`` bounds the whole run: past it the sessions are abandoned, the servers stopped
and what was measured is reported (and should the browser not close, 60 s later the
servers are stopped and the script exits with status 2). Prints a Markdown table; ``--json`` also writes the raw timings.

Everything stays on 127.0.0.1: the browser aborts any request to another host.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
APPS = {"app": ROOT / "app.py", "bare": ROOT / "benchmarks" / "bare_one_slider.py"}
CHROMIUM = Path(os.environ.get("IMPACT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
LEVELS = (1, 5, 10, 20)
QUICK_LEVELS = (1, 5)
STARTUP_TIMEOUT = 90.0  # [s] until /_stcore/health answers
STEP_TIMEOUT = 120.0  # [s] for one page load or one change, under the heaviest load
SAMPLE_EVERY = 0.1  # [s] between memory samples
PAGE_TIMEOUT_MS = int(STEP_TIMEOUT * 1000)
MAX_CHANGES = 13  # per session: keeps every duration asked for distinct and below 1,000 hours


# ---- servers and their memory -------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    try:
        with opener.open(url, timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except OSError:
        return False


def _children_proc(pid: int) -> list[int]:
    """Every descendant of ``pid`` from /proc (when psutil is not installed)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _own_cpu(pid: int) -> float:
    """CPU time (user + system) of process ``pid`` alone, from /proc [s] (0 once gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """CPU time of process ``pid`` and its live descendants [s]."""
    return sum(_own_cpu(p) for p in (pid, *_children_proc(pid)))


def tree_rss(pid: int) -> int:
    """Resident memory of process ``pid`` and all its descendants [bytes] (0 once gone)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total
    total = 0
    for p in (pid, *_children_proc(pid)):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


class Server:
    """A headless ``streamlit run`` of one script on a free loopback port, with a sampler
    keeping the peak RSS of its process tree (reset per level by `take_peak`)."""

    running: ClassVar[list[Server]] = []

    def __init__(self, name: str, script: Path, log_dir: Path):
        self.name = name
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (log_dir / f"load_{name}.log").open("w")
        cmd = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.headless", "true", "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True, env=_env())
        self.peak = 0
        Server.running.append(self)
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _healthy(f"{self.url}/_stcore/health"):
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit ({self.name}) exited with {self.proc.returncode}; "
                                   f"see {self.log.name}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit ({self.name}) not healthy after "
                                   f"{STARTUP_TIMEOUT:.0f} s; see {self.log.name}")
            time.sleep(0.25)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.proc.pid))
            self._stop.wait(SAMPLE_EVERY)

    def take_peak(self) -> int:
        """The peak RSS since the last call [bytes]; the next peak starts from now."""
        peak, self.peak = self.peak, tree_rss(self.proc.pid)
        return max(peak, self.peak)

    def stop(self) -> None:
        self._stop.set()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


# ---- one browser session ------------------------------------------------------------------------
def _script_finished(payload) -> bool:
    """Whether a websocket frame is Streamlit's "script finished" message."""
    from google.protobuf.message import DecodeError
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except DecodeError:  # not a ForwardMsg: not ours to judge
        return False
    return msg.WhichOneof("type") == "script_finished"


class Session:
    """One browser context on one app: its page, the times its reruns finished, its errors."""

    def __init__(self, kind: str, index: int):
        self.kind, self.index = kind, index
        self.finished: list[float] = []  # perf_counter of each "script finished" received
        self.errors: list[str] = []
        self.load: float | None = None
        self.shown: list[float] = []
        self.rerun: list[float] = []

    def on_websocket(self, ws) -> None:
        ws.on("framereceived", lambda payload: self.finished.append(time.perf_counter())
              if _script_finished(payload) else None)

    async def rerun_after(self, t0: float) -> float:
        """Seconds from ``t0`` to the first rerun finished after it."""
        deadline = time.perf_counter() + STEP_TIMEOUT
        while time.perf_counter() < deadline:
            done = [t for t in self.finished if t > t0]
            if done:
                return done[0] - t0
            await asyncio.sleep(0.01)
        raise TimeoutError(f"no rerun finished within {STEP_TIMEOUT:.0f} s")


async def _offline(route) -> None:
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
        await route.continue_()
    else:
        await route.abort()


async def _page_errors(page) -> list[str]:
    out = []
    if await page.get_by_test_id("stException").count():
        out.append("exception box")
    if await page.get_by_test_id("stAlertContentError").count():
        out.append("error alert")
    return out


def _hours(level: int, index: int, change: int) -> int:
    """A duration [hours] no session of this run asked for before: every change costs a new
    scenario (the cache is shared by all sessions of a server)."""
    if level not in LEVELS:  # the warm-up session
        return 5
    before = sum(LEVELS[:LEVELS.index(level)])  # sessions of the levels before this one
    # odd, so never whole days (48 hours reads "2-day"), and below 1,000 (no "1,001-hour")
    # for up to MAX_CHANGES changes per session
    return 11 + 2 * ((before + index) * MAX_CHANGES + change)


#: the updated figures show: the headline sentence names the new duration and the first
#: method card's figure has changed
SHOWN_JS = """([hours, first]) => {
  const h = document.querySelector("[data-testid='stMainBlockContainer'] h4");
  const v = document.querySelector("[data-testid='stMetricValue']");
  return !!h && h.innerText.includes(hours) && !!v && v.innerText !== first
    && v.innerText.includes("USD");
}"""
POLL_MS = 20  # [ms] between checks of the page


async def _drive_app(page, s: Session, base: str, level: int, changes: int) -> None:
    from playwright.async_api import expect

    headline = page.locator("[data-testid='stMainBlockContainer'] h4").first
    values = page.get_by_test_id("stMetricValue")
    t0 = time.perf_counter()
    await page.goto(base)
    await expect(headline).to_contain_text("costs", timeout=PAGE_TIMEOUT_MS)
    await expect(values.first).to_contain_text("USD", timeout=PAGE_TIMEOUT_MS)
    await s.rerun_after(t0)
    s.load = time.perf_counter() - t0
    duration = page.get_by_test_id("stSidebar").get_by_label("Duration [hours]", exact=True)
    for change in range(changes):
        first = await values.first.inner_text()
        hours = _hours(level, s.index, change)
        await duration.fill(str(hours))
        t0 = time.perf_counter()
        await duration.press("Enter")
        await page.wait_for_function(SHOWN_JS, arg=[f"{hours}-hour", first],
                                     polling=POLL_MS, timeout=PAGE_TIMEOUT_MS)
        s.shown.append(time.perf_counter() - t0)
        s.rerun.append(await s.rerun_after(t0))


async def _drive_bare(page, s: Session, base: str, level: int, changes: int) -> None:
    from playwright.async_api import expect

    slider = page.get_by_role("slider")
    t0 = time.perf_counter()
    await page.goto(base)
    await expect(slider).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    await s.rerun_after(t0)
    s.load = time.perf_counter() - t0
    for _ in range(changes):
        await slider.focus()
        t0 = time.perf_counter()
        await slider.press("ArrowRight")
        seconds = await s.rerun_after(t0)
        s.rerun.append(seconds)
        s.shown.append(seconds)


async def _session(browser, kind: str, base: str, level: int, index: int,
                   changes: int) -> Session:
    from playwright.async_api import Error as PlaywrightError

    s = Session(kind, index)
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        await context.route("**/*", _offline)
        page = await context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.on("websocket", s.on_websocket)
        drive = _drive_app if kind == "app" else _drive_bare
        try:
            await drive(page, s, base, level, changes)
        except (PlaywrightError, AssertionError, TimeoutError) as err:  # counted, not fatal
            s.errors.append(f"{type(err).__name__}: {str(err).splitlines()[0][:120]}")
        try:
            s.errors += await _page_errors(page)
        except PlaywrightError as err:
            s.errors.append(f"page lost: {str(err).splitlines()[0][:120]}")
    finally:
        await context.close()
    return s


async def _level(browser, server: Server, level: int, changes: int) -> dict:
    server.take_peak()
    cpu0 = {"server": tree_cpu(server.proc.pid), "browser": _browser_cpu()}
    t0 = time.perf_counter()
    sessions = await asyncio.gather(*(_session(browser, server.name, server.url, level, i,
                                               changes) for i in range(level)))
    wall = time.perf_counter() - t0
    await asyncio.sleep(SAMPLE_EVERY * 2)
    return {"app": server.name, "sessions": level, "wall": wall,
            "peak_rss": server.take_peak(),
            "server_cpu": tree_cpu(server.proc.pid) - cpu0["server"],
            "browser_cpu": _browser_cpu() - cpu0["browser"],
            "load": [s.load for s in sessions if s.load is not None],
            "shown": [x for s in sessions for x in s.shown],
            "rerun": [x for s in sessions for x in s.rerun],
            "errors": [e for s in sessions for e in s.errors]}


class BrowserMeter:
    """CPU time of this process's descendants but the servers (the browser, its renderers,
    Playwright's driver), sampled every 0.2 s so that processes which exit (a closed
    context's renderer) still count up to their last sample."""

    def __init__(self):
        self.seen: dict[int, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.total()
            self._stop.wait(0.2)

    def total(self) -> float:
        """CPU time seen so far [s]."""
        servers = {pid for s in Server.running
                   for pid in (s.proc.pid, *_children_proc(s.proc.pid))}
        with self._lock:
            for pid in _children_proc(os.getpid()):
                if pid not in servers:
                    self.seen[pid] = max(self.seen.get(pid, 0.0), _own_cpu(pid))
            return sum(self.seen.values())

    def stop(self) -> None:
        self._stop.set()


BROWSER: list[BrowserMeter] = []


def _browser_cpu() -> float:
    return BROWSER[0].total() if BROWSER else 0.0


async def _run(servers: dict[str, Server], levels: tuple[int, ...], changes: int,
               results: list[dict]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        BROWSER.append(BrowserMeter())
        try:
            for kind, server in servers.items():  # unmeasured: first imports and estimate
                await _session(browser, kind, server.url, 0, 0, 1)
            for i, level in enumerate(levels):
                order = ("bare", "app") if i % 2 == 0 else ("app", "bare")
                for kind in order:
                    results.append(await _level(browser, servers[kind], level, changes))
                    print(f"  {kind}: {level} sessions in {results[-1]['wall']:.1f} s, "
                          f"{len(results[-1]['errors'])} errors", file=sys.stderr)
        finally:
            BROWSER.pop().stop()
            await browser.close()


def _abandon(servers: dict[str, Server]) -> None:
    for server in servers.values():
        server.stop()
    print("load_app: stopped past the timeout's backstop", file=sys.stderr)
    os._exit(2)


def run(levels: tuple[int, ...], changes: int, timeout: float, log_dir: Path) -> dict:
    """Start both servers, drive every level, stop the servers (also past ``timeout``)."""
    if not CHROMIUM.is_file():
        raise SystemExit(f"chromium not found at {CHROMIUM} (install Debian's `chromium` or "
                         "set IMPACT_CHROMIUM)")
    results: list[dict] = []
    servers: dict[str, Server] = {}
    timed_out = False
    load_at_start = os.getloadavg()[0]
    t0 = time.perf_counter()
    try:
        for name, script in APPS.items():
            servers[name] = Server(name, script, log_dir)
        for server in servers.values():
            server.wait_healthy()
        remaining = timeout - (time.perf_counter() - t0)
        signal.signal(signal.SIGALRM, lambda *_: _abandon(servers))
        signal.alarm(int(timeout) + 60)  # a backstop should closing the browser hang
        try:
            asyncio.run(asyncio.wait_for(_run(servers, levels, changes, results), remaining))
        except TimeoutError:
            timed_out = True
    finally:
        signal.alarm(0)
        for server in servers.values():
            server.stop()
    return {"levels": results, "timed_out": timed_out, "timeout": timeout,
            "changes_per_session": changes, "wall": time.perf_counter() - t0,
            "load_at_start": load_at_start,
            "machine": machine()}


def machine() -> dict:
    try:
        import psutil  # noqa: F401
        memory = "psutil"
    except ImportError:
        memory = "/proc"
    return {"cpus": os.cpu_count(), "load": os.getloadavg()[0],
            "python": platform.python_version(), "streamlit": version("streamlit"),
            "playwright": version("playwright"), "platform": platform.platform(),
            "memory_from": memory}


# ---- the report ---------------------------------------------------------------------------------
def _pct(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0-1) of ``values``, by linear interpolation (None when empty)."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "–"


def summarise(result: dict) -> list[dict]:
    """One row per level: the app's and the floor's p50/p95, errors and peak memory."""
    by = {(r["app"], r["sessions"]): r for r in result["levels"]}
    rows = []
    for level in sorted({r["sessions"] for r in result["levels"]}):
        app, bare = by.get(("app", level)), by.get(("bare", level))
        row: dict = {"sessions": level}
        for name, r in (("app", app), ("bare", bare)):
            if r is None:
                continue
            row[name] = {
                "n": len(r["rerun"]), "load_p50": _pct(r["load"], 0.5),
                "shown_p50": _pct(r["shown"], 0.5), "shown_p95": _pct(r["shown"], 0.95),
                "rerun_p50": _pct(r["rerun"], 0.5), "rerun_p95": _pct(r["rerun"], 0.95),
                "errors": len(r["errors"]), "error_kinds": sorted(set(r["errors"])),
                "server_cpu": r["server_cpu"], "browser_cpu": r["browser_cpu"],
                "wall": r["wall"],
                "peak_rss_mib": r["peak_rss"] / 2**20}
        rows.append(row)
    return rows


def table(result: dict, rows: list[dict]) -> str:
    m = result["machine"]
    out = [("| sessions | app: figures shown p50 / p95 | app: rerun p50 / p95 | "
            "floor: rerun p50 / p95 | ratio p50 / p95 | first load p50 app / floor | "
            "errors app / floor | peak server RSS app / floor | "
            "CPU app: server / browser (wall) |"),
           "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        a, b = row.get("app", {}), row.get("bare", {})
        out.append(
            f"| {row['sessions']} ({a.get('n', 0)} changes) "
            f"| {_ms(a.get('shown_p50'))} / {_ms(a.get('shown_p95'))} "
            f"| {_ms(a.get('rerun_p50'))} / {_ms(a.get('rerun_p95'))} "
            f"| {_ms(b.get('rerun_p50'))} / {_ms(b.get('rerun_p95'))} "
            f"| {_ratio(a.get('rerun_p50'), b.get('rerun_p50'))} / "
            f"{_ratio(a.get('rerun_p95'), b.get('rerun_p95'))} "
            f"| {_ms(a.get('load_p50'))} / {_ms(b.get('load_p50'))} "
            f"| {a.get('errors', '–')} / {b.get('errors', '–')} "
            f"| {a.get('peak_rss_mib', 0):.0f} MiB / {b.get('peak_rss_mib', 0):.0f} MiB "
            f"| {a.get('server_cpu', 0):.0f} s / {a.get('browser_cpu', 0):.0f} s "
            f"({a.get('wall', 0):.0f} s) |")
    kinds = sorted({k for row in rows for side in ("app", "bare")
                    for k in row.get(side, {}).get("error_kinds", [])})
    head = (f"Machine: {m['cpus']} CPUs, Python {m['python']}, streamlit {m['streamlit']}, "
            f"playwright {m['playwright']} ({m['platform']}; load average "
            f"{result['load_at_start']:.1f} at the start, {m['load']:.1f} at the end; memory "
            f"from {m['memory_from']}); {result['changes_per_session']} "
            f"changes per session; whole run {result['wall']:.0f} s")
    tail = []
    if kinds:
        tail.append("Errors: " + "; ".join(kinds) + ".")
    if result["timed_out"]:
        tail.append(f"**Stopped by the {result['timeout']:.0f} s timeout**: the levels above "
                    "are those measured before it.")
    return "\n".join([head, "", *out, *([""] + tail if tail else [])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 and 5 sessions only")
    parser.add_argument("--changes", type=int, default=3,
                        help=f"control changes per session (default 3, at most {MAX_CHANGES})")
    parser.add_argument("--timeout", type=float, default=None,
                        help="hard limit on the whole run [s] (default 900; 300 with --quick)")
    parser.add_argument("--json", nargs="?", const="load_app.json", metavar="PATH",
                        help="also write the raw timings and the summary as JSON "
                             "(default PATH load_app.json)")
    parser.add_argument("--log-dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")),
                        help="where the two servers' logs go")
    args = parser.parse_args(argv)
    levels = QUICK_LEVELS if args.quick else LEVELS
    timeout = args.timeout or (300.0 if args.quick else 900.0)
    result = run(levels, min(max(1, args.changes), MAX_CHANGES), timeout, args.log_dir)
    rows = summarise(result)
    print(table(result, rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": rows} | result, indent=2) + "\n",
                                   encoding="utf-8")
    return 1 if result["timed_out"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
