"""OONI measurement aggregation (``api.ooni.io/api/v1/aggregation``) as platform rows.

Fields read: ``result[]`` rows with ``measurement_start_day`` (a date, or a date-time with
an hourly ``time_grain``), ``probe_cc`` (absent when the query fixed it: give
``country=``), ``domain`` or ``test_name``, ``measurement_count``, ``anomaly_count``,
``confirmed_count``, ``ok_count``, ``failure_count``.

Rule (`docs/monitor_formats.md`): rows of one platform (`DOMAINS`, `TESTS`) and period are
summed; blocked = ``measurement_count - ok_count - failure_count`` (anomalies and
confirmed blocks, whether OONI counts them apart or nested), else ``anomaly_count +
confirmed_count`` without ``ok_count``; intensity = blocked / ``measurement_count``,
rounded to 0.01; a period with fewer than ``min_measurements`` (5) measurements or a share
below ``threshold`` (0.2) gives no row. Scope ``platforms``, one row per day (or hour).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from impact.importers._common import (
    DAY,
    HOUR,
    Ctx,
    Source,
    check_options,
    finish,
    iso,
    load_text,
    parse_json,
)
from impact.timeline import Timeline, TimelineError

FORMAT = "ooni"
DOC_URL = "https://api.ooni.io/apidocs/#/default/get_api_v1_aggregation"
THRESHOLD = 0.2
MIN_MEASUREMENTS = 5
#: domains (without ``www.``/``m.``/``web.``) -> our platform keys
DOMAINS = {
    "twitter.com": "x", "x.com": "x", "t.co": "x", "facebook.com": "facebook",
    "messenger.com": "facebook", "instagram.com": "instagram", "whatsapp.com": "whatsapp",
    "youtube.com": "youtube", "youtu.be": "youtube", "tiktok.com": "tiktok",
    "telegram.org": "telegram", "t.me": "telegram", "signal.org": "signal",
}
#: OONI test names -> platform keys (the instant-messaging tests)
TESTS = {"whatsapp": "whatsapp", "facebook_messenger": "facebook", "telegram": "telegram",
         "signal": "signal"}
COUNTS = ("measurement_count", "anomaly_count", "confirmed_count", "ok_count",
          "failure_count")
OPTIONS = ("threshold", "min_measurements", "grain")


def looks_like(doc: Any) -> bool:
    result = doc.get("result") if isinstance(doc, dict) else None
    first = result[0] if isinstance(result, list) and result else result
    return isinstance(first, dict) and bool(first.keys() & {*COUNTS, "measurement_start_day"})


def platform_of(row: dict) -> str | None:
    """Our platform key of an aggregation row (its domain, else its test name)."""
    domain = str(row.get("domain") or "").strip().lower().rstrip(".")
    for prefix in ("www.", "m.", "web.", "mobile."):
        domain = domain.removeprefix(prefix)
    if domain in DOMAINS:
        return DOMAINS[domain]
    return TESTS.get(str(row.get("test_name") or "").strip().lower())


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Platform rows of an OONI aggregation file (module docstring for the rule)."""
    check_options(options, OPTIONS, FORMAT)
    threshold = float(options.get("threshold", THRESHOLD))
    min_n = int(options.get("min_measurements", MIN_MEASUREMENTS))
    grain = options.get("grain")
    text, label = load_text(source, name)
    ctx = Ctx(label)
    doc = parse_json(text, label)
    result = doc.get("result") if isinstance(doc, dict) else None
    if not isinstance(result, list):
        raise TimelineError("result", type(result).__name__ if result is not None else None,
                            "a list of rows: query with axis_x=measurement_start_day and "
                            "axis_y=domain (or test_name)", where=label)
    sums: dict[tuple, list] = defaultdict(lambda: [[0] * len(COUNTS), None])
    for i, row in enumerate(result):
        path = f"result[{i}]"
        day = ctx.need(row, "measurement_start_day", path, str, "a date such as 2024-02-08")
        moment = ctx.time(day, path, "measurement_start_day")
        hourly = grain == "hour" or (grain is None and len(day.strip()) > 10)
        step = HOUR if hourly else DAY
        moment = moment.replace(minute=0, second=0, microsecond=0)
        if not hourly:
            moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
        cc = row.get("probe_cc")
        if cc is None and not country:
            raise ctx.fail(path, "probe_cc", None, "an ISO 3166 alpha-2 code (when the "
                           "query fixed probe_cc, give country=)")
        iso3 = ctx.country(cc if cc is not None else country, path, "probe_cc")
        platform = platform_of(row)
        counts = []
        for key in COUNTS:
            required = key in ("measurement_count", "anomaly_count", "confirmed_count")
            v = ctx.need(row, key, path, int, "a whole number >= 0", required=required)
            if v is not None and v < 0:
                raise ctx.fail(path, key, v, "a whole number >= 0")
            counts.append(v)
        if platform is None:
            continue
        slot = sums[(iso3, platform, moment, step)]
        has_ok = counts[3] is not None and (slot[1] is None or slot[1][0])
        slot[0] = [a + (b or 0) for a, b in zip(slot[0], counts, strict=True)]
        slot[1] = (has_ok, path)
    rows: list[tuple[str, dict]] = []
    for (iso3, platform, moment, step), (c, (has_ok, path)) in sorted(
            sums.items(), key=lambda kv: (kv[0][2], kv[0][1])):
        n, anomaly, confirmed, ok, failure = c
        if n < min_n or n == 0:
            continue
        blocked = n - ok - failure if has_ok else anomaly + confirmed
        share = round(min(1.0, max(0.0, blocked / n)), 2)
        if share < threshold:
            continue
        rows.append((path, {"start_utc": iso(moment), "end_utc": iso(moment + step),
                            "country": iso3, "scope": "platforms", "platforms": platform,
                            "intensity": share, "source": "OONI aggregation"}))
    return finish(rows, ctx, country)
