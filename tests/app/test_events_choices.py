"""The Past events page's choices as a new user meets them: the Countries box picks the
country typed, the search finds whole words and a platform under any of its names, the
chart's slider follows the filters, its axis reads USD 10 bn, the default years are the
catalogue's last two, and the totals say "not costed" and why, and when hours are summed
beyond a year's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode
from streamlit.testing.v1 import AppTest

from app_pages.events_display import NOT_COSTED, total_note, totals_display, with_notes
from app_pages.events_filters import default_years, events_defaults
from app_pages.events_ranked import TOP_N_DEFAULT, top_n_value
from app_pages.events_search import search_events, synonyms
from app_pages.events_specs import events_chart_spec, nice_ticks, tick_labels
from impact.catalogue.events import catalogue, load_events

ROOT = Path(__file__).resolve().parents[2]
EVENTS = str(ROOT / "app_pages" / "events.py")
TIMEOUT = 120


def _page(**state) -> AppTest:
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception and not at.error
    return at


# ---- 1. Countries: the name typed, never "Select N matches" ------------------------------
def test_countries_match_the_typed_name_and_offer_no_select_all():
    box = _page().multiselect(key="ev_countries").proto
    assert box.select_all == 0  # no "Select all" / "Select N matches" row to hit with Enter
    assert box.filter_mode == SelectWidgetFilterMode.Value("FILTER_MODE_CONTAINS")
    # typing "Iran" (a case-insensitive substring) leaves one country: Enter picks it
    iran = [o for o in box.options if "iran" in o.lower()]
    assert iran == ["Iran"]


# ---- 2. search: whole words, a platform under any of its names ----------------------------
@pytest.fixture(scope="module")
def events_2024() -> pl.DataFrame:
    return load_events(None, 2024)


def _names_x(frame: pl.DataFrame) -> pl.Series:
    """Whether each event names X (its platforms, or X / Twitter as a word of its text)."""
    text = pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in
                          ("title", "description", "platforms")], separator=" ")
    return frame.select(text.str.to_lowercase().str.contains(r"\b(x|twitter)\b"))[:, 0]


def test_x_finds_only_events_naming_x_and_twitter_finds_the_same(events_2024):
    x = search_events(events_2024, "X")
    assert 0 < x.height < 60  # a letter anywhere found 172 events of 2024
    assert _names_x(x).all()
    # an exam shutdown is found only when it names X (the letter inside "exam" is no match)
    exams = events_2024.filter(pl.col("title").str.to_lowercase().str.contains("exam"))
    exams_without_x = exams.filter(~_names_x(exams))
    assert exams_without_x.height and not set(exams_without_x["event_id"]) & set(x["event_id"])
    twitter = search_events(events_2024, "Twitter")
    assert sorted(twitter["event_id"]) == sorted(x["event_id"])
    assert sorted(search_events(events_2024, "x/twitter")["event_id"]) == sorted(x["event_id"])
    blocked_x = events_2024.filter(pl.col("platforms").fill_null("").str.contains(r"\bx\b"))
    assert set(blocked_x["event_id"]) <= set(x["event_id"])  # every X block is found


def test_aliases_come_from_the_platform_vocabulary():
    assert synonyms("twitter") == synonyms("x") == {"x", "twitter"}
    assert {"facebook", "fb"} <= synonyms("facebook")
    assert {"facebook", "instagram", "whatsapp"} <= synonyms("meta")
    assert synonyms("kashmir") == frozenset()


def test_other_words_match_at_the_start_of_a_word():
    events = pl.DataFrame({"title": ["Iran election", "Iraq elections", "exam in Baran"],
                           "event_id": ["a", "b", "c"]})
    assert search_events(events, "election")["event_id"].to_list() == ["a", "b"]
    assert search_events(events, "ran")["event_id"].to_list() == []  # not inside a word
    assert search_events(events, "Iran election")["event_id"].to_list() == ["a"]
    assert search_events(events, "  ")["event_id"].to_list() == ["a", "b", "c"]


def test_the_page_search_for_twitter_finds_the_x_block():
    at = _page()
    at.text_input(key="ev_search").set_value("Twitter").run()
    assert not at.exception and not at.error
    ranked = next(d.value for d in at.dataframe if "share method" in d.value.columns)
    assert len(ranked) and ranked["platforms"].str.contains("x").all()


# ---- 3. the chart's slider follows the filters --------------------------------------------
def test_the_slider_goes_back_to_its_default_when_the_filters_change():
    assert top_n_value(3, 172, "narrow", "wide") == TOP_N_DEFAULT
    assert top_n_value(3, 172, "wide", "wide") == 3  # the user's own choice is kept
    assert top_n_value(30, 7, "wide", "wide") == 7
    assert top_n_value(None, 4, None, "x") == 4


def test_a_narrow_search_does_not_shrink_the_chart_afterwards():
    at = _page(ev_countries=[])
    at.text_input(key="ev_search").set_value("Islamabad").run()
    narrow = at.slider(key="ev_top_n")
    assert narrow.max <= 20 and narrow.value == min(TOP_N_DEFAULT, narrow.max)
    narrow.set_value(2).run()
    assert at.slider(key="ev_top_n").value == 2
    at.text_input(key="ev_search").set_value("").run()
    wide = at.slider(key="ev_top_n")
    assert wide.max > narrow.max and wide.value == TOP_N_DEFAULT


# ---- 4. the chart's axis: short money labels ----------------------------------------------
def test_the_axis_reads_usd_bn_not_ten_digits():
    frame = pl.DataFrame({"label": ["a", "b"], "value": [5.3e9, 9.5e8],
                          "p05": [2.2e9, 3e8], "p95": [1.12e10, 2.4e9], "text": ["", ""]})
    spec = events_chart_spec("total", 2, frame)
    for layer in spec["layer"]:
        x = layer["encoding"]["x"]
        assert x["axis"]["values"] == [0.0, 5e9, 1e10, 1.5e10]
        assert x["scale"]["domain"] == [0, 1.5e10]
        expr = x["axis"]["labelExpr"]
        assert "'USD 10 bn'" in expr and "'USD 15 bn'" in expr and "10,000" not in expr
        assert x["axis"]["labelOverlap"] is True  # a label that would overprint is left out
    assert tick_labels([0.0, 2.5e6, 1e10], "per_day") == ["USD 0", "USD 2.5 m", "USD 10 bn"]
    assert tick_labels([0.0, 0.05], "share_of_gdp") == ["0 %", "0.05 %"]  # already x 100
    assert nice_ticks(7) == [0.0, 2.0, 4.0, 6.0, 8.0]


# ---- 6. the default years are the catalogue's last two -------------------------------------
def test_default_years_are_the_catalogues_last_two():
    cat = catalogue()
    last = int(cat["start"].dt.year().max())
    assert default_years(cat) == (last - 1, last)
    assert events_defaults(cat)["ev_years"] == (last - 1, last)
    assert tuple(_page().slider(key="ev_years").value) == (last - 1, last)
    one_year = pl.DataFrame({"iso3": ["IND"], "start": [dt.date(2031, 5, 1)]})
    assert events_defaults(one_year)["ev_years"] == (2031, 2031)
    assert events_defaults(one_year)["ev_countries"] == []


# ---- 5. totals: "not costed" with the reason, and hours beyond a year's ---------------------
def test_a_total_of_no_costed_event_says_not_costed_and_why():
    summary = pl.DataFrame({"iso3": ["JOR", "MMR"], "year": [2024, 2024],
                            "n_events": [0, 80], "n_not_costed": [2, 0],
                            "hours": [0.0, 28_400.0], "loss_usd_p50": [0.0, 2.1e9],
                            "loss_usd_p05": [0.0, 9.5e8], "loss_usd_p95": [0.0, 4.9e9]})
    reasons = pl.DataFrame({"iso3": ["JOR"], "year": [2024],
                            "reason": ["blocked services are not among the costed platforms"]})
    noted = with_notes(summary, reasons, "iso3")
    jordan, myanmar = noted["note"].to_list()
    assert jordan == "not costed: blocked services are not among the costed platforms"
    assert myanmar.startswith("28,400 hours, more than 2024's 8,784: the hours of 80 events")
    assert "several regions at the same time" in myanmar
    shown = totals_display(noted.rename({"n_events": "events costed",
                                         "n_not_costed": "not costed",
                                         "loss_usd_p50": "P50 [USD]"}))
    assert shown["P50 [USD]"].to_list() == [NOT_COSTED, "USD 2.1 bn"]  # never "USD 0"


def test_a_year_within_its_hours_has_no_note():
    assert total_note(3, 0, 8_760.0, 2025, None) == ""
    assert total_note(3, 0, 8_761.0, 2025, None).startswith("8,761 hours, more than 2025's 8,760")
