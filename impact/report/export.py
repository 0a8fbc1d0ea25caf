"""Exports of an `Estimate` (or a batch of them): CSV, JSON, Excel and a citable Markdown report.

Every function here is pure (returns ``str``, ``bytes`` or a polars frame) except
`write_export`, the one place that writes a file, choosing the format by the extension.

A batch is a sequence of estimates or a mapping ``id -> Estimate``; batch exports carry an
``id`` column (ids of a plain sequence are the scenario labels, else ``1, 2, ...``).
Money is USD (current prices of the event year) in ``*_usd*`` columns and in the scenario's
output currency (``currency``, ``price_basis``) in ``loss_*`` columns without ``_usd`` (and
``loss_at_*``/``swing`` of the sensitivity sheet); shares are 0-1. Text that begins like a
formula is quoted with ``'`` in the CSV, Excel and Markdown exports (`safe_text`).

The CSV (`to_csv`) is for people opening it in a spreadsheet: figures rounded to
`CSV_SIGNIFICANT` significant figures, shares of GDP in percent (``*_pct`` columns), and the
assumptions in a CSV of their own (`assumptions_csv`); ``bom=True`` starts it with the UTF-8
byte-order mark, so Excel reads "–" and "×" as written. JSON and Excel keep every figure in full
precision, and `csv_frame` is the full-precision table (the layout of ``impact batch``).
"""

from __future__ import annotations

import functools
import io
import json
import math
import re
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from impact import __version__
from impact import format as fmt
from impact.bundled.io import data_version
from impact.estimation.ensemble import ENSEMBLE, assumption_words, ensemble, ensemble_row, headline
from impact.estimation.results import SUMMARY_COLUMNS, Estimate, vintages
from impact.methods import REGISTRY
from impact.vocab import PLATFORM_LABELS, SCOPE_WORDS, VALUE_FIELDS, parameter_label

Exportable = Estimate | Sequence[Estimate] | Mapping[str, Estimate]

#: the columns a reader looks at first; the other summary columns follow
LEAD_COLUMNS = ["method", "loss_usd_p05", "loss_usd_p50", "loss_usd_p95",
                "loss_usd_per_day_p50", "share_of_gdp_p50"]
PROVENANCE_COLUMNS = ["scenario", "assumptions", "data_notes", "data_vintages",
                      "impact_version", "data_version"]
_TEXT = {"method", "title", "status", "reason", "iso3", "country", "scope", "main_driver",
         "currency", "price_basis"}
_INT = {"year", "price_year", "draws", "seed"}
#: the line under the report's estimates table that names the ensemble's members
ENSEMBLE_TITLE_WORDS = "Headline (the methods that apply, combined; docs/headline.md)"
EXTENSIONS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".md": "markdown"}
_FLAGS = VALUE_FIELDS
_DEFAULTS = {"scope": "full", "currency": "USD", "price_basis": "current",
             "connectivity_tier": "auto"}


def impact_version() -> str:
    return __version__


# ---- text of numbers (the rule is impact.format) -------------------------------------------
#: significant figures of assumption values in text (inputs: the parameter tables' precision)
INPUT_DIGITS = 6


def _input(x: Any) -> str:
    """An assumption value in text: ``407.308 bn``, ``0.036751``, ``10``."""
    return fmt.number(x, INPUT_DIGITS) if isinstance(x, float | int) or x is None else str(x)


# ---- text cells a spreadsheet would run (CSV/formula injection) ----------------------------
#: first characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV
#: Injection"), with their full-width forms (``＝＋－＠``), which spreadsheets also take:
#: such text is prefixed with a single quote in every export people open
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: invisible or blank characters a spreadsheet may skip before a formula's first character
#: (spaces, zero-width space/joiners, word joiner, byte-order mark)
_LEAD = "\u0020\u00a0\u200b\u200c\u200d\u2060\ufeff"
_FORMULA_RE = ("^[" + _LEAD + "]*[" + "".join(re.escape(c) for c in FORMULA_START if c not in
               "\t\r") + "]|^[\t\r]")


def safe_text(text: str) -> str:
    """``text`` with a leading ``'`` if it begins like a formula (``=``, ``+``, ``-``, ``@``
    or their full-width forms, also after spaces or zero-width characters; tab or carriage
    return), so no spreadsheet runs it; other text is returned unchanged.

    The one rule of the CSV, Excel and Markdown exports (JSON is left as it is). Apply it to
    text only: numbers stay numbers.

    >>> safe_text("=1+2"), safe_text("-1"), safe_text("PAK"), safe_text("a=b")
    ("'=1+2", "'-1", 'PAK', 'a=b')
    >>> safe_text("\uff1dHYPERLINK()"), safe_text("\u200b=1"), safe_text(" @SUM(A1)")
    ("'＝HYPERLINK()", "'\u200b=1", "' @SUM(A1)")
    """
    return "'" + text if re.match(_FORMULA_RE, text) else text


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`safe_text` applied to every text column of ``frame`` (other columns unchanged)."""
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_RE)).then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items() if dtype == pl.String)


# ---- normalising inputs -------------------------------------------------------------------
def labelled_estimates(obj: Exportable) -> tuple[list[tuple[str | None, Estimate]], bool]:
    """(id, estimate) pairs and whether the input was a batch."""
    if isinstance(obj, Estimate):
        return [(None, obj)], False
    if isinstance(obj, Mapping):
        return [(str(k), v) for k, v in obj.items()], True
    items = list(obj)
    return [(e.scenario.label or str(i), e) for i, e in enumerate(items, start=1)], True


def summary_schema() -> dict[str, pl.DataType]:
    """Fixed dtypes of the summary columns (so batches of any mix of methods concatenate)."""
    return {c: (pl.String if c in _TEXT else pl.Int64 if c in _INT else pl.Float64)
            for c in SUMMARY_COLUMNS}


def ordered_summary(est: Estimate) -> pl.DataFrame:
    """The summary with `LEAD_COLUMNS` first and fixed dtypes."""
    schema = summary_schema()
    rest = [c for c in SUMMARY_COLUMNS if c not in LEAD_COLUMNS]
    return est.summary.select([pl.col(c).cast(schema[c]) for c in LEAD_COLUMNS + rest])


def export_summary(est: Estimate) -> pl.DataFrame:
    """`ordered_summary` and, last, the headline ensemble's row (method ``ensemble``,
    `impact.estimation.ensemble.ensemble_row`): the rows every export lists for an estimate."""
    s = ordered_summary(est)
    return pl.concat([s, ensemble_row(est).select(s.columns)], how="vertical_relaxed")


def _with_id(frame: pl.DataFrame, id_: str | None) -> pl.DataFrame:
    if id_ is None:
        return frame
    return frame.select(pl.lit(id_, dtype=pl.String).alias("id"), pl.all())


def _concat(frames: list[pl.DataFrame]) -> pl.DataFrame:
    frames = [f for f in frames if f.width]
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames, how="diagonal_relaxed")


def summary_frame(obj: Exportable) -> pl.DataFrame:
    """Summary rows (one per method and the ensemble, and per id for a batch), lead columns
    first."""
    items, _ = labelled_estimates(obj)
    frames = [_with_id(export_summary(e), i) for i, e in items]
    if not frames:
        lead = {"id": pl.String} | summary_schema()
        cols = ["id"] + LEAD_COLUMNS + [c for c in SUMMARY_COLUMNS if c not in LEAD_COLUMNS]
        return pl.DataFrame(schema={c: lead[c] for c in cols})
    return pl.concat(frames, how="vertical_relaxed")


def scenario_json(est: Estimate) -> str:
    """Compact JSON of the scenario, only the fields that were given."""
    return est.scenario.model_dump_json(exclude_none=True)


def assumption_text(est: Estimate, method: str) -> str:
    """``name=value [low–high] unit (source)`` for each input of ``method``, `` | ``-joined."""
    parts = []
    for r in est.assumptions.filter(pl.col("method") == method).iter_rows(named=True):
        rng = "" if r["low"] == r["high"] else f" [{_input(r['low'])}–{_input(r['high'])}]"
        parts.append(f"{r['parameter']}={_input(r['value'])}{rng} {r['unit']} ({r['source']})")
    return " | ".join(parts)


def ensemble_assumptions(est: Estimate) -> str:
    """The assumptions cell of the headline's row: how it is combined and from whom."""
    draws = est.summary["draws"].drop_nulls()
    return assumption_words(ensemble(est), int(draws[0]) if draws.len() else None)


def vintage_text(est: Estimate) -> str:
    """``table: source vintage`` for each bundled source, `` | ``-joined."""
    return vintage_text_of(est.vintages)


def vintage_text_of(vintages: pl.DataFrame) -> str:
    """``table: source vintage`` for each row of a vintages table, `` | ``-joined."""
    if vintages.height == 0:
        return ""
    return " | ".join(f"{r['table']}: {r['source']} {r['vintage']}"
                      for r in vintages.iter_rows(named=True))


def csv_frame(obj: Exportable) -> pl.DataFrame:
    """Summary rows plus the provenance columns that make a CSV self-describing (text cells
    that begin like a formula are quoted by `safe_text`)."""
    items, _ = labelled_estimates(obj)
    frames = []
    for id_, est in items:
        s = export_summary(est)
        prov = pl.DataFrame({
            "scenario": [scenario_json(est)] * s.height,
            "assumptions": [ensemble_assumptions(est) if m == ENSEMBLE
                            else assumption_text(est, m) for m in s["method"]],
            "data_notes": [" | ".join(est.notes)] * s.height,
            "data_vintages": [vintage_text(est)] * s.height,
            "impact_version": [impact_version()] * s.height,
            "data_version": [data_version()] * s.height,
        }, schema={c: pl.String for c in PROVENANCE_COLUMNS})
        frames.append(_with_id(pl.concat([s, prov], how="horizontal"), id_))
    if not frames:
        empty = summary_frame(obj)
        return empty.with_columns(pl.lit(None, dtype=pl.String).alias(c)
                                  for c in PROVENANCE_COLUMNS)
    return safe_frame(pl.concat(frames, how="vertical_relaxed"))


def pass_csv_frame(result: Any, ids: Sequence[str]) -> pl.DataFrame:
    """The CSV rows of a whole engine pass (a batch chunk), built column by column: the same
    columns and cells as `csv_frame` of the pass's estimates, without one frame per estimate.

    ``result`` is an `impact.estimation.results.Pass`; ``ids[i]`` names scenario ``i``. Scenarios that
    could not be resolved at all (``result.errors``) are left out (a batch reports them as
    row errors).
    """
    keep = [i for i in range(len(ids)) if i not in result.errors]
    summary = result.summary.filter(pl.col("index").is_in(keep))
    pooled: dict[tuple[int, str], str] = {}
    if result.ensemble_summary is not None:  # each scenario's ensemble row after its methods
        summary = pl.concat([summary, result.ensemble_summary.filter(
            pl.col("index").is_in(keep))]).sort("index", maintain_order=True)
        draws = result.ensemble_summary["draws"].drop_nulls()
        n = int(draws[0]) if draws.len() else None
        pooled = {(i, "ensemble"): assumption_words(result.ensembles[i], n) for i in keep}
    index = summary["index"].to_list()
    shown: dict[Any, str] = {}  # the same inputs recur in every row of a country-year

    def text(s: Any) -> str:
        if s not in shown:
            rng = "" if s.low == s.high else f" [{_input(s.low)}–{_input(s.high)}]"
            shown[s] = f"{s.name}={_input(s.value)}{rng} {s.unit} ({s.source})"
        return shown[s]

    texts = {key: " | ".join(text(s) for s in specs) for key, specs in result.inputs.items()}
    texts |= pooled
    scenario = {i: result.scenarios[i].model_dump_json(exclude_none=True) for i in keep}
    notes = {i: " | ".join(result.notes[i]) for i in keep}
    vint = vintage_text_of(_bundled_vintages())
    schema = summary_schema()
    rest = [c for c in SUMMARY_COLUMNS if c not in LEAD_COLUMNS]
    prov = {
        "scenario": [scenario[i] for i in index],
        "assumptions": [texts.get((i, m), "") for i, m in
                        zip(index, summary["method"].to_list(), strict=True)],
        "data_notes": [notes[i] for i in index],
        "data_vintages": [vint] * len(index),
        "impact_version": [impact_version()] * len(index),
        "data_version": [data_version()] * len(index),
    }
    return safe_frame(pl.DataFrame(
        [pl.Series("id", [ids[i] for i in index], dtype=pl.String)]
        + [summary[c].cast(schema[c]) for c in LEAD_COLUMNS + rest]
        + [pl.Series(c, prov[c], dtype=pl.String) for c in PROVENANCE_COLUMNS]))


def _bundled_vintages() -> pl.DataFrame:
    return vintages()


# ---- the CSV for people ------------------------------------------------------------------
#: significant figures of the model's figures (losses, shares, capped shares) in the CSV for
#: people (`to_csv`): the three the app, the command line and the reports show
#: (`impact.format.SIGNIFICANT`); more would claim a precision the Monte Carlo ranges do not
#: have. JSON, Excel and `csv_frame` keep full precision.
CSV_SIGNIFICANT = fmt.SIGNIFICANT
#: the UTF-8 byte-order mark that starts a CSV for a spreadsheet (``bom=True``)
BOM = "\ufeff"
#: the share columns the CSV for people writes in percent, and their names there
PERCENT_COLUMNS = {"share_of_gdp_p05": "loss_share_of_gdp_p05_pct",
                   "share_of_gdp_p50": "loss_share_of_gdp_p50_pct",
                   "share_of_gdp_p95": "loss_share_of_gdp_p95_pct",
                   "capped_share": "capped_share_pct"}
_ROUNDED = ("loss", "share", "capped", "swing")


def claimable(value: float | None, digits: int = CSV_SIGNIFICANT) -> float | None:
    """``value`` rounded to ``digits`` significant figures by the rule of `impact.format`
    (half up on the decimal value); None for a missing value.

    >>> claimable(17_412_345.67), claimable(0.0000462483), claimable(2.675), claimable(None)
    (17400000.0, 4.62e-05, 2.68, None)
    """
    if fmt.is_missing(value):
        return None
    rounded = fmt.parse_number(fmt.number(value, digits))
    return float(f"{rounded:.{digits}g}")  # 17.4 x 1e6 without its binary tail


def _rounded(frame: pl.DataFrame, digits: int) -> pl.DataFrame:
    """Every float column of the model's figures (`_ROUNDED` prefixes) to ``digits``."""
    return frame.with_columns(
        pl.Series(c, [claimable(v, digits) for v in frame[c].to_list()], dtype=pl.Float64)
        for c, dtype in frame.schema.items()
        if dtype == pl.Float64 and c.startswith(_ROUNDED))


def people_frame(obj: Exportable) -> pl.DataFrame:
    """The rows of the CSV for people: `csv_frame` without the per-row assumptions (they are
    in `assumptions_csv`), shares of GDP in percent (`PERCENT_COLUMNS`) and the model's
    figures to `CSV_SIGNIFICANT` significant figures."""
    frame = csv_frame(obj).drop("assumptions")
    frame = frame.with_columns(pl.col(c) * 100 for c in PERCENT_COLUMNS)
    return _rounded(frame, CSV_SIGNIFICANT).rename(PERCENT_COLUMNS)


def _csv_text(frame: pl.DataFrame, bom: bool) -> str:
    """CSV text of a frame already made spreadsheet-safe; plain decimals, never ``1e-05``."""
    return (BOM if bom else "") + frame.write_csv(float_scientific=False)


def to_csv(obj: Exportable, *, bom: bool = False) -> str:
    """The CSV for people: one row per method and the headline (and id), figures to
    `CSV_SIGNIFICANT` significant figures, shares of GDP in percent, provenance columns; with
    ``bom``, led by the UTF-8 byte-order mark (`BOM`). The assumptions are `assumptions_csv`."""
    return _csv_text(people_frame(obj), bom)


#: the columns of `assumptions_csv` (after ``id`` in a batch)
ASSUMPTION_CSV_COLUMNS = ["method", "parameter", "label", "value", "low", "high", "unit",
                          "currency", "distribution", "source", "notes"]


def assumptions_rows(obj: Exportable) -> pl.DataFrame:
    """Every input of every method, one row each, with its label in words
    (`impact.vocab.parameter_label`), and one row per estimate saying how the headline
    combines the methods (method ``ensemble``); values to `INPUT_DIGITS` figures."""
    items, _ = labelled_estimates(obj)
    frames = []
    for id_, est in items:
        frame = assumptions_frame(est).with_columns(
            pl.col("parameter").replace_strict(
                {p: parameter_label(p) for p in est.assumptions["parameter"].unique()},
                return_dtype=pl.String).alias("label"))
        combined = pl.DataFrame({"method": [ENSEMBLE], "parameter": ["combination"],
                                 "label": ["How the headline combines the methods"],
                                 "notes": [ensemble_assumptions(est)]})
        frame = pl.concat([frame.select(c for c in ASSUMPTION_CSV_COLUMNS
                                        if c in frame.columns), combined],
                          how="diagonal_relaxed").select(ASSUMPTION_CSV_COLUMNS)
        frames.append(_with_id(frame, id_))
    if not frames:
        return pl.DataFrame(schema={c: pl.String for c in ASSUMPTION_CSV_COLUMNS})
    out = pl.concat(frames, how="vertical_relaxed")
    return safe_frame(out.with_columns(
        pl.Series(c, [claimable(v, INPUT_DIGITS) for v in out[c].to_list()], dtype=pl.Float64)
        for c in ("value", "low", "high")))


def assumptions_csv(obj: Exportable, *, bom: bool = False) -> str:
    """The assumptions of an export as a CSV of their own (`assumptions_rows`), the companion
    of `to_csv`; with ``bom``, led by the UTF-8 byte-order mark."""
    return _csv_text(assumptions_rows(obj), bom)


def full_csv(obj: Exportable, *, bom: bool = False) -> str:
    """`csv_frame` as CSV: every figure in full precision, shares 0-1, each method's
    assumptions in its row (the layout of ``impact batch``)."""
    return (BOM if bom else "") + csv_frame(obj).write_csv()


# ---- JSON ------------------------------------------------------------------------------------
def _clean(x: Any) -> Any:
    """NaN/inf -> None, recursively, so the JSON is strict."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, Mapping):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def methods_info(names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Title, citation, formula and scopes of each named method."""
    out = {}
    for n in names:
        m = REGISTRY[n]
        out[n] = {"title": m.title, "citation": m.citation, "formula": m.formula,
                  "scopes": sorted(m.scopes), "scope_note": m.scope_note}
    return out


def estimate_dict(est: Estimate, *, overrides: Mapping[str, float] | None = None
                  ) -> dict[str, Any]:
    """Everything about one estimate as plain JSON-ready data."""
    methods = est.summary["method"].to_list()
    return _clean({
        "scenario": est.scenario.model_dump(mode="json", exclude_none=True),
        "command": cli_command(est, overrides),
        "summary": export_summary(est).to_dicts(),
        "ensemble": _ensemble_dict(est),
        "assumptions": est.assumptions.to_dicts(),
        "sensitivity": est.sensitivity.to_dicts(),
        "notes": list(est.notes),
        "vintages": est.vintages.to_dicts(),
        "components": {k: dict(v) for k, v in est.components.items()},
        "methods": methods_info(methods),
        "versions": {"impact": impact_version(), "data": data_version()},
    })


def _ensemble_dict(est: Estimate) -> dict[str, Any]:
    """Who is in the headline ensemble and who was left out, and why (its figures are the
    ``ensemble`` row of the summary)."""
    ens = ensemble(est)
    return {"members": list(ens.members), "excluded": dict(ens.excluded),
            "beside": list(ens.beside)}


def to_json(obj: Exportable, *, overrides: Mapping[str, float] | None = None,
            errors: Sequence[Any] = (), indent: int | None = 2) -> str:
    """Nested, strict JSON (no NaN). A batch becomes ``{"estimates": [{"id": ...}, ...]}``."""
    items, batch = labelled_estimates(obj)
    if not batch:
        data: dict[str, Any] = estimate_dict(items[0][1], overrides=overrides)
    else:
        data = {"versions": {"impact": impact_version(), "data": data_version()},
                "estimates": [{"id": i} | estimate_dict(e, overrides=overrides)
                              for i, e in items],
                "errors": [str(e) for e in errors]}
    return json.dumps(data, indent=indent, allow_nan=False, ensure_ascii=False)


# ---- output currency -------------------------------------------------------------------------
def sensitivity_frame(est: Estimate) -> pl.DataFrame:
    """The sensitivity table with its USD columns (``*_usd*``, as computed) and the same
    swings in the output currency (``loss_at_p05``, ``loss_at_p95``, ``swing``, in
    ``currency`` at ``price_basis`` prices), like the summary's ``loss_*`` columns."""
    conv = est.conversion
    return est.sensitivity.with_columns(
        pl.lit(conv.currency, dtype=pl.String).alias("currency"),
        pl.lit(conv.price_basis, dtype=pl.String).alias("price_basis"),
        pl.lit(conv.price_year, dtype=pl.Int64).alias("price_year"),
        (pl.col("loss_usd_at_p05") * conv.factor).alias("loss_at_p05"),
        (pl.col("loss_usd_at_p95") * conv.factor).alias("loss_at_p95"),
        (pl.col("swing_usd") * conv.factor).alias("swing"))


def _money_unit(unit: str | None) -> bool:
    """A unit that is an amount of USD (``USD per year``, ``USD per person``), not a ratio."""
    return bool(unit) and unit.startswith("USD") and not unit.startswith("USD per USD")


def assumptions_frame(est: Estimate) -> pl.DataFrame:
    """The assumptions with a ``currency`` column after ``unit``: ``USD`` for the money
    inputs (the methods take their inputs in USD at current prices of the event year,
    whatever the output currency), empty for shares, ratios, hours and the like."""
    frame = est.assumptions.with_columns(
        pl.when(pl.col("unit").map_elements(_money_unit, return_dtype=pl.Boolean))
        .then(pl.lit("USD")).otherwise(pl.lit(None, dtype=pl.String)).alias("currency"))
    cols = frame.columns
    at = cols.index("unit") + 1 if "unit" in cols else len(cols) - 1
    return frame.select(cols[:at] + ["currency"] + [c for c in cols[at:-1]])


# ---- Excel -----------------------------------------------------------------------------------
#: number formats of the workbook: shares as percentages (three decimals, so 0.007 % shows),
#: amounts with thousands separators (two decimals for per-person figures), hours to a tenth
PERCENT = "0.000%"
MONEY = "#,##0"
MONEY_SMALL = "#,##0.00"
COUNT = "#,##0"
HOURS = "#,##0.0"
PLAIN = "0"
GENERAL = "General"
_PLAIN_COLUMNS = {"year", "price_year", "seed", "rank", "index"}
_MAX_WIDTH = 60


def column_format(column: str) -> str:
    """The Excel number format of a numeric column, by its name (see `impact.vocab`)."""
    if "share" in column:
        return PERCENT
    if column in _PLAIN_COLUMNS:
        return PLAIN
    if column == "draws":
        return COUNT
    if column.endswith("hours"):
        return HOURS
    if column.startswith(("loss", "swing")):
        small = "per_capita" in column or "per_affected_user" in column
        return MONEY_SMALL if small else MONEY
    return GENERAL


def unit_format(unit: str | None) -> str:
    """The Excel number format of an assumption's value in ``unit``."""
    u = (unit or "").lower()
    if _money_unit(unit):
        return MONEY_SMALL if u.startswith("usd per person") else MONEY
    if u.startswith("share"):
        return PERCENT
    if u == "hours":
        return HOURS
    return GENERAL


def _output_currency_column(column: str) -> bool:
    """``loss_*`` without ``_usd`` and ``swing``: in the row's ``currency``."""
    return (column.startswith("loss_") and not column.startswith("loss_usd")) or column == "swing"


def _with_code(num_format: str, currency: str | None) -> str:
    """``"PKR "#,##0``: the number shown after its currency code (still a number)."""
    if not currency or not currency.isalnum():
        return num_format
    return f'"{currency} "{num_format}'


def _coded(num_format: str, row: Mapping[str, Any]) -> str:
    return _with_code(num_format, row["currency"])


def _cell_formats(frame: pl.DataFrame) -> list[Any]:
    """Per column, the number format of a row: a string, or a function of the row."""
    out: list[Any] = []
    for c in frame.columns:
        if c in ("value", "low", "high") and "unit" in frame.columns:
            out.append(lambda r: unit_format(r["unit"]))
        elif c == "value" and "field" in frame.columns:  # the scenario: by the field's name
            out.append(lambda r: column_format(r["field"]))
        elif _output_currency_column(c) and "currency" in frame.columns:
            out.append(functools.partial(_coded, column_format(c)))
        else:
            out.append(column_format(c))
    return out


def _shown_width(value: Any, num_format: str) -> int:
    """About how many characters ``value`` takes in ``num_format``."""
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    code = num_format.split('"')[1] if num_format.startswith('"') else ""
    if num_format.endswith("%"):
        text = f"{value * 100:,.3f}%"
    elif num_format.endswith(MONEY_SMALL):
        text = f"{value:,.2f}"
    elif num_format.endswith(HOURS):
        text = f"{value:,.1f}"
    elif num_format.endswith(MONEY):
        text = f"{value:,.0f}"
    elif num_format == PLAIN:
        text = f"{value:.0f}"
    else:
        text = f"{value:.6g}"
    return len(code) + len(text)


#: the most characters an Excel cell holds
XLSX_MAX_CELL = 32_767
#: the sheet that holds texts too long for one cell, in pieces
LONG_TEXT_SHEET = "long text"


def _write_sheet(wb: Any, name: str, frame: pl.DataFrame, formats: dict[str, Any],
                 long_text: list[tuple[str, int, str, str]] | None = None) -> None:
    """One sheet: a bold frozen header, text as strings (never formulas, `safe_text`),
    numbers as numbers in their format, missing values blank, readable column widths. A text
    longer than a cell holds is cut with a pointer, and kept whole in ``long_text``."""
    long_text = [] if long_text is None else long_text
    ws = wb.add_worksheet(name)

    def fmt_of(num_format: str) -> Any:
        if num_format not in formats:
            formats[num_format] = wb.add_format({"num_format": num_format})
        return formats[num_format]

    cell_formats = _cell_formats(frame)
    widths = [len(c) for c in frame.columns]
    for j, c in enumerate(frame.columns):
        ws.write_string(0, j, safe_text(c), formats["header"])
    for i, row in enumerate(frame.iter_rows(named=True), start=1):
        for j, value in enumerate(row.values()):
            if value is None or (isinstance(value, float) and not math.isfinite(value)):
                continue  # a blank cell
            f = cell_formats[j]
            num_format = f(row) if callable(f) else f
            if isinstance(value, bool):
                ws.write_boolean(i, j, value)
            elif isinstance(value, int | float):
                ws.write_number(i, j, value, fmt_of(num_format))
            else:
                value = safe_text(value if isinstance(value, str) else str(value))
                if len(value) > XLSX_MAX_CELL:  # Excel's limit: the whole text on its own
                    long_text.append((name, i + 1, frame.columns[j], value))
                    value = (value[:XLSX_MAX_CELL - 80] + f" … (cut: the whole text is in "
                             f"sheet {LONG_TEXT_SHEET!r}, item {len(long_text)})")
                ws.write_string(i, j, value)
            if i <= 1000:  # widths from the first rows are enough
                widths[j] = max(widths[j], _shown_width(value, num_format))
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(max(w + 2, 8), _MAX_WIDTH))
    ws.freeze_panes(1, 0)
    if frame.width:
        ws.autofilter(0, 0, max(frame.height, 1), frame.width - 1)


def _sheet_frames(obj: Exportable, errors: Sequence[Any] = ()) -> dict[str, pl.DataFrame]:
    items, batch = labelled_estimates(obj)
    sheets: dict[str, list[pl.DataFrame]] = {k: [] for k in
                                             ("assumptions", "sensitivity", "notes")}
    scenario_rows: list[dict[str, Any]] = []
    for id_, est in items:
        sheets["assumptions"].append(_with_id(assumptions_frame(est), id_))
        sheets["sensitivity"].append(_with_id(sensitivity_frame(est), id_))
        dump = est.scenario.model_dump(mode="json")
        scenario_rows += [{"id": id_, "field": k, "value": _scalar_value(v)}
                          for k, v in dump.items()]
        sheets["notes"].append(_with_id(pl.DataFrame({"note": list(est.notes)},
                                                     schema={"note": pl.String}), id_))
    out = {"estimates": csv_frame(obj)}
    out |= {k: _concat(v) for k, v in sheets.items()}
    out["scenario"] = _scenario_sheet(scenario_rows, batch)
    out = {k: out[k] for k in ("estimates", "assumptions", "sensitivity", "scenario", "notes")}
    out["vintages"] = items[0][1].vintages if items else pl.DataFrame()
    out["versions"] = pl.DataFrame({"item": ["impact_version", "data_version"],
                                    "value": [impact_version(), data_version()]})
    if batch:
        out["errors"] = pl.DataFrame({"error": [str(e) for e in errors]},
                                     schema={"error": pl.String})
    return out


def _scalar_value(v: Any) -> Any:
    """A scenario field's value in its sheet: numbers and true/false as themselves, lists
    ``;``-joined, dates as ISO text."""
    if isinstance(v, (list, tuple)):
        return ";".join(map(str, v)) or None
    return v


def _scenario_sheet(rows: list[dict[str, Any]], batch: bool) -> pl.DataFrame:
    """``field, value`` (after ``id`` in a batch) with each value of its own type (an object
    column), so the workbook stores numbers as numbers."""
    cols = (["id"] if batch else []) + ["field", "value"]
    return pl.DataFrame({c: pl.Series(c, [r[c] for r in rows],
                                      dtype=pl.Object if c == "value" else pl.String)
                         for c in cols})


def to_xlsx(obj: Exportable, *, errors: Sequence[Any] = ()) -> bytes:
    """One workbook (bytes) with sheets estimates, assumptions, sensitivity, scenario, notes,
    vintages and versions (plus errors for a batch).

    Numbers are numbers with a format (`column_format`, `unit_format`): shares as
    percentages, money with thousands separators, output-currency amounts after their
    currency code (``"PKR "#,##0``); text is written as text, never as a formula, and text
    that begins like a formula is quoted (`safe_text`)."""
    import xlsxwriter

    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False}) as wb:
        formats = {"header": wb.add_format({"bold": True, "bottom": 1})}
        long_text: list[tuple[str, int, str, str]] = []
        for name, frame in _sheet_frames(obj, errors).items():
            if frame.width == 0:
                frame = pl.DataFrame({"empty": []}, schema={"empty": pl.String})
            _write_sheet(wb, name, frame, formats, long_text)
        if long_text:  # each long text in pieces that fit a cell, in order
            step = XLSX_MAX_CELL - 100
            rows = [{"item": k, "sheet": sheet, "row": row, "column": col, "piece": n + 1,
                     "text": text[a:a + step]}
                    for k, (sheet, row, col, text) in enumerate(long_text, start=1)
                    for n, a in enumerate(range(0, len(text), step))]
            _write_sheet(wb, LONG_TEXT_SHEET, pl.DataFrame(rows), formats)
    return buf.getvalue()


# ---- reproduction and report -----------------------------------------------------------------
def cli_command(est: Estimate, overrides: Mapping[str, float] | None = None) -> str:
    """The ``impact estimate`` command that reproduces ``est``."""
    dump = est.scenario.model_dump(mode="json", exclude_none=True)
    args = ["impact", "estimate"]
    for name in _FLAGS:
        value = dump.get(name)
        if value is None or value == [] or _DEFAULTS.get(name) == value:
            continue
        if name == "duration_hours" and "end" in dump:
            continue
        if isinstance(value, list):
            value = ";".join(value)
        if isinstance(value, float):
            value = format(value, ".12g")
        args += [f"--{name.replace('_', '-')}", str(value)]
    if not dump.get("time_weighting", True):
        args.append("--no-time-weighting")
    methods = est.summary["method"].to_list()
    if set(methods) != set(REGISTRY):
        args += ["--method", ",".join(methods)]
    for key, value in (overrides if overrides is not None else est.overrides).items():
        args += ["--set", f"{key}={format(value, '.12g') if isinstance(value, float) else value}"]
    draws = est.summary["draws"].drop_nulls()
    if draws.len():
        args += ["--draws", str(draws[0]), "--seed", str(est.summary["seed"].drop_nulls()[0])]
    return " ".join(shlex.quote(a) for a in args)


def scenario_words(est: Estimate) -> str:
    """The scenario in one sentence."""
    ctx, sc = est.context, est.scenario
    if sc.scope == "platforms":
        what = "a block of " + ", ".join(PLATFORM_LABELS.get(p, p) for p in sc.platforms)
    else:
        what = SCOPE_WORDS[sc.scope]
    if sc.scope == "throttling" or sc.intensity is not None:
        what += f" ({fmt.percent(sc.effective_intensity)} of service lost)"
    when = f"lasting {fmt.hours(ctx.hours)}"
    if sc.start is not None:
        end = f" to {sc.end.isoformat(sep=' ', timespec='minutes')}" if sc.end else ""
        when += f" from {sc.start.isoformat(sep=' ', timespec='minutes')}{end} (local time)"
    text = (f"{what[0].upper()}{what[1:]} in {ctx.country} ({ctx.iso3}), {when}, "
            f"event year {ctx.year}; affected: {ctx.affected_detail}")
    if sc.circumvention is not None:
        text += f"; circumvention {fmt.percent(sc.circumvention)}"
    if sc.recovery is not None:
        text += f"; recovery {fmt.percent(sc.recovery)}"
    return text + "."


def _scenario_short(est: Estimate) -> str:
    sc, ctx = est.scenario, est.context
    what = (f"a block of {', '.join(PLATFORM_LABELS.get(p, p) for p in sc.platforms)}"
            if sc.scope == "platforms"
            else SCOPE_WORDS[sc.scope])
    return f"{what} in {ctx.country}, {fmt.hours(ctx.hours)}, {ctx.year}"


def _md_cell(text: Any) -> str:
    """A table cell of figures (already formatted by `impact.format`)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_text(text: Any) -> str:
    """A table cell of text: `safe_text`, then escaped like `_md_cell`."""
    return _md_cell(safe_text("" if text is None else str(text)))


def report_markdown(obj: Exportable, *, overrides: Mapping[str, float] | None = None) -> str:
    """A report a person can cite (Markdown). A batch gives one section per id.

    The headline figures are in the scenario's output currency, with USD (current prices of
    the event year) beside them when the two differ."""
    items, batch = labelled_estimates(obj)
    if batch:
        return "\n\n---\n\n".join(
            _report_one(e, overrides, title=f"Estimate {fmt.md_text(safe_text(str(i)))}")
            for i, e in items)
    return _report_one(items[0][1], overrides)


def _prices_words(currency: str, basis: str, year: int | None) -> str:
    return f"{currency} at {basis} prices" + (f" of {year}" if year else "")


def _estimate_lines(est: Estimate) -> list[str]:
    """The estimates table: in USD, or in the output currency with USD beside it."""
    ctx = est.context
    conv = est.conversion
    usd_words = _prices_words("USD", "current", ctx.year)
    local = not (conv.currency == "USD" and conv.price_basis == "current")
    if not local:
        lines = [("Median (P50) loss with the 90 % Monte Carlo range (P5–P95), in "
                  f"{usd_words}."), "",
                 ("| Method | Loss P50 (P5–P95) | Per day (P50) | % of GDP (P50) | "
                  "Per capita (P50) | Main driver | Status |"),
                 "|---|---|---|---|---|---|---|"]
    else:
        out_year = conv.price_year if conv.price_basis == "constant" else ctx.year
        out_label = conv.currency + (f" at {out_year} prices" if conv.price_basis != "current"
                                     else "")
        usd_label = "USD" + (" at current prices" if conv.currency == "USD" else "")
        lines = [("Median (P50) loss with the 90 % Monte Carlo range (P5–P95), in "
                  f"{_prices_words(conv.currency, conv.price_basis, out_year)}, with "
                  f"{usd_words} beside it."), "",
                 (f"| Method | Loss P50 (P5–P95), {out_label} | Loss P50 (P5–P95), "
                  f"{usd_label} | Per day (P50) | % of GDP (P50) | Per capita (P50) | "
                  "Main driver | Status |"),
                 "|---|---|---|---|---|---|---|---|"]

    def loss(r: dict, key: str, code: str) -> str:
        return (f"{fmt.money(r[f'{key}p50'], code)} ({fmt.money(r[f'{key}p05'], code)}–"
                f"{fmt.money(r[f'{key}p95'], code)})")

    ens = ensemble_row(est).row(0, named=True)
    for r in [*est.summary.iter_rows(named=True), ens]:
        code = r["currency"] or conv.currency
        if r["status"] != "ok" and r["method"] == ENSEMBLE:
            cells = [fmt.MISSING] * (5 if local else 4)
            text = [fmt.MISSING, r["status"]]
        elif r["status"] != "ok":
            cells = [fmt.MISSING] * (5 if local else 4)
            text = [fmt.MISSING, f"{r['status']}: {r['reason']}"]
        elif local:
            cells = [loss(r, "loss_", code), loss(r, "loss_usd_", "USD"),
                     (f"{fmt.money(r['loss_per_day_p50'], code)} "
                      f"({fmt.money(r['loss_usd_per_day_p50'])})"),
                     fmt.percent(r["share_of_gdp_p50"]),
                     (f"{fmt.money(r['loss_per_capita_p50'], code)} "
                      f"({fmt.money(r['loss_usd_per_capita_p50'])})")]
            text = [_driver(r), "ok"]
        else:
            cells = [loss(r, "loss_usd_", "USD"), fmt.money(r["loss_usd_per_day_p50"]),
                     fmt.percent(r["share_of_gdp_p50"]),
                     fmt.money(r["loss_usd_per_capita_p50"])]
            text = [_driver(r), "ok"]
        lines.append("| " + " | ".join([_md_text(r["title"]), *map(_md_cell, cells),
                                         *map(_md_text, text)]) + " |")
    lines += ["", f"{ENSEMBLE_TITLE_WORDS}: {ens['reason']}."]
    return lines


def _driver(row: Mapping[str, Any]) -> str:
    """The main driver of a summary row in words (`impact.vocab.parameter_label`)."""
    if row["method"] == ENSEMBLE or not row["main_driver"]:
        return fmt.MISSING
    return parameter_label(row["main_driver"])


def _report_one(est: Estimate, overrides: Mapping[str, float] | None,
                title: str | None = None) -> str:
    ctx = est.context
    title = title or f"Estimated economic cost of an internet disruption in {ctx.country}"
    if est.scenario.label:
        title += f": {fmt.md_text(safe_text(est.scenario.label))}"  # shown as written
    lines = [f"# {title}", "", f"**{headline(est)}**", "",
             "## Scenario", "", scenario_words(est), "",
             "## Estimates", "", *_estimate_lines(est)]
    lines += ["", "## Assumptions", "",
              "| Method | Parameter | Value | Range (low–high) | Unit | Source |",
              "|---|---|---|---|---|---|"]
    for r in est.assumptions.iter_rows(named=True):
        rng = "fixed" if r["low"] == r["high"] else f"{_input(r['low'])}–{_input(r['high'])}"
        lines.append("| " + " | ".join(
            [_md_text(r["method"]),
             _md_text(f"{parameter_label(r['parameter'])} ({r['parameter']})"),
             _md_cell(_input(r["value"])),
             _md_cell(rng), _md_text(r["unit"]), _md_text(r["source"])]) + " |")
    lines += ["", (f"Money inputs are in USD at current prices of {ctx.year}, whatever the "
                   "output currency.")]
    lines += ["", "## Data notes and fallbacks", ""]
    lines += [f"- {n}" for n in est.notes] or ["- none: every figure is for the event year."]
    lines += ["", "## Data vintages", ""]
    lines += [f"- {r['table']}: {r['source']} ({r['publisher']}, {r['vintage']}, "
              f"{r['licence']})" for r in est.vintages.iter_rows(named=True)] or ["- n/a"]
    lines += ["", "## Methods", ""]
    for name, info in methods_info(est.summary["method"].to_list()).items():
        lines += [(f"- **{info['title']}** (`{name}`): {info['formula']}. "
                  f"Citation: {info['citation']}")]
    command = cli_command(est, overrides)
    lines += ["", "## How to reproduce", "", "```", command, "```", "",
              f"impact {impact_version()}, data version {data_version()}.", "",
              "## Suggested citation", "",
              (f"impact contributors. *impact* {impact_version()} (data {data_version()}): "
              f"estimated economic cost of {_scenario_short(est)}. Reproduce with "
              f"`{command}`."), ""]
    return "\n".join(lines)
