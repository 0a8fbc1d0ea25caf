"""The Estimate page as a reader sees it, on a desktop screen (1,400 × 900) and a phone
(390 × 844): the headline sentence is there, no figure or headline text is cut off
(scrollWidth ≤ clientWidth), at least four charts are drawn, nothing runs off the screen,
presets and the copy-link button work; screenshots are saved as test output."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from impact.methods import REGISTRY

pytestmark = pytest.mark.e2e
TIMEOUT = 30_000

#: every element whose text is cut when it overflows: metric labels and values, the range
#: under each card, the headline sentence, captions and sidebar labels
CLIPPED_JS = """() => {
  const sel = ['[data-testid="stMetricValue"]', '[data-testid="stMetricValue"] *',
               '[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *',
               '[data-testid="stSidebar"] button', '[data-testid="stSidebar"] button *',
               '[data-testid="stMetric"]', '[data-testid="stMarkdownContainer"] h4',
               '[data-testid="stMarkdownContainer"] p', '[data-testid="stCaptionContainer"]',
               '[data-testid="stWidgetLabel"]', '[data-testid="stVegaLiteChart"]'];
  const out = [];
  for (const el of document.querySelectorAll(sel.join(','))) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;   // hidden (another tab, closed expander)
    if (r.right <= 0) continue;   // the collapsed sidebar, off the screen to the left
    if (el.closest('[data-testid="stCode"]')) continue;  // the link scrolls on purpose
    const cut = el.scrollWidth > el.clientWidth + 1;
    const off = r.right > window.innerWidth + 1 || r.left < -1;
    if (cut || off) out.push({text: (el.innerText || '').slice(0, 60), cut, off,
                              scroll: el.scrollWidth, client: el.clientWidth,
                              right: Math.round(r.right)});
  }
  return out;
}"""


def _loaded(page) -> None:
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 4",
        timeout=60_000)
    page.wait_for_timeout(800)  # let the cards and charts settle


def _open_sidebar(page) -> None:
    """On a phone the sidebar starts collapsed: open it."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "false":
        return
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    page.wait_for_timeout(500)  # the sidebar slides in


def test_nothing_is_clipped_and_the_headline_leads(screen, artifacts):
    name, page = screen.name, screen.page
    _loaded(page)
    headline = page.locator('[data-testid="stMarkdownContainer"] h4').first
    expect(headline).to_contain_text("costs an estimated")
    expect(headline).to_contain_text("90 % range")
    assert page.get_by_test_id("stVegaLiteChart").count() >= 4
    expect(page.get_by_test_id("stException")).to_have_count(0)
    clipped = page.evaluate(CLIPPED_JS)
    page.screenshot(path=str(artifacts / f"estimate_{name}.png"), full_page=False)
    page.screenshot(path=str(artifacts / f"estimate_{name}_full.png"), full_page=True)
    assert clipped == [], "\n".join(map(str, clipped))
    # every card's figure is readable whole: its text is not shortened by an ellipsis
    for value in page.get_by_test_id("stMetricValue").all():
        assert "…" not in value.inner_text()


def test_a_preset_is_one_click_and_still_fits(screen, artifacts):
    name, width, page = screen.name, screen.width, screen.page
    _loaded(page)
    _open_sidebar(page)
    pill = page.get_by_test_id("stSidebar").get_by_text("Pakistan 2024 election", exact=True)
    pill.click()
    expect(page.get_by_text("From the catalogue:")).to_be_visible(timeout=TIMEOUT)
    if name == "phone":  # close the sidebar to read the page
        page.keyboard.press("Escape")
        page.mouse.click(width - 10, 400)
    expect(page.locator('[data-testid="stMarkdownContainer"] h4').first).to_contain_text(
        "13-hour", timeout=TIMEOUT)
    page.wait_for_timeout(800)
    clipped = page.evaluate(CLIPPED_JS)
    assert clipped == [], "\n".join(map(str, clipped))
    page.screenshot(path=str(artifacts / f"estimate_preset_{name}.png"), full_page=False)
    assert screen.outside == []  # nothing was asked of another host


def test_copy_link_puts_the_scenario_address_on_the_clipboard(screen):
    page = screen.page
    _loaded(page)
    button = page.get_by_role("button", name="Copy link")
    button.scroll_into_view_if_needed()
    button.click()
    expect(page.get_by_role("button", name="Link copied")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("http://127.0.0.1:") and "country=PAK" in copied, copied
    assert "duration_hours=10" in copied
