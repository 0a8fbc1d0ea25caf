"""Estimate many scenarios from a table (one scenario per row), in chunks.

Every cell is read as text (nothing is silently coerced) and validated by `parse_scenario`;
a bad row becomes a `RowError` naming its 1-based data row, its id, the field and the value,
and the good rows are still computed. Each chunk of rows goes through the engine in one pass;
each row's seed comes from the batch seed and the row's id (`scenario_seed`), so a row's
figures do not depend on the other rows, on the chunk size or on the engine (local or Dask).

`stream_batch` reads, computes and writes chunk by chunk (memory flat in the number of rows,
progress on a terminal); `run_batch` / `run_batch_estimates` keep a whole (small) table in
memory, for the app and the Python API.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from impact.errors import ImpactError, InputError
from impact.estimate import Estimate, split
from impact.methods import get_methods
from impact.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED, scenario_seed
from impact.vocab import SCENARIO_FIELDS

#: columns of the documented batch layout (blank cell = default)
BATCH_COLUMNS = ("id", "country", "start", "end", "duration_hours", "scope", "platforms",
                 "affected_share", "affected_users", "intensity", "circumvention")
#: further scenario fields a batch may carry: every other field of a scenario
OPTIONAL_COLUMNS = tuple(f for f in SCENARIO_FIELDS if f not in BATCH_COLUMNS)
ACCEPTED_COLUMNS = BATCH_COLUMNS + OPTIONAL_COLUMNS
ENGINES = ("local", "dask")
DEFAULT_CHUNK_ROWS = 500
_GLOBAL_FIELDS = {"draws", "method", "set", "seed"}


@dataclass(frozen=True)
class RowError:
    """A batch row that could not be estimated.

    Attributes
    ----------
    row : 1-based data row (the first line after the header is row 1)
    id : the row's id
    field : scenario field (or ``data`` when the bundled data cannot answer)
    value : the bad value, as given
    message : what is accepted (or the data problem)
    """

    row: int
    id: str
    field: str
    value: object
    message: str

    def __str__(self) -> str:
        where = f"row {self.row} (id={self.id})"
        if self.field == "data":
            return f"{where}: {self.message}"
        return f"{where}: {self.field}: {self.value} is not accepted; {self.message}"


# ---- reading -----------------------------------------------------------------------------------
def read_batch_csv(path: str | Path) -> pl.DataFrame:
    """Read a batch CSV with every column as text, or raise `InputError` on unusable input."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file", str(path), "an existing CSV file")
    return parse_batch_csv(path.read_bytes(), str(path))


def parse_batch_csv(data: bytes, name: str = "upload") -> pl.DataFrame:
    """Parse batch CSV bytes (a file or an upload) with every column as text.

    Raises `InputError` naming ``name`` when the bytes are not a usable CSV.
    """
    if not data.strip():
        raise InputError("file", name, "a CSV with a header row (id,country,...) and "
                         "at least one data row; the file is empty")
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema_length=0, encoding="utf8-lossy")
    except pl.exceptions.NoDataError:
        raise InputError("file", name, "a CSV with a header row (id,country,...) and "
                         "at least one data row; the file is empty") from None
    except (pl.exceptions.PolarsError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError("file", name, f"a readable CSV file ({reason})") from None
    return frame


def _header(names: Sequence[str]) -> list[str]:
    names = [c.replace("\ufeff", "").strip().lower() for c in names]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError("columns", dup, "each column once")
    unknown = [c for c in names if c not in ACCEPTED_COLUMNS]
    if unknown:
        raise InputError("columns", unknown[0],
                         "known columns only: " + ", ".join(ACCEPTED_COLUMNS))
    if "country" not in names:
        raise InputError("columns", ",".join(names),
                         "a header with a country column: " + ",".join(BATCH_COLUMNS))
    return names


def _normalise_columns(frame: pl.DataFrame) -> pl.DataFrame:
    names = _header(frame.columns)
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    if frame.height == 0:
        raise InputError("file", "", "at least one data row under the header")
    return frame.with_columns(pl.all().cast(pl.String))


@dataclass
class CsvChunks:
    """A batch CSV read chunk by chunk: ``header`` (normalised column names) and ``rows``
    (data rows so far), `chunks` yields lists of ``(row number, cells)``.

    Raises `InputError` at construction when the file is missing, empty or has an unusable
    header — before anything is written.
    """

    path: Path
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    header: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.path.is_file():
            raise InputError("file", str(self.path), "an existing CSV file")
        with self._open() as f:
            first = next(csv.reader(f), None)
            if first is None or not any(c.strip() for c in first):
                raise InputError("file", str(self.path), "a CSV with a header row "
                                 "(id,country,...) and at least one data row; the file is "
                                 "empty")
            self.header = _header(first)
            if next(csv.reader(f), None) is None:
                raise InputError("file", str(self.path), "at least one data row under the "
                                 "header")

    def _open(self):
        return open(self.path, encoding="utf-8", errors="replace", newline="")

    def count_rows(self) -> int:
        """Data lines [count] (for the progress bar; blank lines included)."""
        with open(self.path, "rb") as f:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
        return max(lines - (1 if last == b"\n" else 0), 0)

    def chunks(self) -> Iterator[list[tuple[int, dict[str, str] | RowError]]]:
        with self._open() as f:
            reader = csv.reader(f)
            next(reader)
            chunk: list[tuple[int, dict[str, str] | RowError]] = []
            width = len(self.header)
            for n, cells in enumerate(reader, start=1):
                if len(cells) != width:
                    chunk.append((n, RowError(
                        n, cells[0].strip() if cells and "id" == self.header[0] else str(n),
                        "row", f"{len(cells)} cells",
                        f"{width} cells, one per header column ({','.join(self.header)})")))
                else:
                    chunk.append((n, dict(zip(self.header, cells, strict=True))))
                if len(chunk) >= self.chunk_rows:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk


def frame_rows(frame: pl.DataFrame) -> list[tuple[int, dict[str, Any]]]:
    """``(row number, cells)`` of a text frame with a valid header."""
    frame = _normalise_columns(frame)
    return list(enumerate(frame.iter_rows(named=True), start=1))


# ---- one chunk -------------------------------------------------------------------------------
def assign_ids(rows: Iterable[tuple[int, dict[str, Any] | RowError]], seen: set[str]
               ) -> tuple[list[tuple[int, str, dict[str, Any]]], list[RowError]]:
    """Give each row its id (the ``id`` cell, else the row number); a repeated id is an error
    for the later row. ``seen`` holds the ids used so far (updated)."""
    good: list[tuple[int, str, dict[str, Any]]] = []
    errors: list[RowError] = []
    for n, raw in rows:
        if isinstance(raw, RowError):
            errors.append(raw)
            seen.add(raw.id)
            continue
        cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        id_ = cells.pop("id", None) or str(n)
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
    one pass (with each scenario's headline ensemble). Returns the `impact.engine.Pass`, the
    ``(row number, id)`` of each of its
    scenarios, and the errors of every row that failed (validation or data), by row number.
    ``details=False`` skips the assumption and sensitivity tables (a CSV needs neither).

    Raises `InputError` for problems of the whole batch (methods, draws, an override name).
    """
    from impact.engine import run
    from impact.scenario import parse_scenario

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


def run_batch_estimates(frame: pl.DataFrame, methods: str | Sequence[str] = "all",
                        draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, *,
                        overrides: Mapping[str, float] | None = None
                        ) -> tuple[dict[str, Estimate], list[RowError]]:
    """Estimate each row of a (small, in-memory) table; returns ``{id: Estimate}`` and errors.

    Raises `InputError` when the table as a whole is unusable (unknown column, no country
    column, no rows, bad method or draws).
    """
    rows = frame_rows(frame)
    get_methods(methods)  # a bad method name fails the whole batch, before any row
    good, id_errors = assign_ids(rows, set())
    estimates, errors = estimate_rows(good, methods, draws, seed, overrides)
    return estimates, sorted(id_errors + errors, key=lambda e: e.row)


def run_batch(frame: pl.DataFrame, methods: str | Sequence[str] = "all",
              draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, *,
              overrides: Mapping[str, float] | None = None
              ) -> tuple[pl.DataFrame, list[RowError]]:
    """Estimate every row of ``frame`` (columns `ACCEPTED_COLUMNS`, text, blank = default).

    Returns
    -------
    results : one row per id and method: ``id, method, loss_usd_p05, loss_usd_p50,
        loss_usd_p95, loss_usd_per_day_p50, share_of_gdp_p50`` then the other summary columns
        (USD, current prices of the event year; shares 0-1)
    errors : one `RowError` per bad row
    """
    from impact.export import summary_frame

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


def compute_chunk(rows: Sequence[tuple[int, str, dict[str, Any]]], fmt: str,
                  methods: str | Sequence[str], draws: int, seed: int,
                  overrides: Mapping[str, float] | None) -> ChunkOutput:
    """Estimate a chunk and render it: CSV text, JSON items or Excel sheet frames."""
    from impact import export

    if fmt == "csv":  # column by column from the pass: no frame per estimate
        result, ok, errors = run_rows(rows, methods, draws, seed, overrides, details=False)
        ids = [id_ for _, id_ in ok]
        frame = export.pass_csv_frame(result, ids)
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


class _Writer:
    """Appends rendered chunks to ``path`` (written to ``path.partial``, renamed at the end:
    an interrupted run leaves the good rows computed so far in the partial file)."""

    def __init__(self, path: Path | None, fmt: str, stream=None):
        from impact import export

        self.path, self.fmt = path, fmt
        self.tmp = path.with_name(path.name + ".partial") if path is not None else None
        self.first = True
        self.kept: dict[str, Estimate] = {}
        self.out = None
        if fmt in ("csv", "json"):  # closed in `close`
            self.out = (open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
                        if self.tmp else stream)
        if fmt == "csv":
            self.out.write(",".join(export.csv_frame({}).columns) + "\n")
        elif fmt == "json":
            versions = json.dumps({"impact": export.impact_version(),
                                   "data": export.data_version()})
            self.out.write(f'{{"versions": {versions}, "estimates": [')

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

    def close(self, errors: Sequence[RowError]) -> None:
        from impact import export

        if self.fmt == "json":
            self.out.write("\n], \"errors\": " + json.dumps([str(e) for e in errors],
                                                         ensure_ascii=False) + "}\n")
        if self.fmt == "xlsx":
            self.tmp.write_bytes(export.to_xlsx(self.kept, errors=errors))
        if self.out is not None and self.tmp is not None:
            self.out.close()
        if self.tmp is not None:
            os.replace(self.tmp, self.path)


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
                 stream=None) -> BatchStats:
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

    Returns the counts and the row errors (by row number). Raises `InputError` for problems
    of the whole batch before any output is written.
    """
    if engine not in ENGINES:
        raise InputError("engine", engine, " or ".join(ENGINES))
    get_methods(methods)
    total = source.count_rows()
    if fmt == "xlsx" and total > 20_000:
        raise InputError("out", str(out), "a .csv or .json path for batches of more than "
                         "20,000 rows (an Excel workbook holds every sheet in memory)")
    chunks = _id_chunks(source)
    if engine == "local":
        results = ((compute_chunk(rows, fmt, methods, draws, seed, overrides), errs, n)
                   for rows, errs, n in chunks)
    else:
        results = _dask_results(chunks, fmt, methods, draws, seed, overrides, scheduler)
    stats = BatchStats()
    bar = _progress(total, progress)
    try:
        first = next(results, None)  # a bad method, draws or override fails before any output
        writer = _Writer(out, fmt, stream)
        for chunk, id_errors, n_rows in itertools.chain([first] if first else [], results):
            writer.write(chunk)
            stats.rows += n_rows
            stats.ok += chunk.n_ok
            stats.results += chunk.n_results
            stats.errors.extend(sorted(id_errors + list(chunk.errors), key=lambda e: e.row))
            bar.update(n_rows)
    finally:
        bar.close()
    writer.close(stats.errors)
    return stats


def _id_chunks(source: CsvChunks):
    seen: set[str] = set()
    for raw in source.chunks():
        good, id_errors = assign_ids(raw, seen)
        yield good, id_errors, len(raw)


def _dask_results(chunks, fmt, methods, draws, seed, overrides, scheduler):
    """Run `compute_chunk` on a Dask cluster, a bounded number of chunks in flight, and yield
    the results in input order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("engine", "dask", "local, or install the distributed extra: "
                         "pip install 'impact[distributed]'") from None
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
                                              overrides, pure=False), id_errors, n_rows))
                while len(pending) > 2 * workers:
                    future, errs, n = pending.pop(0)
                    yield future.result(), errs, n
            for future, errs, n in pending:
                yield future.result(), errs, n
    finally:
        if cluster is not None:
            cluster.close()
