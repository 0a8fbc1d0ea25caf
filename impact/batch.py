"""Estimate many scenarios from a table (one scenario per row).

Every cell is read as text (nothing is silently coerced) and validated by `parse_scenario`;
a bad row becomes a `RowError` naming its 1-based data row, its id, the field and the value,
and the good rows are still computed.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from impact.errors import DataError, ImpactError, InputError
from impact.estimate import Estimate, estimate
from impact.export import summary_frame
from impact.methods import get_methods
from impact.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED
from impact.scenario import parse_scenario

#: columns of the documented batch layout (blank cell = default)
BATCH_COLUMNS = ("id", "country", "start", "end", "duration_hours", "scope", "platforms",
                 "affected_share", "affected_users", "intensity", "circumvention")
#: further scenario fields a batch may carry
OPTIONAL_COLUMNS = ("year", "recovery", "currency", "price_basis", "price_year", "label",
                    "connectivity_tier", "time_weighting", "regions")
ACCEPTED_COLUMNS = BATCH_COLUMNS + OPTIONAL_COLUMNS
_GLOBAL_FIELDS = {"draws", "method", "set"}


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


def _normalise_columns(frame: pl.DataFrame) -> pl.DataFrame:
    names = [c.replace("\ufeff", "").strip().lower() for c in frame.columns]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError("columns", dup, "each column once")
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    unknown = [c for c in names if c not in ACCEPTED_COLUMNS]
    if unknown:
        raise InputError("columns", unknown[0],
                         "known columns only: " + ", ".join(ACCEPTED_COLUMNS))
    if "country" not in names:
        raise InputError("columns", ",".join(names),
                         "a header with a country column: " + ",".join(BATCH_COLUMNS))
    if frame.height == 0:
        raise InputError("file", "", "at least one data row under the header")
    return frame.with_columns(pl.all().cast(pl.String))


def run_batch_estimates(frame: pl.DataFrame, methods: str | Sequence[str] = "all",
                        draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, *,
                        overrides: Mapping[str, float] | None = None
                        ) -> tuple[dict[str, Estimate], list[RowError]]:
    """Estimate each row; returns ``{id: Estimate}`` (Monte Carlo samples dropped) and errors.

    Raises `InputError` when the table as a whole is unusable (unknown column, no country
    column, no rows, bad method or draws).
    """
    frame = _normalise_columns(frame)
    get_methods(methods)  # a bad method name fails the whole batch, before any row
    results: dict[str, Estimate] = {}
    errors: list[RowError] = []
    for n, raw in enumerate(frame.iter_rows(named=True), start=1):
        cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        id_ = cells.pop("id", None) or str(n)
        if id_ in results or any(e.id == id_ for e in errors):
            errors.append(RowError(n, id_, "id", id_, "a unique id (already used above)"))
            continue
        try:
            scenario = parse_scenario(cells)
            est = estimate(scenario, methods, draws=draws, seed=seed, overrides=overrides)
        except InputError as exc:
            if exc.field in _GLOBAL_FIELDS:
                raise
            errors.append(RowError(n, id_, exc.field, exc.value, exc.accepted))
            continue
        except DataError as exc:
            errors.append(RowError(n, id_, "data", None, str(exc)))
            continue
        except ImpactError as exc:
            errors.append(RowError(n, id_, "data", None, str(exc)))
            continue
        results[id_] = dataclasses.replace(est, samples={})
    return results, errors


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
    estimates, errors = run_batch_estimates(frame, methods, draws, seed, overrides=overrides)
    return summary_frame(estimates), errors
