"""Reading the Monitor page's timeline file (any format the importers read, else our CSV),
what the reader reported, and costing it (`impact.monitor.costing.monitor`).

Nothing here imports streamlit, so every function can be tested on its own (the page caches
`run_monitor` by the file's bytes and the choices).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app_pages.monitor_choices import Options


def load_timeline(data: bytes, name: str, options: Options = ()) -> Any:
    """The `impact.monitor.timeline.Timeline` of an uploaded, fetched or watched file, read with
    ``options`` (``(name, value)`` pairs passed to the reader: country, until, datasource,
    platform, sheet, causes; see `read_options`).

    `impact.monitor.importers.read_any`: IODA, Cloudflare Radar, OONI, Access Now and our CSV,
    detected from the content. A bad file raises `impact.errors.TimelineError`, one line
    naming the file, line and field.

    >>> csv = b"start_utc,end_utc,country\\n2024-02-08T03:00Z,2024-02-08T05:00Z,PAK\\n"
    >>> load_timeline(csv, "t.csv").iso3
    'PAK'
    >>> load_timeline(b"start_utc,end_utc,country\\nyesterday,,PAK\\n", "bad.csv")
    Traceback (most recent call last):
    ...
    impact.errors.TimelineError: bad.csv line 2: start_utc: 'yesterday' is not accepted; an ISO date-time in UTC, e.g. 2024-02-08T02:00Z or 2024-02-08 02:00 (0 of 1 records kept)
    """
    from impact.monitor.importers import read_any

    return read_any(data, name=name, **dict(options))


def file_format(data: bytes, name: str) -> str | None:
    """The format `impact.monitor.importers.read_any` detects in the file (None: not recognised, the
    error is shown when it is read).

    >>> file_format(b"start_utc,end_utc,country\\n", "t.csv")
    'timeline'
    """
    from impact.errors import TimelineError
    from impact.monitor.importers import detect_format

    try:
        return detect_format(data, name)
    except (TimelineError, ValueError):
        return None


def format_options(fmt: str | None) -> tuple[str, ...]:
    """The options the reader of format ``fmt`` takes (its module's ``OPTIONS``).

    >>> "datasource" in format_options("ioda_signals"), format_options(None)
    (True, ())
    """
    import sys

    from impact.monitor.importers import FORMATS

    reader = FORMATS.get(fmt or "")
    if reader is None:
        return ()
    return tuple(getattr(sys.modules[reader.__module__], "OPTIONS", ()))


def sheet_names(data: bytes, name: str) -> tuple[str, ...]:
    """The sheets of a workbook (empty: not a workbook, or one that cannot be opened)."""
    from impact import workbook

    if not workbook.is_workbook(data, name):
        return ()
    import fastexcel

    try:
        return tuple(fastexcel.read_excel(data).sheet_names)
    except (fastexcel.FastExcelError, OSError, ValueError):  # broken: reading it says why
        return ()


def read_options(choices: dict[str, Any], accepted: tuple[str, ...], *,
                 workbook: bool = False) -> Options:
    """``(name, value)`` pairs for the reader from the page's choices: country and until
    always (when set), the others only when the file's format takes them (``sheet`` for a
    workbook); empty values are left out (the reader's default).

    >>> read_options({"country": "PAK", "datasource": "bgp", "platform": "x"},
    ...              ("datasource", "until"))
    (('country', 'PAK'), ('datasource', 'bgp'))
    >>> read_options({"sheet": "2024", "until": "now"}, (), workbook=True)
    (('sheet', '2024'), ('until', 'now'))
    """
    out = []
    for key, value in sorted(choices.items()):
        text = str(value).strip() if value is not None else ""
        if not text or (key == "sheet" and text == "all"):
            continue
        if key in ("country", "until") or key in accepted or (key == "sheet" and workbook):
            out.append((key, text))
    return tuple(out)


@dataclass(frozen=True)
class ReadReport:
    """What the reader did with the file, display-ready (`impact.monitor.timeline.ImportReport`)."""

    summary: str  #: ``read 12 records: kept 10 rows, refused 2; 1 still on, …``
    refused: tuple[str, ...]  #: one line per refused record (user text: shown as plain text)
    notes: tuple[str, ...]
    ongoing: int  #: rows still on, costed to the cut
    needs_until: bool  #: some row was refused for having no end (choose until)


def read_report(timeline: Any) -> ReadReport | None:
    """The `ReadReport` of a timeline (None: the reader kept no report)."""
    report = getattr(timeline, "report", None)
    if report is None:
        return None
    refused = tuple(report.refused)
    return ReadReport(summary=report.summary(), refused=refused, notes=tuple(report.notes),
                      ongoing=report.ongoing,
                      needs_until=any("still on" in line for line in refused))


def run_monitor(data: bytes, name: str, until: str | None, project: str, draws: int,
                options: Options = ()) -> Any:
    """`impact.monitor.costing.monitor` of a file's bytes read with ``options`` (every method, so
    choosing another one only changes the view); ``until`` is also the reader's, so rows
    still on are costed to it."""
    from impact.monitor.costing import monitor

    if until is not None:
        options = tuple(sorted({**dict(options), "until": until}.items()))
    return monitor(load_timeline(data, name, options), until=until, project=project,
                   draws=draws)
