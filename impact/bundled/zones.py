"""Time zones of countries and local wall-clock times (the tz database).

A country's zone is its only zone, else its capital's (`CAPITAL_ZONES`). Local times follow
one rule, the same in scenarios, batch, monitor and the app:

- a time with a UTC offset (``2024-02-08T07:00Z``, ``…+05:00``) is that instant: it is
  converted to the country's local wall clock for hour-of-day weighting;
- a time without an offset is the country's local wall clock;
- durations are elapsed hours, daylight saving included (London 00:30–02:30 on 31 March 2024
  is 1 hour);
- a local time that does not exist (the hour skipped when clocks go forward) is refused;
  a local time that happens twice (clocks go back) is its first occurrence.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from impact.bundled.countries import iso2_code
from impact.errors import InputError


@functools.cache
def _zone_table() -> dict[str, list[str]]:
    """ISO2 -> zone names, in the order of the tz database's ``zone.tab``."""
    from importlib import resources

    text = None
    try:
        text = (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        system = Path("/usr/share/zoneinfo/zone.tab")
        if system.is_file():
            text = system.read_text()
    out: dict[str, list[str]] = {}
    for line in (text or "").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            out.setdefault(parts[0], []).append(parts[2])
    return out


#: countries spanning several zones: the zone of the capital (the tz database lists zones
#: west to east or by its own order, not by population)
CAPITAL_ZONES = {
    "USA": "America/New_York", "RUS": "Europe/Moscow", "BRA": "America/Sao_Paulo",
    "CAN": "America/Toronto", "AUS": "Australia/Sydney", "IDN": "Asia/Jakarta",
    "MEX": "America/Mexico_City", "KAZ": "Asia/Almaty", "CHN": "Asia/Shanghai",
    "COD": "Africa/Kinshasa", "MNG": "Asia/Ulaanbaatar", "ARG": "America/Argentina/Buenos_Aires",
    "ESP": "Europe/Madrid", "PRT": "Europe/Lisbon", "ECU": "America/Guayaquil",
    "CHL": "America/Santiago", "UKR": "Europe/Kyiv", "UZB": "Asia/Tashkent",
    "MYS": "Asia/Kuala_Lumpur", "PNG": "Pacific/Port_Moresby", "NZL": "Pacific/Auckland",
    "KIR": "Pacific/Tarawa", "FSM": "Pacific/Pohnpei", "DEU": "Europe/Berlin",
    "CYP": "Asia/Nicosia", "PSE": "Asia/Gaza", "GRL": "America/Nuuk",
}


def country_timezone(iso3: str, override: str | None = None) -> ZoneInfo:
    """The country's time zone from the tz database: ``override`` when given, else its only
    zone, else its capital's (`CAPITAL_ZONES`), else the first zone listed."""
    if override:
        try:
            return ZoneInfo(override)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError("timezone", override, "a tz database zone name, e.g. "
                             "Asia/Karachi") from None

    zones = _zone_table().get(iso2_code(iso3) or "", [])
    name = CAPITAL_ZONES.get(iso3) if len(zones) != 1 else zones[0]
    name = name or (zones[0] if zones else None)
    if name is None:
        raise InputError("timezone", iso3, "a country listed in the tz database, or give "
                         "--timezone")
    return ZoneInfo(name)


@functools.cache
def zone_or_none(iso3: str) -> ZoneInfo | None:
    """The country's zone (`country_timezone`), or None when the tz database has none."""
    try:
        return country_timezone(iso3)
    except InputError:
        return None


def to_local(moment: datetime, zone: ZoneInfo | None) -> datetime:
    """``moment`` as naive local wall-clock time: a zoned moment converted to ``zone``; a
    naive one is already local (returned as is)."""
    if moment.tzinfo is None or zone is None:
        return moment.replace(tzinfo=None)
    return moment.astimezone(zone).replace(tzinfo=None)


def exists_locally(wall: datetime, zone: ZoneInfo | None) -> bool:
    """False when the naive local ``wall`` time falls in a gap of ``zone`` (skipped when the
    clocks went forward)."""
    if zone is None:
        return True
    there = wall.replace(tzinfo=zone)
    return there.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


def elapsed_hours(start: datetime, end: datetime, zone: ZoneInfo | None) -> float:
    """Hours elapsed from ``start`` to ``end`` [hours]: naive local wall-clock times are
    placed in ``zone`` (first occurrence when repeated), so daylight saving counts."""
    if start.tzinfo is not None and end.tzinfo is not None:
        return (end - start).total_seconds() / 3600
    if zone is None:
        return (end.replace(tzinfo=None) - start.replace(tzinfo=None)).total_seconds() / 3600
    a = start.replace(tzinfo=zone).astimezone(UTC)
    b = end.replace(tzinfo=zone).astimezone(UTC)
    return (b - a).total_seconds() / 3600
