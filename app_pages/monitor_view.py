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
from app_pages.monitor_exports import file_stem, rows_table
from impact import format as fmt
from impact.estimation.ensemble import ENSEMBLE
from impact.methods import REGISTRY


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
