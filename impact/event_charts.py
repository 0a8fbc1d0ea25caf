"""Charts of the event catalogue's estimates: a world map of losses and a timeline of events.

Pure builders over plain frames (the Past events page's view model builds them,
`app_pages.events_view.country_frame` and `timeline_frame`), returning Vega-Lite specs:

- `loss_map` — a choropleth of one figure per country (the summed P50 loss by default) on
  the bundled Natural Earth shapes (`impact.io.read_geometry`, TopoJSON inline, Equal Earth
  projection), on a logarithmic colour scale so that one large country does not wash out
  the rest; countries without a costed event are light grey. The shapes are joined to the
  rows by a Vega-Lite ``lookup`` on ``properties.iso3``.
- `events_timeline` — one mark per event over calendar time (a bar from the first to the
  last day, a tick for a one-day event), one row per country, coloured by type.

As in `impact.charts`: each layout is an Altair chart built once per process with named
data, kept as JSON (`functools.lru_cache`, not re-validated), and filled with each call's
rows inline, so a new selection builds no chart. Altair is imported inside the functions;
``import impact.event_charts`` stays light. `impact.charts.png` renders either offline.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import polars as pl

from impact.charts import SCOPE_COLOURS, _size, _title
from impact.io import read_geometry_text

#: the colour scheme of the map (sequential; low = pale)
MAP_SCHEME = "orangered"
NO_DATA_COLOUR = "#e4e4e4"
MAP_HEIGHT = 300
#: timeline: height of one country's row [px]
ROW_HEIGHT = 26
#: the event types of the timeline, in legend order (`app_pages.events_view.EVENT_TYPE_LABELS`)
TYPE_LABELS = {"full": "Full internet", "mobile": "Mobile data", "throttling": "Throttling",
               "platforms": "Platforms"}
#: Vega expression of a percentage legend label (the value is already ×100)
PERCENT_LABELS = "format(datum.value, '.2~g') + ' %'"
#: Vega expression of a money legend label: three significant figures, m / bn / tn
MONEY_LEGEND = ("replace(replace(replace(format(datum.value, '.3~s'), 'G', 'bn'), 'M', 'm'), "
                "'T', 'tn')")
_MAP_FIELDS = ("country", "value", "value_text", "loss_text", "hours_text", "events_text")


def _fill_data(part: dict, datasets: dict[str, Any]) -> None:
    """Put the rows of a named dataset inline where ``part`` uses it, keeping its format."""
    data = part.get("data")
    if isinstance(data, dict) and "name" in data:
        part["data"] = {k: v for k, v in data.items() if k != "name"} | {
            "values": datasets[data["name"]]}


def _filled(template: str, **datasets: Any) -> dict:
    """The cached ``template`` (JSON with named data) with each dataset inline: the top level,
    every layer and every ``lookup`` transform's ``from``."""
    spec = json.loads(template)
    for part in [spec, *spec.get("layer", [])]:
        _fill_data(part, datasets)
        for step in part.get("transform", []):
            if "lookup" in step:
                _fill_data(step["from"], datasets)
    spec.pop("datasets", None)
    return spec


@functools.lru_cache(maxsize=32)
def _map_template(legend_title: str, percent: bool, tooltip_title: str,
                  width: int | str | None, height: int | None) -> str:
    import altair as alt

    shapes = alt.Data(name="shapes", format=alt.DataFormat(type="topojson", feature="countries"))
    rows = alt.LookupData(data=alt.Data(name="rows"), key="iso3", fields=list(_MAP_FIELDS))
    outline = {"stroke": "white", "strokeWidth": 0.5}
    grey = alt.Chart().transform_lookup(lookup="properties.iso3", from_=rows).transform_calculate(
        name="datum.properties.name",
        loss="isValid(datum.loss_text) ? datum.loss_text : 'no costed event in this selection'",
    ).mark_geoshape(fill=NO_DATA_COLOUR, **outline).encode(
        tooltip=[alt.Tooltip("name:N", title="country"), alt.Tooltip("loss:N", title="loss")])
    tooltip = [alt.Tooltip("country:N", title="country"),
               alt.Tooltip("events_text:N", title="events"),
               alt.Tooltip("hours_text:N", title="hours"),
               alt.Tooltip("loss_text:N", title="loss, P50 (P5–P95)")]
    if tooltip_title:
        tooltip.append(alt.Tooltip("value_text:N", title=tooltip_title))
    legend = alt.Legend(title=legend_title, orient="bottom-left", direction="horizontal",
                        gradientLength=200, padding=4, fillColor="rgba(255,255,255,0.8)", labelExpr=PERCENT_LABELS if percent
                        else MONEY_LEGEND, labelOverlap=True, titleLimit=340)
    coloured = alt.Chart().transform_lookup(lookup="properties.iso3", from_=rows).transform_filter(
        "isValid(datum.value) && datum.value > 0").mark_geoshape(**outline).encode(
        color=alt.Color("value:Q", scale=alt.Scale(type="log", scheme=MAP_SCHEME),
                        legend=legend),
        tooltip=tooltip)
    chart = alt.layer(grey, coloured, data=shapes).project(type="equalEarth")
    chart = _size(chart, width, height).properties(
        title=_title("Losses by country", "colour: log scale · grey: no costed event"))
    return json.dumps(chart.to_dict(validate=False))


def loss_map(frame: pl.DataFrame, *, normalisation: str = "total",
             legend_title: str = "total loss (P50) [USD]", tooltip_title: str = "",
             width: int | str | None = None, height: int | None = MAP_HEIGHT) -> dict:
    """A world map of one figure per country (a Vega-Lite spec).

    Parameters
    ----------
    frame : one row per country with a costed event (`app_pages.events_view.country_frame`):
        ``iso3``, ``country``, ``value`` (the coloured figure: [USD], or [%] of GDP for
        ``share_of_gdp``) and the tooltip texts ``value_text, loss_text, hours_text,
        events_text``
    normalisation : ``share_of_gdp`` labels the legend in per cent, anything else in money
    legend_title : the colour legend's title
    tooltip_title : when given, the tooltip also shows ``value_text`` under this name (for a
        normalised figure; the total is already in ``loss_text``)
    width, height : plot size [px]; the width is the container's when None
    """
    rows = frame.select(["iso3", *_MAP_FIELDS]).to_dicts()
    template = _map_template(legend_title, normalisation == "share_of_gdp", tooltip_title,
                             width, height)
    return _filled(template, shapes=json.loads(read_geometry_text()), rows=rows)


@functools.lru_cache(maxsize=64)
def _timeline_template(rows: int, years: tuple[int, int] | None,
                       width: int | str | None) -> str:
    import altair as alt

    data = alt.Data(name="events")
    y = alt.Y("country:N", title=None,
              sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
              axis=alt.Axis(labelLimit=120, labelFontSize=11))
    domain = ([f"{years[0]}-01-01", f"{years[1] + 1}-01-01"] if years is not None
              else alt.Undefined)
    x = alt.X("start:T", title=None, scale=alt.Scale(type="utc", domain=domain),
              axis=alt.Axis(labelOverlap=True, labelAngle=0, grid=True,
                            tickCount=alt.ExprRef("max(2, floor(width / 90))")))
    colour = alt.Color("type_label:N", title=None, scale=alt.Scale(
        domain=list(TYPE_LABELS.values()), range=[SCOPE_COLOURS[t] for t in TYPE_LABELS]),
        legend=alt.Legend(orient="bottom", direction="horizontal", symbolType="square",
                          columns=2, labelFontSize=11, columnPadding=16))
    tooltip = [alt.Tooltip("title:N", title="event"), alt.Tooltip("country:N"),
               alt.Tooltip("type_label:N", title="type"), alt.Tooltip("dates:N"),
               alt.Tooltip("hours_text:N", title="hours"),
               alt.Tooltip("cost_text:N", title="cost, P50 (P5–P95)")]
    bars = alt.Chart(data).transform_filter("!datum.one_day").mark_bar(
        opacity=0.7, clip=True, height=alt.RelativeBandSize(0.6)).encode(
        x=x, x2="end:T", y=y, color=colour, tooltip=tooltip)
    ticks = alt.Chart(data).transform_filter("datum.one_day").mark_tick(
        opacity=0.8, thickness=2, clip=True).encode(x=x, y=y, color=colour, tooltip=tooltip)
    chart = _size(alt.layer(bars, ticks), width, max(ROW_HEIGHT * rows, 60)).properties(
        title=_title("Events over time", "a bar from the first to the last day; a tick: one "
                     "day"))
    return json.dumps(chart.to_dict(validate=False))


def events_timeline(frame: pl.DataFrame, *, years: tuple[int, int] | None = None,
                    width: int | str | None = None) -> dict:
    """One mark per event over calendar time, one row per country (a Vega-Lite spec).

    ``frame`` has the columns of `app_pages.events_view.timeline_frame`: ``country``, ``rank``
    (row order, 1 on top), ``type_label`` (one of `TYPE_LABELS`' values), ``start`` and
    ``end`` (ISO dates, ``end`` the day after the last day), ``one_day`` (a tick) and the
    tooltip texts ``title, dates, hours_text, cost_text``. Its rows should already be
    limited to a readable number of countries (the view model keeps the top twelve).
    ``years`` (first, last), when given, is the time axis: a longer event is cut at its
    ends."""
    cols = ["country", "rank", "type_label", "start", "end", "one_day", "title", "dates",
            "hours_text", "cost_text"]
    records = frame.select(cols).to_dicts()
    n_rows = len({r["country"] for r in records})
    span = (int(years[0]), int(years[1])) if years is not None else None
    return _filled(_timeline_template(n_rows, span, width), events=records)
