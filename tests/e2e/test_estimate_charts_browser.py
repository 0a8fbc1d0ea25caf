"""The Estimate page's charts in a real browser, on a desktop screen and on a phone: the
range chart and the three tabs under it (loss by duration, what drives the range, the parts
of the loss) are drawn, fit the screen, and are saved as screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from impact.methods import REGISTRY

pytestmark = pytest.mark.e2e
TIMEOUT = 30_000
TABS = ("By duration", "Drivers", "Parts of the loss")
SCREENS = {"desktop": (1400, 900), "phone": (390, 844)}


@pytest.fixture(params=list(SCREENS))
def screen(request, chromium, app_url):
    width, height = SCREENS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)
    try:
        yield request.param, width, page
    finally:
        context.close()


def _drawn(chart) -> dict:
    """The chart's box, once Vega has drawn it (a canvas or an SVG with a size); a chart
    redrawn after a choice is replaced in the page, so the box is asked for until the new
    drawing has settled."""
    box = None
    for _ in range(40):
        drawing = chart.locator("canvas, svg.marks").first
        expect(drawing).to_be_visible(timeout=TIMEOUT)
        box = drawing.bounding_box()
        if box and box["width"] > 100 and box["height"] > 80:
            return box
        chart.page.wait_for_timeout(250)
    raise AssertionError(f"the chart was not drawn at a readable size: {box}")


def test_estimate_page_draws_four_charts_that_fit_the_screen(screen, artifacts):
    name, width, page = screen
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts.first).to_be_visible(timeout=60_000)
    # the range chart and one chart per tab (the hidden tabs' charts are in the page too)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 4",
        timeout=60_000)
    assert charts.count() >= 4
    box = _drawn(charts.first)
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
        box = _drawn(chart)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (title, box)
        page.wait_for_timeout(300)  # let the chart paint for the screenshot
        chart.screenshot(path=str(artifacts / f"estimate_chart_{name}_{i + 1}.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(artifacts / f"estimate_charts_{name}.png"), full_page=True)


def test_choosing_the_tornados_method_redraws_it(app_page, artifacts):
    page = app_page
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    tabs = page.get_by_test_id("stTabs")
    tabs.get_by_role("tab", name=TABS[1]).click()
    panel = tabs.get_by_role("tabpanel", name=TABS[1])
    panel.get_by_role("combobox", name="Method").click()
    page.get_by_role("option", name=REGISTRY["icrier2018"].title).click()
    expect(panel.get_by_role("combobox", name="Method")).to_have_value(
        REGISTRY["icrier2018"].title, timeout=TIMEOUT)
    chart = panel.get_by_test_id("stVegaLiteChart")
    expect(chart).to_have_count(1, timeout=TIMEOUT)
    _drawn(chart)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    chart.screenshot(path=str(artifacts / "estimate_tornado_icrier.png"))
