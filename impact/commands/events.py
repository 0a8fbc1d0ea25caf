"""``impact events``: the catalogue of past events (and a user's own), listed, compared and
costed with the indicators of each event's year."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from impact import format as fmt
from impact.bundled.countries import resolve_country
from impact.catalogue import events as ev
from impact.commands.args import (
    draws_arg,
    methods_arg,
    price_year_arg,
    seed_arg,
)
from impact.errors import InputError
from impact.estimation.ensemble import ENSEMBLE
from impact.methods import CALIBRATED_METHOD, OWN_METHOD, REGISTRY
from impact.report import writer
from impact.report.text import (
    cell_text,
    compare_text,
    frame_text,
    money_text,
    shorten,
    show_cell,
    terminal_width,
    text_table,
)
from impact.vocab import SUMMED_RANGE_NOTE


def _countries(values: list[str] | None) -> list[str] | None:
    """``--country`` values, each one country or a comma-separated list of them ("ETH,MMR");
    a name with a comma of its own ("Iran, Islamic Rep.") stays whole."""
    if not values:
        return None
    out: list[str] = []
    for value in values:
        try:
            resolve_country(value)
            out.append(value)
        except InputError:
            parts = [part.strip() for part in value.split(",") if part.strip()]
            out.extend(parts if len(parts) > 1 else [value])
    return out


def _event_filters(args: argparse.Namespace) -> dict:
    return {"country": _countries(args.country), "years": args.years, "type": args.type,
            "platform": args.platform, "election": args.election, "search": args.search}


def _variant(args: argparse.Namespace) -> str:
    """The one variant label of ``--variant`` and ``--open-ended`` (compare, summary)."""
    end = "" if args.open_ended == "known" else "to_snapshot_"
    return end + args.variant


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
        sys.stdout.write(frame_text(frame, args.format, cols, width=terminal_width()))
        if args.format == "table":
            print(f"{frame.height} events", file=sys.stderr)
        if args.out:
            print(f"wrote {writer.write_frame(frame, args.out)}", file=sys.stderr)
        return 0
    draws, seed, price_year = draws_arg(args.draws or "2000"), seed_arg(args.seed), \
        price_year_arg(args.price_year)
    cap = {"capped": True, "uncapped": False, "both": "both"}[args.variant]
    open_ended = args.open_ended.replace("-", "_")
    if cmd == "compare":
        ids = ev.rows_by_id(args.event_ids, yours) if yours is not None else args.event_ids
        frame = ev.compare(ids, methods_arg(args.method), variant=_variant(args),
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
        frame = ev.estimate_events(events, methods_arg(args.method), draws=draws, seed=seed,
                                   price_year=price_year, cap_platform_days=cap,
                                   open_ended=open_ended)
        if methods_arg(args.method) == "all":  # and each event's headline, after its methods
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

    methods = methods_arg(args.method) if args.method else [OWN_METHOD]
    if methods == "all" or len(methods) != 1:
        raise InputError("method", args.method, "exactly one method name for a summary, "
                         f"e.g. --method {OWN_METHOD}, or --method {ENSEMBLE} for the headline")
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
