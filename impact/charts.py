"""Charts of a monitored restriction (`impact.monitor.MonitorResult`), for the brief and the app.

Pure builders over the result's polars frames: `cumulative_chart` (the cost so far, hour by
hour, with its P5–P95 band) and `intensity_chart` (the measured intensity of each scope, hour
by hour, 0–1), both over the country's local time. `png` and `svg` render a chart offline with
vl-convert (no network, no file written: the data are inline values).

Altair and vl-convert are imported inside the functions, so ``import impact.charts`` (and
everything that imports it at module level) stays light.

Local time on the axes: the local wall-clock hours are written as if they were UTC and the
time scale is UTC, so the axis shows the local hours whatever the renderer's own zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from impact.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from impact.monitor import MonitorResult

WIDTH = 420
HEIGHT = 180
#: the most points of a cumulative curve (a longer timeline keeps every n-th hour and the last)
MAX_POINTS = 1_000
SCOPE_COLOURS = {"full": "#b2182b", "mobile": "#ef8a62", "throttling": "#67a9cf",
                 "platforms": "#2166ac"}


def _stamp(moment: datetime) -> str:
    """A naive local wall-clock time as an ISO string read as UTC by the UTC time scale."""
    return moment.replace(tzinfo=None).isoformat(timespec="minutes") + "Z"


def _axis_title(result: MonitorResult) -> str:
    return f"local time ({result.zone})"


def cumulative_points(result: MonitorResult, method: str) -> list[dict[str, Any]]:
    """The cumulative cost of ``method`` at the end of every hour [USD P5/P50/P95], starting
    from zero at the first hour, as records ``{"t", "p05", "p50", "p95"}`` (at most
    `MAX_POINTS` hours; the last hour always)."""
    cols = [f"{method}_cum_usd_{q}" for q in ("p05", "p50", "p95")]
    frame = result.hourly
    if any(c not in frame.columns for c in cols):
        costed = [m for m in result.methods if f"{m}_cum_usd_p50" in frame.columns]
        raise InputError("method", method, "a method costed in this result: "
                         + (", ".join(costed) or "none"))
    if frame.height == 0:
        return []
    # rows are pieces in time order; the last piece of an hour carries that hour's total
    last = frame.group_by("hour_local", maintain_order=True).agg(
        [pl.col(c).last() for c in cols]).sort("hour_local")
    first = last["hour_local"][0]
    out = [{"t": _stamp(first), "p05": 0.0, "p50": 0.0, "p95": 0.0}]
    step = max(1, -(-last.height // MAX_POINTS))  # a long timeline: every step-th hour
    keep = set(range(step - 1, last.height, step)) | {last.height - 1}
    for i, row in enumerate(last.iter_rows(named=True)):
        if i not in keep:
            continue
        out.append({"t": _stamp(row["hour_local"] + timedelta(hours=1)),
                    "p05": row[cols[0]], "p50": row[cols[1]], "p95": row[cols[2]]})
    return out


def intensity_points(result: MonitorResult) -> list[dict[str, Any]]:
    """The highest measured intensity per local hour and scope (0 where a scope is off) as
    steps — a point where a scope's level changes, at the first hour and after the last —
    as records ``{"t", "scope", "intensity"}``."""
    frame = result.hourly
    if frame.height == 0:
        return []
    per = frame.group_by(["hour_local", "scope"]).agg(pl.col("intensity").max())
    hours_ = sorted(set(per["hour_local"].to_list()))
    start, end = hours_[0], hours_[-1] + timedelta(hours=1)
    scopes = [s for s in SCOPE_COLOURS if s in set(per["scope"].to_list())]
    level = {(r["hour_local"], r["scope"]): r["intensity"] for r in per.iter_rows(named=True)}
    out = []
    for s in scopes:  # steps: a point where the level changes (and at both ends)
        t, prev = start, None
        while t <= end:
            value = float(level.get((t, s), 0.0))
            if value != prev or t in (start, end):
                out.append({"t": _stamp(t), "scope": s, "intensity": value})
            prev = value
            t += timedelta(hours=1)
    return out


def cumulative_chart(result: MonitorResult, method: str, *, width: int = WIDTH,
                     height: int = HEIGHT):
    """The cost so far of ``method`` [USD] over local time: the P50 line on its P5–P95 band.

    Raises `InputError` when ``method`` has no costed curve in ``result`` (not run, or not
    applicable to this timeline)."""
    import altair as alt

    points = cumulative_points(result, method)
    data = alt.Data(values=points)
    x = alt.X("t:T", title=_axis_title(result), scale=alt.Scale(type="utc"),
              axis=alt.Axis(format="%d %b %H:%M", labelAngle=0, labelOverlap=True))
    band = alt.Chart(data).mark_area(opacity=0.25, color="#4c78a8").encode(
        x=x, y=alt.Y("p05:Q", title="cost so far [USD]", axis=alt.Axis(format="~s")),
        y2="p95:Q")
    line = alt.Chart(data).mark_line(color="#1f3b73", strokeWidth=2).encode(
        x=x, y="p50:Q")
    from impact.methods import REGISTRY

    title = REGISTRY[method].title if method in REGISTRY else method
    return (band + line).properties(
        width=width, height=height,
        title=alt.Title(f"Cost so far: {title}", subtitle="line P50, band P5–P95",
                        anchor="start", fontSize=12, subtitleFontSize=10))


def intensity_chart(result: MonitorResult, *, width: int = WIDTH, height: int = HEIGHT):
    """The measured intensity (0–1, 1 = service fully lost) per scope, hour by hour, as steps
    over local time."""
    import altair as alt

    data = alt.Data(values=intensity_points(result))
    present = {p["scope"] for p in data.values} if data.values else set()
    scopes = [s for s in SCOPE_COLOURS if s in present] or list(SCOPE_COLOURS)
    colour = alt.Color("scope:N", title=None, legend=alt.Legend(orient="top"), scale=alt.Scale(
        domain=scopes, range=[SCOPE_COLOURS[s] for s in scopes]))
    x = alt.X("t:T", title=_axis_title(result), scale=alt.Scale(type="utc"),
              axis=alt.Axis(format="%d %b %H:%M", labelAngle=0, labelOverlap=True))
    y = alt.Y("intensity:Q", title="intensity (0–1)", stack=None,
              scale=alt.Scale(domain=[0, 1]))
    area = alt.Chart(data).mark_area(interpolate="step-after", opacity=0.3).encode(
        x=x, y=y, color=colour)
    line = alt.Chart(data).mark_line(interpolate="step-after", strokeWidth=1.5).encode(
        x=x, y=y, color=colour)
    return (area + line).properties(
        width=width, height=height,
        title=alt.Title("Measured intensity", subtitle="highest per hour and scope",
                        anchor="start", fontSize=12, subtitleFontSize=10))


def _spec(chart) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()


def png(chart, scale: float = 2) -> bytes:
    """``chart`` (an Altair chart or a Vega-Lite dict) as PNG bytes, rendered offline."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def svg(chart) -> str:
    """``chart`` (an Altair chart or a Vega-Lite dict) as SVG text, rendered offline."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_spec(chart))
