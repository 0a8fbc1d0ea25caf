"""Every chart on every page draws its data, at desktop and phone widths, in a real browser.

A chart that "exists" is not enough: an empty chart still has its axes. Each Vega drawing is
checked for data marks (Vega's ``role-mark`` items) of a visible size, for a title and legends
inside the chart's box (not cut), and the browser console for Vega's ``Infinite extent``
warning (a scale computed over no rows: the chart was drawn, at least once, without data).
Every tab is shown and every expander opened, so hidden charts are checked too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCREENS
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000
UPLOAD = Path(__file__).resolve().parents[1] / "fixtures" / "monitor_page" / "upload_still_on.csv"
#: (page id, URL path, whether the page shows a chart without any choice)
PAGES = {
    "estimate": ("", True),
    "events": ("events", True),
    "batch": ("batch", False),
    "monitor": ("monitor", True),
    "monitor_upload": ("monitor", True),
    "methods": ("methods", False),
    "data": ("data", False),
}
#: JavaScript: what each Vega drawing in the page shows (for the visible ones)
CHARTS_JS = """
() => [...document.querySelectorAll('.vega-embed')].map((embed, index) => {
  const box = embed.getBoundingClientRect();
  const visible = box.width > 0 && box.height > 0 && embed.offsetParent !== null;
  const svg = embed.querySelector('svg');
  const inside = (el, slack) => { const r = el.getBoundingClientRect();
    return r.top >= box.top - slack && r.bottom <= box.bottom + slack &&
           r.left >= box.left - slack && r.right <= box.right + slack; };
  const marks = svg ? [...svg.querySelectorAll('.role-mark > path, .role-mark > line, '
                                               + '.role-mark > text')] : [];
  const sized = marks.filter(m => { const b = m.getBBox ? m.getBBox() : {width: 0, height: 0};
    return b.width >= 1 && b.height >= 1; }).length;
  const titles = svg ? [...svg.querySelectorAll('.role-title-text')] : [];
  const legends = svg ? [...svg.querySelectorAll('.role-legend')] : [];
  return {index, visible, svg: !!svg, canvas: !!embed.querySelector('canvas'),
          marks: marks.length, sized,
          title: titles.map(t => t.textContent).join(' / '),
          titleInside: titles.every(t => inside(t, 4)),
          titleFullyInside: titles.every(t => inside(t, 0.5)),
          legendsInside: legends.every(l => inside(l, 1)),
          width: box.width, height: box.height};
})
"""


def _settled(page) -> None:
    """Wait for the app to finish running and its charts to be drawn."""
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=TIMEOUT)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.vega-embed')]
                 .filter(e => e.offsetParent !== null)
                 .every(e => e.querySelector('svg, canvas'))""", timeout=TIMEOUT)
    page.wait_for_timeout(800)


def _open_expanders(page) -> None:
    """Open every visible closed expander (one at a time: opening one may show others)."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) > summary").filter(
        visible=True)
    for _ in range(40):
        if not closed.count():
            break
        closed.first.scroll_into_view_if_needed()
        closed.first.click()
        page.wait_for_timeout(150)
    _settled(page)


def _visit(page, app_url: str, name: str) -> None:
    path, _ = PAGES[name]
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_role("heading").first).to_be_visible(timeout=TIMEOUT)
    _settled(page)
    if name == "monitor":
        expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2, timeout=TIMEOUT)
    if name == "monitor_upload":  # two kinds of restriction: a legend of two
        sidebar = page.get_by_test_id("stSidebar")
        if not sidebar.is_visible():
            page.get_by_test_id("stExpandSidebarButton").click()
        sidebar.get_by_text("Upload a timeline file").click()
        if page.viewport_size["width"] < 600:
            sidebar.get_by_test_id("stSidebarCollapseButton").click()
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(UPLOAD))
        expect(page.get_by_text(UPLOAD.name).first).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2, timeout=TIMEOUT)
        _settled(page)


def _charts_of(page) -> dict[int, dict]:
    """Every chart of the page, as drawn when it was visible (every tab shown in turn)."""
    _open_expanders(page)
    seen: dict[int, dict] = {}

    def look() -> None:
        for chart in page.evaluate(CHARTS_JS):
            if chart["visible"]:
                seen.setdefault(chart["index"], chart)

    look()
    tabs = page.get_by_role("tab")
    for i in range(tabs.count()):
        tabs.nth(i).scroll_into_view_if_needed()
        tabs.nth(i).click()
        _settled(page)
        _open_expanders(page)
        look()
    total = page.locator(".vega-embed").count()
    missing = sorted(set(range(total)) - set(seen))
    assert not missing, f"charts never shown (hidden in every tab): {missing}"
    return seen


@pytest.fixture(scope="module")
def visits(chromium, app_url, artifacts):
    """``visits(page id, screen)``: the page's charts and the console's warnings, each page
    visited once per screen."""
    cache: dict[tuple[str, str], tuple[dict[int, dict], list[str]]] = {}

    def visit(name: str, screen: str):
        if (name, screen) in cache:
            return cache[(name, screen)]
        width, height = SCREENS[screen]
        context = chromium.new_context(viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            page.set_default_timeout(TIMEOUT)
            console: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            _visit(page, app_url, name)
            charts = _charts_of(page)
            expect(page.get_by_test_id("stException")).to_have_count(0)
            page.screenshot(path=str(artifacts / f"charts_{name}_{screen}.png"),
                            full_page=True)
        finally:
            context.close()
        cache[(name, screen)] = (charts, console)
        return cache[(name, screen)]

    return visit


@pytest.mark.parametrize("name, screen", [(n, w) for n in PAGES for w in SCREENS])
def test_every_chart_draws_its_marks(visits, name, screen):
    charts, _ = visits(name, screen)
    if PAGES[name][1]:
        assert charts, f"{name}: no chart drawn"
    for chart in charts.values():
        what = f"{name} chart {chart['index']} ({chart['title'] or 'untitled'}) on {screen}"
        assert chart["svg"] or chart["canvas"], f"{what}: nothing drawn"
        if chart["svg"]:
            assert chart["sized"] > 0, f"{what}: no data mark of a visible size: {chart}"
            assert chart["titleInside"], f"{what}: title cut: {chart}"
            assert chart["legendsInside"], f"{what}: legend cut: {chart}"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_monitor_charts_show_their_titles(visits, screen):
    charts, _ = visits("monitor", screen)
    titles = sorted(c["title"] for c in charts.values())
    assert titles == ["Cost so far, headline", "Restriction per hour"], titles
    assert all(c["titleFullyInside"] and c["legendsInside"] for c in charts.values())
    assert all(c["sized"] >= 2 for c in charts.values())  # the band and line; bars


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("name", list(PAGES))
def test_console_has_no_infinite_extent(visits, name, screen):
    _, console = visits(name, screen)
    bad = [line for line in console if "Infinite extent" in line]
    assert not bad, f"{name} on {screen}: {bad[:4]}"
