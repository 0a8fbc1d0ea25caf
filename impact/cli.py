"""Command line: ``impact estimate | batch | countries | methods | data | events``.

Bad input exits with status 2 and one line on stderr (``error: <field>: <value> is not
accepted; <accepted>``), never a traceback. ``impact batch`` exits 1 when some rows failed
(the good rows are still written).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from impact import format as fmt
from impact.errors import BatchInterrupted, ImpactError, InputError, RefreshError
from impact.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED
from impact.vocab import VALUE_FIELDS

SCENARIO_FLAGS = VALUE_FIELDS
_REPO = Path(__file__).resolve().parents[1]


class _UsageError(Exception):
    """An argparse error, reported as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


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
UNIT_METAVARS = {"hours": "HOURS", "0-1": "SHARE", "year": "YEAR", "people": "PEOPLE"}


def scenario_flag(name: str) -> tuple[str, str]:
    """(metavar, help) of the ``impact estimate`` flag of scenario field ``name``, from the
    scenario model: its description with the unit in brackets, then what is accepted
    (`impact.scenario.ACCEPTED`, the words of the errors). The metavar lists the choices of
    an enumeration (``USD|local``), else names the unit (``HOURS``, ``SHARE``), else the
    field (``COUNTRY``).

    >>> scenario_flag("duration_hours")[0], scenario_flag("currency")[0]
    ('HOURS', 'USD|local')
    """
    import re
    import typing
    from datetime import datetime

    from impact.scenario import ACCEPTED, Scenario

    field = Scenario.model_fields[name]
    text = field.description or ""
    unit = re.search(r"\[([^\]]+)\]$", text)
    choices = typing.get_args(field.annotation) if typing.get_origin(
        field.annotation) is typing.Literal else ()
    if choices:
        metavar = "|".join(choices)
    elif unit and unit.group(1) in UNIT_METAVARS:
        metavar = UNIT_METAVARS[unit.group(1)]
    elif datetime in typing.get_args(field.annotation):
        metavar = "DATETIME"
    else:
        metavar = name.upper()
    default = "" if field.default in (None, (), "") or field.is_required() else \
        f" (default {field.default})"
    help_text = f"{text}; {ACCEPTED[name]}{default}" if text else ACCEPTED[name] + default
    return metavar, help_text.replace("%", "%%")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="impact", description="Estimate the economic cost of internet "
                     "shutdowns, mobile-data blackouts, throttling and platform blocks.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    est = sub.add_parser("estimate", help="estimate one scenario")
    for name in SCENARIO_FLAGS:
        metavar, text = scenario_flag(name)
        est.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=metavar, help=text)
    est.add_argument("--no-time-weighting", action="store_true",
                     help="treat every hour of the day alike")
    _add_run_options(est)
    est.add_argument("--set", action="append", metavar="NAME=VALUE",
                     help="override a parameter's central value (repeatable)")
    est.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table",
                     help="what stdout gets (default table)")
    est.add_argument("--out", metavar="PATH", help="also write .csv, .json, .xlsx or .md")
    est.add_argument("--brief", metavar="PATH", help="also write a one-page brief (.html or "
                     ".pdf): the headline, every method, the charts, the assumptions, "
                     "sources and the command that reproduces it")

    bat = sub.add_parser("batch", help="estimate every row of a CSV, chunk by chunk")
    bat.add_argument("file", metavar="FILE")
    bat.add_argument("--out", metavar="OUT", help=".csv, .json or .xlsx (default: CSV to "
                     "stdout); written as OUT.partial and renamed when complete")
    _add_run_options(bat)
    bat.add_argument("--set", action="append", metavar="NAME=VALUE",
                     help="override a parameter's central value for every row (repeatable)")
    bat.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="local: this process; dask: chunks on a Dask distributed cluster "
                     "(needs the distributed extra)")
    bat.add_argument("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local "
                     "cluster on this machine)")
    bat.add_argument("--chunk-rows", metavar="N",
                     help="rows per engine pass (default 500)")
    bat.add_argument("--resume", action="store_true", help="continue an interrupted run "
                     "from its last complete chunk (OUT.partial and OUT.partial.progress; the "
                     "same options)")
    bat.add_argument("--full-provenance", action="store_true", help="CSV file: repeat the "
                     "data vintages on every row (default: once, in OUT.vintages.csv beside it; "
                     "CSV on stdout always repeats them)")
    bat.add_argument("--no-progress", action="store_true", help="no progress bar (default: "
                     "a bar on stderr when it is a terminal)")
    bat.add_argument("--progress", action="store_true", help="a progress bar even when "
                     "stderr is not a terminal")

    cty = sub.add_parser("countries", help="list the countries with data")
    cty.add_argument("--format", choices=("table", "csv"), default="table")

    reg = sub.add_parser("regions", help="list a country's admin-1 regions (for --regions)")
    reg.add_argument("country", metavar="COUNTRY")

    met = sub.add_parser("methods", help="list the estimation methods")
    met.add_argument("--format", choices=("table", "csv"), default="table")

    data = sub.add_parser("data", help="bundled data")
    data_sub = data.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    build = data_sub.add_parser("build", help="rebuild data/ from the raw snapshot")
    _raw_and_out(build)
    build.add_argument("--geometry", type=Path, metavar="WORLD_ATLAS",
                       help="also rebuild data/geometry/ from the world-atlas npm tarball "
                       "(`npm pack world-atlas@2`) or its countries-110m.json (optional)")
    geo = data_sub.add_parser("geometry", help="rebuild only the map's country shapes "
                              "(data/geometry/) from world-atlas, offline")
    geo.add_argument("source", type=Path, metavar="WORLD_ATLAS",
                     help="world-atlas-2.0.2.tgz (`npm pack world-atlas@2`) or its "
                     "countries-110m.json")
    _raw_and_out(geo)
    st = data_sub.add_parser("status", help="the data in use: its folder and version, each "
                             "source's vintage and age, each indicator's latest year, the "
                             "stored refreshes")
    st.add_argument("--online", action="store_true", help="also ask the World Bank API what "
                    "a refresh would change (years added, countries with new GDP); writes "
                    "nothing")
    ref = data_sub.add_parser(
        "refresh", help="fetch newer data from the publishers into a new data version "
        "(uses the network)",
        description="Fetch the latest World Bank indicators (World Bank API) and/or read a "
        "newer Access Now #KeepItOn STOP export, rebuild the curated tables and fits into a "
        "new data version in a temporary folder, validate it (schema, ranges, checksums, row "
        "counts at least 95%% of the old), then switch to it atomically: into the user-level "
        "data folder (see `impact data status`; $IMPACT_DATA_HOME overrides it), or into "
        "--to DIR. On any failure nothing changes. Go back with `impact data use bundled`.")
    ref.add_argument("--indicators", action="store_true", help="fetch the World Bank "
                     "indicators (the default when --events is not given)")
    ref.add_argument("--events", metavar="FILE_OR_URL", help="a newer STOP export (CSV file "
                     "or http(s) URL) to rebuild the event catalogue from")
    ref.add_argument("--to", type=Path, metavar="DIR", help="write the new version to DIR (a "
                     "new folder, or a data folder to replace, e.g. data/ in a checkout) "
                     "instead of the user-level data folder")
    use = data_sub.add_parser("use", help="switch to a stored data version, or back to the "
                              "bundled data ('bundled')")
    use.add_argument("version", metavar="VERSION", help="'bundled' or a version listed by "
                     "`impact data status`")
    data_sub.add_parser("check", help="verify every bundled file against data/manifest.json "
                        "(exists, types, value ranges, checksum)")
    man = data_sub.add_parser("manifest", help="rewrite data/manifest.json (checksums and "
                              "schemas) for the files already in data/, without the raw "
                              "snapshot")
    man.add_argument("--out", type=Path, default=_REPO / "data", metavar="DIR",
                     help=f"the data folder (default: {_REPO / 'data'})")
    _add_events_parser(sub)
    _add_monitor_parser(sub)
    return parser


def _raw_and_out(p: argparse.ArgumentParser) -> None:
    """``--raw`` and ``--out`` of the data builds; neither default depends on the current
    directory."""
    p.add_argument("--raw", type=Path, metavar="DIR",
                   help="the raw snapshot folder (default: $IMPACT_RAW_DATA if set, else "
                   f"{_REPO.parent / 'shared' / 'data'}, beside the checkout)")
    p.add_argument("--out", type=Path, default=_REPO / "data", metavar="DIR",
                   help=f"the data folder to write (default: {_REPO / 'data'})")


def _add_monitor_parser(sub) -> None:
    mon = sub.add_parser(
        "monitor", help="cost a restriction as it happens from a timeline or monitor file: "
        "cost so far, burn rate, projection; 'monitor fetch' downloads from a monitor",
        description="Cost so far, cost per additional hour and day, and what it will have "
        "cost if it lasts longer, from a disruption timeline (our CSV, or IODA, Cloudflare "
        "Radar, OONI or Access Now exports). 'impact monitor fetch --source ioda|cloudflare|"
        "ooni --country PAK --from ... --until ...' downloads a monitor's export (the only "
        "command that uses the network).")
    mon.add_argument("file", metavar="FILE", help="timeline CSV or monitor export (or 'fetch')")
    mon.add_argument("--input-format", default="auto", metavar="NAME",
                     help="the file's format (default: detected)")
    mon.add_argument("--until", metavar="DATETIME", help="cut the timeline here, UTC, or "
                     "'now' (default: its last moment), e.g. 2024-02-08T12:00Z; rows still on "
                     "(no end) are costed to it")
    mon.add_argument("--project", metavar="LIST", default="1d,3d,7d,30d",
                     help="how much longer it may last, e.g. 1d,3d,7d or 12h (default "
                     "1d,3d,7d,30d)")
    mon.add_argument("--timezone", metavar="ZONE", help="tz database zone for the local "
                     "hours (default: the country's)")
    mon.add_argument("--method", default="all", metavar="NAME|all",
                     help="method name(s), comma separated, or all (default: every method, "
                     "after the headline of those that apply); 'ensemble' shows the headline "
                     "alone, 'ensemble,impact' the headline and the impact method")
    mon.add_argument("--draws", metavar="N", help="Monte Carlo draws (default 2000)")
    mon.add_argument("--seed", metavar="N", help=f"random seed (default {DEFAULT_SEED})")
    mon.add_argument("--format", choices=("table", "csv", "json"), default="table")
    mon.add_argument("--brief", metavar="PATH", help="also write the decision brief "
                     "(.html or .pdf)")
    mon.add_argument("--watch", action="store_true", help="re-read FILE as it grows and "
                     "print the updated figures (Ctrl-C to stop)")
    mon.add_argument("--interval", metavar="SECONDS", default="30",
                     help="seconds between re-reads with --watch (default 30)")
    mon.add_argument("--source", choices=("ioda", "cloudflare", "ooni"),
                     help="fetch: the monitor to download from")
    mon.add_argument("--country", metavar="NAME|ISO3", help="the country to keep from a "
                     "file of several (or of an ASN); fetch: the country")
    mon.add_argument("--datasource", metavar="NAME", help="IODA: the signal to read (e.g. "
                     "ping-slash24, bgp, merit-nt, gtr)")
    mon.add_argument("--platform", metavar="NAME", help="OONI: the platform a file of "
                     "one test measures (e.g. whatsapp, telegram)")
    mon.add_argument("--sheet", metavar="NAME|all", help="a workbook's sheet (default: "
                     "all sheets)")
    mon.add_argument("--causes", metavar="LIST", help="Cloudflare Radar: outage causes to "
                     "cost, comma separated, or all (default: restrictions only)")
    mon.add_argument("--from", dest="start", metavar="DATETIME", help="fetch: from (UTC)")
    mon.add_argument("--out", metavar="PATH", help="fetch: where to save the download")
    mon.add_argument("--endpoint", metavar="NAME", help="fetch: which of the monitor's "
                     "answers (Cloudflare: outages or traffic_anomalies; IODA: signals or "
                     "events; default the first)")


_SUMMED_NOTE = ("P5/P95 totals are sums of the events' own P5/P95, not quantiles of the sum; "
                "--aggregate keeps the Monte Carlo draws and gives P5/P95 of the summed draws "
                "(the events of a country share their random numbers)")


def _add_events_parser(sub) -> None:
    ev = sub.add_parser("events", help="the catalogue of recorded events: list, show, "
                        "estimate, compare, summary")
    ev_sub = ev.add_subparsers(dest="events_command", required=True, parser_class=_Parser)

    def filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--country", metavar="NAME|ISO3", action="append",
                       help="country (repeatable)")
        p.add_argument("--years", metavar="YYYY[-YYYY]", help="years the events were active "
                       "in, e.g. 2019-2022 (summaries keep only these calendar years)")
        p.add_argument("--search", metavar="WORDS", help="words that must all appear in the "
                       "title, description, places, cause or platforms (any case)")
        p.add_argument("--type", metavar="TYPE", help="full, mobile, throttling or platforms "
                       "(comma separated)")
        p.add_argument("--platform", metavar="NAME", help="x, facebook, instagram, whatsapp, "
                       "youtube, tiktok, telegram or signal")
        p.add_argument("--election", action=argparse.BooleanOptionalAction, default=None,
                       help="only events tied (or, with --no-election, not tied) to an election")

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("table", "csv", "json"), default="table")
        p.add_argument("--out", metavar="PATH", help="also write .csv or .json")
        p.add_argument("--events-file", metavar="FILE", help="your own events beside the "
                       "catalogue's: our events CSV (at least country,start,scope) or an "
                       "Access Now STOP sheet (CSV or .xlsx), costed by the catalogue's "
                       "rules and marked origin=yours")
        p.add_argument("--sheet", metavar="NAME", help="the workbook sheet of --events-file "
                       "(default: every sheet)")

    def run(p: argparse.ArgumentParser, variants: tuple[str, ...], default: str) -> None:
        p.add_argument("--method", default="all", metavar="NAME|all",
                       help="method name(s), comma separated, or all")
        p.add_argument("--draws", metavar="N", help="Monte Carlo draws per event "
                       "(default 2000)")
        p.add_argument("--seed", metavar="N", help=f"random seed (default {DEFAULT_SEED})")
        p.add_argument("--price-year", metavar="YYYY", help="year of the constant-USD column "
                       "(default: the latest US deflator year)")
        p.add_argument("--variant", choices=variants, default=default,
                       help="platform blocks longer than a year: costed for their first "
                       "365 days (capped), in full (uncapped)"
                       + (" or both" if "both" in variants else ""))
        p.add_argument("--open-ended", choices=("known",) + (("to-snapshot", "both")
                                                             if "both" in variants
                                                             else ("to-snapshot",)),
                       default="known", help="events with no end date: cost what the source "
                       "states, the first day (known), or run those still ongoing to the data "
                       "snapshot (to-snapshot)" + (" or both" if "both" in variants else ""))

    lst = ev_sub.add_parser("list", help="list catalogue events")
    filters(lst)
    lst.add_argument("--flags", action="store_true",
                     help="estimate the listed events (cost_compatible, variant capped, "
                     "1,000 draws) and add their flag: costed above 0.5 %% of GDP or 2,000 "
                     "hours, and why")
    output(lst)
    show = ev_sub.add_parser("show", help="show one event")
    show.add_argument("event_id", metavar="ID")
    output(show)
    est = ev_sub.add_parser("estimate", help="estimate events with every method")
    filters(est)
    run(est, ("capped", "uncapped", "both"), "capped")
    output(est)
    cmp_ = ev_sub.add_parser("compare", help="compare events: per day, per capita, "
                             "%% of GDP, with ranks")
    cmp_.add_argument("event_ids", metavar="ID", nargs="+")
    run(cmp_, ("capped", "uncapped"), "capped")
    output(cmp_)
    summ = ev_sub.add_parser("summary", help="totals per country-year, country or year. "
                             + _SUMMED_NOTE)
    filters(summ)
    summ.add_argument("--by", choices=("country-year", "country", "year", "platform-year",
                                       "platform"), default="country-year",
                      help="totals per country-year (default), country, year, or a ledger "
                      "per platform (and year): a block of several platforms counts under "
                      "each")
    run(summ, ("capped", "uncapped"), "capped")
    summ.set_defaults(method="impact")
    summ.add_argument("--aggregate", action="store_true",
                      help="P5/P95 of the summed Monte Carlo draws (also as loss_usd_p05_agg "
                      "and loss_usd_p95_agg) instead of sums of the events' P5/P95")
    output(summ)


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--method", default="all", metavar="NAME|all",
                   help="method name(s), comma separated, or all")
    p.add_argument("--draws", metavar="N", help=f"Monte Carlo draws (default {DEFAULT_DRAWS})")
    p.add_argument("--seed", metavar="N", help=f"random seed (default {DEFAULT_SEED})")


# ---- commands --------------------------------------------------------------------------------
def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join(lines)


def estimate_table(est) -> str:
    """Readable aligned table of an `Estimate` plus its data notes."""
    from impact import export  # in the commands, so that `impact --help` stays light
    rows = []
    code = next((r["currency"] for r in est.summary.iter_rows(named=True)
                 if r["status"] == "ok" and r["currency"]), "USD")
    basis = next((r["price_basis"] for r in est.summary.iter_rows(named=True)
                  if r["status"] == "ok" and r["price_basis"]), "current")
    usd = code == "USD" and basis == "current"
    for r in est.summary.iter_rows(named=True):
        if r["status"] == "ok":
            spread = fmt.money_range(r["loss_p05"], r["loss_p95"], "")
            cells = [r["method"], f"{fmt.money(r['loss_p50'], code)} ({spread})"]
            if not usd:
                cells.append(fmt.money(r["loss_usd_p50"]))
            cells += [fmt.money(r["loss_per_day_p50"], code),
                      fmt.percent(r["share_of_gdp_p50"]), r["main_driver"] or "", "ok"]
            rows.append(cells)
        else:
            rows.append([r["method"]] + [fmt.MISSING] * (4 if usd else 5)
                        + [f"{r['status']}: {r['reason']}"])
    header = ["method", "loss P50 (P5–P95)"] + ([] if usd else ["USD P50"]) + [
        "per day", "% of GDP", "main driver", "status"]
    from impact.ensemble import (
        beside_text,
        ensemble,
        headline,
        members_note,
        range_text,
        why_they_differ,
    )

    ens = ensemble(est)
    out = [headline(est)]
    out += [line for line in (range_text(est, ens), beside_text(est, ens), why_they_differ(est),
                              members_note(ens, lambda m: m)) if line]
    out += context_lines(est)
    out += ["", export.scenario_words(est), "", _table(rows, header)]
    if est.notes:
        out += ["", "Data notes:"] + [f"  - {n}" for n in est.notes]
    money = (f"USD, current prices of {est.context.year}" if usd else
             f"{code}, {basis} prices (USD at current prices of {est.context.year} beside)")
    out += ["", f"{money}; impact {export.impact_version()}, data {export.data_version()}."]
    return "\n".join(out)


def context_lines(est) -> list[str]:
    """Beyond the loss: the scenario's fitted effects on GDP growth, FDI and unemployment and
    the next-year shutdown risk (`impact.associations`), as lines after the headline."""
    from impact import associations

    try:
        effects = associations.scenario_effects(est)
        outlook = associations.risk_outlook(est.context.iso3)
    except ImpactError as err:
        return ["", f"Associations and risk: not available ({_one_line(str(err))})."]
    return (["", "Beyond the loss (associations in past country-years, not measured causes):"]
            + [f"  {line}" for line in associations.effect_lines(effects)]
            + [f"  {outlook.text} {outlook.why}"])


def _cmd_estimate(args: argparse.Namespace) -> int:
    from impact import export
    from impact.estimate import estimate
    from impact.scenario import parse_scenario

    fields = {name: getattr(args, name) for name in SCENARIO_FLAGS}
    if args.no_time_weighting:
        fields["time_weighting"] = False
    draws, seed, overrides = _draws(args.draws), _seed(args.seed), _overrides(args.set)
    if args.out:
        export.export_format(args.out)  # fail before computing
    if args.brief and Path(args.brief).suffix.lower() not in (".html", ".pdf"):
        raise InputError("brief", args.brief, "a path ending in .html or .pdf")
    est = estimate(parse_scenario(fields), _methods(args.method), draws=draws, seed=seed,
                   overrides=overrides)
    if args.format == "table":
        text = estimate_table(est)
    else:
        text = export.render(est, args.format, overrides=overrides)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.out:
        path = _write(est, args.out, overrides=overrides)
        print(f"wrote {path}", file=sys.stderr)
    if args.brief:
        from impact.brief import write_estimate_brief

        try:
            path = write_estimate_brief(est, args.brief)
        except OSError as exc:
            raise InputError("brief", args.brief,
                             f"a writable path ({exc.strerror or exc})") from None
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _write(obj, out: str, **kwargs) -> Path:
    from impact import export
    try:
        return export.write_export(obj, out, **kwargs)
    except OSError as exc:
        raise InputError("out", out, f"a writable path ({exc.strerror or exc})") from None


def _cmd_batch(args: argparse.Namespace) -> int:
    from impact import export
    from impact.batch import DEFAULT_CHUNK_ROWS, CsvChunks, stream_batch

    draws, seed = _draws(args.draws), _seed(args.seed)
    chunk_rows = _int("chunk-rows", args.chunk_rows, DEFAULT_CHUNK_ROWS, 1, 1_000_000,
                      "a whole number of rows from 1 to 1,000,000")
    if args.scheduler and args.engine != "dask":
        raise InputError("scheduler", args.scheduler, "only with --engine dask")
    fmt = "csv"
    if args.out:
        fmt = export.export_format(args.out)
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
        from impact.batch import vintages_path

        where += f" (data vintages once, in {vintages_path(Path(args.out)).name})"
    print(f"batch: {stats.rows} rows, {stats.ok} ok, {len(stats.errors)} failed; "
          f"{stats.results} result rows {where}", file=sys.stderr)
    for note in stats.notes:
        print(f"note: {note}", file=sys.stderr)
    for err in stats.errors:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
    return 1 if stats.errors else 0


def _cmd_countries(args: argparse.Namespace) -> int:
    from impact.io import read_bundled

    frame = (read_bundled("countries").select("iso3", "name", "region", "income_group")
             .sort("iso3"))
    if args.format == "csv":
        sys.stdout.write(frame.write_csv())
    else:
        rows = [[c or "" for c in r] for r in frame.iter_rows()]
        print(_table(rows, frame.columns))
    return 0


def _cmd_regions(args: argparse.Namespace) -> int:
    from impact.countries import resolve_country
    from impact.regions import region_names

    iso3 = resolve_country(args.country)
    names = region_names(iso3)
    if not names:
        raise InputError("country", args.country, "a country with bundled admin-1 populations "
                         "(none are bundled for this one; use --affected-share instead)")
    print("\n".join(names))
    return 0


def _cmd_methods(args: argparse.Namespace) -> int:
    from impact import export
    from impact.methods import REGISTRY

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


def _cmd_data(args: argparse.Namespace) -> int:
    if args.data_command == "status":
        from impact.data_status import status, status_text

        print(status_text(status()))
        if args.online:
            from impact.build.refresh import preview
            from impact.data_status import changes_lines

            print("\nwhat a refresh of the World Bank indicators would change now:")
            print("\n".join(changes_lines(preview())))
        return 0
    if args.data_command == "refresh":
        return _cmd_data_refresh(args)
    if args.data_command == "use":
        from impact.datastore import use

        print(use(args.version))
        return 0
    if args.data_command == "manifest":
        return _cmd_data_manifest(Path(args.out))
    if args.data_command == "check":
        from impact.io import check_bundled, data_dir, data_version

        files = check_bundled()
        print(f"ok: {len(files)} bundled files in {data_dir()} match manifest.json "
              f"(data {data_version()})")
        return 0
    from impact.build import raw_dir  # lazily: only the builds need it

    geometry = args.source if args.data_command == "geometry" else args.geometry
    if geometry is not None and not Path(geometry).is_file():
        raise InputError("geometry", str(geometry), "the world-atlas npm tarball "
                         "(`npm pack world-atlas@2`) or its countries-110m.json")
    from impact.build.staging import building

    raw, out = raw_dir(args.raw), Path(args.out).resolve()
    paths = {}
    try:  # into a copy of --out, swapped in when complete: a failed build changes nothing
        with building(out) as tmp:
            if args.data_command == "build":
                from impact.build.tables import build_all  # lazily: only this command

                paths = build_all(raw, tmp, report=print)
            if geometry is not None:
                from impact.build.geometry import build_geometry

                paths["geometry"] = build_geometry(Path(geometry), raw, tmp, report=print)
    except FileNotFoundError as exc:  # a raw file missing (polars gives no filename)
        raise InputError("raw", str(raw), f"a complete raw snapshot: {_one_line(exc)}; pass "
                         "--raw DIR or set IMPACT_RAW_DATA=DIR; --out is unchanged") from None
    paths = {name: out / Path(path).relative_to(tmp) for name, path in paths.items()}
    for path in paths.values():
        print(f"wrote {path}")
    return 0


def _cmd_data_refresh(args: argparse.Namespace) -> int:
    from impact.build.refresh import refresh  # lazily: only this command needs it
    from impact.data_status import changes_lines

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
    from impact.build.manifest import write_manifest  # lazily: only this command needs it

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


def _short(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters with an ellipsis (table cells)."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _cell(x, column: str = "") -> str:
    """A table cell: money, shares and hours by the column's name (``*usd*``, ``*share*``,
    ``*hours*``), other numbers with three significant figures (`impact.format`)."""
    if isinstance(x, bool) or (x is not None and not isinstance(x, float | int)):
        return str(x)
    if fmt.is_missing(x):
        return fmt.MISSING
    if isinstance(x, int) and not ("usd" in column or "hours" in column):
        return str(x)  # years, ranks, counts of events
    if "usd" in column:
        return fmt.money(x)
    if "share" in column:
        return fmt.percent(x)
    if "hours" in column:
        return fmt.hours(x, unit=False)
    return fmt.number(x)


def _frame_text(frame: pl.DataFrame, fmt: str, columns: list[str] | None = None) -> str:
    if fmt == "csv":  # text a spreadsheet would run as a formula is quoted (export.safe_text)
        from impact.export import safe_frame

        return safe_frame(frame).write_csv()
    if fmt == "json":
        return frame.write_json()
    shown = frame.select(columns) if columns else frame
    rows = [[_cell(c, col) for c, col in zip(r, shown.columns, strict=True)]
            for r in shown.iter_rows()]
    return _table(rows, shown.columns) + "\n"


def _write_frame(frame: pl.DataFrame, out: str | None) -> None:
    if not out:
        return
    suffix = Path(out).suffix.lower()
    if suffix not in (".csv", ".json"):
        raise InputError("out", out, "a path ending in .csv or .json")
    from impact.export import safe_frame
    from impact.io import write_atomic

    write_atomic(out, safe_frame(frame).write_csv() if suffix == ".csv" else frame.write_json())
    print(f"wrote {out}", file=sys.stderr)


def _check_out(out: str | None) -> None:
    if out and Path(out).suffix.lower() not in (".csv", ".json"):
        raise InputError("out", out, "a path ending in .csv or .json")


def _show_cell(key: str, value, pad: str) -> str:
    """One value of `impact events show`: links one a line, Access Now's count years named
    as such (the event's own year is ``year``, its start year)."""
    if key == "links" and value:
        return pad.join(str(value).split("|"))
    if key == "listed_years" and value:
        return (", ".join(str(value).split(";"))
                + " (the years of the Access Now STOP lists that record it)")
    return _cell(value, key)


def _money(x) -> str:
    return fmt.money(x)


def _loss_cell(p50, p05, p95) -> str:
    """``USD 4.3 bn (1.2 bn – 9 bn)``: the central loss with its P5–P95 range."""
    return f"{_money(p50)} ({fmt.money_range(p05, p95, '')})"


def compare_text(frame: pl.DataFrame) -> str:
    """`impact.events.compare` as text: the events named in the order given, then one block
    per method with each event's costed hours, loss P50 (P5–P95), per day, per capita and
    share of GDP with their ranks, and a total row (sums of the costed events)."""
    names = frame.unique("event_id", maintain_order=True)
    lines = ["events, in the order given:"] + [
        f"  {r['event_id']}  {r['title'] or ', '.join(str(r[c]) for c in ('country', 'year', 'scope'))}"
        for r in names.iter_rows(named=True)]
    rows = []
    for method in frame["method"].unique(maintain_order=True):
        block = frame.filter(pl.col("method") == method)
        for r in block.iter_rows(named=True):
            ok = r["status"] == "ok"
            rows.append([r["event_id"], method, fmt.hours(r["costed_hours"], unit=False),
                         _loss_cell(r["loss_usd_p50"], r["loss_usd_p05"], r["loss_usd_p95"])
                         if ok else fmt.MISSING,
                         _money(r["loss_usd_per_day_p50"]), _cell(r["rank_per_day"]),
                         _money(r["loss_usd_per_capita_p50"]), _cell(r["rank_per_capita"]),
                         fmt.percent(r["share_of_gdp_p50"]), _cell(r["rank_share_of_gdp"]),
                         r["status"]])
        costed = block.filter(pl.col("status") == "ok")
        sums = {c: math.fsum(costed[c].to_list()) for c in
                ("costed_hours", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95")}
        of = (f"{costed.height} events" if costed.height == block.height
              else f"{costed.height} of {block.height} events costed")
        rows.append(["total", method, fmt.hours(sums["costed_hours"], unit=False),
                     _loss_cell(sums["loss_usd_p50"], sums["loss_usd_p05"],
                                sums["loss_usd_p95"]) if costed.height else fmt.MISSING,
                     "", "", "", "", "", "", of])
    header = ["event", "method", "hours", "loss P50 (P5–P95)", "per day", "rank",
              "per capita", "rank", "% of GDP", "rank", "status"]
    return "\n".join(lines) + "\n\n" + _table(rows, header) + "\n"


def _cmd_events(args: argparse.Namespace) -> int:
    from impact import events as ev

    _check_out(getattr(args, "out", None))
    cmd = args.events_command
    yours = _user_events(args)
    if cmd == "show":
        row = (ev.rows_by_id([args.event_id], yours).row(0, named=True)
               if args.event_id.startswith(ev.USER_ID_PREFIX) else ev.get_event(args.event_id))
        frame = pl.DataFrame([row])
        if args.format == "table":
            width = max(len(k) for k in row)
            pad = "\n" + " " * (width + 2)
            text = "\n".join(f"{k.ljust(width)}  " + _show_cell(k, v, pad)
                             for k, v in row.items()) + "\n"
        else:
            text = _frame_text(frame, args.format)
        sys.stdout.write(text)
        _write_frame(frame, args.out)
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
        sys.stdout.write(_frame_text(frame, args.format, cols))
        if args.format == "table":
            print(f"{frame.height} events", file=sys.stderr)
        _write_frame(frame, args.out)
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
        text = compare_text(frame) if args.format == "table" else _frame_text(frame,
                                                                             args.format)
        sys.stdout.write(text)
        if args.format == "table":
            print("USD, current prices of each event year; total: sums of the events' P50, "
                  "P5 and P95 (summed P5/P95 are not quantiles of the sum)", file=sys.stderr)
        _write_frame(frame, args.out)
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
            rows = [[_short(("[yours] " if r["event_id"].startswith(ev.USER_ID_PREFIX)
                             else "") + (r["title"] or r["event_id"])), _cell(r["year"]),
                     fmt.hours(r["costed_hours"]), r["variant"],
                     r["method"],
                     (f"{_money(r['loss_usd_p50'])} ({_money(r['loss_usd_p05'])}–"
                      f"{_money(r['loss_usd_p95'])})") if r["status"] == "ok" else fmt.MISSING,
                     r["status"] if r["status"] == "ok" else f"{r['status']}: {r['reason']}"]
                    for r in frame.iter_rows(named=True)]
            text = _table(rows, ["event", "year", "hours", "variant", "method",
                                 "loss P50 (P5–P95)", "status"]) + "\n"
        else:
            text = _frame_text(frame, args.format)
        sys.stdout.write(text)
        _write_frame(frame, args.out)
        return 0
    # summary
    from impact.ensemble import ENSEMBLE
    from impact.methods import REGISTRY

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
    sys.stdout.write(_frame_text(summary, args.format, shown))
    if args.format == "table":
        print(f"USD, current prices of each event year; {_SUMMED_NOTE}.", file=sys.stderr)
    if empty:
        print(f"note: {fmt.count(empty)} {args.by} rows with no costed event left out (their "
              "events could not be costed: blocks of services that are not costed platforms, "
              "parts before 2010; `impact events estimate` gives each reason)", file=sys.stderr)
    _write_frame(summary, args.out)
    return 0


def _user_events(args: argparse.Namespace):
    """The user's events of ``--events-file`` (None without one); what was read, kept and
    refused goes to stderr, one line per refused record."""
    from impact import events as ev

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
    from impact import events as ev

    if yours is None:
        return ev.load_events(**_event_filters(args))
    return ev.filter_events(ev.with_yours(ev.catalogue(), yours), **_event_filters(args))


#: the method and draws `impact events list --flags` costs the events with
FLAG_METHOD, FLAG_DRAWS = "cost_compatible", 1_000


def _event_flags(events):
    """``event_id, flag`` of catalogue events (`impact.events.event_flags`, variant capped)."""
    from impact import events as ev

    totals = ev.event_totals(ev.estimate_events(events, [FLAG_METHOD], draws=FLAG_DRAWS))
    return totals.select("event_id", pl.col("flag").fill_null(""))


def _iso_now() -> str:
    from impact.timeline import now_utc

    return now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")


#: `impact monitor` options passed to the file's reader when given (argparse dest -> option)
READER_OPTIONS = ("until", "datasource", "platform", "sheet", "causes")


def _read_timeline(args: argparse.Namespace):
    """The monitor file as a `Timeline`, with the options the user gave; what was read,
    kept and refused goes to stderr (refused records one line each, the first 20)."""
    from impact.importers import read_any

    options = {k: getattr(args, k) for k in READER_OPTIONS if getattr(args, k, None)}
    timeline = read_any(args.file, fmt=args.input_format, country=args.country, **options)
    report = timeline.report
    if report is not None and (report.refused or report.other_countries or report.ongoing):
        print(f"{timeline.name}: {report.summary()}", file=sys.stderr)
        for line in report.refused[:20]:
            print(f"  refused: {_one_line(line)}", file=sys.stderr)
        if len(report.refused) > 20:
            print(f"  … {len(report.refused) - 20:,} more refused", file=sys.stderr)
    return timeline


def monitor_text(result, fmt_name: str = "table", methods: list[str] | None = None) -> str:
    """The monitor figures as an aligned table (or CSV/JSON of the per-method frame): the
    headline (method ``ensemble``) first, then every method; ``methods`` keeps those rows
    only (``--method ensemble``: the headline alone)."""
    from impact.ensemble import ENSEMBLE

    keep = (lambda frame: frame) if methods is None else (
        lambda frame: frame.filter(pl.col("method").is_in(methods)))
    so_far = keep(result.so_far)
    burn = {(r["method"], r["rate"]): r for r in result.burn.iter_rows(named=True)}
    proj = keep(result.projection)
    if fmt_name in ("csv", "json"):
        wide = so_far.select("method", "status", "reason", "loss_usd_p05", "loss_usd_p50",
                             "loss_usd_p95", "loss_local_p50")
        for rate in ("per_hour", "per_day"):
            wide = wide.join(result.burn.filter(pl.col("rate") == rate).select(
                "method", pl.col("loss_usd_p50").alias(f"burn_{rate}_usd_p50")), on="method",
                how="left", maintain_order="left")
        for d in proj["more_days"].unique(maintain_order=True).to_list():
            wide = wide.join(proj.filter(pl.col("more_days") == d).select(
                "method", pl.col("loss_usd_p50").alias(f"total_if_{d:g}d_more_usd_p50")),
                on="method", how="left", maintain_order="left")
        return _frame_text(wide, fmt_name)
    t = result.timeline
    state = ("still on" if result.current else "lifted")
    head = (f"{t.name}: {t.iso3}, {t.start:%Y-%m-%d %H:%M} to {result.until:%Y-%m-%d %H:%M} "
            f"UTC ({state}; local time {result.zone}); {result.draws} draws, seed "
            f"{result.seed}")
    lines = [head, ""]
    horizons = proj["more_days"].unique(maintain_order=True).to_list()
    verb = "if it lasts" if result.current else "had it lasted"
    header = ["method", "cost so far P50 (P5–P95)", "per hour", "per day"] + [
        f"{verb} {d:g} d more" for d in horizons]
    rows, reasons = [], []
    for r in so_far.iter_rows(named=True):
        m = r["method"]
        if r["status"] != "ok":  # the reason below the table, so columns stay narrow
            rows.append([m, r["status"].replace("_", " ") + f" ({len(reasons) + 1})"]
                        + [""] * (len(header) - 2))
            reasons.append(f"({len(reasons) + 1}) {m}: {_one_line(r['reason'] or '')}")
            continue
        spread = fmt.money_range(r["loss_usd_p05"], r["loss_usd_p95"], "")
        label = "headline" if m == ENSEMBLE else m  # the word every page uses
        rows.append([label, f"{_money(r['loss_usd_p50'])} ({spread})",
                     _money(burn[(m, "per_hour")]["loss_usd_p50"]),
                     _money(burn[(m, "per_day")]["loss_usd_p50"])] + [
            _money(proj.filter((pl.col("method") == m) & (pl.col("more_days") == d))
                   ["loss_usd_p50"][0]) for d in horizons])
        if m == ENSEMBLE:
            reasons.append(f"headline ({ENSEMBLE}): {_one_line(r['reason'] or '')}")
    lines.append(_table(rows, header))
    lines += reasons
    if result.fx is not None:
        lines.append(f"\nLocal currency: {result.currency} {result.fx:,.4g} per USD (official "
                     "rate of the year); every figure above is USD at current prices.")
    if result.notes:
        lines.append("Data notes: " + "; ".join(result.notes))
    return "\n".join(lines) + "\n"


def _cmd_monitor(args: argparse.Namespace) -> int:
    from impact import monitor as mon
    from impact.ensemble import ENSEMBLE

    if args.file == "fetch":
        from impact import fetch

        until = None if args.until is None else (
            _iso_now() if args.until.strip().lower() == "now" else args.until)
        path = fetch.fetch(args.source, args.country, args.start, until, args.out,
                           endpoint=args.endpoint)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.brief and Path(args.brief).suffix.lower() not in (".html", ".pdf"):
        raise InputError("brief", args.brief, "a path ending in .html or .pdf")
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
            _write_brief(result, args.brief, ENSEMBLE)

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
                    print(f"error: {_one_line(str(exc))}", file=sys.stderr)
            time.sleep(interval)
    except KeyboardInterrupt:
        return 0


def _write_brief(result, path: str, method: str = "impact") -> None:
    from impact import brief
    from impact.io import write_atomic

    out = Path(path)
    write_atomic(out, brief.brief_pdf(result, method) if out.suffix.lower() == ".pdf"
                 else brief.brief_html(result, method), field="brief")
    print(f"wrote {out}", file=sys.stderr)


COMMANDS = {"estimate": _cmd_estimate, "batch": _cmd_batch, "countries": _cmd_countries,
            "regions": _cmd_regions,
            "methods": _cmd_methods, "data": _cmd_data, "events": _cmd_events,
            "monitor": _cmd_monitor}


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _version_in_use() -> str:
    from impact.io import data_version, forget_data_dir

    forget_data_dir()
    return data_version()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 some batch rows failed,
    2 bad input or data, 3 an internal error — a bug: one line, and the traceback only with
    ``IMPACT_DEBUG=1``; 4 a data refresh failed and nothing was changed; 130 interrupted)."""
    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
        return COMMANDS[args.command](args)
    except _UsageError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except RefreshError as exc:  # nothing was switched: say so
        print(f"error: {_one_line(str(exc))}; nothing was changed (data "
              f"{_version_in_use()} still in use)", file=sys.stderr)
        return 4
    except ImpactError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except BatchInterrupted as exc:
        print(f"error: interrupted; the good rows so far are kept in {exc.partial} (rename "
              "it to use it, or run the same command with --resume to continue)",
              file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output stopped (e.g. `| head -1`): not a fault
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file that cannot be read or written: the user's to fix
        where = f"'{exc.filename}'" if exc.filename else "a file"
        print(f"error: {where} could not be read or written ({exc.strerror or exc})",
              file=sys.stderr)
        return 4 if getattr(args, "data_command", None) == "refresh" else 2
    except Exception as exc:  # a bug: one line, never a traceback unless asked for
        if os.environ.get("IMPACT_DEBUG", "").strip() in ("1", "true"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {_one_line(str(exc))}); this is "
              "a bug in impact: please report the command (IMPACT_DEBUG=1 shows the "
              "traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
