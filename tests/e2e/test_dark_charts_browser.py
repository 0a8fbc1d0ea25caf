"""The Estimate page's charts in a browser set to a dark colour scheme (1,280 px): every chart
is drawn (its marks are in the page) and every text it writes — title, subtitle, axes,
legend, its own labels — has a contrast of 4.5:1 or more against the page's background."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from impact.methods import REGISTRY

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000
TABS = ("By duration", "Drivers", "Parts of the loss")

#: per chart: how many marks it draws and each text's fill (and fill opacity)
CHART_JS = """(chart) => {
  const marks = chart.querySelectorAll(
    'svg.marks g.role-mark > path, svg.marks g.role-mark > line, svg.marks g.role-mark > rect');
  const texts = [...chart.querySelectorAll('svg.marks text')].filter(t => t.textContent.trim())
    .map(t => ({text: t.textContent.trim(), fill: getComputedStyle(t).fill,
                opacity: parseFloat(getComputedStyle(t).fillOpacity)}));
  return {marks: marks.length, texts: texts};
}"""


def _rgb(css: str) -> tuple[float, ...]:
    found = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", css)
    assert found, css
    return tuple(float(v) for v in found.groups())


def _luminance(rgb: tuple[float, ...]) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
              for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _seen(fill: tuple[float, ...], opacity: float, background: tuple[float, ...]):
    """The colour a text of ``fill`` at ``opacity`` shows on ``background``."""
    return tuple(opacity * f + (1 - opacity) * b for f, b in zip(fill, background, strict=True))


def test_contrast_by_hand():
    assert _contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert _seen((255, 255, 255), 0.5, (0, 0, 0)) == (127.5, 127.5, 127.5)


def _check(chart, background, name: str) -> int:
    """Asserts ``chart`` is drawn and its texts read on ``background``; its text count."""
    found = {"marks": 0, "texts": []}
    for _ in range(60):  # Vega draws a moment after the chart is in the page
        found = chart.evaluate(CHART_JS)
        if found["marks"] and found["texts"]:
            break
        chart.page.wait_for_timeout(250)
    assert found["marks"] > 0, (name, found)
    assert found["texts"], name
    for text in found["texts"]:
        seen = _seen(_rgb(text["fill"]), text["opacity"], background)
        assert _contrast(seen, background) >= 4.5, (name, text)
    return len(found["texts"])


def test_estimate_charts_read_on_a_dark_page(chromium, app_url, artifacts):
    context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   color_scheme="dark", device_scale_factor=1)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(app_url)
        expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=TIMEOUT)
        background = _rgb(page.evaluate(
            "getComputedStyle(document.querySelector('.stApp')).backgroundColor"))
        assert _luminance(background) < 0.05, background  # the dark theme is on
        charts = page.get_by_test_id("stVegaLiteChart")
        expect(charts.first).to_be_visible(timeout=TIMEOUT)
        charts.first.scroll_into_view_if_needed()
        texts = _check(charts.first, background, "range")
        charts.first.screenshot(path=str(artifacts / "estimate_chart_dark_range.png"))
        tabs = page.get_by_test_id("stTabs")
        for i, title in enumerate(TABS):
            tabs.get_by_role("tab", name=title).click()
            chart = tabs.get_by_role("tabpanel", name=title).get_by_test_id("stVegaLiteChart")
            expect(chart).to_have_count(1, timeout=TIMEOUT)
            chart.scroll_into_view_if_needed()
            texts += _check(chart, background, title)
            chart.screenshot(path=str(artifacts / f"estimate_chart_dark_{i + 1}.png"))
        assert texts > 20  # titles, subtitles, axes, legends and labels were all checked
    finally:
        context.close()


def test_past_events_charts_read_on_a_dark_page(chromium, app_url, artifacts):
    context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   color_scheme="dark", device_scale_factor=1)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(f"{app_url}/events")
        charts = page.get_by_test_id("stVegaLiteChart")
        expect(charts.first).to_be_visible(timeout=TIMEOUT)
        page.wait_for_function(
            "document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 3",
            timeout=TIMEOUT)
        background = _rgb(page.evaluate(
            "getComputedStyle(document.querySelector('.stApp')).backgroundColor"))
        for i in range(charts.count()):
            chart = charts.nth(i)
            if not chart.is_visible():
                continue
            chart.scroll_into_view_if_needed()
            _check(chart, background, f"events chart {i + 1}")
        page.screenshot(path=str(artifacts / "events_charts_dark.png"), full_page=True)
    finally:
        context.close()
