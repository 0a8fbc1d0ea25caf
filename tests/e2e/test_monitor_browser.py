"""The Monitor page in a real browser, at desktop and phone widths: the example case's
figures, fully visible; an uploaded timeline changes them; the downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
TIMEOUT = 30_000
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "monitor_page" / "upload_still_on.csv"
WIDTHS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS))
def monitor_page(request, chromium, app_url):
    """A fresh session on the Monitor page at one width (downloads allowed)."""
    context = chromium.new_context(accept_downloads=True, viewport=WIDTHS[request.param])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{app_url}/monitor")
    try:
        yield request.param, page
    finally:
        context.close()


def _value(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id(
        "stMetricValue")


def _fully_visible(locator) -> None:
    """The text is not cut: no horizontal overflow and inside the viewport."""
    clipped = locator.evaluate(
        "el => el.scrollWidth > el.clientWidth + 1 || "
        "el.getBoundingClientRect().right > window.innerWidth + 1 || "
        "el.getBoundingClientRect().left < -1")
    assert not clipped, f"clipped: {locator.inner_text()!r}"


def _sidebar(page, width: str):
    """The sidebar, opened first on a phone (where it starts collapsed)."""
    sidebar = page.get_by_test_id("stSidebar")
    if width == "phone" and not sidebar.is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar.get_by_text("Upload a timeline file")).to_be_visible(timeout=TIMEOUT)
    return sidebar


def _close_sidebar(page, width: str) -> None:
    if width == "phone":
        page.get_by_test_id("stSidebar").get_by_test_id("stSidebarCollapseButton").click()
        page.wait_for_timeout(400)


def test_user_sees_the_example_uploads_a_timeline_and_downloads(monitor_page, artifacts):
    width, page = monitor_page
    expect(page.get_by_role("heading", name="Monitor")).to_be_visible(timeout=60_000)
    so_far = _value(page, "Cost so far")
    expect(so_far).to_contain_text("USD", timeout=60_000)
    expect(page.get_by_text("Lifted").first).to_be_visible()  # the seed case ended at 15:00 UTC
    expect(page.get_by_text("Pakistan").first).to_be_visible()
    for label in ("Cost so far", "Cost per additional hour", "Cost per additional day"):
        value = _value(page, label)
        expect(value).to_contain_text("USD")
        value.scroll_into_view_if_needed()
        _fully_visible(value)
    projection = page.get_by_test_id("stDataFrame").filter(has_text="if it lasts")
    expect(projection).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2, timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    page.wait_for_timeout(500)  # let the grid and the charts paint
    page.screenshot(path=str(artifacts / f"monitor_seed_{width}.png"), full_page=True)
    before = so_far.inner_text()

    # upload a timeline: the figures follow it
    sidebar = _sidebar(page, width)
    sidebar.get_by_text("Upload a timeline file").click()
    _close_sidebar(page, width)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(FIXTURE))
    expect(page.get_by_text(FIXTURE.name).first).to_be_visible(timeout=60_000)
    expect(_value(page, "Cost so far")).not_to_have_text(before, timeout=60_000)
    expect(_value(page, "Cost so far")).to_contain_text("USD")
    _fully_visible(_value(page, "Cost so far"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / f"monitor_upload_{width}.png"), full_page=True)

    # the hourly table as CSV
    button = page.get_by_test_id("stDownloadButton").filter(has_text="hourly table")
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    target = artifacts / f"{width}_{info.value.suggested_filename}"
    info.value.save_as(target)
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("hour_utc,hour_local,scope")

    # the brief
    button = page.get_by_test_id("stDownloadButton").filter(has_text="brief (HTML)")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    assert info.value.suggested_filename.endswith(".html")
    brief = artifacts / f"{width}_{info.value.suggested_filename}"
    info.value.save_as(brief)
    text = brief.read_text(encoding="utf-8")
    assert "Pakistan" in text and "Cost so far" in text and "<script" not in text.lower()
    target = artifacts / f"{width}_{info.value.suggested_filename}"
    info.value.save_as(target)
    assert "<html" in target.read_text(encoding="utf-8").lower()


def test_bad_upload_is_one_line_error(chromium, app_url, artifacts):
    context = chromium.new_context(viewport=WIDTHS["desktop"])
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(f"{app_url}/monitor")
        expect(_value(page, "Cost so far")).to_contain_text("USD", timeout=60_000)
        page.get_by_test_id("stSidebar").get_by_text("Upload a timeline file").click()
        bad = FIXTURE.with_name("upload_bad.csv")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bad))
        error = page.get_by_test_id("stAlertContentError")
        expect(error).to_contain_text("upload_bad.csv line 2: intensity", timeout=60_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.screenshot(path=str(artifacts / "monitor_bad_upload.png"), full_page=True)
    finally:
        context.close()
