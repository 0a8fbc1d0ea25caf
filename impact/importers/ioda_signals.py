"""IODA API v2 raw signals (``/v2/signals/raw/{entityType}/{entityCode}``) as a timeline.

The envelope's ``data`` is a list (one item per entity) of lists of series objects:
``entityType, entityCode, entityName, entityFqid, datasource, from, until, step, values``
(``values[i]`` is the signal at ``from + i × step``, epoch seconds; null = no data).

Intensity rule (`docs/monitor_formats.md`):

1. Each series is averaged into UTC clock hours (nulls ignored; an hour with no value is
   unknown, never restricted).
2. **Baseline** per entity and datasource: the median hourly value over the
   ``baseline_days`` (7) days before the first drop, where the first drop is the first hour
   below ``(1 - threshold)`` × the median of the whole file; when fewer than
   ``min_baseline_hours`` (6) hours precede it, the median of the whole file is used.
   ``baseline={datasource: value}`` (or one number) overrides it.
3. **Drop** of an hour = ``1 - value / baseline`` clipped to 0–1; the hour is restricted
   when the drop ≥ ``threshold`` (0.1: below that, the signals' ordinary hour-to-hour
   noise). The drop is rounded to 0.01 and consecutive hours with the same drop merge.
4. **Which signal**: active probing (``ping-slash24``) when the entity has it, else BGP
   (``bgp``), else the telescope (``merit-nt``); ``datasource=`` forces one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from impact.importers._common import (
    HOUR,
    Ctx,
    Source,
    check_options,
    clip01,
    finish,
    iso,
    load_text,
    median,
    parse_json,
    utc_hour,
)
from impact.timeline import Timeline, TimelineError

FORMAT = "ioda_signals"
DOC_URL = "https://api.ioda.inetintel.cc.gatech.edu/v2/"
#: preference order of the signal that sets the intensity
PREFERENCE = ("ping-slash24", "bgp", "merit-nt")
THRESHOLD = 0.1
BASELINE_DAYS = 7
MIN_BASELINE_HOURS = 6
OPTIONS = ("threshold", "baseline_days", "min_baseline_hours", "datasource", "baseline")


def looks_like(doc: Any) -> bool:
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        return False
    for item in data:
        series = item[0] if isinstance(item, list) and item else item
        if isinstance(series, dict):
            return "values" in series and "step" in series
    return False


def _series(doc: Any, ctx: Ctx) -> list[tuple[str, dict]]:
    data = ctx.need(doc, "data", "", list, "a list (per entity) of lists of signal series") \
        if isinstance(doc, dict) else doc
    if not isinstance(data, list):
        raise TimelineError("data", type(doc).__name__, "an IODA signals envelope with "
                            "a data list", where=ctx.label)
    out = []
    for i, item in enumerate(data):
        if isinstance(item, list):
            out += [(f"data[{i}][{j}]", s) for j, s in enumerate(item)]
        else:
            out.append((f"data[{i}]", item))
    return out


def _entity(s: dict, path: str, ctx: Ctx, country: str | None) -> tuple[str, str | None,
                                                                        int | None]:
    """(iso3, region, asn) of a series."""
    etype = ctx.need(s, "entityType", path, str, "country, region or asn")
    code = s.get("entityCode")
    if etype == "country":
        code = ctx.need(s, "entityCode", path, str, "an ISO 3166 alpha-2 code such as PK")
        return ctx.country(code, path, "entityCode"), None, None
    if etype == "region":
        name = ctx.need(s, "entityName", path, str, "the region's name")
        fqid = str(s.get("entityFqid") or "").split(".")
        if len(fqid) >= 4 and fqid[0] == "geo":  # geo.provider.<continent>.<ISO2>.<region>
            return ctx.country(fqid[3], path, "entityFqid"), name, None
        if country:
            return ctx.country(country, path, "country"), name, None
        raise ctx.fail(path, "entityFqid", s.get("entityFqid"),
                       "geo.<provider>.<continent>.<ISO2>.<region id>, or give country=")
    if etype == "asn":
        if not country:
            raise ctx.fail(path, "entityType", etype, "country or region; for an asn "
                           "entity give country=")
        if isinstance(code, bool) or not str(code or "").strip().isdigit():
            raise ctx.fail(path, "entityCode", code, "an AS number such as 17557")
        return ctx.country(country, path, "country"), None, int(str(code).strip())
    raise ctx.fail(path, "entityType", etype, "country, region or asn")


def _hourly(s: dict, path: str, ctx: Ctx) -> dict[datetime, float]:
    start = ctx.time(ctx.need(s, "from", path, (int, float), "epoch seconds"), path, "from")
    until = ctx.time(ctx.need(s, "until", path, (int, float), "epoch seconds"), path, "until")
    if until <= start:
        raise ctx.fail(path, "until", s["until"], f"epoch seconds after from ({s['from']})")
    step = ctx.need(s, "step", path, (int, float), "a step in seconds > 0")
    if step <= 0:
        raise ctx.fail(path, "step", step, "a step in seconds > 0")
    values = ctx.need(s, "values", path, list, "a list of numbers (null = no data)")
    sums: dict[datetime, list[float]] = defaultdict(lambda: [0.0, 0])
    for k, v in enumerate(values):
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
            raise ctx.fail(path, f"values[{k}]", v, "a number >= 0 or null")
        t = start + timedelta(seconds=k * step)
        if t >= until:
            break
        slot = sums[utc_hour(t)]
        slot[0] += v
        slot[1] += 1
    return {h: total / n for h, (total, n) in sorted(sums.items())}


def _baseline(hours: dict[datetime, float], threshold: float, days: int, min_hours: int) -> float:
    overall = median(list(hours.values()))
    first = next((h for h, v in hours.items() if v < (1 - threshold) * overall), None)
    if first is None:
        return overall
    before = [v for h, v in hours.items() if first - days * 24 * HOUR <= h < first]
    return median(before) if len(before) >= min_hours else overall


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """The restricted hours of an IODA raw-signals file (module docstring for the rule)."""
    check_options(options, OPTIONS, FORMAT)
    threshold = float(options.get("threshold", THRESHOLD))
    days = int(options.get("baseline_days", BASELINE_DAYS))
    min_hours = int(options.get("min_baseline_hours", MIN_BASELINE_HOURS))
    forced = options.get("datasource")
    given = options.get("baseline")
    text, label = load_text(source, name)
    ctx = Ctx(label)
    doc = parse_json(text, label)
    by_entity: dict[tuple, dict[str, tuple[str, dict]]] = defaultdict(dict)
    for path, s in _series(doc, ctx):
        if not isinstance(s, dict):
            raise TimelineError("record", type(s).__name__, "a signal series object",
                                where=ctx.where(path))
        ds = ctx.need(s, "datasource", path, str, "an IODA datasource such as ping-slash24")
        by_entity[_entity(s, path, ctx, country)][ds] = (path, s)
    rows: list[tuple[str, dict]] = []
    for (iso3, region, asn), sources in by_entity.items():
        order = [forced] if forced else [d for d in PREFERENCE if d in sources]
        if not order or order[0] not in sources:
            continue
        ds = order[0]
        path, s = sources[ds]
        hours = _hourly(s, path, ctx)
        if not hours:
            continue
        if isinstance(given, dict) and ds in given:
            base = float(given[ds])
        elif isinstance(given, int | float) and not isinstance(given, bool):
            base = float(given)
        else:
            base = _baseline(hours, threshold, days, min_hours)
        if base <= 0:
            continue
        until = ctx.time(s["until"], path, "until")
        run: list[Any] = []  # [start, end, drop]
        for h, v in hours.items():
            drop = round(clip01(1 - v / base), 2)
            if drop < threshold:
                continue
            end = min(h + HOUR, until)
            if run and run[-1][1] == h and run[-1][2] == drop:
                run[-1][1] = end
            else:
                run.append([h, end, drop])
        for start, end, drop in run:
            rows.append((path, {"start_utc": iso(start), "end_utc": iso(end), "country": iso3,
                                "region": region, "asn": asn, "scope": "full",
                                "intensity": drop, "source": f"IODA {ds}"}))
    return finish(rows, ctx, country)
