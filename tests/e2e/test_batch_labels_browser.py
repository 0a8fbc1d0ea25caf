"""The Batch page's figures table on a phone (390 px): no method name is cut in its 84 px
column. The grid draws on a canvas, so each method cell is laid out again as a box of the
column's width less the grid's padding, in the grid's own font, and must not overflow
(scrollWidth ≤ clientWidth)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app_pages.batch_view import FIGURE_COLUMNS, FIGURE_WIDTHS

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000
BATCH_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "batch_bad.csv"
METHOD = FIGURE_COLUMNS.index("method")

#: the method column's cells (those the grid has in its page now), each laid out in a box of
#: the column's width less the padding on either side, in the grid's font
CELLS_JS = """async (grid, [column, width]) => {
  await document.fonts.ready;
  const holder = [...grid.querySelectorAll('*')].find(
    e => getComputedStyle(e).getPropertyValue('--gdg-font-family'));
  const style = getComputedStyle(holder);
  const css = (name) => style.getPropertyValue(name).trim();
  const pad = parseFloat(css('--gdg-cell-horizontal-padding'));
  const font = `${css('--gdg-base-font-style')} ${css('--gdg-font-family')}`;
  const out = [];
  for (const row of grid.querySelectorAll('tbody tr')) {
    const text = row.querySelectorAll('td')[column].innerText.trim();
    const box = document.createElement('div');
    Object.assign(box.style, {font, width: `${width - 2 * pad}px`, whiteSpace: 'nowrap',
                              overflow: 'hidden', position: 'absolute', left: '0', top: '0'});
    box.textContent = text;
    document.body.appendChild(box);
    out.push({text, scroll: box.scrollWidth, client: box.clientWidth, font,
              loaded: document.fonts.check(font)});
    box.remove();
  }
  return out;
}"""


def test_no_method_name_is_cut_on_a_phone(chromium, app_url, artifacts):
    context = chromium.new_context(viewport={"width": 390, "height": 844},
                                   device_scale_factor=1)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(f"{app_url}/batch")
        expect(page.get_by_role("heading", name="Batch: many scenarios at once")).to_be_visible()
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(BATCH_FILE))
        grid = page.get_by_test_id("stDataFrame").first
        expect(grid).to_be_visible(timeout=TIMEOUT)
        page.wait_for_timeout(800)  # let the grid lay out its columns
        grid.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "batch_labels_phone.png"))
        cells: dict[str, dict] = {}
        scroller = grid.locator(".dvn-scroller").first
        for _ in range(10):  # the grid keeps only the rows in sight in its page: scroll down
            for cell in grid.evaluate(CELLS_JS, [METHOD, FIGURE_WIDTHS[METHOD]]):
                cells[cell["text"]] = cell
            at_end = scroller.evaluate(
                "el => { const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;"
                " el.scrollTop += el.clientHeight; return end; }")
            if at_end:
                break
            page.wait_for_timeout(300)
        assert "Headline" in cells and len(cells) >= 6, sorted(cells)
        for text, cell in cells.items():
            assert cell["loaded"], cell  # measured in the font the grid draws with
            assert cell["scroll"] <= cell["client"], (text, cell)
    finally:
        context.close()
