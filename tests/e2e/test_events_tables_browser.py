"""The Past events page in a real browser: typing a country and Enter picks that country
only, and on a phone (390 px) every table shows its figures without scrolling sideways.

Streamlit draws a table on a canvas; the grid's accessible copy (``th`` cells) holds only
the columns drawn in view, so a money column among them is one the reader sees."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000


def _open_events(page, app_url):
    page.goto(f"{app_url}/events")
    expect(page.get_by_role("heading", name="Past events")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Where and when")).to_be_visible(timeout=TIMEOUT)


def test_typing_iran_and_enter_selects_iran_only(screen, app_url, artifacts):
    if screen.name == "phone":
        pytest.skip("the sidebar's Countries box is checked on the desktop")
    page = screen.page
    _open_events(page, app_url)
    box = page.locator(".st-key-ev_countries input")
    box.click()
    box.press_sequentially("Iran")
    options = page.get_by_role("option")
    expect(options).to_have_count(1, timeout=TIMEOUT)  # no "Select N matches" row
    expect(options.first).to_have_text("Iran")
    box.press("Enter")
    page.keyboard.press("Escape")
    chosen = page.locator(".st-key-ev_countries [data-tag]")
    expect(chosen).to_have_count(2, timeout=TIMEOUT)  # Pakistan (the default) and Iran
    expect(chosen.filter(has_text="Iran")).to_have_count(1)
    expect(chosen.filter(has_text="Pakistan")).to_have_count(1)
    page.screenshot(path=str(artifacts / "events_countries_iran.png"))


def test_every_table_shows_its_figures_on_the_screen(screen, app_url, artifacts):
    page, width = screen.page, screen.width
    _open_events(page, app_url)
    tables = page.get_by_test_id("stDataFrame")
    expect(tables.first).to_be_visible(timeout=TIMEOUT)
    # ranked, compared, totals (and per platform): the page draws them one after another
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 3",
        timeout=TIMEOUT)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
    for i in range(tables.count()):
        table = tables.nth(i)
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (i, box)
        headers = table.locator("th")
        expect(headers.first).to_be_attached(timeout=TIMEOUT)
        shown = headers.all_inner_texts()
        assert any("[USD]" in h for h in shown), (screen.name, i, shown)
        table.screenshot(path=str(artifacts / f"events_table{i}_{screen.name}.png"))


def test_the_top_events_chart_resets_with_the_filters_and_fits_the_screen(screen, app_url,
                                                                        artifacts, drawn):
    page, width = screen.page, screen.width
    _open_events(page, app_url)
    slider = page.locator(".st-key-ev_top_n input[type=range]")
    expect(slider).to_have_value("10", timeout=TIMEOUT)
    if screen.name == "desktop":  # a narrow search, then all events again: back to 10
        search = page.locator(".st-key-ev_search input")
        search.fill("Islamabad")
        search.press("Enter")
        # the slider is drawn anew: wait for the old one to go
        expect(page.locator(".st-key-ev_top_n input[type=range][value='10']")).to_have_count(
            0, timeout=TIMEOUT)
        expect(slider).to_have_count(1, timeout=TIMEOUT)
        narrow = int(slider.get_attribute("max"))
        assert narrow < 10 and slider.get_attribute("value") == str(narrow)
        search.fill("")
        search.press("Enter")
        expect(page.locator(f".st-key-ev_top_n input[type=range][max='{narrow}']")
               ).to_have_count(0, timeout=TIMEOUT)
        expect(slider).to_have_count(1, timeout=TIMEOUT)
        expect(slider).to_have_value("10", timeout=TIMEOUT)
    chart = page.locator(".st-key-ev_top_chart")
    chart.scroll_into_view_if_needed()
    box = drawn(chart, 200, 150)
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    chart.screenshot(path=str(artifacts / f"events_top_chart_{screen.name}.png"))
