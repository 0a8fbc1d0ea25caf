"""The Monitor page's view model: the display tables and figures built from a
`impact.monitor.costing.MonitorResult` (`MonitorView`); reading the file is `app_pages.monitor_read`,
the choices `app_pages.monitor_choices`, the charts `app_pages.monitor_charts`.

Nothing here imports streamlit, so every function can be tested on its own (the page caches
`monitor_view` by the file's bytes, the choices and the method shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl

from app_pages.monitor_charts import cumulative_frame, intensity_frame
from app_pages.monitor_choices import method_title
from app_pages.monitor_exports import file_stem
from impact import format as fmt
from impact.estimation.ensemble import ENSEMBLE, RULE_WORDS
from impact.methods import REGISTRY
from impact.vocab import PLATFORM_LABELS, SCOPE_TITLES


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
    rows: pl.DataFrame  #: the timeline's rows, display-ready (`rows_display`)
    notes: tuple[str, ...]
    stem: str  #: file name stem of the downloads


def _local_text(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%d %b %Y %H:%M} {local.tzname()} ({moment.astimezone(UTC):%H:%M} UTC)"


#: the Timeline rows table's columns, in plain words
ROW_COLUMNS = ("Start", "End", "Country", "Region", "Network", "Restriction", "Platforms",
               "Share of service lost", "Share of users affected", "Source")


def moment_text(moment: datetime | None, zone: str = "UTC") -> str:
    """A moment as ``2024-02-08 14:00 UTC`` in ``zone`` (an IANA name; the zone's short
    name follows), the missing mark for none.

    >>> moment_text(datetime(2024, 2, 8, 14, 0, tzinfo=UTC))
    '2024-02-08 14:00 UTC'
    >>> moment_text(datetime(2024, 2, 8, 14, 0, tzinfo=UTC), "Asia/Karachi")
    '2024-02-08 19:00 PKT'
    >>> moment_text(None)
    '–'
    """
    from zoneinfo import ZoneInfo

    if moment is None:
        return fmt.MISSING
    if zone == "UTC":
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def rows_display(timeline: Any, zone: str = "UTC") -> pl.DataFrame:
    """The timeline's rows for people (`ROW_COLUMNS`, strings): moments in ``zone``, scopes
    and platforms in words, shares as percentages, the missing mark for what a row leaves
    open (an end still open reads ``still on``)."""
    out = []
    for r in timeline.rows:
        platforms = ", ".join(PLATFORM_LABELS.get(p, p) for p in r.platforms)
        out.append({
            "Start": moment_text(r.start_utc, zone),
            "End": moment_text(r.end_utc, zone) if r.end_utc is not None else "still on",
            "Country": r.country or fmt.MISSING,
            "Region": r.region or "nationwide",
            "Network": f"AS{r.asn}" if r.asn is not None else fmt.MISSING,
            "Restriction": SCOPE_TITLES.get(r.scope, r.scope),
            "Platforms": platforms or fmt.MISSING,
            "Share of service lost": fmt.percent(r.intensity),
            "Share of users affected": fmt.percent(r.affected_share),
            "Source": r.source or fmt.MISSING,
        })
    return pl.DataFrame(out, schema=dict.fromkeys(ROW_COLUMNS, pl.String))


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
            + (f"{left} " if left else "") + RULE_WORDS)


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


def monitor_view(result: Any, method: str, zone: str = "local") -> MonitorView:
    """The Monitor page's display of ``result`` with ``method`` in front, its hours in
    ``zone`` (``local``: the country's, or ``utc``) (pure)."""
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
        cumulative=cumulative_frame(result, method, zone),
        intensity=intensity_frame(result, zone),
        rows=rows_display(tl, "UTC" if zone == "utc" else result.zone), notes=tuple(result.notes), stem=file_stem(result),
    )
