"""What data an estimate uses, and how old each source is (`impact data status`).

Pure over the tables in use: `status(today)` gives the data folder in use (the bundled
``data/``, a refreshed version in the user-level store, or ``$IMPACT_DATA_DIR``), the data
version, each source's vintage and its age in days on ``today`` (``vintages.csv``; vintages
that are not dates — "fitted at build time", "hand-curated" — have no age), the latest year
of each indicator and the number of countries that have it, the catalogue's last event
start, the versions in the store and what the refresh that made the version in use changed.
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass
from datetime import date

import polars as pl

from impact import format as fmt
from impact.bundled import datastore
from impact.bundled.datacheck import DATA_ENV
from impact.bundled.io import bundled_dir, bundled_version, data_dir, data_version, read_bundled

_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass(frozen=True)
class DataStatus:
    """The data in use: where, which version, and how old each part is."""

    folder: str
    bundled: bool  #: True when the bundled data is in use
    kind: str  #: ``bundled``, ``store`` (a refreshed version) or ``IMPACT_DATA_DIR``
    store: str  #: the user-level data folder (`impact.bundled.datastore.home`)
    stored: tuple[datastore.StoredVersion, ...]
    refresh: dict  #: what the refresh that wrote the version in use recorded (else empty)
    bundled_version: str  #: the version of the data shipped with the package
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
    folder = data_dir()
    kind = ("IMPACT_DATA_DIR" if os.environ.get(DATA_ENV, "").strip() else
            "bundled" if folder == bundled_dir() else "store")
    return DataStatus(folder=str(folder), bundled=kind == "bundled", kind=kind,
                      store=str(datastore.home()),
                      stored=tuple(datastore.stored_versions()),
                      refresh=datastore.refresh_record(folder),
                      bundled_version=bundled_version(),
                      version=data_version(), sources=sources,
                      indicators=indicators,
                      last_event=last)


def status_text(st: DataStatus, today: date | None = None) -> str:
    """`status` as lines for a terminal."""
    today = today or date.today()
    where = {"bundled": "the bundled data", "store": "refreshed, from the user-level data "
             "folder", "IMPACT_DATA_DIR": "set by IMPACT_DATA_DIR"}[st.kind]
    lines = [f"data {st.version} in {st.folder} ({where}); today {today.isoformat()}"]
    if st.refresh:
        lines.append(f"refreshed {st.refresh.get('refreshed')} from data "
                     f"{st.refresh.get('based_on')}")
    if st.kind == "store" and st.refresh.get("bundled") not in (None, st.bundled_version):
        lines.append(f"note: the bundled data is now {st.bundled_version} (the package was "
                     "updated after this refresh): refresh again, or `impact data use "
                     "bundled`")
    lines += ["", "sources (vintage, age):"]
    for r in st.sources.iter_rows(named=True):
        age = f"{fmt.count(r['age_days'])} days old" if r["age_days"] is not None else "—"
        pubs, vins = textwrap.wrap(r["publisher"], 34) or [""], textwrap.wrap(r["vintage"], 24)
        for k in range(max(len(pubs), len(vins), 1)):  # wrapped, never cut
            cells = [r["table"] if k == 0 else "", pubs[k] if k < len(pubs) else "",
                     vins[k] if k < len(vins) else "", age if k == 0 else ""]
            lines.append(f"  {cells[0]:<22} {cells[1]:<34} {cells[2]:<24} {cells[3]}".rstrip())
    lines += ["", "indicators (latest year, countries with it):"]
    for r in st.indicators.iter_rows(named=True):
        lines.append(f"  {r['indicator']:<32} {r['latest_year']}  {r['countries']}")
    if st.last_event is not None:
        lines += ["", f"event catalogue: last event starts {st.last_event.isoformat()}"]
    if st.refresh.get("changes"):
        lines += ["", "what the refresh that made this version changed:"]
        lines += ["  " + line for line in changes_lines(st.refresh["changes"])]
    lines += ["", f"user-level data folder: {st.store} (set IMPACT_DATA_HOME to move it)"]
    if st.stored:
        lines += [f"  {v.name}  refreshed {v.refreshed or '?'} from {v.based_on or '?'}"
                  + ("  (in use)" if v.in_use and st.kind == "store" else "")
                  for v in st.stored]
    else:
        lines.append("  no refreshed versions")
    lines += ["", ("`impact data refresh` fetches newer data; `impact data status --online` "
              "shows what it would change; `impact data use bundled` goes back to the "
              "bundled data")]
    return "\n".join(lines)


def changes_lines(changes: dict) -> list[str]:
    """A refresh's ``changes`` (`impact.build.refresh`) as lines for a reader: each
    indicator that changed, one line for those that did not, the countries with new GDP
    years and the events added."""
    lines = []
    ind = changes.get("indicators")
    if ind is not None:
        moved = [r for r in ind if r["rows_added"] or r["rows_changed"] or r["rows_removed"]]
        lines.append(f"indicators: {len(moved)} of {len(ind)} changed"
                     + (" (latest year before -> after; years added; rows added, revised, "
                        "removed):" if moved else ""))
        for r in moved:
            added = ", ".join(str(y) for y in r["years_added"]) or "none"
            lines.append(f"  {r['indicator']:<30} {r['latest_year_before']} -> "
                         f"{r['latest_year_after']}; years added {added}; rows "
                         f"+{r['rows_added']}, ~{r['rows_changed']}, -{r['rows_removed']}")
        same = [r["indicator"] for r in ind if r not in moved]
        if same and moved:
            lines.append(f"  unchanged: {', '.join(same)}")
        gdp = changes.get("countries_with_new_gdp", [])
        lines.append(f"countries with new GDP years: {len(gdp)}"
                     + (f" ({' '.join(gdp[:30])}{' …' if len(gdp) > 30 else ''})" if gdp
                        else ""))
    ev = changes.get("events")
    if ev:
        lines.append(f"events: {ev['events_before']} -> {ev['events_after']} ({ev['added']} "
                     f"new, {ev['removed']} no longer listed); last start "
                     f"{ev['last_start_before']} -> {ev['last_start_after']}")
    return lines
