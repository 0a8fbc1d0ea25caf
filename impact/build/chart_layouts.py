"""Build the Vega-Lite layouts of the estimate charts (build-time code; needs Altair).

    python -m impact.build.chart_layouts [--check]

Each chart of an estimate (`impact.report.charts.duration_chart`, `tornado_chart`,
`waterfall_chart`, `range_chart`) and of the catalogue (`impact.report.event_charts.loss_map`,
`events_timeline`) is an Altair chart with **named data** and a few ``@name@`` text slots
(the currency, a subtitle, a legend), written as JSON to ``impact/report/layouts/<chart>.json``. At run time
`impact.report.charts` reads the JSON, fills the slots and puts each call's rows inline, so the app
never imports Altair or builds a chart. ``--check`` exits 1 when a committed layout differs
from what this module builds (a test runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import altair as alt

from impact.report.charts import (
    LAYOUT_DIR,
    METHOD_COLOURS,
    MONEY_LABELS,
    RANGE_COLOURS,
    SCOPE_COLOURS,
    TORNADO_COLOURS,
    TORNADO_ENDS,
    WATERFALL_COLOURS,
)
from impact.report.event_charts import (
    _MAP_FIELDS,
    MAP_SCHEME,
    MONEY_LEGEND,
    NO_DATA_COLOUR,
    PERCENT_LABELS,
)
from impact.vocab import SCOPE_TITLES

#: text slots a layout may carry, filled by `impact.report.charts` (`impact.report.charts.fill_slots`)
CURRENCY = "@currency@"
SUBTITLE = "@subtitle@"
HEADING = "@heading@"


def _title(text: str, subtitle: str = "") -> alt.Title:
    return alt.Title(text, subtitle=subtitle, anchor="start", fontSize=13,
                     subtitleFontSize=11)


def _money_axis(title: str) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=MONEY_LABELS, labelOverlap=True, tickCount=5)


def _fit_x(chart):
    """``fit-x``: the chart fits its container's width, and the legend, titles and axes come
    on top of the height (the default ``fit`` would squeeze the plot under a tall legend)."""
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def duration_layout() -> alt.LayerChart:
    """Loss by duration: band (named data ``band``), lines (``lines``), the scenario's rule
    and label (``scenario``). Methods are coloured in the order of their ``order`` field."""
    x = alt.X("hours:Q", title="duration [hours]", scale=alt.Scale(zero=False, nice=False),
              axis=alt.Axis(labelOverlap=True, tickCount=6))
    colour = alt.Color("title:N", title=None,
                       sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
                       scale=alt.Scale(range=list(METHOD_COLOURS)),
                       legend=alt.Legend(orient="bottom", columns=1, labelLimit=270,
                                         symbolType="stroke"))
    tooltip = [alt.Tooltip("title:N", title="method"),
               alt.Tooltip("hours_label:N", title="duration"),
               alt.Tooltip("p50_label:N", title="P50"),
               alt.Tooltip("p05_label:N", title="P5"), alt.Tooltip("p95_label:N", title="P95")]
    money = _money_axis(f"loss [{CURRENCY}]")
    band = alt.Chart(alt.Data(name="band")).mark_area(
        opacity=0.18, color=METHOD_COLOURS[0]).encode(
        x=x, y=alt.Y("p05:Q", axis=money), y2="p95:Q")
    lines = alt.Chart(alt.Data(name="lines")).mark_line(
        strokeWidth=2, point=alt.OverlayMarkDef(size=22, filled=True)).encode(
        x=x, y=alt.Y("p50:Q", axis=money), color=colour, tooltip=tooltip)
    mark = alt.Chart(alt.Data(name="scenario"))
    rule = mark.mark_rule(strokeDash=[4, 3], color="#555").encode(x="hours:Q")
    text = mark.mark_text(align="left", dx=4, dy=-4, baseline="bottom", fontSize=11,
                          color="#333").encode(x="hours:Q", y=alt.value(0), text="label:N")
    return _fit_x(alt.layer(band, lines, rule, text)).properties(
        title=_title("Loss by duration", SUBTITLE))


def tornado_layout() -> alt.LayerChart:
    """What drives the range: bars (named data ``bars``, largest swing = ``rank`` 1 on top)
    and the P50 rule (``centre``)."""
    y = alt.Y("label:N", title=None,
              sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
              axis=alt.Axis(labelLimit=170, labelFontSize=11))
    bars = alt.Chart(alt.Data(name="bars")).mark_bar(
        height=alt.RelativeBandSize(0.6)).encode(
        y=y, x=alt.X("start:Q", axis=_money_axis(f"loss [{CURRENCY}]"),
                     scale=alt.Scale(zero=False)),
        x2="end:Q",
        color=alt.Color("at:N", title=None, sort=list(TORNADO_ENDS), scale=alt.Scale(
            domain=list(TORNADO_ENDS), range=list(TORNADO_COLOURS)),
            legend=alt.Legend(orient="bottom", labelFontSize=11, symbolSize=90)),
        tooltip=[alt.Tooltip("label:N", title="input"), alt.Tooltip("at:N", title="with the"),
                 alt.Tooltip("loss_label:N", title="loss"),
                 alt.Tooltip("swing_label:N", title="swing")])
    rule = alt.Chart(alt.Data(name="centre")).mark_rule(
        color="#333", strokeWidth=1.5).encode(x="centre:Q")
    return _fit_x(alt.layer(bars, rule)).properties(
        title=_title(HEADING, "one input at a time from P5 to P95; line: P50"))


def waterfall_layout() -> alt.LayerChart:
    """Direct, indirect, recovered, net: bars and their amounts (named data ``steps``, in
    the order of their ``order`` field) and an unseen point (``room``) that widens the axis
    for the amounts written after the bars."""
    base = alt.Chart(alt.Data(name="steps"))
    y = alt.Y("step:N", title=None,
              sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
              axis=alt.Axis(labelLimit=170, labelFontSize=11))
    bars = base.mark_bar(height=alt.RelativeBandSize(0.65)).encode(
        y=y, x=alt.X("start:Q", axis=_money_axis(f"loss [{CURRENCY}], central values")),
        x2="end:Q",
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(
            domain=list(WATERFALL_COLOURS), range=list(WATERFALL_COLOURS.values()))),
        tooltip=[alt.Tooltip("step:N", title="part"),
                 alt.Tooltip("amount_label:N", title="amount")])
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(
        y=y, x="tip:Q", text="amount_label:N")
    room = alt.Chart(alt.Data(name="room")).mark_point(opacity=0).encode(x="top:Q")
    return _fit_x(alt.layer(bars, labels, room)).properties(
        title=_title("Direct, indirect, recovered", "how the net loss adds up"))


def range_layout(log: bool = False) -> alt.LayerChart:
    """Every method as a range: a bar from P5 to P95 and a dot at P50 per row (named data
    ``rows``, in the order of their ``order`` field), coloured by ``kind`` (the ensemble or
    a method), its P50 and name written above its bar (``label``: no room is needed beside
    the plot, so it fits a phone; a name longer than the plot is shortened at its end);
    ``log``: a logarithmic money axis."""
    y = alt.Y("title:N", title=None, axis=None,
              sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
              scale=alt.Scale(paddingInner=0.1, paddingOuter=0.05))
    scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    colour = alt.Color("kind:N", legend=None, scale=alt.Scale(
        domain=list(RANGE_COLOURS), range=list(RANGE_COLOURS.values())))
    tooltip = [alt.Tooltip("title:N", title="method"), alt.Tooltip("p05_label:N", title="P5"),
               alt.Tooltip("p50_label:N", title="P50"),
               alt.Tooltip("p95_label:N", title="P95")]
    base = alt.Chart(alt.Data(name="rows"))
    bars = base.mark_bar(height=12, opacity=0.35, cornerRadius=2, yOffset=6).encode(
        y=y, x=alt.X("p05:Q", axis=_money_axis(f"loss [{CURRENCY}]"), scale=scale),
        x2="p95:Q", color=colour, tooltip=tooltip)
    dots = base.mark_point(filled=True, size=70, opacity=1, yOffset=6).encode(
        y=y, x="p50:Q", color=colour, tooltip=tooltip)
    names = base.mark_text(align="left", baseline="bottom", dy=-2, fontSize=11,
                           color="#333", limit=alt.ExprRef("width")).encode(
        y=y, x=alt.value(0), text="label:N")
    return _fit_x(alt.layer(bars, dots, names)).properties(
        title=_title("Every method's range", SUBTITLE))


def map_layout(percent: bool = False) -> alt.LayerChart:
    """Losses by country: the bundled shapes (named data ``shapes``, TopoJSON) looked up
    against the per-country rows (``rows``, by ``iso3``); grey where no event is costed, a
    log colour scale elsewhere. Slots: ``legend`` (the legend's title) and ``figure`` (the
    tooltip's name of the coloured figure); ``percent``: legend labels in per cent."""
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
               alt.Tooltip("loss_text:N", title="loss, P50 (P5–P95)"),
               alt.Tooltip("value_text:N", title="@figure@")]
    legend = alt.Legend(title="@legend@", orient="bottom-left", direction="horizontal",
                        gradientLength=200, padding=4, fillColor="rgba(255,255,255,0.8)",
                        labelExpr=PERCENT_LABELS if percent else MONEY_LEGEND,
                        labelOverlap=True, titleLimit=340)
    coloured = alt.Chart().transform_lookup(lookup="properties.iso3", from_=rows).transform_filter(
        "isValid(datum.value) && datum.value > 0").mark_geoshape(**outline).encode(
        color=alt.Color("value:Q", scale=alt.Scale(type="log", scheme=MAP_SCHEME),
                        legend=legend),
        tooltip=tooltip)
    chart = alt.layer(grey, coloured, data=shapes).project(type="equalEarth")
    return _fit_x(chart).properties(
        title=_title("Losses by country", "colour: log scale · grey: no costed event"))


def timeline_layout() -> alt.LayerChart:
    """Events over time: one bar (or a tick for a one-day event) per event (named data
    ``events``), one row per country in the order of ``rank``, coloured by type."""
    data = alt.Data(name="events")
    y = alt.Y("country:N", title=None,
              sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
              axis=alt.Axis(labelLimit=120, labelFontSize=11))
    x = alt.X("start:T", title=None, scale=alt.Scale(type="utc"),
              axis=alt.Axis(labelOverlap=True, labelAngle=0, grid=True,
                            tickCount=alt.ExprRef("max(2, floor(width / 90))")))
    colour = alt.Color("type_label:N", title=None, scale=alt.Scale(
        domain=list(SCOPE_TITLES.values()), range=[SCOPE_COLOURS[t] for t in SCOPE_TITLES]),
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
    return _fit_x(alt.layer(bars, ticks)).properties(
        title=_title("Events over time", "a bar from the first to the last day; a tick: one "
                     "day"))


LAYOUTS = {"duration": duration_layout, "tornado": tornado_layout,
           "waterfall": waterfall_layout, "range": range_layout,
           "range_log": lambda: range_layout(log=True), "map": map_layout,
           "map_share": lambda: map_layout(percent=True), "timeline": timeline_layout}


def layout_json(name: str) -> str:
    """The layout ``name`` as the JSON text committed under `impact.report.charts.LAYOUT_DIR`
    (validated against the Vega-Lite schema)."""
    return json.dumps(LAYOUTS[name]().to_dict(validate=True), indent=1, sort_keys=True) + "\n"


def write(directory: Path = LAYOUT_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name in LAYOUTS:
        path = directory / f"{name}.json"
        path.write_text(layout_json(name), encoding="utf-8")
        out.append(path)
    return out


def stale(directory: Path = LAYOUT_DIR) -> list[str]:
    """Names of the committed layouts that are missing or differ from what is built now."""
    return [name for name in LAYOUTS
            if not (directory / f"{name}.json").is_file()
            or (directory / f"{name}.json").read_text(encoding="utf-8") != layout_json(name)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a committed layout is stale; write nothing")
    args = parser.parse_args(argv)
    if args.check:
        names = stale()
        if names:
            print(f"stale chart layouts: {', '.join(names)} "
                  "(run: python -m impact.build.chart_layouts)", file=sys.stderr)
            return 1
        return 0
    for path in write():
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
