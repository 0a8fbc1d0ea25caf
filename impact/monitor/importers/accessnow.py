"""Access Now #KeepItOn STOP data as published: the public workbook (one sheet a year, e.g.
'2022 Data', '2021 Data', '2020 Data') and CSV exports of its sheets.

Headers are matched case-, space- and underscore-insensitively through `HEADER_ALIASES`
(``Duration`` or ``duration``, trailing spaces, the 2019 sheet's ``shutdown_type_new`` and
"full or service-based"). Needed: ``start_date``, ``country`` and ``shutdown_type`` or
``shutdown_extent``. A workbook is read sheet by sheet (`impact.workbook.sheets`;
option ``sheet=`` a name or ``all``, the default); a record is ``sheet 'NAME' line N`` (the
header is line 1) or, in a CSV, ``line N`` (the line the record starts on).

Rules (the catalogue's, `impact.build.catalogue`, unless said otherwise):

- **Dates** (`parse_day`): ISO (``2022-01-05``), a workbook's date-time text
  (``2022-01-05 00:00:00``), an Excel serial day number (``44566``, CSV saved from Excel)
  or M/D/YYYY (Google Sheets' CSV download). Whole UTC days from ``start_date`` 00:00 to
  ``end_date`` 00:00, at least one day (an end on the start day is one day). The sheets'
  own ``duration`` is ``DAYS(end_date, start_date - 1)``, one day more than this for
  events over several days; the catalogue's reading is kept so an event costs the same
  here and in Past events.
- **No end date**: ``start + duration`` days when ``duration`` is a number >= 0; else the
  row is still on (``end_date`` blank or text such as "Ongoing ", status Ongoing or
  Unknown): its end is left open and `finish` costs it to ``until`` (``--until``, or
  ``now``) as ongoing. Status "Ended" with no end and no duration: the first day only
  (it ended, we do not know when; the catalogue's rule), with a note.
- **Refused records** (that record only, with its sheet and line): an end before the
  start; a negative ``duration`` beside an end date (the dates contradict each other; a
  negative duration with *no* end date is the sheets' formula over a blank cell and is
  ignored); a date or country that cannot be read.
- **Countries** by name (`impact.bundled.countries.resolve_country`) or ``iso3_helper`` when
  present; several ``;``-separated give one row each. "Somaliland" is read as Somalia
  (SOM), costed on its own regions (`SOMALILAND_REGIONS`) unless the area names one, with
  a note. A file of several countries needs ``country=`` (`finish` says so).
- **Scope**: ``platforms`` when the extent is service-based only (or a throttle aimed at
  named platforms), ``throttling`` when the type is throttle only (intensity
  `impact.model.scenario.DEFAULT_THROTTLING_INTENSITY`), ``mobile`` when only the mobile network
  is affected, else ``full``. Platforms: the ``*_affected`` Yes flags plus names in
  ``other_affected`` (`impact.catalogue.rules.rows.map_other_affected`). A service-based
  row naming no platform we cost (VPN, SMS, a local app) is skipped and counted in a note,
  not refused (``skip_unknown_platforms`` is accepted and no longer needed).
- **Areas** (`area_region`): the catalogue's matcher (`impact.bundled.areas`,
  `event_share`) gives the share of the country's people the area holds. Nationwide text:
  the whole country. A matched area is costed in its admin-1 region(s) (``region``) with
  ``affected_share`` = the matched share / the regions' share, so a district is its share
  of its state, not the whole state; an area qualified only by its region ("Sopore, Jammu
  and Kashmir") is the geo_scope category's share within that region. An area not found, or
  in a country without bundled admin-1 regions: the whole country at the catalogue's share
  (geo_scope category, ``GEO_SCOPE_SHARES``). A blank area is nationwide (where the public
  sheets leave it blank the catalogue's copy says "National") unless geo_scope says one
  city or one region (then the category share). Each case is counted in a note.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from impact.bundled.countries import resolve_country
from impact.catalogue.rules.places import area_region
from impact.catalogue.rules.rows import FLAG_COLUMNS, map_other_affected
from impact.errors import InputError, TimelineError
from impact.model.scenario import DEFAULT_THROTTLING_INTENSITY
from impact.monitor.importers._common import (
    Ctx,
    Source,
    check_options,
    finish,
    iso,
    load_text,
    wanted_country,
)
from impact.monitor.timeline import Timeline
from impact.vocab import PLATFORMS
from impact.workbook import is_workbook, sheets

FORMAT = "accessnow"
DOC_URL = "https://www.accessnow.org/campaign/keepiton/"
SOURCE = "Access Now, #KeepItOn STOP data"
OPTIONS = ("until", "sheet", "skip_unknown_platforms")

#: our name -> header spellings seen in the published sheets (compared by `header_key`)
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "start_date": ("start_date", "start date", "date"),
    "end_date": ("end_date", "end date"),
    "duration": ("duration", "duration (days)", "duration_days"),
    "country": ("country", "country name", "countries"),
    "iso3_helper": ("iso3_helper", "iso3"),
    "area_name": ("area_name", "area name", "area", "areas"),
    "geo_scope": ("geo_scope", "geographic scope"),
    "shutdown_type": ("shutdown_type", "shutdown_type_new", "shutdown type", "type"),
    "shutdown_extent": ("shutdown_extent", "full or service-based", "full or service based",
                        "extent"),
    "affected_network": ("affected_network", "affected network", "network"),
    "shutdown_status": ("shutdown_status", "status"),
    "other_affected": ("other_affected", "other affected"),
    **{c: (c,) for c in FLAG_COLUMNS},
}
REQUIRED = ("start_date", "country")
#: ``end_date`` text that means "not ended" (after `header_key`-style normalising)
STILL_ON_WORDS = frozenset({"", "ongoing", "on going", "still ongoing", "unknown", "present",
                            "n/a", "na", "none", "-", "?", "tbd", "not ended"})
EXCEL_EPOCH = date(1899, 12, 30)
DAY = timedelta(days=1)
DATES_ACCEPTED = ("a date such as 2022-01-05, 2022-01-05 00:00:00, 1/5/2022 (M/D/YYYY) or "
                  "an Excel day number such as 44566")

# ---- headers ------------------------------------------------------------------------------------
def header_key(text: Any) -> str:
    """A header compared without case, spaces, dots, dashes or underscores.

    >>> header_key(" Full or Service-based  "), header_key("Duration")
    ('full or service based', 'duration')
    """
    return re.sub(r"[\s_.\-]+", " ", str(text or "")).strip().lower()


_ALIAS_KEYS = {header_key(a): ours for ours, aliases in HEADER_ALIASES.items()
               for a in aliases}


def header_map(header: list[Any]) -> dict[str, int]:
    """Our column name -> position in ``header`` (the first spelling found wins)."""
    out: dict[str, int] = {}
    for i, h in enumerate(header):
        ours = _ALIAS_KEYS.get(header_key(h))
        if ours is not None and ours not in out:
            out[ours] = i
    return out


def looks_like(header: list[str]) -> bool:
    cols = header_map(header)
    return "start_date" in cols and ("shutdown_extent" in cols or "shutdown_type" in cols)


def _check_header(header: list[Any], where: str) -> dict[str, int]:
    cols = header_map(header)
    missing = [c for c in REQUIRED if c not in cols]
    if missing or not ("shutdown_type" in cols or "shutdown_extent" in cols):
        shown = ",".join(str(h).strip() for h in header if h is not None)[:120]
        raise TimelineError("header", shown, "the STOP columns start_date, country and "
                            "shutdown_type or shutdown_extent (any case; also "
                            "shutdown_type_new, 'full or service-based')", where=where)
    return cols


# ---- dates --------------------------------------------------------------------------------------
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")


def parse_day(text: str) -> date:
    """The day of a STOP date cell; `ValueError` when it is not one.

    >>> [parse_day(t) for t in ("2022-01-05", "2022-01-05 00:00:00", "1/5/2022", "44566")]
    [datetime.date(2022, 1, 5), datetime.date(2022, 1, 5), datetime.date(2022, 1, 5), \
datetime.date(2022, 1, 5)]
    """
    t = text.strip()
    if m := _ISO.fullmatch(t):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _MDY.fullmatch(t):
        return date(int(m[3]), int(m[1]), int(m[2]))
    if (m := _SERIAL.fullmatch(t)) and 10_000 <= int(m[1]) <= 80_000:
        return EXCEL_EPOCH + timedelta(days=int(m[1]))
    raise ValueError(t)


def _day(value: str, field: str, where: str) -> date:
    try:
        return parse_day(value)
    except ValueError:
        raise TimelineError(field, value, DATES_ACCEPTED, where=where) from None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def window(cell: dict[str, str], where: str, seen: Counter) -> tuple[datetime, datetime | None]:
    """(start, end) of a row [UTC]; end None when the row is still on (module docstring)."""
    raw_start = cell.get("start_date", "")
    if not raw_start:
        raise TimelineError("start_date", "", DATES_ACCEPTED, where=where)
    start = _day(raw_start, "start_date", where)
    raw_end = cell.get("end_date", "")
    days = _number(cell.get("duration", ""))
    if header_key(raw_end) not in STILL_ON_WORDS:
        end = _day(raw_end, "end_date", where)
        if end < start:
            raise TimelineError("end_date", raw_end, f"a date on or after start_date ({start})",
                                where=where)
        if days is not None and days < 0:
            raise TimelineError("duration", cell["duration"], f"a number of days >= 0 (the "
                                f"dates say {start} to {end})", where=where)
        return _utc(start), _utc(max(end, start + DAY))
    if days is not None and days >= 0:
        return _utc(start), _utc(start) + DAY * max(1, round(days))
    if days is not None:
        seen["negative duration without end"] += 1
    if header_key(cell.get("shutdown_status", "")) == "ended":
        seen["ended without end"] += 1
        return _utc(start), _utc(start) + DAY
    return _utc(start), None


# ---- countries, scope, area ---------------------------------------------------------------------
def countries(cell: dict[str, str], where: str) -> list[tuple[str, bool]]:
    """``(iso3, is_somaliland)`` of each country the row names."""
    text = cell.get("iso3_helper") or cell.get("country", "")
    out = []
    for name in (c.strip() for c in text.split(";")):
        if not name:
            continue
        if header_key(name) == "somaliland":
            out.append(("SOM", True))
            continue
        try:
            out.append((resolve_country(name), False))
        except InputError as exc:
            hint = exc.accepted.split("? ")[0] + "? " if "did you mean" in exc.accepted else ""
            raise TimelineError("country", name, f"{hint}a country name or ISO3 code",
                                where=where) from None
    if not out:
        raise TimelineError("country", text, "a country name or ISO3 code", where=where)
    return out


def scope_of(cell: dict[str, str]) -> tuple[str, list[str], float]:
    """(scope, platforms, intensity) of a row; scope ``skip`` for a service-based row naming
    no platform we cost."""
    platforms = [k for c, k in FLAG_COLUMNS.items() if header_key(cell.get(c)) == "yes"]
    platforms += [p for p in map_other_affected(cell.get("other_affected"))[0]
                  if p not in platforms]
    extent = header_key(cell.get("shutdown_extent"))
    stype = header_key(cell.get("shutdown_type"))
    net = header_key(cell.get("affected_network"))
    throttle_only = "throttl" in stype and "shutdown" not in stype
    service_only = "service" in extent and "full" not in extent
    both = "service" in extent and "full" in extent
    intensity = DEFAULT_THROTTLING_INTENSITY if throttle_only else 1.0
    if service_only or (both and throttle_only and platforms):
        return ("platforms" if platforms else "skip"), platforms, intensity
    if throttle_only:
        return "throttling", [], intensity
    if "mobile" in net and "broadband" not in net:
        return "mobile", [], intensity
    return "full", [], intensity


#: area case -> note (``{n}`` rows)
AREA_NOTES = {
    "below admin-1": "{n} rows name areas below admin-1 (districts, townships, cities): "
                     "costed in their region at the area's share of its people (the "
                     "catalogue's matched share)",
    "region only": "{n} rows name a place not found inside a region: costed in that region at "
                   "the geo_scope category's share (catalogue rule)",
    "not found": "{n} rows name an area not found among the country's regions: costed "
                 "nationwide at the geo_scope category's share (catalogue rule)",
    "no admin-1": "{n} rows are in a country without bundled admin-1 regions: costed "
                  "nationwide at the matched area's share",
    "blank": "{n} rows have a blank area_name: read as nationwide",
    "blank, local geo_scope": "{n} rows have a blank area_name and a local geo_scope: costed "
                              "nationwide at the geo_scope category's share",
}
OTHER_NOTES = {
    "skipped": "{n} service-based rows name no platform we cost (VPN, SMS, a local app…): "
               "skipped",
    "ended without end": "{n} rows say Ended with no end date or duration: their first day "
                         "costed (a lower bound; the catalogue's rule)",
    "negative duration without end": "{n} negative durations beside a blank end_date (the "
                                     "sheet's formula over an empty cell) ignored",
    "somaliland": "{n} Somaliland rows read as Somalia (SOM), in the regions Somaliland "
                  "administers unless the area names one",
}


# ---- reading ------------------------------------------------------------------------------------
def _records(source: Source, name: str | None, sheet: Any
             ) -> tuple[str, list[tuple[str, str, dict[str, int], list[Any]]]]:
    """(label, [(path, where of the header, columns, cells)]) of a workbook or a CSV."""
    if is_workbook(source, name):
        tables = sheets(source, None if sheet in (None, "") else str(sheet), name)
        label = name or ("upload" if isinstance(source, bytes) else Path(source).name)
        out = []
        for sheet_name, frame in tables:
            cols = _check_header(frame.columns, f"{label} sheet '{sheet_name}' line 1")
            for i, cells in enumerate(frame.iter_rows()):
                out.append((f"sheet '{sheet_name}' line {i + 2}", cols, list(cells)))
        return label, out
    text, label = load_text(source, name)
    if sheet not in (None, "", "all"):
        raise TimelineError("sheet", sheet, "a workbook (.xlsx, .xls, .ods); this file is "
                            "CSV text: leave sheet out", where=label)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    cols = _check_header(header, f"{label} line 1")
    out = []
    line = reader.line_num + 1
    for cells in reader:
        out.append((f"line {line}", cols, cells))
        line = reader.line_num + 1
    return label, out


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Rows of Access Now STOP data: a workbook (every sheet, or ``sheet=``) or a CSV export
    (module docstring for the rules)."""
    check_options(options, OPTIONS, FORMAT)
    label, records = _records(source, name, options.get("sheet"))
    ctx = Ctx(label)
    want = wanted_country(country)
    seen: Counter = Counter()
    rows: list[tuple[str, dict]] = []
    for path, cols, cells in records:
        cell = {k: str(cells[i] if i < len(cells) and cells[i] is not None else "").strip()
                for k, i in cols.items()}
        if not any(cell.values()):
            continue
        with ctx.record(path, rows):
            _read_row(cell, ctx.where(path), path, want, rows, seen)
    for key, n in seen.items():
        template = AREA_NOTES.get(key) or OTHER_NOTES.get(key)
        if template:
            ctx.note(template.format(n=f"{n:,}"))
    if seen["skipped"] and not ctx.refused and not any("start_utc" in r for _, r in rows):
        raise TimelineError("shutdown_extent", "Service-based", "a row naming a platform we "
                            f"cost ({', '.join(PLATFORMS)}): the {seen['skipped']:,} "
                            "service-based rows name none", where=label)
    return finish(rows, ctx, country, options.get("until"))


def _read_row(cell: dict[str, str], where: str, path: str, want: str | None,
              rows: list[tuple[str, dict]], seen: Counter) -> None:
    """Append the rows of one STOP record (one per country) to ``rows``."""
    try:
        places = countries(cell, where)
    except TimelineError:
        if want is None:
            raise
        rows.append((path, {"country": cell.get("country")}))  # not the asked country
        return
    mine = [(c, s) for c, s in places if want is None or c == want]
    rows.extend((path, {"country": c}) for c, _ in places if want is not None and c != want)
    if not mine:
        return  # another country's record: counted by `finish`, never refused
    start, end = window(cell, where, seen)
    scope, platforms, intensity = scope_of(cell)
    if scope == "skip":
        seen["skipped"] += 1
        return
    for iso3, somaliland in mine:
        region, share, case = area_region(iso3, cell.get("area_name", ""),
                                          cell.get("geo_scope", ""), start.year,
                                          somaliland=somaliland)
        seen[case] += 1
        if somaliland:
            seen["somaliland"] += 1
        rows.append((path, {
            "start_utc": iso(start), "end_utc": iso(end) if end else None, "country": iso3,
            "region": region, "affected_share": share, "scope": scope,
            "platforms": ";".join(platforms) if scope == "platforms" else None,
            "intensity": intensity, "source": SOURCE}))
