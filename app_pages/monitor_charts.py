"""The Monitor page's charts: the cumulative cost and the intensity of the restriction hour by
hour, as frames and Vega-Lite specs (rows inside the spec).

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from app_pages.monitor_choices import SCOPE_WORDS
from impact import format as fmt
from impact.report.charts import APP_PALETTE, for_app

#: the local hour as the charts take it: wall-clock text marked as UTC, drawn on a UTC time
#: scale, so the browser's own time zone never moves an hour (nor drops one at its DST)
_CHART_HOUR = "%Y-%m-%dT%H:%M:00Z"


#: the one format of an hour on the charts: axis labels and tooltips alike (strftime and
#: d3-time-format share these directives)
HOUR_FORMAT = "%d %b %H:%M"


#: the zones the page can show its hours in: the country's local time, or UTC
ZONES = {"local": "the country's local time", "utc": "UTC"}


def hour_column(zone: str = "local") -> str:
    """The hourly table's column of the hours in ``zone`` (a `ZONES` key).

    >>> hour_column("local"), hour_column("utc")
    ('hour_local', 'hour_utc')
    """
    return "hour_utc" if zone == "utc" else "hour_local"


def _chart_hours(col: str = "hour_local") -> list[pl.Expr]:
    return [pl.col(col).dt.strftime(_CHART_HOUR).alias("hour_local"),
            pl.col(col).dt.strftime(HOUR_FORMAT).alias("hour_label")]


def cumulative_frame(result: Any, method: str, zone: str = "local") -> pl.DataFrame:
    """Per UTC hour: the hour in ``zone`` (`_CHART_HOUR` text and a label; column
    ``hour_local`` whichever the zone) and the cumulative P5/P50/P95 [USD] of ``method`` up
    to the end of that hour, with formatted labels (empty when the method does not cost the
    timeline)."""
    cols = [f"{method}_cum_usd_{q}" for q in ("p05", "p50", "p95")]
    schema = {"hour_local": pl.String, "hour_label": pl.String, "p05": pl.Float64,
              "p50": pl.Float64, "p95": pl.Float64, "p05_label": pl.String,
              "p50_label": pl.String, "p95_label": pl.String}
    if not set(cols) <= set(result.hourly.columns):
        return pl.DataFrame(schema=schema)
    frame = (result.hourly.group_by("hour_utc", maintain_order=True)
             .agg(pl.col("hour_local").last(), *[pl.col(c).last() for c in cols])
             .sort("hour_utc"))
    out = frame.select(*_chart_hours(hour_column(zone)),
                       *[pl.col(c).cast(pl.Float64).alias(q)
                         for c, q in zip(cols, ("p05", "p50", "p95"), strict=True)])
    labels = {f"{q}_label": [fmt.money(v) for v in out[q]] for q in ("p05", "p50", "p95")}
    return out.with_columns(**{k: pl.Series(v, dtype=pl.String) for k, v in labels.items()})


def intensity_frame(result: Any, zone: str = "local") -> pl.DataFrame:
    """Per UTC hour and kind: the hour in ``zone`` (`_CHART_HOUR` text and a label) and its
    end, the kind and the share of the hour's service lost (intensity × minutes / 60)."""
    h = result.hourly
    col = hour_column(zone)
    return h.select(
        *_chart_hours(col),
        (pl.col(col) + pl.duration(hours=1)).dt.strftime(_CHART_HOUR)
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


def axis_title(zone: str) -> str:
    """The time axis's title: ``UTC``, or the country's local time zone's name.

    >>> axis_title("UTC"), axis_title("Asia/Karachi")
    ('time (UTC)', 'local time (Asia/Karachi)')
    """
    return "time (UTC)" if zone == "UTC" else f"local time ({zone})"


def _hour_axis(zone: str, **extra: Any) -> dict[str, Any]:
    """The time axis both charts share: one title, one label format (`HOUR_FORMAT`; on the
    UTC scale Vega formats it in UTC, so the browser's zone never changes it; a
    ``formatType`` would drop the format for Vega's own multi-format labels)."""
    return {"field": "hour_local", "type": "temporal", "title": axis_title(zone),
            "scale": {"type": "utc"},
            "axis": {"labelOverlap": True, "format": HOUR_FORMAT, "labelAngle": 0}, **extra}


def cumulative_chart_spec(frame: pl.DataFrame, zone: str, method_title: str) -> dict[str, Any]:
    """Vega-Lite spec of the cumulative cost (band = P5 to P95, line = P50) of
    `cumulative_frame`'s rows, drawn in the country's local time (``zone``)."""
    tooltip = [{"field": "hour_label", "title": "hour (local)"},
               {"field": "p50_label", "title": "P50"}, {"field": "p05_label", "title": "P5"},
               {"field": "p95_label", "title": "P95"}]
    return for_app({
        "height": 240,
        "autosize": _AUTOSIZE,
        "padding": _PADDING,
        "title": {"text": f"Cost so far, {method_title}", "anchor": "start", "fontSize": 13},
        "layer": [{
            "data": {"values": _rows(frame)},
            "encoding": {"x": _hour_axis(zone), "tooltip": tooltip},
            "layer": [
                {"mark": {"type": "area", "opacity": 0.25, "interpolate": "step-after",
                          "color": APP_PALETTE[0]},
                 "encoding": {"y": {"field": "p05", "type": "quantitative",
                                    "title": "USD; band = P5 to P95, line = P50",
                                    "axis": {"labelExpr": _MONEY_AXIS}},
                              "y2": {"field": "p95"}}},
                {"mark": {"type": "line", "interpolate": "step-after",
                          "color": APP_PALETTE[0]},
                 "encoding": {"y": {"field": "p50", "type": "quantitative"}}},
            ],
        }],
    })


def intensity_chart_spec(frame: pl.DataFrame, zone: str) -> dict[str, Any]:
    """Vega-Lite spec of the restriction per hour of `intensity_frame`'s rows (one overlaid
    bar per kind: a regional row lost entirely is 1 in its region, so kinds are not
    stacked), drawn in the country's local time (``zone``)."""
    return for_app({
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
                          "scale": {"range": list(APP_PALETTE)},
                          "legend": {"orient": "bottom", "direction": "vertical",
                                     "labelLimit": 0}},
                "tooltip": [{"field": "hour_label", "title": "hour (local)"},
                            {"field": "kind"}, {"field": "minutes"},
                            {"field": "intensity"}],
            },
        }],
    })


def kind_label(scope: str, platforms: str | None, region: str | None) -> str:
    """``mobile data, Balochistan`` — one kind of restriction, for the chart legend.

    >>> kind_label("platforms", "x;youtube", None)
    'platforms: x, youtube, nationwide'
    """
    text = SCOPE_WORDS.get(scope, scope)
    if platforms:
        text += ": " + platforms.replace(";", ", ")
    return f"{text}, {region or 'nationwide'}"
