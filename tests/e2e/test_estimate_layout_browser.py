"""The Estimate page as a reader sees it, on a desktop screen (1,400 × 900) and a phone
(390 × 844): the headline sentence is there, no figure or headline text is cut off
(scrollWidth ≤ clientWidth), at least four charts are drawn, nothing runs off the screen,
presets and the copy-link button work; screenshots are saved as test output. And the
sidebar's controls: a new scope's or area's picker is on the first screen of a 1,280 × 800
laptop, the start date is whole (1,280 and 390 px), every radio group has a name, and the
page follows a dark system theme with readable text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_pages.estimate_controls import most_populous_regions, most_used_platforms
from impact.methods import REGISTRY
from impact.vocab import PLATFORM_LABELS

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
    name, page = screen.name, screen.page
    _loaded(page)
    # the presets are above the results, on a phone too (no sidebar to open)
    pill = page.get_by_test_id("stMain").get_by_text("Pakistan 2024 election", exact=True)
    pill.click()
    expect(page.get_by_text("From the catalogue:")).to_be_visible(timeout=TIMEOUT)
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


# ---- the sidebar's controls ------------------------------------------------------------------
#: a laptop screen [px]: the pickers must be on its first screen
LAPTOP = (1280, 800)


@pytest.fixture()
def open_page(chromium, app_url):
    """``open_page(query="", width=1280, height=800, scheme="light")``: the Estimate page in
    a fresh browser of that size and colour scheme, its figures drawn."""
    contexts = []

    def open_at(query: str = "", width: int = LAPTOP[0], height: int = LAPTOP[1],
                scheme: str = "light"):
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       device_scale_factor=1, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{app_url}/?{query}" if query else app_url)
        expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=60_000)
        return page

    yield open_at
    for context in contexts:
        context.close()


def _sidebar_scroll(page) -> int:
    return page.evaluate("""() => {
      const s = document.querySelector('[data-testid="stSidebarContent"]');
      return s ? s.scrollTop : 0; }""")


@pytest.mark.parametrize(("choice", "picker", "chosen"), [
    ("Named platforms", "Blocked platforms", PLATFORM_LABELS[most_used_platforms("PAK")[0]]),
    ("Chosen regions", "Affected regions", most_populous_regions("PAK")[0])])
def test_a_new_scopes_picker_is_on_the_first_screen_with_results(open_page, artifacts,
                                                                  choice, picker, chosen):
    page = open_page()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(choice, exact=True).click()
    field = sidebar.get_by_test_id("stMultiSelect").filter(has_text=picker)
    expect(field).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(800)
    box = field.bounding_box()
    page.screenshot(path=str(artifacts / f"estimate_picker_{picker.split()[1]}.png"))
    assert _sidebar_scroll(page) == 0
    assert box["y"] + box["height"] <= LAPTOP[1], box  # whole, without scrolling
    # something is chosen already, so the figures stay
    expect(field).to_contain_text(chosen)
    expect(page.get_by_test_id("stMetric")).to_have_count(len(REGISTRY), timeout=TIMEOUT)
    expect(page.get_by_text("Choose one or more")).to_have_count(0)


@pytest.mark.parametrize("width", [LAPTOP[0], 390])
def test_the_start_and_end_dates_are_whole(open_page, artifacts, width):
    page = open_page("start=2024-02-18T08:00&end=2024-02-28T08:00", width=width, height=844)
    if width < 500:
        _open_sidebar(page)
    fields = page.get_by_test_id("stDateInputFieldsScroller")
    expect(fields).to_have_count(2)
    cut = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stDateInputFieldsScroller"]')].map(
        f => ({text: f.innerText.replace(/\\s+/g, ''), scroll: f.scrollWidth,
               client: f.clientWidth}))""")
    page.get_by_test_id("stSidebar").screenshot(path=str(artifacts / f"estimate_dates_{width}.png"))
    assert [c["text"] for c in cut] == ["2024/02/18", "2024/02/28"]
    assert all(c["scroll"] <= c["client"] for c in cut), cut


def test_every_radio_group_has_a_name(open_page):
    page = open_page("scope=platforms&platforms=x&affected_share=0.5")
    page.wait_for_timeout(800)
    groups = page.get_by_role("radiogroup")
    assert groups.count() >= 4  # presets, what is cut, affected area, currency
    for i in range(groups.count()):
        snapshot = groups.nth(i).aria_snapshot()
        first = snapshot.splitlines()[0]
        assert first.startswith('- radiogroup "') and '""' not in first, snapshot[:200]


def _luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2) of a CSS ``rgb(r, g, b)`` colour."""
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_luminance_and_contrast_by_hand():
    assert _luminance("rgb(255, 255, 255)") == pytest.approx(1.0)
    assert _contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_page_follows_the_system_theme(open_page, artifacts, scheme):
    page = open_page(scheme=scheme)
    page.wait_for_timeout(800)
    colours = page.evaluate("""() => {
      const c = el => getComputedStyle(el).color;
      return {background: getComputedStyle(document.querySelector('.stApp')).backgroundColor,
              headline: c(document.querySelector('[data-testid="stMarkdownContainer"] h4')),
              title: c(document.querySelector('h1')),
              copy: c(document.querySelector('button.impact-copy-link'))}; }""")
    page.screenshot(path=str(artifacts / f"estimate_{scheme}.png"))
    dark = _luminance(colours["background"]) < 0.05
    assert dark == (scheme == "dark"), colours
    for part in ("headline", "title", "copy"):
        assert _contrast(colours[part], colours["background"]) >= 4.5, (part, colours)
        assert (_luminance(colours[part]) > 0.5) == (scheme == "dark"), (part, colours)
