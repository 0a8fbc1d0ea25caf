"""IODA API v2 raw signals (``/v2/signals/raw/{entityType}/{entityCode}``) as a timeline.

The envelope's ``data`` is a list (one item per entity) of lists of series objects:
``entityType, entityCode, entityName, entityFqid, datasource, subtype, from, until, step,
nativeStep, values``. A series is keyed by its datasource *and* subtype (``gtr`` has one
series per Google product, e.g. ``gtr.YOUTUBE``). ``values[i]`` covers ``[from + i × step,
from + (i + 1) × step)`` (epoch seconds; null = no data) and is a number, or nested: an
object or a list of objects whose ``agg_values`` hold the numbers (one per dimension such
as a penultimate AS). ``data: [[]]`` is IODA's answer for a window without data.

Intensity rule (`docs/monitor_formats.md`):

1. Each series is averaged into UTC clock hours, each value weighted by the seconds of
   its step inside the hour (a 12-hour step covers 12 hours); nulls are ignored and an
   hour with no value is unknown, never restricted.
2. **Baseline** of a reachability signal (``ping-slash24``, ``bgp``, ``merit-nt``): the
   median hourly value over the ``baseline_days`` (7) days before the first drop, where
   the first drop is the first hour below ``(1 - threshold)`` × the median of the whole
   series; when fewer than ``min_baseline_hours`` (6) hours precede it, the median of the
   whole series. Of a usage signal (``gtr``, ``mozilla``: traffic, with a daily cycle):
   the median of the same UTC hour of the day over the file, when it has at least
   ``min_baseline_days`` (3) values. ``baseline={datasource: value}`` (or one number)
   overrides both.
3. **Drop** of an hour = ``1 - value / baseline`` clipped to 0–1 (the median over the
   series of a datasource with several subtypes); the hour is restricted when the drop ≥
   ``threshold`` (0.1). Drops are rounded to 0.01; consecutive equal ones merge.
4. **Which signal**: ``ping-slash24``, else ``bgp``, else ``merit-nt``, else the usage
   signals ``gtr`` then ``mozilla``; ``datasource=`` forces one (``gtr.YOUTUBE``: one
   product; a YouTube drop is a platform block). Other datasources (``*-latency``,
   ``*-loss``, ``upstream-delay-penult-*``) measure paths and delay, not reachability,
   and are never read.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from impact.errors import TimelineError
from impact.monitor.importers._common import (
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
from impact.monitor.timeline import Timeline

FORMAT = "ioda_signals"
DOC_URL = "https://api.ioda.inetintel.cc.gatech.edu/v2/"
#: reachability signals, in the order of preference
PREFERENCE = ("ping-slash24", "bgp", "merit-nt")
#: usage (traffic) signals, read when no reachability signal is there
USAGE = ("gtr", "mozilla")
READ = PREFERENCE + USAGE
#: the number read inside a nested value's ``agg_values`` when it holds several
NESTED_FIELD = {"gtr": "value", "mozilla": "value"}
#: gtr products that are a costed platform (a drop of one alone is a platform block)
PRODUCT_PLATFORM = {"YOUTUBE": "youtube"}
THRESHOLD = 0.1
BASELINE_DAYS = 7
MIN_BASELINE_HOURS = 6
MIN_BASELINE_DAYS = 3
OPTIONS = ("threshold", "baseline_days", "min_baseline_hours", "min_baseline_days",
           "datasource", "baseline")
VALUE_ACCEPTED = ("a number >= 0, null, or objects (or a list of them) whose agg_values "
                  "hold one number")


def looks_like(doc: Any) -> bool:
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        return False
    if data and all(item == [] for item in data) and doc.get("type") == "signals":
        return True  # IODA's answer for a window without data
    for item in data:
        series = item[0] if isinstance(item, list) and item else item
        if isinstance(series, dict):
            return "values" in series and "step" in series
    return False


def _series(doc: Any, ctx: Ctx) -> list[tuple[str, Any]]:
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
    if not out:
        raise TimelineError("data", data, "signal series: IODA has no data for this "
                            f"window{_window(doc)}; ask for another window or entity",
                            where=ctx.label)
    return out


def _window(doc: Any) -> str:
    """`` (from … until …)`` of the request, when the envelope says."""
    req = doc.get("requestParameters") if isinstance(doc, dict) else None
    if not isinstance(req, dict):
        return ""
    try:
        start, end = (datetime.fromtimestamp(float(req[k]), tz=UTC)
                      for k in ("from", "until"))
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return ""
    return f" ({iso(start)} to {iso(end)})"


def _key(s: dict, path: str, ctx: Ctx) -> tuple[str, str]:
    """(datasource, series name): ``gtr.YOUTUBE`` for a subtype, else the datasource."""
    ds = ctx.need(s, "datasource", path, str, "an IODA datasource such as ping-slash24")
    sub = s.get("subtype")
    return ds, f"{ds}.{sub}" if isinstance(sub, str) and sub.strip() else ds


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
                       "geo.<provider>.<continent>.<ISO2>.<region id>, or give --country "
                       "(country= in Python)")
    if etype == "asn":
        if isinstance(code, bool) or not str(code or "").strip().isdigit():
            raise ctx.fail(path, "entityCode", code, "an AS number such as 17557")
        if not country:
            raise ctx.fail(path, "country", None, _asn_hint(code))
        return ctx.country(country, path, "country"), None, int(str(code).strip())
    raise ctx.fail(path, "entityType", etype, "country, region or asn")


def _asn_hint(code: Any) -> str:
    return (f"give --country (country= in Python): the entity is AS{str(code).strip()}, "
            "which has no country of its own")


def _number(v: Any, ds: str) -> float | None | str:
    """The number of one value (None = no data); a string says why it is not readable."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int | float):
        return float(v) if v >= 0 else "a negative number"
    if isinstance(v, list):  # one object per dimension: their numbers add up
        parts = [_number(x, ds) for x in v]
        if bad := next((p for p in parts if isinstance(p, str)), None):
            return bad
        nums = [p for p in parts if p is not None]
        return sum(nums) if nums else None
    if isinstance(v, dict):
        inner = v["agg_values"] if isinstance(v.get("agg_values"), dict) else v
        fields = {k: x for k, x in inner.items()
                  if x is None or (isinstance(x, int | float) and not isinstance(x, bool))}
        name = NESTED_FIELD.get(ds)
        if name in fields:
            return _number(fields[name], ds)
        if len(fields) == 1:
            return _number(next(iter(fields.values())), ds)
        return f"{len(fields)} numbers ({', '.join(sorted(fields)) or 'none'})"
    return f"a {type(v).__name__}"


#: the longest step a series may have [seconds] (31 days)
MAX_STEP_SECONDS = 31 * 86_400


def _hourly(s: dict, ds: str, path: str, ctx: Ctx) -> dict[datetime, float]:
    """Mean value per UTC hour, each value weighted by the seconds its step covers."""
    start = ctx.time(ctx.need(s, "from", path, (int, float), "epoch seconds"), path, "from")
    until = ctx.time(ctx.need(s, "until", path, (int, float), "epoch seconds"), path, "until")
    if until <= start:
        raise ctx.fail(path, "until", s["until"], f"epoch seconds after from ({s['from']})")
    step = ctx.need(s, "step", path, (int, float), "a step in seconds > 0")
    if not 0 < step <= MAX_STEP_SECONDS:
        raise ctx.fail(path, "step", step, f"a step in seconds > 0 and <= {MAX_STEP_SECONDS:,} "
                       "(31 days)")
    values = ctx.need(s, "values", path, list, "a list of numbers (null = no data)")
    sums: dict[datetime, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for k, v in enumerate(values):
        t0 = start + timedelta(seconds=k * step)
        if t0 >= until:
            break
        x = _number(v, ds)
        if isinstance(x, str):
            raise ctx.fail(path, f"values[{k}]", v, f"{VALUE_ACCEPTED} (found {x})")
        if x is None:
            continue
        t1 = min(t0 + timedelta(seconds=step), until)
        h = utc_hour(t0)
        while h < t1:
            seconds = (min(h + HOUR, t1) - max(h, t0)).total_seconds()
            sums[h][0] += x * seconds
            sums[h][1] += seconds
            h += HOUR
    return {h: total / w for h, (total, w) in sorted(sums.items()) if w > 0}


def _baseline(hours: dict[datetime, float], threshold: float, days: int, min_hours: int) -> float:
    overall = median(list(hours.values()))
    first = next((h for h, v in hours.items() if v < (1 - threshold) * overall), None)
    if first is None:
        return overall
    before = [v for h, v in hours.items() if first - days * 24 * HOUR <= h < first]
    return median(before) if len(before) >= min_hours else overall


def _daily_baseline(hours: dict[datetime, float], min_days: int) -> dict[int, float]:
    """Median per UTC hour of the day [0–23], where at least ``min_days`` days have one."""
    by_hour: dict[int, list[float]] = defaultdict(list)
    for h, v in hours.items():
        by_hour[h.hour].append(v)
    return {k: median(vs) for k, vs in by_hour.items() if len(vs) >= min_days}


def _drops(series: list[dict[datetime, float]], ds: str, given: Any, opts: dict
           ) -> dict[datetime, float]:
    """Drop [0–1] per hour: the median over ``series`` of each one's drop."""
    per_hour: dict[datetime, list[float]] = defaultdict(list)
    for hours in series:
        daily: dict[int, float] = {}
        if isinstance(given, dict) and ds in given:
            base: Any = float(given[ds])
        elif isinstance(given, int | float) and not isinstance(given, bool):
            base = float(given)
        elif ds.split(".")[0] in USAGE:
            daily = _daily_baseline(hours, opts["min_days"])
            base = None
        else:
            base = _baseline(hours, opts["threshold"], opts["days"], opts["min_hours"])
        for h, v in hours.items():
            b = daily.get(h.hour) if base is None else base
            if b is not None and b > 0:
                per_hour[h].append(clip01(1 - v / b))
    return {h: median(d) for h, d in sorted(per_hour.items())}


def _runs(drops: dict[datetime, float], threshold: float, until: datetime) -> list[list]:
    """[start, end, drop] of consecutive restricted hours with the same rounded drop."""
    run: list[list] = []
    for h, d in drops.items():
        drop = round(d, 2)
        if drop < threshold:
            continue
        end = min(h + HOUR, until)
        if run and run[-1][1] == h and run[-1][2] == drop:
            run[-1][1] = end
        else:
            run.append([h, end, drop])
    return run


def _scope(name: str) -> tuple[str, str | None]:
    ds, _, product = name.partition(".")
    if ds == "gtr" and product in PRODUCT_PLATFORM:
        return "platforms", PRODUCT_PLATFORM[product]
    return "full", None


def _unread(found: set[str], asns: set[str], country: str | None, label: str,
            forced: str | None) -> TimelineError:
    """The one line for a file without a signal impact reads."""
    shown = ", ".join(sorted(found)) or "none"
    what = (f"{forced} is not in the file" if forced else
            "these measure paths, delay or loss, not reachability")
    fix = "download ping-slash24, bgp or merit-nt (or gtr, mozilla)"
    if asns:
        fix += " for " + ", ".join(f"AS{a}" for a in sorted(asns))
        if not country:
            fix += "; and " + _asn_hint(min(asns))
    return TimelineError("datasource", shown, f"a signal impact reads ({', '.join(READ)}; "
                         f"datasource= picks one): {what}; {fix}", where=label)


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """The restricted hours of an IODA raw-signals file (module docstring for the rule)."""
    check_options(options, OPTIONS, FORMAT)
    opts = {"threshold": float(options.get("threshold", THRESHOLD)),
            "days": int(options.get("baseline_days", BASELINE_DAYS)),
            "min_hours": int(options.get("min_baseline_hours", MIN_BASELINE_HOURS)),
            "min_days": int(options.get("min_baseline_days", MIN_BASELINE_DAYS))}
    forced = options.get("datasource")
    if forced and forced.split(".")[0] not in READ:
        raise TimelineError("datasource", forced, f"one of {', '.join(READ)} (gtr.PRODUCT "
                            "for one Google product, e.g. gtr.YOUTUBE)")
    text, label = load_text(source, name)
    ctx = Ctx(label)
    doc = parse_json(text, label)
    found: set[str] = set()
    asns: set[str] = set()
    # entity -> datasource (or forced name) -> [(path, hourly values, until)]
    signals: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for path, s in _series(doc, ctx):
        with ctx.record(path):
            if not isinstance(s, dict):
                raise TimelineError("record", type(s).__name__, "a signal series object",
                                    where=ctx.where(path))
            ds, key = _key(s, path, ctx)
            found.add(key)
            if s.get("entityType") == "asn":
                asns.add(str(s.get("entityCode")).strip())
            if ds not in READ or (forced and forced not in (ds, key)):
                continue
            where = _entity(s, path, ctx, country)
            hours = _hourly(s, ds, path, ctx)
            until = ctx.time(s["until"], path, "until")
            signals[where][forced or ds].append((path, hours, until))
    if not signals and not ctx.refused:
        raise _unread(found, asns, country, label, forced)
    rows: list[tuple[str, dict]] = []
    for (iso3, region, asn), by_ds in signals.items():
        ds = forced or next(d for d in READ if d in by_ds)
        items = [x for x in by_ds[ds] if x[1]]
        if not items:
            continue
        drops = _drops([x[1] for x in items], ds, options.get("baseline"), opts)
        until = max(x[2] for x in items)
        runs = _runs(drops, opts["threshold"], until)
        scope, platform = _scope(ds)
        path = items[0][0]
        _note_cut(runs, items, ds, ctx)
        if ds.split(".")[0] in USAGE:
            ctx.note(f"intensity from {ds}, a usage signal (traffic against the same hour on "
                     "other days of the file), not from reachability")
        for start, end, drop in runs:
            rows.append((path, {"start_utc": iso(start), "end_utc": iso(end), "country": iso3,
                                "region": region, "asn": asn, "scope": scope,
                                "platforms": platform, "intensity": drop,
                                "source": f"IODA {ds}"}))
    return finish(rows, ctx, country, options.get("until"))


def _note_cut(runs: list[list], items: list, ds: str, ctx: Ctx) -> None:
    """Notes for restrictions cut by the file's window (they may be longer)."""
    if not runs:
        return
    first = min(min(x[1]) for x in items)
    last = max(max(x[1]) for x in items)
    if runs[0][0] <= first:
        ctx.note(f"{ds} is already down in the file's first hour ({iso(first)}): the "
                 "restriction may have started earlier; fetch an earlier window")
    if runs[-1][1] >= last + HOUR or runs[-1][1] >= max(x[2] for x in items):
        ctx.note(f"{ds} is still down in the file's last hour ({iso(last)}): the "
                 "restriction may still be on; fetch a later window")
