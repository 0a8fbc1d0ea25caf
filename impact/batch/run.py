"""Many scenarios from a table (one scenario per row), estimated in chunks.

Each row is validated by `parse_scenario`; a bad row becomes a `RowError` naming its 1-based
data row, its id, the field and the value, and the good rows are still computed. Each chunk
goes through the engine in one pass; each row's seed comes from the batch seed and the row's
id (`scenario_seed`), so a row's figures do not depend on the other rows, on the chunk size or
on the engine (local or Dask). `stream_batch` reads (`impact.batch.read`), computes and writes
chunk by chunk (memory flat in the number of rows, progress on a terminal); `run_batch` /
`run_batch_estimates` keep a whole (small) table in memory, for the app and the Python API.
A blank id becomes ``row-<N>`` (N its row number); an explicit id must be unique and may be
``row-<N>`` only on row N, so a generated id never collides.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from impact.batch.read import (
    BatchTable,
    CsvChunks,
    RowError,
    frame_rows,
)
from impact.bundled.io import write_atomic
from impact.errors import BatchInterrupted, ImpactError, InputError
from impact.estimation.engine import run
from impact.estimation.results import Estimate, split
from impact.methods import get_methods
from impact.model.montecarlo import DEFAULT_DRAWS, scenario_seed
from impact.model.scenario import parse_scenario
from impact.report import export
from impact.report.export import summary_frame
from impact.vocab import DEFAULT_SEED

#: where the chunks are computed
ENGINES = ("local", "dask")

# ---- one chunk -------------------------------------------------------------------------------
_GENERATED_ID = re.compile(r"row-[1-9][0-9]*")


def assign_ids(rows: Iterable[tuple[int, dict[str, Any] | RowError]], seen: set[str]
               ) -> tuple[list[tuple[int, str, dict[str, Any]]], list[RowError]]:
    """Give each row its id: the ``id`` cell, or ``row-<N>`` (N the row number) when it is
    blank. An explicit id that repeats an earlier one is an error for the later row, and so is
    an explicit ``row-<M>`` on any row but M (the id a blank cell gets there), so a generated id
    never collides with an explicit one. A `RowError` passes through (its id is not taken).
    ``seen`` holds the ids used so far (updated)."""
    good: list[tuple[int, str, dict[str, Any]]] = []
    errors: list[RowError] = []
    for n, raw in rows:
        if isinstance(raw, RowError):
            errors.append(raw)
            continue
        cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        id_ = cells.pop("id", None) or f"row-{n}"
        if _GENERATED_ID.fullmatch(id_) and id_ != f"row-{n}":
            errors.append(RowError(n, id_, "id", id_, "ids of the form row-<number> are kept "
                                   f"for rows with a blank id: {id_} is row {id_[4:]}'s (this "
                                   f"is row {n}: use another id, or leave it blank)"))
            continue
        if id_ in seen:
            errors.append(RowError(n, id_, "id", id_, "a unique id (already used above)"))
            continue
        seen.add(id_)
        good.append((n, id_, cells))
    return good, errors


def run_rows(rows: Sequence[tuple[int, str, dict[str, Any]]],
             methods: str | Sequence[str] = "all", draws: int = DEFAULT_DRAWS,
             seed: int = DEFAULT_SEED, overrides: Mapping[str, float] | None = None,
             *, details: bool = True):
    """Validate ``(row number, id, cells)`` rows and run the good ones through the engine in
    one pass (with each scenario's headline ensemble). Returns the `impact.estimation.results.Pass`, the
    ``(row number, id)`` of each of its
    scenarios, and the errors of every row that failed (validation or data), by row number.
    ``details=False`` skips the assumption and sensitivity tables (a CSV needs neither).

    Raises `InputError` for problems of the whole batch (methods, draws, an override name).
    """
    errors: list[RowError] = []
    ok: list[tuple[int, str]] = []
    scenarios = []
    for n, id_, cells in rows:
        try:
            scenarios.append(parse_scenario(cells))
        except InputError as exc:
            errors.append(RowError(n, id_, exc.field, exc.value, exc.accepted))
            continue
        except ImpactError as exc:
            errors.append(RowError(n, id_, "data", None, str(exc)))
            continue
        ok.append((n, id_))
    result = run(scenarios, methods, draws=draws, seeds=[scenario_seed(seed, i) for _, i in ok],
                 overrides=overrides, details=details, ensemble=True)
    for i, exc in result.errors.items():
        n, id_ = ok[i]
        if isinstance(exc, InputError):
            errors.append(RowError(n, id_, exc.field, exc.value, exc.accepted))
        else:
            errors.append(RowError(n, id_, "data", None, str(exc)))
    errors.sort(key=lambda e: e.row)
    return result, ok, errors


def estimate_rows(rows: Sequence[tuple[int, str, dict[str, Any]]],
                  methods: str | Sequence[str] = "all", draws: int = DEFAULT_DRAWS,
                  seed: int = DEFAULT_SEED, overrides: Mapping[str, float] | None = None
                  ) -> tuple[dict[str, Estimate], list[RowError]]:
    """`run_rows` as ``{id: Estimate}`` (no Monte Carlo samples) and the rows' errors."""
    result, ok, errors = run_rows(rows, methods, draws, seed, overrides)
    estimates = {id_: est for (_, id_), est in zip(ok, split(result, overrides), strict=True)
                 if est is not None}
    return estimates, errors


def run_batch_estimates(frame: pl.DataFrame | BatchTable,
                        methods: str | Sequence[str] = "all",
                        draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, *,
                        overrides: Mapping[str, float] | None = None
                        ) -> tuple[dict[str, Estimate], list[RowError]]:
    """Estimate each row of a (small, in-memory) table — a text frame or a `BatchTable` from
    `parse_batch_csv` — and return ``{id: Estimate}`` and the row errors (a `BatchTable`'s
    bad lines included), by row number.

    Raises `InputError` when the table as a whole is unusable (unknown column, no country
    column, no rows, bad method or draws).
    """
    rows = frame_rows(frame)
    get_methods(methods)  # a bad method name fails the whole batch, before any row
    good, id_errors = assign_ids(rows, set())
    estimates, errors = estimate_rows(good, methods, draws, seed, overrides)
    return estimates, sorted(id_errors + errors, key=lambda e: e.row)


def run_batch(frame: pl.DataFrame | BatchTable, methods: str | Sequence[str] = "all",
              draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, *,
              overrides: Mapping[str, float] | None = None
              ) -> tuple[pl.DataFrame, list[RowError]]:
    """Estimate every row of ``frame`` (columns `ACCEPTED_COLUMNS`, text, blank = default; a
    text frame or a `BatchTable` from `read_batch_csv` / `parse_batch_csv`).

    Returns
    -------
    results : one row per id and method: ``id, method, loss_usd_p05, loss_usd_p50,
        loss_usd_p95, loss_usd_per_day_p50, share_of_gdp_p50`` then the other summary columns
        (USD, current prices of the event year; shares 0-1)
    errors : one `RowError` per bad row
    """
    estimates, errors = run_batch_estimates(frame, methods, draws, seed, overrides=overrides)
    return summary_frame(estimates), errors


# ---- streaming -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChunkOutput:
    """A computed chunk, rendered for the output format (picklable, for Dask workers)."""

    csv: str
    json_items: tuple[str, ...]
    estimates: Mapping[str, Estimate] | None  # kept for an Excel workbook only
    errors: tuple[RowError, ...]
    n_ok: int
    n_results: int


#: the provenance column a lean CSV leaves out of every row (written once, beside the file)
LEAN_DROPPED = ("data_vintages",)


def compute_chunk(rows: Sequence[tuple[int, str, dict[str, Any]]], fmt: str,
                  methods: str | Sequence[str], draws: int, seed: int,
                  overrides: Mapping[str, float] | None, lean: bool = True) -> ChunkOutput:
    """Estimate a chunk and render it: CSV text, JSON items or Excel sheet frames. ``lean``:
    the CSV rows leave out `LEAN_DROPPED` (the same on every row)."""
    if fmt == "csv":  # column by column from the pass: no frame per estimate
        result, ok, errors = run_rows(rows, methods, draws, seed, overrides, details=False)
        ids = [id_ for _, id_ in ok]
        frame = export.pass_csv_frame(result, ids)
        if lean:
            frame = frame.drop(LEAN_DROPPED)
        return ChunkOutput(frame.write_csv(include_header=False) if frame.height else "", (),
                           None, tuple(errors), len(ids) - len(result.errors), frame.height)
    estimates, errors = estimate_rows(rows, methods, draws, seed, overrides)
    n_results = sum(e.summary.height + 1 for e in estimates.values())  # + the ensemble
    items, kept = (), None
    if fmt == "json":
        items = tuple(json.dumps({"id": i} | export.estimate_dict(e, overrides=overrides),
                                 allow_nan=False, ensure_ascii=False)
                      for i, e in estimates.items())
    elif fmt == "xlsx":
        kept = estimates
    return ChunkOutput("", items, kept, tuple(errors), len(estimates), n_results)


@dataclass
class BatchStats:
    rows: int = 0
    ok: int = 0
    results: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Writer:
    """Appends rendered chunks to ``path`` (written to ``path.partial``, renamed at the end:
    an interrupted run leaves the good rows computed so far in the partial file)."""

    def __init__(self, path: Path | None, fmt: str, stream=None, lean: bool = True,
                 resume: Resume | None = None):
        self.path, self.fmt, self.lean = path, fmt, lean
        self.tmp = path.with_name(path.name + ".partial") if path is not None else None
        self.first = True
        self.kept: dict[str, Estimate] = {}
        self.out = None
        self.rows_done = resume.rows_done if resume else 0
        if resume is not None:  # continue the partial file from its last complete chunk
            with open(self.tmp, "r+b") as fh:
                fh.truncate(resume.bytes_done)
            self.out = open(self.tmp, "a", encoding="utf-8", newline="")  # noqa: SIM115
            self.first = resume.first
            return
        if fmt in ("csv", "json"):  # closed in `close`
            self.out = (open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
                        if self.tmp else stream)
        if fmt == "csv":
            columns = [c for c in export.csv_frame({}).columns
                       if not (lean and c in LEAN_DROPPED)]
            self.out.write(",".join(columns) + "\n")
        elif fmt == "json":
            versions = json.dumps({"impact": export.impact_version(),
                                   "data": export.data_version()})
            self.out.write(f'{{"versions": {versions}, "estimates": [')

    def progress_path(self) -> Path | None:
        """``OUT.partial.progress``: the bytes and input rows of the complete chunks so far."""
        return None if self.tmp is None else self.tmp.with_name(self.tmp.name + ".progress")

    def mark(self, n_rows: int, chunk_rows: int) -> None:
        """Record a complete chunk (after it was flushed), for ``--resume``."""
        self.rows_done += n_rows
        if self.progress_path() is None or self.out is None:
            return
        record = {"bytes_done": self.out.tell(), "rows_done": self.rows_done,
                  "chunk_rows": chunk_rows, "format": self.fmt, "lean": self.lean,
                  "first": self.first}
        tmp = self.progress_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, self.progress_path())

    def write(self, chunk: ChunkOutput) -> None:
        if self.fmt == "csv":
            self.out.write(chunk.csv)
        elif self.fmt == "json":
            for item in chunk.json_items:
                self.out.write(("\n" if self.first else ",\n") + item)
                self.first = False
        elif chunk.estimates:
            self.kept.update(chunk.estimates)
        if self.out is not None:
            self.out.flush()

    def close(self, errors: Sequence[RowError], interrupted: bool = False) -> None:
        """Finish the output: a closed JSON document, the workbook of the rows kept, then
        ``path.partial`` renamed to ``path``. ``interrupted``: the file stays ``path.partial``
        (valid CSV, JSON or XLSX of the good rows so far, marked interrupted)."""
        if self.fmt == "json":
            tail = ', "interrupted": true' if interrupted else ""
            self.out.write("\n], \"errors\": " + json.dumps([str(e) for e in errors],
                                                          ensure_ascii=False) + tail + "}\n")
        if self.fmt == "xlsx":
            self.tmp.write_bytes(export.to_xlsx(self.kept, errors=errors))
        if self.out is not None and self.tmp is not None:
            self.out.close()
        if self.tmp is not None and not interrupted:
            os.replace(self.tmp, self.path)
            with contextlib.suppress(OSError):
                self.progress_path().unlink()
            if self.fmt == "csv" and self.lean:
                write_vintages(self.path)

    def discard(self) -> None:
        """Remove ``path.partial`` after a write fault (disk full, read-only): a file cut
        anywhere is not kept."""
        if self.out is not None and self.tmp is not None:
            with contextlib.suppress(OSError):
                self.out.close()
        if self.tmp is not None:
            for stale in (self.tmp, self.progress_path()):
                with contextlib.suppress(OSError):
                    stale.unlink()


def vintages_path(out: Path) -> Path:
    """``OUT.vintages.csv``: the data vintages of a lean CSV, once for the whole file."""
    return out.with_name(out.stem + ".vintages.csv")


def write_vintages(out: Path) -> Path:
    """Write the vintages of the data in use beside a lean CSV (`vintages_path`)."""
    frame = export.safe_frame(export._bundled_vintages())
    return write_atomic(vintages_path(out), frame.write_csv())


@dataclass(frozen=True)
class Resume:
    """Where an interrupted batch stopped: bytes of complete chunks in ``OUT.partial`` and
    the input rows they hold."""

    bytes_done: int
    rows_done: int
    first: bool = True


def resume_point(out: Path, fmt: str, chunk_rows: int, lean: bool) -> Resume:
    """The `Resume` of ``out``'s partial file, or an `InputError` saying why it cannot be
    continued (no partial, another format, chunk size or CSV form)."""
    tmp = out.with_name(out.name + ".partial")
    progress = tmp.with_name(tmp.name + ".progress")
    if fmt == "xlsx":
        raise InputError("resume", str(out), "a .csv or .json output (a workbook is written "
                         "whole at the end)")
    try:
        record = json.loads(progress.read_text(encoding="utf-8"))
        size = tmp.stat().st_size
    except (OSError, ValueError):
        raise InputError("resume", str(out), f"an interrupted run's {tmp.name} and "
                         f"{progress.name} beside it") from None
    same = (record.get("format") == fmt and record.get("chunk_rows") == chunk_rows
            and record.get("lean") == lean)
    if not same or not 0 <= int(record.get("bytes_done", -1)) <= size:
        raise InputError("resume", str(out), f"the same format, --chunk-rows "
                         f"({record.get('chunk_rows')}) and CSV form as the interrupted run")
    return Resume(int(record["bytes_done"]), int(record["rows_done"]),
                  bool(record.get("first", True)))


def _progress(total: int, enabled: bool | None):
    """A progress bar on stderr: shown when ``enabled`` is True, never when False, and when
    None only if stderr is a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit="row", desc="batch", disable={None: None, True: False,
                                                               False: True}[enabled],
                dynamic_ncols=True, leave=enabled is True, mininterval=0.5)


def stream_batch(source: CsvChunks, out: Path | None, fmt: str = "csv", *,
                 methods: str | Sequence[str] = "all", draws: int = DEFAULT_DRAWS,
                 seed: int = DEFAULT_SEED, overrides: Mapping[str, float] | None = None,
                 engine: str = "local", scheduler: str | None = None, progress: bool | None = None,
                 stream=None, lean: bool = True, resume: bool = False) -> BatchStats:
    """Read, estimate and write a batch chunk by chunk.

    Parameters
    ----------
    source : the input CSV (`CsvChunks`)
    out : output path (``.csv``, ``.json`` or ``.xlsx``), or None to write CSV to ``stream``
    fmt : ``csv``, ``json`` or ``xlsx``
    engine : ``local`` (this process) or ``dask`` (chunks run on a Dask distributed cluster:
        ``scheduler`` is its address, e.g. ``tcp://10.0.0.5:8786``; a `LocalCluster` when None)
    progress : a progress bar on stderr: True always, False never, None when stderr is a
        terminal
    lean : a CSV leaves `LEAN_DROPPED` out of every row and writes the data vintages once
        beside it (`vintages_path`); False: every row carries them
    resume : continue ``out``'s partial file (``OUT.partial``, ``OUT.partial.progress``)
        from its last complete chunk: the rows it holds are not estimated again

    Returns the counts, the row errors (by row number) and the notes (blank lines skipped).
    Raises `InputError` for problems of the whole batch before any output is written.
    """
    if engine not in ENGINES:
        raise InputError("engine", engine, " or ".join(ENGINES))
    get_methods(methods)
    total = source.count_rows()
    if fmt == "xlsx" and total > 20_000:
        raise InputError("out", str(out), "a .csv or .json path for batches of more than "
                         "20,000 rows (an Excel workbook holds every sheet in memory)")
    start = None
    if resume:
        if out is None:
            raise InputError("resume", "stdout", "an --out file to continue")
        start = resume_point(out, fmt, source.chunk_rows, lean)
    chunks = _id_chunks(source, skip_rows=start.rows_done if start else 0)
    if engine == "local":
        results = ((compute_chunk(rows, fmt, methods, draws, seed, overrides, lean), errs, n)
                   for rows, errs, n in chunks)
    else:
        results = _dask_results(chunks, fmt, methods, draws, seed, overrides, scheduler, lean)
    stats = BatchStats()
    bar = _progress(total, progress)
    writer = None
    try:
        first = next(results, None)  # a bad method, draws or override fails before any output
        writer = _Writer(out, fmt, stream, lean, start)
        if start is not None:
            bar.update(start.rows_done)
        for chunk, id_errors, n_rows in itertools.chain([first] if first else [], results):
            writer.write(chunk)
            writer.mark(n_rows, source.chunk_rows)
            stats.rows += n_rows
            stats.ok += chunk.n_ok
            stats.results += chunk.n_results
            stats.errors.extend(sorted(id_errors + list(chunk.errors), key=lambda e: e.row))
            bar.update(n_rows)
        writer.close(stats.errors)
    except KeyboardInterrupt:
        if writer is not None and writer.tmp is not None:
            with contextlib.suppress(OSError):
                writer.close(stats.errors, interrupted=True)
            raise BatchInterrupted(writer.tmp, stats.ok) from None
        raise
    except OSError as exc:
        if writer is not None:
            writer.discard()
        if isinstance(exc, BrokenPipeError) and out is None:
            raise
        raise InputError("out", str(out) if out is not None else "stdout",
                         f"a writable place ({exc.strerror or exc}); the partial output was "
                         "removed") from None
    finally:
        bar.close()
    stats.notes = list(source.notes)
    return stats


def _id_chunks(source: CsvChunks, skip_rows: int = 0):
    """(rows, id errors, rows read) per chunk; the first ``skip_rows`` input rows (whole
    chunks of a resumed run) get their ids but are not yielded."""
    seen: set[str] = set()
    done = 0
    for raw in source.chunks():
        good, id_errors = assign_ids(raw, seen)
        if done < skip_rows:
            done += len(raw)
            continue
        yield good, id_errors, len(raw)


def _dask_results(chunks, fmt, methods, draws, seed, overrides, scheduler, lean=True):
    """Run `compute_chunk` on a Dask cluster, a bounded number of chunks in flight, and yield
    the results in input order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("engine", "dask", "local, or install the distributed extra: "
                         "pip install 'shutdown-impact[distributed]'") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise InputError("scheduler", scheduler, "the address of a running Dask "
                                 f"scheduler, e.g. tcp://host:8786 ({exc})") from None
        else:
            cluster = LocalCluster(processes=True, dashboard_address=None)
            client = Client(cluster)
        with client:
            workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
            pending: list = []
            for c in chunks:
                rows, id_errors, n_rows = c
                pending.append((client.submit(compute_chunk, rows, fmt, methods, draws, seed,
                                              overrides, lean, pure=False), id_errors, n_rows))
                while len(pending) > 2 * workers:
                    future, errs, n = pending.pop(0)
                    yield future.result(), errs, n
            for future, errs, n in pending:
                yield future.result(), errs, n
    finally:
        if cluster is not None:
            cluster.close()
