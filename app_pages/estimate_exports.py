"""The Estimate and Batch pages' downloads: their formats, file names and contents, built
only when a download is clicked (`impact.report.writer.render`).

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


#: the Estimate page's downloads: (widget key, label, `impact.report.writer.render` format,
#: extension, MIME)
DOWNLOADS = (
    ("download_csv", "Download CSV", "csv", "csv", "text/csv"),
    ("download_assumptions_csv", "Download assumptions (CSV)", "assumptions_csv",
     "assumptions.csv", "text/csv"),
    ("download_json", "Download JSON", "json", "json", "application/json"),
    ("download_xlsx", "Download Excel", "xlsx", "xlsx", XLSX_MIME),
    ("download_report", "Download report (Markdown)", "markdown", "md", "text/markdown"),
    ("download_brief_pdf", "Download brief (PDF)", "brief_pdf", "pdf", "application/pdf"),
    ("download_brief_html", "Download brief (HTML)", "brief_html", "html", "text/html"),
)


#: the app's CSV downloads start with the UTF-8 byte-order mark, so Excel on Windows reads
#: "–" and "×" as written (the command line writes it with ``--bom``)
CSV_BOM = True


def export_file(fmt: str, obj: Any, errors: Sequence[Any] = ()) -> str | bytes:
    """``impact.report.writer.render(obj, fmt)``: the contents of a download, built when it is asked
    for (the pages pass ``functools.partial(export_file, fmt, est)`` as a deferred ``data=``),
    so the writer and the Excel engine are imported only then.

    The command line's exports go through the same `impact.report.writer.render`, so a download and
    ``impact estimate ... --format csv --bom`` (or ``--out``) of the same scenario are the same
    file; a CSV download starts with the byte-order mark (`CSV_BOM`). The CSV of a batch (the
    Batch page) is ``impact batch``'s full-precision table (``full_csv``), not the rounded CSV
    of one estimate; ``errors`` are a batch's row errors (its JSON and Excel list them, as
    ``impact batch`` does)."""
    from impact.estimation.results import Estimate
    from impact.report import writer

    if fmt == "csv" and not isinstance(obj, Estimate):
        fmt = "full_csv"
    bom = CSV_BOM and fmt in writer.CSV_FORMATS
    return writer.render(obj, fmt, errors=errors, bom=bom)


def file_stem(est: Any) -> str:
    """``impact_PAK_full_10h`` — a file name stem for downloads."""
    ctx = est.context
    return f"impact_{ctx.iso3}_{ctx.scope}_{ctx.hours:g}h"
