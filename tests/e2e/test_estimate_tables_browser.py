"""The Estimate page's tables on a desktop (1,400 px) and a phone (390 px): every column of
the methods' comparison and of the associations lies within the screen, and every figure is
whole (not cut, not wrapped inside itself)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_pages.estimate_context import EFFECT_COLUMNS
from app_pages.estimate_view import SHORT_COLUMNS
from impact.methods import REGISTRY

pytestmark = pytest.mark.e2e

#: each table's header cells and body cells: their boxes and whether their text is cut
CELLS_JS = """(table) => {
  const lines = (el) => {  // the lines its text takes: the distinct tops of its text's boxes
    const tops = new Set(); const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const range = document.createRange(); range.selectNodeContents(node);
      for (const q of range.getClientRects()) if (q.width > 0) tops.add(Math.round(q.top));
    }
    return tops.size; };
  const box = (el) => { const r = el.getBoundingClientRect();
    return {text: el.innerText.trim(), left: r.left, right: r.right, lines: lines(el),
            cut: el.scrollWidth > el.clientWidth + 1}; };
  return {head: [...table.querySelectorAll('thead th')].map(box),
          body: [...table.querySelectorAll('tbody tr')].map(
            (tr) => [...tr.querySelectorAll('th, td')].map(box)),
          width: window.innerWidth};
}"""


def _table_with(page, header: str):
    table = page.locator('[data-testid="stMarkdown"] table').filter(
        has=page.locator("thead th", has_text=header))
    expect(table).to_have_count(1, timeout=60_000)
    table.scroll_into_view_if_needed()
    return table


def _check(cells: dict, columns: tuple[str, ...]) -> None:
    width = cells["width"]
    assert [c["text"] for c in cells["head"]] == list(columns)
    for cell in cells["head"] + [c for row in cells["body"] for c in row]:
        assert cell["left"] >= -1 and cell["right"] <= width + 1, (cell, width)
        assert not cell["cut"], cell


def test_comparison_and_associations_fit_the_screen(screen, artifacts):
    page = screen.page
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    comparison = _table_with(page, SHORT_COLUMNS[2])
    cells = comparison.evaluate(CELLS_JS)
    _check(cells, SHORT_COLUMNS)
    assert len(cells["body"]) == len(REGISTRY)
    for row in cells["body"]:  # a P50 is whole on one line ("USD 19.8 m", never "USD 19.8 / m")
        assert row[1]["text"].startswith("USD") and row[1]["lines"] == 1, row[1]
    comparison.screenshot(path=str(artifacts / f"estimate_comparison_{screen.name}.png"))
    effects = _table_with(page, EFFECT_COLUMNS[1])
    _check(effects.evaluate(CELLS_JS), EFFECT_COLUMNS)
    effects.screenshot(path=str(artifacts / f"estimate_associations_{screen.name}.png"))


def test_a_kept_scenario_side_by_side_fits_the_screen(screen, artifacts):
    page, width = screen.page, screen.width
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    page.get_by_role("button", name="Keep this scenario for comparison").click()
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") != "false":
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
    duration = sidebar.get_by_label("Duration [hours]", exact=True)
    duration.fill("48")
    duration.press("Enter")
    if screen.name == "phone":  # close the sidebar to read the page
        page.keyboard.press("Escape")
        page.mouse.click(width - 10, 400)
    side = page.locator('[data-testid="stMarkdown"] table').filter(
        has=page.locator("thead th", has_text="Difference"))
    expect(side.locator("tbody tr").filter(has_text="Duration")).to_contain_text(
        "+38\u00a0hours", timeout=60_000)
    page.wait_for_timeout(1000)  # the page has settled after the rerun
    side.scroll_into_view_if_needed()
    cells = side.evaluate(CELLS_JS)
    _check(cells, ("", "Kept", "Current", "Difference"))
    for row in cells["body"][:3]:  # the headline's figures are whole on one line each
        assert all(c["lines"] == 1 for c in row[1:3]), row
    side.screenshot(path=str(artifacts / f"estimate_kept_{screen.name}.png"))
