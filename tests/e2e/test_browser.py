"""The Estimate page in a real browser: what AppTest cannot see (typing, the dropdowns, the
download itself)."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app_pages.events_filters import default_years
from app_pages.events_search import search_events
from impact.catalogue.events import catalogue, load_events
from impact.methods import REGISTRY

pytestmark = pytest.mark.e2e
#: the summary line over the ranking ("36 events · 34 costed by …"), not the uploader's help
COSTED = re.compile(r"\d events · \d+ costed by")
TIMEOUT = 30_000


def _metric(page, method: str):
    return page.get_by_test_id("stMetric").filter(has_text=REGISTRY[method].title)


def _value(page, method: str):
    return _metric(page, method).get_by_test_id("stMetricValue")



def _download_csv(page, artifacts) -> list[dict[str, str]]:
    """Click the page's "Download CSV" button as a user would; the saved file's rows."""
    button = page.get_by_test_id("stDownloadButton").filter(has_text="Download CSV")
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    target = artifacts / download.suggested_filename
    download.save_as(target)
    return list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))

def test_user_changes_duration_blocks_x_and_downloads_csv(app_page, artifacts):
    page = app_page
    sidebar = page.get_by_test_id("stSidebar")

    # results appear: a metric per method, a USD headline for the impact model
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    expect(_value(page, "impact")).to_contain_text("USD", timeout=TIMEOUT)
    expect(page.get_by_text("Pakistan").first).to_be_visible()
    before = _value(page, "impact").inner_text()

    # type a new duration and press Enter -> the figure changes
    duration = sidebar.get_by_label("Duration [hours]", exact=True)
    duration.fill("72")
    duration.press("Enter")
    expect(_value(page, "impact")).not_to_have_text(before, timeout=TIMEOUT)
    expect(page.get_by_text("72 hours").first).to_be_visible()
    page.screenshot(path=str(artifacts / "estimate_full.png"), full_page=True)

    # block X only: Deloitte has no platform-block figure
    sidebar.get_by_text("Named platforms").click()  # the most used platform is chosen at once
    expect(_value(page, "deloitte2016")).to_have_text("not applicable", timeout=TIMEOUT)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    platforms = sidebar.get_by_role("combobox", name="Blocked platforms")
    platforms.scroll_into_view_if_needed()
    platforms.click()
    page.keyboard.type("X (Tw")
    page.get_by_role("option", name="X (Twitter)").click()
    page.keyboard.press("Escape")
    expect(_value(page, "deloitte2016")).to_have_text("not applicable", timeout=TIMEOUT)
    expect(_value(page, "icrier2018")).to_have_text("not applicable")
    expect(_value(page, "impact")).to_contain_text("USD")
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    page.screenshot(path=str(artifacts / "estimate_platforms.png"), full_page=True)

    # the CSV download has one row per method, and the headline ensemble's
    rows = _download_csv(page, artifacts)
    assert [r["method"] for r in rows] == [*REGISTRY, "ensemble"]
    status = {r["method"]: r["status"] for r in rows}
    assert status["deloitte2016"] == status["icrier2018"] == "not_applicable"
    assert all(r["scope"] == "platforms" for r in rows)


def test_downloaded_csv_is_the_cli_export(chromium, app_url, artifacts):
    """The file a user downloads for a scenario is, cell for cell, what ``impact estimate ...
    --format csv`` prints for it (the impact method's reason included: a mobile-only cut)."""
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        page.goto(f"{app_url}/?country=PAK&duration_hours=10&scope=mobile")
        expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
        rows = _download_csv(page, artifacts)
    finally:
        context.close()
    root = Path(__file__).resolve().parents[2]
    cli = subprocess.run(
        [sys.executable, "-m", "impact.cli", "estimate", "--country", "PAK", "--duration-hours",
         "10", "--scope", "mobile", "--format", "csv"], cwd=root, capture_output=True,
        text=True, check=True, env=os.environ | {"PYTHONPATH": str(root)})
    assert rows == list(csv.DictReader(io.StringIO(cli.stdout)))
    assert next(r for r in rows if r["method"] == "impact")["reason"]


@pytest.mark.parametrize("title", ["Past events", "Batch", "Methods & assumptions",
                                   "Data & sources"])
def test_other_pages_open_from_the_navigation(app_page, title):
    page = app_page
    page.get_by_test_id("stSidebarNav").get_by_text(title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_user_filters_past_events_to_pakistan_and_downloads_csv(app_page, artifacts):
    page = app_page
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSidebarNav").get_by_text("Past events").click()
    expect(page.get_by_role("heading", name="Past events")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("1,000 Monte Carlo draws").first).to_be_visible(timeout=60_000)

    # all countries of the default years, then Pakistan only
    countries = sidebar.get_by_test_id("stMultiSelect").filter(has_text="Countries")
    countries.get_by_role("button", name="Clear all").click()
    expect(countries.get_by_label("Remove Pakistan")).to_have_count(0, timeout=TIMEOUT)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
    box = sidebar.get_by_role("combobox", name="Countries")
    box.click()
    box.fill("Pakis")
    page.get_by_role("option", name="Pakistan", exact=True).click()
    page.keyboard.press("Escape")
    expect(countries.get_by_label("Remove Pakistan")).to_be_visible()
    summary = page.get_by_test_id("stMarkdown").filter(has_text=COSTED).first
    expect(summary).to_contain_text("events", timeout=60_000)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    # the pre-selected comparison names Pakistan's events
    compare = page.get_by_test_id("stMultiSelect").filter(has_text="Events to compare")
    expect(compare.get_by_text(re.compile(r"^Pakistan")).first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(500)  # let the grid and the charts paint for the screenshot
    page.screenshot(path=str(artifacts / "events_pakistan.png"), full_page=True)

    # the CSV is the table shown: Pakistan's events, ranked, with the share method
    rows = _download_csv(page, artifacts)
    assert rows, "the events CSV is empty"
    assert {r["country"] for r in rows} == {"Pakistan"}
    assert {"share method", "P50 [USD]", "P5 [USD]", "P95 [USD]", "hours"} <= set(rows[0])
    assert rows[0]["rank"] == "1" and float(rows[0]["P50 [USD]"]) > 0
    # events are shown by their titles, with their ids and source links beside them
    assert all(r["event"] and r["event"] != r["id"] for r in rows)
    assert any(r["source"].startswith("http") for r in rows)

    # a search narrows the table to the events that name it
    search = sidebar.get_by_role("textbox", name="Search")
    search.fill("mobile")
    search.press("Enter")
    expect(page.get_by_test_id("stMarkdown").filter(has_text=COSTED).first).to_be_visible(
        timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # the page's default years (the catalogue's last two) and its whole-word search
    found = search_events(load_events("PAK", default_years(catalogue())), "mobile")
    count = page.get_by_test_id("stMarkdown").filter(
        has_text=re.compile(rf"^{found.height} events · "))
    expect(count.first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(500)  # the download button of the new table
    rows = _download_csv(page, artifacts)
    assert {r["id"] for r in rows} == set(found["event_id"])


def test_user_uploads_a_batch_with_a_bad_row_and_downloads_results(app_page, artifacts):
    page = app_page
    page.get_by_test_id("stSidebarNav").get_by_text("Batch").click()
    expect(page.get_by_role("heading", name="Batch: many scenarios at once")).to_be_visible(
        timeout=TIMEOUT)
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "batch_bad.csv"
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(fixture))
    expect(page.get_by_text("rows estimated").first).to_be_visible(timeout=60_000)
    # the bad rows are reported by row number, the good rows are estimated
    warnings = page.get_by_test_id("stAlertContentWarning")
    expect(warnings.first).to_be_visible(timeout=TIMEOUT)
    text = " ".join(warnings.all_inner_texts())
    assert "row 2" in text and "affected_share" in text
    expect(page.get_by_test_id("stException")).to_have_count(0)
    rows = _download_csv(page, artifacts)
    assert {r["method"] for r in rows} == {*REGISTRY, "ensemble"}
    assert len({r["id"] for r in rows}) == 2  # the two good rows


@pytest.fixture()
def linked_page(chromium, app_url):
    """A fresh session opened from a shared scenario link."""
    context = chromium.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{app_url}/?country=IND&duration_hours=48&scope=mobile")
    try:
        yield page
    finally:
        context.close()


def test_shared_link_sets_the_sidebar_and_the_url_follows_changes(linked_page, artifacts):
    page = linked_page
    sidebar = page.get_by_test_id("stSidebar")
    expect(_value(page, "impact")).to_contain_text("USD", timeout=60_000)
    expect(sidebar.get_by_role("combobox", name="Country")).to_have_value("India")
    duration = sidebar.get_by_label("Duration [hours]", exact=True)
    expect(duration).to_have_value("48")
    expect(sidebar.get_by_role("radio", name="Mobile data only")).to_be_checked()
    expect(page.get_by_text("48 hours").first).to_be_visible()
    expect(page.get_by_test_id("stAlertContentWarning")).to_have_count(0)
    expect(page.get_by_test_id("stCode").last).to_contain_text(
        "/?country=IND&duration_hours=48&scope=mobile")
    assert "country=IND" in page.url and "duration_hours=48" in page.url

    # change the duration: the address bar and the shown link follow
    before = _value(page, "impact").inner_text()
    duration.fill("96")
    duration.press("Enter")
    expect(_value(page, "impact")).not_to_have_text(before, timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]duration_hours=96(&|$)"), timeout=TIMEOUT)
    assert "country=IND" in page.url and "scope=mobile" in page.url
    expect(page.get_by_test_id("stCode").last).to_contain_text("duration_hours=96")
    page.screenshot(path=str(artifacts / "estimate_linked.png"), full_page=True)

    # the new address restores the same scenario in a new session
    page.goto(page.url)
    expect(_value(page, "impact")).to_contain_text("USD", timeout=60_000)
    expect(page.get_by_test_id("stSidebar").get_by_label("Duration [hours]", exact=True)
           ).to_have_value("96")


def test_bad_link_warns_and_shows_the_defaults(chromium, app_url):
    context = chromium.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{app_url}/?country=Narnia&affected_share=1.5")
        expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text(
            "country: 'Narnia'", timeout=60_000)
        expect(_value(page, "impact")).to_contain_text("USD", timeout=60_000)
        expect(page.get_by_text("Pakistan").first).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page).to_have_url(re.compile(r"country=PAK"), timeout=TIMEOUT)
    finally:
        context.close()
