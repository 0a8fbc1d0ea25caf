"""AppTest checks of the Past events page's tables: what is displayed is the text of
`impact.format` (money ``USD 1.1 bn``, percentages, hours, counts and `fmt.MISSING` for a
missing value, never ``None``), while the downloads and charts keep the numbers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import events_cache as cached
from app_pages.events_display import NOT_COSTED
from app_pages.events_filters import EventFilters, events_defaults
from impact import format as fmt
from impact.bundled.io import data_version
from impact.catalogue.events import catalogue, load_events

ROOT = Path(__file__).resolve().parents[2]
EVENTS = str(ROOT / "app_pages" / "events.py")
TIMEOUT = 120
#: the page's default filters (Pakistan, the catalogue's last two years)
_START = events_defaults(catalogue())
DEFAULT = EventFilters(countries=tuple(_START["ev_countries"]), years=_START["ev_years"])
RANKED_MONEY = ("P50 [USD]", "P5 [USD]", "P95 [USD]")
TOTALS_MONEY = ("P50 [USD]", "P5 [USD]", "P95 [USD]")


@pytest.fixture(autouse=True)
def _pakistan_2024():
    if load_events("PAK", 2024).height == 0:
        pytest.skip("no Pakistan 2024 events in the catalogue")


def _page(**state) -> AppTest:
    at = AppTest.from_file(EVENTS, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception and not at.error
    return at


def _frame_with(at: AppTest, column: str):
    """The first shown table having ``column`` (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _cells(frame) -> list[str]:
    return [str(c) for c in frame.to_numpy().ravel()]


def _assert_text_only(frame) -> None:
    """Every displayed cell is text, with no Python or pandas missing value in it."""
    cells = _cells(frame)
    assert all(isinstance(c, str) for c in frame.to_numpy().ravel())
    for bad in ("None", "nan", "NaN", "<NA>", "NaT"):
        assert bad not in cells, bad


def _raw_view(method: str = "ensemble", norm: str = "total", filters: EventFilters = DEFAULT):
    chosen = dataclasses.replace(filters, method=method, normalisation=norm)
    return cached.events_screen(data_version(), chosen).view


def test_every_displayed_table_is_text_without_none():
    at = _page()
    assert len(at.dataframe) >= 3  # ranked, compared, totals (and per platform)
    for d in at.dataframe:
        _assert_text_only(d.value)


def test_ranked_money_is_the_formatters_text_of_the_raw_value():
    at = _page()
    shown = _frame_with(at, "share method")
    raw = _raw_view().table
    assert list(shown["id"]) == raw["id"].to_list()  # the ranking's order is kept
    for r, (_, s) in zip(raw.iter_rows(named=True), shown.iterrows(), strict=True):
        for column in RANKED_MONEY:
            expected = fmt.money(r[column]) if r["status"] == "ok" else NOT_COSTED
            assert s[column] == expected, (r["id"], column)
        assert s["hours"] == fmt.hours(r["hours"])
        assert s["affected share"] == fmt.percent(r["affected share"])
        assert s["rank"] == (str(r["rank"]) if r["rank"] is not None else fmt.MISSING)
        assert s["start"] == str(r["start"])
    ok = shown[shown["status"] == "ok"]
    assert list(ok["rank"]) == [str(i) for i in range(1, len(ok) + 1)]
    assert all(c.startswith("USD ") for c in ok["P50 [USD]"])


def test_share_of_gdp_column_is_a_percentage():
    at = _page(ev_norm="share_of_gdp")
    shown = _frame_with(at, "% of GDP (P50)")
    raw = _raw_view(norm="share_of_gdp").table
    ok = raw.filter(raw["status"] == "ok")
    expected = [fmt.percent(v / 100) for v in ok["% of GDP (P50)"].to_list()]
    assert list(shown[shown["status"] == "ok"]["% of GDP (P50)"]) == expected
    assert all(c.endswith(" %") for c in expected)


def test_events_not_costed_say_so_with_the_reason():
    if load_events("PAK", 2024, type="platforms").height == 0:
        pytest.skip("no Pakistan 2024 platform blocks in the catalogue")
    at = _page(ev_method="deloitte2016")
    for d in at.dataframe:
        _assert_text_only(d.value)
    shown = _frame_with(at, "share method")
    not_costed = shown[shown["status"] != "ok"]
    assert len(not_costed)  # Deloitte does not cost platform blocks
    assert set(not_costed["rank"]) == {fmt.MISSING}
    for column in RANKED_MONEY:  # never "USD 0" or a bare dash
        assert set(not_costed[column]) == {NOT_COSTED}, column
    assert all(not_costed["note"])  # with the reason


def test_totals_are_formatted_and_missing_quantiles_show_the_missing_mark():
    if load_events("PAK", 2024, type="platforms").height == 0:
        pytest.skip("no Pakistan 2024 platform blocks in the catalogue")
    # Deloitte costs no platform block: a total of no costed event
    at = _page(ev_method="deloitte2016", ev_types=["platforms"])
    shown = _frame_with(at, "events costed")
    raw = cached.events_totals(data_version(), dataclasses.replace(
        DEFAULT, types=("platforms",), method="deloitte2016")).raw
    assert len(shown) == raw.height
    for r, (_, s) in zip(raw.iter_rows(named=True), shown.iterrows(), strict=True):
        for column in TOTALS_MONEY:
            costed = r["events costed"] > 0
            assert s[column] == (fmt.money(r[column]) if costed else NOT_COSTED), column
        if r["events costed"] == 0:  # not costed, and why
            assert s["note"].startswith(f"{NOT_COSTED}: "), s["note"]
        assert s["hours"] == fmt.hours(r["hours"])
        assert s["events costed"] == fmt.count(r["events costed"])
        assert s["year"] == str(r["year"])
    assert "USD 0" not in set(shown["P50 [USD]"])
    _assert_text_only(shown)


def test_compare_table_is_formatted():
    at = _page()
    chosen = tuple(at.multiselect(key="ev_compare").value)
    assert chosen
    shown = _frame_with(at, "rank per day")
    # the page's default: each event's headline
    raw, _ = cached.events_compared(data_version(), DEFAULT, chosen)
    _assert_text_only(shown)
    for r, (_, s) in zip(raw.iter_rows(named=True), shown.iterrows(), strict=True):
        for column in ("total (P50) [USD]", "per day [USD]", "per capita [USD]"):
            assert s[column] == fmt.money(r[column]), column
        assert s["% of GDP"] == fmt.percent(r["% of GDP"] / 100)
        assert s["hours"] == fmt.hours(r["hours"])
