"""Batch, Data & sources and Monitor in a real browser: the Batch figures table shows every
column at desktop and phone widths, Data & sources is short and free of build paths, and every
radio group on the Monitor page has an accessible name."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000
BATCH_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "batch_bad.csv"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS))
def sized(request, chromium, app_url):
    context = chromium.new_context(viewport=WIDTHS[request.param], device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        yield request.param, page, app_url
    finally:
        context.close()


def test_batch_figures_show_every_column(sized, artifacts):
    width, page, url = sized
    page.goto(f"{url}/batch")
    expect(page.get_by_role("heading", name="Batch: many scenarios at once")).to_be_visible()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(BATCH_FILE))
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(800)  # let the grid lay out its columns
    table.scroll_into_view_if_needed()
    sizes = table.locator(".dvn-scroller").first.evaluate(
        "el => ({scroll: el.scrollWidth, client: el.clientWidth, "
        "right: el.getBoundingClientRect().right, screen: window.innerWidth})")
    page.screenshot(path=str(artifacts / f"batch_figures_{width}.png"))
    assert sizes["scroll"] <= sizes["client"] + 1, sizes  # no column off to the side
    assert sizes["right"] <= sizes["screen"] + 1, sizes  # nor off the screen


def test_data_page_is_short_and_for_readers(chromium, app_url, artifacts):
    context = chromium.new_context(viewport=WIDTHS["desktop"])
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(f"{app_url}/data")
        expect(page.get_by_role("heading", name="Where the data comes from")).to_be_visible()
        page.wait_for_timeout(500)
        main = page.get_by_test_id("stMainBlockContainer")
        height = main.evaluate("el => el.scrollHeight")
        text = main.inner_text()
        page.screenshot(path=str(artifacts / "data_sources_desktop.png"))
        assert height < 2_500, height  # the build document it replaced: about 12,000 px
        assert "../shared" not in text and "tests/" not in text
    finally:
        context.close()


def test_monitor_radio_groups_have_names(chromium, app_url):
    context = chromium.new_context(viewport=WIDTHS["desktop"])
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(f"{app_url}/monitor")
        expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=TIMEOUT)
        groups = page.get_by_role("radiogroup")
        expect(groups).to_have_count(3)
        for name in ("Source", "Figures as of", "Times in"):
            expect(page.get_by_role("radiogroup", name=name, exact=True)).to_have_count(1)
    finally:
        context.close()
