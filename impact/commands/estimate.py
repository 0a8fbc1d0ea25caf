"""``impact estimate``: one scenario costed by every method, shown as a table or written as
an export and a brief."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from impact.commands.args import (
    draws_arg,
    methods_arg,
    overrides_arg,
    seed_arg,
)
from impact.errors import InputError
from impact.estimation.engine import estimate
from impact.model.scenario import parse_scenario
from impact.report import writer
from impact.report.text import (
    estimate_table,
)
from impact.vocab import VALUE_FIELDS


def estimate_command(args: argparse.Namespace) -> int:
    fields = {name: getattr(args, name) for name in VALUE_FIELDS}
    if args.no_time_weighting:
        fields["time_weighting"] = False
    draws, seed, overrides = draws_arg(args.draws), seed_arg(args.seed), overrides_arg(args.set)
    if args.out:
        writer.export_format(args.out)  # fail before computing
    if args.brief:
        writer.format_of(args.brief, writer.BRIEF_EXTENSIONS, "brief")
    est = estimate(parse_scenario(fields), methods_arg(args.method), draws=draws, seed=seed,
                   overrides=overrides)
    if args.format == "table":
        text = estimate_table(est, associations=args.associations)
    else:
        text = writer.render(est, args.format, overrides=overrides, bom=args.bom)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.out:
        path = _write(est, args.out, overrides=overrides, bom=args.bom)
        print(f"wrote {path}", file=sys.stderr)
        if writer.export_format(path) == "csv":
            print(f"wrote {writer.assumptions_path(path)} (the assumptions)", file=sys.stderr)
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
