"""IODA API v2 outage events (``/v2/outages/events``) and alerts (``/v2/outages/alerts``).

Events, ``ioda`` format: ``entity {type, code, name, attrs}``, ``from``, ``until`` (epoch
seconds), ``datasource``, ``score``, optional ``alerts``; ``codf`` format: ``location``
(``country/PK``), ``start``, ``duration`` [s], ``datasource``, ``score``. Alerts:
``entity``, ``datasource``, ``time``, ``level`` (``normal``, ``warning``, ``critical``),
``condition``, ``value``, ``historyValue``.

Intensity rule (`docs/monitor_formats.md`):

- **From the values** when a record has ``value`` and ``historyValue`` > 0 (alerts, or the
  alerts embedded in an event): ``1 - value / historyValue`` clipped to 0–1 — the drop
  of the signal against IODA's own history; an event takes the median over its
  non-normal alerts.
- **Else from the level**: ``critical`` = 1, ``warning`` = 0.5 (`LEVELS`); an event with
  neither (IODA builds events from critical alerts and gives only a score, whose scale is
  not a share) = ``event_intensity`` (1).
- **Alerts are moments**: an alert of level warning/critical starts a row that lasts until
  the next alert of the same entity and datasource, the last one ``alert_seconds`` (600 s,
  the active-probing round) or to ``until``. ``normal`` alerts end rows and give none.
- Rows of several datasources overlap and the timeline keeps the highest at every minute.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from impact.importers._common import (
    Ctx,
    Source,
    check_options,
    clip01,
    finish,
    iso,
    load_text,
    median,
    parse_json,
)
from impact.timeline import Timeline, TimelineError

FORMAT = "ioda_outages"
DOC_URL = "https://api.ioda.inetintel.cc.gatech.edu/v2/"
LEVELS = {"critical": 1.0, "warning": 0.5, "normal": 0.0}
ALERT_SECONDS = 600
OPTIONS = ("alert_seconds", "event_intensity", "until", "datasource")


def _records(doc: Any) -> list | None:
    data = doc.get("data") if isinstance(doc, dict) else doc
    if isinstance(data, dict):  # some envelopes wrap the list: {"events": [...]}
        data = data.get("events", data.get("alerts"))
    return data if isinstance(data, list) else None


def looks_like(doc: Any) -> bool:
    data = _records(doc)
    if not data:
        return False
    first = next((r for r in data if isinstance(r, dict)), None)
    if first is None:
        return False
    keys = first.keys()
    return bool(keys & {"entity", "location"}) and bool(
        keys & {"time", "level", "from", "until", "score", "start", "duration"})


def _entity(rec: dict, path: str, ctx: Ctx, country: str | None) -> tuple[str, str | None,
                                                                          int | None]:
    if "location" in rec and "entity" not in rec:  # codf: "country/PK"
        loc = ctx.need(rec, "location", path, str, "type/code, e.g. country/PK")
        etype, _, code = loc.partition("/")
        name = rec.get("location_name")
        attrs: dict = {}
    else:
        ent = ctx.need(rec, "entity", path, dict, "an object with type and code")
        etype = ctx.need(ent, "type", f"{path}.entity", str, "country, region or asn")
        code = ent.get("code")
        name = ent.get("name")
        attrs = ent.get("attrs") if isinstance(ent.get("attrs"), dict) else {}
        path = f"{path}.entity"
    if etype == "country":
        return ctx.country(code, path, "code"), None, None
    if etype == "region":
        cc = attrs.get("country_code") or country
        if not cc:
            raise ctx.fail(path, "attrs", attrs, "attrs.country_code, or give country=")
        return ctx.country(cc, path, "attrs.country_code"), str(name or code), None
    if etype == "asn":
        if not country:
            raise ctx.fail(path, "type", etype, "country or region; for an asn give country=")
        if not str(code or "").strip().isdigit():
            raise ctx.fail(path, "code", code, "an AS number such as 17557")
        return ctx.country(country, path, "country"), None, int(str(code))
    raise ctx.fail(path, "type", etype, "country, region or asn")


def _drop(rec: dict, path: str, ctx: Ctx) -> float | None:
    """``1 - value / historyValue`` when both are numbers and the history is > 0."""
    value, history = rec.get("value"), rec.get("historyValue")
    if value is None or history is None:
        return None
    for key, v in (("value", value), ("historyValue", history)):
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ctx.fail(path, key, v, "a number")
    return clip01(1 - value / history) if history > 0 else None


def _level(rec: dict, path: str, ctx: Ctx) -> float:
    level = ctx.need(rec, "level", path, str, "critical, warning or normal")
    if level.lower() not in LEVELS:
        raise ctx.fail(path, "level", level, "critical, warning or normal")
    return LEVELS[level.lower()]


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Rows of an IODA events or alerts file (module docstring for the rule)."""
    check_options(options, OPTIONS, FORMAT)
    alert_seconds = float(options.get("alert_seconds", ALERT_SECONDS))
    default = float(options.get("event_intensity", 1.0))
    only = options.get("datasource")
    text, label = load_text(source, name)
    ctx = Ctx(label)
    doc = parse_json(text, label)
    data = _records(doc)
    if data is None:
        raise TimelineError("data", type(doc).__name__, "an IODA envelope whose data is a "
                            "list of events or alerts", where=label)
    until = ctx.time(options["until"], "", "until") if options.get("until") else None
    rows: list[tuple[str, dict]] = []
    alerts: dict[tuple, list] = defaultdict(list)
    for i, rec in enumerate(data):
        path = f"data[{i}]"
        if not isinstance(rec, dict):
            raise TimelineError("record", type(rec).__name__, "an event or alert object",
                                where=ctx.where(path))
        ds = ctx.need(rec, "datasource", path, str, "an IODA datasource such as bgp")
        if only and ds != only:
            continue
        where = _entity(rec, path, ctx, country)
        if "time" in rec and "level" in rec:  # an alert
            t = ctx.time(ctx.need(rec, "time", path, (int, float), "epoch seconds"), path,
                         "time")
            level = _level(rec, path, ctx)
            drop = _drop(rec, path, ctx) if level > 0 else 0.0
            alerts[(where, ds)].append((t, drop if drop is not None else level, path))
            continue
        if "location" in rec and "entity" not in rec:
            start = ctx.time(ctx.need(rec, "start", path, (int, float), "epoch seconds"),
                             path, "start")
            dur = ctx.need(rec, "duration", path, (int, float), "a duration in seconds > 0")
            if dur <= 0:
                raise ctx.fail(path, "duration", dur, "a duration in seconds > 0")
            end = start + timedelta(seconds=dur)
        else:
            start = ctx.time(ctx.need(rec, "from", path, (int, float), "epoch seconds"), path,
                             "from")
            end = ctx.time(ctx.need(rec, "until", path, (int, float), "epoch seconds"), path,
                           "until")
            if end <= start:
                raise ctx.fail(path, "until", rec["until"],
                               f"epoch seconds after from ({rec['from']})")
        drops = []
        for j, a in enumerate(rec.get("alerts") or []):
            apath = f"{path}.alerts[{j}]"
            if isinstance(a, dict) and str(a.get("level", "")).lower() != "normal":
                d = _drop(a, apath, ctx)
                if d is not None:
                    drops.append(d)
        if drops:
            intensity = median(drops)
        elif "level" in rec:
            intensity = _level(rec, path, ctx)
        else:
            intensity = default
        if intensity > 0:
            rows.append((path, _row(start, end, where, round(intensity, 2), f"IODA event {ds}")))
    for (where, ds), items in alerts.items():
        items.sort(key=lambda x: x[0])
        for k, (t, intensity, path) in enumerate(items):
            if intensity <= 0:
                continue
            end = items[k + 1][0] if k + 1 < len(items) else (
                until or t + timedelta(seconds=alert_seconds))
            if end > t:
                rows.append((path, _row(t, end, where, round(intensity, 2), f"IODA alert {ds}")))
    return finish(rows, ctx, country)


def _row(start, end, where, intensity, source) -> dict:
    iso3, region, asn = where
    return {"start_utc": iso(start), "end_utc": iso(end), "country": iso3, "region": region,
            "asn": asn, "scope": "full", "intensity": intensity, "source": source}
