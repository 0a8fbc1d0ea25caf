"""Charts of a monitored restriction (`impact.monitor.costing.MonitorResult`) and of an estimate, for
the brief and the app.

Pure builders over the result's polars frames: `cumulative_chart` (the cost so far, hour by
hour, with its P5–P95 band) and `intensity_chart` (the measured intensity of each scope, hour
by hour, 0–1), both over the country's local time. `png` and `svg` render a chart offline with
vl-convert (no network, no file written: the data are inline values).

Charts of one estimate, over plain frames (`impact.report.chart_frames` builds them):
`duration_chart` (every method's P50 against the duration, the headline method's P5–P95 band,
the scenario's own duration marked), `tornado_chart` (what drives a method's range, one input
at a time) and `waterfall_chart` (direct, indirect, recovered and net loss), as Vega-Lite
specs. Their width is left to the container unless given; money axes read ``2.5m``,
``1.2bn``, ``3tn``. Their layouts are built with Altair at build time
(`impact.build.chart_layouts`, committed under `LAYOUT_DIR`) with named data and ``@slot@``
texts; here a layout is read once and filled with a scenario's texts and rows, so drawing
them imports no chart library and builds no chart.

Every chart carries a Vega-Lite ``description``: what it shows in words, with its key
figures (written by `impact.format`), read by screen readers instead of "Vega visualization"
and used as the alternative text of the brief's images. `fixed_size` gives a chart one
outer size (title, axes and legend included), as the brief's charts share.

Altair and vl-convert are imported inside the functions that need them (the monitor charts,
`png`, `svg`), so ``import impact.report.charts`` (and everything that imports it) stays light.

Local time on the axes: the local wall-clock hours are written as if they were UTC and the
time scale is UTC, so the axis shows the local hours whatever the renderer's own zone.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from impact import format as fmt
from impact.errors import InputError
from impact.methods import OWN_METHOD, REGISTRY

if TYPE_CHECKING:  # pragma: no cover
    from impact.monitor.costing import MonitorResult

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

    title = REGISTRY[method].title if method in REGISTRY else method
    return (band + line).properties(
        width=width, height=height, description=cumulative_description(points, title),
        title=alt.Title(f"Cost so far: {title}", subtitle="line P50, band P5–P95",
                        anchor="start", fontSize=12, subtitleFontSize=10))


def _local(stamp: str) -> str:
    """A `_stamp` in words: ``08 Feb 2024 15:00``."""
    return datetime.fromisoformat(stamp.removesuffix("Z")).strftime("%d %b %Y %H:%M")


def cumulative_description(points: list[dict[str, Any]], title: str) -> str:
    """The cost-so-far chart in words: the method, the span and the cost at its end.

    >>> cumulative_description([{"t": "2024-02-08T06:00Z", "p05": 0, "p50": 0, "p95": 0},
    ...     {"t": "2024-02-08T07:00Z", "p05": 1e6, "p50": 2e6, "p95": 4e6}], "impact")
    'Cost so far of impact, hour by hour in local time: USD 2 m (P5–P95 USD 1 m – 4 m) from 08 Feb 2024 06:00 to 08 Feb 2024 07:00.'
    """
    if not points:
        return f"Cost so far of {title}: no hour is costed."
    last = points[-1]
    return (f"Cost so far of {title}, hour by hour in local time: {fmt.money(last['p50'])} "
            f"(P5–P95 {fmt.money_range(last['p05'], last['p95'])}) from "
            f"{_local(points[0]['t'])} to {_local(last['t'])}.")


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
        width=width, height=height, description=intensity_description(data.values or []),
        title=alt.Title("Measured intensity", subtitle="highest per hour and scope",
                        anchor="start", fontSize=12, subtitleFontSize=10))


def intensity_description(points: list[dict[str, Any]]) -> str:
    """The intensity chart in words: per scope, its peak and when it began.

    >>> intensity_description([{"t": "2024-02-08T06:00Z", "scope": "mobile", "intensity": 0.5},
    ...     {"t": "2024-02-08T08:00Z", "scope": "mobile", "intensity": 1.0}])
    'Measured intensity per hour (1 = service fully lost): mobile peaks at 100 % from 08 Feb 2024 08:00.'
    """
    parts = []
    for scope in dict.fromkeys(p["scope"] for p in points):
        mine = [p for p in points if p["scope"] == scope]
        peak = max(mine, key=lambda p: p["intensity"])
        parts.append(f"{scope} peaks at {fmt.percent(peak['intensity'])} from "
                     f"{_local(peak['t'])}")
    return ("Measured intensity per hour (1 = service fully lost): "
            + ("; ".join(parts) or "no hour measured") + ".")


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
RANGE_COLOURS = {"ensemble": "#b2182b", "method": "#1f3b73"}


# ---- the app's light and dark themes ----------------------------------------------------------
#: the page backgrounds the app's charts are drawn on: Streamlit's light and dark themes and
#: the app's own dark background (``rgb(23, 22, 20)``)
APP_BACKGROUNDS = {"light": "#ffffff", "dark": "#0e1117", "app dark": "#171614"}
#: the mark colours of the briefs (drawn on white) and the colour each takes in the app: every
#: app colour has a contrast of at least 3:1 (WCAG non-text contrast) against each of
#: `APP_BACKGROUNDS`, so one palette reads in both themes
APP_COLOURS = {
    "#1f3b73": "#3d85e0", "#e45756": "#e4504f", "#54a24b": "#3a9e48", "#f58518": "#c26a1a",
    "#b279a2": "#b279a2", "#72b7b2": "#2a9d95", "#9d755d": "#9d755d", "#bab0ac": "#8a8d93",
    "#b2182b": "#e0453f", "#4c78a8": "#4c78a8", "#2166ac": "#3d85e0", "#ef8a62": "#d9741a",
    "#67a9cf": "#2a9d95", "#555": "#8a8d93", "#333": "#8a8d93", "black": "#8a8d93",
}
#: the app's colours for a nominal scale, in the order the briefs colour methods
APP_PALETTE = tuple(dict.fromkeys(APP_COLOURS[c] for c in METHOD_COLOURS))
#: text drawn by a chart's own marks (labels, amounts) in the theme's text colour: light on a
#: dark background, dark on a light one (Vega's ``background`` signal is the theme's, which
#: Streamlit sets; without one the text is dark, as on paper)
THEME_TEXT = {"expr": "luminance(background) < 0.5 ? '#fafafa' : '#31333f'"}
#: a subtitle, a little quieter than the text and still 4.5:1 on its background
THEME_SUBTITLE = {"expr": "luminance(background) < 0.5 ? '#c3c5cc' : '#5a5d68'"}
#: colour properties of a mark or a guide that `for_app` re-colours
_COLOUR_KEYS = ("color", "fill", "stroke")
#: parts of a spec that hold data or words, never a colour
_NOT_COLOURS = frozenset({"data", "datasets", "description", "title", "text", "subtitle",
                          "values", "labelExpr"})


def _recoloured(value: Any) -> Any:
    """``value`` (any part of a spec) with each brief colour replaced by its `APP_COLOURS`
    colour (not in its data, nor in its texts)."""
    if isinstance(value, str):
        return APP_COLOURS.get(value.lower(), value)
    if isinstance(value, list):
        return [_recoloured(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _NOT_COLOURS else _recoloured(v) for k, v in value.items()}
    return value


def _all_marks(spec: dict) -> list[dict]:
    """Every mark definition (a dict) in ``spec``, however deeply layered."""
    out = []
    mark = spec.get("mark")
    if isinstance(mark, dict):
        out.append(mark)
    for layer in spec.get("layer", []):
        out.extend(_all_marks(layer))
    return out


def for_app(spec: dict) -> dict:
    """``spec`` (a Vega-Lite dict of this module or the app's) readable in the app's light
    and dark themes, changed in place: the text its marks write takes the theme's text colour
    (`THEME_TEXT`), its subtitle a quieter one (`THEME_SUBTITLE`), its marks the app's
    colours (`APP_COLOURS`: 3:1 or more against either background) and a legend's box the
    theme's background; titles, axes and legends keep no colour of their own, so
    Streamlit's theme colours them. The briefs keep the spec as built (dark on white).

    >>> spec = for_app({"mark": {"type": "text", "color": "#333"}})
    >>> spec["mark"]["color"] == THEME_TEXT, spec["config"]["title"]["subtitleColor"] == THEME_SUBTITLE
    (True, True)
    >>> for_app({"mark": {"type": "line", "color": "#1f3b73"}})["mark"]["color"]
    '#3d85e0'
    """
    texts = [m for m in _all_marks(spec) if m.get("type") == "text"]
    for mark in texts:
        for key in _COLOUR_KEYS:
            mark.pop(key, None)
    spec.update(_recoloured(spec))
    for mark in _all_marks(spec):
        if mark.get("type") == "text":
            mark["color"] = dict(THEME_TEXT)
        elif mark.get("stroke") == "white":  # an outline between shapes: the background's
            mark["stroke"] = {"expr": "background"}
    for layer in [spec, *layers(spec)]:
        for channel in layer.get("encoding", {}).values():
            legend = channel.get("legend") if isinstance(channel, dict) else None
            if isinstance(legend, dict) and "fillColor" in legend:
                legend["fillColor"] = {"expr": "background"}
    title = spec.setdefault("config", {}).setdefault("title", {})
    title["subtitleColor"] = dict(THEME_SUBTITLE)
    return spec


#: the two ends of a tornado bar: the loss with the input at its P5 and at its P95
TORNADO_ENDS = ("input at P5", "input at P95")
#: the committed layouts (`impact.build.chart_layouts` writes them)
LAYOUT_DIR = Path(__file__).resolve().parent / "layouts"


@functools.cache
def _layout(name: str) -> str:
    path = LAYOUT_DIR / f"{name}.json"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise FileNotFoundError(f"chart layout {path} is missing ({err.strerror}); rebuild "
                                "it with: python -m impact.build.chart_layouts") from err


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


#: room around a chart [px] (the app's theme has none: a title's ascent would be cut)
PADDING = {"top": 8, "bottom": 4, "left": 4, "right": 8}
#: data formats that stay a spec's top-level data (Streamlit keeps geometry in the spec)
_GEO_FORMATS = ("topojson", "geojson")


def container_limit(most: int, *, share: float = 1.0, less: int = 0,
                    least: int = 60) -> dict[str, str]:
    """A label limit [px] that follows the width of the chart's container: ``share`` of it
    minus ``less``, between ``least`` and ``most``; ``most`` where there is no container (a
    static image, a hidden tab). A Vega-Lite expression, read again whenever the chart's
    width changes (a phone turned, a tab shown).

    >>> container_limit(270, less=110)["expr"].endswith(": 270")
    True
    """
    size = "containerSize()[0]"
    return {"expr": f"width >= 0 && isFinite({size}) && {size} > 0 ? "
                    f"clamp({size} * {share} - {less}, {least}, {most}) : {most}"}


def rows_in_layer(spec: dict) -> dict:
    """``spec`` with its top-level rows (``data.values``) moved into one layer around its
    layers (or its mark), where Streamlit leaves them in the spec (top-level rows it sends
    apart as a table, which Vega draws empty first: "Infinite extent" warnings). Geometry
    (TopoJSON, GeoJSON) stays where it is: Streamlit keeps it in the spec.

    >>> rows_in_layer({"title": "t", "data": {"values": [{"a": 1}]}, "mark": "bar"})
    {'title': 't', 'layer': [{'data': {'values': [{'a': 1}]}, 'mark': 'bar'}]}
    """
    data = spec.get("data")
    if not isinstance(data, dict) or "values" not in data:
        return spec
    if ("layer" not in spec and "mark" not in spec
            or data.get("format", {}).get("type") in _GEO_FORMATS):
        return spec
    inner = {"data": spec.pop("data")}
    for key in ("transform", "mark", "encoding", "layer"):
        if key in spec:
            inner[key] = spec.pop(key)
    spec["layer"] = [inner]
    return spec


def fit_labels(spec: dict) -> dict:
    """``spec`` with its fixed label limits made to follow the container's width, so that a
    phone still has room for the plot: a y axis's labels take at most 40 % of the width (at
    least 80 px), a colour legend's labels the width less 150 px (the y axis and the symbol
    left of them). Limits already given as expressions are kept."""
    for layer in layers(spec):
        encoding = layer.get("encoding", {})
        axis = encoding.get("y", {}).get("axis")
        if isinstance(axis, dict) and isinstance(axis.get("labelLimit"), int | float):
            axis["labelLimit"] = container_limit(axis["labelLimit"], share=0.4, least=80)
        legend = encoding.get("color", {}).get("legend")
        if isinstance(legend, dict) and isinstance(legend.get("labelLimit"), int | float):
            legend["labelLimit"] = container_limit(legend["labelLimit"], less=150)
    return spec


def layers(spec: dict) -> list[dict]:
    """The drawing layers of ``spec`` (those inside `rows_in_layer`'s wrapper, if any)."""
    out = []
    for layer in spec.get("layer", []):
        out.extend(layers(layer) if "layer" in layer else [layer])
    return out


def _split_at_middle(text: str) -> str:
    """A Vega expression: ``text`` (an expression) as two lines split at the first space past
    the middle's last few characters, or as it is when it has no such space."""
    at = f"indexof({text}, ' ', floor(length({text}) / 2) - 4)"
    return f"{at} > 0 ? [slice({text}, 0, {at}), slice({text}, {at} + 1)] : {text}"


def wrap_labels(spec: dict, chars: int = 28, most: int = 300) -> dict:
    """``spec`` with its y axis labels longer than ``chars`` written on two lines, split at
    a space, and no label cut short of ``most`` [px] (a static image has no container to
    measure: `fit_labels` would keep its labels' fixed limits)."""
    wrap = f"length(datum.label) > {chars} ? ({_split_at_middle('datum.label')}) : datum.label"
    for layer in layers(spec):
        axis = layer.get("encoding", {}).get("y", {}).get("axis")
        if isinstance(axis, dict):
            axis.update(labelExpr=wrap, labelLimit=most)
    return spec


def fixed_size(spec: dict, width: int, height: int) -> dict:
    """``spec`` drawn ``width`` × ``height`` [px] in all, title, axes and legend included
    (Vega-Lite ``autosize: fit``): charts set side by side on a page get one size.

    >>> fixed_size({"width": "container"}, 430, 300)["autosize"]
    {'type': 'fit', 'contains': 'padding'}
    """
    spec.update(width=width, height=height, autosize={"type": "fit", "contains": "padding"})
    return spec


def _filled(name: str, slots: dict[str, str], width: int | str | None,
            height: int | None, **datasets: list[dict[str, Any]]) -> dict:
    """The spec of layout ``name``: its ``@slot@`` texts filled, the plot's size set
    (``width`` None: the container's) and the rows of each named dataset put inline where
    it is used (``data.values``: sent within the spec, where named datasets would each be
    converted to a table by the app; top-level rows go into a layer, `rows_in_layer`), with
    room around the drawing (`PADDING`) and label limits that fit a phone (`fit_labels`)."""
    text = _layout(name)
    for slot, value in slots.items():
        text = text.replace(f"@{slot}@", json.dumps(value)[1:-1])
    spec = json.loads(text)

    def fill(holder: dict, key: str) -> None:  # keeps a data format (e.g. TopoJSON)
        data = holder.get(key)
        if isinstance(data, dict) and "name" in data:
            holder[key] = {k: v for k, v in data.items() if k != "name"} | {
                "values": datasets[data["name"]]}

    for part in [spec, *spec.get("layer", [])]:
        fill(part, "data")
        for step in part.get("transform", []):
            if "lookup" in step:
                fill(step["from"], "data")
    spec.pop("datasets", None)
    spec.update({k: v for k, v in (("width", width), ("height", height)) if v is not None})
    spec.setdefault("padding", dict(PADDING))
    return fit_labels(rows_in_layer(spec))


#: the duration chart's legend: labels up to this width [px], less the symbol's room where
#: the container is narrower (a legend under the plot has no y axis beside it)
LEGEND_LABEL_LIMIT = 420
LEGEND_SYMBOL_ROOM = 40
#: the legend starts under the plot, right of the y axis and its title [px]
LEGEND_AXIS_ROOM = 80
#: a label longer than this many characters goes on two lines where the container is
#: narrower than `LEGEND_WRAP_BELOW` [px] (a phone), so no name is cut
LEGEND_WRAP_CHARS = 30
LEGEND_WRAP_BELOW = 480
LEGEND_WRAP = (f"isFinite(containerSize()[0]) && containerSize()[0] > 0 && "
               f"containerSize()[0] < {LEGEND_WRAP_BELOW} && length(datum.label) > "
               f"{LEGEND_WRAP_CHARS} ? ({_split_at_middle('datum.label')}) : datum.label")


def _list(parts: list[str], most: int = 8) -> str:
    """``parts`` joined by semicolons, at most ``most`` of them (and how many more)."""
    more = len(parts) - most
    return "; ".join(parts[:most]) + (f"; and {more} more" if more > 0 else "")


def duration_description(rows: list[dict[str, Any]], hours: float, currency: str) -> str:
    """The duration chart in words: the durations drawn, each method's P50 at the scenario's
    ``hours`` and at the longest duration drawn."""
    if not rows:
        return f"Loss by duration [{currency}]: no method costs this scenario."
    longest = max(r["hours"] for r in rows)
    at = [r for r in rows if r["hours"] == round(float(hours), 2)] or rows
    tip = {r["method"]: r for r in rows if r["hours"] == longest}
    parts = [f"{r['title']} {r['p50_label']} (P5–P95 "
             f"{fmt.money_range(r['p05'], r['p95'], currency)}), "
             f"{tip[r['method']]['p50_label']} at {fmt.hours(longest)}" for r in at]
    return (f"Loss by duration [{currency}], from {fmt.hours(min(r['hours'] for r in rows))} "
            f"to {fmt.hours(longest)}; at this scenario's {fmt.hours(hours)}: "
            + _list(parts) + ".")


def duration_chart(frame: pl.DataFrame, hours: float, *, band_method: str = OWN_METHOD,
                   currency: str = "USD", width: int | str | None = None,
                   height: int | None = 280) -> dict:
    """Loss against duration (a Vega-Lite spec): the P50 of every method in ``frame`` as a
    line, the P5–P95 band of ``band_method`` (the first method when it is absent), and a
    rule at the scenario's ``hours``, its label on the side of the rule with more room.

    The x axis spans the durations in ``frame`` (`impact.report.chart_frames.duration_grid`:
    from 1 hour to a little past the scenario). The legend (under the plot) shows each
    method's whole name: its labels take the container's width less the symbol's, up to
    `LEGEND_LABEL_LIMIT`.

    ``frame`` has the columns of `impact.report.chart_frames.duration_frame`: method, title, hours,
    p05, p50, p95 [``currency``] and their ``*_label`` texts, one row per method and
    duration; methods are coloured in the order they come."""
    rows = _records(frame)
    methods = list(dict.fromkeys(r["method"] for r in rows))
    for r in rows:
        r["order"] = methods.index(r["method"])
    banded = band_method if band_method in methods else (methods[0] if methods else "")
    band_title = next((r["title"] for r in rows if r["method"] == banded), "")
    subtitle = "lines: P50 of each method"
    if band_title:
        subtitle += f" · band: P5–P95 of {band_title}"
    spec = _filled("duration", {"currency": currency, "subtitle": subtitle}, width, height,
                   band=[r for r in rows if r["method"] == banded], lines=rows,
                   scenario=[{"hours": float(hours),
                              "label": f"this scenario: {fmt.hours(hours)}"}])
    spans = [r["hours"] for r in rows] or [float(hours)]
    lo, hi = min(spans), max(spans)
    right = hi > lo and (float(hours) - lo) / (hi - lo) > 0.55  # the label left of the rule
    for layer in layers(spec):
        legend = layer.get("encoding", {}).get("color", {}).get("legend")
        if isinstance(legend, dict):
            legend.update(orient="bottom", labelExpr=LEGEND_WRAP, labelLimit=container_limit(
                LEGEND_LABEL_LIMIT, less=LEGEND_SYMBOL_ROOM + LEGEND_AXIS_ROOM))
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text" and right:
            mark.update(align="right", dx=-abs(mark.get("dx", 4)))
    spec["description"] = duration_description(rows, hours, currency)
    return spec


def tornado_description(rows: list[dict[str, Any]], centre: float, title: str,
                        currency: str) -> str:
    """The tornado in words: the method's P50 and, largest swing first, where each input
    at its P5 and at its P95 puts the loss."""
    name = title or "the method"
    if not rows:
        return f"What drives the range of {name}: no uncertain input."
    parts = []
    for rank in sorted({r["rank"] for r in rows}):
        ends = {r["at"]: r for r in rows if r["rank"] == rank}
        lo, hi = (ends.get(at) for at in TORNADO_ENDS)
        label = (lo or hi)["label"]
        parts.append(f"{label} from {lo['loss_label'] if lo else '–'} (at its P5) to "
                     f"{hi['loss_label'] if hi else '–'} (at its P95)")
    return (f"What drives the range of {name} (P50 {fmt.money(centre, currency)}), one input "
            "at a time, largest swing first: " + _list(parts) + ".")


def tornado_chart(frame: pl.DataFrame, centre: float, *, currency: str = "USD",
                  title: str = "", width: int | str | None = None,
                  height: int | None = None) -> dict:
    """What drives the range (a Vega-Lite spec): per input a bar from ``centre`` (the
    method's P50) to the loss with that input at its P5 and another to the loss at its P95
    (`TORNADO_ENDS`), everything else central; the largest swing (``rank`` 1) on top.

    ``frame`` has the columns of `impact.report.chart_frames.tornado_frame`: parameter, label (the
    input in words), at (one of `TORNADO_ENDS`), start, end, loss [``currency``],
    loss_label, swing, swing_label, rank (1 = largest swing)."""
    rows = sorted(_records(frame), key=lambda r: (r["rank"], r["at"]))
    inputs = len({r["label"] for r in rows})
    heading = f"What drives the range: {title}" if title else "What drives the range"
    height = height if height is not None else 34 * max(inputs, 1) + 20
    spec = _filled("tornado", {"currency": currency, "heading": heading}, width, height,
                   bars=rows, centre=[{"centre": float(centre)}])
    spec["description"] = tornado_description(rows, centre, title, currency)
    return spec


def waterfall_description(rows: list[dict[str, Any]], currency: str) -> str:
    """The waterfall in words: each step and its amount, the net loss last."""
    if not rows:
        return f"Direct, indirect and recovered loss [{currency}]: not costed."
    return ("Direct, indirect, recovered (central values): "
            + "; ".join(f"{r['step']} {r['amount_label']}" for r in rows) + ".")


def waterfall_chart(frame: pl.DataFrame, *, currency: str = "USD",
                    width: int | str | None = None, height: int | None = 200) -> dict:
    """Direct loss, plus the indirect spillover, minus what is recovered later, and the net
    loss from zero, as horizontal steps (central values; a Vega-Lite spec).

    ``frame`` has the columns of `impact.report.chart_frames.waterfall_frame`: step, kind (one of
    `WATERFALL_COLOURS`), start, end [``currency``], amount (signed), amount_label, order."""
    rows = sorted(_records(frame), key=lambda r: r["order"])
    for r in rows:
        r["tip"] = max(r["start"], r["end"])
    # room on the right for the amounts written after the bars
    top = max((r["tip"] for r in rows), default=0.0) * 1.35 or 1.0
    spec = _filled("waterfall", {"currency": currency}, width, height,
                   steps=rows, room=[{"top": top}])
    spec["description"] = waterfall_description(rows, currency)
    return spec


#: the range chart's row parts: label font [px], bar height [px], bar offset below the
#: row's middle [px] and the dot's diameter [px], each (share of the row's band, least,
#: most): full size from a row of about 36 px (the app's), smaller in a shorter row
_RANGE_PARTS = {"font": (0.34, 8, 11), "bar": (0.35, 4, 12), "offset": (0.175, 2, 6),
                "dot": (0.26, 4, 8.37)}


def _row_share(part: str, power: int = 1) -> dict[str, str]:
    """A mark property of the range chart that follows the height of its row (a Vega
    expression over the y scale's band), between its least and most (`_RANGE_PARTS`)."""
    share, least, most = _RANGE_PARTS[part]
    size = f"clamp(bandwidth('y') * {share}, {least}, {most})"
    return {"expr": size if power == 1 else f"pow({size}, {power})"}


def _rows_in_their_bands(spec: dict) -> dict:
    """``spec`` (a range layout) with each row's label, bar and dot sized by the row's
    height: the label sits above the bar in the upper half of the row, the bar and the dot
    in the lower half, whatever the chart's height (a short chart never draws a bar over the
    next row's label)."""
    for layer in layers(spec):
        mark = layer.get("mark")
        if not isinstance(mark, dict):
            continue
        kind = mark.get("type")
        if kind == "bar":
            mark.update(height=_row_share("bar"), yOffset=_row_share("offset"))
        elif kind == "point":
            mark.update(size=_row_share("dot", 2), yOffset=_row_share("offset"))
        elif kind == "text":
            mark.update(fontSize=_row_share("font"))
    return spec


def range_description(rows: list[dict[str, Any]], currency: str, log: bool) -> str:
    """The range chart in words: each row's P50 and P5–P95, in the chart's order."""
    if not rows:
        return f"Every method's range [{currency}]: no method costs this scenario."
    parts = [f"{r['title']} {r['p50_label']} (P5–P95 "
             f"{fmt.money_range(r['p05'], r['p95'], currency)})" for r in rows]
    return (f"Every method's range of the loss [{currency}]"
            + (", on a log scale" if log else "") + ": " + _list(parts, most=12) + ".")


def range_chart(frame: pl.DataFrame, *, currency: str = "USD", log: bool | None = None,
                width: int | str | None = None, height: int | None = None) -> dict:
    """Every method as a range (a Vega-Lite spec): a bar from P5 to P95 and a dot at P50 per
    row of ``frame`` (`impact.report.chart_frames.methods_range_frame`: title, kind — ensemble or
    method —, p05, p50, p95 [``currency``] and their labels), the ensemble first and in red.
    Each row's label is written above its bar, both inside the row (`_RANGE_PARTS`).

    ``log`` (default: when the largest P95 is over 1,000 times the smallest positive P5)
    draws a logarithmic axis, with values floored at 1/1000 of the largest P95 (a log axis
    cannot show 0)."""
    rows = _records(frame)
    top = max((r["p95"] for r in rows), default=0.0) or 0.0
    low = min((r["p05"] for r in rows if r["p05"] and r["p05"] > 0), default=top)
    if log is None:
        log = bool(top and low and top / low > 1_000)
    described = range_description(rows, currency, log)
    if log:
        floor = max(top / 1_000, 1.0)
        rows = [r | {q: max(r[q], floor) for q in ("p05", "p50", "p95")} for r in rows]
    titles = list(dict.fromkeys(r["title"] for r in rows))
    rows = [r | {"order": titles.index(r["title"]),
                 "label": f"{r['p50_label']} · {r['title']}"} for r in rows]
    height = height if height is not None else 40 * max(len(titles), 1)
    subtitle = "bar: P5 to P95 · dot: P50 · red: the ensemble" + (" · log scale" if log else "")
    spec = _filled("range_log" if log else "range",
                   {"currency": currency, "subtitle": subtitle}, width, height, rows=rows)
    spec["description"] = described
    return _rows_in_their_bands(spec)
