"""The Past events page's Vega-Lite specs: the ranked events chart and the comparison panels,
with their rows inside the spec (`with_rows`), and what the loss map's colour means.

Nothing here imports streamlit, so every function can be tested on its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from app_pages.events_filters import NORMALISATION_LABELS
from app_pages.events_view import NORMALISATIONS, value_text
from impact.report import charts

#: normalisation -> what a country's figure on the map is, in words
MAP_FIGURES = {"total": "the sum of the P50 losses of its costed events",
               "per_day": "the sum of the P50 losses of its costed events per day of "
                          "restriction (the sum over the events' costed hours / 24)",
               "per_capita": "the sum of its costed events' P50 losses per person",
               "share_of_gdp": "the sum of its costed events' P50 losses as a share of "
                               "the GDP of each event's year"}


def events_chart_frame(table: pl.DataFrame, labels: Mapping[str, str], normalisation: str,
                       top_n: int) -> pl.DataFrame:
    """The top ``top_n`` costed events of `events_table` for a bar chart: label, value,
    formatted value (and P5/P95 for the total)."""
    column = "P50 [USD]" if normalisation == "total" else NORMALISATIONS[normalisation][1]
    top = table.filter(pl.col("status") == "ok").head(top_n)
    frame = top.select(
        pl.col("event").alias("label"),
        pl.col(column).alias("value"), pl.col("P5 [USD]").alias("p05"),
        pl.col("P95 [USD]").alias("p95"))
    text = [value_text(v, normalisation) for v in frame["value"].to_list()]
    return frame.with_columns(pl.Series("text", text, dtype=pl.String))


def with_rows(spec: dict[str, Any], frame: pl.DataFrame) -> dict[str, Any]:
    """``spec`` drawing ``frame``'s rows, sent within the spec in a layer
    (`impact.report.charts.rows_in_layer`: rows given to Streamlit as a table are drawn empty
    first, which logs "Infinite extent" warnings); it fits the container's width, its
    title and axes added to its height, with room for the title (`impact.report.charts.PADDING`).

    >>> with_rows({"mark": "bar"}, pl.DataFrame({"v": [1.0, float("nan")]}))["layer"]
    [{'data': {'values': [{'v': 1.0}, {'v': None}]}, 'mark': 'bar'}]
    """
    rows = frame.with_columns(pl.col(pl.Float32, pl.Float64).fill_nan(None)).to_dicts()
    return charts.rows_in_layer(
        {"autosize": {"type": "fit-x", "contains": "padding"},
         "padding": dict(charts.PADDING)} | spec | {"data": {"values": rows}})


def nice_ticks(top: float, intervals: int = 4) -> list[float]:
    """Axis ticks from 0 to at least ``top``: about ``intervals`` equal steps of 1, 2, 2.5
    or 5 times a power of ten [the values' unit].

    >>> nice_ticks(12.2e9)
    [0.0, 5000000000.0, 10000000000.0, 15000000000.0]
    >>> nice_ticks(0.3), nice_ticks(0)
    ([0.0, 0.1, 0.2, 0.3], [0.0, 1.0])
    """
    if not top or top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / intervals
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    count = math.ceil(top / step - 1e-9)
    return [float(f"{i * step:.12g}") for i in range(count + 1)]


def tick_labels(values: list[float], normalisation: str) -> list[str]:
    """The labels of axis ``values`` as the tables write them (`value_text`: ``USD 10 bn``,
    ``0.5 %``).

    >>> tick_labels([0.0, 5e9, 1e10], "total")
    ['USD 0', 'USD 5 bn', 'USD 10 bn']
    """
    return [value_text(v, normalisation) for v in values]


def label_expr(values: list[float], labels: list[str]) -> str:
    """A Vega expression giving each of ``values`` its label (the empty text for any
    other value).

    >>> label_expr([0.0, 1e9], ["USD 0", "USD 1 bn"])
    "datum.value === 0.0 ? 'USD 0' : datum.value === 1000000000.0 ? 'USD 1 bn' : ''"
    """
    parts = [f"datum.value === {float(v)!r} ? '{label.replace(chr(39), '')}'"
             for v, label in zip(values, labels, strict=True)]
    return " : ".join([*parts, "''"])


def value_axis(top: float | None, normalisation: str) -> dict[str, Any]:
    """The x scale and axis of the ranked events chart: ticks from 0 to ``top`` (the largest
    value drawn) labelled as the tables write them, never ``10,000,000,000``."""
    if top is None or not math.isfinite(top) or top <= 0:
        return {}
    values = nice_ticks(top)
    return {"scale": {"domain": [0, values[-1]], "nice": False, "zero": True},
            "axis": {"values": values, "labelExpr": label_expr(values,
                                                               tick_labels(values, normalisation)),
                     "labelOverlap": True, "labelFlush": True}}


def chart_top(frame: pl.DataFrame) -> float | None:
    """The largest value the ranked events chart draws (P50 or P95) of `events_chart_frame`."""
    tops = [frame[c].max() for c in ("value", "p95") if c in frame.columns and frame.height]
    tops = [float(t) for t in tops if t is not None and math.isfinite(t)]
    return max(tops) if tops else None


def events_chart_spec(normalisation: str, rows: int,
                      frame: pl.DataFrame | None = None) -> dict[str, Any]:
    """Vega-Lite spec of the ranked events chart for `events_chart_frame`'s columns: a bar
    per event (its normalised P50) and, for the total, a line from P5 to P95 (`with_rows`
    puts a frame's rows in it). Given the ``frame``, the axis is labelled as the tables
    are (`value_axis`)."""
    title = ("loss (USD); bar = P50, line = P5 to P95" if normalisation == "total"
             else NORMALISATIONS[normalisation][1])
    axis = value_axis(chart_top(frame), normalisation) if frame is not None else {}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar", "opacity": 0.8},
         "encoding": {"x": {"field": "value", "type": "quantitative", "title": title} | axis}}]
    if normalisation == "total":
        layers.append({"mark": {"type": "rule", "color": "black"},
                       "encoding": {"x": {"field": "p05", "type": "quantitative",
                                          "title": title} | axis,
                                    "x2": {"field": "p95"}}})
    return {
        "height": 26 * rows + 40,
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                  # a phone keeps most of its width for the bars
                  "axis": {"labelLimit": charts.container_limit(420, share=0.4, least=80)}},
            "tooltip": [{"field": "label", "type": "nominal", "title": "event"},
                        {"field": "text", "type": "nominal",
                         "title": NORMALISATION_LABELS[normalisation]}],
        },
        "layer": layers,
    }


def compare_chart_spec(title: str, tick_format: str, rows: int) -> dict[str, Any]:
    """Vega-Lite spec of one comparison panel: a bar per event (columns ``event``,
    ``short`` and ``value``; `with_rows` puts a frame's rows in it)."""
    return {
        "title": title, "height": 30 * rows + 40, "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "value", "type": "quantitative", "title": None,
                  "axis": {"format": tick_format}},
            "y": {"field": "short", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": charts.container_limit(200, share=0.55),
                           "labelOverlap": False}},
            "tooltip": [{"field": "event", "type": "nominal"},
                        {"field": "value", "type": "quantitative", "format": ",.4~g"}],
        },
    }
