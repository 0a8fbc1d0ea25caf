"""The Past events page's loss map and events timeline in a real browser, on a desktop screen
and on a phone, with every request to a host other than 127.0.0.1 aborted: both are drawn at
a readable size inside the screen's width, with no network, and saved as screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000
CHARTS = {"map": "ev_map", "timeline": "ev_timeline"}


def test_map_and_timeline_are_drawn_offline_and_fit_the_screen(screen, app_url, artifacts,
                                                               drawn):
    name, width, page, outside = screen.name, screen.width, screen.page, screen.outside
    page.goto(f"{app_url}/events")
    expect(page.get_by_role("heading", name="Past events")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Where and when")).to_be_visible(timeout=TIMEOUT)
    for label, key in CHARTS.items():
        chart = page.locator(f".st-key-{key}")
        expect(chart).to_have_count(1, timeout=TIMEOUT)
        chart.scroll_into_view_if_needed()
        box = drawn(chart, 250, 100)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (label, box)
        assert box["width"] >= min(width - 80, 600), (label, box)  # uses the width it has
        page.wait_for_timeout(300)  # let the chart paint for the screenshot
        chart.screenshot(path=str(artifacts / f"events_{label}_{name}.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(artifacts / f"events_charts_{name}.png"), full_page=True)
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside
