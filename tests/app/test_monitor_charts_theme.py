"""The Monitor page's charts in the app's light and dark themes: their marks take the app's
colours (3:1 or more on either background), their outlines the background's."""

from __future__ import annotations

import json

import polars as pl

from app_pages import monitor_charts as mch
from impact.report import charts


def _cumulative() -> pl.DataFrame:
    return pl.DataFrame({"hour_local": ["2024-02-08T06:00:00Z"], "hour_label": ["08 Feb 06:00"],
                         "p05": [1.0], "p50": [2.0], "p95": [4.0], "p05_label": ["USD 1"],
                         "p50_label": ["USD 2"], "p95_label": ["USD 4"]})


def _intensity() -> pl.DataFrame:
    return pl.DataFrame({"hour_local": ["2024-02-08T06:00:00Z"], "hour_label": ["08 Feb 06:00"],
                         "hour_end": ["2024-02-08T07:00:00Z"], "kind": ["mobile data, nationwide"],
                         "lost": [1.0], "minutes": [60.0], "intensity": [1.0]})


def test_monitor_marks_take_the_apps_colours():
    cumulative = mch.cumulative_chart_spec(_cumulative(), "Asia/Karachi", "impact")
    marks = [layer["mark"] for layer in charts.layers(cumulative)]
    assert [m["color"] for m in marks] == [charts.APP_PALETTE[0]] * 2
    intensity = mch.intensity_chart_spec(_intensity(), "Asia/Karachi")
    layer = intensity["layer"][0]
    assert layer["encoding"]["color"]["scale"]["range"] == list(charts.APP_PALETTE)
    assert layer["mark"]["stroke"] == {"expr": "background"}  # not white on a dark page
    for spec in (cumulative, intensity):
        assert spec["config"]["title"]["subtitleColor"] == charts.THEME_SUBTITLE
        text = json.dumps({k: v for k, v in spec.items() if k != "layer"})
        assert '"white"' not in text and "#333" not in text
