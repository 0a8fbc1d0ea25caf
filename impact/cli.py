"""Command line: ``impact estimate | batch | countries | methods | data | events``.

Bad input exits with status 2 and one line on stderr (``error: <field>: <value> is not
accepted; <accepted>``), never a traceback. ``impact batch`` exits 1 when some rows failed
(the good rows are still written).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from impact import __version__
from impact.bundled.datastore import forget_data_dir
from impact.bundled.io import data_version
from impact.errors import BatchInterrupted, ImpactError, RefreshError
from impact.model.montecarlo import DEFAULT_DRAWS
from impact.model.scenario import ACCEPTED, Scenario
from impact.text import one_line
from impact.vocab import DEFAULT_SEED, SUMMED_RANGE_NOTE, VALUE_FIELDS

SCENARIO_FLAGS = VALUE_FIELDS


_REPO = Path(__file__).resolve().parents[1]


class _UsageError(Exception):
    """An argparse error, reported as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


UNIT_METAVARS = {"hours": "HOURS", "0-1": "SHARE", "year": "YEAR", "people": "PEOPLE"}


def scenario_flag(name: str) -> tuple[str, str]:
    """(metavar, help) of the ``impact estimate`` flag of scenario field ``name``, from the
    scenario model: its description with the unit in brackets, then what is accepted
    (`impact.model.scenario.ACCEPTED`, the words of the errors). The metavar lists the choices of
    an enumeration (``USD|local``), else names the unit (``HOURS``, ``SHARE``), else the
    field (``COUNTRY``).

    >>> scenario_flag("duration_hours")[0], scenario_flag("currency")[0]
    ('HOURS', 'USD|local')
    """
    import re
    import typing
    from datetime import datetime


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


class _Version(argparse.Action):
    """``--version``: the package's version and the data's in use (read only when asked)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help=None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"impact {__version__} (data {data_version()})")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="impact", description="Estimate the economic cost of internet "
                     "shutdowns, mobile-data blackouts, throttling and platform blocks.")
    parser.add_argument("--version", action=_Version,
                        help="print the version of impact and of the data in use, then exit")
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
    est.add_argument("--out", metavar="PATH", help="also write .csv, .json, .xlsx or .md (a "
                     ".csv's assumptions go beside it, to PATH.assumptions.csv)")
    est.add_argument("--bom", action="store_true", help="start CSV output with the UTF-8 "
                     "byte-order mark, so Excel on Windows reads '–' and '×' as written (the "
                     "app's CSV downloads have it; default: none, for scripts)")
    est.add_argument("--associations", action="store_true", help="table: also print the "
                     "fitted associations with GDP growth, FDI and unemployment and the "
                     "country's shutdown risk, after the table")
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
    build.add_argument("--platforms-only", action="store_true",
                       help="rebuild only the platform table and its level fit "
                       "(platform_weights.csv, platform_level_fit.csv) from the other tables")
    build.add_argument("--validation", type=Path, metavar="FILE",
                       help="the Top10VPN country-year file the platform level is fitted on "
                       "(default: <raw>/../validation/top10vpn_country_year_2019_2022.csv; "
                       "read, never written to data/)")
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
    mon.add_argument("--draws", metavar="N", help="Monte Carlo draws (default 2,000)")
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


def _add_events_parser(sub) -> None:
    ev = sub.add_parser("events", help="the catalogue of recorded events: list, show, "
                        "estimate, compare, summary")
    ev_sub = ev.add_subparsers(dest="events_command", required=True, parser_class=_Parser)

    def filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--country", metavar="NAME|ISO3", action="append",
                       help="country (repeatable, or several separated by commas: ETH,MMR)")
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
                       "(default 2,000)")
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
                             + SUMMED_RANGE_NOTE)
    filters(summ)
    summ.add_argument("--by", choices=("country-year", "country", "year", "platform-year",
                                       "platform"), default="country-year",
                      help="totals per country-year (default), country, year, or a ledger "
                      "per platform (and year): a block of several platforms counts under "
                      "each")
    run(summ, ("capped", "uncapped"), "capped")
    summ.set_defaults(method=None)  # our own model (`impact.methods.OWN_METHOD`)
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


#: each command and where it runs: ``module:function`` of `impact.commands` (or a callable)
COMMANDS = {"estimate": "estimate:estimate_command", "batch": "batch:batch_command",
            "countries": "lookup:countries_command", "regions": "lookup:regions_command",
            "methods": "lookup:methods_command", "data": "data:data_command",
            "events": "events:events_command", "monitor": "monitor:monitor_command"}


def _version_in_use() -> str:

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
        run = COMMANDS[args.command]
        if isinstance(run, str):  # start-up: only the command that runs is imported
            module, _, name = run.partition(":")
            run = getattr(importlib.import_module(f"impact.commands.{module}"), name)
        return run(args)
    except _UsageError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except RefreshError as exc:  # nothing was switched: say so
        print(f"error: {one_line(str(exc))}; nothing was changed (data "
              f"{_version_in_use()} still in use)", file=sys.stderr)
        return 4
    except ImpactError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
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
        print(f"error: internal error ({type(exc).__name__}: {one_line(str(exc))}); this is "
              "a bug in impact: please report the command (IMPACT_DEBUG=1 shows the "
              "traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
