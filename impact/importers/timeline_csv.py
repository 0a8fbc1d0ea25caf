"""Our own timeline CSV (`impact.timeline.TIMELINE_COLUMNS`): `read_timeline_csv`."""

from __future__ import annotations

from typing import Any

from impact.importers._common import Source, check_options, wanted_country
from impact.timeline import Timeline, TimelineError, read_timeline_csv

FORMAT = "timeline"
DOC_URL = "docs/monitor.md"


def looks_like(header: list[str]) -> bool:
    return "start_utc" in header and "end_utc" in header


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """`read_timeline_csv`; with ``country`` the file's country must be that one."""
    check_options(options, (), FORMAT)
    timeline = read_timeline_csv(source, name)
    want = wanted_country(country)
    if want is not None and timeline.iso3 != want:
        raise TimelineError("country", timeline.iso3, f"{want}, the country asked for",
                            where=timeline.name)
    return timeline
