"""The Past events page's loss map and events timeline in a real browser, on a desktop screen
and on a phone, with every request to a host other than 127.0.0.1 aborted: both are drawn at
a readable size inside the screen's width, with no network, and saved as screenshots."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000
SCREENS = {"desktop": (1400, 900), "phone": (390, 844)}
CHARTS = {"map": "ev_map", "timeline": "ev_timeline"}


@pytest.fixture(params=list(SCREENS))
def offline_screen(request, chromium, app_url):
    """A page of the given screen size on which only 127.0.0.1 answers."""
    width, height = SCREENS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   device_scale_factor=1)
    outside: list[str] = []

    def only_local(route):
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{app_url}/events")
    try:
        yield request.param, width, page, outside
    finally:
        context.close()


def _drawn(chart) -> dict:
    """The chart's drawing box once Vega has drawn it at a readable size."""
    box = None
    for _ in range(80):
        drawing = chart.locator("canvas, svg.marks").first
        expect(drawing).to_be_visible(timeout=TIMEOUT)
        box = drawing.bounding_box()
        if box and box["width"] > 250 and box["height"] > 100:
            return box
        chart.page.wait_for_timeout(250)
    raise AssertionError(f"the chart was not drawn at a readable size: {box}")


def test_map_and_timeline_are_drawn_offline_and_fit_the_screen(offline_screen, artifacts):
    name, width, page, outside = offline_screen
    expect(page.get_by_role("heading", name="Past events")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Where and when")).to_be_visible(timeout=TIMEOUT)
    for label, key in CHARTS.items():
        chart = page.locator(f".st-key-{key}")
        expect(chart).to_have_count(1, timeout=TIMEOUT)
        chart.scroll_into_view_if_needed()
        box = _drawn(chart)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (label, box)
        assert box["width"] >= min(width - 80, 600), (label, box)  # uses the width it has
        page.wait_for_timeout(300)  # let the chart paint for the screenshot
        chart.screenshot(path=str(artifacts / f"events_{label}_{name}.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(artifacts / f"events_charts_{name}.png"), full_page=True)
    assert outside == [] or all(urlparse(u).hostname != "127.0.0.1" for u in outside)
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside
