"""Access Now #KeepItOn STOP rows (the CSV columns of ``accessnow_keepiton_stop_*.csv``).

Columns read: ``start_date``, ``end_date``, ``duration`` [days], ``country`` /
``iso3_helper``, ``area_name``, ``shutdown_type``, ``shutdown_extent``,
``affected_network``, ``facebook/twitter/whatsapp/instagram/telegram_affected``,
``other_affected`` (platform names read by `impact.build.catalogue.map_other_affected`).

Rules, as in the catalogue (`impact.build.catalogue`): dates are whole UTC days from
``start_date`` 00:00 to ``end_date`` 00:00, at least one day (an end on the start day is
one day); no end date: ``start + duration`` days, else ``until=``, else the first day only
(how the catalogue costs open-ended events). Scope: ``platforms`` when the extent is
service-based only (or a throttle aimed at named platforms), ``throttling`` when the type
is throttle only, ``mobile`` when only the mobile network is affected, else ``full``.
Intensity 1, throttles `impact.scenario.DEFAULT_THROTTLING_INTENSITY` (0.5). Region =
``area_name`` unless it says nationwide. A service-based row naming no platform we cost
is an error (``skip_unknown_platforms=True`` drops it).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from impact.importers._common import (
    DAY,
    Ctx,
    Source,
    check_options,
    finish,
    iso,
    load_text,
)
from impact.scenario import DEFAULT_THROTTLING_INTENSITY
from impact.timeline import Timeline, TimelineError

FORMAT = "accessnow"
DOC_URL = "https://www.accessnow.org/campaign/keepiton/"
REQUIRED = ("start_date", "country", "shutdown_type", "shutdown_extent")
FLAGS = {"facebook_affected": "facebook", "twitter_affected": "x",
         "whatsapp_affected": "whatsapp", "instagram_affected": "instagram",
         "telegram_affected": "telegram"}
#: the catalogue's nationwide pattern on ``area_name``
NATIONWIDE = re.compile(r"(?i)\b(nation\s*-?\s*wide|national|whole\s+(of\s+the\s+)?country|"
                        r"country\s*-?\s*wide|entire\s+country)\b")
OPTIONS = ("until", "skip_unknown_platforms")


def looks_like(header: list[str]) -> bool:
    return "start_date" in header and ("shutdown_extent" in header or "shutdown_type" in header)


def _date(value: str, line: str, field: str, ctx: Ctx) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise TimelineError(field, value, "a date such as 2024-02-08",
                            where=ctx.where(line)) from None


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Rows of an Access Now STOP CSV (module docstring for the rules)."""
    from impact.build.catalogue import map_other_affected  # plain regex code

    check_options(options, OPTIONS, FORMAT)
    skip = bool(options.get("skip_unknown_platforms", False))
    text, label = load_text(source, name)
    ctx = Ctx(label)
    until = ctx.time(options["until"], "", "until") if options.get("until") else None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise TimelineError("header", ",".join(header)[:120], "the STOP columns "
                            + ", ".join(REQUIRED), where=ctx.where("line 1"))
    reader.fieldnames = header
    rows: list[tuple[str, dict]] = []
    for raw in reader:
        line = f"line {reader.line_num}"
        cell = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(cell.values()):
            continue
        if not cell["start_date"]:
            raise TimelineError("start_date", "", "a date such as 2024-02-08",
                                where=ctx.where(line))
        start = _date(cell["start_date"], line, "start_date", ctx)
        if cell.get("end_date"):
            end = _date(cell["end_date"], line, "end_date", ctx)
            if end < start:
                raise TimelineError("end_date", cell["end_date"],
                                    f"a date on or after start_date ({start})",
                                    where=ctx.where(line))
            end = max(end, start + timedelta(days=1))
            t_end = datetime(end.year, end.month, end.day, tzinfo=UTC)
        else:
            try:
                days = float(cell.get("duration") or "")
            except ValueError:
                days = -1.0
            t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
            if days >= 0:
                t_end = t0 + DAY * max(1, round(days))
            elif until is not None:
                t_end = until
            else:
                t_end = t0 + DAY
        t_start = datetime(start.year, start.month, start.day, tzinfo=UTC)
        codes = cell.get("iso3_helper") or cell["country"]
        countries = [ctx.country(c.strip(), line, "country") for c in codes.split(";")
                     if c.strip()]
        if not countries:
            raise TimelineError("country", cell["country"], "a country name or ISO3 code",
                                where=ctx.where(line))
        platforms = [k for c, k in FLAGS.items() if cell.get(c) == "Yes"]
        platforms += [p for p in map_other_affected(cell.get("other_affected"))[0]
                      if p not in platforms]
        extent, stype = cell["shutdown_extent"], cell["shutdown_type"]
        net = cell.get("affected_network") or "Unknown"
        mobile, fixed = "Mobile" in net, "Broadband" in net
        throttle_only = stype == "Throttle"
        service = extent == "Service-based" or (
            extent == "Full network, Service-based" and throttle_only and platforms)
        if service:
            if not platforms:
                if skip:
                    continue
                raise TimelineError("shutdown_extent", extent, "a service-based row naming a "
                                    "platform we cost (x, facebook, instagram, whatsapp, "
                                    "youtube, tiktok, telegram, signal); or "
                                    "skip_unknown_platforms=True", where=ctx.where(line))
            scope = "platforms"
        elif throttle_only:
            scope = "throttling"
        elif mobile and not fixed:
            scope = "mobile"
        else:
            scope = "full"
        area = cell.get("area_name") or ""
        region = None if (not area or NATIONWIDE.search(area)) else re.sub(r"\s+", " ", area)
        intensity = DEFAULT_THROTTLING_INTENSITY if throttle_only else 1.0
        for iso3 in countries:
            rows.append((line, {"start_utc": iso(t_start), "end_utc": iso(t_end),
                                "country": iso3, "region": region, "scope": scope,
                                "platforms": ";".join(platforms) if scope == "platforms"
                                else None, "intensity": intensity,
                                "source": "Access Now, #KeepItOn STOP data"}))
    return finish(rows, ctx, country)
