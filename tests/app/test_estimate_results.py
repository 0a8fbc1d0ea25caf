"""The Estimate page's first screen: plain words (no indicator codes, repository paths or
status prefixes), how the figure is made (hand-computed), plausibility flags, how to cite the
figure and a kept scenario side by side."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import impact
from app_pages.estimate_cite import TITLE, citation, long_date
from app_pages.estimate_compare import COLUMNS, compare_table, snapshot
from app_pages.estimate_context import effects_table, samples_text
from app_pages.estimate_view import SHORT_COLUMNS, estimate_view, short_table
from app_pages.estimate_words import how_made
from impact.bundled.io import data_version
from impact.estimation.ensemble import ensemble
from tests.app.markdown_tables import shown_tables

ROOT = Path(__file__).resolve().parents[2]
ESTIMATE = str(ROOT / "app_pages" / "estimate.py")
TIMEOUT = 90
CODE = re.compile(r"[A-Z]{2}\.[A-Z]{3}")  # a World Bank indicator code (NY.GDP..., IT.NET...)


def _page(**state) -> AppTest:
    at = AppTest.from_file(ESTIMATE, default_timeout=TIMEOUT)
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    if state:
        at.run()
    assert not at.exception
    return at


def _first_screen(at: AppTest) -> list[str]:
    """Every text above the expanders: headline, notes, captions, flags, cards and the short
    tables."""
    texts = [e.value for kind in ("markdown", "caption", "info", "warning", "subheader")
             for e in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    for frame in shown_tables(at):
        texts += [str(c) for c in frame.to_numpy().ravel()] + [str(i) for i in frame.index]
    return texts


@pytest.mark.parametrize("state", [
    {},
    {"scope": "platforms", "platforms": ["x"]},
    {"scope": "mobile", "country": "India", "duration_hours": 48.0},
], ids=["default", "x-block", "india-mobile"])
def test_first_screen_has_no_codes_paths_or_status_prefixes(state):
    texts = _first_screen(_page(**state))
    assert texts
    for text in texts:
        assert not CODE.search(text), text
        assert "docs/" not in text and "data/" not in text, text
        assert "not applicable:" not in text, text
        assert "does not cost platforms scenarios" not in text, text


def test_platform_block_says_which_methods_have_no_figure_in_words():
    texts = " ".join(_first_screen(_page(scope="platforms", platforms=["x"])))
    assert ("Deloitte for GNI (2016) has no figure for platform blocks: it costs "
            "whole-internet shutdowns, mobile-data shutdowns and throttling only") in texts
    assert "World Bank, 2025" in texts and "ITU via World Bank, 2024" in texts


# ---- how the figure is made ---------------------------------------------------------------
@pytest.fixture(scope="module")
def pakistan():
    return impact.estimate(impact.parse_scenario({"country": "Pakistan", "duration_hours": 10}),
                           draws=10_000)


def test_how_made_with_hand_computed_figures(pakistan):
    inputs = dict(pakistan.assumptions.filter(pakistan.assumptions["method"] == "impact")
                  .select("parameter", "value").rows())
    # the scenario's inputs (bundled data): GDP 407,307,214,476 USD, digital share 3.6751 %,
    # spillover 0.5, recovery 20 %
    assert inputs["gdp_usd"] == pytest.approx(407_307_214_476.0)
    assert inputs["digital_share"] == pytest.approx(0.036751)
    assert (inputs["indirect_multiplier"], inputs["recovery_share"]) == (0.5, 0.2)
    # by hand: a day = 407.307e9 / 365 = 1.1159e9; direct = 1.1159e9 × 10/24 × 0.036751
    # = 17.088e6; spillover 0.5 × 17.088e6 = 8.544e6; recovered 0.2 × 25.632e6 = 5.126e6;
    # net 20.505e6
    text = how_made(pakistan, ensemble(pakistan))
    for part in ("a day of Pakistan's output is USD 1.12 bn (GDP USD 407 bn ÷ 365)",
                 "10 hours (0.417 of a day) × 100 % of internet users affected",
                 "the digital economy's share of GDP, 3.68 %: a direct loss of USD 17.1 m",
                 "(×0.5: USD 8.54 m)", "(20 %: USD 5.13 m)", "for USD 20.5 m at central values",
                 "of the 3 methods that apply", "run 10,000 times"):
        assert part in text, part
    headline = ensemble(pakistan).loss_usd_p50
    assert f"The headline, {impact.format.money(headline)}," in text


def test_how_made_is_next_to_the_headline():
    at = _page()
    markdown = [m.value for m in at.markdown]
    first = next(i for i, m in enumerate(markdown) if m.startswith("#### "))
    assert markdown[first + 1].startswith("How this figure is made: a day of Pakistan's output")


# ---- plausibility flags ---------------------------------------------------------------------
def test_no_flag_on_the_default_scenario():
    assert not [w for w in _page().warning if "Check before quoting" in w.value]


def test_a_two_month_shutdown_is_flagged_beside_the_headline():
    at = _page(duration_hours=24.0 * 60)
    flags = [w.value for w in at.warning if "Check before quoting" in w.value]
    assert len(flags) == 1
    assert "Extrapolated: it lasts 1,440 hours (60 days)" in flags[0]


# ---- how to cite ---------------------------------------------------------------------------
def test_citation_string():
    text = citation("A figure.", "http://host/?country=PAK", "1.2.3", "abc", date(2026, 1, 5))
    assert text == (f"impact contributors (2026). {TITLE}. Version 1.2.3, data abc. Figure: "
                    "\u201cA figure.\u201d Scenario: http://host/?country=PAK. Accessed 5 January "
                    "2026.")
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'title: "{TITLE}"' in cff  # the same title as CITATION.cff


def test_the_page_shows_how_to_cite_the_figure():
    at = _page(duration_hours=48.0)
    assert any(e.label == "How to cite this figure" for e in at.expander)
    code = next(c.value for c in at.code if c.value.startswith("impact contributors"))
    assert f"Version {impact.__version__}, data {data_version()}." in code
    assert "country=PAK" in code and "duration_hours=48" in code
    assert code.endswith(f"Accessed {long_date(date.today())}.")
    headline = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert headline.removeprefix("#### ") in code


# ---- a kept scenario side by side -------------------------------------------------------------
def test_snapshot_difference_by_hand(pakistan):
    longer = impact.estimate(impact.parse_scenario({"country": "Pakistan",
                                                    "duration_hours": 20}), draws=10_000)
    table = compare_table(snapshot(pakistan), snapshot(longer))
    table = table.with_columns(table[c].str.replace_all("\u00a0", " ") for c in COLUMNS)
    assert list(table.columns) == list(COLUMNS)
    rows = {r[""]: r for r in table.to_dicts()}
    assert rows["Duration"]["Kept"] == "10 hours" and rows["Duration"]["Current"] == "20 hours"
    assert rows["Duration"]["Difference"] == "+10 hours"
    assert rows["Country"]["Difference"] == "same"
    kept, now = ensemble(pakistan).loss_usd_p50, ensemble(longer).loss_usd_p50
    money = impact.format.money
    assert rows["Headline (P50)"]["Difference"] == (
        f"+{money(now - kept)} (×{impact.format.number(now / kept)})")
    for r in pakistan.summary.iter_rows(named=True):
        assert r["title"] in rows  # each method


def test_keep_a_scenario_and_compare_it_with_the_current_one():
    at = _page()
    assert not [t for t in shown_tables(at) if "Kept" in t.columns]
    at.button(key="pin_scenario").click().run()
    at.number_input(key="duration_hours").set_value(48.0).run()
    assert not at.exception
    side = next(t for t in shown_tables(at) if "Kept" in t.columns)
    side = side.apply(lambda column: column.str.replace("\u00a0", " "))
    assert list(side.columns) == list(COLUMNS[1:])
    assert side.loc["Duration"].tolist() == ["10 hours", "48 hours", "+38 hours"]
    assert side.loc["Country"].tolist() == ["Pakistan", "Pakistan", "same"]
    assert side.loc["Headline (P50)", "Difference"].startswith("+USD ")
    at.button(key="unpin_scenario").click().run()
    assert not [t for t in shown_tables(at) if "Kept" in t.columns]


# ---- readable tables ----------------------------------------------------------------------------
def test_short_comparison_table(pakistan):
    short = short_table(estimate_view(pakistan).table)
    assert list(short.columns) == list(SHORT_COLUMNS)
    first = short.row(0, named=True)
    assert first["Method"] == "impact (this project)"
    assert "\u00a0" in first["P50"] and " " not in first["P50"]  # a figure never wraps
    assert first["Part in the headline"] == "in the headline"


def test_effects_are_readable_and_years_whole(pakistan):
    from impact.catalogue.associations import scenario_effects

    effects = scenario_effects(pakistan)
    table = effects_table(effects)
    for r, shown in zip(effects.iter_rows(named=True), table.to_dicts(), strict=True):
        cell = shown["Effect of this scenario (90 % interval)"]
        assert "-" not in cell  # true minus signs only
        for number in re.findall(r"[\d.]+", cell):  # two significant figures at most
            assert len(number.replace(".", "").lstrip("0")) <= 2, cell
        if r["effect"] < 0:
            assert cell.startswith("\u2212")
    assert "\u22120.01 pp (\u22120.039 to 0.018)" == \
        table.row(0, named=True)["Effect of this scenario (90 % interval)"]
    samples = samples_text(effects)
    assert samples.count("2016–2024") == 3  # never cut
    assert "1,873 country-years, 211 countries" in samples


@pytest.mark.parametrize("name", ["estimate_words", "estimate_compare", "estimate_cite",
                                  "estimate_context", "estimate_view"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"app_pages.{name}"))
    assert result.attempted and not result.failed
