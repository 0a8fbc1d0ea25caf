"""Past events in a real browser: upload the example file of restrictions since the snapshot
(``data/examples/events_since_snapshot.csv``) under "Add your own events" and find Iran's
blackout of 8 January 2026 in the ranking, marked as yours (its CSV download)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
#: the summary line over the ranking ("36 events · 34 costed by …"), not the uploader's help
COSTED = re.compile(r"\d events · \d+ costed by")
TIMEOUT = 60_000
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "events_since_snapshot.csv"


def _idle(page) -> None:
    """Wait until the app has finished its run (no running indicator)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')",
                           timeout=120_000)


def test_user_uploads_own_events_and_sees_iran_2026_marked_as_yours(app_page, artifacts):
    page = app_page
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSidebarNav").get_by_text("Past events").click()
    expect(page.get_by_role("heading", name="Past events")).to_be_visible(timeout=TIMEOUT)
    page.get_by_text("Add your own events").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(EXAMPLE))
    expect(page.get_by_text("3 records read, 3 events kept, 0 refused", exact=False)
           ).to_be_visible(timeout=TIMEOUT)
    countries = sidebar.get_by_test_id("stMultiSelect").filter(has_text="Countries")
    countries.get_by_role("button", name="Clear all").click()
    expect(countries.get_by_label("Remove Pakistan")).to_have_count(0, timeout=TIMEOUT)
    search = sidebar.get_by_role("textbox", name="Search")
    search.fill("Iran 2026")
    search.press("Enter")
    _idle(page)
    expect(page.get_by_test_id("stMarkdown").filter(has_text=COSTED).first
           ).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "events_yours_iran_2026.png"), full_page=True)
    button = page.get_by_test_id("stDownloadButton").filter(has_text="Download CSV").first
    target = artifacts / "events_yours.csv"
    rows: list[dict] = []
    for _ in range(5):  # a download reruns the page: wait for it, then read again
        with page.expect_download(timeout=TIMEOUT) as info:
            button.click()
        info.value.save_as(target)
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        if rows and all("Iran" in r["event"] for r in rows):
            break
        _idle(page)
    mine = [r for r in rows if r["origin"] == "yours"]
    assert any(r["id"] == "U-IRN-2026-01-08" and r["event"].startswith("[yours] Iran")
               and r["start"] == "2026-01-08" for r in mine), rows
