"""Charts of the event catalogue's estimates: a world map of losses and a timeline of events.

Pure builders over plain frames (the Past events page's view model builds them,
`app_pages.events_view.country_frame` and `timeline_frame`), returning Vega-Lite specs:

- `loss_map` — a choropleth of one figure per country (the summed P50 loss by default) on
  the bundled Natural Earth shapes (`impact.bundled.io.read_geometry`, TopoJSON inline, Equal Earth
  projection), on a logarithmic colour scale so that one large country does not wash out
  the rest; countries without a costed event are light grey. The shapes are joined to the
  rows by a Vega-Lite ``lookup`` on ``properties.iso3``.
- `events_timeline` — one mark per event over calendar time (a bar from the first to the
  last day, a tick for a one-day event), one row per country, coloured by type.

As in `impact.report.charts`: each layout is an Altair chart with named data built at build time
(`impact.build.chart_layouts`, committed under `impact.report.charts.LAYOUT_DIR`) and filled here
with each call's rows and texts, so drawing them imports no chart library and builds no
chart. `impact.report.charts.png` renders either offline.
"""

from __future__ import annotations

import json

import polars as pl

from impact.bundled.io import read_geometry_text
from impact.report.charts import _filled, _list, layers

#: the colour scheme of the map (sequential; low = pale)
MAP_SCHEME = "orangered"
NO_DATA_COLOUR = "#e4e4e4"
MAP_HEIGHT = 300
#: timeline: height of one country's row [px]
ROW_HEIGHT = 26
#: Vega expression of a percentage legend label (the value is already ×100)
PERCENT_LABELS = "format(datum.value, '.2~g') + ' %'"
#: Vega expression of a money legend label: three significant figures, m / bn / tn
MONEY_LEGEND = ("replace(replace(replace(format(datum.value, '.3~s'), 'G', 'bn'), 'M', 'm'), "
                "'T', 'tn')")
_MAP_FIELDS = ("country", "value", "value_text", "loss_text", "hours_text", "events_text")


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
    layout = "map_share" if normalisation == "share_of_gdp" else "map"
    spec = _filled(layout, {"legend": legend_title, "figure": tooltip_title or "figure"},
                   width, height, shapes=json.loads(read_geometry_text()), rows=rows)
    if not tooltip_title:  # the total is already in the tooltip
        for layer in layers(spec):
            tips = layer.get("encoding", {}).get("tooltip")
            if isinstance(tips, list):
                layer["encoding"]["tooltip"] = [t for t in tips if t["field"] != "value_text"]
    spec["description"] = map_description(rows, legend_title)
    return spec


def map_description(rows: list[dict], legend_title: str, most: int = 5) -> str:
    """The map in words: how many countries are coloured and the ``most`` highest, with
    their figures as the tooltip writes them (``value_text``).

    >>> map_description([{"country": "Iran", "value": 2.0, "value_text": "USD 2 bn"},
    ...                  {"country": "Chad", "value": 1.0, "value_text": "USD 1 m"}], "loss")
    'World map of loss: 2 countries with a costed event; highest: Iran USD 2 bn; Chad USD 1 m.'
    """
    ranked = sorted((r for r in rows if r.get("value") is not None),
                    key=lambda r: -float(r["value"]))
    n = len(ranked)
    if not n:
        return f"World map of {legend_title}: no country has a costed event."
    return (f"World map of {legend_title}: {n} countr{'y' if n == 1 else 'ies'} with a "
            f"costed event; highest: "
            + _list([f"{r['country']} {r['value_text']}" for r in ranked], most) + ".")


def events_timeline(frame: pl.DataFrame, *, years: tuple[int, int] | None = None,
                    width: int | str | None = None) -> dict:
    """One mark per event over calendar time, one row per country (a Vega-Lite spec).

    ``frame`` has the columns of `app_pages.events_view.timeline_frame`: ``country``, ``rank``
    (row order, 1 on top), ``type_label`` (one of `impact.vocab.SCOPE_TITLES`' values), ``start`` and
    ``end`` (ISO dates, ``end`` the day after the last day), ``one_day`` (a tick) and the
    tooltip texts ``title, dates, hours_text, cost_text``. Its rows should already be
    limited to a readable number of countries (the view model keeps the top twelve).
    ``years`` (first, last), when given, is the time axis (1 January of the first to 1
    January after the last, UTC): a longer event is cut at its ends."""
    cols = ["country", "rank", "type_label", "start", "end", "one_day", "title", "dates",
            "hours_text", "cost_text"]
    records = frame.select(cols).to_dicts()
    n_rows = len({r["country"] for r in records})
    spec = _filled("timeline", {}, width, max(ROW_HEIGHT * n_rows, 60), events=records)
    spec["description"] = timeline_description(records, years)
    if years is not None:  # the time axis: the chosen calendar years
        # an expression: dates given as values in both layers are merged by Vega-Lite into
        # a domain that Vega cannot read ("Infinite extent for field data")
        domain = {"expr": f"[utc({int(years[0])}, 0, 1), utc({int(years[1]) + 1}, 0, 1)]"}
        for layer in layers(spec):
            layer["encoding"]["x"]["scale"]["domain"] = domain
    return spec


def timeline_description(records: list[dict], years: tuple[int, int] | None = None,
                         most: int = 8) -> str:
    """The timeline in words: how many events in how many countries, then the events of
    the top rows (``rank``) with their dates and cost, as the tooltip writes them.

    >>> timeline_description([{"country": "Iran", "rank": 1, "title": "Iran shutdown",
    ...     "dates": "16–23 Nov 2019", "cost_text": "USD 1 bn"}], (2019, 2019))
    'Timeline of 1 event in 1 country, 2019: Iran shutdown (16–23 Nov 2019; USD 1 bn).'
    """
    countries = {r["country"] for r in records}
    span = "" if years is None else (f", {years[0]}" if years[0] == years[1]
                                     else f", {years[0]}–{years[1]}")
    head = (f"Timeline of {len(records)} event{'s' if len(records) != 1 else ''} in "
            f"{len(countries)} countr{'y' if len(countries) == 1 else 'ies'}{span}")
    if not records:
        return head + "."
    ranked = sorted(records, key=lambda r: (r["rank"], str(r.get("dates", ""))))
    return head + ": " + _list([f"{r['title']} ({r['dates']}; {r['cost_text']})"
                                for r in ranked], most) + "."
