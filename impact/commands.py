"""The commands of `impact.cli`: each parses its arguments into a call of the package and
prints or writes the result (text tables: `impact.report.text`)."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from impact import format as fmt
from impact.batch.run import DEFAULT_CHUNK_ROWS, CsvChunks, stream_batch, vintages_path
from impact.bundled.countries import resolve_country
from impact.bundled.data_status import changes_lines, status, status_text
from impact.bundled.datastore import use
from impact.bundled.io import check_bundled, data_dir, data_version, read_bundled
from impact.bundled.regions import region_names
from impact.catalogue import events as ev
from impact.errors import ImpactError, InputError
from impact.estimation.ensemble import ENSEMBLE
from impact.estimation.scenario_estimate import estimate
from impact.methods import CALIBRATED_METHOD, REGISTRY
from impact.model.montecarlo import DEFAULT_DRAWS
from impact.model.scenario import parse_scenario
from impact.monitor import costing as mon
from impact.monitor import fetch
from impact.monitor.importers import read_any
from impact.monitor.timeline import now_utc
from impact.report import export, writer
from impact.report.text import (
    cell_text,
    compare_text,
    estimate_table,
    frame_text,
    money_text,
    monitor_text,
    shorten,
    show_cell,
    text_table,
)
from impact.text import one_line
from impact.vocab import DEFAULT_SEED, SUMMED_RANGE_NOTE, VALUE_FIELDS


def _int(field: str, text: str | None, default: int, lo: int, hi: int, accepted: str) -> int:
    if text is None:
        return default
    try:
        value = fmt.plain_number(text)  # refuses digit separators; reads 1e3
        if math.isfinite(value) and value == int(value):
            value = int(text) if text.strip().lstrip("+-").isdigit() else int(value)
    except ValueError:  # exact for whole numbers: float() would round 2**60 + 1
        raise InputError(field, text, accepted) from None
    if not math.isfinite(value) or value != int(value) or not lo <= value <= hi:
        raise InputError(field, text, accepted)
    return int(value)


def _draws(text: str | None) -> int:
    return _int("draws", text, DEFAULT_DRAWS, 100, 1_000_000,
                "a whole number from 100 to 1,000,000")


def _seed(text: str | None) -> int:
    return _int("seed", text, DEFAULT_SEED, 0, 2**63 - 1, "a whole number >= 0")


def _overrides(items: Sequence[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        try:
            number = fmt.plain_number(value)
        except ValueError:
            number = math.nan
        if not sep or not name.strip() or not math.isfinite(number):
            raise InputError("set", item, "NAME=VALUE with a finite plain number (no digit "
                             "separators), e.g. --set indirect_multiplier=0.8 or "
                             "--set impact.recovery_share=0.1")
        out[name.strip()] = number
    return out


def _methods(text: str) -> str | list[str]:
    """``all`` or the names of ``--method``; no name at all (``--method ,``) is given back as
    typed, for `impact.methods.get_methods` to refuse with the text in its message."""
    if text.strip() == "all":
        return "all"
    return [m.strip() for m in text.split(",") if m.strip()] or text


# ---- parser ----------------------------------------------------------------------------------
#: the metavar of a scenario flag whose field description ends in this unit


def estimate_command(args: argparse.Namespace) -> int:
    fields = {name: getattr(args, name) for name in VALUE_FIELDS}
    if args.no_time_weighting:
        fields["time_weighting"] = False
    draws, seed, overrides = _draws(args.draws), _seed(args.seed), _overrides(args.set)
    if args.out:
        writer.export_format(args.out)  # fail before computing
    if args.brief:
        writer.format_of(args.brief, writer.BRIEF_EXTENSIONS, "brief")
    est = estimate(parse_scenario(fields), _methods(args.method), draws=draws, seed=seed,
                   overrides=overrides)
    if args.format == "table":
        text = estimate_table(est)
    else:
        text = writer.render(est, args.format, overrides=overrides)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.out:
        path = _write(est, args.out, overrides=overrides)
        print(f"wrote {path}", file=sys.stderr)
    if args.brief:
        try:
            path = writer.write_brief(est, args.brief)
        except OSError as exc:
            raise InputError("brief", args.brief,
                             f"a writable path ({exc.strerror or exc})") from None
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _write(obj, out: str, **kwargs) -> Path:
    try:
        return writer.write_export(obj, out, **kwargs)
    except OSError as exc:
        raise InputError("out", out, f"a writable path ({exc.strerror or exc})") from None


def batch_command(args: argparse.Namespace) -> int:
    draws, seed = _draws(args.draws), _seed(args.seed)
    chunk_rows = _int("chunk-rows", args.chunk_rows, DEFAULT_CHUNK_ROWS, 1, 1_000_000,
                      "a whole number of rows from 1 to 1,000,000")
    if args.scheduler and args.engine != "dask":
        raise InputError("scheduler", args.scheduler, "only with --engine dask")
    fmt = "csv"
    if args.out:
        fmt = writer.export_format(args.out)
        if fmt == "markdown":
            raise InputError("out", args.out, "a path ending in .csv, .json or .xlsx")
        out, given = Path(args.out).resolve(), Path(args.file).resolve()
        if given in (out, out.with_name(out.name + ".partial")):
            raise InputError("out", args.out, "a path other than the input file (and than "
                             "the input without its .partial)")
        if out.is_dir():
            raise InputError("out", args.out, "a file path, not a folder")
        if not out.parent.is_dir():
            raise InputError("out", args.out, "a path in an existing folder")
    source = CsvChunks(Path(args.file), chunk_rows)
    stats = stream_batch(source, Path(args.out) if args.out else None, fmt,
                         methods=_methods(args.method), draws=draws, seed=seed,
                         overrides=_overrides(args.set), engine=args.engine,
                         scheduler=args.scheduler,
                         progress=False if args.no_progress else True if args.progress else None,
                         stream=sys.stdout, lean=bool(args.out) and not args.full_provenance,
                         resume=args.resume)
    where = f"written to {args.out}" if args.out else "written to stdout"
    if fmt == "csv" and args.out and not args.full_provenance:
        where += f" (data vintages once, in {vintages_path(Path(args.out)).name})"
    print(f"batch: {stats.rows} rows, {stats.ok} ok, {len(stats.errors)} failed; "
          f"{stats.results} result rows {where}", file=sys.stderr)
    for note in stats.notes:
        print(f"note: {note}", file=sys.stderr)
    for err in stats.errors:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
    return 1 if stats.errors else 0


def countries_command(args: argparse.Namespace) -> int:
    frame = (read_bundled("countries").select("iso3", "name", "region", "income_group")
             .sort("iso3"))
    if args.format == "csv":
        sys.stdout.write(frame.write_csv())
    else:
        rows = [[c or "" for c in r] for r in frame.iter_rows()]
        print(text_table(rows, frame.columns))
    return 0


def regions_command(args: argparse.Namespace) -> int:
    iso3 = resolve_country(args.country)
    names = region_names(iso3)
    if not names:
        raise InputError("country", args.country, "a country with bundled admin-1 populations "
                         "(none are bundled for this one; use --affected-share instead)")
    print("\n".join(names))
    return 0


def methods_command(args: argparse.Namespace) -> int:
    info = export.methods_info(list(REGISTRY))
    if args.format == "csv":
        frame = pl.DataFrame([{"name": n, "title": i["title"], "scopes": ";".join(i["scopes"]),
                               "formula": i["formula"], "citation": i["citation"]}
                              for n, i in info.items()])
        sys.stdout.write(frame.write_csv())
        return 0
    blocks = []
    for name, i in info.items():
        blocks.append(f"{name} — {i['title']}\n  scopes:   {', '.join(i['scopes'])}\n"
                      f"  formula:  {i['formula']}\n  citation: {i['citation']}")
    print("\n\n".join(blocks))
    return 0


def data_command(args: argparse.Namespace) -> int:
    if args.data_command == "status":
        print(status_text(status()))
        if args.online:
            from impact.build.refresh import (
                preview,  # start-up: the build stack loads for data commands only
            )

            print("\nwhat a refresh of the World Bank indicators would change now:")
            print("\n".join(changes_lines(preview())))
        return 0
    if args.data_command == "refresh":
        return _cmd_data_refresh(args)
    if args.data_command == "use":
        print(use(args.version))
        return 0
    if args.data_command == "manifest":
        return _cmd_data_manifest(Path(args.out))
    if args.data_command == "check":
        files = check_bundled()
        print(f"ok: {len(files)} bundled files in {data_dir()} match manifest.json "
              f"(data {data_version()})")
        return 0
    from impact.build import raw_dir  # start-up: the build stack loads for data commands only

    geometry = args.source if args.data_command == "geometry" else args.geometry
    if geometry is not None and not Path(geometry).is_file():
        raise InputError("geometry", str(geometry), "the world-atlas npm tarball "
                         "(`npm pack world-atlas@2`) or its countries-110m.json")
    from impact.build.staging import (
        building,  # start-up: the build stack loads for data commands only
    )

    raw, out = raw_dir(args.raw), Path(args.out).resolve()
    paths = {}
    try:  # into a copy of --out, swapped in when complete: a failed build changes nothing
        with building(out) as tmp:
            if args.data_command == "build":
                from impact.build.tables import (
                    build_all,  # start-up: the build stack loads for data commands only
                )

                paths = build_all(raw, tmp, report=print)
            if geometry is not None:
                from impact.build.geometry import (
                    build_geometry,  # start-up: the build stack loads for data commands only
                )

                paths["geometry"] = build_geometry(Path(geometry), raw, tmp, report=print)
    except FileNotFoundError as exc:  # a raw file missing (polars gives no filename)
        raise InputError("raw", str(raw), f"a complete raw snapshot: {one_line(exc)}; pass "
                         "--raw DIR or set IMPACT_RAW_DATA=DIR; --out is unchanged") from None
    paths = {name: out / Path(path).relative_to(tmp) for name, path in paths.items()}
    for path in paths.values():
        print(f"wrote {path}")
    return 0


def _cmd_data_refresh(args: argparse.Namespace) -> int:
    from impact.build.refresh import (
        refresh,  # start-up: the build stack loads for data commands only
    )

    def say(line: str) -> None:
        print(line, file=sys.stderr)

    staged, where = refresh(indicators=args.indicators or not args.events, events=args.events,
                            to=args.to, say=say)
    print(f"data {staged.version} (refreshed from {staged.based_on}) is now in use: {where}")
    print("\n".join(changes_lines(staged.changes)))
    if args.to is None:
        print("go back with `impact data use bundled` (or `impact data use "
              f"{staged.based_on}` if that version is stored)")
    else:
        print(f"use it with IMPACT_DATA_DIR={where}")
    return 0


def _cmd_data_manifest(out: Path) -> int:
    if not out.is_dir():
        raise InputError("out", str(out), "an existing data folder (data/)")
    from impact.build.manifest import (
        write_manifest,  # start-up: the build stack loads for data commands only
    )

    print(f"wrote {write_manifest(out)}")
    return 0


# ---- events ----------------------------------------------------------------------------------


def _event_filters(args: argparse.Namespace) -> dict:
    return {"country": args.country, "years": args.years, "type": args.type,
            "platform": args.platform, "election": args.election, "search": args.search}


def _variant(args: argparse.Namespace) -> str:
    """The one variant label of ``--variant`` and ``--open-ended`` (compare, summary)."""
    end = "" if args.open_ended == "known" else "to_snapshot_"
    return end + args.variant


def _price_year(text: str | None) -> int | None:
    if text is None:
        return None
    return _int("price_year", text, 0, 2010, 2100, "a year from 2010 to the latest US "
                "deflator year")


def events_command(args: argparse.Namespace) -> int:
    if getattr(args, "out", None):
        writer.format_of(args.out, writer.FRAME_EXTENSIONS)
    cmd = args.events_command
    yours = _user_events(args)
    if cmd == "show":
        row = (ev.rows_by_id([args.event_id], yours).row(0, named=True)
               if args.event_id.startswith(ev.USER_ID_PREFIX) else ev.get_event(args.event_id))
        frame = pl.DataFrame([row])
        if args.format == "table":
            width = max(len(k) for k in row)
            pad = "\n" + " " * (width + 2)
            text = "\n".join(f"{k.ljust(width)}  " + show_cell(k, v, pad)
                             for k, v in row.items()) + "\n"
        else:
            text = frame_text(frame, args.format)
        sys.stdout.write(text)
        if args.out:
            print(f"wrote {writer.write_frame(frame, args.out)}", file=sys.stderr)
        return 0
    if cmd == "list":
        frame = _events(args, yours)
        cols = [c for c in ("event_id", "origin", "title", "iso3", "start", "end", "duration_hours",
                            "hours_basis", "scope", "platforms", "affected_share", "election",
                            "links") if c in frame.columns]
        if args.format == "table":
            cols = [c for c in cols if c not in ("links", "platforms", "end", "election")]
        if args.flags and frame.height:
            frame = frame.join(_event_flags(frame), on="event_id", how="left")
            cols.append("flag")
        sys.stdout.write(frame_text(frame, args.format, cols))
        if args.format == "table":
            print(f"{frame.height} events", file=sys.stderr)
        if args.out:
            print(f"wrote {writer.write_frame(frame, args.out)}", file=sys.stderr)
        return 0
    draws, seed, price_year = _draws(args.draws or "2000"), _seed(args.seed), \
        _price_year(args.price_year)
    cap = {"capped": True, "uncapped": False, "both": "both"}[args.variant]
    open_ended = args.open_ended.replace("-", "_")
    if cmd == "compare":
        ids = ev.rows_by_id(args.event_ids, yours) if yours is not None else args.event_ids
        frame = ev.compare(ids, _methods(args.method), variant=_variant(args),
                           draws=draws, seed=seed)
        frame = ev.with_origin(frame) if yours is not None else frame
        text = compare_text(frame) if args.format == "table" else frame_text(frame,
                                                                             args.format)
        sys.stdout.write(text)
        if args.format == "table":
            print("USD, current prices of each event year; total: sums of the events' P50, "
                  "P5 and P95 (summed P5/P95 are not quantiles of the sum)", file=sys.stderr)
        if args.out:
            print(f"wrote {writer.write_frame(frame, args.out)}", file=sys.stderr)
        return 0
    events = _events(args, yours)
    if cmd == "estimate":
        frame = ev.estimate_events(events, _methods(args.method), draws=draws, seed=seed,
                                   price_year=price_year, cap_platform_days=cap,
                                   open_ended=open_ended)
        if _methods(args.method) == "all":  # and each event's headline, after its methods
            frame = ev.add_headline(frame)
        if yours is not None:
            frame = ev.with_origin(frame)
        if args.format == "table":
            rows = [[shorten(("[yours] " if r["event_id"].startswith(ev.USER_ID_PREFIX)
                             else "") + (r["title"] or r["event_id"])), cell_text(r["year"]),
                     fmt.hours(r["costed_hours"]), r["variant"],
                     r["method"],
                     (f"{money_text(r['loss_usd_p50'])} ({money_text(r['loss_usd_p05'])}–"
                      f"{money_text(r['loss_usd_p95'])})") if r["status"] == "ok" else fmt.MISSING,
                     r["status"] if r["status"] == "ok" else f"{r['status']}: {r['reason']}"]
                    for r in frame.iter_rows(named=True)]
            text = text_table(rows, ["event", "year", "hours", "variant", "method",
                                 "loss P50 (P5–P95)", "status"]) + "\n"
        else:
            text = frame_text(frame, args.format)
        sys.stdout.write(text)
        if args.out:
            print(f"wrote {writer.write_frame(frame, args.out)}", file=sys.stderr)
        return 0
    # summary

    methods = _methods(args.method)
    if methods == "all" or len(methods) != 1:
        raise InputError("method", args.method, "exactly one method name for a summary, "
                         f"e.g. --method impact, or --method {ENSEMBLE} for the headline")
    headline = methods == [ENSEMBLE]
    if not headline and methods[0] not in REGISTRY:
        raise InputError("method", methods[0], f"one of {', '.join(REGISTRY)}, or {ENSEMBLE} "
                         "for each event's headline")
    frame = ev.estimate_events(events, "all" if headline else methods, draws=draws, seed=seed,
                               price_year=price_year, cap_platform_days=cap,
                               open_ended=open_ended, keep_draws=args.aggregate)
    if headline:
        frame = ev.add_headline(frame).filter(pl.col("method") == ENSEMBLE)
    if args.years is not None:  # the calendar years asked for, not the events' other years
        first, last = ev.year_range(args.years, yours)
        frame = frame.filter(pl.col("year").is_between(first, last))
    summary = ev.summarise(frame, by=args.by, method=methods[0], variant=_variant(args))
    # rows whose every event went uncosted say "0 events, USD 0": the table and files list
    # costed events only, and stderr says how many rows were left out and why
    empty = summary.filter(pl.col("n_events") == 0).height
    summary = summary.filter(pl.col("n_events") > 0)
    cols = ev.SUMMARY_COLUMNS + (ev.AGG_COLUMNS if args.aggregate else [])
    if args.by.startswith("platform"):
        cols = ["platform"] + [c for c in cols if c != "iso3"]
    summary = summary.select(cols)
    # the table shows only the keys of this --by (files keep every column, for stable headers)
    shown = [c for c in summary.columns
             if not (c in ("iso3", "year") and summary[c].null_count() == summary.height)]
    sys.stdout.write(frame_text(summary, args.format, shown))
    if args.format == "table":
        print(f"USD, current prices of each event year; {SUMMED_RANGE_NOTE}.", file=sys.stderr)
    if empty:
        print(f"note: {fmt.count(empty)} {args.by} rows with no costed event left out (their "
              "events could not be costed: blocks of services that are not costed platforms, "
              "parts before 2010; `impact events estimate` gives each reason)", file=sys.stderr)
    if args.out:
        print(f"wrote {writer.write_frame(summary, args.out)}", file=sys.stderr)
    return 0


def _user_events(args: argparse.Namespace):
    """The user's events of ``--events-file`` (None without one); what was read, kept and
    refused goes to stderr, one line per refused record."""
    path = getattr(args, "events_file", None)
    if not path:
        if getattr(args, "sheet", None):
            raise InputError("sheet", args.sheet, "a sheet of --events-file (give the file)")
        return None
    out = getattr(args, "out", None)
    if out and Path(out).resolve() == Path(path).resolve():
        raise InputError("out", out, "a path other than --events-file (the input)")
    user = ev.read_user_events(path, sheet=args.sheet)
    print(f"{path}: {user.summary()}", file=sys.stderr)
    for line in user.refused:
        print(f"refused: {line}", file=sys.stderr)
    return user.events


def _events(args: argparse.Namespace, yours):
    """The catalogue's events matching the filters, with the user's (``origin``) if any."""
    if yours is None:
        return ev.load_events(**_event_filters(args))
    return ev.filter_events(ev.with_yours(ev.catalogue(), yours), **_event_filters(args))


#: the method and draws `impact events list --flags` costs the events with
FLAG_METHOD, FLAG_DRAWS = CALIBRATED_METHOD, 1_000


def _event_flags(events):
    """``event_id, flag`` of catalogue events (`impact.catalogue.events.event_flags`, variant capped)."""
    totals = ev.event_totals(ev.estimate_events(events, [FLAG_METHOD], draws=FLAG_DRAWS))
    return totals.select("event_id", pl.col("flag").fill_null(""))


def _iso_now() -> str:
    return now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")


#: `impact monitor` options passed to the file's reader when given (argparse dest -> option)


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
    draws = _int("draws", args.draws, mon.DEFAULT_MONITOR_DRAWS, 100, 1_000_000,
                 "a whole number from 100 to 1,000,000")
    seed = _seed(args.seed)
    interval = _int("interval", args.interval, 30, 1, 86_400, "whole seconds from 1 to 86,400")
    methods = _methods(args.method)
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
