"""What data an estimate uses, and how old each source is (`impact data status`).

Pure over the bundled tables: `status(today)` gives the data folder in use (the bundled
``data/`` or ``$IMPACT_DATA_DIR``), the data version, each source's vintage and its age in
days on ``today`` (``data/vintages.csv``; vintages that are not dates — "fitted at build
time", "hand-curated" — have no age), the latest year of each indicator and the number of
countries that have it, and the catalogue's last event start.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date

import polars as pl

from impact.io import data_dir, data_version, read_bundled

_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass(frozen=True)
class DataStatus:
    """The data in use: where, which version, and how old each part is."""

    folder: str
    bundled: bool  #: False when ``$IMPACT_DATA_DIR`` points elsewhere
    version: str
    sources: pl.DataFrame  #: table, publisher, source, vintage, age_days
    indicators: pl.DataFrame  #: indicator, latest_year, countries
    last_event: date | None


def vintage_date(text: str | None) -> date | None:
    """The date a vintage text names (``2026-07-13``, ``accessed 2026-05-20``, ``2025-12`` as
    its first day), or None when it names none.

    >>> vintage_date("accessed 2026-05-20"), vintage_date("2025-12"), vintage_date("fitted")
    (datetime.date(2026, 5, 20), datetime.date(2025, 12, 1), None)
    """
    m = _DATE.search(text or "")
    if not m:
        return None
    return date(int(m[1]), int(m[2]), int(m[3] or 1))


def status(today: date | None = None) -> DataStatus:
    """The data in use on ``today`` (default: the machine's date)."""
    today = today or date.today()
    vint = read_bundled("vintages")
    dates = [vintage_date(v) for v in vint["vintage"].to_list()]
    sources = vint.select("table", "publisher", "source", "vintage").with_columns(
        pl.Series("age_days", [(today - d).days if d else None for d in dates],
                  dtype=pl.Int64))
    ind = read_bundled("indicators")
    latest = ind.group_by("indicator").agg(pl.col("year").max().alias("latest_year"))
    indicators = (ind.join(latest, on="indicator")
                  .filter(pl.col("year") == pl.col("latest_year"))
                  .group_by("indicator", "latest_year")
                  .agg(pl.col("iso3").n_unique().cast(pl.Int64).alias("countries"))
                  .sort("indicator"))
    events = read_bundled("events")
    last = events["start"].max() if "start" in events.columns and events.height else None
    if isinstance(last, str):
        last = date.fromisoformat(last[:10])
    return DataStatus(folder=str(data_dir()), bundled=not os.environ.get("IMPACT_DATA_DIR"),
                      version=data_version(), sources=sources,
                      indicators=indicators,
                      last_event=last)


def status_text(st: DataStatus, today: date | None = None) -> str:
    """`status` as lines for a terminal."""
    from impact import format as fmt

    today = today or date.today()
    where = "bundled data" if st.bundled else "IMPACT_DATA_DIR"
    lines = [f"data {st.version} in {st.folder} ({where}); today {today.isoformat()}",
             "", "sources (vintage, age):"]
    for r in st.sources.iter_rows(named=True):
        age = f"{fmt.count(r['age_days'])} days old" if r["age_days"] is not None else "—"
        lines.append(f"  {r['table']:<22} {r['publisher'][:34]:<34} {r['vintage'][:24]:<24} "
                     f"{age}")
    lines += ["", "indicators (latest year, countries with it):"]
    for r in st.indicators.iter_rows(named=True):
        lines.append(f"  {r['indicator']:<32} {r['latest_year']}  {r['countries']}")
    if st.last_event is not None:
        lines += ["", f"event catalogue: last event starts {st.last_event.isoformat()}"]
    return "\n".join(lines)
