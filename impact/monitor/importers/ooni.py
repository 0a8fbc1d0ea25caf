"""OONI measurement aggregation (``api.ooni.io/api/v1/aggregation``, JSON or ``format=CSV``)
as platform rows.

An answer's rows carry only its axis columns: ``measurement_start_day`` (the time axis: a
date, or an hour such as ``2025-03-01T05:00:00Z``), at most one of ``probe_cc``, ``domain``
and ``test_name``, and the counts ``measurement_count``, ``anomaly_count``,
``confirmed_count``, ``ok_count``, ``failure_count``. What the query fixed is not in the
rows: the country comes from ``country=``, the platform from ``platform=`` when the rows
name no test and no domain. When ``probe_cc`` is an axis, ``country=`` picks a country.

Rule (`docs/monitor_formats.md`): a row's platform is its ``domain`` matched by suffix
(`DOMAINS`), else its ``test_name`` (`TESTS`), else ``platform=``; rows of no platform we
cost are skipped with a note. Rows of one country, platform and bucket are summed; blocked =
``measurement_count - ok_count - failure_count`` (anomalies and confirmed blocks, whether
OONI counts them apart or nested), intensity = blocked / ``measurement_count`` rounded to
0.01. A bucket with fewer than ``min_measurements`` (5) measurements or a share below
``threshold`` (0.2) gives no row. Hourly buckets give 1-hour rows, dates 24-hour rows;
week and month grains are refused. Scope ``platforms``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from impact.bundled.countries import resolve_country
from impact.errors import InputError, TimelineError
from impact.monitor.importers._common import (
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
from impact.monitor.timeline import Timeline
from impact.vocab import PLATFORM_ALIASES, PLATFORMS

FORMAT = "ooni"
DOC_URL = "https://api.ooni.io/apidocs/#/default/get_api_v1_aggregation"
THRESHOLD = 0.2
MIN_MEASUREMENTS = 5
#: domain suffixes -> our platform keys: a host is a platform's when it is one of these or
#: ends with "." + one of these (``abs.twimg.com``, ``edge-mqtt.facebook.com``)
DOMAINS = {
    "twitter.com": "x", "x.com": "x", "t.co": "x", "twimg.com": "x",
    "facebook.com": "facebook", "facebook.net": "facebook", "fbcdn.net": "facebook",
    "fbsbx.com": "facebook", "fb.com": "facebook", "messenger.com": "facebook",
    "instagram.com": "instagram", "cdninstagram.com": "instagram", "instagr.am": "instagram",
    "whatsapp.com": "whatsapp", "whatsapp.net": "whatsapp", "wa.me": "whatsapp",
    "youtube.com": "youtube", "youtu.be": "youtube", "ytimg.com": "youtube",
    "googlevideo.com": "youtube", "youtube-nocookie.com": "youtube",
    "tiktok.com": "tiktok", "tiktokcdn.com": "tiktok", "tiktokv.com": "tiktok",
    "telegram.org": "telegram", "t.me": "telegram", "telegram.me": "telegram",
    "telesco.pe": "telegram",
    "signal.org": "signal", "whispersystems.org": "signal", "signal.group": "signal",
}
#: first host labels that name a platform served from another's CDN
#: (``instagram.fsaw1-13.fna.fbcdn.net`` is Instagram's, not Facebook's)
HOST_LABELS = {"instagram": "instagram"}
#: OONI test names -> platform keys (the instant-messaging tests; ``facebook_messenger``
#: probes Facebook's own endpoints, so a block it sees is a block of Facebook)
TESTS = {"whatsapp": "whatsapp", "facebook_messenger": "facebook", "telegram": "telegram",
         "signal": "signal"}
#: OONI tests of circumvention tools (no platform we cost)
CIRCUMVENTION = frozenset({"psiphon", "tor", "torsf", "vanilla_tor", "riseupvpn", "openvpn",
                           "snowflake"})
COUNTS = ("measurement_count", "anomaly_count", "confirmed_count", "ok_count",
          "failure_count")
OPTIONS = ("threshold", "min_measurements", "grain", "platform")
#: OONI time grains read, and their bucket lengths
GRAINS = {"hour": HOUR, "day": DAY}
#: OONI time grains refused: a week's share does not say which days were blocked
COARSE = ("week", "month", "year")


def looks_like(doc: Any) -> bool:
    """An aggregation answer: a JSON document with ``result`` rows of OONI counts, or a CSV
    header (a list of column names) with ``measurement_count`` and ``anomaly_count``."""
    if isinstance(doc, list) and doc and all(isinstance(h, str) for h in doc):
        return {"measurement_count", "anomaly_count"} <= set(doc)
    result = doc.get("result") if isinstance(doc, dict) else None
    first = result[0] if isinstance(result, list) and result else result
    return isinstance(first, dict) and bool(first.keys() & {*COUNTS, "measurement_start_day"})


def platform_of_domain(host: str) -> str | None:
    """Our platform key of a host name, matched by suffix (`DOMAINS`, `HOST_LABELS`).

    Examples
    --------
    >>> platform_of_domain("abs.twimg.com"), platform_of_domain("edge-mqtt.facebook.com")
    ('x', 'facebook')
    >>> platform_of_domain("instagram.fsaw1-13.fna.fbcdn.net"), platform_of_domain("9gag.com")
    ('instagram', None)
    """
    host = host.strip().lower().rstrip(".")
    labels = host.split(".")
    if len(labels) > 2 and labels[0] in HOST_LABELS:
        return HOST_LABELS[labels[0]]
    for i in range(len(labels) - 1):
        platform = DOMAINS.get(".".join(labels[i:]))
        if platform is not None:
            return platform
    return None


def platform_of(row: dict) -> str | None:
    """Our platform key of an aggregation row (its domain, else its test name)."""
    if row.get("domain"):
        return platform_of_domain(str(row["domain"]))
    return TESTS.get(str(row.get("test_name") or "").strip().lower())


def blocked_share(measurement_count: int, anomaly_count: int, confirmed_count: int,
                  ok_count: int | None = None, failure_count: int | None = None) -> float:
    """Share of measurements that saw a block [0-1], rounded to 0.01.

    Blocked = measurement - ok - failure (anomalies plus confirmed blocks, right whether
    OONI counts them apart or nested); without ``ok_count``: anomaly + confirmed.

    Examples
    --------
    >>> blocked_share(71, 41, 0, ok_count=0, failure_count=30)
    0.58
    >>> blocked_share(43, 36, 0)
    0.84
    """
    if measurement_count <= 0:
        return 0.0
    if ok_count is not None:
        blocked = measurement_count - ok_count - (failure_count or 0)
    else:
        blocked = anomaly_count + confirmed_count
    return round(min(1.0, max(0.0, blocked / measurement_count)), 2)


def coarse_grain(days: set[datetime]) -> str | None:
    """``week`` or ``month`` when the distinct dates of a daily-looking answer are Mondays
    (or firsts of the month) at least 7 days apart; None for a daily answer.

    Examples
    --------
    >>> d = lambda s: datetime.fromisoformat(s)
    >>> coarse_grain({d("2025-03-03"), d("2025-03-10")}), coarse_grain({d("2025-03-01")})
    ('week', None)
    """
    ordered = sorted(days)
    if len(ordered) < 2 or min(b - a for a, b in pairwise(ordered)) < timedelta(7):
        return None
    if all(d.day == 1 for d in ordered):
        return "month"
    return "week" if all(d.weekday() == 0 for d in ordered) else None


def _number(value: Any, name: str, kind: type, accepted: str) -> Any:
    """An option as ``kind`` (>= 0), or a one-line error naming it."""
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise TimelineError(name, value, accepted) from None
    if number < 0 or (kind is float and number > 1):
        raise TimelineError(name, value, accepted)
    return number


def _platform_option(value: Any) -> str | None:
    if value is None or value == "":
        return None
    key = str(value).strip().lower()
    key = TESTS.get(key, PLATFORM_ALIASES.get(key, key))
    if key not in PLATFORMS:
        raise TimelineError("platform", value, "the platform the file's test measures: "
                            + ", ".join(PLATFORMS) + " (or an OONI test name such as "
                            "facebook_messenger)")
    return key


def _records(text: str, label: str) -> tuple[list[tuple[str, Any]], bool]:
    """(path, row) of each answer row, and whether the answer is CSV."""
    head = text.lstrip()[:1]
    if head in ("{", "["):
        doc = parse_json(text, label)
        result = doc.get("result") if isinstance(doc, dict) else None
        if isinstance(result, dict):
            raise TimelineError("result", "one total (no axis)", "rows per day or hour: query "
                                "with axis_x=measurement_start_day", where=label)
        if not isinstance(result, list):
            raise TimelineError("result", type(result).__name__ if result is not None
                                else None, "a list of rows: query with axis_x="
                                "measurement_start_day (and axis_y=domain, test_name or "
                                "probe_cc)", where=label)
        return [(f"result[{i}]", row) for i, row in enumerate(result)], False
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    out = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        out.append((f"line {reader.line_num}", dict(zip(header, values, strict=False))))
    return out, True


def _count(ctx: Ctx, row: Any, key: str, path: str, is_csv: bool) -> int | None:
    """A whole count >= 0 (text in a CSV answer); None when optional and absent."""
    required = key in COUNTS[:3]
    if is_csv:
        text = str(row.get(key) or "").strip()
        if not text:
            if required:
                raise ctx.fail(path, key, None, "a whole number >= 0 (the field is missing)")
            return None
        if not text.isdigit():
            raise ctx.fail(path, key, text, "a whole number >= 0")
        return int(text)
    value = ctx.need(row, key, path, int, "a whole number >= 0", required=required)
    if value is not None and value < 0:
        raise ctx.fail(path, key, value, "a whole number >= 0")
    return value


def _bucket(ctx: Ctx, row: Any, path: str, grain: str | None) -> tuple[datetime, bool]:
    """(bucket start [UTC], hourly) of a row's ``measurement_start_day``."""
    day = ctx.need(row, "measurement_start_day", path, str, "a date such as 2025-03-01 or an "
                   "hour such as 2025-03-01T05:00:00Z (query with axis_x=measurement_start_day)")
    start = ctx.time(day, path, "measurement_start_day").replace(minute=0, second=0,
                                                                 microsecond=0)
    hourly = grain == "hour" or (grain is None and len(day.strip()) > 10)
    if not hourly:
        start = datetime(start.year, start.month, start.day, tzinfo=UTC)
    return start, hourly


def _country(ctx: Ctx, row: Any, path: str, want: str | None) -> str | None:
    """ISO3 of the row's ``probe_cc`` (None when the query fixed it); a code of another
    country than ``want`` is kept as given, for `finish` to count."""
    code = row.get("probe_cc") if isinstance(row, dict) else None
    if code is None or (isinstance(code, str) and not code.strip()):
        return None
    if want is not None:
        try:
            if resolve_country(code) != want:
                return str(code)
        except (InputError, TypeError, ValueError):
            return str(code)
    return ctx.country(code, path, "probe_cc")


def _nothing_measured(label: str, skipped: dict[str, int], axis: str) -> TimelineError:
    """The one line when every row is of a test or domain that is no platform we cost."""
    names = sorted(skipped, key=lambda k: (-skipped[k], k))
    shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
    if axis == "test_name" and set(names) <= CIRCUMVENTION:
        what = (f"the file measures circumvention tools ({shown}), not a platform we cost: "
                "query a platform's test (" + ", ".join(TESTS) + ") or web_connectivity "
                "with axis_y=domain")
    elif axis == "test_name":
        what = ("a test of a platform we cost (" + ", ".join(TESTS) + "), or "
                "web_connectivity with axis_y=domain (platform domains such as twitter.com, "
                "*.fbcdn.net are read)")
    else:
        what = ("a domain of a platform we cost (twitter.com, *.twimg.com, *.fbcdn.net, "
                "*.cdninstagram.com, *.whatsapp.net, t.me, telegram.org, signal.org, …): "
                "none in the file")
    return TimelineError(axis, shown, what, where=label)


def _no_block(label: str, best: tuple | None, buckets: int, hourly: bool, threshold: float,
              min_n: int) -> TimelineError:
    """The one line when no bucket reaches the threshold (``best``: share, start, platform,
    measurements of the highest bucket)."""
    unit = "hour" if hourly else "day"
    found = "the file has no measurements"
    if best is not None:
        when = iso(best[1]) if hourly else f"{best[1]:%Y-%m-%d}"
        found = (f"no platform-{unit} of {buckets:,} in the file does (highest "
                 f"{best[0]:.2f}, {best[2]} on {when}, {best[3]:,} measurements)")
    return TimelineError("intensity", best[0] if best else None,
                         f"{'an' if hourly else 'a'} {unit} with at least {threshold:g} of at least {min_n} "
                         f"measurements anomalous or confirmed (threshold=, "
                         f"min_measurements=): {found}", where=label)


def read(source: Source, *, name: str | None = None, country: str | None = None,
         **options: Any) -> Timeline:
    """Platform rows of an OONI aggregation answer, JSON or CSV (module docstring for the
    rule)."""
    check_options(options, OPTIONS, FORMAT)
    threshold = _number(options.get("threshold", THRESHOLD), "threshold", float,
                        "a share between 0 and 1 such as 0.2")
    min_n = _number(options.get("min_measurements", MIN_MEASUREMENTS), "min_measurements",
                    int, "a whole number >= 1 such as 5")
    grain = options.get("grain")
    if grain is not None and grain not in GRAINS:
        raise TimelineError("grain", grain, "hour or day (week and month grains do not say "
                            "which days were blocked: query with time_grain=day or hour)"
                            if grain in COARSE else "hour or day")
    chosen = _platform_option(options.get("platform"))
    want = resolve_country(country) if country else None
    text, label = load_text(source, name)
    ctx = Ctx(label)
    records, is_csv = _records(text, label)
    # pass 1: each record read on its own; a bad one is refused, one of no platform skipped
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNTS))
    first: dict[tuple, str] = {}
    skipped: dict[str, int] = defaultdict(int)
    unchosen: dict[str, int] = defaultdict(int)  # rows of other platforms than platform=
    axis = "domain"
    has_ok = True
    rows: list[tuple[str, dict]] = []  # filled in pass 2 (pass 1 sums the records)
    for path, row in records:
        with ctx.record(path, rows):
            if not isinstance(row, dict):
                raise TimelineError("record", type(row).__name__, "a JSON object",
                                    where=ctx.where(path))
            named = row.get("domain") or row.get("test_name")
            axis = "domain" if row.get("domain") else "test_name" if named else axis
            platform = platform_of(row) if named else chosen
            if named and platform is None:
                skipped[str(named)] += 1
                continue
            if chosen is not None and platform != chosen:
                unchosen[str(platform)] += 1
                continue
            start, hourly = _bucket(ctx, row, path, grain)
            counts = [_count(ctx, row, k, path, is_csv) for k in COUNTS]
            has_ok = has_ok and counts[3] is not None
            key = (_country(ctx, row, path, want), platform, start, hourly)
            sums[key] = [a + (b or 0) for a, b in zip(sums[key], counts, strict=True)]
            first.setdefault(key, path)
    if skipped:
        ctx.note(f"skipped {sum(skipped.values()):,} rows of {axis} values that are no "
                 f"platform we cost ({', '.join(sorted(skipped)[:8])}"
                 + (", …)" if len(skipped) > 8 else ")"))
    if unchosen:
        ctx.note(f"skipped {sum(unchosen.values()):,} rows of other platforms than "
                 f"{chosen} ({', '.join(sorted(unchosen))})")
    if not sums and unchosen and not ctx.refused:
        raise TimelineError("platform", chosen, "a platform the file measures (found: "
                            + ", ".join(sorted(unchosen)) + ")", where=label)
    if not sums and skipped and not ctx.refused:
        raise _nothing_measured(label, skipped, axis)
    days = {start for (_, _, start, hourly) in sums if not hourly}
    if days and grain is None and (coarse := coarse_grain(days)):
        raise TimelineError("measurement_start_day", f"{coarse} grain ({min(days):%Y-%m-%d}, "
                            "…)", "hourly or daily buckets: a week's or month's share of "
                            "anomalous measurements does not say which days were blocked; "
                            "query with time_grain=day or hour", where=label)
    # pass 2: one row per country, platform and bucket that reaches the threshold
    best = None
    mine = kept = 0  # buckets and rows of the asked country (all when none is asked)
    for key in sorted(sums, key=lambda k: (k[2], str(k[1]), str(k[0]))):
        iso3, platform, start, hourly = key
        n, anomaly, confirmed, ok, failure = sums[key]
        share = blocked_share(n, anomaly, confirmed, ok if has_ok else None, failure)
        is_mine = want is None or iso3 is None or iso3 == want
        if is_mine and n > 0:
            mine += 1
            if best is None or (share, n) > (best[0], best[3]):
                best = (share, start, platform or "no platform named", n)
        if n <= 0 or n < min_n or share < threshold:
            continue
        path = first[key]
        if platform is None:
            raise TimelineError("platform", None, "the rows name no test_name or domain (the "
                                "query fixed the test): give --platform (platform= in "
                                "Python): " + ", ".join(PLATFORMS), where=label)
        if iso3 is None and want is None:
            ctx.refuse(ctx.fail(path, "probe_cc", None, "an ISO 3166 alpha-2 code: the "
                                "query fixed probe_cc, so give --country (country= in "
                                "Python)"))
            continue
        kept += is_mine
        step = HOUR if hourly else DAY
        rows.append((path, {"start_utc": iso(start), "end_utc": iso(start + step),
                            "country": iso3 or want, "scope": "platforms",
                            "platforms": platform, "intensity": share,
                            "source": "OONI aggregation"}))
    if want is not None and not mine and not ctx.refused and sums:
        found = sorted({str(k[0]) for k in sums})
        raise TimelineError("country", want, "a country of the file's probe_cc (found: "
                            + ", ".join(found) + ")", where=label)
    codes = sorted({str(k[0]) for k in sums if k[0] is not None})
    if want is None and len(codes) > 1 and rows:
        raise TimelineError("country", None, "one of the answer's countries (probe_cc is "
                            f"an axis: {', '.join(codes)}): give --country (country= in "
                            "Python) to keep one", where=label)
    if not kept and not ctx.refused and (mine or not rows):
        hourly = any(k[3] for k in sums)
        raise _no_block(label, best, mine, hourly, threshold, min_n)
    return finish(rows, ctx, country, options.get("until"))
