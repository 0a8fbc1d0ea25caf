"""The HTML briefs in chromium at a desktop's and a phone's width: no wider than the screen
(the charts scale to it), no money figure split across two lines, no text drawn over another
(`impact.report.brief.estimate_brief_html`, `brief_html`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from impact import estimate, parse_scenario
from impact.monitor.costing import monitor
from impact.monitor.timeline import make_timeline, parse_row
from impact.report.brief import brief_html, estimate_brief_html

PRODUCED = datetime(2024, 2, 9, 9, 30, tzinfo=UTC)
WIDTHS = {"desktop": 1280, "phone": 390}

#: every text line box on the page: (text node index, left, top, right, bottom) [px]
_LINE_BOXES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = []; let i = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0.5 && r.height > 0.5) out.push([i, r.left, r.top, r.right, r.bottom]);
    }
    i += 1;
  }
  return out;
}"""
#: money figures drawn on more than one line: their texts
_SPLIT_MONEY = """() => [...document.querySelectorAll('.money')]
  .filter(e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size > 1)
  .map(e => e.textContent)"""


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    est = estimate(parse_scenario({"country": "PAK", "duration_hours": 24 * 30, "year": 2024,
                                   "scope": "platforms", "platforms": "x"}), draws=300)
    timeline = make_timeline([parse_row({
        "start_utc": "2024-02-08T02:30Z", "end_utc": "2024-02-08T15:00Z", "country": "PAK",
        "scope": "mobile", "source": "https://www.accessnow.org/keepiton-pakistan"})], "p")
    lifted = monitor(timeline, until="2024-02-08T20:00Z", draws=300)
    return {"estimate": estimate_brief_html(est, produced=PRODUCED),
            "monitor": brief_html(lifted, produced=PRODUCED)}


def _overlaps(boxes: list[list[float]]) -> list[tuple]:
    out = []
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            if (a[0] != b[0] and min(a[3], b[3]) - max(a[1], b[1]) > 1
                    and min(a[4], b[4]) - max(a[2], b[2]) > 1):
                out.append((a, b))
    return out


@pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
@pytest.mark.parametrize("kind", ["estimate", "monitor"])
def test_the_html_brief_fits_the_screen(chromium, artifacts, pages, kind, width):
    context = chromium.new_context(viewport={"width": width, "height": 900},
                                   device_scale_factor=1)
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.abort())  # self-contained: nothing to fetch
        page.set_content(pages[kind], wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        images = page.evaluate("[...document.images].map(i => [i.complete, "
                               "i.getBoundingClientRect().right])")
        assert images and all(done and right <= width for done, right in images)
        assert page.locator(".money").count() > 5
        assert page.evaluate(_SPLIT_MONEY) == []
        assert _overlaps(page.evaluate(_LINE_BOXES)) == []
        page.screenshot(path=str(artifacts / f"brief-{kind}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_the_apps_range_chart_is_announced_by_its_description(app_page):
    """A screen reader announced each chart as "Vega visualization"; the range chart now
    carries its description (with the headline's figure) as its accessible name."""
    from playwright.sync_api import expect

    page = app_page
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart).to_be_visible(timeout=60_000)
    expect(chart).to_have_attribute("aria-label", re.compile("^Every method's range of the "
                                                             "loss"), timeout=60_000)
    label = chart.get_attribute("aria-label")
    headline = page.get_by_test_id("stMarkdown").filter(has_text="costs an estimated").first
    figure = re.search(r"costs an estimated (USD [\d.]+ (?:k|m|bn|tn))", headline.inner_text())
    assert figure and f"Headline: the methods that apply, combined {figure[1]}" in label
    assert page.locator('[aria-label="Vega visualization"]').count() == 0
