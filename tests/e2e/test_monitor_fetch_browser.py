"""The Monitor page fetches a monitor's answer in a real browser: the app runs with IODA's
address pointed at a loopback server that answers with a recorded IODA signals file (our own
fixture, the structure of IODA's /v2/signals/raw), and the user sees the figures it gives.
Nothing leaves 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from loopback import AppFailed, Recorded, streamlit_app
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 60.0
TIMEOUT = 45_000
IODA = ROOT / "tests" / "fixtures" / "monitor" / "ioda_signals" / "ioda_signals_pak_2024-02-08.json"


@pytest.fixture(scope="module")
def recorded_ioda():
    """A loopback server answering every GET with the recorded IODA answer."""
    server = Recorded(IODA.read_bytes())
    try:
        yield server.url, server.paths
    finally:
        server.close()


@pytest.fixture(scope="module")
def fetch_app(recorded_ioda, artifacts):
    """`streamlit run app.py` whose IODA address is the recorded server."""
    env = {**os.environ, "IMPACT_FETCH_BASE_IODA": recorded_ioda[0]}
    try:
        with streamlit_app(ROOT, artifacts / "streamlit_fetch.log", env=env,
                           startup_s=STARTUP_TIMEOUT) as base:
            yield base
    except AppFailed as exc:
        pytest.fail(str(exc))


def test_the_user_fetches_from_ioda_and_sees_the_figures(chromium, fetch_app, recorded_ioda,
                                                         artifacts):
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        page.goto(f"{fetch_app}/monitor")
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("Fetch from IODA, Cloudflare Radar or OONI").click()
        form = page.get_by_test_id("stForm")
        expect(form).to_be_visible()
        form.get_by_label("Country").fill("Pakistan")
        form.get_by_role("button", name="Fetch").click()
        expect(page.get_by_text("Showing the answer fetched as ioda_PAK_")).to_be_visible()
        metric = page.get_by_test_id("stMetric").filter(has_text="so far").first
        expect(metric).to_be_visible()
        expect(metric.get_by_test_id("stMetricValue")).to_contain_text("USD")
        assert recorded_ioda[1] and recorded_ioda[1][-1].startswith("/v2/signals/raw/country/PK")
        expect(page.get_by_text("ioda_PAK_", exact=False).first).to_be_visible()
        page.screenshot(path=str(artifacts / "monitor_fetch.png"), full_page=True)
    finally:
        context.close()
