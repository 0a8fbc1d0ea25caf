"""Checks every bundled file against ``data/manifest.json`` before it is used.

The manifest (written by the data build, or by ``impact data manifest`` for the files already
in ``data/``) lists each bundled file with its SHA-256, size, row count and schema (column
names and dtypes), and the data version of the build. `impact.bundled.io.read_bundled` and
`impact.bundled.io.read_geometry_text` call `checked_table` / `checked_text`, which, once per file and
process:

1. check the file exists and is listed in the manifest;
2. parse it with the manifest's schema (a cell that is not of its column's type is reported
   with its row);
3. check its rows against `RULES`, the one table of per-table rules (ranges, finite values,
   required cells);
4. compare its SHA-256 with the manifest's.

Any failure is a `BundledDataError` (a `DataError`) of one line naming the file, saying what is wrong and how to
restore or rebuild the data.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from impact.errors import BundledDataError
from impact.vocab import DISTRIBUTIONS, PLATFORMS

MANIFEST_FILE = "manifest.json"
#: environment variable pointing `impact.bundled.io.data_dir` at another data folder (it needs its own
#: ``manifest.json``: write it with ``impact data manifest --out <folder>``)
DATA_ENV = "IMPACT_DATA_DIR"
DTYPES = {"String": pl.String, "Int64": pl.Int64, "Float64": pl.Float64,
          "Boolean": pl.Boolean}
MAX_SHOWN = 40  # characters of a bad cell echoed in a message


class BundledFileMissing(BundledDataError, FileNotFoundError):
    """A bundled file is absent (also a `FileNotFoundError`, so that callers for which a
    table is optional keep their fallback)."""


# ---- the rules ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """One check on the rows of a bundled table.

    ``check`` is one of ``required`` (no empty cell), ``finite`` (a number, not NaN or
    infinite), ``positive`` (finite and > 0), ``share`` (finite, in [0, 1]), ``range``
    (finite, in [lo, hi]), ``ordered`` (``columns`` finite and non-decreasing left to right),
    ``one_of`` (a value of ``allowed``), ``unique`` (no repeated value) and ``unique_rows``
    (no repeated combination of ``columns``). Empty cells pass
    every check but ``required`` and ``ordered``. ``where`` keeps the check to the rows whose
    column ``where[0]`` has one of the values ``where[1]``.
    """

    table: str
    columns: tuple[str, ...]
    check: str
    lo: float | None = None
    hi: float | None = None
    allowed: tuple[str, ...] = ()
    where: tuple[str, tuple[str, ...]] | None = None


def _rules(table: str, *spec: tuple) -> list[Rule]:
    out = []
    for item in spec:
        columns, check, *rest = item
        kw = rest[0] if rest else {}
        out.append(Rule(table, tuple(columns.split()), check, **kw))
    return out


_GDP = ("gdp_usd", "gdp_const2015_usd", "gdp_per_capita_usd", "population", "lcu_per_usd")
_PCT = ("internet_users_pct", "internet_users_pct_2024vintage", "services_pct_gdp",
        "unemployment_pct")

#: every per-table rule, in one place (a table not named here is only parsed and checksummed)
RULES: tuple[Rule, ...] = tuple(
    _rules("countries",
           ("iso3 name region income_group", "required"),
           ("iso3", "unique"))
    + _rules("indicators",
             ("iso3 indicator year value", "required"),
             ("value", "finite"),
             ("value", "positive", {"where": ("indicator", _GDP)}),
             ("value", "range", {"lo": 0, "hi": 100, "where": ("indicator", _PCT)}))
    + _rules("parameters",
             ("method parameter value low high unit distribution source", "required"),
             ("value low high", "finite"),
             ("low value high", "ordered"),
             ("distribution", "one_of", {"allowed": DISTRIBUTIONS}),
             ("low", "positive", {"where": ("distribution", ("lognormal",))}),
             ("method parameter", "unique_rows"))
    + _rules("platform_weights",
             ("iso3 platform reach basis usage usage_basis", "required"),
             ("reach", "share"),
             ("usage", "share"),
             ("platform", "one_of", {"allowed": PLATFORMS}),
             ("basis", "one_of", {"allowed": ("users", "referral_scaled", "meta_scaled",
                                              "non_meta_scaled", "region", "world")}),
             ("usage_basis", "one_of", {"allowed": ("referral_share", "region", "world",
                                                    "reach_x_facebook_intensity",
                                                    "reach_x_youtube_intensity")}))
    + _rules("platform_level_fit",
             ("kind term value", "required"),
             ("value", "finite"),
             ("kind", "one_of", {"allowed": ("coef", "se", "stat")}))
    + _rules("platform_world_users",
             ("platform users_millions year source", "required"),
             ("users_millions", "positive"),
             ("platform", "one_of", {"allowed": PLATFORMS}))
    + _rules("digital_share",
             ("iso3 year share_central share_low share_high basis", "required"),
             ("share_central share_low share_high", "share"),
             ("share_low share_central share_high", "ordered"))
    + _rules("digital_share_anchors",
             ("iso3 year share definition", "required"),
             ("share", "share"))
    + _rules("cost_compatible_fit",
             ("kind term value", "required"),
             ("value", "finite"),
             ("kind", "one_of", {"allowed": ("coef", "cov", "se", "stat")}))
    + _rules("econometrics_fit",
             ("model kind term", "required"),
             ("value", "finite"),
             ("value", "required", {"where": ("kind", ("coef", "se", "cov", "pvalue"))}))
    + _rules("econometrics_sample", ("model iso3", "required"))
    + _rules("hour_profile",
             ("kind index weight", "required"),
             ("weight", "positive"),
             ("kind", "one_of", {"allowed": ("hour", "weekday")}))
    + _rules("regions",
             ("iso3 kind population", "required"),
             ("population", "range", {"lo": 0, "hi": math.inf}))
    + _rules("events", ("event_id iso3 start", "required"), ("event_id", "unique"),
             ("affected_share affected_share_low affected_share_high", "share"))
    + _rules("vintages", ("table source", "required"))
)


def _describe(rule: Rule) -> str:
    what = {"required": "must not be empty", "finite": "must be a finite number",
            "positive": "must be finite and > 0", "share": "must be a share in [0, 1]",
            "unique": "must not repeat", "unique_rows": "must not repeat together"
            }.get(rule.check)
    if rule.check == "range":
        what = f"must be in [{rule.lo:g}, {rule.hi:g}]"
    elif rule.check == "ordered":
        what = f"must satisfy {' <= '.join(rule.columns)}"
    elif rule.check == "one_of":
        what = f"must be one of {', '.join(rule.allowed)}"
    return what + (f" where {rule.where[0]} is {' or '.join(rule.where[1])}"
                   if rule.where else "")


def _good(rule: Rule, column: str, dtype: pl.DataType) -> pl.Expr:
    """True for a row that passes ``rule`` on ``column`` (an empty cell passes but for
    ``required``)."""
    c = pl.col(column)
    if rule.check == "required":
        if dtype != pl.String:
            return c.is_not_null()
        return c.is_not_null() & (c.str.len_bytes() > 0).fill_null(False)
    if rule.check == "unique":
        return ~c.is_duplicated() | c.is_null()
    if rule.check == "one_of":
        return c.is_in(list(rule.allowed)).fill_null(True)
    finite = c.is_finite()
    if rule.check == "finite":
        ok = finite
    elif rule.check == "positive":
        ok = finite & (c > 0)
    elif rule.check == "share":
        ok = finite & (c >= 0) & (c <= 1)
    elif rule.check == "range":
        ok = c.is_not_nan() & (c >= rule.lo) & (c <= rule.hi)
    else:
        raise ValueError(f"unknown rule {rule.check!r}")
    return ok.fill_null(True)


def _rule_checks(frame: pl.DataFrame, rule: Rule) -> list[tuple[str, pl.Expr]] | str:
    """(column label, expression true for a good row) of ``rule``, or a problem text."""
    missing = [c for c in rule.columns + ((rule.where[0],) if rule.where else ())
               if c not in frame.columns]
    if missing:
        return f"has no column {missing[0]!r}"
    if rule.check == "unique_rows":
        return [(", ".join(rule.columns), ~pl.struct(rule.columns).is_duplicated())]
    if rule.check == "ordered":
        a = [pl.col(c) for c in rule.columns]
        ok = pl.all_horizontal([x.is_not_null() & x.is_finite() for x in a]
                               + [lo <= hi for lo, hi in itertools.pairwise(a)])
        checks = [(", ".join(rule.columns), ok)]
    else:
        checks = [(c, _good(rule, c, frame.schema[c])) for c in rule.columns]
    if rule.where is not None:
        scope = pl.col(rule.where[0]).is_in(list(rule.where[1])).fill_null(False)
        checks = [(label, ~scope | ok.fill_null(False)) for label, ok in checks]
    return [(label, ok.fill_null(False)) for label, ok in checks]


def _first_bad(frame: pl.DataFrame, rule: Rule, label: str, ok: pl.Expr) -> str:
    row = frame.select((~ok).arg_true().first()).item()
    cols = rule.columns if rule.check in ("ordered", "unique_rows") else (label,)
    shown = ", ".join(_show(frame[c][row]) for c in cols)
    kind = "columns" if len(cols) > 1 else "column"
    what = _describe(rule)
    if rule.where is not None:  # name the row's own key, not every key of the rule
        what = what.split(" where ")[0] + f" for {rule.where[0]} {frame[rule.where[0]][row]}"
    return f"{kind} {label} {what}, but {row_name(rule.table, frame, row)} has {shown}"


#: the columns that name a row of a table in a message (``impact.indirect_multiplier``)
ROW_KEYS = {"parameters": ("method", "parameter")}


def row_name(table: str, frame: pl.DataFrame, row: int) -> str:
    """Row ``row`` (0-based) of ``frame`` in words: its number, its line in the file (the
    header is line 1) and, for a table with `ROW_KEYS`, its key."""
    key = ".".join(str(frame[c][row]) for c in ROW_KEYS.get(table, ()) if c in frame.columns)
    return f"row {row + 1} (line {row + 2}{', ' + key if key else ''})"


def _show(value: object) -> str:
    if value is None:
        return "an empty cell"
    text = repr(value) if isinstance(value, str) else f"{value}"
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def check_rows(name: str, frame: pl.DataFrame) -> str | None:
    """The first problem of table ``name``'s rows under `RULES`, or None. All the rules of a
    table are evaluated in one pass; a failing rule is then located row by row."""
    checks = []
    for rule in RULES:
        if rule.table == name:
            found = _rule_checks(frame, rule)
            if isinstance(found, str):
                return found
            checks += [(rule, label, ok) for label, ok in found]
    if not checks:
        return None
    passed = frame.select([ok.all().alias(str(i)) for i, (_, _, ok) in enumerate(checks)])
    for (rule, label, ok), good in zip(checks, passed.row(0), strict=True):
        if not good:
            return _first_bad(frame, rule, label, ok)
    return None


# ---- the manifest ---------------------------------------------------------------------------
def remedy(data_dir: Path, path: Path | None = None) -> str:
    """How to get good data back, for the folder the data are read from (and the file)."""
    if os.environ.get(DATA_ENV, "").strip():
        return (f"fix the files in {data_dir} (then `impact data manifest --out {data_dir}`), "
                f"or unset {DATA_ENV} to go back to the bundled data")
    if data_dir.parent.name == "versions" and (data_dir.parent.parent / "current").is_file():
        return ("go back to the bundled data with `impact data use bundled`, or refresh "
                "again with `impact data refresh`")
    if data_dir.name == "_bundled_data":
        return "reinstall the package (`pip install --force-reinstall impact`)"
    if path is not None and path.parent.name == "geometry":
        return ("restore the committed data with `git checkout data/`, or rebuild the shapes "
                "with `impact data geometry <world-atlas tarball>`")
    return ("restore the committed data with `git checkout data/`, or rebuild them with "
            "`impact data build --raw <raw snapshot folder>`")


def _fail(path: Path, what: str, data_dir: Path) -> BundledDataError:
    return BundledDataError(f"bundled data file {path}: {what}; {remedy(data_dir, path)}")


@functools.cache
def manifest(data_dir: Path) -> dict:
    """The parsed ``manifest.json`` of ``data_dir`` (cached per folder)."""
    path = data_dir / MANIFEST_FILE
    hint = "(write it with `impact data manifest`)"
    if not path.is_file():
        raise BundledFileMissing(f"bundled data manifest {path}: missing {hint}; "
                                 f"{remedy(data_dir)}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        files = doc["files"]
        if not isinstance(files, dict):
            raise TypeError("files")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise BundledDataError(f"bundled data manifest {path}: unreadable ({type(exc).__name__}) "
                        f"{hint}; {remedy(data_dir)}") from None
    return doc


def _entry(data_dir: Path, rel: str) -> tuple[Path, dict, bytes]:
    path = data_dir / rel
    entry = manifest(data_dir)["files"].get(rel)
    if not path.is_file():
        raise BundledFileMissing(f"bundled data file {path}: missing; "
                                 f"{remedy(data_dir, path)}")
    if entry is None:
        raise _fail(path, f"not listed in {MANIFEST_FILE} (if it is new, record it with "
                    "`impact data manifest`)", data_dir)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"unreadable ({exc.strerror})", data_dir) from None
    if not data.strip():
        raise _fail(path, "empty", data_dir)
    return path, entry, data


def _checksum(path: Path, entry: dict, data: bytes, data_dir: Path) -> None:
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise _fail(path, f"changed since the build (its SHA-256 differs from {MANIFEST_FILE}; "
                    "if the change is intended, record it with `impact data manifest`)",
                    data_dir)


def schema_of(entry: dict) -> dict[str, pl.DataType]:
    """The polars schema recorded in a manifest entry (``columns``: name -> dtype name)."""
    return {c: DTYPES[t] for c, t in entry["columns"].items()}


def _header(data: bytes) -> list[str] | None:
    """The CSV header of ``data``, or None if it is not UTF-8 text."""
    try:
        first = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    return next(csv.reader([first]), [])


def _bad_cell(data: bytes, schema: dict[str, pl.DataType]) -> str:
    """Locate the first cell that does not parse as its column's dtype."""
    try:
        text = pl.read_csv(io.BytesIO(data), schema={c: pl.String for c in schema})
    except pl.exceptions.PolarsError as exc:
        return f"unreadable as CSV ({_one_line(exc)})"
    for column, dtype in schema.items():
        if dtype == pl.String:
            continue
        raw = text[column]
        if dtype == pl.Boolean:
            cast = raw.str.to_lowercase().replace_strict({"true": True, "false": False},
                                                         default=None)
        else:
            cast = raw.str.strip_chars().cast(dtype, strict=False)
        bad = (raw.is_not_null() & (raw.str.strip_chars() != "") & cast.is_null()).arg_true()
        if bad.len():
            row = bad[0] + 1
            kind = {"Int64": "a whole number", "Float64": "a number",
                    "Boolean": "true or false"}[str(dtype)]
            return (f"column {column} has text where {kind} is expected at row {row} "
                    f"(line {row + 1}): {_show(raw[bad[0]])}")
    return "unreadable as CSV"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def parse_table(path: Path, entry: dict, data: bytes, data_dir: Path) -> pl.DataFrame:
    """Parse ``data`` with the manifest's schema, or raise a `DataError` saying where not."""
    try:
        schema = schema_of(entry)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _fail(path, f"its schema in {MANIFEST_FILE} is unreadable", data_dir) from None
    header = _header(data)
    if header is None:
        raise _fail(path, "unreadable (not UTF-8 text)", data_dir)
    if header != list(schema):
        extra = [c for c in header if c not in schema]
        lost = [c for c in schema if c not in header]
        what = (f"missing column {lost[0]!r}" if lost else
                f"unexpected column {extra[0][:MAX_SHOWN]!r}" if extra else "columns reordered")
        raise _fail(path, f"unreadable: its header does not match {MANIFEST_FILE} ({what})",
                    data_dir)
    try:
        return pl.read_csv(io.BytesIO(data), schema=schema)
    except pl.exceptions.PolarsError:
        raise _fail(path, _bad_cell(data, schema), data_dir) from None


def checked_table(data_dir: Path, name: str) -> pl.DataFrame:
    """Table ``name`` of ``data_dir``, verified (see the module docstring)."""
    path, entry, data = _entry(data_dir, f"{name}.csv")
    frame = parse_table(path, entry, data, data_dir)
    problem = check_rows(name, frame)
    if problem:
        raise _fail(path, problem, data_dir)
    _checksum(path, entry, data, data_dir)
    return frame


def check_topology(text: str) -> str | None:
    """What is wrong with TopoJSON ``text`` as the map's shapes, or None."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return f"unreadable (not JSON: {exc.msg} at line {exc.lineno})"
    try:
        shapes = doc["objects"]["countries"]["geometries"]
    except (KeyError, TypeError):
        return "unreadable (no objects.countries.geometries)"
    if not isinstance(shapes, list) or not shapes:
        return "has no country shapes"
    for i, shape in enumerate(shapes, start=1):
        iso3 = (shape.get("properties") or {}).get("iso3") if isinstance(shape, dict) else None
        if not isinstance(iso3, str) or not iso3:
            return f"shape {i} has no properties.iso3"
    return None


def checked_text(data_dir: Path, rel: str) -> str:
    """The text of bundled JSON file ``rel`` (the map's shapes), verified."""
    path, entry, data = _entry(data_dir, rel)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(path, "unreadable (not UTF-8 text)", data_dir) from None
    problem = check_topology(text)
    if problem:
        raise _fail(path, problem, data_dir)
    _checksum(path, entry, data, data_dir)
    return text


def check_folder(data_dir: Path) -> list[str]:
    """Verify every file listed in ``data_dir``'s manifest (`checked_table` for a table at
    the top of the folder, `checked_text` for the map); returns their paths relative to
    ``data_dir``, or raises the first `BundledDataError`."""
    files = list(manifest(data_dir)["files"])
    for rel in files:
        if rel.endswith(".csv") and "/" not in rel:
            checked_table(data_dir, rel.removesuffix(".csv"))
        else:
            checked_text(data_dir, rel)
    return files
