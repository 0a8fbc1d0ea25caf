"""The one writer of every export: a format by name (`render`) or by a path's extension
(`write_export`), to the exports of `impact.report.export` and the briefs of
`impact.report.brief`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from impact.bundled.io import write_atomic
from impact.errors import InputError
from impact.estimation.ensemble import ENSEMBLE
from impact.estimation.results import Estimate
from impact.report import export
from impact.report.export import Exportable

if TYPE_CHECKING:
    from impact.monitor.costing import MonitorResult

#: a table's files (events, summaries) and a brief's, by extension
FRAME_EXTENSIONS = {".csv": "csv", ".json": "json"}
BRIEF_EXTENSIONS = {".html": "html", ".pdf": "pdf"}


def format_of(path: str | Path, extensions: Mapping[str, str], field: str = "out") -> str:
    """The format of ``path`` by its extension among ``extensions`` (extension -> format),
    or `InputError` naming ``field`` and the accepted extensions."""
    fmt = extensions.get(Path(path).suffix.lower())
    if fmt is None:
        *first, last = extensions
        raise InputError(field, str(path), "a path ending in "
                         + (f"{', '.join(first)} or {last}" if first else last))
    return fmt


def export_format(path: str | Path) -> str:
    """Format name of an estimate's export for a path's extension (`export.EXTENSIONS`)."""
    return format_of(path, export.EXTENSIONS)


#: what `render` writes: the file formats (`export.EXTENSIONS`: ``csv`` is the CSV for
#: people, `export.to_csv`), the CSV of the assumptions that goes with it, the full-precision
#: CSV of ``impact batch`` (`export.full_csv`) and the one-page briefs
FORMATS = ("csv", "assumptions_csv", "full_csv", "json", "xlsx", "markdown", "brief_html",
           "brief_pdf")
#: the formats that are CSV text (``bom=True`` starts them with the UTF-8 byte-order mark)
CSV_FORMATS = ("csv", "assumptions_csv", "full_csv")


def assumptions_path(path: str | Path) -> Path:
    """Where a CSV export's assumptions are written beside it: ``out.csv`` ->
    ``out.assumptions.csv``.

    >>> assumptions_path("runs/pak.csv").as_posix()
    'runs/pak.assumptions.csv'
    """
    path = Path(path)
    return path.with_name(f"{path.stem}.assumptions{path.suffix}")


def render(obj: Exportable, fmt: str, *, overrides: Mapping[str, float] | None = None,
           errors: Sequence[Any] = (), bom: bool = False) -> str | bytes:
    """The export of ``obj`` in ``fmt`` (one of `FORMATS`; a brief is of one estimate);
    ``bom``: a CSV format starts with the UTF-8 byte-order mark (the app's downloads, for
    spreadsheets; the command line's ``--bom``).

    The one path of every export: the command line (``impact estimate --format``, ``--out``,
    `write_export`) and the app's downloads (`app_pages.viewmodel.export_file`) both call it,
    so the same estimate gives the same file. What differs is documented where it is made:
    the workbook's creation time (xlsxwriter's document properties) and a brief's "Produced"
    line are the moment of writing, and the command line ends its standard output with a
    newline (a JSON export has none of its own).
    """
    if fmt == "csv":
        return export.to_csv(obj, bom=bom)
    if fmt == "assumptions_csv":
        return export.assumptions_csv(obj, bom=bom)
    if fmt == "full_csv":
        return export.full_csv(obj, bom=bom)
    if fmt == "json":
        return export.to_json(obj, overrides=overrides, errors=errors)
    if fmt == "xlsx":
        return export.to_xlsx(obj, errors=errors)
    if fmt == "markdown":
        return export.report_markdown(obj, overrides=overrides)
    if fmt in ("brief_html", "brief_pdf"):
        items, batch = export.labelled_estimates(obj)
        if batch:
            raise InputError("format", fmt, "a brief of one estimate, not of a batch")
        brief = _briefs()
        est = items[0][1]
        return (brief.estimate_brief_html(est) if fmt == "brief_html"
                else brief.estimate_brief_pdf(est))
    raise InputError("format", fmt, ", ".join(FORMATS))


def write_export(obj: Exportable, path: str | Path, *,
                 overrides: Mapping[str, float] | None = None,
                 errors: Sequence[Any] = (), bom: bool = False) -> Path:
    """Write ``obj`` to ``path`` in the format of its extension (.csv .json .xlsx .md), whole
    or not at all (`impact.bundled.io.write_atomic`). A CSV's assumptions go beside it, to
    `assumptions_path` (``bom``: both CSV files start with the UTF-8 byte-order mark)."""
    path = Path(path)
    fmt = export_format(path)
    data = render(obj, fmt, overrides=overrides, errors=errors, bom=bom)
    if fmt == "csv":
        write_atomic(assumptions_path(path), render(obj, "assumptions_csv", bom=bom))
    return write_atomic(path, data)


def write_frame(frame: pl.DataFrame, path: str | Path) -> Path:
    """Write a table to ``path``: CSV (spreadsheet-safe cells, `export.safe_frame`) or JSON by
    its extension, whole or not at all."""
    fmt = format_of(path, FRAME_EXTENSIONS)
    data = export.safe_frame(frame).write_csv() if fmt == "csv" else frame.write_json()
    return write_atomic(path, data)


def write_brief(result: Estimate | MonitorResult, path: str | Path,
                method: str | None = None) -> Path:
    """Write the one-page brief of an estimate or of a monitored restriction (figures of
    ``method``, default the headline) to ``path``: HTML or PDF by its extension."""
    fmt = format_of(path, BRIEF_EXTENSIONS, "brief")
    brief = _briefs()
    if isinstance(result, Estimate):
        data = (brief.estimate_brief_pdf(result) if fmt == "pdf"
                else brief.estimate_brief_html(result))
    else:
        method = method or ENSEMBLE
        data = (brief.brief_pdf(result, method) if fmt == "pdf"
                else brief.brief_html(result, method))
    return write_atomic(path, data, field="brief")


def _briefs():
    """The briefs' module, loaded when a brief is written."""
    from impact.report import brief  # start-up: 40 ms of an estimate's 0.6 s, briefs only

    return brief
