"""Our own timeline CSV (`impact.monitor.timeline.TIMELINE_COLUMNS`; ``start_utc, end_utc, country``
required). A blank ``end_utc`` is a row still on, costed to ``until``; a bad row is refused
and reported, the good rows are kept (`impact.monitor.importers._common.finish`)."""

from __future__ import annotations

import csv
import difflib
import io
from typing import Any

from impact.errors import TimelineError
from impact.monitor.importers._common import Ctx, Source, check_options, finish, load_text
from impact.monitor.timeline import REQUIRED_COLUMNS, Timeline

FORMAT = "timeline"
DOC_URL = "docs/monitor.md"


def looks_like(header: list[str]) -> bool:
    return "start_utc" in header and "end_utc" in header


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Rows of our timeline CSV; with ``country`` only that country's rows."""
    check_options(options, (), FORMAT)
    text, label = load_text(source, name)
    ctx = Ctx(label)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise TimelineError("header", "", "a header line with " + ", ".join(REQUIRED_COLUMNS),
                            where=label) from None
    except csv.Error as exc:
        raise TimelineError("header", str(exc), "a CSV header line", where=label) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        close = difflib.get_close_matches(missing[0], header, n=1)
        hint = f" (found {close[0]!r})" if close else ""
        raise TimelineError("header", ",".join(header),
                            f"columns {', '.join(REQUIRED_COLUMNS)}{hint}", where=label)
    rows: list[tuple[str, dict]] = []
    line_no = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line_no += 1
            ctx.records += 1
            ctx.refuse(TimelineError("row", str(exc)[:80], "a CSV row (cells of at most "
                                     f"{csv.field_size_limit():,} characters)",
                                     where=f"{label} line {line_no}"))
            continue
        line_no = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        path = f"line {line_no}"
        with ctx.record(path, rows):
            if len(cells) != len(header):
                raise ctx.fail(path, "row", f"{len(cells)} cells",
                               f"{len(header)} cells, as in the header")
            rows.append((path, {h: (c.strip() or None)
                                for h, c in zip(header, cells, strict=True) if h}))
    return finish(rows, ctx, country, options.get("until"))


#: the reader under its old name (our CSV as a `Timeline`)
read_timeline_csv = read
