"""Fixtures for the browser tests: a real `streamlit run app.py` on a free local port and a
Debian chromium driven by Playwright. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from loopback import AppFailed, streamlit_app
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path(os.environ.get("IMPACT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STARTUP_TIMEOUT = 60.0


def _require_chromium() -> None:
    if CHROMIUM.is_file():
        return
    reason = (f"chromium not found at {CHROMIUM} (install Debian's `chromium` package or set "
              "IMPACT_CHROMIUM)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true requires the browser tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL of a headless `streamlit run app.py`, stopped after the session."""
    _require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with streamlit_app(ROOT, ARTIFACTS / "streamlit.log", startup_s=STARTUP_TIMEOUT) as base:
            yield base
    except AppFailed as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def chromium():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/e2e/artifacts/ (git-ignored): screenshots, downloads and the server log."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture()
def app_page(chromium, app_url):
    """A fresh browser page (downloads allowed) showing the app."""
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(app_url)
    try:
        yield page
    finally:
        context.close()


#: the screens every layout test runs on: a desktop and a phone [px]
SCREENS = {"desktop": (1400, 900), "phone": (390, 844)}


@dataclass
class Screen:
    """A browser page of one of `SCREENS` on which only 127.0.0.1 answers: ``outside`` lists
    every request to another host (each aborted)."""

    name: str
    width: int
    page: Page
    outside: list[str]


@pytest.fixture(params=list(SCREENS))
def screen(request, chromium, app_url) -> Iterator[Screen]:
    """The app on a desktop and on a phone, offline, with the clipboard allowed."""
    width, height = SCREENS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   device_scale_factor=1)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    outside: list[str] = []

    def only_local(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(app_url)
    try:
        yield Screen(request.param, width, page, outside)
    finally:
        context.close()


@pytest.fixture()
def drawn():
    """``drawn(chart, min_width=100, min_height=80)``: the box of a chart's drawing once Vega
    has drawn it at a readable size (a chart redrawn after a choice is replaced in the page,
    so the box is asked for until the new drawing has settled)."""

    def box_of(chart, min_width: float = 100, min_height: float = 80) -> dict:
        box = None
        for _ in range(80):
            drawing = chart.locator("canvas, svg.marks").first
            expect(drawing).to_be_visible(timeout=60_000)
            box = drawing.bounding_box()
            if box and box["width"] > min_width and box["height"] > min_height:
                return box
            chart.page.wait_for_timeout(250)
        raise AssertionError(f"the chart was not drawn at a readable size: {box}")

    return box_of
