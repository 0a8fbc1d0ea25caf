"""Charts of a monitored restriction (`impact.monitor.MonitorResult`) and of an estimate, for
the brief and the app.

Pure builders over the result's polars frames: `cumulative_chart` (the cost so far, hour by
hour, with its P5–P95 band) and `intensity_chart` (the measured intensity of each scope, hour
by hour, 0–1), both over the country's local time. `png` and `svg` render a chart offline with
vl-convert (no network, no file written: the data are inline values).

Charts of one estimate, over plain frames (`impact.chart_frames` builds them):
`duration_chart` (every method's P50 against the duration, the headline method's P5–P95 band,
the scenario's own duration marked), `tornado_chart` (what drives a method's range, one input
at a time) and `waterfall_chart` (direct, indirect, recovered and net loss), as Vega-Lite
specs. Their width is left to the container unless given; money axes read ``2.5m``,
``1.2bn``, ``3tn``. Each is an Altair chart built once per layout (the methods' titles, the
currency, the size) with named data, kept as JSON (`functools.lru_cache`; not re-validated
against the Vega-Lite schema, which costs more than building), and filled with a
scenario's rows inline: a new scenario costs no chart building.

Altair and vl-convert are imported inside the functions, so ``import impact.charts`` (and
everything that imports it at module level) stays light.

Local time on the axes: the local wall-clock hours are written as if they were UTC and the
time scale is UTC, so the axis shows the local hours whatever the renderer's own zone.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import polars as pl

from impact import format as fmt
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


# ---- charts of one estimate ------------------------------------------------------------------
#: Vega expression of a money axis label: ``~s`` with m / bn / tn instead of M / G / T
MONEY_LABELS = ("replace(replace(replace(format(datum.value, '~s'), 'G', 'bn'), 'M', 'm'), "
                "'T', 'tn')")
METHOD_COLOURS = ("#1f3b73", "#e45756", "#54a24b", "#f58518", "#b279a2", "#72b7b2",
                  "#9d755d", "#bab0ac")
TORNADO_COLOURS = ("#4c78a8", "#e45756")  # input at its P5, at its P95
WATERFALL_COLOURS = {"loss": "#e45756", "recovered": "#54a24b", "net": "#1f3b73"}


def _title(text: str, subtitle: str = ""):
    import altair as alt

    return alt.Title(text, subtitle=subtitle, anchor="start", fontSize=13,
                     subtitleFontSize=11)


def _money_axis(title: str):
    import altair as alt

    return alt.Axis(title=title, labelExpr=MONEY_LABELS, labelOverlap=True, tickCount=5)


def _size(chart, width: int | str | None, height: int | None):
    """Width (the container's when None) and height of the plot; ``fit-x``: the chart fits
    its width, and the legend, titles and axes come on top of ``height`` (the default
    ``fit`` of a container-wide chart would squeeze the plot under a tall legend)."""
    import altair as alt

    sizes = {k: v for k, v in (("width", width), ("height", height)) if v is not None}
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
                            **sizes)


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def _filled(template: str, **datasets: list[dict[str, Any]]) -> dict:
    """A chart's spec: its cached ``template`` (JSON, with named data) with the rows of each
    named dataset put inline where it is used (``data.values``: sent as part of the spec,
    where named datasets would each be converted to a table by the app)."""
    spec = json.loads(template)
    for part in [spec, *spec.get("layer", [])]:
        name = part.get("data", {}).get("name")
        if name is not None:
            part["data"] = {"values": datasets[name]}
    return spec


@functools.lru_cache(maxsize=64)
def _duration_template(titles: tuple[str, ...], band_title: str, currency: str,
                       width: int | str | None, height: int | None) -> str:
    import altair as alt

    x = alt.X("hours:Q", title="duration [hours]", scale=alt.Scale(zero=False, nice=False),
              axis=alt.Axis(labelOverlap=True, tickCount=6))
    colour = alt.Color("title:N", title=None, sort=list(titles), scale=alt.Scale(
        domain=list(titles), range=list(METHOD_COLOURS[:len(titles)]) or None),
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=270, symbolType="stroke"))
    tooltip = [alt.Tooltip("title:N", title="method"),
               alt.Tooltip("hours_label:N", title="duration"),
               alt.Tooltip("p50_label:N", title="P50"),
               alt.Tooltip("p05_label:N", title="P5"), alt.Tooltip("p95_label:N", title="P95")]
    band = alt.Chart(alt.Data(name="band")).mark_area(
        opacity=0.18, color=METHOD_COLOURS[0]).encode(
        x=x, y=alt.Y("p05:Q", axis=_money_axis(f"loss [{currency}]")), y2="p95:Q")
    lines = alt.Chart(alt.Data(name="lines")).mark_line(
        strokeWidth=2, point=alt.OverlayMarkDef(size=22, filled=True)).encode(
        x=x, y=alt.Y("p50:Q", axis=_money_axis(f"loss [{currency}]")), color=colour,
        tooltip=tooltip)
    mark = alt.Chart(alt.Data(name="scenario"))
    rule = mark.mark_rule(strokeDash=[4, 3], color="#555").encode(x="hours:Q")
    text = mark.mark_text(align="left", dx=4, dy=-4, baseline="bottom", fontSize=11,
                          color="#333").encode(x="hours:Q", y=alt.value(0), text="label:N")
    subtitle = "lines: P50 of each method"
    if band_title:
        subtitle += f" · band: P5–P95 of {band_title}"
    chart = _size(alt.layer(band, lines, rule, text), width, height).properties(
        title=_title("Loss by duration", subtitle))
    return json.dumps(chart.to_dict(validate=False))


def duration_chart(frame: pl.DataFrame, hours: float, *, band_method: str = "impact",
                   currency: str = "USD", width: int | str | None = None,
                   height: int | None = 280) -> dict:
    """Loss against duration (a Vega-Lite spec): the P50 of every method in ``frame`` as a
    line, the P5–P95 band of ``band_method`` (the first method when it is absent), and a
    rule at the scenario's ``hours``.

    ``frame`` has the columns of `impact.chart_frames.duration_frame`: method, title, hours,
    p05, p50, p95 [``currency``] and their ``*_label`` texts, one row per method and
    duration."""
    rows = _records(frame)
    titles = tuple(dict.fromkeys(r["title"] for r in rows))
    methods = list(dict.fromkeys(r["method"] for r in rows))
    banded = band_method if band_method in methods else (methods[0] if methods else "")
    band_title = next((r["title"] for r in rows if r["method"] == banded), "")
    return _filled(_duration_template(titles, band_title, currency, width, height),
                   band=[r for r in rows if r["method"] == banded], lines=rows,
                   scenario=[{"hours": float(hours),
                              "label": f"this scenario: {fmt.hours(hours)}"}])


@functools.lru_cache(maxsize=64)
def _tornado_template(ends: tuple[str, ...], currency: str, title: str,
                      width: int | str | None, height: int) -> str:
    import altair as alt

    y = alt.Y("label:N", title=None,
              sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
              axis=alt.Axis(labelLimit=170, labelFontSize=11))
    bars = alt.Chart(alt.Data(name="bars")).mark_bar(
        height=alt.RelativeBandSize(0.6)).encode(
        y=y, x=alt.X("start:Q", axis=_money_axis(f"loss [{currency}]"),
                     scale=alt.Scale(zero=False)),
        x2="end:Q",
        color=alt.Color("at:N", title=None, sort=list(ends), scale=alt.Scale(
            domain=list(ends), range=list(TORNADO_COLOURS[:len(ends)])),
            legend=alt.Legend(orient="bottom", labelFontSize=11, symbolSize=90)),
        tooltip=[alt.Tooltip("label:N", title="input"), alt.Tooltip("at:N", title="with the"),
                 alt.Tooltip("loss_label:N", title="loss"),
                 alt.Tooltip("swing_label:N", title="swing")])
    rule = alt.Chart(alt.Data(name="centre")).mark_rule(
        color="#333", strokeWidth=1.5).encode(x="centre:Q")
    heading = f"What drives the range: {title}" if title else "What drives the range"
    chart = _size(alt.layer(bars, rule), width, height).properties(
        title=_title(heading, "one input at a time from P5 to P95; line: P50"))
    return json.dumps(chart.to_dict(validate=False))


def tornado_chart(frame: pl.DataFrame, centre: float, *, currency: str = "USD",
                  title: str = "", width: int | str | None = None,
                  height: int | None = None) -> dict:
    """What drives the range (a Vega-Lite spec): per input a bar from ``centre`` (the
    method's P50) to the loss with that input at its P5 and another to the loss at its P95,
    everything else central; the largest swing (``rank`` 1) on top.

    ``frame`` has the columns of `impact.chart_frames.tornado_frame`: parameter, label (the
    input in words), at (one of two ends), start, end, loss [``currency``], loss_label,
    swing, swing_label, rank (1 = largest swing)."""
    rows = sorted(_records(frame), key=lambda r: (r["rank"], r["at"]))
    inputs = len({r["label"] for r in rows})
    ends = tuple(dict.fromkeys(r["at"] for r in rows)) or ("input at P5", "input at P95")
    height = height if height is not None else 34 * max(inputs, 1) + 20
    return _filled(_tornado_template(ends, currency, title, width, height),
                   bars=rows, centre=[{"centre": float(centre)}])


@functools.lru_cache(maxsize=64)
def _waterfall_template(steps: tuple[str, ...], kinds: tuple[str, ...], currency: str,
                        width: int | str | None, height: int | None) -> str:
    import altair as alt

    base = alt.Chart(alt.Data(name="steps"))
    y = alt.Y("step:N", title=None, sort=list(steps),
              axis=alt.Axis(labelLimit=170, labelFontSize=11))
    bars = base.mark_bar(height=alt.RelativeBandSize(0.65)).encode(
        y=y, x=alt.X("start:Q", axis=_money_axis(f"loss [{currency}], central values")),
        x2="end:Q",
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(
            domain=list(kinds), range=[WATERFALL_COLOURS[k] for k in kinds])),
        tooltip=[alt.Tooltip("step:N", title="part"),
                 alt.Tooltip("amount_label:N", title="amount")])
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(
        y=y, x="tip:Q", text="amount_label:N")
    # an unseen point that widens the axis, for the amounts written after the bars
    room = alt.Chart(alt.Data(name="room")).mark_point(opacity=0).encode(x="top:Q")
    chart = _size(alt.layer(bars, labels, room), width, height).properties(
        title=_title("Direct, indirect, recovered", "how the net loss adds up"))
    return json.dumps(chart.to_dict(validate=False))


def waterfall_chart(frame: pl.DataFrame, *, currency: str = "USD",
                    width: int | str | None = None, height: int | None = 200) -> dict:
    """Direct loss, plus the indirect spillover, minus what is recovered later, and the net
    loss from zero, as horizontal steps (central values; a Vega-Lite spec).

    ``frame`` has the columns of `impact.chart_frames.waterfall_frame`: step, kind (loss,
    recovered, net), start, end [``currency``], amount (signed), amount_label, order."""
    rows = sorted(_records(frame), key=lambda r: r["order"])
    kinds = tuple(k for k in WATERFALL_COLOURS if k in {r["kind"] for r in rows}) \
        or tuple(WATERFALL_COLOURS)
    for r in rows:
        r["tip"] = max(r["start"], r["end"])
    top = max((r["tip"] for r in rows), default=0.0) * 1.35 or 1.0
    return _filled(_waterfall_template(tuple(r["step"] for r in rows), kinds, currency,
                                       width, height),
                   steps=rows, room=[{"top": top}])


RANGE_COLOURS = {"ensemble": "#b2182b", "method": "#1f3b73"}


@functools.lru_cache(maxsize=64)
def _range_template(titles: tuple[str, ...], currency: str, log: bool,
                    width: int | str | None, height: int) -> str:
    import altair as alt

    y = alt.Y("title:N", title=None, sort=list(titles),
              axis=alt.Axis(labelLimit=230, labelFontSize=11))
    scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    colour = alt.Color("kind:N", legend=None, scale=alt.Scale(
        domain=list(RANGE_COLOURS), range=list(RANGE_COLOURS.values())))
    base = alt.Chart(alt.Data(name="rows"))
    bars = base.mark_bar(height=alt.RelativeBandSize(0.45), opacity=0.35,
                         cornerRadius=2).encode(
        y=y, x=alt.X("p05:Q", axis=_money_axis(f"loss [{currency}]"), scale=scale),
        x2="p95:Q", color=colour)
    dots = base.mark_point(filled=True, size=70, opacity=1).encode(
        y=y, x="p50:Q", color=colour,
        tooltip=[alt.Tooltip("title:N", title="method"), alt.Tooltip("p05_label:N", title="P5"),
                 alt.Tooltip("p50_label:N", title="P50"),
                 alt.Tooltip("p95_label:N", title="P95")])
    chart = _size(alt.layer(bars, dots), width, height).properties(
        title=_title("Every method's range", "bar: P5 to P95 · dot: P50 · red: the ensemble"
                     + (" · log scale" if log else "")))
    return json.dumps(chart.to_dict(validate=False))


def range_chart(frame: pl.DataFrame, *, currency: str = "USD", log: bool | None = None,
                width: int | str | None = None, height: int | None = None) -> dict:
    """Every method as a range (a Vega-Lite spec): a bar from P5 to P95 and a dot at P50 per
    row of ``frame`` (`impact.chart_frames.methods_range_frame`: title, kind — ensemble or
    method —, p05, p50, p95 [``currency``] and their labels), the ensemble first and in red.

    ``log`` (default: when the largest P95 is over 1,000 times the smallest positive P5)
    draws a logarithmic axis, with values floored at 1/1000 of the largest P95 (a log axis
    cannot show 0)."""
    rows = _records(frame)
    top = max((r["p95"] for r in rows), default=0.0) or 0.0
    low = min((r["p05"] for r in rows if r["p05"] and r["p05"] > 0), default=top)
    if log is None:
        log = bool(top and low and top / low > 1_000)
    if log:
        floor = max(top / 1_000, 1.0)
        rows = [r | {q: max(r[q], floor) for q in ("p05", "p50", "p95")} for r in rows]
    titles = tuple(dict.fromkeys(r["title"] for r in rows))
    height = height if height is not None else 26 * max(len(titles), 1) + 10
    return _filled(_range_template(titles, currency, log, width, height), rows=rows)
