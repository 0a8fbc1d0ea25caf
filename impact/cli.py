"""Command line: ``impact estimate | batch | countries | methods | data build``.

Bad input exits with status 2 and one line on stderr (``error: <field>: <value> is not
accepted; <accepted>``), never a traceback. ``impact batch`` exits 1 when some rows failed
(the good rows are still written).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from impact import export
from impact.errors import ImpactError, InputError
from impact.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED

SCENARIO_FLAGS = ("country", "start", "end", "duration_hours", "year", "scope", "platforms",
                  "affected_share", "affected_users", "intensity", "circumvention", "recovery",
                  "currency", "price_basis", "price_year", "connectivity_tier", "label")
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
        value = float(text)
    except ValueError:
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
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not name.strip() or not math.isfinite(number):
            raise InputError("set", item, "NAME=VALUE with a finite number, e.g. "
                             "--set indirect_multiplier=0.8 or --set impact.recovery_share=0.1")
        out[name.strip()] = number
    return out


def _methods(text: str) -> str | list[str]:
    return "all" if text.strip() == "all" else [m.strip() for m in text.split(",") if m.strip()]


# ---- parser ----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="impact", description="Estimate the economic cost of internet "
                     "shutdowns, mobile-data blackouts, throttling and platform blocks.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    est = sub.add_parser("estimate", help="estimate one scenario")
    for name in SCENARIO_FLAGS:
        est.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="VALUE")
    est.add_argument("--no-time-weighting", action="store_true",
                     help="treat every hour of the day alike")
    _add_run_options(est)
    est.add_argument("--set", action="append", metavar="NAME=VALUE",
                     help="override a parameter's central value (repeatable)")
    est.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    est.add_argument("--out", metavar="PATH", help="also write .csv, .json, .xlsx or .md")

    bat = sub.add_parser("batch", help="estimate every row of a CSV")
    bat.add_argument("file", metavar="FILE")
    bat.add_argument("--out", metavar="OUT", help=".csv, .json or .xlsx (default: CSV to "
                     "stdout)")
    _add_run_options(bat)

    cty = sub.add_parser("countries", help="list the countries with data")
    cty.add_argument("--format", choices=("table", "csv"), default="table")

    met = sub.add_parser("methods", help="list the estimation methods")
    met.add_argument("--format", choices=("table", "csv"), default="table")

    data = sub.add_parser("data", help="bundled data")
    data_sub = data.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    build = data_sub.add_parser("build", help="rebuild data/ from the raw snapshot")
    build.add_argument("--raw", type=Path, default=_REPO.parent / "shared" / "data")
    build.add_argument("--out", type=Path, default=_REPO / "data")
    return parser


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
    rows = []
    for r in est.summary.iter_rows(named=True):
        if r["status"] == "ok":
            rows.append([r["method"], (f"{export.human_usd(r['loss_usd_p50'])} "
                         f"({export.human_usd(r['loss_usd_p05'])}–"
                         f"{export.human_usd(r['loss_usd_p95'])})"),
                         export.human_usd(r["loss_usd_per_day_p50"]),
                         export.percent(r["share_of_gdp_p50"]), r["main_driver"] or "", "ok"])
        else:
            rows.append([r["method"], "—", "—", "—", "—", f"{r['status']}: {r['reason']}"])
    header = ["method", "loss P50 (P5–P95)", "per day", "% of GDP", "main driver",
              "status"]
    out = [export.scenario_words(est), "", _table(rows, header)]
    if est.notes:
        out += ["", "Data notes:"] + [f"  - {n}" for n in est.notes]
    out += ["", (f"USD, current prices of {est.context.year}; impact {export.impact_version()}, "
            f"data {export.data_version()}.")]
    return "\n".join(out)


def _cmd_estimate(args: argparse.Namespace) -> int:
    from impact.estimate import estimate
    from impact.scenario import parse_scenario

    fields = {name: getattr(args, name) for name in SCENARIO_FLAGS}
    if args.no_time_weighting:
        fields["time_weighting"] = False
    draws, seed, overrides = _draws(args.draws), _seed(args.seed), _overrides(args.set)
    if args.out:
        export.export_format(args.out)  # fail before computing
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
    return 0


def _write(obj, out: str, **kwargs) -> Path:
    try:
        return export.write_export(obj, out, **kwargs)
    except OSError as exc:
        raise InputError("out", out, f"a writable path ({exc.strerror or exc})") from None


def _cmd_batch(args: argparse.Namespace) -> int:
    from impact.batch import read_batch_csv, run_batch_estimates

    draws, seed = _draws(args.draws), _seed(args.seed)
    if args.out:
        fmt = export.export_format(args.out)
        if fmt == "markdown":
            raise InputError("out", args.out, "a path ending in .csv, .json or .xlsx")
        if Path(args.out).resolve() == Path(args.file).resolve():
            raise InputError("out", args.out, "a path other than the input file")
    frame = read_batch_csv(args.file)
    estimates, errors = run_batch_estimates(frame, _methods(args.method), draws, seed)
    if args.out:
        _write(estimates, args.out, errors=errors)
        where = f"written to {args.out}"
    else:
        sys.stdout.write(export.to_csv(estimates))
        where = "written to stdout"
    n_rows = len(estimates) + len(errors)
    result_rows = sum(e.summary.height for e in estimates.values())
    print(f"batch: {n_rows} rows, {len(estimates)} ok, {len(errors)} failed; "
          f"{result_rows} result rows {where}", file=sys.stderr)
    for err in errors:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
    return 1 if errors else 0


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


def _cmd_methods(args: argparse.Namespace) -> int:
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
    raw, out = Path(args.raw), Path(args.out)
    if not raw.is_dir():
        raise InputError("raw", str(raw), "an existing folder with the raw snapshot "
                         "(meta/, wdi/, devices/, digital_economy/)")
    from impact.build import build_all  # lazily: only this command needs it

    paths = build_all(raw, out, report=print)
    for path in paths.values():
        print(f"wrote {path}")
    return 0


COMMANDS = {"estimate": _cmd_estimate, "batch": _cmd_batch, "countries": _cmd_countries,
            "methods": _cmd_methods, "data": _cmd_data}


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 some batch rows failed,
    2 bad input or data)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
        return COMMANDS[args.command](args)
    except _UsageError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except ImpactError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
