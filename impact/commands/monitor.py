"""``impact monitor``: a restriction followed from an outage-monitor file or a fetch, hour by
hour."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from impact.commands.args import (
    methods_arg,
    seed_arg,
    whole_number,
)
from impact.errors import ImpactError
from impact.estimation.ensemble import ENSEMBLE
from impact.monitor import costing as mon
from impact.monitor import fetch
from impact.monitor.importers import read_any
from impact.monitor.timeline import now_utc
from impact.report import writer
from impact.report.text import (
    monitor_text,
)
from impact.text import one_line


def _iso_now() -> str:
    return now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")


READER_OPTIONS = ("until", "datasource", "platform", "sheet", "causes")


def _read_timeline(args: argparse.Namespace):
    """The monitor file as a `Timeline`, with the options the user gave; what was read,
    kept and refused goes to stderr (refused records one line each, the first 20)."""
    options = {k: getattr(args, k) for k in READER_OPTIONS if getattr(args, k, None)}
    timeline = read_any(args.file, fmt=args.input_format, country=args.country, **options)
    report = timeline.report
    if report is not None and (report.refused or report.other_countries or report.ongoing):
        print(f"{timeline.name}: {report.summary()}", file=sys.stderr)
        for line in report.refused[:20]:
            print(f"  refused: {one_line(line)}", file=sys.stderr)
        if len(report.refused) > 20:
            print(f"  … {len(report.refused) - 20:,} more refused", file=sys.stderr)
    return timeline


def monitor_command(args: argparse.Namespace) -> int:
    if args.file == "fetch":
        until = None if args.until is None else (
            _iso_now() if args.until.strip().lower() == "now" else args.until)
        path = fetch.fetch(args.source, args.country, args.start, until, args.out,
                           endpoint=args.endpoint)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.brief:
        writer.format_of(args.brief, writer.BRIEF_EXTENSIONS, "brief")
    draws = whole_number("draws", args.draws, mon.DEFAULT_MONITOR_DRAWS, 100, 1_000_000,
                 "a whole number from 100 to 1,000,000")
    seed = seed_arg(args.seed)
    interval = whole_number("interval", args.interval, 30, 1, 86_400, "whole seconds from 1 to 86,400")
    methods = methods_arg(args.method)
    horizons = mon.parse_horizons(args.project)
    # naming the headline costs every method (it is made of those that apply) and shows the
    # rows named; otherwise every row, the headline of the methods costed first
    shown = methods if isinstance(methods, list) and ENSEMBLE in methods else None

    def once() -> None:
        timeline = _read_timeline(args)
        result = mon.monitor(timeline, until=args.until, methods=methods, draws=draws,
                             seed=seed, project=horizons, timezone=args.timezone)
        sys.stdout.write(monitor_text(result, args.format, shown))
        sys.stdout.flush()
        if args.brief:
            print(f"wrote {writer.write_brief(result, args.brief)}", file=sys.stderr)

    if not args.watch:
        once()
        return 0
    import time

    seen = None
    try:
        while True:
            stamp = Path(args.file).stat().st_mtime_ns if Path(args.file).exists() else None
            if stamp != seen:
                seen = stamp
                try:
                    once()
                except ImpactError as exc:  # a file caught mid-write: say so, keep watching
                    print(f"error: {one_line(str(exc))}", file=sys.stderr)
            time.sleep(interval)
    except KeyboardInterrupt:
        return 0
