"""``impact batch``: a file of scenarios costed chunk by chunk and written as it goes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from impact.batch.read import DEFAULT_CHUNK_ROWS, CsvChunks
from impact.batch.run import stream_batch, vintages_path
from impact.commands.args import (
    draws_arg,
    methods_arg,
    overrides_arg,
    seed_arg,
    whole_number,
)
from impact.errors import InputError
from impact.report import writer
from impact.text import one_line


def batch_command(args: argparse.Namespace) -> int:
    draws, seed = draws_arg(args.draws), seed_arg(args.seed)
    chunk_rows = whole_number("chunk-rows", args.chunk_rows, DEFAULT_CHUNK_ROWS, 1, 1_000_000,
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
                         methods=methods_arg(args.method), draws=draws, seed=seed,
                         overrides=overrides_arg(args.set), engine=args.engine,
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
