"""The Estimate page's charts in a real browser, on a desktop screen and on a phone: the
range chart and the three tabs under it (loss by duration, what drives the range, the parts
of the loss) are drawn, fit the screen, and are saved as screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from impact.methods import REGISTRY

pytestmark = pytest.mark.e2e
TIMEOUT = 30_000
TABS = ("By duration", "Drivers", "Parts of the loss")


def test_estimate_page_draws_four_charts_that_fit_the_screen(screen, artifacts, drawn):
    name, width, page = screen.name, screen.width, screen.page
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts.first).to_be_visible(timeout=60_000)
    # the range chart and one chart per tab (the hidden tabs' charts are in the page too)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 4",
        timeout=60_000)
    assert charts.count() >= 4
    box = drawn(charts.first)
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    expect(page.get_by_test_id("stException")).to_have_count(0)

    tabs = page.get_by_test_id("stTabs")
    for i, title in enumerate(TABS):
        tab = tabs.get_by_role("tab", name=title)
        tab.scroll_into_view_if_needed()
        tab.click()
        panel = tabs.get_by_role("tabpanel", name=title)
        expect(panel).to_be_visible(timeout=TIMEOUT)
        chart = panel.get_by_test_id("stVegaLiteChart")
        expect(chart).to_have_count(1, timeout=TIMEOUT)
        chart.scroll_into_view_if_needed()
        box = drawn(chart)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (title, box)
        page.wait_for_timeout(300)  # let the chart paint for the screenshot
        chart.screenshot(path=str(artifacts / f"estimate_chart_{name}_{i + 1}.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(artifacts / f"estimate_charts_{name}.png"), full_page=True)


def test_choosing_the_tornados_method_redraws_it(app_page, artifacts, drawn):
    page = app_page
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    tabs = page.get_by_test_id("stTabs")
    tabs.get_by_role("tab", name=TABS[1]).click()
    panel = tabs.get_by_role("tabpanel", name=TABS[1])
    option = page.get_by_role("option", name=REGISTRY["icrier2018"].title)
    for attempt in range(3):  # as a user would: open the list again if it did not open
        panel.get_by_role("combobox", name="Method").click()
        try:
            option.click(timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    expect(panel.get_by_role("combobox", name="Method")).to_have_value(
        REGISTRY["icrier2018"].title, timeout=TIMEOUT)
    chart = panel.get_by_test_id("stVegaLiteChart")
    expect(chart).to_have_count(1, timeout=TIMEOUT)
    drawn(chart)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    chart.screenshot(path=str(artifacts / "estimate_tornado_icrier.png"))
