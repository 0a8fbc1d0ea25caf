"""Importers of monitor files: each format's reader turns a file into a `Timeline`.

Every reader has one interface::

    read(source: str | Path | bytes, *, name: str | None = None,
         country: str | None = None, **options) -> Timeline

``source`` is a path or uploaded bytes, ``name`` the label errors use (default: the file
name, ``upload`` for bytes), ``country`` keeps only that country's rows (a file of
several countries; an entity with no country of its own, e.g. an ASN, takes it).
Options are per format (an unknown one is an error listing the accepted ones). Errors
are one-line `impact.errors.TimelineError`: the file, the record (JSON path such as
``data[0][1].until``, or ``line N``), the field, the value and what is accepted.

`FORMATS` maps format names to readers; `read_any` detects the format (`detect_format`).
Rules and documentation links: ``docs/monitor_formats.md``. Nothing here reaches the
network.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from impact.errors import TimelineError
from impact.monitor.importers import (
    accessnow,
    cloudflare_radar,
    ioda_outages,
    ioda_signals,
    ooni,
    timeline_csv,
)
from impact.monitor.importers._common import Source, load_text, parse_json
from impact.monitor.timeline import Timeline
from impact.workbook import is_workbook

Reader = Callable[..., Timeline]

_MODULES = (ioda_signals, ioda_outages, cloudflare_radar, ooni, accessnow, timeline_csv)
#: format name -> reader
FORMATS: dict[str, Reader] = {m.FORMAT: m.read for m in _MODULES}
#: format name -> one line saying what it is (for messages and the CLI)
DESCRIPTIONS = {
    "ioda_signals": "IODA API v2 raw signals JSON (/v2/signals/raw)",
    "ioda_outages": "IODA API v2 outage events or alerts JSON (/v2/outages/events, /alerts)",
    "cloudflare_radar": "Cloudflare Radar outage annotations JSON (/radar/annotations/outages)",
    "ooni": "OONI measurement aggregation JSON or CSV (/api/v1/aggregation)",
    "accessnow": "Access Now #KeepItOn STOP rows: the public workbook (.xlsx) or a CSV of a "
                 "sheet",
    "timeline": "our timeline CSV (start_utc, end_utc, country, ...)",
}
_JSON = (ioda_signals, ioda_outages, cloudflare_radar, ooni)
_CSV = (timeline_csv, accessnow, ooni)


def _accepted() -> str:
    return "one of: " + "; ".join(f"{k} ({v})" for k, v in DESCRIPTIONS.items())


def detect_format(source: Source, name: str | None = None) -> str:
    """The format name of ``source`` from its content (the extension only breaks ties).

    JSON (first character ``{`` or ``[``, or a ``.json`` name): ``result.annotations`` →
    cloudflare_radar; ``result`` rows with ``measurement_count`` → ooni; ``data`` series
    with ``values`` and ``step`` → ioda_signals; ``data`` records with ``time`` and
    ``level``, ``from``/``until``/``score`` or ``location``/``start``/``duration`` →
    ioda_outages. CSV: a header with ``start_utc`` and ``end_utc`` → timeline; with
    ``start_date`` and ``shutdown_extent`` or ``shutdown_type`` → accessnow; with
    ``measurement_count`` and ``anomaly_count`` → ooni (``format=CSV``). A workbook
    (.xlsx, .xls, .ods; `impact.workbook.is_workbook`) → accessnow, the one
    format published as a workbook. Anything else is an error listing the formats accepted.
    """
    if is_workbook(source, name):
        return accessnow.FORMAT
    text, label = load_text(source, name)
    return _detect(text, label)


def _detect(text: str, label: str) -> str:
    head = text.lstrip()[:1]
    if (head and head in "{[") or label.lower().endswith(".json"):
        doc = parse_json(text, label)
        for m in _JSON:
            if m.looks_like(doc):
                return m.FORMAT
        keys = ",".join(list(doc)[:6]) if isinstance(doc, dict) else type(doc).__name__
        raise TimelineError("format", f"JSON with {keys}", _accepted(), where=label)
    try:
        header = [h.strip().lower() for h in next(csv.reader(io.StringIO(text)), [])]
    except csv.Error:
        header = []
    for m in _CSV:
        if m.looks_like(header):
            return m.FORMAT
    shown = ",".join(header[:6]) or "empty"
    raise TimelineError("format", f"CSV header {shown}", _accepted(), where=label)


def read_any(source: Source, fmt: str = "auto", *, name: str | None = None,
             country: str | None = None, **options: Any) -> Timeline:
    """A `Timeline` from a monitor file in format ``fmt`` (a `FORMATS` name, or ``auto`` to
    detect it, `detect_format`)."""
    if fmt != "auto" and fmt not in FORMATS:
        raise TimelineError("format", fmt, "auto or " + _accepted())
    if fmt == "auto" and is_workbook(source, name):
        fmt = accessnow.FORMAT  # workbook options: sheet= (a name or all, the default)
    elif fmt == "auto":
        text, label = load_text(source, name)
        fmt = _detect(text, label)
        name = label
    return FORMATS[fmt](source, name=name, country=country, **options)


__all__ = ["DESCRIPTIONS", "FORMATS", "detect_format", "read_any"]
