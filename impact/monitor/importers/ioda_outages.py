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
- **Else from the score** of an event: IODA sums the drop [%] × the minutes between
  alerts, so ``score / duration [min] / 100`` is its mean drop (not read when above 1).
- **Else from the level**: ``critical`` = 1, ``warning`` = 0.5 (`LEVELS`); else
  ``event_intensity`` (1).
- **Closed by the API**: an event flagged ``overlaps_window`` that ends at the query's
  ``until`` or lasts exactly ``extendWindow`` (`EXTEND_WINDOW`) has no known end: it is
  still on, costed to ``until=`` or else to the API's end, with a note.
- **Alerts are moments**: an alert of level warning/critical starts a row that lasts until
  the next alert of the same entity and datasource, the last one ``alert_seconds`` (600 s,
  the active-probing round) or to ``until``. ``normal`` alerts end rows and give none.
- Rows of several datasources overlap and the timeline keeps the highest at every minute.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from impact.errors import TimelineError
from impact.monitor.importers._common import (
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
from impact.monitor.timeline import Timeline

FORMAT = "ioda_outages"
DOC_URL = "https://api.ioda.inetintel.cc.gatech.edu/v2/"
LEVELS = {"critical": 1.0, "warning": 0.5, "normal": 0.0}
ALERT_SECONDS = 600
OPTIONS = ("alert_seconds", "event_intensity", "until", "datasource")
#: the API's default ``extendWindow``: an event still on is closed this long after its start [s]
EXTEND_WINDOW = 1_209_600
#: the API's default page of events (``limit``)
PAGE = 500


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


def _score_drop(rec: dict, start: datetime, end: datetime) -> float | None:
    """Mean drop [0–1] of an event from its ``score`` (drop [%] × minutes summed by IODA),
    or None when the score is missing or off that scale (> 100 % on average)."""
    score = rec.get("score")
    minutes = (end - start).total_seconds() / 60
    if isinstance(score, bool) or not isinstance(score, int | float) or minutes <= 0:
        return None
    mean = score / minutes / 100
    return mean if 0 < mean <= 1 else None


def _event(rec: dict, path: str, ctx: Ctx, window: dict) -> tuple[datetime, datetime, bool]:
    """(start, end, end set by the API) of an event; the API closes an event still on at
    the query's ``until``, or ``extendWindow`` (14 d) after its start."""
    if "location" in rec and "entity" not in rec:
        start = ctx.time(ctx.need(rec, "start", path, (int, float), "epoch seconds"),
                         path, "start")
        dur = ctx.need(rec, "duration", path, (int, float), "a duration in seconds > 0 and at most a year (31,622,400)")
        if not 0 < dur <= 366 * 86_400:
            raise ctx.fail(path, "duration", dur, "a duration in seconds > 0 and at most a year (31,622,400)")
        end = start + timedelta(seconds=dur)
    else:
        start = ctx.time(ctx.need(rec, "from", path, (int, float), "epoch seconds"), path,
                         "from")
        end = ctx.time(ctx.need(rec, "until", path, (int, float), "epoch seconds"), path,
                       "until")
        if end <= start:
            raise ctx.fail(path, "until", rec["until"],
                           f"epoch seconds after from ({rec['from']})")
    cut = rec.get("overlaps_window") is True and (
        (end - start).total_seconds() == window["extend"]
        or (window["until"] is not None and end == window["until"])
        or (window["from"] is not None and start >= window["from"]))
    return start, end, cut


def _query_window(doc: Any) -> dict:
    """The query's from, until [UTC] and extendWindow [s], when the envelope says."""
    req = doc.get("requestParameters") if isinstance(doc, dict) else None
    req = req if isinstance(req, dict) else {}
    out: dict[str, Any] = {"extend": EXTEND_WINDOW}
    for key in ("from", "until"):
        try:
            out[key] = datetime.fromtimestamp(float(req[key]), tz=UTC)
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            out[key] = None
    ext = req.get("extendWindow")
    if isinstance(ext, int | float | str) and str(ext).strip().isdigit():
        out["extend"] = int(str(ext).strip())
    return out


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
    if not data:
        raise TimelineError("data", data, "events or alerts: IODA found none in the query's "
                            "window", where=label)
    if len(data) == PAGE:
        ctx.note(f"{PAGE} records, IODA's page size: there may be more (ask for page=1, 2, …)")
    until = ctx.time(options["until"], "", "until") if options.get("until") else None
    window = _query_window(doc)
    rows: list[tuple[str, dict]] = []
    alerts: dict[tuple, list] = defaultdict(list)
    api_ends: list[datetime] = []
    for i, rec in enumerate(data):
        path = f"data[{i}]"
        with ctx.record(path, rows):
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
            start, end, cut = _event(rec, path, ctx, window)
            intensity = _event_intensity(rec, path, ctx, start, end, default)
            if intensity <= 0:
                continue
            row = _row(start, end, where, intensity, f"IODA event {ds}")
            if cut:
                api_ends.append(end)
                row["end_utc"] = None
                ctx.note(f"{path}: IODA closed this event at {iso(end)} (the query's end or "
                         f"its {window['extend']:,} s extendWindow), not at a recovery: it "
                         "may still be on; costed to "
                         + ("until" if until else "that moment (give --until to change it)"))
            rows.append((path, row))
    for (where, ds), items in alerts.items():
        items.sort(key=lambda x: x[0])
        for k, (t, intensity, path) in enumerate(items):
            if intensity <= 0:
                continue
            end = items[k + 1][0] if k + 1 < len(items) else (
                until or t + timedelta(seconds=alert_seconds))
            if end > t:
                rows.append((path, _row(t, end, where, round(intensity, 2), f"IODA alert {ds}")))
    cost_to = options.get("until") or (iso(max(api_ends)) if api_ends else None)
    return finish(rows, ctx, country, cost_to)


def _event_intensity(rec: dict, path: str, ctx: Ctx, start: datetime, end: datetime,
                     default: float) -> float:
    """From the embedded alerts' drops, else the score's mean drop, else the level, else
    ``default``."""
    drops = []
    for j, a in enumerate(rec.get("alerts") or []):
        if isinstance(a, dict) and str(a.get("level", "")).lower() != "normal":
            d = _drop(a, f"{path}.alerts[{j}]", ctx)
            if d is not None:
                drops.append(d)
    if drops:
        return round(median(drops), 2)
    if (mean := _score_drop(rec, start, end)) is not None:
        return round(mean, 3)
    if "level" in rec:
        return _level(rec, path, ctx)
    return default


def _row(start, end, where, intensity, source) -> dict:
    iso3, region, asn = where
    return {"start_utc": iso(start), "end_utc": iso(end), "country": iso3, "region": region,
            "asn": asn, "scope": "full", "intensity": intensity, "source": source}
