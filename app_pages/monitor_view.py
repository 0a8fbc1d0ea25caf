"""The Monitor page's view model: reading a timeline file, the page's choices, and the
display tables, figures and Vega-Lite chart specs built from a `impact.monitor.costing.MonitorResult`.

Nothing here imports streamlit, so every function can be tested on its own (the page caches
`run_monitor` by the file's bytes and the choices, and `monitor_view` by those and the
method shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl

from impact import format as fmt
from impact.estimation.ensemble import ENSEMBLE, ENSEMBLE_TITLE
from impact.methods import REGISTRY

#: options passed to a reader, as sorted ``(name, value)`` pairs (hashable: a cache key)
Options = tuple[tuple[str, str], ...]
ROOT = Path(__file__).resolve().parents[1]
#: the preloaded seed case: the bundled example once it is in ``data/examples/``, until then
#: the copy the tests use (the one place to change)
SEED_CASE = next((p for p in (ROOT / "data" / "examples" / "pakistan_2024-02-08.csv",
                              ROOT / "tests" / "fixtures" / "monitor_page"
                              / "pakistan_2024-02-08.csv") if p.is_file()),
                 ROOT / "data" / "examples" / "pakistan_2024-02-08.csv")
SEED_LABEL = "Pakistan, election day, 8 February 2024"
#: the environment variable naming the folders whose files visitors may watch (separated
#: by the system's path separator); unset or empty: watching files on the server is off
WATCH_ENV = "IMPACT_WATCH_DIRS"
#: the largest watched file read [bytes]
WATCH_MAX_BYTES = 20_000_000
WATCH_SECONDS = 30


def method_options() -> list[str]:
    """The methods the page's picker offers: the headline first, then every method."""
    return [ENSEMBLE, *REGISTRY]


def method_title(method: str) -> str:
    """What the picker, the chart and the tables call ``method``.

    >>> method_title("ensemble")
    'Headline: the methods that apply, combined'
    """
    return ENSEMBLE_TITLE if method == ENSEMBLE else REGISTRY[method].title


def card_label(method: str) -> str:
    """The cost-so-far card's label: short for the headline.

    >>> card_label("ensemble")
    'Cost so far (headline)'
    """
    return "Cost so far (headline)" if method == ENSEMBLE else (
        f"Cost so far ({REGISTRY[method].title})")


def watch_roots() -> tuple[Path, ...]:
    """The folders the operator allowed for watching (`WATCH_ENV`), resolved; () when off."""
    import os

    raw = os.environ.get(WATCH_ENV, "")
    return tuple(Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip())


def source_labels() -> dict[str, str]:
    """The sources offered: watching a file on the server only when the operator allowed it."""
    return {k: v for k, v in SOURCE_LABELS.items() if k != "watch" or watch_roots()}
#: projection horizons offered, and those chosen at first
HORIZONS = ("12h", "1d", "3d", "7d", "14d", "30d", "90d")
DEFAULT_HORIZONS = ("1d", "3d", "7d", "30d")
SOURCE_LABELS = {
    "seed": "Example: " + SEED_LABEL,
    "upload": "Upload a timeline file",
    "fetch": "Fetch from IODA, Cloudflare Radar or OONI",
    "watch": "Watch a file on this server",
}
#: file types the uploader takes: our CSV, monitor exports (CSV, JSON) and workbooks
UPLOAD_TYPES = ["csv", "json", "xlsx", "xlsm", "xls", "ods"]
#: what the figures are as of: the file's last moment, now, or a chosen moment
UNTIL_MODES = {
    "end": "the file's last moment",
    "now": "now (rows still on are costed to now)",
    "at": "a chosen moment",
}
#: monitors the page can fetch from (`impact.monitor.fetch`), and the token each needs
FETCH_SOURCES = {"ioda": "IODA", "cloudflare": "Cloudflare Radar", "ooni": "OONI"}
#: reader options the page offers (beyond country and until), with their labels and help
OPTION_WIDGETS = {
    "datasource": ("IODA signal", "e.g. ping-slash24, bgp, merit-nt or gtr"),
    "platform": ("OONI platform", "the platform a file of one test measures, e.g. whatsapp"),
    "causes": ("Cloudflare Radar causes", "comma separated, or all (default: restrictions)"),
}
#: widget keys of the Monitor page and their defaults (kept in session state across pages)
MONITOR_DEFAULTS: dict[str, Any] = {
    "mon_source": "seed",
    "mon_method": ENSEMBLE,
    "mon_until_mode": "end",
    "mon_horizons": list(DEFAULT_HORIZONS),
    "mon_watch_path": "",
    "mon_country": "",
    "mon_datasource": "",
    "mon_platform": "",
    "mon_causes": "",
    "mon_sheet": "all",
    "mon_fetch_source": "ioda",
    "mon_fetch_country": "",
    "mon_fetch_days": 2,
}
#: session-state key of the last uploaded file, ``(name, bytes)`` (a file uploader forgets
#: its file when another page is shown)
UPLOADED_KEY = "mon_uploaded"
#: session-state key of the last fetched answer, ``(name, bytes)``
FETCHED_KEY = "mon_fetched"
MONITOR_KEYS = (*MONITOR_DEFAULTS, "mon_until_date", "mon_until_time", UPLOADED_KEY,
                FETCHED_KEY)
SCOPE_WORDS = {"full": "full internet", "mobile": "mobile data", "platforms": "platforms",
               "throttling": "throttling"}


# ---- reading the file ----------------------------------------------------------------------------
def load_timeline(data: bytes, name: str, options: Options = ()) -> Any:
    """The `impact.monitor.timeline.Timeline` of an uploaded, fetched or watched file, read with
    ``options`` (``(name, value)`` pairs passed to the reader: country, until, datasource,
    platform, sheet, causes; see `read_options`).

    `impact.monitor.importers.read_any`: IODA, Cloudflare Radar, OONI, Access Now and our CSV,
    detected from the content. A bad file raises `impact.monitor.timeline.TimelineError`, one line
    naming the file, line and field.

    >>> csv = b"start_utc,end_utc,country\\n2024-02-08T03:00Z,2024-02-08T05:00Z,PAK\\n"
    >>> load_timeline(csv, "t.csv").iso3
    'PAK'
    >>> load_timeline(b"start_utc,end_utc,country\\nyesterday,,PAK\\n", "bad.csv")
    Traceback (most recent call last):
    ...
    impact.monitor.timeline.TimelineError: bad.csv line 2: start_utc: 'yesterday' is not accepted; an ISO date-time in UTC, e.g. 2024-02-08T02:00Z or 2024-02-08 02:00 (0 of 1 records kept)
    """
    from impact.monitor.importers import read_any

    return read_any(data, name=name, **dict(options))


def file_format(data: bytes, name: str) -> str | None:
    """The format `impact.monitor.importers.read_any` detects in the file (None: not recognised, the
    error is shown when it is read).

    >>> file_format(b"start_utc,end_utc,country\\n", "t.csv")
    'timeline'
    """
    from impact.errors import TimelineError
    from impact.monitor.importers import detect_format

    try:
        return detect_format(data, name)
    except (TimelineError, ValueError):
        return None


def format_options(fmt: str | None) -> tuple[str, ...]:
    """The options the reader of format ``fmt`` takes (its module's ``OPTIONS``).

    >>> "datasource" in format_options("ioda_signals"), format_options(None)
    (True, ())
    """
    import sys

    from impact.monitor.importers import FORMATS

    reader = FORMATS.get(fmt or "")
    if reader is None:
        return ()
    return tuple(getattr(sys.modules[reader.__module__], "OPTIONS", ()))


def sheet_names(data: bytes, name: str) -> tuple[str, ...]:
    """The sheets of a workbook (empty: not a workbook, or one that cannot be opened)."""
    from impact import workbook

    if not workbook.is_workbook(data, name):
        return ()
    import fastexcel

    try:
        return tuple(fastexcel.read_excel(data).sheet_names)
    except (fastexcel.FastExcelError, OSError, ValueError):  # broken: reading it says why
        return ()


def read_options(choices: dict[str, Any], accepted: tuple[str, ...], *,
                 workbook: bool = False) -> Options:
    """``(name, value)`` pairs for the reader from the page's choices: country and until
    always (when set), the others only when the file's format takes them (``sheet`` for a
    workbook); empty values are left out (the reader's default).

    >>> read_options({"country": "PAK", "datasource": "bgp", "platform": "x"},
    ...              ("datasource", "until"))
    (('country', 'PAK'), ('datasource', 'bgp'))
    >>> read_options({"sheet": "2024", "until": "now"}, (), workbook=True)
    (('sheet', '2024'), ('until', 'now'))
    """
    out = []
    for key, value in sorted(choices.items()):
        text = str(value).strip() if value is not None else ""
        if not text or (key == "sheet" and text == "all"):
            continue
        if key in ("country", "until") or key in accepted or (key == "sheet" and workbook):
            out.append((key, text))
    return tuple(out)


def now_text(now: datetime | None = None) -> str:
    """The current UTC minute as ISO text (the "now" cut; a new minute is a new result).

    >>> now_text(datetime(2024, 2, 8, 12, 30, 59, tzinfo=UTC))
    '2024-02-08T12:30:00+00:00'
    """
    return (now or datetime.now(UTC)).replace(second=0, microsecond=0).isoformat()


def until_choice(mode: str, day: date | None = None, clock: time | None = None,
                 now: datetime | None = None) -> str | None:
    """The cut of `UNTIL_MODES` ``mode`` as ISO UTC text (None: the file's last moment).

    >>> until_choice("end"), until_choice("at", date(2024, 2, 8), time(9, 0))
    (None, '2024-02-08T09:00:00+00:00')
    """
    if mode == "now":
        return now_text(now)
    if mode == "at":
        return until_text(day, clock)
    return None


@dataclass(frozen=True)
class ReadReport:
    """What the reader did with the file, display-ready (`impact.monitor.timeline.ImportReport`)."""

    summary: str  #: ``read 12 records: kept 10 rows, refused 2; 1 still on, …``
    refused: tuple[str, ...]  #: one line per refused record (user text: shown as plain text)
    notes: tuple[str, ...]
    ongoing: int  #: rows still on, costed to the cut
    needs_until: bool  #: some row was refused for having no end (choose until)


def read_report(timeline: Any) -> ReadReport | None:
    """The `ReadReport` of a timeline (None: the reader kept no report)."""
    report = getattr(timeline, "report", None)
    if report is None:
        return None
    refused = tuple(report.refused)
    return ReadReport(summary=report.summary(), refused=refused, notes=tuple(report.notes),
                      ongoing=report.ongoing,
                      needs_until=any("still on" in line for line in refused))


def fetch_export(source: str, country: str, start: str, end: str) -> tuple[str, bytes]:
    """(file name, body) of a monitor's export fetched with `impact.monitor.fetch.fetch` (the only
    call that uses the network; the base URL of each source can be replaced by
    ``IMPACT_FETCH_BASE_<SOURCE>``). Every failure, offline included, is one `InputError`
    line."""
    import tempfile

    from impact.monitor import fetch

    with tempfile.TemporaryDirectory(prefix="impact-fetch-") as tmp:
        iso3 = country.strip()
        path = fetch.fetch(source, iso3 or None, start, end,
                           str(Path(tmp) / "answer.json"))
        body = path.read_bytes()
    from impact.bundled.countries import resolve_country

    t0 = start.replace(":", "").replace("-", "")[:13]
    return f"{source}_{resolve_country(country)}_{t0}.json", body


def token_set(source: str) -> bool:
    """Whether the API token ``source`` needs is in the environment (True: none needed)."""
    import os

    from impact.monitor import fetch

    env = fetch.TOKEN_ENV.get(source)
    return env is None or bool(os.environ.get(env, "").strip())


def watch_path(text: str, roots: tuple[Path, ...] | None = None) -> Path:
    """The file a typed path points at: relative to the first allowed folder, and inside one
    of ``roots`` (default `watch_roots`) once links are resolved. Messages never show the
    server's folders.

    >>> watch_path("live/../t.csv", (Path("/srv/feeds"),))
    PosixPath('/srv/feeds/t.csv')
    >>> watch_path("/etc/passwd", (Path("/srv/feeds"),))
    Traceback (most recent call last):
    ...
    impact.errors.InputError: path: '/etc/passwd' is not accepted; a file inside the folders the operator allowed for watching
    """
    from impact.errors import InputError

    roots = watch_roots() if roots is None else roots
    if not roots:
        raise InputError("path", text, f"nothing: watching files on this server is off (the "
                         f"operator turns it on with {WATCH_ENV})")
    raw = text.strip()
    if not raw or "\x00" in raw:
        raise InputError("path", text, "the path of a timeline file")
    try:
        path = (roots[0] / raw).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a name too long
        raise InputError("path", text, "the path of a timeline file") from None
    if not any(path.is_relative_to(r) for r in roots):
        raise InputError("path", text, "a file inside the folders the operator allowed for "
                         "watching")
    return path


def read_watched(text: str, roots: tuple[Path, ...] | None = None) -> tuple[bytes, str]:
    """(bytes, file name) of the watched file, at most `WATCH_MAX_BYTES`; a missing,
    unreadable or too large file is an `InputError`."""
    from impact.errors import InputError

    path = watch_path(text, roots)
    try:
        if not path.is_file():
            raise FileNotFoundError
        if path.stat().st_size > WATCH_MAX_BYTES:
            raise InputError("path", text, f"a file of at most {WATCH_MAX_BYTES // 1_000_000} "
                             "MB")
        with path.open("rb") as fh:
            data = fh.read(WATCH_MAX_BYTES + 1)
    except OSError:
        raise InputError("path", text, "an existing, readable timeline file") from None
    if len(data) > WATCH_MAX_BYTES:
        raise InputError("path", text, f"a file of at most {WATCH_MAX_BYTES // 1_000_000} MB")
    return data, path.name


# ---- the page's choices --------------------------------------------------------------------------
def horizons_text(chosen: list[str] | tuple[str, ...]) -> str:
    """The chosen horizons in `HORIZONS` order, as `impact.monitor.costing.monitor` takes them.

    >>> horizons_text(["30d", "1d", "12h"])
    '12h,1d,30d'
    """
    return ",".join(h for h in HORIZONS if h in set(chosen))


def until_text(day: date | None, clock: time | None) -> str | None:
    """The chosen cut as an ISO UTC moment (None: the timeline's end).

    >>> until_text(date(2024, 2, 8), time(12, 30))
    '2024-02-08T12:30:00+00:00'
    """
    if day is None:
        return None
    return datetime.combine(day, clock or time(0, 0), tzinfo=UTC).isoformat()


def run_monitor(data: bytes, name: str, until: str | None, project: str, draws: int,
                options: Options = ()) -> Any:
    """`impact.monitor.costing.monitor` of a file's bytes read with ``options`` (every method, so
    choosing another one only changes the view); ``until`` is also the reader's, so rows
    still on are costed to it."""
    from impact.monitor.costing import monitor

    if until is not None:
        options = tuple(sorted({**dict(options), "until": until}.items()))
    return monitor(load_timeline(data, name, options), until=until, project=project,
                   draws=draws)


# ---- the view ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonitorView:
    """Everything the Monitor page shows for one result and method (display-ready)."""

    title: str  #: markdown: country, file, hours covered
    status_word: str  #: "Still on" or "Lifted"
    status: str  #: since when, until when (local time)
    current: bool
    method: str
    so_far: str  #: cost so far, P50 (or the method's status)
    so_far_range: str  #: "P5–P95: …" and local currency
    spread: str  #: the P50s of every method that costs it
    members: str  #: who is in the headline and who is not, and why ("" for one method)
    per_hour: str
    per_hour_range: str
    per_day: str
    per_day_range: str
    projection: pl.DataFrame  #: one row per horizon, strings (USD and local)
    methods_table: pl.DataFrame  #: cost so far of every method, strings
    cumulative: pl.DataFrame  #: per hour: local time, cumulative P5/P50/P95 [USD]
    intensity: pl.DataFrame  #: per hour and kind: local time, kind, lost share of the hour
    rows: pl.DataFrame  #: the timeline's rows
    notes: tuple[str, ...]
    stem: str  #: file name stem of the downloads


def _local_text(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%d %b %Y %H:%M} {local.tzname()} ({moment.astimezone(UTC):%H:%M} UTC)"


def _row(frame: pl.DataFrame, **match: Any) -> dict[str, Any]:
    for col, value in match.items():
        frame = frame.filter(pl.col(col) == value)
    return frame.to_dicts()[0]


def _range(r: dict[str, Any], currency: str) -> str:
    text = "P5–P95: " + fmt.money_range(r["loss_usd_p05"], r["loss_usd_p95"])
    if r.get("loss_local_p50") is not None and currency != "USD":
        text += f" · {fmt.money(r['loss_local_p50'], currency)}"
    return text


def horizon_label(days: float) -> str:
    """``0.5`` -> ``'12 hours'``, ``1`` -> ``'1 day'``, ``30`` -> ``'30 days'``.

    >>> horizon_label(0.5), horizon_label(1), horizon_label(30)
    ('12 hours', '1 day', '30 days')
    """
    if days < 1:
        hours = days * 24
        return f"{hours:g} hour" + ("" if hours == 1 else "s")
    return f"{days:g} day" + ("" if days == 1 else "s")


def projection_table(result: Any, method: str) -> pl.DataFrame:
    """What the restriction will have cost if it lasts each horizon longer (strings)."""
    cur = result.currency
    rows = result.projection.filter(pl.col("method") == method).sort("more_days").to_dicts()
    local = cur != "USD" and result.fx is not None
    out = []
    for r in rows:
        item = {
            "if it lasts": f"{horizon_label(r['more_days'])} more"
            if result.current else f"had it lasted {horizon_label(r['more_days'])} more",
            "total P50 [USD]": fmt.money(r["loss_usd_p50"]),
            "P5–P95 [USD]": fmt.money_range(r["loss_usd_p05"], r["loss_usd_p95"]),
        }
        if local:
            item[f"total P50 [{cur}]"] = fmt.money(r["loss_local_p50"], cur)
            item[f"P5–P95 [{cur}]"] = fmt.money_range(r["loss_local_p05"],
                                                      r["loss_local_p95"], cur)
        out.append(item)
    columns = ["if it lasts", "total P50 [USD]", "P5–P95 [USD]"]
    if local:
        columns += [f"total P50 [{cur}]", f"P5–P95 [{cur}]"]
    return pl.DataFrame(out, schema=dict.fromkeys(columns, pl.String))


def methods_table(result: Any) -> pl.DataFrame:
    """Cost so far by every method (strings), with the reason a method does not cost it."""
    cur = result.currency
    out = []
    for r in result.so_far.to_dicts():
        ok = r["status"] == "ok"
        out.append({
            "method": method_title(r["method"]),
            "status": r["status"].replace("_", " "),
            "so far P50 [USD]": fmt.money(r["loss_usd_p50"]) if ok else fmt.MISSING,
            "P5–P95 [USD]": (fmt.money_range(r["loss_usd_p05"], r["loss_usd_p95"])
                             if ok else fmt.MISSING),
            f"so far P50 [{cur}]": fmt.money(r["loss_local_p50"], cur) if ok else fmt.MISSING,
            "reason": r["reason"] or "",
        })
    columns = ["method", "status", "so far P50 [USD]", "P5–P95 [USD]", f"so far P50 [{cur}]",
               "reason"]
    return pl.DataFrame(out, schema=dict.fromkeys(columns, pl.String))


def spread_text(result: Any) -> str:
    """The range of the methods' P50s of the cost so far (the methods, not the headline)."""
    ok = [r for r in result.so_far.to_dicts() if r["status"] == "ok"
          and r["method"] != ENSEMBLE]
    if not ok:
        return "No method costs this timeline."
    if len(ok) == 1:
        return f"Only {REGISTRY[ok[0]['method']].title} costs this timeline."
    low = min(ok, key=lambda r: r["loss_usd_p50"])
    high = max(ok, key=lambda r: r["loss_usd_p50"])
    return (f"Across the {len(ok)} methods that cost it: {fmt.money(low['loss_usd_p50'])} "
            f"({REGISTRY[low['method']].title}) to {fmt.money(high['loss_usd_p50'])} "
            f"({REGISTRY[high['method']].title}), P50s.")


def members_text(result: Any, method: str) -> str:
    """Under the headline's cards: its members, how they are combined, who is not in it and
    why (the rule of docs/headline.md); ``""`` for one method."""
    from impact.estimation.ensemble import BESIDE

    head = getattr(result, "headline", None)
    if method != ENSEMBLE or head is None:
        return ""
    inside = "; ".join(method_title(m) for m in head.members) or "no method applies"
    left = " ".join(f"Not in it: {method_title(m)}, {why.removeprefix(BESIDE)}."
                    for m, why in head.excluded.items())
    return (f"Headline: {inside}, their Monte Carlo draws combined quantile by quantile "
            "(geometric means, equal weights), as on the Estimate page. "
            + (f"{left} " if left else "") + "The rule: docs/headline.md.")


def status_line(result: Any) -> tuple[str, str]:
    """(``Still on`` or ``Lifted``, since when and until when in the country's local time)."""
    from impact.monitor.costing import lifted_at

    tl = result.timeline
    began = _local_text(tl.start, result.zone)
    if result.current:
        return "Still on", (f"at {_local_text(result.until, result.zone)}; restricted since "
                            f"{began}.")
    lifted = lifted_at(tl, result.until)
    when = _local_text(lifted, result.zone) if lifted else "before the cut"
    return "Lifted", (f"at {when}; began {began}; figures as of "
                      f"{_local_text(result.until, result.zone)}.")


def kind_label(scope: str, platforms: str | None, region: str | None) -> str:
    """``mobile data, Balochistan`` — one kind of restriction, for the chart legend.

    >>> kind_label("platforms", "x;youtube", None)
    'platforms: x, youtube, nationwide'
    """
    text = SCOPE_WORDS.get(scope, scope)
    if platforms:
        text += ": " + platforms.replace(";", ", ")
    return f"{text}, {region or 'nationwide'}"


#: the local hour as the charts take it: wall-clock text marked as UTC, drawn on a UTC time
#: scale, so the browser's own time zone never moves an hour (nor drops one at its DST)
_CHART_HOUR = "%Y-%m-%dT%H:%M:00Z"
_HOUR_LABEL = "%d %b %H:%M"


def _chart_hours(col: str = "hour_local") -> list[pl.Expr]:
    return [pl.col(col).dt.strftime(_CHART_HOUR).alias("hour_local"),
            pl.col(col).dt.strftime(_HOUR_LABEL).alias("hour_label")]


def cumulative_frame(result: Any, method: str) -> pl.DataFrame:
    """Per UTC hour: the local hour (`_CHART_HOUR` text and a label) and the cumulative
    P5/P50/P95 [USD] of ``method`` up to the end of that hour, with formatted labels (empty
    when the method does not cost the timeline)."""
    cols = [f"{method}_cum_usd_{q}" for q in ("p05", "p50", "p95")]
    schema = {"hour_local": pl.String, "hour_label": pl.String, "p05": pl.Float64,
              "p50": pl.Float64, "p95": pl.Float64, "p05_label": pl.String,
              "p50_label": pl.String, "p95_label": pl.String}
    if not set(cols) <= set(result.hourly.columns):
        return pl.DataFrame(schema=schema)
    frame = (result.hourly.group_by("hour_utc", maintain_order=True)
             .agg(pl.col("hour_local").last(), *[pl.col(c).last() for c in cols])
             .sort("hour_utc"))
    out = frame.select(*_chart_hours(),
                       *[pl.col(c).cast(pl.Float64).alias(q)
                         for c, q in zip(cols, ("p05", "p50", "p95"), strict=True)])
    labels = {f"{q}_label": [fmt.money(v) for v in out[q]] for q in ("p05", "p50", "p95")}
    return out.with_columns(**{k: pl.Series(v, dtype=pl.String) for k, v in labels.items()})


def intensity_frame(result: Any) -> pl.DataFrame:
    """Per UTC hour and kind: the local hour (`_CHART_HOUR` text and a label) and its end,
    the kind and the share of the hour's service lost (intensity × minutes / 60)."""
    h = result.hourly
    return h.select(
        *_chart_hours(),
        (pl.col("hour_local") + pl.duration(hours=1)).dt.strftime(_CHART_HOUR)
        .alias("hour_end"),
        pl.Series("kind", [kind_label(s, p, r) for s, p, r in
                           zip(h["scope"], h["platforms"], h["region"], strict=True)],
                  dtype=pl.String),
        (pl.col("intensity") * pl.col("minutes") / 60).round(4).cast(pl.Float64)
        .alias("lost"),
        pl.col("minutes").round(1).cast(pl.Float64),
        pl.col("intensity").round(3).cast(pl.Float64),
    )


_MONEY_AXIS = ("replace(replace(replace(format(datum.value, '~s'), 'G', 'bn'), 'M', 'm'), "
               "'T', 'tn')")
#: the page's charts fit the container's width; their height is the plot's, and the title,
#: axes and legend are added to it (Streamlit's default, ``fit``, squeezes them all into the
#: height and leaves the plot a few pixels, or none)
_AUTOSIZE = {"type": "fit-x", "contains": "padding"}
#: room around the drawing [px] (the app's theme has none: a title's ascent would be cut)
_PADDING = {"top": 8, "bottom": 4, "left": 4, "right": 8}


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows for a spec's inline ``data.values`` (sent within the spec, so Vega
    draws them at once: data given to Streamlit as a table is drawn empty first, which logs
    "Infinite extent" warnings)."""
    return frame.to_dicts()


def _hour_axis(zone: str, **extra: Any) -> dict[str, Any]:
    return {"field": "hour_local", "type": "temporal", "title": f"local time ({zone})",
            "scale": {"type": "utc"},
            "axis": {"labelOverlap": True, "format": "%d %b %H:%M"}, **extra}


def cumulative_chart_spec(frame: pl.DataFrame, zone: str, method_title: str) -> dict[str, Any]:
    """Vega-Lite spec of the cumulative cost (band = P5 to P95, line = P50) of
    `cumulative_frame`'s rows, drawn in the country's local time (``zone``)."""
    tooltip = [{"field": "hour_label", "title": "hour (local)"},
               {"field": "p50_label", "title": "P50"}, {"field": "p05_label", "title": "P5"},
               {"field": "p95_label", "title": "P95"}]
    return {
        "height": 240,
        "autosize": _AUTOSIZE,
        "padding": _PADDING,
        "title": {"text": f"Cost so far, {method_title}", "anchor": "start", "fontSize": 13},
        "layer": [{
            "data": {"values": _rows(frame)},
            "encoding": {"x": _hour_axis(zone), "tooltip": tooltip},
            "layer": [
                {"mark": {"type": "area", "opacity": 0.25, "interpolate": "step-after"},
                 "encoding": {"y": {"field": "p05", "type": "quantitative",
                                    "title": "USD; band = P5 to P95, line = P50",
                                    "axis": {"labelExpr": _MONEY_AXIS}},
                              "y2": {"field": "p95"}}},
                {"mark": {"type": "line", "interpolate": "step-after"},
                 "encoding": {"y": {"field": "p50", "type": "quantitative"}}},
            ],
        }],
    }


def intensity_chart_spec(frame: pl.DataFrame, zone: str) -> dict[str, Any]:
    """Vega-Lite spec of the restriction per hour of `intensity_frame`'s rows (one overlaid
    bar per kind: a regional row lost entirely is 1 in its region, so kinds are not
    stacked), drawn in the country's local time (``zone``)."""
    return {
        "height": 180,
        "autosize": _AUTOSIZE,
        "padding": _PADDING,
        "title": {"text": "Restriction per hour", "anchor": "start", "fontSize": 13},
        "layer": [{
            "data": {"values": _rows(frame)},
            # each bar spans its hour (x to x2): a time-unit bar loses a few pixels of
            # spacing, which on a phone is all of an hour's width
            "mark": {"type": "bar", "opacity": 0.6, "stroke": "white", "strokeWidth": 0.5},
            "encoding": {
                "x": _hour_axis(zone),
                "x2": {"field": "hour_end"},
                "y": {"field": "lost", "type": "quantitative", "stack": None,
                      "title": "intensity × share of the hour",
                      "scale": {"domain": [0, 1]}},
                "y2": {"datum": 0},
                "color": {"field": "kind", "type": "nominal", "title": "restriction",
                          "legend": {"orient": "bottom", "direction": "vertical",
                                     "labelLimit": 0}},
                "tooltip": [{"field": "hour_label", "title": "hour (local)"},
                            {"field": "kind"}, {"field": "minutes"},
                            {"field": "intensity"}],
            },
        }],
    }


def rows_table(timeline: Any) -> pl.DataFrame:
    """The timeline's rows, as read."""
    from impact.monitor.timeline import rows_frame

    return rows_frame(timeline)


def hourly_csv(result: Any) -> str:
    """The hourly table (every method's cumulative P5/P50/P95 [USD]) as CSV."""
    return result.hourly.with_columns(
        pl.col("hour_utc").dt.strftime("%Y-%m-%dT%H:%MZ"),
        pl.col("hour_local").dt.strftime("%Y-%m-%dT%H:%M")).write_csv()


def file_stem(result: Any) -> str:
    """``impact_monitor_PAK_20240209T1000Z``."""
    return f"impact_monitor_{result.timeline.iso3}_{result.until:%Y%m%dT%H%MZ}"


def brief_file(kind: str, result: Any, method: str) -> str | bytes:
    """The brief (``html`` or ``pdf``) of ``result``, built when its download is clicked."""
    from impact.report import brief

    return brief.brief_html(result, method=method) if kind == "html" else brief.brief_pdf(
        result, method=method)


def brief_available() -> bool:
    """Whether `impact.report.brief` is installed (checked without importing it)."""
    from importlib.util import find_spec

    return find_spec("impact.report.brief") is not None


def monitor_view(result: Any, method: str) -> MonitorView:
    """The Monitor page's display of ``result`` with ``method`` in front (pure)."""
    from impact.bundled.countries import country_name

    cur = result.currency
    so = _row(result.so_far, method=method)
    ok = so["status"] == "ok"
    method_status = so["status"].replace("_", " ")
    tl = result.timeline
    hours = (min(result.until, tl.end) - tl.start).total_seconds() / 3600
    title = (f"**{country_name(tl.iso3)}** · {fmt.md_text(tl.name)} · {len(tl.rows)} rows "
             f"over {fmt.number(hours)} hours · {result.draws:,} Monte Carlo draws")

    def rate(which: str) -> tuple[str, str]:
        r = _row(result.burn, method=method, rate=which)
        if not ok:
            return method_status, ""
        if not result.current:
            return fmt.money(r["loss_usd_p50"]), (f"{_range(r, cur)} · lifted: had it lasted "
                                                  "at its last intensity")
        return fmt.money(r["loss_usd_p50"]), _range(r, cur)

    per_hour, per_hour_range = rate("per_hour")
    per_day, per_day_range = rate("per_day")
    status_word, status = status_line(result)
    return MonitorView(
        title=title, status_word=status_word, status=status, current=result.current,
        method=method,
        so_far=fmt.money(so["loss_usd_p50"]) if ok else method_status,
        so_far_range=_range(so, cur) if ok else (so["reason"] or ""),
        spread=spread_text(result), members=members_text(result, method),
        per_hour=per_hour, per_hour_range=per_hour_range,
        per_day=per_day, per_day_range=per_day_range,
        projection=projection_table(result, method) if ok else pl.DataFrame(),
        methods_table=methods_table(result),
        cumulative=cumulative_frame(result, method), intensity=intensity_frame(result),
        rows=rows_table(tl), notes=tuple(result.notes), stem=file_stem(result),
    )
