"""Spreadsheet workbooks (.xlsx, .xls, .ods) as text tables, one per sheet.

Every cell is read as text (`fastexcel`, the Rust calamine reader): dates stored as Excel
dates come out as ISO text (``2022-01-05 00:00:00``), numbers as their shortest text, empty
cells as None. Nothing is evaluated: formulas give their cached values.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from impact.errors import TimelineError

#: the first bytes of the workbook formats read here (xlsx/ods are zip files, xls is OLE2)
MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def is_workbook(source: str | Path | bytes, name: str | None = None) -> bool:
    """True when ``source`` (path or bytes) starts like a workbook, or is named like one."""
    if isinstance(source, bytes):
        head = source[:4]
    else:
        path = Path(source)
        try:
            with path.open("rb") as fh:
                head = fh.read(4)
        except OSError:
            return Path(name or path.name).suffix.lower() in SUFFIXES
    return head in MAGIC or Path(name or "").suffix.lower() in SUFFIXES


def sheets(source: str | Path | bytes, sheet: str | None = None,
           name: str | None = None) -> list[tuple[str, pl.DataFrame]]:
    """``(sheet name, table of text cells)`` of every sheet, or of ``sheet`` only (``all`` or
    None: every sheet). A file that is not a workbook or a sheet it does not have is a
    `TimelineError` naming the file and the sheets it has."""
    import fastexcel

    label = name or ("upload" if isinstance(source, bytes) else Path(source).name)
    data = source if isinstance(source, bytes) else _read_bytes(Path(source))
    try:
        book = fastexcel.read_excel(data)
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:  # a broken file
        raise TimelineError("file", label, f"a readable .xlsx, .xls or .ods workbook "
                            f"({type(exc).__name__})") from None
    names = list(book.sheet_names)
    wanted = names if sheet in (None, "", "all") else [sheet]
    if sheet not in (None, "", "all") and sheet not in names:
        close = [n for n in names if n.strip().lower() == str(sheet).strip().lower()]
        if not close:
            raise TimelineError("sheet", sheet, "one of the workbook's sheets: "
                                + ", ".join(names) + ", or all", where=label)
        wanted = close
    out = []
    for sheet_name in wanted:
        try:
            frame = book.load_sheet(sheet_name, dtypes="string").to_polars()
        except (fastexcel.FastExcelError, ValueError) as exc:  # an empty or broken sheet
            raise TimelineError("sheet", sheet_name, f"a sheet with a header row "
                                f"({type(exc).__name__})", where=label) from None
        out.append((sheet_name, frame))
    return out


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TimelineError("file", str(path), "an existing file") from None
    except IsADirectoryError:
        raise TimelineError("file", str(path), "a file, not a folder") from None
